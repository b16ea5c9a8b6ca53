"""Query parameters of the list endpoints: parsed and documented here, applied by selectors."""

from collections.abc import Iterator
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field

from puente.core.choices import Region, StakeholderType, ThemeCode
from puente.initiatives.models import ActivityStatus, ExchangeRate, Initiative
from puente.initiatives.selectors import PortfolioFilters, initiative_list
from puente.partnerships.models import Partnership
from puente.partnerships.selectors import partnership_list
from puente.stakeholders.models import Membership, Organisation
from puente.stakeholders.selectors import organisation_list

from .serializers import BLANK_PARAMETER

QUERY_MAX_LENGTH = 200


def country_choices() -> list[tuple[str, str]]:
    """Return (code, name) for every ISO 3166-1 country, names in the active language."""
    return [(country.code, str(country.name)) for country in countries]


class CountryChoices:
    """The (code, name) pairs of country_choices, listed when iterated rather than at import."""

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(country_choices())


@extend_schema_field({"type": "string", "maxLength": QUERY_MAX_LENGTH})
class QueryFilter(django_filters.CharFilter):  # type: ignore[misc]  # untyped
    """Words to search for; empty searches for nothing in particular."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=QUERY_MAX_LENGTH, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**31 - 1})
class IdFilter(django_filters.NumberFilter):  # type: ignore[misc]  # untyped
    """A stable identifier: a whole number from 1."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=2**31 - 1, **kwargs)


class StrictFilterSet(django_filters.FilterSet):  # type: ignore[misc]  # untyped
    """Refuse a parameter given without a value: ?visibility= is a mistake, not "any"."""

    def is_valid(self) -> bool:
        """Validate the parameters, and refuse those given empty (search words excepted)."""
        valid: bool = super().is_valid()
        for name, given in self.filters.items():
            if isinstance(given, QueryFilter) or name not in self.data:
                continue
            if any(not value.strip() for value in self.data.getlist(name)):
                self.form.add_error(name, ValidationError(BLANK_PARAMETER, code="blank"))
                valid = False
        return valid


class BooleanParameterField(forms.Field):
    """Accept true or false, in any letter case, and nothing else."""

    def to_python(self, value: Any) -> bool | None:
        """Return True, False, or None when the parameter is left out."""
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text not in {"true", "false"}:
            raise ValidationError(_("Give true or false."), code="invalid")
        return text == "true"


class BooleanParameterFilter(django_filters.BooleanFilter):  # type: ignore[misc]  # untyped
    field_class = BooleanParameterField


class CountryCodesField(forms.MultipleChoiceField):
    """Accept country codes in any letter case."""

    def to_python(self, value: Any) -> list[str]:
        """Return the codes in upper case."""
        return [str(code).strip().upper() for code in super().to_python(value)]


class CountryCodesFilter(django_filters.MultipleChoiceFilter):  # type: ignore[misc]  # untyped
    field_class = CountryCodesField


class OrganisationFilter(StrictFilterSet):
    """Filter the directory the way the web page does; repeat a parameter to match any value."""

    q = QueryFilter(label=_("Words to find in the name, acronym or description."))
    type = django_filters.MultipleChoiceFilter(
        field_name="stakeholder_type", choices=StakeholderType.choices, label=_("Stakeholder type.")
    )
    region = django_filters.MultipleChoiceFilter(choices=Region.choices, label=_("Region."))
    # An iterable, not a callable, so that the schema lists the codes.
    country = CountryCodesFilter(
        choices=CountryChoices(), label=_("ISO 3166-1 alpha-2 country code.")
    )
    theme = django_filters.MultipleChoiceFilter(
        field_name="themes__code", choices=ThemeCode.choices, label=_("Theme code.")
    )
    verified = BooleanParameterFilter(
        field_name="is_verified", label=_("Only verified (true) or unverified (false).")
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
        """Return the organisations the organisation_list selector finds for the parameters."""
        given = self.form.cleaned_data
        return organisation_list(
            query=given.get("q") or "",
            stakeholder_types=given.get("type") or (),
            regions=given.get("region") or (),
            countries=given.get("country") or (),
            themes=given.get("theme") or (),
            is_verified=given.get("verified"),
        )


class PartnershipFilter(StrictFilterSet):
    """Find partnerships by words in their title and by visibility."""

    q = QueryFilter(label=_("Words in the title."))
    visibility = django_filters.ChoiceFilter(
        choices=Partnership.Visibility.choices, label=_("Visibility.")
    )

    class Meta:
        model = Partnership
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Partnership]) -> QuerySet[Partnership]:
        """Return what the partnership_list selector lets the viewer read, narrowed."""
        given = self.form.cleaned_data
        partnerships = partnership_list(
            viewer=self.request.user, query=given.get("q") or "", with_translations=True
        )
        if given.get("visibility"):
            partnerships = partnerships.filter(visibility=given["visibility"])
        return partnerships


class MembershipFilter(StrictFilterSet):
    """Narrow memberships by status and role."""

    status = django_filters.ChoiceFilter(choices=Membership.Status.choices, label=_("Status."))
    role = django_filters.ChoiceFilter(choices=Membership.Role.choices, label=_("Role."))

    class Meta:
        model = Membership
        fields: list[str] = []


class InitiativeFilter(StrictFilterSet):
    """Narrow the initiatives the way the portfolio page does; each parameter at most once."""

    q = QueryFilter(label=_("Words in the title, description or IATI identifier."))
    status = django_filters.ChoiceFilter(choices=ActivityStatus.choices, label=_("IATI status."))
    country = django_filters.ChoiceFilter(
        choices=CountryChoices(), label=_("Recipient country (ISO 3166-1 alpha-2).")
    )
    sector = QueryFilter(label=_("OECD-DAC 5-digit sector code, such as 22040."))
    contributor = QueryFilter(label=_("Slug of a funding organisation."))
    theme = django_filters.ChoiceFilter(choices=ThemeCode.choices, label=_("Theme code."))
    agenda_item = IdFilter(label=_("Id of an agenda item the initiative serves."))
    partnership = QueryFilter(label=_("Slug of a partnership."))

    class Meta:
        model = Initiative
        fields: list[str] = []

    def partnership_slug(self) -> str:
        """Return the slug of the partnership to narrow to; empty for every partnership."""
        return str(self.form.cleaned_data.get("partnership") or "")

    def filter_queryset(self, queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
        """Return what the initiative_list selector finds for the viewer and parameters."""
        given = self.form.cleaned_data
        agenda_item = given.get("agenda_item")
        return initiative_list(
            viewer=self.request.user,
            filters=PortfolioFilters(
                q=given.get("q") or "",
                status=given.get("status") or "",
                country=given.get("country") or "",
                sector=given.get("sector") or "",
                contributor=given.get("contributor") or "",
                theme=given.get("theme") or "",
                agenda_item=int(agenda_item) if agenda_item is not None else None,
                partnership=self.partnership_slug(),
            ),
        )


class PartnershipInitiativeFilter(InitiativeFilter):
    """The same parameters within one partnership: the one of the path, not a parameter."""

    partnership = None  # type: ignore[assignment]  # django-filter drops a filter set to None

    def partnership_slug(self) -> str:
        """Return the slug in the path (the view has checked that the viewer may read it)."""
        return str(self.request.parser_context["kwargs"]["slug"])


class ExchangeRateFilter(StrictFilterSet):
    """Narrow the reference rates by currency and date."""

    currency = QueryFilter(
        method="filter_currency", label=_("ISO 4217 currency code, such as USD.")
    )
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("Rates on or after this date.")
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("Rates on or before this date.")
    )

    class Meta:
        model = ExchangeRate
        fields: list[str] = []

    def filter_currency(self, queryset: QuerySet[ExchangeRate], name: str, value: str) -> Any:
        """Match the code in any letter case; empty matches every currency."""
        code = value.strip().upper()
        return queryset.filter(currency=code) if code else queryset
