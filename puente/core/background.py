"""The embedded mode's background worker: one daemon thread, jobs one at a time, debounced.

With ``make run`` nothing else is started: work that must not hold up a request (the results
of a dialogue, say) is handed to this thread. A job is known by a key; scheduling a key that
is already waiting does nothing, so a burst of votes leads to one run after the delay. The key
is released when its run starts, so what happens during a run schedules the next one.

The thread starts on the first job of each process (after a server forks its workers) and
closes its database connection after each job.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from django.db import close_old_connections, connection

__all__ = ["BackgroundWorker", "background_worker"]

logger = logging.getLogger(__name__)


class BackgroundWorker:
    """Run jobs in one daemon thread, each key at most once per delay."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._condition = threading.Condition()
        self._waiting: dict[str, tuple[float, Callable[[], None]]] = {}
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._running = 0

    def schedule(self, key: str, *, delay: float, job: Callable[[], None]) -> bool:
        """Run the job in the thread after the delay, unless the key is waiting already.

        Return whether the job was added.
        """
        with self._condition:
            if key in self._waiting:
                return False
            self._waiting[key] = (time.monotonic() + max(delay, 0.0), job)
            self._start()
            self._condition.notify_all()
            return True

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no job waits or runs; return whether that happened within the timeout."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while self._waiting or self._running:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._condition.wait(left)
            return True

    def _start(self) -> None:
        # A forked server worker inherits the object but not the thread.
        if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
            return
        self._pid = os.getpid()
        self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
        self._thread.start()

    def _next(self) -> Callable[[], None]:
        with self._condition:
            while True:
                now = time.monotonic()
                if self._waiting:
                    key, (due, job) = min(self._waiting.items(), key=lambda item: item[1][0])
                    if due <= now:
                        del self._waiting[key]
                        self._running += 1
                        return job
                    self._condition.wait(due - now)
                else:
                    self._condition.wait()

    def _loop(self) -> None:
        while True:
            job = self._next()
            try:
                close_old_connections()
                job()
            except Exception:
                if _process_stopping():
                    # A server restarting its workers, say: what the job needs, a process
                    # pool for one, may already be shut down.
                    logger.info("background job not run: the process is stopping")
                else:
                    logger.exception("background job failed")
            finally:
                connection.close()
                with self._condition:
                    self._running -= 1
                    self._condition.notify_all()


def _process_stopping() -> bool:
    """Return whether the process has begun to stop: its main thread has ended.

    Python marks the main thread ended only after running the exit hooks of its threading
    module, and the first of those shuts the process pools down: a job that fails in
    between is stopping too. That moment has only a private flag, read with a default.
    """
    return not threading.main_thread().is_alive() or bool(
        getattr(threading, "_SHUTTING_DOWN", False)
    )


background_worker = BackgroundWorker("puente-background")
"""The process's one background worker."""
