"""One JSON error format for the whole API: a message and the path of each faulty field."""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from puente.core import views as core_views

API_PATH_PREFIX = "/api/"

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


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def error_body(detail: str, code: str) -> dict[str, Any]:
    """Return the error format for an error of the whole request."""
    return {"detail": detail, "errors": [{"field": "", "message": detail, "code": code}]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn every API error into {"detail", "errors": [{"field", "message", "code"}]}."""
    if isinstance(exc, DjangoValidationError):
        exc = _from_django(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
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
        response.data = error_body(str(detail), str(code))
    return response


# Django's error views (handler400 to handler500 in puente/urls.py): what DRF never sees, such
# as an unmatched /api/ path or an unexpected exception, also answers in the format under /api/.


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PATH_PREFIX)


def _json_error(error: type[exceptions.APIException]) -> JsonResponse:
    detail = str(error.default_detail)
    return JsonResponse(error_body(detail, str(error.default_code)), status=error.status_code)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer 400: in the API's format under /api/, Django's page elsewhere."""
    if _is_api(request):
        return _json_error(exceptions.ParseError)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer 403: in the API's format under /api/, the friendly page elsewhere."""
    if _is_api(request):
        return _json_error(exceptions.PermissionDenied)
    return core_views.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Answer 404: in the API's format under /api/, the friendly page elsewhere."""
    if _is_api(request):
        return _json_error(exceptions.NotFound)
    return core_views.page_not_found(request, exception)


# Exempt from CSRF as the API's own views are: it changes nothing, and a write to a path that
# names no endpoint must get this 404 in the API's format, not the HTML page of a CSRF failure.
@csrf_exempt
def path_not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Answer 404 in the API's format for an /api/ path that names no endpoint, in any mode."""
    # handler404 already does so outside DEBUG; this keeps DEBUG's HTML page off the API too.
    # Matching every /api/ path takes the place of APPEND_SLASH here, so redirect as it does.
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not path_not_found:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return _json_error(exceptions.NotFound)


def server_error(request: HttpRequest) -> HttpResponse:
    """Answer 500: in the API's format under /api/, the friendly page elsewhere."""
    if _is_api(request):
        return _json_error(exceptions.APIException)
    return core_views.server_error(request)
