"""``kg serve`` as a SPARQL 1.1 Protocol endpoint, used by two standard clients and by plain HTTP.

Each server is a real ``kg serve`` process on a free loopback port; answers are compared with
the embedded store's own answers to the same query.
"""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import REPO, Built
from pyoxigraph import (
    Literal,
    NamedNode,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
)
from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import XSD
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from kg.query.run import saved_queries
from kg.store import GraphStore

COUNTRIES = (
    "SELECT DISTINCT ?c ?label ?iso WHERE { ?c a schema:Country ; skos:prefLabel ?label ; kg:iso3166Alpha2 ?iso }"
)
LABELS = "CONSTRUCT { ?c skos:prefLabel ?label } WHERE { ?c a schema:Country ; skos:prefLabel ?label }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


class Server:
    """A ``kg serve`` child process; ``url`` is its SPARQL endpoint."""

    def __init__(self, out: Path, *options: str) -> None:
        command = [sys.executable, "-m", "kg.cli", "serve", "--out", str(out), "--port", "0", "--quiet", *options]
        self.process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.banner = self.process.stdout.readline()
        assert "SPARQL endpoint http://127.0.0.1:" in self.banner, self.process.stderr.read()  # type: ignore[union-attr]
        self.url = self.banner.split()[4]
        self.base = self.url.removesuffix("/sparql")

    def stop(self) -> float:
        """SIGTERM; returns how long the server took to exit."""
        started = time.monotonic()
        self.process.terminate()
        self.process.wait(timeout=15)
        return time.monotonic() - started


@pytest.fixture(scope="module")
def server(built_examples: Built) -> Iterator[Server]:
    running = Server(built_examples.out)
    yield running
    assert running.stop() < 5
    assert running.process.returncode == 0


@contextlib.contextmanager
def writable_copy(built: Built, folder: Path, *options: str) -> Iterator[Server]:
    """A ``--writable`` server over a copy of ``built``'s store in ``folder``, so updates touch no shared build."""
    shutil.copytree(built.store_path, folder / "store")
    running = Server(folder, "--writable", *options)
    try:
        yield running
    finally:
        running.stop()


def local_rows(built: Built, sparql: str) -> set[tuple[str, ...]]:
    result = GraphStore(built.store_path, read_only=True).query(sparql)
    assert isinstance(result, QuerySolutions)
    variables = result.variables
    return {tuple(str(s[v]) for v in variables) for s in result}


def local_triples(built: Built, sparql: str) -> set[Triple]:
    result = GraphStore(built.store_path, read_only=True).query(sparql)
    assert isinstance(result, QueryTriples)
    return set(result)


def test_sparqlwrapper_select_and_construct(server: Server, built_examples: Built) -> None:
    client = SPARQLWrapper(server.url)
    client.setQuery(COUNTRIES)
    client.setReturnFormat(JSON)
    answer = client.queryAndConvert()
    assert isinstance(answer, dict)
    bindings: list[dict[str, dict[str, str]]] = answer["results"]["bindings"]
    got = {(f"<{b['c']['value']}>", f'"{b["label"]["value"]}"', f'"{b["iso"]["value"]}"') for b in bindings}
    assert got == local_rows(built_examples, COUNTRIES) and len(got) >= 10
    client.setQuery(LABELS)
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.queryAndConvert(), format="turtle")  # type: ignore[arg-type]
    assert len(graph) == len(local_triples(built_examples, LABELS))


def test_rdflib_sparqlstore_runs_every_saved_query(server: Server, built_examples: Built) -> None:
    store = SPARQLStore(query_endpoint=server.url, returnFormat="xml")  # SPARQL XML results over HTTP
    for name, path in saved_queries().items():
        sparql = path.read_text(encoding="utf-8")
        remote = Counter(tuple(row) for row in store.query(sparql))  # type: ignore[arg-type]
        local = Counter(tuple(as_rdflib(t) for t in row) for row in _solutions(built_examples, sparql))
        assert remote == local, name
        assert local or name == "projects", name


def as_rdflib(term: object) -> object:
    """The rdflib term a client builds from this pyoxigraph term (rdflib normalises some literals)."""
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return URIRef(term.value)
    assert isinstance(term, Literal)
    if term.language:
        return RdfLiteral(term.value, lang=term.language)
    datatype = None if term.datatype.value == str(XSD.string) else URIRef(term.datatype.value)
    return RdfLiteral(term.value, datatype=datatype)


def _solutions(built: Built, sparql: str) -> list[tuple[object, ...]]:
    result = GraphStore(built.store_path, read_only=True).query(sparql)
    assert isinstance(result, QuerySolutions)
    return [tuple(s[v] for v in result.variables) for s in result]


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("application/sparql-results+json", QueryResultsFormat.JSON),
        ("application/sparql-results+xml", QueryResultsFormat.XML),
        ("text/tab-separated-values", QueryResultsFormat.TSV),
        ("text/csv;q=0.9, */*;q=0.1", QueryResultsFormat.CSV),
    ],
)
def test_select_in_every_result_format(
    server: Server, built_examples: Built, accept: str, fmt: QueryResultsFormat
) -> None:
    response = httpx.post(server.url, data={"query": COUNTRIES}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(accept.split(";")[0])
    if fmt == QueryResultsFormat.CSV:  # lossy by design: lexical forms only, so compare those
        table = list(csv.reader(io.StringIO(response.text)))
        assert table[0] == ["c", "label", "iso"]
        got = {tuple(row) for row in table[1:]}
        expected = {tuple(v.strip('<>"') for v in row) for row in local_rows(built_examples, COUNTRIES)}
    else:
        parsed = parse_query_results(io.BytesIO(response.content), fmt)
        assert isinstance(parsed, QuerySolutions)
        got = {tuple(str(s[v]) for v in parsed.variables) for s in parsed}
        expected = local_rows(built_examples, COUNTRIES)
    assert got == expected


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", RdfFormat.TURTLE),
        ("application/n-triples", RdfFormat.N_TRIPLES),
        ("application/ld+json", RdfFormat.JSON_LD),
        ("application/rdf+xml", RdfFormat.RDF_XML),
    ],
)
def test_construct_in_every_graph_format(server: Server, built_examples: Built, accept: str, fmt: RdfFormat) -> None:
    response = httpx.get(server.url, params={"query": LABELS}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == accept
    assert {q.triple for q in parse(response.content, fmt)} == local_triples(built_examples, LABELS)


def test_sparql_query_body_ask_and_format_parameter(server: Server) -> None:
    response = httpx.post(
        server.url, content=b'ASK { ?c kg:iso3166Alpha2 "PL" }', headers={"Content-Type": "application/sparql-query"}
    )
    assert response.json() == {"head": {}, "boolean": True}
    as_csv = httpx.get(
        server.url, params={"query": "SELECT ?iso WHERE { ?c kg:iso3166Alpha2 ?iso } LIMIT 1", "format": "csv"}
    )
    assert as_csv.headers["content-type"].startswith("text/csv") and as_csv.text.startswith("iso\r\n")


def test_refusals_are_clear(server: Server) -> None:
    unacceptable = httpx.get(server.url, params={"query": COUNTRIES}, headers={"Accept": "image/png"})
    assert unacceptable.status_code == 406 and unacceptable.text.startswith("E315")
    update = httpx.post(server.url, content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"})
    assert update.status_code == 403 and "E313 this endpoint is read-only" in update.text
    form_update = httpx.post(server.url, data={"update": "CLEAR ALL"})
    assert form_update.status_code == 403
    bad = httpx.get(server.url, params={"query": "SELEC nonsense"})
    assert bad.status_code == 400 and bad.text.startswith("E314 malformed query")
    rebinding = httpx.get(server.url, params={"query": COUNTRIES}, headers={"Host": "attacker.example:80"})
    assert rebinding.status_code == 403
    assert httpx.post(server.url, data={"query": "ASK {}"}).json()["boolean"] is True  # store untouched


def test_graph_page_or_instructions_at_root(server: Server, built_examples: Built) -> None:
    page = httpx.get(server.base + "/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    drawn = built_examples.out / "graph.html"
    if drawn.is_file():
        assert page.content == drawn.read_bytes()
    else:
        assert "kg render --out" in page.text


def test_timeout_stops_a_runaway_query_and_the_server_goes_on(built_mini: Built) -> None:
    limited = Server(built_mini.out, "--timeout", "2", "--max-results", "25", "--workers", "1")
    try:
        started = time.monotonic()
        slow = httpx.get(limited.url, params={"query": SLOW}, timeout=30)
        assert slow.status_code == 503 and "E311 the query ran longer than 2 s" in slow.text
        assert time.monotonic() - started < 10
        too_many = httpx.get(limited.url, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert too_many.status_code == 422 and "E312 the answer has more than 25 rows" in too_many.text
        ok = httpx.get(limited.url, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 25"})
        assert ok.status_code == 200 and len(ok.json()["results"]["bindings"]) == 25
    finally:
        assert limited.stop() < 5


def test_writable_server_applies_updates_and_queries_see_them(built_mini: Built, tmp_path: Path) -> None:
    shutil.copytree(built_mini.store_path, tmp_path / "store")
    writable = Server(tmp_path, "--writable")
    try:
        ask = {"query": 'ASK { GRAPH <https://example.org/g> { <https://example.org/a> schema:name "A" } }'}
        assert httpx.post(writable.url, data=ask).json()["boolean"] is False
        insert = 'INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/a> schema:name "A" } }'
        done = httpx.post(writable.url, content=insert.encode(), headers={"Content-Type": "application/sparql-update"})
        assert done.status_code == 204, done.text
        assert httpx.post(writable.url, data=ask).json()["boolean"] is True
        foreign = httpx.post(
            writable.url, data={"update": "CLEAR ALL"}, headers={"Origin": "https://elsewhere.example"}
        )
        assert foreign.status_code == 403 and "another web origin" in foreign.text
    finally:
        writable.stop()
