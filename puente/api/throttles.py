"""Request limits: a general one per client and per person, and password guessing."""

import hashlib
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from puente.core.http import rate_limit_source

if TYPE_CHECKING:
    # DRF imports the default throttle classes while it defines APIView.
    from rest_framework.views import APIView


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


class AnonThrottle(ClientAddressMixin, AnonRateThrottle):
    """Allow each anonymous client address the "anon" rate of requests."""


class UserThrottle(ClientAddressMixin, UserRateThrottle):
    """Allow each signed-in person (else client address) the "user" rate of requests."""


class TokenCreateIpThrottle(ClientAddressMixin, SimpleRateThrottle):
    """Allow each client address ten password attempts a minute."""

    scope = "auth_token_ip"
    rate = "10/min"

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        """Count only attempts (POST), per client address."""
        if request.method != "POST":
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenCreateEmailThrottle(SimpleRateThrottle):
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
