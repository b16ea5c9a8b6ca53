"""The search endpoint: the same search as the page, grouped by kind, as JSON."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from puente.api.serializers import AbsoluteUrlField, BoundedCharField, QueryParametersSerializer
from puente.api.views.base import AUTHENTICATION, READ_OR_SIGNED_IN, error_responses

from .models import Kind, SearchEntry
from .selectors import (
    MAX_QUERY_LENGTH,
    SearchQueryText,
    search_counts,
    search_entry_list,
    search_query_parse,
)

DEFAULT_LIMIT = 10
MAX_LIMIT = 50


class SearchHitSerializer(serializers.Serializer[SearchEntry]):
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    id = serializers.IntegerField(
        source="object_id", read_only=True, help_text=_("The stable id of what was found.")
    )
    title = serializers.CharField(read_only=True)
    snippet = serializers.CharField(read_only=True)
    url = AbsoluteUrlField(help_text=_("Its web page."))


class SearchGroupSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    name = serializers.CharField(read_only=True, help_text=_("The kind's name, translated."))
    count = serializers.IntegerField(read_only=True, help_text=_("Matches of this kind."))
    entries = SearchHitSerializer(many=True, read_only=True, help_text=_("The first matches."))


class SearchSerializer(serializers.Serializer[Any]):
    query = serializers.CharField(read_only=True)
    total = serializers.IntegerField(read_only=True, help_text=_("Matches of every kind."))
    groups = SearchGroupSerializer(many=True, read_only=True)


class SearchApi(APIView):
    """Search organisations, partnerships, dialogues, statements, agenda items and initiatives."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class QuerySerializer(QueryParametersSerializer):
        q = BoundedCharField(
            max_length=MAX_QUERY_LENGTH,
            help_text=_(
                "Words to find, in any language; case and accents do not matter, and each "
                "word matches the start of a word (observ finds Observação). A query without "
                "at least two letters or digits finds nothing."
            ),
        )
        kind = serializers.ChoiceField(
            choices=Kind.choices, required=False, help_text=_("Only results of this kind.")
        )
        limit = serializers.IntegerField(
            min_value=1,
            max_value=MAX_LIMIT,
            default=DEFAULT_LIMIT,
            help_text=_("How many results of each kind to return."),
        )

        def validate_q(self, value: str) -> SearchQueryText:
            return search_query_parse(value)

    @extend_schema(
        summary="Search everything you may see, grouped by kind.",
        parameters=[QuerySerializer],
        responses={200: SearchSerializer, **error_responses(400)},
    )
    def get(self, request: Request) -> Response:
        """Return the matches the viewer may see, grouped by kind in a fixed order."""
        given = self.QuerySerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        query: SearchQueryText = given.validated_data["q"]
        kind: str = given.validated_data.get("kind", "")
        limit: int = given.validated_data["limit"]
        if not query.is_usable:
            # Nothing to search for: as the schema says, no match (the page explains why).
            empty = {"query": query.text, "total": 0, "groups": []}
            return Response(SearchSerializer(empty, context={"request": request}).data)
        entries = search_entry_list(query=query, viewer=request.user, kind=kind)
        counts = search_counts(entries)
        groups = [
            {
                "kind": value,
                "name": str(label),
                "count": counts[value],
                "entries": list(entries.filter(kind=value)[:limit]),
            }
            for value, label in Kind.choices
            if counts[value]
        ]
        body = {"query": query.text, "total": sum(counts.values()), "groups": groups}
        return Response(SearchSerializer(body, context={"request": request}).data)
