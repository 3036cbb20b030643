"""RDF namespaces used by kg, as objects: never paste IRIs as strings in code."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

KG = Namespace("https://kg.example.org/ontology#")
"""kg's own terms, used only where no standard vocabulary fits."""

KGID = Namespace("https://kg.example.org/id/")
"""Base of every resource kg mints (articles, graphs, entities, facts)."""

NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "kg": KG,
    "kgid": KGID,
    "schema": SDO,
    "prov": PROV,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "nif": NIF,
    "itsrdf": ITSRDF,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "wd": WD,
}


def prefix_map() -> dict[str, str]:
    """Prefix -> namespace IRI, as pyoxigraph's ``prefixes=`` argument wants it."""
    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
