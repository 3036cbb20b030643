"""The store as a networkx graph: a few SPARQL queries, folded into nodes and edges.

Nodes are entities (organizations, countries, persons, projects); edges are
relations between them with every statement that supports them:

* ``invests in``: investor and co-investors -> recipient (or the destination
  country when the article names no recipient), with the amount;
* ``located in``: an investment's recipient -> its destination country;
* ``partner of``: the parties of a partnership (no direction);
* ``mentioned with``: two entities named in the same sentence (no direction).

All article graphs are read (union); the filters in :mod:`kg.render.filters`
then narrow the graph down by article, type, sources and neighbourhood.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

import networkx as nx
from pyoxigraph import QuerySolutions
from rdflib.namespace import SDO

from kg.rdf.namespaces import KGSTATUS, WD
from kg.render.model import INVESTS_IN, LOCATED_IN, MENTIONED_WITH, PARTNER_OF, SYMMETRIC, ArticleInfo, Evidence, Money
from kg.store import GraphStore

_KIND_BY_CLASS = {
    str(SDO.Organization): "organization",
    str(SDO.Country): "country",
    str(SDO.Person): "person",
    str(SDO.Project): "project",
}

_ARTICLES = """
SELECT ?article ?source ?title ?date ?lang WHERE {
  ?article a schema:NewsArticle ; dcterms:source ?source .
  OPTIONAL { ?article dcterms:title ?title }
  OPTIONAL { ?article dcterms:date ?date }
  OPTIONAL { ?article dcterms:language ?lang }
}"""

# Each article graph restates the type and label of the entities it mentions: looked up in
# DISTINCT subqueries, each is found once, not once per pair of articles (3.8 s -> 0.04 s on 1 M triples).
_ENTITIES = """
SELECT ?entity ?type ?label WHERE {
  { SELECT DISTINCT ?entity ?type WHERE {
      VALUES ?type { schema:Organization schema:Country schema:Person schema:Project } ?entity a ?type } }
  OPTIONAL { SELECT DISTINCT ?entity ?label WHERE { ?entity skos:prefLabel ?label } }
}"""

# One query per optional property: joined in one query, each article graph restating an
# entity multiplies the rows (aliases x graphs x ...).
_ENTITY_DETAILS = {
    "aliases": "SELECT DISTINCT ?entity ?value WHERE { ?entity skos:altLabel ?value }",
    "wikidata": "SELECT DISTINCT ?entity ?value WHERE { ?entity owl:sameAs ?value }",
    "iso": "SELECT DISTINCT ?entity ?value WHERE { ?entity kg:iso3166Alpha2 ?value }",
}

_MENTIONS = """
SELECT ?entity ?article (COUNT(DISTINCT ?m) AS ?n) WHERE {
  ?m a nif:Phrase ; itsrdf:taIdentRef ?entity ; nif:referenceContext ?article .
} GROUP BY ?entity ?article"""

_INVESTMENTS = """
SELECT ?fact ?article ?sentence ?hedged ?confidence ?status ?event ?agent ?recipient ?location ?value ?currency ?min
       ?qualifier WHERE {
  ?fact a kg:Investment ; prov:wasDerivedFrom ?article .
  OPTIONAL { ?fact kg:evidence/nif:anchorOf ?sentence }
  OPTIONAL { ?fact kg:hedged ?hedged }
  OPTIONAL { ?fact kg:status ?status }
  OPTIONAL { ?fact kg:eventDate ?event }
  OPTIONAL { ?fact kg:confidence ?confidence }
  OPTIONAL { ?fact schema:agent ?agent }
  OPTIONAL { ?fact schema:recipient ?recipient }
  OPTIONAL { ?fact schema:location ?location }
  OPTIONAL { ?fact schema:amount ?m . ?m schema:value ?value .
             OPTIONAL { ?m schema:currency ?currency }
             OPTIONAL { ?m schema:minValue ?min }
             OPTIONAL { ?m kg:qualifier ?qualifier } }
}"""

_CO_INVESTORS = "SELECT ?fact ?co WHERE { ?fact a kg:Investment ; kg:coInvestor ?co }"

_PARTNERSHIPS = """
SELECT ?fact ?article ?sentence ?hedged ?confidence ?status ?event ?party WHERE {
  ?fact a kg:Partnership ; prov:wasDerivedFrom ?article ; kg:party ?party .
  OPTIONAL { ?fact kg:evidence/nif:anchorOf ?sentence }
  OPTIONAL { ?fact kg:hedged ?hedged }
  OPTIONAL { ?fact kg:status ?status }
  OPTIONAL { ?fact kg:eventDate ?event }
  OPTIONAL { ?fact kg:confidence ?confidence }
}"""

# Co-mentions are paired in Python from one list of (sentence, entity): a self-join of the
# mentions in SPARQL costs three times as long on a large store.
_SENTENCE_ENTITIES = """
SELECT ?sentence ?entity ?article WHERE {
  ?m a nif:Phrase ; itsrdf:taIdentRef ?entity ; nif:sentence ?sentence ; nif:referenceContext ?article .
}"""

_SENTENCE_TEXTS = "SELECT ?sentence ?text WHERE { ?sentence a nif:Sentence ; nif:anchorOf ?text }"

Row = dict[str, str | None]


def project_store(store: GraphStore, *, base_dir: Path | None = None) -> nx.MultiDiGraph:
    """The whole store as a graph of entities and evidence-carrying relations.

    ``base_dir`` is where relative source paths are looked up to link articles
    to their files (default: the current folder, where ``kg build`` was run).
    """
    graph = nx.MultiDiGraph(articles=_articles(store, base_dir or Path.cwd()))
    _add_entities(graph, store)
    _add_mentions(graph, store)
    _add_investments(graph, store)
    _add_partnerships(graph, store)
    _add_co_mentions(graph, store)
    return graph


def _rows(store: GraphStore, sparql: str) -> Iterator[Row]:
    result = store.query(sparql)
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    for solution in result:
        yield {name: (None if solution[name] is None else solution[name].value) for name in names}


def _articles(store: GraphStore, base_dir: Path) -> dict[str, ArticleInfo]:
    articles: dict[str, ArticleInfo] = {}
    for row in _rows(store, _ARTICLES):
        iri, source = str(row["article"]), str(row["source"])
        if iri not in articles:
            date = row["date"]
            articles[iri] = ArticleInfo(
                iri=iri,
                source=source,
                title=row["title"],
                date=date[:10] if date and len(date) >= 10 else date,
                lang=row["lang"],
                link=source_link(source, base_dir),
            )
    return articles


def source_link(source: str, base_dir: Path) -> str | None:
    """The URL of an article: its own http(s) URL, or its file when that file is still there."""
    if source.startswith(("http://", "https://")):
        return source
    try:
        path = Path(source) if Path(source).is_absolute() else base_dir / source
        return path.resolve().as_uri() if path.is_file() else None
    except (OSError, ValueError):
        return None


def _add_entities(graph: nx.MultiDiGraph, store: GraphStore) -> None:
    for row in _rows(store, _ENTITIES):
        iri, kind = str(row["entity"]), _KIND_BY_CLASS.get(str(row["type"]))
        if kind is None or iri in graph:
            continue
        label = row["label"] or iri.rstrip("/").rsplit("/", 1)[-1]
        graph.add_node(iri, kind=kind, label=label, aliases=set(), wikidata=None, iso=None, articles=set(), mentions=0)
    for attribute, sparql in _ENTITY_DETAILS.items():
        for row in _rows(store, sparql):
            iri, value = str(row["entity"]), str(row["value"])
            if iri not in graph:
                continue
            if attribute == "aliases":
                graph.nodes[iri]["aliases"].add(value)
            elif attribute == "iso":
                graph.nodes[iri]["iso"] = value
            elif value.startswith(str(WD)):
                graph.nodes[iri]["wikidata"] = value[len(str(WD)) :]


def _add_mentions(graph: nx.MultiDiGraph, store: GraphStore) -> None:
    for row in _rows(store, _MENTIONS):
        iri = str(row["entity"])
        if iri in graph:
            graph.nodes[iri]["articles"].add(str(row["article"]))
            graph.nodes[iri]["mentions"] += int(row["n"] or 0)


def _status_name(value: str | None) -> str | None:
    """``kgstatus:completed`` -> ``completed``."""
    if value is None:
        return None
    return value[len(str(KGSTATUS)) :] if value.startswith(str(KGSTATUS)) else value


def add_evidence(graph: nx.MultiDiGraph, a: str, b: str, relation: str, evidence: Evidence) -> None:
    """Record one statement of ``a relation b`` (both must be nodes); symmetric relations are stored once."""
    if a == b or a not in graph or b not in graph:
        return
    if relation in SYMMETRIC and b < a:
        a, b = b, a
    for end in (a, b):
        graph.nodes[end]["articles"].add(evidence.article)
    if graph.has_edge(a, b, key=relation):
        graph.edges[a, b, relation]["evidence"].append(evidence)
    else:
        graph.add_edge(a, b, key=relation, relation=relation, evidence=[evidence])


def _add_investments(graph: nx.MultiDiGraph, store: GraphStore) -> None:
    co_investors: dict[str, list[str]] = defaultdict(list)
    for row in _rows(store, _CO_INVESTORS):
        co_investors[str(row["fact"])].append(str(row["co"]))
    for row in _rows(store, _INVESTMENTS):
        article, sentence, hedged = str(row["article"]), row["sentence"] or "", row["hedged"] == "true"
        money = None
        if row["value"] is not None:
            money = Money(row["value"], row["currency"], row["min"], row["qualifier"])
        recipient, location = row["recipient"], row["location"]
        target = recipient or location
        status = _status_name(row["status"])
        investors = [i for i in (row["agent"], *co_investors.get(str(row["fact"]), [])) if i]
        for investor in investors:
            if target:
                evidence = Evidence(article, sentence, hedged, money, row["confidence"], status, row["event"])
                add_evidence(graph, investor, target, INVESTS_IN, evidence)
        if recipient and location:
            placed = Evidence(article, sentence, hedged, None, None, status, row["event"])
            add_evidence(graph, recipient, location, LOCATED_IN, placed)


def _add_partnerships(graph: nx.MultiDiGraph, store: GraphStore) -> None:
    facts: dict[str, tuple[Evidence, set[str]]] = {}
    for row in _rows(store, _PARTNERSHIPS):
        fact = str(row["fact"])
        if fact not in facts:
            said = Evidence(
                str(row["article"]),
                row["sentence"] or "",
                row["hedged"] == "true",
                None,
                row["confidence"],
                _status_name(row["status"]),
                row["event"],
            )
            facts[fact] = (said, set())
        facts[fact][1].add(str(row["party"]))
    for evidence, parties in facts.values():
        for a, b in combinations(sorted(parties), 2):
            add_evidence(graph, a, b, PARTNER_OF, evidence)


def _add_co_mentions(graph: nx.MultiDiGraph, store: GraphStore) -> None:
    """Every two entities named in one sentence, once per article and sentence text."""
    named: dict[str, tuple[str, set[str]]] = {}
    for row in _rows(store, _SENTENCE_ENTITIES):
        named.setdefault(str(row["sentence"]), (str(row["article"]), set()))[1].add(str(row["entity"]))
    seen: set[tuple[str, str, str, str]] = set()
    for row in _rows(store, _SENTENCE_TEXTS):
        article, entities = named.get(str(row["sentence"]), ("", set()))
        text = row["text"] or ""
        for a, b in combinations(sorted(entities), 2):
            if (article, text, a, b) not in seen:
                seen.add((article, text, a, b))
                add_evidence(graph, a, b, MENTIONED_WITH, Evidence(article, text))
