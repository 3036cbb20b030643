"""Writing article graphs into the store, fast where it is safe.

Articles never seen before are buffered and added together, in batches of
``batch_quads``: by Oxigraph's bulk loader, which writes index files directly
and is several times faster than transactions, but not atomic (a batch
smaller than ``bulk_quads``, such as a few new articles, in one transaction).
Bulk loads run in background threads (``load_threads`` at a time, each keeping
about one core busy) while the build goes on reading, processing and
buffering the next articles.  Before a bulk load starts the writer lists
the graphs of every load in flight in a journal next to the store
(``STORE/kg-loading.txt``) and rewrites it when one returns (removes it when
none is left); a build that finds a journal (the previous one died mid-load)
drops those graphs first, which were all new, so they are absent again, as a
transaction would have left them.  An article whose graph exists, or that
supersedes an earlier version of its file, is replaced in a transaction of its
own (``DROP`` + ``INSERT``) once the loads in flight have returned.  Either way
each article is, at any moment, fully old or fully new (or absent) in the store.

The writer also records what changed (:class:`Changes`), so that the derived
graphs, claims and entities, are updated for those articles only.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, parse

from kg.build.work import Outcome
from kg.errors import InputError, StoreWriteError
from kg.store import GraphStore
from kg.store.claims import Anchor, claim_anchors
from kg.store.entities import entities_of

# New articles are buffered up to this many quads (about 240 bytes each as N-Quads) and then bulk-loaded.
# Larger batches cost Oxigraph's loader no less per quad (one call of all 4.7 M quads of the 10,000-article
# corpus took the CPU time of 40 calls of 120,000), so the batch only bounds the memory held.
BULK_QUADS = 250_000
# A batch of at least this many quads is bulk-loaded too (the last one of a large build: the 198,850 quads
# of the 10,000-article corpus's cost 6 CPU s more in one transaction); only a few articles go in one.
MIN_BULK_QUADS = 10_000
LOAD_THREADS = 2  # bulk loads at a time: Oxigraph's loader keeps about one core busy per call
JOURNAL = "kg-loading.txt"
# Oxigraph's transactional writes keep growing the process's memory (about 450 MB per million quads
# measured) until the store is flushed; flushing this often keeps a long build flat at a few hundred MB.
FLUSH_EVERY_QUADS = 250_000


@dataclass
class Changes:
    """What a build changed in the article graphs, for the derived graphs (claims, entities) to follow."""

    written: set[NamedNode] = field(default_factory=set)  # graphs written (new, or replacing an old version)
    anchors: set[Anchor] = field(default_factory=set)  # claim anchors of graphs' old versions (kg.store.claims)
    entities: set[NamedNode] = field(default_factory=set)  # entities the old versions described

    def dropping(self, store: GraphStore, graphs: Iterable[NamedNode]) -> None:
        """Note what ``graphs`` hold now, just before they are replaced or dropped."""
        existing = [g for g in graphs if store.has_graph(g)]
        if existing:
            self.anchors |= claim_anchors(store, existing)
            self.entities |= entities_of(store, existing)


@dataclass
class _Buffered:
    """New articles waiting to be written: their N-Quads, and where each article's lie in them."""

    chunks: list[bytes] = field(default_factory=list)  # one per article, or the batch joined into one
    graphs: dict[str, int] = field(default_factory=dict)  # graph -> index of its article
    sources: list[str] = field(default_factory=list)  # input location of each article
    counts: list[int] = field(default_factory=list)  # quads of each article
    ends: list[int] = field(default_factory=list)  # where each article's N-Quads end in the joined text
    quads: int = 0

    def add(self, outcome: Outcome) -> None:
        self.graphs[outcome.graph] = len(self.sources)
        self.chunks.append(outcome.nquads)
        self.sources.append(outcome.source)
        self.counts.append(outcome.quads)
        self.ends.append((self.ends[-1] if self.ends else 0) + len(outcome.nquads))
        self.quads += outcome.quads

    def nodes(self) -> list[NamedNode]:
        return [NamedNode(g) for g in self.graphs]

    def joined(self) -> bytes:
        """The batch as one N-Quads text, kept instead of the articles' own, so it is in memory once."""
        if len(self.chunks) != 1:
            self.chunks = [b"".join(self.chunks)]
        return self.chunks[0]

    def article(self, index: int) -> bytes:
        """The N-Quads of one article of the batch."""
        if len(self.chunks) == len(self.sources):
            return self.chunks[index]
        return self.chunks[0][self.ends[index - 1] if index else 0 : self.ends[index]]


@dataclass
class _Load:
    """A bulk load in flight in a loading thread."""

    batch: _Buffered
    future: Future[float]  # the seconds the load took


class GraphWriter:
    """Buffers new article graphs and writes them in batches: transactions when small, bulk loads when large."""

    def __init__(
        self,
        store: GraphStore,
        on_error: Callable[[InputError], None],
        *,
        batch_quads: int = BULK_QUADS,
        bulk_quads: int = MIN_BULK_QUADS,
        load_threads: int = LOAD_THREADS,
    ) -> None:
        self.store = store
        self.on_error = on_error
        self.batch_quads = batch_quads
        self.bulk_quads = bulk_quads
        self.load_threads = max(1, load_threads)
        self.changes = Changes()
        self.pending = _Buffered()
        self.loads: deque[_Load] = deque()
        self.pool: ThreadPoolExecutor | None = None
        self.seconds = 0.0  # this thread's time in the writer, waits left out, plus the loads' own time
        self.quads = 0
        self.unflushed = 0
        self._waited = 0.0

    def write(self, outcome: Outcome) -> None:
        """Write (or buffer) one article's graph."""
        started, waited = time.perf_counter(), self._waited
        self._reap()
        if self._in_hand(outcome):  # the same article (or file) buffered or loading: those go first
            self._flush()
            self._wait()
        graph = NamedNode(outcome.graph)
        superseded = superseded_graphs(self.store, outcome, graph)
        if superseded or self.store.has_graph(graph):
            self._flush()
            self._wait()
            self.changes.dropping(self.store, [graph, *superseded])
            self._replace(outcome, graph, superseded)
        else:
            self.pending.add(outcome)
            if self.pending.quads >= self.batch_quads:
                self._flush()
        self.seconds += time.perf_counter() - started - (self._waited - waited)

    def flush(self) -> None:
        """Write everything buffered, and wait for the loads in flight."""
        started, waited = time.perf_counter(), self._waited
        try:
            self._flush()
            self._wait()
        finally:
            if self.pool is not None and not self.loads:
                self.pool.shutdown()
                self.pool = None
            self.seconds += time.perf_counter() - started - (self._waited - waited)

    def _in_hand(self, outcome: Outcome) -> bool:
        """True when the store cannot tell yet whether ``outcome`` replaces a graph (it is buffered or loading)."""
        batches = [self.pending, *(load.batch for load in self.loads)]
        if any(outcome.graph in batch.graphs for batch in batches):
            return True
        if outcome.source == "-" or outcome.url:  # supersedes nothing (see superseded_graphs)
            return False
        return any(outcome.source in batch.sources for batch in batches)

    def _flush(self) -> None:
        batch, self.pending = self.pending, _Buffered()
        if not batch.chunks:
            return
        if batch.quads >= self.bulk_quads and self.store.path is not None:
            self._start_load(batch)
            return
        try:
            self.store.raw.load(batch.joined(), format=RdfFormat.N_QUADS)
            self.changes.written.update(batch.nodes())
            self._written(batch.quads, transaction=True)
        except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
            _stop_if_store_fails(self.store, exc, batch.sources[0])
            self._one_by_one(batch)

    def _start_load(self, batch: _Buffered) -> None:
        """Bulk-load ``batch`` in a loading thread, behind the journal, at most ``load_threads`` at a time."""
        while len(self.loads) >= self.load_threads:
            self._finish(self.loads.popleft())
        write_journal(self.store, [g for b in (*(load.batch for load in self.loads), batch) for g in b.nodes()])
        batch.joined()  # here, where the GIL is held anyway; the load itself runs without it
        if self.pool is None:
            self.pool = ThreadPoolExecutor(self.load_threads, thread_name_prefix="kg-bulk-load")
        self.loads.append(_Load(batch, self.pool.submit(self._bulk_load, batch)))

    def _bulk_load(self, batch: _Buffered) -> float:
        """In a loading thread: bulk-load new articles; on a failure drop whatever part of them landed, re-raise."""
        started = time.perf_counter()
        try:
            self.store.raw.bulk_load(batch.joined(), format=RdfFormat.N_QUADS, lenient=True)
        except BaseException:
            try:
                _drop(self.store, batch.nodes())
            except (OSError, RuntimeError) as exc:  # the journal keeps them: the next build drops these graphs
                raise StoreWriteError(f"cannot write the store {self.store.path}: {_reason(exc)}") from exc
            raise
        return time.perf_counter() - started

    def _finish(self, load: _Load) -> None:
        """Wait for a load (the oldest in flight), count it, and take its graphs off the journal."""
        started = time.perf_counter()
        try:
            seconds = load.future.result()
        except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
            self._waited += time.perf_counter() - started
            _stop_if_store_fails(self.store, exc, load.batch.sources[0])  # the journal stays as it is
            self._one_by_one(load.batch)  # find and name the article that cannot be written; keep the others
        else:
            self._waited += time.perf_counter() - started
            self.seconds += seconds
            self.changes.written.update(load.batch.nodes())
            self._written(load.batch.quads)
        self._rewrite_journal()

    def _reap(self) -> None:
        """Count the loads that have returned, oldest first."""
        while self.loads and self.loads[0].future.done():
            self._finish(self.loads.popleft())

    def _wait(self) -> None:
        """Wait for every load in flight (errors surface here)."""
        while self.loads:
            self._finish(self.loads.popleft())

    def _rewrite_journal(self) -> None:
        assert self.store.path is not None
        if self.loads:
            write_journal(self.store, [g for load in self.loads for g in load.batch.nodes()])
        else:
            (self.store.path / JOURNAL).unlink(missing_ok=True)

    def _written(self, quads: int, *, transaction: bool = False) -> None:
        self.quads += quads
        if not transaction:  # a bulk load writes files, not memory; only transactions need flushing
            return
        self.unflushed += quads
        if self.unflushed >= FLUSH_EVERY_QUADS:
            try:
                self.store.flush()
            except (OSError, RuntimeError) as exc:
                raise StoreWriteError(f"cannot write the store {self.store.path}: {_reason(exc)}") from exc
            self.unflushed = 0

    def _one_by_one(self, batch: _Buffered) -> None:
        """Write each article of a batch that failed as a whole in a transaction of its own."""
        for graph, index in batch.graphs.items():
            source, data = batch.sources[index], batch.article(index)
            try:
                self.store.raw.load(data, format=RdfFormat.N_QUADS)
                self.changes.written.add(NamedNode(graph))
                self._written(batch.counts[index], transaction=True)
            except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
                _stop_if_store_fails(self.store, exc, source)
                self._failed(source, exc)

    def _replace(self, outcome: Outcome, graph: NamedNode, superseded: list[NamedNode]) -> None:
        try:
            quads = parse(outcome.nquads, format=RdfFormat.N_QUADS)
            self.store.replace_graph(graph, quads, also_drop=superseded)
            self.changes.written.add(graph)
            self._written(outcome.quads, transaction=True)
        except StoreWriteError:
            raise
        except Exception as exc:  # one article must never stop the build, but a store that cannot be written does
            _stop_if_store_fails(self.store, exc, outcome.source)
            self._failed(outcome.source, exc)

    def _failed(self, source: str, exc: Exception) -> None:
        message = f"could not write to the store: {type(exc).__name__}: {exc}"
        self.on_error(InputError(source, message, "E199"))


def _drop(store: GraphStore, graphs: Iterable[NamedNode]) -> None:
    store.raw.update(" ;\n".join(f"DROP SILENT GRAPH {g}" for g in sorted(set(graphs), key=str)))


def write_journal(store: GraphStore, graphs: Iterable[NamedNode]) -> Path:
    """List ``graphs`` (about to be bulk-loaded, all new) in the store's journal, durably; return its path."""
    assert store.path is not None
    journal = store.path / JOURNAL
    partial = journal.with_suffix(".partial")
    try:
        with partial.open("w", encoding="utf-8") as handle:
            handle.writelines(f"{g.value}\n" for g in graphs)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, journal)
    except OSError as exc:
        raise StoreWriteError(f"cannot write the store {store.path}: {_reason(exc)}") from exc
    return journal


def recover_interrupted_load(store: GraphStore) -> bool:
    """Drop the graphs of a bulk load that a previous build did not finish; True when there was one.

    Those graphs were new when the load began, so dropping them leaves the store as it was before it.
    """
    journal = store.path / JOURNAL if store.path is not None else None
    if journal is None or not journal.exists():
        return False
    graphs = [NamedNode(line) for line in journal.read_text(encoding="utf-8").split()]
    try:
        if graphs:
            _drop(store, graphs)
    except (OSError, RuntimeError) as exc:
        raise StoreWriteError(f"cannot write the store {store.path}: {_reason(exc)}") from exc
    journal.unlink()
    return True


# How RocksDB and the OS say that nothing more can be written; an article's own bad data reads otherwise.
_WRITE_FAILURES = (
    "no space left",
    "disk quota",
    "file too large",
    "read-only file system",
    "input/output error",
    "io error",
    "permission denied",
)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return " ".join(str(exc).split())[:300] or type(exc).__name__


def _stop_if_store_fails(store: GraphStore, exc: BaseException, source: str) -> None:
    """Raise ``StoreWriteError`` when ``exc`` says the store cannot be written at all (disk full ...).

    Every later article would fail the same way, so the build stops with one message instead of one
    error per article; the failed transaction left the store as it was before this write.
    """
    if isinstance(exc, StoreWriteError):
        raise exc
    text = str(exc).lower()
    if isinstance(exc, OSError) or any(w in text for w in _WRITE_FAILURES):
        message = f"cannot write the store {store.path}: {_reason(exc)} (while writing {source})"
        raise StoreWriteError(message) from exc


def superseded_graphs(store: GraphStore, outcome: Outcome, graph: NamedNode) -> list[NamedNode]:
    """Graphs of an earlier version of this file: its text changed, so its key did too.

    Stdin has no identity across runs, and an article with a URL is keyed by
    it, so neither supersedes anything.
    """
    if outcome.source == "-" or outcome.url:
        return []
    return [g for g in store.graphs_read_from(outcome.source) if g != graph]
