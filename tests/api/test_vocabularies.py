import pytest
from django.utils import translation
from rest_framework.test import APIClient

from puente.core.choices import ThemeCode
from tests.api.conftest import assert_error

THEMES_URL = "/api/v1/themes/"
COUNTRIES_URL = "/api/v1/countries/"


@pytest.mark.django_db
def test_themes_list_every_theme_with_code_and_name():
    response = APIClient().get(THEMES_URL)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["code"] for row in rows] == sorted(ThemeCode.values)
    assert {"code": "ai", "name": "Artificial intelligence"} in rows


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "headers", "language"),
    [
        ("?lang=es", {}, "es"),
        ("", {"HTTP_ACCEPT_LANGUAGE": "pt"}, "pt"),
        ("?lang=fr", {"HTTP_ACCEPT_LANGUAGE": "es"}, "fr"),
    ],
)
def test_theme_names_follow_lang_then_accept_language(query, headers, language):
    response = APIClient().get(THEMES_URL + query, **headers)
    assert response["Content-Language"] == language
    with translation.override(language):
        expected = str(ThemeCode.CONNECTIVITY.label)
    assert {"code": "connectivity", "name": expected} in response.json()["results"]


@pytest.mark.django_db
def test_themes_order_by_code_descending_on_request():
    rows = APIClient().get(f"{THEMES_URL}?ordering=-code").json()["results"]
    assert [row["code"] for row in rows] == sorted(ThemeCode.values, reverse=True)


@pytest.mark.django_db
def test_themes_cost_a_fixed_number_of_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert APIClient().get(THEMES_URL).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", [THEMES_URL, COUNTRIES_URL])
def test_an_unknown_language_answers_400(url):
    assert_error(APIClient().get(f"{url}?lang=xx"), 400, "lang")


@pytest.mark.django_db
def test_countries_give_code_name_and_region():
    response = APIClient().get(f"{COUNTRIES_URL}?page_size=100")
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 249
    rows = {row["code"]: row for row in body["results"]}
    assert rows["AR"] == {"code": "AR", "name": "Argentina", "region": "LAC"}
    assert rows["AT"] == {"code": "AT", "name": "Austria", "region": "EU"}
    assert rows["AU"]["region"] == "OTHER"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "headers", "name"),
    [
        ("?lang=es&region=EU&ordering=code", {}, "Alemania"),
        ("?region=EU&ordering=code", {"HTTP_ACCEPT_LANGUAGE": "fr"}, "Allemagne"),
        ("?region=EU&ordering=code&lang=pt", {"HTTP_ACCEPT_LANGUAGE": "fr"}, "Alemanha"),
    ],
)
def test_country_names_follow_the_language(query, headers, name):
    rows = APIClient().get(COUNTRIES_URL + query, **headers).json()["results"]
    germany = next(row for row in rows if row["code"] == "DE")
    assert germany["name"] == name


@pytest.mark.django_db
def test_countries_filter_by_region_and_order():
    client = APIClient()
    body = client.get(f"{COUNTRIES_URL}?region=EU&ordering=-code&page_size=100").json()
    assert body["count"] == 27
    codes = [row["code"] for row in body["results"]]
    assert codes == sorted(codes, reverse=True)
    names = [row["name"] for row in client.get(f"{COUNTRIES_URL}?region=LAC").json()["results"]]
    assert names[:2] == ["Antigua and Barbuda", "Argentina"]
    names = [
        row["name"]
        for row in client.get(f"{COUNTRIES_URL}?region=LAC&ordering=-name").json()["results"]
    ]
    assert names[0] == "Venezuela"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"), [("region=ASIA", "region"), ("ordering=population", "ordering")]
)
def test_bad_country_parameters_answer_400(query, field):
    assert_error(APIClient().get(f"{COUNTRIES_URL}?{query}"), 400, field)


@pytest.mark.django_db
def test_countries_need_no_database_query(django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        assert APIClient().get(COUNTRIES_URL).status_code == 200
