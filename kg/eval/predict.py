"""Turn a built store into per-document predictions for the scorer.

Each article's own graph is read on its own (``GRAPH ?g``), so labels and
surface forms are those that article gave, exactly as a user would see them.
Documents are keyed like gold files: ``docs/<id>.txt`` -> ``<id>``, and line
N of ``feed.jsonl`` -> ``feed-N``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

from kg.eval.scoring import (
    DocPrediction,
    PredictedAmount,
    PredictedInvestment,
    PredictedOrg,
    PredictedPartnership,
    PredictedPerson,
)
from kg.store import GraphStore

_ARTICLES = """
SELECT ?g ?loc ?lang WHERE { GRAPH ?g { ?g a kg:ArticleGraph ; prov:wasDerivedFrom ?a .
  ?a kg:inputLocation ?loc ; dcterms:language ?lang } }
"""
_ENTITIES = """
SELECT ?g ?e ?type ?label ?alt ?iso ?sentence ?article WHERE { GRAPH ?g {
  ?e a ?type ; skos:prefLabel ?label .
  OPTIONAL { ?article schema:mentions ?e }
  VALUES ?type { schema:Organization schema:Person schema:Country schema:Project }
  OPTIONAL { ?e skos:altLabel ?alt }
  OPTIONAL { ?e kg:iso3166Alpha2 ?iso }
  OPTIONAL { ?m itsrdf:taIdentRef ?e ; nif:sentence/nif:anchorOf ?sentence }
} }
"""
_AMOUNTS = """
SELECT ?g ?value ?currency ?text ?min ?sentence WHERE { GRAPH ?g {
  ?x a schema:MonetaryAmount ; schema:value ?value ; schema:currency ?currency ; kg:mention ?m .
  ?m nif:anchorOf ?text . OPTIONAL { ?m nif:sentence/nif:anchorOf ?sentence }
  OPTIONAL { ?x schema:minValue ?min }
} }
"""
_INVESTMENTS = """
SELECT ?g ?f ?role ?party ?value ?currency ?evidence ?hedged WHERE { GRAPH ?g {
  ?f a kg:Investment ; kg:evidence/nif:anchorOf ?evidence ; kg:hedged ?hedged .
  OPTIONAL { ?f ?role ?party . VALUES ?role { schema:agent kg:coInvestor schema:recipient schema:location } }
  OPTIONAL { ?f schema:amount ?m . ?m schema:value ?value ; schema:currency ?currency }
} }
"""
_PARTNERSHIPS = """
SELECT ?g ?f ?party ?evidence ?hedged WHERE { GRAPH ?g {
  ?f a kg:Partnership ; kg:party ?party ; kg:evidence/nif:anchorOf ?evidence ; kg:hedged ?hedged .
} }
"""


def doc_id(location: str) -> str:
    """Gold id of an input location: file stem, or ``stem-N`` for JSONL line N."""
    match = re.match(r"^(.*\.(?:jsonl|ndjson)):(\d+)$", location)
    if match:
        return f"{PurePath(match.group(1)).stem}-{match.group(2)}"
    return PurePath(location).stem


def _rows(store: GraphStore, sparql: str) -> list[dict[str, str]]:
    result = store.query(sparql, union=False)
    rows = []
    for solution in result:  # type: ignore[union-attr]
        row = {}
        for var in result.variables:  # type: ignore[union-attr]
            term = solution[var]
            if term is not None:
                row[var.value] = term.value
        rows.append(row)
    return rows


def predictions_from_store(store: GraphStore) -> dict[str, DocPrediction]:
    """One ``DocPrediction`` per article graph in ``store``."""
    docs: dict[str, DocPrediction] = {}
    graph_doc: dict[str, DocPrediction] = {}
    for row in _rows(store, _ARTICLES):
        pred = DocPrediction(doc_id(row["loc"]), row["lang"], [], {}, [], [], [], [])
        docs[pred.doc_id] = graph_doc[row["g"]] = pred
    names = _entities(store, graph_doc)
    _amounts(store, graph_doc)
    _investments(store, graph_doc, names)
    _partnerships(store, graph_doc, names)
    return docs


def _entities(store: GraphStore, docs: dict[str, DocPrediction]) -> dict[tuple[str, str], frozenset[str]]:
    """Fill entities; return (graph, entity IRI) -> every name it goes by."""
    names: dict[tuple[str, str], set[str]] = defaultdict(set)
    kinds: dict[tuple[str, str], str] = {}
    mentioned: set[tuple[str, str]] = set()
    sentences: dict[tuple[str, str], str] = {}
    for row in _rows(store, _ENTITIES):
        key = (row["g"], row["e"])
        kinds[key] = row["type"].rsplit("/", 1)[-1]
        if "article" in row:
            mentioned.add(key)
        names[key].add(row["iso"] if "iso" in row else row["label"])
        if "iso" not in row:
            names[key].update(v for k, v in row.items() if k in {"label", "alt"})
        if "sentence" in row:
            sentences.setdefault(key, row["sentence"])
    for key, kind in kinds.items():
        pred = docs.get(key[0])
        if pred is None or key not in mentioned:  # inferred by a fact only: a role filler, not a mention
            continue
        group = frozenset(names[key])
        if kind == "Country":
            pred.countries[next(iter(group))] = sentences.get(key, "")
        elif kind == "Person":
            pred.persons.append(PredictedPerson(group))
        elif kind == "Organization":
            pred.organizations.append(PredictedOrg(group))
            for name in group:
                pred.org_sentences[name] = sentences.get(key, "")
    return {key: frozenset(value) for key, value in names.items()}


def _amounts(store: GraphStore, docs: dict[str, DocPrediction]) -> None:
    for row in _rows(store, _AMOUNTS):
        pred = docs.get(row["g"])
        if pred is not None:
            minimum = Decimal(row["min"]) if "min" in row else None
            pred.amounts.append(
                PredictedAmount(Decimal(row["value"]), row["currency"], row["text"], row.get("sentence", ""), minimum)
            )


@dataclass
class _InvestmentRows:
    """The rows of one investment statement, gathered before building its prediction."""

    investor: set[str] = field(default_factory=set)
    target: set[str] = field(default_factory=set)
    country: str | None = None
    row: dict[str, str] = field(default_factory=dict)

    def prediction(self) -> PredictedInvestment:
        row = self.row
        return PredictedInvestment(
            investor=frozenset(self.investor),
            amount=Decimal(row["value"]) if "value" in row else None,
            currency=row.get("currency"),
            target=frozenset(self.target),
            country=self.country,
            evidence=row["evidence"],
            hedged=row["hedged"] == "true",
        )


def _investments(
    store: GraphStore, docs: dict[str, DocPrediction], names: dict[tuple[str, str], frozenset[str]]
) -> None:
    facts: dict[tuple[str, str], _InvestmentRows] = {}
    for row in _rows(store, _INVESTMENTS):
        fact = facts.setdefault((row["g"], row["f"]), _InvestmentRows(row=row))
        role = row.get("role", "")
        party_names = names.get((row["g"], row.get("party", "")), frozenset())
        if role.endswith(("agent", "coInvestor")):
            fact.investor.update(party_names)
        elif role.endswith("recipient"):
            fact.target.update(party_names)
        elif role.endswith("location") and party_names:
            fact.country = next(iter(party_names))
    for (graph, _), fact in facts.items():
        pred = docs.get(graph)
        if pred is not None:
            pred.investments.append(fact.prediction())


def _partnerships(
    store: GraphStore, docs: dict[str, DocPrediction], names: dict[tuple[str, str], frozenset[str]]
) -> None:
    parties: dict[tuple[str, str], list[str]] = defaultdict(list)
    info: dict[tuple[str, str], dict[str, str]] = {}
    for row in _rows(store, _PARTNERSHIPS):
        key = (row["g"], row["f"])
        parties[key].append(row["party"])
        info[key] = row
    for key, members in parties.items():
        pred = docs.get(key[0])
        if pred is None or len(members) != 2:
            continue
        a, b = (names.get((key[0], m), frozenset()) for m in members)
        pred.partnerships.append(PredictedPartnership(a, b, info[key]["evidence"], info[key]["hedged"] == "true"))
