"""What ``kg render`` and the end of ``kg build`` do, kept out of the thin CLI module."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import typer

from kg.errors import RenderError
from kg.render import Rendered, RenderFilter, render_store
from kg.render.filters import DEFAULT_MAX_NODES, parse_day, parse_kinds, parse_statuses, split_values
from kg.store import GraphStore


@dataclass(frozen=True)
class RenderOptions:
    """The command line's filter options, as typed."""

    types: Sequence[str] = ()
    langs: Sequence[str] = ()
    countries: Sequence[str] = ()
    since: str | None = None
    until: str | None = None
    min_sources: int = 1
    focus: Sequence[str] = ()
    depth: int = 1
    max_nodes: int = DEFAULT_MAX_NODES
    co_mentions: bool = True
    statuses: Sequence[str] = ()

    def to_filter(self) -> RenderFilter:
        """The filter these options ask for; RenderError (E402, E403) for a value that makes no sense."""
        return RenderFilter(
            kinds=parse_kinds(self.types),
            langs=frozenset(v.lower() for v in split_values(self.langs)),
            countries=split_values(self.countries),
            since=parse_day(self.since),
            until=parse_day(self.until, end=True),
            min_sources=self.min_sources,
            focus=tuple(f.strip() for f in self.focus if f.strip()),
            depth=self.depth,
            max_nodes=self.max_nodes,
            co_mentions=self.co_mentions,
            statuses=parse_statuses(self.statuses),
        )


def run_render(store: GraphStore, path: Path, options: RenderOptions, title: str) -> int:
    """Write the page and print one line about it; the exit code (1 when nothing matched)."""
    rendered = render_store(store, path, options.to_filter(), title=title)
    typer.echo(f"kg render: {describe(rendered)}")
    if rendered.nodes == 0:
        typer.echo(f"kg: {RenderError('no entity matches the filters; the page is empty', code='E404')}", err=True)
        return 1
    return 0


def render_after_build(store: GraphStore, out: Path) -> Path | None:
    """``DIR/graph.html`` at the end of ``kg build``; a failure is reported and the build goes on."""
    path = out / "graph.html"
    try:
        render_store(store, path)
    except RenderError as exc:
        typer.echo(f"error: {exc}", err=True)
        return None
    return path


def describe(rendered: Rendered) -> str:
    """Counts, path and size (``87 entities, 175 relations -> output/graph.html (968 KB)``) and the cap if it cut."""
    size = f"{rendered.bytes / 1024:,.0f} KB"
    text = f"{rendered.nodes:,} entities, {rendered.edges:,} relations -> {rendered.path} ({size})"
    if rendered.total_nodes > rendered.nodes:
        text += f"; the {rendered.nodes:,} most important of {rendered.total_nodes:,} (raise --max-nodes to see more)"
    return text
