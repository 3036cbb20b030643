"""``kg build --base-iri``: every minted IRI under the user's base, remembered by the store, one base per store."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_cli
from pyoxigraph import NamedNode, Store

from kg.iri import BASE_IRI_ENV
from kg.rdf.namespaces import KG, KGID

BASE = "https://news.example.net/kg/"
ARTICLES = "examples/articles/en_softbank_polder.txt"


@pytest.fixture(autouse=True)
def _default_base_afterwards() -> Iterator[None]:
    """A build with ``--base-iri`` sets ``KG_BASE_IRI`` for the process: clear it before and after each test.

    (``monkeypatch.delenv`` of a variable that is not set records nothing to undo, so a base chosen by a
    build during the test would outlive it and every later test would mint under it.)
    """
    os.environ.pop(BASE_IRI_ENV, None)
    yield
    os.environ.pop(BASE_IRI_ENV, None)


def _iris(store_dir: Path) -> set[str]:
    store = Store.read_only(str(store_dir))
    found: set[str] = set()
    for quad in store:
        for term in (quad.subject, quad.object, quad.graph_name):
            if isinstance(term, NamedNode):
                found.add(term.value)
    return found


def test_every_minted_iri_is_under_the_base_and_the_ontology_stays(tmp_path: Path) -> None:
    out = tmp_path / "out"
    built = run_cli("build", ARTICLES, "--out", str(out), "--base-iri", BASE, "--no-render")
    assert built.exit_code == 0, built.stderr
    iris = _iris(out / "store")
    assert not any(i.startswith(str(KGID)) for i in iris), "an IRI was minted under the default base"
    assert any(i.startswith(f"{BASE}graph/") for i in iris) and any(i.startswith(f"{BASE}org/") for i in iris)
    assert any(i.startswith(str(KG)) for i in iris), "the ontology namespace must not move"
    assert json.loads((out / "store" / "kg-settings.json").read_text(encoding="utf-8"))["base_iri"] == BASE
    claims = json.loads(run_cli("query", "claims", "--out", str(out), "--format", "json").stdout)
    assert claims["results"]["bindings"], "claims under the user's base are found by the saved query"
    assert all(b["claim"]["value"].startswith(f"{BASE}claim/") for b in claims["results"]["bindings"])
    assert run_cli("validate", "--out", str(out)).exit_code == 0


def test_the_store_remembers_its_base_and_refuses_another(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert run_cli("build", ARTICLES, "--out", str(out), "--base-iri", BASE, "--no-render").exit_code == 0
    monkeypatch.delenv(BASE_IRI_ENV, raising=False)
    again = run_cli("build", "examples/articles/fr_openai_europe.txt", "--out", str(out), "--no-render")
    assert again.exit_code == 0, again.stderr
    assert not any(i.startswith(str(KGID)) for i in _iris(out / "store"))
    other = run_cli("build", ARTICLES, "--out", str(out), "--base-iri", "https://elsewhere.example.com/id/")
    assert other.exit_code == 2 and "E202" in other.stderr and BASE in other.stderr


@pytest.mark.parametrize("bad", ["kg/", "ftp://example.com/id/", "https://example.com/id", "https://ex ample.com/"])
def test_a_malformed_base_is_one_clear_error(tmp_path: Path, bad: str) -> None:
    result = run_cli("build", ARTICLES, "--out", str(tmp_path / "out"), "--base-iri", bad)
    assert result.exit_code == 2 and "E202" in result.stderr
    assert len([line for line in result.stderr.splitlines() if line.strip()]) == 1


def test_a_store_built_with_the_default_base_refuses_a_new_one(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", ARTICLES, "--out", str(out), "--no-render").exit_code == 0
    moved = run_cli("build", ARTICLES, "--out", str(out), "--base-iri", BASE)
    assert moved.exit_code == 2 and "E202" in moved.stderr
