"""Lloyd k-means as scikit-learn computes it, from red-dwarf's start: the ``direct`` clustering.

``lloyd_runs`` reproduces scikit-learn's Lloyd k-means (unit weights, empty clusters
relocated to the farthest points) from given starts, several starts side by side;
``kmeans_polis`` runs it from red-dwarf's "polis" start, the first distinct points in
lexicographic order. The Polis math service's weighted k-means is in ``weighted_kmeans``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .silhouette import distinct_rows
from .types import Labels

__all__ = [
    "ASSIGN_CHUNK_ELEMENTS",
    "Points",
    "as_points",
    "kmeans_polis",
    "lloyd_runs",
]

Points = NDArray[np.float64]
"""Points to cluster, one row each (participants projected to 2-D)."""

ASSIGN_CHUNK_ELEMENTS = 1 << 18
"""Elements per chunk of the point-to-centre distance matrix in k-means."""


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
    data = as_points(points)
    if data.shape[0] == 0:
        return np.zeros(0, dtype=np.intp), np.zeros((0, data.shape[1]))
    initial = distinct_rows(data)[0][:n_clusters]
    return lloyd_runs(data, [initial], max_iter=max_iter, tol=tol)[0]


def lloyd_runs(
    data: Points, initials: list[Points], *, max_iter: int, tol: float
) -> list[tuple[Labels, Points]]:
    """Run scikit-learn's Lloyd iterations from each set of initial centres, side by side.

    Each run is the iteration scikit-learn performs from its start: every step assigns the
    points to the nearest centre, then moves the centres to the means; a run stops when no
    label changes or when the total squared centre shift is at most ``tol`` times the mean
    feature variance. The runs advance together: their centres are stacked as one array of
    slots, centre ``j`` of every run with more than ``j`` centres side by side, so several
    numbers of groups cost about as many numpy calls as the run that needs the most steps.
    """
    n_points, n_features = data.shape
    n_runs = len(initials)
    tolerance = float(np.mean(np.var(data, axis=0)) * tol) if tol else 0.0
    # scikit-learn centres the data first for accurate distances.
    data_mean = data.mean(axis=0)
    centred = data - data_mean
    columns = [np.ascontiguousarray(centred[:, f]) for f in range(n_features)]
    repeated = [np.tile(column, n_runs) for column in columns]
    sizes = np.array([initial.shape[0] for initial in initials], dtype=np.intp)
    width = int(sizes.max(initial=0))
    centres = np.zeros((n_runs, width, n_features))
    for index, initial in enumerate(initials):
        centres[index, : sizes[index]] = np.asarray(initial, dtype=np.float64) - data_mean
    labels_old = np.full((n_runs, n_points), -1, dtype=np.intp)
    final_labels = np.zeros((n_runs, n_points), dtype=np.intp)
    # Runs with more centres first, so that the runs having a centre j are a prefix.
    active = np.argsort(-sizes, kind="stable")
    slots = _Slots(sizes[active])
    for iteration in range(max_iter):
        n_active = active.size
        old_centres = centres[active[slots.run], slots.centre]
        labels = _nearest_in_slots(columns, old_centres, slots)
        slot_of = slots.first[labels] + np.arange(n_active)[:, np.newaxis]
        flat = slot_of.ravel()
        counts = np.bincount(flat, minlength=slots.n_slots).astype(np.float64)
        sums = np.empty((slots.n_slots, n_features))
        for feature in range(n_features):
            sums[:, feature] = np.bincount(
                flat, weights=repeated[feature][: n_active * n_points], minlength=slots.n_slots
            )
        if counts.min() > 0:
            new_centres = sums * (1.0 / counts)[:, np.newaxis]
        else:
            new_centres = np.empty_like(sums)
            for row in range(n_active):
                own = slots.of_run(row)
                new_centres[own] = _centre_update(
                    centred, old_centres[own], labels[row], counts[own], sums[own]
                )
        shift = np.sqrt(np.sum((new_centres - old_centres) ** 2, axis=1))
        centres[active[slots.run], slots.centre] = new_centres
        unchanged = np.all(labels == labels_old[active], axis=1)
        settled = np.bincount(slots.run, weights=shift**2, minlength=n_active) <= tolerance
        continuing = []
        for row, run in enumerate(active):
            if unchanged[row]:
                final_labels[run] = labels[row]
            elif settled[row] or iteration == max_iter - 1:
                final_labels[run] = _nearest_of_run(columns, centres[run, : sizes[run]])
            else:
                labels_old[run] = labels[row]
                continuing.append(run)
        if len(continuing) < n_active:
            active = np.array(continuing, dtype=np.intp)
            if not active.size:
                break
            slots = _Slots(sizes[active])
    if max_iter <= 0:
        for run in range(n_runs):
            final_labels[run] = _nearest_of_run(columns, centres[run, : sizes[run]])
    return [(final_labels[run], centres[run, : sizes[run]] + data_mean) for run in range(n_runs)]


class _Slots:
    """Centres of several runs stacked as slots: centre ``j`` of the runs having it, in a row.

    ``sizes`` (centres per run) must not increase, so that the runs with more than ``j``
    centres are the first ``n_having[j]``; slot ``first[j] + r`` is centre ``j`` of run ``r``.
    """

    def __init__(self, sizes: NDArray[np.intp]) -> None:
        width = int(sizes[0]) if sizes.size else 0
        self.n_having = np.count_nonzero(sizes[:, np.newaxis] > np.arange(width), axis=0)
        self.first = np.concatenate([[0], np.cumsum(self.n_having)[:-1]]).astype(np.intp)
        self.n_slots = int(self.n_having.sum())
        self.centre = np.repeat(np.arange(width, dtype=np.intp), self.n_having)
        self.run = np.arange(self.n_slots, dtype=np.intp) - self.first[self.centre]

    def of_run(self, run: int) -> NDArray[np.intp]:
        """Return the slots of one run, by centre index."""
        return self.first[: int(np.count_nonzero(self.n_having > run))] + run


def _nearest_in_slots(
    columns: list[NDArray[np.float64]], centres: NDArray[np.float64], slots: _Slots
) -> NDArray[np.intp]:
    """Return, per run (row), the index of each point's nearest centre among the run's own.

    ``centres`` holds one row per slot. Distances are compared as scikit-learn does,
    ``||c||^2 - 2 x.c``, products formed feature by feature (BLAS threads cost more than
    they save on these thin matrices); ties go to the lowest index, as ``argmin``: a later
    centre wins only when strictly nearer.
    """
    n_runs = int(slots.n_having[0])
    n_points = columns[0].size
    norms = np.einsum("sf,sf->s", centres, centres)
    # Scaling by -2 before the product is exact, so the values equal -2 (x.c) + ||c||^2.
    scaled = -2.0 * centres
    step = max(1, ASSIGN_CHUNK_ELEMENTS // max(1, slots.n_slots))
    label_type: type[np.signedinteger[Any]] = (
        np.int8 if slots.n_having.size <= np.iinfo(np.int8).max else np.int32
    )
    chunks: list[NDArray[np.intp]] = []
    for start in range(0, n_points, step):
        stop = min(n_points, start + step)
        distances = np.multiply.outer(scaled[:, 0], columns[0][start:stop])
        for feature in range(1, len(columns)):
            distances += np.multiply.outer(scaled[:, feature], columns[feature][start:stop])
        distances += norms[:, np.newaxis]
        nearest = distances[:n_runs]
        # Centres are visited in increasing index, so "take c where strictly nearer" is
        # max(label, c * nearer): arithmetic on small integers, faster than a masked write.
        chosen = np.zeros((n_runs, stop - start), dtype=label_type)
        nearer = np.empty(chosen.shape, dtype=np.bool_)
        taken = np.empty_like(chosen)
        for centre in range(1, slots.n_having.size):
            n_having = int(slots.n_having[centre])
            first = int(slots.first[centre])
            candidate = distances[first : first + n_having]
            np.less(candidate, nearest[:n_having], out=nearer[:n_having])
            np.multiply(nearer[:n_having], label_type(centre), out=taken[:n_having])
            np.maximum(chosen[:n_having], taken[:n_having], out=chosen[:n_having])
            np.minimum(nearest[:n_having], candidate, out=nearest[:n_having])
        chunks.append(chosen.astype(np.intp))
    if len(chunks) == 1:
        return chunks[0]
    return np.concatenate(chunks, axis=1) if chunks else np.zeros((n_runs, 0), dtype=np.intp)


def _nearest_of_run(columns: list[NDArray[np.float64]], centres: Points) -> Labels:
    """Return the index of each point's nearest centre, for the centres of one run."""
    labels: Labels = _nearest_in_slots(columns, centres, _Slots(np.array([centres.shape[0]])))[0]
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


def as_points(points: Points) -> Points:
    """Return the points as a float64 matrix, one row each (a vector is one feature)."""
    data = np.asarray(points, dtype=np.float64)
    return data[:, np.newaxis] if data.ndim == 1 else data
