"""Golub-Kahan-Lanczos: the leading singular vectors of a sparse matrix, checked against SVD."""

import numpy as np
import scipy.sparse as sp

from puente.consensus.lanczos import leading_right_vector, leading_right_vectors


def _sparse(seed: int, shape: tuple[int, int], density: float) -> sp.csr_array:
    rng = np.random.default_rng(seed)
    matrix = sp.random_array(shape, density=density, rng=rng, format="csr")
    return sp.csr_array(matrix)


def test_leading_vectors_match_a_full_svd():
    matrix = _sparse(1, (400, 120), 0.1)
    start = np.random.default_rng(2).standard_normal(120)
    vectors, values = leading_right_vectors(matrix, start, 3, 120, 1e-13)
    _, expected_values, expected_vectors = np.linalg.svd(matrix.toarray())
    np.testing.assert_allclose(values, expected_values[:3], rtol=1e-12)
    for vector, expected in zip(vectors, expected_vectors[:3], strict=True):
        # Singular vectors are defined up to sign; ours have their largest component positive.
        assert vector[np.argmax(np.abs(vector))] > 0
        np.testing.assert_allclose(np.abs(vector @ expected), 1.0, atol=1e-10)


def test_one_vector_is_the_first_of_several():
    matrix = _sparse(3, (300, 90), 0.2)
    start = np.random.default_rng(4).standard_normal(90)
    vector, value = leading_right_vector(matrix, start, 90, 1e-12)
    vectors, values = leading_right_vectors(matrix, start, 2, 90, 1e-12)
    np.testing.assert_allclose(vector, vectors[0], atol=1e-10)
    assert abs(value - values[0]) <= 1e-10 * value


def test_a_space_that_runs_out_gives_fewer_values():
    # Rank one: after one step the Krylov space is invariant, there is no second vector.
    column = np.arange(1.0, 51.0)
    row = np.linspace(-1.0, 1.0, 80)
    matrix = sp.csr_array(np.outer(column, row))
    vectors, values = leading_right_vectors(matrix, np.arange(80.0), 2, 80, 1e-13)
    assert values.shape == (1,)
    np.testing.assert_allclose(values[0], np.linalg.norm(column) * np.linalg.norm(row))
    np.testing.assert_allclose(np.abs(vectors[0]), np.abs(row) / np.linalg.norm(row))


def test_a_zero_matrix_has_no_singular_values():
    vectors, values = leading_right_vectors(sp.csr_array((10, 5)), np.ones(5), 2, 5, 1e-13)
    assert values.shape == (0,)
    assert vectors.shape == (1, 5)


def test_fewer_rows_than_columns_are_exact_when_the_left_space_is_full():
    # 30 rows, 90 columns: after 30 steps every left vector is found, and the last beta
    # still counts (the square bidiagonal matrix alone would miss it).
    matrix = _sparse(5, (30, 90), 0.3)
    vectors, values = leading_right_vectors(matrix, np.ones(90), 30, 90, 1e-13)
    _, expected_values, expected_vectors = np.linalg.svd(matrix.toarray())
    np.testing.assert_allclose(values, expected_values[:30], rtol=1e-10)
    for vector, expected in zip(vectors, expected_vectors[:30], strict=True):
        np.testing.assert_allclose(np.abs(vector @ expected), 1.0, atol=1e-10)
