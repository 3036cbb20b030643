"""Saved queries on a big store: seconds per query, and whether two versions give the same rows.

    python bench/saved_queries.py --run before OUT_A QUERIES_A --run after OUT_B QUERIES_B [--runs 5] [--rounds 3]

Each ``--run LABEL OUT QUERIES`` opens the store ``OUT/store`` read-only (as ``kg query`` does) and times
every ``.rq`` file of the folder ``QUERIES`` (``kg`` for kg's saved queries) over the union of the graphs
with kg's prefixes.  A query's time is the median of ``--runs`` runs inside a round; the runs of all
labels are interleaved round by round (``--rounds``), so a burst of load on the shared machine hits each
label alike, and the table gives the median over the rounds.  The rows of every label are compared with
the first label's as lists of the terms' N-Triples text: ``same`` (in the same order), ``same rows, other
order``, or how many differ.  The load
average is printed before and after.  For the 1-million-triple store: ``bench/synth_graph.py``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from pyoxigraph import QuerySolutions, Store

from kg.query.run import saved_queries
from kg.rdf.namespaces import prefix_map


def run_once(store: Store, sparql: str) -> tuple[float, float, list[tuple[str, ...]]]:
    """Wall and CPU seconds of one run (all rows read), and its rows."""
    started, cpu = time.perf_counter(), time.process_time()
    result = store.query(sparql, prefixes=prefix_map(), use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    rows = [tuple("" if s[n] is None else str(s[n]) for n in names) for s in result]
    return time.perf_counter() - started, time.process_time() - cpu, rows


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", nargs=3, action="append", metavar=("LABEL", "OUT", "QUERIES"), required=True)
    parser.add_argument("--runs", type=int, default=5, help="runs per query and round (median)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, interleaved over the labels (median)")
    parser.add_argument("--only", nargs="*", help="query names (default: every query of the first label)")
    args = parser.parse_args()
    runs = []
    for label, out, folder in args.run:
        queries = saved_queries() if folder == "kg" else {p.stem: p for p in sorted(Path(folder).glob("*.rq"))}
        store = Store.read_only(str(Path(out) / "store"))
        runs.append((label, store, {n: p.read_text(encoding="utf-8") for n, p in queries.items()}))
    names = [n for n in runs[0][2] if not args.only or n in args.only]
    print(f"before: {load()}", flush=True)
    for label, store, _ in runs:
        print(f"{label}: {len(store):,} quads", flush=True)
    seconds: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[float]] = {}
    rows: dict[tuple[str, str], list[tuple[str, ...]]] = {}
    for _ in range(args.rounds):
        for name in names:
            for label, store, texts in runs:
                if name not in texts:
                    continue
                times, cpus = [], []
                for _ in range(args.runs):
                    took, used, found = run_once(store, texts[name])
                    times.append(took)
                    cpus.append(used)
                seconds.setdefault((label, name), []).append(statistics.median(times))
                cpu.setdefault((label, name), []).append(statistics.median(cpus))
                rows[(label, name)] = found
    print(f"after: {load()}")
    labels = [label for label, _, _ in runs]
    head = "".join(f" {label} wall (s) | {label} CPU (s) |" for label in labels)
    same = "".join(f" rows {label} |" for label in labels[1:])
    print(f"\n| query | rows |{head}{same}")
    print("|---|---:|" + "---:|---:|" * len(labels) + "---|" * (len(labels) - 1))
    for name in names:
        first = rows[(labels[0], name)]
        first_sorted = sorted(first)
        cells = []
        for label in labels:
            if (label, name) not in seconds:
                cells += ["-", "-"]
                continue
            cells += [
                f"{statistics.median(seconds[(label, name)]):.3f}",
                f"{statistics.median(cpu[(label, name)]):.3f}",
            ]
        checks = []
        for label in labels[1:]:
            other = rows.get((label, name))
            if other is None:
                checks.append("-")
            elif other == first:
                checks.append("same")
            elif sorted(other) == first_sorted:
                checks.append("same rows, other order")
            else:
                differ = len(set(other) ^ set(first))
                checks.append(f"differ ({len(other):,} rows, {differ:,} not in both)")
        print(f"| {name} | {len(first):,} | " + " | ".join(cells + checks) + " |")


if __name__ == "__main__":
    main()
