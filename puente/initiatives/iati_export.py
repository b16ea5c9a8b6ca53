"""IATI 2.03 activity and organisation files of a partnership's initiatives, streamed.

``activities_stream`` writes one ``<iati-activity>`` at a time through lxml's incremental
writer and reads the initiatives in chunks (keyset pagination on the IATI identifier, each
chunk with its parts prefetched), so memory does not grow with the number of activities.
Only public initiatives of public partnerships are written (``exportable_initiatives``).

Choices the standard leaves open:
- the reporting organisation is the ACCOUNTABLE one, with its ``iati_ref`` when set, else the
  made-up (but valid) ``XI-PUENTE-ORG-<slug>``; without any, the partnership reports as
  ``XI-PUENTE-PARTNERSHIP-<slug>``;
- places are ``<location>`` elements with one point: a point as it is; a line, a polygon or a
  multi-geometry by its first position (the start of a cable segment);
- themes are ``<tag>`` elements of the reporting organisation's own vocabulary (99), whose
  vocabulary-uri is the site's list of themes (``THEME_VOCABULARY_PATH``, the API's
  ``/api/v1/themes/``, after ``site_url`` when given), code the theme's code, narrative its
  English name; document formats follow the link (``.pdf`` -> application/pdf, else text/html).

Not in IATI 2.03, so not written: milestones (activity-date is only start and end; a result
target is a figure), agenda items, indicator units, lines and areas (a location is a point).
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max, Min, Model, Q, QuerySet, Sum
from django.utils import timezone, translation
from lxml import etree

from puente.core.choices import StakeholderType, ThemeCode
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Organisation

from .codelists import XML_LANG
from .geometry import geometry_positions
from .models import (
    Budget,
    BudgetStatus,
    Document,
    Indicator,
    IndicatorPeriod,
    Initiative,
    InitiativeSector,
    OrganisationRole,
    ParticipatingOrganisation,
    Place,
    RecipientCountry,
    RecipientRegion,
    Result,
    Transaction,
    TransactionType,
    Visibility,
)
from .selectors import EUR, eur_conversion

__all__ = [
    "CHUNK_SIZE",
    "THEME_VOCABULARY",
    "THEME_VOCABULARY_PATH",
    "activities_stream",
    "activity_element",
    "exportable_initiatives",
    "organisation_type",
    "organisations_document",
]

IATI_VERSION = "2.03"
CHUNK_SIZE = 500
SRS_NAME = "http://www.opengis.net/def/crs/EPSG/0/4326"
MADE_UP_ORG_PREFIX = "XI-PUENTE-ORG-"
MADE_UP_PARTNERSHIP_PREFIX = "XI-PUENTE-PARTNERSHIP-"
GENERAL_DESCRIPTION = "1"
# TagVocabulary 99, "Reporting Organisation": the themes are Puente's own codes. Their list,
# code and name in each language, is served at this path (api:theme-list; a test keeps the
# two together). The path alone is a reference relative to the file's own address; the
# importer knows Puente's tags by this path, whatever the site before it.
THEME_VOCABULARY = "99"
THEME_VOCABULARY_PATH = "/api/v1/themes/"

# StakeholderType -> IATI OrganisationType. Civil society is taken as national NGOs and
# financing institutions (EIB, AFD, KfW, development banks) as other public sector.
ORGANISATION_TYPE = {
    StakeholderType.PUBLIC_SECTOR: "10",
    StakeholderType.PRIVATE_SECTOR: "70",
    StakeholderType.CIVIL_SOCIETY: "22",
    StakeholderType.ACADEMIA: "80",
    StakeholderType.INTERNATIONAL: "40",
    StakeholderType.FINANCING: "15",
}
OTHER_TYPE = "90"
# (Initiative field, ActivityDateType code)
ACTIVITY_DATES = (
    ("planned_start", "1"),
    ("actual_start", "2"),
    ("planned_end", "3"),
    ("actual_end", "4"),
)


def organisation_type(organisation: Organisation) -> str:
    """Return the IATI OrganisationType code of an organisation of the directory."""
    return ORGANISATION_TYPE.get(StakeholderType(organisation.stakeholder_type), OTHER_TYPE)


def made_up_ref(organisation: Organisation) -> str:
    """Return the placeholder identifier of an organisation without an IATI identifier."""
    return f"{MADE_UP_ORG_PREFIX}{organisation.slug}"[:100]


def exportable_initiatives(partnership: Partnership) -> QuerySet[Initiative]:
    """Return the partnership's initiatives that open data may show: public, in public."""
    return Initiative.objects.filter(
        partnership=partnership,
        partnership__visibility=Partnership.Visibility.PUBLIC,
        visibility=Visibility.PUBLIC,
    )


@dataclass
class Parts:
    """The parts of one initiative an activity shows, as rows named like the model's fields."""

    organisations: dict[int, Organisation]
    participants: list[Any] = field(default_factory=list)
    sectors: list[Any] = field(default_factory=list)
    countries: list[Any] = field(default_factory=list)
    regions: list[Any] = field(default_factory=list)
    places: list[Any] = field(default_factory=list)
    budgets: list[Any] = field(default_factory=list)
    transactions: list[Any] = field(default_factory=list)
    documents: list[Any] = field(default_factory=list)
    results: list[Any] = field(default_factory=list)
    indicators: dict[int, list[Any]] = field(default_factory=dict)
    periods: dict[int, list[Any]] = field(default_factory=dict)


def _rows(model: type[Model], **within: Any) -> list[Any]:
    """Return the model's rows as named tuples (id, initiative_id, ...), in its order.

    Model instances cost more to build than the whole XML of their part.
    """
    names = [f.attname for f in model._meta.concrete_fields]
    return list(model._default_manager.filter(**within).values_list(*names, named=True))


def _grouped(rows: Iterable[Any], key: str) -> dict[int, list[Any]]:
    groups: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, key)].append(row)
    return groups


class _PartsReader:
    """Read the parts of chunks of initiatives: one query per kind of part and chunk.

    Each kind is read with ``initiative_id IN (...)`` in its model's order and grouped here,
    which is much cheaper than prefetch_related's queryset per initiative. Organisations
    are few and read once each.
    """

    def __init__(self) -> None:
        self.organisations: dict[int, Organisation] = {}

    def _organisations(self, ids: set[int | None]) -> None:
        missing = {pk for pk in ids if pk is not None and pk not in self.organisations}
        if missing:
            self.organisations.update(Organisation.objects.in_bulk(missing))

    def read(self, chunk: Sequence[Initiative]) -> dict[int, Parts]:
        ids = [initiative.pk for initiative in chunk]
        within = {"initiative_id__in": ids}
        participants = _rows(ParticipatingOrganisation, **within)
        transactions = _rows(Transaction, **within)
        self._organisations(
            {p.organisation_id for p in participants}
            | {t.provider_id for t in transactions}
            | {t.receiver_id for t in transactions}
        )
        results = _rows(Result, **within)
        indicators = _rows(Indicator, result_id__in=[r.id for r in results])
        periods = _rows(IndicatorPeriod, indicator_id__in=[i.id for i in indicators])
        shared_indicators = _grouped(indicators, "result_id")
        shared_periods = _grouped(periods, "indicator_id")
        groups: dict[str, dict[int, list[Any]]] = {
            "participants": _grouped(participants, "initiative_id"),
            "sectors": _grouped(_rows(InitiativeSector, **within), "initiative_id"),
            "countries": _grouped(_rows(RecipientCountry, **within), "initiative_id"),
            "regions": _grouped(_rows(RecipientRegion, **within), "initiative_id"),
            "places": _grouped(_rows(Place, **within), "initiative_id"),
            "budgets": _grouped(_rows(Budget, **within), "initiative_id"),
            "transactions": _grouped(transactions, "initiative_id"),
            "documents": _grouped(_rows(Document, **within), "initiative_id"),
            "results": _grouped(results, "initiative_id"),
        }
        return {
            pk: Parts(
                organisations=self.organisations,
                indicators=shared_indicators,
                periods=shared_periods,
                **{name: group.get(pk, []) for name, group in groups.items()},
            )
            for pk in ids
        }


def _chunks(
    initiatives: QuerySet[Initiative], size: int
) -> Iterator[list[tuple[Initiative, Parts]]]:
    """Yield the initiatives by IATI identifier with their parts, ``size`` at a time."""
    reader = _PartsReader()
    after = ""
    while True:
        chunk = list(
            initiatives.filter(iati_identifier__gt=after)
            .select_related("partnership")
            .order_by("iati_identifier")[:size]
        )
        if not chunk:
            return
        parts = reader.read(chunk)
        yield [(initiative, parts[initiative.pk]) for initiative in chunk]
        after = chunk[-1].iati_identifier
        if len(chunk) < size:
            return


# Formatting: every value written the same way each time, so exports are stable.


def _datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _number(value: Decimal) -> str:
    """Return the decimal without trailing zeros or exponent (70.00 -> 70, 2.50 -> 2.5)."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


def _money(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    """Add a child; attribute names are given with _ for - (value_date -> value-date)."""
    return etree.SubElement(
        parent, tag, {name.replace("_", "-"): value for name, value in attributes.items()}
    )


def _narrative(parent: etree._Element, text: str, language: str = "") -> etree._Element:
    narrative = _sub(parent, "narrative")
    if language:
        narrative.set(XML_LANG, language)
    narrative.text = text
    return narrative


def _date(parent: etree._Element, tag: str, on: date) -> None:
    _sub(parent, tag, iso_date=on.isoformat())


def _refs(parts: Parts) -> dict[int, str]:
    """Return the IATI identifier given for each organisation taking part, if any."""
    refs: dict[int, str] = {}
    for participant in parts.participants:
        if participant.iati_ref:
            refs.setdefault(participant.organisation_id, participant.iati_ref)
    return refs


def _reporting(initiative: Initiative, parts: Parts, refs: dict[int, str]) -> tuple[str, str, str]:
    """Return (ref, type, name) of the organisation that reports the activity."""
    for participant in parts.participants:
        if participant.role == OrganisationRole.ACCOUNTABLE:
            organisation = parts.organisations[participant.organisation_id]
            ref = participant.iati_ref or refs.get(organisation.pk) or made_up_ref(organisation)
            return ref, organisation_type(organisation), organisation.name
    partnership = initiative.partnership
    return (
        f"{MADE_UP_PARTNERSHIP_PREFIX}{partnership.slug}"[:100],
        OTHER_TYPE,
        partnership.title,
    )


def _organisation(
    parent: etree._Element, tag: str, organisation: Organisation, refs: dict[int, str]
) -> None:
    element = _sub(parent, tag)
    ref = refs.get(organisation.pk)
    if ref:
        element.set("ref", ref)
    element.set("type", organisation_type(organisation))
    _narrative(element, organisation.name)


@cache
def _english_theme_names() -> dict[str, str]:
    """Return the English name of each theme (the same for every activity)."""
    with translation.override("en"):
        return {code: str(label) for code, label in ThemeCode.choices}


def _point(place: Any) -> tuple[float, float] | None:
    try:
        positions = geometry_positions(place.geometry)
    except ValidationError:  # a stored place is valid; never fail a whole export
        return None
    return positions[0] if positions else None


def activity_element(initiative: Initiative, parts: Parts, *, site_url: str = "") -> etree._Element:
    """Return the ``<iati-activity>`` of an initiative and its parts.

    ``site_url`` (``https://example.org``, no trailing slash) makes the themes' vocabulary-uri
    absolute; without it the URI is the path, relative to the file's address.
    """
    language = initiative.language
    refs = _refs(parts)
    activity = etree.Element("iati-activity")
    activity.set("last-updated-datetime", _datetime(initiative.updated_at))
    activity.set(XML_LANG, language)
    activity.set("default-currency", EUR)
    etree.SubElement(activity, "iati-identifier").text = initiative.iati_identifier
    ref, kind, name = _reporting(initiative, parts, refs)
    _narrative(_sub(activity, "reporting-org", ref=ref, type=kind), name)
    _narrative(_sub(activity, "title"), initiative.title, language)
    _narrative(
        _sub(activity, "description", type=GENERAL_DESCRIPTION), initiative.description, language
    )
    participants = parts.participants
    for participant in participants:
        organisation = parts.organisations[participant.organisation_id]
        element = _sub(activity, "participating-org")
        if participant.iati_ref:
            element.set("ref", participant.iati_ref)
        element.set("role", participant.role)
        element.set("type", organisation_type(organisation))
        _narrative(element, organisation.name)
    if not participants:
        # The schema wants one; the reporter (the partnership) is the one there is.
        _narrative(_sub(activity, "participating-org", ref=ref, role="2", type=kind), name)
    _sub(activity, "activity-status", code=initiative.status)
    dates = [(getattr(initiative, field), code) for field, code in ACTIVITY_DATES]
    dates = [(on, code) for on, code in dates if on is not None]
    if not dates:
        # The schema wants one date: the day the initiative was recorded, as planned start.
        dates = [(initiative.created_at.date(), "1")]
    for on, code in dates:
        _sub(activity, "activity-date", iso_date=on.isoformat(), type=code)
    for country in parts.countries:
        _sub(
            activity,
            "recipient-country",
            code=country.country,
            percentage=_number(country.percentage),
        )
    for region in parts.regions:
        _sub(
            activity,
            "recipient-region",
            code=region.code,
            vocabulary="1",
            percentage=_number(region.percentage),
        )
    for place in parts.places:
        point = _point(place)
        if point is None:
            continue
        location = _sub(activity, "location")
        _narrative(_sub(location, "name"), place.name, language)
        longitude, latitude = point
        point_element = etree.SubElement(location, "point", srsName=SRS_NAME)
        pos = etree.SubElement(point_element, "pos")
        pos.text = f"{float(latitude)!r} {float(longitude)!r}"
    for sector in parts.sectors:
        _sub(
            activity,
            "sector",
            vocabulary="1",
            code=sector.code,
            percentage=_number(sector.percentage),
        )
    names = _english_theme_names()
    for theme in dict.fromkeys(initiative.themes or []):
        theme_name = names.get(theme)
        if theme_name is None:  # a stored theme is valid; never fail a whole export
            continue
        tag = _sub(
            activity,
            "tag",
            vocabulary=THEME_VOCABULARY,
            vocabulary_uri=site_url + THEME_VOCABULARY_PATH,
            code=theme,
        )
        _narrative(tag, theme_name, "en")
    for budget in parts.budgets:
        _budget(activity, budget)
    for money in parts.transactions:
        _transaction(activity, money, parts, refs, language)
    for document in parts.documents:
        link = _sub(
            activity,
            "document-link",
            url=document.url,
            format="application/pdf" if document.url.lower().endswith(".pdf") else "text/html",
        )
        _narrative(_sub(link, "title"), document.title, document.language)
        _sub(link, "category", code=document.category)
        _sub(link, "language", code=document.language)
    for result in parts.results:
        _result(activity, result, parts, language)
    return activity


def _budget(activity: etree._Element, budget: Any) -> None:
    element = _sub(activity, "budget", type=budget.type, status=budget.status)
    _date(element, "period-start", budget.period_start)
    _date(element, "period-end", budget.period_end)
    value = _sub(
        element, "value", currency=budget.currency, value_date=budget.value_date.isoformat()
    )
    value.text = _money(budget.value)


def _transaction(
    activity: etree._Element,
    money: Any,
    parts: Parts,
    refs: dict[int, str],
    language: str,
) -> None:
    element = _sub(activity, "transaction")
    _sub(element, "transaction-type", code=money.type)
    _date(element, "transaction-date", money.date)
    value = _sub(element, "value", currency=money.currency, value_date=money.value_date.isoformat())
    value.text = _money(money.value)
    if money.description:
        _narrative(_sub(element, "description"), money.description, language)
    if money.provider_id is not None:
        _organisation(element, "provider-org", parts.organisations[money.provider_id], refs)
    if money.receiver_id is not None:
        _organisation(element, "receiver-org", parts.organisations[money.receiver_id], refs)


def _result(activity: etree._Element, result: Any, parts: Parts, language: str) -> None:
    element = _sub(activity, "result", type=result.type)
    _narrative(_sub(element, "title"), result.title, language)
    for indicator in parts.indicators.get(result.id, []):
        measured = _sub(
            element,
            "indicator",
            measure=indicator.measure,
            ascending="1" if indicator.ascending else "0",
        )
        _narrative(_sub(measured, "title"), indicator.title, language)
        if indicator.baseline_year is not None:
            baseline = _sub(measured, "baseline", year=str(indicator.baseline_year))
            if indicator.baseline_value is not None:
                baseline.set("value", _number(indicator.baseline_value))
        for period in parts.periods.get(indicator.id, []):
            span = _sub(measured, "period")
            _date(span, "period-start", period.period_start)
            _date(span, "period-end", period.period_end)
            _sub(span, "target", value=_number(period.target))
            if period.actual is not None:
                _sub(span, "actual", value=_number(period.actual))


def _drain(buffer: io.BytesIO) -> bytes:
    data = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return data


def activities_stream(
    initiatives: QuerySet[Initiative],
    *,
    generated_at: datetime | None = None,
    chunk_size: int = CHUNK_SIZE,
    site_url: str = "",
) -> Iterator[bytes]:
    """Yield an ``<iati-activities>`` document of the initiatives, one activity at a time.

    ``site_url``: see activity_element.
    """
    moment = generated_at or timezone.now()
    buffer = io.BytesIO()
    with etree.xmlfile(buffer, encoding="utf-8") as xf:
        xf.write_declaration()
        attributes = {"version": IATI_VERSION, "generated-datetime": _datetime(moment)}
        with xf.element("iati-activities", attributes):
            xf.write("\n")
            for chunk in _chunks(initiatives, chunk_size):
                for initiative, parts in chunk:
                    xf.write(
                        activity_element(initiative, parts, site_url=site_url),
                        pretty_print=True,
                    )
                    xf.flush()
                    yield _drain(buffer)
    yield _drain(buffer) + b"\n"


# Organisation files: the accountable organisations, with their budgets and spending in EUR.


def _budgets_with_rate(initiatives: QuerySet[Initiative, Any]) -> QuerySet[Budget]:
    """Return the initiatives' budgets, each with the ``rate`` of its value date (the rule of
    transactions: the latest on or before it; 1 for EUR; None without any), in one query."""
    return Budget.objects.filter(initiative__in=initiatives).annotate(rate=eur_conversion()["rate"])


def _budget_eur(budget: Budget) -> Decimal | None:
    if budget.currency == EUR:
        return budget.value
    rate: Decimal | None = budget.rate  # type: ignore[attr-defined]  # annotated
    return None if rate is None else budget.value / rate


def organisations_document(
    initiatives: QuerySet[Initiative], *, generated_at: datetime | None = None
) -> bytes:
    """Return an ``<iati-organisations>`` file of the organisations accountable for them.

    Each has one total budget (its initiatives' budgets, in EUR at the rate of each value
    date; budgets in a currency without a rate are left out) and one total expenditure
    (disbursements and expenditure, in EUR), over the span of the periods and dates summed.
    """
    moment = generated_at or timezone.now()
    accountable = (
        ParticipatingOrganisation.objects.filter(
            initiative__in=initiatives.values("pk"), role=OrganisationRole.ACCOUNTABLE
        )
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    by_organisation: dict[int, tuple[Organisation, str]] = {}
    for participant in accountable:
        organisation = participant.organisation
        known = by_organisation.get(organisation.pk)
        if known is None or (participant.iati_ref and not known[1]):
            by_organisation[organisation.pk] = (organisation, participant.iati_ref)
    root = etree.Element("iati-organisations", version=IATI_VERSION)
    root.set("generated-datetime", _datetime(moment))
    for organisation, iati_ref in by_organisation.values():
        led = initiatives.filter(
            participants__organisation=organisation,
            participants__role=OrganisationRole.ACCOUNTABLE,
        ).values("pk")
        ref = iati_ref or made_up_ref(organisation)
        element = _sub(root, "iati-organisation")
        element.set("last-updated-datetime", _datetime(organisation.updated_at))
        element.set("default-currency", EUR)
        etree.SubElement(element, "organisation-identifier").text = ref
        _narrative(_sub(element, "name"), organisation.name)
        _narrative(
            _sub(element, "reporting-org", ref=ref, type=organisation_type(organisation)),
            organisation.name,
        )
        budgets = list(_budgets_with_rate(led))
        amounts = [(b, _budget_eur(b)) for b in budgets]
        counted = [(b, eur) for b, eur in amounts if eur is not None]
        if counted:
            committed = all(b.status == BudgetStatus.COMMITTED for b, _eur in counted)
            total = _sub(
                element,
                "total-budget",
                status=BudgetStatus.COMMITTED if committed else BudgetStatus.INDICATIVE,
            )
            _date(total, "period-start", min(b.period_start for b, _eur in counted))
            _date(total, "period-end", max(b.period_end for b, _eur in counted))
            start = min(b.period_start for b, _eur in counted)
            value = _sub(total, "value", currency=EUR, value_date=start.isoformat())
            value.text = _money(sum((eur for _b, eur in counted), Decimal(0)))
        spent = Transaction.objects.filter(
            Q(type=TransactionType.DISBURSEMENT) | Q(type=TransactionType.EXPENDITURE),
            initiative__in=led,
        )
        span: dict[str, Any] = spent.exclude(eur=None).aggregate(
            total=Sum("eur"), first=Min("date"), last=Max("date")
        )
        if span["total"] is not None:
            total = _sub(element, "total-expenditure")
            _date(total, "period-start", span["first"])
            _date(total, "period-end", span["last"])
            value = _sub(total, "value", currency=EUR, value_date=span["first"].isoformat())
            value.text = _money(span["total"])
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
