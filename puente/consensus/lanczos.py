"""Sparse products and the leading singular vector of a sparse matrix by Golub-Kahan-Lanczos.

``dot`` and ``product`` are the vector and sparse matrix-vector products the bridging fit is
made of; ``leading_right_vector`` gives its starting factor, and ``leading_right_vectors`` the
principal axes of the opinion map.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["dot", "leading_right_vector", "leading_right_vectors", "product"]

FloatArray = NDArray[np.float64]

# Lanczos steps always taken before testing whether the leading singular vector has converged.
_LANCZOS_MIN_STEPS = 8


def dot(first: FloatArray, second: FloatArray) -> float:
    """Return the dot product of two vectors.

    numpy's own loop, not BLAS: a threaded BLAS call on a busy machine can stall for
    milliseconds, far longer than the sum itself.
    """
    return float(np.einsum("i,i->", first, second))


def product(matrix: Any, vector: FloatArray) -> FloatArray:
    """Return the sparse matrix times the vector."""
    result: FloatArray = matrix @ vector
    return result


def leading_right_vector(
    matrix: Any, start: FloatArray, max_steps: int, tolerance: float
) -> tuple[FloatArray, float]:
    """Return the leading right singular vector and value by Golub-Kahan-Lanczos steps.

    Stops once the Ritz pair's residual ``|Z' u - s v|`` is below ``tolerance * s``, so the
    result hardly depends on the random start (the Krylov space is the whole space when
    there are few statements: the vector is then exact).
    """
    vectors, values = leading_right_vectors(matrix, start, 1, max_steps, tolerance)
    if values.shape[0] == 0:
        return vectors[0], 0.0
    return vectors[0], float(values[0])


def leading_right_vectors(
    matrix: Any, start: FloatArray, n_vectors: int, max_steps: int, tolerance: float
) -> tuple[FloatArray, FloatArray]:
    """Return the ``n_vectors`` leading right singular vectors (rows) and their values.

    Golub-Kahan-Lanczos bidiagonalisation with full reorthogonalisation, from ``start``. It
    stops once every wanted Ritz pair's residual ``|Z' u_i - s_i v_i|`` is below
    ``tolerance * s_i``, or when the Krylov space is the whole space (the pairs are then
    exact), or after ``max_steps``. Each vector's largest component is positive. Fewer
    values come back when the space runs out first (a start with no component along some
    singular vector); none, with the normalised start as the vector, for a zero matrix.
    """
    n_rows, n_columns = matrix.shape
    n_steps = min(max_steps, n_rows, n_columns)
    # One more right vector than steps: see ``extended`` below.
    right = np.zeros((n_steps + 1, n_columns))
    left = np.zeros((n_steps, n_rows))
    diagonal = np.zeros(n_steps)
    upper = np.zeros(n_steps)
    norm = float(np.sqrt(dot(start, start)))
    if norm == 0 or n_steps == 0:
        return start[np.newaxis, :], np.zeros(0)
    vector = start / norm
    previous = 0.0
    size = 0
    # Whether the bidiagonal matrix takes one more column, the last beta: when the left
    # space runs out (no new left vector, or all of them found), Z V = U [B | beta e] holds
    # exactly with the last right vector, and the square B alone would miss beta.
    extended = False
    for step in range(n_steps):
        right[step] = vector
        column = product(matrix, vector)
        if step:
            column -= previous * left[step - 1]
            # Full reorthogonalisation: cheap for so few vectors, and keeps the basis exact.
            column -= np.einsum("ki,k->i", left[:step], np.einsum("ki,i->k", left[:step], column))
        alpha = float(np.sqrt(dot(column, column)))
        if alpha <= 1e-12:
            extended = step > 0
            break
        left[step] = column / alpha
        diagonal[step] = alpha
        size = step + 1
        row = product(matrix.T, left[step]) - alpha * vector
        row -= np.einsum("ki,k->i", right[:size], np.einsum("ki,i->k", right[:size], row))
        beta = float(np.sqrt(dot(row, row)))
        if beta <= 1e-12:
            break
        if size == n_steps:
            if size == n_rows:
                upper[step] = beta
                right[size] = row / beta
                extended = True
            break
        upper[step] = beta
        if size >= max(_LANCZOS_MIN_STEPS, n_vectors):
            left_vectors, singular_values, _ = _bidiagonal_svd(diagonal, upper, size, size)
            residuals = beta * np.abs(left_vectors[size - 1, :n_vectors])
            if np.all(residuals <= tolerance * singular_values[:n_vectors]):
                break
        previous = beta
        vector = row / beta
    if size == 0:
        return vector[np.newaxis, :], np.zeros(0)
    n_right = size + 1 if extended else size
    _, singular_values, right_vectors = _bidiagonal_svd(diagonal, upper, size, n_right)
    found = min(n_vectors, size)
    directions: FloatArray = np.einsum("jk,ki->ji", right_vectors[:found], right[:n_right])
    largest = np.argmax(np.abs(directions), axis=1)
    directions *= np.where(directions[np.arange(found), largest] < 0, -1.0, 1.0)[:, np.newaxis]
    return directions, singular_values[:found]


def _bidiagonal_svd(
    diagonal: FloatArray, upper: FloatArray, size: int, n_right: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return the SVD of the upper bidiagonal matrix of ``size`` Lanczos steps.

    It has ``size`` rows and ``n_right`` columns: ``size``, or one more for the last beta.
    """
    bidiagonal = np.zeros((size, n_right))
    bidiagonal[np.arange(size), np.arange(size)] = diagonal[:size]
    n_upper = n_right - 1
    bidiagonal[np.arange(n_upper), np.arange(1, n_upper + 1)] = upper[:n_upper]
    left_vectors, singular_values, right_vectors = np.linalg.svd(bidiagonal)
    return left_vectors, singular_values, right_vectors
