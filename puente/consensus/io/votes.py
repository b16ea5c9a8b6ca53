"""Read a votes file (fast path first, else the csv module) and build Votes from its rows."""

from __future__ import annotations

import mmap
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..types import Votes
from .fastpath import (
    fast_body_end,
    field_bounds,
    line_blocks,
    parse_unsigned,
    parse_vote,
    unaligned_words,
)
from .files import (
    PARTICIPANT_COLUMNS,
    InputError,
    find_column,
    open_bytes,
    read_csv_rows,
    read_header,
)

__all__ = [
    "VOTE_TEXT",
    "Ids",
    "as_integers",
    "build_votes",
    "read_votes_csv",
    "read_votes_file",
]

_STATEMENT_COLUMNS = ("comment-id", "statement")
_VOTE_COLUMNS = ("vote",)

VOTE_TEXT = {"1": 1, "0": 0, "-1": -1}


def read_votes_csv(path: Path) -> Votes:
    """Read a votes file: one vote per row; the latest vote of a pair wins.

    Accepted headers: the Polis ``votes.csv`` columns (``timestamp``, ``datetime``,
    ``comment-id``, ``voter-id``, ``vote``), or ``participant``, ``statement``, ``vote`` and an
    optional ``timestamp``, in any order; other columns are ignored. Votes are 1 agree,
    -1 disagree, 0 pass. Timestamps are numbers (Polis uses milliseconds); without them the
    last row of a pair wins, as it also does between equal timestamps. Ids may be text;
    integer ids are ordered numerically.
    """
    return read_votes_file(Path(path), (), np.zeros(0, dtype=bool))


# --- Building Votes -------------------------------------------------------------------------

Ids = NDArray[np.int64] | list[str]
"""Raw ids of one column: integers (fast path) or text."""


def build_votes(
    participant: Ids,
    statement: Ids,
    value: NDArray[np.int8],
    timestamp: NDArray[np.int64] | NDArray[np.float64] | None,
    *,
    extra_statements: Sequence[str],
    extra_moderated_out: NDArray[np.bool_],
) -> Votes:
    """Return Votes from one record per vote; the latest (then the last) of a pair wins.

    Same result as ``types.votes_from_records`` with the extra statements added. Works in
    place on the code arrays to keep fresh memory low.
    """
    key, _, participant_ids = _encode_ids(participant, [])
    statement_codes, extra_codes, statement_ids = _encode_ids(statement, list(extra_statements))
    n_votes = value.shape[0]
    n_statements = max(len(statement_ids), 1)
    key *= n_statements
    key += statement_codes
    # Sorting key * n + row (unique values) is much faster than a stable argsort and keeps
    # the rows of a pair in file order.
    if n_votes and (len(participant_ids) * n_statements + 1) * n_votes < 2**62:
        key *= n_votes
        key += np.arange(n_votes, dtype=np.int64)
        key.sort()
        row = statement_codes
        np.divmod(key, n_votes, out=(key, row))
        sorted_key = key
    else:
        row = np.argsort(key, kind="stable")
        sorted_key = key[row]
    is_last = np.ones(n_votes, dtype=bool)
    np.not_equal(sorted_key[1:], sorted_key[:-1], out=is_last[:-1])
    kept = row[is_last]
    if timestamp is not None and not is_last.all():
        kept = _latest_of_duplicates(row, is_last, kept, timestamp)
    participant_index = sorted_key[is_last]
    statement_index = np.empty_like(participant_index)
    np.divmod(participant_index, n_statements, out=(participant_index, statement_index))
    moderated = np.zeros(len(statement_ids), dtype=bool)
    moderated[extra_codes[extra_moderated_out]] = True
    return Votes(
        participant_ids=tuple(participant_ids),
        statement_ids=tuple(statement_ids),
        participant=participant_index.astype(np.int32),
        statement=statement_index.astype(np.int32),
        value=value[kept].astype(np.int8, copy=False),
        moderated_out=moderated,
    )


def _latest_of_duplicates(
    row: NDArray[np.int64],
    is_last: NDArray[np.bool_],
    kept: NDArray[np.int64],
    timestamp: NDArray[np.int64] | NDArray[np.float64],
) -> NDArray[np.int64]:
    """Replace the kept row of every repeated pair by its latest row (the last on ties)."""
    run: NDArray[np.int64] = np.cumsum(is_last) - is_last  # run index of each sorted row
    run_length = np.bincount(run)
    repeated = np.flatnonzero(run_length[run] > 1)
    candidate_row = row[repeated]
    candidate_run: NDArray[np.int64] = run[repeated]
    order = np.lexsort((candidate_row, timestamp[candidate_row], candidate_run))
    ordered_run: NDArray[np.int64] = candidate_run[order]
    last = np.ones(order.shape[0], dtype=bool)
    np.not_equal(ordered_run[1:], ordered_run[:-1], out=last[:-1])
    kept = kept.copy()
    kept[ordered_run[last]] = candidate_row[order][last]
    return kept


def _encode_ids(
    primary: Ids, extra: list[str]
) -> tuple[NDArray[np.int64], NDArray[np.int64], list[str]]:
    """Return codes of ``primary``, codes of ``extra`` and all distinct ids in code order.

    Integer ids are ordered numerically and written without leading zeros; otherwise all
    ids are text, ordered as text. The primary codes are a new array the caller may modify.
    """
    numbers = as_integers(primary)
    extra_numbers = as_integers(extra)
    if numbers is not None and extra_numbers is not None:
        return _encode_integers(numbers, extra_numbers)
    text = [str(item) for item in primary] if numbers is not None else list(primary)
    text.extend(extra)
    uniques, codes = np.unique(np.asarray(text, dtype=str), return_inverse=True)
    codes = codes.astype(np.int64)
    n_primary = len(primary)
    return codes[:n_primary], codes[n_primary:], [str(item) for item in uniques]


def as_integers(ids: Ids) -> NDArray[np.int64] | None:
    """Return the ids as integers, or None when one is not an integer."""
    if isinstance(ids, np.ndarray):
        return ids
    if not ids:
        return np.zeros(0, dtype=np.int64)
    try:
        return np.asarray(ids, dtype=np.int64)
    except (ValueError, OverflowError):
        return None


def _encode_integers(
    numbers: NDArray[np.int64], extra: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], list[str]]:
    """Return the rank of each integer among all distinct ones, and the distinct ones."""
    both = [part for part in (numbers, extra) if part.shape[0]]
    if not both:
        return numbers.copy(), extra.copy(), []
    low = min(int(part.min()) for part in both)
    span = max(int(part.max()) for part in both) - low + 1
    if span <= 4 * (numbers.shape[0] + extra.shape[0]) + 65_536:
        # Dense ids (the usual case): mark the ids present and count; no sort needed.
        present = np.zeros(span, dtype=bool)
        for part in both:
            present[part - low if low else part] = True
        rank = np.cumsum(present, dtype=np.int64)
        rank -= 1
        uniques = np.flatnonzero(present) + low
        codes = [rank[part - low if low else part] for part in (numbers, extra)]
        return codes[0], codes[1], [str(item) for item in uniques.tolist()]
    distinct, inverse = np.unique(np.concatenate([numbers, extra]), return_inverse=True)
    all_codes = inverse.astype(np.int64)
    n_primary = numbers.shape[0]
    labels = [str(item) for item in distinct.tolist()]
    return all_codes[:n_primary], all_codes[n_primary:], labels


# --- Votes files ----------------------------------------------------------------------------


def read_votes_file(
    path: Path, extra_statements: Sequence[str], extra_moderated_out: NDArray[np.bool_]
) -> Votes:
    """Read a votes CSV (fast path first) and build Votes."""
    with open_bytes(path) as buffer:
        header, body_start = read_header(path, buffer)
        roles = _vote_roles(path, header)
        columns = _fast_vote_columns(buffer, body_start, len(header), roles)
    if columns is not None:
        participant, statement, value, timestamp = columns
        return build_votes(
            participant,
            statement,
            value,
            timestamp,
            extra_statements=extra_statements,
            extra_moderated_out=extra_moderated_out,
        )
    return _read_votes_slowly(path, roles, extra_statements, extra_moderated_out)


def _vote_roles(path: Path, header: list[str]) -> dict[str, int]:
    """Return the column index of participant, statement, vote and (optional) timestamp."""
    roles = {
        "participant": find_column(path, header, PARTICIPANT_COLUMNS),
        "statement": find_column(path, header, _STATEMENT_COLUMNS),
        "vote": find_column(path, header, _VOTE_COLUMNS),
    }
    lowered = [name.lower() for name in header]
    if "timestamp" in lowered:
        roles["timestamp"] = lowered.index("timestamp")
    return roles


def _read_votes_slowly(
    path: Path,
    roles: dict[str, int],
    extra_statements: Sequence[str],
    extra_moderated_out: NDArray[np.bool_],
) -> Votes:
    """Read a votes CSV with the csv module, reporting the first bad field."""
    header, rows = read_csv_rows(path)
    participant: list[str] = []
    statement: list[str] = []
    values: list[int] = []
    timestamps: list[float] = []
    timestamp_column = roles.get("timestamp")
    for row_number, fields in rows:
        for role, target in (("participant", participant), ("statement", statement)):
            raw_id = fields[roles[role]].strip()
            if not raw_id:
                raise InputError(path, "empty id", row=row_number, column=header[roles[role]])
            target.append(raw_id)
        raw_vote = fields[roles["vote"]].strip()
        if raw_vote not in VOTE_TEXT:
            raise InputError(
                path,
                f"unknown vote value {raw_vote!r} (expected -1, 0 or 1)",
                row=row_number,
                column=header[roles["vote"]],
            )
        values.append(VOTE_TEXT[raw_vote])
        if timestamp_column is not None:
            raw_time = fields[timestamp_column].strip()
            try:
                moment = float(raw_time)
            except ValueError:
                moment = float("nan")
            if not np.isfinite(moment):
                raise InputError(
                    path,
                    f"timestamp {raw_time!r} is not a number",
                    row=row_number,
                    column=header[timestamp_column],
                )
            timestamps.append(moment)
    return build_votes(
        participant,
        statement,
        np.asarray(values, dtype=np.int8),
        np.asarray(timestamps, dtype=np.float64) if timestamp_column is not None else None,
        extra_statements=extra_statements,
        extra_moderated_out=extra_moderated_out,
    )


_ParsedColumns = tuple[
    NDArray[np.int64], NDArray[np.int64], NDArray[np.int8], NDArray[np.int64] | None
]
"""Participant ids, statement ids, votes and timestamps (if given) parsed from a vote file."""


def _fast_vote_columns(
    buffer: bytes | mmap.mmap, body_start: int, n_columns: int, roles: dict[str, int]
) -> _ParsedColumns | None:
    """Parse integer ids, votes and timestamps with numpy, or return None to go slowly."""
    end = fast_body_end(buffer, body_start)
    if end is None:
        return None
    data = np.frombuffer(buffer, dtype=np.uint8)
    words = unaligned_words(buffer)
    has_carriage_return = buffer.find(b"\r", body_start, end) >= 0
    integer_roles = [role for role in ("participant", "statement", "timestamp") if role in roles]
    # Every field has at least one character and one delimiter; pages of these arrays that
    # are never written are never allocated.
    capacity = (end - body_start) // (2 * n_columns) + 1
    columns = {role: np.empty(capacity, dtype=np.int64) for role in integer_roles}
    value = np.empty(capacity, dtype=np.int8)
    n_rows = 0
    for block in line_blocks(data, buffer, body_start, end, n_columns):
        if block is None:
            return None
        grid, line_start = block
        rows = slice(n_rows, n_rows + grid.shape[0])
        for role in integer_roles:
            starts, ends = field_bounds(data, grid, line_start, roles[role], has_carriage_return)
            if not parse_unsigned(words, starts, ends, columns[role][rows]):
                return None
        starts, ends = field_bounds(data, grid, line_start, roles["vote"], has_carriage_return)
        if not parse_vote(data, starts, ends, value[rows]):
            return None
        n_rows += grid.shape[0]
    timestamp = columns["timestamp"][:n_rows] if "timestamp" in columns else None
    return columns["participant"][:n_rows], columns["statement"][:n_rows], value[:n_rows], timestamp
