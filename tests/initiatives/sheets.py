"""Read a downloaded list back: the rows of a CSV or an XLSX response, header first."""

import csv
import io
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]  # no type hints


def csv_rows(response: Any) -> list[list[str]]:
    """Return the rows of a CSV download."""
    return list(csv.reader(io.StringIO(response.content.decode())))


def xlsx_rows(response: Any) -> list[list[Any]]:
    """Return the rows of the one sheet of an XLSX download, cells as openpyxl reads them."""
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]
