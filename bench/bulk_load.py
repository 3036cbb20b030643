"""Store writes of new articles: quads per second, transactions against Oxigraph's bulk loader.

    python bench/bulk_load.py OUT [--workdir DIR] [--only NAME ...]

OUT is a built kg output folder (for the 10,000-article corpus: ``python bench/throughput.py`` leaves
one in ``/tmp/kg-bench/build-w2``).  Its article graphs are read back as one N-Quads text per article
(the form in which workers hand them to the writer) and written into fresh stores under ``--workdir``:

* ``transactions``: kg's writer in batched transactions of 20,000 quads (how every new article was
  written before bulk loading, ``GraphWriter(batch_quads=20_000)`` without bulk loads);
* ``writer-bulk``: kg's writer as a local build uses it now (``GraphWriter``'s defaults): batches of
  250,000 quads, the last one too, bulk-loaded in background threads, two at a time;
* ``shards-1``, ``shards-2``: the 8 N-Quads shards of ``bench/throughput.py`` bulk-loaded with 1 and 2
  threads (``kg.build.cluster.bulk_load_files``);
* ``cluster``: the cluster's shard loader on shards of 256 articles, in input order.

Each line gives quads, wall seconds, quads per wall second, and the CPU seconds of this process (all
threads, Oxigraph's included), which say more than wall time on a shared machine.  The load average
is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store

from kg.build.cluster import Shard, ShardLoader, bulk_load_files
from kg.build.work import Outcome
from kg.build.writer import BULK_QUADS, MIN_BULK_QUADS, GraphWriter
from kg.store import GraphStore


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


def article_outcomes(store_dir: Path) -> list[Outcome]:
    """One Outcome (N-Quads bytes) per article graph of the store, in IRI order."""
    source = Store.read_only(str(store_dir))
    graphs = sorted(
        (
            q.graph_name
            for q in source.quads_for_pattern(
                None, None, NamedNode("https://kg.example.org/ontology#ArticleGraph"), None
            )
        ),
        key=str,
    )
    outcomes = []
    for graph in graphs:
        assert isinstance(graph, NamedNode)
        data = source.dump(format=RdfFormat.N_QUADS, from_graph=graph) or b""
        data = b"".join(line[: line.rindex(b" .")] + f" {graph} .\n".encode() for line in data.splitlines())
        outcomes.append(Outcome(graph.value, len(data), key="0", graph=graph.value, url="u", nquads=data,
                                quads=data.count(b"\n")))  # fmt: skip
    return outcomes


def timed(name: str, target: Path, run: Callable[[GraphStore], int]) -> None:
    shutil.rmtree(target, ignore_errors=True)
    store = GraphStore(target)
    started, cpu = time.perf_counter(), time.process_time()
    quads = run(store)
    store.flush()
    wall, used = time.perf_counter() - started, time.process_time() - cpu
    assert store.count() == quads, (store.count(), quads)
    print(f"| {name} | {quads:,} | {wall:.1f} | {quads / wall:,.0f} | {used:.1f} | {quads / used:,.0f} |", flush=True)
    del store
    shutil.rmtree(target, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench-bulk")
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    outcomes = article_outcomes(args.out / "store")
    total = sum(o.quads for o in outcomes)
    print(f"{len(outcomes):,} article graphs, {total:,} quads, {sum(o.size for o in outcomes) / 1e6:,.0f} MB N-Quads")
    shards = [work / f"shard-{i}.nq" for i in range(8)]
    handles = [p.open("wb") for p in shards]
    for index, outcome in enumerate(outcomes):
        handles[index % 8].write(outcome.nquads)
    for handle in handles:
        handle.close()
    parts = []
    for number in range(0, len(outcomes), 256):
        path = work / f"part-{number // 256:06d}.nq"
        chunk = outcomes[number : number + 256]
        path.write_bytes(b"".join(o.nquads for o in chunk))
        parts.append(Shard(str(path), chunk))

    def writer(batch: int, bulk: int) -> Callable[[GraphStore], int]:
        def run(store: GraphStore) -> int:
            w = GraphWriter(store, print, batch_quads=batch, bulk_quads=bulk)
            for outcome in outcomes:
                w.write(outcome)
            w.flush()
            return w.quads

        return run

    def shard_files(threads: int) -> Callable[[GraphStore], int]:
        def run(store: GraphStore) -> int:
            bulk_load_files(store, shards, threads=threads)
            return total

        return run

    def cluster(store: GraphStore) -> int:
        loader = ShardLoader(store)
        for shard in parts:
            for outcome in shard.outcomes:
                loader.write(outcome)
            loader.load(shard)
        loader.close()
        return loader.quads

    runs: dict[str, Callable[[GraphStore], int]] = {
        "transactions": writer(20_000, 10**12),
        "writer-bulk": writer(BULK_QUADS, MIN_BULK_QUADS),
        "shards-1": shard_files(1),
        "shards-2": shard_files(2),
        "cluster": cluster,
    }
    print(f"before: {load()}", flush=True)
    print("| run | quads | wall (s) | quads/s | CPU (s) | quads per CPU second |")
    print("|---|---:|---:|---:|---:|---:|", flush=True)
    for name, run in runs.items():
        if not args.only or name in args.only:
            timed(name, work / f"store-{name}", run)
    print(f"after: {load()}")
    for path in [*shards, *(Path(p.path) for p in parts)]:
        path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
