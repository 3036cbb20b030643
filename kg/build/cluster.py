"""Scale-out builds on a Dask cluster: partitions in, N-Quads shards out, bulk-loaded here.

The client (this process) streams the inputs and cuts them into partitions of
raw records; Dask workers run the same per-article work as a local build
(``kg.build.work``) and write each partition's article graphs as one N-Quads shard
into a folder that the workers and the client share.  The client loads the
shards into the embedded store in input order as they arrive (Oxigraph's bulk
loader), so a later copy of an article replaces an earlier one exactly as in a
one-process build, and the result is identical triple for triple.  The shards
can be kept (``shards_dir``) to load into a larger triplestore instead.

Unlike a local build, loading a shard is not one transaction per article: an
article's old graph is dropped just before its shard is bulk-loaded.  A build
that is interrupted is repaired by running it again.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, RdfFormat

from kg.build.driver import BuildReport, ProgressCallback, _Tally, finish_build, start_build, work_options
from kg.build.work import Outcome, WorkOptions, batches, process_batch
from kg.build.writer import Changes, superseded_graphs
from kg.errors import ClusterError, InputError
from kg.ingest.sources import DEFAULT_MAX_BYTES, RawOrError, iter_raw
from kg.store import GraphStore

PARTITION_ARTICLES = 256
PARTITION_BYTES = 16_000_000


@dataclass
class Shard:
    """A partition's result: its shard file and the articles (without their quads) in it, in order."""

    path: str
    outcomes: list[Outcome] = field(default_factory=list)


def run_partition(items: Sequence[RawOrError], options: WorkOptions, path: str) -> Shard:
    """On a worker: process one partition and write its article graphs to the N-Quads shard ``path``."""
    outcomes = process_batch(items, options)
    partial = f"{path}.partial"
    with open(partial, "wb") as handle:
        for outcome in outcomes:
            handle.write(outcome.nquads)
            outcome.nquads = b""  # the quads travel through the shared folder, not the scheduler
    os.replace(partial, path)
    return Shard(path, outcomes)


def build_on_cluster(
    inputs: Iterable[str],
    out_dir: Path,
    *,
    cluster: str | Any = "local",
    lang: str | None = None,
    gazetteers: Sequence[Path] = (),
    strict: bool = False,
    on_error: Callable[[InputError], None] | None = None,
    store: GraphStore | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    shards_dir: Path | None = None,
    partition_articles: int = PARTITION_ARTICLES,
    on_progress: ProgressCallback | None = None,
    extracted_at: datetime | None = None,
    rebuild_derived: bool = False,
) -> BuildReport:
    """Build ``inputs`` into ``out_dir/store`` on a Dask cluster.

    ``cluster`` is a scheduler address (``tcp://host:8786``), ``local`` or
    ``local:N`` (a local cluster of N worker processes), or a connected
    ``distributed.Client``.  Shards go to ``shards_dir`` and are kept there, or
    to a temporary folder under ``out_dir`` that is removed afterwards.
    """
    started = time.perf_counter()
    store = store or GraphStore(out_dir / "store")
    full = start_build(store) or rebuild_derived
    options = work_options(lang, gazetteers, max_bytes, extracted_at or datetime.now(UTC))
    folder = shards_dir or out_dir / f"shards-{os.getpid()}-{int(time.time())}"
    folder.mkdir(parents=True, exist_ok=True)
    with _connect(cluster) as client:
        report = BuildReport(workers=len(client.scheduler_info().get("workers", {})) or 1)
        tally = _Tally(report, on_error, on_progress)
        loader = ShardLoader(store)
        partitions = batches(
            iter_raw(inputs, max_bytes=max_bytes), max_items=partition_articles, max_bytes=PARTITION_BYTES
        )
        for shard in _run_all(client, partitions, options, folder, 2 * report.workers + 2):
            for outcome in shard.outcomes:
                tally.add(outcome, loader)
            loader.load(shard)
            if strict and report.errors:
                break
        loader.close()
    if shards_dir is None:
        shutil.rmtree(folder, ignore_errors=True)
    finish_build(report, store, loader.quads, loader.seconds, started, loader.changes, full)
    return report


@contextlib.contextmanager
def _connect(cluster: str | Any) -> Iterator[Any]:
    """A Dask client for ``cluster``; a local cluster started here is shut down on exit."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ClusterError("Dask is not installed: pip install 'kg[cluster]'", "E502") from exc
    if not isinstance(cluster, str):
        yield cluster
        return
    if cluster == "local" or cluster.startswith("local:"):
        workers = _local_workers(cluster)
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=logging.ERROR,
            ) as local,
            Client(local) as client,
        ):
            yield client
        return
    try:
        client = Client(cluster, timeout="5s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {cluster}: {exc}", "E500") from exc
    with client:
        yield client


def _local_workers(spec: str) -> int:
    count = spec.partition(":")[2] or str(os.cpu_count() or 1)
    if not count.isdigit() or int(count) < 1:
        raise ClusterError(f"bad --cluster {spec!r}: use local, local:N (N >= 1) or a scheduler address", "E503")
    return int(count)


def _run_all(
    client: Any, partitions: Iterable[list[RawOrError]], options: WorkOptions, folder: Path, in_flight: int
) -> Iterator[Shard]:
    """Shards in input order, with at most ``in_flight`` partitions submitted at a time."""
    pending: deque[tuple[list[RawOrError], Any]] = deque()
    for number, items in enumerate(partitions):
        path = str((folder / f"part-{number:06d}.nq").resolve())
        pending.append((items, client.submit(run_partition, items, options, path, pure=False, retries=1)))
        if len(pending) >= in_flight:
            yield _result(*pending.popleft())
    while pending:
        yield _result(*pending.popleft())


def _result(items: list[RawOrError], future: Any) -> Shard:
    """A partition's shard; one that failed on the cluster fails each of its articles, naming it."""
    try:
        shard: Shard = future.result()
        return shard
    except Exception as exc:  # a worker lost twice, a full disk: the build goes on
        message = f"its partition failed on the cluster: {type(exc).__name__}: {exc}"
        return Shard("", [Outcome(i.source, 0, error=InputError(i.source, message, "E501")) for i in items])


class ShardLoader:
    """Drops the graphs a shard's articles replace, then bulk-loads the shard.

    Oxigraph's bulk loader keeps about one core busy per call, so up to
    ``threads`` shards load at the same time.  A shard waits for the loads in
    flight when it touches one of their graphs (the same article in two
    shards), so the later copy still wins.
    """

    def __init__(self, store: GraphStore, threads: int = 2) -> None:
        self.store = store
        self.threads = threads
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="kg-bulk-load")
        self.in_flight: deque[tuple[set[str], Future[None]]] = deque()
        self.drops: set[NamedNode] = set()
        self.skip: dict[str, int] = {}  # graph -> how many earlier copies in this shard to leave out
        self.seconds = 0.0
        self.quads = 0
        self.changes = Changes()

    def write(self, outcome: Outcome) -> None:
        """Note one article of the shard about to be loaded (called in shard order)."""
        if any(outcome.graph in graphs for graphs, _ in self.in_flight):
            self.wait()
        graph = NamedNode(outcome.graph)
        if outcome.graph in self.skip or self.store.has_graph(graph):
            self.drops.add(graph)
        self.drops.update(superseded_graphs(self.store, outcome, graph))
        self.skip[outcome.graph] = self.skip.get(outcome.graph, -1) + 1

    def load(self, shard: Shard) -> None:
        """Drop what the shard replaces, then start loading it (at most ``threads`` loads at a time)."""
        if self.drops:
            started = time.perf_counter()
            if any(g.value in graphs for graphs, _ in self.in_flight for g in self.drops):
                self.wait()
            self.changes.dropping(self.store, self.drops)
            self.store.raw.update(" ;\n".join(f"DROP SILENT GRAPH {g}" for g in sorted(self.drops, key=str)))
            self.seconds += time.perf_counter() - started
        if shard.path:
            while len(self.in_flight) >= self.threads:
                self.in_flight.popleft()[1].result()
            written = [o for o in shard.outcomes if o.error is None]
            self.changes.written.update(NamedNode(o.graph) for o in written)
            keep_last = any(n > 0 for n in self.skip.values())
            future = self.pool.submit(self._bulk_load, shard.path, written, keep_last)
            self.in_flight.append(({o.graph for o in written}, future))
        self.drops.clear()
        self.skip.clear()

    def wait(self) -> None:
        """Wait for every load in flight (errors surface here)."""
        while self.in_flight:
            self.in_flight.popleft()[1].result()

    def close(self) -> None:
        self.wait()
        self.pool.shutdown()

    def _bulk_load(self, path: str, written: list[Outcome], keep_last: bool) -> None:
        started = time.perf_counter()
        if keep_last:  # the same article twice in one shard: only its last copy is loaded
            data = b"".join(_last_copies(Path(path), written))
            self.store.raw.bulk_load(data, format=RdfFormat.N_QUADS, lenient=True)
        else:
            self.store.raw.bulk_load(path=path, format=RdfFormat.N_QUADS, lenient=True)
        self.quads += sum(o.quads for o in written)
        self.seconds += time.perf_counter() - started  # summed over the loading threads


def bulk_load_files(store: GraphStore, paths: Iterable[Path], threads: int = 2) -> None:
    """Bulk-load N-Quads files, ``threads`` at a time (kg's shards, or any other dump)."""
    with ThreadPoolExecutor(threads, thread_name_prefix="kg-bulk-load") as pool:
        for future in [pool.submit(_load_file, store, p) for p in paths]:
            future.result()


def _load_file(store: GraphStore, path: Path) -> None:
    store.raw.bulk_load(path=str(path), format=RdfFormat.N_QUADS, lenient=True)


def _last_copies(path: Path, outcomes: list[Outcome]) -> Iterator[bytes]:
    """The shard's lines without the quads of an article that a later copy in the same shard replaces."""
    last = {o.graph: i for i, o in enumerate(outcomes)}
    with path.open("rb") as handle:
        for index, outcome in enumerate(outcomes):
            lines = [handle.readline() for _ in range(outcome.quads)]
            if last[outcome.graph] == index:
                yield from lines
