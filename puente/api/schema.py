"""The OpenAPI schema: every operation documents the errors it can answer with."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular import openapi
from drf_spectacular.utils import Direction
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticatedOrReadOnly

from .authentication import TokenAuthentication
from .views.base import error_responses

_WRITES = frozenset({"POST", "PUT", "PATCH"})
_OPERATIONS = frozenset({"get", "put", "patch", "post", "delete", "head", "options", "trace"})


class AutoSchema(openapi.AutoSchema):
    """Add to each operation the errors it can give and does not declare itself."""

    def _error_codes(self) -> list[int]:
        """Return the error statuses this operation can answer with."""
        codes = [429]
        authentication = getattr(self.view, "authentication_classes", [])
        permissions = getattr(self.view, "permission_classes", [])
        # A token that is wrong or revoked gives 401 wherever tokens are read.
        if any(issubclass(kind, TokenAuthentication) for kind in authentication):
            codes.append(401)
        reads_freely = self.method in SAFE_METHODS and all(
            issubclass(kind, IsAuthenticatedOrReadOnly) for kind in permissions
        )
        if not reads_freely and not all(issubclass(kind, AllowAny) for kind in permissions):
            codes.append(403)
        # Bodies, query parameters and page numbers are validated.
        if self.method in _WRITES or self._is_list_view():
            codes.append(400)
        # A path names something that may not exist (or be hidden); a page may be past the end.
        if "{" in self.path or self._is_list_view():
            codes.append(404)
        return sorted(codes)

    def _get_response_bodies(self, direction: Direction = "response") -> dict[str, Any]:
        """Return the declared responses, with the operation's other error responses."""
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code, response in error_responses(*self._error_codes()).items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(  # type: ignore[no-untyped-call]  # drf-spectacular is untyped here
                    response, str(code), direction=direction
                )
        return responses


def throttled_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Document the 429 answer, with Retry-After, on every operation (all are limited)."""
    description = str(error_responses(429)[429].description)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in _OPERATIONS:
                continue
            throttled = operation.setdefault("responses", {}).setdefault(
                "429",
                {
                    "description": description,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
            )
            throttled.setdefault("headers", {})["Retry-After"] = {
                "description": _("Seconds to wait before the next request."),
                "schema": {"type": "integer", "minimum": 0},
            }
    return result


def language_path_enum(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Give the {language} of translation paths the site's language codes as its enum."""
    codes = [code for code, _name in settings.LANGUAGES]
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in _OPERATIONS:
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("name") == "language":
                    parameter["schema"] = {"type": "string", "enum": codes}
    return result


# Django and DRF refuse a NUL character in any text field or parameter (400): the schema says so,
# so that a client (or a fuzzer) knows such a value is invalid input, not valid input refused.
NO_NUL_PATTERN = "^[^\\u0000]*$"


def _forbid_nul(schema: Any) -> None:
    """Give every free-text string in the schema (no enum, format or pattern) the pattern."""
    if isinstance(schema, list):
        for part in schema:
            _forbid_nul(part)
        return
    if not isinstance(schema, dict):
        return
    is_free_text = schema.get("type") == "string" and not (
        {"enum", "format", "pattern"} & schema.keys()
    )
    if is_free_text:
        schema["pattern"] = NO_NUL_PATTERN
    for key, value in schema.items():
        if key not in {"enum", "example", "examples", "default"}:
            _forbid_nul(value)


def text_without_nul(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Mark the text of parameters and request bodies as free of NUL characters."""
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in _OPERATIONS:
                continue
            for parameter in operation.get("parameters", []):
                # DRF's ordering filter ignores what it does not know, NUL included: no 400.
                if parameter.get("name") != "ordering":
                    _forbid_nul(parameter.get("schema"))
            _forbid_nul(operation.get("requestBody"))
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            _forbid_nul(component)
    return result
