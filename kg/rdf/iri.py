"""Minting IRIs that are valid whatever the input.

Names, URLs and file paths can contain anything (quotes, spaces, ``<>``,
control characters, emoji, 10,000 characters).  IRIs are therefore built
from a readable, strictly ASCII slug plus a hash of the full input, so two
different names never share an IRI and no input can break the syntax.
"""

from __future__ import annotations

import hashlib
import re

from kg.rdf.namespaces import id_base
from kg.text import normalise_name

__all__ = ["article_iri", "digest", "entity_iri", "graph_iri", "keyed_iri", "normalise_name", "slug"]

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
    return f"{id_base()}{kind}/{readable}-{digest(key, 8)}"


def keyed_iri(kind: str, key: str) -> str:
    """IRI of a resource whose key is already a safe identifier (ISO code, gazetteer id)."""
    safe = slug(key)
    if safe != key.lower() or not safe:
        return entity_iri(kind, key)
    return f"{id_base()}{kind}/{safe}"


def article_iri(article_key: str) -> str:
    """IRI of an article; ``article_key`` is the hex hash from ``Article.key``."""
    return f"{id_base()}article/{slug(article_key) or digest(article_key)}"


def graph_iri(article_key: str) -> str:
    """IRI of the named graph holding one article's statements."""
    return f"{id_base()}graph/{slug(article_key) or digest(article_key)}"
