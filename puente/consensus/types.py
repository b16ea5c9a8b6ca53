"""Data the engine works on: votes in compact coordinate form, groupings and comparisons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

VoteMatrix = NDArray[np.float64]
"""Dense votes: rows participants, columns statements; 1 agree, -1 disagree, 0 pass, nan unseen."""

Labels = NDArray[np.intp]
"""One group label per participant; -1 where the participant was not clustered."""

Ids = Sequence[str] | Sequence[int] | NDArray[np.generic]
"""External ids of participants or statements, as text or integers."""

AGREE = 1
DISAGREE = -1
PASS = 0


@dataclass(frozen=True)
class Votes:
    """One vote per (participant, statement) pair, as parallel arrays sorted by participant.

    Attributes
    ----------
    participant_ids, statement_ids
        External ids; row ``i`` of every per-participant array is ``participant_ids[i]``.
    participant, statement
        Index of the participant and of the statement of each vote.
    value
        +1 agree, -1 disagree, 0 pass.
    moderated_out
        Per statement: True where the statement is excluded from the analysis.
    """

    participant_ids: tuple[str, ...]
    statement_ids: tuple[str, ...]
    participant: NDArray[np.int32]
    statement: NDArray[np.int32]
    value: NDArray[np.int8]
    moderated_out: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __post_init__(self) -> None:
        if self.moderated_out.shape != (len(self.statement_ids),):
            object.__setattr__(self, "moderated_out", np.zeros(len(self.statement_ids), dtype=bool))

    @property
    def n_participants(self) -> int:
        """Return the number of participants."""
        return len(self.participant_ids)

    @property
    def n_statements(self) -> int:
        """Return the number of statements."""
        return len(self.statement_ids)

    @property
    def n_votes(self) -> int:
        """Return the number of votes."""
        return int(self.value.shape[0])

    def row_pointer(self) -> NDArray[np.int64]:
        """Return CSR-style offsets: votes of participant i are [ptr[i], ptr[i+1]).

        The votes are sorted by participant, so a binary search finds every boundary.
        """
        boundaries = np.arange(self.n_participants + 1, dtype=self.participant.dtype)
        return np.searchsorted(self.participant, boundaries, side="left").astype(np.int64)

    def votes_per_participant(self) -> NDArray[np.int64]:
        """Return the number of votes of each participant."""
        return np.diff(self.row_pointer())

    def dense(self) -> VoteMatrix:
        """Return the dense vote matrix (nan where unseen); for small data and tests."""
        matrix = np.full((self.n_participants, self.n_statements), np.nan)
        matrix[self.participant, self.statement] = self.value
        return matrix


@dataclass(frozen=True)
class Groupings:
    """Declared categorical attributes of participants, such as region or stakeholder type.

    ``codes[name][i]`` is the index into ``categories[name]`` of participant i, or -1 when
    the participant has no value for that grouping.
    """

    categories: dict[str, tuple[str, ...]]
    codes: dict[str, NDArray[np.intp]]

    @property
    def names(self) -> list[str]:
        """Return the grouping names in declaration order."""
        return list(self.categories)


@dataclass(frozen=True)
class Comparisons:
    """Pairwise judgements: participant preferred statement ``winner`` over ``loser``."""

    participant: NDArray[np.int32]
    winner: NDArray[np.int32]
    loser: NDArray[np.int32]

    @property
    def n_comparisons(self) -> int:
        """Return the number of comparisons."""
        return int(self.winner.shape[0])


def votes_from_records(
    participant_ids: Ids,
    statement_ids: Ids,
    values: Sequence[int] | NDArray[np.integer],
    *,
    timestamps: Sequence[float] | NDArray[np.floating] | None = None,
    moderated_out: Sequence[str] = (),
    participant_order: Sequence[str] | None = None,
    statement_order: Sequence[str] | None = None,
) -> Votes:
    """Build ``Votes`` from one record per vote; the latest vote of a pair wins.

    Without timestamps the last record of a pair wins. Ids are sorted numerically when they
    all are integers, else as text, unless an explicit order is given.
    """
    values_array = np.asarray(values, dtype=np.int64)
    if values_array.size and not np.isin(values_array, (-1, 0, 1)).all():
        raise ValueError("vote values must be -1, 0 or 1")
    participant_codes, participant_index = _encode(participant_ids, participant_order)
    statement_codes, statement_index = _encode(statement_ids, statement_order)
    n_records = values_array.shape[0]
    pair = participant_codes * max(len(statement_index), 1) + statement_codes
    # Sort by pair, then time (stable, so file order breaks ties): the last row of each pair
    # run is the latest vote.
    if timestamps is None:
        order = np.argsort(pair, kind="stable")
    else:
        order = np.lexsort((np.asarray(timestamps, dtype=np.float64), pair))
    sorted_pair = pair[order]
    is_last = np.ones(n_records, dtype=bool)
    if n_records:
        is_last[:-1] = sorted_pair[1:] != sorted_pair[:-1]
    kept = order[is_last]
    moderated = np.zeros(len(statement_index), dtype=bool)
    position = {statement_id: i for i, statement_id in enumerate(statement_index)}
    for statement_id in moderated_out:
        if statement_id in position:
            moderated[position[statement_id]] = True
    return Votes(
        participant_ids=tuple(participant_index),
        statement_ids=tuple(statement_index),
        participant=participant_codes[kept].astype(np.int32),
        statement=statement_codes[kept].astype(np.int32),
        value=values_array[kept].astype(np.int8),
        moderated_out=moderated,
    )


def _encode(ids: Ids, order: Sequence[str] | None) -> tuple[NDArray[np.int64], list[str]]:
    """Return a code per id and the ids in code order (numeric order for integer ids)."""
    array = np.asarray(ids)
    if order is not None:
        index = [str(item) for item in order]
        known = np.asarray(index)
        sorter = np.argsort(known)
        text = array.astype(str)
        found = np.searchsorted(known, text, sorter=sorter)
        found = np.clip(found, 0, max(len(known) - 1, 0))
        codes = sorter[found] if len(known) else np.zeros(len(text), dtype=np.int64)
        mismatch = len(known) == 0 or bool((known[codes] != text).any())
        if len(text) and mismatch:
            missing = text[known[codes] != text][0] if len(known) else text[0]
            raise ValueError(f"id {missing!r} is not in the given order")
        return codes.astype(np.int64), index
    if array.dtype.kind not in "iu":
        try:
            array = array.astype(np.int64)
        except (ValueError, OverflowError):
            uniques, codes = np.unique(array.astype(str), return_inverse=True)
            return codes.astype(np.int64), [str(item) for item in uniques]
    uniques, codes = np.unique(array, return_inverse=True)
    return codes.astype(np.int64), [str(int(item)) for item in uniques]
