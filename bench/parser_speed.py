"""Words per second of kg's shipped dependency parsers on one core.

Parses the held-out UD sentences of each language (the slice the recipe in
``training/parsers/`` keeps out of training; prepared there on first use)
through ``kg.nlp.parsers.parse_many``, on kg-style pre-tokenised input, and
reports the best of a few timed passes after one warm-up pass.

    python bench/parser_speed.py [--json /tmp/parsers/speed.json] [--repeats 3] [LANG ...]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "training" / "parsers"))

import train_parsers  # noqa: E402

from kg.nlp.parsers import load_parser, parse_many  # noqa: E402


def measure(lang: str, repeats: int) -> dict[str, float]:
    """Best-of-``repeats`` words/s of ``parse_many`` over the held-out slice of ``lang``."""
    heldout = train_parsers.work_dir(lang) / "heldout.spacy"
    if not heldout.is_file():
        train_parsers.prepare(lang)
    sentences = [(words, spaces) for words, spaces, _, _ in train_parsers.gold_sentences(heldout)]
    words = sum(len(w) for w, _ in sentences)
    load_parser(lang)
    parse_many(lang, sentences[:50])  # warm-up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        parse_many(lang, sentences)
        best = min(best, time.perf_counter() - start)
    return {
        "sentences": len(sentences),
        "words": words,
        "seconds": best,
        "words_per_s": words / best,
        "repeats": repeats,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("langs", nargs="*", default=list(train_parsers.RECIPES))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None, help="merge the results into this JSON file")
    args = parser.parse_args(argv)
    results = {}
    for lang in args.langs:
        if load_parser(lang) is None:
            print(f"{lang}: no shipped parser")
            continue
        results[lang] = measure(lang, args.repeats)
        r = results[lang]
        print(f"{lang}: {r['words_per_s']:,.0f} words/s ({r['sentences']} sentences, {r['words']} words)", flush=True)
    if args.json:
        old = json.loads(args.json.read_text(encoding="utf-8")) if args.json.is_file() else {}
        args.json.write_text(json.dumps({**old, **results}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
