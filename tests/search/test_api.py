import pytest
from rest_framework.test import APIClient

from tests.api.conftest import assert_error, token_client

pytestmark = pytest.mark.django_db


def test_the_api_groups_what_the_viewer_may_see(search_world):
    body = token_client(search_world.member).get("/api/v1/search/?q=observacao").json()
    assert body["total"] == 5
    assert [group["kind"] for group in body["groups"]] == [
        "partnership",
        "dialogue",
        "statement",
        "agenda_item",
        "initiative",
    ]
    statement = body["groups"][2]["entries"][0]
    assert statement["title"] == "Satélites de observação para a Amazônia"
    assert statement["url"].startswith("http://testserver/partnerships/")
    assert APIClient().get("/api/v1/search/?q=observacao").json()["total"] == 0


def test_the_api_finds_eclac_by_cepal_and_filters_by_kind(search_world):
    body = APIClient().get("/api/v1/search/", {"q": "CEPAL", "kind": "organisation"}).json()
    assert body["groups"][0]["entries"][0]["id"] == search_world.eclac.pk
    assert body["groups"][0]["name"] == "Organisations"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"q": "cepal", "kind": "secret"}, "kind"),
        ({"q": "cepal", "limit": "0"}, "limit"),
        ({"q": "cepal", "limit": "many"}, "limit"),
    ],
)
def test_bad_queries_get_400_naming_the_field(db, query, field):
    assert_error(APIClient().get("/api/v1/search/", query), 400, field)


def test_the_endpoint_is_in_the_schema(db):
    schema = (
        APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    )
    operation = schema["paths"]["/api/v1/search/"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"q", "kind", "limit"}
    assert "400" in operation["responses"]


@pytest.mark.parametrize("text", ["%", "0", "a", " _ "])
def test_a_query_without_two_letters_or_digits_finds_nothing(db, text):
    response = APIClient().get("/api/v1/search/", {"q": text})

    assert response.status_code == 200
    assert (response.json()["total"], response.json()["groups"]) == (0, [])
