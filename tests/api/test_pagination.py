import pytest

from tests.api.conftest import assert_error
from tests.stakeholders.factories import OrganisationFactory

LISTS = [
    "/api/v1/organisations/",
    "/api/v1/partnerships/",
    "/api/v1/themes/",
    "/api/v1/countries/",
    "/api/v1/memberships/",
]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("value", ["0", "-1", "abc", "", "1.5", "last", "\u0661", "1_0"])
@pytest.mark.parametrize("name", ["page", "page_size"])
def test_a_page_parameter_that_is_not_a_number_from_1_answers_400_naming_it(
    world, url, value, name
):
    assert_error(world.client("member").get(url, {name: value}), 400, name)


@pytest.mark.parametrize("url", LISTS)
def test_a_page_past_the_end_answers_404(world, url):
    assert_error(world.client("member").get(url, {"page": "9" * 40}), 404)


def test_leading_zeros_and_surrounding_spaces_are_still_numbers(world):
    response = world.client("member").get(
        "/api/v1/countries/", {"page": " 002", "page_size": "010"}
    )
    assert response.status_code == 200
    assert len(response.json()["results"]) == 10
    assert "page=3" in response.json()["next"]


@pytest.mark.django_db
def test_a_page_size_over_100_gives_100(client):
    OrganisationFactory.create_batch(3)
    response = client.get("/api/v1/countries/", {"page_size": "9" * 40})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 100


@pytest.mark.django_db
def test_the_schema_documents_pages_from_1_and_their_errors(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for url in LISTS:
        operation = schema["paths"][url]["get"]
        parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
        assert parameters["page"]["schema"] == {"type": "integer", "minimum": 1}
        assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1}
        assert {"400", "404"} <= set(operation["responses"])
