"""A thin, typed wrapper around a pyoxigraph store under ``DIR/store``.

Each article's graph is written in one SPARQL Update (``DROP GRAPH`` then
``INSERT DATA``), which Oxigraph applies atomically: an interrupted build
leaves every article either fully old or fully new, never half-written.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples, RdfFormat, Store

from kg.errors import StoreLockedError
from kg.rdf.namespaces import KG, prefix_map


class GraphStore:
    """kg's view of an Oxigraph store: replace article graphs, query the union."""

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        self.path = path
        self._store = _open(path, read_only)

    @property
    def raw(self) -> Store:
        """The underlying pyoxigraph store, for bulk work kg does not wrap."""
        return self._store

    def replace_graph(self, graph: NamedNode, quads: Iterable[Quad], *, also_drop: Iterable[NamedNode] = ()) -> None:
        """Atomically replace ``graph``'s content with ``quads`` (and drop ``also_drop`` in the same transaction)."""
        drops = "".join(f"DROP SILENT GRAPH {g} ;\n" for g in {graph, *also_drop})
        body = " .\n".join(f"{q.subject} {q.predicate} {q.object}" for q in quads)
        if not body:  # nothing to insert: "INSERT DATA { GRAPH g { . } }" is a syntax error
            self._store.update(drops.rstrip(" ;\n"))
            return
        self._store.update(f"{drops}INSERT DATA {{ GRAPH {graph} {{\n{body} .\n}} }}")

    def drop_graph(self, graph: NamedNode) -> None:
        self._store.update(f"DROP SILENT GRAPH {graph}")

    def graphs_read_from(self, location: str) -> list[NamedNode]:
        """Article graphs last written from this input location (file path, ``path:line``, ``-``)."""
        pattern = [
            q.graph_name
            for q in self._store.quads_for_pattern(None, NamedNode(str(KG.inputLocation)), Literal(location), None)
        ]
        return [g for g in pattern if isinstance(g, NamedNode)]

    def has_graph(self, graph: NamedNode) -> bool:
        return bool(self._store.contains_named_graph(graph))

    def query(self, sparql: str, *, union: bool = True) -> QuerySolutions | QueryTriples | QueryBoolean:
        """Run a SPARQL query over the union of all article graphs (by default)."""
        return self._store.query(sparql, use_default_graph_as_union=union, prefixes=prefix_map())

    def count(self) -> int:
        return len(self._store)

    def graph_count(self) -> int:
        return sum(1 for _ in self._store.named_graphs())

    def dump(self, output: Any, fmt: RdfFormat, *, graph: NamedNode | None = None) -> None:
        """Serialise the store (or one graph) to a file object or path."""
        if graph is None:
            self._store.dump(output, fmt)
        else:
            self._store.dump(output, fmt, from_graph=graph)

    def quads(self) -> Iterator[Quad]:
        return iter(self._store)

    def flush(self) -> None:
        self._store.flush()


# A reader that opens the store while a writer compacts it can find files listed in the
# manifest already deleted ("Corruption: ... .sst: No such file"); a moment later it opens.
_READ_ONLY_ATTEMPTS = 20
_READ_ONLY_PAUSE = 0.1


def _open_read_only(path: Path) -> Store:
    for attempt in range(_READ_ONLY_ATTEMPTS):
        try:
            return Store.read_only(str(path))
        except (RuntimeError, OSError) as exc:
            if "corruption" not in str(exc).lower():
                raise
            if attempt == _READ_ONLY_ATTEMPTS - 1:
                raise StoreLockedError(
                    f"store {path} cannot be read: another kg process is writing it (query it when the build "
                    "has finished), or it is damaged (build it again)"
                ) from exc
            time.sleep(_READ_ONLY_PAUSE)
    raise AssertionError("unreachable")


def _open(path: Path | None, read_only: bool) -> Store:
    if path is None:
        return Store()
    try:
        if read_only:
            return _open_read_only(path)
        path.mkdir(parents=True, exist_ok=True)
        return Store(str(path))
    except OSError as exc:
        message = str(exc)
        if "lock" in message.lower() or "resource temporarily unavailable" in message.lower():
            raise StoreLockedError(
                f"store {path} is in use by another kg process; wait for it to finish or use another --out"
            ) from exc
        raise
