"""Minting IRIs that are valid whatever the input, and the base they are minted under.

Below the stages: the resolver names entities by these IRIs and the RDF stage
writes them, so neither imports the other for it (see ``kg.rdf.namespaces`` for
the same bases as rdflib namespaces).

Names, URLs and file paths can contain anything (quotes, spaces, ``<>``,
control characters, emoji, 10,000 characters).  IRIs are therefore built
from a readable, strictly ASCII slug plus a hash of the full input, so two
different names never share an IRI and no input can break the syntax.
"""

from __future__ import annotations

import hashlib
import os
import re
from urllib.parse import urlsplit

from kg.text import normalise_name

__all__ = [
    "BASE_IRI_ENV",
    "DEFAULT_BASE_IRI",
    "ONTOLOGY_IRI",
    "article_iri",
    "base_iri",
    "check_base_iri",
    "digest",
    "entity_iri",
    "graph_iri",
    "keyed_iri",
    "slug",
]

ONTOLOGY_IRI = "https://kg.example.org/ontology#"
"""kg's own terms (``kg:``); ``kg.rdf.namespaces.KG`` is this namespace."""

DEFAULT_BASE_IRI = "https://kg.example.org/id/"
"""The default base of every resource kg mints (articles, graphs, entities, facts); see :func:`base_iri`."""

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
    if iri.startswith(ONTOLOGY_IRI.rstrip("#")):
        raise ValueError(f"base IRI {iri!r} would mint IRIs inside kg's ontology namespace")
    return iri


def base_iri() -> str:
    """The base minted IRIs use in this process: ``KG_BASE_IRI`` (set by ``kg build --base-iri``), else the default.

    Users who load several builds into one shared triplestore give each its
    own base; the ontology namespace (``kg:``) stays the same for all.
    """
    chosen = os.environ.get(BASE_IRI_ENV)
    return check_base_iri(chosen) if chosen else DEFAULT_BASE_IRI


_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_MAX_SLUG = 60


def slug(name: str) -> str:
    """A short ASCII slug (may be empty for names without Latin letters)."""
    return _NOT_SLUG.sub("-", normalise_name(name)).strip("-")[:_MAX_SLUG].strip("-")


def digest(text: str, size: int = 10) -> str:
    """Hex digest used to keep IRIs unique when slugs collide or are empty."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:size]


def entity_iri(kind: str, name: str) -> str:
    """IRI of an entity of ``kind`` (org, person ...) keyed by its normalised name."""
    key = normalise_name(name)
    readable = slug(name) or "x"
    return f"{base_iri()}{kind}/{readable}-{digest(key, 8)}"


def keyed_iri(kind: str, key: str) -> str:
    """IRI of a resource whose key is already a safe identifier (ISO code, gazetteer id)."""
    safe = slug(key)
    if safe != key.lower() or not safe:
        return entity_iri(kind, key)
    return f"{base_iri()}{kind}/{safe}"


def article_iri(article_key: str) -> str:
    """IRI of an article; ``article_key`` is the hex hash from ``Article.key``."""
    return f"{base_iri()}article/{slug(article_key) or digest(article_key)}"


def graph_iri(article_key: str) -> str:
    """IRI of the named graph holding one article's statements."""
    return f"{base_iri()}graph/{slug(article_key) or digest(article_key)}"
