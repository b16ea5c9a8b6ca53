"""One call from votes to the whole analysis: groups, scores, lists, ranking and timings."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal, TypeVar, cast

import numpy as np
from numpy.typing import NDArray

from .blas import single_blas_thread
from .bridging import BridgingFit, bridging_scores
from .groups import OpinionGroups, opinion_groups
from .pairwise import PairwiseStrengths, bradley_terry
from .ranking import RANKING_METHODS, rank_statements
from .repness import consensus_statements, representative_statements
from .scores import (
    VoteCounts,
    agree_probability,
    approval,
    counts_by_grouping,
    divisiveness,
    group_informed_consensus,
    vote_counts_and_overall,
)
from .types import Comparisons, Groupings, Votes

__all__ = ["CLUSTERING_METHODS", "AnalysisResult", "analyze"]

CLUSTERING_METHODS = ("base-clusters", "direct")
Clustering = Literal["base-clusters", "direct"]

_T = TypeVar("_T")

# From this many votes, clustering and bridging run in two threads (see analyze()).
_PARALLEL_MIN_VOTES = 200_000


@dataclass
class AnalysisResult:
    """Everything the engine found, with the arrays it was computed from."""

    votes: Votes
    clustering: str
    method: str
    seed: int
    groups: OpinionGroups
    overall: VoteCounts
    by_group: VoteCounts
    by_grouping: dict[str, VoteCounts]
    groupings: Groupings | None
    group_consensus: NDArray[np.float64]
    group_consensus_disagree: NDArray[np.float64]
    joint_support: dict[str, NDArray[np.float64]]
    bridging: BridgingFit
    divisiveness: NDArray[np.float64]
    approval: NDArray[np.float64]
    pairwise: PairwiseStrengths | None
    consensus: dict[str, list[int]]
    repness: dict[int, list[dict[str, Any]]]
    ranking: list[int]
    statement_text: dict[str, str] | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the result as JSON-ready data (ids as strings, nan as null).

        Built from whole columns turned into lists at once: reading the arrays one number at
        a time took 60 ms for a million votes.
        """
        votes = self.votes
        statement_ids = votes.statement_ids
        participant_ids = votes.participant_ids
        labels = self.groups.labels.tolist()
        n_groups = self.groups.n_groups
        members: list[list[str]] = [[] for _ in range(n_groups)]
        for index, label in enumerate(labels):
            if label >= 0:
                members[label].append(participant_ids[index])
        xy = self.groups.projection.participant_xy
        loadings = self.groups.projection.components
        by_group = _counts_columns(self.by_group, agree_probability(self.by_group))
        by_grouping = {
            name: _counts_columns(counts, agree_probability(counts))
            for name, counts in self.by_grouping.items()
        }
        categories = self.groupings.categories if self.groupings is not None else {}
        moderated = votes.moderated_out.tolist()
        agree, disagree, passed = (
            _integers(counts[0])
            for counts in (self.overall.agree, self.overall.disagree, self.overall.passed)
        )
        consensus = _numbers(self.group_consensus)
        consensus_disagree = _numbers(self.group_consensus_disagree)
        joint_support = {name: _numbers(values) for name, values in self.joint_support.items()}
        bridging = _numbers(self.bridging.statement_intercept)
        divisive = _numbers(self.divisiveness)
        approved = _numbers(self.approval)
        has_loadings = loadings.shape[0] >= 2
        first_loading = _numbers(loadings[0]) if has_loadings else []
        second_loading = _numbers(loadings[1]) if has_loadings else []
        pairwise = self.pairwise
        strength, low, high = (
            (_numbers(pairwise.strength), _numbers(pairwise.low), _numbers(pairwise.high))
            if pairwise is not None
            else ([], [], [])
        )
        statements = []
        for j, statement_id in enumerate(statement_ids):
            statements.append(
                {
                    "id": statement_id,
                    "moderated_out": moderated[j],
                    "agree": agree[j],
                    "disagree": disagree[j],
                    "pass": passed[j],
                    "group_consensus": consensus[j],
                    "group_consensus_disagree": consensus_disagree[j],
                    "joint_support": {name: values[j] for name, values in joint_support.items()},
                    "bridging": bridging[j],
                    "divisiveness": divisive[j],
                    "approval": approved[j],
                    "loadings": [first_loading[j], second_loading[j]]
                    if has_loadings and len(first_loading) > j
                    else [None, None],
                    "by_group": {str(g): _counts_entry(by_group, g, j) for g in range(n_groups)},
                    "by_grouping": {
                        name: {
                            category: _counts_entry(by_grouping[name], c, j)
                            for c, category in enumerate(categories[name])
                        }
                        for name in by_grouping
                    }
                    if self.groupings is not None
                    else {},
                    "pairwise": None
                    if pairwise is None
                    else {"strength": strength[j], "low": low[j], "high": high[j]},
                }
            )
        x, y = _numbers(xy[:, 0]), _numbers(xy[:, 1])
        result: dict[str, Any] = {
            "participants": votes.n_participants,
            "statements": votes.n_statements,
            "votes": votes.n_votes,
            "clustering": self.clustering,
            "seed": self.seed,
            "groups": [{"id": g, "members": members[g]} for g in range(n_groups)],
            "groups_reason": self.groups.reason,
            "participants_map": [
                {
                    "id": participant_ids[i],
                    "group": labels[i] if labels[i] >= 0 else None,
                    "x": x[i],
                    "y": y[i],
                }
                for i in range(votes.n_participants)
            ],
            "statement_results": statements,
            "consensus": {
                direction: [statement_ids[j] for j in indices]
                for direction, indices in self.consensus.items()
            },
            "repness": {
                str(group): [_repness_entry(entry, statement_ids) for entry in entries]
                for group, entries in self.repness.items()
            },
            "ranking": {"method": self.method, "order": [statement_ids[j] for j in self.ranking]},
            "timings_ms": {name: round(value, 3) for name, value in self.timings_ms.items()},
        }
        if self.statement_text is not None:
            result["statements_text"] = dict(self.statement_text)
        return result


def analyze(
    votes: Votes,
    *,
    groupings: Groupings | None = None,
    comparisons: Comparisons | None = None,
    clustering: str = "base-clusters",
    method: str = "joint-support",
    seed: int = 0,
    statement_text: dict[str, str] | None = None,
) -> AnalysisResult:
    """Run the whole analysis on votes; deterministic for a given seed."""
    if clustering not in CLUSTERING_METHODS:
        raise ValueError(
            f"unknown clustering {clustering!r}: choose one of {', '.join(CLUSTERING_METHODS)}"
        )
    if method not in RANKING_METHODS:
        raise ValueError(f"unknown method {method!r}: choose one of {', '.join(RANKING_METHODS)}")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    groups_rng, bridging_rng = np.random.default_rng(seed).spawn(2)
    group_task = partial(
        _group_scores,
        votes,
        groupings=groupings,
        comparisons=comparisons,
        clustering=cast(Clustering, clustering),
        rng=groups_rng,
        timings=timings,
    )
    # A helper thread for the fit's products would be a third thread on two cores: measured
    # at 1M votes, the analysis took 4 % longer with it.
    bridging_task = partial(bridging_scores, votes, rng=bridging_rng, paired_products=False)
    if votes.n_votes >= _PARALLEL_MIN_VOTES:
        # The bridging fit is independent of everything but the ranking, and both sides
        # spend their time in large numpy and scipy operations that release the GIL: on two
        # cores they run side by side, each with its own random stream (and BLAS keeps to
        # one thread, see blas.py).
        with single_blas_thread(), ThreadPoolExecutor(max_workers=2) as pool:
            bridging_future = pool.submit(_timed, timings, "bridging", bridging_task)
            scored = group_task()
            bridging = bridging_future.result()
    else:
        # On small data both are many short calls that hold the GIL: in two threads they
        # would mostly wait for each other.
        scored = group_task()
        bridging = _timed(timings, "bridging", bridging_task)
    with _timer(timings, "ranking"):
        scores = {
            "joint-support": _joint_score(scored.joint_support, scored.group_consensus),
            "group-consensus": scored.group_consensus,
            "bridging": bridging.statement_intercept,
            "approval": scored.approval,
        }
        ranking = rank_statements(
            scores,
            method=method,
            statement_ids=votes.statement_ids,
            eligible=~votes.moderated_out,
        )
    timings["total"] = (time.perf_counter() - started) * 1000
    return AnalysisResult(
        votes=votes,
        clustering=clustering,
        method=method,
        seed=seed,
        groups=scored.groups,
        overall=scored.overall,
        by_group=scored.by_group,
        by_grouping=scored.by_grouping,
        groupings=groupings,
        group_consensus=scored.group_consensus,
        group_consensus_disagree=scored.group_consensus_disagree,
        joint_support=scored.joint_support,
        bridging=bridging,
        divisiveness=scored.divisiveness,
        approval=scored.approval,
        pairwise=scored.pairwise,
        consensus=scored.consensus,
        repness=scored.repness,
        ranking=ranking,
        statement_text=statement_text,
        timings_ms=timings,
    )


@dataclass
class _GroupScores:
    """Everything but the bridging fit and the ranking."""

    groups: OpinionGroups
    overall: VoteCounts
    by_group: VoteCounts
    by_grouping: dict[str, VoteCounts]
    group_consensus: NDArray[np.float64]
    group_consensus_disagree: NDArray[np.float64]
    joint_support: dict[str, NDArray[np.float64]]
    divisiveness: NDArray[np.float64]
    approval: NDArray[np.float64]
    consensus: dict[str, list[int]]
    repness: dict[int, list[dict[str, Any]]]
    pairwise: PairwiseStrengths | None


def _group_scores(
    votes: Votes,
    *,
    groupings: Groupings | None,
    comparisons: Comparisons | None,
    clustering: Clustering,
    rng: np.random.Generator,
    timings: dict[str, float],
) -> _GroupScores:
    """Find the opinion groups, then every score that does not need the bridging fit."""
    groups = _timed(timings, "groups", lambda: opinion_groups(votes, method=clustering, rng=rng))
    with _timer(timings, "scores"):
        by_group, overall = vote_counts_and_overall(votes, groups.labels, groups.n_groups)
        # Without opinion groups, everyone counts as one group: the scores stay meaningful.
        consensus_counts = by_group if groups.n_groups > 0 else overall
        gic_agree, gic_disagree = group_informed_consensus(consensus_counts)
        by_grouping = counts_by_grouping(votes, groupings) if groupings is not None else {}
        # Joint support per grouping: group-informed consensus over its categories.
        support = {
            name: group_informed_consensus(counts)[0] for name, counts in by_grouping.items()
        }
        divisive = divisiveness(by_group)
        approval_rate = approval(overall)
    consensus = _timed(timings, "consensus", lambda: _consensus_lists(votes, overall))
    repness = _timed(
        timings,
        "repness",
        lambda: (
            representative_statements(by_group, moderated_out=votes.moderated_out)
            if groups.n_groups > 0
            else {}
        ),
    )
    pairwise = (
        _timed(timings, "pairwise", lambda: bradley_terry(comparisons, votes.n_statements))
        if comparisons is not None
        else None
    )
    return _GroupScores(
        groups=groups,
        overall=overall,
        by_group=by_group,
        by_grouping=by_grouping,
        group_consensus=gic_agree,
        group_consensus_disagree=gic_disagree,
        joint_support=support,
        divisiveness=divisive,
        approval=approval_rate,
        consensus=consensus,
        repness=repness,
        pairwise=pairwise,
    )


def _consensus_lists(votes: Votes, overall: VoteCounts) -> dict[str, list[int]]:
    if votes.n_votes == 0:
        return {"agree": [], "disagree": []}
    return consensus_statements(votes, counts=overall)


def _joint_score(
    support: dict[str, NDArray[np.float64]], fallback: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Return the weakest joint support over the declared groupings (or group consensus)."""
    if not support:
        return fallback
    return np.asarray(np.min(np.vstack(list(support.values())), axis=0), dtype=np.float64)


@contextmanager
def _timer(timings: dict[str, float], name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[name] = timings.get(name, 0.0) + (time.perf_counter() - start) * 1000


def _timed(timings: dict[str, float], name: str, compute: Callable[[], _T]) -> _T:
    with _timer(timings, name):
        return compute()


def _number(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) or math.isinf(number) else number


_CountColumns = tuple[list[list[int]], list[list[int]], list[list[int]], list[list[float | None]]]


def _integers(values: NDArray[Any]) -> list[int]:
    """Return whole counts as Python ints (float sums of weights are truncated, as int())."""
    listed: list[int] = values.astype(np.int64).tolist()
    return listed


def _numbers(values: NDArray[Any]) -> list[float | None]:
    """Return a vector as Python floats, nan and infinities as None."""
    array = np.asarray(values, dtype=np.float64)
    listed: list[float | None] = array.tolist()
    finite = np.isfinite(array)
    if not finite.all():
        for index in np.flatnonzero(~finite).tolist():
            listed[index] = None
    return listed


def _counts_columns(counts: VoteCounts, probability: NDArray[np.float64]) -> _CountColumns:
    """Return the rows of agree, disagree, pass and agree probability as lists."""
    return (
        [_integers(row) for row in counts.agree],
        [_integers(row) for row in counts.disagree],
        [_integers(row) for row in counts.passed],
        [_numbers(row) for row in probability],
    )


def _counts_entry(columns: _CountColumns, row: int, column: int) -> dict[str, Any]:
    agree, disagree, passed, probability = columns
    return {
        "agree": agree[row][column],
        "disagree": disagree[row][column],
        "pass": passed[row][column],
        "agree_probability": probability[row][column],
    }


def _repness_entry(entry: dict[str, Any], statement_ids: tuple[str, ...]) -> dict[str, Any]:
    converted: dict[str, Any] = {"id": statement_ids[int(entry["statement"])]}
    for key, value in entry.items():
        if key == "statement":
            continue
        if key == "repful_for":
            key = "direction"
        converted[key.replace("-", "_")] = (
            _number(value) if isinstance(value, float | np.floating) else value
        )
    return converted
