"""Sign-up, verification, log-in, password and e-mail flows through allauth, in our layout."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from puente.accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory
from tests.accounts.pages import assert_accessible_page

NEW_PASSWORD = "a-brand-new-long-passphrase"
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)")
RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)")


def _link(pattern, message):
    found = pattern.search(str(message.body))
    assert found, f"no link in mail: {message.body}"
    return found.group(1)


def _signup(client, email, password=PASSWORD):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": password, "password2": password}
    )


ANONYMOUS_PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
MANAGE_PAGES = ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"]
SIGNED_IN_PAGES = [
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/accounts/logout/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_entrance_pages_render_accessibly_in_our_layout(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_accessible_page(response)
    assert "allauth/layouts/base.html" in [t.name for t in response.templates]
    assert "base.html" in [t.name for t in response.templates]


@pytest.mark.django_db
@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_account_pages_render_accessibly_in_our_layout(client, sign_in, url):
    person = UserFactory()
    sign_in(client, person.email)
    response = client.get(url)
    assert response.status_code == 200
    assert_accessible_page(response)


@pytest.mark.django_db
@pytest.mark.parametrize("url", MANAGE_PAGES)
def test_account_settings_pages_share_a_navigation_marking_the_current_one(client, sign_in, url):
    person = UserFactory()
    sign_in(client, person.email)
    html = client.get(url).content.decode()
    assert 'aria-label="Account settings"' in html
    current = re.findall(r'<a class="nav-link active" aria-current="page" href="([^"]+)"', html)
    assert current == [url]


@pytest.mark.django_db
def test_signup_errors_are_tied_to_their_fields(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "password1": NEW_PASSWORD, "password2": "different"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert_accessible_page(response)
    assert 'id="id_password2_error"' in html
    assert re.search(r'aria-describedby="[^"]*id_password2_error', html)
    assert not User.objects.filter(email="new@example.org").exists()


@pytest.mark.django_db
def test_signup_sends_a_link_that_confirms_by_post_and_signs_in(client):
    response = _signup(client, "new@example.org", NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    person = User.objects.get(email="new@example.org")
    assert not EmailAddress.objects.get(user=person).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("[Puente] ")
    link = _link(CONFIRM_LINK, mail.outbox[0])

    page = client.get(link)
    assert page.status_code == 200
    assert_accessible_page(page)
    assert not EmailAddress.objects.get(user=person).verified, "GET must not confirm"

    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=person).verified
    assert client.get("/me/").status_code == 200


@pytest.mark.django_db
def test_unverified_person_cannot_sign_in_until_verified(client, sign_in):
    person = UserFactory(verified=False)
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)
    response = sign_in(client, person.email)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert client.get("/me/").status_code == 302


@pytest.mark.django_db
def test_login_and_logout(client, sign_in):
    person = UserFactory()
    response = sign_in(client, person.email)
    assert response.status_code == 302
    assert client.get("/me/").status_code == 200
    logout = client.post("/accounts/logout/")
    assert logout.status_code == 302
    assert client.get("/me/").status_code == 302


@pytest.mark.django_db
def test_wrong_password_shows_an_error_without_signing_in(client, sign_in):
    person = UserFactory()
    response = sign_in(client, person.email, "not-the-password")
    assert response.status_code == 200
    assert "are not correct" in response.content.decode()
    assert client.get("/me/").status_code == 302


@pytest.mark.django_db
def test_signup_with_a_taken_email_looks_like_a_new_signup_and_mails_the_owner(client):
    owner = UserFactory(email="taken@example.org")
    fresh = _signup(client, "fresh@example.org", NEW_PASSWORD)
    taken = _signup(client, "taken@example.org", NEW_PASSWORD)

    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    fresh_page = client.get(fresh["Location"])
    taken_page = client.get(taken["Location"])
    assert [t.name for t in taken_page.templates] == [t.name for t in fresh_page.templates]
    assert User.objects.filter(email="taken@example.org").count() == 1
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD), "the existing account is untouched"
    to_owner = [m for m in mail.outbox if m.to == ["taken@example.org"]]
    assert len(to_owner) == 1
    assert "already exists" in to_owner[0].body


@pytest.mark.django_db
def test_password_reset_for_an_unknown_email_looks_like_a_known_one(client):
    UserFactory(email="known@example.org")
    known = client.post("/accounts/password/reset/", {"email": "known@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/done/"
    assert [m.to for m in mail.outbox] == [["known@example.org"], ["nobody@example.org"]]
    assert RESET_LINK.search(str(mail.outbox[0].body))
    assert not RESET_LINK.search(str(mail.outbox[1].body))


@pytest.mark.django_db
def test_password_reset_from_the_mailed_key_sets_a_new_password(client, sign_in):
    person = UserFactory()
    client.post("/accounts/password/reset/", {"email": person.email})
    link = _link(RESET_LINK, mail.outbox[0])

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert_accessible_page(form_page)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == "/accounts/password/reset/key/done/"

    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    fresh = client.__class__()
    assert sign_in(fresh, person.email, NEW_PASSWORD).status_code == 302
    assert fresh.get("/me/").status_code == 200


@pytest.mark.django_db
def test_a_used_reset_key_is_refused(client):
    person = UserFactory()
    client.post("/accounts/password/reset/", {"email": person.email})
    link = _link(RESET_LINK, mail.outbox[0])
    form_page = client.get(link, follow=True)
    action = form_page.redirect_chain[-1][0]
    client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = client.__class__().get(link, follow=True)
    assert again.status_code == 200
    assert "Bad Token" in again.content.decode()


@pytest.mark.django_db
def test_change_email_switches_the_login_after_verification(client, sign_in):
    person = UserFactory(email="old@example.org")
    sign_in(client, person.email)
    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.org"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == "old@example.org", "unchanged until verified"
    message = next(m for m in mail.outbox if m.to == ["new@example.org"])

    client.post(_link(CONFIRM_LINK, message))

    person.refresh_from_db()
    assert person.email == "new@example.org"
    assert list(EmailAddress.objects.filter(user=person).values_list("email", flat=True)) == [
        "new@example.org"
    ]


@pytest.mark.django_db
def test_change_password_needs_the_old_one(client, sign_in):
    person = UserFactory()
    sign_in(client, person.email)
    refused = client.post(
        "/accounts/password/change/",
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert refused.status_code == 200
    assert_accessible_page(refused)
    person.refresh_from_db()
    assert person.check_password(PASSWORD)

    changed = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert client.get("/me/").status_code == 200, "still signed in after the change"


@pytest.mark.django_db
def test_the_sixth_failed_login_for_one_email_is_rate_limited(client, sign_in):
    person = UserFactory()
    for _ in range(5):
        response = sign_in(client, person.email, "wrong-password")
        assert "are not correct" in response.content.decode()
    sixth = sign_in(client, person.email, "wrong-password")
    assert sixth.status_code in {200, 429}
    assert "Too many failed login attempts" in sixth.content.decode()
    # Even the right password is refused while the limit holds.
    blocked = sign_in(client, person.email)
    assert "Too many failed login attempts" in blocked.content.decode()
    assert client.get("/me/").status_code == 302


@pytest.mark.django_db
def test_signups_from_one_address_are_limited_per_hour(client):
    for _ in range(20):
        assert client.post("/accounts/signup/", {}).status_code == 200
    response = _signup(client, "late@example.org", NEW_PASSWORD)
    assert response.status_code == 429
    assert_accessible_page(response)
    assert not User.objects.filter(email="late@example.org").exists()


@pytest.mark.django_db
def test_allauth_pages_follow_the_chosen_language(client):
    client.post("/me/language/", {"language": "es", "next": "/accounts/login/"})
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="es">' in html
    assert "Iniciar sesión" in html
    assert "¿Ha olvidado su contraseña?" in html


@pytest.mark.django_db
def test_mails_greet_from_puente(client):
    UserFactory(email="known@example.org")
    client.post("/accounts/password/reset/", {"email": "known@example.org"})
    assert "Hello from Puente!" in mail.outbox[0].body
