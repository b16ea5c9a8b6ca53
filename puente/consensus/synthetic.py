"""Synthetic votes with planted opinion groups, regions, bridging and divisive statements.

The model: every participant belongs to one of ``n_groups`` opinion groups and each group has
its own agree probability per statement. Ordinary statements split the groups (some lean to
agree, some to disagree, never all to agree); bridging statements are liked by every group;
divisive statements are loved by some groups and rejected by the others. A participant sees
each statement independently with probability ``density``, passes with a per-statement
probability, and otherwise agrees with the probability of their group. Regions ("EU", "LAC")
are drawn per participant with a probability that depends on the group, so they correlate
with opinion without coinciding with it.

Pairwise comparisons follow the same truth: a participant prefers, of two statements, the one
their group agrees with more (Bradley-Terry with the log-odds of agreeing as strengths).

Used by the demo, the benchmarks (``bench/synthetic.py`` writes the data as CSV files) and the
tests; pure numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .types import Groupings, Votes

__all__ = [
    "REGIONS",
    "SyntheticComparisons",
    "SyntheticData",
    "synthetic_comparisons",
    "synthetic_votes",
]

REGIONS = ("EU", "LAC")
"""Region categories of the synthetic participants."""


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


@dataclass(frozen=True)
class SyntheticComparisons:
    """Synthetic answers to "which of the two should come first?".

    Attributes
    ----------
    participant, first, second
        Participant and the two statements of each comparison (indices, ``first < second``);
        no participant answers the same pair twice.
    outcome
        1 when the first statement was preferred, -1 the second, 0 undecided.
    """

    participant: NDArray[np.int32]
    first: NDArray[np.int32]
    second: NDArray[np.int32]
    outcome: NDArray[np.int8]

    @property
    def n_comparisons(self) -> int:
        """Return the number of comparisons."""
        return int(self.outcome.shape[0])


def synthetic_comparisons(
    data: SyntheticData,
    n_comparisons: int,
    *,
    undecided: float = 0.1,
    rng: np.random.Generator,
) -> SyntheticComparisons:
    """Draw pairwise comparisons that follow the planted opinion groups of ``data``.

    Each comparison takes a random participant and two distinct random statements; the
    participant is undecided with probability ``undecided`` and otherwise prefers the first
    statement with probability ``sigmoid(s_first - s_second)``, where ``s`` is the log-odds
    of their group agreeing with the statement. Fewer comparisons come back when there are
    not enough distinct (participant, pair) triples.
    """
    if n_comparisons < 0:
        raise ValueError("n_comparisons must be non-negative")
    if not 0.0 <= undecided <= 1.0:
        raise ValueError("undecided must be between 0 and 1")
    n_participants = data.groups.shape[0]
    n_statements = data.agree_probability.shape[1]
    empty = np.zeros(0, dtype=np.int32)
    if n_comparisons == 0 or n_participants == 0 or n_statements < 2:
        return SyntheticComparisons(empty, empty, empty, np.zeros(0, dtype=np.int8))
    n_pairs = n_statements * (n_statements - 1) // 2
    n_comparisons = min(n_comparisons, n_participants * n_pairs)
    # Draw more than needed, drop repeated triples (keeping the first draw) and cut.
    n_draws = 2 * n_comparisons + 16
    participant = rng.integers(n_participants, size=n_draws)
    a = rng.integers(n_statements, size=n_draws)
    b = (a + rng.integers(1, n_statements, size=n_draws)) % n_statements
    first, second = np.minimum(a, b), np.maximum(a, b)
    key = (participant * n_statements + first) * n_statements + second
    _unique, index = np.unique(key, return_index=True)
    keep = np.sort(index)[:n_comparisons]
    participant, first, second = participant[keep], first[keep], second[keep]

    probability = np.clip(data.agree_probability, 1e-6, 1 - 1e-6)
    strength = np.log(probability / (1.0 - probability))
    group = data.groups[participant]
    margin = strength[group, first] - strength[group, second]
    prefers_first = rng.random(keep.shape[0]) < 1.0 / (1.0 + np.exp(-margin))
    outcome = np.where(prefers_first, 1, -1).astype(np.int8)
    outcome[rng.random(keep.shape[0]) < undecided] = 0
    return SyntheticComparisons(
        participant=participant.astype(np.int32),
        first=first.astype(np.int32),
        second=second.astype(np.int32),
        outcome=outcome,
    )
