"""How well a raw NER pipeline finds the names kg cares about in real news.

The CoNLL dev splits are the formal yardstick, but several are Wikipedia or
web text.  This check runs a model (alone, without kg's rules or gazetteers)
over the annotated sample articles in ``../shared/data/dev`` and compares its
entities with the gold surface forms: organisation aliases, person mentions
and country mentions.  Matching is on distinct surface forms per article
(case-insensitive, exact span), so it is a small, rough domain signal, used
to choose between French models, not a benchmark to tune on.

Usage: ``python training/news_check.py --lang fr --model kg/models/fr_kg_ner --model fr_core_news_sm``
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import spacy

from kg.eval.gold import GoldDoc, load_gold

REPO = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = Path(os.environ.get("KG_DEV_DATA", REPO.parent / "shared" / "data" / "dev"))
# Model labels that count as a hit for each gold kind (countries are LOC/GPE in NER corpora).
ACCEPT = {"ORG": {"ORG"}, "PER": {"PER", "PERSON"}, "LOC": {"LOC", "GPE"}}


@dataclass
class Tally:
    """Hits and totals per kind, pooled over articles."""

    found: dict[str, int] = field(default_factory=dict)
    gold: dict[str, int] = field(default_factory=dict)
    correct: dict[str, int] = field(default_factory=dict)
    predicted: dict[str, int] = field(default_factory=dict)

    def add(self, counter: dict[str, int], kind: str, n: int) -> None:
        counter[kind] = counter.get(kind, 0) + n

    def ratio(self, num: dict[str, int], den: dict[str, int], kind: str) -> str:
        return f"{num.get(kind, 0) / den[kind]:.2f} ({num.get(kind, 0)}/{den[kind]})" if den.get(kind) else "n/a"


def gold_forms(doc: GoldDoc) -> dict[str, set[str]]:
    """Lower-cased gold surface forms per kind (optional organisations left out)."""
    orgs = {a.lower() for o in doc.organizations if not o.optional for a in o.aliases or (o.name,)}
    persons = {m.lower() for p in doc.persons for m in p.mentions or (p.name,)}
    countries = {m.lower() for c in doc.countries for m in c.mentions}
    return {"ORG": orgs, "PER": persons, "LOC": countries}


def check(model: str, docs: Iterable[GoldDoc]) -> Tally:
    """Recall of gold forms per kind; precision of the model's ORG and PER entities."""
    nlp = spacy.load(model)
    tally = Tally()
    for gold in docs:
        forms = gold_forms(gold)
        ents = {(e.text.strip().lower(), e.label_) for e in nlp(gold.text or "").ents}
        for kind, wanted in forms.items():
            hits = {text for text, label in ents if label in ACCEPT[kind]}
            tally.add(tally.gold, kind, len(wanted))
            tally.add(tally.found, kind, len(wanted & hits))
        for kind in ("ORG", "PER"):
            predicted = {text for text, label in ents if label in ACCEPT[kind]}
            tally.add(tally.predicted, kind, len(predicted))
            tally.add(tally.correct, kind, len(predicted & forms[kind]))
    return tally


def main(argv: list[str] | None = None) -> int:
    """Print one row per model."""
    parser = argparse.ArgumentParser(description="Raw NER models against the annotated sample articles.")
    parser.add_argument("--lang", required=True)
    parser.add_argument("--model", action="append", required=True, help="pipeline directory or package (repeatable)")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="folder with docs/ and gold/")
    args = parser.parse_args(argv)
    docs = [d for d in load_gold(args.gold).values() if d.lang == args.lang]
    print(f"{len(docs)} {args.lang} articles in {args.gold}")
    print("| model | ORG recall | ORG precision | PER recall | PER precision | country recall (LOC) |")
    print("|---|---|---|---|---|---|")
    for model in args.model:
        t = check(model, docs)
        print(
            f"| {model} | {t.ratio(t.found, t.gold, 'ORG')} | {t.ratio(t.correct, t.predicted, 'ORG')} "
            f"| {t.ratio(t.found, t.gold, 'PER')} | {t.ratio(t.correct, t.predicted, 'PER')} "
            f"| {t.ratio(t.found, t.gold, 'LOC')} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
