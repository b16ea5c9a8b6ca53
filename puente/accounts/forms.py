from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import User, time_zone_choices


def _language_choices() -> list[tuple[str, Any]]:
    return [("", _("Follow the language menu")), *settings.LANGUAGES]


class ProfileForm(forms.ModelForm[User]):
    """A person's own profile."""

    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=_language_choices,
        required=False,
        help_text=_("Puente uses this language whenever you are signed in."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("Dates and times are shown in this time zone."),
    )

    class Meta:
        model = User
        fields = ["name", "preferred_language", "country", "time_zone"]
        help_texts = {"name": _("Shown next to what you publish.")}
        widgets = {"name": forms.TextInput(attrs={"autocomplete": "name"})}


class LanguageForm(forms.Form):
    """The language switcher on every page."""

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, max_length=2000)


class AccountDeleteForm(forms.Form):
    """Confirmation of account deletion by password."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.person.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="wrong_password")
        return password


class SignupForm(AllauthSignupForm):  # type: ignore[misc]  # allauth is untyped
    """allauth's sign-up, doing the same work whether the address is known or new."""

    def try_save(self, request: HttpRequest) -> tuple[Any, Any]:
        """Hash the password for a known address too, then let allauth answer as for a new one."""
        if self.account_already_exists:
            # A new account's password is hashed; without this, a known address answers
            # in a fraction of the time and the timing tells who has an account.
            make_password(self.cleaned_data["password1"])
        saved: tuple[Any, Any] = super().try_save(request)
        return saved
