"""Opinion groups: PCA projection of the votes, k-means clustering and a silhouette choice of k.

Two clusterings are offered. ``direct`` is red-dwarf's (``run_pipeline`` with the PCA reducer
and the k-means clusterer): Lloyd k-means on the projected participants, initialised from the
lexicographically first distinct points, k in 2..5 chosen by the silhouette score (the
choice the exact scores make, found by bounding them first: see ``silhouette.py``).
``base-clusters`` is the method of the Polis math service: k-means to 100 base clusters, then
2..5 groups by k-means on the base-cluster centres weighted by their sizes, chosen by the
silhouette of the base-cluster centres.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from .kmeans import Points, as_points, kmeans_polis, lloyd_runs
from .projection import Projection, pca_project
from .silhouette import best_silhouette, distinct_rows, silhouette, silhouette_scores
from .types import Labels, Votes
from .weighted_kmeans import (
    first_distinct,
    kmeans_plus_plus,
    means_of_nearest,
    polis_kmeans,
    polis_kmeans_runs,
    weighted_inertia,
)

__all__ = [
    "GroupSearch",
    "OpinionGroups",
    "Projection",
    "clusterable_mask",
    "kmeans_polis",
    "opinion_groups",
    "opinion_groups_base_clusters",
    "opinion_groups_direct",
    "pca_project",
    "silhouette",
]

_RED_DWARF_MIN_VOTES = 7
_POLIS_BASE_ITERATIONS = 100
# On many points, the base k-means first runs on a random sample of this many points per
# base cluster, or of this fraction (1/n) of the points if larger.
_BASE_SAMPLE_PER_CLUSTER = 20
_BASE_SAMPLE_SHARE = 10
_GROUP_ITERATIONS = 100
# Starts of the k-means of the base clusters into groups: Polis's, then weighted k-means++.
_GROUP_STARTS = 10


@dataclass(frozen=True)
class GroupSearch:
    """Groups found among points, with the silhouette of every number of groups tried.

    Attributes
    ----------
    labels
        Group of each point in ``0 .. n_groups - 1``; -1 when no groups could be formed.
    n_groups
        Number of groups (0 when no groups could be formed).
    silhouette
        Silhouette score of the chosen grouping (nan when undefined).
    silhouette_by_k
        Silhouette score of each number of groups tried (nan where it was undefined).
    centers
        Shape (n_groups, n_features): centre of each group.
    reason
        Why no groups could be formed, else None.
    base_labels
        Base-clusters method: base cluster of each point.
    base_centers
        Base-clusters method: centre of each base cluster.
    """

    labels: Labels
    n_groups: int
    silhouette: float
    silhouette_by_k: dict[int, float]
    centers: Points
    reason: str | None = None
    base_labels: Labels | None = None
    base_centers: Points | None = None


@dataclass(frozen=True)
class OpinionGroups:
    """Opinion groups of the participants of a conversation.

    Attributes
    ----------
    labels
        Group of each participant in ``0 .. n_groups - 1``; -1 = not clustered.
    n_groups
        Number of groups; 0 when no groups could be formed (see ``reason``).
    silhouette
        Silhouette score of the grouping (nan when undefined).
    projection
        PCA projection of participants and statements.
    clustered
        Per participant: True where the participant had enough votes to be clustered.
    method
        ``"base-clusters"`` or ``"direct"``.
    reason
        Why no groups could be formed, else None.
    silhouette_by_k
        Silhouette score of each number of groups tried.
    """

    labels: Labels
    n_groups: int
    silhouette: float
    projection: Projection
    clustered: NDArray[np.bool_]
    method: str
    reason: str | None = None
    silhouette_by_k: dict[int, float] = field(default_factory=dict)


def clusterable_mask(votes: Votes, *, min_votes: int = _RED_DWARF_MIN_VOTES) -> NDArray[np.bool_]:
    """Return, per participant, whether they cast at least ``min_votes`` votes (any statement)."""
    return np.asarray(votes.votes_per_participant() >= min_votes, dtype=bool)


def opinion_groups_direct(points: Points, *, max_groups: int = 5) -> GroupSearch:
    """Group points as red-dwarf does: ``kmeans_polis`` for k in 2..max_groups, best silhouette.

    A k with fewer distinct points than k is skipped (red-dwarf's fit fails); ties in the
    silhouette go to the smallest k; when no silhouette is defined the smallest k is kept
    (scikit-learn's grid search ranks all-nan scores equal). red-dwarf's scorer refits the
    estimator before scoring, which changes nothing: the start and the iterations are
    deterministic. Labels keep red-dwarf's numbering.
    """
    data = as_points(points)
    n_points = data.shape[0]
    rows = distinct_rows(data)
    distinct = rows[0]
    n_distinct = distinct.shape[0]
    candidates = [k for k in range(2, max_groups + 1) if k <= n_distinct]
    if not candidates:
        return _no_groups(data, _too_few_reason(n_points, n_distinct, max_groups))
    runs = lloyd_runs(data, [distinct[:k] for k in candidates], max_iter=300, tol=1e-4)
    fits = dict(zip(candidates, runs, strict=True))
    choice = best_silhouette(data, [fits[k][0] for k in candidates], distinct=rows)
    silhouette_by_k = {k: float(score) for k, score in zip(candidates, choice.scores, strict=True)}
    best = candidates[choice.best] if choice.best >= 0 else candidates[0]
    labels, centres = fits[best]
    used, labels = np.unique(labels, return_inverse=True)
    return GroupSearch(
        labels=labels.astype(np.intp),
        n_groups=int(used.size),
        silhouette=silhouette_by_k[best],
        silhouette_by_k=silhouette_by_k,
        centers=centres[used],
    )


def opinion_groups_base_clusters(
    points: Points,
    *,
    n_base_clusters: int = 100,
    max_groups: int = 5,
    rng: np.random.Generator,
) -> GroupSearch:
    """Group points as the Polis math service does, through base clusters.

    Points are first clustered into ``n_base_clusters`` base clusters (fewer when there are
    fewer distinct points) by k-means started from the first distinct points in a random
    order drawn from ``rng`` (Polis: in joining order), at most 100 iterations, stopping
    when no centre moves by 0.01 or more; empty clusters are dropped. With more than 40
    points per base cluster, that k-means runs on a random sample (20 points per base
    cluster, or a tenth of the points, whichever is more); every point then joins its
    nearest sample centre and the base clusters are the means of their points. Then for k in
    2..min(max_groups, 2 + n_base // 12), the base-cluster centres are clustered by k-means
    weighted by base-cluster sizes (same rule), keeping the lowest
    weighted inertia of Polis's start and nine k-means++ starts drawn from ``rng``;
    the k with the best silhouette of the base-cluster centres (unweighted, as in Polis) wins,
    ties to the smallest k. Every point takes its base cluster's group. Groups are numbered
    by size, largest first, then by their first point.
    """
    data = as_points(points)
    n_points = data.shape[0]
    if n_points == 0:
        return _no_groups(data, "no participants to cluster")
    # Polis starts from the first distinct points in joining order; a random order keeps an
    # input sorted by some attribute (say, by organisation) from biasing the start.
    shuffled = data[rng.permutation(n_points)]
    start = first_distinct(shuffled, n_base_clusters)
    n_sample = max(_BASE_SAMPLE_PER_CLUSTER * n_base_clusters, n_points // _BASE_SAMPLE_SHARE)
    if n_points > 2 * n_sample:
        # Base clusters only summarise the points for the grouping that follows: the
        # iterations run on a random sample, then every point joins its nearest centre.
        sample = shuffled[:n_sample]
        _, sample_centres = polis_kmeans(
            sample, np.ones(n_sample), start, max_iter=_POLIS_BASE_ITERATIONS
        )
        base_labels, base_centres = means_of_nearest(data, sample_centres)
    else:
        base_labels, base_centres = polis_kmeans(
            data, np.ones(n_points), start, max_iter=_POLIS_BASE_ITERATIONS
        )
    n_base = base_centres.shape[0]
    base_weights = np.bincount(base_labels, minlength=n_base).astype(np.float64)
    max_k = min(max_groups, 2 + n_base // 12)
    candidates = [k for k in range(2, max_k + 1) if k <= n_base]
    if not candidates:
        reason = _too_few_reason(n_points, n_base, max_groups)
        return _no_groups(data, reason, base_labels=base_labels, base_centers=base_centres)
    fits = _group_kmeans(base_centres, base_weights, candidates, rng)
    scores = silhouette_scores(base_centres, [fits[k][0] for k in candidates])
    for index, k in enumerate(candidates):
        if fits[k][1].shape[0] == n_base:
            # Every base cluster alone in its group: each scores 0 in Polis's silhouette.
            scores[index] = 0.0
    silhouette_by_k = {k: float(score) for k, score in zip(candidates, scores, strict=True)}
    if not np.isfinite(scores).any():
        return _no_groups(
            data,
            "no grouping of the base clusters has a defined silhouette",
            base_labels=base_labels,
            base_centers=base_centres,
            silhouette_by_k=silhouette_by_k,
        )
    best = candidates[int(np.nanargmax(scores))]
    group_of_base, group_centres = fits[best]
    labels = group_of_base[base_labels]
    n_groups = group_centres.shape[0]
    size = np.bincount(labels, minlength=n_groups)
    first = np.full(n_groups, n_points)
    np.minimum.at(first, labels, np.arange(n_points))
    order = np.lexsort((first, -size))
    rank = np.empty(n_groups, dtype=np.intp)
    rank[order] = np.arange(n_groups)
    return GroupSearch(
        labels=rank[labels],
        n_groups=n_groups,
        silhouette=silhouette_by_k[best],
        silhouette_by_k=silhouette_by_k,
        centers=group_centres[order],
        base_labels=base_labels,
        base_centers=base_centres,
    )


def _group_kmeans(
    base_centres: Points,
    base_weights: NDArray[np.float64],
    group_counts: list[int],
    rng: np.random.Generator,
) -> dict[int, tuple[Labels, Points]]:
    """Cluster base clusters into each number of groups: the best of several starts each.

    For every number of groups, the first start is Polis's (the first distinct base
    centres), the others weighted k-means++ draws (drawn in that order from ``rng``); Polis
    needs no restarts as it carries its clustering over between updates, but from scratch its
    start alone often stops in a poor local optimum. The start with the lowest weighted
    inertia wins (the earliest on ties). All starts run side by side.
    """
    starts: list[Points] = []
    for n_groups in group_counts:
        starts.append(first_distinct(base_centres, n_groups))
        starts.extend(
            kmeans_plus_plus(base_centres, base_weights, n_groups, rng)
            for _ in range(_GROUP_STARTS - 1)
        )
    fits = polis_kmeans_runs(base_centres, base_weights, starts, max_iter=_GROUP_ITERATIONS)
    best: dict[int, tuple[Labels, Points]] = {}
    for index, n_groups in enumerate(group_counts):
        runs = fits[index * _GROUP_STARTS : (index + 1) * _GROUP_STARTS]
        inertia = [weighted_inertia(base_centres, base_weights, *fit) for fit in runs]
        best[n_groups] = runs[int(np.argmin(inertia))]
    return best


def _too_few_reason(n_points: int, n_distinct: int, max_groups: int) -> str:
    """Return why fewer than two groups can be formed."""
    if max_groups < 2:
        return "max_groups is below 2"
    if n_points < 2:
        return "fewer than 2 participants to cluster"
    return f"fewer than 2 distinct opinion positions ({n_distinct} found)"


def _no_groups(
    data: Points,
    reason: str,
    *,
    base_labels: Labels | None = None,
    base_centers: Points | None = None,
    silhouette_by_k: dict[int, float] | None = None,
) -> GroupSearch:
    """Return a search result without groups, saying why."""
    return GroupSearch(
        labels=np.full(data.shape[0], -1, dtype=np.intp),
        n_groups=0,
        silhouette=float("nan"),
        silhouette_by_k=silhouette_by_k or {},
        centers=np.zeros((0, data.shape[1])),
        reason=reason,
        base_labels=base_labels,
        base_centers=base_centers,
    )


def opinion_groups(
    votes: Votes,
    *,
    method: Literal["base-clusters", "direct"] = "base-clusters",
    rng: np.random.Generator,
    min_votes: int | None = None,
    max_groups: int = 5,
) -> OpinionGroups:
    """Find the opinion groups of the participants from their votes.

    Participants with at least ``min_votes`` votes are clustered on their PCA projection
    (default 7 for ``direct``, as red-dwarf; ``min(7, n_statements with votes)`` for
    ``base-clusters``, as Polis). When no groups can be formed, ``n_groups`` is 0, every
    label is -1 and ``reason`` says why.
    """
    if method not in ("base-clusters", "direct"):
        raise ValueError(f"unknown clustering method {method!r}")
    projection = pca_project(votes)
    if min_votes is None and method == "direct":
        min_votes = _RED_DWARF_MIN_VOTES
    elif min_votes is None:
        n_voted_statements = int(np.count_nonzero(np.bincount(votes.statement)))
        min_votes = min(_RED_DWARF_MIN_VOTES, n_voted_statements)
    clustered = clusterable_mask(votes, min_votes=max(1, min_votes))
    labels = np.full(votes.n_participants, -1, dtype=np.intp)
    n_clustered = int(np.count_nonzero(clustered))
    if votes.n_votes == 0 or n_clustered < 2:
        reason = (
            "no votes"
            if votes.n_votes == 0
            else f"fewer than 2 participants with at least {min_votes} votes"
        )
        return OpinionGroups(
            labels=labels,
            n_groups=0,
            silhouette=float("nan"),
            projection=projection,
            clustered=clustered,
            method=method,
            reason=reason,
        )
    points = projection.participant_xy[clustered]
    search = (
        opinion_groups_direct(points, max_groups=max_groups)
        if method == "direct"
        else opinion_groups_base_clusters(points, max_groups=max_groups, rng=rng)
    )
    labels[clustered] = search.labels
    return OpinionGroups(
        labels=labels,
        n_groups=search.n_groups,
        silhouette=search.silhouette,
        projection=projection,
        clustered=clustered,
        method=method,
        reason=search.reason,
        silhouette_by_k=search.silhouette_by_k,
    )
