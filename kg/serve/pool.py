"""Queries run in worker processes, so a runaway query can be stopped.

Oxigraph cannot cancel a query from Python, and a thread cannot be killed; a
process can.  Each worker opens the store read-only, answers one job at a time
over a pipe, and reopens the store when its files have changed (a ``kg build``
or an update ran), so answers follow the data without a restart.  A job that
outlasts the timeout gets its worker killed and replaced.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
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


@dataclass(frozen=True)
class Job:
    """One query as the SPARQL Protocol request gave it."""

    sparql: str
    accept: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


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


def answer(store: Store, job: Job, limit: int) -> Answer:
    """Run ``job`` on ``store``: the default graph is the union of all graphs unless the request names one."""
    try:
        result = store.query(
            job.sparql,
            prefixes=prefix_map(),
            use_default_graph_as_union=not job.default_graphs,
            default_graph=[NamedNode(g) for g in job.default_graphs] or None,
            named_graphs=[NamedNode(g) for g in job.named_graphs] or None,
        )
        return render(result, job.accept, limit)
    except SyntaxError as exc:
        return Answer(400, "text/plain", f"E314 malformed query: {exc}\n".encode())
    except TooLarge as exc:
        text = f"E312 the answer has {exc}: add LIMIT (and OFFSET to page) or raise kg serve --max-results\n"
        return Answer(413, "text/plain", text.encode())
    except (ValueError, OSError, RuntimeError) as exc:
        return Answer(500, "text/plain", f"E316 query failed: {exc}\n".encode())


def _work(conn: Connection, path: str, limit: int) -> None:
    """A worker's loop: one job in, one answer out, until the pipe closes."""
    view = _ReadOnlyView(Path(path))
    while True:
        try:
            job = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        try:
            store = view.current()
        except (OSError, RuntimeError) as exc:
            conn.send(Answer(503, "text/plain", f"E317 the store cannot be read right now: {exc}\n".encode()))
            continue
        conn.send(answer(store, job, limit))


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection

    def stop(self) -> None:
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


class WorkerPool:
    """A fixed number of query workers; each request borrows one for at most ``timeout`` seconds."""

    def __init__(self, store_path: Path, size: int, limit: int) -> None:
        self._path = str(store_path)
        self._limit = limit
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        for _ in range(size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        ours, theirs = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=_work, args=(theirs, self._path, self._limit), daemon=True)
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        with self._lock:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            self._all.discard(worker)
        self._idle.put(self._spawn())

    def run(self, job: Job, timeout: float) -> Answer:
        """The answer, or 503 when every worker stayed busy or the query ran past ``timeout``."""
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return Answer(503, "text/plain", f"E311 all query workers stayed busy for {timeout:g} s; retry\n".encode())
        try:
            worker.conn.send(job)
            if worker.conn.poll(timeout):
                result: Answer = worker.conn.recv()
                self._idle.put(worker)
                return result
        except (EOFError, OSError, BrokenPipeError):
            self._retire(worker)
            return Answer(500, "text/plain", b"E316 the query worker died; the query was not answered\n")
        self._retire(worker)
        text = f"E311 the query ran longer than {timeout:g} s (--timeout) and was stopped\n"
        return Answer(503, "text/plain", text.encode())

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
