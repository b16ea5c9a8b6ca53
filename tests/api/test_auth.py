import pytest
from allauth.account.models import EmailAddress
from rest_framework.authtoken.models import Token
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
def test_a_participant_exchanges_email_and_password_for_a_working_token():
    person = UserFactory(email="ana@example.org")
    response = ask_token("Ana@Example.org")
    assert response.status_code == 200, response.content
    key = response.json()["token"]
    assert Token.objects.get(user=person).key == key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/memberships/").status_code == 200
    assert ask_token("ana@example.org").json()["token"] == key


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
        (unverified_user, 403),
        (lambda: UserFactory(is_active=False), 400),
    ],
    ids=["participant", "two-factor", "staff", "platform-admin", "unverified", "inactive"],
)
def test_who_may_obtain_a_token_with_a_password(make_person, status):
    person = make_person()
    response = ask_token(person.email)
    assert response.status_code == status, response.content
    assert Token.objects.filter(user=person).exists() == (status == 200)


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
    assert not Token.objects.exists()


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
    assert not Token.objects.exists()


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
def test_revoking_the_token_signs_the_program_out():
    person = UserFactory()
    client = token_client(person)
    assert client.delete(TOKEN_URL).status_code == 204
    assert not Token.objects.filter(user=person).exists()
    assert_error(client.get("/api/v1/memberships/"), 401)


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
        (lambda: totp_activate(AdminFactory()).user, 200),
    ],
    ids=["participant", "two-factor", "staff-without-two-factor", "admin-with-two-factor"],
)
def test_who_may_obtain_a_token_from_a_session(make_person, status):
    person = make_person()
    response = session_client(person).post(SESSION_TOKEN_URL)
    assert response.status_code == status, response.content
    assert Token.objects.filter(user=person).exists() == (status == 200)


@pytest.mark.django_db
def test_a_session_token_needs_the_csrf_token_and_a_session():
    person = UserFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(person)
    assert_error(client.post(SESSION_TOKEN_URL), 403)
    assert_error(APIClient().post(SESSION_TOKEN_URL), 403)
    assert not Token.objects.exists()
    # A token alone (no session) cannot mint tokens either.
    assert_error(token_client(person).post(SESSION_TOKEN_URL), 403)
