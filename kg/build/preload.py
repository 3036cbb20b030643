"""Load once, share with every worker: what the fork server of a parallel build does on start.

``kg build --workers N`` starts its workers from a ``forkserver`` (never by
forking the parent, which holds an open RocksDB store and its threads).  The
fork server is a fresh process that runs :func:`fork_server_start` before it forks any
worker, so each worker begins with the pipelines of the input's languages
already loaded (shared copy-on-write, not loaded once per worker), their UD
parsers, the fact model, the lexicons, the money grammars and the language
detector: one small article per language is run through every stage, which
fills every per-language cache a real article would fill on its first visit.

Which languages: those of the build's first articles.  Before it starts its
workers the parent writes a sample of its input (the raw records of the first
batches, what it sends to the workers first anyway) to a file,
:func:`preloading`; the fork server decodes them as a worker would (declared
language, else lingua's detection) and loads exactly the languages it meets,
with the build's gazetteer files.  An input in one language loads one
pipeline, not all of them.  A language first met later in the input is loaded
by each worker that meets it.  Without a sample (a pool started by other code)
the fork server loads every language ``pipelines.toml`` configures.

``KG_PRELOAD`` overrides both (comma-separated languages; ``none`` for none);
every failure here is swallowed, since a worker then simply loads what it needs.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import tempfile
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.build.work import WorkOptions
    from kg.ingest.sources import RawInput

log = logging.getLogger(__name__)
PRELOAD_ENV = "KG_PRELOAD"
SAMPLE_ENV = "KG_PRELOAD_SAMPLE"  # set by the parent for the fork server it starts: the sample's file
SAMPLE_ITEMS = 128  # raw records of the input the fork server decodes to find its languages

# One sentence with a name, an amount and a date: the article that fills each language's caches.
_SAMPLE = "Acme Holdings invests 5 million euros in Beta Systems in Amsterdam, it said on 3 March 2025."


def preload_languages() -> list[str]:
    """The languages to load in the fork server: ``$KG_PRELOAD``, else those ``pipelines.toml`` configures."""
    named = os.environ.get(PRELOAD_ENV)
    if named is not None:
        return [lang for lang in named.split(",") if lang and lang != "none"]
    from kg.nlp.pipeline import config_path

    config = tomllib.loads(config_path().read_text(encoding="utf-8"))
    return sorted(config.get("languages", {}))


def write_sample(path: str, items: Iterable[RawInput], options: WorkOptions) -> None:
    """Write the first :data:`SAMPLE_ITEMS` of ``items`` and the build's options for the fork server."""
    sample: list[RawInput] = []
    for item in items:
        if len(sample) >= SAMPLE_ITEMS:
            break
        sample.append(item)
    with open(path, "wb") as handle:
        pickle.dump((options, sample), handle, protocol=pickle.HIGHEST_PROTOCOL)


def sample_languages(path: str) -> tuple[list[str], tuple[str, ...]]:
    """The languages of a sample's articles, in the order first met, and the build's gazetteer files.

    Each record is decoded as a worker decodes it (``--lang``, the record's language, else detection),
    which also loads the language detector when the input needs it.
    """
    from kg.ingest.sources import parse_raw
    from kg.model import Article

    with open(path, "rb") as handle:
        options, items = pickle.load(handle)  # written by this build's parent, for this process only
    languages: list[str] = []
    for item in items:
        article = parse_raw(item, lang=options.lang, max_bytes=options.max_bytes)
        if isinstance(article, Article) and article.lang not in languages:
            languages.append(article.lang)
    return languages, options.gazetteers


def preload(languages: Sequence[str], gazetteers: Sequence[str] = (), *, detector: bool = True) -> None:
    """Load and warm up every stage for ``languages`` in this process (``detector``: lingua's too)."""
    from kg.build.work import run_stages
    from kg.extract.fact_model.extractor import active_fact_model
    from kg.model import Article
    from kg.nlp.parsers import load_parser

    if languages and detector:
        try:
            from kg.ingest.langid import detect_language

            detect_language(_SAMPLE)  # lingua loads its language models on first use
        except Exception as exc:
            log.debug("preloading the language detector failed: %s", exc)
    model = active_fact_model()
    parsing = model is not None and model.syntax  # a model without dependency features parses nothing
    for lang in languages:
        try:
            run_stages(Article(_SAMPLE, "kg-preload", lang), gazetteers)
            if parsing:
                load_parser(lang)
        except Exception as exc:  # a worker loads what it needs itself
            log.debug("preloading %s failed: %s", lang, exc)


def fork_server_start() -> None:
    """What the fork server runs once, before forking any worker (``kg.build._forkserver``)."""
    try:
        sample = os.environ.get(SAMPLE_ENV)
        if os.environ.get(PRELOAD_ENV) is None and sample:
            languages, gazetteers = sample_languages(sample)
            preload(languages, gazetteers, detector=False)  # decoding the sample loaded it if the input needs it
        else:
            preload(preload_languages())
    except Exception as exc:  # never let the fork server die of a preload
        log.debug("preloading failed: %s", exc)
    gc.collect()
    gc.freeze()  # the loaded objects stay out of the collector: forked workers share their pages longer


@contextlib.contextmanager
def preloading(items: Iterable[RawInput], options: WorkOptions) -> Iterator[None]:
    """Start a fork server for a parallel build that preloads the languages of ``items`` (its input's start).

    A fork server left by an earlier build of this process preloaded that build's languages: it is
    stopped first (its workers have ended with their pool), so each build shares what it needs.
    """
    import multiprocessing
    from multiprocessing import forkserver

    from kg.build.parallel import PRELOAD_MODULES, pools_running

    if "forkserver" not in multiprocessing.get_all_start_methods():  # spawned workers load what they meet
        yield
        return
    fd, path = tempfile.mkstemp(prefix="kg-preload-", suffix=".pickle")
    os.close(fd)
    try:
        write_sample(path, items, options)
        if not pools_running():
            _stop_fork_server()
        previous = os.environ.get(SAMPLE_ENV)
        os.environ[SAMPLE_ENV] = path  # the fork server inherits the environment it is started with
        try:
            forkserver.set_forkserver_preload(PRELOAD_MODULES)
            forkserver.ensure_running()
        finally:
            if previous is None:
                del os.environ[SAMPLE_ENV]
            else:
                os.environ[SAMPLE_ENV] = previous
        yield
    finally:
        os.unlink(path)  # read by the fork server before it forked the first worker


def _stop_fork_server() -> None:
    """Stop this process's fork server, if one runs (the standard library's own way, used by its tests)."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)
    if server is None or stop is None or getattr(server, "_forkserver_pid", None) is None:
        return
    try:
        stop()
    except (OSError, ChildProcessError) as exc:  # already gone: the next start makes a new one
        log.debug("stopping the fork server failed: %s", exc)
