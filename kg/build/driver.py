"""The build driver: articles -> NLP -> extraction -> resolution -> RDF -> store.

Each stage is a call into its own package; this module only wires them and
keeps the counts a user wants to see at the end of a build.  The per-article
work (``kg.build.work``) runs in this process, or in ``workers`` processes that
receive each batch's decoded articles of one language and send back serialised article graphs;
only this process writes the store (``kg.build.writer``), in input order, so the
result does not depend on the number of workers.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from pyoxigraph import Quad

from kg.build.parallel import Routed
from kg.build.work import Outcome, WorkOptions, batches, parse_batch, process_batch, process_parsed, run_stages
from kg.build.writer import Changes, GraphWriter, recover_interrupted_load
from kg.errors import InputError, InputWarning, StoreWriteError
from kg.ingest.sources import DEFAULT_MAX_BYTES, RawOrError, iter_raw
from kg.knowledge import validate_gazetteers
from kg.model import Article, Extraction
from kg.store import GraphStore
from kg.store.claims import claims_outdated, claims_stale, mark_claims_stale, rebuild_claims, update_claims
from kg.store.entities import has_entities_graph, rebuild_entities, update_entities

ProgressCallback = Callable[[int, int], None]  # (articles done, input bytes done)


class ArticleSink(Protocol):
    """Where a build puts each article's graph: the store writer, or the cluster's shard loader."""

    def write(self, outcome: Outcome) -> None: ...


@dataclass
class BuildReport:
    """What a build did, for the summary, the exit code and the benchmarks."""

    articles: Counter[str] = field(default_factory=Counter)
    mentions: Counter[str] = field(default_factory=Counter)
    facts: Counter[str] = field(default_factory=Counter)
    deals: Counter[str] = field(default_factory=Counter)  # dated, undated_article, converted, unconverted
    errors: list[InputError] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)
    unsupported: Counter[str] = field(default_factory=Counter)  # articles per language kg has no lexicon for
    duplicates: int = 0
    triples: int = 0
    graphs: int = 0
    claims: int = 0
    seconds: float = 0.0
    words: int = 0
    quads_written: int = 0
    workers: int = 1
    stage_seconds: dict[str, float] = field(default_factory=dict)  # summed over workers; store, claims: this process


def process_article(article: Article, gazetteers: Sequence[Path] = ()) -> tuple[Extraction, list[Quad]]:
    """Run one article through every stage up to its quads."""
    return run_stages(article, gazetteers)


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
    workers: int = 1,
    on_progress: ProgressCallback | None = None,
    extracted_at: datetime | None = None,
    rebuild_derived: bool = False,
) -> BuildReport:
    """Build (or extend) the store in ``out_dir/store`` from ``inputs`` with ``workers`` processes.

    The claims and entities graphs are updated for the articles written (``rebuild_derived``: rebuilt
    from all article graphs, as after an interrupted build or in a store that has no entities graph yet).

    Raises ``GazetteerError`` (E130) for a bad ``--gazetteer`` file before anything is read, and
    ``StoreWriteError`` (E201) at the first write the store refuses (disk full): the build stops there,
    every article written before it stays, the one being written is not in the store.
    """
    started = time.perf_counter()
    validate_gazetteers(gazetteers)
    report = BuildReport(workers=max(1, workers))
    store = store or GraphStore(out_dir / "store")
    options = work_options(lang, gazetteers, max_bytes, extracted_at)
    tally = _Tally(report, on_error, on_progress)
    writer = GraphWriter(store, tally.error)
    full = start_build(store) or rebuild_derived
    for outcome in _outcomes(iter_raw(inputs, max_bytes=max_bytes), options, report.workers):
        tally.add(outcome, writer)
        if strict and report.errors:
            break
    writer.flush()
    finish_build(report, store, writer.quads, writer.seconds, started, writer.changes, full)
    return report


def start_build(store: GraphStore) -> bool:
    """What every build does first: finish what an interrupted one left, mark the claims stale.

    True when the derived graphs must be rebuilt in full: a previous build stopped before updating them
    (the stale marker is still there) or died in a bulk load, or the store has no entities graph yet or claims
    without the columns the saved queries read (built by an older kg).
    """
    try:
        full = recover_interrupted_load(store)
        full = claims_stale(store) or not has_entities_graph(store) or claims_outdated(store) or full
        mark_claims_stale(store)  # until the claims step of finish_build has run to its end
    except (OSError, RuntimeError) as exc:
        raise StoreWriteError(f"cannot write the store {store.path}: {exc}") from exc
    return full


def finish_build(
    report: BuildReport,
    store: GraphStore,
    quads: int,
    store_seconds: float,
    started: float,
    changes: Changes | None = None,
    full: bool = True,
) -> None:
    """What every build does last, however its graphs were written: entities and claims, flush, the totals.

    The derived graphs follow ``changes`` (the articles written, and what replaced or dropped graphs held);
    without them, or with ``full``, they are rebuilt from all article graphs.
    """
    report.quads_written = quads
    _add_seconds(report, {"store": store_seconds})
    claims_started = time.perf_counter()
    try:
        if full or changes is None:
            rebuild_entities(store)
            report.claims = rebuild_claims(store)
        else:
            update_entities(store, changes.written, changes.entities)
            report.claims = update_claims(store, changes.written, changes.anchors, changes.entities)
        store.flush()
    except (OSError, RuntimeError) as exc:
        raise StoreWriteError(
            f"cannot write the claims graph into the store {store.path}: {exc}; the article graphs are stored, "
            "run the build again to rebuild the claims"
        ) from exc
    _add_seconds(report, {"claims": time.perf_counter() - claims_started})
    report.triples = store.count()
    report.graphs = store.graph_count()
    report.seconds = time.perf_counter() - started


def _add_seconds(report: BuildReport, seconds: dict[str, float]) -> None:
    for stage, value in seconds.items():
        report.stage_seconds[stage] = report.stage_seconds.get(stage, 0.0) + value


def work_options(
    lang: str | None, gazetteers: Sequence[Path | str], max_bytes: int, extracted_at: datetime | None
) -> WorkOptions:
    """The options every worker gets (gazetteer paths made absolute: workers may run elsewhere)."""
    return WorkOptions(lang, tuple(str(Path(g).resolve()) for g in gazetteers), max_bytes, extracted_at)


def _outcomes(items: Iterable[RawOrError], options: WorkOptions, workers: int) -> Iterator[Outcome]:
    """Outcomes in input order, computed here or by ``workers`` processes."""
    if workers <= 1:  # batches here too: each language's pipeline runs over a batch's articles at once
        for batch in batches(items):
            yield from process_batch(batch, options)
        return
    from kg.build.parallel import map_routed
    from kg.build.preload import shared_preloading

    jobs = _LanguageJobs(options)
    with shared_preloading():
        results = map_routed(
            process_parsed, jobs.jobs(batches(items)), options, workers=workers, on_broken=_lost_job, timed=_timed
        )
        for outcomes in results:
            yield from jobs.finished()
            jobs.add(outcomes)
        yield from jobs.finished()


class _LanguageJobs:
    """A parallel build's work, cut by language: this process decodes each batch and sends each of its
    languages' articles to the worker that has that language's pipeline loaded (``map_routed``).

    Results come back in the order the jobs were made; a batch's outcomes are put back in input order
    and handed on when the batch is complete (``finished``), after the batches before it.
    """

    def __init__(self, options: WorkOptions) -> None:
        self.options = options
        # (batch, positions of one of its jobs), and (batch, None) after its last job
        self.order: deque[tuple[int, list[int] | None]] = deque()
        self.done: dict[int, list[tuple[int, Outcome]]] = {}

    def jobs(self, queue: Iterable[list[RawOrError]]) -> Iterator[Routed[list[tuple[Outcome, Article]]]]:
        for number, batch in enumerate(queue):
            parsed = parse_batch(batch, self.options)
            self.done[number] = [(i, outcome) for i, (outcome, article) in enumerate(parsed) if article is None]
            by_lang: dict[str, list[int]] = {}
            for i, (_, article) in enumerate(parsed):
                if article is not None:
                    by_lang.setdefault(article.lang, []).append(i)
            for lang, positions in by_lang.items():
                job = [(parsed[i][0], article) for i in positions if (article := parsed[i][1]) is not None]
                self.order.append((number, positions))
                yield Routed(lang, sum(len(article.text) for _, article in job), job)
            self.order.append((number, None))

    def add(self, outcomes: list[Outcome]) -> None:
        """The result of the oldest job not yet returned."""
        number, positions = self.order.popleft()
        assert positions is not None  # ends are taken off by ``finished`` before each result
        self.done[number].extend(zip(positions, outcomes, strict=True))

    def finished(self) -> Iterator[Outcome]:
        """The outcomes of every batch whose jobs have all returned, in input order."""
        while self.order and self.order[0][1] is None:
            number, _ = self.order.popleft()
            yield from (outcome for _, outcome in sorted(self.done.pop(number), key=lambda pair: pair[0]))


def _timed(outcomes: list[Outcome]) -> tuple[float, float]:
    """How long a job's worker spent loading pipelines and working on its articles (decoding was done here)."""
    load = sum(o.seconds.get("load", 0.0) for o in outcomes)
    work = sum(v for o in outcomes for k, v in o.seconds.items() if k not in ("ingest", "load"))
    return load, work


def _lost_job(job: list[tuple[Outcome, Article]], exc: BaseException) -> list[Outcome]:
    """Every article of a job whose worker process died (out of memory, a native crash)."""
    message = f"a worker process died while processing this article ({type(exc).__name__})"
    return [Outcome(o.source, o.size, error=InputError(o.source, message, "E501")) for o, _ in job]


@dataclass
class _Tally:
    """Adds outcomes to the report, hands graphs to the writer, tells the caller about errors and progress."""

    report: BuildReport
    on_error: Callable[[InputError], None] | None
    on_progress: ProgressCallback | None
    seen: set[int] = field(default_factory=set)
    done: int = 0
    bytes_done: int = 0

    def add(self, outcome: Outcome, writer: ArticleSink) -> None:
        self.done += 1
        self.bytes_done += outcome.size
        _add_seconds(self.report, outcome.seconds)
        for warning in outcome.warnings:
            self.error(warning)
        if outcome.error is not None:
            self.error(outcome.error)
        else:
            key = int(outcome.key, 16)  # an int takes a third of the memory of the hex string
            if key in self.seen:
                self.report.duplicates += 1
            self.seen.add(key)
            writer.write(outcome)
            self._count(outcome.counts)
        if self.on_progress:
            self.on_progress(self.done, self.bytes_done)

    def error(self, error: InputError) -> None:
        """Report an error, or a warning (an ``InputWarning``: counted apart, it does not fail the build)."""
        if isinstance(error, InputWarning):
            self.report.warnings.append(error)
        else:
            self.report.errors.append(error)
        if self.on_error:
            self.on_error(error)

    def _count(self, counts: Counter[str]) -> None:
        for name, n in counts.items():
            kind, _, what = name.partition(":")
            if kind == "lang":
                self.report.articles[what] += n
            elif kind == "unsupported":
                self.report.unsupported[what] += n
            elif kind == "mention":
                self.report.mentions[what] += n
            elif kind == "fact":
                self.report.facts[what] += n
            elif kind == "deal":
                self.report.deals[what] += n
            elif name == "words":
                self.report.words += n
