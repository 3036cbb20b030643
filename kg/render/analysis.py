"""Importance of entities, computed by networkx on the projected graph.

Importance is PageRank over the undirected graph, each pair of entities
weighted by the number of distinct sources linking them (co-mentions count
half: they say less than a stated investment or partnership).  It decides
node sizes and which nodes survive ``--max-nodes``.
"""

from __future__ import annotations

import networkx as nx

from kg.render.model import MENTIONED_WITH

CO_MENTION_WEIGHT = 0.5


def edge_sources(data: dict[str, object]) -> int:
    """Distinct articles supporting one edge (counted once by :func:`kg.render.filters.filter_graph`)."""
    counted = data.get("sources")
    if isinstance(counted, int):
        return counted
    evidence = data.get("evidence") or []
    return len({item.article for item in evidence})  # type: ignore[attr-defined, union-attr]


def weighted_pairs(graph: nx.MultiDiGraph) -> nx.Graph:
    """Undirected simple graph of the same nodes, weights summed over relations."""
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    for a, b, data in graph.edges(data=True):
        weight = edge_sources(data) * (CO_MENTION_WEIGHT if data.get("relation") == MENTIONED_WITH else 1.0)
        if simple.has_edge(a, b):
            simple[a][b]["weight"] += weight
        else:
            simple.add_edge(a, b, weight=weight)
    return simple


def rank(graph: nx.MultiDiGraph) -> None:
    """Set ``importance`` (PageRank, sums to 1), ``degree`` (distinct neighbours) and ``rank`` (1 = most important)."""
    if graph.number_of_nodes() == 0:
        return
    simple = weighted_pairs(graph)
    scores = nx.pagerank(simple, weight="weight") if simple.number_of_edges() else {}
    uniform = 1.0 / graph.number_of_nodes()
    for node in graph.nodes:
        graph.nodes[node]["importance"] = float(scores.get(node, uniform))
        graph.nodes[node]["degree"] = simple.degree(node)
    for position, node in enumerate(by_importance(graph), start=1):
        graph.nodes[node]["rank"] = position


def by_importance(graph: nx.MultiDiGraph) -> list[str]:
    """Nodes from most to least important; ties go to the more mentioned, then by name."""

    def key(node: str) -> tuple[float, int, int, str]:
        data = graph.nodes[node]
        return (-data.get("importance", 0.0), -len(data.get("articles", ())), -data.get("mentions", 0), str(node))

    return sorted(graph.nodes, key=key)
