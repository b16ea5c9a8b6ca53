"""Read votes, participants and comparisons from CSV files, including Polis exports.

Vote sign convention: the Polis export files (``votes.csv`` and ``participants-votes.csv``)
store 1 for agree, -1 for disagree and 0 for pass, the same convention as ``Votes``. This
was checked on the conversations in ``shared/data/polis``: counting every row of ``votes.csv``
with vote 1 (and -1) per comment reproduces the ``agrees`` (and ``disagrees``) column of
``comments.csv`` exactly (those columns count superseded votes too). The Polis web API, not
read here, uses the opposite sign.

Large vote files are parsed without the ``csv`` module: the file is memory-mapped, the
delimiters are located with numpy, and integer fields are decoded eight digits at a time.
A file that this fast path does not accept (quoted fields, non-integer ids, blank lines,
any invalid value) is read again with the ``csv`` module, which either reads it (text ids,
quoted fields) or reports the first problem with its row and column. Row numbers count the
lines of the file from 1, the header being row 1.
"""

from __future__ import annotations

import csv
import io
import mmap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from .types import Comparisons, Groupings, Votes

if TYPE_CHECKING:
    from _csv import Reader as _CsvReader

__all__ = [
    "InputError",
    "PolisConversation",
    "read_comparisons_csv",
    "read_participants_csv",
    "read_polis_conversation",
    "read_votes_csv",
]

_PARTICIPANT_COLUMNS = ("voter-id", "participant")
_STATEMENT_COLUMNS = ("comment-id", "statement")
_VOTE_COLUMNS = ("vote",)

_MMAP_MIN_BYTES = 1 << 20
"""Files at least this large are memory-mapped rather than read into memory."""

_VOTE_TEXT = {"1": 1, "0": 0, "-1": -1}


class InputError(ValueError):
    """A problem in an input file, located by file, row and column.

    Attributes
    ----------
    path
        The file (or folder) as given.
    row
        1-based line number in the file (the header is row 1), or None.
    column
        Name of the column, or None.
    message
        What is wrong.
    """

    def __init__(
        self, path: Path | str, message: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        self.path = str(path)
        self.row = row
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        """Return "file, row N, column 'name': message" with the known parts."""
        where = self.path
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class PolisConversation:
    """A Polis conversation export read from its folder.

    Attributes
    ----------
    votes
        The votes (latest per pair); statements of ``comments.csv`` without votes included,
        those moderated out (``moderated`` = -1) flagged.
    statement_text
        Text of each statement (``comment-body``), by statement id.
    polis_group_ids
        Group Polis gave each participant (``group-id`` of ``participants-votes.csv``), where
        present.
    source
        The file the votes were read from.
    """

    votes: Votes
    statement_text: dict[str, str]
    polis_group_ids: dict[str, int]
    source: str


def read_polis_conversation(folder: Path) -> PolisConversation:
    """Read a Polis export folder: ``votes.csv`` or ``participants-votes.csv``, ``comments.csv``.

    Votes come from ``votes.csv`` (timestamp, datetime, comment-id, voter-id, vote; the
    latest vote of a pair wins) when present, else from ``participants-votes.csv`` (one row
    per participant, one column per comment id, empty cell = not seen). ``comments.csv`` is
    optional; it adds statements nobody voted on, the statement texts and the moderation
    flags. Only participants with at least one vote are included.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(folder, "no such folder")
    comments_path = folder / "comments.csv"
    comments = _Comments((), np.zeros(0, dtype=bool), {})
    if comments_path.is_file():
        comments = _read_comments(comments_path)
    votes_path = folder / "votes.csv"
    wide_path = folder / "participants-votes.csv"
    polis_group_ids: dict[str, int] = {}
    if votes_path.is_file():
        votes = _read_votes_file(votes_path, comments.statement_ids, comments.moderated_out)
        source = votes_path
        if wide_path.is_file():
            polis_group_ids = _read_wide_votes(wide_path, with_votes=False).group_ids
    elif wide_path.is_file():
        wide = _read_wide_votes(wide_path, with_votes=True)
        votes = _build_votes(
            wide.participant,
            wide.statement,
            wide.value,
            None,
            extra_statements=comments.statement_ids,
            extra_moderated_out=comments.moderated_out,
        )
        polis_group_ids = wide.group_ids
        source = wide_path
    else:
        raise InputError(folder, "no votes.csv or participants-votes.csv in the folder")
    return PolisConversation(
        votes=votes,
        statement_text=comments.text,
        polis_group_ids=polis_group_ids,
        source=str(source),
    )


def read_votes_csv(path: Path) -> Votes:
    """Read a votes file: one vote per row; the latest vote of a pair wins.

    Accepted headers: the Polis ``votes.csv`` columns (``timestamp``, ``datetime``,
    ``comment-id``, ``voter-id``, ``vote``), or ``participant``, ``statement``, ``vote`` and an
    optional ``timestamp``, in any order; other columns are ignored. Votes are 1 agree,
    -1 disagree, 0 pass. Timestamps are numbers (Polis uses milliseconds); without them the
    last row of a pair wins, as it also does between equal timestamps. Ids may be text;
    integer ids are ordered numerically.
    """
    return _read_votes_file(Path(path), (), np.zeros(0, dtype=bool))


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
    header, rows = _read_csv_rows(path)
    id_column = _find_column(path, header, _PARTICIPANT_COLUMNS)
    if groupings is None:
        names = [name for index, name in enumerate(header) if index != id_column and name]
    else:
        names = list(groupings)
    columns: list[int] = []
    for name in names:
        if name not in header:
            raise InputError(path, "column is missing", row=1, column=name)
        columns.append(header.index(name))
    lookup = _IdLookup(participant_ids)
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


def read_comparisons_csv(
    path: Path, *, statement_ids: Sequence[str], participant_ids: Sequence[str]
) -> Comparisons:
    """Read pairwise comparisons: columns ``voter-id``, ``preferred``, ``other``.

    Statement ids must be known; a participant not in ``participant_ids`` gets index -1
    (the comparison still counts).
    """
    path = Path(path)
    header, rows = _read_csv_rows(path)
    participant_column = _find_column(path, header, _PARTICIPANT_COLUMNS)
    preferred_column = _find_column(path, header, ("preferred",))
    other_column = _find_column(path, header, ("other",))
    statements = _IdLookup(statement_ids)
    participants = _IdLookup(participant_ids)
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


# --- Building Votes -------------------------------------------------------------------------

_Ids = NDArray[np.int64] | list[str]
"""Raw ids of one column: integers (fast path) or text."""


def _build_votes(
    participant: _Ids,
    statement: _Ids,
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
    primary: _Ids, extra: list[str]
) -> tuple[NDArray[np.int64], NDArray[np.int64], list[str]]:
    """Return codes of ``primary``, codes of ``extra`` and all distinct ids in code order.

    Integer ids are ordered numerically and written without leading zeros; otherwise all
    ids are text, ordered as text. The primary codes are a new array the caller may modify.
    """
    numbers = _as_integers(primary)
    extra_numbers = _as_integers(extra)
    if numbers is not None and extra_numbers is not None:
        return _encode_integers(numbers, extra_numbers)
    text = [str(item) for item in primary] if numbers is not None else list(primary)
    text.extend(extra)
    uniques, codes = np.unique(np.asarray(text, dtype=str), return_inverse=True)
    codes = codes.astype(np.int64)
    n_primary = len(primary)
    return codes[:n_primary], codes[n_primary:], [str(item) for item in uniques]


def _as_integers(ids: _Ids) -> NDArray[np.int64] | None:
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


class _IdLookup:
    """Find the position of an id as written in another file (``"007"`` matches ``"7"``)."""

    def __init__(self, ids: Sequence[str]) -> None:
        self._position = {identifier: index for index, identifier in enumerate(ids)}

    def get(self, raw_id: str) -> int | None:
        """Return the position of the id, or None when unknown."""
        position = self._position.get(raw_id)
        if position is None:
            try:
                position = self._position.get(str(int(raw_id)))
            except ValueError:
                return None
        return position


# --- Votes files ----------------------------------------------------------------------------


def _read_votes_file(
    path: Path, extra_statements: Sequence[str], extra_moderated_out: NDArray[np.bool_]
) -> Votes:
    """Read a votes CSV (fast path first) and build Votes."""
    with _open_bytes(path) as buffer:
        header, body_start = _header(path, buffer)
        roles = _vote_roles(path, header)
        columns = _fast_vote_columns(buffer, body_start, len(header), roles)
    if columns is not None:
        participant, statement, value, timestamp = columns
        return _build_votes(
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
        "participant": _find_column(path, header, _PARTICIPANT_COLUMNS),
        "statement": _find_column(path, header, _STATEMENT_COLUMNS),
        "vote": _find_column(path, header, _VOTE_COLUMNS),
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
    header, rows = _read_csv_rows(path)
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
        if raw_vote not in _VOTE_TEXT:
            raise InputError(
                path,
                f"unknown vote value {raw_vote!r} (expected -1, 0 or 1)",
                row=row_number,
                column=header[roles["vote"]],
            )
        values.append(_VOTE_TEXT[raw_vote])
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
    return _build_votes(
        participant,
        statement,
        np.asarray(values, dtype=np.int8),
        np.asarray(timestamps, dtype=np.float64) if timestamp_column is not None else None,
        extra_statements=extra_statements,
        extra_moderated_out=extra_moderated_out,
    )


# --- Fast path ------------------------------------------------------------------------------


@contextmanager
def _open_bytes(path: Path) -> Iterator[bytes | mmap.mmap]:
    """Yield the bytes of a file, memory-mapped when it is large."""
    try:
        file = path.open("rb")
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as error:
        raise InputError(path, f"cannot read the file ({error.strerror})") from None
    with file:
        size = path.stat().st_size
        if size < _MMAP_MIN_BYTES:
            yield file.read()
            return
        mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            yield mapped
        finally:
            # A view still alive keeps the mapping open until it is collected.
            with suppress(BufferError):
                mapped.close()


def _header(path: Path, buffer: bytes | mmap.mmap) -> tuple[list[str], int]:
    """Return the column names and the offset of the first data byte."""
    end = buffer.find(b"\n")
    if end < 0:
        end = len(buffer)
    raw = bytes(buffer[:end])
    try:
        text = raw.decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        raise InputError(path, "the header is not UTF-8 text", row=1) from None
    if not text.strip():
        raise InputError(path, "the file is empty (no header)", row=1)
    names = next(csv.reader([text]))
    return [name.strip() for name in names], end + 1


def _find_column(path: Path, header: list[str], names: Sequence[str]) -> int:
    """Return the index of the first column called one of ``names`` (case-insensitive)."""
    lowered = [name.lower() for name in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    found = ", ".join(header)
    raise InputError(path, f"column is missing (the header has: {found})", row=1, column=names[0])


_VOTE_COLUMNSs = tuple[
    NDArray[np.int64], NDArray[np.int64], NDArray[np.int8], NDArray[np.int64] | None
]


def _fast_vote_columns(
    buffer: bytes | mmap.mmap, body_start: int, n_columns: int, roles: dict[str, int]
) -> _VOTE_COLUMNSs | None:
    """Parse integer ids, votes and timestamps with numpy, or return None to go slowly."""
    end = _fast_body_end(buffer, body_start)
    if end is None:
        return None
    data = np.frombuffer(buffer, dtype=np.uint8)
    words = _unaligned_words(buffer)
    has_carriage_return = buffer.find(b"\r", body_start, end) >= 0
    integer_roles = [role for role in ("participant", "statement", "timestamp") if role in roles]
    # Every field has at least one character and one delimiter; pages of these arrays that
    # are never written are never allocated.
    capacity = (end - body_start) // (2 * n_columns) + 1
    columns = {role: np.empty(capacity, dtype=np.int64) for role in integer_roles}
    value = np.empty(capacity, dtype=np.int8)
    n_rows = 0
    for block in _line_blocks(data, buffer, body_start, end, n_columns):
        if block is None:
            return None
        grid, line_start = block
        rows = slice(n_rows, n_rows + grid.shape[0])
        for role in integer_roles:
            starts, ends = _field_bounds(data, grid, line_start, roles[role], has_carriage_return)
            if not _parse_unsigned(words, starts, ends, columns[role][rows]):
                return None
        starts, ends = _field_bounds(data, grid, line_start, roles["vote"], has_carriage_return)
        if not _parse_vote(data, starts, ends, value[rows]):
            return None
        n_rows += grid.shape[0]
    timestamp = columns["timestamp"][:n_rows] if "timestamp" in columns else None
    return columns["participant"][:n_rows], columns["statement"][:n_rows], value[:n_rows], timestamp


def _fast_body_end(buffer: bytes | mmap.mmap, body_start: int) -> int | None:
    """Return the end of the body without trailing blanks, or None if it needs the csv module."""
    end = len(buffer)
    while end > body_start and buffer[end - 1 : end] in (b"\n", b"\r", b" ", b"\t"):
        end -= 1
    if buffer.find(b'"', body_start, end) >= 0 or body_start < 8:
        return None
    return end


def _line_blocks(
    data: NDArray[np.uint8],
    buffer: bytes | mmap.mmap,
    body_start: int,
    end: int,
    n_columns: int,
) -> Iterator[tuple[NDArray[np.int64], NDArray[np.int64]] | None]:
    """Yield (delimiter grid, line starts) per block of whole lines; None for a bad block.

    Blocks keep every temporary array small: in cache, and reused rather than freshly
    paged in.
    """
    scratch = _BlockScratch()
    block_start = body_start
    while block_start < end:
        block_end = min(block_start + _BLOCK_BYTES, end)
        if block_end < end:
            newline = buffer.find(b"\n", block_end, end)
            block_end = end if newline < 0 else newline
        grid = _block_grid(data, block_start, block_end, n_columns, scratch)
        if grid is None:
            yield None
            return
        line_start = np.empty(grid.shape[0], dtype=np.int64)
        line_start[0] = block_start
        line_start[1:] = grid[:-1, -1] + 1
        yield grid, line_start
        block_start = block_end + 1


_BLOCK_BYTES = 1 << 19
"""Bytes of the file parsed at a time."""


class _BlockScratch:
    """Reusable masks for scanning one block for delimiters."""

    def __init__(self) -> None:
        self.is_comma = np.empty(0, dtype=bool)
        self.is_newline = np.empty(0, dtype=bool)

    def masks(self, size: int) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
        """Return two boolean arrays of ``size`` elements, grown when needed."""
        if self.is_comma.shape[0] < size:
            self.is_comma = np.empty(size, dtype=bool)
            self.is_newline = np.empty(size, dtype=bool)
        return self.is_comma[:size], self.is_newline[:size]


def _block_grid(
    data: NDArray[np.uint8], start: int, end: int, n_columns: int, scratch: _BlockScratch
) -> NDArray[np.int64] | None:
    """Return the delimiter offsets of the lines in data[start:end], one row per line.

    Column j of a row is the offset of the comma ending field j; the last column is the
    offset of the line end. None when some line has a different number of fields.
    """
    chunk = data[start:end]
    comma, newline = scratch.masks(chunk.shape[0])
    np.equal(chunk, ord(","), out=comma)
    np.equal(chunk, ord("\n"), out=newline)
    np.logical_or(comma, newline, out=comma)
    found = np.flatnonzero(comma)
    delimiters = np.empty(found.shape[0] + 1, dtype=np.int64)
    np.add(found, start, out=delimiters[:-1])
    delimiters[-1] = end
    if delimiters.shape[0] % n_columns:
        return None
    grid = delimiters.reshape(-1, n_columns)
    if not (data[grid[:, :-1]] == ord(",")).all() or not (data[grid[:-1, -1]] == 10).all():
        return None
    return grid


def _field_bounds(
    data: NDArray[np.uint8],
    grid: NDArray[np.int64],
    line_start: NDArray[np.int64],
    column: int,
    has_carriage_return: bool,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Return the start and end (exclusive) offsets of one column's fields."""
    starts = line_start if column == 0 else grid[:, column - 1] + 1
    ends = grid[:, column].copy()
    if has_carriage_return and column == grid.shape[1] - 1:
        ends -= data[ends - 1] == ord("\r")
    return starts, ends


def _unaligned_words(buffer: bytes | mmap.mmap) -> NDArray[np.uint64]:
    """Return a view where element i is the little-endian 8-byte word at byte offset i."""
    n_words = max(len(buffer) - 7, 0)
    return np.ndarray(shape=(n_words,), dtype="<u8", buffer=buffer, strides=(1,))


_KEEP_LAST = np.asarray(
    [
        0,
        *(
            (0xFFFF_FFFF_FFFF_FFFF << (8 * (8 - length))) & 0xFFFF_FFFF_FFFF_FFFF
            for length in range(1, 9)
        ),
    ],
    dtype=np.uint64,
)
"""Mask keeping the last ``length`` bytes (the high ones) of a little-endian word."""
_ZERO_DIGITS = np.uint64(0x3030_3030_3030_3030)
_FILL_ZEROS = ~_KEEP_LAST & _ZERO_DIGITS
_HIGH_NIBBLES = np.uint64(0xF0F0_F0F0_F0F0_F0F0)
_LOW_NIBBLES = np.uint64(0x0F0F_0F0F_0F0F_0F0F)
_SIX = np.uint64(0x0606_0606_0606_0606)
_PAIRS = np.uint64(0x00FF_00FF_00FF_00FF)
_QUADS = np.uint64(0x0000_FFFF_0000_FFFF)
_OCTET = np.uint64(0x0000_0000_FFFF_FFFF)


def _parse_unsigned(
    words: NDArray[np.uint64],
    starts: NDArray[np.int64],
    ends: NDArray[np.int64],
    out: NDArray[np.int64],
) -> bool:
    """Decode unsigned decimal fields [start, end) of 1 to 16 digits into ``out``.

    Return False when a field is empty, too long or not all digits. Eight digits are
    decoded at once: the 8-byte word ending at the field end is loaded, the bytes before
    the field are replaced by '0', every byte is checked to be a digit, and the digits
    are combined pairwise by multiply-and-shift (SWAR).
    """
    length = ends - starts
    if length.shape[0] and (int(length.min()) < 1 or int(length.max()) > 16):
        return False
    out[:] = 0
    for block in range(2):
        block_length = np.clip(length - 8 * block, 0, 8)
        if block and not block_length.any():
            break
        # Fields shorter than the block only need their bytes masked out; clip the offset.
        word = words[np.maximum(ends - 8 * (block + 1), 0)]
        word &= _KEEP_LAST[block_length]
        word |= _FILL_ZEROS[block_length]
        if ((word & _HIGH_NIBBLES) != _ZERO_DIGITS).any():
            return False
        if (((word + _SIX) & _HIGH_NIBBLES) != _ZERO_DIGITS).any():
            return False
        word &= _LOW_NIBBLES
        word = (word * np.uint64(10) + (word >> np.uint64(8))) & _PAIRS
        word = (word * np.uint64(100) + (word >> np.uint64(16))) & _QUADS
        word = (word * np.uint64(10_000) + (word >> np.uint64(32))) & _OCTET
        if block:
            out += word.astype(np.int64) * 100_000_000
        else:
            out += word.astype(np.int64)
    return True


def _parse_vote(
    data: NDArray[np.uint8],
    starts: NDArray[np.int64],
    ends: NDArray[np.int64],
    out: NDArray[np.int8],
) -> bool:
    """Decode vote fields "1", "0", "-1" into ``out``; return False on any other field."""
    length = ends - starts
    last = data[ends - 1]
    negative = (length == 2) & (data[starts] == ord("-")) & (last == ord("1"))
    digit = (length == 1) & ((last == ord("0")) | (last == ord("1")))
    if not (negative | digit).all():
        return False
    np.subtract(last, ord("0"), out=out, casting="unsafe")
    out[negative] = -1
    return True


# --- Slow path and small files --------------------------------------------------------------


def _read_csv_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Return the header and an iterator of (row number, fields) over the non-blank rows.

    Rows with a different number of fields than the header raise ``InputError``.
    """
    with _open_bytes(path) as buffer:
        raw = bytes(buffer)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = raw.count(b"\n", 0, error.start) + 1
        raise InputError(path, "the file is not UTF-8 text", row=row) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise InputError(path, "the file is empty (no header)", row=1) from None
    except csv.Error as error:
        raise InputError(path, f"malformed header ({error})", row=1) from None
    if not any(header):
        raise InputError(path, "the file is empty (no header)", row=1)
    return header, _checked_rows(path, header, reader)


def _checked_rows(
    path: Path, header: list[str], reader: _CsvReader
) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, fields) of non-blank rows with as many fields as the header."""
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise InputError(path, f"malformed row ({error})", row=reader.line_num) from None
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        if len(fields) < len(header):
            raise InputError(
                path,
                f"missing field ({len(fields)} of {len(header)} fields)",
                row=reader.line_num,
                column=header[len(fields)],
            )
        if len(fields) > len(header):
            raise InputError(
                path,
                f"too many fields ({len(fields)}, the header has {len(header)})",
                row=reader.line_num,
            )
        yield reader.line_num, fields


@dataclass(frozen=True)
class _Comments:
    statement_ids: tuple[str, ...]
    moderated_out: NDArray[np.bool_]
    text: dict[str, str]


def _read_comments(path: Path) -> _Comments:
    """Read ``comments.csv``: ids, moderation (-1 = moderated out) and texts."""
    header, rows = _read_csv_rows(path)
    id_column = _find_column(path, header, ("comment-id",))
    lowered = [name.lower() for name in header]
    moderated_column = lowered.index("moderated") if "moderated" in lowered else None
    text_column = lowered.index("comment-body") if "comment-body" in lowered else None
    ids: list[str] = []
    moderated: list[bool] = []
    text: dict[str, str] = {}
    for row_number, fields in rows:
        raw_id = fields[id_column].strip()
        if not raw_id:
            raise InputError(path, "empty comment id", row=row_number, column=header[id_column])
        identifier = _normal_id(raw_id)
        ids.append(identifier)
        flag = False
        if moderated_column is not None:
            raw_flag = fields[moderated_column].strip()
            if raw_flag not in ("-1", "0", "1", ""):
                raise InputError(
                    path,
                    f"unknown moderation value {raw_flag!r} (expected -1, 0 or 1)",
                    row=row_number,
                    column=header[moderated_column],
                )
            flag = raw_flag == "-1"
        moderated.append(flag)
        if text_column is not None:
            text[identifier] = fields[text_column]
    return _Comments(tuple(ids), np.asarray(moderated, dtype=bool), text)


def _normal_id(raw_id: str) -> str:
    """Return an integer id without leading zeros or sign noise; other ids unchanged."""
    try:
        return str(int(raw_id))
    except ValueError:
        return raw_id


@dataclass(frozen=True)
class _WideVotes:
    participant: _Ids
    statement: _Ids
    value: NDArray[np.int8]
    group_ids: dict[str, int]


_WIDE_INFO_COLUMNS = frozenset(
    {"participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}
)


def _read_wide_votes(path: Path, *, with_votes: bool) -> _WideVotes:
    """Read ``participants-votes.csv``: one row per participant, one column per comment."""
    with _open_bytes(path) as buffer:
        header, body_start = _header(path, buffer)
        participant_column = _find_column(path, header, ("participant",))
        lowered = [name.lower() for name in header]
        group_column = lowered.index("group-id") if "group-id" in lowered else None
        comment_columns = [
            index for index, name in enumerate(lowered) if name not in _WIDE_INFO_COLUMNS
        ]
        fast = _fast_wide_votes(
            buffer,
            body_start,
            len(header),
            participant_column,
            group_column,
            comment_columns if with_votes else [],
        )
    if fast is None:
        return _read_wide_votes_slowly(path, with_votes=with_votes)
    participant_numbers, group, matrix = fast
    has_group = group >= 0
    group_ids = dict(
        zip(
            map(str, participant_numbers[has_group].tolist()),
            group[has_group].tolist(),
            strict=True,
        )
    )
    statement_names = [_normal_id(header[index]) for index in comment_columns]
    row_index, column_index = np.nonzero(matrix != _UNSEEN)
    statement_numbers = _as_integers(statement_names)
    statement: _Ids = (
        statement_numbers[column_index]
        if statement_numbers is not None
        else [statement_names[index] for index in column_index.tolist()]
    )
    return _WideVotes(
        participant=participant_numbers[row_index],
        statement=statement,
        value=matrix[row_index, column_index],
        group_ids=group_ids,
    )


def _fast_wide_votes(
    buffer: bytes | mmap.mmap,
    body_start: int,
    n_columns: int,
    participant_column: int,
    group_column: int | None,
    comment_columns: list[int],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int8]] | None:
    """Parse a wide file with numpy: participant ids, group ids (-1 none) and the votes."""
    end = _fast_body_end(buffer, body_start)
    if end is None or (comment_columns and comment_columns[0] == 0):
        return None
    data = np.frombuffer(buffer, dtype=np.uint8)
    words = _unaligned_words(buffer)
    has_carriage_return = buffer.find(b"\r", body_start, end) >= 0
    capacity = (end - body_start) // n_columns + 1
    participant = np.empty(capacity, dtype=np.int64)
    group = np.empty(capacity, dtype=np.int64)
    cells = np.asarray(comment_columns, dtype=np.intp)
    parts: list[NDArray[np.int8]] = []
    n_rows = 0
    for block in _line_blocks(data, buffer, body_start, end, n_columns):
        if block is None:
            return None
        grid, line_start = block
        rows = slice(n_rows, n_rows + grid.shape[0])
        starts, ends = _field_bounds(data, grid, line_start, participant_column, False)
        if not _parse_unsigned(words, starts, ends, participant[rows]):
            return None
        group[rows] = -1
        if group_column is not None:
            starts, ends = _field_bounds(data, grid, line_start, group_column, False)
            given = np.flatnonzero(ends > starts)
            group_values = np.empty(given.shape[0], dtype=np.int64)
            if not _parse_unsigned(words, starts[given], ends[given], group_values):
                return None
            group[rows][given] = group_values
        cell_starts = grid[:, cells - 1] + 1
        cell_ends = grid[:, cells]
        if has_carriage_return and comment_columns[-1] == n_columns - 1:
            cell_ends[:, -1] -= data[cell_ends[:, -1] - 1] == ord("\r")
        block_votes = _parse_cells(data, cell_starts, cell_ends)
        if block_votes is None:
            return None
        parts.append(block_votes)
        n_rows += grid.shape[0]
    matrix = np.concatenate(parts) if parts else np.zeros((0, cells.shape[0]), dtype=np.int8)
    return participant[:n_rows], group[:n_rows], matrix


def _parse_cells(
    data: NDArray[np.uint8], starts: NDArray[np.int64], ends: NDArray[np.int64]
) -> NDArray[np.int8] | None:
    """Decode cells "", "1", "0", "-1" (empty = ``_UNSEEN``); None on any other cell."""
    length = ends - starts
    last = data[ends - 1]
    negative = (length == 2) & (data[starts] == ord("-")) & (last == ord("1"))
    digit = (length == 1) & ((last == ord("0")) | (last == ord("1")))
    empty = length == 0
    if not (negative | digit | empty).all():
        return None
    value = last.astype(np.int8)
    value -= ord("0")
    value[negative] = -1
    value[empty] = _UNSEEN
    return value


def _read_wide_votes_slowly(path: Path, *, with_votes: bool) -> _WideVotes:
    """Read ``participants-votes.csv`` with the csv module, reporting the first bad cell."""
    header, rows = _read_csv_rows(path)
    participant_column = _find_column(path, header, ("participant",))
    lowered = [name.lower() for name in header]
    group_column = lowered.index("group-id") if "group-id" in lowered else None
    comment_columns = [
        index for index, name in enumerate(lowered) if name not in _WIDE_INFO_COLUMNS
    ]
    participants: list[str] = []
    cells: list[list[str]] = []
    row_numbers: list[int] = []
    group_ids: dict[str, int] = {}
    for row_number, fields in rows:
        raw_id = fields[participant_column].strip()
        if not raw_id:
            raise InputError(
                path, "empty participant id", row=row_number, column=header[participant_column]
            )
        participant = _normal_id(raw_id)
        participants.append(participant)
        row_numbers.append(row_number)
        if group_column is not None and fields[group_column].strip():
            raw_group = fields[group_column].strip()
            try:
                group_ids[participant] = int(raw_group)
            except ValueError:
                raise InputError(
                    path,
                    f"group id {raw_group!r} is not an integer",
                    row=row_number,
                    column=header[group_column],
                ) from None
        if with_votes:
            cells.append([fields[index] for index in comment_columns])
    if not with_votes:
        return _WideVotes([], [], np.zeros(0, dtype=np.int8), group_ids)
    statement_names = [_normal_id(header[index]) for index in comment_columns]
    matrix = _wide_cell_values(path, header, comment_columns, row_numbers, cells)
    row_index, column_index = np.nonzero(matrix != _UNSEEN)
    return _WideVotes(
        participant=[participants[index] for index in row_index.tolist()],
        statement=[statement_names[index] for index in column_index.tolist()],
        value=matrix[row_index, column_index],
        group_ids=group_ids,
    )


_UNSEEN = np.int8(99)


def _wide_cell_values(
    path: Path,
    header: list[str],
    comment_columns: list[int],
    row_numbers: list[int],
    cells: list[list[str]],
) -> NDArray[np.int8]:
    """Return the vote matrix of the wide file (``_UNSEEN`` for empty cells)."""
    n_rows, n_columns = len(cells), len(comment_columns)
    if n_rows == 0 or n_columns == 0:
        return np.full((n_rows, n_columns), _UNSEEN, dtype=np.int8)
    width = max(max(map(len, row)) for row in cells)
    text = np.asarray(cells, dtype=f"<U{max(width, 1)}")
    uniques, codes = np.unique(text, return_inverse=True)
    decoded = np.empty(uniques.shape[0], dtype=np.int8)
    for index, cell in enumerate(uniques.tolist()):
        stripped = cell.strip()
        if stripped == "":
            decoded[index] = _UNSEEN
        elif stripped in _VOTE_TEXT:
            decoded[index] = _VOTE_TEXT[stripped]
        else:
            first = int(np.flatnonzero(codes.reshape(-1) == index)[0])
            row, column = divmod(first, n_columns)
            raise InputError(
                path,
                f"unknown vote value {cell!r} (expected -1, 0, 1 or empty)",
                row=row_numbers[row],
                column=header[comment_columns[column]],
            )
    return decoded[codes.reshape(n_rows, n_columns)]
