"""Analyses run one at a time, and in their own process leave the caller's BLAS alone."""

import threading
import time

import numpy as np
import pytest
from threadpoolctl import threadpool_info  # type: ignore[import-untyped]

from bench.synthetic import synthetic_votes
from puente.consensus import analyze
from puente.consensus.blas import single_blas_thread
from puente.consensus.isolated import analyze_isolated, isolated_process_stop


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


@pytest.fixture(autouse=True, scope="module")
def _stopped_after():
    yield
    isolated_process_stop()


def test_the_isolated_analysis_equals_the_analysis_in_process():
    votes = synthetic_votes(300, 40, density=0.5, rng=np.random.default_rng(1)).votes
    expected = analyze(votes, seed=0).to_dict()
    got = analyze_isolated(votes, seed=0)
    expected.pop("timings_ms")
    got.pop("timings_ms")
    assert got == expected


def test_an_isolated_analysis_leaves_the_callers_blas_threads_alone():
    before = _blas_threads()
    if not before or max(before) < 2:
        pytest.skip("BLAS runs one thread here already: nothing to observe")
    votes = synthetic_votes(3_000, 200, density=0.8, rng=np.random.default_rng(0)).votes
    assert votes.n_votes >= 200_000  # the path of analyze() that limits BLAS
    seen: list[list[int]] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.append(_blas_threads())
            time.sleep(0.005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        analyze_isolated(votes, seed=0)
    finally:
        done.set()
        watcher.join()
    assert seen
    assert all(threads == before for threads in seen)


def test_blas_limits_in_two_threads_never_overlap_and_are_restored():
    before = _blas_threads()
    inside = 0
    overlaps: list[int] = []
    lock = threading.Lock()

    def limited() -> None:
        nonlocal inside
        for _ in range(20):
            with single_blas_thread():
                with lock:
                    inside += 1
                    overlaps.append(inside)
                time.sleep(0.001)
                with lock:
                    inside -= 1

    threads = [threading.Thread(target=limited) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert max(overlaps) == 1
    assert _blas_threads() == before
