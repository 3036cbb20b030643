"""Does a statistical NER model help kg's whole entity step, per language?

Runs kg's full spaCy pipeline (gazetteers, name rules, optional model, entity
filter) over the sentences of a CoNLL dev file and scores the organizations and
persons it keeps against the gold ORG and PER spans (exact character spans).
Run it once with the shipped ``pipelines.toml`` and once with another table in
``$KG_PIPELINES`` to compare "rules only" with "rules + model" on names that
are mostly unknown to the gazetteers: the question the model is there to answer.

    python bench/ner_in_pipeline.py --lang es ../shared/data/ner/es-conll2002/dev.conll
    KG_PIPELINES=/tmp/with_models.toml python bench/ner_in_pipeline.py --lang es ...

The absolute numbers are low by design of the comparison, not of kg: gold
corpora tag governments, ministries, teams and newspapers as ORG, which kg
deliberately keeps out of its organizations, and kg keeps no LOC/MISC.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from kg.nlp import load_pipeline
from kg.nlp.pipeline import config_path, pipeline_spec
from kg.train import normalise_tags, read_conll

KG_TO_GOLD = {"ORG": "ORG", "PERSON": "PER"}


def gold_spans(words: list[str], tags: list[str], offset: int) -> set[tuple[int, int, str]]:
    """Character spans of the gold ORG/PER entities of one sentence joined by spaces."""
    spans: set[tuple[int, int, str]] = set()
    position = offset
    start = label = None
    end = 0
    for word, tag in zip(words, normalise_tags(tags), strict=True):
        if tag == "O" or tag.startswith("B-"):
            if label is not None and label in KG_TO_GOLD.values() and start is not None:
                spans.add((start, end, label))
            start, label = (position, tag[2:]) if tag != "O" else (None, None)
        end = position + len(word)
        position = end + 1
    if label is not None and label in KG_TO_GOLD.values() and start is not None:
        spans.add((start, end, label))
    return spans


def score(lang: str, paths: list[Path], limit: int) -> dict[str, dict[str, float]]:
    """P/R/F1 of kg's ORG and PERSON entities against gold ORG and PER."""
    sentences = [s for path in paths for s in read_conll(path)][:limit]
    lines: list[str] = []
    gold: set[tuple[int, int, str]] = set()
    offset = 0
    for words, tags in sentences:
        line = " ".join(words)
        gold |= gold_spans(words, tags, offset)
        lines.append(line)
        offset += len(line) + 1
    nlp = load_pipeline(lang)
    found: set[tuple[int, int, str]] = set()
    # one "article" per 40 sentences, as kg reads a text (a line break ends a sentence)
    start = 0
    for block in range(0, len(lines), 40):
        text = "\n".join(lines[block : block + 40])
        doc = nlp(text)
        for ent in doc.ents:
            if ent.label_ in KG_TO_GOLD:
                found.add((start + ent.start_char, start + ent.end_char, KG_TO_GOLD[ent.label_]))
        start += len(text) + 1
    result: dict[str, dict[str, float]] = {}
    for label in ("ORG", "PER"):
        g = {s for s in gold if s[2] == label}
        f = {s for s in found if s[2] == label}
        tp = len(g & f)
        p = tp / len(f) if f else 0.0
        r = tp / len(g) if g else 0.0
        result[label] = {
            "gold": len(g),
            "found": len(f),
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
        }
    result["_errors"] = dict(Counter(label for *_, label in found - gold))  # type: ignore[assignment]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("conll", type=Path, nargs="+")
    parser.add_argument("--lang", required=True)
    parser.add_argument("--limit", type=int, default=2000, help="sentences to read (default 2000)")
    args = parser.parse_args()
    spec = pipeline_spec(args.lang)
    scores = score(args.lang, args.conll, args.limit)
    print(json.dumps({"lang": args.lang, "pipelines": str(config_path()), "base": spec.base, **scores}))


if __name__ == "__main__":
    main()
