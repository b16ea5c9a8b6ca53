import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache, caches
from django.test import RequestFactory
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from puente.api.throttles import AnonThrottle, TokenCreateEmailThrottle, UserThrottle, _redis_of
from tests.accounts.factories import PASSWORD, UserFactory
from tests.api.conftest import assert_error, token_client

TOKEN_URL = "/api/v1/auth/token/"
LIST_URL = "/api/v1/organisations/"
PROXY = "10.0.0.1"


def _guess(client: APIClient, n: int, **headers: Any):
    """Ask a token with a wrong password for a new e-mail address (the per-address limit)."""
    return client.post(
        TOKEN_URL, {"email": f"p{n}@example.org", "password": "wrong"}, format="json", **headers
    )


def _low_rates(settings, **rates: str) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "600/min", "user": "1200/min", **rates},
    }


@pytest.mark.django_db
def test_not_behind_a_proxy_a_changing_forwarded_header_does_not_escape_the_token_limit(
    settings,
):
    settings.TRUSTED_PROXY_COUNT = 0
    client = APIClient(REMOTE_ADDR="198.51.100.7")
    statuses = [
        _guess(client, n, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(11)
    ]
    assert statuses == [400] * 10 + [429]


@pytest.mark.django_db
def test_behind_a_proxy_each_client_has_its_own_token_limit(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = APIClient(REMOTE_ADDR=PROXY)
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.1"}
    statuses = [_guess(client, n, **attacker).status_code for n in range(11)]
    assert statuses == [400] * 10 + [429]

    person = UserFactory(email="ana@example.org")
    response = client.post(
        TOKEN_URL,
        {"email": person.email, "password": PASSWORD},
        format="json",
        HTTP_X_FORWARDED_FOR="203.0.113.2",
    )
    assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_behind_a_proxy_entries_prepended_to_the_forwarded_header_do_not_escape_the_limit(
    settings,
):
    settings.TRUSTED_PROXY_COUNT = 1
    client = APIClient(REMOTE_ADDR=PROXY)
    statuses = [
        _guess(client, n, HTTP_X_FORWARDED_FOR=f"198.18.0.{n}, 203.0.113.1").status_code
        for n in range(11)
    ]
    assert statuses == [400] * 10 + [429]


@pytest.mark.django_db
def test_anonymous_requests_have_a_general_limit_answered_in_the_error_format(settings):
    _low_rates(settings, anon="3/min")
    client = APIClient()
    assert [client.get(LIST_URL).status_code for _ in range(3)] == [200] * 3
    response = client.get(LIST_URL)
    assert_error(response, 429)
    assert response.json()["errors"][0]["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


@pytest.mark.django_db
def test_behind_a_proxy_the_general_limit_is_per_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    _low_rates(settings, anon="3/min")
    client = APIClient(REMOTE_ADDR=PROXY)
    for n in range(3):
        assert (
            client.get(LIST_URL, HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 203.0.113.1").status_code == 200
        )
    assert client.get(LIST_URL, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.1").status_code == 429
    assert client.get(LIST_URL, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 200


@pytest.mark.django_db
def test_each_signed_in_person_has_a_general_limit_of_their_own(settings):
    _low_rates(settings, user="3/min")
    first, second = token_client(UserFactory()), token_client(UserFactory())
    assert [first.get(LIST_URL).status_code for _ in range(3)] == [200] * 3
    assert_error(first.get(LIST_URL), 429)
    assert second.get(LIST_URL).status_code == 200


@pytest.mark.django_db
def test_the_token_endpoint_keeps_the_general_limit(settings):
    _low_rates(settings, anon="2/min")
    client = APIClient()
    assert [_guess(client, n).status_code for n in range(3)] == [400, 400, 429]


def test_the_schema_documents_429_with_retry_after_on_every_operation(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    operations = [
        operation
        for path_item in schema["paths"].values()
        for method, operation in path_item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert operations
    for operation in operations:
        throttled = operation["responses"]["429"]
        assert throttled["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }
        assert "Retry-After" in throttled["headers"]


@pytest.mark.skipif(
    not django_settings.REDIS_URL, reason="the scale-out mode (REDIS_URL) shares limits"
)
@pytest.mark.django_db
def test_in_the_scale_out_mode_every_process_counts_against_the_same_limit(settings):
    _low_rates(settings, anon="2/min")
    client = APIClient(REMOTE_ADDR="203.0.113.9")
    assert [client.get(LIST_URL).status_code for _ in range(2)] == [200, 200]

    # Another process shares nothing with this one but Redis: a cache of its own, with its
    # own connections, sees the two requests and refuses a third.
    other_process_cache = caches.create_connection("default")
    assert other_process_cache is not cache
    # django-redis's client, untyped
    assert other_process_cache.client.get_client() is not cache.client.get_client()  # type: ignore[attr-defined]
    throttle = AnonThrottle()
    throttle.cache = other_process_cache
    request = Request(RequestFactory().get(LIST_URL, REMOTE_ADDR="203.0.113.9"))
    assert throttle.allow_request(request, view=APIView()) is False
    assert (throttle.wait() or 0) > 0


@pytest.mark.django_db
def test_the_per_address_limit_counts_one_address_in_any_case_under_a_short_cache_key():
    # Keys over 250 characters break memcached and bloat Redis; the address is hashed.
    address = "a" * 60 + "." + "b" * 60 + "@" + "c" * 60 + "." + "d" * 60 + ".org"
    statuses = [
        APIClient(REMOTE_ADDR=f"198.51.100.{n}")
        .post(
            TOKEN_URL,
            {"email": address.upper() if n % 2 else address, "password": "wrong"},
            format="json",
        )
        .status_code
        for n in range(7)
    ]
    assert statuses[:5] == [400] * 5
    assert statuses[5:] == [429, 429]
    request = Request(
        APIRequestFactory().post(TOKEN_URL, {"email": address}, format="json"),
        parsers=[JSONParser()],
    )
    key = TokenCreateEmailThrottle().get_cache_key(request, APIView())
    assert key is not None
    assert len(key) < 100
    assert address not in key


@pytest.mark.django_db
def test_a_request_leaves_the_window_once_its_duration_has_passed(settings, monkeypatch):
    _low_rates(settings, anon="2/min")
    now = [1_000_000.0]
    monkeypatch.setattr(AnonThrottle, "timer", lambda self: now[0])
    client = APIClient(REMOTE_ADDR="203.0.113.20")
    assert client.get(LIST_URL).status_code == 200
    now[0] += 10
    assert client.get(LIST_URL).status_code == 200
    now[0] += 20
    refused = client.get(LIST_URL)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "30"  # the first request leaves the window in 30 s
    now[0] += 30.5
    assert client.get(LIST_URL).status_code == 200
    assert client.get(LIST_URL).status_code == 429  # the second and third are still in it


@pytest.mark.skipif(
    not django_settings.REDIS_URL, reason="the scale-out mode (REDIS_URL) shares limits"
)
@pytest.mark.django_db
def test_in_the_scale_out_mode_requests_at_the_same_moment_never_exceed_the_limit(settings):
    _low_rates(settings, anon="5/min")
    attempts = 16
    barrier = threading.Barrier(attempts)

    def attempt(_: int) -> bool:
        # Each as another process would: a cache with connections of its own.
        throttle = AnonThrottle()
        throttle.cache = caches.create_connection("default")
        request = Request(RequestFactory().get(LIST_URL, REMOTE_ADDR="203.0.113.77"))
        barrier.wait()
        return bool(throttle.allow_request(request, view=APIView()))

    with ThreadPoolExecutor(attempts) as pool:
        allowed = list(pool.map(attempt, range(attempts)))
    assert allowed.count(True) == 5


def _person_throttle_allows(person: Any) -> bool:
    request = Request(RequestFactory().get(LIST_URL, REMOTE_ADDR="203.0.113.30"))
    request.user = person
    return bool(UserThrottle().allow_request(request, view=APIView()))


needs_redis = pytest.mark.skipif(
    not django_settings.REDIS_URL, reason="the scale-out mode (REDIS_URL) keeps a connection"
)


@needs_redis
@pytest.mark.django_db
def test_a_thread_does_not_open_a_connection_to_redis_per_request(settings):
    _low_rates(settings, user="30/min")
    person = UserFactory()
    client: Any = _redis_of(cache)
    assert _person_throttle_allows(person)
    connections_before = len(client.client_list())
    assert [_person_throttle_allows(person) for _ in range(30)] == [True] * 29 + [False]
    # (Other tests' connections may close meanwhile: the count only must not grow.)
    assert len(client.client_list()) <= connections_before


@needs_redis
@pytest.mark.django_db
def test_the_limit_still_counts_once_redis_forgot_the_script_or_dropped_the_connection(settings):
    _low_rates(settings, user="4/min")
    person = UserFactory()
    client: Any = _redis_of(cache)
    assert _person_throttle_allows(person)
    client.script_flush()  # as after a restart of Redis
    assert _person_throttle_allows(person)
    # Every connection but the one asking, the kept one among them, as an idle timeout would.
    client.client_kill_filter(_type="normal", skipme=True)
    assert _person_throttle_allows(person)
    assert _person_throttle_allows(person)
    # Each request counted once, whatever happened: the fifth is refused.
    assert not _person_throttle_allows(person)
