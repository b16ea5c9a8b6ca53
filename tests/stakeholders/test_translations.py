"""Translations of organisation descriptions: who writes them, what readers see."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from puente.stakeholders.models import Membership, OrganisationTranslation
from puente.stakeholders.services import (
    organisation_create,
    organisation_translation_delete,
    organisation_translation_save,
    organisation_update,
)
from tests.accounts.factories import AdminFactory, UserFactory
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

SPANISH = "Una agencia que **conecta** ministerios."


@pytest.fixture
def organisation():
    return OrganisationFactory(description="An agency that **connects** ministries.")


@pytest.fixture
def org_admin(organisation):
    person = UserFactory()
    MembershipFactory(
        person=person,
        organisation=organisation,
        role=Membership.Role.ADMIN,
        status=Membership.Status.ACTIVE,
    )
    return person


# Services


def test_the_description_is_taken_to_be_in_the_creator_s_language():
    with translation.override("es"):
        organisation = organisation_create(
            creator=UserFactory(), name="Agencia Nueva", stakeholder_type="public", country="CL"
        )

    assert organisation.description_language == "es"


def test_an_admin_saves_and_replaces_a_translation(organisation, org_admin):
    organisation_translation_save(
        actor=org_admin, organisation=organisation, language="es", description="Primera."
    )
    organisation_translation_save(
        actor=org_admin, organisation=organisation, language="es", description=f" {SPANISH} "
    )

    stored = OrganisationTranslation.objects.get(organisation=organisation)
    assert (stored.language, stored.description, stored.translated_by) == ("es", SPANISH, org_admin)


def test_a_platform_admin_may_translate_and_others_may_not(organisation):
    organisation_translation_save(
        actor=AdminFactory(), organisation=organisation, language="fr", description="Une agence."
    )
    member = UserFactory()
    MembershipFactory(person=member, organisation=organisation, status=Membership.Status.ACTIVE)

    for person in (member, UserFactory()):
        with pytest.raises(PermissionDenied):
            organisation_translation_save(
                actor=person, organisation=organisation, language="es", description="No."
            )
        with pytest.raises(PermissionDenied):
            organisation_translation_delete(actor=person, organisation=organisation, language="fr")
    assert list(organisation.translations.values_list("language", flat=True)) == ["fr"]


@pytest.mark.parametrize(
    ("language", "description", "field"),
    [
        ("en", "Same language as the original.", "language"),
        ("xx", "Unknown language.", "language"),
        ("es", "   ", "description"),
        ("es", "a" * 5001, "description"),
    ],
)
def test_a_bad_translation_is_refused_on_its_field_and_nothing_is_stored(
    organisation, org_admin, language, description, field
):
    with pytest.raises(ValidationError) as error:
        organisation_translation_save(
            actor=org_admin, organisation=organisation, language=language, description=description
        )

    assert field in error.value.error_dict
    assert not OrganisationTranslation.objects.exists()


def test_the_database_holds_one_translation_per_language(organisation):
    OrganisationTranslation.objects.create(
        organisation=organisation, language="es", description="A"
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationTranslation.objects.create(
            organisation=organisation, language="es", description="B"
        )


def test_the_original_cannot_move_to_a_language_that_has_a_translation(organisation, org_admin):
    organisation_translation_save(
        actor=org_admin, organisation=organisation, language="es", description=SPANISH
    )

    with pytest.raises(ValidationError) as error:
        organisation_update(actor=org_admin, organisation=organisation, description_language="es")

    assert "description_language" in error.value.error_dict
    organisation.refresh_from_db()
    assert organisation.description_language == "en"


def test_a_deleted_translation_is_gone(organisation, org_admin):
    organisation_translation_save(
        actor=org_admin, organisation=organisation, language="es", description=SPANISH
    )

    organisation_translation_delete(actor=org_admin, organisation=organisation, language="es")

    assert not organisation.translations.exists()


# Pages


def test_a_spanish_reader_sees_the_spanish_translation_marked(client, organisation):
    OrganisationTranslation.objects.create(
        organisation=organisation, language="es", description=SPANISH
    )

    response = client.get(organisation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es")

    assert '<div lang="es"><p>Una agencia que <strong>conecta</strong> ministerios.</p>' in (
        response.text
    )
    assert "Traducido del inglés" in response.text
    assert "connects" not in response.text


def test_a_french_reader_without_a_french_translation_sees_the_original_marked(
    client, organisation
):
    OrganisationTranslation.objects.create(
        organisation=organisation, language="es", description=SPANISH
    )

    response = client.get(organisation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")

    assert '<div lang="en"><p>An agency that <strong>connects</strong>' in response.text
    assert "Original en anglais" in response.text


def test_an_english_reader_sees_the_original_unmarked(client, organisation):
    response = client.get(organisation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    assert '<div lang="en">' in response.text
    assert "Original in English" not in response.text


def test_the_directory_shows_the_reader_s_translation_and_finds_it(client, organisation):
    OrganisationTranslation.objects.create(
        organisation=organisation, language="es", description="Conecta ministerios."
    )
    url = reverse("stakeholders:organisation-list")

    response = client.get(url, {"q": "conecta"}, HTTP_ACCEPT_LANGUAGE="es")

    assert list(response.context["page"].object_list) == [organisation]
    assert '<p class="mb-1" lang="es">Conecta ministerios.</p>' in response.text


def test_a_translation_in_markdown_is_sanitised(client, organisation):
    OrganisationTranslation.objects.create(
        organisation=organisation,
        language="es",
        description="<script>alert(1)</script> [x](javascript:alert(1))",
    )

    response = client.get(organisation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es")

    assert "<script>alert(1)" not in response.text
    assert "javascript:" not in response.text


def _translations_url(organisation, *parts):
    if not parts:
        return reverse("stakeholders:organisation-translations", args=[organisation.slug])
    name = "organisation-translation-edit" if len(parts) == 1 else "organisation-translation-delete"
    return reverse(f"stakeholders:{name}", args=[organisation.slug, parts[0]])


def test_an_admin_adds_edits_and_deletes_a_translation_in_the_pages(
    client, organisation, org_admin
):
    client.force_login(org_admin)
    page = client.get(_translations_url(organisation))
    offered = [code for code, _name in page.context["form"].fields["language"].choices]
    assert offered == ["", "es", "pt", "pt-br", "fr"]

    added = client.post(_translations_url(organisation), {"language": "es", "description": "Uno."})
    assert added.status_code == 302
    listed = client.get(_translations_url(organisation))
    assert "es" not in [code for code, _ in listed.context["form"].fields["language"].choices]
    assert _translations_url(organisation, "es") in listed.text

    edited = client.post(_translations_url(organisation, "es"), {"description": SPANISH})
    assert edited.status_code == 302
    assert organisation.translations.get().description == SPANISH

    confirm = client.get(_translations_url(organisation, "es", "delete"))
    assert confirm.status_code == 200
    assert organisation.translations.exists()
    deleted = client.post(_translations_url(organisation, "es", "delete"))
    assert deleted.status_code == 302
    assert not organisation.translations.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"language": "en", "description": "Same as the original."}, "language"),
        ({"language": "xx", "description": "Unknown."}, "language"),
        ({"language": "es", "description": ""}, "description"),
    ],
)
def test_a_bad_translation_gets_a_field_error_and_400(client, organisation, org_admin, data, field):
    client.force_login(org_admin)

    response = client.post(_translations_url(organisation), data)

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not organisation.translations.exists()


def test_the_translation_pages_are_for_editors_only(client, organisation):
    OrganisationTranslation.objects.create(
        organisation=organisation, language="es", description="A"
    )
    urls = [
        _translations_url(organisation),
        _translations_url(organisation, "es"),
        _translations_url(organisation, "es", "delete"),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(UserFactory())
    for url in urls:
        assert client.get(url).status_code == 403
        assert client.post(url, {"language": "fr", "description": "Non."}).status_code == 403
    assert list(organisation.translations.values_list("description", flat=True)) == ["A"]


def test_a_missing_translation_s_pages_are_not_found(client, organisation, org_admin):
    client.force_login(org_admin)

    assert client.get(_translations_url(organisation, "es")).status_code == 404
    assert client.post(_translations_url(organisation, "es", "delete")).status_code == 404


def test_the_edit_page_keeps_the_language_of_the_description(client, organisation, org_admin):
    client.force_login(org_admin)
    data = {
        "name": organisation.name,
        "stakeholder_type": organisation.stakeholder_type,
        "country": "CL",
        "description": "Una agencia.",
        "description_language": "es",
    }

    response = client.post(
        reverse("stakeholders:organisation-edit", args=[organisation.slug]), data
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.description_language == "es"
