from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import (
    Budget,
    Document,
    ExchangeRate,
    Indicator,
    IndicatorPeriod,
    Initiative,
    InitiativeSector,
    Milestone,
    ParticipatingOrganisation,
    Place,
    Pledge,
    RecipientCountry,
    RecipientRegion,
    Result,
    Transaction,
)
from .services import rates_changed, transactions_convert


class SectorInline(admin.TabularInline[InitiativeSector, Initiative]):
    model = InitiativeSector
    extra = 0


class CountryInline(admin.TabularInline[RecipientCountry, Initiative]):
    model = RecipientCountry
    extra = 0


class RegionInline(admin.TabularInline[RecipientRegion, Initiative]):
    model = RecipientRegion
    extra = 0


class ParticipantInline(admin.TabularInline[ParticipatingOrganisation, Initiative]):
    model = ParticipatingOrganisation
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin[Initiative]):
    list_display = ["title", "partnership", "status", "iati_identifier", "visibility"]
    list_filter = ["status", "visibility", "partnership"]
    search_fields = ["title", "iati_identifier"]
    inlines = [SectorInline, CountryInline, RegionInline, ParticipantInline]
    filter_horizontal = ["agenda_items"]


@admin.register(Transaction)
class TransactionAdmin(admin.ModelAdmin[Transaction]):
    list_display = ["initiative", "type", "date", "value", "currency", "provider", "receiver"]
    list_filter = ["type", "currency"]
    autocomplete_fields = ["provider", "receiver"]
    readonly_fields = ["rate", "eur"]

    def save_model(self, request: HttpRequest, obj: Transaction, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transactions_convert(Transaction.objects.filter(pk=obj.pk))


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin[ExchangeRate]):
    """Rates written here convert the transactions they concern again, as an upload does."""

    list_display = ["currency", "date", "rate", "source"]
    list_filter = ["currency"]

    def save_model(self, request: HttpRequest, obj: ExchangeRate, form: Any, change: bool) -> None:
        before = ExchangeRate.objects.filter(pk=obj.pk).values_list("currency", "date").first()
        super().save_model(request, obj, form, change)
        rates_changed([(obj.currency, obj.date), *([before] if before else [])])

    def delete_model(self, request: HttpRequest, obj: ExchangeRate) -> None:
        changed = (obj.currency, obj.date)
        super().delete_model(request, obj)
        rates_changed([changed])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ExchangeRate]) -> None:
        changed = list(queryset.values_list("currency", "date"))
        super().delete_queryset(request, queryset)
        rates_changed(changed)


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin[Pledge]):
    list_display = ["description", "organisation", "partnership", "kind", "status", "due_date"]
    list_filter = ["status", "kind"]


for model in (Budget, Document, Milestone, Place, Result, Indicator, IndicatorPeriod):
    admin.site.register(model)
