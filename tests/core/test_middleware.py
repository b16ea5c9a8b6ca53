import re

import pytest
from django.test import Client
from django.urls import path

from puente import urls as puente_urls
from tests.accounts.factories import UserFactory
from tests.api.conftest import token_client
from tests.stakeholders.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/organisations/", "/partnerships/", "/privacy/", "/accounts/login/"]
API = ["/api/v1/organisations/", "/api/v1/themes/", "/api/v1/docs/", "/api/v1/redoc/"]


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize("url", PUBLIC_PAGES + API)
def test_pages_and_api_send_a_csp_that_allows_no_inline_script(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_pages_allow_no_inline_style_either(client, url):
    policy = _directives(client.get(url)["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["style-src"]


@pytest.mark.parametrize("url", PUBLIC_PAGES + API)
def test_pages_and_api_send_a_permissions_policy_that_turns_off_devices(client, url):
    policy = client.get(url)["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_the_csrf_cookie_is_http_only_and_the_page_hands_its_token_to_htmx(client):
    response = client.get("/accounts/login/")
    cookie = response.cookies["csrftoken"]
    assert cookie["httponly"] is True
    assert re.search(
        r"<body hx-headers='\{\"X-CSRFToken\": \"[A-Za-z0-9]{64}\"\}'>", response.content.decode()
    )


def test_the_swagger_start_up_script_carries_the_csrf_token_for_try_it_out(client):
    client.force_login(UserFactory())
    script = client.get("/api/v1/docs/", {"script": ""})
    assert script["Content-Type"].startswith("application/javascript")
    token = re.search(
        r'request\.headers\["X-CSRFTOKEN"\] = "([A-Za-z0-9]{64})"', script.content.decode()
    )
    assert token is not None
    # The token from the script, with the session cookie alone, passes the CSRF check.
    client.handler.enforce_csrf_checks = True
    response = client.post(
        "/api/v1/memberships/",
        {"organisation": OrganisationFactory().slug},
        content_type="application/json",
        headers={"X-CSRFToken": token.group(1)},
    )
    assert response.status_code == 201, response.content


def _signed_in() -> tuple[Client, str]:
    membership = MembershipFactory(role="admin")
    client = Client()
    client.force_login(membership.person)
    return client, membership.organisation.get_absolute_url()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/me/",
        "/me/data.json",
        "/organisations/mine/",
        "{org}members/",
        "{org}",
        "/accounts/email/",
        "/accounts/password/change/",
    ],
)
def test_pages_shown_to_a_signed_in_person_are_never_stored(path):
    client, organisation_url = _signed_in()
    response = client.get(path.format(org=organisation_url))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_api_answers_to_a_token_are_never_stored():
    response = token_client(UserFactory()).get("/api/v1/memberships/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_account_pages_are_never_stored_even_before_signing_in(client, path):
    assert "no-store" in client.get(path)["Cache-Control"]


@pytest.mark.parametrize("path", ["/", "/organisations/", "/api/v1/organisations/"])
def test_public_pages_for_visitors_stay_cacheable(client, path):
    assert "Cache-Control" not in client.get(path)


def _broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", _broken), *puente_urls.urlpatterns]
handler500 = puente_urls.handler500


@pytest.mark.urls(__name__)
def test_the_500_page_styles_itself_with_the_nonce_of_its_policy():
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    nonce = re.search(r'<style nonce="([^"]+)">', response.content.decode())
    assert nonce is not None
    assert (
        f"'nonce-{nonce.group(1)}'" in _directives(response["Content-Security-Policy"])["style-src"]
    )
    assert "style=" not in response.content.decode()


def test_the_browsable_api_allows_inline_styles_but_no_inline_script(client):
    response = client.get("/api/v1/organisations/", headers={"Accept": "text/html"})
    assert response["Content-Type"].startswith("text/html")
    policy = _directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["script-src"] == ["'self'"]
    json_policy = _directives(client.get("/api/v1/organisations/")["Content-Security-Policy"])
    assert "'unsafe-inline'" not in json_policy["style-src"]
