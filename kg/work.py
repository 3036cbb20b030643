"""The per-article work of a build, runnable in any process.

A build's parent process only reads raw inputs and writes the store; this
module turns raw inputs into serialised article graphs.  It runs in the
parent for a one-process build, in ``multiprocessing`` workers for
``--workers N`` and on Dask workers for ``--cluster``, and returns the same
``Outcome`` everywhere, so the three builds write identical graphs.

Graphs travel as N-Quads bytes: serialising them costs a fraction of a
millisecond per article, while pickling pyoxigraph quads costs about twenty
times more.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pyoxigraph import Quad, RdfFormat, serialize

from kg.errors import InputError
from kg.extract.registry import extract
from kg.ingest.sources import DEFAULT_MAX_BYTES, RawInput, RawOrError, parse_raw
from kg.knowledge import load_knowledge
from kg.model import Article, Extraction
from kg.nlp import load_pipeline
from kg.rdf.build import article_quads
from kg.rdf.iri import graph_iri
from kg.resolve.resolver import Resolver


@dataclass(frozen=True)
class WorkOptions:
    """Everything a worker needs besides the input: identical for every article of a build."""

    lang: str | None = None
    gazetteers: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    extracted_at: datetime | None = None  # one timestamp for the whole build makes graphs reproducible


@dataclass
class Outcome:
    """One input's result: its article graph as N-Quads, or the error that stopped it."""

    source: str
    size: int
    error: InputError | None = None
    key: str = ""
    graph: str = ""
    url: str | None = None
    nquads: bytes = b""
    quads: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)


class _Clock:
    """Adds the wall time of consecutive stages to a counter."""

    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self.last
        self.last = now


def run_stages(
    article: Article,
    gazetteers: Sequence[str | Path] = (),
    *,
    extracted_at: datetime | None = None,
    seconds: dict[str, float] | None = None,
) -> tuple[Extraction, list[Quad]]:
    """NLP, extraction, resolution and RDF for one article, timing each stage into ``seconds``."""
    clock = _Clock(seconds if seconds is not None else {})
    nlp = load_pipeline(article.lang, gazetteers)
    clock.lap("load")  # loading a language's pipeline, once per process
    doc = nlp(article.text)
    clock.lap("nlp")
    extraction = extract(doc, Extraction(article=article, gazetteers=tuple(str(g) for g in gazetteers)))
    clock.lap("extract")
    resolution = Resolver(load_knowledge(extraction.gazetteers)).resolve(extraction)
    clock.lap("resolve")
    quads = article_quads(extraction, resolution, extracted_at=extracted_at)
    clock.lap("rdf")
    return extraction, quads


def process_raw(raw: RawInput, options: WorkOptions) -> Outcome:
    """Parse and process one raw input; a failure becomes the outcome's error, never an exception."""
    outcome = Outcome(raw.source, len(raw.data))
    clock = _Clock(outcome.seconds)
    article = parse_raw(raw, lang=options.lang, max_bytes=options.max_bytes)
    clock.lap("ingest")
    if isinstance(article, InputError):
        outcome.error = article
        return outcome
    outcome.source, outcome.key, outcome.url = article.source, article.key, article.url
    try:
        extraction, quads = run_stages(
            article, options.gazetteers, extracted_at=options.extracted_at, seconds=outcome.seconds
        )
        clock.last = time.perf_counter()
        outcome.nquads = serialize(quads, format=RdfFormat.N_QUADS) or b""
        clock.lap("rdf")
    except Exception as exc:  # one article must never stop the build
        message = f"could not process article: {type(exc).__name__}: {exc}"
        outcome.error = InputError(article.source, message, "E199")
        return outcome
    outcome.graph, outcome.quads = graph_iri(article.key), len(quads)
    outcome.counts = article_counts(extraction)
    return outcome


def process_batch(items: Sequence[RawOrError], options: WorkOptions) -> list[Outcome]:
    """Process a batch in order; read errors from the parent pass through untouched."""
    return [
        Outcome(item.source, 0, error=item) if isinstance(item, InputError) else process_raw(item, options)
        for item in items
    ]


def article_counts(extraction: Extraction) -> Counter[str]:
    """What the build summary adds up: languages, words, mentions by kind, facts by kind."""
    counts: Counter[str] = Counter()
    counts["lang:" + extraction.article.lang] += 1
    counts["words"] += len(extraction.article.text.split())
    for mention in extraction.mentions:
        if mention.origin != "inferred":  # role fillers derived by facts are not mentions
            counts["mention:" + mention.kind.name.lower()] += 1
    counts["fact:amounts"] += len(extraction.amounts)
    counts["fact:investments"] += len(extraction.investments)
    counts["fact:partnerships"] += len(extraction.partnerships)
    return counts


def batches(
    items: Iterable[RawOrError], *, max_items: int = 16, max_bytes: int = 4_000_000
) -> Iterator[list[RawOrError]]:
    """Group raw inputs into small batches (bounded in count and bytes) to amortise inter-process calls."""
    batch: list[RawOrError] = []
    size = 0
    for item in items:
        batch.append(item)
        size += len(item.data) if isinstance(item, RawInput) else 0
        if len(batch) >= max_items or size >= max_bytes:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch
