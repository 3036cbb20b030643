"""Investment and partnership facts, found sentence by sentence.

A fact needs a trigger word (from the language's data file) and parties in
the same sentence.  Roles come from word order around the trigger, which
holds for the SVO languages kg supports: the investor is the party named
before ``invest``, the target the organization after it, the destination a
country after a locative preposition.  Precision first: a role that word
order does not settle stays empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from kg.extract.facts_lexicon import FactLexicon, WordList, fact_lexicon
from kg.extract.registry import register_extractor
from kg.knowledge import load_knowledge
from kg.model import EntityKind, Extraction, Investment, Mention, MoneyAmount, Partnership, Span
from kg.rdf.iri import normalise_name

PARTY_KINDS = (EntityKind.ORGANIZATION, EntityKind.COUNTRY)
NON_PARTY_TYPES = {"media"}


@dataclass(frozen=True)
class Party:
    """A mention placed in its sentence: token index and whether it names a place."""

    mention: Mention
    token: int
    end_token: int
    locative: bool


@dataclass
class SentenceView:
    """One sentence with its words, parties and amounts, ready for role assignment."""

    sent: SpacySpan
    words: list[str]
    parties: list[Party]
    amounts: list[tuple[int, MoneyAmount]]

    def find(self, words: WordList) -> list[tuple[int, int]]:
        """(token index, length) of every match of ``words`` in the sentence."""
        hits = []
        for i in range(len(self.words)):
            size = words.matches(self.words, i)
            if size:
                hits.append((i, size))
        return hits

    def has(self, words: WordList) -> bool:
        return bool(self.find(words))

    def trigger_text(self, index: int, size: int) -> str:
        return " ".join(t.text for t in self.sent[index : index + size])


def _identity(mention: Mention) -> str:
    return mention.key or normalise_name(mention.text)


def _sentence_views(doc: Doc, extraction: Extraction) -> list[SentenceView]:
    lexicons = fact_lexicon(extraction.article.lang)
    knowledge = load_knowledge()
    views = []
    for sent in doc.sents:
        words = [t.lower_ for t in sent]
        parties = []
        for m in extraction.mentions:
            if m.kind not in PARTY_KINDS or not (sent.start_char <= m.span.start < sent.end_char):
                continue
            if m.key and m.key in knowledge.orgs and knowledge.orgs[m.key].type in NON_PARTY_TYPES:
                continue
            span = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
            if span is None:
                continue
            first, last = span.start - sent.start, span.end - sent.start
            locative = m.kind is EntityKind.COUNTRY and _after_marker(words, first, lexicons.locative_markers)
            parties.append(Party(m, first, last, locative))
        parties = _spread_locative(words, sorted(parties, key=lambda p: p.token), lexicons)
        amounts = []
        for a in extraction.amounts:
            if sent.start_char <= a.span.start < sent.end_char:
                span = doc.char_span(a.span.start, a.span.end, alignment_mode="expand")
                if span is not None:
                    amounts.append((span.start - sent.start, a))
        parties = [p for p in parties if not any(a.span.start <= p.mention.span.start < a.span.end for _, a in amounts)]
        views.append(SentenceView(sent, words, sorted(parties, key=lambda p: p.token), amounts))
    return views


def _spread_locative(words: list[str], parties: list[Party], lexicon: FactLexicon) -> list[Party]:
    """"in Malaysia and Vietnam": a country coordinated with a place is a place too."""
    out: list[Party] = []
    for party in parties:
        if out and out[-1].locative and party.mention.kind is EntityKind.COUNTRY and not party.locative:
            between = words[out[-1].end_token : party.token]
            if all(w in {",", "&"} or lexicon.coordinators.matches(between, i) for i, w in enumerate(between)):
                party = Party(party.mention, party.token, party.end_token, True)
        out.append(party)
    return out


def _after_marker(words: list[str], index: int, markers: WordList) -> bool:
    """True when one of ``markers`` ends right before ``words[index]`` (an article may sit between)."""
    for gap in (1, 2):
        start = index - gap
        if start < 0:
            continue
        for size in (1, 2, 3):
            begin = index - gap - size + 1
            if begin >= 0 and markers.matches(words, begin) == size and begin + size in (index, index - 1):
                return True
    return False


def _coordinated(view: SentenceView, left: Party, right: Party, lexicon: FactLexicon) -> bool:
    """Only commas, conjunctions and articles between two parties: they act together."""
    between = view.words[left.end_token : right.token]
    i = 0
    while i < len(between):
        if between[i] in {",", "&", "/"}:
            i += 1
            continue
        size = lexicon.coordinators.matches(between, i)
        if not size:
            return False
        i += size
    return True


def _group_ending_at(view: SentenceView, index: int, lexicon: FactLexicon) -> list[Party]:
    """The run of coordinated parties that ends with ``view.parties[index]``."""
    group = [view.parties[index]]
    for j in range(index - 1, -1, -1):
        if not _coordinated(view, view.parties[j], group[0], lexicon):
            break
        group.insert(0, view.parties[j])
    return group


def _group_starting_at(view: SentenceView, index: int, lexicon: FactLexicon) -> list[Party]:
    group = [view.parties[index]]
    for j in range(index + 1, len(view.parties)):
        if not _coordinated(view, group[-1], view.parties[j], lexicon):
            break
        group.append(view.parties[j])
    return group


def _evidence(view: SentenceView, extraction: Extraction) -> Span:
    start, end = view.sent.start_char, view.sent.end_char
    text = extraction.article.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def _nearest_amount(view: SentenceView, trigger: int) -> MoneyAmount | None:
    after = [a for i, a in view.amounts if i >= trigger]
    before = [a for i, a in view.amounts if i < trigger]
    if after:
        return after[0]
    return before[-1] if before else None


def _investment_in(view: SentenceView, extraction: Extraction, lexicon: FactLexicon) -> Investment | None:
    invest = view.find(lexicon.invest_triggers)
    if not invest and view.amounts:
        invest = view.find(lexicon.weak_invest_triggers)
    raise_ = view.find(lexicon.raise_triggers)
    if not invest and not raise_:
        return None
    if raise_ and (not invest or raise_[0][0] <= invest[0][0]):
        return _raise_fact(view, extraction, lexicon, *raise_[0])
    return _invest_fact(view, extraction, lexicon, *invest[0])


def _invest_fact(view: SentenceView, extraction: Extraction, lexicon: FactLexicon, at: int, size: int) -> Investment | None:
    agents_before = [
        i
        for i, p in enumerate(view.parties)
        if p.end_token <= at
        and not p.locative
        and not (p.mention.kind is EntityKind.COUNTRY and _after_marker(view.words, p.token, lexicon.genitive_markers))
    ]
    investors: list[Party] = _group_ending_at(view, agents_before[-1], lexicon) if agents_before else []
    if not investors:
        investors = _marked_after(view, at, lexicon.agent_markers, lexicon)
    chosen = {id(p) for p in investors}
    after = [p for p in view.parties if p.token >= at + size and id(p) not in chosen]
    target = next((p for p in after if p.mention.kind is EntityKind.ORGANIZATION), None)
    country = next((p for p in after if p.locative), None) or next(
        (p for p in view.parties if p.locative and id(p) not in chosen), None
    )
    return _investment(view, extraction, lexicon, investors, target, country, _nearest_amount(view, at), view.trigger_text(at, size))


def _raise_fact(view: SentenceView, extraction: Extraction, lexicon: FactLexicon, at: int, size: int) -> Investment | None:
    before = [p for p in view.parties if p.end_token <= at and p.mention.kind is EntityKind.ORGANIZATION]
    target = before[-1] if before else None
    investors = _marked_after(view, at, lexicon.agent_markers, lexicon)
    country = next((p for p in view.parties if p.locative), None)
    return _investment(view, extraction, lexicon, investors, target, country, _nearest_amount(view, at), view.trigger_text(at, size))


def _marked_after(view: SentenceView, at: int, markers: WordList, lexicon: FactLexicon) -> list[Party]:
    """Parties introduced by a marker (``by``, ``door``, ``oleh``) after the trigger."""
    for i, party in enumerate(view.parties):
        if party.token > at and not party.locative and _after_marker(view.words, party.token, markers):
            return _group_starting_at(view, i, lexicon)
    return []


def _investment(
    view: SentenceView,
    extraction: Extraction,
    lexicon: FactLexicon,
    investors: list[Party],
    target: Party | None,
    country: Party | None,
    amount: MoneyAmount | None,
    trigger: str,
) -> Investment | None:
    investor = investors[0].mention if investors else None
    if target is not None and investor is not None and _identity(target.mention) == _identity(investor):
        target = None
    roles = [investor, amount, target, country]
    if sum(r is not None for r in roles) < 2 or (investor is None and target is None):
        return None
    return Investment(
        evidence=_evidence(view, extraction),
        investor=investor,
        co_investors=tuple(p.mention for p in investors[1:]),
        amount=amount,
        target=target.mention if target else None,
        country=country.mention if country else None,
        hedged=view.has(lexicon.hedge_words),
        trigger=trigger,
    )


def _role_key(fact: Investment) -> tuple[str | None, ...]:
    amount = None if fact.amount is None else f"{fact.amount.value}:{fact.amount.currency}"
    return tuple(
        None if m is None else _identity(m) for m in (fact.investor, fact.target, fact.country)
    ) + (amount,)


def _compatible(a: tuple[str | None, ...], b: tuple[str | None, ...]) -> bool:
    shared = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    return all(x == y for x, y in shared) and len(shared) >= 2


def _merge_repeats(facts: list[Investment]) -> list[Investment]:
    """Repetitions of one fact collapse to the most complete statement of it."""
    kept: list[Investment] = []
    for fact in facts:
        key = _role_key(fact)
        for i, other in enumerate(kept):
            other_key = _role_key(other)
            if _compatible(key, other_key):
                if sum(k is not None for k in key) > sum(k is not None for k in other_key):
                    kept[i] = fact
                break
        else:
            kept.append(fact)
    return kept


@register_extractor("investments")
def extract_investments(doc: Doc, extraction: Extraction) -> None:
    """Who invests how much in what and where, one candidate per sentence."""
    lexicon = fact_lexicon(extraction.article.lang)
    facts = [f for view in _sentence_views(doc, extraction) if (f := _investment_in(view, extraction, lexicon))]
    extraction.investments.extend(_merge_repeats(facts))


def _pairs(view: SentenceView, lexicon: FactLexicon, at: int) -> list[tuple[Party, Party]]:
    before = [i for i, p in enumerate(view.parties) if p.end_token <= at and not p.locative]
    after = [
        i
        for i, p in enumerate(view.parties)
        if p.token > at and not p.locative and _after_marker(view.words, p.token, lexicon.partner_markers)
    ]
    lead = _group_ending_at(view, before[-1], lexicon) if before else []
    lead = [p for p in lead if not p.locative]
    others = _group_starting_at(view, after[0], lexicon) if after else []
    others = [p for p in others if not p.locative]
    pairs: list[tuple[Party, Party]] = []
    if lead and others:
        pairs += [(x, y) for i, x in enumerate(lead) for y in lead[i + 1 :]]
        pairs += [(x, y) for x in lead for y in others]
    elif len(lead) >= 2:
        pairs += [(x, y) for i, x in enumerate(lead) for y in lead[i + 1 :]]
    elif len(others) >= 2:
        pairs += [(x, y) for i, x in enumerate(others) for y in others[i + 1 :]]
    return [(x, y) for x, y in pairs if _identity(x.mention) != _identity(y.mention)]


@register_extractor("partnerships")
def extract_partnerships(doc: Doc, extraction: Extraction) -> None:
    """Symmetric cooperation between parties named around a partnership trigger."""
    lexicon = fact_lexicon(extraction.article.lang)
    seen: set[frozenset[str]] = set()
    for view in _sentence_views(doc, extraction):
        hits = view.find(lexicon.partner_triggers)
        if not hits or len(view.parties) < 2:
            continue
        at, size = hits[0]
        for x, y in _pairs(view, lexicon, at):
            pair = frozenset((_identity(x.mention), _identity(y.mention)))
            if pair in seen:
                continue
            seen.add(pair)
            extraction.partnerships.append(
                Partnership(
                    evidence=_evidence(view, extraction),
                    a=x.mention,
                    b=y.mention,
                    hedged=view.has(lexicon.hedge_words),
                    trigger=view.trigger_text(at, size),
                )
            )


__all__ = ["extract_investments", "extract_partnerships"]
