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
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from puente.core.names import name_clean

from .models import User
from .services import (
    account_delete,
    account_deletion_blocks,
    profile_update,
    token_revoke,
    token_revoke_all,
)

PROFILE_FIELDS = ("name", "preferred_language", "country", "time_zone")


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

    def clean_name(self) -> str:
        """Normalise the name as the profile service does."""
        return name_clean(self.cleaned_data["name"])


class PersonChangeForm(UserChangeForm[User]):
    """Edit a person in the admin."""

    class Meta:
        model = User
        fields = "__all__"

    def clean_name(self) -> str:
        """Normalise the name as the profile service does."""
        return name_clean(self.cleaned_data["name"])


class EmailAddressInline(admin.TabularInline[EmailAddress, User]):
    """A person's e-mail addresses, shown: people change them, verified, on the site."""

    model = EmailAddress
    extra = 0
    can_delete = False
    fields = ("email", "verified", "primary")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        """Save the profile through the service; deactivating revokes the API tokens."""
        if change:
            profile = {field: form.cleaned_data[field] for field in PROFILE_FIELDS}
            profile["country"] = str(profile["country"] or "")
            person = profile_update(person=User.objects.get(pk=obj.pk), **profile)
            for field in PROFILE_FIELDS:
                setattr(obj, field, getattr(person, field))
        super().save_model(request, obj, form, change)
        if change and not obj.is_active:
            token_revoke_all(person=obj)

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

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Set a new password; the person's API tokens are revoked with the old one."""
        response = super().user_change_password(request, id, form_url)
        person = self.get_object(request, id)
        if request.method == "POST" and response.status_code == 302 and person is not None:
            token_revoke_all(person=person)
        return response


# knox's own admin creates tokens outside the services and shows their digests.
admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class AuthTokenAdmin(admin.ModelAdmin[AuthToken]):
    """API tokens, read-only: revoking goes through the account services."""

    list_display = ("user", "key_start", "created", "expiry")
    list_select_related = ("user",)
    search_fields = ("user__email",)
    ordering = ("-created",)
    fields = ("user", "key_start", "created", "expiry")
    readonly_fields = fields
    actions = ("revoke",)

    @admin.display(description=_("starts with"))
    def key_start(self, token: AuthToken) -> str:
        """Return the first characters of the token, enough to recognise it."""
        return f"{token.token_key[:8]}…"

    @admin.action(description=_("Revoke the selected API tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[AuthToken]) -> None:
        """Revoke each selected token through the account services."""
        for token in queryset.select_related("user"):
            token_revoke(person=token.user, token=token)

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Tokens are created by their owners, on the website or through the API."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuthToken | None = None) -> bool:
        """Tokens cannot be edited."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuthToken | None = None) -> bool:
        """Tokens are revoked with the revoke action, which goes through the services."""
        return False
