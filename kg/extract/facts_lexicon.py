"""Per-language trigger words for investment and partnership facts, read from data files.

``ontology/lexicons/facts/<lang>.json`` lists the words; an entry ending in
``*`` matches any token that starts with it, multi-word entries match token
sequences.  A language without a file falls back to English.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from kg.paths import lexicon_dir

_KEYS = (
    "invest_triggers",
    "weak_invest_triggers",
    "raise_triggers",
    "partner_triggers",
    "hedge_words",
    "agent_markers",
    "target_markers",
    "locative_markers",
    "coordinators",
    "partner_markers",
    "genitive_markers",
)


@dataclass(frozen=True)
class WordList:
    """Single words (exact or prefix) and multi-word phrases, all lower case."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, entries: list[str]) -> WordList:
        exact, prefixes, phrases = set(), [], []
        for entry in entries:
            words = tuple(entry.lower().split())
            if len(words) > 1:
                phrases.append(words)
            elif entry.endswith("*"):
                prefixes.append(entry[:-1].lower())
            else:
                exact.add(entry.lower())
        return cls(frozenset(exact), tuple(prefixes), tuple(phrases))

    def matches(self, words: list[str], i: int) -> int:
        """Length (in tokens) of the entry matching at ``words[i]``, or 0."""
        for phrase in self.phrases:
            if tuple(words[i : i + len(phrase)]) == phrase:
                return len(phrase)
        word = words[i]
        if word in self.exact or any(word.startswith(p) for p in self.prefixes):
            return 1
        return 0


@dataclass(frozen=True)
class FactLexicon:
    invest_triggers: WordList
    weak_invest_triggers: WordList
    raise_triggers: WordList
    partner_triggers: WordList
    hedge_words: WordList
    agent_markers: WordList
    target_markers: WordList
    locative_markers: WordList
    coordinators: WordList
    partner_markers: WordList
    genitive_markers: WordList


@cache
def fact_lexicon(lang: str) -> FactLexicon:
    """The fact lexicon for ``lang`` (English when kg has no file for it)."""
    path = lexicon_dir("facts") / f"{lang}.json"
    if not path.is_file():
        path = lexicon_dir("facts") / "en.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return FactLexicon(**{key: WordList.of(data.get(key, [])) for key in _KEYS})
