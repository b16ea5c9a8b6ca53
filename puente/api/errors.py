"""One JSON error format for the whole API: a message and the path of each faulty field."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _flatten(detail: Any, path: str = "") -> list[dict[str, str]]:
    if isinstance(detail, dict):
        errors: list[dict[str, str]] = []
        for key, value in detail.items():
            name = str(key) if key != "non_field_errors" else ""
            errors.extend(_flatten(value, f"{path}.{name}" if path and name else path or name))
        return errors
    if isinstance(detail, list):
        errors = []
        for index, value in enumerate(detail):
            if isinstance(value, dict | list) and not isinstance(value, exceptions.ErrorDetail):
                errors.extend(_flatten(value, f"{path}[{index}]" if path else str(index)))
            else:
                errors.extend(_flatten(value, path))
        return errors
    code = getattr(detail, "code", "invalid")
    return [{"field": path, "message": str(detail), "code": str(code)}]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn every API error into {"detail", "errors": [{"field", "message", "code"}]}."""
    if isinstance(exc, DjangoValidationError):
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        exc = exceptions.ValidationError(detail=messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        response.data = {"detail": errors[0]["message"] if errors else "", "errors": errors}
        response.status_code = status.HTTP_400_BAD_REQUEST
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        response.data = {
            "detail": str(detail),
            "errors": [{"field": "", "message": str(detail), "code": exc.default_code}]
            if isinstance(exc, exceptions.APIException)
            else [],
        }
    return response
