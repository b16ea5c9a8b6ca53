from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from puente.core.choices import Region

from .models import FacilitatorInvitation, Partnership, PartnershipMember


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
        fields = ["title", "slug", "description", "regions", "visibility", "facilitators"]


class PartnershipMemberInline(admin.TabularInline[PartnershipMember, Partnership]):
    model = PartnershipMember
    extra = 0
    raw_id_fields = ["organisation"]
    readonly_fields = ["joined_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[PartnershipMember]:
        return super().get_queryset(request).select_related("organisation")


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin[Partnership]):
    form = PartnershipAdminForm
    list_display = ["title", "visibility", "created_at"]
    list_filter = ["visibility", "created_at"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["facilitators"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [PartnershipMemberInline]

    def save_model(self, request: HttpRequest, obj: Partnership, form: Any, change: bool) -> None:
        if not change and obj.created_by_id is None and request.user.is_authenticated:
            obj.created_by_id = request.user.pk
        super().save_model(request, obj, form, change)


@admin.register(PartnershipMember)
class PartnershipMemberAdmin(admin.ModelAdmin[PartnershipMember]):
    list_display = ["organisation", "partnership", "joined_at"]
    list_filter = ["partnership"]
    list_select_related = ["organisation", "partnership"]
    search_fields = ["organisation__name", "organisation__acronym", "partnership__title"]
    raw_id_fields = ["organisation", "partnership"]
    readonly_fields = ["joined_at"]


@admin.register(FacilitatorInvitation)
class FacilitatorInvitationAdmin(admin.ModelAdmin[FacilitatorInvitation]):
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
