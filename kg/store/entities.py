"""The entities graph: every entity's description once, derived from the article graphs.

Each article graph restates the type, labels, ISO code and Wikidata link of
every entity it mentions, so that every triple has its article.  Over the
union of a million-triple store a label lookup then matches once per article
that names the entity, and queries had to deduplicate at query time.  The
entities graph (``BASE/graph/entities``) holds the union of those
descriptions, each triple once: every triple of an article graph whose
subject is typed there as an organization, country, person or project.  It
names itself (``<graph/entities> a kg:EntityGraph`` inside it), so a query
finds it under any base IRI::

    GRAPH ?entities { ?entities a kg:EntityGraph . ?org skos:prefLabel ?label }

Like the claims graph it is derived data, kept in step by every build: the
entities of new article graphs are added; the entities an old article version
described are recomputed from all article graphs after it is replaced or
dropped (a label only that version gave goes away).  A full rebuild gives the
same graph.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import NamedNode

from kg.rdf.namespaces import KG, id_base, prefix_map
from kg.store.oxigraph import GraphStore

# The classes of kg's entities (kg.rdf.build.CLASS_BY_KIND), as SPARQL terms.
ENTITY_CLASSES = ("schema:Organization", "schema:Country", "schema:Person", "schema:Project")
_CLASSES = " ".join(ENTITY_CLASSES)
# More IRIs than this in one VALUES block are sent in several updates (each small enough to parse quickly).
_CHUNK = 2_000


def entities_graph() -> NamedNode:
    """The graph holding the entities, under the base IRI in use."""
    return NamedNode(f"{id_base()}graph/entities")


def _derived() -> str:
    """The FILTER keeping derived graphs (entities, claims) out of what the entities are read from."""
    return f"FILTER(?g != {entities_graph()} && ?g != <{id_base()}graph/claims>)"


def _marker() -> str:
    graph = entities_graph()
    return f"INSERT DATA {{ GRAPH {graph} {{ {graph} a <{KG.EntityGraph}> }} }}"


def _values(var: str, terms: Iterable[NamedNode]) -> str:
    return f"VALUES ?{var} {{ {' '.join(str(t) for t in terms)} }}"


def _chunks(terms: Iterable[NamedNode]) -> list[list[NamedNode]]:
    ordered = sorted(set(terms), key=lambda t: t.value)
    return [ordered[i : i + _CHUNK] for i in range(0, len(ordered), _CHUNK)]


def has_entities_graph(store: GraphStore) -> bool:
    """True when the store has an entities graph (stores built before it existed have none)."""
    return bool(store.raw.contains_named_graph(entities_graph()))


def rebuild_entities(store: GraphStore) -> int:
    """Recompute the entities graph from all article graphs, in one transaction; return its entity count."""
    graph = entities_graph()
    store.raw.update(
        f"DROP SILENT GRAPH {graph} ;\n{_marker()} ;\n"
        f"INSERT {{ GRAPH {graph} {{ ?e ?p ?o }} }} WHERE {{ VALUES ?c {{ {_CLASSES} }} "
        f"GRAPH ?g {{ ?e a ?c . ?e ?p ?o }} {_derived()} }}",
        prefixes=prefix_map(),
    )
    return entity_count(store)


def entities_of(store: GraphStore, graphs: Iterable[NamedNode]) -> set[NamedNode]:
    """The entities the article graphs ``graphs`` describe (read before they are dropped or replaced)."""
    found: set[NamedNode] = set()
    for chunk in _chunks(graphs):
        result = store.raw.query(
            f"SELECT DISTINCT ?e WHERE {{ {_values('g', chunk)} VALUES ?c {{ {_CLASSES} }} GRAPH ?g {{ ?e a ?c }} }}",
            prefixes=prefix_map(),
        )
        found.update(row["e"] for row in result if isinstance(row["e"], NamedNode))  # type: ignore[union-attr]
    return found


def update_entities(store: GraphStore, written: Iterable[NamedNode], gone: Iterable[NamedNode]) -> None:
    """Keep the entities graph in step: add what the ``written`` graphs describe, recompute ``gone`` entities.

    ``gone`` are the entities that article graphs described before they were replaced or dropped: their
    description is read again from every article graph (an entity no graph describes any more disappears).
    """
    graph = entities_graph()
    updates = [_marker()]
    for chunk in _chunks(gone):
        updates.append(
            f"DELETE {{ GRAPH {graph} {{ ?e ?p ?o }} }} WHERE {{ {_values('e', chunk)} GRAPH {graph} {{ ?e ?p ?o }} }}"
        )
        updates.append(
            f"INSERT {{ GRAPH {graph} {{ ?e ?p ?o }} }} WHERE {{ {_values('e', chunk)} VALUES ?c {{ {_CLASSES} }} "
            f"GRAPH ?g {{ ?e a ?c . ?e ?p ?o }} {_derived()} }}"
        )
    for chunk in _chunks(written):
        updates.append(
            f"INSERT {{ GRAPH {graph} {{ ?e ?p ?o }} }} WHERE {{ {_values('g', chunk)} VALUES ?c {{ {_CLASSES} }} "
            "GRAPH ?g { ?e a ?c . ?e ?p ?o } }"
        )
    store.raw.update(" ;\n".join(updates), prefixes=prefix_map())


def entity_count(store: GraphStore) -> int:
    result = store.raw.query(
        f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH {entities_graph()} {{ ?e a ?c }} }}",
    )
    row = next(iter(result))  # type: ignore[arg-type]
    return int(row["n"].value)  # type: ignore[index]
