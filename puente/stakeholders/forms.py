from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from puente.core.choices import Region, StakeholderType, ThemeCode, region_for
from puente.core.content_language import active_language
from puente.core.markdown import MARKDOWN_HELP_TEXT
from puente.core.models import Theme
from puente.core.validators import validate_logo
from puente.core.widgets import ChoiceFilterWidget

from .models import Membership, Organisation
from .services import PROFILE_FIELDS

QUERY_MAX_LENGTH = 200


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """A multiple choice that drops values it does not offer, so that old links keep working."""

    def clean(self, value: Any) -> list[str]:
        """Return the offered values among those given, in the order given."""
        return [item for item in self.to_python(value) if self.valid_value(item)]


def country_choices(codes: Iterable[str]) -> list[tuple[str, str]]:
    """Return (code, name) pairs for the codes, sorted by name in the active language."""
    return list(_country_choices(tuple(codes), get_language()))


@lru_cache(maxsize=64)
def _country_choices(codes: tuple[str, ...], language: str) -> tuple[tuple[str, str], ...]:
    # Naming and sorting every country costs milliseconds: the directory asks on every request.
    return tuple(
        sorted(((code, str(countries.name(code))) for code in codes), key=lambda pair: pair[1])
    )


def country_choice_groups(codes: Iterable[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Return the countries grouped by region (in region order), each sorted by name."""
    by_region: dict[str, list[tuple[str, str]]] = {}
    for code, name in country_choices(codes):
        by_region.setdefault(region_for(code), []).append((code, name))
    return [
        (str(label), by_region[region]) for region, label in Region.choices if region in by_region
    ]


class OrganisationFilterForm(forms.Form):
    """The directory's search box and filters, read from the query string."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        help_text=_("Name, acronym or description."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    type = LenientMultipleChoiceField(
        label=_("Stakeholder type"),
        required=False,
        choices=StakeholderType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    region = LenientMultipleChoiceField(
        label=_("Region"),
        required=False,
        choices=Region.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    country = LenientMultipleChoiceField(
        label=_("Country"),
        required=False,
        help_text=_("Choose as many as you like."),
        widget=ChoiceFilterWidget,
    )
    theme = LenientMultipleChoiceField(
        label=_("Theme"),
        required=False,
        choices=ThemeCode.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, country_codes: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country_field = self.fields["country"]
        assert isinstance(country_field, forms.ChoiceField)  # noqa: S101  # declared above
        country_field.choices = country_choice_groups(country_codes)

    def selector_arguments(self) -> dict[str, Any]:
        """Return the keyword arguments for selectors.organisation_list."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {
            "query": data.get("q") or "",
            "stakeholder_types": data.get("type") or [],
            "regions": data.get("region") or [],
            "countries": data.get("country") or [],
            "themes": data.get("theme") or [],
        }


class OrganisationForm(forms.ModelForm[Organisation]):
    """An organisation's public profile, as its admins edit it."""

    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("Work it out from the country")), *Region.choices],
    )
    website = forms.URLField(
        label=_("Website"), max_length=300, required=False, assume_scheme="https"
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    logo = forms.ImageField(
        label=_("Logo"),
        required=False,
        validators=[validate_logo],
        help_text=_("PNG, JPEG, WebP or GIF, up to 1 MB."),
    )
    is_verified = forms.BooleanField(
        label=_("Verified by the platform"),
        required=False,
        help_text=_("Only platform admins see and set this."),
    )

    class Meta:
        model = Organisation
        fields = [*PROFILE_FIELDS, "themes", "logo"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"description": MARKDOWN_HELP_TEXT}

    def __init__(self, *args: Any, can_verify: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Optional, so that a form without it (an older page, a script) keeps the language.
        self.fields["description_language"].required = False
        if self.instance.pk is None:
            self.fields["description_language"].initial = active_language()
        if can_verify:
            self.fields["is_verified"].initial = self.instance.is_verified
        else:
            del self.fields["is_verified"]

    def clean_description_language(self) -> str:
        """Keep the stored language (or take the writer's) when none is given."""
        given: str = self.cleaned_data.get("description_language") or ""
        if given:
            return given
        return self.instance.description_language if self.instance.pk else active_language()

    def clean(self) -> dict[str, Any]:
        """Work out the region from the country when none is chosen."""
        cleaned = super().clean() or {}
        if cleaned.get("country"):
            cleaned["region"] = region_for(str(cleaned["country"]), cleaned.get("region") or "")
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        """Return the cleaned profile as keyword arguments for the organisation services."""
        data = dict(self.cleaned_data)
        data.pop("is_verified", None)
        data["country"] = str(data["country"])
        logo = data.pop("logo", None)
        if isinstance(logo, UploadedFile):
            data["logo"] = logo
        elif logo is False and self.instance.pk is not None:
            # The form's "clear" box: the service removes the logo when given None.
            data["logo"] = None
        return data


class MembershipRoleForm(forms.Form):
    """An admin's choice of role for an active member."""

    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class InvitationForm(forms.Form):
    """An admin's invitation of a person by e-mail."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )

    def clean_email(self) -> str:
        """Compare addresses without regard to case."""
        email: str = self.cleaned_data["email"]
        return email.strip().lower()


class VerifyForm(forms.Form):
    """A platform admin's verification switch."""

    is_verified = forms.BooleanField(required=False)
