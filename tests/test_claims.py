"""Corroboration: one claim per fact across articles, with its sources and their disagreements."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build.driver import build
from kg.query import load_query, run_query
from kg.store import GraphStore
from kg.store.claims import CLAIMS_GRAPH

ARTICLES = {
    "nl.txt": "Microsoft investeert 2 miljard dollar in OpenAI\n\n"
    "Microsoft investeert 2 miljard dollar in OpenAI, zo maakte het bedrijf dinsdag bekend. "
    "Daarnaast gaat Oracle een samenwerking aan met Nvidia.\n",
    "fr.txt": "Microsoft injecte des milliards dans OpenAI\n\n"
    "Microsoft va investir 2,5 milliards de dollars dans OpenAI, a annoncé le groupe mardi. "
    "Oracle a également conclu un partenariat avec Nvidia.\n",
    "en.txt": "Microsoft backs OpenAI\n\nMicrosoft will invest $2 billion in OpenAI, the company said on Tuesday.\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GraphStore]:
    """The three articles built with facts decided by the rules: these tests are about grouping statements
    into claims, so which statements pass the fact model's minimum confidence is left out of them."""
    from kg.extract.fact_model.extractor import reset_fact_model, rules_only

    folder = tmp_path_factory.mktemp("claims")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = GraphStore(folder / "out" / "store")
    rules_only()
    try:
        build([str(folder)], folder / "out", store=store)
    finally:
        reset_fact_model()
    return folder, store


def _claims(store: GraphStore) -> dict[tuple[str, str, str], dict[str, str | None]]:
    result = run_query(store, load_query("claims"))
    rows = [dict(zip(result.variables, row, strict=True)) for row in result.rows]
    return {(r["kind"] or "", r["a"] or "", r["b"] or ""): r for r in rows}


def test_one_investment_in_three_languages_is_one_claim(built: tuple[Path, GraphStore]) -> None:
    """Two sources say USD 2 billion, one says 2.5: one claim, three sources, flagged as disagreeing."""
    _, store = built
    claim = _claims(store)[("investment", "Microsoft", "OpenAI")]
    assert claim["sources"] == "3"
    assert claim["disagreement"] == "true"
    assert set((claim["amounts"] or "").split(" | ")) == {"USD 2000000000", "USD 2500000000"}
    assert {Path(s).name for s in (claim["source_list"] or "").split(" | ")} == set(ARTICLES)


def test_same_partnership_in_two_languages_is_one_claim(built: tuple[Path, GraphStore]) -> None:
    _, store = built
    claim = _claims(store)[("partnership", "Nvidia", "Oracle")]
    assert claim["sources"] == "2"
    assert claim["disagreement"] == "false"


def test_each_article_keeps_its_own_statement(built: tuple[Path, GraphStore]) -> None:
    _, store = built
    rows = run_query(store, load_query("investments")).rows
    per_source = {Path(r[0] or "").name: r for r in rows if r[1] == "Microsoft" and r[4] == "OpenAI"}
    assert set(per_source) == set(ARTICLES)
    assert per_source["fr.txt"][2] == "2500000000"
    assert per_source["nl.txt"][2] == "2000000000"


def test_claims_follow_an_edited_article(built: tuple[Path, GraphStore]) -> None:
    """Editing a file replaces its earlier version (new text, new key) and the claims follow."""
    folder, store = built
    graphs_before = store.graph_count()
    edited = folder / "fr.txt"
    edited.write_text(ARTICLES["fr.txt"].replace("2,5 milliards", "2 milliards"), encoding="utf-8")
    build([str(edited)], folder / "out", store=store)
    assert store.graph_count() == graphs_before
    claim = _claims(store)[("investment", "Microsoft", "OpenAI")]
    assert claim["sources"] == "3"
    assert claim["disagreement"] == "false"
    assert store.has_graph(CLAIMS_GRAPH)
