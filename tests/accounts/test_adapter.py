"""allauth through Puente's adapter: the client address, mail after the response, landing."""

from collections.abc import Callable

import pytest
from django.core import mail
from django.http import HttpRequest, HttpResponse
from django.test import Client

from tests.accounts.factories import PASSWORD, AdminFactory, StaffFactory, UserFactory

PROXY = "10.0.0.1"
LOCKED = "Too many failed login attempts"
ACTIVATE = "/accounts/2fa/totp/activate/"


def _fail_logins(client: Client, count: int, forwarded: Callable[[int], str]) -> None:
    """Fail to sign in count times, each with another address (the per-client limit)."""
    for n in range(count):
        response = client.post(
            "/accounts/login/",
            {"login": f"nobody{n}@example.org", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=forwarded(n),
        )
        assert LOCKED not in response.content.decode()


def _sign_in(client: Client, email: str, forwarded: str):
    return client.post(
        "/accounts/login/", {"login": email, "password": PASSWORD}, HTTP_X_FORWARDED_FOR=forwarded
    )


@pytest.mark.django_db
def test_not_behind_a_proxy_a_changing_forwarded_header_does_not_escape_the_login_limit(
    settings,
):
    settings.TRUSTED_PROXY_COUNT = 0
    person = UserFactory()
    client = Client(REMOTE_ADDR="198.51.100.7")
    _fail_logins(client, 10, lambda n: f"203.0.113.{n}")
    assert LOCKED in _sign_in(client, person.email, "203.0.113.200").content.decode()


@pytest.mark.django_db
def test_behind_a_proxy_failed_logins_of_one_client_do_not_lock_another_out(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    person = UserFactory()
    _fail_logins(Client(REMOTE_ADDR=PROXY), 10, lambda n: "203.0.113.1")
    assert (
        LOCKED in _sign_in(Client(REMOTE_ADDR=PROXY), person.email, "203.0.113.1").content.decode()
    )

    response = _sign_in(Client(REMOTE_ADDR=PROXY), person.email, "203.0.113.2")
    assert response.status_code == 302, response.content.decode()


@pytest.mark.django_db
def test_behind_a_proxy_entries_prepended_to_the_forwarded_header_do_not_escape_the_login_limit(
    settings,
):
    settings.TRUSTED_PROXY_COUNT = 1
    person = UserFactory()
    client = Client(REMOTE_ADDR=PROXY)
    _fail_logins(client, 10, lambda n: f"198.18.0.{n}, 203.0.113.1")
    assert LOCKED in _sign_in(client, person.email, "9.9.9.9, 203.0.113.1").content.decode()


class OutboxAtResponse:
    """Note how many mails were sent when the response leaves the application."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.outbox_at_response = len(mail.outbox)  # type: ignore[attr-defined]  # a probe
        return response


@pytest.mark.parametrize(
    ("known", "subject"), [(True, "Account Already Exists"), (False, "Please Confirm")]
)
@pytest.mark.django_db
def test_sign_up_mail_leaves_after_the_response_whether_the_address_is_known_or_new(
    settings, known, subject
):
    settings.MIDDLEWARE = [f"{__name__}.OutboxAtResponse", *settings.MIDDLEWARE]
    if known:
        UserFactory(email="someone@example.org")
    response = Client().post(
        "/accounts/signup/",
        {"email": "someone@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response.outbox_at_response == 0  # type: ignore[attr-defined]  # set by the probe
    # The test client, like a WSGI server, closes the response once it is sent.
    assert len(mail.outbox) == 1
    assert subject in mail.outbox[0].subject
    assert mail.outbox[0].to == ["someone@example.org"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make_person", "landing"),
    [
        (UserFactory, "/"),
        (StaffFactory, ACTIVATE),
        (lambda: AdminFactory(two_factor=False), ACTIVATE),
    ],
    ids=["participant", "staff-without-two-factor", "superuser-without-two-factor"],
)
def test_sign_in_lands_staff_without_two_factor_on_its_activation(
    client, sign_in, make_person, landing
):
    response = sign_in(client, make_person().email)
    assert response.status_code == 302
    assert response["Location"] == landing


@pytest.mark.django_db
def test_a_superuser_with_two_factor_lands_home_after_the_code_step(client, sign_in):
    response = sign_in(client, AdminFactory().email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
