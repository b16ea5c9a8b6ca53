from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from puente.accounts.models import User

from .forms import OrganisationAdminForm
from .models import Invitation, Membership, Organisation
from .services import organisation_verify


class MembershipInline(admin.TabularInline[Membership, Organisation]):
    model = Membership
    extra = 0
    fields = ["person", "role", "status", "created_at", "decided_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["person"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    form = OrganisationAdminForm
    list_display = ["name", "acronym", "stakeholder_type", "region", "country", "is_verified"]
    list_editable = ["is_verified"]
    list_filter = ["is_verified", "stakeholder_type", "region", "themes"]
    search_fields = ["name", "acronym", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["themes"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MembershipInline]
    actions = ["mark_verified", "mark_unverified"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def _set_verified(
        self, request: HttpRequest, organisations: QuerySet[Organisation], is_verified: bool
    ) -> int:
        actor = request.user
        if not isinstance(actor, User):
            raise PermissionDenied
        for organisation in organisations:
            organisation_verify(actor=actor, organisation=organisation, is_verified=is_verified)
        return len(organisations)

    @admin.action(description=gettext_lazy("Mark the selected organisations as verified"))
    def mark_verified(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        """Verify the selected organisations through the service, which checks the actor."""
        count = self._set_verified(request, queryset, is_verified=True)
        self.message_user(
            request,
            ngettext(
                "%(count)s organisation marked as verified.",
                "%(count)s organisations marked as verified.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Remove the verified mark from the selected ones"))
    def mark_unverified(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        """Clear the verification of the selected organisations."""
        count = self._set_verified(request, queryset, is_verified=False)
        self.message_user(
            request,
            ngettext(
                "%(count)s organisation no longer marked as verified.",
                "%(count)s organisations no longer marked as verified.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["person", "organisation", "role", "status", "created_at", "decided_at"]
    list_filter = ["role", "status"]
    search_fields = ["person__email", "person__name", "organisation__name"]
    list_select_related = ["person", "organisation"]
    raw_id_fields = ["person", "organisation"]
    readonly_fields = ["created_at"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["email", "organisation", "role", "invited_by", "created_at", "accepted_at"]
    list_filter = ["role", ("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation", "invited_by"]
    raw_id_fields = ["organisation", "invited_by"]
    readonly_fields = ["token", "created_at"]
