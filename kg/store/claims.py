"""Corroboration: the same fact reported by several articles becomes one claim.

Each article keeps its own statement in its own graph; the claims graph only
links them.  It is derived data, rebuilt from the article graphs after every
build, so it never disagrees with them.  Two investment statements are the
same claim when investor, target and destination agree (amounts may differ:
that is exactly the disagreement users want to see); when a statement names
neither target nor destination, the amount is part of its identity, so
unrelated investments of one investor stay apart.  Partnerships are the same
claim when they join the same pair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad, QuerySolutions
from rdflib.namespace import RDF, SDO, XSD

from kg.iri import digest
from kg.rdf.namespaces import KG, KGID, id_base, prefix_map
from kg.store.claim_timeline import Report, statement_reports, timeline_quads
from kg.store.entities import entities_graph, entities_of
from kg.store.oxigraph import GraphStore

CLAIMS_GRAPH = NamedNode(f"{KGID}graph/claims")  # under the default base; claims_graph() is the one in use


def claims_graph() -> NamedNode:
    """The graph holding the claims, under the base IRI in use."""
    return NamedNode(f"{id_base()}graph/claims")


_INVESTMENTS = """
SELECT ?f ?article ?agent ?recipient ?location ?value ?currency ?confidence WHERE { GRAPH ?g {
  ?f a kg:Investment ; prov:wasDerivedFrom ?article .
  OPTIONAL { ?f kg:confidence ?confidence }
  OPTIONAL { ?f schema:agent ?agent } OPTIONAL { ?f schema:recipient ?recipient }
  OPTIONAL { ?f schema:location ?location }
  OPTIONAL { ?f schema:amount ?m . ?m schema:value ?value ; schema:currency ?currency }
} FILTER(?g != ?claims) }
"""
_PARTNERSHIPS = """
SELECT ?f ?article ?party ?confidence WHERE { GRAPH ?g {
  ?f a kg:Partnership ; prov:wasDerivedFrom ?article ; kg:party ?party .
  OPTIONAL { ?f kg:confidence ?confidence }
} FILTER(?g != ?claims) }
"""


@dataclass
class Claim:
    """One fact as reported by one or more articles."""

    kind: NamedNode
    roles: dict[str, NamedNode]
    statements: set[NamedNode] = field(default_factory=set)
    articles: set[NamedNode] = field(default_factory=set)
    confidence: Decimal | None = None  # the strongest confidence among its statements
    columns: dict[str, Literal] = field(default_factory=dict)  # what the saved queries show (see _describe)

    def support(self, value: object) -> None:
        """Keep the strongest confidence of the statements seen so far."""
        if isinstance(value, Literal):
            number = Decimal(value.value)
            self.confidence = number if self.confidence is None else max(self.confidence, number)


def _solutions(store: GraphStore, sparql: str, within: str = "") -> list[dict[str, object]]:
    """Rows of ``sparql``; ``within`` (a ``VALUES`` block on ``?f`` or ``?g``) restricts it to some statements."""
    sparql = sparql.replace("?claims", str(claims_graph()))
    if within:
        sparql = sparql.replace("WHERE {", "WHERE { " + within, 1)
    result = store.raw.query(sparql, prefixes=prefix_map(), use_default_graph_as_union=False)
    return [{v.value: s[v] for v in result.variables} for s in result]  # type: ignore[union-attr]


def _investment_claims(store: GraphStore, within: str = "") -> dict[str, Claim]:
    claims: dict[str, Claim] = {}
    for row in _solutions(store, _INVESTMENTS, within):
        roles = {k: row[k] for k in ("agent", "recipient", "location") if row.get(k) is not None}
        key = "|".join(f"{k}={roles[k].value}" for k in sorted(roles))  # type: ignore[attr-defined]
        if "recipient" not in roles and "location" not in roles:
            key += f"|amount={getattr(row.get('value'), 'value', '')}{getattr(row.get('currency'), 'value', '')}"
        claim = claims.setdefault("investment:" + key, Claim(NamedNode(str(KG.Investment)), roles))  # type: ignore[arg-type]
        claim.statements.add(row["f"])  # type: ignore[arg-type]
        claim.articles.add(row["article"])  # type: ignore[arg-type]
        claim.support(row.get("confidence"))
    return claims


def _partnership_claims(store: GraphStore, within: str = "") -> dict[str, Claim]:
    parties: dict[NamedNode, set[NamedNode]] = defaultdict(set)
    articles: dict[NamedNode, NamedNode] = {}
    confidence: dict[NamedNode, object] = {}
    for row in _solutions(store, _PARTNERSHIPS, within):
        parties[row["f"]].add(row["party"])  # type: ignore[index,arg-type]
        articles[row["f"]] = row["article"]  # type: ignore[index,assignment]
        confidence[row["f"]] = row.get("confidence")  # type: ignore[index]
    claims: dict[str, Claim] = {}
    for fact, pair in parties.items():
        ordered = sorted(pair, key=lambda n: n.value)
        key = "partnership:" + "|".join(n.value for n in ordered)
        roles = {f"party{i}": n for i, n in enumerate(ordered)}
        claim = claims.setdefault(key, Claim(NamedNode(str(KG.Partnership)), roles))
        claim.statements.add(fact)
        claim.articles.add(articles[fact])
        claim.support(confidence.get(fact))
    return claims


_ROLE_PREDICATES = {
    "agent": NamedNode(str(SDO.agent)),
    "recipient": NamedNode(str(SDO.recipient)),
    "location": NamedNode(str(SDO.location)),
    "party0": NamedNode(str(KG.party)),
    "party1": NamedNode(str(KG.party)),
}


def claim_quads(claims: dict[str, Claim], reports: dict[NamedNode, Report] | None = None) -> list[Quad]:
    """The claims graph: one kg:Claim per fact, linked to every statement of it (and, given the statements'
    ``reports``, its dates, latest status and status conflicts: :mod:`kg.store.claim_timeline`)."""
    g = claims_graph()
    quads = []
    for key, claim in sorted(claims.items()):
        subject = NamedNode(f"{id_base()}claim/{digest(key, 16)}")
        quads.append(Quad(subject, NamedNode(str(RDF.type)), NamedNode(str(KG.Claim)), g))
        quads.append(Quad(subject, NamedNode(str(KG.claimOf)), claim.kind, g))
        for role, party in sorted(claim.roles.items()):
            quads.append(Quad(subject, _ROLE_PREDICATES[role], party, g))
        for statement in sorted(claim.statements, key=lambda n: n.value):
            quads.append(Quad(subject, NamedNode(str(KG.reportedAs)), statement, g))
        count = Literal(str(len(claim.articles)), datatype=NamedNode(str(XSD.integer)))
        quads.append(Quad(subject, NamedNode(str(KG.sourceCount)), count, g))
        if claim.confidence is not None:
            strongest = Literal(format(claim.confidence, "f"), datatype=NamedNode(str(XSD.decimal)))
            quads.append(Quad(subject, NamedNode(str(KG.confidence)), strongest, g))
        for predicate, value in sorted(claim.columns.items()):
            quads.append(Quad(subject, NamedNode(predicate), value, g))
        if reports is not None:
            quads += timeline_quads(subject, [reports[s] for s in claim.statements if s in reports], g)
    return quads


# What the saved queries ``claims`` and ``deals`` show of a claim, computed here once rather than at query time
# from every article graph (on a million triples the names alone took seconds): its parties' names (an ISO
# code, else the smallest skos:prefLabel, as the entities graph gives them), its destination's ISO code, its
# distinct sources and amounts. A claim is recomputed whenever its statements or its parties' descriptions
# change (update_claims), so these stay what a full rebuild gives.
_XSD_INTEGER = NamedNode(str(XSD.integer))
_XSD_BOOLEAN = NamedNode(str(XSD.boolean))
_COLUMN = {
    "a": str(KG.firstPartyName),
    "b": str(KG.secondPartyName),
    "country": str(KG.countryCode),
    "sources": str(KG.distinctSources),
    "source_list": str(KG.sourceList),
    "amounts": str(KG.amountList),
    "disagreement": str(KG.amountsDisagree),
}
_CHUNK = 2_000


def _union_rows(store: GraphStore, sparql: str, var: str, terms: Collection[NamedNode] | None) -> list[dict[str, Any]]:
    """Rows of ``sparql`` over the union of graphs, as the saved queries read them; only ``terms`` of ``?var``."""
    if terms is None:
        chunks = [""]
    else:
        ordered = sorted({str(t) for t in terms})
        chunks = [f"VALUES ?{var} {{ {' '.join(ordered[i : i + _CHUNK])} }}" for i in range(0, len(ordered), _CHUNK)]
    rows: list[dict[str, Any]] = []
    for within in chunks:
        result = store.raw.query(
            sparql.replace("WHERE {", "WHERE { " + within, 1), prefixes=prefix_map(), use_default_graph_as_union=True
        )
        assert isinstance(result, QuerySolutions)
        rows += [{v.value: s[v] for v in result.variables} for s in result]
    return rows


def _entity_names(
    store: GraphStore, entities: Collection[NamedNode] | None
) -> tuple[dict[str, str], dict[str, Literal]]:
    """Each entity's name as the saved queries show a party (its ISO code, else its smallest label) and its
    smallest ISO code, from the entities graph."""
    isos: dict[str, list[Literal]] = defaultdict(list)
    labels: dict[str, list[str]] = defaultdict(list)
    graph = entities_graph()
    for row in _union_rows(
        store, f"SELECT ?e ?iso WHERE {{ GRAPH {graph} {{ ?e kg:iso3166Alpha2 ?iso }} }}", "e", entities
    ):
        isos[row["e"].value].append(row["iso"])
    for row in _union_rows(store, f"SELECT ?e ?l WHERE {{ GRAPH {graph} {{ ?e skos:prefLabel ?l }} }}", "e", entities):
        labels[row["e"].value].append(row["l"].value)
    names = {e: min(i.value for i in found) for e, found in isos.items()}
    names.update({e: min(found) for e, found in labels.items() if e not in names})
    codes = {e: min(found, key=lambda i: i.value) for e, found in isos.items()}
    return names, codes


def _first_and_second(claim: Claim) -> tuple[list[NamedNode], list[NamedNode]]:
    """The parties named in the columns a and b: investor and target, or the lower and higher of two partners."""
    if claim.kind.value == str(KG.Investment):
        return [claim.roles["agent"]] if "agent" in claim.roles else [], (
            [claim.roles["recipient"]] if "recipient" in claim.roles else []
        )
    parties = [p for role, p in claim.roles.items() if role.startswith("party")]
    first = [p for p in parties if any(p.value < q.value for q in parties)]
    second = [p for p in parties if any(p.value > q.value for q in parties)]
    return first, second


def _describe(store: GraphStore, claims: dict[str, Claim], facts: Collection[NamedNode] | None = None) -> None:
    """Fill every claim's ``columns``; ``facts`` (an incremental update) are all the claims' statements."""
    articles = {a for c in claims.values() for a in c.articles} if facts is not None else None
    sources: dict[NamedNode, set[str]] = defaultdict(set)
    for row in _union_rows(
        store, "SELECT ?article ?source WHERE { ?article dcterms:source ?source }", "article", articles
    ):
        sources[row["article"]].add(row["source"].value)
    amounts: dict[NamedNode, set[str]] = defaultdict(set)
    sparql = "SELECT ?f ?v ?c WHERE { ?f schema:amount ?m . ?m schema:value ?v ; schema:currency ?c }"
    for row in _union_rows(store, sparql, "f", facts):
        amounts[row["f"]].add(f"{row['c'].value} {row['v'].value}")
    parties = {p for c in claims.values() for p in c.roles.values()} if facts is not None else None
    names, codes = _entity_names(store, parties)
    for claim in claims.values():
        columns: dict[str, Literal] = {}
        first, second = _first_and_second(claim)
        for column, side in (("a", first), ("b", second)):
            found = [names[p.value] for p in side if p.value in names]
            if found:
                columns[column] = Literal(min(found))
        if "location" in claim.roles and claim.roles["location"].value in codes:
            columns["country"] = codes[claim.roles["location"].value]
        reported = sorted({s for a in claim.articles for s in sources.get(a, ())})
        if reported:
            columns["sources"] = Literal(str(len(reported)), datatype=_XSD_INTEGER)
            columns["source_list"] = Literal(" | ".join(reported))
        stated = sorted({t for f in claim.statements for t in amounts.get(f, ())})
        if stated:
            columns["amounts"] = Literal(" | ".join(stated))
        columns["disagreement"] = Literal("true" if len(stated) > 1 else "false", datatype=_XSD_BOOLEAN)
        claim.columns = {_COLUMN[k]: v for k, v in columns.items()}


def rebuild_claims(store: GraphStore) -> int:
    """Recompute the claims graph from all article graphs; return the number of claims."""
    claims = {**_investment_claims(store), **_partnership_claims(store)}
    _describe(store, claims)
    store.replace_graph(claims_graph(), claim_quads(claims, statement_reports(store)))
    return len(claims)


# Incremental updates. A claim is a function of its statements alone, and all statements of a claim share
# its key, hence its *anchor*: the investor of an investment (else its target, else its destination; an
# investment with none of them is anchored on "none"), the first party of a partnership. So when a build
# writes, replaces or drops article graphs, the claims that can change are exactly those whose anchor a
# statement of those graphs (old version or new) has; they are recomputed from every statement with that
# anchor, and the rest of the claims graph stays as it is. The result is the graph a full rebuild gives
# (tests/test_claims_incremental.py).
Anchor = tuple[str, str]
_ANCHOR_PREDICATES = {"agent": "schema:agent", "recipient": "schema:recipient", "location": "schema:location"}


def _anchor(claim: Claim) -> Anchor:
    if claim.kind.value == str(KG.Partnership):
        return ("party", claim.roles["party0"].value)
    for role in ("agent", "recipient", "location"):
        if role in claim.roles:
            return (role, claim.roles[role].value)
    return ("none", "")


def _values(var: str, terms: Iterable[NamedNode]) -> str:
    return f"VALUES ?{var} {{ {' '.join(sorted(str(t) for t in terms))} }}"


def claim_anchors(store: GraphStore, graphs: Collection[NamedNode]) -> set[Anchor]:
    """The anchors of the statements in ``graphs`` (read before a graph is replaced or dropped, and after)."""
    if not graphs:
        return set()
    within = _values("g", graphs)
    claims = {**_investment_claims(store, within), **_partnership_claims(store, within)}
    return {_anchor(c) for c in claims.values()}


def _statements_anchored(store: GraphStore, anchors: set[Anchor]) -> list[NamedNode]:
    """Every statement (in any article graph) that has one of ``anchors`` in its role."""
    pairs = [(_ANCHOR_PREDICATES.get(role, "kg:party"), value) for role, value in anchors if role != "none"]
    found: set[NamedNode] = set()
    queries = []
    if pairs:
        rows = " ".join(f"({p} <{v}>)" for p, v in sorted(pairs))
        queries.append(
            f"SELECT DISTINCT ?f WHERE {{ VALUES (?p ?x) {{ {rows} }} GRAPH ?g {{ ?f ?p ?x }} FILTER(?g != ?claims) }}"
        )
    if ("none", "") in anchors:
        queries.append(
            "SELECT DISTINCT ?f WHERE { GRAPH ?g { ?f a kg:Investment "
            "FILTER NOT EXISTS { ?f schema:agent|schema:recipient|schema:location ?r } } }"
        )
    for sparql in queries:
        for row in _solutions(store, sparql):
            if isinstance(row["f"], NamedNode):
                found.add(row["f"])
    return sorted(found, key=lambda n: n.value)


def _claims_in_graph(store: GraphStore) -> dict[NamedNode, tuple[Anchor, set[NamedNode]]]:
    """The anchor and the parties (every role) of every claim now in the claims graph."""
    rows = store.raw.query(
        f"SELECT ?c ?kind ?p ?x WHERE {{ GRAPH {claims_graph()} {{ ?c kg:claimOf ?kind "
        "OPTIONAL { VALUES ?p { schema:agent schema:recipient schema:location kg:party } ?c ?p ?x } } }",
        prefixes=prefix_map(),
    )
    kinds: dict[NamedNode, NamedNode] = {}
    roles: dict[NamedNode, dict[str, list[NamedNode]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:  # type: ignore[union-attr]
        kinds[row["c"]] = row["kind"]  # type: ignore[index,assignment]
        if row["p"] is not None:
            roles[row["c"]][row["p"].value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]].append(row["x"])  # type: ignore[index,union-attr]
    claims: dict[NamedNode, tuple[Anchor, set[NamedNode]]] = {}
    for claim, kind in kinds.items():
        found = roles[claim]
        parties = {p for role in found.values() for p in role}
        if kind.value == str(KG.Partnership):
            anchor = ("party", min(n.value for n in found["party"])) if found["party"] else ("none", "")
        else:
            role = next((r for r in ("agent", "recipient", "location") if found[r]), None)
            anchor = (role, found[role][0].value) if role else ("none", "")
        claims[claim] = (anchor, parties)
    return claims


def update_claims(
    store: GraphStore,
    written: Collection[NamedNode],
    anchors: set[Anchor],
    entities: Collection[NamedNode] = (),
) -> int:
    """Bring the claims graph up to date after a build wrote ``written`` graphs; return the number of claims.

    ``anchors`` are those of the statements that replaced or dropped graphs held before (see
    :func:`claim_anchors`), ``entities`` the entities those graphs described (see
    :func:`kg.store.entities.entities_of`); the anchors and entities of the written graphs are read here.
    Claims with none of these anchors and none of these entities as a party are left as they are (a
    party's name is part of a claim: the entities graph, already updated, gives it); the others are
    recomputed, all in one transaction that also clears the stale marker.
    """
    described = set(entities) | entities_of(store, written)
    in_graph = _claims_in_graph(store)
    touched = anchors | claim_anchors(store, written)
    touched |= {anchor for anchor, parties in in_graph.values() if parties & described}
    facts = _statements_anchored(store, touched)
    within = _values("f", facts) if facts else ""
    fresh: dict[str, Claim] = {}
    if facts:
        computed = {**_investment_claims(store, within), **_partnership_claims(store, within)}
        fresh = {key: claim for key, claim in computed.items() if _anchor(claim) in touched}
        _describe(store, fresh, facts)
    reports = statement_reports(store, facts) if facts else {}
    graph = claims_graph()
    old = [claim for claim, (anchor, _) in in_graph.items() if anchor in touched]
    updates = [f"DELETE DATA {{ GRAPH {graph} {{ {_stale().subject} {_stale().predicate} {_stale().object} }} }}"]
    if old:
        updates.append(
            f"DELETE {{ GRAPH {graph} {{ ?c ?p ?o }} }} WHERE {{ {_values('c', old)} GRAPH {graph} {{ ?c ?p ?o }} }}"
        )
    quads = claim_quads(fresh, reports)
    if quads:
        body = " .\n".join(f"{q.subject} {q.predicate} {q.object}" for q in quads)
        updates.append(f"INSERT DATA {{ GRAPH {graph} {{\n{body} .\n}} }}")
    store.raw.update(" ;\n".join(updates))
    return claim_count(store)


def claims_outdated(store: GraphStore) -> bool:
    """True when the claims graph lacks what the saved queries read (built by a kg before they read it).

    One claim tells: every build rebuilds such a graph in full (kg.build.driver.start_build), so its claims
    are all of one kind.
    """
    graph = claims_graph()
    return bool(
        store.raw.query(
            f"ASK {{ {{ SELECT ?c WHERE {{ GRAPH {graph} {{ ?c a kg:Claim }} }} LIMIT 1 }} "
            f"FILTER NOT EXISTS {{ GRAPH {graph} {{ ?c kg:amountsDisagree ?d }} }} }}",
            prefixes=prefix_map(),
        )
    )


def claim_count(store: GraphStore) -> int:
    """The number of claims in the claims graph."""
    rows = store.raw.query(f"SELECT (COUNT(?c) AS ?n) WHERE {{ GRAPH {claims_graph()} {{ ?c a <{KG.Claim}> }} }}")
    return int(next(iter(rows))["n"].value)  # type: ignore[arg-type,index]


# While a build runs, the claims graph says it is out of date; rebuilding the claims replaces the whole
# graph, marker included, in one transaction. A build killed before that leaves the marker for
# ``kg query`` to report (and the next build rebuilds the claims anyway).
_TRUE = Literal("true", datatype=NamedNode(str(XSD.boolean)))


def _stale() -> Quad:
    graph = claims_graph()
    return Quad(graph, NamedNode(str(KG.stale)), _TRUE, graph)


def mark_claims_stale(store: GraphStore) -> None:
    """Record that article graphs are changing and the claims graph no longer matches them."""
    store.raw.add(_stale())


def claims_stale(store: GraphStore) -> bool:
    """True when a build changed article graphs and stopped before rebuilding the claims (under any base)."""
    found = store.raw.quads_for_pattern(None, NamedNode(str(KG.stale)), _TRUE, None)
    return next(iter(found), None) is not None
