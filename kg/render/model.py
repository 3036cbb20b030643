"""The plain records a projected graph carries: articles, amounts, evidence.

A projected graph is a ``networkx.MultiDiGraph``.  Nodes are entity IRIs with
the attributes named in :data:`NODE_ATTRIBUTES`; edges are keyed by relation
and hold the :class:`Evidence` that supports them.  ``graph.graph["articles"]``
maps article IRIs to :class:`ArticleInfo`.  Anything that can fill these
attributes (the store projection, a benchmark, a test) can be rendered.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("organization", "country", "person", "project")
"""Entity types drawn as nodes, in legend order."""

INVESTS_IN = "invests in"
PARTNER_OF = "partner of"
LOCATED_IN = "located in"
MENTIONED_WITH = "mentioned with"
RELATIONS = (INVESTS_IN, PARTNER_OF, LOCATED_IN, MENTIONED_WITH)
"""Edge relations, in legend order."""

SYMMETRIC = frozenset({PARTNER_OF, MENTIONED_WITH})
"""Relations without a direction: their edges are stored once, from the smaller IRI."""

NODE_ATTRIBUTES = ("kind", "label", "aliases", "wikidata", "iso", "articles", "mentions")


@dataclass(frozen=True)
class ArticleInfo:
    """What a tooltip says about a source article, and what the filters test."""

    iri: str
    source: str
    title: str | None = None
    date: str | None = None
    lang: str | None = None
    link: str | None = None


@dataclass(frozen=True)
class Money:
    """An amount as stored: decimal text, ISO 4217 currency, optional range minimum and qualifier."""

    value: str
    currency: str | None = None
    minimum: str | None = None
    qualifier: str | None = None


@dataclass(frozen=True)
class Evidence:
    """One statement of a relation: the article, the sentence, and for investments the amount."""

    article: str
    sentence: str
    hedged: bool = False
    amount: Money | None = None
    confidence: str | None = None  # the fact model's calibrated probability, as stored (kg:confidence)
    status: str | None = None  # where the deal stands (announced, planned, agreed, completed, cancelled, rumoured)
    event_date: str | None = None  # the date the sentence gives the fact (2025-10-14, 2025-10 or 2025), if any
