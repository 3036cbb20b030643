"""The languages added as data (pl, sv, ro) through ``kg build``: stored facts, saved queries, SHACL.

One short article of our own per language, built together; the per-language tests check the
pieces, this one checks that a build of such articles is a valid graph that answers the saved queries.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Built, run_cli

from kg.store import GraphStore
from kg.validate import validate_store

ARTICLES = {
    "pl.txt": "Nvidia zainwestuje 500 mln dolarów w polski start-up Wolnik AI\n\n"
    "Amerykański koncern Nvidia zainwestuje 500 mln dolarów w spółkę Wolnik AI sp. z o.o. z Krakowa.",
    "sv.txt": "Microsoft bygger datacenter i Sverige\n\n"
    "Microsoft investerar 33,7 miljarder kronor i molninfrastruktur i Sverige. "
    "Bolaget inleder samtidigt ett samarbete med Ericsson.",
    "ro.txt": "Amazon investește în România\n\n"
    "Amazon Web Services va investi 1,5 miliarde de euro în centre de date din România.",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("added")
    (folder / "in").mkdir()
    for name, text in ARTICLES.items():
        (folder / "in" / name).write_text(text, encoding="utf-8")
    result = run_cli("build", str(folder / "in"), "--out", str(folder / "out"), "--no-render")
    assert result.exit_code == 0, result.stderr
    return Built(folder / "out", result)


def test_the_articles_are_read_in_their_languages_without_warnings(built: Built) -> None:
    assert "W111" not in built.result.stderr  # W111: a language kg has no lexicon for
    assert "3 articles" in built.result.stdout


def test_their_investments_answer_the_saved_query(built: Built) -> None:
    result = run_cli("query", "investments", "--out", str(built.out), "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {
        Path(b["source"]["value"]).name: {k: v["value"] for k, v in b.items()}
        for b in json.loads(result.stdout)["results"]["bindings"]
    }
    got = {name: (r["investor"], r["amount"], r["currency"], r.get("country")) for name, r in rows.items()}
    assert got == {
        "pl.txt": ("Nvidia", "500000000", "USD", "PL"),
        "sv.txt": ("Microsoft", "33700000000", "SEK", "SE"),
        "ro.txt": ("Amazon Web Services", "1500000000", "EUR", "RO"),
    }
    assert rows["pl.txt"]["target"] == "Wolnik AI sp. z o.o."
    assert all(0.0 <= float(r["confidence"]) <= 1.0 for r in rows.values())


def test_a_partnership_in_swedish_is_stored(built: Built) -> None:
    result = run_cli("query", "partnerships", "--out", str(built.out), "--format", "json")
    pairs = {frozenset((b["a"]["value"], b["b"]["value"])) for b in json.loads(result.stdout)["results"]["bindings"]}
    assert frozenset(("Microsoft", "Ericsson")) in pairs


def test_the_graph_conforms_to_the_shapes(built: Built) -> None:
    conforms, report = validate_store(GraphStore(built.store_path, read_only=True))
    assert conforms, report
