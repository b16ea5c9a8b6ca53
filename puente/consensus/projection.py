"""PCA projection of the votes, as red-dwarf and Polis compute it, from sparse products."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .lanczos import leading_right_vectors
from .sparse import SparseRows
from .types import Votes

__all__ = ["Projection", "pca_project"]

# Below this many statement columns the covariance matrix is built and fully diagonalised.
_DENSE_EIGEN_MAX_COLUMNS = 64
# Above it, the leading axes are the leading right singular vectors of the centred votes,
# found by Lanczos steps until each axis's residual is below this, relative.
_TOLERANCE = 1e-13


@dataclass(frozen=True)
class Projection:
    """Participants and statements projected on the first principal components of the votes.

    Attributes
    ----------
    participant_xy
        Shape (n_participants, n_components): scaled projection of each participant.
    statement_xy
        Shape (n_statements, n_components): projection of a virtual participant who agrees
        with the statement alone.
    components
        Shape (n_components, n_statements): principal axes (PCA loadings).
    mean
        Per statement: mean vote over the participants who saw it (0 when moderated out).
    explained_variance
        Variance along each principal axis.
    """

    participant_xy: NDArray[np.float64]
    statement_xy: NDArray[np.float64]
    components: NDArray[np.float64]
    mean: NDArray[np.float64]
    explained_variance: NDArray[np.float64]


def pca_project(votes: Votes, *, n_components: int = 2) -> Projection:
    """Project participants and statements on the principal components, as red-dwarf does.

    The vote matrix has a column per statement with at least one vote and a row per
    participant with at least one vote. Moderated-out columns are set to 0 for everyone;
    unseen cells take the column mean, so after centring the matrix is sparse: vote minus
    column mean where seen, 0 elsewhere. Its leading principal axes come from the covariance
    matrix (exact eigendecomposition, or Lanczos bidiagonalisation of the sparse matrix to
    machine precision), with scikit-learn's sign convention (largest loading of each axis positive).
    Participant coordinates are scaled by ``sqrt(n_columns / n_seen)``; a statement is placed
    where a participant agreeing with it alone would be. Participants and statements without
    any vote are placed at the origin and statements without votes get zero loadings.
    """
    n_participants, n_statements = votes.n_participants, votes.n_statements
    participant, statement, value = votes.participant, votes.statement, votes.value
    level, by_level = _statement_levels(statement, value, n_statements)
    votes_per_statement = by_level.sum(axis=0)
    has_votes = votes_per_statement > 0
    n_columns = int(np.count_nonzero(has_votes))
    row_counts = votes.votes_per_participant()
    n_rows = int(np.count_nonzero(row_counts))
    n_zeroed = int(np.count_nonzero(has_votes & votes.moderated_out))

    if n_zeroed:
        active = ~votes.moderated_out[statement]
        participant, statement, value = participant[active], statement[active], value[active]
        level, by_level = _statement_levels(statement, value, n_statements)
        row_counts = np.bincount(participant, minlength=n_participants)
    seen = by_level.sum(axis=0)
    totals = (by_level[2] - by_level[0]).astype(np.float64)
    mean = np.divide(totals, seen, out=np.zeros(n_statements), where=seen > 0)

    # Only the statements with active votes have non-zero centred values: compress to them.
    column_statement = np.flatnonzero(seen > 0)
    if column_statement.size == n_statements:
        column = statement
    else:
        column_of = np.full(n_statements, -1, dtype=statement.dtype)
        column_of[column_statement] = np.arange(column_statement.size, dtype=statement.dtype)
        column = column_of[statement]
    index_type: type[np.signedinteger[Any]] = (
        np.int32 if value.size < np.iinfo(np.int32).max else np.int64
    )
    row_pointer = np.zeros(n_participants + 1, dtype=index_type)
    np.cumsum(row_counts, out=row_pointer[1:])
    # Each vote minus its statement's mean, read off a table of (vote value, statement).
    centred_values = (np.arange(-1.0, 2.0)[:, np.newaxis] - mean).ravel()[level]
    centred = SparseRows(
        centred_values,
        column.astype(index_type, copy=False),
        row_pointer,
        (n_participants, column_statement.size),
    )

    n_found = max(0, min(n_components, n_rows - 1, column_statement.size))
    eigenvalues, axes = _leading_axes(centred, n_found)
    variance = np.zeros(n_components)
    components = np.zeros((n_components, n_statements))
    participant_xy = np.zeros((n_participants, n_components))
    statement_xy = np.zeros((n_statements, n_components))
    if n_found:
        variance[:n_found] = np.maximum(eigenvalues, 0.0) / (n_rows - 1)
        components[:n_found, column_statement] = axes.T
        scale = np.sqrt(n_columns / np.maximum(1, row_counts + n_zeroed))
        for axis in range(n_found):
            participant_xy[:, axis] = (centred @ np.ascontiguousarray(axes[:, axis])) * scale
        statement_xy[column_statement, :n_found] = (
            np.sqrt(n_columns) * (1.0 - mean[column_statement])[:, np.newaxis] * axes
        )
    return Projection(
        participant_xy=participant_xy,
        statement_xy=statement_xy,
        components=components,
        mean=mean,
        explained_variance=variance,
    )


def _statement_levels(
    statement: NDArray[np.int32], value: NDArray[np.int8], n_statements: int
) -> tuple[NDArray[np.signedinteger[Any]], NDArray[np.int64]]:
    """Return each vote's (value, statement) code and the count of each value per statement.

    The code is ``(value + 1) * n_statements + statement``; the counts have one row per
    value: disagree, pass, agree. One unweighted count replaces a count and a weighted sum.
    """
    code_type: type[np.signedinteger[Any]] = (
        np.int32 if 3 * n_statements < np.iinfo(np.int32).max else np.int64
    )
    level = value.astype(code_type)
    level += 1
    level *= n_statements
    level += statement
    by_level = np.bincount(level, minlength=3 * n_statements).reshape(3, n_statements)
    return level, by_level


def _leading_axes(
    centred: SparseRows, n_axes: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return the top eigenvalues of ``X.T @ X`` and their eigenvectors (columns), sign-fixed."""
    n_columns = centred.shape[1]
    if n_axes == 0:
        return np.zeros(0), np.zeros((n_columns, 0))
    if not np.any(centred.data):
        # Everyone voted alike: no variance, any axes will do.
        return np.zeros(n_axes), np.eye(n_columns, n_axes)
    if n_columns <= max(_DENSE_EIGEN_MAX_COLUMNS, 2 * n_axes + 1):
        eigenvalues, vectors = _dense_eigen(centred, n_axes)
    else:
        # A fixed start vector keeps the result reproducible; the golden-ratio sequence is
        # unlikely to be orthogonal to any principal axis.
        start: NDArray[np.float64] = np.asarray(
            1.0 + (np.arange(n_columns) * 0.6180339887498949) % 1.0, dtype=np.float64
        )
        # Residuals of 1e-13 relative leave the axes exact to rounding (checked against a
        # dense eigendecomposition); at worst the Krylov space fills the whole space.
        directions, singular_values = leading_right_vectors(
            centred, start, n_axes, max_steps=min(centred.shape), tolerance=_TOLERANCE
        )
        if singular_values.shape[0] < n_axes:
            eigenvalues, vectors = _dense_eigen(centred, n_axes)
        else:
            eigenvalues, vectors = singular_values**2, directions.T
    # scikit-learn's svd_flip(u_based_decision=False): the largest |loading| is positive.
    largest = np.argmax(np.abs(vectors), axis=0)
    signs = np.sign(vectors[largest, np.arange(n_axes)])
    signs[signs == 0] = 1.0
    return eigenvalues, vectors * signs


def _dense_eigen(
    centred: SparseRows, n_axes: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return the top eigenpairs of ``X.T @ X``, building it from row blocks of X."""
    n_rows, n_columns = centred.shape
    covariance = np.zeros((n_columns, n_columns))
    step = max(1, (1 << 22) // max(1, n_columns))
    for start in range(0, n_rows, step):
        block = centred.rows_dense(start, start + step)
        covariance += block.T @ block
    eigenvalues, vectors = np.linalg.eigh(covariance)
    return eigenvalues[::-1][:n_axes], vectors[:, ::-1][:, :n_axes]
