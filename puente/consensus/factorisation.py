"""Alternating least squares for the one-factor model of the bridging scores, on sparse votes.

``Problem`` is the loss of one vote set, given as a ``Design`` (the kept votes as sparse
matrices of 0 and 1), with the steps that minimise it; ``BridgingFit`` is what a fit returns.

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

from concurrent.futures import Executor
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .lanczos import dot, leading_right_vector, product
from .sparse import SparseRows

__all__ = ["BridgingFit", "Design", "Problem"]

FloatArray = NDArray[np.float64]

_ANDERSON_DEPTH = 8
# Lanczos steps for the starting factor: at most this many, fewer once the leading singular
# vector has converged to _LANCZOS_TOLERANCE (see leading_right_vector).
_LANCZOS_MAX_STEPS = 32
_LANCZOS_TOLERANCE = 1e-6
# The starting factor comes from at most about this many votes (a sample of participants):
# measured at 1M votes, a start from 125,000 votes costs one more sweep at most and saves a
# Lanczos run over all of them.
_STARTING_VOTES = 125_000
_STARTING_BLOCKS = 16


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


@dataclass(frozen=True)
class Design:
    """Sparse views of the kept votes: weights (1 per kept vote) and agrees (1 per agree)."""

    by_participant: SparseRows  # participants x statements, 1 per kept vote
    agree_by_participant: SparseRows  # only the agree votes, 1 each
    by_statement: SparseRows  # transposes of the two above (the same arrays, no copy)
    agree_by_statement: SparseRows
    is_agree: NDArray[np.bool_]  # per entry of by_participant: whether it is an agree vote
    n_by_participant: FloatArray
    n_by_statement: FloatArray
    participant_active: FloatArray  # 1 where a participant has a kept vote, else 0
    statement_active: FloatArray
    agrees_by_participant: FloatArray
    agrees_by_statement: FloatArray


def _products(matrix: Any, first: FloatArray, second: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Return the sparse matrix times each of two vectors."""
    return product(matrix, first), product(matrix, second)


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
        return intercept_weight * (dot(b, b) + dot(c, c)) + factor_weight * (dot(f, f) + dot(g, g))


class Problem:
    """The loss of one vote set, with the alternating steps that minimise it."""

    def __init__(
        self,
        design: Design,
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
        sum_factor = product(weights, g)
        sum_factor_squared = product(weights, g * g)
        agree_factor = product(agrees, g)
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
        residual_squares = dot(other_n_agrees, 1.0 - 2.0 * c) + dot(other_n_votes, c * c)
        loss = (
            residual_squares
            - mean * float(sum_residual.sum())
            - dot(intercept, sum_residual)
            - dot(factor, sum_residual_factor)
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
            self.intercept_weight * dot(c, c) + self.factor_weight * dot(g, g),
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
            self.intercept_weight * dot(b, b) + self.factor_weight * dot(f, f),
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
            shift = (lf * g.sum() - li * dot(b, f)) / (li * dot(f, f) + lf * n_statements)
            g = g - shift * statement_active
            b = b + shift * f
            shift = (lf * f.sum() - li * dot(c, g)) / (li * dot(g, g) + lf * n_participants)
            f = f - shift * participant_active
            c = c + shift * g
            f_squares, g_squares = dot(f, f), dot(g, g)
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
        pointer = weights.pointer
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
        centred = SparseRows(sample_votes, sample_indices, sample_pointer, (n_rows, n_statements))
        start_vector: FloatArray = rng.standard_normal(n_statements)
        direction, singular_value = leading_right_vector(
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
        size = float(np.sqrt(dot(start, start))) or 1.0
        for _ in range(n_starts - 1):
            direction: FloatArray = rng.standard_normal(int(start.shape[0]))
            direction *= size / max(float(np.sqrt(dot(direction, direction))), 1e-300)
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
