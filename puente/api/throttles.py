"""Request limits: a general one per client and per person, and password guessing."""

import hashlib
import os
import secrets
import threading
from functools import cache as once
from typing import TYPE_CHECKING, Any

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache import cache as default_cache
from django.core.exceptions import ImproperlyConfigured
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from puente.core.http import rate_limit_source

if TYPE_CHECKING:
    # DRF imports the default throttle classes while it defines APIView.
    from rest_framework.views import APIView


# One atomic step of DRF's sliding window in Redis: drop the requests older than the window,
# then count this one if there is room. Answers {allowed, requests in the window, oldest}.
_WINDOW_SCRIPT = """
local key, now, duration, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - duration)
local count = redis.call('ZCARD', key)
if count >= limit then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return {0, count, oldest[2]}
end
redis.call('ZADD', key, now, ARGV[4])
redis.call('EXPIRE', key, math.ceil(duration))
return {1, count + 1, ''}
"""


@once
def _window_script(client: Any) -> Any:
    """Return the script, registered once per process (its digest is the same everywhere)."""
    return client.register_script(_WINDOW_SCRIPT)


# The connection each thread keeps for the window script (see _window_run).
_kept = threading.local()


def _kept_forget() -> None:
    """Forget the parent's connections in a forked process (a Celery worker, say)."""
    global _kept  # one per process
    _kept = threading.local()


os.register_at_fork(after_in_child=_kept_forget)


def _kept_connection(client: Any) -> Any:
    """Return a connection to the client's server that this thread keeps for itself."""
    pool = client.connection_pool
    kept = getattr(_kept, "connection", None)
    if kept is None or kept[0] is not pool:
        kept = (pool, pool.connection_class(**pool.connection_kwargs))
        _kept.connection = kept
    return kept[1]


def _window_run(client: Any, keys: list[str], args: list[Any]) -> Any:
    """Run the window script; return its answer.

    It runs on every API request, so on a connection this thread keeps: through the
    client, redis-py takes a connection from its pool, checks that nothing is waiting on
    it, records metrics and gives it back, which cost as much Python as the round trip
    itself. Whatever goes wrong there (a server that forgot the script, a dropped
    connection) goes through the client as before, with its retries; like those retries,
    a timeout after the server ran the script counts that request twice.
    """
    script = _window_script(client)
    connection = _kept_connection(client)
    try:
        connection.send_command("EVALSHA", script.sha, len(keys), *keys, *args)
        return connection.read_response()
    except NoScriptError:
        pass
    except (RedisConnectionError, RedisTimeoutError, OSError):
        connection.disconnect()
    return script(keys=keys, args=args, client=client)


def _redis_of(backend: Any) -> Any:
    """Return the Redis client behind a django-redis cache, or None for any other cache."""
    if backend is default_cache:  # DRF's default: the proxy to the default cache
        backend = caches[DEFAULT_CACHE_ALIAS]
    if not type(backend).__module__.startswith("django_redis"):
        return None
    return backend.client.get_client(write=True)


class AtomicWindowMixin:
    """Count in one atomic Redis step when the cache is Redis; as DRF does otherwise.

    DRF reads the list of recent requests from the cache and writes it back: two round trips
    on every API request, and two processes that read at once both count one request where
    there were two. With Redis the same sliding window is a sorted set changed by one script.
    """

    rate: str | None
    num_requests: int
    duration: int
    now: float
    key: str | None

    def allow_request(self, request: Request, view: "APIView") -> bool:
        """Return whether the request is within the rate, counting it when it is."""
        client = _redis_of(self.cache)  # type: ignore[attr-defined]
        if client is None or self.rate is None:
            self._window: tuple[int, float] | None = None
            return bool(super().allow_request(request, view))  # type: ignore[misc]
        self.key = self.get_cache_key(request, view)  # type: ignore[attr-defined]
        if self.key is None:
            return True
        self.now = self.timer()  # type: ignore[attr-defined]
        allowed, count, oldest = _window_run(
            client,
            # A key of its own: DRF's list under the plain key (a process still running the
            # previous release, say) is another type of value.
            keys=[self.cache.make_key(f"{self.key}:window")],  # type: ignore[attr-defined]
            args=[repr(self.now), self.duration, self.num_requests, secrets.token_hex(8)],
        )
        self._window = (int(count), float(oldest) if oldest else self.now)
        return bool(allowed)

    def wait(self) -> float | None:
        """Return the seconds until a request would be allowed, as DRF computes them."""
        window = getattr(self, "_window", None)
        if window is None:
            return super().wait()  # type: ignore[misc, no-any-return]
        count, oldest = window
        remaining = self.duration - (self.now - oldest) if count else self.duration
        available = self.num_requests - count + 1
        return remaining / float(available) if available > 0 else None


class ClientAddressMixin:
    """Count by the client's address as Puente reads it, with the rate of the moment."""

    scope: str | None

    def get_ident(self, request: Request) -> str:
        """Return the client's address, trusting forwarded headers only from our proxies."""
        return rate_limit_source(request._request)

    def get_rate(self) -> str | None:
        """Read the rate from the settings now, not when the module was imported."""
        rates = api_settings.DEFAULT_THROTTLE_RATES
        if self.scope not in rates:
            raise ImproperlyConfigured(f"No DEFAULT_THROTTLE_RATES entry for {self.scope!r}.")
        rate = rates[self.scope]
        return None if rate is None else str(rate)


class AnonThrottle(AtomicWindowMixin, ClientAddressMixin, AnonRateThrottle):
    """Allow each anonymous client address the "anon" rate of requests."""


class UserThrottle(AtomicWindowMixin, ClientAddressMixin, UserRateThrottle):
    """Allow each signed-in person (else client address) the "user" rate of requests."""


class TokenCreateIpThrottle(AtomicWindowMixin, ClientAddressMixin, SimpleRateThrottle):
    """Allow each client address ten password attempts a minute."""

    scope = "auth_token_ip"
    rate = "10/min"

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        """Count only attempts (POST), per client address."""
        if request.method != "POST":
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenCreateEmailThrottle(AtomicWindowMixin, SimpleRateThrottle):
    """Allow each e-mail address five password attempts a minute, from anywhere."""

    scope = "auth_token_email"
    rate = "5/min"

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        """Count only attempts (POST), per e-mail address given."""
        if request.method != "POST" or not isinstance(request.data, dict):
            return None
        email = request.data.get("email")
        if not isinstance(email, str) or not email.strip():
            return None
        # A digest keeps the cache key short and free of whatever characters were sent.
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}
