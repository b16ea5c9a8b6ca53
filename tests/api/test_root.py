from urllib.parse import urlsplit

import pytest
from rest_framework.test import APIClient

from puente.api.views.root import ENTRY_POINTS
from tests.api.conftest import assert_error

ROOT = "/api/v1/"
# Every entry point reads freely but the signed-in person's own memberships.
SIGNED_IN_ONLY = {"memberships"}
# The schema and its documentation pages are not operations of the schema.
DOCUMENTATION = {"schema", "docs", "redoc"}


@pytest.mark.django_db
def test_the_root_answers_anonymous_readers_with_json():
    response = APIClient().get(ROOT)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_the_root_lists_the_collections_the_schema_and_the_docs_as_absolute_urls():
    body = APIClient().get(ROOT).json()
    assert list(body) == list(ENTRY_POINTS)
    assert {
        "organisations",
        "partnerships",
        "initiatives",
        "places",
        "exchange_rates",
        "schema",
        "docs",
    } <= set(body)
    assert body["organisations"] == "http://testserver/api/v1/organisations/"
    assert body["exchange_rates"] == "http://testserver/api/v1/exchange-rates/"
    assert all(url.startswith("http://testserver/api/v1/") for url in body.values())


@pytest.mark.parametrize("name", list(ENTRY_POINTS))
def test_each_entry_point_answers_an_anonymous_get(world, name):
    url = APIClient().get(ROOT).json()[name]
    response = APIClient().get(url)
    if name in SIGNED_IN_ONLY:
        assert_error(response, 401)
        assert response["WWW-Authenticate"] == "Token"
    else:
        assert response.status_code == 200, (name, response.content[:200])


@pytest.mark.parametrize("name", sorted(SIGNED_IN_ONLY))
def test_the_signed_in_entry_points_answer_a_signed_in_person(world, name):
    client = world.client("member")
    url = client.get(ROOT).json()[name]
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_root_and_each_collection_it_lists_are_in_the_schema():
    schema = (
        APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    )
    root = schema["paths"][ROOT]["get"]
    assert root["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ApiRoot"
    }
    assert set(schema["components"]["schemas"]["ApiRoot"]["properties"]) == set(ENTRY_POINTS)
    body = APIClient().get(ROOT).json()
    for name, url in body.items():
        if name not in DOCUMENTATION:
            assert urlsplit(url).path in schema["paths"], name


def test_the_root_refuses_writes_in_the_api_format(world):
    assert_error(world.client("visitor").post(ROOT, {}, format="json"), 401)
    assert_error(world.client("member").post(ROOT, {}, format="json"), 405)
