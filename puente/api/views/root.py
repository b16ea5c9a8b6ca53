"""The API root: where each of the API's main entry points is."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from .base import AUTHENTICATION, READ_OR_SIGNED_IN

# Name in the answer -> URL name: the collections that need no argument, the schema and its
# documentation pages. Memberships are the signed-in person's own: 401 without credentials.
ENTRY_POINTS: dict[str, str] = {
    "organisations": "api:organisation-list",
    "partnerships": "api:partnership-list",
    "initiatives": "api:initiative-list",
    "places": "api:place-map",
    "exchange_rates": "api:exchange-rate-list",
    "themes": "api:theme-list",
    "countries": "api:country-list",
    "memberships": "api:membership-list",
    "schema": "api:schema",
    "docs": "api:docs",
    "redoc": "api:redoc",
}


class ApiRootSerializer(serializers.Serializer[dict[str, str]]):
    """One absolute URL per entry point."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        """Return a URL field for each entry point, in the order they are listed."""
        return {name: serializers.URLField(read_only=True) for name in ENTRY_POINTS}


class ApiRootApi(APIView):
    """List the API's main entry points, each by name with its absolute URL."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    @extend_schema(
        operation_id="api_root",
        tags=["root"],
        summary="List the API's main entry points: name and absolute URL of each.",
        responses={200: ApiRootSerializer},
    )
    def get(self, request: Request) -> Response:
        """List the entry points."""
        entries = {
            name: reverse(url_name, request=request) for name, url_name in ENTRY_POINTS.items()
        }
        return Response(ApiRootSerializer(entries).data)
