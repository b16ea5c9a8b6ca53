"""Silhouette: scores equal scikit-learn's; the certified choice's bounds hold and it is exact."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import silhouette_score

from puente.consensus.kmeans import kmeans_polis
from puente.consensus.silhouette import best_silhouette, distinct_rows, silhouette

SILHOUETTE_ATOL = 1e-12


def _kmeans_labelings(points: np.ndarray) -> list[np.ndarray]:
    return [kmeans_polis(points, k)[0] for k in range(2, 6)]


def _exact(points: np.ndarray, labelings: list[np.ndarray]) -> np.ndarray:
    return np.array([silhouette_score(points, labels) for labels in labelings])


@pytest.mark.parametrize("seed", range(6))
def test_choice_and_bounds_agree_with_sklearn_on_clustered_points(seed):
    rng = np.random.default_rng(seed)
    n_blobs = int(rng.integers(2, 6))
    centres = rng.uniform(-4, 4, size=(n_blobs, 2))
    points = centres[rng.integers(0, n_blobs, 1500)] + rng.standard_normal((1500, 2))
    if seed % 2:
        points = np.round(points, 1)  # repeated points carry a multiplicity
    labelings = _kmeans_labelings(points)
    exact = _exact(points, labelings)
    choice = best_silhouette(points, labelings)
    assert choice.best == int(np.argmax(exact))
    assert np.all(choice.low <= exact + 1e-12)
    assert np.all(exact <= choice.high + 1e-12)
    # The bounds are loose; the estimates are close.
    assert np.max(np.abs(choice.scores - exact)) < 2e-3


def test_bounds_decide_without_exact_scores_when_one_labelling_is_clearly_best():
    rng = np.random.default_rng(7)
    points = np.concatenate(
        [
            rng.standard_normal((800, 2)) * 0.3 + np.array([-5.0, 0.0]),
            rng.standard_normal((800, 2)) * 0.3 + np.array([5.0, 0.0]),
        ]
    )
    choice = best_silhouette(points, _kmeans_labelings(points))
    assert choice.best == 0
    assert not choice.exact.any()
    assert choice.n_directions == 4


def test_equal_scores_fall_back_to_exact_and_keep_the_first():
    rng = np.random.default_rng(8)
    points = rng.standard_normal((900, 2))
    labels = kmeans_polis(points, 3)[0]
    relabelled = (labels + 1) % 3  # the same grouping: the same score
    choice = best_silhouette(points, [labels, relabelled, kmeans_polis(points, 2)[0]])
    assert choice.best == 0
    assert choice.exact[0]
    assert choice.exact[1]
    assert choice.scores[0] == choice.scores[1]
    assert choice.scores[0] == pytest.approx(silhouette_score(points, labels), abs=1e-12)


def test_close_scores_refine_the_directions_before_going_exact():
    # Two groupings that differ in a handful of points score within the 4-direction bounds.
    rng = np.random.default_rng(9)
    points = np.concatenate(
        [
            rng.standard_normal((700, 2)) + np.array([-2.5, 0.0]),
            rng.standard_normal((700, 2)) + np.array([2.5, 0.0]),
        ]
    )
    split = (points[:, 0] > 0).astype(int)
    shifted = (points[:, 0] > 0.05).astype(int)
    choice = best_silhouette(points, [shifted, split])
    exact = _exact(points, [shifted, split])
    assert choice.best == int(np.argmax(exact))
    assert choice.n_directions > 4 or choice.exact.any()


def test_copies_of_a_point_with_different_labels_are_scored_exactly():
    rng = np.random.default_rng(10)
    points = np.round(rng.standard_normal((1000, 2)), 0)
    labels = rng.integers(0, 3, 1000)  # copies of a point land in different groups
    other = (points[:, 0] > 0).astype(int)
    choice = best_silhouette(points, [labels, other])
    exact = _exact(points, [labels, other])
    assert choice.exact.all()
    np.testing.assert_allclose(choice.scores, exact, atol=1e-12)
    assert choice.best == 1


def test_undefined_scores_give_no_best():
    points = np.random.default_rng(11).standard_normal((500, 2))
    choice = best_silhouette(points, [np.zeros(500, dtype=int)])
    assert choice.best == -1
    assert np.isnan(choice.scores).all()


def test_distinct_rows_equals_numpy_unique():
    points = np.round(np.random.default_rng(12).standard_normal((2000, 2)), 1)
    rows, inverse, counts = distinct_rows(points)
    expected, expected_inverse, expected_counts = np.unique(
        points, axis=0, return_inverse=True, return_counts=True
    )
    np.testing.assert_array_equal(rows, expected)
    np.testing.assert_array_equal(inverse, expected_inverse.reshape(-1))
    np.testing.assert_array_equal(counts, expected_counts)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_points=st.integers(401, 900),
    scale_y=st.floats(0.01, 10.0),
    n_clusters=st.integers(2, 5),
)
def test_exact_scores_lie_within_the_bounds(seed, n_points, scale_y, n_clusters):
    rng = np.random.default_rng(seed)
    points = rng.standard_normal((n_points, 2)) * [1.0, scale_y]
    labelings = [rng.integers(0, n_clusters, n_points), kmeans_polis(points, n_clusters)[0]]
    choice = best_silhouette(points, labelings)
    exact = _exact(points, labelings)
    assert choice.best == int(np.argmax(exact))
    assert np.all(choice.low <= exact + 1e-12)
    assert np.all(exact <= choice.high + 1e-12)


@pytest.mark.parametrize(
    ("n_points", "n_features", "n_clusters", "seed"),
    [(60, 2, 2, 0), (300, 2, 3, 1), (500, 2, 5, 2), (1200, 2, 4, 3), (400, 3, 6, 4)],
)
def test_silhouette_equals_sklearn_on_random_data(n_points, n_features, n_clusters, seed):
    rng = np.random.default_rng(seed)
    points = rng.standard_normal((n_points, n_features)) * rng.uniform(0.5, 5.0)
    labels = rng.integers(0, n_clusters, n_points)
    labels[0] = n_clusters  # a cluster of one point: its silhouette is 0
    assert abs(silhouette(points, labels) - silhouette_score(points, labels)) < SILHOUETTE_ATOL


def test_silhouette_equals_sklearn_with_repeated_points():
    rng = np.random.default_rng(5)
    points = np.round(rng.standard_normal((400, 2)), 1)
    labels = (points[:, 0] > 0).astype(int) + (points[:, 1] > 0.5)
    assert abs(silhouette(points, labels) - silhouette_score(points, labels)) < 1e-9


def test_silhouette_is_nan_when_undefined():
    points = np.arange(8.0).reshape(4, 2)
    assert math.isnan(silhouette(points, np.zeros(4, dtype=int)))
    assert math.isnan(silhouette(points, np.arange(4)))
