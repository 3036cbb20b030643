"""The per-article work of a build, runnable in any process.

This module turns raw inputs into serialised article graphs: decoding
(:func:`parse_batch`), then every later stage (:func:`process_parsed`).  A
one-process build runs both here, ``--workers N`` decodes in the parent and
runs the rest in ``multiprocessing`` workers (each language's articles in the
worker that has its pipeline loaded), ``--cluster`` runs both on Dask workers;
all return the same ``Outcome``, so the three builds write identical graphs.

Graphs travel as N-Quads bytes: serialising them costs a fraction of a
millisecond per article, while pickling pyoxigraph quads costs about twenty
times more.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pyoxigraph import Quad, RdfFormat, serialize
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import InputError, InputWarning
from kg.extract.registry import extract
from kg.ingest.langid import supported_language
from kg.ingest.sources import DEFAULT_MAX_BYTES, RawInput, RawOrError, parse_raw
from kg.iri import graph_iri
from kg.knowledge import load_knowledge
from kg.model import Article, Extraction, Investment, Partnership, Span
from kg.nlp import load_pipeline
from kg.rdf.build import article_quads
from kg.resolve.cldr import add_cldr_countries
from kg.resolve.resolver import Resolver

# Articles longer than this go through NLP and extraction in pieces cut at paragraph, line or sentence
# ends, so time and memory grow linearly with length (spaCy's parser and kg's extractors are superlinear
# on one huge Doc, and spaCy refuses more than 1,000,000 characters). Offsets are shifted back into the
# whole text; names and facts that span two pieces are not joined.
PIECE_CHARS = 50_000
_SENTENCE_END = re.compile(r"[.!?\u2026\u3002\uff01\uff1f][\"'\u201d\u2019)\]]*\s+")


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
    warnings: list[InputWarning] = field(default_factory=list)


class _Clock:
    """Adds the wall time of consecutive stages to a counter."""

    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self.last
        self.last = now


def article_pipeline(article: Article, gazetteers: Sequence[str | Path] = ()) -> Language:
    """The pipeline of the article's language, loaded when the language is first met in this process."""
    # CLDR's country names for a language countries.csv lacks, before the pipeline builds its ruler
    add_cldr_countries(load_knowledge(gazetteers), article.lang)
    return load_pipeline(article.lang, gazetteers)


def run_stages(
    article: Article,
    gazetteers: Sequence[str | Path] = (),
    *,
    extracted_at: datetime | None = None,
    seconds: dict[str, float] | None = None,
    doc: Doc | None = None,
) -> tuple[Extraction, list[Quad]]:
    """NLP, extraction, resolution and RDF for one article, timing each stage into ``seconds``.

    ``doc``: the article's text already run through its pipeline (``nlp.pipe`` over a batch, see
    :func:`process_batch`); only for an article of one piece.
    """
    clock = _Clock(seconds if seconds is not None else {})
    nlp = article_pipeline(article, gazetteers)
    clock.lap("load")  # loading a language's pipeline, once per process
    names = tuple(str(g) for g in gazetteers)
    bounds = piece_bounds(article.text)
    if len(bounds) == 1:
        if doc is None:
            doc = nlp(article.text)
        clock.lap("nlp")
        extraction = extract(doc, Extraction(article=article, gazetteers=names))
        clock.lap("extract")
    else:
        extraction = Extraction(article=article, gazetteers=names)
        for start, end in bounds:
            piece = dataclasses.replace(article, text=article.text[start:end])
            doc = nlp(piece.text)
            clock.lap("nlp")
            _merge_shifted(extraction, extract(doc, Extraction(article=piece, gazetteers=names)), start)
            clock.lap("extract")
    resolution = Resolver(load_knowledge(extraction.gazetteers)).resolve(extraction)
    clock.lap("resolve")
    quads = article_quads(extraction, resolution, extracted_at=extracted_at)
    clock.lap("rdf")
    return extraction, quads


def piece_bounds(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """``[start, end)`` pieces of ``text``, each at most ``limit`` characters, cut where a paragraph,
    a line, a sentence or at least a word ends (in that order of preference), together the whole text."""
    limit = limit or PIECE_CHARS
    bounds = []
    start = 0
    while len(text) - start > limit:
        low, high = start + limit // 2, start + limit
        cut = text.rfind("\n\n", low, high)
        cut = cut + 2 if cut >= 0 else text.rfind("\n", low, high) + 1
        if cut <= 0:
            ends = [m.end() for m in _SENTENCE_END.finditer(text, low, high)]
            cut = ends[-1] if ends else 0
        if cut <= 0:
            space = max(text.rfind(" ", low, high), text.rfind("\t", low, high))
            cut = space + 1 if space >= 0 else high
        bounds.append((start, cut))
        start = cut
    bounds.append((start, len(text)))
    return bounds


def _merge_shifted(whole: Extraction, part: Extraction, offset: int) -> None:
    """Add a piece's extraction to the whole article's, every offset moved by ``offset``."""
    memo: dict[int, object] = {}

    def span(value: Span) -> Span:
        return Span(value.start + offset, value.end + offset)

    def located(value: Any) -> Any:
        if value is None:
            return None
        if id(value) not in memo:
            memo[id(value)] = dataclasses.replace(value, span=span(value.span), sentence=span(value.sentence))
        return memo[id(value)]

    def investment(fact: Investment) -> Investment:
        return dataclasses.replace(
            fact,
            evidence=span(fact.evidence),
            investor=located(fact.investor),
            co_investors=tuple(located(m) for m in fact.co_investors),
            amount=located(fact.amount),
            target=located(fact.target),
            country=located(fact.country),
        )

    def partnership(fact: Partnership) -> Partnership:
        return dataclasses.replace(fact, evidence=span(fact.evidence), a=located(fact.a), b=located(fact.b))

    whole.sentences += [span(s) for s in part.sentences]
    whole.mentions += [located(m) for m in part.mentions]
    whole.amounts += [located(a) for a in part.amounts]
    whole.investments += [investment(f) for f in part.investments]
    whole.partnerships += [partnership(f) for f in part.partnerships]


def process_raw(raw: RawInput, options: WorkOptions) -> Outcome:
    """Parse and process one raw input; a failure becomes the outcome's error, never an exception."""
    outcome, article = parse_outcome(raw, options)
    if article is None:
        return outcome
    return process_article(outcome, article, options)


def parse_outcome(raw: RawInput, options: WorkOptions) -> tuple[Outcome, Article | None]:
    """Decode one raw input into an article (None, and the outcome's error, when it cannot be)."""
    outcome = Outcome(raw.source, len(raw.data))
    clock = _Clock(outcome.seconds)
    article = parse_raw(raw, lang=options.lang, max_bytes=options.max_bytes, warnings=outcome.warnings)
    clock.lap("ingest")
    if isinstance(article, InputError):
        outcome.error = article
        return outcome, None
    outcome.source, outcome.key, outcome.url = article.source, article.key, article.url
    return outcome, article


def process_article(outcome: Outcome, article: Article, options: WorkOptions, doc: Doc | None = None) -> Outcome:
    """Every stage after decoding, for one article (``doc``: its text already through its pipeline)."""
    clock = _Clock(outcome.seconds)
    if not supported_language(article.lang):
        message = (
            f"language {article.lang!r} has no kg lexicon: stored as {article.lang}; only gazetteer names, "
            "CLDR's country and currency names and its number format are recognised (no name rules, no facts)"
        )
        outcome.warnings.append(InputWarning(article.source, message, "W111"))
    try:
        extraction, quads = run_stages(
            article, options.gazetteers, extracted_at=options.extracted_at, seconds=outcome.seconds, doc=doc
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
    """Process a batch in order; read errors from the parent pass through untouched.

    The articles are decoded first; then each language's pipeline runs over all of that language's
    articles of the batch at once (``nlp.pipe``: the statistical models work on several texts per
    call), and extraction, resolution and RDF follow article by article, in input order.
    """
    parsed = parse_batch(items, options)
    done = iter(process_parsed([(o, a) for o, a in parsed if a is not None], options))
    return [outcome if article is None else next(done) for outcome, article in parsed]


def parse_batch(items: Sequence[RawOrError], options: WorkOptions) -> list[tuple[Outcome, Article | None]]:
    """Decode a batch: each item's outcome so far and its article (None for a read or decode error)."""
    parsed: list[tuple[Outcome, Article | None]] = []
    for item in items:
        if isinstance(item, InputError):
            parsed.append((Outcome(item.source, 0, error=item), None))
        else:
            parsed.append(parse_outcome(item, options))
    return parsed


def process_parsed(parsed: Sequence[tuple[Outcome, Article]], options: WorkOptions) -> list[Outcome]:
    """Every stage after decoding for decoded articles, in order, each language through ``nlp.pipe`` at once."""
    docs = _piped_docs(list(parsed), options)
    return [process_article(outcome, article, options, docs.get(id(outcome))) for outcome, article in parsed]


def _piped_docs(articles: list[tuple[Outcome, Article]], options: WorkOptions) -> dict[int, Doc]:
    """The Docs of the batch's one-piece articles, by ``id`` of their outcome, each language through ``nlp.pipe``.

    The time the pipeline takes is shared among the language's articles by their length (their ``load``
    and ``nlp`` stages). A language whose pipeline fails on any article of the batch gets no Docs here:
    its articles then go through the pipeline one by one, so the failure is that one article's error.
    """
    by_lang: dict[str, list[tuple[Outcome, Article]]] = {}
    for outcome, article in articles:
        if len(article.text) <= PIECE_CHARS and article.text.strip():
            by_lang.setdefault(article.lang, []).append((outcome, article))
    docs: dict[int, Doc] = {}
    for group in by_lang.values():
        if len(group) < 2:
            continue  # nothing to batch
        started = time.perf_counter()
        try:
            nlp = article_pipeline(group[0][1], options.gazetteers)
            loaded = time.perf_counter()
            piped = list(nlp.pipe([article.text for _, article in group]))
        except Exception:  # one article's failure is reported by its own run below
            continue
        done = time.perf_counter()
        total = sum(len(article.text) for _, article in group) or 1
        for (outcome, article), doc in zip(group, piped, strict=True):
            share = len(article.text) / total
            outcome.seconds["load"] = outcome.seconds.get("load", 0.0) + share * (loaded - started)
            outcome.seconds["nlp"] = outcome.seconds.get("nlp", 0.0) + share * (done - loaded)
            docs[id(outcome)] = doc
    return docs


def article_counts(extraction: Extraction) -> Counter[str]:
    """What the build summary adds up: languages, words, mentions by kind, facts by kind."""
    counts: Counter[str] = Counter()
    counts["lang:" + extraction.article.lang] += 1
    if not supported_language(extraction.article.lang):
        counts["unsupported:" + extraction.article.lang] += 1
    counts["words"] += len(extraction.article.text.split())
    for mention in extraction.mentions:
        if mention.origin != "inferred":  # role fillers derived by facts are not mentions
            counts["mention:" + mention.kind.name.lower()] += 1
    counts["fact:amounts"] += len(extraction.amounts)
    counts["fact:investments"] += len(extraction.investments)
    counts["fact:partnerships"] += len(extraction.partnerships)
    counts.update(deal_counts(extraction))
    return counts


def deal_counts(extraction: Extraction) -> Counter[str]:
    """Issue 15's counts: facts dated by their text, facts of undated articles, amounts converted or not."""
    from kg.extract.dates import article_date
    from kg.rdf.currency import amount_conversions

    counts: Counter[str] = Counter()
    facts = len(extraction.investments) + len(extraction.partnerships)
    counts["deal:dated"] += sum(f.event_date is not None for f in extraction.investments)
    counts["deal:dated"] += sum(f.event_date is not None for f in extraction.partnerships)
    if article_date(extraction.article.date) is None:
        counts["deal:undated_article"] += facts
    for conversion in amount_conversions(extraction).values():
        counts["deal:converted" if conversion is not None else "deal:unconverted"] += 1
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
