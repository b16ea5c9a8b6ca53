"""Read pairwise comparisons of statements from a CSV file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..types import Comparisons
from .files import PARTICIPANT_COLUMNS, IdLookup, InputError, find_column, read_csv_rows

__all__ = [
    "read_comparisons_csv",
]


def read_comparisons_csv(
    path: Path, *, statement_ids: Sequence[str], participant_ids: Sequence[str]
) -> Comparisons:
    """Read pairwise comparisons: columns ``voter-id``, ``preferred``, ``other``.

    Statement ids must be known; a participant not in ``participant_ids`` gets index -1
    (the comparison still counts).
    """
    path = Path(path)
    header, rows = read_csv_rows(path)
    participant_column = find_column(path, header, PARTICIPANT_COLUMNS)
    preferred_column = find_column(path, header, ("preferred",))
    other_column = find_column(path, header, ("other",))
    statements = IdLookup(statement_ids)
    participants = IdLookup(participant_ids)
    participant: list[int] = []
    winner: list[int] = []
    loser: list[int] = []
    for row_number, fields in rows:
        pair: list[int] = []
        for column in (preferred_column, other_column):
            raw_id = fields[column].strip()
            position = statements.get(raw_id)
            if position is None:
                raise InputError(
                    path, f"unknown statement id {raw_id!r}", row=row_number, column=header[column]
                )
            pair.append(position)
        if pair[0] == pair[1]:
            raise InputError(
                path,
                "a statement cannot be compared with itself",
                row=row_number,
                column=header[other_column],
            )
        found = participants.get(fields[participant_column].strip())
        participant.append(-1 if found is None else found)
        winner.append(pair[0])
        loser.append(pair[1])
    return Comparisons(
        participant=np.asarray(participant, dtype=np.int32),
        winner=np.asarray(winner, dtype=np.int32),
        loser=np.asarray(loser, dtype=np.int32),
    )
