"""Bridging scores: a one-factor matrix factorisation of the votes, as Community Notes does.

Each vote is modelled as ``y_ij ~ mean + b_i + c_j + f_i * g_j`` (participant ``i``,
statement ``j``). The factor ``f_i * g_j`` soaks up the part of the votes that depends on
viewpoint, so the statement intercept ``c_j`` is the support a statement gets from every
side at once: its bridging score. The fit minimises

    sum over votes (y_ij - prediction_ij)^2
        + intercept_regularisation * (sum_i b_i^2 + sum_j c_j^2)
        + factor_regularisation * (sum_i f_i^2 + sum_j g_j^2)

with the mean left free (the Community Notes paper also shrinks the mean, which makes no
difference beyond a handful of votes).

Choices, relative to Community Notes (helpful = 1, not helpful = 0):

- agree counts as 1 and disagree as 0, so the regularisation strengths 0.15 and 0.03 weigh
  as they do there and the intercept reads on the same scale (coding +1/-1 instead would
  double the intercepts and give the same fit as halving the factor regularisation here);
- a pass is not a rating: pass votes are left out of the fit, as are all votes on
  moderated-out statements;
- a participant or statement without any such vote keeps all its parameters at 0, their
  optimum under the regularisation;
- ``f, g -> -f, -g`` changes nothing, so the sign is fixed: the statement factor largest in
  absolute value is positive.

How the fit is solved, and what the non-convex loss means for it: see ``factorisation``.
"""

from __future__ import annotations

from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .blas import single_blas_thread
from .factorisation import BridgingFit, Design, Problem
from .lanczos import product
from .sparse import SparseRows
from .types import AGREE, PASS, Votes

__all__ = ["BridgingFit", "bridging_scores"]

# From this many kept votes, two sparse products at a time (see bridging_scores); measured
# alone: 5 % slower at 300,000 votes, even at 500,000, 12 % faster at 1,000,000.
_PARALLEL_MIN_VOTES = 750_000
# Above this share of left-out (pass or moderated-out) votes, copying the kept votes out is
# cheaper than carrying zero weights through every sparse product (about 40 products per fit).
_COMPACT_SHARE = 1 / 20


def bridging_scores(
    votes: Votes,
    *,
    intercept_regularisation: float = 0.15,
    factor_regularisation: float = 0.03,
    rng: np.random.Generator,
    max_iterations: int = 500,
    tolerance: float = 1e-6,
    n_starts: int = 1,
    paired_products: bool = True,
) -> BridgingFit:
    """Fit the one-factor model to the votes; the statement intercepts are the bridging scores.

    Parameters
    ----------
    votes
        The votes; passes and votes on moderated-out statements are left out.
    intercept_regularisation, factor_regularisation
        Weights of the squared intercepts and of the squared factors in the loss.
    rng
        Draws the start of the factor search.
    max_iterations
        Most alternating sweeps to perform from each start.
    tolerance
        Stop when no statement intercept or factor moves more than this in a sweep.
    n_starts
        Starting points to descend from: the spectral one, then random directions. The loss
        is not convex, and on small noisy vote sets a start can end in a local minimum a
        little above the lowest; the fit with the lowest loss is kept.
    paired_products
        From 750,000 kept votes, run two sparse products at a time in a helper thread (the
        same sums, so the same fit). ``analyze()`` turns it off: there the clustering already
        runs beside the fit, and a third thread on two cores made the analysis slower.

    Returns
    -------
    BridgingFit
        The parameters, with the factor signed so that the largest statement factor (in
        absolute value) is positive.
    """
    if intercept_regularisation <= 0 or factor_regularisation <= 0:
        raise ValueError("the regularisation strengths must be positive")
    design = _design(votes)
    if design is None:
        return _empty_fit(votes, "no agree or disagree votes on statements in the analysis")
    with ExitStack() as stack:
        helper: Executor | None = None
        if paired_products and design.by_participant.nnz >= _PARALLEL_MIN_VOTES:
            # On many votes, the sparse products of each half-step run two at a time (scipy
            # releases the GIL while it multiplies); the sums are the same, so is the fit.
            stack.enter_context(single_blas_thread())
            helper = stack.enter_context(ThreadPoolExecutor(max_workers=1))
        problem = Problem(design, intercept_regularisation, factor_regularisation, helper)
        return problem.fit(
            rng, max_iterations=max_iterations, tolerance=tolerance, n_starts=max(n_starts, 1)
        )


def _design(votes: Votes) -> Design | None:
    """Return the sparse design of the kept votes, or None when no vote is kept."""
    n_participants, n_statements = votes.n_participants, votes.n_statements
    if votes.n_votes == 0 or n_participants == 0 or n_statements == 0:
        return None
    statement, value = votes.statement, votes.value
    kept = value != PASS
    if votes.moderated_out.any():
        kept &= ~votes.moderated_out[statement]
    n_kept = int(np.count_nonzero(kept))
    if n_kept == 0:
        return None
    index_type: type[np.integer[Any]] = (
        np.int32 if statement.shape[0] < np.iinfo(np.int32).max else np.int64
    )
    pointer = votes.row_pointer().astype(index_type)
    compact = n_kept < (1 - _COMPACT_SHARE) * votes.n_votes
    if compact:
        positions, pointer = _subset(kept, pointer)
        statement, value = statement[positions], value[positions]
        weights = np.ones(n_kept)
        is_agree = value == AGREE
    else:
        weights = kept.astype(np.float64)
        is_agree = (value == AGREE) & kept
    shape = (n_participants, n_statements)
    indices = statement.astype(index_type, copy=False)
    by_participant = SparseRows(weights, indices, pointer, shape)
    # Only the agree votes: the products with it read a fraction of the entries.
    agree_positions, agree_pointer = _subset(is_agree, pointer)
    n_agrees = agree_positions.shape[0]
    # When every weight is 1, the agree matrix shares their memory.
    ones = weights[:n_agrees] if compact else np.ones(n_agrees)
    agree_by_participant = SparseRows(ones, indices[agree_positions], agree_pointer, shape)
    # Column sums as sparse products: faster than weighted bincounts.
    ones_by_participant = np.ones(n_participants)
    n_by_participant = (
        np.diff(pointer).astype(np.float64)
        if compact
        else product(by_participant, np.ones(n_statements))
    )
    n_by_statement = product(by_participant.T, ones_by_participant)
    return Design(
        by_participant=by_participant,
        agree_by_participant=agree_by_participant,
        by_statement=by_participant.T,
        agree_by_statement=agree_by_participant.T,
        is_agree=is_agree,
        n_by_participant=n_by_participant,
        n_by_statement=n_by_statement,
        participant_active=(n_by_participant > 0).astype(np.float64),
        statement_active=(n_by_statement > 0).astype(np.float64),
        agrees_by_participant=np.diff(agree_pointer).astype(np.float64),
        agrees_by_statement=product(agree_by_participant.T, ones_by_participant),
    )


def _subset(
    mask: NDArray[np.bool_], pointer: NDArray[np.integer[Any]]
) -> tuple[NDArray[np.intp], NDArray[np.integer[Any]]]:
    """Return the positions of the entries the mask keeps and the row pointer of the subset.

    Positions then indexing, not boolean indexing: several times faster on large arrays.
    """
    positions = np.flatnonzero(mask)
    # Kept entries per row, summed over the non-empty rows only (reduceat needs each start
    # below the length; an empty row between two starts adds nothing to the first's sum).
    starts = pointer[:-1]
    non_empty = np.flatnonzero(starts < pointer[1:])
    per_row = np.zeros(starts.shape[0], dtype=pointer.dtype)
    if non_empty.size:
        per_row[non_empty] = np.add.reduceat(
            mask.view(np.int8), starts[non_empty], dtype=pointer.dtype
        )
    subset_pointer = np.zeros_like(pointer)
    np.cumsum(per_row, out=subset_pointer[1:])
    return positions, subset_pointer


def _empty_fit(votes: Votes, reason: str) -> BridgingFit:
    return BridgingFit(
        statement_intercept=np.zeros(votes.n_statements),
        statement_factor=np.zeros(votes.n_statements),
        participant_intercept=np.zeros(votes.n_participants),
        participant_factor=np.zeros(votes.n_participants),
        mean=0.0,
        loss=0.0,
        n_iterations=0,
        converged=True,
        reason=reason,
    )
