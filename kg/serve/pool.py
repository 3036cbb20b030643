"""Queries and updates run in worker processes, so a runaway one can be stopped.

Oxigraph cannot cancel a query from Python, and a thread cannot be killed; a
process can.  Each query worker opens the store read-only, answers one job at a
time over a pipe, and reopens the store when its files have changed (a ``kg build``
or an update ran), so answers follow the data without a restart.  A job that
outlasts the timeout gets its worker killed and replaced.  Every worker's address
space is capped (``RLIMIT_AS``), so a query that would eat the machine's memory
kills only its worker.

Updates go to one writer process that holds the store open for writing: an update
that runs too long is stopped the same way, and since Oxigraph applies an update
in one transaction, killing it leaves the store as it was.

Fairness: waiting requests get workers first come, first served, and one spare
worker (beyond ``--workers``) serves a request only for a short time budget, so
when every worker is held by slow queries a short query still gets through.
"""

from __future__ import annotations

import collections
import itertools
import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from pyoxigraph import NamedNode, Store

from kg.rdf.namespaces import prefix_map
from kg.serve.results import Answer, TooLarge, render

_CONTEXT = multiprocessing.get_context("spawn")  # never fork a threaded server
SPARE_BUDGET = 2.0  # seconds a query may run on the spare worker


@dataclass(frozen=True)
class Job:
    """One query or update as the SPARQL Protocol request gave it.

    ``default_graphs`` None means the union of all graphs (kg's default); an empty tuple means an
    empty default graph (a request naming only ``named-graph-uri``).  ``query_dataset``: the text
    has FROM / FROM NAMED, which then define the dataset.
    """

    sparql: str
    accept: str = "*/*"
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    update: bool = False
    federated: bool = False
    query_dataset: bool = False


def _signature(path: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and times of the store's files (not RocksDB's info logs): changes when data does."""
    entries = []
    with os.scandir(path) as listing:
        for entry in listing:
            if not entry.name.startswith("LOG"):
                info = entry.stat()
                entries.append((entry.name, info.st_size, info.st_mtime_ns))
    return tuple(sorted(entries))


@dataclass
class _ReadOnlyView:
    path: Path
    store: Store | None = None
    signature: tuple[tuple[str, int, int], ...] = field(default_factory=tuple)

    def current(self, attempts: int = 5) -> Store:
        """The store as it is now, reopened when its files changed.

        A writer (``kg build``, ``kg serve --writable``) may be replacing RocksDB files at the moment
        of opening, which fails with a missing file; that settles within milliseconds, so retry.
        """
        for attempt in range(attempts):
            try:
                signature = _signature(self.path)
                if self.store is None or signature != self.signature:
                    self.store = None
                    self.store = Store.read_only(str(self.path))
                    self.signature = signature
                return self.store
            except (OSError, RuntimeError):
                if attempt == attempts - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")


def _text(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


def _failure(job: Job, exc: Exception) -> Answer:
    if job.federated:  # never say how a remote call failed: that would tell open ports from closed ones
        return _text(502, "E325 the federated query failed (SERVICE call refused, unreachable or failed)")
    return _text(500, f"E316 {'update' if job.update else 'query'} failed: {exc}")


def answer(store: Store, job: Job, limit: int) -> Answer:
    """Run a query ``job`` on ``store``: the default graph is the union of all graphs unless the request
    (or the query's FROM) says otherwise."""
    dataset: dict[str, object] = {}
    if job.default_graphs is not None or job.named_graphs is not None:
        dataset["default_graph"] = [NamedNode(g) for g in job.default_graphs or ()]
        if job.named_graphs is not None:
            dataset["named_graphs"] = [NamedNode(g) for g in job.named_graphs]
    elif not job.query_dataset:
        dataset["use_default_graph_as_union"] = True
    try:
        result = store.query(job.sparql, prefixes=prefix_map(), base_iri=job.base_iri, **dataset)  # type: ignore[arg-type]
        return render(result, job.accept, limit)
    except SyntaxError as exc:
        return _text(400, f"E314 malformed query: {exc}")
    except TooLarge as exc:
        return _text(422, f"E312 the answer has {exc}: add LIMIT (and OFFSET to page) or raise kg serve --max-results")
    except MemoryError:
        return _text(503, "E326 the query needed more memory than --max-memory allows")
    except (ValueError, OSError, RuntimeError) as exc:
        return _failure(job, exc)


def apply_update(store: Store, job: Job) -> Answer:
    try:
        store.update(job.sparql, prefixes=prefix_map(), base_iri=job.base_iri)
        store.flush()
    except SyntaxError as exc:
        return _text(400, f"E314 malformed update: {exc}")
    except MemoryError:
        return _text(503, "E326 the update needed more memory than --max-memory allows; nothing was changed")
    except (ValueError, OSError, RuntimeError) as exc:
        return _failure(job, exc)
    return Answer(204, "text/plain", b"")


def cap_memory(limit_bytes: int) -> None:
    """Cap this process's address space (no-op where the platform has no RLIMIT_AS)."""
    if limit_bytes <= 0:
        return
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = limit_bytes if hard == resource.RLIM_INFINITY else min(limit_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):
        pass


def _work(conn: Connection, path: str, limit: int, memory: int, writable: bool) -> None:
    """A worker's loop: one job in, one answer out, until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the server stops us
    try:
        writer = Store(path) if writable else None
    except (OSError, RuntimeError) as exc:
        writer = None
        failure = _text(503, f"E317 the store cannot be opened for writing: {exc}")
    view = _ReadOnlyView(Path(path))
    cap_memory(memory)
    while True:
        try:
            job: Job = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if writable:
            conn.send(apply_update(writer, job) if writer is not None else failure)
            continue
        try:
            store = view.current()
        except (OSError, RuntimeError) as exc:
            conn.send(_text(503, f"E317 the store cannot be read right now: {exc}"))
            continue
        conn.send(answer(store, job, limit))


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    spare: bool = False

    def stop(self) -> None:
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


class WorkerPool:
    """Worker processes; each request borrows one for at most ``timeout`` seconds.

    ``size`` regular workers and, for query pools, one spare worker that takes a request only
    when every regular worker is busy, and only for :data:`SPARE_BUDGET` seconds.
    """

    def __init__(
        self, store_path: Path, size: int, limit: int, *, memory: int = 0, writable: bool = False, spare: bool = True
    ) -> None:
        self._path = str(store_path)
        self._limit = limit
        self._memory = memory
        self._writable = writable
        self._idle: list[_Worker] = []
        self._spares: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._cond = threading.Condition()
        self._queue: collections.deque[tuple[int, bool]] = collections.deque()
        self._tickets = itertools.count()
        self._closed = False
        for _ in range(size):
            self._idle.append(self._spawn(False))
        if spare and not writable:
            self._spares.append(self._spawn(True))

    def _spawn(self, spare: bool) -> _Worker:
        ours, theirs = _CONTEXT.Pipe()
        args = (theirs, self._path, self._limit, self._memory, self._writable)
        process = _CONTEXT.Process(target=_work, args=args, daemon=True)
        process.start()
        theirs.close()
        worker = _Worker(process, ours, spare)
        with self._cond:
            self._all.add(worker)
        return worker

    def _acquire(self, deadline: float, spare_ok: bool) -> _Worker | None:
        """The first free worker for this request, in arrival order; None past ``deadline``."""
        with self._cond:
            ticket = (next(self._tickets), spare_ok)
            self._queue.append(ticket)
            try:
                while True:
                    if not self._closed:
                        if self._idle and self._queue[0] == ticket:
                            return self._idle.pop()
                        # the spare goes to the first request that may use it, not only to the first in line
                        if spare_ok and self._spares and next(t for t in self._queue if t[1]) == ticket:
                            return self._spares.pop()
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return None
                    self._cond.wait(remaining)
            finally:
                self._queue.remove(ticket)
                self._cond.notify_all()

    def _release(self, worker: _Worker) -> None:
        with self._cond:
            (self._spares if worker.spare else self._idle).append(worker)
            self._cond.notify_all()

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        with self._cond:
            self._all.discard(worker)
        if not self._closed:
            self._release(self._spawn(worker.spare))

    def run(self, job: Job, timeout: float) -> Answer:
        """The answer, or 503 when every worker stayed busy or the job ran past ``timeout``."""
        deadline = time.monotonic() + timeout
        spare_ok = True
        while True:
            worker = self._acquire(deadline, spare_ok)
            if worker is None:
                return _text(503, f"E311 all workers stayed busy for {timeout:g} s; retry")
            budget = min(timeout, SPARE_BUDGET) if worker.spare else timeout
            outcome = self._on(worker, job, budget)
            if outcome is not None:
                return outcome
            if not worker.spare or budget >= timeout:
                what = "update" if job.update else "query"
                return _text(503, f"E311 the {what} ran longer than {timeout:g} s (--timeout) and was stopped")
            spare_ok = False  # too long for the spare: wait for a regular worker, within the same deadline
            deadline = max(deadline, time.monotonic() + 1)

    def _on(self, worker: _Worker, job: Job, budget: float) -> Answer | None:
        """Run ``job`` on ``worker``; None when it ran past ``budget`` (the worker is then replaced)."""
        try:
            worker.conn.send(job)
            if worker.conn.poll(budget):
                result: Answer = worker.conn.recv()
                self._release(worker)
                return result
        except (EOFError, OSError, BrokenPipeError):
            worker.process.join(timeout=1)
            killed = worker.process.exitcode in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGKILL)
            self._retire(worker)
            if killed and self._memory:
                return _text(503, "E326 the worker stopped (out of memory under --max-memory, or crashed); "
                                  "the request was not answered")  # fmt: skip
            return _text(500, "E316 the worker died; the request was not answered")
        self._retire(worker)
        return None

    def close(self) -> None:
        with self._cond:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            self._cond.notify_all()
        for worker in workers:
            worker.stop()
