import pytest

from puente.stakeholders.models import Organisation
from tests.api.conftest import assert_error
from tests.stakeholders.factories import OrganisationFactory

EMPTY = [
    ("/api/v1/organisations/", "type"),
    ("/api/v1/organisations/", "region"),
    ("/api/v1/organisations/", "country"),
    ("/api/v1/organisations/", "theme"),
    ("/api/v1/organisations/", "verified"),
    ("/api/v1/partnerships/", "visibility"),
    ("/api/v1/memberships/", "status"),
    ("/api/v1/memberships/", "role"),
    ("/api/v1/memberships/", "organisation"),
    ("/api/v1/themes/", "lang"),
    ("/api/v1/countries/", "lang"),
    ("/api/v1/countries/", "region"),
    ("/api/v1/countries/", "ordering"),
]


@pytest.mark.parametrize(("url", "name"), EMPTY)
@pytest.mark.parametrize("value", ["", " "])
def test_a_parameter_given_empty_answers_400_naming_it(world, url, name, value):
    assert_error(world.client("member").get(url, {name: value}), 400, name)


@pytest.mark.parametrize("url", ["/api/v1/organisations/", "/api/v1/partnerships/"])
def test_empty_search_words_search_for_nothing_in_particular(world, url):
    assert world.client("member").get(url, {"q": ""}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["null", "yes", "2", "truth"])
def test_verified_takes_only_true_or_false(client, value):
    assert_error(client.get("/api/v1/organisations/", {"verified": value}), 400, "verified")


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "is_verified"), [("true", True), ("FALSE", False)])
def test_verified_filters_in_any_letter_case(client, value, is_verified):
    OrganisationFactory(name="Checked", is_verified=True)
    OrganisationFactory(name="Unchecked", is_verified=False)
    names = [
        row["name"]
        for row in client.get("/api/v1/organisations/", {"verified": value}).json()["results"]
    ]
    assert names == [Organisation.objects.get(is_verified=is_verified).name]


@pytest.mark.django_db
def test_the_schema_lists_country_codes_and_bounds_search_words(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    parameters = {
        parameter["name"]: parameter["schema"]
        for parameter in schema["paths"]["/api/v1/organisations/"]["get"]["parameters"]
    }
    assert {"DE", "UY", "BR"} <= set(parameters["country"]["items"]["enum"])
    assert parameters["q"] == {"type": "string", "maxLength": 200, "pattern": "^[^\\u0000]*$"}
