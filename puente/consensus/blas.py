"""One BLAS thread while the engine computes.

numpy's and scipy's OpenBLAS start a pool of threads for larger dense products, and those
threads keep spinning for a while after each call, holding a core. From 200,000 votes the
engine runs two threads of its own (the clustering beside the bridging fit, and two sparse
products at a time within the fit): on a two-core machine a spinning BLAS pool takes the
core one of them needs (measured at 1M votes: the whole analysis 118 ms instead of 173 ms).
The engine's dense products are small (a few columns), so one BLAS thread costs them
nothing.

OpenBLAS applies a limit set from the main thread to every thread; one set from another
thread may only hold for that thread. Either way the limit is lifted by the block that set
it, in the thread that set it.

The limit is a setting of the whole process, not of the thread: two blocks that overlapped in
two threads would each restore what they found, and the later restore could leave BLAS at one
thread for good. So one block runs at a time in a process (a lock; a block nested in the same
thread passes). In a server the analyses do not run in the request threads at all: the
embedded mode runs them in a process of their own (``puente.consensus.isolated``), a Celery
worker in its pool process, so the limit never touches a web request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from threading import RLock
from typing import Any

from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

__all__ = ["single_blas_thread"]

_ONE_AT_A_TIME = RLock()


@cache
def _controller() -> Any:
    """Return the controller of the thread pools loaded now (found once: it takes a few ms)."""
    return ThreadpoolController()


@contextmanager
def single_blas_thread() -> Iterator[None]:
    """Keep BLAS to one thread inside the block, then restore what was there before.

    A block in another thread waits until this one has restored the limit.
    """
    with _ONE_AT_A_TIME, _controller().limit(limits=1, user_api="blas"):
        yield
