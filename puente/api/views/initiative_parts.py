"""Parts of an initiative: milestones, results with indicators and periods, budgets,
transactions and documents; read by its readers, written by its editors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, cast

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from puente.initiatives.models import (
    Budget,
    Document,
    Indicator,
    IndicatorPeriod,
    Initiative,
    Milestone,
    Result,
    Transaction,
)
from puente.initiatives.services import part_delete, part_save

from ..serializers import BoundedCharField, organisation_slug_field
from .base import AUTHENTICATION, READ_OR_SIGNED_IN, error_responses
from .initiatives import MONEY_DIGITS, editable_initiative_or_404, initiative_or_404


def _apply(part: Model, values: dict[str, Any]) -> Model:
    """Set the validated values on the part; part_save checks it with the model's rules."""
    for name, value in values.items():
        setattr(part, name, value)
    return part


class MilestoneSerializer(serializers.ModelSerializer[Milestone]):
    title = BoundedCharField(max_length=200)

    class Meta:
        model = Milestone
        fields = ["id", "title", "planned_date", "actual_date", "status"]


class PeriodSerializer(serializers.ModelSerializer[IndicatorPeriod]):
    progress = serializers.DecimalField(
        max_digits=3,
        decimal_places=0,
        read_only=True,
        allow_null=True,
        help_text=_("How far the actual value came from the baseline to the target, 0 to 100."),
    )

    class Meta:
        model = IndicatorPeriod
        fields = ["id", "period_start", "period_end", "target", "actual", "progress"]
        extra_kwargs: ClassVar[dict[str, Any]] = {
            "period_end": {"help_text": _("On or after period_start.")}
        }


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    title = BoundedCharField(max_length=200)
    unit = BoundedCharField(max_length=60, required=False, allow_blank=True)
    periods = PeriodSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "title",
            "measure",
            "unit",
            "ascending",
            "baseline_year",
            "baseline_value",
            "periods",
        ]


class ResultSerializer(serializers.ModelSerializer[Result]):
    title = BoundedCharField(max_length=200)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Result
        fields = ["id", "type", "title", "indicators"]


class BudgetSerializer(serializers.ModelSerializer[Budget]):
    class Meta:
        model = Budget
        fields = [
            "id",
            "type",
            "status",
            "period_start",
            "period_end",
            "value",
            "currency",
            "value_date",
        ]
        extra_kwargs: ClassVar[dict[str, Any]] = {
            "period_end": {"help_text": _("On or after period_start.")},
            "currency": {"help_text": _("ISO 4217 code.")},
        }


class TransactionSerializer(serializers.ModelSerializer[Transaction]):
    provider = organisation_slug_field(
        required=False, allow_null=True, help_text=_("Slug of the organisation that paid.")
    )
    receiver = organisation_slug_field(
        required=False, allow_null=True, help_text=_("Slug of the organisation that received.")
    )
    description = BoundedCharField(max_length=500, required=False, allow_blank=True)
    rate = serializers.DecimalField(
        max_digits=MONEY_DIGITS,
        decimal_places=10,
        read_only=True,
        allow_null=True,
        help_text=_("Units of the currency per euro used; null when no rate is known."),
    )
    eur = serializers.DecimalField(
        max_digits=MONEY_DIGITS,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text=_("The amount in EUR at that rate; null when no rate is known."),
    )

    class Meta:
        model = Transaction
        fields = [
            "id",
            "type",
            "date",
            "value",
            "currency",
            "value_date",
            "provider",
            "receiver",
            "description",
            "rate",
            "eur",
        ]
        extra_kwargs: ClassVar[dict[str, Any]] = {
            "value": {
                "help_text": _(
                    "More than zero; only an expenditure may be negative (a correction)."
                )
            },
            "currency": {"help_text": _("ISO 4217 code.")},
            "value_date": {"help_text": _("The date whose exchange rate converts the amount.")},
        }


class DocumentSerializer(serializers.ModelSerializer[Document]):
    title = BoundedCharField(max_length=200)

    class Meta:
        model = Document
        fields = ["id", "title", "url", "category", "language"]


# Kinds of parts: one table says what each serves and what it belongs to; the list and item
# APIs and their URL patterns are made from it.


@dataclass(frozen=True)
class PartKind:
    """A kind of part: its serializer (and so its model), the nouns of its operations' summaries,
    the part it belongs to when not the initiative itself, and what is joined to show it."""

    plural: str
    serializer: type[serializers.ModelSerializer[Any]]
    list_noun: str
    item_noun: str
    parent: PartKind | None = None
    parent_field: str = "initiative"
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()

    @property
    def model(self) -> type[Model]:
        """Return the model of the parts."""
        return cast(type[Model], self.serializer.Meta.model)

    @property
    def to_initiative(self) -> str:
        """Return the lookup from a part of this kind to its initiative."""
        if self.parent is None:
            return self.parent_field
        return f"{self.parent_field}__{self.parent.to_initiative}"

    @property
    def list_path(self) -> str:
        """Return the list's path under the initiative's, through the parent if there is one."""
        if self.parent is None:
            return f"{self.plural}/"
        return f"{self.parent.plural}/<int:{self.parent_field}_id>/{self.plural}/"

    def parts(self, **within: Any) -> QuerySet[Any]:
        """Return the parts of this kind within the lookup, joined as the API shows them."""
        parts = self.model._default_manager.filter(**within)
        if self.select_related:
            parts = parts.select_related(*self.select_related)
        if self.prefetch_related:
            parts = parts.prefetch_related(*self.prefetch_related)
        return parts


_RESULTS = PartKind(
    "results",
    ResultSerializer,
    "results (with their indicators and periods)",
    "results",
    prefetch_related=("indicators__periods",),
)
_INDICATORS = PartKind(
    "indicators",
    IndicatorSerializer,
    "indicators of a result",
    "indicators",
    parent=_RESULTS,
    parent_field="result",
    prefetch_related=("periods",),
)
PARTS = (
    PartKind("milestones", MilestoneSerializer, "milestones", "milestones"),
    PartKind("budgets", BudgetSerializer, "budgets", "budgets"),
    PartKind(
        "transactions",
        TransactionSerializer,
        "transactions (with their rate and amount in EUR)",
        "transactions",
        select_related=("provider", "receiver"),
    ),
    PartKind("documents", DocumentSerializer, "documents", "documents"),
    _RESULTS,
    _INDICATORS,
    PartKind(
        "periods",
        PeriodSerializer,
        "periods of an indicator (target and actual values)",
        "indicator periods",
        parent=_INDICATORS,
        parent_field="indicator",
        select_related=("indicator",),
    ),
)


class PartListApi(generics.ListAPIView[Any]):
    """List the parts of an initiative you may read; editors add one with POST."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    filter_backends: list[Any] = []
    kind: ClassVar[PartKind]

    def parent_of(self, initiative: Initiative) -> Model:
        """Return what a new part belongs to: the initiative, or the part named in the path."""
        parent = self.kind.parent
        if parent is None:
            return initiative
        return get_object_or_404(
            parent.model._default_manager.filter(**{parent.to_initiative: initiative}),
            pk=self.kwargs[f"{self.kind.parent_field}_id"],
        )

    def parts_of(self, parent: Model) -> QuerySet[Any]:
        """Return the parts of the parent, as the list shows them."""
        return self.kind.parts(**{self.kind.parent_field: parent})

    def get_queryset(self) -> QuerySet[Any]:
        """Return the parts, if the viewer may read the initiative."""
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks
            return self.kind.model._default_manager.none()
        initiative = initiative_or_404(
            self.kwargs["slug"], self.kwargs["initiative_slug"], self.request.user
        )
        return self.parts_of(self.parent_of(initiative))

    def post(self, request: Request, slug: str, initiative_slug: str, **kwargs: Any) -> Response:
        """Add a part; 403 unless you may edit the initiative."""
        actor, initiative = editable_initiative_or_404(request, slug, initiative_slug)
        parent = self.parent_of(initiative)
        given = self.get_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        new_part = self.kind.model(**{self.kind.parent_field: parent})
        part = part_save(actor=actor, part=_apply(new_part, given.validated_data))
        shown = self.parts_of(parent).get(pk=part.pk)
        return Response(self.get_serializer(shown).data, status=status.HTTP_201_CREATED)


class PartItemApi(APIView):
    """PATCH changes a part of an initiative; DELETE removes it (its editors)."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    kind: ClassVar[PartKind]
    serializer_class: ClassVar[type[serializers.ModelSerializer[Any]]]

    def parts_of(self, initiative: Initiative) -> QuerySet[Any]:
        """Return every part of this kind of the initiative, as shown."""
        return self.kind.parts(**{self.kind.to_initiative: initiative})

    def patch(self, request: Request, slug: str, initiative_slug: str, part_id: int) -> Response:
        """Change only the fields given."""
        actor, initiative = editable_initiative_or_404(request, slug, initiative_slug)
        parts = self.parts_of(initiative)
        part = get_object_or_404(parts, pk=part_id)
        given = self.serializer_class(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        part_save(actor=actor, part=_apply(part, given.validated_data))
        return Response(self.serializer_class(parts.get(pk=part.pk)).data)

    def delete(self, request: Request, slug: str, initiative_slug: str, part_id: int) -> Response:
        """Remove the part."""
        actor, initiative = editable_initiative_or_404(request, slug, initiative_slug)
        part = get_object_or_404(self.parts_of(initiative), pk=part_id)
        part_delete(actor=actor, part=part)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _list_schema(noun: str, serializer: type[serializers.Serializer[Any]]) -> Any:
    return extend_schema_view(
        get=extend_schema(
            summary=f"List the {noun} of an initiative.",
            responses={200: serializer(many=True), **error_responses(400, 404)},
        ),
        post=extend_schema(
            summary=f"Add to the {noun} of an initiative (its editors).",
            request=serializer,
            responses={201: serializer, **error_responses(400, 401, 403, 404)},
        ),
    )


def _item_schema(noun: str, serializer: type[serializers.Serializer[Any]]) -> Any:
    return extend_schema_view(
        patch=extend_schema(
            summary=f"Change one of the {noun} of an initiative (its editors).",
            request=serializer,
            responses={200: serializer, **error_responses(400, 401, 403, 404)},
        ),
        delete=extend_schema(
            summary=f"Remove one of the {noun} of an initiative (its editors).",
            request=None,
            responses={204: None, **error_responses(401, 403, 404)},
        ),
    )


def _apis(kind: PartKind) -> tuple[PartKind, type[PartListApi], type[PartItemApi]]:
    """Return the kind with its list and item APIs (such as MilestoneListApi)."""
    name = kind.serializer.__name__.removesuffix("Serializer")
    attributes = {"kind": kind, "serializer_class": kind.serializer, "__module__": __name__}
    list_api = type(f"{name}ListApi", (PartListApi,), dict(attributes))
    item_api = type(f"{name}ItemApi", (PartItemApi,), dict(attributes))
    return (
        kind,
        _list_schema(kind.list_noun, kind.serializer)(list_api),
        _item_schema(kind.item_noun, kind.serializer)(item_api),
    )


# Each kind with its list and item APIs, for the URL patterns.
PART_APIS = tuple(_apis(kind) for kind in PARTS)
