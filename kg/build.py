"""The build driver: articles -> NLP -> extraction -> resolution -> RDF -> store.

Each stage is a call into its own package; this module only wires them and
keeps the counts a user wants to see at the end of a build.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode

from kg.errors import InputError
from kg.extract.registry import extract
from kg.ingest import iter_articles
from kg.ingest.sources import DEFAULT_MAX_BYTES
from kg.knowledge import load_knowledge
from kg.model import Article, Extraction
from kg.nlp import load_pipeline
from kg.rdf.build import article_quads
from kg.rdf.claims import rebuild_claims
from kg.rdf.iri import graph_iri
from kg.resolve.resolver import Resolver
from kg.store import GraphStore


@dataclass
class BuildReport:
    """What a build did, for the summary and the exit code."""

    articles: Counter[str] = field(default_factory=Counter)
    mentions: Counter[str] = field(default_factory=Counter)
    facts: Counter[str] = field(default_factory=Counter)
    errors: list[InputError] = field(default_factory=list)
    duplicates: int = 0
    triples: int = 0
    graphs: int = 0
    claims: int = 0
    seconds: float = 0.0


def process_article(article: Article, gazetteers: Sequence[Path] = ()) -> tuple[Extraction, list]:  # type: ignore[type-arg]
    """Run one article through every stage up to its quads."""
    nlp = load_pipeline(article.lang, gazetteers)
    doc = nlp(article.text)
    extraction = extract(doc, Extraction(article=article))
    resolution = Resolver(load_knowledge(gazetteers)).resolve(extraction)
    return extraction, article_quads(extraction, resolution)


def build(
    inputs: Iterable[str],
    out_dir: Path,
    *,
    lang: str | None = None,
    gazetteers: Sequence[Path] = (),
    strict: bool = False,
    on_error: Callable[[InputError], None] | None = None,
    store: GraphStore | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> BuildReport:
    """Build (or extend) the store in ``out_dir/store`` from ``inputs``."""
    started = time.perf_counter()
    report = BuildReport()
    store = store or GraphStore(out_dir / "store")
    seen: set[str] = set()
    for item in iter_articles(inputs, lang=lang, max_bytes=max_bytes):
        if isinstance(item, InputError):
            report.errors.append(item)
            if on_error:
                on_error(item)
            if strict:
                break
            continue
        if item.key in seen:
            report.duplicates += 1
        seen.add(item.key)
        try:
            extraction, quads = process_article(item, gazetteers)
            graph = NamedNode(graph_iri(item.key))
            store.replace_graph(graph, quads, also_drop=_superseded(store, item, graph))
        except Exception as exc:  # one article must never stop the build
            stage = "write to the store" if isinstance(exc, OSError) else "process article"
            error = InputError(item.source, f"could not {stage}: {type(exc).__name__}: {exc}", "E199")
            report.errors.append(error)
            if on_error:
                on_error(error)
            if strict:
                break
            continue
        _count(report, extraction)
    report.claims = rebuild_claims(store)
    store.flush()
    report.triples = store.count()
    report.graphs = store.graph_count()
    report.seconds = time.perf_counter() - started
    return report


def _superseded(store: GraphStore, article: Article, graph: NamedNode) -> list[NamedNode]:
    """Graphs of an earlier version of this file: its text changed, so its key did too.

    Stdin has no identity across runs, so it never supersedes anything.
    """
    if article.source == "-" or article.url:
        return []
    return [g for g in store.graphs_read_from(article.source) if g != graph]


def _count(report: BuildReport, extraction: Extraction) -> None:
    report.articles[extraction.article.lang] += 1
    for mention in extraction.mentions:
        if mention.origin != "inferred":
            report.mentions[mention.kind.name.lower()] += 1
    report.facts["amounts"] += len(extraction.amounts)
    report.facts["investments"] += len(extraction.investments)
    report.facts["partnerships"] += len(extraction.partnerships)
