"""SHACL: what kg builds validates against ontology/shapes.ttl (kg/validate.py, kg validate)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Built, run_cli
from pyoxigraph import Literal, NamedNode, Quad
from rdflib.namespace import SKOS

from kg.rdf.namespaces import KG, NIF, SDO
from kg.store import GraphStore
from kg.validate import store_union, validate_store

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_NS = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize("fixture", ["built_examples", "built_bad", "built_mini"])
def test_build_conforms(fixture: str, request: pytest.FixtureRequest) -> None:
    """Everything kg writes (articles, provenance, entities, mentions, money, facts, claims) conforms."""
    built: Built = request.getfixturevalue(fixture)
    store = GraphStore(built.store_path, read_only=True)
    assert len(store_union(store)) > 100
    conforms, report = validate_store(store)
    assert conforms, report[:3000]


def test_offsets_are_stored_as_integers(built_mini: Built) -> None:
    """Offsets are xsd:integer in the store (Oxigraph canonicalises derived integer types)."""
    store = GraphStore(built_mini.store_path, read_only=True)
    datatypes = {
        row["dt"].value  # type: ignore[index]
        for row in store.query("SELECT DISTINCT (DATATYPE(?b) AS ?dt) WHERE { ?p nif:beginIndex ?b }")  # type: ignore[union-attr]
    }
    assert datatypes == {f"{XSD_NS}integer"}


# --- Hand-made graphs -----------------------------------------------------------------------------

ARTICLE = NamedNode("https://kg.example.org/id/article/test")
GRAPH = NamedNode("https://kg.example.org/id/graph/test")
COUNTRY = NamedNode("https://kg.example.org/id/country/us")


def p(term: object) -> NamedNode:
    return NamedNode(str(term))


def _valid_quads() -> list[Quad]:
    dcterms = "http://purl.org/dc/terms/"
    skos = "http://www.w3.org/2004/02/skos/core#"
    triples: list[tuple[NamedNode, NamedNode, NamedNode | Literal]] = [
        (ARTICLE, RDF_TYPE, p(SDO.NewsArticle)),
        (ARTICLE, RDF_TYPE, p(NIF.Context)),
        (ARTICLE, p(f"{dcterms}source"), Literal("in.txt")),
        (ARTICLE, p(KG.inputLocation), Literal("in.txt")),
        (ARTICLE, p(f"{dcterms}language"), Literal("en", datatype=p(f"{XSD_NS}language"))),
        (ARTICLE, p(NIF.isString), Literal("The US.")),
        (ARTICLE, p(SDO.mentions), COUNTRY),
        (COUNTRY, RDF_TYPE, p(SDO.Country)),
        (COUNTRY, p(f"{skos}prefLabel"), Literal("United States")),
        (COUNTRY, p(KG.iso3166Alpha2), Literal("US")),
    ]
    return [Quad(s, pr, o, GRAPH) for s, pr, o in triples]


def _store(quads: list[Quad]) -> GraphStore:
    store = GraphStore(None)
    store.replace_graph(GRAPH, quads)
    return store


def test_hand_made_valid_graph_conforms() -> None:
    conforms, report = validate_store(_store(_valid_quads()))
    assert conforms, report


def _without(predicate: NamedNode) -> list[Quad]:
    return [q for q in _valid_quads() if q.predicate != predicate]


def _lowercase_iso() -> list[Quad]:
    iso = p(KG.iso3166Alpha2)
    return [Quad(q.subject, iso, Literal("us"), q.graph_name) if q.predicate == iso else q for q in _valid_quads()]


BROKEN = {
    "country without ISO code": (lambda: _without(p(KG.iso3166Alpha2)), "iso3166Alpha2"),
    "lower-case ISO code": (_lowercase_iso, "PatternConstraintComponent"),
    "article without text": (lambda: _without(p(NIF.isString)), "isString"),
    "country without label": (lambda: _without(p(SKOS.prefLabel)), "prefLabel"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_hand_made_broken_graph_does_not_conform(case: str) -> None:
    make, expected_in_report = BROKEN[case]
    conforms, report = validate_store(_store(make()))
    assert not conforms, case
    assert "Conforms: False" in report and expected_in_report in report


def test_kg_validate_command(tmp_path: Path) -> None:
    good = GraphStore(tmp_path / "good" / "store")
    good.replace_graph(GRAPH, _valid_quads())
    del good
    bad = GraphStore(tmp_path / "bad" / "store")
    bad.replace_graph(GRAPH, [q for q in _valid_quads() if q.predicate != p(KG.iso3166Alpha2)])
    del bad
    ok = run_cli("validate", "--out", str(tmp_path / "good"))
    assert ok.exit_code == 0 and "conforms" in ok.stdout
    failed = run_cli("validate", "--out", str(tmp_path / "bad"))
    assert failed.exit_code == 1 and "iso3166Alpha2" in failed.stdout
    missing = run_cli("validate", "--out", str(tmp_path / "none"))
    assert missing.exit_code == 2 and "no store" in missing.stderr
