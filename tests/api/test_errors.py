from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers

from puente.api.errors import exception_handler


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
