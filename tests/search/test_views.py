import pytest
from django.test import Client

from puente.search.views import GROUP_SIZE
from tests.stakeholders.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_page_groups_results_by_kind_with_counts(search_world):
    client = Client()
    client.force_login(search_world.member)
    response = client.get("/search/", {"q": "observacao"})
    assert response.status_code == 200
    assert response.templates[0].name == "search/search.html"
    body = response.content.decode()
    for heading in ["Partnerships", "Dialogues", "Statements", "Agenda items", "Initiatives"]:
        assert f'class="h5">{heading} <span class="badge text-bg-secondary">1</span>' in body
    assert "Satélites de observação para a Amazônia" in body


def test_outsiders_get_the_empty_state(search_world):
    response = Client().get("/search/", {"q": "observacao"})
    assert response.status_code == 200
    assert "Nothing matches “observacao”." in response.content.decode()
    assert "Satélites" not in response.content.decode()


def test_htmx_gets_the_results_fragment_only(search_world):
    response = Client().get("/search/", {"q": "cepal"}, headers={"HX-Request": "true"})
    assert response.templates[0].name == "search/_results.html"
    assert "<html" not in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_each_group_is_capped_with_a_link_to_all_of_its_kind(db):
    for n in range(GROUP_SIZE + 2):
        OrganisationFactory(name=f"Telecom regulator {n}")
    body = Client().get("/search/", {"q": "telecom"}).content.decode()
    assert body.count("Telecom regulator") == GROUP_SIZE
    assert "Show all 7 of this kind" in body
    assert "?q=telecom&amp;kind=organisation" in body
    kind_page = Client().get("/search/", {"q": "telecom", "kind": "organisation"})
    assert kind_page.content.decode().count("Telecom regulator") == GROUP_SIZE + 2


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "Type a name, an acronym or a few words to search for."),
        ({"q": ""}, "Type a name, an acronym or a few words to search for."),
        ({"q": "a"}, "This search is too short"),
        ({"q": "%"}, "This search is too short"),
        ({"q": "_"}, "This search is too short"),
    ],
)
def test_empty_or_too_short_queries_say_so(db, query, message):
    response = Client().get("/search/", query)
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "text",
    [
        "x" * 10_000,
        "'; DROP TABLE search_searchentry; --",
        "観測 データ",
        "%_%",
        "a:* & !b",
        "\x00",
    ],
)
def test_no_input_gives_a_server_error(search_world, text):
    response = Client().get("/search/", {"q": text})
    assert response.status_code in {200, 400}


def test_an_unknown_kind_is_a_field_error(search_world):
    response = Client().get("/search/", {"q": "cepal", "kind": "secret"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_page_stays_within_a_query_budget(search_world, django_assert_max_num_queries):
    client = Client()
    client.force_login(search_world.member)
    with django_assert_max_num_queries(12):
        client.get("/search/", {"q": "observacao"})


def test_the_header_has_a_labelled_search_box_in_spanish(db):
    body = Client(headers={"accept-language": "es"}).get("/search/").content.decode()
    assert '<label for="site-search-q" class="visually-hidden">Buscar</label>' in body
    assert 'role="search" aria-label="Búsqueda en el sitio"' in body
