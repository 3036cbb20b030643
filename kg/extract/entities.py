"""Doc -> sentences, money amounts and entity mentions.

Mentions come from the spaCy pipeline's entities; names found there by rules
or a model are then looked for again in the rest of the article, and a
person's surname alone is linked to the full name seen before (``Altman``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc

from kg.extract.registry import register_extractor
from kg.model import EntityKind, Extraction, Mention, Span

KIND_BY_LABEL = {"ORG": EntityKind.ORGANIZATION, "PERSON": EntityKind.PERSON, "COUNTRY": EntityKind.COUNTRY}
CONFIDENCE_BY_ORIGIN = {"gazetteer": 0.95, "cldr": 0.95, "model": 0.8, "rule": 0.75, "propagated": 0.7}


@register_extractor("sentences")
def extract_sentences(doc: Doc, extraction: Extraction) -> None:
    """Sentence spans with surrounding whitespace trimmed."""
    for sent in doc.sents:
        text = sent.text
        start = sent.start_char + (len(text) - len(text.lstrip()))
        end = sent.end_char - (len(text) - len(text.rstrip()))
        if end > start:
            extraction.sentences.append(Span(start, end))


def sentence_of(sentences: list[Span], start: int, end: int) -> Span:
    """The sentence that contains ``[start, end)``, or the span itself if none does."""
    for sent in sentences:
        if sent.start <= start < sent.end:
            return Span(sent.start, max(sent.end, end))
    return Span(start, end)


@register_extractor("amounts")
def extract_amounts(doc: Doc, extraction: Extraction) -> None:
    """Money amounts, found on the text with the article's locale."""
    from kg.extract.money import find_amounts

    extraction.amounts.extend(find_amounts(doc.text, extraction.article.lang, extraction.sentences))


@register_extractor("entities")
def extract_entities(doc: Doc, extraction: Extraction) -> None:
    """Entity mentions from ``doc.ents``, minus country names inside money amounts."""
    money = [(a.span.start, a.span.end) for a in extraction.amounts]
    mentions = []
    for ent in doc.ents:
        kind = KIND_BY_LABEL.get(ent.label_)
        if kind is None:
            continue
        start, end = ent.start_char, ent.end_char
        if kind is EntityKind.COUNTRY and any(s <= start and end <= e for s, e in money):
            continue  # "dolar AS", "US$": a currency, not the country
        mentions.append(
            Mention(
                span=Span(start, end),
                text=ent.text,
                kind=kind,
                sentence=sentence_of(extraction.sentences, start, end),
                key=ent.kb_id_ or None,
                confidence=CONFIDENCE_BY_ORIGIN.get(ent.id_, 0.7),
                origin=ent.id_ or "model",
            )
        )
    mentions.extend(_propagate(doc.text, mentions, extraction.sentences))
    extraction.mentions.extend(sorted(mentions, key=lambda m: m.span.start))


def _propagate(text: str, mentions: list[Mention], sentences: list[Span]) -> Iterable[Mention]:
    """Find again, elsewhere in the article, names that rules or a model found once."""
    taken = [(m.span.start, m.span.end) for m in mentions]
    seeds: dict[str, Mention] = {}
    for m in mentions:
        if m.kind is EntityKind.COUNTRY or m.origin == "gazetteer":
            continue
        seeds.setdefault(m.text, m)
        parts = m.text.split()
        if m.kind is EntityKind.PERSON and len(parts) >= 2 and len(parts[-1]) > 2:
            seeds.setdefault(parts[-1], m)
    added: list[Mention] = []
    for name, seed in sorted(seeds.items(), key=lambda item: -len(item[0])):
        for found in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            start, end = found.span()
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            added.append(
                Mention(
                    span=Span(start, end),
                    text=name,
                    kind=seed.kind,
                    sentence=sentence_of(sentences, start, end),
                    key=seed.key,
                    confidence=min(seed.confidence, CONFIDENCE_BY_ORIGIN["propagated"]),
                    origin="propagated",
                )
            )
    return added
