"""Load once, share with every worker: what the fork server of a parallel build does on start.

``kg build --workers N`` starts its workers from a ``forkserver`` (never by
forking the parent, which holds an open RocksDB store and its threads).  The
fork server is a fresh process that runs :func:`fork_server_start` before it forks any
worker, so each worker begins with the pipelines of the languages kg has
trained pipelines for already loaded (shared copy-on-write, not loaded once per
worker), its UD parsers, the fact model, the lexicons and the money grammars:
one small article per language is run through every stage, which fills every
per-language cache a real article would fill on its first visit.  A language
not loaded here (no trained pipeline of its own, or other gazetteer files than
the build's default) is loaded by a worker when it first meets it.

``KG_PRELOAD`` chooses the languages (comma-separated; ``none`` for none);
every failure here is swallowed, since a worker then simply loads what it needs.
"""

from __future__ import annotations

import gc
import logging
import os
import tomllib

log = logging.getLogger(__name__)
PRELOAD_ENV = "KG_PRELOAD"

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


def preload(languages: list[str]) -> None:
    """Load and warm up every stage for ``languages`` in this process."""
    from kg.build.work import run_stages
    from kg.model import Article
    from kg.nlp.parsers import load_parser

    if languages:
        try:
            from kg.ingest.langid import detect_language

            detect_language(_SAMPLE)  # lingua loads its language models on first use
        except Exception as exc:
            log.debug("preloading the language detector failed: %s", exc)
    for lang in languages:
        try:
            run_stages(Article(_SAMPLE, "kg-preload", lang))
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
