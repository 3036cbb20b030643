"""Shared fixtures: the sample articles and the mini fixtures are built once per test session.

Builds run the real CLI in-process (``typer.testing.CliRunner``) from the repository
root with relative paths, exactly as a user would type them, so ``source`` values
are the paths as given (``tests/fixtures/mini/nl_openai.txt``).
"""

from __future__ import annotations

import contextlib
import gc
import importlib.util
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from kg.build import process_article
from kg.cli import app
from kg.model import Article, EntityKind, Extraction
from kg.store import GraphStore

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def rules_only_facts() -> Any:
    """Facts decided by kg's rules alone, as for a language the fact model does not cover.

    The rule tests pin what the rules read from each phrasing; the rules are
    also the fact model's strongest features, so they are tested on their own.
    """
    from kg.extract.fact_model.extractor import reset_fact_model, rules_only

    rules_only()
    yield
    reset_fact_model()


EXAMPLES = "examples/articles"
MINI = "tests/fixtures/mini"


def training_script(name: str) -> ModuleType:
    """A script of ``training/ner/`` (not a package) imported as the module ``name``, for its tests."""
    spec = importlib.util.spec_from_file_location(name, REPO / "training" / "ner" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses of the script look their module up here
    spec.loader.exec_module(module)
    return module


BAD = "tests/fixtures/bad"

# Every bad-input fixture, passed one by one (the README says not to pass the folder),
# plus a path that does not exist.
BAD_INPUTS = [
    f"{BAD}/does-not-exist.txt",
    f"{BAD}/empty.txt",
    f"{BAD}/binary.txt",
    f"{BAD}/undecodable.txt",
    f"{BAD}/malformed.jsonl",
    f"{BAD}/nocontent.html",
    f"{BAD}/latin1.txt",
    f"{BAD}/hostile.txt",
]


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str
    stdout_bytes: bytes
    exception: BaseException | None


def run_cli(*args: str, input: bytes | None = None) -> CliResult:
    """Run ``kg ARGS`` in-process from the repository root."""
    with contextlib.chdir(REPO):
        result = CliRunner().invoke(app, list(args), input=input)
    # The command's writable store may survive in a reference cycle through the exit exception's
    # traceback; collect it so the store is closed (RocksDB lock released) like at a process exit.
    exception = result.exception if not isinstance(result.exception, SystemExit) else None
    result.exc_info = None
    gc.collect()
    return CliResult(result.exit_code, result.stdout, result.stderr, result.stdout_bytes, exception)


@dataclass
class Built:
    """An output folder made by ``kg build`` and what the command printed."""

    out: Path
    result: CliResult

    @property
    def store_path(self) -> Path:
        return self.out / "store"

    def query_json(self, query: str) -> dict[str, Any]:
        """``kg query QUERY --format json`` on this build, parsed."""
        result = run_cli("query", query, "--out", str(self.out), "--format", "json")
        assert result.exit_code == 0, result.stderr
        data: dict[str, Any] = json.loads(result.stdout)
        return data

    def rows(self, query: str) -> list[dict[str, str]]:
        """SPARQL JSON bindings of ``query`` flattened to ``{var: value}``."""
        return [{k: v["value"] for k, v in b.items()} for b in self.query_json(query)["results"]["bindings"]]


def _build(out: Path, *inputs: str) -> Built:
    result = run_cli("build", *inputs, "--out", str(out))
    assert result.exception is None, result.exception
    return Built(out, result)


@pytest.fixture(scope="session")
def built_examples(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """``kg build examples/articles``."""
    built = _build(tmp_path_factory.mktemp("examples"), EXAMPLES)
    assert built.result.exit_code == 0, built.result.stderr
    return built


@pytest.fixture(scope="session")
def built_mini(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """``kg build tests/fixtures/mini`` (4 articles: nl, fr, id, en)."""
    built = _build(tmp_path_factory.mktemp("mini"), MINI)
    assert built.result.exit_code == 0, built.result.stderr
    return built


@pytest.fixture(scope="session")
def built_bad(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """``kg build`` of every bad-input fixture and a missing file (exit code 1 expected)."""
    return _build(tmp_path_factory.mktemp("bad"), *BAD_INPUTS)


def sparql_rows(store: GraphStore, sparql: str, *, union: bool = True) -> list[dict[str, str | None]]:
    """Rows of a SELECT as ``{var: value or None}``."""
    result = store.query(sparql, union=union)
    variables = [v.value for v in result.variables]  # type: ignore[union-attr]
    return [
        {name: (None if row[name] is None else row[name].value) for name in variables}
        for row in result  # type: ignore[union-attr]
    ]


ARTICLE_GRAPHS = "SELECT ?g WHERE { GRAPH ?g { ?g a kg:ArticleGraph } }"


def article_graphs(store: GraphStore) -> set[str]:
    """IRIs of the article graphs (not the derived claims graph)."""
    return {str(row["g"]) for row in sparql_rows(store, ARTICLE_GRAPHS, union=False)}


def run(lang: str, text: str) -> Extraction:
    """One article through every stage: its extraction (mentions, facts), for tests of what kg finds."""
    extraction, _ = process_article(Article(text=text, source="t.txt", lang=lang))
    return extraction


def texts(extraction: Extraction, kind: EntityKind) -> set[str]:
    """The surface forms of an extraction's mentions of one kind."""
    return {m.text for m in extraction.mentions if m.kind is kind}


def keys(extraction: Extraction, kind: EntityKind) -> set[str | None]:
    """The canonical keys (ISO codes, gazetteer ids) of an extraction's mentions of one kind."""
    return {m.key for m in extraction.mentions if m.kind is kind}
