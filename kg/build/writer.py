"""Writing article graphs into the store, fast where it is safe.

An article never seen before is added with others in one transaction (a
batch of N-Quads loaded at once, about twice as fast as one SPARQL update per
article); an article whose graph exists, or that supersedes an earlier
version of its file, is replaced in a transaction of its own (``DROP`` +
``INSERT``). Either way each article is, at any moment, fully old or fully
new in the store.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from pyoxigraph import NamedNode, RdfFormat, parse

from kg.build.work import Outcome
from kg.errors import InputError, StoreWriteError
from kg.store import GraphStore

DEFAULT_BATCH_QUADS = 20_000
# Oxigraph's transactional writes keep growing the process's memory (about 450 MB per million quads
# measured) until the store is flushed; flushing this often keeps a long build flat at a few hundred MB.
FLUSH_EVERY_QUADS = 250_000


class GraphWriter:
    """Buffers new article graphs and writes them in batched transactions."""

    def __init__(
        self,
        store: GraphStore,
        on_error: Callable[[InputError], None],
        *,
        batch_quads: int = DEFAULT_BATCH_QUADS,
    ) -> None:
        self.store = store
        self.on_error = on_error
        self.batch_quads = batch_quads
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
        try:
            self.store.raw.load(b"".join(o.nquads for o in batch), format=RdfFormat.N_QUADS)
            self._written(sum(o.quads for o in batch))
        except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
            _stop_if_store_fails(self.store, exc, batch[0])
            for outcome in batch:  # find and name the article that cannot be written; keep the others
                self._load_one(outcome)

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
            self._written(outcome.quads)
        except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
            _stop_if_store_fails(self.store, exc, outcome)
            self._failed(outcome, exc)

    def _replace(self, outcome: Outcome, graph: NamedNode, superseded: list[NamedNode]) -> None:
        try:
            quads = parse(outcome.nquads, format=RdfFormat.N_QUADS)
            self.store.replace_graph(graph, quads, also_drop=superseded)
            self._written(outcome.quads)
        except StoreWriteError:
            raise
        except Exception as exc:  # one article must never stop the build, but a store that cannot be written does
            _stop_if_store_fails(self.store, exc, outcome)
            self._failed(outcome, exc)

    def _failed(self, outcome: Outcome, exc: Exception) -> None:
        message = f"could not write to the store: {type(exc).__name__}: {exc}"
        self.on_error(InputError(outcome.source, message, "E199"))


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
