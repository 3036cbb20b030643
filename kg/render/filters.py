"""Narrowing a projected graph down to what a reader asked for.

Filters act in three steps, each on the output of the one before:

1. **articles**: language, date range and country keep only the evidence of
   matching articles (``--country NL`` keeps the articles that mention the
   Netherlands); entities and relations left without evidence disappear;
2. **graph**: entity types, minimum number of sources, co-mentions on or off,
   and the neighbourhood of ``--focus`` entities up to ``--depth`` steps;
3. **cap**: at most ``--max-nodes`` entities, the most important ones
   (PageRank), so that a store of 50,000 entities still gives a page a browser
   opens; focus entities always stay, their nearest neighbours first.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

import networkx as nx

from kg.errors import RenderError
from kg.model import FactStatus
from kg.render.analysis import by_importance, rank
from kg.render.model import KINDS, MENTIONED_WITH, ArticleInfo, Evidence
from kg.text import normalise_name

DEFAULT_MAX_NODES = 2000
_DAY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class RenderFilter:
    """What to draw; the defaults draw everything, up to :data:`DEFAULT_MAX_NODES` entities."""

    kinds: frozenset[str] = frozenset()
    langs: frozenset[str] = frozenset()
    countries: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    min_sources: int = 1
    focus: tuple[str, ...] = ()
    depth: int = 1
    max_nodes: int = DEFAULT_MAX_NODES
    co_mentions: bool = True
    statuses: frozenset[str] = frozenset()  # deal statuses kept (issue 15); empty: all

    def describe(self) -> str:
        """The active filters in command-line words, for the page's subtitle."""
        parts = []
        if self.kinds:
            parts.append("types " + ", ".join(k for k in KINDS if k in self.kinds))
        if self.langs:
            parts.append("languages " + ", ".join(sorted(self.langs)))
        if self.countries:
            parts.append("articles mentioning " + ", ".join(self.countries))
        if self.since or self.until:
            parts.append(f"dated {self.since or '…'} to {self.until or '…'}")
        if self.statuses:
            parts.append("deals " + ", ".join(s for s in DEAL_STATUSES if s in self.statuses))
        if self.min_sources > 1:
            parts.append(f"at least {self.min_sources} sources")
        if self.focus:
            parts.append(f"within {self.depth} step{'s' * (self.depth != 1)} of " + ", ".join(self.focus))
        if not self.co_mentions:
            parts.append("no co-mentions")
        return "; ".join(parts)


def parse_kinds(values: Iterable[str]) -> frozenset[str]:
    """``organization,country``, plurals or any unambiguous start (``org``) -> kinds; E402 for an unknown one."""
    kinds = set()
    for value in _split(values):
        word = value.lower()
        plural = {"countries": "country", "people": "person"}.get(word, word.removesuffix("s"))
        matches = [k for k in KINDS if k == plural or k.startswith(word)]
        if len(matches) != 1:
            raise RenderError(f"--type {value!r}: unknown entity type; use {', '.join(KINDS)}", code="E402")
        kinds.add(matches[0])
    return frozenset(kinds)


def parse_day(text: str | None, *, end: bool = False) -> date | None:
    """``2025``, ``2025-10`` or ``2025-10-14`` -> the first (or with ``end``, the last) day it covers."""
    if not text:
        return None
    match = _DAY.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError("not YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = int(match[1]), int(match[2] or (12 if end else 1)), match[3]
        last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
        return date(year, month, int(day) if day else (last if end else 1))
    except ValueError as exc:
        raise RenderError(f"date {text!r}: {exc}", code="E403") from None


DEAL_STATUSES = tuple(status.value for status in FactStatus)


def parse_statuses(values: Iterable[str]) -> frozenset[str]:
    """``--status completed,agreed`` -> the statuses; E402 for a word that is none of them."""
    chosen = frozenset(v.lower() for v in _split(values))
    unknown = sorted(chosen - set(DEAL_STATUSES))
    if unknown:
        raise RenderError(
            f"--status {', '.join(unknown)}: unknown (choose from {', '.join(DEAL_STATUSES)})", code="E402"
        )
    return chosen


def split_values(values: Iterable[str] | None) -> tuple[str, ...]:
    """Repeated options and comma-separated lists alike: ``--lang nl,fr --lang de``."""
    return tuple(_split(values or ()))


def _split(values: Iterable[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def filter_graph(graph: nx.MultiDiGraph, flt: RenderFilter) -> nx.MultiDiGraph:
    """A new graph holding what ``flt`` selects, ranked (``importance``, ``degree``, ``rank``)."""
    if flt.since and flt.until and flt.since > flt.until:
        raise RenderError(f"--since {flt.since} is after --until {flt.until}", code="E403")
    allowed = _allowed_articles(graph, flt)
    # A statement with a date of its own is placed by it, not by its article's: the articles it may come from
    # are those the other article filters keep, whatever their dates.
    any_date = _allowed_articles(graph, replace(flt, since=None, until=None)) if flt.since or flt.until else None
    out = _restricted(graph, flt, allowed, any_date)
    _drop_redundant_co_mentions(out)
    if flt.focus:
        out = _neighbourhood(out, flt)
    rank(out)
    out.graph["total_nodes"] = out.number_of_nodes()
    out.graph["filters"] = flt.describe()
    return _capped(out, flt)


def _allowed_articles(graph: nx.MultiDiGraph, flt: RenderFilter) -> set[str] | None:
    """Articles whose evidence may be drawn, or None when no article filter is set."""
    if not (flt.langs or flt.countries or flt.since or flt.until):
        return None
    articles: dict[str, ArticleInfo] = graph.graph.get("articles", {})
    _check_langs(articles, flt.langs)
    keep = set(articles)
    if flt.langs:
        keep = {a for a in keep if (articles[a].lang or "").lower() in flt.langs}
    if flt.since or flt.until:
        keep = {a for a in keep if _dated_within(articles[a].date, flt.since, flt.until)}
    if flt.countries:
        mentioning: set[str] = set()
        for country in flt.countries:
            for node in find_entities(graph, country, kinds=("country",), option="--country"):
                mentioning |= graph.nodes[node]["articles"]
        keep &= mentioning
    return keep


def _check_langs(articles: dict[str, ArticleInfo], langs: frozenset[str]) -> None:
    known = {(a.lang or "").lower() for a in articles.values()} - {""}
    unknown = sorted(lang for lang in langs if lang not in known)
    if unknown:
        raise RenderError(
            f"--lang {', '.join(unknown)}: no article in that language (the store has {', '.join(sorted(known))})",
            code="E402",
        )


def _dated_within(text: str | None, since: date | None, until: date | None) -> bool:
    try:
        day = date.fromisoformat((text or "")[:10])
    except ValueError:
        return False  # undated articles cannot be placed in a date range
    return (since is None or day >= since) and (until is None or day <= until)


def _event_within(evidence: Evidence, since: date | None, until: date | None) -> bool:
    """Whether a statement's own date (a day, month or year) overlaps the range."""
    start, end = parse_day(evidence.event_date), parse_day(evidence.event_date, end=True)
    return (
        start is not None and end is not None and (since is None or end >= since) and (until is None or start <= until)
    )


def _kept_evidence(
    evidence: list[Evidence], flt: RenderFilter, allowed: set[str] | None, any_date: set[str] | None
) -> list[Evidence]:
    """Statements the filters keep: by status, and by their own date where they have one, else their article's."""
    if flt.statuses:
        evidence = [e for e in evidence if e.status in flt.statuses]
    if allowed is None:
        return evidence
    dated = flt.since is not None or flt.until is not None
    return [
        e
        for e in evidence
        if (
            (any_date is None or e.article in any_date) and _event_within(e, flt.since, flt.until)
            if dated and e.event_date
            else e.article in allowed
        )
    ]


def _restricted(
    graph: nx.MultiDiGraph, flt: RenderFilter, allowed: set[str] | None, any_date: set[str] | None = None
) -> nx.MultiDiGraph:
    kept_edges = []
    event_articles: dict[str, set[str]] = {}  # articles kept for a node by a statement's own date
    for a, b, key, data in graph.edges(keys=True, data=True):
        if not flt.co_mentions and key == MENTIONED_WITH:
            continue
        evidence = _kept_evidence(data["evidence"], flt, allowed, any_date)
        for e in evidence:
            if allowed is not None and e.article not in allowed:
                event_articles.setdefault(a, set()).add(e.article)
                event_articles.setdefault(b, set()).add(e.article)
        kept_edges.append((a, b, key, data, evidence))
    linked = {n for a, b, _, _, evidence in kept_edges if evidence for n in (a, b)}
    out = nx.MultiDiGraph(**graph.graph)
    for node, data in graph.nodes(data=True):
        articles = data.get("articles", set())
        if allowed is not None:
            articles = articles & (allowed | event_articles.get(node, set()))
        if flt.statuses and node not in linked:
            continue  # a status filter draws deals: entities without a kept statement go
        if flt.kinds and data.get("kind") not in flt.kinds:
            continue
        if (allowed is not None or flt.min_sources > 1) and len(articles) < flt.min_sources:
            continue
        out.add_node(node, **{**data, "articles": set(articles)})
    for a, b, key, data, evidence in kept_edges:
        if a not in out or b not in out:
            continue
        kept = {**data, "evidence": evidence, "sources": len({e.article for e in evidence})}
        if evidence and kept["sources"] >= flt.min_sources:
            out.add_edge(a, b, key=key, **kept)
    return out


def _drop_redundant_co_mentions(graph: nx.MultiDiGraph) -> None:
    """A co-mention says nothing more about a pair a stated fact already links."""
    linked = {frozenset((a, b)) for a, b, key in graph.edges(keys=True) if key != MENTIONED_WITH}
    redundant = [(a, b) for a, b, key in graph.edges(keys=True) if key == MENTIONED_WITH and {a, b} in linked]
    for a, b in redundant:
        graph.remove_edge(a, b, key=MENTIONED_WITH)


def find_entities(
    graph: nx.MultiDiGraph, name: str, *, kinds: Iterable[str] = KINDS, option: str = "--focus"
) -> list[str]:
    """Entities called ``name`` (label, alias, ISO code, Wikidata id or IRI; any case or accents).

    Raises E401 naming the closest names when nothing matches.
    """
    wanted, allowed_kinds = normalise_name(name), set(kinds)
    found = []
    for node, data in graph.nodes(data=True):
        if data.get("kind") not in allowed_kinds:
            continue
        names = {data.get("label") or "", *data.get("aliases", ()), data.get("iso") or "", data.get("wikidata") or ""}
        if node == name or wanted in {normalise_name(n) for n in names if n}:
            found.append(node)
    if not found:
        labels = {normalise_name(str(d["label"])): str(d["label"]) for _, d in graph.nodes(data=True)
                  if d.get("kind") in allowed_kinds and d.get("label")}  # fmt: skip
        close = [labels[k] for k in difflib.get_close_matches(wanted, sorted(labels), n=3, cutoff=0.6)]
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise RenderError(f"{option} {name!r}: no such entity in the graph{hint}", code="E401")
    return found


def _neighbourhood(graph: nx.MultiDiGraph, flt: RenderFilter) -> nx.MultiDiGraph:
    """Entities within ``depth`` steps of any focus entity, in either direction; focus nodes get ``distance`` 0."""
    centres = [node for name in flt.focus for node in find_entities(graph, name)]
    undirected = graph.to_undirected(as_view=True)
    distance: dict[str, int] = {}
    for centre in centres:
        for node, steps in nx.single_source_shortest_path_length(undirected, centre, cutoff=max(flt.depth, 0)).items():
            distance[node] = min(steps, distance.get(node, steps))
    out = graph.subgraph(distance).copy()
    for node, steps in distance.items():
        out.nodes[node]["distance"] = steps
    return out


def _capped(graph: nx.MultiDiGraph, flt: RenderFilter) -> nx.MultiDiGraph:
    """At most ``max_nodes`` entities (0 = no cap): focus first, then nearest, then most important."""
    if flt.max_nodes <= 0 or graph.number_of_nodes() <= flt.max_nodes:
        return graph
    order = by_importance(graph)
    if flt.focus:
        order.sort(key=lambda node: graph.nodes[node].get("distance", 0))  # stable: importance within a distance
    out = graph.subgraph(order[: flt.max_nodes]).copy()
    out.graph.update(graph.graph)
    return out
