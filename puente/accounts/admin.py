from typing import Any

from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from puente.core.names import name_clean

from .models import User
from .services import profile_update

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
        """Save the profile through the service; the account's access rights as Django does."""
        if change:
            profile = {field: form.cleaned_data[field] for field in PROFILE_FIELDS}
            profile["country"] = str(profile["country"] or "")
            person = profile_update(person=User.objects.get(pk=obj.pk), **profile)
            for field in PROFILE_FIELDS:
                setattr(obj, field, getattr(person, field))
        super().save_model(request, obj, form, change)

    def get_inlines(
        self, request: HttpRequest, obj: User | None
    ) -> list[type[InlineModelAdmin[Any, Any]]]:
        """Show e-mail addresses when editing a person, not on the short creation form."""
        return list(super().get_inlines(request, obj)) if obj is not None else []
