"""Result formats (issue 14 item 6): one RFC 4180 CSV writer for ``kg query`` and ``kg serve``, XML that stays
well-formed, graph answers in graph formats, and saved queries whose output does not depend on the engine."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx
import pytest
from conftest import Built, run_cli
from test_serve import Server, writable_copy

from kg.query.run import saved_queries

SENTENCES = "SELECT ?s WHERE { ?m nif:sentence ?s } ORDER BY ?s LIMIT 5"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def writable(built_mini: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with writable_copy(built_mini, tmp_path_factory.mktemp("formats")) as running:
        yield running


def test_kg_query_csv_is_rfc_4180_and_the_same_as_the_server(built_mini: Built, writable: Server) -> None:
    result = run_cli("query", SENTENCES, "--out", str(built_mini.out), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    text = result.stdout_bytes.decode("utf-8")
    assert "," in text.split("\r\n", 1)[1]  # sentence IRIs hold commas (#char=10,50)
    assert result.stdout_bytes.count(b"\r\n") == 6 and b"\n" not in result.stdout_bytes.replace(b"\r\n", b"")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["s"] and all(len(row) == 1 and "," in row[0] for row in rows[1:])
    served = httpx.get(writable.url, params={"query": SENTENCES}, headers={"Accept": "text/csv"})
    assert served.content == result.stdout_bytes


def test_xml_results_keep_carriage_returns_and_refuse_control_characters(writable: Server) -> None:
    data = '<http://e/a> <http://e/cr> "one\\r\\ntwo" . <http://e/b> <http://e/bell> "ring\\u0007"'
    insert = f"INSERT DATA {{ GRAPH <http://e/x> {{ {data} }} }}"
    assert httpx.post(writable.url, data={"update": insert}).status_code == 204
    xml = {"Accept": "application/sparql-results+xml"}
    answer = httpx.get(writable.url, params={"query": "SELECT ?v WHERE { <http://e/a> <http://e/cr> ?v }"}, headers=xml)
    literal = ET.fromstring(answer.content).find(f".//{RESULTS_NS}literal")
    assert literal is not None and literal.text == "one\r\ntwo"
    bell = {"query": "SELECT ?v WHERE { <http://e/b> <http://e/bell> ?v }"}
    refused = httpx.get(writable.url, params=bell, headers=xml)
    assert refused.status_code == 406 and refused.text.startswith("E327") and "U+0007" in refused.text
    fallback = httpx.get(writable.url, params=bell, headers={"Accept": "application/sparql-results+xml, */*;q=0.1"})
    assert fallback.status_code == 200 and fallback.json()["results"]["bindings"][0]["v"]["value"] == "ring\x07"


def test_construct_in_kg_query_gives_graph_formats(built_mini: Built) -> None:
    construct = "CONSTRUCT WHERE { ?c a schema:Country } LIMIT 3"
    as_json = run_cli("query", construct, "--out", str(built_mini.out), "--format", "json")
    assert as_json.exit_code == 0 and as_json.stdout.lstrip().startswith("[") and '"@id"' in as_json.stdout
    assert "JSON-LD" in as_json.stderr
    table = run_cli("query", construct, "--out", str(built_mini.out))
    assert table.exit_code == 0 and table.stdout.startswith("subject") and "(no rows)" not in table.stdout
    as_nt = run_cli("query", construct, "--out", str(built_mini.out), "--format", "nt")
    assert as_nt.exit_code == 0 and all(line.endswith(" .") for line in as_nt.stdout.splitlines())
    as_csv = run_cli("query", construct, "--out", str(built_mini.out), "--format", "csv")
    assert as_csv.exit_code == 2 and "is a graph" in as_csv.stderr


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_saved_queries_order_every_output_column(name: str) -> None:
    text = saved_queries()[name].read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    head = body[: body.index("WHERE")]
    while re.search(r"\([^()]*\)", head):  # drop aggregates (AS ?x): a group's keys make its row unique
        head = re.sub(r"\([^()]*\)", " ", head)
    columns = re.findall(r"\?(\w+)", head.replace("SELECT", "").replace("DISTINCT", ""))
    order = body[body.rindex("ORDER BY") :]
    missing = [c for c in columns if f"?{c}" not in order and c != "confidence"]
    assert not missing, f"{name}: ties on {missing} would be left to the engine"
    assert "SAMPLE(?aName)" not in body


def test_concatenated_lists_are_sorted(built_examples: Built) -> None:
    claims = built_examples.rows("claims")
    lists = [row["source_list"].split(" | ") for row in claims] + [
        row["amounts"].split(" | ") for row in claims if "amounts" in row
    ]
    assert any(len(items) > 1 for items in lists)
    assert all(items == sorted(items) for items in lists)
    for row in built_examples.rows("investments"):
        if "co_investors" in row:
            assert row["co_investors"].split("|") == sorted(row["co_investors"].split("|"))
