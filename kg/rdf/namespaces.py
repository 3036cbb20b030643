"""RDF namespaces used by kg, as objects: never paste IRIs as strings in code."""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

KG = Namespace("https://kg.example.org/ontology#")
"""kg's own terms, used only where no standard vocabulary fits."""

KGID = Namespace("https://kg.example.org/id/")
"""The default base of every resource kg mints (articles, graphs, entities, facts); see :func:`id_base`."""

KGSTATUS = Namespace("https://kg.example.org/ontology/status#")
"""The concepts of the deal-status scheme (``ontology/status.ttl``): announced, planned, agreed ..."""

BASE_IRI_ENV = "KG_BASE_IRI"
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|\\^`]')


def check_base_iri(iri: str) -> str:
    """``iri`` if it can prefix minted IRIs (absolute http(s), a host, ending in ``/`` or ``#``), else ValueError."""
    parts = urlsplit(iri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"base IRI {iri!r} is not an absolute http(s) IRI with a host")
    if _IRI_FORBIDDEN.search(iri) or parts.query:
        raise ValueError(f"base IRI {iri!r} contains characters or a query an IRI prefix cannot have")
    if not iri.endswith(("/", "#")):
        raise ValueError(f"base IRI {iri!r} must end with '/' or '#'")
    if iri.startswith(str(KG).rstrip("#")):
        raise ValueError(f"base IRI {iri!r} would mint IRIs inside kg's ontology namespace")
    return iri


def id_base() -> Namespace:
    """The base minted IRIs use in this process: ``KG_BASE_IRI`` (set by ``kg build --base-iri``), else KGID.

    Users who load several builds into one shared triplestore give each its
    own base; the ontology namespace (``kg:``) stays the same for all.
    """
    chosen = os.environ.get(BASE_IRI_ENV)
    return Namespace(check_base_iri(chosen)) if chosen else KGID


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
