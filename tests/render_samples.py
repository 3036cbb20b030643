"""Graphs for the render tests, made by hand so that every text field can be hostile."""

from __future__ import annotations

import networkx as nx

from kg.render.model import INVESTS_IN, ArticleInfo, Evidence, Money
from kg.render.project import add_evidence

HOSTILE = [
    '<img src=x onerror="window.__kgPwned=1">',
    "<script>window.__kgPwned=2</script>",
    '"><svg onload="window.__kgPwned=3">',
    "</script><script>window.__kgPwned=4</script>",
    '<a href="javascript:window.__kgPwned=5">href</a>',
]


def hostile_graph() -> nx.MultiDiGraph:
    """Two entities and an investment whose every text field is hostile."""
    articles = {
        "urn:a1": ArticleInfo(
            "urn:a1", "javascript:window.__kgPwned=6", HOSTILE[1], "2025-01-01", "en", "javascript:x"
        ),
        "urn:a2": ArticleInfo(
            "urn:a2", "https://news.example.org/x", HOSTILE[4], None, "en", "https://news.example.org/x"
        ),
    }
    graph = nx.MultiDiGraph(articles=articles)
    for iri, label, kind in (("urn:e1", HOSTILE[0], "organization"), ("urn:e2", HOSTILE[3], "country")):
        graph.add_node(
            iri, kind=kind, label=label, aliases={HOSTILE[2], HOSTILE[4]}, wikidata='Q1" onmouseover="x',
            iso=None, articles=set(), mentions=1,
        )  # fmt: skip
    money = Money("5000000000", "<b>EUR</b>", qualifier="<i>up_to</i>")
    add_evidence(graph, "urn:e1", "urn:e2", INVESTS_IN, Evidence("urn:a1", HOSTILE[1] + " " + HOSTILE[0], False, money))
    add_evidence(graph, "urn:e1", "urn:e2", INVESTS_IN, Evidence("urn:a2", HOSTILE[4], True, None))
    return graph
