"""The store writer's bulk loads: in background threads, behind the journal, the later copy of an article winning.

New articles of a large batch go through Oxigraph's bulk loader in loading threads (kg.build.writer)
while the build goes on; the journal (``STORE/kg-loading.txt``) lists the graphs of every load in flight.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import Built, article_graphs
from pyoxigraph import NamedNode, Store

from kg.build.work import Outcome
from kg.build.writer import JOURNAL, GraphWriter
from kg.store import GraphStore


def _outcomes(built: Built) -> tuple[list[Outcome], list[str]]:
    """One outcome per article graph of a built store (N-Quads as a worker sends them), and all their quads."""
    source = GraphStore(built.out / "store", read_only=True)
    outcomes, lines = [], []
    for graph in sorted(article_graphs(source)):
        quads = sorted(str(q) for q in source.raw.quads_for_pattern(None, None, None, NamedNode(graph)))
        data = "".join(f"{q} .\n" for q in quads).encode()
        outcomes.append(Outcome(graph, len(data), key="ab", graph=graph, url="u", nquads=data, quads=len(quads)))
        lines += quads
    del source
    return outcomes, sorted(lines)


class _Watched:
    """A pyoxigraph store whose bulk loads note which graphs they load and what the journal lists meanwhile."""

    def __init__(self, store: Store, journal: Path, seen: list[tuple[set[str], set[str]]]) -> None:
        self._store, self._journal, self._seen = store, journal, seen

    def bulk_load(self, data: bytes, **options: Any) -> None:
        graphs = {line.rsplit(b" ", 2)[-2].decode().strip("<>") for line in data.splitlines()}
        self._seen.append((graphs, set(self._journal.read_text(encoding="utf-8").split())))
        self._store.bulk_load(data, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


class _WatchedStore(GraphStore):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.seen: list[tuple[set[str], set[str]]] = []
        self.watched = _Watched(super().raw, path / JOURNAL, self.seen)

    @property
    def raw(self) -> Any:
        return self.watched


def test_every_bulk_load_runs_behind_a_journal_of_its_graphs(built_mini: Built, tmp_path: Path) -> None:
    outcomes, expected = _outcomes(built_mini)
    store = _WatchedStore(tmp_path / "store")
    writer = GraphWriter(store, print, batch_quads=1, bulk_quads=1)  # every article a bulk load of its own
    for outcome in outcomes:
        writer.write(outcome)
    writer.flush()
    assert len(store.seen) == len(outcomes) >= 4
    for graphs, journal in store.seen:
        assert graphs <= journal  # a crash now leaves these graphs listed, and the next build drops them
    assert not (tmp_path / "store" / JOURNAL).exists()
    assert sorted(str(q) for q in store.quads()) == expected
    assert writer.quads == len(expected)
    assert writer.changes.written == {NamedNode(o.graph) for o in outcomes}


def test_an_article_written_again_while_its_first_copy_loads_ends_up_as_the_later_copy(
    built_mini: Built, tmp_path: Path
) -> None:
    outcomes, expected = _outcomes(built_mini)
    first = outcomes[0]
    extra = f"<urn:kg:test> <urn:kg:test> <urn:kg:test> <{first.graph}> .\n".encode()
    later = Outcome(first.source, first.size, key="ab", graph=first.graph, url="u", nquads=first.nquads + extra,
                    quads=first.quads + 1)  # fmt: skip
    store = GraphStore(tmp_path / "store")
    writer = GraphWriter(store, print, batch_quads=1, bulk_quads=1)
    for outcome in [first, later, *outcomes[1:]]:  # the later copy comes while the first one is in flight
        writer.write(outcome)
    writer.flush()
    lines = sorted(str(q) for q in store.quads())
    assert lines == sorted([*expected, f"<urn:kg:test> <urn:kg:test> <urn:kg:test> <{first.graph}>"])
    assert writer.changes.written == {NamedNode(o.graph) for o in outcomes}


def test_a_bulk_load_that_fails_writes_its_articles_one_by_one_and_names_the_bad_one(
    built_mini: Built, tmp_path: Path
) -> None:
    outcomes, expected = _outcomes(built_mini)
    bad_graph = "https://kg.example.org/id/graph/not-n-quads"
    bad = Outcome("bad.txt", 10, key="cd", graph=bad_graph, url="u", nquads=b"<urn:a> <urn:b> .\n", quads=1)
    errors: list[Any] = []
    store = GraphStore(tmp_path / "store")
    writer = GraphWriter(store, errors.append, batch_quads=10**9, bulk_quads=1)  # one bulk load of everything
    for outcome in [*outcomes[:2], bad, *outcomes[2:]]:
        writer.write(outcome)
    writer.flush()
    assert [(e.source, e.code) for e in errors] == [("bad.txt", "E199")]
    assert sorted(str(q) for q in store.quads()) == expected
    assert not store.has_graph(NamedNode(bad_graph))
    assert not (tmp_path / "store" / JOURNAL).exists()
