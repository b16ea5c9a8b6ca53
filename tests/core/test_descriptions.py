"""Descriptions are Markdown: rendered and sanitised on their pages, plain excerpts on cards."""

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import translation

from puente.dialogues.forms import DialogueForm
from puente.partnerships.forms import PartnershipForm
from puente.stakeholders.forms import OrganisationForm
from tests.accounts.factories import UserFactory
from tests.dialogues.factories import DialogueFactory
from tests.partnerships.factories import PartnershipFactory
from tests.stakeholders.factories import OrganisationFactory

DESCRIPTION = (
    "Our aims:\n\n"
    "- *open* data\n"
    "- **shared** [BELLA](https://bella.example/) links\n\n"
    '<script>alert(1)</script> <img src=x onerror="alert(2)">'
)
# What a reader sees of it once rendered: the words, no markup.
EXCERPT = "Our aims: open data shared BELLA links"


def _assert_rendered_and_sanitised(html: str) -> None:
    assert "<li><em>open</em> data</li>" in html
    assert "<strong>shared</strong>" in html
    assert '<a href="https://bella.example/" rel="nofollow noopener">BELLA</a>' in html
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as the text it is
    assert "- *open*" not in html


def _assert_plain_excerpt(html: str) -> None:
    assert EXCERPT in html
    for markup in ["- *open*", "**shared**", "[BELLA]", "<em>open", "<li>", "<script>alert"]:
        assert markup not in html


@pytest.mark.django_db
def test_an_organisation_page_renders_its_description_as_markdown():
    organisation = OrganisationFactory(description=DESCRIPTION)
    response = Client().get(organisation.get_absolute_url())
    assert response.status_code == 200
    _assert_rendered_and_sanitised(response.text)


@pytest.mark.django_db
def test_a_partnership_page_renders_its_description_as_markdown():
    partnership = PartnershipFactory(description=DESCRIPTION)
    response = Client().get(partnership.get_absolute_url())
    assert response.status_code == 200
    _assert_rendered_and_sanitised(response.text)


@pytest.mark.django_db
def test_a_dialogue_page_renders_its_description_as_markdown():
    dialogue = DialogueFactory(description=DESCRIPTION)
    response = Client().get(dialogue.get_absolute_url())
    assert response.status_code == 200
    _assert_rendered_and_sanitised(response.text)


@pytest.mark.django_db
def test_the_directory_cards_show_a_plain_excerpt():
    OrganisationFactory(description=DESCRIPTION)
    response = Client().get(reverse("stakeholders:organisation-list"))
    assert response.status_code == 200
    _assert_plain_excerpt(response.text)


@pytest.mark.django_db
def test_the_home_page_cards_show_a_plain_excerpt():
    PartnershipFactory(description=DESCRIPTION)
    response = Client().get(reverse("home"))
    assert response.status_code == 200
    _assert_plain_excerpt(response.text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "factory", "n_words"),
    [
        ("stakeholders:organisation-list", OrganisationFactory, 30),
        ("home", PartnershipFactory, 40),
    ],
)
def test_card_excerpts_are_cut_where_they_were_before(url_name, factory, n_words):
    words = [f"w{i}" for i in range(100)]
    factory(description="- **" + " ".join(words[:10]) + "**\n\n" + " ".join(words[10:]))
    html = Client().get(reverse(url_name)).text
    assert " ".join(words[:n_words]) + " …" in html
    assert words[n_words] not in html.split()
    assert f"{words[n_words - 1]} {words[n_words]}" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "form",
    [
        lambda: OrganisationForm(),
        lambda: PartnershipForm(),
        lambda: DialogueForm(),
    ],
    ids=["organisation", "partnership", "dialogue"],
)
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Markdown", "lists", "links", "*italics*"]),
        ("es", ["Markdown", "listas", "enlaces", "*cursiva*"]),
        ("pt", ["Markdown", "listas", "ligações", "*itálico*"]),
        ("fr", ["Markdown", "listes", "liens", "*italique*"]),
    ],
)
def test_description_fields_say_markdown_is_accepted_in_each_language(form, language, words):
    field: forms.Field = form().fields["description"]
    with translation.override(language):
        help_text = str(field.help_text)
    assert all(word in help_text for word in words), help_text


@pytest.mark.django_db
def test_the_organisation_form_shows_the_markdown_help_in_spanish():
    client = Client()
    client.force_login(UserFactory())
    response = client.get(reverse("stakeholders:organisation-create"), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert "Markdown: **negrita**, *cursiva*, listas y enlaces." in response.text
