"""Generate votes with planted opinion groups, region labels, bridging and divisive statements.

    .venv/bin/python bench/synthetic.py --participants 10000 --statements 1000 --out data/

writes ``votes.csv`` (Polis export format), ``participants.csv`` (``voter-id,region``) and
``planted.json`` (the true group of every participant, the bridging and divisive statements)
into the folder, which ``python -m puente.consensus analyze data/`` then reads.

The model: every participant belongs to one of ``n_groups`` opinion groups and each group has
its own agree probability per statement. Ordinary statements split the groups (some lean to
agree, some to disagree, never all to agree); bridging statements are liked by every group;
divisive statements are loved by some groups and rejected by the others. A participant sees
each statement independently with probability ``density``, passes with a per-statement
probability, and otherwise agrees with the probability of their group. Regions ("EU", "LAC")
are drawn per participant with a probability that depends on the group, so they correlate
with opinion without coinciding with it.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from puente.consensus.types import Groupings, Votes  # noqa: E402

__all__ = [
    "REGIONS",
    "SyntheticData",
    "synthetic_votes",
    "write_participants_csv",
    "write_votes_csv",
]

REGIONS = ("EU", "LAC")
"""Region categories of the synthetic participants."""

_BASE_TIMESTAMP_MS = 1_700_000_000_000
"""Timestamp of the first synthetic vote (2023-11-14 22:13:20 UTC)."""

_CHUNK_ROWS = 1 << 15
"""Rows formatted at a time by the CSV writer (bounds its memory)."""


@dataclass(frozen=True)
class SyntheticData:
    """Synthetic votes and the structure planted in them.

    Attributes
    ----------
    votes
        The votes, sorted by (participant, statement), one per pair.
    groups
        True opinion group of every participant.
    groupings
        Declared grouping ``region`` (``REGIONS``), correlated with the groups.
    bridging, divisive
        Indices of the planted bridging and divisive statements, ascending.
    agree_probability
        Agree probability of each group (rows) for each statement (columns), given a
        non-pass vote.
    pass_probability
        Pass probability per statement.
    """

    votes: Votes
    groups: NDArray[np.intp]
    groupings: Groupings
    bridging: NDArray[np.intp]
    divisive: NDArray[np.intp]
    agree_probability: NDArray[np.float64]
    pass_probability: NDArray[np.float64]


def synthetic_votes(
    n_participants: int,
    n_statements: int,
    *,
    n_groups: int = 3,
    density: float = 0.1,
    n_bridging: int | None = None,
    n_divisive: int | None = None,
    rng: np.random.Generator,
) -> SyntheticData:
    """Draw votes with planted opinion groups, regions, bridging and divisive statements.

    Parameters
    ----------
    n_participants, n_statements
        Size of the conversation; participant and statement ids are ``"0"``, ``"1"``, ...
    n_groups
        Number of planted opinion groups.
    density
        Probability that a participant votes on a statement (expected share of the
        participant x statement matrix that is filled).
    n_bridging, n_divisive
        Number of planted bridging and divisive statements; by default 5% of the statements
        each (at least one when there is room; no divisive statement with a single group).
    rng
        Source of randomness.

    Returns
    -------
    SyntheticData
        The votes and the planted truth.
    """
    if n_participants < 0 or n_statements < 0:
        raise ValueError("n_participants and n_statements must be non-negative")
    if n_groups < 1:
        raise ValueError("n_groups must be at least 1")
    if not 0.0 <= density <= 1.0:
        raise ValueError("density must be between 0 and 1")
    default_share = max(1, round(0.05 * n_statements)) if n_statements else 0
    if n_bridging is None:
        n_bridging = min(default_share, n_statements)
    if n_divisive is None:
        n_divisive = min(default_share, n_statements - n_bridging) if n_groups > 1 else 0
    if n_bridging < 0 or n_divisive < 0 or n_bridging + n_divisive > n_statements:
        raise ValueError("n_bridging + n_divisive must be between 0 and n_statements")
    if n_divisive and n_groups < 2:
        raise ValueError("divisive statements need at least two groups")

    group_weights = rng.dirichlet(np.full(n_groups, 5.0))
    groups = rng.choice(n_groups, size=n_participants, p=group_weights).astype(np.intp)

    kinds = rng.permutation(n_statements)
    bridging = np.sort(kinds[:n_bridging]).astype(np.intp)
    divisive = np.sort(kinds[n_bridging : n_bridging + n_divisive]).astype(np.intp)
    ordinary = kinds[n_bridging + n_divisive :]
    agree_probability = _statement_profiles(
        n_groups, n_statements, ordinary, bridging, divisive, rng
    )
    pass_probability = rng.uniform(0.05, 0.25, size=n_statements)

    participant, statement, value = _sample_votes(
        groups, n_statements, density, agree_probability, pass_probability, rng
    )

    eu_probability = np.linspace(0.8, 0.2, n_groups) if n_groups > 1 else np.array([0.5])
    region = (rng.random(n_participants) >= eu_probability[groups]).astype(np.intp)
    votes = Votes(
        participant_ids=tuple(map(str, range(n_participants))),
        statement_ids=tuple(map(str, range(n_statements))),
        participant=participant,
        statement=statement,
        value=value,
        moderated_out=np.zeros(n_statements, dtype=bool),
    )
    return SyntheticData(
        votes=votes,
        groups=groups,
        groupings=Groupings(categories={"region": REGIONS}, codes={"region": region}),
        bridging=bridging,
        divisive=divisive,
        agree_probability=agree_probability,
        pass_probability=pass_probability,
    )


def _statement_profiles(
    n_groups: int,
    n_statements: int,
    ordinary: NDArray[np.intp],
    bridging: NDArray[np.intp],
    divisive: NDArray[np.intp],
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Return the agree probability of every group for every statement."""
    profile = np.empty((n_groups, n_statements))
    # Ordinary statements: each group leans to agree or disagree by a moderate amount; a
    # pattern where every group leans to agree would be an unplanted bridging statement, so
    # one group of such a pattern is turned around.
    leans_agree = rng.random((n_groups, ordinary.shape[0])) < 0.5
    all_agree = leans_agree.all(axis=0)
    turned = np.asarray(rng.integers(n_groups, size=ordinary.shape[0]), dtype=np.intp)
    leans_agree[turned[all_agree], np.flatnonzero(all_agree)] = False
    strength = rng.uniform(0.15, 0.35, size=(n_groups, ordinary.shape[0]))
    profile[:, ordinary] = 0.5 + np.where(leans_agree, strength, -strength)
    profile[:, bridging] = rng.uniform(0.8, 0.95, size=(n_groups, bridging.shape[0]))
    # Divisive statements: a random non-empty proper subset of the groups loves the
    # statement, the rest rejects it.
    if divisive.shape[0]:
        rank = np.argsort(rng.random((n_groups, divisive.shape[0])), axis=0).argsort(axis=0)
        lovers = rank < rng.integers(1, n_groups, size=divisive.shape[0])
        high = rng.uniform(0.85, 0.95, size=lovers.shape)
        low = rng.uniform(0.05, 0.15, size=lovers.shape)
        profile[:, divisive] = np.where(lovers, high, low)
    return profile


def _sample_votes(
    groups: NDArray[np.intp],
    n_statements: int,
    density: float,
    agree_probability: NDArray[np.float64],
    pass_probability: NDArray[np.float64],
    rng: np.random.Generator,
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int8]]:
    """Draw each (participant, statement) pair with probability ``density``, and its vote.

    The votes come out sorted by (participant, statement). The gaps between successive
    chosen cells of a Bernoulli sequence over the participant x statement matrix are
    geometric, so cumulative sums of geometric draws give sorted, distinct cells directly.
    Votes are drawn a chunk at a time into the output arrays, which keeps the temporary
    arrays small.
    """
    n_cells = groups.shape[0] * n_statements
    if n_cells == 0 or density <= 0.0:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0, np.int8)
    expected = n_cells * density
    capacity = min(int(expected + 8.0 * np.sqrt(expected) + 64), n_cells)
    participant = np.empty(capacity, dtype=np.int32)
    statement = np.empty(capacity, dtype=np.int32)
    value = np.empty(capacity, dtype=np.int8)
    pass_cut = pass_probability.astype(np.float32)
    agree_cut = (pass_probability + (1.0 - pass_probability) * agree_probability).astype(np.float32)
    n_votes = 0
    last_cell = -1
    while last_cell < n_cells - 1:
        cells = np.cumsum(rng.geometric(density, size=_SAMPLE_CHUNK))
        cells += last_cell
        cells = cells[: np.searchsorted(cells, n_cells)]
        if cells.shape[0] == 0:
            break
        last_cell = int(cells[-1])
        end = n_votes + cells.shape[0]
        if end > capacity:
            capacity = max(end, capacity + capacity // 8)
            participant = np.resize(participant, capacity)
            statement = np.resize(statement, capacity)
            value = np.resize(value, capacity)
        who, which = np.divmod(cells, n_statements)
        participant[n_votes:end] = who
        statement[n_votes:end] = which
        draw = rng.random(cells.shape[0], dtype=np.float32)
        agrees = draw < agree_cut[groups[who], which]
        chunk = value[n_votes:end]
        np.subtract(np.multiply(agrees, 2, dtype=np.int8), 1, out=chunk, dtype=np.int8)
        chunk[draw < pass_cut[which]] = 0
        n_votes = end
    return participant[:n_votes], statement[:n_votes], value[:n_votes]


_SAMPLE_CHUNK = 1 << 18
"""Votes drawn at a time."""


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
