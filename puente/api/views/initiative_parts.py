"""Parts of an initiative: milestones, results with indicators and periods, budgets,
transactions and documents; read by its readers, written by its editors."""

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

# Pairs of dates that must come in order, end on or after start.
DATE_PAIRS = (("period_start", "period_end"),)


def _apply(part: Model, values: dict[str, Any]) -> Model:
    """Set the validated values on the part; refuse an end before its start, naming the end."""
    for name, value in values.items():
        setattr(part, name, value)
    for start, end in DATE_PAIRS:
        begins, ends = getattr(part, start, None), getattr(part, end, None)
        if begins is not None and ends is not None and ends < begins:
            raise serializers.ValidationError({end: _("The end comes before the start.")})
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


class PartListApi(generics.ListAPIView[Any]):
    """List the parts of an initiative you may read; editors add one with POST."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    filter_backends: list[Any] = []
    model: ClassVar[type[Model]]

    def parent_of(self, initiative: Initiative) -> Model:
        """Return what a new part belongs to: the initiative, unless a subclass says."""
        return initiative

    def parts_of(self, parent: Any) -> QuerySet[Any]:
        """Return the parts of the parent, as the list shows them."""
        return self.model._default_manager.filter(initiative=parent)

    def new_part(self, parent: Any) -> Model:
        """Return an unsaved part of the parent."""
        return self.model(initiative=parent)

    def get_queryset(self) -> QuerySet[Any]:
        """Return the parts, if the viewer may read the initiative."""
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks
            return self.model._default_manager.none()
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
        part = part_save(actor=actor, part=_apply(self.new_part(parent), given.validated_data))
        shown = self.parts_of(parent).get(pk=part.pk)
        return Response(self.get_serializer(shown).data, status=status.HTTP_201_CREATED)


class PartItemApi(APIView):
    """PATCH changes a part of an initiative; DELETE removes it (its editors)."""

    authentication_classes = AUTHENTICATION
    permission_classes = READ_OR_SIGNED_IN
    serializer_class: ClassVar[type[serializers.ModelSerializer[Any]]]

    def parts_of(self, initiative: Initiative) -> QuerySet[Any]:
        """Return every part of this kind of the initiative, as shown."""
        model = cast(type[Model], self.serializer_class.Meta.model)
        return model._default_manager.filter(initiative=initiative)

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


@_list_schema("milestones", MilestoneSerializer)
class MilestoneListApi(PartListApi):
    model = Milestone
    serializer_class = MilestoneSerializer


@_item_schema("milestones", MilestoneSerializer)
class MilestoneItemApi(PartItemApi):
    serializer_class = MilestoneSerializer


@_list_schema("budgets", BudgetSerializer)
class BudgetListApi(PartListApi):
    model = Budget
    serializer_class = BudgetSerializer


@_item_schema("budgets", BudgetSerializer)
class BudgetItemApi(PartItemApi):
    serializer_class = BudgetSerializer


def _transactions(initiative: Initiative) -> QuerySet[Transaction]:
    return (
        Transaction.objects.filter(initiative=initiative)
        .select_related("provider", "receiver")
        .order_by("date", "pk")
    )


@_list_schema("transactions (with their rate and amount in EUR)", TransactionSerializer)
class TransactionListApi(PartListApi):
    model = Transaction
    serializer_class = TransactionSerializer

    def parts_of(self, parent: Any) -> QuerySet[Any]:
        """Return the transactions with the rate used and the amount in EUR."""
        return _transactions(parent)


@_item_schema("transactions", TransactionSerializer)
class TransactionItemApi(PartItemApi):
    serializer_class = TransactionSerializer

    def parts_of(self, initiative: Initiative) -> QuerySet[Any]:
        """Return the transactions with the rate used and the amount in EUR."""
        return _transactions(initiative)


@_list_schema("documents", DocumentSerializer)
class DocumentListApi(PartListApi):
    model = Document
    serializer_class = DocumentSerializer


@_item_schema("documents", DocumentSerializer)
class DocumentItemApi(PartItemApi):
    serializer_class = DocumentSerializer


def _results(initiative: Initiative) -> QuerySet[Result]:
    return Result.objects.filter(initiative=initiative).prefetch_related("indicators__periods")


@_list_schema("results (with their indicators and periods)", ResultSerializer)
class ResultListApi(PartListApi):
    model = Result
    serializer_class = ResultSerializer

    def parts_of(self, parent: Any) -> QuerySet[Any]:
        """Return the results with their indicators and periods."""
        return _results(parent)


@_item_schema("results", ResultSerializer)
class ResultItemApi(PartItemApi):
    serializer_class = ResultSerializer

    def parts_of(self, initiative: Initiative) -> QuerySet[Any]:
        """Return the results with their indicators and periods."""
        return _results(initiative)


def _indicators(initiative: Initiative) -> QuerySet[Indicator]:
    return Indicator.objects.filter(result__initiative=initiative).prefetch_related("periods")


@_list_schema("indicators of a result", IndicatorSerializer)
class IndicatorListApi(PartListApi):
    model = Indicator
    serializer_class = IndicatorSerializer

    def parent_of(self, initiative: Initiative) -> Model:
        """Return the result named in the path, if it is the initiative's."""
        return get_object_or_404(Result, initiative=initiative, pk=self.kwargs["result_id"])

    def parts_of(self, parent: Any) -> QuerySet[Any]:
        """Return the result's indicators with their periods."""
        return Indicator.objects.filter(result=parent).prefetch_related("periods")

    def new_part(self, parent: Any) -> Model:
        """Return an unsaved indicator of the result."""
        return Indicator(result=parent)


@_item_schema("indicators", IndicatorSerializer)
class IndicatorItemApi(PartItemApi):
    serializer_class = IndicatorSerializer

    def parts_of(self, initiative: Initiative) -> QuerySet[Any]:
        """Return the indicators of the initiative's results."""
        return _indicators(initiative)


@_list_schema("periods of an indicator (target and actual values)", PeriodSerializer)
class PeriodListApi(PartListApi):
    model = IndicatorPeriod
    serializer_class = PeriodSerializer

    def parent_of(self, initiative: Initiative) -> Model:
        """Return the indicator named in the path, if it is one of the initiative's."""
        return get_object_or_404(
            Indicator, result__initiative=initiative, pk=self.kwargs["indicator_id"]
        )

    def parts_of(self, parent: Any) -> QuerySet[Any]:
        """Return the indicator's periods."""
        return IndicatorPeriod.objects.filter(indicator=parent).select_related("indicator")

    def new_part(self, parent: Any) -> Model:
        """Return an unsaved period of the indicator."""
        return IndicatorPeriod(indicator=parent)


@_item_schema("indicator periods", PeriodSerializer)
class PeriodItemApi(PartItemApi):
    serializer_class = PeriodSerializer

    def parts_of(self, initiative: Initiative) -> QuerySet[Any]:
        """Return the periods of the initiative's indicators."""
        return IndicatorPeriod.objects.filter(
            indicator__result__initiative=initiative
        ).select_related("indicator")
