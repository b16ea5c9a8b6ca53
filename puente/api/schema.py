"""OpenAPI additions that hold for every operation."""

from typing import Any

from django.utils.translation import gettext as _

from .views.base import error_responses

_OPERATIONS = frozenset({"get", "put", "patch", "post", "delete", "head", "options", "trace"})


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
