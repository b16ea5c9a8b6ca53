import pytest
from django.core.management import call_command
from rest_framework.test import APIClient


def test_the_schema_generates_and_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in [
        "/api/v1/",
        "/api/v1/organisations/{slug}/verify/",
        "/api/v1/partnerships/{slug}/facilitators/{person_id}/",
        "/api/v1/memberships/{membership_id}/role/",
        "/api/v1/invitations/accept/",
        "/api/v1/partnerships/{slug}/facilitator-invitations/{invitation_id}/",
        "/api/v1/facilitator-invitations/accept/",
        "/api/v1/themes/",
        "/api/v1/countries/",
        "/api/v1/auth/token/session/",
    ]:
        assert f"  {path}:" in text


@pytest.mark.django_db
def test_the_schema_is_served_as_openapi_3():
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    body = response.json()
    assert body["openapi"].startswith("3.")
    assert "Error" in body["components"]["schemas"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_documentation_pages_load_their_assets_from_this_server(url):
    response = APIClient().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn." not in html
    assert "unpkg" not in html


BROWSABLE = [
    "/api/v1/",
    "/api/v1/organisations/",
    "/api/v1/organisations/eclac/",
    "/api/v1/partnerships/",
    "/api/v1/partnerships/eu-lac-digital-alliance/",
    "/api/v1/memberships/",
    "/api/v1/themes/",
    "/api/v1/countries/",
]


@pytest.mark.parametrize("url", BROWSABLE)
@pytest.mark.parametrize("role", ["visitor", "org_admin"])
def test_read_endpoints_render_in_the_browsable_api_and_answer_options(world, url, role):
    client = world.client(role)
    expected = 401 if role == "visitor" and url.endswith("memberships/") else 200
    assert client.get(url, HTTP_ACCEPT="text/html").status_code == expected
    assert client.options(url).status_code == expected
