"""Polis's consensus statements and representative statements, with their significance tests.

The statistics follow Polis (and its Python port red-dwarf) to the last bit: Laplace-smoothed
probabilities ``(count + 1) / (votes + 2)``, the one-proportion test
``2 sqrt(n + 1) ((k + 1) / (n + 1) - 1/2)`` and the two-proportion test with one pseudo-count
on each side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .normal import normal_quantile
from .scores import Counts, Scores, VoteCounts, overall_counts, smoothed
from .types import Votes

__all__ = ["consensus_details", "consensus_statements", "representative_statements"]


def consensus_details(
    votes: Votes,
    *,
    pick_max: int = 5,
    confidence: float = 0.9,
    prob_threshold: float = 0.5,
    counts: VoteCounts | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Select Polis's consensus statements, with their statistics, over all participants.

    A statement is an agree (disagree) candidate when its smoothed agree (disagree)
    probability exceeds ``prob_threshold`` and its one-proportion test is significant at
    ``confidence``; candidates are ordered by probability x test statistic, best first (ties
    in red-dwarf's order), and the first ``pick_max`` kept. Moderated-out statements are never
    selected.

    Each entry holds ``statement`` (index), ``n_success``, ``n_trials``, ``p_success`` and
    ``p_test``, for the direction whose test statistic is larger, as Polis reports them.

    Parameters
    ----------
    counts
        Tallies of all participants as one row (``overall_counts(votes)``), if already known.
    """
    totals = overall_counts(votes) if counts is None else counts.total()
    if totals.n_statements != votes.n_statements:
        raise ValueError("counts and votes have different numbers of statements")
    seen = totals.seen[0]
    sides = {
        "agree": _Side.of(totals.agree[0], seen),
        "disagree": _Side.of(totals.disagree[0], seen),
    }
    critical = normal_quantile(confidence)
    eligible = ~votes.moderated_out
    use_agree = sides["agree"].test > sides["disagree"].test
    result: dict[str, list[dict[str, Any]]] = {}
    for direction, side in sides.items():
        is_candidate = eligible & (side.probability > prob_threshold) & (side.test > critical)
        candidates = np.flatnonzero(is_candidate)
        metric = side.probability[candidates] * side.test[candidates]
        chosen = candidates[_rank_order(metric)[:pick_max]]
        result[direction] = [
            _entry(sides["agree"] if use_agree[j] else sides["disagree"], seen, int(j))
            for j in chosen
        ]
    return result


def consensus_statements(
    votes: Votes,
    *,
    pick_max: int = 5,
    confidence: float = 0.9,
    prob_threshold: float = 0.5,
    counts: VoteCounts | None = None,
) -> dict[str, list[int]]:
    """Return the indices of Polis's consensus statements, keyed "agree" and "disagree".

    See ``consensus_details`` for the selection rule and the statistics of each statement.
    """
    details = consensus_details(
        votes,
        pick_max=pick_max,
        confidence=confidence,
        prob_threshold=prob_threshold,
        counts=counts,
    )
    return {
        direction: [int(entry["statement"]) for entry in entries]
        for direction, entries in details.items()
    }


def representative_statements(
    counts_by_group: VoteCounts,
    *,
    pick_max: int = 5,
    confidence: float = 0.9,
    moderated_out: NDArray[np.bool_] | None = None,
) -> dict[int, list[dict[str, Any]]]:
    """Select Polis's representative statements of every group.

    A statement represents group g for agree (disagree) when both the group's own agree
    (disagree) rate and its excess over the other groups are significant at ``confidence``
    (one- and two-proportion tests). The list of a group starts with its "best agree"
    statement (a sequential Polis scan preferring repness x probability, with its tests),
    else with the statement of largest repness test when none is significant; it then holds
    the significant statements by repness x repness test x probability x probability test
    (ties in red-dwarf's order), is cut at ``pick_max`` and puts agree entries first. A quirk
    of red-dwarf is kept: with significant statements but no best agree one, the list is empty.

    Each entry holds ``statement`` (index), ``n_success``, ``n_trials``, ``p_success``,
    ``p_test``, ``repness``, ``repness_test`` and ``repful_for`` ("agree" or "disagree");
    the best agree entry also has ``n_agree`` and ``best_agree`` (True).

    Parameters
    ----------
    counts_by_group
        Tallies of the clustered participants, one row per group.
    moderated_out
        Per statement, True where it must not be selected.
    """
    n_statements = counts_by_group.n_statements
    eligible = (
        np.ones(n_statements, dtype=bool) if moderated_out is None else ~np.asarray(moderated_out)
    )
    critical = normal_quantile(confidence)
    total = counts_by_group.total()
    repness: dict[int, list[dict[str, Any]]] = {}
    for group in range(counts_by_group.n_groups):
        stats = _GroupStats.of(counts_by_group, total, group)
        repness[group] = _group_repness(stats, eligible, critical, pick_max)
    return repness


@dataclass(frozen=True)
class _Side:
    """Smoothed probability of one vote value (agree or disagree) and its test, per statement."""

    n_success: Counts
    probability: Scores
    test: Scores

    @classmethod
    def of(cls, n_success: Counts, n_trials: Counts) -> _Side:
        return cls(
            n_success=n_success,
            probability=smoothed(n_success, n_trials),
            test=_one_proportion_test(n_success, n_trials),
        )


@dataclass(frozen=True)
class _GroupSide(_Side):
    """A side of one group, with its representativeness against the other groups."""

    repness: Scores
    repness_test: Scores


@dataclass(frozen=True)
class _GroupStats:
    """Agree and disagree statistics of one group against the rest, per statement."""

    n_trials: Counts
    agree: _GroupSide
    disagree: _GroupSide

    @classmethod
    def of(cls, counts: VoteCounts, total: VoteCounts, group: int) -> _GroupStats:
        seen_in = counts.seen[group]
        seen_out = total.seen[0] - seen_in
        sides = []
        for success, total_success in (
            (counts.agree, total.agree),
            (counts.disagree, total.disagree),
        ):
            success_in = success[group]
            success_out = total_success[0] - success_in
            side = _Side.of(success_in, seen_in)
            sides.append(
                _GroupSide(
                    n_success=side.n_success,
                    probability=side.probability,
                    test=side.test,
                    repness=side.probability / smoothed(success_out, seen_out),
                    repness_test=_two_proportion_test(success_in, success_out, seen_in, seen_out),
                )
            )
        return cls(n_trials=seen_in, agree=sides[0], disagree=sides[1])


def _group_repness(
    stats: _GroupStats, eligible: NDArray[np.bool_], critical: float, pick_max: int
) -> list[dict[str, Any]]:
    """Return the representative statements of one group, in Polis's order."""
    agree, disagree = stats.agree, stats.disagree
    use_agree = agree.repness_test > disagree.repness_test
    is_significant = eligible & (
        ((agree.test > critical) & (agree.repness_test > critical))
        | ((disagree.test > critical) & (disagree.repness_test > critical))
    )
    significant = np.flatnonzero(is_significant)
    best_agree = _best_agree(stats, eligible, critical)
    head = best_agree
    if head is None and not significant.size:
        head = _best_by_repness_test(stats, eligible)
    if head is None:
        # As red-dwarf: no list when there are significant statements but no best agree one.
        return []

    def entry(j: int) -> dict[str, Any]:
        side = agree if use_agree[j] else disagree
        return {
            **_entry(side, stats.n_trials, j),
            "repness": float(side.repness[j]),
            "repness_test": float(side.repness_test[j]),
            "repful_for": "agree" if use_agree[j] else "disagree",
        }

    first = entry(head)
    if head == best_agree:
        first.update({"n_agree": first["n_success"], "best_agree": True})
    chosen_agree = use_agree[significant]

    def chosen(agree_values: Scores, disagree_values: Scores) -> Scores:
        picked: Scores = np.where(
            chosen_agree, agree_values[significant], disagree_values[significant]
        )
        return picked

    # Same factor order as Polis, so ties fall identically.
    metric = (
        chosen(agree.repness, disagree.repness)
        * chosen(agree.repness_test, disagree.repness_test)
        * chosen(agree.probability, disagree.probability)
        * chosen(agree.test, disagree.test)
    )
    ordered = significant[_descending_order(metric)]
    selected = [first] + [entry(int(j)) for j in ordered[: pick_max + 1] if j != head]
    selected = selected[:pick_max]
    # Polis lists agree entries before disagree ones, keeping the order within each.
    return sorted(selected, key=lambda item: item["repful_for"] != "agree")


def _best_agree(stats: _GroupStats, eligible: NDArray[np.bool_], critical: float) -> int | None:
    """Return Polis's "best agree" statement of a group, or None.

    Polis scans the statements in order and keeps a running best: the first that is voted on
    and either significant for agree or (repness > 1 and probability > 0.5); afterwards a
    statement replaces the best when it beats it on repness x repness test x probability x
    probability test if the best has repness > 1, else on probability x probability test.
    The scan is replayed with running maxima, one numpy pass per change of criterion.
    """
    agree = stats.agree
    candidates = np.flatnonzero(eligible & ((agree.n_success > 0) | (stats.disagree.n_success > 0)))
    if not candidates.size:
        return None
    by_repness = agree.repness * agree.repness_test * agree.probability * agree.test
    by_probability = agree.probability * agree.test
    is_repful = agree.repness > 1.0
    acceptable = (agree.test[candidates] > critical) | (
        is_repful[candidates] & (agree.probability[candidates] > 0.5)
    )
    if not acceptable.any():
        return None
    best = int(candidates[np.argmax(acceptable)])
    while True:
        metric = by_repness if is_repful[best] else by_probability
        later = candidates[np.searchsorted(candidates, best, side="right") :]
        values = metric[later]
        running_max = np.empty_like(values)
        if values.size:
            running_max[0] = -np.inf
            np.maximum.accumulate(values[:-1], out=running_max[1:])
        records = later[values > np.maximum(running_max, metric[best])]
        if not records.size:
            return best
        switches = is_repful[records] != is_repful[best]
        if not switches.any():
            return int(records[-1])
        best = int(records[np.argmax(switches)])


def _best_by_repness_test(stats: _GroupStats, eligible: NDArray[np.bool_]) -> int | None:
    """Return the eligible statement of largest repness test (agree or disagree), or None."""
    rows = np.flatnonzero(eligible)
    if not rows.size:
        return None
    strength = np.maximum(stats.agree.repness_test[rows], stats.disagree.repness_test[rows])
    return int(rows[np.argmax(strength)])


def _rank_order(metric: Scores) -> NDArray[np.intp]:
    """Return the positions of ``metric`` from largest to smallest, ties as red-dwarf orders them.

    red-dwarf sorts dense ranks with numpy's default (unstable) quicksort; sorting the same
    integer ranks the same way gives the same order of tied statements.
    """
    _, dense_rank = np.unique(-metric, return_inverse=True)
    return np.argsort(dense_rank.astype(np.int64), kind="quicksort")


def _descending_order(metric: Scores) -> NDArray[np.intp]:
    """Return the positions of ``metric`` from largest to smallest, ties as pandas orders them.

    pandas sorts descending by quicksorting the reversed values and reversing the result.
    """
    reversed_positions = np.arange(metric.shape[0])[::-1]
    order: NDArray[np.intp] = reversed_positions[np.argsort(metric[::-1], kind="quicksort")][::-1]
    return order


def _entry(side: _Side, n_trials: Counts, j: int) -> dict[str, Any]:
    """Return the Polis statistics of statement j for one vote value."""
    return {
        "statement": j,
        "n_success": _number(side.n_success[j]),
        "n_trials": _number(n_trials[j]),
        "p_success": float(side.probability[j]),
        "p_test": float(side.test[j]),
    }


def _number(value: np.generic) -> int | float:
    """Return a count as int, or as float when it is a weighted sum."""
    return float(value) if isinstance(value, np.floating) else int(value)


def _one_proportion_test(n_success: Counts, n_trials: Counts) -> Scores:
    """Return Polis's one-proportion z statistic of the success rate against 1/2."""
    success = n_success + 1
    trials = n_trials + 1
    # Same operation order as Polis, so ties and thresholds fall identically.
    result: Scores = 2 * np.sqrt(trials) * ((success / trials) - 0.5)
    return result


def _two_proportion_test(
    success_in: Counts, success_out: Counts, trials_in: Counts, trials_out: Counts
) -> Scores:
    """Return Polis's two-proportion z statistic of the in-group rate over the out-group rate."""
    success_in = success_in + 1
    success_out = success_out + 1
    trials_in = trials_in + 1
    trials_out = trials_out + 1
    rate_in = success_in / trials_in
    rate_out = success_out / trials_out
    pooled = (success_in + success_out) / (trials_in + trials_out)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / trials_in + 1 / trials_out))
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = (rate_in - rate_out) / spread
    # Both groups unanimous: the statistic tends to 0.
    result: Scores = np.where(pooled == 1, 0.0, statistic)
    return result
