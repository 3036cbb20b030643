"""Per-language name cues (legal forms, role words, titles) read from data files.

``ontology/lexicons/names/common.json`` holds what every language shares; a
``<lang>.json`` file adds that language's words.  Adding a language is adding
a file: no code knows any language's words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from kg.paths import lexicon_dir

_LIST_KEYS = (
    "legal_suffixes",
    "legal_prefixes",
    "person_titles",
    "person_cues",
    "org_cues",
    "name_particles",
    "currency_country_phrases",
    "not_name_starts",
)


@dataclass(frozen=True)
class NameLexicon:
    """Words that signal an organization or person name next to them."""

    legal_suffixes: tuple[str, ...]
    legal_prefixes: tuple[str, ...]
    person_titles: tuple[str, ...]
    person_cues: tuple[str, ...]
    org_cues: tuple[str, ...]
    name_particles: tuple[str, ...]
    currency_country_phrases: tuple[str, ...]
    not_name_starts: tuple[str, ...]


def _read(name: str) -> dict[str, list[str]]:
    path = lexicon_dir("names") / f"{name}.json"
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if k in _LIST_KEYS}


@cache
def name_lexicon(lang: str) -> NameLexicon:
    """Common cues plus ``lang``'s own; English cues stand in for unknown languages."""
    common = _read("common")
    own = _read(lang) or _read("en")
    merged = {key: tuple(dict.fromkeys(common.get(key, []) + own.get(key, []))) for key in _LIST_KEYS}
    return NameLexicon(**merged)
