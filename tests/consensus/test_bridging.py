"""Bridging scores: the fit is the loss minimum, and bridging statements score highest."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from puente.consensus import bridging, factorisation
from puente.consensus.bridging import BridgingFit, bridging_scores
from puente.consensus.types import Votes, votes_from_records

INTERCEPT_WEIGHT = 0.15
FACTOR_WEIGHT = 0.03
LOSS_RTOL = 1e-6
TIGHT = 1e-10


def _votes(matrix: np.ndarray, moderated_out: tuple[str, ...] = ()) -> Votes:
    """Build Votes from a dense matrix (nan = unseen) with ids p0.. and s0.."""
    rows, columns = np.nonzero(~np.isnan(matrix))
    return votes_from_records(
        [f"p{i}" for i in rows],
        [f"s{j}" for j in columns],
        matrix[rows, columns].astype(int),
        moderated_out=moderated_out,
        participant_order=[f"p{i}" for i in range(matrix.shape[0])],
        statement_order=[f"s{j}" for j in range(matrix.shape[1])],
    )


def _planted(
    rng: np.random.Generator, n_participants: int, n_statements: int, n_camps: int, density: float
) -> np.ndarray:
    """Return a dense vote matrix from camps with their own agree rates, with passes."""
    camp = rng.integers(0, n_camps, n_participants)
    agree_rate = rng.uniform(0.05, 0.95, (n_camps, n_statements))
    values = np.where(rng.random((n_participants, n_statements)) < agree_rate[camp], 1.0, -1.0)
    values[rng.random(values.shape) < 0.1] = 0.0
    values[rng.random(values.shape) > density] = np.nan
    return values


def _loss_and_gradient(parameters: np.ndarray, votes: Votes) -> tuple[float, np.ndarray]:
    """Return the objective of the brief and its gradient, for (mean, b, c, f, g) stacked."""
    n_p, n_s = votes.n_participants, votes.n_statements
    kept = (votes.value != 0) & ~votes.moderated_out[votes.statement]
    participant, statement = votes.participant[kept], votes.statement[kept]
    target = (votes.value[kept] == 1).astype(float)
    mean = parameters[0]
    b = parameters[1 : 1 + n_p]
    c = parameters[1 + n_p : 1 + n_p + n_s]
    f = parameters[1 + n_p + n_s : 1 + 2 * n_p + n_s]
    g = parameters[1 + 2 * n_p + n_s :]
    residual = mean + b[participant] + c[statement] + f[participant] * g[statement] - target
    loss = (
        residual @ residual + INTERCEPT_WEIGHT * (b @ b + c @ c) + FACTOR_WEIGHT * (f @ f + g @ g)
    )
    gradient = np.concatenate(
        [
            [2 * residual.sum()],
            2 * np.bincount(participant, residual, n_p) + 2 * INTERCEPT_WEIGHT * b,
            2 * np.bincount(statement, residual, n_s) + 2 * INTERCEPT_WEIGHT * c,
            2 * np.bincount(participant, residual * g[statement], n_p) + 2 * FACTOR_WEIGHT * f,
            2 * np.bincount(statement, residual * f[participant], n_s) + 2 * FACTOR_WEIGHT * g,
        ]
    )
    return float(loss), gradient


def _stacked(fit: BridgingFit) -> np.ndarray:
    return np.concatenate(
        [
            [fit.mean],
            fit.participant_intercept,
            fit.statement_intercept,
            fit.participant_factor,
            fit.statement_factor,
        ]
    )


def _scipy_minimum(votes: Votes, start: np.ndarray) -> float:
    result = minimize(
        _loss_and_gradient,
        start,
        args=(votes,),
        jac=True,
        method="L-BFGS-B",
        options={"ftol": 1e-15, "gtol": 1e-11, "maxiter": 20_000, "maxcor": 30},
    )
    return float(result.fun)


@pytest.mark.parametrize("seed", range(8))
def test_the_fit_is_the_loss_minimum_scipy_finds_around_it(seed):
    rng = np.random.default_rng(seed)
    votes = _votes(_planted(rng, 40, 12, n_camps=2 + seed % 3, density=0.7))
    fit = bridging_scores(votes, rng=np.random.default_rng(seed), tolerance=TIGHT)
    assert fit.converged
    loss, gradient = _loss_and_gradient(_stacked(fit), votes)
    assert fit.loss == pytest.approx(loss, rel=1e-9)
    assert np.abs(gradient).max() < 1e-6
    # From a perturbed start the generic optimiser comes back to the same minimum.
    for scale in (0.01, 0.05):
        perturbed = _stacked(fit) + rng.normal(0, scale, _stacked(fit).shape)
        assert _scipy_minimum(votes, perturbed) == pytest.approx(fit.loss, rel=LOSS_RTOL)


@pytest.mark.parametrize("seed", [0, 31])
def test_several_starts_reach_the_lowest_minimum_scipy_finds(seed):
    # The loss is not convex: on these small noisy sets the spectral start alone ends in a
    # local minimum above the lowest one.
    rng = np.random.default_rng(seed)
    votes = _votes(_planted(rng, 40, 12, n_camps=2 + seed % 3, density=0.7))
    n_parameters = 1 + 2 * votes.n_participants + 2 * votes.n_statements
    lowest = min(
        _scipy_minimum(votes, np.random.default_rng(k).normal(0, 0.3, n_parameters))
        for k in range(6)
    )
    single = bridging_scores(votes, rng=np.random.default_rng(seed), tolerance=TIGHT)
    several = bridging_scores(votes, rng=np.random.default_rng(seed), tolerance=TIGHT, n_starts=8)
    assert several.loss <= single.loss
    assert several.loss <= lowest * (1 + LOSS_RTOL)
    assert several.n_iterations > single.n_iterations


def test_the_default_tolerance_gives_the_minimum_to_about_a_millionth():
    rng = np.random.default_rng(7)
    votes = _votes(_planted(rng, 300, 40, n_camps=3, density=0.5))
    loose = bridging_scores(votes, rng=np.random.default_rng(0))
    tight = bridging_scores(votes, rng=np.random.default_rng(0), tolerance=TIGHT)
    assert loose.converged
    assert loose.loss == pytest.approx(tight.loss, rel=1e-9)
    assert np.allclose(loose.statement_intercept, tight.statement_intercept, atol=1e-6)


def _camps_with_bridges(rng: np.random.Generator, n_a: int, n_b: int) -> tuple[Votes, list[str]]:
    """Two opposed camps; s0-s2 are liked by both, s3-s6 by camp A only, s7-s10 by B only."""
    rates_a = [0.85, 0.8, 0.9] + [0.95] * 4 + [0.05] * 4 + [0.1]
    rates_b = [0.85, 0.9, 0.8] + [0.05] * 4 + [0.95] * 4 + [0.1]
    rates = np.array([rates_a] * n_a + [rates_b] * n_b)
    matrix = np.where(rng.random(rates.shape) < rates, 1.0, -1.0)
    matrix[rng.random(matrix.shape) < 0.1] = 0.0
    matrix[rng.random(matrix.shape) < 0.2] = np.nan
    return _votes(matrix), ["s0", "s1", "s2"]


@pytest.mark.parametrize(("n_a", "n_b"), [(50, 50), (70, 40), (40, 60)])
def test_statements_liked_across_camps_get_the_top_bridging_scores(n_a, n_b):
    votes, bridges = _camps_with_bridges(np.random.default_rng(n_a), n_a, n_b)
    fit = bridging_scores(votes, rng=np.random.default_rng(0))
    top = np.argsort(-fit.statement_intercept)[:3]
    assert {votes.statement_ids[j] for j in top} == set(bridges)
    # The factor, not the intercept, carries the split: the partisan statements load on it.
    partisan = [votes.statement_ids.index(f"s{j}") for j in range(3, 11)]
    assert np.abs(fit.statement_factor[partisan]).min() > np.abs(fit.statement_factor[:3]).max()
    # And it separates the camps: participants of A and B sit on opposite sides.
    side = np.sign(fit.participant_factor)
    assert abs(side[:n_a].mean()) > 0.9
    assert abs(side[n_a:].mean()) > 0.9
    assert side[:n_a].mean() * side[n_a:].mean() < 0


def test_a_majority_camps_favourite_can_win_on_approval_but_not_on_bridging():
    # Camp A (65%) loves s3-s6 and camp B rejects them; s0-s2 get 70% in both camps.
    rates_a = [0.7] * 3 + [0.98] * 4 + [0.02] * 4
    rates_b = [0.7] * 3 + [0.2] * 4 + [0.8] * 4
    rates = np.array([rates_a] * 260 + [rates_b] * 140)
    matrix = np.where(np.random.default_rng(0).random(rates.shape) < rates, 1.0, -1.0)
    fit = bridging_scores(_votes(matrix), rng=np.random.default_rng(0))
    approval = (matrix > 0).mean(axis=0)
    assert approval[3:7].mean() > approval[:3].mean()
    assert fit.statement_intercept[:3].min() > fit.statement_intercept[3:].max()


def test_the_same_seed_gives_identical_results():
    votes = _votes(_planted(np.random.default_rng(3), 200, 30, n_camps=3, density=0.6))
    first = bridging_scores(votes, rng=np.random.default_rng(11))
    second = bridging_scores(votes, rng=np.random.default_rng(11))
    for name in (
        "statement_intercept",
        "statement_factor",
        "participant_intercept",
        "participant_factor",
    ):
        assert np.array_equal(getattr(first, name), getattr(second, name)), name
    assert (first.mean, first.loss, first.n_iterations) == (
        second.mean,
        second.loss,
        second.n_iterations,
    )


def test_the_factor_sign_makes_the_largest_statement_factor_positive():
    votes = _votes(_planted(np.random.default_rng(4), 100, 20, n_camps=2, density=0.8))
    for seed in range(4):
        factor = bridging_scores(votes, rng=np.random.default_rng(seed)).statement_factor
        assert factor[np.argmax(np.abs(factor))] > 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_relabelling_participants_and_statements_permutes_the_results(seed):
    rng = np.random.default_rng(seed)
    matrix = _planted(rng, 30, 9, n_camps=2, density=0.8)
    participant_order = rng.permutation(matrix.shape[0])
    statement_order = rng.permutation(matrix.shape[1])
    before = bridging_scores(_votes(matrix), rng=np.random.default_rng(0))
    after = bridging_scores(
        _votes(matrix[participant_order][:, statement_order]), rng=np.random.default_rng(1)
    )
    assert after.loss == pytest.approx(before.loss, rel=1e-9)
    pairs = [
        ("statement_intercept", statement_order),
        ("statement_factor", statement_order),
        ("participant_intercept", participant_order),
        ("participant_factor", participant_order),
    ]
    for name, order in pairs:
        assert np.allclose(getattr(before, name)[order], getattr(after, name), atol=1e-5), name
    assert after.mean == pytest.approx(before.mean, abs=1e-6)


def test_pass_votes_change_nothing():
    rng = np.random.default_rng(5)
    matrix = _planted(rng, 60, 15, n_camps=2, density=0.6)
    matrix[matrix == 0] = np.nan
    with_passes = matrix.copy()
    unseen = np.isnan(with_passes)
    with_passes[unseen & (rng.random(matrix.shape) < 0.5)] = 0.0
    plain = bridging_scores(_votes(matrix), rng=np.random.default_rng(0))
    passed = bridging_scores(_votes(with_passes), rng=np.random.default_rng(0))
    assert np.allclose(plain.statement_intercept, passed.statement_intercept, atol=1e-9)
    assert passed.loss == pytest.approx(plain.loss, rel=1e-12)


def test_moderated_out_statements_are_left_out_of_the_fit():
    rng = np.random.default_rng(6)
    matrix = _planted(rng, 60, 12, n_camps=2, density=0.7)
    moderated = bridging_scores(
        _votes(matrix, moderated_out=("s2", "s7")), rng=np.random.default_rng(0)
    )
    kept = [j for j in range(12) if j not in (2, 7)]
    reduced = bridging_scores(_votes(matrix[:, kept]), rng=np.random.default_rng(0))
    assert moderated.statement_intercept[[2, 7]].tolist() == [0.0, 0.0]
    assert moderated.statement_factor[[2, 7]].tolist() == [0.0, 0.0]
    assert np.allclose(moderated.statement_intercept[kept], reduced.statement_intercept, atol=1e-6)
    assert moderated.loss == pytest.approx(reduced.loss, rel=1e-9)


@pytest.mark.parametrize("pass_share", [0.02, 0.3])
def test_pass_votes_give_the_same_fit_whether_or_not_they_are_copied_out(pass_share):
    # Few passes stay in the sparse design with weight 0; many are copied out first.
    rng = np.random.default_rng(8)
    matrix = _planted(rng, 80, 15, n_camps=2, density=0.5)
    matrix[matrix == 0] = np.nan
    unseen = np.flatnonzero(np.isnan(matrix))
    n_seen = matrix.size - unseen.size
    with_passes = matrix.copy()
    n_passes = round(pass_share * n_seen / (1 - pass_share))
    with_passes.flat[rng.choice(unseen, n_passes, replace=False)] = 0.0
    votes = _votes(with_passes)
    design = bridging._design(votes)
    assert design is not None
    copied_out = design.by_participant.nnz < votes.n_votes
    assert copied_out == (pass_share > bridging._COMPACT_SHARE)
    plain = bridging_scores(_votes(matrix), rng=np.random.default_rng(0))
    passed = bridging_scores(votes, rng=np.random.default_rng(0))
    assert np.allclose(plain.statement_intercept, passed.statement_intercept, atol=1e-9)
    assert np.allclose(plain.participant_factor, passed.participant_factor, atol=1e-9)
    assert passed.loss == pytest.approx(plain.loss, rel=1e-12)


def _assert_valid(fit: BridgingFit, n_participants: int, n_statements: int) -> None:
    assert fit.statement_intercept.shape == (n_statements,)
    assert fit.participant_intercept.shape == (n_participants,)
    assert np.isfinite(fit.statement_intercept).all()
    assert np.isfinite(fit.participant_factor).all()
    assert np.isfinite(fit.loss)


@pytest.mark.parametrize(
    "matrix",
    [
        np.full((3, 4), np.nan),  # no votes at all
        np.zeros((3, 4)),  # only passes
        np.array([[1.0, -1.0, 1.0, np.nan]]),  # one participant
        np.array([[1.0], [-1.0], [1.0]]),  # one statement
        np.ones((5, 4)),  # everyone agrees with everything
        np.tile([1.0, -1.0, 1.0, -1.0], (6, 1)),  # everyone votes the same way
    ],
    ids=["no-votes", "only-passes", "one-participant", "one-statement", "all-agree", "identical"],
)
def test_degenerate_input_gives_a_valid_fit(matrix):
    votes = _votes(matrix)
    fit = bridging_scores(votes, rng=np.random.default_rng(0))
    _assert_valid(fit, *matrix.shape)
    assert fit.converged
    if votes.n_votes == 0 or not (votes.value != 0).any():
        assert fit.reason
        assert fit.loss == 0.0
    else:
        assert fit.reason == ""
        loss, gradient = _loss_and_gradient(_stacked(fit), votes)
        assert fit.loss == pytest.approx(loss, rel=1e-9, abs=1e-12)
        assert np.abs(gradient).max() < 1e-5


def test_empty_vote_set_gives_empty_arrays():
    votes = votes_from_records([], [], [])
    fit = bridging_scores(votes, rng=np.random.default_rng(0))
    assert fit.statement_intercept.shape == (0,)
    assert fit.reason


def test_every_statement_moderated_out_fits_nothing():
    matrix = _planted(np.random.default_rng(1), 10, 3, n_camps=2, density=1.0)
    fit = bridging_scores(
        _votes(matrix, moderated_out=("s0", "s1", "s2")), rng=np.random.default_rng(0)
    )
    assert fit.reason
    assert not fit.statement_intercept.any()


def test_non_positive_regularisation_is_refused():
    votes = _votes(np.ones((2, 2)))
    with pytest.raises(ValueError, match="positive"):
        bridging_scores(votes, rng=np.random.default_rng(0), factor_regularisation=0.0)


def test_large_vote_sets_start_from_a_sample_and_reach_the_same_fit(monkeypatch):
    votes = _votes(_planted(np.random.default_rng(9), 400, 30, n_camps=2, density=0.5))
    whole = bridging_scores(votes, rng=np.random.default_rng(0), tolerance=TIGHT)
    monkeypatch.setattr(factorisation, "_STARTING_VOTES", votes.n_votes // 4)
    sampled = bridging_scores(votes, rng=np.random.default_rng(0), tolerance=TIGHT)
    assert sampled.loss == pytest.approx(whole.loss, rel=1e-9)
    assert np.allclose(sampled.statement_intercept, whole.statement_intercept, atol=1e-7)


def test_two_products_at_a_time_give_the_same_fit(monkeypatch):
    votes = _votes(_planted(np.random.default_rng(11), 300, 40, n_camps=3, density=0.6))
    serial = bridging_scores(votes, rng=np.random.default_rng(0))
    monkeypatch.setattr(bridging, "_PARALLEL_MIN_VOTES", 0)
    paired = bridging_scores(votes, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(paired.statement_intercept, serial.statement_intercept)
    np.testing.assert_array_equal(paired.participant_factor, serial.participant_factor)
    assert paired.loss == serial.loss
    assert paired.n_iterations == serial.n_iterations
    unpaired = bridging_scores(votes, rng=np.random.default_rng(0), paired_products=False)
    np.testing.assert_array_equal(unpaired.statement_intercept, serial.statement_intercept)
