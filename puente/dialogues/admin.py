from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Dialogue, Participation


class _ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Shown, never changed here: dialogues change through their pages and the API (services)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Dialogue)
class DialogueAdmin(_ReadOnlyAdmin):
    list_display = ["title", "partnership", "phase", "participation", "created_at"]
    list_filter = ["phase", "participation", "created_at"]
    search_fields = ["title", "slug", "framing_question"]
    list_select_related = ["partnership"]


@admin.register(Participation)
class ParticipationAdmin(_ReadOnlyAdmin):
    list_display = ["dialogue", "person", "organisation", "region", "stakeholder_type"]
    list_filter = ["region", "stakeholder_type"]
    list_select_related = ["dialogue", "person", "organisation"]
