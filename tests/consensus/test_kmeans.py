"""Lloyd k-means: the same labels and centres as scikit-learn's KMeans from the same start."""

import warnings

import numpy as np
import pytest
from sklearn.cluster import KMeans

from puente.consensus import kmeans
from puente.consensus.kmeans import kmeans_polis, lloyd_runs


@pytest.mark.parametrize(("n_clusters", "seed"), [(2, 0), (3, 1), (4, 2), (5, 3), (8, 4)])
def test_kmeans_polis_equals_sklearn_kmeans_from_the_same_centres(n_clusters, seed):
    rng = np.random.default_rng(seed)
    points = np.concatenate(
        [rng.normal(centre, 1.0, (150, 2)) for centre in rng.uniform(-6, 6, (4, 2))]
    )
    points = rng.permutation(points)
    labels, centres = kmeans_polis(points, n_clusters)
    start = np.unique(points, axis=0)[:n_clusters]
    reference = KMeans(n_clusters, init=start, n_init=1, algorithm="lloyd").fit(points)
    np.testing.assert_array_equal(labels, reference.labels_)
    np.testing.assert_allclose(centres, reference.cluster_centers_, atol=1e-12)


def _sklearn_lloyd(points, start):
    """Fit scikit-learn's Lloyd k-means from the given centres (its empty-cluster warning off)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return KMeans(len(start), init=start, n_init=1, algorithm="lloyd").fit(points)


def test_lloyd_relocates_empty_clusters_as_sklearn_does():
    rng = np.random.default_rng(7)
    points = rng.standard_normal((200, 2))
    # Two centres far from every point stay empty after the first assignment.
    start = np.array([[0.0, 0.0], [50.0, 50.0], [-40.0, 60.0], [1.0, 1.0]])
    labels, centres = lloyd_runs(points, [start], max_iter=300, tol=1e-4)[0]
    reference = _sklearn_lloyd(points, start)
    np.testing.assert_array_equal(labels, reference.labels_)
    np.testing.assert_allclose(centres, reference.cluster_centers_, atol=1e-12)


@pytest.mark.parametrize("chunk_elements", [1 << 18, 100])
def test_lloyd_runs_side_by_side_equal_sklearn_run_by_run(chunk_elements, monkeypatch):
    # Runs stop after different numbers of steps; one of them relocates an empty cluster;
    # they are not given by number of centres. Small chunks split the assignment step.
    monkeypatch.setattr(kmeans, "ASSIGN_CHUNK_ELEMENTS", chunk_elements)
    rng = np.random.default_rng(11)
    points = np.concatenate(
        [rng.normal(centre, 1.0, (120, 2)) for centre in rng.uniform(-5, 5, (3, 2))]
    )
    starts = [np.unique(points, axis=0)[:k] for k in range(2, 6)]
    starts.append(np.array([[0.0, 0.0], [80.0, 80.0], [1.0, 1.0]]))
    fits = lloyd_runs(points, starts, max_iter=300, tol=1e-4)
    for start, (labels, centres) in zip(starts, fits, strict=True):
        reference = _sklearn_lloyd(points, start)
        np.testing.assert_array_equal(labels, reference.labels_)
        np.testing.assert_allclose(centres, reference.cluster_centers_, atol=1e-12)


def test_lloyd_runs_give_exact_ties_to_the_lowest_centre_as_sklearn_does():
    # Symmetric points: those on the y axis are exactly as far from (-1, 0) as from (1, 0).
    points = np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, -1.0], [0.0, 2.0], [0.0, -2.0]])
    starts = [np.array([[-1.0, 0.0], [1.0, 0.0]]), np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, 9.0]])]
    fits = lloyd_runs(points, starts, max_iter=300, tol=1e-4)
    for start, (labels, _) in zip(starts, fits, strict=True):
        reference = _sklearn_lloyd(points, start)
        np.testing.assert_array_equal(labels, reference.labels_)
    assert fits[0][0].tolist() == [0, 1, 0, 0, 0, 0]
