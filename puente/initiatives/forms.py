"""Forms for initiatives: parse input, leave the writes to services.

Rows of shares (sectors, recipient countries and regions) and of participating
organisations are a few fixed rows in the initiative form; an empty row is skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from puente.agenda.models import AgendaItem, AgendaVersion
from puente.core.choices import ThemeCode
from puente.core.markdown import MARKDOWN_HELP_TEXT
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Organisation

from .geometry import validate_geometry
from .models import (
    ActivityStatus,
    Budget,
    Document,
    Indicator,
    IndicatorPeriod,
    Initiative,
    Milestone,
    OrganisationRole,
    Place,
    Pledge,
    Result,
    Transaction,
    Visibility,
    validate_currency,
    validate_region_code,
    validate_sector,
)
from .services import Role, Share

# Extra empty rows offered below the rows already filled in.
EXTRA_ROWS = 2
MIN_ROWS = {"sector": 3, "country": 3, "region": 2, "participant": 3}
MAX_RATES_FILE_BYTES = 2 * 1024 * 1024


def _percentage_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
    )


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


@dataclass(frozen=True)
class FormPart:
    """Some fields of a form, shaped like a form for core/_form.html."""

    visible_fields: list[forms.BoundField]
    non_field_errors: Any = ()
    errors: bool = False
    hidden_fields: tuple[()] = ()


class AgendaItemsField(forms.ModelMultipleChoiceField[AgendaItem]):
    """Items of the partnership's published agenda versions, labelled in the reader's language."""

    def label_from_instance(self, obj: AgendaItem) -> str:
        language = translation.get_language() or "en"
        return f"v{obj.version.number} · {obj.text_in(language)[0]}"


def published_agenda_items(partnership: Partnership) -> QuerySet[AgendaItem]:
    """Return the items of the partnership's published agenda versions."""
    return (
        AgendaItem.objects.filter(
            version__agenda__dialogue__partnership=partnership,
            version__status=AgendaVersion.Status.PUBLISHED,
        )
        .select_related("version")
        .order_by("-version__number", "position")
    )


class InitiativeForm(forms.Form):
    """An initiative's fields, its shares by sector and place of benefit, and its roles."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP_TEXT,
    )
    language = forms.ChoiceField(label=_("Content language"), choices=settings.LANGUAGES)
    iati_identifier = forms.CharField(
        label=_("IATI activity identifier"),
        max_length=150,
        help_text=_("The reporting organisation's identifier, a hyphen and the activity's own."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ActivityStatus.choices, initial=ActivityStatus.PIPELINE
    )
    planned_start = forms.DateField(label=_("Planned start"), required=False, widget=_date_input())
    planned_end = forms.DateField(label=_("Planned end"), required=False, widget=_date_input())
    actual_start = forms.DateField(label=_("Actual start"), required=False, widget=_date_input())
    actual_end = forms.DateField(label=_("Actual end"), required=False, widget=_date_input())
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        required=False,
        choices=ThemeCode.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    MAIN_FIELDS = (
        "title",
        "description",
        "language",
        "iati_identifier",
        "status",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "themes",
        "visibility",
    )

    def __init__(
        self,
        data: Any = None,
        *,
        partnership: Partnership,
        initiative: Initiative | None = None,
    ) -> None:
        initial: dict[str, Any] = {"language": translation.get_language() or "en"}
        rows: dict[str, list[dict[str, Any]]] = {key: [] for key in MIN_ROWS}
        if initiative is not None:
            initial = {name: getattr(initiative, name) for name in self.MAIN_FIELDS}
            initial["agenda_items"] = [item.pk for item in initiative.agenda_items.all()]
            rows["sector"] = [
                {"code": s.code, "percentage": s.percentage} for s in initiative.sectors.all()
            ]
            rows["country"] = [
                {"code": c.country.code, "percentage": c.percentage}
                for c in initiative.recipient_countries.all()
            ]
            rows["region"] = [
                {"code": r.code, "percentage": r.percentage}
                for r in initiative.recipient_regions.all()
            ]
            rows["participant"] = [
                {"organisation": p.organisation_id, "role": p.role, "iati_ref": p.iati_ref}
                for p in initiative.participants.all()
            ]
        self.n_rows = {
            key: max(MIN_ROWS[key], len(given) + EXTRA_ROWS) for key, given in rows.items()
        }
        for key, given in rows.items():
            for n, row in enumerate(given, start=1):
                for name, value in row.items():
                    initial[f"{key}_{n}_{name}"] = value
        super().__init__(data, initial=initial)
        self._add_row_fields()
        self.fields["agenda_items"] = AgendaItemsField(
            label=_("Agenda items this initiative serves"),
            queryset=published_agenda_items(partnership),
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        )

    def _add_row_fields(self) -> None:
        for n in range(1, self.n_rows["sector"] + 1):
            self.fields[f"sector_{n}_code"] = forms.CharField(
                label=_("Sector code, row %(n)d") % {"n": n},
                required=False,
                max_length=5,
                validators=[validate_sector],
                widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
            )
            self.fields[f"sector_{n}_percentage"] = _percentage_field(
                _("Sector percentage, row %(n)d") % {"n": n}
            )
        country_choices = [("", "---------"), *countries]
        for n in range(1, self.n_rows["country"] + 1):
            self.fields[f"country_{n}_code"] = forms.ChoiceField(
                label=_("Country, row %(n)d") % {"n": n}, required=False, choices=country_choices
            )
            self.fields[f"country_{n}_percentage"] = _percentage_field(
                _("Country percentage, row %(n)d") % {"n": n}
            )
        for n in range(1, self.n_rows["region"] + 1):
            self.fields[f"region_{n}_code"] = forms.CharField(
                label=_("Region code, row %(n)d") % {"n": n},
                required=False,
                max_length=5,
                validators=[validate_region_code],
                widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
            )
            self.fields[f"region_{n}_percentage"] = _percentage_field(
                _("Region percentage, row %(n)d") % {"n": n}
            )
        for n in range(1, self.n_rows["participant"] + 1):
            self.fields[f"participant_{n}_organisation"] = forms.ModelChoiceField(
                label=_("Organisation, row %(n)d") % {"n": n},
                required=False,
                queryset=Organisation.objects.order_by("name"),
            )
            self.fields[f"participant_{n}_role"] = forms.ChoiceField(
                label=_("Role, row %(n)d") % {"n": n},
                required=False,
                choices=[("", "---------"), *OrganisationRole.choices],
            )
            self.fields[f"participant_{n}_iati_ref"] = forms.CharField(
                label=_("IATI organisation identifier, row %(n)d") % {"n": n},
                required=False,
                max_length=100,
            )

    def rows(self, key: str) -> Iterator[list[forms.BoundField]]:
        """Yield the bound fields of each row of a group (sector, country, region, participant)."""
        names = (
            ("organisation", "role", "iati_ref") if key == "participant" else ("code", "percentage")
        )
        for n in range(1, self.n_rows[key] + 1):
            yield [self[f"{key}_{n}_{name}"] for name in names]

    def sector_rows(self) -> list[list[forms.BoundField]]:
        return list(self.rows("sector"))

    def country_rows(self) -> list[list[forms.BoundField]]:
        return list(self.rows("country"))

    def region_rows(self) -> list[list[forms.BoundField]]:
        return list(self.rows("region"))

    def participant_rows(self) -> list[list[forms.BoundField]]:
        return list(self.rows("participant"))

    def main_part(self) -> FormPart:
        """Return the initiative's own fields, for core/_form.html, with the form's errors."""
        return FormPart(
            visible_fields=[self[name] for name in self.MAIN_FIELDS],
            non_field_errors=self.non_field_errors(),
            errors=bool(self.errors),
        )

    def agenda_part(self) -> FormPart:
        """Return the agenda items field, for core/_form.html."""
        return FormPart(visible_fields=[self["agenda_items"]])

    def _shares(self, key: str) -> list[Share]:
        shares = []
        for n in range(1, self.n_rows[key] + 1):
            code = self.cleaned_data.get(f"{key}_{n}_code")
            percentage: Decimal | None = self.cleaned_data.get(f"{key}_{n}_percentage")
            if f"{key}_{n}_code" in self.errors or f"{key}_{n}_percentage" in self.errors:
                continue
            if code and percentage is None:
                self.add_error(f"{key}_{n}_percentage", _("Give the percentage of this row."))
            elif percentage is not None and not code:
                self.add_error(f"{key}_{n}_code", _("Give the code of this row."))
            elif code and percentage is not None:
                shares.append(Share(code=str(code).strip(), percentage=percentage))
        return shares

    def _roles(self) -> list[Role]:
        roles = []
        for n in range(1, self.n_rows["participant"] + 1):
            organisation = self.cleaned_data.get(f"participant_{n}_organisation")
            role = self.cleaned_data.get(f"participant_{n}_role")
            iati_ref = self.cleaned_data.get(f"participant_{n}_iati_ref") or ""
            if organisation and not role:
                self.add_error(f"participant_{n}_role", _("Choose the role of this organisation."))
            elif (role or iati_ref) and not organisation:
                self.add_error(f"participant_{n}_organisation", _("Choose an organisation."))
            elif organisation:
                roles.append(
                    Role(organisation=organisation, role=str(role), iati_ref=iati_ref.strip())
                )
        return roles

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.sectors = self._shares("sector")
        self.countries = self._shares("country")
        self.regions = self._shares("region")
        self.participants = self._roles()
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        """Return the arguments of initiative_create and initiative_update."""
        return {
            "fields": {name: self.cleaned_data[name] for name in self.MAIN_FIELDS},
            "sectors": self.sectors,
            "countries": self.countries,
            "regions": self.regions,
            "participants": self.participants,
            "agenda_items": list(self.cleaned_data["agenda_items"]),
        }

    ROW_HEADERS = {
        "sector": (_("Sector code"), _("Percentage")),
        "country": (_("Country"), _("Percentage")),
        "region": (_("Region code"), _("Percentage")),
        "participant": (_("Organisation"), _("Role"), _("IATI organisation identifier")),
    }

    # Where the services' errors about a group of rows are shown.
    RENAMES = {
        "sectors": "sector_1_percentage",
        "recipient_countries": "country_1_percentage",
        "recipient_regions": "region_1_percentage",
        "participants": "participant_1_organisation",
    }


class CurrencyField(forms.CharField):
    """An ISO 4217 currency code, in capitals."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Currency"))
        kwargs.setdefault("help_text", _("ISO 4217 code, such as EUR or USD."))
        super().__init__(max_length=3, validators=[validate_currency], **kwargs)
        self.widget.attrs.update({"size": 4, "autocapitalize": "characters"})

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).strip().upper()


class TransactionForm(forms.ModelForm[Transaction]):
    currency = CurrencyField()

    class Meta:
        model = Transaction
        fields = [
            "type",
            "date",
            "value",
            "currency",
            "value_date",
            "provider",
            "receiver",
            "description",
        ]
        widgets = {"date": _date_input(), "value_date": _date_input()}
        help_texts = {
            "value": _("Only an expenditure may be negative (a correction)."),
            "value_date": _("The date whose exchange rate converts the amount to euros."),
        }


class BudgetForm(forms.ModelForm[Budget]):
    currency = CurrencyField()

    class Meta:
        model = Budget
        fields = ["type", "status", "period_start", "period_end", "value", "currency", "value_date"]
        widgets = {
            "period_start": _date_input(),
            "period_end": _date_input(),
            "value_date": _date_input(),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return cleaned


class MilestoneForm(forms.ModelForm[Milestone]):
    class Meta:
        model = Milestone
        fields = ["title", "planned_date", "actual_date", "status"]
        widgets = {"planned_date": _date_input(), "actual_date": _date_input()}


class DocumentForm(forms.ModelForm[Document]):
    url = forms.URLField(label=_("Link"), max_length=500, assume_scheme="https")

    class Meta:
        model = Document
        fields = ["title", "url", "category", "language"]


class ResultForm(forms.ModelForm[Result]):
    class Meta:
        model = Result
        fields = ["type", "title"]


class IndicatorForm(forms.ModelForm[Indicator]):
    class Meta:
        model = Indicator
        fields = ["title", "measure", "unit", "ascending", "baseline_year", "baseline_value"]


class IndicatorPeriodForm(forms.ModelForm[IndicatorPeriod]):
    class Meta:
        model = IndicatorPeriod
        fields = ["period_start", "period_end", "target", "actual"]
        widgets = {"period_start": _date_input(), "period_end": _date_input()}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return cleaned


class PlaceForm(forms.ModelForm[Place]):
    """A place: latitude and longitude for a point, or a GeoJSON geometry for anything else."""

    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, decimal_places=6
    )
    geometry_text = forms.CharField(
        label=_("Geometry (GeoJSON)"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text=_(
            'For a line or an area instead of a point, e.g. {"type": "LineString", '
            '"coordinates": [[-79.5, 9.0], [-71.6, -33.0]]} (longitude first).'
        ),
    )

    class Meta:
        model = Place
        fields = ["name", "kind"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        geometry = self.instance.geometry if self.instance.pk else None
        if isinstance(geometry, dict):
            coordinates = geometry.get("coordinates")
            if geometry.get("type") == "Point" and isinstance(coordinates, list):
                self.initial["longitude"], self.initial["latitude"] = coordinates[:2]
            else:
                self.initial["geometry_text"] = json.dumps(geometry)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        text = (cleaned.get("geometry_text") or "").strip()
        if {"latitude", "longitude", "geometry_text"} & set(self.errors):
            return cleaned
        has_point = latitude is not None or longitude is not None
        if has_point and text:
            self.add_error(
                "geometry_text",
                _("Give either a latitude and longitude or a geometry, not both."),
            )
        elif has_point:
            if latitude is None:
                self.add_error("latitude", _("Give the latitude too."))
            elif longitude is None:
                self.add_error("longitude", _("Give the longitude too."))
            else:
                self.instance.geometry = {
                    "type": "Point",
                    "coordinates": [float(longitude), float(latitude)],
                }
        elif text:
            try:
                geometry = json.loads(text)
                validate_geometry(geometry)
            except ValueError:
                self.add_error("geometry_text", _("This is not valid JSON."))
            except ValidationError as error:
                self.add_error("geometry_text", error)
            else:
                self.instance.geometry = geometry
        else:
            self.add_error("latitude", _("Give a latitude and longitude, or a geometry."))
        return cleaned


class PledgeForm(forms.ModelForm[Pledge]):
    currency = CurrencyField(required=False)

    class Meta:
        model = Pledge
        fields = [
            "organisation",
            "kind",
            "description",
            "amount",
            "currency",
            "initiative",
            "made_at",
            "due_date",
            "status",
        ]
        widgets = {"due_date": _date_input()}

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        initiative = self.fields["initiative"]
        assert isinstance(organisation, forms.ModelChoiceField)  # noqa: S101  # a foreign key
        assert isinstance(initiative, forms.ModelChoiceField)  # noqa: S101  # a foreign key
        organisation.queryset = Organisation.objects.order_by("name")
        initiative.queryset = Initiative.objects.filter(partnership=partnership)


class PledgeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Pledge.Status.choices]
    )


class ExchangeRateFilterForm(forms.Form):
    currency = forms.CharField(label=_("Currency"), required=False, max_length=3)

    def clean_currency(self) -> str:
        return str(self.cleaned_data.get("currency") or "").strip().upper()


class ExchangeRatesUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of reference rates"),
        help_text=_(
            "Columns currency, date (YYYY-MM-DD) and rate (units of the currency per euro), "
            "with a header line; at most 2 MB."
        ),
    )
    source = forms.CharField(label=_("Source"), required=False, max_length=200)

    def clean_file(self) -> str:
        """Return the file's text, refusing a file too large or not in UTF-8."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_RATES_FILE_BYTES:
            raise ValidationError(_("The file is larger than 2 MB."))
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text.")) from None
