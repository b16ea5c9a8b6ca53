"""Read a Polis export folder: votes, comments (texts, moderation) and Polis's groups."""

from __future__ import annotations

import mmap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..types import Votes
from .fastpath import fast_body_end, field_bounds, line_blocks, parse_unsigned, unaligned_words
from .files import InputError, find_column, open_bytes, read_csv_rows, read_header
from .votes import VOTE_TEXT, Ids, as_integers, build_votes, read_votes_file

__all__ = [
    "PolisConversation",
    "read_polis_conversation",
]


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
        votes = read_votes_file(votes_path, comments.statement_ids, comments.moderated_out)
        source = votes_path
        if wide_path.is_file():
            polis_group_ids = _read_wide_votes(wide_path, with_votes=False).group_ids
    elif wide_path.is_file():
        wide = _read_wide_votes(wide_path, with_votes=True)
        votes = build_votes(
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


@dataclass(frozen=True)
class _Comments:
    statement_ids: tuple[str, ...]
    moderated_out: NDArray[np.bool_]
    text: dict[str, str]


def _read_comments(path: Path) -> _Comments:
    """Read ``comments.csv``: ids, moderation (-1 = moderated out) and texts."""
    header, rows = read_csv_rows(path)
    id_column = find_column(path, header, ("comment-id",))
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
    participant: Ids
    statement: Ids
    value: NDArray[np.int8]
    group_ids: dict[str, int]


_WIDE_INFO_COLUMNS = frozenset(
    {"participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}
)


def _read_wide_votes(path: Path, *, with_votes: bool) -> _WideVotes:
    """Read ``participants-votes.csv``: one row per participant, one column per comment."""
    with open_bytes(path) as buffer:
        header, body_start = read_header(path, buffer)
        participant_column = find_column(path, header, ("participant",))
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
    statement_numbers = as_integers(statement_names)
    statement: Ids = (
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
    end = fast_body_end(buffer, body_start)
    if end is None or (comment_columns and comment_columns[0] == 0):
        return None
    data = np.frombuffer(buffer, dtype=np.uint8)
    words = unaligned_words(buffer)
    has_carriage_return = buffer.find(b"\r", body_start, end) >= 0
    capacity = (end - body_start) // n_columns + 1
    participant = np.empty(capacity, dtype=np.int64)
    group = np.empty(capacity, dtype=np.int64)
    cells = np.asarray(comment_columns, dtype=np.intp)
    parts: list[NDArray[np.int8]] = []
    n_rows = 0
    for block in line_blocks(data, buffer, body_start, end, n_columns):
        if block is None:
            return None
        grid, line_start = block
        rows = slice(n_rows, n_rows + grid.shape[0])
        starts, ends = field_bounds(data, grid, line_start, participant_column, False)
        if not parse_unsigned(words, starts, ends, participant[rows]):
            return None
        group[rows] = -1
        if group_column is not None:
            starts, ends = field_bounds(data, grid, line_start, group_column, False)
            given = np.flatnonzero(ends > starts)
            group_values = np.empty(given.shape[0], dtype=np.int64)
            if not parse_unsigned(words, starts[given], ends[given], group_values):
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
    header, rows = read_csv_rows(path)
    participant_column = find_column(path, header, ("participant",))
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
        elif stripped in VOTE_TEXT:
            decoded[index] = VOTE_TEXT[stripped]
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
