"""Check a store against kg's SHACL shapes (``ontology/shapes.ttl``).

The store is exported with Oxigraph as N-Quads, loaded into an rdflib
``Dataset``, and the union of all article graphs plus the ontology
(``ontology/kg.ttl`` for class and property declarations, ``ontology/status.ttl``
for the deal-status concepts) is validated with
pyshacl.
"""

from __future__ import annotations

import io

from pyoxigraph import RdfFormat
from rdflib import Dataset, Graph

from kg.paths import ontology_dir
from kg.store import GraphStore


def shapes_graph() -> Graph:
    """kg's SHACL shapes."""
    return Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


ONTOLOGY_FILES = ("kg.ttl", "status.ttl")  # status.ttl: the SKOS scheme of deal statuses (kg:DealStatus)


def ontology_graph() -> Graph:
    """kg's ontology (classes, properties and the deal-status concept scheme), added to the data graph."""
    graph = Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(ontology_dir() / name, format="turtle")
    return graph


def store_union(store: GraphStore) -> Graph:
    """The union of every graph in ``store`` as one rdflib graph."""
    buffer = io.BytesIO()
    store.dump(buffer, RdfFormat.N_QUADS)
    dataset = Dataset()
    dataset.parse(data=buffer.getvalue().decode("utf-8"), format="nquads")
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def validate_graph(data: Graph, shapes: Graph | None = None) -> tuple[bool, str]:
    """Validate ``data`` plus the ontology against ``shapes`` (default: kg's): (conforms, report text)."""
    from pyshacl import validate

    graph = Graph()
    for triple in data:
        graph.add(triple)
    for triple in ontology_graph():
        graph.add(triple)
    conforms, _, text = validate(
        graph, shacl_graph=shapes if shapes is not None else shapes_graph(), inference="none", abort_on_first=False
    )
    return bool(conforms), str(text)


def validate_store(store: GraphStore) -> tuple[bool, str]:
    """Validate everything in ``store`` against kg's shapes: (conforms, report text)."""
    return validate_graph(store_union(store))
