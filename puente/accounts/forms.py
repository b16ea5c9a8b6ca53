from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import User, time_zone_choices


class ProfileForm(forms.ModelForm[User]):
    """A person's own profile."""

    time_zone = forms.ChoiceField(label=_("time zone"), choices=time_zone_choices)

    class Meta:
        model = User
        fields = ["name", "preferred_language", "country", "time_zone"]


class LanguageForm(forms.Form):
    """The language switcher on every page."""

    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False, max_length=2000)


class AccountDeleteForm(forms.Form):
    """Confirmation of account deletion by password."""

    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: object, person: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.person = person

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.person.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password
