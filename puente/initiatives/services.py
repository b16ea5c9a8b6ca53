"""Writes to initiatives: each use case checks permission, validates everything, writes atomically.

Every write either raises ``ValidationError`` (field errors, nothing written) or
``PermissionDenied``, or commits whole. Shares (sectors; countries with regions) must add up
to exactly 100 when any are given, as IATI requires.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, Q, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from puente.accounts.models import User
from puente.agenda.models import AgendaItem, AgendaVersion
from puente.partnerships.models import Partnership
from puente.stakeholders.models import Organisation

from .codelists import codelist
from .models import (
    HUNDRED,
    Budget,
    Document,
    ExchangeRate,
    Indicator,
    IndicatorPeriod,
    Initiative,
    InitiativeSector,
    Milestone,
    ParticipatingOrganisation,
    Place,
    Pledge,
    RecipientCountry,
    RecipientRegion,
    Result,
    Transaction,
)
from .permissions import (
    can_create_initiative,
    can_delete_initiative,
    can_edit_initiative,
    can_manage_pledges,
)
from .portfolio_cache import portfolio_changed
from .selectors import eur_conversion

M = TypeVar("M", bound=Model)

# Fields of Initiative a caller may set directly.
INITIATIVE_FIELDS = (
    "title",
    "description",
    "language",
    "iati_identifier",
    "status",
    "planned_start",
    "actual_start",
    "planned_end",
    "actual_end",
    "themes",
    "visibility",
)
MAX_RATE_ROWS = 100_000
# Paths under /partnerships/<p>/initiatives/ that an initiative's slug must not take.
RESERVED_SLUGS = frozenset({"new"})
RATE_MAX = Decimal("1e10")
RATE_STEP = Decimal("0.0000000001")


@dataclass(frozen=True)
class Share:
    """A code (sector, country or region) with its percentage."""

    code: str
    percentage: Decimal


@dataclass(frozen=True)
class Role:
    """An organisation of the directory in an IATI role, with its IATI identifier if any."""

    organisation: Organisation
    role: str
    iati_ref: str = ""


def _clean(instance: M, exclude: Sequence[str] = ()) -> M:
    instance.full_clean(exclude=list(exclude))
    return instance


def _clean_row(instance: M, field: str) -> M:
    """Check a row of a part; report what is wrong under the part's own field."""
    try:
        return _clean(instance)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


def _shares_add_up(shares: Sequence[Share], field: str, label: str) -> None:
    if not shares:
        return
    codes = [share.code for share in shares]
    if len(set(codes)) != len(codes):
        raise ValidationError({field: _("Each %(label)s may appear once.") % {"label": label}})
    total = sum((share.percentage for share in shares), Decimal(0))
    if total != HUNDRED:
        raise ValidationError(
            {
                field: _("The %(label)s percentages add up to %(total)s, not 100.")
                % {"label": label, "total": total}
            }
        )


def _unique_slug(partnership: Partnership, title: str, exclude: int | None = None) -> str:
    base = slugify(title)[:200] or "initiative"
    if base in RESERVED_SLUGS:
        base = f"{base}-initiative"
    slug, n = base, 2
    taken = Initiative.objects.filter(partnership=partnership)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _initiative_save(initiative: Initiative) -> None:
    """Save the initiative; an IATI identifier taken since it was checked is a field error.

    Two writers can both find the identifier free and then both save: the unique constraint
    refuses the second. The savepoint keeps the caller's transaction usable. Both databases
    name the column in the error (SQLite "UNIQUE constraint failed: <table>.iati_identifier",
    PostgreSQL "Key (iati_identifier)=... already exists"), and no other constraint of
    Initiative involves it, so only that clash becomes the field error.
    """
    try:
        with transaction.atomic():
            initiative.save()
    except IntegrityError as error:
        if "iati_identifier" not in str(error):
            raise
        raise ValidationError(
            {"iati_identifier": initiative.unique_error_message(Initiative, ("iati_identifier",))}
        ) from error


def _agenda_items_of(partnership: Partnership, items: Iterable[AgendaItem]) -> list[AgendaItem]:
    chosen = list(items)
    wrong = [
        item
        for item in chosen
        if item.version.agenda.dialogue.partnership_id != partnership.pk
        or item.version.status != AgendaVersion.Status.PUBLISHED
    ]
    if wrong:
        raise ValidationError(
            {"agenda_items": _("Choose items of this partnership's published agenda versions.")}
        )
    return chosen


def _write_parts(
    initiative: Initiative,
    *,
    sectors: Sequence[Share] | None,
    countries: Sequence[Share] | None,
    regions: Sequence[Share] | None,
    participants: Sequence[Role] | None,
) -> None:
    """Validate and replace the given parts (None leaves a part as it is)."""
    if sectors is not None:
        _shares_add_up(sectors, "sectors", _("sector"))
        # Old rows go first, so that the new ones are checked against the rest of the table;
        # the caller's transaction brings them back if a new one is refused.
        initiative.sectors.all().delete()
        rows = [
            _clean_row(
                InitiativeSector(initiative=initiative, code=s.code, percentage=s.percentage),
                "sectors",
            )
            for s in sectors
        ]
        InitiativeSector.objects.bulk_create(rows)
    if countries is not None or regions is not None:
        countries = (
            countries
            if countries is not None
            else [Share(c.country.code, c.percentage) for c in initiative.recipient_countries.all()]
        )
        regions = (
            regions
            if regions is not None
            else [Share(r.code, r.percentage) for r in initiative.recipient_regions.all()]
        )
        _shares_add_up([*countries, *regions], "recipient_countries", _("country and region"))
        initiative.recipient_countries.all().delete()
        initiative.recipient_regions.all().delete()
        country_rows = []
        for share in countries:
            if share.code not in codelist("Country"):
                raise ValidationError(
                    {
                        "recipient_countries": _("%(code)s is not a country code.")
                        % {"code": share.code}
                    }
                )
            country_rows.append(
                _clean_row(
                    RecipientCountry(
                        initiative=initiative, country=share.code, percentage=share.percentage
                    ),
                    "recipient_countries",
                )
            )
        region_rows = [
            _clean_row(
                RecipientRegion(initiative=initiative, code=s.code, percentage=s.percentage),
                "recipient_regions",
            )
            for s in regions
        ]
        RecipientCountry.objects.bulk_create(country_rows)
        RecipientRegion.objects.bulk_create(region_rows)
    if participants is not None:
        initiative.participants.all().delete()
        seen = set()
        rows_p = []
        for given in participants:
            key = (given.organisation.pk, given.role)
            if key in seen:
                raise ValidationError(
                    {"participants": _("Each organisation may hold each role once.")}
                )
            seen.add(key)
            rows_p.append(
                _clean_row(
                    ParticipatingOrganisation(
                        initiative=initiative,
                        organisation=given.organisation,
                        role=given.role,
                        iati_ref=given.iati_ref,
                    ),
                    "participants",
                )
            )
        ParticipatingOrganisation.objects.bulk_create(rows_p)


@transaction.atomic
def initiative_create(
    *,
    actor: User,
    partnership: Partnership,
    fields: Mapping[str, Any],
    sectors: Sequence[Share] = (),
    countries: Sequence[Share] = (),
    regions: Sequence[Share] = (),
    participants: Sequence[Role] = (),
    agenda_items: Iterable[AgendaItem] = (),
) -> Initiative:
    """Add an initiative to the partnership, with its sectors, places of benefit and roles."""
    if not can_create_initiative(actor, partnership):
        raise PermissionDenied
    values = {name: fields[name] for name in INITIATIVE_FIELDS if name in fields}
    initiative = Initiative(partnership=partnership, created_by=actor, **values)
    initiative.slug = _unique_slug(partnership, str(initiative.title or ""))
    _clean(initiative)
    _initiative_save(initiative)
    _write_parts(
        initiative,
        sectors=list(sectors),
        countries=list(countries),
        regions=list(regions),
        participants=list(participants),
    )
    initiative.agenda_items.set(_agenda_items_of(partnership, agenda_items))
    return initiative


@transaction.atomic
def initiative_update(
    *,
    actor: User,
    initiative: Initiative,
    fields: Mapping[str, Any],
    sectors: Sequence[Share] | None = None,
    countries: Sequence[Share] | None = None,
    regions: Sequence[Share] | None = None,
    participants: Sequence[Role] | None = None,
    agenda_items: Iterable[AgendaItem] | None = None,
) -> Initiative:
    """Change the initiative; parts given replace the old ones, parts not given stay."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if not can_edit_initiative(actor, initiative):
        raise PermissionDenied
    for name in INITIATIVE_FIELDS:
        if name in fields:
            setattr(initiative, name, fields[name])
    _clean(initiative)
    _initiative_save(initiative)
    _write_parts(
        initiative,
        sectors=sectors,
        countries=countries,
        regions=regions,
        participants=participants,
    )
    if agenda_items is not None:
        initiative.agenda_items.set(_agenda_items_of(initiative.partnership, agenda_items))
    return initiative


@transaction.atomic
def initiative_delete(*, actor: User, initiative: Initiative) -> None:
    """Delete the initiative and everything recorded about it."""
    if not can_delete_initiative(actor, initiative):
        raise PermissionDenied
    initiative.delete()


def transactions_convert(transactions: QuerySet[Transaction]) -> int:
    """Store the rate and EUR amount of the transactions from the reference rates; return
    how many were converted. Every write of transactions or rates ends with this."""
    count = transactions.update(**eur_conversion())
    portfolio_changed()
    return count


# Parts of an initiative: each added, changed or removed by those who may edit it.

PART_MODELS: dict[str, type[Model]] = {
    "budget": Budget,
    "transaction": Transaction,
    "milestone": Milestone,
    "place": Place,
    "document": Document,
    "result": Result,
}


def _initiative_of(part: Model) -> Initiative:
    if isinstance(part, Indicator):
        return part.result.initiative
    if isinstance(part, IndicatorPeriod):
        return part.indicator.result.initiative
    initiative = getattr(part, "initiative", None)
    assert isinstance(initiative, Initiative)  # noqa: S101  # every part belongs to one
    return initiative


@transaction.atomic
def part_save(*, actor: User, part: M) -> M:
    """Validate and save a part (budget, transaction, milestone, place, document, result,
    indicator or indicator period) of an initiative the actor may edit."""
    if not can_edit_initiative(actor, _initiative_of(part)):
        raise PermissionDenied
    if part.pk is not None:
        # A part moved from another initiative: that one must be the actor's to edit too.
        stored = type(part)._default_manager.filter(pk=part.pk).first()
        if stored is not None and not can_edit_initiative(actor, _initiative_of(stored)):
            raise PermissionDenied
    _clean(part)
    part.save()
    if isinstance(part, Transaction):
        transactions_convert(Transaction.objects.filter(pk=part.pk))
        part.refresh_from_db(fields=["rate", "eur"])
    return part


@transaction.atomic
def part_delete(*, actor: User, part: Model) -> None:
    """Remove a part of an initiative the actor may edit."""
    if not can_edit_initiative(actor, _initiative_of(part)):
        raise PermissionDenied
    part.delete()


@transaction.atomic
def pledge_save(*, actor: User, pledge: Pledge) -> Pledge:
    """Record or change a pledge of the partnership."""
    if not can_manage_pledges(actor, pledge.partnership):
        raise PermissionDenied
    stored = Pledge.objects.filter(pk=pledge.pk).select_related("partnership").first()
    if stored is not None and not can_manage_pledges(actor, stored.partnership):
        # Moved from another partnership: that one must be the actor's to manage too.
        raise PermissionDenied
    if pledge.initiative is not None and pledge.initiative.partnership_id != pledge.partnership_id:
        raise ValidationError({"initiative": _("Choose an initiative of this partnership.")})
    _clean(pledge)
    pledge.save()
    return pledge


@dataclass(frozen=True)
class RatesImport:
    created: int
    updated: int


@transaction.atomic
def exchange_rates_import(*, text: str, source: str = "") -> RatesImport:
    """Store the reference rates of a CSV file: columns currency, date, rate (units per euro).

    Every row is checked before anything is written; a bad row is reported with its line.
    A rate already stored for the same currency and date is replaced.
    """
    # A spreadsheet's UTF-8 export starts with a byte-order mark.
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    try:
        missing = {"currency", "date", "rate"} - set(reader.fieldnames or ())
        if missing:
            raise ValidationError(
                {"file": _("The file needs the columns currency, date and rate.")}
            )
        rows = _rates_read(reader)
    except csv.Error:
        raise ValidationError(
            {"file": _("Line %(line)d is not valid CSV.") % {"line": reader.line_num}}
        ) from None
    created = updated = 0
    for (currency, on), rate in rows.items():
        _rate, was_created = ExchangeRate.objects.update_or_create(
            currency=currency, date=on, defaults={"rate": rate, "source": source[:200]}
        )
        created += was_created
        updated += not was_created
    rates_changed({(currency, on) for currency, on in rows})
    return RatesImport(created=created, updated=updated)


def rates_changed(changed: Iterable[tuple[str, date]]) -> None:
    """Convert again the transactions that the rates (currency, date) added, changed or
    removed may concern: those of the currency valued on or after the earliest date."""
    earliest: dict[str, date] = {}
    for currency, on in changed:
        earliest[currency] = min(on, earliest.get(currency, on))
    if not earliest:
        return
    concerned = Q()
    for currency, on in earliest.items():
        concerned |= Q(currency=currency, value_date__gte=on)
    transactions_convert(Transaction.objects.filter(concerned))


def _rates_read(reader: csv.DictReader[str]) -> dict[tuple[str, date], Decimal]:
    rows: dict[tuple[str, date], Decimal] = {}
    for number, row in enumerate(reader, start=2):
        if number > MAX_RATE_ROWS + 1:
            raise ValidationError({"file": _("The file has too many rows.")})
        currency = (row.get("currency") or "").strip().upper()
        try:
            on = date.fromisoformat((row.get("date") or "").strip())
            rate = Decimal((row.get("rate") or "").strip())
        except (ValueError, InvalidOperation):
            raise ValidationError(
                {
                    "file": _("Line %(line)d: the date (YYYY-MM-DD) or the rate is not valid.")
                    % {"line": number}
                }
            ) from None
        if currency not in codelist("Currency") or currency == "EUR":
            raise ValidationError(
                {
                    "file": _(
                        "Line %(line)d: %(currency)s is not a currency with a rate to the euro."
                    )
                    % {"line": number, "currency": currency}
                }
            )
        # Rounded as stored first: a rate that rounds to 0 or to eleven digits is refused too.
        if rate.is_finite() and -RATE_MAX < rate < RATE_MAX:
            rate = rate.quantize(RATE_STEP)
        if not rate.is_finite() or rate <= 0 or rate >= RATE_MAX:
            raise ValidationError(
                {"file": _("Line %(line)d: the rate must be a positive number.") % {"line": number}}
            )
        rows[(currency, on)] = rate
    return rows
