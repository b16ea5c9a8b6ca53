"""Silhouette scores: exact, and a certified choice of the best labelling without all pairs.

The exact silhouette compares every pair of points, which dominates the clustering time from
a few thousand participants on. Choosing the number of groups needs only to know which
labelling scores best, so :func:`best_silhouette` first bounds every score from projections
on a few directions and computes exact scores only when the bounds cannot separate the best
labelling from the others. The choice is always the one the exact scores make.

The bounds and why they hold (Cauchy's formula) are in ``silhouette_bounds``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .silhouette_bounds import Distinct, Points, bound_by_directions, certain_best, intra_inter

__all__ = [
    "SilhouetteChoice",
    "best_silhouette",
    "distinct_rows",
    "silhouette",
    "silhouette_scores",
]

# Elements per block of the pairwise distance matrix in the exact silhouette (a few MB).
_BLOCK = 512


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


def best_silhouette(
    points: Points, labelings: list[NDArray[np.integer]], *, distinct: Distinct | None = None
) -> SilhouetteChoice:
    """Return the labelling with the best exact silhouette score, bounding before computing.

    Scores are bounded from 4, 8, then 32 projection directions (see ``silhouette_bounds``);
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
        n_directions = bound_by_directions(data, rows, codes, usable, scores, low, high)
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


def _point_silhouettes(
    sums: NDArray[np.float64], code: NDArray[np.intp], weight: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Return each point's exact silhouette from its summed distance to every cluster (rows)."""
    intra, inter, alone = intra_inter(sums, code, weight)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.nan_to_num((inter - intra) / np.maximum(intra, inter))
    values[alone] = 0.0
    return values


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
    if certain_best(scores, low, high) is not None:
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
