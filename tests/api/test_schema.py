from typing import Any
from urllib.parse import urlsplit

import jsonschema  # type: ignore[import-untyped]  # no stubs installed
import pytest
from rest_framework.test import APIClient

from tests.api.conftest import assert_error
from tests.stakeholders.factories import OrganisationFactory

# Validators such as schemathesis check the uri format; jsonschema needs a checker for it.
FORMATS = jsonschema.FormatChecker()


def is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(urlsplit(value).scheme and urlsplit(value).netloc)


FORMATS.checkers["uri"] = (is_uri, ())


@pytest.fixture
def schema(db) -> dict[str, Any]:
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    body: dict[str, Any] = response.json()
    return body


def operations(schema: dict[str, Any]):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation


def test_every_operation_documents_401_and_429_in_the_error_format(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        if path != "/api/v1/auth/token/session/":  # takes no token: a session or nothing
            assert "401" in responses, (method, path)
        assert "429" in responses, (method, path)
        for code, response in responses.items():
            if code.startswith("4"):
                body = response["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/Error"}, (method, path, code)


def test_lists_document_400_and_paths_with_parameters_document_404(schema):
    for path, method, operation in operations(schema):
        if method == "GET" and "results" in str(operation["responses"]["200"]):
            assert {"400", "404"} <= set(operation["responses"]), path
        if "{" in path:
            assert "404" in operation["responses"], (method, path)


def test_writes_document_400_and_403(schema):
    for path, method, operation in operations(schema):
        if method in {"POST", "PUT", "PATCH"}:
            assert "400" in operation["responses"], (method, path)
        if method != "GET" and path != "/api/v1/auth/token/":
            assert "403" in operation["responses"], (method, path)


@pytest.mark.parametrize("website", ["", "https://redclara.example", "http://a.example/b?c=d"])
def test_a_website_empty_or_given_matches_the_schema(schema, website):
    organisation = OrganisationFactory(website=website)
    body = APIClient().get(f"/api/v1/organisations/{organisation.slug}/").json()
    assert body["website"] == website
    declared = schema["components"]["schemas"]["OrganisationDetail"]["properties"]["website"]
    jsonschema.validate(body["website"], declared, format_checker=FORMATS)


@pytest.mark.parametrize(
    "website", ["mailto:office@redclara.example", "no address", "https://" + "x" * 300]
)
def test_the_schema_refuses_other_websites_as_the_api_does(schema, world, website):
    declared = schema["components"]["schemas"]["OrganisationUpdateRequest"]["properties"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(website, declared["website"], format_checker=FORMATS)
    response = world.client("org_admin").patch(
        "/api/v1/organisations/eclac/", {"website": website}, format="json"
    )
    assert_error(response, 400, "website")


@pytest.mark.parametrize(
    ("field", "limit"), [("name", 200), ("acronym", 30), ("description", 5000)]
)
def test_max_length_counts_surrounding_whitespace_as_the_schema_does(world, field, limit):
    text = "\n" + "x" * limit
    response = world.client("org_admin").patch(
        "/api/v1/organisations/eclac/", {field: text}, format="json"
    )
    assert_error(response, 400, field)


def test_free_text_parameters_and_bodies_say_they_refuse_nul(schema):
    """Django refuses a NUL character in any text (400): the schema's pattern says so."""
    free_text = [
        (path, parameter["name"], parameter["schema"])
        for path, _method, operation in operations(schema)
        for parameter in operation.get("parameters", [])
        if parameter["schema"].get("type") == "string"
        and not {"enum", "format"} & parameter["schema"].keys()
        and parameter["name"] != "ordering"  # ignored when unknown, NUL included
    ]
    assert ("/api/v1/organisations/", "q") in {(path, name) for path, name, _text in free_text}
    assert all(text["pattern"] == "^[^\\u0000]*$" for _path, _name, text in free_text)
    comment = schema["components"]["schemas"]["CommentCreateRequest"]["properties"]["text"]
    assert jsonschema.Draft202012Validator({"type": "string", **comment}).is_valid("ok")
    assert not jsonschema.Draft202012Validator({"type": "string", **comment}).is_valid("a\x00b")


@pytest.mark.django_db
def test_a_nul_character_in_a_search_is_a_400_naming_it_and_ignored_in_an_ordering(schema):
    response = APIClient().get("/api/v1/organisations/", {"q": "a\x00b"})
    assert_error(response, 400, "q")
    # An unknown ordering, NUL or not, is ignored: the schema must not call it invalid.
    assert APIClient().get("/api/v1/organisations/", {"ordering": "a\x00b"}).status_code == 200
    parameters = schema["paths"]["/api/v1/organisations/"]["get"]["parameters"]
    ordering = next(parameter for parameter in parameters if parameter["name"] == "ordering")
    assert "pattern" not in ordering["schema"]
