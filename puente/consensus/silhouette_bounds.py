"""Bounds on silhouette scores from projections on a few directions, without all pairs.

The bounds come from Cauchy's formula in the plane: for any vector ``v``,
``|v| = 1/2 * integral over [0, pi) of |v . u(theta)|``. On a direction, the summed distances
from every point to every cluster follow from one sort and prefix sums. With ``M`` equally
spaced directions, ``sum_j |v . u_j|`` lies between ``|v| cot(pi / 2M)`` and
``|v| / sin(pi / 2M)`` whatever the direction of ``v``; so every summed distance, and through
them every silhouette, is known within a relative ``1 / cos(pi / 2M) - 1`` (2 % for 8
directions, 0.12 % for 32), and the estimate ``pi / 2M * sum_j`` is usually far closer.

``bound_by_directions`` adds directions until ``certain_best`` proves which labelling is best,
or until exact scores would cost less; ``intra_inter`` serves the exact scores of
``silhouette`` too.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Distinct",
    "Points",
    "bound_by_directions",
    "certain_best",
    "intra_inter",
]

Points = NDArray[np.float64]
"""Points, one row each."""

Distinct = tuple[Points, NDArray[np.intp], NDArray[np.float64]]
"""What ``silhouette.distinct_rows`` returns: distinct rows, each point's row, multiplicities."""

# Directions tried, in order, before the exact scores; each set contains the previous one.
_DIRECTION_COUNTS = (4, 8, 32)
# Cost of the exact scores per pair of points, and of the bounds per point, cluster and
# direction (measured on one core; only their ratio matters).
_PAIR_COST = 1.0
_PROJECTION_COST = 3.0
# Relative slack on the bounds, far above the rounding error of the prefix sums.
_ROUNDING_SLACK = 1e-9


def bound_by_directions(
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
        if certain_best(scores, low, high) is not None:
            break
    return done


def _exact_is_cheaper(n_points: int, n_clusters: int, n_new_directions: int) -> bool:
    """Return whether exact scores cost less than adding directions (the first four if 0)."""
    directions = n_new_directions or _DIRECTION_COUNTS[0]
    return n_points * n_points / 2 * _PAIR_COST < (
        directions * n_points * n_clusters * _PROJECTION_COST
    )


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
        intra, inter, alone = intra_inter(totals[offsets[j] : offsets[j + 1]], code, weight)
        with np.errstate(divide="ignore", invalid="ignore"):
            middle = (inter - intra) / np.maximum(intra, inter)
            lowest = (inter - ratio * intra) / np.maximum(ratio * intra, inter)
            highest = (ratio * inter - intra) / np.maximum(intra, ratio * inter)
        for values, out in ((middle, estimate), (lowest, low), (highest, high)):
            values = np.nan_to_num(values)
            values[alone] = 0.0
            out.append(float(np.dot(weight, values) / n_points))
    return np.array(estimate), np.array(low), np.array(high)


def intra_inter(
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


def certain_best(
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
