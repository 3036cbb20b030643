"""notebooks/quickstart.ipynb runs from top to bottom in a fresh kernel, so it never rots."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import REPO

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = REPO / "notebooks" / "quickstart.ipynb"


def _outputs(cell: Any) -> str:
    """Everything a code cell showed, as text (plain text, HTML and streams)."""
    parts = []
    for output in cell.get("outputs", []):
        parts.append(str(output.get("text", "")))
        data = output.get("data", {})
        parts += [str(data.get(kind, "")) for kind in ("text/plain", "text/html")]
    return "\n".join(parts)


def test_quickstart_notebook_runs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails
    shown = [_outputs(cell) for cell in notebook.cells if cell.cell_type == "code"]
    assert all(not any(o.get("output_type") == "error" for o in c.get("outputs", [])) for c in notebook.cells)
    assert "14 articles" in shown[1]
    assert "Nvidia" in shown[2] and "OpenAI" in shown[2], "organizations by mentions"
    assert re.search(r"\b(USD|EUR|IDR) \d+(\.\d+)? (bn|tn|m)\b", shown[3]), "amounts read for humans"
    assert "connections" in shown[4] and "pagerank" in shown[4]
    assert "most central" in shown[5]
    assert '<iframe srcdoc="' in shown[6] and "vis.Network" in shown[6], "the graph page is shown inline"
