"""Bradley-Terry strengths: equal to choix's, with honest intervals."""

import warnings

import choix
import numpy as np
import pytest

from puente.consensus.pairwise import bradley_terry
from puente.consensus.types import Comparisons

ATOL = 1e-6


def _comparisons(rng: np.random.Generator, strength: np.ndarray, n_comparisons: int) -> Comparisons:
    """Draw comparisons between random distinct statements under the Bradley-Terry model."""
    n_statements = strength.shape[0]
    first = rng.integers(0, n_statements, n_comparisons)
    second = (first + rng.integers(1, n_statements, n_comparisons)) % n_statements
    first_wins = rng.random(n_comparisons) < 1 / (1 + np.exp(-(strength[first] - strength[second])))
    winner = np.where(first_wins, first, second)
    loser = np.where(first_wins, second, first)
    return Comparisons(
        participant=rng.integers(0, 50, n_comparisons).astype(np.int32),
        winner=winner.astype(np.int32),
        loser=loser.astype(np.int32),
    )


def _choix(comparisons: Comparisons, n_statements: int, alpha: float) -> np.ndarray:
    data = list(zip(comparisons.winner.tolist(), comparisons.loser.tolist(), strict=True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Newton-CG may warn about precision at tight tolerance
        strengths: np.ndarray = choix.opt_pairwise(n_statements, data, alpha=alpha, tol=1e-12)
    return strengths


@pytest.mark.parametrize(
    ("seed", "n_statements", "n_comparisons", "alpha"),
    [(0, 6, 40, 0.01), (1, 12, 200, 0.01), (2, 20, 150, 0.1), (3, 8, 500, 0.001), (4, 30, 90, 1.0)],
)
def test_strengths_equal_choix_opt_pairwise(seed, n_statements, n_comparisons, alpha):
    rng = np.random.default_rng(seed)
    comparisons = _comparisons(rng, rng.normal(0, 1.5, n_statements), n_comparisons)
    ours = bradley_terry(comparisons, n_statements, regularisation=alpha)
    theirs = _choix(comparisons, n_statements, alpha)
    assert np.allclose(ours.strength, theirs, atol=ATOL)
    assert abs(ours.strength.mean()) < 1e-12


def test_a_statement_that_always_wins_gets_a_finite_top_strength_as_in_choix():
    comparisons = Comparisons(
        participant=np.zeros(6, dtype=np.int32),
        winner=np.array([0, 0, 0, 1, 1, 2], dtype=np.int32),
        loser=np.array([1, 2, 3, 2, 3, 3], dtype=np.int32),
    )
    ours = bradley_terry(comparisons, 4)
    assert np.isfinite(ours.strength).all()
    assert np.argsort(-ours.strength).tolist() == [0, 1, 2, 3]
    assert np.allclose(ours.strength, _choix(comparisons, 4, 0.01), atol=ATOL)


def test_the_planted_order_is_recovered():
    rng = np.random.default_rng(5)
    planted = np.linspace(-2, 2, 10)
    ours = bradley_terry(_comparisons(rng, planted, 4000), 10)
    assert np.argsort(ours.strength).tolist() == list(range(10))
    assert np.allclose(ours.strength, planted - planted.mean(), atol=0.25)


def test_the_intervals_cover_the_planted_strengths_about_as_often_as_claimed():
    rng = np.random.default_rng(6)
    planted = rng.normal(0, 1, 200)
    ours = bradley_terry(_comparisons(rng, planted, 30_000), 200, regularisation=1e-4)
    centred = planted - planted.mean()
    covered = (ours.low <= centred) & (centred <= ours.high)
    assert 0.9 <= covered.mean() <= 0.99
    wider = bradley_terry(_comparisons(rng, planted, 30_000), 200, confidence=0.99)
    assert (wider.high - wider.low > 0).all()
    assert np.allclose(
        (wider.high - wider.low) / (2 * wider.standard_error), 2.5758293035489, rtol=1e-9
    )


def test_statements_never_compared_get_zero_and_a_wide_interval():
    rng = np.random.default_rng(7)
    comparisons = _comparisons(rng, rng.normal(0, 1, 5), 300)  # only statements 0..4 of 8
    ours = bradley_terry(comparisons, 8)
    assert ours.n_comparisons[5:].tolist() == [0, 0, 0]
    assert ours.n_comparisons.sum() == 2 * 300
    # The strengths are centred, so the uncompared sit at minus the mean of the others: 0
    # here, since the penalised optimum already has zero mean.
    assert np.allclose(ours.strength[5:], 0.0, atol=1e-12)
    assert (ours.standard_error[5:] > 5 * ours.standard_error[:5].max()).all()
    assert (ours.high[5:] - ours.low[5:] > 20).all()


def test_self_comparisons_are_ignored():
    rng = np.random.default_rng(8)
    comparisons = _comparisons(rng, rng.normal(0, 1, 6), 100)
    padded = Comparisons(
        participant=np.concatenate([comparisons.participant, [0, 1]]).astype(np.int32),
        winner=np.concatenate([comparisons.winner, [2, 3]]).astype(np.int32),
        loser=np.concatenate([comparisons.loser, [2, 3]]).astype(np.int32),
    )
    assert np.array_equal(bradley_terry(padded, 6).strength, bradley_terry(comparisons, 6).strength)


def test_no_comparisons_gives_zero_strengths_and_a_reason():
    empty = Comparisons(
        participant=np.zeros(0, dtype=np.int32),
        winner=np.zeros(0, dtype=np.int32),
        loser=np.zeros(0, dtype=np.int32),
    )
    ours = bradley_terry(empty, 4)
    assert ours.reason
    assert ours.strength.tolist() == [0.0] * 4
    assert np.isfinite(ours.standard_error).all()
    assert (ours.low < 0).all()
    assert (ours.high > 0).all()
    assert bradley_terry(empty, 0).strength.shape == (0,)


def test_out_of_range_statements_and_bad_parameters_are_refused():
    comparisons = Comparisons(
        participant=np.zeros(1, dtype=np.int32),
        winner=np.array([0], dtype=np.int32),
        loser=np.array([3], dtype=np.int32),
    )
    with pytest.raises(ValueError, match="outside"):
        bradley_terry(comparisons, 3)
    with pytest.raises(ValueError, match="regularisation"):
        bradley_terry(comparisons, 4, regularisation=0.0)
    with pytest.raises(ValueError, match="confidence"):
        bradley_terry(comparisons, 4, confidence=1.0)


def test_relabelling_statements_permutes_the_strengths():
    rng = np.random.default_rng(9)
    comparisons = _comparisons(rng, rng.normal(0, 1, 10), 400)
    relabel = rng.permutation(10)
    renamed = Comparisons(
        participant=comparisons.participant,
        winner=relabel[comparisons.winner].astype(np.int32),
        loser=relabel[comparisons.loser].astype(np.int32),
    )
    before = bradley_terry(comparisons, 10)
    after = bradley_terry(renamed, 10)
    assert np.allclose(after.strength[relabel], before.strength, atol=1e-10)
    assert np.allclose(after.standard_error[relabel], before.standard_error, atol=1e-10)
