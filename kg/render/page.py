"""A projected graph as one self-contained, offline, safe HTML page.

pyvis holds the nodes, edges and vis.js options and supplies the vis-network
library it bundles; the page around them is kg's own (``assets/``), because
pyvis's template links Bootstrap from a CDN, puts its heading in raw, and
switches all tooltips to raw HTML as soon as one contains "href".  Here:

* every script and style is inline: the page makes no request at all, and its
  Content-Security-Policy (``default-src 'none'``, scripts allowed by hash
  only) would block one, as it would block any injected script or handler;
* tooltip HTML is escaped piece by piece in :mod:`kg.render.tooltip`; labels
  are drawn on the canvas as text; the data travels as JSON inside a
  non-executable ``<script type="application/json">`` with ``<``, ``>`` and
  ``&`` written as ``\\u`` escapes so no string can close the element;
* the file is written as UTF-8 whatever the platform's locale.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import string
from importlib.resources import files
from pathlib import Path
from typing import Any

import networkx as nx

import kg
from kg.errors import RenderError
from kg.render.analysis import by_importance, edge_sources, rank, weighted_pairs
from kg.render.layout import spring_positions
from kg.render.model import INVESTS_IN, KINDS, LOCATED_IN, MENTIONED_WITH, RELATIONS, SYMMETRIC, ArticleInfo
from kg.render.tooltip import article_line, edge_statuses, edge_tooltip, format_money, node_tooltip, quote_sentence

PHYSICS_LIMIT = 250
"""Above this many nodes, positions come from :mod:`kg.render.layout` and physics stays off."""

EDGE_LABEL_LIMIT = 60
"""Investment lines carry their amount as a label only when at most this many are drawn."""

NODE_STYLE = {
    "organization": {"color": "#4e79a7", "shape": "dot"},
    "country": {"color": "#59a14f", "shape": "hexagon"},
    "person": {"color": "#f28e2b", "shape": "triangle"},
    "project": {"color": "#b07aa1", "shape": "diamond"},
}
EDGE_STYLE: dict[str, dict[str, Any]] = {
    INVESTS_IN: {"color": "#e15759", "arrows": "to", "dashes": False},
    "partner of": {"color": "#2a9d8f", "arrows": "", "dashes": False},
    LOCATED_IN: {"color": "#9c755f", "arrows": "to", "dashes": [2, 5]},
    MENTIONED_WITH: {"color": "#b8b8b8", "arrows": "", "dashes": [6, 6]},
}

_ASSETS = files("kg.render") / "assets"


def render_html(graph: nx.MultiDiGraph, *, title: str = "kg graph", content_security_policy: bool = True) -> str:
    """The page for ``graph`` (as projected and filtered); ranks it first if no one has.

    ``content_security_policy=False`` leaves out the CSP, so that tests can show the
    escaping alone keeps hostile text inert.
    """
    if any("importance" not in data for _, data in graph.nodes(data=True)):
        rank(graph)
    citations = Citations()
    net = _pyvis_network(graph, citations)
    nodes, edges, _heading, _height, _width, options_json = net.get_network_data()
    payload = {
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options_json),
        "articles": citations.articles,
        "quotes": citations.quotes,
    }
    scripts = {"vis_js": _vis_asset("vis-network.min.js"), "page_js": _asset("page.js")}
    fields = {
        "csp": _csp(scripts.values()) if content_security_policy else "",
        "generator": html.escape(f"kg {kg.__version__} with pyvis and vis-network 9.1.2"),
        "title": html.escape(title),
        "stats": _stats(graph),
        "legend": _legend(graph),
        "vis_css": _vis_asset("vis-network.css"),
        "page_css": _asset("page.css"),
        "data": script_json(payload),
        **scripts,
    }
    page = string.Template(_asset("page.html")).substitute(fields)
    if not content_security_policy:
        page = page.replace('<meta http-equiv="Content-Security-Policy" content="">\n', "")
    return page


def write_page(page: str, path: Path) -> Path:
    """Write ``page`` to ``path`` as UTF-8 (never the locale's encoding); E405 when that fails."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror or exc}", code="E405") from exc
    return path


def script_json(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>``, ``&`` or line separators left raw."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


def _vis_asset(name: str) -> str:
    """A file of the vis-network build that pyvis ships (the one its ``in_line`` mode embeds)."""
    import pyvis

    return (Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / name).read_text(encoding="utf-8")


def _csp(scripts: Any) -> str:
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii") + "'" for s in scripts
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


class Citations:
    """Each article line and each source sentence written once, cited by number from the tooltips.

    A popular article is named by hundreds of tooltips, and a sentence naming five entities
    supports ten co-mentions; their escaped HTML goes into the page once, and the page puts it
    where ``<span data-kg-article="N">`` or ``<span data-kg-quote="N">`` stands.
    """

    def __init__(self) -> None:
        self._articles: dict[str, int] = {}
        self._quotes: dict[str, int] = {}
        self.articles: list[str] = []
        self.quotes: list[str] = []

    def cite(self, article: ArticleInfo) -> str:
        number = self._articles.get(article.iri)
        if number is None:
            number = self._articles[article.iri] = len(self.articles)
            self.articles.append(article_line(article))
        return f'<span data-kg-article="{number}"></span>'

    def quote(self, sentence: str) -> str:
        number = self._quotes.get(sentence)
        if number is None:
            number = self._quotes[sentence] = len(self.quotes)
            self.quotes.append(quote_sentence(sentence))
        return f'<span data-kg-quote="{number}"></span>'


def _pyvis_network(graph: nx.MultiDiGraph, cite: Citations) -> Any:
    """pyvis's Network filled in one pass (its add_node/add_edge scan lists: quadratic on big graphs)."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    big = graph.number_of_nodes() > PHYSICS_LIMIT
    positions = spring_positions(weighted_pairs(graph), by_importance(graph)) if big else {}
    articles: dict[str, ArticleInfo] = graph.graph.get("articles", {})
    net.nodes = [_node(graph, node, articles, positions.get(node), cite) for node in graph.nodes]
    net.node_ids = [n["id"] for n in net.nodes]
    net.node_map = {n["id"]: n for n in net.nodes}
    labelled = sum(1 for _, _, key in graph.edges(keys=True) if key == INVESTS_IN) <= EDGE_LABEL_LIMIT
    net.edges = [
        _edge(graph, a, b, data, articles, (index, labelled), cite)
        for index, (a, b, data) in enumerate(graph.edges(data=True))
    ]
    net.options = _options(big)
    return net


def _node(
    graph: nx.MultiDiGraph,
    node: str,
    articles: dict[str, ArticleInfo],
    position: tuple[float, float] | None,
    cite: Citations,
) -> dict[str, Any]:
    data = graph.nodes[node]
    kind = data.get("kind", "organization")
    style = NODE_STYLE.get(kind, NODE_STYLE["organization"])
    listed = sorted(
        (articles[a] for a in data.get("articles", ()) if a in articles),
        key=lambda a: (a.date or "", a.title or a.source),
        reverse=True,
    )
    label = str(data.get("label") or node)
    names = [label, *sorted(data.get("aliases", ())), *(x for x in (data.get("iso"), data.get("wikidata")) if x)]
    item: dict[str, Any] = {
        "id": node,
        "label": label,
        "kind": kind,
        "names": names,
        "shape": style["shape"],
        "color": {"background": style["color"], "border": _darker(style["color"])},
        "value": round(1 + 99 * math.sqrt(data.get("importance", 0.0) / _max_importance(graph)), 2),
        "title": node_tooltip(
            label,
            kind,
            aliases=data.get("aliases", ()),
            wikidata=data.get("wikidata"),
            iso=data.get("iso"),
            articles=listed,
            connections=int(data.get("degree", 0)),
            mentions=int(data.get("mentions", 0)),
            cite=cite.cite,
        ),
    }
    if position is not None:
        item["x"], item["y"] = position
    return item


def _max_importance(graph: nx.MultiDiGraph) -> float:
    cached = graph.graph.get("_max_importance")
    if cached is None:
        cached = max((d.get("importance", 0.0) for _, d in graph.nodes(data=True)), default=0.0) or 1.0
        graph.graph["_max_importance"] = cached
    return float(cached)


def _edge(
    graph: nx.MultiDiGraph,
    a: str,
    b: str,
    data: dict[str, Any],
    articles: dict[str, ArticleInfo],
    position: tuple[int, bool],
    cite: Citations,
) -> dict[str, Any]:
    index, labelled = position
    relation = data.get("relation", MENTIONED_WITH)
    style = EDGE_STYLE.get(relation, EDGE_STYLE[MENTIONED_WITH])
    sources = edge_sources(data)
    label_a, label_b = (str(graph.nodes[n].get("label") or n) for n in (a, b))
    item: dict[str, Any] = {
        "id": f"e{index}",
        "from": a,
        "to": b,
        "relation": relation,
        "sources": sources,
        "arrows": style["arrows"],
        "dashes": style["dashes"],
        "color": {"color": style["color"], "highlight": _darker(style["color"]), "opacity": 0.85},
        "width": round(1 + 2 * math.log2(sources), 2) if sources else 1,
        "title": edge_tooltip(label_a, relation, label_b, data.get("evidence", []), articles, cite.cite, cite.quote),
    }
    amounts = sorted({format_money(e.amount) for e in data.get("evidence", []) if e.amount is not None})
    statuses = edge_statuses(data.get("evidence", []))
    if relation == INVESTS_IN and statuses:
        item["status"] = statuses[0]  # the investment line says where the deal stands
    if labelled and relation == INVESTS_IN and len(amounts) == 1:
        item["label"] = f"{amounts[0]} ({statuses[0]})" if statuses else amounts[0]
    elif labelled and relation == INVESTS_IN and statuses:
        item["label"] = statuses[0]
    if relation in SYMMETRIC:
        item["arrows"] = ""
    return item


def _options(big: bool) -> dict[str, Any]:
    physics: dict[str, Any] = {"enabled": False}
    if not big:
        physics = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -70, "springLength": 110, "avoidOverlap": 0.5},
            "stabilization": {"enabled": True, "iterations": 500, "updateInterval": 50, "fit": True},
        }
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": not big},
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {
                "min": 4 if big else 8,
                "max": 28 if big else 44,
                # in big graphs only the biggest names show until one zooms in
                "label": {
                    "enabled": True,
                    "min": 8 if big else 12,
                    "max": 30 if big else 26,
                    "drawThreshold": 10 if big else 5,
                    "maxVisible": 36,
                },
            },
        },
        "edges": {
            "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.3},
            "font": {"size": 11, "align": "middle", "strokeWidth": 3, "color": "#5a2a2a"},
            "arrows": {"to": {"scaleFactor": 0.6}},
            "selectionWidth": 2,
            "hoverWidth": 1.5,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "navigationButtons": False,
        },
        "physics": physics,
    }


def _darker(colour: str) -> str:
    """The same hue at 70 % brightness, for borders and highlights."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(c * 0.7):02x}" for c in (red, green, blue))


def _stats(graph: nx.MultiDiGraph) -> str:
    """Counts (``87 entities, 131 relations from 14 articles``), the cap and the filters, escaped."""
    articles = set().union(*(d.get("articles", set()) for _, d in graph.nodes(data=True))) if graph else set()
    shown, total = graph.number_of_nodes(), graph.graph.get("total_nodes", graph.number_of_nodes())
    parts = [f"{shown:,} entities, {graph.number_of_edges():,} relations from {len(articles):,} articles"]
    if total > shown:
        parts.append(f"the {shown:,} most important of {total:,} entities (raise --max-nodes to see more)")
    if graph.graph.get("filters"):
        parts.append(str(graph.graph["filters"]))
    return html.escape(" · ".join(parts))


def _legend(graph: nx.MultiDiGraph) -> str:
    """Colour, shape and count of each entity type and relation present, with a show/hide box each."""
    kinds = {kind: 0 for kind in KINDS}
    for _, data in graph.nodes(data=True):
        kinds[data.get("kind", "organization")] = kinds.get(data.get("kind", "organization"), 0) + 1
    relations = {relation: 0 for relation in RELATIONS}
    for _, _, key in graph.edges(keys=True):
        relations[key] = relations.get(key, 0) + 1
    node_items = "".join(
        f'<label><input type="checkbox" checked data-kind="{html.escape(kind)}">{_node_swatch(kind)}'
        f'{html.escape(kind)} <span class="kg-count">{count:,}</span></label>'
        for kind, count in kinds.items()
        if count
    )
    edge_items = "".join(
        f'<label><input type="checkbox" checked data-relation="{html.escape(relation)}">{_edge_swatch(relation)}'
        f'{html.escape(relation)} <span class="kg-count">{count:,}</span></label>'
        for relation, count in relations.items()
        if count
    )
    size_note = '<span class="kg-count">size: importance (PageRank); line width: number of sources</span>'
    return (
        f'<fieldset class="kg-legend" id="kg-legend-nodes"><legend>Entities</legend>{node_items}</fieldset>'
        f'<fieldset class="kg-legend" id="kg-legend-edges"><legend>Relations</legend>{edge_items}{size_note}</fieldset>'
    )


def _node_swatch(kind: str) -> str:
    style = NODE_STYLE.get(kind, NODE_STYLE["organization"])
    fill, stroke = style["color"], _darker(style["color"])
    shapes = {
        "dot": '<circle cx="7" cy="7" r="6"/>',
        "hexagon": '<polygon points="7,1 12.2,4 12.2,10 7,13 1.8,10 1.8,4"/>',
        "triangle": '<polygon points="7,1 13,13 1,13"/>',
        "diamond": '<polygon points="7,0.5 13.5,7 7,13.5 0.5,7"/>',
    }
    shape = shapes.get(str(style["shape"]), shapes["dot"])
    return f'<svg width="14" height="14" aria-hidden="true"><g fill="{fill}" stroke="{stroke}">{shape}</g></svg>'


def _edge_swatch(relation: str) -> str:
    style = EDGE_STYLE.get(relation, EDGE_STYLE[MENTIONED_WITH])
    dash = f' stroke-dasharray="{" ".join(str(d) for d in style["dashes"])}"' if style["dashes"] else ""
    head = f'<polygon points="22,7 16,3.5 16,10.5" fill="{style["color"]}"/>' if style["arrows"] else ""
    return (
        f'<svg width="24" height="14" aria-hidden="true"><line x1="1" y1="7" x2="20" y2="7" '
        f'stroke="{style["color"]}" stroke-width="2"{dash}/>{head}</svg>'
    )
