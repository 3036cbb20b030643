"""The data flows one way: no stage imports a stage that comes after it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kg

STAGES = ("ingest", "nlp", "extract", "resolve", "rdf", "store")
PACKAGE = Path(kg.__file__).parent


def _imported_stages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name.split(".")[1] for name in names if name.startswith("kg.") and name.split(".")[1] in STAGES}


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_imports_no_later_stage(stage: str) -> None:
    later = set(STAGES[STAGES.index(stage) + 1 :])
    offending = {
        str(path.relative_to(PACKAGE)): sorted(_imported_stages(path) & later)
        for path in sorted((PACKAGE / stage).rglob("*.py"))
        if _imported_stages(path) & later
    }
    assert offending == {}


def test_shared_modules_below_the_stages_import_none_of_them() -> None:
    for name in ("text.py", "iri.py", "model.py", "knowledge.py", "errors.py"):
        assert _imported_stages(PACKAGE / name) == set(), name
