"""Bradley-Terry strengths of statements from pairwise comparisons, with confidence intervals.

The model: a participant prefers statement ``i`` to ``j`` with probability
``1 / (1 + exp(-(theta_i - theta_j)))``. The estimate is the maximum a posteriori one of
``choix.opt_pairwise(n_items, data, alpha=regularisation)``: it minimises

    regularisation * sum_i theta_i^2 - sum over comparisons log P(winner beats loser),

that is, a Gaussian prior of variance ``1 / (2 * regularisation)`` on every log-strength
(choix's docstring says ``1 / alpha``; its objective, matched here, gives the half). The
``alpha`` of ``choix.ilsr_pairwise`` is another regulariser (a rate added to every transition
of the spectral Markov chain) and gives other estimates.
The penalty keeps the estimate finite when a statement always wins, and puts the mean at 0
(the likelihood does not change when every strength moves by the same amount, so the
penalty's gradient sums to 0 at the optimum). Newton's method with a dense Hessian and a
backtracking line search finds it. The standard errors come from the inverse Hessian of the
penalised objective (the Laplace approximation of the posterior covariance ``C``), taken for
each strength less the mean strength of the compared statements (that mean is 0 at the
optimum): only differences of strengths are identified, and the common level's variance
would otherwise come from the prior alone and swamp the data's. A statement never compared
keeps the prior's standard error, ``1 / sqrt(2 * regularisation)`` (7.1 at 0.01). The
interval is ``strength +- z * standard_error``.

A comparison of a statement with itself says nothing and is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .normal import normal_quantile
from .types import Comparisons

__all__ = ["PairwiseStrengths", "bradley_terry"]

FloatArray = NDArray[np.float64]

_MAX_NEWTON_STEPS = 100
# Below this relative size, a decrease of the objective is lost in rounding.
_RESOLVED_DECREASE = 1e-12


@dataclass(frozen=True)
class PairwiseStrengths:
    """Log-strength per statement with its uncertainty.

    Attributes
    ----------
    strength
        Log-strength per statement; the mean over statements is 0.
    standard_error
        Standard error of each log-strength.
    low, high
        Bounds of the confidence interval of each log-strength.
    n_comparisons
        Comparisons each statement took part in.
    confidence
        Level of the interval, such as 0.95.
    reason
        Why nothing could be estimated, or an empty string.
    """

    strength: FloatArray
    standard_error: FloatArray
    low: FloatArray
    high: FloatArray
    n_comparisons: NDArray[np.int64]
    confidence: float
    reason: str = ""


def bradley_terry(
    comparisons: Comparisons,
    n_statements: int,
    *,
    regularisation: float = 0.01,
    confidence: float = 0.95,
    tolerance: float = 1e-10,
) -> PairwiseStrengths:
    """Estimate Bradley-Terry log-strengths, as ``choix.opt_pairwise`` with ``alpha``.

    Parameters
    ----------
    comparisons
        Who preferred which statement to which.
    n_statements
        Number of statements; winners and losers index into them.
    regularisation
        ``alpha`` of choix: weight of the sum of squared log-strengths in the objective.
    confidence
        Level of the confidence intervals.
    tolerance
        Stop when Newton's step changes no strength by more than this.

    Returns
    -------
    PairwiseStrengths
        Statements never compared get strength 0 and the prior's wide interval.
    """
    if regularisation <= 0:
        raise ValueError("regularisation must be positive")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    winner = np.asarray(comparisons.winner, dtype=np.int64)
    loser = np.asarray(comparisons.loser, dtype=np.int64)
    if winner.shape != loser.shape:
        raise ValueError("winner and loser must have the same length")
    if winner.size and (
        min(winner.min(), loser.min()) < 0 or max(winner.max(), loser.max()) >= n_statements
    ):
        raise ValueError("a compared statement is outside 0 .. n_statements - 1")
    distinct = winner != loser
    winner, loser = winner[distinct], loser[distinct]
    n_comparisons = np.bincount(winner, minlength=n_statements) + np.bincount(
        loser, minlength=n_statements
    )
    if winner.size == 0:
        strength = np.zeros(n_statements)
        # The prior alone: variance 1 / (2 alpha) each.
        standard_error = np.full(n_statements, np.sqrt(0.5 / regularisation))
        reason = "no comparisons between different statements"
    else:
        pairs = _Pairs.from_comparisons(winner, loser, n_statements)
        compared = (n_comparisons > 0).astype(np.float64)
        strength, standard_error = _fit(pairs, n_statements, compared, regularisation, tolerance)
        reason = ""
    half_width = normal_quantile(0.5 + confidence / 2) * standard_error
    return PairwiseStrengths(
        strength=strength,
        standard_error=standard_error,
        low=strength - half_width,
        high=strength + half_width,
        n_comparisons=n_comparisons.astype(np.int64),
        confidence=float(confidence),
        reason=reason,
    )


@dataclass(frozen=True)
class _Pairs:
    """Distinct unordered pairs ``first < second`` and how often each side won."""

    first: NDArray[np.int64]
    second: NDArray[np.int64]
    first_wins: FloatArray
    second_wins: FloatArray

    @classmethod
    def from_comparisons(
        cls, winner: NDArray[np.int64], loser: NDArray[np.int64], n_statements: int
    ) -> _Pairs:
        """Count the wins of each side of every compared pair."""
        first = np.minimum(winner, loser)
        second = np.maximum(winner, loser)
        keys, position = np.unique(first * n_statements + second, return_inverse=True)
        first_won = (winner == first).astype(np.float64)
        first_wins = np.bincount(position, weights=first_won, minlength=keys.size).astype(
            np.float64
        )
        totals = np.bincount(position, minlength=keys.size).astype(np.float64)
        return cls(
            first=keys // n_statements,
            second=keys % n_statements,
            first_wins=first_wins,
            second_wins=totals - first_wins,
        )


def _objective(pairs: _Pairs, strength: FloatArray, regularisation: float) -> float:
    """Return the penalised negative log-likelihood."""
    difference = strength[pairs.first] - strength[pairs.second]
    # -log P(first beats second) = log(1 + exp(-d)); the other way, log(1 + exp(d)).
    negative_log_likelihood = pairs.first_wins @ np.logaddexp(
        0.0, -difference
    ) + pairs.second_wins @ np.logaddexp(0.0, difference)
    return float(regularisation * (strength @ strength) + negative_log_likelihood)


def _gradient_and_hessian(
    pairs: _Pairs, strength: FloatArray, n_statements: int, regularisation: float
) -> tuple[FloatArray, FloatArray]:
    """Return the gradient and the dense Hessian of the penalised objective."""
    # scipy is imported when comparisons are ranked, not by every run of the engine.
    from scipy.special import expit

    difference = strength[pairs.first] - strength[pairs.second]
    first_probability = expit(difference)
    # d/dd of the pair's loss: the first side's expected wins minus its actual wins.
    slope = (pairs.first_wins + pairs.second_wins) * first_probability - pairs.first_wins
    gradient = 2.0 * regularisation * strength
    gradient += np.bincount(pairs.first, weights=slope, minlength=n_statements)
    gradient -= np.bincount(pairs.second, weights=slope, minlength=n_statements)
    curvature = (pairs.first_wins + pairs.second_wins) * first_probability * (1 - first_probability)
    hessian = np.zeros((n_statements, n_statements))
    diagonal = np.bincount(pairs.first, weights=curvature, minlength=n_statements)
    diagonal += np.bincount(pairs.second, weights=curvature, minlength=n_statements)
    hessian[np.diag_indices(n_statements)] = diagonal + 2.0 * regularisation
    # Pairs are distinct, so each off-diagonal cell is written once.
    hessian[pairs.first, pairs.second] = -curvature
    hessian[pairs.second, pairs.first] = -curvature
    return gradient, hessian


def _fit(
    pairs: _Pairs,
    n_statements: int,
    compared: FloatArray,
    regularisation: float,
    tolerance: float,
) -> tuple[FloatArray, FloatArray]:
    """Return the penalised maximum-likelihood strengths and their standard errors."""
    from scipy.linalg import cho_factor, cho_solve

    strength = np.zeros(n_statements)
    objective = _objective(pairs, strength, regularisation)
    for _ in range(_MAX_NEWTON_STEPS):
        gradient, hessian = _gradient_and_hessian(pairs, strength, n_statements, regularisation)
        factor = cho_factor(hessian, lower=True, overwrite_a=True)
        step = -cho_solve(factor, gradient)
        if float(np.abs(step).max()) <= tolerance:
            strength = strength + step
            break
        decrease = float(gradient @ step)  # negative: the Hessian is positive definite
        if -decrease <= _RESOLVED_DECREASE * max(abs(objective), 1.0):
            # Too close for the objective to resolve a decrease: Newton converges
            # quadratically here, so the full step is taken without a line search.
            strength = strength + step
            continue
        size = 1.0
        while True:
            candidate = strength + size * step
            candidate_objective = _objective(pairs, candidate, regularisation)
            if candidate_objective <= objective + 1e-4 * size * decrease or size < 1e-10:
                break
            size /= 2
        if candidate_objective > objective:
            break  # rounding: no step lowers the objective any more
        strength, objective = candidate, candidate_objective
    else:
        _, hessian = _gradient_and_hessian(pairs, strength, n_statements, regularisation)
        factor = cho_factor(hessian, lower=True, overwrite_a=True)
    # The loop leaves the factorised Hessian at the final strengths (or a step before it when
    # rounding stopped the descent, where the two agree to rounding).
    covariance = _inverse_from_cholesky(factor[0])
    # Only differences of strengths are identified; the common level's variance comes from
    # the prior alone. The errors are those of the strengths less the mean of the compared
    # statements (which is 0 at the optimum, as is the overall mean): diag(P C P') with
    # P = I - 1 w', w averaging over the compared statements.
    weights = compared / compared.sum()
    weighted = covariance @ weights
    variance = np.diag(covariance) - 2.0 * weighted + weights @ weighted
    centred: FloatArray = strength - strength.mean()
    standard_error: FloatArray = np.sqrt(np.clip(variance, 0.0, None))
    return centred, standard_error


def _inverse_from_cholesky(lower: FloatArray) -> FloatArray:
    """Return the symmetric inverse of L L' from its lower Cholesky factor L."""
    from scipy.linalg import lapack

    inverse, info = lapack.dpotri(lower, lower=1)
    if info != 0:
        raise np.linalg.LinAlgError(f"dpotri failed with info {info}")
    # dpotri fills the lower triangle only.
    symmetric: FloatArray = np.tril(inverse) + np.tril(inverse, -1).T
    return symmetric
