"""Organisations: the directory, profiles, registration, editing and verification."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from puente.core.choices import StakeholderType, ThemeCode
from puente.core.models import Theme
from puente.stakeholders.models import Organisation
from puente.stakeholders.permissions import can_edit_organisation, can_verify_organisation
from puente.stakeholders.selectors import organisation_get, organisation_list
from puente.stakeholders.services import (
    organisation_create,
    organisation_update,
    organisation_verify,
)

from ..filters import OrganisationFilter
from ..parsers import StrictJSONParser
from ..permissions import person_of
from ..serializers import (
    BoundedCharField,
    CountryCodeField,
    LanguageCodeField,
    OrganisationDetailSerializer,
    OrganisationSerializer,
    RegionField,
    ThemeCodeField,
    WebsiteField,
)
from .base import AUTHENTICATION, READ_OR_SIGNED_IN, error_responses

# The logo comes as a multipart upload; every other endpoint takes JSON only.
PARSERS = [StrictJSONParser, MultiPartParser, FormParser]


def organisation_or_404(slug: str) -> Organisation:
    """Return the organisation with its member count, or answer 404."""
    try:
        return organisation_get(slug=slug)
    except Organisation.DoesNotExist as error:
        raise NotFound from error


class OrganisationInputSerializer(serializers.Serializer[Any]):
    """The editable profile of an organisation; PATCH may leave any field out."""

    name = BoundedCharField(max_length=200)
    acronym = BoundedCharField(max_length=30, required=False, allow_blank=True)
    also_known_as = BoundedCharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text=_("Other names and acronyms, in any language, separated by commas."),
    )
    stakeholder_type = serializers.ChoiceField(choices=StakeholderType.choices)
    country = CountryCodeField(help_text=_("ISO 3166-1 alpha-2 code."))
    region = RegionField(required=False, help_text=_("Left out: the region of the country."))
    website = WebsiteField(max_length=300, required=False, allow_blank=True)
    description = BoundedCharField(max_length=5000, required=False, allow_blank=True)
    description_language = LanguageCodeField(
        required=False,
        help_text=_("The language of the description. Default: that of the request, or kept."),
    )
    themes = serializers.ListField(
        child=ThemeCodeField(), max_length=len(ThemeCode.values), required=False
    )
    logo = serializers.ImageField(
        required=False,
        allow_null=True,
        help_text=_("PNG, JPEG, WebP or GIF (multipart upload); null removes the logo."),
    )

    def validate_themes(self, codes: list[str]) -> list[Theme]:
        """Return the themes with the given codes."""
        return list(Theme.objects.filter(code__in=codes))


class OrganisationListApi(generics.ListAPIView[Organisation]):
    """List organisations: filter, search with q, order by name or created_at."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    serializer_class = OrganisationSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = OrganisationFilter
    ordering_fields = ["name", "created_at"]
    ordering = ["name"]

    def get_queryset(self) -> QuerySet[Organisation]:
        """Return every organisation; the filter set narrows them through the selector."""
        return organisation_list()


class OrganisationCreateApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    parser_classes = PARSERS

    class InputSerializer(OrganisationInputSerializer):
        class Meta:
            ref_name = "OrganisationCreate"

    OutputSerializer = OrganisationDetailSerializer

    @extend_schema(
        summary="Register an organisation; you become its first administrator.",
        request=InputSerializer,
        responses={201: OutputSerializer, **error_responses(400, 401)},
    )
    def post(self, request: Request) -> Response:
        """Register an organisation; its creator becomes its first admin."""
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        organisation = organisation_create(creator=person_of(request), **given.validated_data)
        return Response(
            self.OutputSerializer(
                organisation_or_404(organisation.slug), context={"request": request}
            ).data,
            status=status.HTTP_201_CREATED,
        )


class OrganisationDetailApi(generics.RetrieveAPIView[Organisation]):
    """Show one organisation by slug; its stable id is in the body."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    serializer_class = OrganisationDetailSerializer

    def get_object(self) -> Organisation:
        """Return the organisation named in the URL."""
        return organisation_or_404(self.kwargs["slug"])


class OrganisationUpdateApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    parser_classes = PARSERS

    class InputSerializer(OrganisationInputSerializer):
        class Meta:
            ref_name = "OrganisationUpdate"

    OutputSerializer = OrganisationDetailSerializer

    @extend_schema(
        summary="Replace an organisation's profile (its admins and platform admins).",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def put(self, request: Request, slug: str) -> Response:
        """Replace the profile; fields left out take their defaults, the logo stays."""
        return self._update(request, slug, partial=False)

    @extend_schema(
        summary="Change some fields of an organisation's profile.",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, slug: str) -> Response:
        """Change only the fields given."""
        return self._update(request, slug, partial=True)

    def _update(self, request: Request, slug: str, *, partial: bool) -> Response:
        actor = person_of(request)
        organisation = organisation_or_404(slug)
        if not can_edit_organisation(actor, organisation):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data, partial=partial)
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        if not partial:
            for name in ("region", "acronym", "also_known_as", "website", "description"):
                fields.setdefault(name, "")
            fields.setdefault("themes", [])
        elif "country" in fields:
            # A new country without a region moves the organisation to that country's region.
            fields.setdefault("region", "")
        organisation_update(actor=actor, organisation=organisation, **fields)
        return Response(
            self.OutputSerializer(organisation_or_404(slug), context={"request": request}).data
        )


class OrganisationVerifyApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class InputSerializer(serializers.Serializer[Any]):
        is_verified = serializers.BooleanField(help_text=_("false withdraws the verification."))

        class Meta:
            ref_name = "OrganisationVerify"

    OutputSerializer = OrganisationDetailSerializer

    @extend_schema(
        summary="Mark an organisation as verified, or not (platform admins).",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Set whether the platform vouches for the organisation."""
        actor = person_of(request)
        organisation = organisation_or_404(slug)
        if not can_verify_organisation(actor):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        organisation_verify(actor=actor, organisation=organisation, **given.validated_data)
        return Response(
            self.OutputSerializer(organisation_or_404(slug), context={"request": request}).data
        )


class OrganisationCollectionApi(OrganisationListApi, OrganisationCreateApi):
    """GET lists organisations; POST registers one."""


class OrganisationItemApi(OrganisationDetailApi, OrganisationUpdateApi):
    """GET shows an organisation; PUT and PATCH change it."""
