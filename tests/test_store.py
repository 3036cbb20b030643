"""The Oxigraph store wrapper: locking, atomic graph replacement, literal escaping."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI, REPO
from pyoxigraph import Literal, NamedNode, Quad

from kg.errors import KgError, StoreLockedError
from kg.store import GraphStore

G1 = NamedNode("https://kg.example.org/id/graph/one")
G2 = NamedNode("https://kg.example.org/id/graph/two")
S = NamedNode("https://kg.example.org/id/article/one")
P = NamedNode("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString")


def quad(value: str, graph: NamedNode = G1) -> Quad:
    return Quad(S, P, Literal(value), graph)


def values(store: GraphStore, graph: NamedNode) -> set[str]:
    return {
        q.object.value for q in store.raw.quads_for_pattern(None, None, None, graph) if isinstance(q.object, Literal)
    }


def test_second_writer_in_the_same_process_is_refused(tmp_path: Path) -> None:
    first = GraphStore(tmp_path / "store")
    with pytest.raises(StoreLockedError) as caught:
        GraphStore(tmp_path / "store")
    message = str(caught.value)
    assert message.startswith("E200 ")
    assert str(tmp_path / "store") in message and "in use" in message and "--out" in message
    assert isinstance(caught.value, KgError)
    first.replace_graph(G1, [quad("still writable")])  # the first writer is unaffected
    assert values(first, G1) == {"still writable"}


def test_second_writer_in_another_process_gets_a_clear_error(tmp_path: Path) -> None:
    holder = GraphStore(tmp_path / "store")
    holder.replace_graph(G1, [quad("kept")])
    holder.flush()
    kg = [sys.executable, "-c", "from kg.cli import main; main()"]
    result = subprocess.run(
        [*kg, "build", f"{MINI}/en_us.txt", "--out", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("kg: E200 ") and str(tmp_path / "store") in line and "in use" in line
    assert "Traceback" not in result.stderr
    assert values(holder, G1) == {"kept"}


def test_reader_opens_right_after_a_writer_flushed(tmp_path: Path) -> None:
    """A plain read-only open here fails with "Corruption: ... .sst: No such file" (compaction race)."""
    writer = GraphStore(tmp_path / "store")
    writer.replace_graph(G1, [quad("fresh")])
    writer.flush()
    reader = GraphStore(tmp_path / "store", read_only=True)
    assert values(reader, G1) == {"fresh"}


def test_replace_graph_replaces_only_that_graph() -> None:
    store = GraphStore(None)
    store.replace_graph(G1, [quad("old 1"), quad("old 2")])
    store.replace_graph(G2, [quad("other", G2)])
    store.replace_graph(G1, [quad("new")])
    assert values(store, G1) == {"new"}
    assert values(store, G2) == {"other"}
    assert store.count() == 2 and store.graph_count() == 2


def test_replace_graph_with_nothing_empties_it() -> None:
    store = GraphStore(None)
    store.replace_graph(G1, [quad("old")])
    store.replace_graph(G1, [])
    assert store.count() == 0
    assert not store.has_graph(G1)


def test_update_is_all_or_nothing(tmp_path: Path) -> None:
    """replace_graph relies on Oxigraph applying a whole update request in one transaction."""
    store = GraphStore(tmp_path / "store")
    store.replace_graph(G1, [quad("old")])
    store.replace_graph(G2, [quad("other", G2)])
    # DROP and INSERT run, then CREATE of an existing graph fails: nothing may remain of the request
    with pytest.raises(RuntimeError, match="already exists"):
        store.raw.update(
            f'DROP SILENT GRAPH {G1} ; INSERT DATA {{ GRAPH {G1} {{ {S} {P} "new" }} }} ; CREATE GRAPH {G2}'
        )
    assert values(store, G1) == {"old"}
    assert values(store, G2) == {"other"}


def test_replace_graph_that_fails_keeps_the_old_graph() -> None:
    store = GraphStore(None)
    store.replace_graph(G1, [quad("old")])

    class Broken:  # a quad whose object does not serialise to valid SPARQL
        subject, predicate, object = S, P, '"unterminated'

    with pytest.raises(SyntaxError):
        store.replace_graph(G1, [quad("new"), Broken()])  # type: ignore[list-item]
    assert values(store, G1) == {"old"}


HOSTILE = [
    'Acme "Quantum" Compute',
    'Break""" > . <urn:x> a <urn:Evil> . Ltd',
    'Robert"); DROP TABLE orgs;-- } } ; DROP ALL ; INSERT DATA { <urn:a> <urn:b> <urn:c> }',
    "Back\\slash Tab\tSeparated\nNew line",
    "C:\\u0022 not a quote \\U0001F600",
    "‮RAMIREZ‬ Ha‍ck 🚀 Jose\u0301",
    "'single' '''triple''' \\'",
    "",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_literals_round_trip_exactly(text: str) -> None:
    store = GraphStore(None)
    store.replace_graph(G1, [quad(text), Quad(S, P, Literal(text, language="en"), G1)])
    assert store.count() == 2
    stored = [q.object for q in store.raw.quads_for_pattern(None, None, None, G1) if isinstance(q.object, Literal)]
    assert len(stored) == 2
    assert {o.value for o in stored} == {text}
    assert {o.language for o in stored} == {None, "en"}
    assert {q.graph_name for q in store.quads()} == {G1}  # nothing injected elsewhere


def test_query_runs_over_the_union_with_kg_prefixes() -> None:
    store = GraphStore(None)
    store.replace_graph(G1, [quad("one")])
    store.replace_graph(G2, [quad("two", G2)])
    rows = store.query("SELECT ?t WHERE { ?a nif:isString ?t } ORDER BY ?t")
    assert [r["t"].value for r in rows] == ["one", "two"]  # type: ignore[union-attr]
    assert not list(store.query("SELECT ?t WHERE { ?a nif:isString ?t }", union=False))  # type: ignore[arg-type]
