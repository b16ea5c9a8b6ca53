from typing import Any

from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import User
from .services import account_delete, account_deletion_blocks


class PersonCreationForm(AdminUserCreationForm):
    """Create a person in the admin: e-mail and, optionally, a password."""

    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        """Store addresses in lower case and refuse one that differs only in case."""
        email: str = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("A person with this e-mail address already exists."), code="unique"
            )
        return email


class PersonChangeForm(UserChangeForm[User]):
    """Edit a person in the admin."""

    class Meta:
        model = User
        fields = "__all__"


class EmailAddressInline(admin.TabularInline[EmailAddress, User]):
    """A person's e-mail addresses, editable on their admin page."""

    model = EmailAddress
    extra = 0
    fields = ("email", "verified", "primary")


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    """People, found by e-mail or name; the custom User has no username or first/last name."""

    form = PersonChangeForm
    add_form = PersonCreationForm
    inlines = (EmailAddressInline,)
    list_display = ("email", "name", "country", "is_staff", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "preferred_language", "country")
    search_fields = ("email", "name")
    ordering = ("email",)
    date_hierarchy = "date_joined"
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("name", "preferred_language", "country", "time_zone")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "name", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_inlines(
        self, request: HttpRequest, obj: User | None
    ) -> list[type[InlineModelAdmin[Any, Any]]]:
        """Show e-mail addresses when editing a person, not on the short creation form."""
        return list(super().get_inlines(request, obj)) if obj is not None else []

    def get_deleted_objects(
        self, objs: Any, request: HttpRequest
    ) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
        """List what deleting would remove; a last admin or facilitator shows as protected."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Django's confirmation page offers no "Yes" while anything is protected.
        protected = list(protected) + [
            block.to_admin for person in objs for block in account_deletion_blocks(person=person)
        ]
        return deleted, counts, perms_needed, protected

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        """Delete the person through the service, which keeps the last-admin rule."""
        account_delete(person=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Delete the people through the service, all or none."""
        try:
            with transaction.atomic():
                for person in queryset:
                    account_delete(person=person)
        except ValidationError as error:
            # Only if someone became a last admin after the confirmation page was shown.
            for message in error.messages:
                messages.error(request, message)
