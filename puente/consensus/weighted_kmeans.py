"""Weighted k-means as the Polis math service computes it: the ``base-clusters`` clustering.

``polis_kmeans`` is the Polis math service's weighted k-means (empty clusters dropped, stop
when no centre moves by 0.01), with Hamerly's bounds to skip most distance computations,
and ``polis_kmeans_runs`` runs many small ones side by side. The same method's starts
(``first_distinct``, ``kmeans_plus_plus``), its assignment of every point to the nearest
centre (``means_of_nearest``) and its ``weighted_inertia`` are here too.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .kmeans import ASSIGN_CHUNK_ELEMENTS, Points
from .types import Labels

__all__ = [
    "first_distinct",
    "kmeans_plus_plus",
    "means_of_nearest",
    "polis_kmeans",
    "polis_kmeans_runs",
    "weighted_inertia",
]

_POLIS_CENTRE_TOLERANCE = 0.01
# Relative slack on distance bounds, far above the rounding error of the distances.
_BOUND_MARGIN = 1.0 + 1e-9


def polis_kmeans(
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


def polis_kmeans_runs(
    data: Points, weights: NDArray[np.float64], initials: list[Points], *, max_iter: int
) -> list[tuple[Labels, Points]]:
    """Run Polis's weighted k-means (see ``polis_kmeans``) from each start, side by side.

    Every run is exactly what ``polis_kmeans`` computes from its start without the bounds
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
    step = max(1, ASSIGN_CHUNK_ELEMENTS // max(1, n_centres))
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


def weighted_inertia(
    data: Points, weights: NDArray[np.float64], labels: Labels, centres: Points
) -> float:
    """Return the weighted sum of squared distances of points to their centres."""
    return float(weights @ np.sum((data - centres[labels]) ** 2, axis=1))


def kmeans_plus_plus(
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


def first_distinct(data: Points, n_wanted: int) -> Points:
    """Return the first ``n_wanted`` distinct rows of data, in input order."""
    n_points = data.shape[0]
    n_scanned = min(n_points, 2 * n_wanted)
    while True:
        # Usually the first rows already hold enough distinct points: avoid sorting them all.
        _, first_index = np.unique(data[:n_scanned], axis=0, return_index=True)
        if first_index.size >= n_wanted or n_scanned == n_points:
            return data[np.sort(first_index)[:n_wanted]]
        n_scanned = min(n_points, 4 * n_scanned)


def means_of_nearest(data: Points, centres: Points) -> tuple[Labels, Points]:
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
