"""Per-language words for investment and partnership facts, read from data files.

``ontology/lexicons/facts/<lang>.json`` lists the words; an entry ending in
``*`` matches any token that starts with it (also inside a multi-word entry),
multi-word entries match token sequences.  A language without a file falls
back to English.  No code knows any language's words: adding a language is
adding a file.

What the lists are for:

* triggers: ``invest_triggers`` (always), ``weak_invest_triggers`` (only with
  an amount in the clause), ``raise_triggers`` (the subject receives),
  ``partner_triggers``, ``collective_triggers`` (joint venture, consortium:
  all members are partners), ``separable_partner_triggers`` (verb + particle,
  "werken ... samen");
* nouns that change how roles are read: ``investment_nouns`` (their "of"
  names the investor), ``holder_nouns`` (their "of" names the target),
  ``transitive_*_triggers`` (the name right after is the object);
* markers that introduce a name: ``agent_markers`` (by), ``funder_markers``
  (from, led by), ``target_markers`` (in, into), ``locative_markers`` (a
  country after them is a place), ``exclusive_locatives`` (outside),
  ``partner_markers`` (with), ``partner_of_markers`` (partner *of* X),
  ``between_markers``, ``member_markers`` (a consortium *of*),
  ``genitive_markers``, ``possessive_markers``, ``source_markers``
  (according to), ``partner_role_markers`` ("as a partner");
* structure: ``coordinators``, ``determiners``, ``relative_pronouns``,
  ``government_words`` ("the government of X" is X);
* amounts: ``non_investment_amount_cues`` (valuations, revenue, share
  prices), ``equivalence_markers`` ("or about"), ``worth_markers`` ("a plan
  *worth*", "per un valore di", "im Wert von": the size of the deal, though
  the phrase holds a value word of the cues);
* discourse: ``anaphor_*`` ("the company"), ``group_anaphors`` ("the
  companies"), ``round_anaphors`` ("the round was led by"), ``divest_words``,
  ``project_anaphors`` ("the project", "ce projet": the project last named);
* places: ``place_nouns`` ("the region *of* X" is still X), ``home_markers``
  ("a start-up *based in* X"), ``place_compounds`` ("X-*based*") and
  ``place_adjective_suffixes`` (Dutch "-se", German "-er": a city's adjective),
  ``copulas`` ("X *is* a Polish firm": where the article places a company);
* ``negations`` ("not", "n't", "niet", "tidak") next to a trigger, in its clause, deny the
  fact, which is then not stated at all; ``not_negations`` ("not only", "nicht nur") are
  not denials;
* ``hedge_words`` (plans, talks, "would", "bakal"), ``demonyms`` (ISO code ->
  country adjectives), and the flags ``descriptors_need_determiner``,
  ``modifiers_follow_nouns``, ``agents_before_verb`` and ``verb_final`` (a
  clause's verb may come after the place it names) for word order.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache

from kg.paths import lexicon_dir, lexicon_languages


def word_matches(pattern: str, word: str) -> bool:
    """Whether ``word`` matches one lexicon entry word (a prefix when it ends with ``*``)."""
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return word == pattern


@dataclass(frozen=True)
class WordList:
    """Single words (exact or prefix) and multi-word phrases, all lower case.

    Phrases are indexed by their first word so matching a token costs a dict
    look-up, not a scan of every phrase.
    """

    exact: frozenset[str]
    prefixes: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]
    by_first: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict, compare=False)
    prefix_phrases: tuple[tuple[str, ...], ...] = ()
    # computed on first use: the phrases to try at each first word, and the words a match can start with
    _candidates: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict, compare=False, repr=False)
    _starts: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)
    _heads: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, entries: list[str]) -> WordList:
        exact: set[str] = set()
        prefixes: list[str] = []
        phrases: list[tuple[str, ...]] = []
        for entry in entries:
            words = tuple(entry.lower().split())
            split = _split_hyphens(words)
            if split != words:
                phrases.append(split)  # tokenizers cut "co-develop" into "co", "-", "develop"
            if len(words) > 1:
                phrases.append(words)
            elif entry.endswith("*"):
                prefixes.append(entry[:-1].lower())
            elif words:
                exact.add(words[0])
        # Longest phrases first, so "ronda de financiación" wins over "ronda".
        phrases.sort(key=len, reverse=True)
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            if not phrase[0].endswith("*"):
                by_first.setdefault(phrase[0], []).append(phrase)
        return cls(
            frozenset(exact),
            tuple(prefixes),
            tuple(phrases),
            {k: tuple(v) for k, v in by_first.items()},
            tuple(p for p in phrases if p[0].endswith("*")),
        )

    def __bool__(self) -> bool:
        return bool(self.exact or self.prefixes or self.phrases)

    def matches(self, words: list[str], i: int) -> int:
        """Length (in tokens) of the longest entry matching at ``words[i]``, or 0."""
        word = words[i]
        candidates = self.by_first.get(word, ())
        if self.prefix_phrases:
            merged = self._candidates.get(word)
            if merged is None:
                merged = tuple(sorted((*candidates, *self.prefix_phrases), key=len, reverse=True))
                self._candidates[word] = merged
            candidates = merged
        for phrase in candidates:
            if i + len(phrase) <= len(words) and all(
                word_matches(p, w) for p, w in zip(phrase, words[i : i + len(phrase)], strict=True)
            ):
                return len(phrase)
        return 1 if self.has_word(word) else 0

    def scan(self, words: list[str]) -> list[tuple[int, int]]:
        """(token index, length) of every match in ``words``, left to right, matches never overlapping.

        Only tokens that are an entry, begin a phrase or begin with a prefix entry can start a match, so the
        others are skipped by a set look-up and one ``str.startswith`` instead of a call of :meth:`matches` each.
        """
        found: list[tuple[int, int]] = []
        i, n = 0, len(words)
        starts = self._starts.get("")
        if starts is None:
            starts = self._starts[""] = frozenset(self.exact) | frozenset(self.by_first)
        heads = self._heads.get("")
        if heads is None:  # what a prefix entry or a phrase opening with one begins with
            heads = self._heads[""] = self.prefixes + tuple(p[0][:-1] for p in self.prefix_phrases)
        while i < n:
            if words[i] in starts or words[i].startswith(heads):
                size = self.matches(words, i)
                if size:
                    found.append((i, size))
                    i += size
                    continue
            i += 1
        return found

    def has_word(self, word: str) -> bool:
        """True when ``word`` alone is an entry (exactly or by prefix)."""
        return word in self.exact or (bool(self.prefixes) and word.startswith(self.prefixes))

    def ends_with(self, word: str) -> bool:
        """True when ``word`` ends with an entry: Dutch and German compounds ("chipbedrijf")."""
        return any(word.endswith(e) for e in self.exact)


def _split_hyphens(words: tuple[str, ...]) -> tuple[str, ...]:
    """ "co-develop*" -> ("co", "-", "develop*"): the entry as an infix-splitting tokenizer sees it."""
    out: list[str] = []
    for word in words:
        parts = word.split("-")
        if len(parts) > 1 and all(parts):
            for i, part in enumerate(parts):
                out.extend(["-", part] if i else [part])
        else:
            out.append(word)
    return tuple(out)


_LIST_KEYS = (
    "invest_triggers",
    "weak_invest_triggers",
    "raise_triggers",
    "investment_nouns",
    "holder_nouns",
    "transitive_invest_triggers",
    "partner_triggers",
    "collective_triggers",
    "transitive_partner_triggers",
    "partner_role_markers",
    "hedge_words",
    "negations",
    "not_negations",
    "agent_markers",
    "funder_markers",
    "target_markers",
    "locative_markers",
    "exclusive_locatives",
    "coordinators",
    "partner_markers",
    "partner_of_markers",
    "between_markers",
    "member_markers",
    "genitive_markers",
    "possessive_markers",
    "determiners",
    "relative_pronouns",
    "source_markers",
    "government_words",
    "non_investment_amount_cues",
    "equivalence_markers",
    "worth_markers",
    "anaphor_determiners",
    "anaphor_heads",
    "anaphor_demonstratives",
    "anaphor_pronouns",
    "divest_words",
    "round_anaphors",
    "group_anaphors",
    "project_anaphors",
    "place_nouns",
    "home_markers",
    "place_compounds",
    "copulas",
)


@dataclass(frozen=True)
class FactLexicon:
    """Every word list one language needs for facts (see ``ontology/lexicons/facts``)."""

    invest_triggers: WordList
    weak_invest_triggers: WordList
    raise_triggers: WordList
    investment_nouns: WordList
    holder_nouns: WordList
    transitive_invest_triggers: WordList
    partner_triggers: WordList
    collective_triggers: WordList
    transitive_partner_triggers: WordList
    partner_role_markers: WordList
    hedge_words: WordList
    negations: WordList
    not_negations: WordList
    agent_markers: WordList
    funder_markers: WordList
    target_markers: WordList
    locative_markers: WordList
    exclusive_locatives: WordList
    coordinators: WordList
    partner_markers: WordList
    partner_of_markers: WordList
    between_markers: WordList
    member_markers: WordList
    genitive_markers: WordList
    possessive_markers: WordList
    determiners: WordList
    relative_pronouns: WordList
    source_markers: WordList
    government_words: WordList
    non_investment_amount_cues: WordList
    equivalence_markers: WordList
    worth_markers: WordList
    anaphor_determiners: WordList
    anaphor_heads: WordList
    anaphor_demonstratives: WordList
    anaphor_pronouns: WordList
    divest_words: WordList
    round_anaphors: WordList
    group_anaphors: WordList
    project_anaphors: WordList
    place_nouns: WordList
    home_markers: WordList
    place_compounds: WordList
    copulas: WordList
    separable_partner_triggers: tuple[tuple[str, str], ...]
    place_adjective_suffixes: tuple[str, ...]
    demonyms: tuple[tuple[str, str], ...]
    descriptor_limit: int
    descriptors_need_determiner: bool
    modifiers_follow_nouns: bool
    agents_before_verb: bool
    verb_final: bool

    @property
    def structural(self) -> tuple[WordList, ...]:
        """Lists whose words end a descriptor ("the Dutch start-up") before a name."""
        return (
            self.agent_markers,
            self.funder_markers,
            self.target_markers,
            self.locative_markers,
            self.coordinators,
            self.partner_markers,
            self.between_markers,
            self.genitive_markers,
            self.relative_pronouns,
            self.source_markers,
            self.invest_triggers,
            self.raise_triggers,
            self.partner_triggers,
        )

    def demonym_country(self, word: str) -> str | None:
        """ISO code of a country adjective ("française", "Polish"), or None.

        One compiled pattern per lexicon tries every entry in the file's order
        (the first that matches wins, as in :func:`word_matches`), so a word
        costs one regular-expression match, not one test per entry.
        """
        known = _DEMONYM_PATTERNS.get(id(self.demonyms))
        if known is None or known[0] is not self.demonyms:  # (an id is reused only after its object is gone)
            known = _DEMONYM_PATTERNS[id(self.demonyms)] = (self.demonyms, _demonym_pattern(self.demonyms))
        found = known[1].match(word)
        return self.demonyms[int(found.lastgroup[1:])][1] if found is not None and found.lastgroup else None


_DEMONYM_PATTERNS: dict[int, tuple[tuple[tuple[str, str], ...], re.Pattern[str]]] = {}  # id -> (demonyms, pattern)


def _demonym_pattern(demonyms: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    """Entry ``i`` becomes group ``d<i>``: a prefix for "française*"-style entries, a whole word otherwise."""
    parts = [
        f"(?P<d{i}>{re.escape(p[:-1])})" if p.endswith("*") else f"(?P<d{i}>{re.escape(p)}$)"
        for i, (p, _) in enumerate(demonyms)
    ]
    return re.compile("|".join(parts) or "(?!)")


@cache
def has_fact_lexicon(lang: str) -> bool:
    """Whether kg has a fact lexicon of its own for ``lang`` (``ontology/lexicons/facts/<lang>.json``)."""
    return lang in lexicon_languages()


@cache
def fact_lexicon(lang: str) -> FactLexicon:
    """The fact lexicon for ``lang`` (English when kg has no file for it)."""
    path = lexicon_dir("facts") / f"{lang}.json"
    if not path.is_file():
        path = lexicon_dir("facts") / "en.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    lists = {key: WordList.of(data.get(key, [])) for key in _LIST_KEYS}
    separable = tuple((verb.lower(), particle.lower()) for verb, particle in data.get("separable_partner_triggers", []))
    demonyms = tuple((word.lower(), iso) for iso, words in data.get("demonyms", {}).items() for word in words)
    return FactLexicon(
        **lists,
        separable_partner_triggers=separable,
        place_adjective_suffixes=tuple(data.get("place_adjective_suffixes", [])),
        demonyms=demonyms,
        descriptor_limit=int(data.get("descriptor_limit", 4)),
        descriptors_need_determiner=bool(data.get("descriptors_need_determiner", True)),
        modifiers_follow_nouns=bool(data.get("modifiers_follow_nouns", False)),
        agents_before_verb=bool(data.get("agents_before_verb", False)),
        verb_final=bool(data.get("verb_final", False)),
    )
