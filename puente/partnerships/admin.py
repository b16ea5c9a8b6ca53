from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from puente.accounts.http import signed_in_person
from puente.core.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin, TranslationInline
from puente.core.choices import Region

from .models import FacilitatorInvitation, Partnership, PartnershipMember, PartnershipTranslation
from .services import (
    EDITABLE_FIELDS,
    partnership_create,
    partnership_delete,
    partnership_member_add,
    partnership_member_remove,
    partnership_update,
)


class PartnershipAdminForm(forms.ModelForm[Partnership]):
    """Regions as checkboxes, so that only known region codes are stored."""

    regions = forms.MultipleChoiceField(
        label=_("regions"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Partnership
        fields = list(EDITABLE_FIELDS)


class PartnershipTranslationInline(TranslationInline[PartnershipTranslation]):
    model = PartnershipTranslation


class PartnershipMemberInline(ReadOnlyInline[PartnershipMember]):
    model = PartnershipMember
    fields = ["organisation", "joined_at"]
    readonly_fields = ["organisation", "joined_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[PartnershipMember]:
        return super().get_queryset(request).select_related("organisation")


@admin.register(Partnership)
class PartnershipAdmin(ServiceAdmin[Partnership]):
    """Partnerships: settings through the services; facilitators and members shown here."""

    form = PartnershipAdminForm
    list_display = ["title", "visibility", "is_discoverable", "created_at"]
    list_filter = ["visibility", "created_at"]
    search_fields = ["title", "slug", "description"]
    readonly_fields = ["slug", "facilitators", "created_by", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [PartnershipMemberInline, PartnershipTranslationInline]

    def save_model(
        self, request: HttpRequest, obj: Partnership, form: ModelForm[Partnership], change: bool
    ) -> None:
        """Open or change the partnership through the services; its opener facilitates it."""
        actor = signed_in_person(request)
        settings = {field: form.cleaned_data[field] for field in EDITABLE_FIELDS}
        if change:
            # The form has already changed obj; the service compares with what is stored.
            partnership = partnership_update(
                actor=actor, partnership=Partnership.objects.get(pk=obj.pk), **settings
            )
        else:
            partnership = partnership_create(actor=actor, facilitators=[actor], **settings)
        # The admin goes on with obj: to its log entry and the page it redirects to.
        obj.pk, obj.slug, obj.title = partnership.pk, partnership.slug, partnership.title
        obj.created_by = partnership.created_by

    def delete_model(self, request: HttpRequest, obj: Partnership) -> None:
        """Delete through the service."""
        partnership_delete(actor=signed_in_person(request), partnership=obj)

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Partnership]) -> None:
        """Delete each one through the service, all or none."""
        for partnership in queryset:
            self.delete_model(request, partnership)


@admin.register(PartnershipMember)
class PartnershipMemberAdmin(ServiceAdmin[PartnershipMember]):
    """Member organisations: added and removed through the services."""

    list_display = ["organisation", "partnership", "joined_at"]
    list_filter = ["partnership"]
    list_select_related = ["organisation", "partnership"]
    search_fields = ["organisation__name", "organisation__acronym", "partnership__title"]
    raw_id_fields = ["organisation", "partnership"]
    readonly_fields = ["joined_at"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: PartnershipMember | None = None
    ) -> list[str]:
        """A link is added or removed, never changed."""
        if obj is None:
            return ["joined_at"]
        return ["organisation", "partnership", "joined_at"]

    def save_model(
        self,
        request: HttpRequest,
        obj: PartnershipMember,
        form: ModelForm[PartnershipMember],
        change: bool,
    ) -> None:
        """Add the organisation through the service."""
        if change:
            return
        member = partnership_member_add(
            actor=signed_in_person(request),
            partnership=obj.partnership,
            organisation=obj.organisation,
        )
        obj.pk, obj.joined_at = member.pk, member.joined_at

    def delete_model(self, request: HttpRequest, obj: PartnershipMember) -> None:
        """Remove the organisation through the service."""
        partnership_member_remove(
            actor=signed_in_person(request),
            partnership=obj.partnership,
            organisation=obj.organisation,
        )

    @transaction.atomic
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[PartnershipMember]) -> None:
        """Remove each one through the service, all or none."""
        for member in queryset:
            self.delete_model(request, member)


@admin.register(FacilitatorInvitation)
class FacilitatorInvitationAdmin(ReadOnlyAdmin[FacilitatorInvitation]):
    """Invitations to facilitate, for support: read-only, since only the invited person answers."""

    list_display = [
        "email",
        "partnership",
        "invited_by",
        "created_at",
        "accepted_at",
        "declined_at",
    ]
    list_filter = [("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "partnership__title"]
    list_select_related = ["partnership", "invited_by"]
