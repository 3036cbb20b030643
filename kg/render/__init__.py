"""``kg render``: the knowledge graph as an interactive, offline, safe HTML page.

Three steps, each usable on its own from Python (see ``notebooks/quickstart.ipynb``):

    graph = project_store(store)                     # SPARQL -> networkx MultiDiGraph
    shown = filter_graph(graph, RenderFilter(...))   # articles, types, focus, cap; ranked
    page = render_html(shown)                        # pyvis + vis-network -> one HTML string

:func:`render_store` does all three and writes the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.render.analysis import by_importance, rank
from kg.render.filters import DEFAULT_MAX_NODES, RenderFilter, filter_graph, find_entities
from kg.render.page import render_html, write_page
from kg.render.project import project_store
from kg.store import GraphStore

__all__ = [
    "DEFAULT_MAX_NODES",
    "Inline",
    "RenderFilter",
    "Rendered",
    "by_importance",
    "filter_graph",
    "find_entities",
    "project_store",
    "rank",
    "render_html",
    "render_store",
    "write_page",
]


@dataclass(frozen=True)
class Rendered:
    """What :func:`render_store` drew, for the command's one-line report."""

    path: Path
    nodes: int
    edges: int
    total_nodes: int
    bytes: int


def render_store(
    store: GraphStore,
    path: Path,
    flt: RenderFilter | None = None,
    *,
    title: str = "kg graph",
    base_dir: Path | None = None,
) -> Rendered:
    """Project ``store``, apply ``flt``, and write the page to ``path`` (UTF-8)."""
    shown = filter_graph(project_store(store, base_dir=base_dir), flt or RenderFilter())
    page = render_html(shown, title=title)
    write_page(page, path)
    return Rendered(
        path=path,
        nodes=shown.number_of_nodes(),
        edges=shown.number_of_edges(),
        total_nodes=int(shown.graph.get("total_nodes", shown.number_of_nodes())),
        bytes=len(page.encode("utf-8")),
    )


class Inline:
    """A rendered page shown inside a notebook cell, in an isolated frame (works offline)."""

    def __init__(self, page: str, height: int = 640) -> None:
        self.page = page
        self.height = height

    def _repr_html_(self) -> str:
        import html

        return (
            f'<iframe srcdoc="{html.escape(self.page, quote=True)}" style="width:100%;height:{int(self.height)}px;'
            'border:1px solid #ddd" sandbox="allow-scripts allow-popups"></iframe>'
        )
