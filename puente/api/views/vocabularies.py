"""Shared vocabularies: themes and countries, named in the language asked for."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from puente.core.choices import region_for
from puente.core.models import Theme

from ..pagination import PagePagination
from ..serializers import (
    CountrySerializer,
    LanguageQuerySerializer,
    RegionField,
    ThemeSerializer,
)
from .base import AUTHENTICATION, READ_OR_SIGNED_IN, language_of


class ThemeListApi(generics.ListAPIView[Theme]):
    """List the themes: code and name in the language of ?lang or Accept-Language."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    serializer_class = ThemeSerializer
    filter_backends = [OrderingFilter]
    ordering_fields = ["code"]
    ordering = ["code"]

    def get_queryset(self) -> QuerySet[Theme]:
        """Return every theme."""
        return Theme.objects.all()

    @extend_schema(parameters=[LanguageQuerySerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List themes, named in the chosen language."""
        with language_of(request) as language:
            response = super().get(request, *args, **kwargs)
        response["Content-Language"] = language
        return response


class CountryListApi(APIView):
    """List ISO 3166-1 countries with their names in the chosen language and their region."""

    # Countries come from django-countries, not the database: a plain view paging a list.
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    pagination_class = PagePagination

    class QuerySerializer(LanguageQuerySerializer):
        region = RegionField(required=False, help_text=_("Only countries of this region."))
        ordering = serializers.ChoiceField(
            choices=["name", "-name", "code", "-code"],
            default="name",
            help_text=_("Order by name (in the chosen language) or code; - reverses."),
        )

    @extend_schema(parameters=[QuerySerializer], responses={200: CountrySerializer(many=True)})
    def get(self, request: Request) -> Response:
        """List countries, named in the chosen language."""
        given = self.QuerySerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        with language_of(request) as language:
            rows = [
                {
                    "code": country.code,
                    "name": str(country.name),
                    "region": region_for(country.code),
                }
                for country in countries
            ]
            wanted = given.validated_data.get("region")
            if wanted:
                rows = [row for row in rows if row["region"] == wanted]
            ordering: str = given.validated_data["ordering"]
            if ordering.lstrip("-") == "code":
                rows.sort(key=lambda row: row["code"])
            # django-countries already sorts by name the way the language's readers expect.
            if ordering.startswith("-"):
                rows.reverse()
            paginator = self.pagination_class()
            # A list pages as well as a queryset does.
            page: list[dict[str, str]] | None = paginator.paginate_queryset(
                rows,  # type: ignore[arg-type]  # the stubs expect a QuerySet
                request,
                view=self,
            )
            response = paginator.get_paginated_response(CountrySerializer(page, many=True).data)
        response["Content-Language"] = language
        return response
