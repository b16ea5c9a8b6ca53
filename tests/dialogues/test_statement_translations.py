"""Statement translations: who writes them, what each reader sees, cached rows kept right."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from puente.dialogues.models import StatementTranslation
from puente.dialogues.services import (
    statement_translation_delete,
    statement_translation_save,
    statement_update,
)
from tests.dialogues.factories import StatementFactory

pytestmark = pytest.mark.django_db


def _url(name, dialogue, **kwargs):
    return reverse(
        f"dialogues:{name}",
        kwargs={"partnership_slug": dialogue.partnership.slug, "slug": dialogue.slug, **kwargs},
    )


@pytest.fixture
def statement(world):
    return StatementFactory(
        dialogue=world.dialogue,
        author=world.person("member"),
        text="Connect every school",
        details="With **fibre**.",
        language="en",
    )


@pytest.mark.parametrize(
    ("role", "may"),
    [
        ("stranger", False),
        ("outsider", False),
        ("member", True),  # the author
        ("facilitator", True),
        ("admin", True),
    ],
)
def test_the_author_and_the_moderators_translate_a_statement(world, statement, role, may):
    person = world.person(role)
    if not may:
        with pytest.raises(PermissionDenied):
            statement_translation_save(
                actor=person, statement=statement, language="es", text="Conectar"
            )
        with pytest.raises(PermissionDenied):
            statement_translation_delete(actor=person, statement=statement, language="es")
        return
    saved = statement_translation_save(
        actor=person, statement=statement, language="es", text="  Conectar   cada escuela "
    )
    assert (saved.text, saved.translated_by) == ("Conectar cada escuela", person)


@pytest.mark.parametrize(
    ("language", "text", "field"),
    [("en", "Same language", "language"), ("es", "", "text"), ("es", "x" * 301, "text")],
)
def test_a_bad_statement_translation_is_refused_on_its_field(
    world, statement, language, text, field
):
    with pytest.raises(ValidationError) as error:
        statement_translation_save(
            actor=world.person("member"), statement=statement, language=language, text=text
        )

    assert field in error.value.error_dict
    assert not StatementTranslation.objects.exists()


def test_a_statement_cannot_move_to_the_language_of_one_of_its_translations(world, statement):
    facilitator = world.person("facilitator")
    statement_translation_save(actor=facilitator, statement=statement, language="fr", text="Relier")

    with pytest.raises(ValidationError) as error:
        statement_update(actor=facilitator, statement=statement, language="fr")

    assert "language" in error.value.error_dict


def test_a_spanish_reader_sees_the_spanish_statement_and_details(world, statement, client):
    StatementTranslation.objects.create(
        statement=statement, language="es", text="Conectar cada escuela", details="Con **fibra**."
    )

    page = client.get(
        _url("statement-detail", world.dialogue, pk=statement.pk), HTTP_ACCEPT_LANGUAGE="es"
    )

    assert 'lang="es">Conectar cada escuela</h1>' in page.text
    assert (
        '<div class="statement-details" lang="es"><p>Con <strong>fibra</strong>.</p>' in page.text
    )
    assert "Traducido del inglés" in page.text


def test_a_french_reader_sees_the_original_statement_marked(world, statement, client):
    page = client.get(_url("statement-list", world.dialogue), HTTP_ACCEPT_LANGUAGE="fr")

    assert 'lang="en">Connect every school</a>' in page.text
    assert "Original en anglais" in page.text


def test_a_cached_row_shows_a_translation_as_soon_as_it_is_saved_changed_or_deleted(
    world, statement, client
):
    url = _url("statement-list", world.dialogue)
    author = world.person("member")
    assert "Connect every school" in client.get(url, HTTP_ACCEPT_LANGUAGE="es").text

    statement_translation_save(actor=author, statement=statement, language="es", text="Conectar")
    assert 'lang="es">Conectar</a>' in client.get(url, HTTP_ACCEPT_LANGUAGE="es").text

    statement_translation_save(actor=author, statement=statement, language="es", text="Unir")
    assert 'lang="es">Unir</a>' in client.get(url, HTTP_ACCEPT_LANGUAGE="es").text

    statement_translation_delete(actor=author, statement=statement, language="es")
    assert 'lang="en">Connect every school</a>' in client.get(url, HTTP_ACCEPT_LANGUAGE="es").text
    # The English row was never replaced by the Spanish one.
    assert 'lang="en">Connect every school</a>' in client.get(url, HTTP_ACCEPT_LANGUAGE="en").text


def test_the_author_translates_from_the_statement_page(world, statement, client_as):
    client = client_as(world.person("member"))
    detail = client.get(_url("statement-detail", world.dialogue, pk=statement.pk))
    translations_url = _url("statement-translations", world.dialogue, pk=statement.pk)
    assert translations_url in detail.text

    refused = client.post(translations_url, {"language": "pt", "text": "x" * 301})
    added = client.post(translations_url, {"language": "pt", "text": "Ligar cada escola"})

    assert refused.status_code == 400
    assert refused.context["form"].errors["text"]
    assert added.status_code == 302
    assert statement.translations.get().text == "Ligar cada escola"


@pytest.mark.parametrize(
    ("role", "status"), [("stranger", 403), ("outsider", 403), ("visitor", 302)]
)
def test_others_cannot_open_the_statement_translation_pages(
    world, statement, client_as, role, status
):
    url = _url("statement-translations", world.dialogue, pk=statement.pk)

    assert client_as(world.person(role)).get(url).status_code == status
