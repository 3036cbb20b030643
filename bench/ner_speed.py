"""Throughput of kg's shipped NER pipelines on one CPU core.

kg runs a statistical NER over every article, so its speed sets the build
time of a corpus; the target is at least 15,000 words per second per
language on one core.  For every pipeline under ``kg/models/`` (or the ones
named with ``--model``) this reads the dev sentences of the language's main
corpus, joins them into paragraphs (so the model sees article-sized texts, not
single sentences), and times

* ``pipeline``: ``nlp.pipe`` over the raw paragraphs (tokenizer, sentencizer, ner);
* ``ner``: the ``ner`` component alone over pre-tokenised docs.

Usage: ``python bench/ner_speed.py [--data ../shared/data/ner] [--model PATH_OR_NAME --lang fr] [--repeat 3]``
(without ``--model``: the statistical base of each language as ``pipelines.toml`` loads it)
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[_name] = "1"  # before numpy is imported: one core, as the target says

import argparse  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterable  # noqa: E402
from pathlib import Path  # noqa: E402

import spacy  # noqa: E402
from spacy.language import Language  # noqa: E402

from kg.models import resolve_base  # noqa: E402
from kg.nlp.pipeline import pipeline_spec  # noqa: E402
from kg.train import read_conll  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = Path(os.environ.get("KG_NER_DATA", REPO.parent / "shared" / "data" / "ner"))
# The dev split the speed is measured on: each language's main corpus.
DEV_SETS = {
    "nl": "nl-conll2002",
    "id": "id-idner2k",
    "en": "en-wikigold",
    "de": "de-germeval2014",
    "es": "es-conll2002",
    "fr": "fr-wikineural",
    # no public Italian or Portuguese NER corpus is available: their speed is measured on Spanish news text
    "it": "es-conll2002",
    "pt": "es-conll2002",
}
SENTENCES_PER_PARAGRAPH = 12
# Wall-clock time by default; ``--cpu-time`` counts this process's CPU seconds instead, which is what
# "words per second on one core" means when other work shares the machine (the process is single-threaded).
CLOCK: Callable[[], float] = time.perf_counter


def paragraphs(dev: Path, per_paragraph: int = SENTENCES_PER_PARAGRAPH) -> list[str]:
    """Dev sentences joined into paragraph-sized texts."""
    sentences = [" ".join(words) for words, _ in read_conll(dev)]
    return [" ".join(sentences[i : i + per_paragraph]) for i in range(0, len(sentences), per_paragraph)]


def _best_rate(run: Callable[[], int], repeat: int) -> float:
    """Best words/s over ``repeat`` runs (the least disturbed by other work on the machine)."""
    best = 0.0
    for _ in range(repeat):
        start = CLOCK()
        words = run()
        best = max(best, words / (CLOCK() - start))
    return best


def measure(nlp: Language, texts: list[str], repeat: int = 3, batch_size: int = 64) -> tuple[int, float, float]:
    """(words, pipeline words/s, ner-only words/s) for ``texts``."""
    list(nlp.pipe(texts[:20]))  # warm-up: first calls allocate buffers
    words = sum(len(nlp.make_doc(t)) for t in texts)

    def whole() -> int:
        return sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size))

    return words, _best_rate(whole, repeat), _best_ner_rate(nlp, texts, words, repeat, batch_size)


def _best_ner_rate(nlp: Language, texts: list[str], words: int, repeat: int, batch_size: int) -> float:
    """Best words/s of the ``ner`` component alone (tokenisation done beforehand)."""
    ner = nlp.get_pipe("ner")
    best = 0.0
    for _ in range(repeat):
        docs = [nlp.make_doc(t) for t in texts]
        start = CLOCK()
        for _doc in ner.pipe(docs, batch_size=batch_size):  # type: ignore[attr-defined]
            pass
        best = max(best, words / (CLOCK() - start))
    return best


def _pipelines(named: list[str]) -> Iterable[tuple[str | Path, Language]]:
    """The named models, or the statistical base of every language as kg's pipelines.toml loads it."""
    if named:
        for model in named:
            yield model, spacy.load(model)
        return
    for lang in ("nl", "id", "en", "de", "es", "fr", "it", "pt"):
        spec = pipeline_spec(lang)
        if spec.base != "blank":
            yield spec.base, spacy.load(resolve_base(spec.base), exclude=list(spec.exclude))


def main(argv: Iterable[str] | None = None) -> int:
    """Print a words/s table for the shipped models (or the ones given)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of <lang>-<corpus>/dev.conll")
    parser.add_argument("--model", action="append", default=[], help="pipeline directory or package (repeatable)")
    parser.add_argument("--lang", default=None, help="language of --model when it is a package name")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cpu-time", action="store_true", help="divide by CPU seconds of this process, not wall time")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.cpu_time:
        global CLOCK
        CLOCK = time.process_time
    print("| model | lang | words | pipeline words/s | ner words/s |")
    print("|---|---|---|---|---|")
    for model, nlp in _pipelines(args.model):
        lang = str(args.lang or nlp.lang)
        dev = args.data / DEV_SETS[lang] / "dev.conll"
        texts = paragraphs(dev)
        words, pipeline_rate, ner_rate = measure(nlp, texts, repeat=args.repeat)
        print(f"| {Path(str(model)).name} | {lang} | {words} | {pipeline_rate:,.0f} | {ner_rate:,.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
