"""One JSON error format for the whole API: a message and the path of each faulty field."""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

_NON_FIELD_KEYS = frozenset({"", NON_FIELD_ERRORS, api_settings.NON_FIELD_ERRORS_KEY})


def _join(path: str, key: object) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    name = str(key)
    if name in _NON_FIELD_KEYS:
        return path
    return f"{path}.{name}" if path else name


def _flatten(detail: Any, path: str = "") -> list[dict[str, str]]:
    """Return one {"field", "message", "code"} per message, fields as dotted paths."""
    if isinstance(detail, dict):
        errors: list[dict[str, str]] = []
        for key, value in detail.items():
            errors.extend(_flatten(value, _join(path, key)))
        return errors
    if isinstance(detail, list):
        errors = []
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                errors.extend(_flatten(value, _join(path, index)))
            else:
                errors.extend(_flatten(value, path))
        return errors
    code = getattr(detail, "code", None) or "invalid"
    return [{"field": path, "message": str(detail), "code": str(code)}]


def _details_of(error: DjangoValidationError) -> list[exceptions.ErrorDetail]:
    return [
        exceptions.ErrorDetail(message, code=part.code or "invalid")
        for part in error.error_list
        for message in part.messages
    ]


def _from_django(error: DjangoValidationError) -> exceptions.ValidationError:
    """Keep the field names and codes of a Django ValidationError."""
    if hasattr(error, "error_dict"):
        detail: dict[str, Any] = {
            field: [detail for part in parts for detail in _details_of(part)]
            for field, parts in error.error_dict.items()
        }
        return exceptions.ValidationError(detail=detail)
    return exceptions.ValidationError(detail=_details_of(error))


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn every API error into {"detail", "errors": [{"field", "message", "code"}]}."""
    if isinstance(exc, DjangoValidationError):
        exc = _from_django(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        response.data = {"detail": errors[0]["message"] if errors else "", "errors": errors}
        response.status_code = status.HTTP_400_BAD_REQUEST
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = {
            "detail": str(detail),
            "errors": [{"field": "", "message": str(detail), "code": str(code)}],
        }
    return response
