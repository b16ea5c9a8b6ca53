from django.contrib import admin

from puente.core.admin import ReadOnlyAdmin

from .models import Agenda, AgendaItem, AgendaVersion, Endorsement


@admin.register(Agenda)
class AgendaAdmin(ReadOnlyAdmin[Agenda]):
    list_display = ["title", "dialogue", "created_at"]
    search_fields = ["title", "dialogue__title"]
    list_select_related = ["dialogue"]


@admin.register(AgendaVersion)
class AgendaVersionAdmin(ReadOnlyAdmin[AgendaVersion]):
    list_display = ["agenda", "number", "status", "published_at"]
    list_filter = ["status", "published_at"]
    list_select_related = ["agenda"]


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin[AgendaItem]):
    list_display = ["__str__", "version", "position", "original_language"]
    list_select_related = ["version__agenda"]


@admin.register(Endorsement)
class EndorsementAdmin(ReadOnlyAdmin[Endorsement]):
    list_display = ["organisation", "version", "created_at", "withdrawn_at"]
    list_filter = ["withdrawn_at"]
    list_select_related = ["organisation", "version__agenda"]
