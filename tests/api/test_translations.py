"""Translations through the API: read with the content, written by those who may edit it."""

import pytest

from puente.dialogues.models import Dialogue, StatementTranslation
from puente.partnerships.models import PartnershipTranslation
from puente.stakeholders.models import OrganisationTranslation
from tests.api.conftest import assert_error
from tests.dialogues.factories import DialogueFactory, StatementFactory

ORGANISATION = "/api/v1/organisations/eclac/"
PARTNERSHIP = "/api/v1/partnerships/eu-lac-digital-alliance/"


@pytest.fixture
def statement(world):
    dialogue = DialogueFactory(
        partnership=world.partnership,
        slug="shared-priorities",
        participation=Dialogue.Audience.MEMBERS,
    )
    return StatementFactory(
        dialogue=dialogue, author=world.people["member"], text="Open data for all.", language="en"
    )


def _statement_url(statement, rest=""):
    return f"{PARTNERSHIP}dialogues/shared-priorities/statements/{statement.pk}/{rest}"


def test_the_organisation_shows_its_description_language_and_translations(world):
    OrganisationTranslation.objects.create(
        organisation=world.organisation, language="es", description="Comisión."
    )

    body = world.client("visitor").get(ORGANISATION).json()

    assert body["description_language"] == "en"
    assert [(t["language"], t["description"]) for t in body["translations"]] == [
        ("es", "Comisión.")
    ]
    listed = world.client("visitor").get("/api/v1/organisations/").json()["results"][0]
    assert listed["translations"][0]["language"] == "es"


def test_an_organisation_admin_puts_and_deletes_a_translation(world):
    client = world.client("org_admin")

    created = client.put(f"{ORGANISATION}translations/es/", {"description": "Uno."}, format="json")
    replaced = client.put(f"{ORGANISATION}translations/es/", {"description": "Dos."}, format="json")

    assert created.status_code == replaced.status_code == 200
    assert replaced.json()["description"] == "Dos."
    assert OrganisationTranslation.objects.get().description == "Dos."
    assert client.delete(f"{ORGANISATION}translations/es/").status_code == 204
    assert not OrganisationTranslation.objects.exists()


@pytest.mark.parametrize(
    ("language", "body", "field"),
    [
        ("en", {"description": "The original's language."}, "language"),
        ("xx", {"description": "Unknown."}, "language"),
        ("es", {"description": ""}, "description"),
        ("es", {}, "description"),
        ("es", {"description": "a" * 5001}, "description"),
    ],
)
def test_a_bad_translation_is_400_naming_the_field(world, language, body, field):
    response = world.client("org_admin").put(
        f"{ORGANISATION}translations/{language}/", body, format="json"
    )

    assert_error(response, 400, field)
    assert not OrganisationTranslation.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("visitor", 401), ("member", 403), ("stranger", 403)])
def test_only_the_organisation_s_editors_write_translations(world, role, status):
    client = world.client(role)

    assert client.put(f"{ORGANISATION}translations/es/", {"description": "No."}).status_code == (
        status
    )
    assert client.delete(f"{ORGANISATION}translations/es/").status_code == status


def test_a_facilitator_translates_the_partnership_and_readers_see_it(world):
    response = world.client("facilitator").put(
        f"{PARTNERSHIP}translations/pt-br/", {"description": "Aliança."}, format="json"
    )

    assert response.status_code == 200
    body = world.client("visitor").get(PARTNERSHIP).json()
    assert body["description_language"] == "en"
    assert body["translations"] == [
        {
            "language": "pt-br",
            "description": "Aliança.",
            "updated_at": PartnershipTranslation.objects.get()
            .updated_at.isoformat()
            .replace("+00:00", "Z"),
        }
    ]
    assert_error(
        world.client("org_admin").put(f"{PARTNERSHIP}translations/es/", {"description": "No."}),
        403,
    )


def test_the_author_translates_a_statement_and_others_may_not(world, statement):
    url = _statement_url(statement, "translations/es/")

    saved = world.client("member").put(
        url, {"text": "Datos abiertos para todos.", "details": "*Sí*."}, format="json"
    )
    refused = world.client("org_admin").put(url, {"text": "No."}, format="json")

    assert saved.status_code == 200
    assert refused.status_code == 403
    body = world.client("visitor").get(_statement_url(statement)).json()
    assert body["language"] == "en"
    assert [(t["language"], t["text"], t["details"]) for t in body["translations"]] == [
        ("es", "Datos abiertos para todos.", "*Sí*.")
    ]


def test_a_facilitator_translates_a_statement_and_a_too_long_one_is_refused(world, statement):
    client = world.client("facilitator")
    url = _statement_url(statement, "translations/fr/")

    assert_error(client.put(url, {"text": "x" * 301}, format="json"), 400, "text")
    assert client.put(url, {"text": "Données ouvertes."}, format="json").status_code == 200
    assert client.delete(url).status_code == 204
    assert not StatementTranslation.objects.exists()


def test_the_schema_gives_the_translation_language_as_an_enum(world):
    schema = world.client("visitor").get("/api/v1/schema/?format=json").json()

    path = schema["paths"]["/api/v1/organisations/{slug}/translations/{language}/"]
    language = next(p for p in path["put"]["parameters"] if p["name"] == "language")
    assert language["schema"]["enum"] == ["en", "es", "pt", "pt-br", "fr"]
