"""``kg load`` into a real Virtuoso server started for these tests on 127.0.0.1.

The server gets a scratch database and a password made up by the test; the
saved queries must give the same rows over HTTP as on the embedded store.
"""

from __future__ import annotations

import io
import json
import re
import secrets
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import Built, run_cli
from pyoxigraph import QueryResultsFormat, QuerySolutions
from virtuoso_fixture import (
    needs_virtuoso,
    server_fixture,  # noqa: F401 - registers the virtuoso_server fixture
)

import kg.store.remote as remote_module
from kg.query.run import saved_queries
from kg.rdf.namespaces import KGID
from kg.store import GraphStore
from kg.store.remote import with_prefixes
from kg.testing import virtuoso

pytestmark = needs_virtuoso

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {f"{XSD}{name}" for name in ("integer", "decimal", "double", "float", "int", "long")}
KG_GRAPHS = str(KGID)


@pytest.fixture
def clean(virtuoso_server: virtuoso.LocalVirtuoso, monkeypatch: pytest.MonkeyPatch) -> virtuoso.LocalVirtuoso:
    """The server without kg graphs, and its credentials in the environment as a user would set them."""
    virtuoso_server.drop_graphs(KG_GRAPHS)
    monkeypatch.setenv("KG_ENDPOINT_USER", "dba")
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", virtuoso_server.password)
    return virtuoso_server


def load(out: Path, server: virtuoso.LocalVirtuoso, *extra: str) -> Any:
    return run_cli("load", "--out", str(out), "--endpoint", server.sparql, "--graph-store", server.graph_store, *extra)


def remote_json(server: virtuoso.LocalVirtuoso, sparql: str) -> dict[str, Any]:
    """A SELECT sent over plain HTTP to the public endpoint, as any SPARQL client would."""
    response = httpx.post(server.sparql, data={"query": sparql}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    assert "x-sparql-maxrows" not in response.headers, "Virtuoso truncated the answer"
    data: dict[str, Any] = response.json()
    return data


def remote_counts(server: virtuoso.LocalVirtuoso) -> dict[str, int]:
    sparql = (
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{KG_GRAPHS}")) }} GROUP BY ?g'
    )
    rows = remote_json(server, sparql)["results"]["bindings"]
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}


def local_counts(out: Path) -> dict[str, int]:
    store = GraphStore(out / "store", read_only=True)
    return {g.value: sum(1 for _ in store.raw.quads_for_pattern(None, None, None, g)) for g in store.raw.named_graphs()}


# ---- comparing answers ------------------------------------------------------------------------


def cell(binding: dict[str, str] | None) -> tuple[Any, ...] | None:
    """A SPARQL JSON term in a form two correct engines agree on.

    Allowed differences, each a legitimate freedom of SPARQL engines: "typed-literal" (old JSON
    form) is a literal; numbers compare by value; xsd:boolean "1" is "true"; GROUP_CONCAT order is
    unspecified (parts joined with " | " are sorted); GROUP_CONCAT of nothing is "" or unbound.
    """
    if binding is None:
        return None
    kind, value, datatype = binding["type"], binding["value"], binding.get("datatype")
    if kind not in ("literal", "typed-literal"):
        return (kind, value)
    if datatype == f"{XSD}boolean":
        return ("bool", value in ("true", "1"))
    if datatype in NUMERIC:
        return ("num", Decimal(value).normalize())
    if value == "":
        return None
    if " | " in value:
        value = " | ".join(sorted(value.split(" | ")))
    return ("lit", value, binding.get("xml:lang", "").lower())


def rows(data: dict[str, Any], variables: list[str], boolean_columns: set[str]) -> Counter[tuple[Any, ...]]:
    """Rows as a multiset (duplicates count), with Virtuoso's 0/1 for boolean expressions read as booleans."""
    out: Counter[tuple[Any, ...]] = Counter()
    for binding in data["results"]["bindings"]:
        row = []
        for var in variables:
            term = cell(binding.get(var))
            if var in boolean_columns and term is not None and term[0] == "num":
                term = ("bool", term[1] == 1)
            row.append(term)
        out[tuple(row)] += 1
    return out


def local_json(out: Path, sparql: str) -> dict[str, Any]:
    store = GraphStore(out / "store", read_only=True)
    result = store.query(sparql)
    assert isinstance(result, QuerySolutions)
    buffer = io.BytesIO()
    result.serialize(buffer, QueryResultsFormat.JSON)
    data: dict[str, Any] = json.loads(buffer.getvalue())
    return data


def assert_same_answers(out: Path, server: virtuoso.LocalVirtuoso, *, all_answer: bool = False) -> None:
    """Every saved query gives the same multiset of rows (``all_answer``: and none is empty)."""
    for name, path in saved_queries().items():
        sparql = path.read_text(encoding="utf-8")
        local = local_json(out, sparql)
        variables = local["head"]["vars"]
        booleans = {
            v for b in local["results"]["bindings"] for v, term in b.items() if term.get("datatype") == f"{XSD}boolean"
        }
        expected = rows(local, variables, booleans)
        got = rows(remote_json(server, with_prefixes(sparql)), variables, booleans)
        assert not all_answer or expected, f"saved query {name} found nothing locally"
        assert got == expected, f"saved query {name}: {len(got - expected)} rows differ"


# ---- tests ------------------------------------------------------------------------------------


def test_load_gives_the_same_answers_to_every_saved_query(built_examples: Built, clean: virtuoso.LocalVirtuoso) -> None:
    result = load(built_examples.out, clean, "--replace")
    assert result.exit_code == 0, result.stderr
    graphs = len(local_counts(built_examples.out))  # the article graphs, the claims graph and the entities graph
    assert graphs == 16
    assert re.search(rf"{graphs} graphs loaded \([\d,]+ triples\)", result.stdout), result.stdout
    assert remote_counts(clean) == local_counts(built_examples.out)
    assert_same_answers(built_examples.out, clean, all_answer=True)


def test_second_load_skips_unchanged_graphs_and_replace_never_doubles(
    built_examples: Built, clean: virtuoso.LocalVirtuoso
) -> None:
    expected = local_counts(built_examples.out)
    assert load(built_examples.out, clean, "--replace").exit_code == 0
    again = load(built_examples.out, clean)
    assert again.exit_code == 0, again.stderr
    assert "0 graphs loaded (0 triples)" in again.stdout
    assert f"{len(expected)} unchanged graphs skipped" in again.stdout
    forced = load(built_examples.out, clean, "--replace")
    assert forced.exit_code == 0, forced.stderr
    assert f"{len(expected)} graphs loaded" in forced.stdout
    assert remote_counts(clean) == expected
    assert_same_answers(built_examples.out, clean, all_answer=True)


def test_graph_dropped_on_the_server_is_loaded_again(built_mini: Built, clean: virtuoso.LocalVirtuoso) -> None:
    assert load(built_mini.out, clean, "--replace").exit_code == 0
    victim = sorted(local_counts(built_mini.out))[0]
    httpx.delete(clean.graph_store, params={"graph": victim}, auth=httpx.DigestAuth("dba", clean.password))
    again = load(built_mini.out, clean)
    assert again.exit_code == 0, again.stderr
    assert "1 graphs loaded" in again.stdout
    assert remote_counts(clean) == local_counts(built_mini.out)


def test_sparql_update_is_the_fallback_without_graph_store(built_mini: Built, clean: virtuoso.LocalVirtuoso) -> None:
    missing = f"{clean.base}/no-graph-store-here"
    args = ("--out", str(built_mini.out), "--endpoint", clean.sparql, "--update-endpoint", clean.sparql_auth)
    first = run_cli("load", *args, "--graph-store", missing, "--replace")
    assert first.exit_code == 0, first.stderr
    assert "HTTP 501 to a Graph Store PUT: loading with SPARQL Update instead" in first.stderr
    assert "with the SPARQL Update" in first.stdout
    second = run_cli("load", *args, "--replace", "--batch-size", "50")  # no --graph-store at all
    assert second.exit_code == 0, second.stderr
    assert remote_counts(clean) == local_counts(built_mini.out)
    assert_same_answers(built_mini.out, clean)


def test_replace_drops_article_graphs_the_store_no_longer_has(
    built_examples: Built, built_mini: Built, clean: virtuoso.LocalVirtuoso
) -> None:
    assert load(built_examples.out, clean, "--replace").exit_code == 0
    result = load(built_mini.out, clean, "--replace")
    assert result.exit_code == 0, result.stderr
    mini = local_counts(built_mini.out)
    stale = set(local_counts(built_examples.out)) - set(mini)
    assert f"{len(stale)} stale graphs dropped" in result.stdout  # all but the claims graph, which both have
    assert remote_counts(clean) == mini


@pytest.mark.parametrize("connections", [1, 4])
def test_server_stopped_mid_load_then_next_run_completes(
    connections: int,
    built_examples: Built,
    clean: virtuoso.LocalVirtuoso,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """One connection: exactly the five graphs sent before the crash are loaded. Four: graphs in flight
    when the server died may or may not have landed; the report says which did, and the next run
    completes without duplicates either way."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "store").symlink_to(built_examples.store_path, target_is_directory=True)
    real_batches = remote_module.graph_batches
    sent: list[int] = []

    def crash_after_five_graphs(*args: Any) -> Iterator[tuple[bytes, int]]:
        if len(sent) == 5:
            clean.kill()  # SIGKILL: the server disappears as in a crash
        sent.append(1)
        yield from real_batches(*args)

    monkeypatch.setattr(remote_module, "graph_batches", crash_after_five_graphs)
    stopped = load(out, clean, "--retries", "1", "--connections", str(connections))
    assert stopped.exit_code == 1
    assert "E301" in stopped.stderr and "cannot connect" in stopped.stderr
    graphs = len(local_counts(built_examples.out))
    report = re.search(rf"(\d+) of {graphs} graphs are on the server, (\d+) not loaded", stopped.stderr)
    assert report, stopped.stderr
    loaded, missing = int(report[1]), int(report[2])
    assert loaded + missing == graphs and 1 <= loaded <= 5
    if connections == 1:
        assert loaded == 5
    assert stopped.stderr.count("  not loaded: https://kg.example.org/id/graph/") == missing
    assert "run the same command again" in stopped.stderr
    assert f"{loaded} graphs loaded" in stopped.stdout

    monkeypatch.setattr(remote_module, "graph_batches", real_batches)
    clean.start()
    resumed = load(out, clean, "--connections", str(connections))
    assert resumed.exit_code == 0, resumed.stderr
    assert f"{missing} graphs loaded" in resumed.stdout and f"{loaded} unchanged graphs skipped" in resumed.stdout
    assert remote_counts(clean) == local_counts(built_examples.out)


def test_wrong_password_is_one_clear_line(
    built_mini: Built, clean: virtuoso.LocalVirtuoso, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "not-" + secrets.token_urlsafe(8)
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", wrong)
    result = load(built_mini.out, clean, "--retries", "0")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if "E302" in line]
    assert len(errors) == 1 and "HTTP 401 authentication failed" in errors[0]
    assert "no graph was loaded" in result.stderr
    assert wrong not in result.stdout + result.stderr
    assert remote_counts(clean) == {}


def test_credentials_in_the_url_are_used_but_never_shown_or_stored(
    built_mini: Built, clean: virtuoso.LocalVirtuoso, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KG_ENDPOINT_USER")
    monkeypatch.delenv("KG_ENDPOINT_PASSWORD")
    with_secret = clean.graph_store.replace("http://", f"http://dba:{clean.password}@")
    result = run_cli("load", "--out", str(built_mini.out), "--endpoint", clean.sparql, "--graph-store", with_secret)
    assert result.exit_code == 0, result.stderr
    state = (built_mini.out / "load-state.json").read_text(encoding="utf-8")
    for text in (result.stdout, result.stderr, state):
        assert clean.password not in text
    assert remote_counts(clean) == local_counts(built_mini.out)
