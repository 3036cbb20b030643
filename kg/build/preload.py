"""Load once, share with every worker: what the fork server of a parallel build does on start.

``kg build --workers N`` starts its workers from a ``forkserver`` (never by
forking the parent, which holds an open RocksDB store and its threads).  The
fork server is a fresh process that runs :func:`fork_server_start` before it
forks any worker, so each worker begins with what every worker needs already
loaded and shared copy-on-write: kg's modules, spaCy, the fact model.

The language pipelines are not preloaded for a build: its parent decodes the
input and sends each language's articles to the workers that have that
language loaded (:func:`kg.build.parallel.map_routed`), so each worker loads
only its share of the input's languages, in parallel with the others, when it
first meets them (:func:`shared_preloading`).  One process loading every
language before the first worker started took about 6 s of one core for six
languages, the other core idle.

``KG_PRELOAD`` (comma-separated languages) makes the fork server load those
languages too, for every worker; every failure here is swallowed, since a
worker then simply loads what it needs.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
from collections.abc import Iterator, Sequence

log = logging.getLogger(__name__)
PRELOAD_ENV = "KG_PRELOAD"

# One sentence with a name, an amount and a date: the article that fills each language's caches.
_SAMPLE = "Acme Holdings invests 5 million euros in Beta Systems in Amsterdam, it said on 3 March 2025."


def preload_languages() -> list[str]:
    """The languages the fork server loads for every worker: ``$KG_PRELOAD`` (none when unset or ``none``)."""
    named = os.environ.get(PRELOAD_ENV, "")
    return [lang for lang in named.split(",") if lang and lang != "none"]


def preload(languages: Sequence[str], gazetteers: Sequence[str] = (), *, detector: bool = True) -> None:
    """Load and warm up every stage for ``languages`` in this process (``detector``: lingua's too).

    One small article per language is run through every stage, which fills every per-language cache a
    real article would fill on its first visit.  The fact model is loaded whatever the languages.
    """
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
        preload(preload_languages())
    except Exception as exc:  # never let the fork server die of a preload
        log.debug("preloading failed: %s", exc)
    gc.collect()
    gc.freeze()  # the loaded objects stay out of the collector: forked workers share their pages longer


@contextlib.contextmanager
def shared_preloading() -> Iterator[None]:
    """Start a fork server that loads what every worker needs whatever its languages: kg's modules and the
    fact model, no language pipeline (unless ``KG_PRELOAD`` names some).

    A fork server left by an earlier build of this process may have preloaded other things: it is stopped
    first (its workers have ended with their pool).
    """
    import multiprocessing
    from multiprocessing import forkserver

    from kg.build.parallel import PRELOAD_MODULES, pools_running

    if "forkserver" not in multiprocessing.get_all_start_methods():  # spawned workers load what they meet
        yield
        return
    if not pools_running():
        _stop_fork_server()
    forkserver.set_forkserver_preload(PRELOAD_MODULES)
    forkserver.ensure_running()
    yield


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
