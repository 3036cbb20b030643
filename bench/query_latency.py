"""Latency of every saved query: Oxigraph (kg's store) against rdflib's in-memory Dataset.

``python bench/query_latency.py OUT [--cap 60]`` where OUT holds a kg store (for example the
1 M-triple store from ``bench/synth_graph.py``).  Both engines answer over the union of all
graphs with kg's prefixes.  Each query runs in a child process that is stopped after ``--cap``
seconds, reported as ``>cap``.  Oxigraph: best of 3 runs; rdflib: one run (after loading the
store's N-Quads into a Dataset, whose time is printed too).
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from pathlib import Path

from kg.query.run import saved_queries
from kg.rdf.namespaces import prefix_map

_STATE: dict[str, object] = {}


def _oxigraph(store_path: str, sparql: str) -> float:
    from pyoxigraph import Store

    store = Store.read_only(store_path)
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        result = store.query(sparql, prefixes=prefix_map(), use_default_graph_as_union=True)
        _ = sum(1 for _ in result)  # type: ignore[union-attr]
        best = min(best, time.perf_counter() - started)
    return best


def _rdflib(nquads: str, sparql: str) -> float:
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    dataset.parse(nquads, format="nquads")
    started = time.perf_counter()
    _ = len(list(dataset.query(sparql, initNs=prefix_map())))
    return time.perf_counter() - started


def capped(function: object, args: tuple[str, str], cap: float) -> float | None:
    """Seconds taken; None when the child did not finish within ``cap``; NaN when the engine failed."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        pending = pool.apply_async(function, args)  # type: ignore[arg-type]
        try:
            return float(pending.get(timeout=cap))
        except multiprocessing.TimeoutError:
            pool.terminate()
            return None
        except Exception as exc:  # an engine's own error (rdflib raises NotBoundError on some aggregates)
            print(f"  ({type(exc).__name__}: {str(exc)[:80]})", flush=True)
            return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--cap", type=float, default=60.0)
    args = parser.parse_args()
    store_path = str(args.out / "store")
    from pyoxigraph import RdfFormat, Store

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as scratch:
        nquads = str(Path(scratch) / "graph.nq")
        store = Store.read_only(store_path)
        store.dump(nquads, RdfFormat.N_QUADS)
        print(f"{len(store):,} triples; rdflib parse time is included in its cap but not in its query time")
        started = time.perf_counter()
        from rdflib import Dataset

        Dataset(default_union=True).parse(nquads, format="nquads")
        load = time.perf_counter() - started
        print(f"rdflib Dataset load of the N-Quads: {load:.1f} s")
        print("| query | Oxigraph (s) | rdflib (s) | rdflib / Oxigraph |")
        print("|---|---:|---:|---:|")
        for name, path in saved_queries().items():
            sparql = path.read_text(encoding="utf-8")
            ox = capped(_oxigraph, (store_path, sparql), args.cap * 3)
            rd = capped(_rdflib, (nquads, sparql), args.cap + load * 1.5)
            ratio = f"{rd / ox:,.0f}x" if ox and rd else (f">{args.cap / ox:,.0f}x" if ox and rd is None else "-")
            show_ox = f"{ox:.3f}" if ox is not None else f">{args.cap * 3:.0f}"
            show_rd = f"{rd:.2f}" if rd is not None else f">{args.cap:.0f}"
            print(f"| {name} | {show_ox} | {show_rd} | {ratio} |", flush=True)


if __name__ == "__main__":
    main()
