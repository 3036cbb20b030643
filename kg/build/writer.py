"""Writing article graphs into the store, fast where it is safe.

Articles never seen before are buffered and added together: a small batch
in one transaction, a large one (``BULK_QUADS``) by Oxigraph's bulk loader,
which writes index files directly and is several times faster than
transactions, but not atomic.  So before a bulk load the writer lists the
batch's graphs in a journal next to the store (``STORE/kg-loading.txt``) and
removes it once the load has returned; a build that finds a journal (the
previous one died mid-load) drops those graphs first, which were all new, so
they are absent again, as a transaction would have left them.  An article
whose graph exists, or that supersedes an earlier version of its file, is
replaced in a transaction of its own (``DROP`` + ``INSERT``).  Either way each
article is, at any moment, fully old or fully new (or absent) in the store.

The writer also records what changed (:class:`Changes`), so that the derived
graphs, claims and entities, are updated for those articles only.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, parse

from kg.build.work import Outcome
from kg.errors import InputError, StoreWriteError
from kg.rdf.claims import Anchor, claim_anchors
from kg.store import GraphStore
from kg.store.entities import entities_of

DEFAULT_BATCH_QUADS = 20_000  # a batch of new articles smaller than BULK_QUADS goes in one transaction
# New articles are buffered up to this many quads (about 200 bytes each as N-Quads) and then bulk-loaded.
BULK_QUADS = 250_000
JOURNAL = "kg-loading.txt"
# Oxigraph's transactional writes keep growing the process's memory (about 450 MB per million quads
# measured) until the store is flushed; flushing this often keeps a long build flat at a few hundred MB.
FLUSH_EVERY_QUADS = 250_000


@dataclass
class Changes:
    """What a build changed in the article graphs, for the derived graphs (claims, entities) to follow."""

    written: set[NamedNode] = field(default_factory=set)  # graphs written (new, or replacing an old version)
    anchors: set[Anchor] = field(default_factory=set)  # claim anchors of graphs' old versions (kg.rdf.claims)
    entities: set[NamedNode] = field(default_factory=set)  # entities the old versions described

    def dropping(self, store: GraphStore, graphs: Iterable[NamedNode]) -> None:
        """Note what ``graphs`` hold now, just before they are replaced or dropped."""
        existing = [g for g in graphs if store.has_graph(g)]
        if existing:
            self.anchors |= claim_anchors(store, existing)
            self.entities |= entities_of(store, existing)


class GraphWriter:
    """Buffers new article graphs and writes them in batches: transactions when small, bulk loads when large."""

    def __init__(
        self,
        store: GraphStore,
        on_error: Callable[[InputError], None],
        *,
        batch_quads: int = BULK_QUADS,
        bulk_quads: int = BULK_QUADS,
    ) -> None:
        self.store = store
        self.on_error = on_error
        self.batch_quads = batch_quads
        self.bulk_quads = bulk_quads
        self.changes = Changes()
        self.pending: dict[str, Outcome] = {}
        self.pending_quads = 0
        self.seconds = 0.0
        self.quads = 0
        self.unflushed = 0

    def write(self, outcome: Outcome) -> None:
        """Write (or buffer) one article's graph."""
        started = time.perf_counter()
        if outcome.graph in self.pending:  # the same article twice in one batch: the later one wins
            self._flush()
        graph = NamedNode(outcome.graph)
        superseded = superseded_graphs(self.store, outcome, graph)
        if superseded or self.store.has_graph(graph):
            self._flush()
            self.changes.dropping(self.store, [graph, *superseded])
            self._replace(outcome, graph, superseded)
        else:
            self.pending[outcome.graph] = outcome
            self.pending_quads += outcome.quads
            if self.pending_quads >= self.batch_quads:
                self._flush()
        self.seconds += time.perf_counter() - started

    def flush(self) -> None:
        """Write everything buffered."""
        started = time.perf_counter()
        self._flush()
        self.seconds += time.perf_counter() - started

    def _flush(self) -> None:
        batch = list(self.pending.values())
        self.pending.clear()
        self.pending_quads = 0
        if not batch:
            return
        quads = sum(o.quads for o in batch)
        try:
            if quads >= self.bulk_quads and self.store.path is not None:
                self._bulk_load(batch)
            else:
                self.store.raw.load(b"".join(o.nquads for o in batch), format=RdfFormat.N_QUADS)
            self.changes.written.update(NamedNode(o.graph) for o in batch)
            self._written(quads)
        except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
            _stop_if_store_fails(self.store, exc, batch[0])
            for outcome in batch:  # find and name the article that cannot be written; keep the others
                self._load_one(outcome)

    def _bulk_load(self, batch: list[Outcome]) -> None:
        """Bulk-load new articles; on a failure drop whatever part of them landed, then re-raise."""
        graphs = [NamedNode(o.graph) for o in batch]
        journal = write_journal(self.store, graphs)
        try:
            self.store.raw.bulk_load(b"".join(o.nquads for o in batch), format=RdfFormat.N_QUADS, lenient=True)
        except BaseException:
            try:
                _drop(self.store, graphs)
                journal.unlink(missing_ok=True)
            except (OSError, RuntimeError):
                pass  # the journal stays: the next build drops these graphs
            raise
        journal.unlink(missing_ok=True)

    def _written(self, quads: int) -> None:
        self.quads += quads
        self.unflushed += quads
        if self.unflushed >= FLUSH_EVERY_QUADS:
            try:
                self.store.flush()
            except (OSError, RuntimeError) as exc:
                raise StoreWriteError(f"cannot write the store {self.store.path}: {_reason(exc)}") from exc
            self.unflushed = 0

    def _load_one(self, outcome: Outcome) -> None:
        try:
            self.store.raw.load(outcome.nquads, format=RdfFormat.N_QUADS)
            self.changes.written.add(NamedNode(outcome.graph))
            self._written(outcome.quads)
        except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
            _stop_if_store_fails(self.store, exc, outcome)
            self._failed(outcome, exc)

    def _replace(self, outcome: Outcome, graph: NamedNode, superseded: list[NamedNode]) -> None:
        try:
            quads = parse(outcome.nquads, format=RdfFormat.N_QUADS)
            self.store.replace_graph(graph, quads, also_drop=superseded)
            self.changes.written.add(graph)
            self._written(outcome.quads)
        except StoreWriteError:
            raise
        except Exception as exc:  # one article must never stop the build, but a store that cannot be written does
            _stop_if_store_fails(self.store, exc, outcome)
            self._failed(outcome, exc)

    def _failed(self, outcome: Outcome, exc: Exception) -> None:
        message = f"could not write to the store: {type(exc).__name__}: {exc}"
        self.on_error(InputError(outcome.source, message, "E199"))


def _drop(store: GraphStore, graphs: Iterable[NamedNode]) -> None:
    store.raw.update(" ;\n".join(f"DROP SILENT GRAPH {g}" for g in sorted(set(graphs), key=str)))


def write_journal(store: GraphStore, graphs: Iterable[NamedNode]) -> Path:
    """List ``graphs`` (about to be bulk-loaded, all new) in the store's journal, durably; return its path."""
    assert store.path is not None
    journal = store.path / JOURNAL
    partial = journal.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as handle:
        handle.writelines(f"{g.value}\n" for g in graphs)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, journal)
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


def _stop_if_store_fails(store: GraphStore, exc: BaseException, outcome: Outcome) -> None:
    """Raise ``StoreWriteError`` when ``exc`` says the store cannot be written at all (disk full ...).

    Every later article would fail the same way, so the build stops with one message instead of one
    error per article; the failed transaction left the store as it was before this write.
    """
    text = str(exc).lower()
    if isinstance(exc, OSError) or any(w in text for w in _WRITE_FAILURES):
        message = f"cannot write the store {store.path}: {_reason(exc)} (while writing {outcome.source})"
        raise StoreWriteError(message) from exc


def superseded_graphs(store: GraphStore, outcome: Outcome, graph: NamedNode) -> list[NamedNode]:
    """Graphs of an earlier version of this file: its text changed, so its key did too.

    Stdin has no identity across runs, and an article with a URL is keyed by
    it, so neither supersedes anything.
    """
    if outcome.source == "-" or outcome.url:
        return []
    return [g for g in store.graphs_read_from(outcome.source) if g != graph]
