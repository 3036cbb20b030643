"""Run a function over a stream of batches in worker processes, in order, with bounded memory.

``multiprocessing.Pool.imap`` reads its whole input ahead of the workers, so a
2 GB JSON Lines file would sit in memory; here at most ``in_flight`` batches
are submitted at any time, and results come back in input order, so the
parent writes articles in the same order as a one-process build.

Workers are started with ``forkserver`` (``spawn`` where it is missing), never
``fork``: the parent holds an open RocksDB store and its threads.  The fork
server loads what every worker shares before it forks any (:mod:`kg.build.preload`).

:func:`map_routed`, which ``kg build --workers`` uses, gives each item to the
worker expected to finish it first, counting the pipeline a worker would have
to load for it (:class:`LanguageRouter`), so that each worker loads only some
of the input's languages.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")

# Imported once by the fork server, so every worker starts with spaCy, kg and the fact model already loaded.
PRELOAD_MODULES = ["kg.build.work", "kg.build._forkserver"]
_running = 0  # pools of map_routed alive in this process (a fork server is not stopped under them)


def pools_running() -> int:
    """How many worker pools of this module are running in this process."""
    return _running


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD_MODULES)
        return context
    return multiprocessing.get_context("spawn")


def _done(result: Any) -> Future[Any]:
    future: Future[Any] = Future()
    future.set_result(result)
    return future


# What loading a language's pipeline is taken to cost a worker until one worker has loaded it and said
# how long that took, in characters of text it could have processed instead (a few seconds at the speed
# of one process): high, so that no two workers load a language before its cost is known.
LOAD_COST_CHARS = 100_000
# Items in flight per worker: enough that this process decodes far ahead while the workers load their
# languages (a batch becomes one item per language in it), few enough to keep memory small.
ROUTED_IN_FLIGHT = 16
LOADED_SECONDS = 0.05  # an item whose loading took longer loaded its language
# A load is counted this many times its seconds: a second copy of a pipeline also costs memory, and a
# queue that is behind now often catches up by itself (the other worker is loading, or had long articles).
LOAD_WEIGHT = 2.0


@dataclass(frozen=True)
class Routed(Generic[T]):
    """An item for :func:`map_routed`: what it needs loaded (``key``) and how much work it is (``weight``)."""

    key: str
    weight: int
    item: T


class LanguageRouter:
    """Chooses a worker for each item: the one expected to finish it first.

    A worker's queue is the weight it was given and has not returned; a worker that has not loaded the
    item's key pays the key's load cost on top: :data:`LOAD_COST_CHARS` until a worker has loaded it,
    then what that took (seconds, from :meth:`returned`) at the workers' measured speed.  So items of a
    language stay with the worker that loaded it while the queues are about even, each worker loading
    only some of the input's languages, in parallel with the others, instead of one process loading all
    of them before any worker starts; a worker that falls behind sheds first the languages that are
    cheap to load, and a language that is most of the input spreads over every worker.  A worker that
    has not started yet takes the next item whatever its language, so a feed in one language keeps
    every worker busy from the start.
    """

    def __init__(self, workers: int, load_cost: int = LOAD_COST_CHARS) -> None:
        self.loaded: list[set[str]] = [set() for _ in range(workers)]
        self.queued = [0] * workers
        self.load_cost = load_cost
        self.load_seconds: dict[str, float] = {}
        self.weight_done = 0
        self.seconds_done = 0.0
        self._lock = threading.Lock()  # results return on the pools' threads

    def cost(self, key: str) -> float:
        """What loading ``key`` costs a worker, in units of weight."""
        seconds = self.load_seconds.get(key)
        if seconds is None or self.seconds_done <= 0:
            return self.load_cost
        return LOAD_WEIGHT * seconds * self.weight_done / self.seconds_done

    def choose(self, key: str, weight: int) -> int:
        """The worker for an item of ``key`` and ``weight``, now counted in its queue."""
        with self._lock:
            fresh = [w for w, keys in enumerate(self.loaded) if not keys]
            if fresh:  # a worker that has not started yet starts now, whatever the language: none sits idle
                worker = fresh[0]
            else:
                load = self.cost(key)
                costs = [q + (0 if key in keys else load) for q, keys in zip(self.queued, self.loaded, strict=True)]
                worker = costs.index(min(costs))
            self.loaded[worker].add(key)
            self.queued[worker] += weight
            return worker

    def returned(self, worker: int, key: str, weight: int, seconds: tuple[float, float] = (0.0, 0.0)) -> None:
        """An item of ``weight`` came back from ``worker``, ``seconds`` (loading, working) after it started."""
        load, work = seconds
        with self._lock:
            self.queued[worker] -= weight
            if load > LOADED_SECONDS:
                self.load_seconds[key] = max(load, self.load_seconds.get(key, 0.0))
            if work > 0:
                self.weight_done += weight
                self.seconds_done += work

    def forget(self, worker: int) -> None:
        """``worker`` was restarted: it has loaded nothing."""
        with self._lock:
            self.loaded[worker].clear()


def map_routed(
    func: Callable[..., R],
    items: Iterable[Routed[T]],
    *args: Any,
    workers: int,
    in_flight: int | None = None,
    on_broken: Callable[[T, BaseException], R],
    timed: Callable[[R], tuple[float, float]] | None = None,
) -> Iterator[R]:
    """Yield ``func(item.item, *args)`` for every item, in order, each computed by the worker
    :class:`LanguageRouter` chooses for it (one process pool per worker, so an item goes where its
    language is loaded).  ``timed`` tells from a result how long its worker spent loading and working.
    A worker that dies (killed by the kernel for memory, a crash in native code) is restarted and the
    items it had in flight rerun one at a time; the item that kills it again goes to ``on_broken``.
    """
    global _running
    runner = _RoutedRunner(func, args, workers, on_broken, timed)
    limit = in_flight or ROUTED_IN_FLIGHT * workers
    _running += 1
    try:
        for item in items:
            runner.submit(item)
            while len(runner.pending) >= limit:
                yield runner.next()
        while runner.pending:
            yield runner.next()
    finally:
        for pool in runner.pools:
            pool.shutdown(wait=True, cancel_futures=True)
        _running -= 1


class _RoutedRunner:
    """One single-process pool per worker and an ordered queue of (item, worker, future)."""

    def __init__(
        self,
        func: Callable[..., Any],
        args: tuple[Any, ...],
        workers: int,
        on_broken: Callable[[Any, BaseException], Any],
        timed: Callable[[Any], tuple[float, float]] | None = None,
    ) -> None:
        self.func, self.args, self.on_broken, self.timed = func, args, on_broken, timed
        self.router = LanguageRouter(workers)
        self.pools = [ProcessPoolExecutor(1, mp_context=_context()) for _ in range(workers)]
        self.pending: deque[list[Any]] = deque()  # [routed item, worker, future]

    def submit(self, routed: Routed[Any]) -> None:
        worker = self.router.choose(routed.key, routed.weight)
        self.pending.append([routed, worker, self._start(worker, routed)])

    def _start(self, worker: int, routed: Routed[Any]) -> Future[Any]:
        try:
            future = self.pools[worker].submit(self.func, routed.item, *self.args)
        except BrokenProcessPool as exc:
            future = Future()
            future.set_exception(exc)
        future.add_done_callback(lambda done: self._returned(worker, routed, done))
        return future

    def _returned(self, worker: int, routed: Routed[Any], future: Future[Any]) -> None:
        seconds = (0.0, 0.0)
        if self.timed is not None and _succeeded(future):
            seconds = self.timed(future.result())
        self.router.returned(worker, routed.key, routed.weight, seconds)

    def next(self) -> Any:
        routed, worker, future = self.pending.popleft()
        try:
            return future.result()
        except BrokenProcessPool:
            # Only this worker's items in flight fail with it; rerun them one at a time on a fresh process.
            suspects = [entry for entry in self.pending if entry[1] == worker and not _succeeded(entry[2])]
            log.warning("a worker process died; rerunning its %d batch(es) in flight one by one", 1 + len(suspects))
            self._restart(worker)
            first = self._alone(worker, routed)
            for entry in suspects:
                entry[2] = _done(self._alone(worker, entry[0]))
            return first

    def _alone(self, worker: int, routed: Routed[Any]) -> Any:
        try:
            return self.pools[worker].submit(self.func, routed.item, *self.args).result()
        except BrokenProcessPool as exc:
            self._restart(worker)
            return self.on_broken(routed.item, exc)

    def _restart(self, worker: int) -> None:
        self.pools[worker].shutdown(wait=False, cancel_futures=True)
        self.pools[worker] = ProcessPoolExecutor(1, mp_context=_context())
        self.router.forget(worker)


def _succeeded(future: Future[Any]) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None
