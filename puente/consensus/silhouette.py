"""Silhouette scores: exact, and a certified choice of the best labelling without all pairs.

The exact silhouette compares every pair of points, which dominates the clustering time from
a few thousand participants on. Choosing the number of groups needs only to know which
labelling scores best, so :func:`best_silhouette` first bounds every score from projections
on a few directions and computes exact scores only when the bounds cannot separate the best
labelling from the others. The choice is always the one the exact scores make.

The bounds come from Cauchy's formula in the plane: for any vector ``v``,
``|v| = 1/2 * integral over [0, pi) of |v . u(theta)|``. On a direction, the summed distances
from every point to every cluster follow from one sort and prefix sums. With ``M`` equally
spaced directions, ``sum_j |v . u_j|`` lies between ``|v| cot(pi / 2M)`` and
``|v| / sin(pi / 2M)`` whatever the direction of ``v``; so every summed distance, and through
them every silhouette, is known within a relative ``1 / cos(pi / 2M) - 1`` (2 % for 8
directions, 0.12 % for 32), and the estimate ``pi / 2M * sum_j`` is usually far closer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "SilhouetteChoice",
    "best_silhouette",
    "distinct_rows",
    "silhouette",
    "silhouette_scores",
]

Points = NDArray[np.float64]
"""Points, one row each."""

# Elements per block of the pairwise distance matrix in the exact silhouette (a few MB).
_BLOCK = 512
# Directions tried, in order, before the exact scores; each set contains the previous one.
_DIRECTION_COUNTS = (4, 8, 32)
# Cost of the exact scores per pair of points, and of the bounds per point, cluster and
# direction (measured on one core; only their ratio matters).
_PAIR_COST = 1.0
_PROJECTION_COST = 3.0
# Relative slack on the bounds, far above the rounding error of the prefix sums.
_ROUNDING_SLACK = 1e-9


@dataclass(frozen=True)
class SilhouetteChoice:
    """The labelling with the best silhouette score, and every score as computed.

    Attributes
    ----------
    best
        Index of the best labelling (ties to the lowest index); -1 when no score is defined.
    scores
        Silhouette score of each labelling: exact where ``exact`` is True, else the estimate
        from projections, within ``low`` and ``high``; nan where undefined.
    low, high
        Certified bounds of each score (equal to it where exact).
    exact
        Per labelling: True where the score was computed from every pair.
    n_directions
        Directions used for the bounds (0 when every score was computed exactly).
    """

    best: int
    scores: NDArray[np.float64]
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    exact: NDArray[np.bool_]
    n_directions: int


def silhouette(points: Points, labels: NDArray[np.integer]) -> float:
    """Return the mean silhouette coefficient of a labelling (Euclidean), or nan if undefined.

    Equals ``sklearn.metrics.silhouette_score``; undefined (nan) unless the number of
    distinct labels is between 2 and the number of points minus 1.
    """
    return float(silhouette_scores(points, [np.asarray(labels)])[0])


def silhouette_scores(points: Points, labelings: list[NDArray[np.integer]]) -> NDArray[np.float64]:
    """Return the exact silhouette score of each labelling, computing the distances once.

    Rows are sorted by the tuple of their labels, so that every combination of labels is a
    contiguous run, and identical (labels, point) rows are merged with a multiplicity. The
    distance matrix is formed block by block and summed over each run, giving every point's
    summed distance to every cluster of every labelling.
    """
    data = _as_points(points)
    n_points = data.shape[0]
    scores = np.full(len(labelings), np.nan)
    usable, codes = _usable_codes(labelings, n_points)
    if not usable:
        return scores
    n_labelings = len(codes)
    keyed = np.column_stack([*[code.astype(np.float64) for code in codes], data])
    rows_sorted, _, weight = distinct_rows(keyed)
    label_rows = rows_sorted[:, :n_labelings].astype(np.intp)
    unique_points = rows_sorted[:, n_labelings:]
    n_unique = unique_points.shape[0]
    is_start = np.ones(n_unique, dtype=bool)
    is_start[1:] = np.any(label_rows[1:] != label_rows[:-1], axis=1)
    run_start = np.flatnonzero(is_start)
    run_sums = _distance_sums_by_run(unique_points, weight, run_start)
    for j in range(n_labelings):
        code = label_rows[:, j]
        sums = np.zeros((int(code.max()) + 1, n_unique))
        for run, start in enumerate(run_start):
            sums[code[start]] += run_sums[:, run]
        values = _point_silhouettes(sums, code, weight)
        scores[usable[j]] = float(np.dot(weight, values) / n_points)
    return scores


Distinct = tuple[Points, NDArray[np.intp], NDArray[np.float64]]
"""What ``distinct_rows`` returns: distinct rows, each point's row, and multiplicities."""


def best_silhouette(
    points: Points, labelings: list[NDArray[np.integer]], *, distinct: Distinct | None = None
) -> SilhouetteChoice:
    """Return the labelling with the best exact silhouette score, bounding before computing.

    Scores are bounded from 4, 8, then 32 projection directions (see the module docstring);
    as soon as the lower bound of the best estimate is above the upper bound of every other
    labelling (at or above, for later labellings, which lose ties), the choice is certain.
    Otherwise the labellings still in contention are scored exactly. Ties go to the lowest
    index, as with exact scores; when no score is defined, ``best`` is -1. ``distinct`` is
    ``distinct_rows(points)`` when the caller has it already.
    """
    data = _as_points(points)
    n_points = data.shape[0]
    n_labelings = len(labelings)
    scores = np.full(n_labelings, np.nan)
    low, high = scores.copy(), scores.copy()
    exact = np.zeros(n_labelings, dtype=bool)
    usable, codes = _usable_codes(labelings, n_points)
    n_directions = 0
    if usable and data.shape[1] == 2:
        rows = distinct if distinct is not None else distinct_rows(data)
        n_directions = _bound_by_directions(data, rows, codes, usable, scores, low, high)
    contending = _contending(scores, low, high, usable)
    if contending:
        exact_scores = silhouette_scores(data, [labelings[j] for j in contending])
        for j, value in zip(contending, exact_scores, strict=True):
            scores[j] = low[j] = high[j] = value
            exact[j] = True
    finite = np.isfinite(scores)
    best = int(np.nanargmax(scores)) if finite.any() else -1
    return SilhouetteChoice(
        best=best,
        scores=scores,
        low=low,
        high=high,
        exact=exact,
        n_directions=0 if exact[usable].all() else n_directions,
    )


def _bound_by_directions(
    data: Points,
    distinct: Distinct,
    codes: list[NDArray[np.intp]],
    usable: list[int],
    scores: NDArray[np.float64],
    low: NDArray[np.float64],
    high: NDArray[np.float64],
) -> int:
    """Fill the estimates and bounds of the usable labellings; return the directions used.

    More directions are added until the bounds decide; 0 when bounding is not worth it
    (few distinct points) or not possible (copies of a point in different clusters).
    """
    unique_points, inverse, weight = distinct
    n_distinct = unique_points.shape[0]
    if _exact_is_cheaper(n_distinct, sum(int(code.max()) + 1 for code in codes), 0):
        return 0
    distinct_codes = [_code_of_distinct(code, inverse, n_distinct) for code in codes]
    unique_codes = [code for code in distinct_codes if code is not None]
    if len(unique_codes) < len(codes):
        return 0
    membership, offsets = _membership(unique_codes, weight)
    totals = np.zeros_like(membership)
    done = 0
    for count in _DIRECTION_COUNTS:
        if done and _exact_is_cheaper(n_distinct, membership.shape[0], count - done):
            break
        angles = np.arange(count) * (np.pi / count)
        # The directions already summed are every (count / done)-th of these.
        new = angles if done == 0 else np.delete(angles, np.arange(0, count, count // done))
        totals += _projected_distance_sums(unique_points, membership, new)
        done = count
        estimate, lower, upper = _bounded_scores(
            totals, count, unique_codes, offsets, weight, data.shape[0]
        )
        scores[usable], low[usable], high[usable] = estimate, lower, upper
        if _certain_best(scores, low, high) is not None:
            break
    return done


def _exact_is_cheaper(n_points: int, n_clusters: int, n_new_directions: int) -> bool:
    """Return whether exact scores cost less than adding directions (the first four if 0)."""
    directions = n_new_directions or _DIRECTION_COUNTS[0]
    return n_points * n_points / 2 * _PAIR_COST < (
        directions * n_points * n_clusters * _PROJECTION_COST
    )


def _usable_codes(
    labelings: list[NDArray[np.integer]], n_points: int
) -> tuple[list[int], list[NDArray[np.intp]]]:
    """Return the labellings with a defined silhouette and their labels coded 0..k-1."""
    usable: list[int] = []
    codes: list[NDArray[np.intp]] = []
    for index, labels in enumerate(labelings):
        classes, code = np.unique(np.asarray(labels).reshape(-1), return_inverse=True)
        if 2 <= classes.size <= n_points - 1:
            usable.append(index)
            codes.append(code.astype(np.intp))
    return usable, codes


def distinct_rows(data: Points) -> tuple[Points, NDArray[np.intp], NDArray[np.float64]]:
    """Return the distinct rows in lexicographic order, each row's index among them, and counts.

    Equals ``np.unique(data, axis=0, return_inverse=True, return_counts=True)`` for float
    points without the cost of sorting rows as records.
    """
    order = np.lexsort(data.T[::-1]) if data.shape[1] else np.arange(data.shape[0])
    ordered = data[order]
    is_new = np.ones(order.size, dtype=bool)
    is_new[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    row_of_sorted = np.cumsum(is_new) - 1
    inverse = np.empty(order.size, dtype=np.intp)
    inverse[order] = row_of_sorted
    counts = np.bincount(row_of_sorted, minlength=int(np.count_nonzero(is_new)))
    return ordered[is_new], inverse, counts.astype(np.float64)


def _code_of_distinct(
    code: NDArray[np.intp], inverse: NDArray[np.intp], n_distinct: int
) -> NDArray[np.intp] | None:
    """Return the label of each distinct point, or None when copies of a point differ."""
    distinct_code = np.empty(n_distinct, dtype=np.intp)
    distinct_code[inverse] = code
    return distinct_code if np.array_equal(distinct_code[inverse], code) else None


def _membership(
    codes: list[NDArray[np.intp]], weight: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Return the weighted membership of every point (columns) in every cluster (rows).

    Clusters of all labellings are stacked: those of labelling ``j`` are the rows
    ``offsets[j]`` to ``offsets[j + 1]``.
    """
    sizes = [int(code.max()) + 1 for code in codes]
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp)
    membership = np.zeros((int(offsets[-1]), weight.size))
    columns = np.arange(weight.size)
    for code, offset in zip(codes, offsets, strict=False):
        membership[offset + code, columns] = weight
    return membership, offsets


def _projected_distance_sums(
    points: Points, membership: NDArray[np.float64], angles: NDArray[np.floating]
) -> NDArray[np.float64]:
    """Return, per cluster (rows) and point, the summed |projected distances| over directions.

    On one direction ``u``, with the points sorted by their projection ``x``, the summed
    distance from a point to a cluster is ``2 (x n_below - s_below) + (s - x n)``, where
    ``n_below`` and ``s_below`` count and sum the cluster's projections up to that point
    (ties add 0 whichever side they fall on) and ``n``, ``s`` are the cluster's count and
    sum. The second term is linear in the point, so its total over all directions is
    ``(m - n p) . sum(u)`` with ``m`` the cluster's weighted sum of points: only the first
    term is accumulated direction by direction.
    """
    totals = np.zeros_like(membership)
    positions = np.arange(points.shape[0])
    directions = np.column_stack([np.cos(angles), np.sin(angles)])
    for direction in directions:
        projected = points @ direction
        order = np.argsort(projected)
        x = projected[order]
        weights = membership[:, order]
        below = np.cumsum(weights, axis=1)
        below *= x
        weights *= x
        below -= np.cumsum(weights, axis=1)
        rank = np.empty_like(order)
        rank[order] = positions
        totals += below[:, rank]
    totals *= 2.0
    direction_sum = directions.sum(axis=0)
    cluster_count = membership.sum(axis=1)
    cluster_sum = membership @ points
    totals += (cluster_sum @ direction_sum)[:, np.newaxis]
    totals -= np.multiply.outer(cluster_count, points @ direction_sum)
    return totals


def _bounded_scores(
    totals: NDArray[np.float64],
    n_directions: int,
    codes: list[NDArray[np.intp]],
    offsets: NDArray[np.intp],
    weight: NDArray[np.float64],
    n_points: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Return each labelling's estimated score and its certified lower and upper bounds.

    Every summed distance lies within ``[sin, tan](pi / 2M)`` times its projected total,
    so the within-cluster and nearest-cluster means of a point scale by the same factors:
    the estimate needs no scale at all, and the bounds pair the opposite ends (a silhouette
    grows with the distance to the other clusters and shrinks with the distance within).
    """
    half_step = np.pi / (2 * n_directions)
    ratio = (1.0 + _ROUNDING_SLACK) / ((1.0 - _ROUNDING_SLACK) * np.cos(half_step))
    estimate: list[float] = []
    low: list[float] = []
    high: list[float] = []
    for j, code in enumerate(codes):
        intra, inter, alone = _intra_inter(totals[offsets[j] : offsets[j + 1]], code, weight)
        with np.errstate(divide="ignore", invalid="ignore"):
            middle = (inter - intra) / np.maximum(intra, inter)
            lowest = (inter - ratio * intra) / np.maximum(ratio * intra, inter)
            highest = (ratio * inter - intra) / np.maximum(intra, ratio * inter)
        for values, out in ((middle, estimate), (lowest, low), (highest, high)):
            values = np.nan_to_num(values)
            values[alone] = 0.0
            out.append(float(np.dot(weight, values) / n_points))
    return np.array(estimate), np.array(low), np.array(high)


def _intra_inter(
    sums: NDArray[np.float64], code: NDArray[np.intp], weight: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Return each point's mean distance within its cluster and to the nearest other cluster.

    ``sums`` holds the summed distance from every point (columns) to every cluster (rows).
    The third array marks the points alone in their cluster, whose silhouette is 0 (as in
    scikit-learn); their within-cluster mean is nan.
    """
    columns = np.arange(code.size)
    cluster_size = np.bincount(code, weights=weight, minlength=sums.shape[0])
    own_size = cluster_size[code]
    with np.errstate(divide="ignore", invalid="ignore"):
        intra = sums[code, columns] / (own_size - 1)
    inter = np.full(code.size, np.inf)
    for cluster in range(sums.shape[0]):
        mean_to = sums[cluster] / cluster_size[cluster]
        mean_to[code == cluster] = np.inf
        np.minimum(inter, mean_to, out=inter)
    return intra, inter, own_size <= 1


def _point_silhouettes(
    sums: NDArray[np.float64], code: NDArray[np.intp], weight: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Return each point's exact silhouette from its summed distance to every cluster (rows)."""
    intra, inter, alone = _intra_inter(sums, code, weight)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.nan_to_num((inter - intra) / np.maximum(intra, inter))
    values[alone] = 0.0
    return values


def _certain_best(
    scores: NDArray[np.float64], low: NDArray[np.float64], high: NDArray[np.float64]
) -> int | None:
    """Return the best labelling if the bounds prove it, else None."""
    if not np.isfinite(scores).any():
        return None
    best = int(np.nanargmax(scores))
    for j in np.flatnonzero(np.isfinite(scores)):
        if j < best and not low[best] > high[j]:
            return None
        if j > best and not low[best] >= high[j]:
            return None
    return best


def _contending(
    scores: NDArray[np.float64],
    low: NDArray[np.float64],
    high: NDArray[np.float64],
    usable: list[int],
) -> list[int]:
    """Return the usable labellings whose exact score is still needed to choose the best."""
    if not usable:
        return []
    if not np.isfinite(scores[usable]).all():
        return list(usable)
    if _certain_best(scores, low, high) is not None:
        return []
    best = int(np.nanargmax(scores))
    return [j for j in usable if j == best or high[j] >= low[best]]


def _distance_sums_by_run(
    points: Points, weight: NDArray[np.float64], run_start: NDArray[np.intp]
) -> NDArray[np.float64]:
    """Return, per point and run of rows, the weighted sum of distances to the run's points."""
    n_points, n_features = points.shape
    run_stop = np.append(run_start[1:], n_points)
    columns = [np.ascontiguousarray(points[:, f]) for f in range(n_features)]
    is_unit = bool(np.all(weight == 1.0))
    block = _BLOCK
    total = np.zeros((n_points, run_start.size))
    buffer = np.empty((block, block))
    scratch = np.empty((block, block))

    def runs_within(low: int, high: int) -> list[tuple[int, int, int]]:
        first = int(np.searchsorted(run_stop, low, side="right"))
        last = int(np.searchsorted(run_start, high, side="left"))
        return [
            (run, max(int(run_start[run]), low) - low, min(int(run_stop[run]), high) - low)
            for run in range(first, last)
        ]

    for i in range(0, n_points, block):
        i_stop = min(n_points, i + block)
        for j in range(i, n_points, block):
            j_stop = min(n_points, j + block)
            distances = buffer[: i_stop - i, : j_stop - j]
            squares = scratch[: i_stop - i, : j_stop - j]
            np.subtract(columns[0][i:i_stop, np.newaxis], columns[0][j:j_stop], out=distances)
            np.square(distances, out=distances)
            for feature in range(1, n_features):
                column = columns[feature]
                np.subtract(column[i:i_stop, np.newaxis], column[j:j_stop], out=squares)
                np.square(squares, out=squares)
                distances += squares
            np.sqrt(distances, out=distances)
            by_column = distances if is_unit else distances * weight[j:j_stop]
            for run, low, high in runs_within(j, j_stop):
                total[i:i_stop, run] += np.einsum("ij->i", by_column[:, low:high])
            if j != i:
                by_row = distances if is_unit else distances * weight[i:i_stop, np.newaxis]
                for run, low, high in runs_within(i, i_stop):
                    total[j:j_stop, run] += by_row[low:high].sum(axis=0)
    return total


def _as_points(points: Points) -> Points:
    """Return the points as a float64 matrix, one row each (a vector is one feature)."""
    data = np.asarray(points, dtype=np.float64)
    return data[:, np.newaxis] if data.ndim == 1 else data
