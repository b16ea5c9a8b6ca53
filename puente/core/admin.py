from typing import Any, TypeVar

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from .models import Theme

_Model = TypeVar("_Model", bound=models.Model)


class ServiceAdmin(admin.ModelAdmin[_Model]):
    """An admin whose writes call the services: a refusal is a message and nothing is saved."""

    def _refused(self, request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
        if isinstance(error, ValidationError):
            text = " ".join(error.messages)
        else:
            text = _("You may not make this change.")
        self.message_user(request, text, messages.ERROR)

    def save_related(
        self,
        request: HttpRequest,
        form: ModelForm[_Model],
        formsets: list[BaseInlineFormSet[Any, Any, Any]],
        change: bool,
    ) -> None:
        """Save the inlines; the form's relations are the service's to set, not the form's."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Save through the services; show a refusal on the page it came from."""
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        try:
            # Django runs the save in a transaction: a refusal rolls every write back.
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, PermissionDenied) as error:
            self._refused(request, error)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Delete through the services; show a refusal on the page it came from."""
        if request.method != "POST":
            return super().delete_view(request, object_id, extra_context)
        try:
            return super().delete_view(request, object_id, extra_context)
        except (ValidationError, PermissionDenied) as error:
            self._refused(request, error)
            return HttpResponseRedirect(request.get_full_path())

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Run actions through the services; show a refusal above the list."""
        if request.method != "POST":
            return super().changelist_view(request, extra_context)
        try:
            return super().changelist_view(request, extra_context)
        except (ValidationError, PermissionDenied) as error:
            self._refused(request, error)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyInline(admin.TabularInline[_Model, Any]):
    """Rows shown on the parent's page; they change on their own admin pages, via services."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin[_Model]):
    """Shown, never changed here: such rows change through their pages and the API (services)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TranslationInline(ReadOnlyInline[_Model]):
    """The translations of a description or a statement, shown on their original's page."""

    fields = ["language", "translated_by", "updated_at"]
    readonly_fields = ["language", "translated_by", "updated_at"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin[Theme]):
    """Themes: fixed codes whose names come translated from ThemeCode; shown, not edited."""

    list_display = ("code", "name")
    search_fields = ("code",)
    ordering = ("code",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Theme | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Theme | None = None) -> bool:
        return False
