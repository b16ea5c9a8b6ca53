"""The portfolio as a spreadsheet: one row per initiative, as CSV or XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook  # type: ignore[import-untyped]  # openpyxl ships no type hints

from puente.core.spreadsheets import spreadsheet_text

from .models import Initiative

COLUMNS = (
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
CENT = Decimal("0.01")
Cell = str | Decimal


def _cents(amount: Decimal | None) -> Decimal:
    return (amount or Decimal(0)).quantize(CENT)


def portfolio_rows(initiatives: Iterable[Initiative], *, base_url: str) -> list[list[Cell]]:
    """Return one row per initiative (see COLUMNS); text made safe, money as Decimal."""
    rows: list[list[Cell]] = []
    for initiative in initiatives:
        text = [
            initiative.iati_identifier,
            initiative.title,
            initiative.partnership.title,
            str(initiative.get_status_display()),
            " ".join(str(country.country) for country in initiative.recipient_countries.all()),
            " ".join(sector.code for sector in initiative.sectors.all()),
            " ".join(str(theme) for theme in initiative.themes or []),
            initiative.planned_start.isoformat() if initiative.planned_start else "",
            initiative.planned_end.isoformat() if initiative.planned_end else "",
        ]
        money: list[Cell] = [
            _cents(getattr(initiative, "committed_eur", None)),
            _cents(getattr(initiative, "disbursed_eur", None)),
        ]
        rows.append(
            [spreadsheet_text(cell) for cell in text]
            + money
            + [base_url + initiative.get_absolute_url()]
        )
    return rows


def portfolio_csv(rows: Sequence[Sequence[Cell]]) -> str:
    """Return the rows as CSV text under a header of column names."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def portfolio_xlsx(rows: Sequence[Sequence[Cell]]) -> bytes:
    """Return the rows as an XLSX workbook, money as numbers."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("initiatives")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
