"""RDF namespaces used by kg, as objects: never paste IRIs as strings in code."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

from kg.iri import DEFAULT_BASE_IRI, ONTOLOGY_IRI, base_iri

KG = Namespace(ONTOLOGY_IRI)
"""kg's own terms, used only where no standard vocabulary fits."""

KGID = Namespace(DEFAULT_BASE_IRI)
"""The default base of every resource kg mints (articles, graphs, entities, facts); see :func:`id_base`."""

KGSTATUS = Namespace("https://kg.example.org/ontology/status#")
"""The concepts of the deal-status scheme (``ontology/status.ttl``): announced, planned, agreed ..."""


def id_base() -> Namespace:
    """The base minted IRIs use in this process, as a namespace (see :func:`kg.iri.base_iri`)."""
    return Namespace(base_iri())


NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "kg": KG,
    "kgid": KGID,
    "kgstatus": KGSTATUS,
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
