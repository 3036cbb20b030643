"""Precision/recall of ``kg.extract.money.find_amounts`` against annotated articles.

Usage: ``python bench/eval_money.py [DATA_DIR]`` where DATA_DIR holds ``docs/*.txt``
and ``gold/*.json`` (default: /work/shared/data/dev).  Gold lists one entry per
distinct (value, currency) per document, so predictions are deduplicated the
same way.  A prediction matches a gold entry when the currency is equal and the
value is within 1% of ``value`` or equals ``value_alt``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.extract.money import find_amounts

DEFAULT_DATA = Path("/work/shared/data/dev")
TOLERANCE = 0.01


@dataclass
class Tally:
    """Counts over all documents plus the misses worth reading."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_positives: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)


def matches(value: Decimal, currency: str, gold: dict[str, object]) -> bool:
    """Currency equal and value within tolerance (or equal to the alternative reading)."""
    if currency != gold["currency"]:
        return False
    target = float(str(gold["value"]))
    if abs(float(value) - target) <= TOLERANCE * abs(target):
        return True
    alt = gold.get("value_alt")
    return alt is not None and abs(float(value) - float(str(alt))) <= TOLERANCE * abs(float(str(alt)))


def score_doc(doc_id: str, text: str, gold: dict[str, object], tally: Tally) -> None:
    """Add one document's matches, false positives and misses to ``tally``."""
    lang = str(gold.get("lang", "en"))
    predicted: dict[tuple[Decimal, str], str] = {}
    for amount in find_amounts(text, lang):
        predicted.setdefault((amount.value, amount.currency), amount.text)
    golds = list(gold.get("amounts", []))  # type: ignore[call-overload]
    used: set[int] = set()
    for (value, currency), surface in predicted.items():
        hit = next((i for i, g in enumerate(golds) if i not in used and matches(value, currency, g)), None)
        if hit is None:
            tally.fp += 1
            tally.false_positives.append(f"{doc_id}: {surface!r} -> {value} {currency}")
        else:
            used.add(hit)
            tally.tp += 1
    for i, g in enumerate(golds):
        if i not in used:
            tally.fn += 1
            tally.misses.append(f"{doc_id}: {g['text']!r} ({g['value']} {g['currency']})")


def main(argv: list[str]) -> int:
    """Score every document and print the totals and the errors."""
    data = Path(argv[1]) if len(argv) > 1 else DEFAULT_DATA
    tally = Tally()
    for gold_path in sorted((data / "gold").glob("*.json")):
        doc_path = data / "docs" / f"{gold_path.stem}.txt"
        if not doc_path.is_file():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        score_doc(gold_path.stem, doc_path.read_text(encoding="utf-8"), gold, tally)
    precision = tally.tp / (tally.tp + tally.fp) if tally.tp + tally.fp else 1.0
    recall = tally.tp / (tally.tp + tally.fn) if tally.tp + tally.fn else 1.0
    print(f"tp={tally.tp} fp={tally.fp} fn={tally.fn}  precision={precision:.3f} recall={recall:.3f}")
    for line in tally.false_positives:
        print("  FP", line)
    for line in tally.misses:
        print("  FN", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
