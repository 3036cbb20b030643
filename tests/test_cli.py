"""The kg command line: bad inputs, --strict, stdin, --lang, query errors and exports."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import rdflib
from conftest import BAD, MINI, REPO, Built, article_graphs, run_cli, sparql_rows

from kg.ingest import iter_articles
from kg.model import Article
from kg.store import GraphStore

# (path as given, what the one-line error must say besides the path)
EXPECTED_ERRORS = [
    (f"{BAD}/does-not-exist.txt", "E104"),
    (f"{BAD}/empty.txt", "E101"),
    (f"{BAD}/binary.txt", "E102"),
    (f"{BAD}/undecodable.txt", "E103"),
    (f"{BAD}/malformed.jsonl:2", "E107"),
    (f"{BAD}/malformed.jsonl:3", "E108"),
    (f"{BAD}/nocontent.html", "E106"),
]


def test_bad_inputs_one_line_each_and_the_rest_is_stored(built_bad: Built) -> None:
    result = built_bad.result
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == len(EXPECTED_ERRORS), result.stderr
    for line, (where, code) in zip(lines, EXPECTED_ERRORS, strict=True):
        assert line.startswith(f"error: {where}: {code} "), line
    assert "3 input(s)" not in result.stdout and f"{len(EXPECTED_ERRORS)} input(s) failed" in result.stdout
    sources = {r["source"] for r in built_bad.rows("sources")}
    assert sources == {
        "https://news.example.org/en/business/microsoft-queretaro-data-centre",  # line 1 of malformed.jsonl
        f"{BAD}/latin1.txt",
        f"{BAD}/hostile.txt",
    }


def test_bad_inputs_never_become_articles(built_bad: Built) -> None:
    store = GraphStore(built_bad.store_path, read_only=True)
    locations = {r["loc"] for r in sparql_rows(store, "SELECT ?loc WHERE { ?a kg:inputLocation ?loc }")}
    assert locations == {f"{BAD}/malformed.jsonl:1", f"{BAD}/latin1.txt", f"{BAD}/hostile.txt"}
    names = {r["l"] for r in sparql_rows(store, "SELECT ?l WHERE { ?e skos:prefLabel ?l }")}
    assert not names & {"World", "Markets", "Example News Ltd", "Example News"}  # nocontent.html's menu


def test_only_bad_inputs_exit_1(tmp_path: Path) -> None:
    result = run_cli("build", f"{BAD}/empty.txt", f"{BAD}/binary.txt", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 2


def test_strict_stops_at_the_first_failure(tmp_path: Path) -> None:
    inputs = [f"{MINI}/en_us.txt", f"{BAD}/empty.txt", f"{MINI}/nl_openai.txt", f"{BAD}/binary.txt"]
    strict = run_cli("build", *inputs, "--strict", "--out", str(tmp_path / "strict"))
    assert strict.exit_code == 1
    assert strict.stderr.splitlines() == [f"error: {BAD}/empty.txt: E101 file is empty"]
    store = GraphStore(tmp_path / "strict" / "store", read_only=True)
    assert [r["src"] for r in sparql_rows(store, "SELECT ?src WHERE { ?a dcterms:source ?src }")] == [
        f"{MINI}/en_us.txt"
    ]
    lenient = run_cli("build", *inputs, "--out", str(tmp_path / "lenient"))
    assert lenient.exit_code == 1
    assert len(lenient.stderr.splitlines()) == 2
    assert len(article_graphs(GraphStore(tmp_path / "lenient" / "store", read_only=True))) == 2


def test_hostile_article_round_trips_through_store_and_exports(built_bad: Built) -> None:
    [hostile] = [a for a in iter_articles([str(REPO / BAD / "hostile.txt")]) if isinstance(a, Article)]
    store = GraphStore(built_bad.store_path, read_only=True)
    [row] = sparql_rows(store, f'SELECT ?text WHERE {{ ?a kg:inputLocation "{BAD}/hostile.txt" ; nif:isString ?text }}')
    assert row["text"] == hostile.text
    isstring = rdflib.URIRef("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString")
    for name, fmt in (("graph.trig", "trig"), ("graph.nq", "nquads")):
        dataset = rdflib.Dataset()
        dataset.parse(built_bad.out / name, format=fmt)
        quads = list(dataset.quads((None, None, None, None)))
        assert len(quads) == store.count(), name
        assert hostile.text in {str(o) for _, p, o, _ in quads if p == isstring}, name
        # no injected triple made it in
        resources = {str(t) for q in quads for t in q[:3] if not isinstance(t, rdflib.Literal)}
        assert not any("urn:x" in r or "urn:Evil" in r for r in resources)


def test_stdin_build(tmp_path: Path) -> None:
    data = (REPO / MINI / "id_as.txt").read_bytes()
    result = run_cli("build", "-", "--out", str(tmp_path), input=data)
    assert result.exit_code == 0, result.stderr
    [row] = Built(tmp_path, result).rows("sources")
    assert (row["source"], row["lang"]) == ("-", "id")
    assert row["title"] == "Microsoft bakal investasi US$1 miliar untuk pusat data di Indonesia"


def test_lang_option_forces_the_language(tmp_path: Path) -> None:
    result = run_cli("build", f"{MINI}/nl_openai.txt", f"{MINI}/fr_openai.txt", "--lang", "en", "--out", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert {r["lang"] for r in Built(tmp_path, result).rows("sources")} == {"en"}


def test_query_without_store_exits_2(tmp_path: Path) -> None:
    for command in (["query", "organizations"], ["export", "--format", "nq"]):
        result = run_cli(*command, "--out", str(tmp_path / "nothing"))
        assert result.exit_code == 2, command
        [line] = result.stderr.splitlines()
        assert "no store in" in line and str(tmp_path / "nothing") in line and "kg build" in line
        assert result.stdout == ""


def test_query_errors_exit_2(built_mini: Built) -> None:
    unknown = run_cli("query", "no-such-query", "--out", str(built_mini.out))
    assert unknown.exit_code == 2 and "organizations" in unknown.stderr  # lists the saved queries
    broken = run_cli("query", "SELECT ?x WHERE { ?x", "--out", str(built_mini.out))
    assert broken.exit_code == 2 and "SPARQL" in broken.stderr
    badfmt = run_cli("query", "sources", "--out", str(built_mini.out), "--format", "xml")
    assert badfmt.exit_code == 2 and "xml" in badfmt.stderr


def _distinct_triples(store: GraphStore) -> int:
    sparql = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    [row] = sparql_rows(store, sparql, union=False)
    return int(str(row["n"]))


@pytest.mark.parametrize(
    ("fmt", "rdflib_format", "dataset"),
    [
        ("ttl", "turtle", False),
        ("nt", "nt", False),
        ("nq", "nquads", True),
        ("trig", "trig", True),
        ("jsonld", "json-ld", True),
    ],
)
def test_export_parses_back_with_every_statement(
    built_mini: Built, tmp_path: Path, fmt: str, rdflib_format: str, dataset: bool
) -> None:
    target = tmp_path / f"graph.{fmt}"
    result = run_cli("export", "--out", str(built_mini.out), "--format", fmt, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    store = GraphStore(built_mini.store_path, read_only=True)
    if dataset:
        parsed = rdflib.Dataset()
        parsed.parse(target, format=rdflib_format)
        quads = list(parsed.quads((None, None, None, None)))
        assert len(quads) == len(set(quads)) == store.count()
        graphs = {str(g) for *_, g in quads}
        assert graphs == {str(g.value) for g in store.raw.named_graphs()}
    else:
        graph = rdflib.Graph()
        graph.parse(target, format=rdflib_format)
        assert len(graph) == _distinct_triples(store)
        assert len(graph) < store.count()  # entities shared by articles are merged


def test_export_to_stdout(built_mini: Built) -> None:
    result = run_cli("export", "--out", str(built_mini.out), "--format", "nt")
    assert result.exit_code == 0
    graph = rdflib.Graph()
    graph.parse(io.BytesIO(result.stdout_bytes), format="nt")
    assert len(graph) == _distinct_triples(GraphStore(built_mini.store_path, read_only=True))


def test_export_unknown_format_exits_2(built_mini: Built) -> None:
    result = run_cli("export", "--out", str(built_mini.out), "--format", "rdfxml")
    assert result.exit_code == 2 and "rdfxml" in result.stderr
