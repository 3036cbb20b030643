"""Streaming serialisation of the store into the formats triplestores load."""

from __future__ import annotations

import sys
from pathlib import Path

from pyoxigraph import QueryTriples, RdfFormat

from kg.store.oxigraph import GraphStore

_MERGE_ALL = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def export_store(store: GraphStore, fmt: RdfFormat, output: Path | None) -> None:
    """Write the store to ``output`` (stdout when ``None``).

    Dataset formats (N-Quads, TriG, JSON-LD) keep one named graph per article;
    triple formats (Turtle, N-Triples) get the union of all graphs.
    """
    target = open(output, "wb") if output else sys.stdout.buffer  # noqa: SIM115
    try:
        if fmt.supports_datasets:
            store.dump(target, fmt)
        else:
            result = store.query(_MERGE_ALL)
            assert isinstance(result, QueryTriples)
            result.serialize(target, fmt)
    finally:
        if output:
            target.close()
        else:
            target.flush()
