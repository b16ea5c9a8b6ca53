"""Translations of partnership descriptions: who writes them, what readers see."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from puente.partnerships.models import PartnershipTranslation
from puente.partnerships.services import (
    partnership_create,
    partnership_translation_delete,
    partnership_translation_save,
    partnership_update,
)
from tests.accounts.factories import AdminFactory

PORTUGUESE = "Uma parceria **digital** entre continentes."


@pytest.mark.django_db
def test_the_description_is_taken_to_be_in_the_opener_s_language():
    with translation.override("pt-br"):
        partnership = partnership_create(actor=AdminFactory(), title="Nova parceria")

    assert partnership.description_language == "pt-br"


@pytest.mark.parametrize(
    ("role", "may"),
    [
        ("stranger", False),
        ("member", False),
        ("other_facilitator", False),
        ("facilitator", True),
        ("admin", True),
    ],
)
def test_facilitators_and_platform_admins_translate_the_description(world, role, may):
    person = world.person(role)
    if not may:
        with pytest.raises(PermissionDenied):
            partnership_translation_save(
                actor=person, partnership=world.public, language="pt", description=PORTUGUESE
            )
        return
    partnership_translation_save(
        actor=person, partnership=world.public, language="pt", description=PORTUGUESE
    )
    partnership_translation_delete(actor=person, partnership=world.public, language="pt")
    assert not world.public.translations.exists()


def test_a_translation_in_the_original_language_is_refused(world):
    with pytest.raises(ValidationError) as error:
        partnership_translation_save(
            actor=world.person("facilitator"),
            partnership=world.public,
            language="en",
            description="Same.",
        )

    assert "language" in error.value.error_dict


def test_the_original_cannot_move_to_a_translated_language(world):
    facilitator = world.person("facilitator")
    partnership_translation_save(
        actor=facilitator, partnership=world.public, language="pt", description=PORTUGUESE
    )

    with pytest.raises(ValidationError) as error:
        partnership_update(actor=facilitator, partnership=world.public, description_language="pt")

    assert "description_language" in error.value.error_dict
    world.public.refresh_from_db()
    assert world.public.description_language == "en"


def test_a_brazilian_reader_sees_the_portuguese_translation(world, client):
    PartnershipTranslation.objects.create(
        partnership=world.public, language="pt", description=PORTUGUESE
    )

    response = client.get(world.public.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="pt-br")

    assert '<div lang="pt"><p>Uma parceria <strong>digital</strong>' in response.text


def test_the_home_page_shows_the_reader_s_translation(world, client):
    PartnershipTranslation.objects.create(
        partnership=world.public, language="es", description="Una alianza digital."
    )

    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es")

    assert 'lang="es">Una alianza digital.</p>' in response.text


def test_a_facilitator_adds_a_translation_in_the_pages(world, client_as):
    client = client_as(world.person("facilitator"))
    url = reverse("partnerships:partnership-translations", args=[world.public.slug])

    refused = client.post(url, {"language": "en", "description": "Same."})
    added = client.post(url, {"language": "fr", "description": "Un partenariat."})

    assert refused.status_code == 400
    assert refused.context["form"].errors["language"]
    assert added.status_code == 302
    assert world.public.translations.get().language == "fr"


@pytest.mark.parametrize("role", ["visitor", "stranger", "member", "other_facilitator"])
def test_only_those_who_edit_the_partnership_open_its_translation_pages(world, client_as, role):
    url = reverse("partnerships:partnership-translations", args=[world.public.slug])

    response = client_as(world.person(role)).get(url)

    assert response.status_code == (302 if role == "visitor" else 403)
