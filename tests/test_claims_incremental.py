"""Derived graphs kept in step incrementally: several builds give the claims and entities of one full rebuild.

Each build updates only the claims its articles touch (kg.store.claims.update_claims: their statements, or a
party's description, hence its name) and the entities they describe (kg.store.entities);
``kg build --rebuild-claims`` recomputes both from all article graphs. New articles of a large batch go
through Oxigraph's bulk loader behind a journal (kg.build.writer).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import EXAMPLES, MINI, Built, article_graphs, run_cli
from pyoxigraph import NamedNode, RdfFormat

from kg.build.work import Outcome
from kg.build.writer import JOURNAL, Changes, GraphWriter, recover_interrupted_load, write_journal
from kg.query.run import load_query, stale_claims_note
from kg.rdf.namespaces import KG, prefix_map
from kg.store import GraphStore
from kg.store.claims import claims_graph, claims_outdated, rebuild_claims, update_claims
from kg.store.entities import entities_graph, rebuild_entities, update_entities


def _graph_lines(store: GraphStore, graph: NamedNode) -> list[str]:
    return sorted(str(q) for q in store.raw.quads_for_pattern(None, None, None, graph))


def _derived(out: Path) -> tuple[list[str], list[str]]:
    store = GraphStore(out / "store", read_only=True)
    try:
        return _graph_lines(store, claims_graph()), _graph_lines(store, entities_graph())
    finally:
        del store


def _build(out: Path, *args: str) -> None:
    result = run_cli("build", *args, "--out", str(out), "--no-render", "--no-export")
    assert result.exit_code == 0, result.stderr


def test_incremental_builds_give_the_claims_and_entities_of_a_full_rebuild(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for name in ("en_softbank_polder.txt", "nl_softbank_eemshaven.txt", "en_nvidia_poland.txt"):
        shutil.copy(Path(EXAMPLES) / name, articles / name)
    out = tmp_path / "out"
    _build(out, str(articles / "en_softbank_polder.txt"), str(articles / "nl_softbank_eemshaven.txt"))
    first_claims, first_entities = _derived(out)
    _build(out, str(articles / "en_nvidia_poland.txt"))  # a new article
    added_claims, added_entities = _derived(out)
    assert len(added_claims) > len(first_claims) and len(added_entities) > len(first_entities)

    polder = articles / "en_softbank_polder.txt"  # the same file, other facts: its old graph is superseded
    polder.write_text(
        polder.read_text(encoding="utf-8").replace(
            "SoftBank has agreed to invest €3 billion in an artificial intelligence data centre",
            "Microsoft has agreed to invest €5 billion in an artificial intelligence data centre",
        ),
        encoding="utf-8",
    )
    _build(out, str(polder))
    poland = articles / "en_nvidia_poland.txt"  # one fact (a partnership) removed
    text = poland.read_text(encoding="utf-8")
    cut = " Orange Polska will provide connectivity under a separate partnership agreement with Wisła Compute."
    assert cut in text
    poland.write_text(text.replace(cut, ""), encoding="utf-8")
    _build(out, str(poland))
    incremental = _derived(out)
    assert incremental != (added_claims, added_entities)
    assert not any("Orange" in line for line in incremental[1]), "an entity no article names any more stays"

    full = tmp_path / "full"
    shutil.copytree(out, full)
    result = run_cli("build", "--rebuild-claims", "--out", str(full), "--no-render", "--no-export")
    assert result.exit_code == 0, result.stderr
    assert _derived(full) == incremental

    fresh = tmp_path / "fresh"  # and one build of the final articles from scratch
    _build(fresh, str(articles))
    assert _derived(fresh) == incremental


def _outcomes(store: GraphStore) -> list[Outcome]:
    outcomes = []
    for graph in sorted(article_graphs(store)):
        node = NamedNode(graph)
        data = b"".join(
            f"{q} .\n".encode() for q in sorted(store.raw.quads_for_pattern(None, None, None, node), key=str)
        )
        quads = data.count(b"\n")
        outcomes.append(Outcome(graph, len(data), key="ab", graph=graph, url="u", nquads=data, quads=quads))
    return outcomes


def test_bulk_loaded_batches_store_what_transactions_store(built_mini: Built, tmp_path: Path) -> None:
    source = GraphStore(built_mini.out / "store", read_only=True)
    outcomes = _outcomes(source)
    expected = sorted(
        str(q) for g in article_graphs(source) for q in source.raw.quads_for_pattern(None, None, None, NamedNode(g))
    )
    del source
    errors: list[object] = []
    for name, bulk in (("bulk", 1), ("transactions", 10**9)):
        store = GraphStore(tmp_path / name / "store")
        writer = GraphWriter(store, errors.append, batch_quads=2_000, bulk_quads=bulk)
        for outcome in outcomes:
            writer.write(outcome)
        writer.flush()
        assert not errors
        assert sorted(str(q) for q in store.quads()) == expected
        assert writer.changes.written == {NamedNode(o.graph) for o in outcomes}
        assert not (tmp_path / name / "store" / JOURNAL).exists()


def test_a_bulk_load_cut_short_is_dropped_by_the_next_build(built_mini: Built, tmp_path: Path) -> None:
    shutil.copytree(built_mini.out / "store", tmp_path / "store")
    store = GraphStore(tmp_path / "store")
    before = sorted(str(q) for q in store.quads())
    half = NamedNode("https://kg.example.org/id/graph/half-loaded")
    store.raw.load(f"<urn:a> <urn:b> <urn:c> {half} .\n".encode(), format=RdfFormat.N_QUADS)
    write_journal(store, [half])  # what a build killed inside a bulk load leaves behind
    assert recover_interrupted_load(store)
    assert sorted(str(q) for q in store.quads()) == before
    assert not (tmp_path / "store" / JOURNAL).exists() and not recover_interrupted_load(store)


def test_building_nothing_is_a_usage_error_and_the_same_articles_again_change_nothing(
    built_mini: Built, tmp_path: Path
) -> None:
    assert run_cli("build", "--out", str(tmp_path / "x")).exit_code == 2
    out = tmp_path / "mini"
    shutil.copytree(built_mini.out, out)
    before = _derived(out)
    _build(out, MINI)  # the same articles again: every graph replaced by itself
    assert _derived(out) == before


def _rename_target(store: GraphStore) -> tuple[NamedNode, NamedNode]:
    """A partnership claim and its second party (not the claim's anchor), an organization without ISO code."""
    rows = store.raw.query(
        f"SELECT ?c ?p1 WHERE {{ GRAPH {claims_graph()} {{ ?c kg:claimOf kg:Partnership ; kg:party ?p0, ?p1 "
        "FILTER(STR(?p0) < STR(?p1)) } FILTER NOT EXISTS { ?p1 kg:iso3166Alpha2 ?iso } } ORDER BY ?c LIMIT 1",
        prefixes=prefix_map(),
        use_default_graph_as_union=True,
    )
    row = next(iter(rows))  # type: ignore[arg-type]
    return row["c"], row["p1"]  # type: ignore[index,return-value]


def _update_as_a_build_does(store: GraphStore, written: list[NamedNode], dropped: list[NamedNode]) -> None:
    changes = Changes()
    changes.dropping(store, dropped)
    for graph in dropped:
        store.drop_graph(graph)
    changes.written.update(written)
    update_entities(store, changes.written, changes.entities)
    update_claims(store, changes.written, changes.anchors, changes.entities)


def _same_as_a_full_rebuild(store: GraphStore, tmp_path: Path, name: str) -> tuple[list[str], list[str]]:
    derived = _graph_lines(store, claims_graph()), _graph_lines(store, entities_graph())
    full = GraphStore(tmp_path / name)
    full.raw.extend(q for q in store.quads() if q.graph_name not in (claims_graph(), entities_graph()))
    rebuild_entities(full)
    rebuild_claims(full)
    assert (_graph_lines(full, claims_graph()), _graph_lines(full, entities_graph())) == derived
    return derived


def test_a_party_renamed_by_another_article_is_renamed_in_its_claims(built_examples: Built, tmp_path: Path) -> None:
    """A claim shows its parties' names, so it changes when an article that states none of its facts (no
    anchor of it) gives a party a new label, and back when that article goes; as a full rebuild would."""
    shutil.copytree(built_examples.out / "store", tmp_path / "store")
    store = GraphStore(tmp_path / "store")
    claim, party = _rename_target(store)
    before = _same_as_a_full_rebuild(store, tmp_path, "full-before")

    def name() -> str:
        found = store.raw.quads_for_pattern(claim, NamedNode(str(KG.secondPartyName)), None, claims_graph())
        return next(iter(found)).object.value

    assert name() != "Aaa renamed"
    graph = NamedNode("https://kg.example.org/id/graph/renaming-article")
    store.raw.update(
        f"INSERT DATA {{ GRAPH {graph} {{ {party} a <https://schema.org/Organization> ; "
        f'<http://www.w3.org/2004/02/skos/core#prefLabel> "Aaa renamed" }} }}'
    )
    _update_as_a_build_does(store, [graph], [])
    assert name() == "Aaa renamed"
    _same_as_a_full_rebuild(store, tmp_path, "full-renamed")

    _update_as_a_build_does(store, [], [graph])
    assert _same_as_a_full_rebuild(store, tmp_path, "full-after") == before


def test_claims_without_the_query_columns_are_rebuilt_by_the_next_build(built_mini: Built, tmp_path: Path) -> None:
    """A store whose claims graph an older kg wrote (no columns for the saved queries) is rebuilt in full."""
    shutil.copytree(built_mini.out, tmp_path / "mini")
    store = GraphStore(tmp_path / "mini" / "store")
    before = _graph_lines(store, claims_graph())
    assert not claims_outdated(store)
    store.raw.update(
        f"DELETE {{ GRAPH {claims_graph()} {{ ?c ?p ?o }} }} WHERE {{ GRAPH {claims_graph()} {{ ?c ?p ?o "
        f"VALUES ?p {{ <{KG.amountsDisagree}> <{KG.sourceList}> <{KG.distinctSources}> }} }} }}"
    )
    assert claims_outdated(store)
    note = stale_claims_note(store, load_query("claims"), tmp_path / "mini")
    assert note is not None and "--rebuild-claims" in note
    del store
    _build(tmp_path / "mini", MINI)
    store = GraphStore(tmp_path / "mini" / "store", read_only=True)
    assert not claims_outdated(store) and _graph_lines(store, claims_graph()) == before
