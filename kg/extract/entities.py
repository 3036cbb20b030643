"""Doc -> sentences, money amounts and entity mentions.

Mentions come from the spaCy pipeline's entities; names found there by rules
or a model are then looked for again in the rest of the article, because a
rule fires where its cue is (``la société Calcul Souverain SAS``) while the
article goes on to say ``Calcul Souverain``.  What is looked for again:

* the name as found, and without its legal form (``Polder Compute``);
* an organization's first word when the rest only describes it (``Fathom``
  for ``Fathom Silicon``, ``Nscale`` for ``Nscale Global Holdings``);
* a person's surname, particles included (``Altman``, ``van Leeuwen`` /
  ``Van Leeuwen``), which the resolver then links to the full name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

import spacy
from spacy.tokens import Doc

from kg.extract.registry import register_extractor
from kg.model import EntityKind, Extraction, Mention, Span
from kg.nlp.ents import doc_text
from kg.nlp.lexicon import name_lexicon, strip_legal_form

KIND_BY_LABEL = {
    "ORG": EntityKind.ORGANIZATION,
    "PERSON": EntityKind.PERSON,
    "COUNTRY": EntityKind.COUNTRY,
    "PROJECT": EntityKind.PROJECT,
}
CONFIDENCE_BY_ORIGIN = {"gazetteer": 0.95, "cldr": 0.95, "model": 0.8, "rule": 0.75, "propagated": 0.7}
MIN_SHORT_NAME = 4


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

    extraction.amounts.extend(find_amounts(doc_text(doc), extraction.article.lang, extraction.sentences))


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
    lang = extraction.article.lang
    mentions.extend(_propagate(doc_text(doc), mentions, extraction.sentences, lang))
    extraction.mentions.extend(sorted(mentions, key=lambda m: m.span.start))


@cache
def _stop_words(lang: str) -> frozenset[str]:
    try:
        return frozenset(w.lower() for w in spacy.util.get_lang_class(lang).Defaults.stop_words)
    except ImportError:
        return frozenset()


def person_short_forms(name: str, lang: str) -> list[str]:
    """Short forms of a full name: ``Ingrid van Leeuwen`` -> ``van Leeuwen``, ``Van Leeuwen``.

    Indonesian news also calls people by their first name (``Budi``), so the
    language's lexicon says which parts to use.
    """
    words = name.split()
    if len(words) < 2:
        return []
    lexicon = name_lexicon(lang)
    forms: list[str] = []
    if "first" in lexicon.person_short_forms and len(words[0]) > 2:
        forms.append(words[0])
    if "last" in lexicon.person_short_forms:
        particles = {p.lower() for p in (*lexicon.name_particles, *lexicon.name_particle_followers)}
        first_particle = next((i for i, w in enumerate(words[1:], 1) if w.lower() in particles), None)
        if first_particle is not None and first_particle < len(words) - 1:
            tail = " ".join(words[first_particle:])
            forms += [tail, tail[:1].upper() + tail[1:]]
        elif len(words[-1]) > 2:
            forms.append(words[-1])
    return forms


def org_short_forms(name: str, lang: str) -> list[str]:
    """``Polder Compute B.V.`` -> ``Polder Compute``; ``Fathom Silicon`` -> ``Fathom``."""
    bare = strip_legal_form(name, lang)
    forms = [bare] if bare != name and len(bare) >= 3 else []
    words = bare.split()
    describing = set(name_lexicon(lang).org_head_words) | set(name_lexicon(lang).corporate_words)
    if len(words) >= 2 and len(words[0]) >= MIN_SHORT_NAME and all(w in describing for w in words[1:]):
        forms.append(words[0])
    return forms


def _seeds(mentions: list[Mention], lang: str) -> dict[str, Mention]:
    """Names worth looking for again, each with the mention it comes from."""
    seeds: dict[str, Mention] = {}
    for m in mentions:
        if m.kind is EntityKind.COUNTRY or m.origin == "gazetteer":
            continue
        if m.kind is EntityKind.PERSON:
            if len(m.text.split()) < 2:
                continue  # a lone capitalised word is weak evidence: do not spread it
            seeds.setdefault(m.text, m)
            for surname in person_short_forms(m.text, lang):
                seeds.setdefault(surname, m)
        else:
            seeds.setdefault(m.text, m)
            for form in org_short_forms(m.text, lang):
                seeds.setdefault(form, m)
    return seeds


def _propagate(text: str, mentions: list[Mention], sentences: list[Span], lang: str) -> Iterable[Mention]:
    """Find again, elsewhere in the article, names that rules or a model found once."""
    taken = [(m.span.start, m.span.end) for m in mentions]
    starts = {s.start for s in sentences}
    stop_words = _stop_words(lang)
    added: list[Mention] = []
    for name, seed in sorted(_seeds(mentions, lang).items(), key=lambda item: -len(item[0])):
        for found in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            start, end = found.span()
            if any(s < end and start < e for s, e in taken):
                continue
            if start in starts and name.lower() in stop_words:
                continue  # "Son" opening a Spanish sentence is a verb, not a surname
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
