"""Synthetic pairwise comparisons follow the planted groups; the generator is in the package."""

from __future__ import annotations

import numpy as np
import pytest

from puente.consensus import bradley_terry
from puente.consensus.synthetic import synthetic_comparisons, synthetic_votes
from puente.consensus.types import Comparisons


@pytest.fixture(scope="module")
def data():
    return synthetic_votes(300, 40, n_groups=3, density=0.5, rng=np.random.default_rng(5))


def test_the_bench_script_uses_the_package_generator():
    import bench.synthetic

    assert bench.synthetic.synthetic_votes is synthetic_votes


def test_pairs_are_ordered_distinct_and_never_repeated_by_a_participant(data):
    drawn = synthetic_comparisons(data, 5000, rng=np.random.default_rng(1))

    assert drawn.n_comparisons == 5000
    assert (drawn.first < drawn.second).all()
    assert drawn.second.max() < 40
    assert drawn.participant.max() < 300
    triples = set(zip(drawn.participant, drawn.first, drawn.second, strict=True))
    assert len(triples) == 5000
    assert set(np.unique(drawn.outcome)) == {-1, 0, 1}


def test_undecided_share_follows_the_parameter(data):
    drawn = synthetic_comparisons(data, 5000, undecided=0.3, rng=np.random.default_rng(2))

    assert abs((drawn.outcome == 0).mean() - 0.3) < 0.03


def test_no_more_comparisons_than_distinct_triples():
    tiny = synthetic_votes(2, 3, n_groups=1, rng=np.random.default_rng(0))

    drawn = synthetic_comparisons(tiny, 100, rng=np.random.default_rng(0))

    assert drawn.n_comparisons == 2 * 3


def test_same_seed_same_comparisons(data):
    one = synthetic_comparisons(data, 200, rng=np.random.default_rng(9))
    two = synthetic_comparisons(data, 200, rng=np.random.default_rng(9))

    assert np.array_equal(one.outcome, two.outcome)
    assert np.array_equal(one.first, two.first)


def test_bridging_statements_win_more_comparisons_than_they_lose(data):
    drawn = synthetic_comparisons(data, 20_000, undecided=0.0, rng=np.random.default_rng(3))
    winner = np.where(drawn.outcome == 1, drawn.first, drawn.second)
    loser = np.where(drawn.outcome == 1, drawn.second, drawn.first)
    strengths = bradley_terry(
        Comparisons(participant=drawn.participant, winner=winner, loser=loser), n_statements=40
    )

    top = set(np.argsort(-np.asarray(strengths.strength))[: data.bridging.shape[0]].tolist())
    assert len(top & set(data.bridging.tolist())) >= data.bridging.shape[0] - 1
