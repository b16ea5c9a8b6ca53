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

The fit is alternating least squares made fast and exact. Each half-step solves, in closed
form, for the mean together with the intercept and factor of every participant (then of every
statement) from the 2x2 normal equations of each row, with the sums over votes taken as sparse
products. The loss does not change when the factor is shifted and the shift is moved into the
intercepts (``g -> g - e, b -> b + e * f``), when the factors are rescaled (``f -> s * f,
g -> g / s``) or when a constant moves between the intercepts and the mean: along these
directions only the regularisation decides, and alternating steps crawl along them. After each
sweep the closed-form best such move is applied, then Anderson acceleration (with a safeguard
that falls back to the plain step whenever the loss would rise) extrapolates the statement
parameters. The factor starts from the leading singular vector of the column-centred votes
(a few Golub-Kahan-Lanczos steps from a random start), so few sweeps are needed.

The loss is not convex. On real conversations the spectral start reaches the lowest minimum
found from many starts; on small noisy vote sets it can stop in a local minimum slightly
above it, which ``n_starts`` > 1 guards against.
"""

from __future__ import annotations

from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from .blas import single_blas_thread
from .types import AGREE, PASS, Votes

__all__ = ["BridgingFit", "bridging_scores"]

FloatArray = NDArray[np.float64]

_ANDERSON_DEPTH = 8
# Lanczos steps for the starting factor: at least the first, at most the second, stopping in
# between when the leading singular vector has converged to _LANCZOS_TOLERANCE.
_LANCZOS_MIN_STEPS = 8
_LANCZOS_MAX_STEPS = 32
_LANCZOS_TOLERANCE = 1e-6
# The starting factor comes from at most about this many votes (a sample of participants):
# measured at 1M votes, a start from 125,000 votes costs one more sweep at most and saves a
# Lanczos run over all of them.
_STARTING_VOTES = 125_000
_STARTING_BLOCKS = 16
# From this many kept votes, two sparse products at a time (see bridging_scores); measured
# alone: 5 % slower at 300,000 votes, even at 500,000, 12 % faster at 1,000,000.
_PARALLEL_MIN_VOTES = 750_000
# Above this share of left-out (pass or moderated-out) votes, copying the kept votes out is
# cheaper than carrying zero weights through every sparse product (about 40 products per fit).
_COMPACT_SHARE = 1 / 20


@dataclass(frozen=True)
class BridgingFit:
    """The fitted factorisation; ``statement_intercept`` is the bridging score.

    Attributes
    ----------
    statement_intercept, statement_factor
        ``c_j`` and ``g_j`` per statement (0 where a statement has no agree or disagree vote).
    participant_intercept, participant_factor
        ``b_i`` and ``f_i`` per participant.
    mean
        The global intercept.
    loss
        The minimised objective (squared error plus regularisation).
    n_iterations
        Alternating sweeps performed, over all starts.
    converged
        Whether the statement parameters moved less than the tolerance in the last sweep.
    reason
        Why nothing was fitted, or an empty string.
    """

    statement_intercept: FloatArray
    statement_factor: FloatArray
    participant_intercept: FloatArray
    participant_factor: FloatArray
    mean: float
    loss: float
    n_iterations: int
    converged: bool
    reason: str = ""


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
        problem = _Problem(design, intercept_regularisation, factor_regularisation, helper)
        return problem.fit(
            rng, max_iterations=max_iterations, tolerance=tolerance, n_starts=max(n_starts, 1)
        )


@dataclass(frozen=True)
class _Design:
    """Sparse views of the kept votes: weights (1 per kept vote) and agrees (1 per agree)."""

    by_participant: Any  # csr_array: participants x statements, 1 per kept vote
    agree_by_participant: Any  # csr_array holding only the agree votes, 1 each
    by_statement: Any  # csc_array transposes of the two above (views, no copy)
    agree_by_statement: Any
    is_agree: NDArray[np.bool_]  # per entry of by_participant: whether it is an agree vote
    n_by_participant: FloatArray
    n_by_statement: FloatArray
    participant_active: FloatArray  # 1 where a participant has a kept vote, else 0
    statement_active: FloatArray
    agrees_by_participant: FloatArray
    agrees_by_statement: FloatArray


def _design(votes: Votes) -> _Design | None:
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
    by_participant = sp.csr_array((weights, indices, pointer), shape=shape)
    # Only the agree votes: the products with it read a fraction of the entries.
    agree_positions, agree_pointer = _subset(is_agree, pointer)
    n_agrees = agree_positions.shape[0]
    # When every weight is 1, the agree matrix shares their memory.
    ones = weights[:n_agrees] if compact else np.ones(n_agrees)
    agree_by_participant = sp.csr_array(
        (ones, indices[agree_positions], agree_pointer), shape=shape
    )
    # Column sums as sparse products: faster than weighted bincounts.
    ones_by_participant = np.ones(n_participants)
    n_by_participant = (
        np.diff(pointer).astype(np.float64)
        if compact
        else _product(by_participant, np.ones(n_statements))
    )
    n_by_statement = _product(by_participant.T, ones_by_participant)
    return _Design(
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
        agrees_by_statement=_product(agree_by_participant.T, ones_by_participant),
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


def _dot(first: FloatArray, second: FloatArray) -> float:
    """Return the dot product of two vectors.

    numpy's own loop, not BLAS: a threaded BLAS call on a busy machine can stall for
    milliseconds, far longer than the sum itself.
    """
    return float(np.einsum("i,i->", first, second))


def _product(matrix: Any, vector: FloatArray) -> FloatArray:
    """Return the sparse matrix times the vector."""
    result: FloatArray = matrix @ vector
    return result


def _products(matrix: Any, first: FloatArray, second: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Return the sparse matrix times each of two vectors."""
    return _product(matrix, first), _product(matrix, second)


@dataclass
class _Side:
    """Mean, intercepts and factors solved for one side (participants or statements)."""

    mean: float
    intercept: FloatArray
    factor: FloatArray
    loss: float


@dataclass
class _Parameters:
    mean: float
    participant_intercept: FloatArray
    participant_factor: FloatArray
    statement_intercept: FloatArray
    statement_factor: FloatArray

    def regularisation(self, intercept_weight: float, factor_weight: float) -> float:
        """Return the regularisation term of the loss."""
        b, c = self.participant_intercept, self.statement_intercept
        f, g = self.participant_factor, self.statement_factor
        return intercept_weight * (_dot(b, b) + _dot(c, c)) + factor_weight * (
            _dot(f, f) + _dot(g, g)
        )


class _Problem:
    """The loss of one vote set, with the alternating steps that minimise it."""

    def __init__(
        self,
        design: _Design,
        intercept_weight: float,
        factor_weight: float,
        helper: Executor | None = None,
    ) -> None:
        self.design = design
        self.intercept_weight = intercept_weight
        self.factor_weight = factor_weight
        self.helper = helper

    def _solve_side(
        self,
        weights: Any,
        agrees: Any,
        n_votes: FloatArray,
        n_agrees: FloatArray,
        other_n_votes: FloatArray,
        other_n_agrees: FloatArray,
        other_intercept: FloatArray,
        other_factor: FloatArray,
        other_regularisation: float,
        active: FloatArray,
    ) -> _Side:
        """Minimise the loss over the mean and one side's intercepts and factors.

        With ``r`` the votes minus the other side's intercepts, each row solves
        ``[[n + li, G], [G, Q + lf]] [b, f] = [S - n mu, T - G mu]`` (``G``, ``Q``: sums of
        the other factors and of their squares; ``S``, ``T``: sums of ``r`` and of ``r``
        times the other factors); the solution is affine in the mean ``mu``, whose own
        equation then has a closed form.
        """
        li, lf = self.intercept_weight, self.factor_weight
        g, c = other_factor, other_intercept
        intercept_products = (
            self.helper.submit(_products, weights, c, c * g) if self.helper is not None else None
        )
        sum_factor = _product(weights, g)
        sum_factor_squared = _product(weights, g * g)
        agree_factor = _product(agrees, g)
        intercept_sum, intercept_factor_sum = (
            intercept_products.result()
            if intercept_products is not None
            else _products(weights, c, c * g)
        )
        sum_residual = n_agrees - intercept_sum
        sum_residual_factor = agree_factor - intercept_factor_sum
        a11 = n_votes + li
        a22 = sum_factor_squared + lf
        determinant = a11 * a22 - sum_factor * sum_factor
        inverse11 = a22 / determinant
        inverse12 = -sum_factor / determinant
        inverse22 = a11 / determinant
        intercept = inverse11 * sum_residual + inverse12 * sum_residual_factor
        factor = inverse12 * sum_residual + inverse22 * sum_residual_factor
        # d(intercept)/d(mean) = -(1 - li * inverse11): rows without votes have 0.
        mean_weight = 1.0 - li * inverse11
        total_weight = float(mean_weight.sum())
        mean = float(intercept.sum()) / total_weight if total_weight > 0 else 0.0
        intercept -= mean * mean_weight
        factor += (mean * li) * inverse12
        # Rows without votes are 0 in exact arithmetic; make them so in floating point.
        intercept *= active
        factor *= active
        # A penalised least-squares minimum is r.r minus the solution dotted with X'r.
        # Votes are 0 or 1, so y^2 = y.
        residual_squares = _dot(other_n_agrees, 1.0 - 2.0 * c) + _dot(other_n_votes, c * c)
        loss = (
            residual_squares
            - mean * float(sum_residual.sum())
            - _dot(intercept, sum_residual)
            - _dot(factor, sum_residual_factor)
            + other_regularisation
        )
        return _Side(mean=mean, intercept=intercept, factor=factor, loss=loss)

    def solve_participants(
        self, statement_intercept: FloatArray, statement_factor: FloatArray
    ) -> _Side:
        """Minimise over the mean and every participant's intercept and factor."""
        d = self.design
        c, g = statement_intercept, statement_factor
        return self._solve_side(
            d.by_participant,
            d.agree_by_participant,
            d.n_by_participant,
            d.agrees_by_participant,
            d.n_by_statement,
            d.agrees_by_statement,
            c,
            g,
            self.intercept_weight * _dot(c, c) + self.factor_weight * _dot(g, g),
            d.participant_active,
        )

    def solve_statements(
        self, participant_intercept: FloatArray, participant_factor: FloatArray
    ) -> _Side:
        """Minimise over the mean and every statement's intercept and factor."""
        d = self.design
        b, f = participant_intercept, participant_factor
        return self._solve_side(
            d.by_statement,
            d.agree_by_statement,
            d.n_by_statement,
            d.agrees_by_statement,
            d.n_by_participant,
            d.agrees_by_participant,
            b,
            f,
            self.intercept_weight * _dot(b, b) + self.factor_weight * _dot(f, f),
            d.statement_active,
        )

    def settle_symmetries(self, parameters: _Parameters) -> None:
        """Apply the moves that keep every prediction and lower the regularisation.

        ``g -> g - e`` with ``b -> b + e f``, ``f -> f - e`` with ``c -> c + e g``, the
        balancing rescale of ``f`` and ``g``, and moving the intercepts' averages into the
        mean: each in closed form, twice round.
        """
        li, lf = self.intercept_weight, self.factor_weight
        p = parameters
        b, c = p.participant_intercept, p.statement_intercept
        f, g = p.participant_factor, p.statement_factor
        mean = p.mean
        # Only parameters of participants and statements with votes move: the others stay 0.
        participant_active = self.design.participant_active
        statement_active = self.design.statement_active
        n_participants = float(participant_active.sum())
        n_statements = float(statement_active.sum())
        for _ in range(2):
            shift = (lf * g.sum() - li * _dot(b, f)) / (li * _dot(f, f) + lf * n_statements)
            g = g - shift * statement_active
            b = b + shift * f
            shift = (lf * f.sum() - li * _dot(c, g)) / (li * _dot(g, g) + lf * n_participants)
            f = f - shift * participant_active
            c = c + shift * g
            f_squares, g_squares = _dot(f, f), _dot(g, g)
            if f_squares > 0 and g_squares > 0:
                scale = (g_squares / f_squares) ** 0.25
                f = f * scale
                g = g / scale
            average = float(b.sum()) / n_participants
            b = b - average * participant_active
            mean += average
            average = float(c.sum()) / n_statements
            c = c - average * statement_active
            mean += average
        p.mean = mean
        p.participant_intercept, p.statement_intercept = b, c
        p.participant_factor, p.statement_factor = f, g

    def sweep(
        self, statement_intercept: FloatArray, statement_factor: FloatArray
    ) -> tuple[float, float, _Parameters]:
        """Return the loss after the participant step, the loss at the end, the parameters."""
        participants = self.solve_participants(statement_intercept, statement_factor)
        statements = self.solve_statements(participants.intercept, participants.factor)
        parameters = _Parameters(
            mean=statements.mean,
            participant_intercept=participants.intercept,
            participant_factor=participants.factor,
            statement_intercept=statements.intercept,
            statement_factor=statements.factor,
        )
        li, lf = self.intercept_weight, self.factor_weight
        before = parameters.regularisation(li, lf)
        self.settle_symmetries(parameters)
        loss = statements.loss - before + parameters.regularisation(li, lf)
        return participants.loss, loss, parameters

    def starting_factor(self, rng: np.random.Generator) -> FloatArray:
        """Return the leading right singular vector of the column-centred votes, scaled.

        On large vote sets, evenly spread blocks of participants with about
        ``_STARTING_VOTES`` votes in all stand in for everyone.
        """
        d = self.design
        n_statements = int(d.n_by_statement.shape[0])
        column_mean = d.agrees_by_statement / np.maximum(d.n_by_statement, 1.0)
        weights = d.by_participant
        pointer = weights.indptr
        n_participants, n_votes = int(weights.shape[0]), int(weights.nnz)
        if n_votes <= _STARTING_VOTES:
            blocks = [(0, n_participants)]
        else:
            first_rows = np.linspace(0, n_participants, _STARTING_BLOCKS, endpoint=False)
            first_rows = first_rows.astype(np.int64)
            quota = _STARTING_VOTES // _STARTING_BLOCKS
            last_rows = np.searchsorted(pointer, pointer[first_rows] + quota, side="right")
            # At least one row per block, and no block running into the next one.
            next_first_rows = np.append(first_rows[1:], n_participants)
            last_rows = np.minimum(np.maximum(last_rows - 1, first_rows + 1), next_first_rows)
            blocks = list(zip(first_rows.tolist(), last_rows.tolist(), strict=True))
        n_rows = sum(last - first for first, last in blocks)
        n_sample = sum(int(pointer[last]) - int(pointer[first]) for first, last in blocks)
        sample_indices = np.empty(n_sample, dtype=weights.indices.dtype)
        sample_votes = np.empty(n_sample)
        sample_pointer = np.zeros(n_rows + 1, dtype=pointer.dtype)
        offset = row = 0
        for first, last in blocks:
            start, stop = int(pointer[first]), int(pointer[last])
            end = offset + stop - start
            block_indices = weights.indices[start:stop]
            sample_indices[offset:end] = block_indices
            centred_votes = sample_votes[offset:end]
            # Indexing, not np.take: take is several times slower with 32-bit indices.
            centred_votes[:] = column_mean[block_indices]
            centred_votes *= weights.data[start:stop]
            np.subtract(d.is_agree[start:stop], centred_votes, out=centred_votes)
            sample_pointer[row + 1 : row + 1 + last - first] = (
                pointer[first + 1 : last + 1] - start + offset
            )
            offset, row = end, row + last - first
        centred = sp.csr_array(
            (sample_votes, sample_indices, sample_pointer), shape=(n_rows, n_statements)
        )
        start_vector: FloatArray = rng.standard_normal(n_statements)
        direction, singular_value = _leading_right_vector(
            centred, start_vector, _LANCZOS_MAX_STEPS, _LANCZOS_TOLERANCE
        )
        if singular_value <= 0:
            return 0.1 * start_vector
        # A sample of a share s of the votes has singular values about sqrt(s) times smaller.
        share = max(offset, 1) / max(n_votes, 1)
        scaled: FloatArray = np.sqrt(singular_value / np.sqrt(share)) * direction
        return scaled

    def fit(
        self, rng: np.random.Generator, *, max_iterations: int, tolerance: float, n_starts: int
    ) -> BridgingFit:
        """Descend from the spectral start, then from random ones; keep the lowest loss."""
        start = self.starting_factor(rng)
        best = self.descend(start, max_iterations=max_iterations, tolerance=tolerance)
        n_iterations = best.n_iterations
        size = float(np.sqrt(_dot(start, start))) or 1.0
        for _ in range(n_starts - 1):
            direction: FloatArray = rng.standard_normal(int(start.shape[0]))
            direction *= size / max(float(np.sqrt(_dot(direction, direction))), 1e-300)
            candidate = self.descend(direction, max_iterations=max_iterations, tolerance=tolerance)
            n_iterations += candidate.n_iterations
            if candidate.loss < best.loss:
                best = candidate
        return replace(best, n_iterations=n_iterations)

    def descend(
        self, starting_factor: FloatArray, *, max_iterations: int, tolerance: float
    ) -> BridgingFit:
        """Run accelerated alternating sweeps from zero intercepts and the given factor."""
        n_statements = starting_factor.shape[0]
        point = np.concatenate([np.zeros(n_statements), starting_factor])
        points: list[FloatArray] = []
        steps: list[FloatArray] = []
        bound = np.inf
        plain_next: FloatArray | None = None
        converged = False
        n_iterations = 0
        while True:
            start_loss, loss, parameters = self.sweep(point[:n_statements], point[n_statements:])
            n_iterations += 1
            if start_loss > bound and plain_next is not None:
                # The extrapolated point is worse than the plain step it replaced: take that.
                point = plain_next
                points.clear()
                steps.clear()
                start_loss, loss, parameters = self.sweep(
                    point[:n_statements], point[n_statements:]
                )
                n_iterations += 1
            image = np.concatenate([parameters.statement_intercept, parameters.statement_factor])
            step = image - point
            if float(np.abs(step).max()) <= tolerance:
                converged = True
                break
            if n_iterations >= max_iterations:
                break
            bound = loss
            plain_next = image
            point = _anderson(points, steps, point, step, image)
        return _signed_fit(parameters, loss, n_iterations, converged)


def _anderson(
    points: list[FloatArray],
    steps: list[FloatArray],
    point: FloatArray,
    step: FloatArray,
    image: FloatArray,
) -> FloatArray:
    """Return the Anderson-extrapolated next point from the recent points and their steps."""
    points.append(point)
    steps.append(step)
    if len(points) > _ANDERSON_DEPTH + 1:
        del points[0], steps[0]
    if len(points) < 2:
        return image
    point_changes = np.diff(np.asarray(points), axis=0).T
    step_changes = np.diff(np.asarray(steps), axis=0).T
    weights = np.linalg.lstsq(step_changes, step, rcond=None)[0]
    extrapolated: FloatArray = image - np.einsum("ik,k->i", point_changes + step_changes, weights)
    if not np.isfinite(extrapolated).all():
        return image
    return extrapolated


def _signed_fit(
    parameters: _Parameters, loss: float, n_iterations: int, converged: bool
) -> BridgingFit:
    """Return the fit with the largest statement factor made positive."""
    f, g = parameters.participant_factor, parameters.statement_factor
    if g.shape[0] and g[int(np.argmax(np.abs(g)))] < 0:
        f, g = -f, -g
    return BridgingFit(
        statement_intercept=parameters.statement_intercept,
        statement_factor=g,
        participant_intercept=parameters.participant_intercept,
        participant_factor=f,
        mean=float(parameters.mean),
        loss=float(loss),
        n_iterations=n_iterations,
        converged=converged,
    )


def _leading_right_vector(
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
    norm = float(np.sqrt(_dot(start, start)))
    if norm == 0 or n_steps == 0:
        return start, 0.0
    vector = start / norm
    previous = 0.0
    size = 0
    for step in range(n_steps):
        right[step] = vector
        column = _product(matrix, vector)
        if step:
            column -= previous * left[step - 1]
            # Full reorthogonalisation: cheap for so few vectors, and keeps the basis exact.
            column -= np.einsum("ki,k->i", left[:step], np.einsum("ki,i->k", left[:step], column))
        alpha = float(np.sqrt(_dot(column, column)))
        if alpha <= 1e-12:
            break
        left[step] = column / alpha
        diagonal[step] = alpha
        size = step + 1
        row = _product(matrix.T, left[step]) - alpha * vector
        row -= np.einsum("ki,k->i", right[:size], np.einsum("ki,i->k", right[:size], row))
        beta = float(np.sqrt(_dot(row, row)))
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
