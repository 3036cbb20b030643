"""The W3C SPARQL 1.1 Protocol test cases (``sparql/sparql11/protocol/manifest.ttl`` in w3c/rdf-tests),
rewritten as pytest tests against real ``kg serve`` processes, plus the protocol points of issue 14 item 5.

Each case sends the manifest's kind of request (method, parameters, media type, body) and checks what the
manifest expects (2xx with a boolean or rows, or 4xx).  The data are three small graphs named like the
manifest's (``http://kasei.us/2009/09/sparql/data/dataN.rdf``), each holding ``<its own IRI> a foaf:Document``.
Query cases run on a read-only and on a ``--writable`` server; update cases on the writable one.
"""

from __future__ import annotations

import gc
import json
import shutil
from collections.abc import Iterator

import httpx
import pytest
from conftest import Built
from pyoxigraph import RdfFormat, Store, parse
from test_serve import Server, writable_copy

DATA = "http://kasei.us/2009/09/sparql/data/"
G1, G2, G3 = (f"{DATA}data{n}.rdf" for n in (1, 2, 3))
FOAF_DOC = "<http://xmlns.com/foaf/0.1/Document>"
SEED = "INSERT DATA { " + " ".join(f"GRAPH <{g}> {{ <{g}> a {FOAF_DOC} }}" for g in (G1, G2, G3)) + " }"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
QUERY = {"Content-Type": "application/sparql-query"}
UPDATE = {"Content-Type": "application/sparql-update"}
BOOLEAN_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")


@pytest.fixture(scope="module", params=["read-only", "writable"])
def server(
    request: pytest.FixtureRequest, built_mini: Built, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    out = tmp_path_factory.mktemp(f"protocol-{request.param}")
    shutil.copytree(built_mini.store_path, out / "store")
    store = Store(str(out / "store"))
    store.update(SEED)
    store.flush()
    del store
    gc.collect()
    running = Server(out, *(["--writable"] if request.param == "writable" else []))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def writable(built_mini: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with writable_copy(built_mini, tmp_path_factory.mktemp("protocol-updates")) as running:
        yield running


def boolean(response: httpx.Response) -> bool:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] in BOOLEAN_TYPES
    value: bool = response.json()["boolean"]
    return value


def ask_both(g_a: str, g_b: str) -> str:
    return f"ASK {{ <{g_a}> a ?type . <{g_b}> a ?type . }}"


def ask_named(g_a: str, g_b: str) -> str:
    return f"ASK {{ GRAPH ?g1 {{ <{g_a}> a ?type }} GRAPH ?g2 {{ <{g_b}> a ?type }} }}"


# ---- queries --------------------------------------------------------------------------------------


def test_query_by_form_post_and_get_and_direct_post(server: Server) -> None:
    params = {"default-graph-uri": f"{DATA}data0.rdf"}
    assert boolean(httpx.post(server.url, params=params, content=b"query=ASK%20%7B%7D", headers=FORM)) is True
    assert boolean(httpx.get(server.url, params={"query": "ASK {}"})) is True
    assert boolean(httpx.post(server.url, content=b"ASK {}", headers=QUERY)) is True


def test_protocol_default_graphs(server: Server) -> None:
    params = {"query": ask_both(G1, G2), "default-graph-uri": [G1, G2]}
    assert boolean(httpx.get(server.url, params=params)) is True
    direct = httpx.post(server.url, params={"default-graph-uri": [G1, G2]}, content=ask_both(G1, G2), headers=QUERY)
    assert boolean(direct) is True
    only_one = {"query": ask_both(G1, G2), "default-graph-uri": G1}
    assert boolean(httpx.get(server.url, params=only_one)) is False


def test_protocol_named_graphs_alone_mean_an_empty_default_graph(server: Server) -> None:
    named = {"named-graph-uri": [G1, G2]}
    assert boolean(httpx.get(server.url, params={**named, "query": ask_named(G1, G2)})) is True
    post = httpx.post(server.url, params=named, content=ask_named(G1, G2), headers=QUERY)
    assert boolean(post) is True
    assert boolean(httpx.get(server.url, params={**named, "query": ask_named(G1, G3)})) is False
    default_empty = httpx.get(server.url, params={**named, "query": "ASK { ?s ?p ?o }"})
    assert boolean(default_empty) is False  # not the union of all graphs


def test_protocol_full_dataset(server: Server) -> None:
    query = f"ASK {{ <{G3}> a ?type GRAPH ?g1 {{ <{G1}> a ?type }} GRAPH ?g2 {{ <{G2}> a ?type }} }}"
    params = {"default-graph-uri": G3, "named-graph-uri": [G1, G2]}
    assert boolean(httpx.post(server.url, params=params, content=query, headers=QUERY)) is True


def test_protocol_dataset_overrides_from_in_the_query(server: Server) -> None:
    query = f"ASK FROM <{G3}> {{ <{G1}> a ?type }}"
    assert boolean(httpx.get(server.url, params={"query": query})) is False  # FROM alone is honoured
    assert boolean(httpx.get(server.url, params={"query": query, "default-graph-uri": G1})) is True


@pytest.mark.parametrize(
    ("query", "accept", "offered"),
    [
        ("SELECT ?s WHERE { ?s a ?t } LIMIT 3", "*/*", ("application/sparql-results+",)),
        ("ASK { ?s ?p ?o }", "*/*", BOOLEAN_TYPES),
        (f"DESCRIBE <{G1}>", "*/*", ("text/turtle", "application/ld+json", "application/n-triples")),
        ("CONSTRUCT WHERE { ?s a ?t } LIMIT 3", "*/*", ("text/turtle", "application/ld+json")),
    ],
)
def test_content_type_fits_the_query_form(server: Server, query: str, accept: str, offered: tuple[str, ...]) -> None:
    answer = httpx.get(server.url, params={"query": query}, headers={"Accept": accept})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(offered), answer.headers


@pytest.mark.parametrize(
    ("method", "url_params", "body", "headers"),
    [
        ("PUT", {"query": "ASK {}"}, b"", FORM),  # bad_query_method
        ("DELETE", {"query": "ASK {}"}, b"", {}),
        ("PATCH", {}, b"ASK {}", QUERY),
        ("GET", {"query": ["ASK {}", "SELECT * {}"]}, b"", {}),  # bad_multiple_queries
        ("POST", {}, b"ASK {}", {"Content-Type": "text/plain"}),  # bad_query_wrong_media_type
        ("POST", {}, b"query=ASK%20%7B%7D", {}),  # bad_query_missing_form_type
        ("POST", {}, b"ASK {}", {}),  # bad_query_missing_direct_type
        ("POST", {}, "ASK {}".encode("utf-16"), {"Content-Type": "application/sparql-query; charset=UTF-16"}),
        ("POST", {}, b"ASK { \xff }", QUERY),  # invalid UTF-8 in a body declared UTF-8
        ("GET", {"query": "ASK {"}, b"", {}),  # bad_query_syntax
        ("GET", {"update": "CLEAR ALL"}, b"", {}),  # bad_update_get
        ("POST", {}, b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", FORM),  # bad_multiple_updates
        ("POST", {}, b"query=ASK%20%7B%7D&query=ASK%20%7B%7D", FORM),
        ("POST", {}, b"CLEAR NAMED", {"Content-Type": "text/plain"}),  # bad_update_wrong_media_type
        ("POST", {}, b"update=CLEAR%20NAMED", {}),  # bad_update_missing_form_type
        ("POST", {}, "CLEAR NAMED".encode("utf-16"), {"Content-Type": "application/sparql-update; charset=UTF-16"}),
        ("POST", {}, b"CLEAR XYZ", UPDATE),  # bad_update_syntax
    ],
)
def test_bad_requests_are_4xx_and_change_nothing(
    server: Server, method: str, url_params: dict[str, object], body: bytes, headers: dict[str, str]
) -> None:
    answer = httpx.request(method, server.url, params=url_params, content=body, headers=headers)  # type: ignore[arg-type]
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text)
    assert answer.text[:1] == "E" and answer.text[1:4].isdigit(), answer.text
    if answer.status_code == 405:
        assert answer.headers["allow"] == "GET, HEAD, POST, OPTIONS"
    assert boolean(httpx.get(server.url, params={"query": ask_named(G1, G2)})) is True  # nothing cleared


def test_accept_q_values_and_wildcards(server: Server) -> None:
    select = {"query": "SELECT ?s WHERE { ?s a ?t } LIMIT 1"}

    def media(accept: str) -> str:
        answer = httpx.get(server.url, params=select, headers={"Accept": accept})
        assert answer.status_code == 200, answer.text
        return answer.headers["content-type"].split(";")[0]

    assert media("application/sparql-results+json;q=0, */*") == "application/sparql-results+xml"
    assert media("text/csv;q=0.2, text/tab-separated-values;q=0.9") == "text/tab-separated-values"
    assert media("text/*") == "text/csv"
    assert media("text/*, text/csv;q=0") == "text/tab-separated-values"
    refused = httpx.get(server.url, params=select, headers={"Accept": "application/sparql-results+json;q=0"})
    assert refused.status_code == 406 and refused.text.startswith("E315")
    graph = httpx.get(server.url, params={"query": f"DESCRIBE <{G1}>"}, headers={"Accept": "text/*"})
    assert graph.headers["content-type"] == "text/turtle"


def test_service_description_for_rdf_clients_and_a_form_for_browsers(server: Server) -> None:
    described = httpx.get(server.url, headers={"Accept": "text/turtle"})
    assert described.status_code == 200 and described.headers["content-type"] == "text/turtle"
    triples = {(str(t.subject), str(t.predicate), str(t.object)) for t in parse(described.content, RdfFormat.TURTLE)}
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = f"<{server.url}>"
    assert (endpoint, "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", f"<{sd}Service>") in triples
    assert (endpoint, f"<{sd}endpoint>", endpoint) in triples
    languages = {o for s, p, o in triples if p == f"<{sd}supportedLanguage>"}
    assert f"<{sd}SPARQL11Query>" in languages
    as_jsonld = httpx.get(server.url, headers={"Accept": "application/ld+json"})
    assert as_jsonld.status_code == 200 and json.loads(as_jsonld.text)
    browser = httpx.get(server.url, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.headers["content-type"].startswith("text/html")


def test_more_than_max_results_is_a_422_that_says_so(built_mini: Built) -> None:
    limited = Server(built_mini.out, "--max-results", "5")
    try:
        answer = httpx.get(limited.url, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert answer.status_code == 422 and answer.text.startswith("E312") and "LIMIT" in answer.text
    finally:
        limited.stop()


# ---- updates (writable server) ------------------------------------------------------------------------

DC = "<http://purl.org/dc/terms/BibliographicResource>"


def _update(server: Server, text: str, **params: object) -> httpx.Response:
    return httpx.post(server.url, params=params, content=text.encode(), headers=UPDATE)  # type: ignore[arg-type]


def _ask(server: Server, text: str) -> bool:
    return boolean(httpx.post(server.url, content=text.encode(), headers=QUERY))


@pytest.mark.parametrize(
    ("params", "where", "tagged", "untagged"),
    [
        ({"using-graph-uri": G1}, "?s a <http://xmlns.com/foaf/0.1/Document>", [G1], [G2, G3]),
        ({"using-graph-uri": [G1, G2]}, "?s a <http://xmlns.com/foaf/0.1/Document>", [G1, G2], [G3]),
        ({"using-named-graph-uri": [G1, G2]}, "GRAPH ?g { ?s a <http://xmlns.com/foaf/0.1/Document> }", [G1, G2], [G3]),
    ],
)
def test_update_dataset_parameters(
    writable: Server, params: dict[str, object], where: str, tagged: list[str], untagged: list[str]
) -> None:
    target = "http://example.org/protocol-update-dataset-test/"
    text = f"DROP ALL ; {SEED} ; INSERT {{ GRAPH <{target}> {{ ?s a {DC} }} }} WHERE {{ {where} }}"
    done = _update(writable, text, **params)
    assert done.status_code == 204, done.text
    for g in tagged:
        assert _ask(writable, f"ASK {{ GRAPH <{target}> {{ <{g}> a {DC} }} }}"), g
    for g in untagged:
        assert not _ask(writable, f"ASK {{ GRAPH <{target}> {{ <{g}> a {DC} }} }}"), g


def test_update_full_dataset_and_delete_where(writable: Server) -> None:
    target = "http://example.org/protocol-update-dataset-full-test/"
    text = (
        f"DROP ALL ; {SEED} ; INSERT {{ GRAPH <{target}> {{ ?s <http://example.org/in> ?in }} }} WHERE {{"
        f" {{ GRAPH ?g {{ ?s a {FOAF_DOC} }} BIND(?g AS ?in) }} UNION {{ ?s a {FOAF_DOC} BIND('default' AS ?in) }} }}"
    )
    assert _update(writable, text, **{"using-graph-uri": G1, "using-named-graph-uri": G2}).status_code == 204
    assert _ask(writable, f"ASK {{ GRAPH <{target}> {{ <{G1}> <http://example.org/in> 'default' . "
                          f"<{G2}> <http://example.org/in> <{G2}> }} FILTER NOT EXISTS {{ GRAPH <{target}> "
                          f"{{ <{G3}> ?p ?o }} }} }}")  # fmt: skip
    removed = _update(writable, f"DELETE WHERE {{ GRAPH ?g {{ ?s a {FOAF_DOC} }} }}", **{"using-named-graph-uri": G1})
    assert removed.status_code == 204, removed.text
    assert not _ask(writable, f"ASK {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}")
    assert _ask(writable, f"ASK {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}")


def test_update_dataset_conflict_is_400(writable: Server) -> None:
    for text in (
        f"INSERT {{ GRAPH <http://e/x> {{ ?s a {DC} }} }} USING <{G1}> WHERE {{ ?s ?p ?o }}",
        f"WITH <{G1}> INSERT {{ ?s a {DC} }} WHERE {{ ?s ?p ?o }}",
    ):
        answer = _update(writable, text, **{"using-graph-uri": G2})
        assert answer.status_code == 400 and answer.text.startswith("E323"), answer.text


def test_update_by_form_and_direct_post(writable: Server) -> None:
    assert _update(writable, SEED).status_code == 204
    assert httpx.post(writable.url, content=b"update=CLEAR+ALL", headers=FORM).status_code == 204
    assert not _ask(writable, "ASK { GRAPH ?g { ?s ?p ?o } }")
    assert _update(writable, SEED).status_code == 204
    assert _update(writable, "CLEAR ALL").status_code == 204


def test_relative_iris_resolve_against_the_endpoint(writable: Server) -> None:
    graph = "http://example.org/protocol-base-test/"
    # SILENT: Oxigraph records empty graphs, so CLEAR of a graph that does not exist fails, as SPARQL Update allows
    triple = "<http://example.org/s> <http://example.org/p> <test>"
    text = f"CLEAR SILENT GRAPH <{graph}> ; INSERT DATA {{ GRAPH <{graph}> {{ {triple} }} }}"
    assert _update(writable, text).status_code == 204
    rows = httpx.post(
        writable.url,
        content=f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}".encode(),
        headers={**QUERY, "Accept": "application/sparql-results+json"},
    ).json()["results"]["bindings"]
    assert len(rows) == 1 and rows[0]["o"]["type"] == "uri" and rows[0]["o"]["value"] != "test"
    assert rows[0]["o"]["value"] == writable.base + "/test"


def test_invalid_utf8_update_is_refused_not_stored_as_replacement_characters(writable: Server) -> None:
    text = b'INSERT DATA { GRAPH <http://e/utf> { <http://e/s> <http://e/p> "caf\xe9" } }'
    answer = httpx.post(writable.url, content=text, headers=UPDATE)
    assert answer.status_code == 400 and answer.text.startswith("E322")
    form = httpx.post(writable.url, content=b"update=INSERT%20DATA%20%7B%20%3Chttp://e/s%3E%20%3Chttp://e/p%3E%20%22%E9%22%20%7D",
                      headers=FORM)  # fmt: skip
    assert form.status_code == 400 and form.text.startswith("E322")
    assert not _ask(writable, 'ASK { ?s ?p ?o FILTER(CONTAINS(STR(?o), "\\uFFFD")) }')
