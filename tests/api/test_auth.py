from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.accounts.factories import (
    PASSWORD,
    AdminFactory,
    StaffFactory,
    UserFactory,
    totp_activate,
)
from tests.api.conftest import assert_error, session_client, token_client

TOKEN_URL = "/api/v1/auth/token/"
SESSION_TOKEN_URL = "/api/v1/auth/token/session/"


def ask_token(email: str, password: str = PASSWORD, client: APIClient | None = None):
    return (client or APIClient()).post(
        TOKEN_URL, {"email": email, "password": password}, format="json"
    )


@pytest.mark.django_db
def test_a_participant_exchanges_email_and_password_for_a_working_expiring_token():
    person = UserFactory(email="ana@example.org")
    response = ask_token("Ana@Example.org")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    key = body["token"]
    stored = AuthToken.objects.get(user=person)
    assert parse_datetime(body["expires_at"]) == stored.expiry
    assert timezone.now() + timedelta(days=29) < stored.expiry < timezone.now() + timedelta(days=31)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/memberships/").status_code == 200
    # Every request creates a new token; the first keeps working.
    assert ask_token("ana@example.org").json()["token"] != key
    assert client.get("/api/v1/memberships/").status_code == 200


@pytest.mark.django_db
def test_tokens_are_stored_hashed_never_as_the_key():
    person = UserFactory()
    key = ask_token(person.email).json()["token"]
    stored = AuthToken.objects.get(user=person)
    assert key not in {stored.digest, stored.token_key}
    assert len(key) == 64
    assert stored.digest != key
    assert len(stored.digest) == 128


@pytest.mark.django_db
def test_an_expired_token_no_longer_works_and_is_deleted():
    person = UserFactory()
    client = token_client(person)
    assert client.get("/api/v1/memberships/").status_code == 200
    AuthToken.objects.filter(user=person).update(expiry=timezone.now() - timedelta(seconds=1))
    assert_error(client.get("/api/v1/memberships/"), 401)
    assert not AuthToken.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_the_token_lifetime_comes_from_the_settings(settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(days=2)}
    person = UserFactory()
    expires_at = parse_datetime(ask_token(person.email).json()["expires_at"])
    assert expires_at is not None
    assert timezone.now() + timedelta(days=1) < expires_at < timezone.now() + timedelta(days=3)


@pytest.mark.django_db
def test_a_person_holds_at_most_the_allowed_number_of_tokens(settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_LIMIT_PER_USER": 2}
    person = UserFactory()
    assert ask_token(person.email).status_code == 200
    assert ask_token(person.email).status_code == 200
    assert_error(ask_token(person.email), 403)
    assert AuthToken.objects.filter(user=person).count() == 2
    # An expired token does not count.
    AuthToken.objects.filter(user=person).update(expiry=timezone.now() - timedelta(seconds=1))
    assert ask_token(person.email).status_code == 200


@pytest.mark.django_db
def test_a_token_header_that_is_not_text_is_refused_as_invalid():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token \xe9\xe9")
    assert_error(client.get("/api/v1/memberships/"), 401)


def mfa_user():
    person = UserFactory()
    totp_activate(person)
    return person


def unverified_user():
    person = UserFactory()
    EmailAddress.objects.filter(user=person).update(verified=False)
    return person


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make_person", "status"),
    [
        (UserFactory, 200),
        (mfa_user, 403),
        (StaffFactory, 403),
        (AdminFactory, 403),
        (lambda: AdminFactory(two_factor=False), 403),
        (unverified_user, 403),
        (lambda: UserFactory(is_active=False), 400),
    ],
    ids=[
        "participant",
        "two-factor",
        "staff",
        "platform-admin",
        "platform-admin-without-two-factor",
        "unverified",
        "inactive",
    ],
)
def test_who_may_obtain_a_token_with_a_password(make_person, status):
    person = make_person()
    response = ask_token(person.email)
    assert response.status_code == status, response.content
    assert AuthToken.objects.filter(user=person).exists() == (status == 200)


@pytest.mark.django_db
def test_the_refusal_for_two_factor_accounts_says_where_to_create_the_token():
    response = ask_token(mfa_user().email)
    assert_error(response, 403)
    assert SESSION_TOKEN_URL in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"email": "nobody@example.org", "password": PASSWORD},
        {"email": "person@example.org", "password": "wrong"},
    ],
    ids=["unknown-email", "wrong-password"],
)
def test_wrong_credentials_get_one_answer_that_reveals_nothing(body):
    UserFactory(email="person@example.org")
    response = APIClient().post(TOKEN_URL, body, format="json")
    assert_error(response, 400, "")
    assert response.json()["errors"][0]["code"] == "invalid_credentials"
    assert not AuthToken.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": PASSWORD}, "email"),
        ({"email": "person@example.org"}, "password"),
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
        ({"email": ["person@example.org"], "password": PASSWORD}, "email"),
        ({"email": "person@example.org", "password": "x" * 5000}, "password"),
    ],
)
def test_token_request_refuses_bad_input(body, field):
    UserFactory(email="person@example.org")
    assert_error(APIClient().post(TOKEN_URL, body, format="json"), 400, field)
    assert not AuthToken.objects.exists()


@pytest.mark.django_db
def test_password_guessing_is_throttled():
    UserFactory(email="person@example.org")
    client = APIClient()
    statuses = [ask_token("person@example.org", "wrong", client).status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]
    response = ask_token("person@example.org", PASSWORD, client)
    assert_error(response, 429)
    assert "Retry-After" in response


@pytest.mark.django_db
def test_guessing_across_addresses_is_throttled_per_client():
    client = APIClient()
    statuses = [ask_token(f"p{n}@example.org", "wrong", client).status_code for n in range(11)]
    assert statuses == [400] * 10 + [429]


@pytest.mark.django_db
def test_revoking_the_token_signs_the_program_out_and_keeps_the_others():
    person = UserFactory()
    client = token_client(person)
    other = token_client(person)
    assert client.delete(TOKEN_URL).status_code == 204
    assert AuthToken.objects.filter(user=person).count() == 1
    assert_error(client.get("/api/v1/memberships/"), 401)
    assert other.get("/api/v1/memberships/").status_code == 200


@pytest.mark.django_db
def test_revoking_from_a_session_names_the_missing_token():
    person = UserFactory()
    token_client(person)
    assert_error(session_client(person).delete(TOKEN_URL), 400)
    assert AuthToken.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_revoking_needs_credentials():
    assert_error(APIClient().delete(TOKEN_URL), 401)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make_person", "status"),
    [
        (UserFactory, 200),
        (mfa_user, 200),
        (StaffFactory, 403),
        (lambda: AdminFactory(two_factor=False), 403),
        (AdminFactory, 200),
    ],
    ids=[
        "participant",
        "two-factor",
        "staff-without-two-factor",
        "admin-without-two-factor",
        "admin-with-two-factor",
    ],
)
def test_who_may_obtain_a_token_from_a_session(make_person, status):
    person = make_person()
    response = session_client(person).post(SESSION_TOKEN_URL)
    assert response.status_code == status, response.content
    assert AuthToken.objects.filter(user=person).exists() == (status == 200)


@pytest.mark.django_db
def test_a_session_token_needs_the_csrf_token_and_a_session():
    person = UserFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(person)
    assert_error(client.post(SESSION_TOKEN_URL), 403)
    assert_error(APIClient().post(SESSION_TOKEN_URL), 403)
    assert not AuthToken.objects.exists()
    # A token alone (no session) cannot mint tokens either.
    program = token_client(person)
    assert_error(program.post(SESSION_TOKEN_URL), 403)
    assert AuthToken.objects.count() == 1
