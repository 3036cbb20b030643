"""Latency of every saved query: Oxigraph (kg's store) against rdflib's in-memory Dataset.

``python bench/query_latency.py OUT [--cap 120] [--runs 3] [--memory 8] [--queries DIR]`` where
OUT holds a kg store (for example the 1 M-triple store from ``bench/synth_graph.py``);
``--queries`` times other texts of the same questions (say, an older version of the saved
queries) instead.  Both engines answer the same SPARQL text over the union of all graphs with
kg's prefixes, and must return the same number of rows (a different count is printed).

Oxigraph opens the store on disk, as ``kg query`` does, and each query's time is the median of
``--runs`` runs.  rdflib first parses the store's N-Quads into a ``Dataset`` (timed separately,
once) and then runs each query once: a run takes seconds to minutes and rdflib has no cache to warm.
Every query runs in a worker process that is killed after ``--cap`` seconds (reported as
``>cap``) and may use at most ``--memory`` GB of address space, because the machine is shared
and a runaway query would otherwise take all of it.  A killed rdflib worker is replaced by a
fresh one, which parses the N-Quads again before the next query (not counted).  An engine error
is reported by its exception name.  The load average is printed before and after, because the
numbers only mean something next to it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import signal
import statistics
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from kg.query.run import saved_queries
from kg.rdf.namespaces import prefix_map

Outcome = tuple[float, int] | str  # (seconds, rows) or the name of the engine's exception


@dataclass
class Timing:
    """One engine's result for one query: seconds and rows, None when stopped at the cap, or an error name."""

    seconds: float | None
    rows: int | None = None
    error: str | None = None

    def cell(self, cap: float, digits: int) -> str:
        if self.error:
            return f"fails ({self.error})"
        return f">{cap:.0f}" if self.seconds is None else f"{self.seconds:.{digits}f}"


def _limit_memory(gigabytes: float) -> None:
    """Cap this worker's address space: a runaway query must not push the shared machine out of memory."""
    limit = int(gigabytes * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _oxigraph_runs(store_path: str, sparql: str, runs: int, memory: float, conn: Connection) -> None:
    from pyoxigraph import Store

    _limit_memory(memory)

    store = Store.read_only(store_path)
    times, rows = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        result = store.query(sparql, prefixes=prefix_map(), use_default_graph_as_union=True)
        rows = sum(1 for _ in result)  # type: ignore[union-attr,misc]
        times.append(time.perf_counter() - started)
    conn.send((statistics.median(times), rows))


def _rdflib_server(nquads: str, memory: float, conn: Connection) -> None:
    """Parse the N-Quads once, then answer queries sent over ``conn`` until it closes."""
    from rdflib import Dataset

    _limit_memory(memory)
    started = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(nquads, format="nquads")
    conn.send(time.perf_counter() - started)
    while True:
        try:
            sparql = conn.recv()
        except EOFError:
            return
        started = time.perf_counter()
        try:
            rows = len(list(dataset.query(sparql, initNs=prefix_map())))
        except Exception as exc:  # rdflib's own failures are results here (e.g. NotBoundError)
            conn.send(type(exc).__name__)
            continue
        conn.send((time.perf_counter() - started, rows))


class RdflibWorker:
    """A child process holding the parsed Dataset; replaced after a query is stopped at the cap."""

    def __init__(self, nquads: str, memory: float) -> None:
        self.nquads = nquads
        self.memory = memory
        self.process: BaseProcess | None = None
        self.conn: Connection | None = None
        self.load_seconds = 0.0

    def _start(self) -> Connection:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        self.process = context.Process(target=_rdflib_server, args=(self.nquads, self.memory, child), daemon=True)
        self.process.start()
        child.close()
        self.load_seconds = float(parent.recv())
        self.conn = parent
        return parent

    def run(self, sparql: str, cap: float) -> Timing:
        conn = self.conn or self._start()
        conn.send(sparql)
        if not conn.poll(cap):
            self.stop()
            return Timing(None)
        try:
            answer: Outcome = conn.recv()
        except EOFError:  # the worker died (a query that needs more than --memory ends rdflib with MemoryError)
            code = self.process.exitcode if self.process else None
            self.stop()
            return Timing(None, error=f"worker exit {code}")
        return Timing(None, error=answer) if isinstance(answer, str) else Timing(*answer)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.join()
        self.process, self.conn = None, None


def oxigraph(store_path: str, sparql: str, runs: int, cap: float, memory: float) -> Timing:
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_oxigraph_runs, args=(store_path, sparql, runs, memory, child), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(cap):
            return Timing(None)
        return Timing(*parent.recv())
    except EOFError:
        process.join()
        if process.exitcode == -signal.SIGABRT:  # Rust aborts when an allocation fails
            return Timing(None, error=f"needs more than {memory:g} GB")
        return Timing(None, error=f"worker exit {process.exitcode}")
    finally:
        process.kill()
        process.join()


def ratio(ox: Timing, rd: Timing, cap: float) -> str:
    if ox.seconds is None or ox.error or rd.error:
        return "-"
    if rd.seconds is None:
        return f">{cap / ox.seconds:,.0f}x"
    return f"{rd.seconds / ox.seconds:,.1f}x"


def rows_cell(ox: Timing, rd: Timing) -> str:
    if ox.rows is None:
        return "-"
    if rd.rows is not None and rd.rows != ox.rows:
        return f"{ox.rows:,} (rdflib {rd.rows:,})"
    return f"{ox.rows:,}"


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--cap", type=float, default=120.0, help="seconds per query and engine")
    parser.add_argument("--runs", type=int, default=3, help="Oxigraph runs per query (median reported)")
    parser.add_argument("--memory", type=float, default=8.0, help="GB of address space per engine worker")
    parser.add_argument("--only", nargs="*", help="saved query names (default: all)")
    parser.add_argument("--queries", type=Path, help="time the .rq files of this folder instead of kg's saved queries")
    args = parser.parse_args()
    store_path = str(args.out / "store")
    from pyoxigraph import RdfFormat, Store

    available = {p.stem: p for p in sorted(args.queries.glob("*.rq"))} if args.queries else saved_queries()
    queries = {n: p for n, p in available.items() if not args.only or n in args.only}
    print(f"before: {load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as scratch:
        nquads = str(Path(scratch) / "graph.nq")
        store = Store.read_only(store_path)
        store.dump(nquads, RdfFormat.N_QUADS)
        print(f"{len(store):,} triples in {args.out / 'store'}", flush=True)
        del store
        rdflib = RdflibWorker(nquads, args.memory)
        rows = []
        try:
            for name, path in queries.items():
                sparql = path.read_text(encoding="utf-8")
                ox = oxigraph(store_path, sparql, args.runs, args.cap, args.memory)
                rd = rdflib.run(sparql, args.cap)
                if name == next(iter(queries)):
                    print(f"rdflib Dataset parse of the N-Quads: {rdflib.load_seconds:.1f} s", flush=True)
                line = (f"| {name} | {rows_cell(ox, rd)} | {ox.cell(args.cap, 2)} | {rd.cell(args.cap, 1)} "
                        f"| {ratio(ox, rd, args.cap)} |")  # fmt: skip
                rows.append(line)
                print(f"  {line}", flush=True)
        finally:
            rdflib.stop()
    print(f"after: {load()}")
    print("| query | rows | Oxigraph (s) | rdflib (s) | rdflib / Oxigraph |")
    print("|---|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
