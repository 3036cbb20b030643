"""Investment and partnership facts, found sentence by sentence.

A fact needs a trigger word (from the language's data file) and parties in
the same sentence.  Roles are read from the words that link names to the
trigger (``by``, ``in``, ``with``, ``between`` and their equivalents), from
word order inside a clause, and from what the sentence marks as asides,
places, sources and modifiers (see :mod:`kg.extract.fact_sentences`).  This
holds for the SVO and verb-final orders of the languages kg supports.
Named projects (Stargate) receive or commit money but are never partners.
Countries a fact derives from a city, a region or an adjective are
``inferred`` mentions: role fillers, not names in the text.
Precision first: a role that the words do not settle stays empty.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from kg.extract.fact_countries import CountryMentions
from kg.extract.fact_investments import describe_parties, investments_in, is_raise, round_investors
from kg.extract.fact_partnerships import partnerships_in
from kg.extract.fact_sentences import SentenceView, same_party, sentence_views
from kg.extract.facts_lexicon import fact_lexicon
from kg.model import Extraction, Investment, Mention, Partnership


def _roles(fact: Investment) -> tuple[object, ...]:
    amount = None if fact.amount is None else (fact.amount.value, fact.amount.currency)
    return (fact.investor, fact.target, fact.country, amount)


def _agree(x: object, y: object) -> bool:
    if isinstance(x, Mention) and isinstance(y, Mention):
        return same_party(x, y)
    return x == y


def _compatible(a: Investment, b: Investment) -> bool:
    """Two statements of one fact: no role disagrees and at least two roles agree."""
    shared = [(x, y) for x, y in zip(_roles(a), _roles(b), strict=True) if x is not None and y is not None]
    return all(_agree(x, y) for x, y in shared) and len(shared) >= 2


def _filled(fact: Investment) -> int:
    return sum(r is not None for r in _roles(fact)) + len(fact.co_investors)


def merge_repeats(facts: list[Investment]) -> list[Investment]:
    """Repetitions of one fact collapse to the most complete statement of it, with the best confidence among them."""
    kept: list[Investment] = []
    for fact in facts:
        for i, other in enumerate(kept):
            if _compatible(fact, other):
                best = max((c for c in (fact.confidence, other.confidence) if c is not None), default=None)
                kept[i] = replace(fact if _filled(fact) > _filled(other) else other, confidence=best)
                break
        else:
            kept.append(fact)
    return kept


def rule_investments(doc: Doc, extraction: Extraction, views: list[SentenceView] | None = None) -> list[Investment]:
    """Who invests how much in what and where, by the rules: at most one fact per clause.

    The facts are returned, not stored: the fact model uses them as features,
    and they are what kg states for a language the model does not cover.
    ``views``: the article's sentence views when the caller has them already.
    """
    lexicon = fact_lexicon(extraction.article.lang)
    countries = CountryMentions(extraction)
    facts: list[Investment] = []
    last_raise: tuple[int, int] | None = None  # (sentence number, index in facts)
    views = sentence_views(doc, extraction, lexicon) if views is None else views
    for view in views:
        describe_parties(view, lexicon, countries)  # "X, a Lisbon-based start-up" serves facts about X anywhere
    for n, view in enumerate(views):
        investors = round_investors(view, lexicon)
        if investors and last_raise is not None and n - last_raise[0] <= 2:
            facts[last_raise[1]] = _with_investors(facts[last_raise[1]], investors)
            last_raise = None
        for fact in investments_in(view, lexicon, countries):
            if is_raise(fact, lexicon) and fact.investor is None:
                last_raise = (n, len(facts))
            facts.append(fact)
    return merge_repeats(facts)


def _same_pair(a: tuple[Mention, Mention], b: tuple[Mention, Mention]) -> bool:
    return (same_party(a[0], b[0]) and same_party(a[1], b[1])) or (same_party(a[0], b[1]) and same_party(a[1], b[0]))


def _with_investors(fact: Investment, investors: list[Mention]) -> Investment:
    """A funding round whose investors the next sentence names ("The round was led by X")."""
    return replace(fact, investor=investors[0], co_investors=tuple(investors[1:]))


def rule_partnerships(doc: Doc, extraction: Extraction, views: list[SentenceView] | None = None) -> list[Partnership]:
    """Symmetric cooperation between parties named around a partnership trigger, each pair once, by the rules."""
    lexicon = fact_lexicon(extraction.article.lang)
    seen: list[tuple[Mention, Mention]] = []
    found: list[Partnership] = []
    for view in sentence_views(doc, extraction, lexicon) if views is None else views:
        hedged = view.has(lexicon.hedge_words)
        for (x, y), trigger in partnerships_in(view, lexicon):
            if any(_same_pair((x.mention, y.mention), pair) for pair in seen):
                continue
            seen.append((x.mention, y.mention))
            found.append(Partnership(view.span, x.mention, y.mention, hedged, trigger))
    return found


__all__ = ["merge_repeats", "rule_investments", "rule_partnerships"]
