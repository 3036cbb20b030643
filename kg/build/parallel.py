"""Run a function over a stream of batches in worker processes, in order, with bounded memory.

``multiprocessing.Pool.imap`` reads its whole input ahead of the workers, so a
2 GB JSON Lines file would sit in memory; here at most ``in_flight`` batches
are submitted at any time, and results come back in input order, so the
parent writes articles in the same order as a one-process build.

Workers are started with ``forkserver`` (``spawn`` where it is missing), never
``fork``: the parent holds an open RocksDB store and its threads.  The fork
server loads the pipelines, parsers and fact model of the input's languages
once before it forks any worker (:mod:`kg.build.preload`), so workers share
them instead of each loading every language again.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")

# Imported once by the fork server, so every worker starts with spaCy, kg and the pipelines already loaded.
PRELOAD_MODULES = ["kg.build.work", "kg.build._forkserver"]
_running = 0  # pools of map_in_order alive in this process (a fork server is not stopped under them)


def pools_running() -> int:
    """How many worker pools of this module are running in this process."""
    return _running


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD_MODULES)
        return context
    return multiprocessing.get_context("spawn")


def map_in_order(
    func: Callable[..., R],
    items: Iterable[T],
    *args: Any,
    workers: int,
    in_flight: int | None = None,
    on_broken: Callable[[T, BaseException], R],
) -> Iterator[R]:
    """Yield ``func(item, *args)`` for every item, in order, computed by ``workers`` processes.

    A worker that dies (killed by the kernel for memory, a crash in native
    code) breaks the pool: a fresh pool reruns the items that were in flight
    one at a time, and the item that breaks it again goes to ``on_broken``.
    """
    global _running
    runner = _Runner(func, args, workers, on_broken)
    limit = in_flight or 4 * workers
    _running += 1
    try:
        for item in items:
            runner.submit(item)
            while len(runner.pending) >= limit:
                yield runner.next()
        while runner.pending:
            yield runner.next()
    finally:
        runner.pool.shutdown(wait=True, cancel_futures=True)
        _running -= 1


class _Runner:
    """A process pool with an ordered queue of submitted items."""

    def __init__(
        self,
        func: Callable[..., Any],
        args: tuple[Any, ...],
        workers: int,
        on_broken: Callable[[Any, BaseException], Any],
    ) -> None:
        self.func, self.args, self.workers, self.on_broken = func, args, workers, on_broken
        self.pool = ProcessPoolExecutor(workers, mp_context=_context())
        self.pending: deque[tuple[Any, Future[Any]]] = deque()

    def submit(self, item: Any) -> None:
        try:
            future = self.pool.submit(self.func, item, *self.args)
        except BrokenProcessPool as exc:
            # A worker died after the last result was read: the pool refuses new work at once. Queue the
            # item as failed so ``next`` reruns it with the others in flight, like any item of a broken pool.
            future = Future()
            future.set_exception(exc)
        self.pending.append((item, future))

    def next(self) -> Any:
        item, future = self.pending.popleft()
        try:
            return future.result()
        except BrokenProcessPool:
            log.warning("a worker process died; rerunning the %d batch(es) in flight one by one", 1 + len(self.pending))
            # Every future in flight fails with the pool; only one item killed it. Run them again
            # one at a time, so only the item that breaks a pool on its own is given up on.
            suspects = [item, *(i for i, _ in self.pending)]
            self.pending.clear()
            self._restart()
            results = [self._alone(suspect) for suspect in suspects]
            for suspect, result in zip(suspects[1:], results[1:], strict=True):
                self.pending.append((suspect, _done(result)))
            return results[0]

    def _alone(self, item: Any) -> Any:
        try:
            return self.pool.submit(self.func, item, *self.args).result()
        except BrokenProcessPool as exc:
            self._restart()
            return self.on_broken(item, exc)

    def _restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = ProcessPoolExecutor(self.workers, mp_context=_context())


def _done(result: Any) -> Future[Any]:
    future: Future[Any] = Future()
    future.set_result(result)
    return future
