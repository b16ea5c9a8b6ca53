"""Generate votes with planted opinion groups, region labels, bridging and divisive statements.

    .venv/bin/python bench/synthetic.py --participants 10000 --statements 1000 --out data/

writes ``votes.csv`` (Polis export format), ``participants.csv`` (``voter-id,region``) and
``planted.json`` (the true group of every participant, the bridging and divisive statements)
into the folder, which ``python -m puente.consensus analyze data/`` then reads.

The generator, ``puente.consensus.synthetic.synthetic_votes``, is part of the package (the
demo uses it too); this script writes its data as CSV files.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from puente.consensus.synthetic import REGIONS, SyntheticData, synthetic_votes  # noqa: E402
from puente.consensus.types import Groupings, Votes  # noqa: E402

__all__ = [
    "REGIONS",
    "SyntheticData",
    "synthetic_votes",
    "write_participants_csv",
    "write_votes_csv",
]

_BASE_TIMESTAMP_MS = 1_700_000_000_000
"""Timestamp of the first synthetic vote (2023-11-14 22:13:20 UTC)."""

_CHUNK_ROWS = 1 << 15
"""Rows formatted at a time by the CSV writer (bounds its memory)."""


def write_votes_csv(
    votes: Votes,
    path: Path,
    *,
    timestamps_ms: NDArray[np.int64] | None = None,
) -> None:
    """Write votes as a Polis ``votes.csv``: timestamp, datetime, comment-id, voter-id, vote.

    Without timestamps the votes are one second apart from 2023-11-14 22:13:20 UTC, in the
    order of ``votes``. The datetime column is written in Polis's style, in UTC.
    """
    n_votes = votes.n_votes
    if timestamps_ms is None:
        timestamps_ms = _BASE_TIMESTAMP_MS + 1000 * np.arange(n_votes, dtype=np.int64)
    participant_numbers = _integer_ids(votes.participant_ids)
    statement_numbers = _integer_ids(votes.statement_ids)
    with Path(path).open("wb") as file:
        file.write(b"timestamp,datetime,comment-id,voter-id,vote\n")
        for first in range(0, n_votes, _CHUNK_ROWS):
            chunk = slice(first, min(first + _CHUNK_ROWS, n_votes))
            timestamp = np.asarray(timestamps_ms[chunk], dtype=np.int64)
            file.write(
                _format_rows(
                    [
                        timestamp,
                        _polis_datetime(timestamp),
                        statement_numbers[votes.statement[chunk]],
                        participant_numbers[votes.participant[chunk]],
                        votes.value[chunk].astype(np.int64),
                    ]
                )
            )


def write_participants_csv(
    participant_ids: tuple[str, ...], groupings: Groupings, path: Path
) -> None:
    """Write ``participants.csv``: ``voter-id`` then one column per grouping."""
    names = groupings.names
    columns = [np.asarray(participant_ids, dtype=object)]
    for name in names:
        labels = np.asarray([*groupings.categories[name], ""], dtype=object)
        columns.append(labels[groupings.codes[name]])
    lines = [",".join(["voter-id", *names])]
    lines.extend(",".join(row) for row in zip(*columns, strict=True))
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _integer_ids(ids: tuple[str, ...]) -> NDArray[np.int64]:
    """Return the ids as integers (the Polis format has integer ids)."""
    try:
        return np.asarray(ids, dtype=np.int64) if ids else np.zeros(0, dtype=np.int64)
    except ValueError as error:
        raise ValueError("the Polis votes.csv format needs integer ids") from error


_WEEKDAYS = np.frombuffer(b"MonTueWedThuFriSatSun", dtype=np.uint8).reshape(7, 3)
_MONTHS = np.frombuffer(b"JanFebMarAprMayJunJulAugSepOctNovDec", dtype=np.uint8).reshape(12, 3)


def _polis_datetime(timestamps_ms: NDArray[np.int64]) -> NDArray[np.uint8]:
    """Return "Tue Nov 14 22:13:20 UTC 2023" per timestamp, as rows of 28 bytes."""
    seconds = timestamps_ms // 1000
    days, second_of_day = np.divmod(seconds, 86_400)
    year, month, day = _civil_from_days(days)
    text = np.full((timestamps_ms.shape[0], 28), ord(" "), dtype=np.uint8)
    text[:, 0:3] = _WEEKDAYS[(days + 3) % 7]  # 1970-01-01 was a Thursday
    text[:, 4:7] = _MONTHS[month - 1]
    hour, rest = np.divmod(second_of_day, 3600)
    minute, second = np.divmod(rest, 60)
    for start, number in ((8, day), (11, hour), (14, minute), (17, second)):
        text[:, start] = 48 + number // 10
        text[:, start + 1] = 48 + number % 10
    text[:, 13] = text[:, 16] = ord(":")
    text[:, 20:23] = np.frombuffer(b"UTC", dtype=np.uint8)
    for position in range(4):
        text[:, 27 - position] = 48 + (year // 10**position) % 10
    return text


def _civil_from_days(
    days: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Return (year, month, day) of days since 1970-01-01 (proleptic Gregorian calendar)."""
    shifted = days + 719_468
    era = np.floor_divide(shifted, 146_097)
    day_of_era = shifted - era * 146_097
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    month_index = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * month_index + 2) // 5 + 1
    month = np.where(month_index < 10, month_index + 3, month_index - 9)
    year = year_of_era + era * 400 + (month <= 2)
    return year, month, day


def _format_rows(columns: list[NDArray[np.integer]]) -> bytes:
    """Format integer columns and fixed-width text columns (2-D uint8) as CSV lines.

    Each row is laid out in a fixed-width block, integers right-aligned in slots as wide as
    the widest of their column, padding as NUL bytes; dropping the NUL bytes leaves the
    lines.
    """
    n_rows = columns[0].shape[0]
    slots: list[tuple[NDArray[np.integer], int]] = []
    for column in columns:
        if column.ndim == 2:
            slots.append((column, column.shape[1]))
        else:
            slots.append((column, int(_decimal_width(column.astype(np.int64)).max(initial=1))))
    block = np.zeros((n_rows, sum(width + 1 for _, width in slots)), dtype=np.uint8)
    offset = 0
    for index, (column, width) in enumerate(slots):
        if column.ndim == 2:
            block[:, offset : offset + width] = column
        else:
            _write_decimal(block[:, offset : offset + width], column.astype(np.int64))
        block[:, offset + width] = ord("\n") if index == len(slots) - 1 else ord(",")
        offset += width + 1
    return bytes(block[block != 0].data)


def _decimal_width(numbers: NDArray[np.int64]) -> NDArray[np.int64]:
    """Return the number of characters of each integer written in decimal."""
    magnitude = np.abs(numbers)
    width = np.ones(numbers.shape[0], dtype=np.int64)
    power = 10
    top = int(magnitude.max()) if numbers.shape[0] else 0
    while power <= top:
        width += magnitude >= power
        power *= 10
    return width + (numbers < 0)


def _write_decimal(slot: NDArray[np.uint8], numbers: NDArray[np.int64]) -> None:
    """Write integers right-aligned into the columns of ``slot`` (left part stays NUL)."""
    remaining = np.abs(numbers)
    digits = _decimal_width(remaining)
    quotient = np.empty_like(remaining)
    digit = np.empty_like(remaining)
    has_digit = np.empty(numbers.shape[0], dtype=bool)
    width = slot.shape[1]
    # In-place arithmetic: fresh temporaries cost more (page faults) than the arithmetic.
    for place in range(width):
        np.floor_divide(remaining, 10, out=quotient)
        np.multiply(quotient, 10, out=digit)
        np.subtract(remaining, digit, out=digit)
        digit += ord("0")
        np.greater(digits, place, out=has_digit)
        digit *= has_digit
        slot[:, width - 1 - place] = digit
        remaining, quotient = quotient, remaining
    negative = np.flatnonzero(numbers < 0)
    slot[negative, width - 1 - digits[negative]] = ord("-")


def main(argv: list[str] | None = None) -> int:
    """Write a synthetic conversation folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, required=True)
    parser.add_argument("--statements", type=int, required=True)
    parser.add_argument("--groups", type=int, default=3)
    parser.add_argument("--density", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    arguments = parser.parse_args(argv)
    data = synthetic_votes(
        arguments.participants,
        arguments.statements,
        n_groups=arguments.groups,
        density=arguments.density,
        rng=np.random.default_rng(arguments.seed),
    )
    folder: Path = arguments.out
    folder.mkdir(parents=True, exist_ok=True)
    write_votes_csv(data.votes, folder / "votes.csv")
    write_participants_csv(data.votes.participant_ids, data.groupings, folder / "participants.csv")
    statement_ids = data.votes.statement_ids
    planted = {
        "groups": {
            participant_id: int(group)
            for participant_id, group in zip(data.votes.participant_ids, data.groups, strict=True)
        },
        "bridging": [statement_ids[index] for index in data.bridging],
        "divisive": [statement_ids[index] for index in data.divisive],
    }
    (folder / "planted.json").write_text(json.dumps(planted, indent=2) + "\n", encoding="utf-8")
    print(
        f"wrote {data.votes.n_votes:,d} votes of {arguments.participants:,d} participants on "
        f"{arguments.statements:,d} statements to {folder}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
