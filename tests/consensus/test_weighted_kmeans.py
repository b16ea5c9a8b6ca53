"""Polis's weighted k-means: the distance bounds give what recomputing every distance gives."""

import numpy as np
import pytest

from puente.consensus.weighted_kmeans import polis_kmeans, polis_kmeans_runs


def _naive_polis_kmeans(points, weights, start, max_iter):
    """Recompute every distance at every step (the behaviour the bounds must reproduce)."""
    centres = start.copy()
    labels = np.zeros(len(points), dtype=int)
    for _ in range(max_iter):
        distances = np.linalg.norm(points[:, None, :] - centres[None, :, :], axis=2)
        labels = np.argmin(distances, axis=1)
        mass = np.bincount(labels, weights=weights, minlength=len(centres))
        kept = mass > 0
        sums = np.stack(
            [
                np.bincount(labels, weights=weights * points[:, f], minlength=len(centres))
                for f in (0, 1)
            ],
            axis=1,
        )
        new = sums[kept] / mass[kept, None]
        moved = np.linalg.norm(new - centres[kept], axis=1)
        labels = (np.cumsum(kept) - 1)[labels]
        converged = kept.all() and np.all(moved < 0.01)
        centres = new
        if converged:
            break
    return labels, centres


@pytest.mark.parametrize(("n_points", "n_centres", "seed"), [(3000, 100, 0), (500, 40, 1)])
def test_polis_kmeans_with_bounds_equals_recomputing_every_distance(n_points, n_centres, seed):
    rng = np.random.default_rng(seed)
    points = np.concatenate(
        [rng.normal(centre, 0.7, (n_points // 3, 2)) for centre in ((0, 0), (4, 1), (1, 5))]
    )
    weights = rng.integers(1, 5, len(points)).astype(float)
    start = points[:n_centres]
    labels, centres = polis_kmeans(points, weights, start, max_iter=100)
    expected_labels, expected_centres = _naive_polis_kmeans(points, weights, start, 100)
    np.testing.assert_array_equal(labels, expected_labels)
    np.testing.assert_allclose(centres, expected_centres, atol=1e-12)


def test_polis_kmeans_runs_side_by_side_equal_each_run_alone():
    rng = np.random.default_rng(3)
    points = np.concatenate(
        [rng.normal(centre, 0.5, (40, 2)) for centre in ((0, 0), (3, 0), (0, 3))]
    )
    weights = rng.integers(1, 9, len(points)).astype(float)
    starts = [points[:k] for k in (2, 3, 5)]
    # Far centres lose their points at once and are dropped; runs stop at different steps.
    starts.append(np.array([[0.0, 0.0], [90.0, 90.0], [3.0, 0.0], [-70.0, 5.0]]))
    starts.append(points[[0, 50, 100]])
    fits = polis_kmeans_runs(points, weights, starts, max_iter=100)
    for start, (labels, centres) in zip(starts, fits, strict=True):
        expected_labels, expected_centres = _naive_polis_kmeans(points, weights, start, 100)
        np.testing.assert_array_equal(labels, expected_labels)
        np.testing.assert_allclose(centres, expected_centres, atol=1e-12)
    assert fits[3][1].shape[0] == 2
