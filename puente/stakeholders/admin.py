from django.contrib import admin, messages
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from puente.accounts.http import signed_in_person
from puente.core.admin import ReadOnlyInline, ServiceAdmin, TranslationInline
from puente.core.types import UNSET

from .models import Invitation, Membership, Organisation, OrganisationTranslation
from .services import (
    PROFILE_FIELDS,
    invitation_revoke,
    membership_approve,
    membership_decline,
    membership_remove,
    membership_role_set,
    organisation_create,
    organisation_delete,
    organisation_update,
    organisation_verify,
)


class OrganisationTranslationInline(TranslationInline[OrganisationTranslation]):
    model = OrganisationTranslation


class MembershipInline(ReadOnlyInline[Membership]):
    model = Membership
    fields = ["person", "role", "status", "created_at", "decided_at"]
    readonly_fields = ["person", "role", "status", "created_at", "decided_at"]


@admin.register(Organisation)
class OrganisationAdmin(ServiceAdmin[Organisation]):
    list_display = ["name", "acronym", "stakeholder_type", "region", "country", "is_verified"]
    list_filter = ["is_verified", "stakeholder_type", "region", "themes"]
    search_fields = ["name", "acronym", "also_known_as", "description"]
    filter_horizontal = ["themes"]
    readonly_fields = ["slug", "created_by", "created_at", "updated_at"]
    inlines = [MembershipInline, OrganisationTranslationInline]
    actions = ["mark_verified", "mark_unverified"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(
        self, request: HttpRequest, obj: Organisation, form: ModelForm[Organisation], change: bool
    ) -> None:
        """Register or edit the organisation through the services."""
        actor = signed_in_person(request)
        data = form.cleaned_data
        profile = {field: data[field] for field in PROFILE_FIELDS if field in data}
        profile["country"] = str(profile.get("country", ""))
        logo = data.get("logo")
        if change:
            # The form has already changed obj; the service compares with what is stored.
            organisation = organisation_update(
                actor=actor,
                organisation=Organisation.objects.get(pk=obj.pk),
                themes=data.get("themes", UNSET),
                logo=logo if isinstance(logo, UploadedFile) else None if logo is False else UNSET,
                **profile,
            )
        else:
            organisation = organisation_create(
                creator=actor,
                themes=data.get("themes", ()),
                logo=logo if isinstance(logo, UploadedFile) else None,
                **profile,
            )
        if "is_verified" in data and data["is_verified"] != organisation.is_verified:
            organisation_verify(
                actor=actor, organisation=organisation, is_verified=data["is_verified"]
            )
        # The admin goes on with obj: to its log entry and the page it redirects to.
        obj.pk, obj.slug, obj.name = organisation.pk, organisation.slug, organisation.name

    def delete_model(self, request: HttpRequest, obj: Organisation) -> None:
        """Delete through the service."""
        organisation_delete(actor=signed_in_person(request), organisation=obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Organisation]) -> None:
        """Delete each one through the service, all or none."""
        for organisation in queryset:
            organisation_delete(actor=signed_in_person(request), organisation=organisation)

    @transaction.atomic
    def _set_verified(
        self, request: HttpRequest, organisations: QuerySet[Organisation], is_verified: bool
    ) -> int:
        actor = signed_in_person(request)
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
class MembershipAdmin(ServiceAdmin[Membership]):
    """Memberships: the role changes and removals go through the services and their rules."""

    list_display = ["person", "organisation", "role", "status", "created_at", "decided_at"]
    list_filter = ["role", "status"]
    search_fields = ["person__email", "person__name", "organisation__name"]
    list_select_related = ["person", "organisation"]
    fields = ["person", "organisation", "status", "role", "created_at", "decided_at"]
    readonly_fields = ["person", "organisation", "status", "created_at", "decided_at"]
    actions = ["approve"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        """People ask to join, or are invited, on the site."""
        return False

    def save_model(
        self, request: HttpRequest, obj: Membership, form: ModelForm[Membership], change: bool
    ) -> None:
        """Change the role through the service, which keeps one admin at least."""
        stored = Membership.objects.get(pk=obj.pk)
        if obj.role != stored.role:
            membership_role_set(actor=signed_in_person(request), membership=stored, role=obj.role)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        """Remove a member, or decline a request, through the services."""
        actor = signed_in_person(request)
        if obj.is_active:
            membership_remove(actor=actor, membership=obj)
        else:
            membership_decline(actor=actor, membership=obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        """Remove each one through the services, all or none."""
        for membership in queryset:
            self.delete_model(request, membership)

    @admin.action(description=gettext_lazy("Approve the selected requests to join"))
    @transaction.atomic
    def approve(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        """Approve pending requests through the service."""
        actor = signed_in_person(request)
        pending = list(queryset.filter(status=Membership.Status.PENDING))
        for membership in pending:
            membership_approve(actor=actor, membership=membership)
        self.message_user(
            request,
            ngettext("%(count)s request approved.", "%(count)s requests approved.", len(pending))
            % {"count": len(pending)},
            messages.SUCCESS,
        )


@admin.register(Invitation)
class InvitationAdmin(ServiceAdmin[Invitation]):
    """Invitations are sent on the site; here they are read, or revoked through the service."""

    list_display = ["email", "organisation", "role", "invited_by", "created_at", "accepted_at"]
    list_filter = ["role", ("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation", "invited_by"]
    readonly_fields = ["token", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Invitation | None = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Invitation) -> None:
        """Revoke through the service, which keeps accepted invitations."""
        invitation_revoke(actor=signed_in_person(request), invitation=obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        """Revoke each one through the service, all or none."""
        for invitation in queryset:
            self.delete_model(request, invitation)
