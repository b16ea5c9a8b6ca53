"""Brazilian and European Portuguese are two languages: each browser gets its own."""

import re
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from tests.accounts.factories import UserFactory

BRAZILIAN_SKIP_LINK = "Pular para o conteúdo principal"
EUROPEAN_SKIP_LINK = "Saltar para o conteúdo principal"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}|<[^>]+>")
LOCALE = Path(settings.LOCALE_PATHS[0])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept_language", "language", "skip_link"),
    [
        ("pt-BR,pt;q=0.9", "pt-br", BRAZILIAN_SKIP_LINK),
        ("pt-br", "pt-br", BRAZILIAN_SKIP_LINK),
        ("pt-PT", "pt", EUROPEAN_SKIP_LINK),
        ("pt-PT,pt;q=0.9,en;q=0.8", "pt", EUROPEAN_SKIP_LINK),
        ("pt", "pt", EUROPEAN_SKIP_LINK),
        ("pt-AO", "pt", EUROPEAN_SKIP_LINK),
    ],
)
def test_a_browser_gets_the_portuguese_of_its_country(client, accept_language, language, skip_link):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()

    assert f'<html lang="{language}">' in html
    assert skip_link in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cookie", "language", "skip_link"),
    [("pt-br", "pt-br", BRAZILIAN_SKIP_LINK), ("pt", "pt", EUROPEAN_SKIP_LINK)],
)
def test_the_language_cookie_beats_the_browser(client, cookie, language, skip_link):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    accept_language = "pt-PT" if cookie == "pt-br" else "pt-BR"

    html = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()

    assert f'<html lang="{language}">' in html
    assert skip_link in html


@pytest.mark.django_db
def test_a_brazilian_preference_beats_a_portuguese_browser(client):
    client.force_login(UserFactory(preferred_language="pt-br"))

    response = client.get("/", HTTP_ACCEPT_LANGUAGE="pt-PT")

    html = response.content.decode()
    assert '<html lang="pt-br">' in html
    assert BRAZILIAN_SKIP_LINK in html
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pt-br"


@pytest.mark.django_db
def test_the_switcher_sets_brazilian_portuguese_and_remembers_it(client):
    person = UserFactory(preferred_language="pt")
    client.force_login(person)

    response = client.post("/me/language/", {"language": "pt-br", "next": "/"})

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pt-br"
    person.refresh_from_db()
    assert person.preferred_language == "pt-br"
    assert BRAZILIAN_SKIP_LINK in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("accept_language", ["en", "pt-BR", "fr"])
def test_the_switcher_names_each_portuguese_in_itself(client, accept_language):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()

    assert re.search(r'value="pt" lang="pt"[^>]*>Português \(Portugal\)</button>', html)
    assert re.search(r'value="pt-br" lang="pt-br"[^>]*>Português \(Brasil\)</button>', html)
    assert re.search(r'value="es" lang="es"[^>]*>Español</button>', html)


def test_translations_check_reads_the_brazilian_catalogue():
    out = StringIO()

    call_command("translations_check", stdout=out)

    assert re.search(r"pt_BR/LC_MESSAGES/django\.po: \d+ entries, complete", out.getvalue())


def test_the_brazilian_catalogue_has_every_entry_of_the_european_one():
    european = polib.pofile(str(LOCALE / "pt" / "LC_MESSAGES" / "django.po"))
    brazilian = polib.pofile(str(LOCALE / "pt_BR" / "LC_MESSAGES" / "django.po"))

    assert {entry.msgid for entry in brazilian} == {entry.msgid for entry in european}
    assert brazilian.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"


def test_brazilian_translations_keep_every_placeholder():
    catalogue = polib.pofile(str(LOCALE / "pt_BR" / "LC_MESSAGES" / "django.po"))
    broken = []
    for entry in catalogue:
        wanted = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        given = list(entry.msgstr_plural.values())[-1:] if entry.msgid_plural else [entry.msgstr]
        if sorted(PLACEHOLDER.findall(given[0])) != wanted:
            broken.append(entry.msgid)
    assert broken == []
