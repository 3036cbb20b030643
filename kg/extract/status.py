"""Where a deal stands: the status of an investment or partnership, read from its own sentence.

The cues are data: ``status_cues`` in ``ontology/lexicons/facts/<lang>.json``
lists, per status, words and phrases ("signed", "according to sources",
"bakal", "abgesagt").  They are matched case-insensitively on word
boundaries; an entry ending in ``*`` is a prefix, spaces stand for any run of
white space.  When a sentence holds cues of several statuses the strongest
wins, in the order of :class:`kg.model.FactStatus` (a cancellation outweighs
a signature, a rumour outweighs a plan, a plan outweighs "agreement").  A
sentence without cues is ``announced``; a fact the extractor found hedged is
``planned`` at least.

The status is decided after the facts are: it never changes which facts kg
states, only what it says about them.
"""

from __future__ import annotations

import json
import re
from functools import cache

from kg.model import FactStatus
from kg.paths import lexicon_dir


def cue_pattern(entries: list[str]) -> re.Pattern[str] | None:
    """One regular expression for a list of lexicon entries (``None`` for an empty list)."""
    alternatives = []
    for entry in sorted({e.strip().lower() for e in entries if e.strip()}, key=len, reverse=True):
        words = entry.split()
        parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
        alternatives.append(r"\s+".join(parts))
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


@cache
def _lexicon_data(lang: str) -> dict[str, object]:
    path = lexicon_dir("facts") / f"{lang}.json"
    if not path.is_file():
        path = lexicon_dir("facts") / "en.json"
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def status_cues(lang: str) -> tuple[tuple[FactStatus, re.Pattern[str]], ...]:
    """The language's cue patterns, strongest status first (English for a language without a file)."""
    raw = _lexicon_data(lang).get("status_cues", {})
    assert isinstance(raw, dict)
    cues = []
    for status in FactStatus:
        pattern = cue_pattern(list(raw.get(status.value, [])))
        if pattern is not None:
            cues.append((status, pattern))
    return tuple(cues)


def status_cue(sentence: str, lang: str) -> tuple[FactStatus, str] | None:
    """The strongest status a sentence has a cue for, with the cue as written; None without cues."""
    for status, pattern in status_cues(lang):
        found = pattern.search(sentence)
        if found:
            return status, found.group(0)
    return None


def statement_status(sentence: str, lang: str, hedged: bool = False) -> FactStatus:
    """The status of a fact stated in ``sentence``."""
    cue = status_cue(sentence, lang)
    status = cue[0] if cue else FactStatus.ANNOUNCED
    if hedged and status in (FactStatus.COMPLETED, FactStatus.AGREED, FactStatus.ANNOUNCED):
        return FactStatus.PLANNED  # kg:hedged facts (talks, "would") are plans whatever else the sentence says
    return status


__all__ = ["cue_pattern", "statement_status", "status_cue", "status_cues"]
