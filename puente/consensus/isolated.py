"""Run ``analyze()`` in a process of its own, so that nothing it does touches the caller's.

The engine limits BLAS to one thread while it runs (``blas.py``), and that limit holds for the
whole process. A web server that analysed in one of its threads would slow every other
thread's BLAS calls meanwhile, and the engine's two threads would compete with the requests
for the GIL. Here the analysis runs in one long-lived child process, started with ``spawn``
(no copy of the caller's threads, locks or database connections), one analysis at a time; the
arrays go in and the JSON-ready result comes back through a pipe (about 10 MB at a million
votes). The child starts on the first call (a second or so: numpy and scipy are imported
there) and is started again if it dies.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from threading import Lock
from typing import Any

from .analysis import analyze
from .types import Comparisons, Groupings, Votes

__all__ = ["analyze_isolated", "isolated_process_stop"]

_lock = Lock()
_pool: ProcessPoolExecutor | None = None


def analyze_isolated(
    votes: Votes,
    *,
    groupings: Groupings | None = None,
    comparisons: Comparisons | None = None,
    clustering: str = "base-clusters",
    method: str = "joint-support",
    seed: int = 0,
    statement_text: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Return ``analyze(...).to_dict()`` computed in the analysis process (started if needed)."""
    arguments: dict[str, Any] = {
        "groupings": groupings,
        "comparisons": comparisons,
        "clustering": clustering,
        "method": method,
        "seed": seed,
        "statement_text": statement_text,
    }
    for attempt in range(2):
        pool = _analysis_pool()
        try:
            return pool.submit(_analyze_to_dict, votes, arguments).result()
        except BrokenProcessPool:
            # The child died (killed, out of memory): start a fresh one and try once more.
            isolated_process_stop()
            if attempt:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def isolated_process_stop() -> None:
    """Stop the analysis process, if one runs (the next call starts another)."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _analysis_pool() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
        return _pool


def _analyze_to_dict(votes: Votes, arguments: dict[str, Any]) -> dict[str, Any]:
    return analyze(votes, **arguments).to_dict()
