from django.contrib import admin

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


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin[ExchangeRate]):
    list_display = ["currency", "date", "rate", "source"]
    list_filter = ["currency"]


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin[Pledge]):
    list_display = ["description", "organisation", "partnership", "kind", "status", "due_date"]
    list_filter = ["status", "kind"]


for model in (Budget, Document, Milestone, Place, Result, Indicator, IndicatorPeriod):
    admin.site.register(model)
