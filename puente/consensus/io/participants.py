"""Read declared groupings of participants (region, stakeholder type, ...) from a CSV file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..types import Groupings
from .files import PARTICIPANT_COLUMNS, IdLookup, InputError, find_column, read_csv_rows

__all__ = [
    "read_participants_csv",
]


def read_participants_csv(
    path: Path,
    *,
    participant_ids: Sequence[str],
    groupings: Sequence[str] | None = None,
) -> Groupings:
    """Read declared groupings (region, stakeholder type, ...) from ``participants.csv``.

    The file has a ``voter-id`` (or ``participant``) column and one column per grouping;
    ``groupings`` selects columns (default: all the others). Rows of participants not in
    ``participant_ids`` are ignored; participants missing from the file, or with an empty
    cell, get code -1. Categories are sorted as text.
    """
    path = Path(path)
    header, rows = read_csv_rows(path)
    id_column = find_column(path, header, PARTICIPANT_COLUMNS)
    if groupings is None:
        names = [name for index, name in enumerate(header) if index != id_column and name]
    else:
        names = list(groupings)
    columns: list[int] = []
    for name in names:
        if name not in header:
            raise InputError(path, "column is missing", row=1, column=name)
        columns.append(header.index(name))
    lookup = IdLookup(participant_ids)
    first_row: dict[int, int] = {}
    positions: list[int] = []
    kept_rows: list[list[str]] = []
    for row_number, fields in rows:
        raw_id = fields[id_column].strip()
        if not raw_id:
            raise InputError(path, "empty participant id", row=row_number, column=header[id_column])
        position = lookup.get(raw_id)
        if position is None:
            continue
        if position in first_row:
            raise InputError(
                path,
                f"participant {raw_id!r} appears twice (first on row {first_row[position]})",
                row=row_number,
                column=header[id_column],
            )
        first_row[position] = row_number
        positions.append(position)
        kept_rows.append(fields)
    categories: dict[str, tuple[str, ...]] = {}
    codes: dict[str, NDArray[np.intp]] = {}
    position_array = np.asarray(positions, dtype=np.intp)
    for name, column in zip(names, columns, strict=True):
        values = np.asarray([fields[column].strip() for fields in kept_rows], dtype=str)
        known = values != ""
        labels, label_codes = np.unique(values[known], return_inverse=True)
        code = np.full(len(participant_ids), -1, dtype=np.intp)
        code[position_array[known]] = label_codes
        categories[name] = tuple(str(label) for label in labels)
        codes[name] = code
    return Groupings(categories=categories, codes=codes)
