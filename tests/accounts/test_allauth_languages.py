"""Every allauth page a person meets, in Spanish: in our layout, with no English left over."""

import re
from html import unescape

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import trans_real

from tests.accounts.factories import UserFactory

# Pages for anyone, then pages for a signed-in person; the keys and tokens are made up, so that
# the pages that take them show their "bad link" state.
ANONYMOUS = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/1-set-password/",
    "/accounts/confirm-email/",
    "/accounts/confirm-email/not-a-real-key/",
]
SIGNED_IN = [
    "/accounts/logout/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/reauthenticate/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
]
# Words that read the same in Spanish, and the product's own names.
SAME_IN_SPANISH = {"Puente", "Email", "API", "TOTP"}


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _english_left(text: str) -> list[str]:
    """Return the catalogued English sentences that appear as they are in the Spanish page."""
    with translation.override("es"):
        # Django merges every app's catalogue (ours, allauth's, its own) into this one.
        catalogue = trans_real.translation("es")._catalog  # type: ignore[attr-defined]  # private
        left = []
        for msgid, msgstr in catalogue.items():
            if not isinstance(msgid, str) or "%" in msgid or msgid == msgstr:
                continue
            if len(msgid.split()) >= 3 and msgid not in SAME_IN_SPANISH and msgid in text:
                left.append(msgid)
    return left


def _assert_in_our_layout_in_spanish(response) -> None:
    html = response.content.decode()
    assert '<html lang="es">' in html
    # base.html's landmarks: the skip link, the site header and the main element.
    assert 'class="skip-link"' in html
    assert 'class="site-header"' in html
    assert '<main id="main"' in html
    assert _english_left(_visible_text(html)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ANONYMOUS)
def test_every_entrance_page_is_in_our_layout_and_in_spanish(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="es", follow=True)

    assert response.status_code == 200
    _assert_in_our_layout_in_spanish(response)


@pytest.mark.django_db
@pytest.mark.parametrize("url", SIGNED_IN)
def test_every_account_page_is_in_our_layout_and_in_spanish(client, url):
    client.force_login(UserFactory())

    response = client.get(url, HTTP_ACCEPT_LANGUAGE="es", follow=True)

    assert response.status_code == 200
    _assert_in_our_layout_in_spanish(response)


@pytest.mark.django_db
def test_the_password_reset_mail_speaks_spanish_and_for_puente(client):
    UserFactory(email="ana@example.org")

    client.post(
        "/accounts/password/reset/", {"email": "ana@example.org"}, HTTP_ACCEPT_LANGUAGE="es"
    )

    message = mail.outbox[0]
    assert message.subject.startswith("[Puente] ")
    assert "¡Saludos desde Puente!" in message.body
    assert _english_left(str(message.body)) == []


@pytest.mark.django_db
def test_the_check_finds_english_on_the_english_page(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")

    assert _english_left(_visible_text(response.content.decode()))
