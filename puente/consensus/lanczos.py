"""Sparse products and the leading singular vector of a sparse matrix by Golub-Kahan-Lanczos.

``dot`` and ``product`` are the vector and sparse matrix-vector products the bridging fit is
made of; ``leading_right_vector`` gives its starting factor.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["dot", "leading_right_vector", "product"]

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
    n_rows, n_columns = matrix.shape
    n_steps = min(max_steps, n_rows, n_columns)
    right = np.zeros((n_steps, n_columns))
    left = np.zeros((n_steps, n_rows))
    diagonal = np.zeros(n_steps)
    upper = np.zeros(n_steps)
    norm = float(np.sqrt(dot(start, start)))
    if norm == 0 or n_steps == 0:
        return start, 0.0
    vector = start / norm
    previous = 0.0
    size = 0
    for step in range(n_steps):
        right[step] = vector
        column = product(matrix, vector)
        if step:
            column -= previous * left[step - 1]
            # Full reorthogonalisation: cheap for so few vectors, and keeps the basis exact.
            column -= np.einsum("ki,k->i", left[:step], np.einsum("ki,i->k", left[:step], column))
        alpha = float(np.sqrt(dot(column, column)))
        if alpha <= 1e-12:
            break
        left[step] = column / alpha
        diagonal[step] = alpha
        size = step + 1
        row = product(matrix.T, left[step]) - alpha * vector
        row -= np.einsum("ki,k->i", right[:size], np.einsum("ki,i->k", right[:size], row))
        beta = float(np.sqrt(dot(row, row)))
        if beta <= 1e-12 or size == n_steps:
            break
        upper[step] = beta
        if size >= _LANCZOS_MIN_STEPS:
            left_vectors, singular_values, _ = _bidiagonal_svd(diagonal, upper, size)
            if beta * abs(left_vectors[size - 1, 0]) <= tolerance * singular_values[0]:
                break
        previous = beta
        vector = row / beta
    if size == 0:
        return vector, 0.0
    _, singular_values, right_vectors = _bidiagonal_svd(diagonal, upper, size)
    direction: FloatArray = np.einsum("k,ki->i", right_vectors[0], right[:size])
    if direction[int(np.argmax(np.abs(direction)))] < 0:
        direction = -direction
    return direction, float(singular_values[0])


def _bidiagonal_svd(
    diagonal: FloatArray, upper: FloatArray, size: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return the SVD of the upper bidiagonal matrix of the first ``size`` Lanczos steps."""
    bidiagonal = np.diag(diagonal[:size]) + np.diag(upper[: size - 1], 1)
    left_vectors, singular_values, right_vectors = np.linalg.svd(bidiagonal)
    return left_vectors, singular_values, right_vectors
