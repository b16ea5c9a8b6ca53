"""Lists as spreadsheets: one CSV writer and one XLSX writer for every list of initiatives.

Each list (the portfolio, a partnership's pledges, the exchange rates, the map's places) has
a function that turns its rows into a ``Table``; ``table_download`` answers with the file.
The writers neutralise every text cell (see ``puente.core.spreadsheets``), so that no list
can forget to; amounts stay ``Decimal`` and become numbers in XLSX.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook  # type: ignore[import-untyped]  # openpyxl ships no type hints

from puente.core.spreadsheets import spreadsheet_text

from .geometry import geometry_positions
from .models import ExchangeRate, Initiative, Place, Pledge

DOWNLOAD_FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CENT = Decimal("0.01")
Cell = str | Decimal | None

PORTFOLIO_COLUMNS = (
    "iati_identifier",
    "title",
    "partnership",
    "status",
    "recipient_countries",
    "sectors",
    "themes",
    "planned_start",
    "planned_end",
    "committed_eur",
    "disbursed_eur",
    "url",
)
PLEDGE_COLUMNS = (
    "description",
    "organisation",
    "kind",
    "amount",
    "currency",
    "made_at",
    "due_date",
    "status",
    "initiative",
    "initiative_url",
)
EXCHANGE_RATE_COLUMNS = ("currency", "date", "units_per_euro", "source")
PLACE_COLUMNS = (
    "initiative",
    "place",
    "kind",
    "status",
    "latitude",
    "longitude",
    "geometry",
    "url",
)


@dataclass(frozen=True)
class Table:
    """A list ready to write: its file name (without date or extension), columns and rows."""

    name: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def _cents(amount: Decimal | None) -> Decimal:
    return (amount or Decimal(0)).quantize(CENT)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _safe(cell: Cell) -> Cell:
    return spreadsheet_text(cell) if isinstance(cell, str) else cell


def portfolio_table(initiatives: Iterable[Initiative], *, base_url: str) -> Table:
    """Return one row per initiative (see PORTFOLIO_COLUMNS), money in EUR as Decimal."""
    rows: list[list[Cell]] = [
        [
            initiative.iati_identifier,
            initiative.title,
            initiative.partnership.title,
            str(initiative.get_status_display()),
            " ".join(str(country.country) for country in initiative.recipient_countries.all()),
            " ".join(sector.code for sector in initiative.sectors.all()),
            " ".join(str(theme) for theme in initiative.themes or []),
            _day(initiative.planned_start),
            _day(initiative.planned_end),
            _cents(getattr(initiative, "committed_eur", None)),
            _cents(getattr(initiative, "disbursed_eur", None)),
            base_url + initiative.get_absolute_url(),
        ]
        for initiative in initiatives
    ]
    return Table("initiatives", PORTFOLIO_COLUMNS, rows)


def pledge_table(
    pledges: Iterable[Pledge], *, visible_initiatives: Collection[int], base_url: str, name: str
) -> Table:
    """Return one row per pledge; an initiative the viewer may not read is left blank."""
    rows: list[list[Cell]] = []
    for pledge in pledges:
        initiative = pledge.initiative if pledge.initiative_id in visible_initiatives else None
        rows.append(
            [
                pledge.description,
                pledge.organisation.name,
                str(pledge.get_kind_display()),
                pledge.amount,
                pledge.currency,
                pledge.made_at,
                _day(pledge.due_date),
                str(pledge.get_status_display()),
                initiative.title if initiative else "",
                base_url + initiative.get_absolute_url() if initiative else "",
            ]
        )
    return Table(name, PLEDGE_COLUMNS, rows)


def exchange_rate_table(rates: Iterable[ExchangeRate]) -> Table:
    """Return one row per reference rate: units of the currency one euro bought that day."""
    rows: list[list[Cell]] = [
        [rate.currency, _day(rate.date), rate.rate.normalize(), rate.source] for rate in rates
    ]
    return Table("exchange-rates", EXCHANGE_RATE_COLUMNS, rows)


def place_table(places: Iterable[Place], *, base_url: str, name: str) -> Table:
    """Return one row per place: a point's position (a line's or area's first), its GeoJSON."""
    rows: list[list[Cell]] = []
    for place in places:
        initiative = place.initiative
        longitude, latitude = geometry_positions(place.geometry)[0]
        rows.append(
            [
                initiative.title,
                place.name,
                str(place.get_kind_display()),
                str(initiative.get_status_display()),
                Decimal(str(latitude)),
                Decimal(str(longitude)),
                json.dumps(place.geometry, separators=(",", ":")),
                base_url + initiative.get_absolute_url(),
            ]
        )
    return Table(name, PLACE_COLUMNS, rows)


def table_csv(table: Table) -> str:
    """Return the table as CSV text under a header of column names."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.columns)
    writer.writerows([_safe(cell) for cell in row] for row in table.rows)
    return out.getvalue()


def table_xlsx(table: Table) -> bytes:
    """Return the table as an XLSX workbook of one sheet, amounts as numbers."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table.name[:31])  # Excel's longest sheet name
    sheet.append(list(table.columns))
    for row in table.rows:
        sheet.append([_safe(cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def table_download(table: Table, fmt: str) -> HttpResponse:
    """Answer with the table as an attachment in the format (one of DOWNLOAD_FORMATS)."""
    if fmt == "csv":
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(table_xlsx(table), content_type=XLSX_TYPE)
    name = f"{table.name}-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
