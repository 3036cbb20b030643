"""A large kg store for benchmarks: the real sample build, copied many times with fresh IRIs.

``python bench/synth_graph.py SAMPLE_OUT TARGET_OUT --triples 1000000``

Every copy of every article graph gets its own article, graph, mention and
fact IRIs and its own ``dcterms:source``; organizations, persons and projects
are spread over 40 variants each (so entities recur across articles, as in a
news corpus), countries stay shared.  The vocabulary and graph layout are
exactly kg's, and the derived graphs are not copied but derived afterwards by kg's
own ``rebuild_entities`` and ``rebuild_claims``, so copies that share their parties corroborate each
other as the same story in several articles would.  Every saved query runs
unchanged on the result.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, Store
from rdflib.namespace import DCTERMS

from kg.rdf.namespaces import KGID
from kg.store.claims import CLAIMS_GRAPH, rebuild_claims
from kg.store.entities import entities_graph, rebuild_entities
from kg.store.oxigraph import GraphStore

ENTITY_KINDS = ("org/", "person/", "project/")
SHARED_KINDS = ("country/",)
ENTITY_VARIANTS = 40
_SOURCE = NamedNode(str(DCTERMS.source))


def _rename(term: NamedNode, copy: int) -> NamedNode:
    value = term.value
    if not value.startswith(str(KGID)) or term in (CLAIMS_GRAPH, entities_graph()):
        return term
    local = value[len(str(KGID)) :]
    if local.startswith(SHARED_KINDS):
        return term
    base, hash_mark, fragment = value.partition("#")
    suffix = f"-v{copy % ENTITY_VARIANTS}" if local.startswith(ENTITY_KINDS) else f"-c{copy}"
    return NamedNode(f"{base}{suffix}{hash_mark}{fragment}")


def copies(sample: Store, count: int) -> Iterator[Quad]:
    """``count`` renamed copies of every article quad of the sample store (claims are derived later)."""
    quads = [q for q in sample if q.graph_name not in (CLAIMS_GRAPH, entities_graph())]
    for copy in range(count):
        for quad in quads:
            obj = quad.object
            if isinstance(obj, NamedNode):
                obj = _rename(obj, copy)
            elif quad.predicate == _SOURCE and isinstance(obj, Literal):
                obj = Literal(f"synthetic/{copy}/{obj.value}")
            subject = _rename(quad.subject, copy) if isinstance(quad.subject, NamedNode) else quad.subject
            graph = _rename(quad.graph_name, copy) if isinstance(quad.graph_name, NamedNode) else quad.graph_name
            yield Quad(subject, quad.predicate, obj, graph)


def synthesise(sample_out: Path, target_out: Path, triples: int) -> int:
    """Write at least ``triples`` quads into ``target_out/store``; returns the number written."""
    sample = Store.read_only(str(sample_out / "store"))
    per_copy = sum(1 for q in sample if q.graph_name not in (CLAIMS_GRAPH, entities_graph()))
    count = -(-triples // per_copy)
    path = target_out / "store"
    path.mkdir(parents=True, exist_ok=True)
    target = Store(str(path))
    if len(target):
        raise SystemExit(f"{path} already holds {len(target):,} quads: give an empty folder")
    target.bulk_extend(copies(sample, count))
    target.flush()
    del target  # one process may hold the store open only once
    store = GraphStore(path)
    rebuild_entities(store)
    claims = rebuild_claims(store)
    store.flush()
    store.raw.optimize()
    print(f"{count} copies of {per_copy:,} article quads; {claims:,} claims derived")
    return store.count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sample_out", type=Path, help="output folder of `kg build examples/articles`")
    parser.add_argument("target_out", type=Path)
    parser.add_argument("--triples", type=int, default=1_000_000)
    args = parser.parse_args()
    started = time.perf_counter()
    written = synthesise(args.sample_out, args.target_out, args.triples)
    print(f"{written:,} quads in {args.target_out / 'store'} ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
