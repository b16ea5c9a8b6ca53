"""Initiatives of partnerships: list, read, add, change, delete; exchange rates; pledges."""

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from puente.agenda.models import AgendaItem
from puente.core.permissions import Viewer
from puente.initiatives.models import (
    IATI_IDENTIFIER,
    ActivityStatus,
    ExchangeRate,
    Initiative,
    OrganisationRole,
    ParticipatingOrganisation,
    Pledge,
    Visibility,
    validate_currency,
    validate_region_code,
    validate_sector,
)
from puente.initiatives.permissions import (
    can_create_initiative,
    can_delete_initiative,
    can_edit_initiative,
    can_manage_pledges,
)
from puente.initiatives.selectors import (
    initiative_get,
    initiatives_visible_to,
    pledges_of,
    visible_initiative_ids,
    with_money,
)
from puente.initiatives.services import (
    Role,
    Share,
    initiative_create,
    initiative_delete,
    initiative_update,
    pledge_save,
)

from ..filters import ExchangeRateFilter, InitiativeFilter, PartnershipInitiativeFilter
from ..permissions import person_of
from ..serializers import (
    AbsoluteUrlField,
    BoundedCharField,
    CountryCodeField,
    LanguageCodeField,
    OrganisationSummarySerializer,
    PartnershipReferenceSerializer,
    ThemeCodeField,
    organisation_slug_field,
)
from .base import AUTHENTICATION, READ_OR_SIGNED_IN, error_responses
from .partnerships import partnership_or_404

# Amounts in EUR: as the selectors sum them (24 digits, 2 after the point), sent as strings.
MONEY_DIGITS = 24


def money_field(**kwargs: Any) -> serializers.DecimalField:
    """Return a read-only amount in EUR, a decimal string with two places."""
    return serializers.DecimalField(
        max_digits=MONEY_DIGITS, decimal_places=2, read_only=True, **kwargs
    )


def initiative_or_404(partnership_slug: str, slug: str, viewer: Viewer) -> Initiative:
    """Return the initiative with its money if the viewer may read it; otherwise answer 404."""
    return initiative_get(viewer=viewer, partnership_slug=partnership_slug, slug=slug)


def editable_initiative_or_404(
    request: Request, partnership_slug: str, slug: str
) -> tuple[Any, Initiative]:
    """Return the signed-in actor and the initiative they may edit: 404 unseen, 403 not theirs."""
    actor = person_of(request)
    initiative = initiative_or_404(partnership_slug, slug, actor)
    if not can_edit_initiative(actor, initiative):
        raise PermissionDenied
    return actor, initiative


class SectorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(
        max_length=5,
        validators=[validate_sector],
        help_text=_("OECD-DAC 5-digit sector code (IATI Sector codelist)."),
    )
    percentage = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=100
    )


class RecipientCountrySerializer(serializers.Serializer[Any]):
    country = CountryCodeField(help_text=_("ISO 3166-1 alpha-2 code."))
    percentage = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=100
    )


class RecipientRegionSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(
        max_length=5,
        validators=[validate_region_code],
        help_text=_("IATI region code (OECD DAC), such as 489 for South America."),
    )
    percentage = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=100
    )


class ParticipantSerializer(serializers.Serializer[ParticipatingOrganisation]):
    organisation = OrganisationSummarySerializer(read_only=True)
    role = serializers.ChoiceField(choices=OrganisationRole.choices, read_only=True)
    iati_ref = serializers.CharField(read_only=True)


class ParticipantInputSerializer(serializers.Serializer[Any]):
    organisation = organisation_slug_field()
    role = serializers.ChoiceField(choices=OrganisationRole.choices)
    iati_ref = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        validators=[IATI_IDENTIFIER],
        help_text=_("The organisation's IATI identifier, if it has one."),
    )


class AgendaItemReferenceSerializer(serializers.Serializer[AgendaItem]):
    id = serializers.IntegerField(read_only=True)
    position = serializers.IntegerField(read_only=True)
    text = serializers.DictField(child=serializers.CharField(), read_only=True)


class InitiativeSerializer(serializers.Serializer[Initiative]):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable identifier."))
    slug = serializers.SlugField(
        read_only=True, help_text=_("Readable identifier, unique within the partnership.")
    )
    partnership = PartnershipReferenceSerializer(read_only=True)
    title = serializers.CharField(read_only=True)
    iati_identifier = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=ActivityStatus.choices, read_only=True)
    visibility = serializers.ChoiceField(choices=Visibility.choices, read_only=True)
    planned_start = serializers.DateField(read_only=True, allow_null=True)
    planned_end = serializers.DateField(read_only=True, allow_null=True)
    actual_start = serializers.DateField(read_only=True, allow_null=True)
    actual_end = serializers.DateField(read_only=True, allow_null=True)
    themes = serializers.ListField(child=ThemeCodeField(), read_only=True)
    committed_eur = money_field(help_text=_("Commitments in EUR, at the reference rates."))
    disbursed_eur = money_field(
        help_text=_("Disbursements and expenditure in EUR, at the reference rates.")
    )
    url = AbsoluteUrlField(source="get_absolute_url", help_text=_("The initiative's web page."))
    updated_at = serializers.DateTimeField(read_only=True)


class InitiativeDetailSerializer(InitiativeSerializer):
    description = serializers.CharField(read_only=True, help_text=_("Markdown."))
    language = LanguageCodeField(read_only=True)
    sectors = SectorSerializer(many=True, read_only=True)
    recipient_countries = RecipientCountrySerializer(many=True, read_only=True)
    recipient_regions = RecipientRegionSerializer(many=True, read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)
    agenda_items = AgendaItemReferenceSerializer(many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


def _with_parts(initiatives: QuerySet[Initiative]) -> QuerySet[Initiative]:
    return initiatives.prefetch_related(
        "sectors",
        "recipient_countries",
        "recipient_regions",
        Prefetch(
            "participants",
            queryset=ParticipatingOrganisation.objects.select_related("organisation"),
        ),
        "agenda_items",
    )


def _detail(initiative: Initiative, request: Request) -> dict[str, Any]:
    """Return the initiative as the detail endpoint shows it, read afresh with its money."""
    # Not narrowed to what the viewer may read: the caller checked that, and an editor who
    # just made the initiative members-only still gets back what they wrote.
    fresh = (
        _with_parts(with_money(Initiative.objects.filter(pk=initiative.pk)))
        .select_related("partnership")
        .get()
    )
    return dict(InitiativeDetailSerializer(fresh, context={"request": request}).data)


class InitiativeInputSerializer(serializers.Serializer[Any]):
    """The editable fields of an initiative; PATCH may leave any field out.

    A list given (sectors, recipient_countries, recipient_regions, participants,
    agenda_items) replaces the old one; shares of sectors, and of countries with regions,
    add up to 100.
    """

    title = BoundedCharField(max_length=200)
    description = BoundedCharField(
        max_length=10000, required=False, allow_blank=True, help_text=_("Markdown.")
    )
    language = LanguageCodeField(help_text=_("The language the texts are written in."))
    iati_identifier = serializers.CharField(
        max_length=150,
        validators=[IATI_IDENTIFIER],
        help_text=_("IATI activity identifier, unique: reporting organisation, hyphen, reference."),
    )
    status = serializers.ChoiceField(choices=ActivityStatus.choices, required=False)
    planned_start = serializers.DateField(required=False, allow_null=True)
    planned_end = serializers.DateField(
        required=False, allow_null=True, help_text=_("On or after planned_start.")
    )
    actual_start = serializers.DateField(required=False, allow_null=True)
    actual_end = serializers.DateField(
        required=False, allow_null=True, help_text=_("On or after actual_start.")
    )
    themes = serializers.ListField(
        child=ThemeCodeField(), required=False, max_length=20, allow_empty=True
    )
    visibility = serializers.ChoiceField(
        choices=Visibility.choices, required=False, help_text=_("Default: public.")
    )
    sectors = serializers.ListField(child=SectorSerializer(), required=False, max_length=50)
    recipient_countries = serializers.ListField(
        child=RecipientCountrySerializer(), required=False, max_length=50
    )
    recipient_regions = serializers.ListField(
        child=RecipientRegionSerializer(), required=False, max_length=50
    )
    participants = serializers.ListField(
        child=ParticipantInputSerializer(), required=False, max_length=50
    )
    agenda_items = serializers.PrimaryKeyRelatedField(
        queryset=AgendaItem.objects.all(),
        many=True,
        required=False,
        help_text=_("Ids of items of the partnership's published agenda versions."),
    )


def _parts_of(data: dict[str, Any]) -> dict[str, Any]:
    """Turn the validated lists into what the services take; leave out what was not given."""
    parts: dict[str, Any] = {}
    if "sectors" in data:
        parts["sectors"] = [Share(s["code"], s["percentage"]) for s in data["sectors"]]
    if "recipient_countries" in data:
        parts["countries"] = [
            Share(str(c["country"]), c["percentage"]) for c in data["recipient_countries"]
        ]
    if "recipient_regions" in data:
        parts["regions"] = [Share(r["code"], r["percentage"]) for r in data["recipient_regions"]]
    if "participants" in data:
        parts["participants"] = [
            Role(p["organisation"], p["role"], p.get("iati_ref", "")) for p in data["participants"]
        ]
    if "agenda_items" in data:
        parts["agenda_items"] = data["agenda_items"]
    return parts


class InitiativeListBase(generics.ListAPIView[Initiative]):
    """What every list of initiatives shares: the serializer, the filters, the pagination."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    serializer_class = InitiativeSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class: type[InitiativeFilter] = InitiativeFilter

    def get_queryset(self) -> QuerySet[Initiative]:
        """Return the visible initiatives; the filter set narrows them through the selector."""
        return initiatives_visible_to(self.request.user)


class InitiativeListApi(InitiativeListBase):
    """List the initiatives you may read, by title, with their money in EUR."""

    @extend_schema(
        summary="List the initiatives of every partnership you may read, filtered.",
        responses={200: InitiativeSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the initiatives."""
        return super().get(request, *args, **kwargs)


class PartnershipInitiativeCollectionApi(InitiativeListBase):
    """GET lists a partnership's initiatives you may read; POST adds one."""

    filterset_class = PartnershipInitiativeFilter

    class InputSerializer(InitiativeInputSerializer):
        class Meta:
            ref_name = "InitiativeCreate"

    OutputSerializer = InitiativeDetailSerializer

    def get_queryset(self) -> QuerySet[Initiative]:
        """Return the partnership's visible initiatives; 404 if the partnership is not visible."""
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks
            return Initiative.objects.none()
        partnership = partnership_or_404(self.kwargs["slug"], self.request.user)
        return super().get_queryset().filter(partnership=partnership)

    @extend_schema(
        summary="List a partnership's initiatives you may read, filtered.",
        responses={200: InitiativeSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the partnership's initiatives."""
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Add an initiative to a partnership (facilitators and platform admins).",
        request=InputSerializer,
        responses={201: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Add the initiative with its sectors, places of benefit, organisations and items."""
        actor = person_of(request)
        partnership = partnership_or_404(slug, actor)
        if not can_create_initiative(actor, partnership):
            raise PermissionDenied
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        initiative = initiative_create(
            actor=actor, partnership=partnership, fields=data, **_parts_of(data)
        )
        return Response(_detail(initiative, request), status=status.HTTP_201_CREATED)


class InitiativeItemApi(APIView):
    """GET shows an initiative; PATCH changes it; DELETE removes it."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class InputSerializer(InitiativeInputSerializer):
        class Meta:
            ref_name = "InitiativeUpdate"

    OutputSerializer = InitiativeDetailSerializer

    @extend_schema(
        summary="Show an initiative with its sectors, places of benefit, organisations, money.",
        responses={200: OutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, slug: str, initiative_slug: str) -> Response:
        """Show the initiative; 404 if you may not read it."""
        initiative = initiative_or_404(slug, initiative_slug, request.user)
        return Response(_detail(initiative, request))

    @extend_schema(
        summary="Change some fields of an initiative (its editors).",
        description="Facilitators, administrators of the accountable organisation and "
        "platform admins. A list given replaces the old one; the slug stays.",
        request=InputSerializer,
        responses={200: OutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, slug: str, initiative_slug: str) -> Response:
        """Change only the fields and lists given."""
        actor, initiative = editable_initiative_or_404(request, slug, initiative_slug)
        given = self.InputSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        # The service checks the dates with the stored ones (the model's clean), naming the end.
        initiative = initiative_update(
            actor=actor, initiative=initiative, fields=data, **_parts_of(data)
        )
        return Response(_detail(initiative, request))

    @extend_schema(
        summary="Delete an initiative and all recorded about it (facilitators, platform admins).",
        request=None,
        responses={204: None, **error_responses(401, 403, 404)},
    )
    def delete(self, request: Request, slug: str, initiative_slug: str) -> Response:
        """Delete the initiative."""
        actor = person_of(request)
        initiative = initiative_or_404(slug, initiative_slug, actor)
        if not can_delete_initiative(actor, initiative):
            raise PermissionDenied
        initiative_delete(actor=actor, initiative=initiative)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Exchange rates.


class ExchangeRateSerializer(serializers.Serializer[ExchangeRate]):
    currency = serializers.CharField(read_only=True, help_text=_("ISO 4217 code."))
    date = serializers.DateField(read_only=True)
    rate = serializers.DecimalField(
        max_digits=20,
        decimal_places=10,
        read_only=True,
        help_text=_("Units of the currency one euro bought on the date."),
    )
    # DRF takes declared fields off the class, so the name does not shadow Field.source.
    source = serializers.CharField(read_only=True)  # type: ignore[assignment]


class ExchangeRateListApi(generics.ListAPIView[ExchangeRate]):
    """List the reference rates, by currency and newest date first."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    serializer_class = ExchangeRateSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ExchangeRateFilter

    def get_queryset(self) -> QuerySet[ExchangeRate]:
        """Return every rate; amounts convert at the latest rate on or before their date."""
        return ExchangeRate.objects.order_by("currency", "-date")

    @extend_schema(
        summary="List the exchange rates used to convert amounts to EUR.",
        responses={200: ExchangeRateSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the rates."""
        return super().get(request, *args, **kwargs)


# Pledges.


class InitiativeReferenceSerializer(serializers.Serializer[Initiative]):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    title = serializers.CharField(read_only=True)


class PledgeSerializer(serializers.Serializer[Pledge]):
    id = serializers.IntegerField(read_only=True)
    organisation = OrganisationSummarySerializer(read_only=True)
    initiative = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=Pledge.Kind.choices, read_only=True)
    description = serializers.CharField(read_only=True)
    amount = serializers.DecimalField(
        max_digits=18, decimal_places=2, read_only=True, allow_null=True
    )
    currency = serializers.CharField(read_only=True, help_text=_("ISO 4217; empty if no money."))
    made_at = serializers.CharField(read_only=True)
    due_date = serializers.DateField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=Pledge.Status.choices, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(InitiativeReferenceSerializer(allow_null=True))
    def get_initiative(self, pledge: Pledge) -> dict[str, Any] | None:
        """Return the initiative, if the viewer may read it; a hidden one shows as null."""
        if pledge.initiative_id is None or pledge.initiative_id not in self.context["visible"]:
            return None
        return dict(InitiativeReferenceSerializer(pledge.initiative).data)


class PledgeInputSerializer(serializers.Serializer[Any]):
    organisation = organisation_slug_field(help_text=_("Slug of the organisation that pledged."))
    initiative = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        help_text=_("Id of an initiative of this partnership the pledge goes to."),
    )
    kind = serializers.ChoiceField(choices=Pledge.Kind.choices)
    description = BoundedCharField(max_length=500)
    amount = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text=_("Required, with currency, for a pledge of money."),
    )
    currency = serializers.CharField(
        max_length=3, required=False, allow_blank=True, validators=[validate_currency]
    )
    made_at = BoundedCharField(max_length=200, required=False, allow_blank=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Pledge.Status.choices, required=False)


def _pledge_write(request: Request, slug: str, pledge: Pledge | None) -> Response:
    actor = person_of(request)
    partnership = partnership_or_404(slug, actor)
    if not can_manage_pledges(actor, partnership):
        raise PermissionDenied
    given: serializers.Serializer[Any]
    if pledge is None:
        given = PledgeCollectionApi.InputSerializer(data=request.data)
    else:
        pledge = get_object_or_404(Pledge, partnership=partnership, pk=pledge.pk)
        given = PledgeItemApi.InputSerializer(data=request.data, partial=True)
    given.is_valid(raise_exception=True)
    data = dict(given.validated_data)
    target = pledge or Pledge(partnership=partnership)
    if "initiative" in data:
        initiative_id = data.pop("initiative")
        initiative = (
            Initiative.objects.filter(partnership=partnership, pk=initiative_id).first()
            if initiative_id is not None
            else None
        )
        if initiative_id is not None and initiative is None:
            raise serializers.ValidationError(
                {"initiative": _("Choose an initiative of this partnership.")}
            )
        target.initiative = initiative
    for name, value in data.items():
        setattr(target, name, value)
    saved = pledge_save(actor=actor, pledge=target)
    body = PledgeSerializer(
        saved, context={"visible": visible_initiative_ids(viewer=actor, partnership=partnership)}
    ).data
    return Response(body, status=status.HTTP_200_OK if pledge else status.HTTP_201_CREATED)


class PledgeCollectionApi(generics.ListAPIView[Pledge]):
    """GET lists a partnership's pledges (the scorecard); POST records one."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    serializer_class = PledgeSerializer
    filter_backends: list[Any] = []

    class InputSerializer(PledgeInputSerializer):
        class Meta:
            ref_name = "PledgeCreate"

    def get_queryset(self) -> QuerySet[Pledge]:
        """Return the partnership's pledges, if the viewer may read the partnership."""
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks
            return Pledge.objects.none()
        partnership = partnership_or_404(self.kwargs["slug"], self.request.user)
        return pledges_of(partnership=partnership).order_by("due_date", "pk")

    def get_serializer_context(self) -> dict[str, Any]:
        """Add which of the pledges' initiatives the viewer may read."""
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        partnership = partnership_or_404(self.kwargs["slug"], self.request.user)
        return {
            **context,
            "visible": visible_initiative_ids(viewer=self.request.user, partnership=partnership),
        }

    @extend_schema(
        summary="List a partnership's pledges: who promised what, and where it stands.",
        responses={200: PledgeSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List the pledges."""
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Record a pledge of the partnership (facilitators and platform admins).",
        request=InputSerializer,
        responses={201: PledgeSerializer, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Record the pledge."""
        return _pledge_write(request, slug, None)


class PledgeItemApi(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN

    class InputSerializer(PledgeInputSerializer):
        class Meta:
            ref_name = "PledgeUpdate"

    @extend_schema(
        summary="Change a pledge, such as its status (facilitators and platform admins).",
        request=InputSerializer,
        responses={200: PledgeSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, slug: str, pledge_id: int) -> Response:
        """Change only the fields given."""
        partnership = partnership_or_404(slug, request.user)
        pledge = Pledge.objects.filter(partnership=partnership, pk=pledge_id).first()
        if pledge is None:
            raise NotFound
        return _pledge_write(request, slug, pledge)
