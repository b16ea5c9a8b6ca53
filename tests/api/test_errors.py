import json
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.test import Client
from rest_framework import exceptions, serializers

from puente.api.errors import csrf_failure, exception_handler, permission_denied, server_error
from puente.api.views.vocabularies import ThemeListApi
from tests.accounts.factories import UserFactory
from tests.api.conftest import assert_error


class ItemSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=3)


class OrderSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    items = ItemSerializer(many=True)
    tags = serializers.ListField(child=serializers.IntegerField())
    address = ItemSerializer()

    def validate(self, attrs):
        raise serializers.ValidationError("The order as a whole is wrong.")


def handle(exc):
    response = exception_handler(exc, {})
    assert response is not None
    return response.status_code, response.data


def fields_of(data):
    return [(error["field"], error["code"]) for error in data["errors"]]


def test_nested_and_list_errors_get_dotted_and_indexed_paths():
    given = OrderSerializer(
        data={
            "items": [{"name": "ok"}, {"name": "far too long"}],
            "tags": [1, "x", 3, "y"],
            "address": {},
        }
    )
    assert not given.is_valid()
    status, data = handle(exceptions.ValidationError(given.errors))
    assert status == 400
    assert sorted(fields_of(data)) == [
        ("address.name", "required"),
        ("items[1].name", "max_length"),
        ("tags[1]", "invalid"),
        ("tags[3]", "invalid"),
        ("title", "required"),
    ]
    assert data["detail"] == data["errors"][0]["message"]


def test_object_level_errors_have_an_empty_field():
    given = OrderSerializer(data={"title": "t", "items": [], "tags": [], "address": {"name": "ok"}})
    assert not given.is_valid()
    _status, data = handle(exceptions.ValidationError(given.errors))
    assert fields_of(data) == [("", "invalid")]
    assert data["detail"] == "The order as a whole is wrong."


def test_django_validation_errors_keep_field_names_and_codes():
    error = DjangoValidationError(
        {
            "name": DjangoValidationError("Taken.", code="unique"),
            NON_FIELD_ERRORS: DjangoValidationError("Whole thing.", code="conflict"),
        }
    )
    status, data = handle(error)
    assert status == 400
    assert fields_of(data) == [("name", "unique"), ("", "conflict")]


def test_django_validation_errors_without_fields_and_with_params():
    error = DjangoValidationError("Limit is %(n)s.", code="limit", params={"n": 5})
    _status, data = handle(error)
    assert data["errors"] == [{"field": "", "message": "Limit is 5.", "code": "limit"}]


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (Http404("secret detail"), 404, "not_found"),
        (PermissionDenied(), 403, "permission_denied"),
        (exceptions.NotAuthenticated(), 401, "not_authenticated"),
        (exceptions.Throttled(wait=3), 429, "throttled"),
    ],
)
def test_other_errors_share_the_format(exc, status, code):
    response_status, data = handle(exc)
    assert response_status == status
    assert data["errors"] == [{"field": "", "message": data["detail"], "code": code}]
    assert "secret detail" not in data["detail"]


def test_a_permission_message_from_a_service_reaches_the_client():
    _status, data = handle(PermissionDenied("Only admins."))
    assert data["detail"] == "Only admins."


def test_unknown_exceptions_are_left_to_django():
    assert exception_handler(RuntimeError("boom"), {}) is None


# Django's error views: what never reaches DRF answers in the format under /api/.


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/v1/no-such-thing/", "/api/v1/organisations/a/b/c/", "/api/", "/api/v2/x"]
)
def test_unmatched_api_paths_answer_404_in_the_format(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"] == [
        {"field": "", "message": response.json()["detail"], "code": "not_found"}
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/no-such-thing/", "/api/", "/api/v2/x/"])
def test_unmatched_api_paths_answer_in_the_format_in_development_too(client, settings, path):
    # make run sets DEBUG, whose 404 page is HTML: a program calling the demo gets JSON.
    settings.DEBUG = True
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"][0]["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_to_an_unmatched_api_path_answers_404_not_a_csrf_page(method):
    # A path whose slug has characters no endpoint takes, sent without cookies or token.
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(
        "/api/v1/partnerships/alliance/%C3%93a%0BI/", "{}", content_type="application/json"
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_an_api_path_without_its_final_slash_is_still_redirected(client):
    response = client.get("/api/v1/organisations")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/organisations/"


@pytest.mark.django_db
def test_unmatched_website_paths_keep_the_friendly_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_an_unexpected_exception_under_the_api_answers_500_in_the_format(monkeypatch):
    def boom(self, request, *args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(ThemeListApi, "get", boom)
    response = Client(raise_request_exception=False).get("/api/v1/themes/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["errors"] == [{"field": "", "message": body["detail"], "code": "error"}]
    assert "unexpected" not in body["detail"]


@pytest.mark.django_db
def test_a_server_error_on_a_page_keeps_the_friendly_page(rf):
    response = server_error(rf.get("/privacy/"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_a_suspicious_request_under_the_api_answers_400_in_the_format(world, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2
    response = world.client("stranger").post(
        "/api/v1/organisations/", "a=1&b=2&c=3", content_type="application/x-www-form-urlencoded"
    )
    assert_error(response, 400)


@pytest.mark.django_db
def test_a_body_over_the_size_limit_answers_413_in_the_format(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    response = client.post(
        "/api/v1/auth/token/", {"email": "x" * 50}, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "too_large"


def test_a_django_403_under_the_api_answers_in_the_format(rf):
    response = permission_denied(rf.get("/api/v1/organisations/"), PermissionDenied())
    assert response.status_code == 403
    assert json.loads(response.content)["errors"][0]["code"] == "permission_denied"


@pytest.mark.django_db
def test_a_django_403_on_a_page_keeps_the_friendly_page(rf):
    response = permission_denied(rf.get("/organisations/"), PermissionDenied())
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("path", "content_type"), [("/api/v1/anything/", "application/json"), ("/me/", "text/html")]
)
def test_a_failed_csrf_check_answers_in_the_format_only_under_the_api(rf, path, content_type):
    response = csrf_failure(rf.post(path), reason="CSRF cookie not set.")
    assert response.status_code == 403
    assert response["Content-Type"].startswith(content_type)


@pytest.mark.django_db
def test_a_failed_csrf_check_on_a_page_keeps_djangos_page():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post("/me/language/", {"language": "es"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
