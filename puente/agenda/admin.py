from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Agenda, AgendaItem, AgendaVersion, Endorsement


class _ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Shown, never changed here: agendas change through their pages and the API (services)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Agenda)
class AgendaAdmin(_ReadOnlyAdmin):
    list_display = ["title", "dialogue", "created_at"]
    search_fields = ["title", "dialogue__title"]
    list_select_related = ["dialogue"]


@admin.register(AgendaVersion)
class AgendaVersionAdmin(_ReadOnlyAdmin):
    list_display = ["agenda", "number", "status", "published_at"]
    list_filter = ["status", "published_at"]
    list_select_related = ["agenda"]


@admin.register(AgendaItem)
class AgendaItemAdmin(_ReadOnlyAdmin):
    list_display = ["__str__", "version", "position", "original_language"]
    list_select_related = ["version__agenda"]


@admin.register(Endorsement)
class EndorsementAdmin(_ReadOnlyAdmin):
    list_display = ["organisation", "version", "created_at", "withdrawn_at"]
    list_filter = ["withdrawn_at"]
    list_select_related = ["organisation", "version__agenda"]
