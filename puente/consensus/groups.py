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
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, LinearOperator, eigsh

from .silhouette import best_silhouette, distinct_rows, silhouette, silhouette_scores
from .types import Labels, Votes

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

Points = NDArray[np.float64]
"""Points to cluster, one row each (participants projected to 2-D)."""

_RED_DWARF_MIN_VOTES = 7
_POLIS_BASE_ITERATIONS = 100
# On many points, the base k-means first runs on a random sample of this many points per
# base cluster, or of this fraction (1/n) of the points if larger.
_BASE_SAMPLE_PER_CLUSTER = 20
_BASE_SAMPLE_SHARE = 10
_GROUP_ITERATIONS = 100
# Starts of the k-means of the base clusters into groups: Polis's, then weighted k-means++.
_GROUP_STARTS = 10
_POLIS_CENTRE_TOLERANCE = 0.01
# Below this many statement columns the covariance matrix is built and fully diagonalised.
_DENSE_EIGEN_MAX_COLUMNS = 64
# Elements per chunk of the point-to-centre distance matrix in k-means.
_ASSIGN_CHUNK_ELEMENTS = 1 << 18
# Relative slack on distance bounds, far above the rounding error of the distances.
_BOUND_MARGIN = 1.0 + 1e-9


@dataclass(frozen=True)
class Projection:
    """Participants and statements projected on the first principal components of the votes.

    Attributes
    ----------
    participant_xy
        Shape (n_participants, n_components): scaled projection of each participant.
    statement_xy
        Shape (n_statements, n_components): projection of a virtual participant who agrees
        with the statement alone.
    components
        Shape (n_components, n_statements): principal axes (PCA loadings).
    mean
        Per statement: mean vote over the participants who saw it (0 when moderated out).
    explained_variance
        Variance along each principal axis.
    """

    participant_xy: Points
    statement_xy: Points
    components: NDArray[np.float64]
    mean: NDArray[np.float64]
    explained_variance: NDArray[np.float64]


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


def pca_project(votes: Votes, *, n_components: int = 2) -> Projection:
    """Project participants and statements on the principal components, as red-dwarf does.

    The vote matrix has a column per statement with at least one vote and a row per
    participant with at least one vote. Moderated-out columns are set to 0 for everyone;
    unseen cells take the column mean, so after centring the matrix is sparse: vote minus
    column mean where seen, 0 elsewhere. Its leading principal axes come from the covariance
    matrix (exact eigendecomposition, or Lanczos iteration to machine precision on the sparse
    matrix), with scikit-learn's sign convention (largest loading of each axis positive).
    Participant coordinates are scaled by ``sqrt(n_columns / n_seen)``; a statement is placed
    where a participant agreeing with it alone would be. Participants and statements without
    any vote are placed at the origin and statements without votes get zero loadings.
    """
    n_participants, n_statements = votes.n_participants, votes.n_statements
    participant, statement, value = votes.participant, votes.statement, votes.value
    level, by_level = _statement_levels(statement, value, n_statements)
    votes_per_statement = by_level.sum(axis=0)
    has_votes = votes_per_statement > 0
    n_columns = int(np.count_nonzero(has_votes))
    row_counts = votes.votes_per_participant()
    n_rows = int(np.count_nonzero(row_counts))
    n_zeroed = int(np.count_nonzero(has_votes & votes.moderated_out))

    if n_zeroed:
        active = ~votes.moderated_out[statement]
        participant, statement, value = participant[active], statement[active], value[active]
        level, by_level = _statement_levels(statement, value, n_statements)
        row_counts = np.bincount(participant, minlength=n_participants)
    seen = by_level.sum(axis=0)
    totals = (by_level[2] - by_level[0]).astype(np.float64)
    mean = np.divide(totals, seen, out=np.zeros(n_statements), where=seen > 0)

    # Only the statements with active votes have non-zero centred values: compress to them.
    column_statement = np.flatnonzero(seen > 0)
    if column_statement.size == n_statements:
        column = statement
    else:
        column_of = np.full(n_statements, -1, dtype=statement.dtype)
        column_of[column_statement] = np.arange(column_statement.size, dtype=statement.dtype)
        column = column_of[statement]
    index_type = np.int32 if value.size < np.iinfo(np.int32).max else np.int64
    row_pointer = np.zeros(n_participants + 1, dtype=index_type)
    np.cumsum(row_counts, out=row_pointer[1:])
    # Each vote minus its statement's mean, read off a table of (vote value, statement).
    centred_values = (np.arange(-1.0, 2.0)[:, np.newaxis] - mean).ravel()[level]
    centred = sp.csr_matrix(
        (centred_values, column.astype(index_type, copy=False), row_pointer),
        shape=(n_participants, column_statement.size),
    )

    n_found = max(0, min(n_components, n_rows - 1, column_statement.size))
    eigenvalues, axes = _leading_axes(centred, n_found)
    variance = np.zeros(n_components)
    components = np.zeros((n_components, n_statements))
    participant_xy = np.zeros((n_participants, n_components))
    statement_xy = np.zeros((n_statements, n_components))
    if n_found:
        variance[:n_found] = np.maximum(eigenvalues, 0.0) / (n_rows - 1)
        components[:n_found, column_statement] = axes.T
        scale = np.sqrt(n_columns / np.maximum(1, row_counts + n_zeroed))
        for axis in range(n_found):
            # One sparse product per axis: scipy's multi-vector product is much slower.
            participant_xy[:, axis] = (centred @ np.ascontiguousarray(axes[:, axis])) * scale
        statement_xy[column_statement, :n_found] = (
            np.sqrt(n_columns) * (1.0 - mean[column_statement])[:, np.newaxis] * axes
        )
    return Projection(
        participant_xy=participant_xy,
        statement_xy=statement_xy,
        components=components,
        mean=mean,
        explained_variance=variance,
    )


def _statement_levels(
    statement: NDArray[np.int32], value: NDArray[np.int8], n_statements: int
) -> tuple[NDArray[np.signedinteger[Any]], NDArray[np.int64]]:
    """Return each vote's (value, statement) code and the count of each value per statement.

    The code is ``(value + 1) * n_statements + statement``; the counts have one row per
    value: disagree, pass, agree. One unweighted count replaces a count and a weighted sum.
    """
    code_type: type[np.signedinteger[Any]] = (
        np.int32 if 3 * n_statements < np.iinfo(np.int32).max else np.int64
    )
    level = value.astype(code_type)
    level += 1
    level *= n_statements
    level += statement
    by_level = np.bincount(level, minlength=3 * n_statements).reshape(3, n_statements)
    return level, by_level


def _leading_axes(
    centred: sp.csr_matrix, n_axes: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return the top eigenvalues of ``X.T @ X`` and their eigenvectors (columns), sign-fixed."""
    n_columns = centred.shape[1]
    if n_axes == 0:
        return np.zeros(0), np.zeros((n_columns, 0))
    if not np.any(centred.data):
        # Everyone voted alike: no variance, any axes will do.
        return np.zeros(n_axes), np.eye(n_columns, n_axes)
    if n_columns <= max(_DENSE_EIGEN_MAX_COLUMNS, 2 * n_axes + 1):
        eigenvalues, vectors = _dense_eigen(centred, n_axes)
    else:
        transposed = centred.T
        operator = LinearOperator(
            (n_columns, n_columns),
            matvec=lambda vector: transposed @ (centred @ vector),
            dtype=np.float64,
        )
        # A fixed start vector keeps the result reproducible; the golden-ratio sequence is
        # unlikely to be orthogonal to any principal axis.
        start = 1.0 + (np.arange(n_columns) * 0.6180339887498949) % 1.0
        try:
            eigenvalues, vectors = eigsh(
                operator,
                k=n_axes,
                which="LA",
                # Residuals of 1e-13 relative leave the axes exact to rounding (checked
                # against a dense eigendecomposition) with a fifth fewer products than 0.
                tol=1e-13,
                v0=start,
                ncv=min(n_columns, max(2 * n_axes + 4, 8)),
            )
        except (ArpackNoConvergence, ArpackError):
            eigenvalues, vectors = _dense_eigen(centred, n_axes)
        order = np.argsort(eigenvalues)[::-1]
        eigenvalues, vectors = eigenvalues[order], vectors[:, order]
    # scikit-learn's svd_flip(u_based_decision=False): the largest |loading| is positive.
    largest = np.argmax(np.abs(vectors), axis=0)
    signs = np.sign(vectors[largest, np.arange(n_axes)])
    signs[signs == 0] = 1.0
    return eigenvalues, vectors * signs


def _dense_eigen(
    centred: sp.csr_matrix, n_axes: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return the top eigenpairs of ``X.T @ X``, building it from row blocks of X."""
    n_rows, n_columns = centred.shape
    covariance = np.zeros((n_columns, n_columns))
    step = max(1, (1 << 22) // max(1, n_columns))
    for start in range(0, n_rows, step):
        block = centred[start : start + step].toarray()
        covariance += block.T @ block
    eigenvalues, vectors = np.linalg.eigh(covariance)
    return eigenvalues[::-1][:n_axes], vectors[:, ::-1][:, :n_axes]


def clusterable_mask(votes: Votes, *, min_votes: int = _RED_DWARF_MIN_VOTES) -> NDArray[np.bool_]:
    """Return, per participant, whether they cast at least ``min_votes`` votes (any statement)."""
    return np.asarray(votes.votes_per_participant() >= min_votes, dtype=bool)


def kmeans_polis(
    points: Points, n_clusters: int, *, max_iter: int = 300, tol: float = 1e-4
) -> tuple[Labels, Points]:
    """Cluster points by Lloyd k-means as scikit-learn does, from red-dwarf's "polis" start.

    The initial centres are the first ``n_clusters`` distinct points in lexicographic order
    (fewer when there are fewer distinct points). Iteration stops when no label changes or
    when the total squared centre shift is at most ``tol`` times the mean feature variance;
    ties go to the lowest centre index; an empty cluster takes the point farthest from its
    centre, as in scikit-learn.

    Returns
    -------
    labels
        Cluster index of each point.
    centers
        Shape (n_clusters, n_features): final centres.
    """
    if n_clusters < 1:
        raise ValueError("n_clusters must be at least 1")
    data = _as_points(points)
    if data.shape[0] == 0:
        return np.zeros(0, dtype=np.intp), np.zeros((0, data.shape[1]))
    initial = distinct_rows(data)[0][:n_clusters]
    return _lloyd(data, initial, max_iter=max_iter, tol=tol)


def _lloyd(data: Points, initial: Points, *, max_iter: int, tol: float) -> tuple[Labels, Points]:
    """Run scikit-learn's Lloyd iterations (unit weights) from the given centres."""
    return _lloyd_runs(data, [initial], max_iter=max_iter, tol=tol)[0]


def _lloyd_runs(
    data: Points, initials: list[Points], *, max_iter: int, tol: float
) -> list[tuple[Labels, Points]]:
    """Run scikit-learn's Lloyd iterations from each set of initial centres, side by side.

    Each run is the iteration scikit-learn performs from its start: every step assigns the
    points to the nearest centre, then moves the centres to the means; a run stops when no
    label changes or when the total squared centre shift is at most ``tol`` times the mean
    feature variance. The runs advance together, as arrays with one row per run (runs with
    fewer centres padded with centres that are never nearest), so several numbers of groups
    cost about as many numpy calls as the run that needs the most steps.
    """
    n_points, n_features = data.shape
    n_runs = len(initials)
    tolerance = float(np.mean(np.var(data, axis=0)) * tol) if tol else 0.0
    # scikit-learn centres the data first for accurate distances.
    data_mean = data.mean(axis=0)
    centred = data - data_mean
    columns = [np.ascontiguousarray(centred[:, f]) for f in range(n_features)]
    repeated = [np.tile(column, n_runs) for column in columns]
    sizes = [initial.shape[0] for initial in initials]
    width = max(sizes)
    centres = np.zeros((n_runs, width, n_features))
    present = np.arange(width) < np.array(sizes)[:, np.newaxis]
    for index, initial in enumerate(initials):
        centres[index, : sizes[index]] = np.asarray(initial, dtype=np.float64) - data_mean
    labels_old = np.full((n_runs, n_points), -1, dtype=np.intp)
    final_labels = np.zeros((n_runs, n_points), dtype=np.intp)
    active = np.arange(n_runs)
    for iteration in range(max_iter):
        n_active = active.size
        labels = _nearest_in_runs(columns, centres[active], present[active])
        cluster = (labels + (np.arange(n_active) * width)[:, np.newaxis]).ravel()
        counts = np.bincount(cluster, minlength=n_active * width).astype(np.float64)
        sums = np.empty((n_active * width, n_features))
        for feature in range(n_features):
            sums[:, feature] = np.bincount(
                cluster,
                weights=repeated[feature][: n_active * n_points],
                minlength=n_active * width,
            )
        counts = counts.reshape(n_active, width)
        sums = sums.reshape(n_active, width, n_features)
        old_centres = centres[active]
        new_centres = old_centres.copy()
        filled = present[active]
        if np.all(counts[filled] > 0):
            new_centres[filled] = sums[filled] * (1.0 / counts[filled])[:, np.newaxis]
        else:
            for row, run in enumerate(active):
                size = sizes[run]
                new_centres[row, :size] = _centre_update(
                    centred,
                    old_centres[row, :size],
                    labels[row],
                    counts[row, :size],
                    sums[row, :size],
                )
        shift = np.sqrt(np.sum((new_centres - old_centres) ** 2, axis=2))
        centres[active] = new_centres
        unchanged = np.all(labels == labels_old[active], axis=1)
        settled = np.sum(shift**2, axis=1) <= tolerance
        continuing = []
        for row, run in enumerate(active):
            if unchanged[row]:
                final_labels[run] = labels[row]
            elif settled[row] or iteration == max_iter - 1:
                final_labels[run] = _nearest_in_runs(
                    columns, centres[run : run + 1], present[run : run + 1]
                )[0]
            else:
                labels_old[run] = labels[row]
                continuing.append(run)
        active = np.array(continuing, dtype=np.intp)
        if not active.size:
            break
    if max_iter <= 0:
        final_labels = _nearest_in_runs(columns, centres, present)
    return [(final_labels[run], centres[run, : sizes[run]] + data_mean) for run in range(n_runs)]


def _nearest_in_runs(
    columns: list[NDArray[np.float64]], centres: NDArray[np.float64], present: NDArray[np.bool_]
) -> NDArray[np.intp]:
    """Return, per run (row), the index of each point's nearest centre among the run's own.

    Distances are compared as scikit-learn does, ``||c||^2 - 2 x.c``, products formed
    feature by feature (BLAS threads cost more than they save on these thin matrices);
    ties go to the lowest index, as ``argmin``; padding centres are never nearest.
    """
    n_runs, width, _ = centres.shape
    n_points = columns[0].size
    norms = np.where(present, np.einsum("rkf,rkf->rk", centres, centres), np.inf)
    # Scaling by -2 before the product is exact, so the values equal -2 (x.c) + ||c||^2.
    scaled = -2.0 * centres
    centre_index = np.arange(width, dtype=np.intp)[:, np.newaxis]
    labels = np.empty((n_runs, n_points), dtype=np.intp)
    step = max(1, _ASSIGN_CHUNK_ELEMENTS // max(1, n_runs * width))
    for start in range(0, n_points, step):
        stop = min(n_points, start + step)
        distances = np.multiply.outer(scaled[..., 0], columns[0][start:stop])
        for feature in range(1, len(columns)):
            distances += np.multiply.outer(scaled[..., feature], columns[feature][start:stop])
        distances += norms[..., np.newaxis]
        # argmin over a short axis is slow: find the minimum, read its index off the
        # one-hot mask, and leave exact ties (rare) to argmin.
        is_nearest = distances == np.minimum.reduce(distances, axis=1)[:, np.newaxis]
        chosen = np.add.reduce(is_nearest * centre_index, axis=1)
        tied = np.add.reduce(is_nearest, axis=1, dtype=np.intp) > 1
        if tied.any():
            runs, points = np.nonzero(tied)
            chosen[runs, points] = np.argmin(distances[runs, :, points], axis=1)
        labels[:, start:stop] = chosen
    return labels


def _centre_update(
    data: Points,
    centres: Points,
    labels: Labels,
    weights: NDArray[np.float64],
    sums: NDArray[np.float64],
) -> Points:
    """Return the new centres from the clusters' sizes and sums (both updated in place).

    An empty cluster takes the point farthest from its centre, as in scikit-learn.
    """
    empty = np.flatnonzero(weights == 0)
    if empty.size:
        distances = np.sum((data - centres[labels]) ** 2, axis=1)
        if np.max(distances) > 0:
            # scikit-learn's choice and order of the farthest points.
            farthest = np.argpartition(distances, -empty.size)[: -empty.size - 1 : -1]
            for empty_cluster, point in zip(empty, farthest, strict=True):
                old = labels[point]
                sums[old] -= data[point]
                sums[empty_cluster] = data[point]
                weights[empty_cluster] = 1.0
                weights[old] -= 1.0
    filled = weights > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        sums *= (1.0 / weights)[:, np.newaxis]
    if not filled.all():
        sums[~filled] = sums[int(np.argmax(weights))]
    return sums


def _as_points(points: Points) -> Points:
    """Return the points as a float64 matrix, one row each (a vector is one feature)."""
    data = np.asarray(points, dtype=np.float64)
    return data[:, np.newaxis] if data.ndim == 1 else data


def opinion_groups_direct(points: Points, *, max_groups: int = 5) -> GroupSearch:
    """Group points as red-dwarf does: ``kmeans_polis`` for k in 2..max_groups, best silhouette.

    A k with fewer distinct points than k is skipped (red-dwarf's fit fails); ties in the
    silhouette go to the smallest k; when no silhouette is defined the smallest k is kept
    (scikit-learn's grid search ranks all-nan scores equal). red-dwarf's scorer refits the
    estimator before scoring, which changes nothing: the start and the iterations are
    deterministic. Labels keep red-dwarf's numbering.
    """
    data = _as_points(points)
    n_points = data.shape[0]
    rows = distinct_rows(data)
    distinct = rows[0]
    n_distinct = distinct.shape[0]
    candidates = [k for k in range(2, max_groups + 1) if k <= n_distinct]
    if not candidates:
        return _no_groups(data, _too_few_reason(n_points, n_distinct, max_groups))
    runs = _lloyd_runs(data, [distinct[:k] for k in candidates], max_iter=300, tol=1e-4)
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
    data = _as_points(points)
    n_points = data.shape[0]
    if n_points == 0:
        return _no_groups(data, "no participants to cluster")
    # Polis starts from the first distinct points in joining order; a random order keeps an
    # input sorted by some attribute (say, by organisation) from biasing the start.
    shuffled = data[rng.permutation(n_points)]
    start = _first_distinct(shuffled, n_base_clusters)
    n_sample = max(_BASE_SAMPLE_PER_CLUSTER * n_base_clusters, n_points // _BASE_SAMPLE_SHARE)
    if n_points > 2 * n_sample:
        # Base clusters only summarise the points for the grouping that follows: the
        # iterations run on a random sample, then every point joins its nearest centre.
        sample = shuffled[:n_sample]
        _, sample_centres = _polis_kmeans(
            sample, np.ones(n_sample), start, max_iter=_POLIS_BASE_ITERATIONS
        )
        base_labels, base_centres = _means_of_nearest(data, sample_centres)
    else:
        base_labels, base_centres = _polis_kmeans(
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


def _means_of_nearest(data: Points, centres: Points) -> tuple[Labels, Points]:
    """Assign every point to its nearest centre; return labels and the clusters' means.

    Centres left without points are dropped (and the labels renumbered in order).
    """
    labels = _two_nearest(data, centres)[0]
    n_centres = centres.shape[0]
    counts = np.bincount(labels, minlength=n_centres).astype(np.float64)
    sums = np.stack(
        [
            np.bincount(labels, weights=data[:, f], minlength=n_centres)
            for f in range(data.shape[1])
        ],
        axis=1,
    )
    kept = counts > 0
    if not kept.all():
        labels = (np.cumsum(kept) - 1)[labels]
    return labels, sums[kept] / counts[kept, np.newaxis]


def _first_distinct(data: Points, n_wanted: int) -> Points:
    """Return the first ``n_wanted`` distinct rows of data, in input order."""
    n_points = data.shape[0]
    n_scanned = min(n_points, 2 * n_wanted)
    while True:
        # Usually the first rows already hold enough distinct points: avoid sorting them all.
        _, first_index = np.unique(data[:n_scanned], axis=0, return_index=True)
        if first_index.size >= n_wanted or n_scanned == n_points:
            return data[np.sort(first_index)[:n_wanted]]
        n_scanned = min(n_points, 4 * n_scanned)


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
        starts.append(_first_distinct(base_centres, n_groups))
        starts.extend(
            _kmeans_plus_plus(base_centres, base_weights, n_groups, rng)
            for _ in range(_GROUP_STARTS - 1)
        )
    fits = _polis_kmeans_runs(base_centres, base_weights, starts, max_iter=_GROUP_ITERATIONS)
    best: dict[int, tuple[Labels, Points]] = {}
    for index, n_groups in enumerate(group_counts):
        runs = fits[index * _GROUP_STARTS : (index + 1) * _GROUP_STARTS]
        inertia = [_weighted_inertia(base_centres, base_weights, *fit) for fit in runs]
        best[n_groups] = runs[int(np.argmin(inertia))]
    return best


def _polis_kmeans_runs(
    data: Points, weights: NDArray[np.float64], initials: list[Points], *, max_iter: int
) -> list[tuple[Labels, Points]]:
    """Run Polis's weighted k-means (see ``_polis_kmeans``) from each start, side by side.

    Every run is exactly what ``_polis_kmeans`` computes from its start without the bounds
    (which pay off only on many points): all distances are recomputed at each step, for all
    runs at once, with the runs as the first axis. A centre that loses all its points is
    marked absent rather than removed, which leaves the order of the others, and so the
    lowest-index rule on ties, unchanged.
    """
    n_points, n_features = data.shape
    n_runs = len(initials)
    sizes = [initial.shape[0] for initial in initials]
    width = max(sizes)
    centres = np.zeros((n_runs, width, n_features))
    present = np.arange(width) < np.array(sizes)[:, np.newaxis]
    for index, initial in enumerate(initials):
        centres[index, : sizes[index]] = initial
    weighted = [np.tile(weights * data[:, f], n_runs) for f in range(n_features)]
    repeated_weights = np.tile(weights, n_runs)
    labels = _nearest_present(data, centres, present)
    active = np.ones(n_runs, dtype=bool)
    for iteration in range(max_iter):
        rows = np.flatnonzero(active)
        n_active = rows.size
        cluster = (labels[rows] + (np.arange(n_active) * width)[:, np.newaxis]).ravel()
        size = n_active * width
        span = n_active * n_points
        mass = np.bincount(cluster, weights=repeated_weights[:span], minlength=size)
        sums = np.stack(
            [np.bincount(cluster, weights=w[:span], minlength=size) for w in weighted], axis=1
        )
        mass = mass.reshape(n_active, width)
        kept = mass > 0
        new_centres = centres[rows].copy()
        new_centres[kept] = sums.reshape(n_active, width, n_features)[kept] / mass[kept][:, None]
        moved = np.sqrt(np.sum((new_centres - centres[rows]) ** 2, axis=2))
        dropped = np.any(present[rows] & ~kept, axis=1)
        still = np.all(~kept | (moved < _POLIS_CENTRE_TOLERANCE), axis=1)
        centres[rows] = new_centres
        present[rows] = kept
        done = (~dropped & still) | (iteration == max_iter - 1)
        active[rows[done]] = False
        if not active.any():
            break
        moving = np.flatnonzero(active)
        labels[moving] = _nearest_present(data, centres[moving], present[moving])
    results = []
    for index in range(n_runs):
        # Number the remaining centres in order, as removing the empty ones would.
        renumber = np.cumsum(present[index]) - 1
        results.append((renumber[labels[index]], centres[index][present[index]]))
    return results


def _nearest_present(
    data: Points, centres: NDArray[np.float64], present: NDArray[np.bool_]
) -> NDArray[np.intp]:
    """Return, per run (row), each point's nearest present centre (lowest index on ties)."""
    squared = np.subtract.outer(centres[..., 0], data[:, 0])
    np.square(squared, out=squared)
    for feature in range(1, data.shape[1]):
        difference = np.subtract.outer(centres[..., feature], data[:, feature])
        np.square(difference, out=difference)
        squared += difference
    squared[~present] = np.inf
    return np.asarray(np.argmin(squared, axis=1), dtype=np.intp)


def _weighted_inertia(
    data: Points, weights: NDArray[np.float64], labels: Labels, centres: Points
) -> float:
    """Return the weighted sum of squared distances of points to their centres."""
    return float(weights @ np.sum((data - centres[labels]) ** 2, axis=1))


def _kmeans_plus_plus(
    data: Points, weights: NDArray[np.float64], n_centres: int, rng: np.random.Generator
) -> Points:
    """Draw k-means++ starting centres, each point counted ``weights`` times."""
    chosen = [int(rng.choice(data.shape[0], p=weights / weights.sum()))]
    squared = np.sum((data - data[chosen[0]]) ** 2, axis=1)
    for _ in range(1, n_centres):
        mass = weights * squared
        if mass.sum() <= 0:
            break
        chosen.append(int(rng.choice(data.shape[0], p=mass / mass.sum())))
        squared = np.minimum(squared, np.sum((data - data[chosen[-1]]) ** 2, axis=1))
    return data[chosen]


def _polis_kmeans(
    data: Points, weights: NDArray[np.float64], initial: Points, *, max_iter: int
) -> tuple[Labels, Points]:
    """Run Polis's weighted k-means: empty clusters vanish, stop when centres move < 0.01.

    Each step assigns every point to its nearest centre (Euclidean, lowest index on ties),
    then moves the centres to the weighted means. Hamerly's bounds (distance to the own
    centre from above, to every other centre from below) skip the points whose nearest
    centre cannot have changed; the result is the same as recomputing every distance.
    """
    n_features = data.shape[1]
    centres = np.array(initial, dtype=np.float64)
    labels, upper, lower = _two_nearest(data, centres)
    for iteration in range(max_iter):
        n_centres = centres.shape[0]
        mass = np.bincount(labels, weights=weights, minlength=n_centres)
        sums = np.stack(
            [
                np.bincount(labels, weights=weights * data[:, f], minlength=n_centres)
                for f in range(n_features)
            ],
            axis=1,
        )
        kept = mass > 0
        new_centres = sums[kept] / mass[kept, np.newaxis]
        moved = np.sqrt(np.sum((new_centres - centres[kept]) ** 2, axis=1))
        if not kept.all():
            # Dropping centres only pushes the other centres away: the bounds stay valid.
            labels = (np.cumsum(kept) - 1)[labels]
        centres = new_centres
        if (kept.all() and np.all(moved < _POLIS_CENTRE_TOLERANCE)) or (iteration == max_iter - 1):
            break
        labels, upper, lower = _reassign(data, centres, labels, upper, lower, moved)
    return labels, centres


def _reassign(
    data: Points,
    centres: Points,
    labels: Labels,
    upper: NDArray[np.float64],
    lower: NDArray[np.float64],
    moved: NDArray[np.float64],
) -> tuple[Labels, NDArray[np.float64], NDArray[np.float64]]:
    """Assign points to their nearest centre after the centres moved, using the bounds."""
    upper = upper + moved[labels]
    if moved.size > 1:
        # A point's other centres moved at most the largest shift among them.
        largest = int(np.argmax(moved))
        other_largest = np.full(moved.size, moved[largest])
        other_largest[largest] = np.max(np.delete(moved, largest))
        lower = lower - other_largest[labels]
    # Hamerly's second test: a point within half the distance from its centre to the
    # nearest other centre keeps its centre.
    half_gap = 0.5 * _nearest_other_distance(centres)
    unsure = np.flatnonzero(upper * _BOUND_MARGIN >= np.maximum(lower, half_gap[labels]))
    if unsure.size:
        own = data[unsure] - centres[labels[unsure]]
        upper[unsure] = np.sqrt(np.einsum("ij,ij->i", own, own))
        bound = np.maximum(lower[unsure], half_gap[labels[unsure]])
        unsure = unsure[upper[unsure] * _BOUND_MARGIN >= bound]
    if unsure.size:
        best, nearest, runner_up = _two_nearest(data[unsure], centres)
        labels = labels.copy()
        labels[unsure] = best
        upper[unsure] = nearest
        lower[unsure] = runner_up
    return labels, upper, lower


def _nearest_other_distance(centres: Points) -> NDArray[np.float64]:
    """Return, for each centre, the distance to the nearest other centre (inf when alone)."""
    n_centres = centres.shape[0]
    if n_centres < 2:
        return np.full(n_centres, np.inf)
    squared = np.zeros((n_centres, n_centres))
    for feature in range(centres.shape[1]):
        difference = np.subtract.outer(centres[:, feature], centres[:, feature])
        squared += difference * difference
    np.fill_diagonal(squared, np.inf)
    return np.asarray(np.sqrt(squared.min(axis=1)), dtype=np.float64)


def _two_nearest(
    data: Points, centres: Points
) -> tuple[Labels, NDArray[np.float64], NDArray[np.float64]]:
    """Return each point's nearest centre and its distances to the two nearest centres."""
    n_points, n_centres = data.shape[0], centres.shape[0]
    labels = np.empty(n_points, dtype=np.intp)
    nearest = np.empty(n_points)
    runner_up = np.empty(n_points)
    step = max(1, _ASSIGN_CHUNK_ELEMENTS // max(1, n_centres))
    for start in range(0, n_points, step):
        chunk = data[start : start + step]
        squared = np.subtract.outer(chunk[:, 0], centres[:, 0])
        np.square(squared, out=squared)
        for feature in range(1, data.shape[1]):
            difference = np.subtract.outer(chunk[:, feature], centres[:, feature])
            np.square(difference, out=difference)
            squared += difference
        rows = np.arange(chunk.shape[0])
        best = np.argmin(squared, axis=1)
        labels[start : start + step] = best
        nearest[start : start + step] = np.sqrt(squared[rows, best])
        squared[rows, best] = np.inf
        runner_up[start : start + step] = np.sqrt(squared.min(axis=1))
    return labels, nearest, runner_up


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
