"""BLAS keeps to one thread while the engine runs its own threads, and is restored after."""

import numpy as np
import pytest
from threadpoolctl import threadpool_info  # type: ignore[import-untyped]

from bench.synthetic import synthetic_votes
from puente.consensus import bridging
from puente.consensus.analysis import analyze
from puente.consensus.blas import single_blas_thread


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


@pytest.fixture(autouse=True)
def _several_blas_threads():
    if not _blas_threads() or max(_blas_threads()) < 2:
        pytest.skip("BLAS runs one thread here already: nothing to limit")


def test_blas_keeps_to_one_thread_inside_and_gets_its_threads_back_after():
    before = _blas_threads()
    with single_blas_thread():
        assert set(_blas_threads()) == {1}
        with single_blas_thread():
            assert set(_blas_threads()) == {1}
        assert set(_blas_threads()) == {1}
    assert _blas_threads() == before


def test_a_parallel_analysis_limits_blas_while_it_runs_and_restores_it(monkeypatch):
    votes = synthetic_votes(2_000, 150, density=0.8, rng=np.random.default_rng(0)).votes
    assert votes.n_votes >= 200_000  # the two-thread path of analyze()
    during: list[list[int]] = []
    fit = bridging.bridging_scores

    def watched(*args, **kwargs):
        during.append(_blas_threads())
        return fit(*args, **kwargs)

    monkeypatch.setattr("puente.consensus.analysis.bridging_scores", watched)
    before = _blas_threads()
    result = analyze(votes, seed=0)
    assert _blas_threads() == before
    assert during
    assert set(during[0]) == {1}
    assert result.groups.n_groups >= 2
