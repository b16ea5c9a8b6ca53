"""API tokens: created and revoked through the services, listed on the website, revoked on
password and two-factor changes."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from puente.accounts.selectors import token_list
from puente.accounts.services import token_create, token_revoke, token_revoke_all, totp_enable
from tests.accounts.factories import (
    PASSWORD,
    TOTP_SECRET,
    AdminFactory,
    StaffFactory,
    UserFactory,
    totp_code,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-42"
RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)")


def works(key: str) -> bool:
    """Return whether the API accepts the token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/memberships/").status_code == 200


# Services


def test_token_create_gives_a_working_key_stored_only_hashed():
    person = UserFactory()
    new = token_create(person=person)
    assert works(new.key)
    stored = AuthToken.objects.get(user=person)
    assert new.key not in (stored.digest, stored.token_key)


@pytest.mark.parametrize(
    "make_person",
    [StaffFactory, lambda: AdminFactory(two_factor=False), lambda: UserFactory(is_active=False)],
    ids=["staff-without-two-factor", "superuser-without-two-factor", "inactive"],
)
def test_token_create_refuses_accounts_that_may_not_hold_tokens(make_person):
    person = make_person()
    with pytest.raises(PermissionDenied):
        token_create(person=person)
    assert not AuthToken.objects.exists()


def test_token_revoke_refuses_someone_elses_token():
    owner, other = UserFactory(), UserFactory()
    new = token_create(person=owner)
    with pytest.raises(PermissionDenied):
        token_revoke(person=other, token=new.token)
    assert works(new.key)


def test_token_revoke_all_revokes_only_the_persons_tokens():
    person, other = UserFactory(), UserFactory()
    mine = [token_create(person=person).key for _ in range(2)]
    theirs = token_create(person=other).key
    assert token_revoke_all(person=person) == 2
    assert not any(works(key) for key in mine)
    assert works(theirs)


def test_turning_on_two_factor_with_the_service_revokes_tokens():
    person = UserFactory()
    key = token_create(person=person).key
    totp_enable(person=person, secret=TOTP_SECRET)
    assert not works(key)


# Revoked on password and two-factor changes, through allauth's own pages


def test_changing_the_password_revokes_every_token(client, sign_in):
    person = UserFactory()
    keys = [token_create(person=person).key for _ in range(2)]
    sign_in(client, person.email)
    changed = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert not any(works(key) for key in keys)


def test_resetting_the_password_revokes_every_token(client):
    person = UserFactory()
    key = token_create(person=person).key
    client.post("/accounts/password/reset/", {"email": person.email})
    found = RESET_LINK.search(str(mail.outbox[0].body))
    assert found is not None
    link = found.group(1)
    form_page = client.get(link, follow=True)
    action = form_page.redirect_chain[-1][0]
    done = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert not works(key)


def _reauthenticate(client):
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})


def test_turning_two_factor_on_and_off_revokes_every_token(
    client, sign_in, settings, django_capture_on_commit_callbacks
):
    # allauth announces two-factor changes once its transaction commits, after this test
    # client's request has ended, too late for its notification mail: mail is left out.
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = False
    person = UserFactory()
    before = token_create(person=person).key
    sign_in(client, person.email)
    _reauthenticate(client)
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks(execute=True):
        activated = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert activated.status_code == 302
    assert not works(before)

    during = token_create(person=person).key
    _reauthenticate(client)
    with django_capture_on_commit_callbacks(execute=True):
        deactivated = client.post("/accounts/2fa/totp/deactivate/")
    assert deactivated.status_code == 302
    assert not AuthToken.objects.filter(user=person).exists()
    assert not works(during)


def test_deactivating_an_account_in_the_admin_revokes_its_tokens(client):
    person = UserFactory()
    key = token_create(person=person).key
    client.force_login(AdminFactory())
    page = client.get(f"/admin/accounts/user/{person.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "is_active": "",
            "groups": [],
            "user_permissions": [],
            "emailaddress_set-TOTAL_FORMS": "0",
            "emailaddress_set-INITIAL_FORMS": "0",
            "date_joined_0": person.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": person.date_joined.strftime("%H:%M:%S"),
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("password", None)
    data = {key: value for key, value in data.items() if value is not False}
    response = client.post(f"/admin/accounts/user/{person.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert not person.is_active
    assert not AuthToken.objects.filter(user=person).exists()
    assert not works(key)


def test_setting_a_password_in_the_admin_revokes_the_persons_tokens(client):
    person = UserFactory()
    key = token_create(person=person).key
    client.force_login(AdminFactory())
    response = client.post(
        f"/admin/accounts/user/{person.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert not works(key)


# The tokens page


def test_tokens_page_asks_visitors_to_sign_in(client):
    response = client.get("/me/tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_profile_links_to_the_tokens_page(client):
    client.force_login(UserFactory())
    assert 'href="/me/tokens/"' in client.get("/me/").content.decode()


def test_tokens_page_lists_only_ones_own_tokens(client):
    person, other = UserFactory(), UserFactory()
    mine = token_create(person=person)
    theirs = token_create(person=other)
    client.force_login(person)
    response = client.get("/me/tokens/")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    html = response.content.decode()
    assert mine.token.token_key[:8] in html
    assert theirs.token.token_key[:8] not in html
    assert mine.key not in html, "the key is shown only when created"


def test_creating_a_token_on_the_page_shows_it_once(client):
    person = UserFactory()
    client.force_login(person)
    created = client.post("/me/tokens/")
    assert created.status_code == 200
    found = re.search(r'data-testid="new-token">([0-9a-f]{64})<', created.content.decode())
    assert found is not None
    key = found.group(1)
    assert works(key)
    assert key not in client.get("/me/tokens/").content.decode()


def test_staff_without_two_factor_cannot_create_a_token_on_the_page(client):
    staff = StaffFactory()
    client.force_login(staff)
    page = client.get("/me/tokens/").content.decode()
    assert "/accounts/2fa/totp/activate/" in page
    response = client.post("/me/tokens/", follow=True)
    assert "Turn on two-factor authentication" in response.content.decode()
    assert not AuthToken.objects.exists()


def test_revoking_one_token_asks_first_then_revokes_only_it(client):
    person = UserFactory()
    kept, revoked = token_create(person=person), token_create(person=person)
    client.force_login(person)
    url = f"/me/tokens/{revoked.token.digest}/revoke/"
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert works(revoked.key), "a GET changes nothing"
    assert client.post(url)["Location"] == "/me/tokens/"
    assert not works(revoked.key)
    assert works(kept.key)


def test_another_persons_token_is_404_on_the_revoke_page(client):
    person, other = UserFactory(), UserFactory()
    theirs = token_create(person=other)
    client.force_login(person)
    url = f"/me/tokens/{theirs.token.digest}/revoke/"
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert client.post("/me/tokens/unknown/revoke/").status_code == 404
    assert works(theirs.key)


def test_revoke_all_asks_first_then_revokes_only_ones_own(client):
    person, other = UserFactory(), UserFactory()
    mine = [token_create(person=person).key for _ in range(2)]
    theirs = token_create(person=other).key
    client.force_login(person)
    assert client.get("/me/tokens/revoke-all/").status_code == 200
    assert all(works(key) for key in mine)
    assert client.post("/me/tokens/revoke-all/")["Location"] == "/me/tokens/"
    assert not any(works(key) for key in mine)
    assert works(theirs)
    assert not token_list(person=person).exists()


def test_revoking_needs_the_csrf_token():
    person = UserFactory()
    new = token_create(person=person)
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    assert client.post(f"/me/tokens/{new.token.digest}/revoke/").status_code == 403
    assert client.post("/me/tokens/revoke-all/").status_code == 403
    assert works(new.key)
