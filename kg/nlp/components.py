"""spaCy components kg registers by name, so a pipeline is built from configuration.

Entity spans carry their canonical key in ``kb_id_`` (ISO code for countries,
gazetteer id for known organizations) and their origin in ``id_``
(``gazetteer``, ``cldr``, ``rule`` or ``model``).  Labels are ``ORG``,
``PERSON`` and ``COUNTRY``; ``NONENT`` marks names that must never become an
entity (products, regions, currency names) and is removed at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.knowledge import Knowledge, load_knowledge
from kg.nlp.lexicon import NameLexicon, name_lexicon

ORG, PERSON, COUNTRY, NONENT = "ORG", "PERSON", "COUNTRY", "NONENT"
SHORT_NAME = 4  # names this short (US, AS, AWS) only match with their exact case
MAX_NAME_TOKENS = 6


@Language.component("kg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and list items carry no full stop."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if ("\n" in previous.text or "\n" in previous.whitespace_) and not token.is_space:
            token.is_sent_start = True
    return doc


def _pattern_docs(nlp: Language, names: Iterable[str]) -> list[Doc]:
    return [nlp.make_doc(name) for name in dict.fromkeys(n for n in names if n.strip())]


class GazetteerRuler:
    """Marks known countries, organizations and non-entities with their canonical keys."""

    def __init__(self, nlp: Language, lang: str, gazetteers: list[str]) -> None:
        self.knowledge: Knowledge = load_knowledge([Path(p) for p in gazetteers])
        self.lang = lang
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.keys: dict[str, tuple[str, str, str]] = {}
        self._add_countries(nlp)
        self._add_orgs(nlp)
        self._add_non_entities(nlp, name_lexicon(lang))

    def _add(self, nlp: Language, label: str, key: str, origin: str, names: Iterable[str], folded: bool) -> None:
        match_id = f"{label}|{key}|{origin}"
        self.keys[match_id] = (label, key, origin)
        docs = _pattern_docs(nlp, names)
        if docs:
            (self.folded if folded else self.exact).add(match_id, docs)

    def _add_countries(self, nlp: Language) -> None:
        wanted = {self.lang, "en", "*"}
        for entry in self.knowledge.country_names:
            if entry.ambiguous or entry.lang not in wanted:
                continue
            names = [entry.name]
            if not entry.case_sensitive and len(entry.name) > SHORT_NAME:
                names.append(entry.name.upper())
            self._add(nlp, COUNTRY, entry.iso, "cldr", names, folded=False)

    def _add_orgs(self, nlp: Language) -> None:
        for org in self.knowledge.orgs.values():
            names = (org.label, *org.aliases)
            self._add(nlp, ORG, org.id, "gazetteer", [n for n in names if len(n) > SHORT_NAME], folded=True)
            short = [n for n in names if len(n) <= SHORT_NAME]
            self._add(nlp, ORG, org.id, "gazetteer", short + [n.upper() for n in short], folded=False)

    def _add_non_entities(self, nlp: Language, lexicon: NameLexicon) -> None:
        names = set(lexicon.currency_country_phrases)
        for lang in (self.lang, "*"):
            names |= self.knowledge.non_entities.get(lang, set())
        self._add(nlp, NONENT, "", "lexicon", names, folded=True)

    def __call__(self, doc: Doc) -> Doc:
        spans = [
            Span(doc, start, end, label=self.keys[doc.vocab.strings[mid]][0],
                 kb_id=self.keys[doc.vocab.strings[mid]][1], span_id=self.keys[doc.vocab.strings[mid]][2])
            for matcher in (self.exact, self.folded)
            for mid, start, end in matcher(doc)
        ]
        spans = [s for s in spans if s.label_ == NONENT or _starts_like_a_name(s)]
        doc.ents = filter_spans(list(doc.ents) + spans)
        return doc


def _starts_like_a_name(span: Span) -> bool:
    """Case-folded matches must still look like names: 'orange' is a colour, 'Orange' a telecom."""
    first = span.text[:1]
    return first.isupper() or first.isdigit()


@Language.factory("kg_gazetteer_ruler", default_config={"lang": "en", "gazetteers": []})
def make_gazetteer_ruler(nlp: Language, name: str, lang: str, gazetteers: list[str]) -> GazetteerRuler:
    return GazetteerRuler(nlp, lang, gazetteers)


class NameRules:
    """Finds unknown organizations and persons from cues next to them.

    Legal forms (``Rechenwerk GmbH``, ``PT Nusantara Data Tbk``), cue words
    before a name (``het bedrijf X``, ``la société X``, ``perusahaan X``) and
    roles around a person (``CEO Jensen Huang``, ``Sam Altman, CEO``).  Precision
    comes first: a name must be a run of capitalised tokens next to the cue.
    """

    def __init__(self, nlp: Language, lang: str) -> None:
        self.lexicon = name_lexicon(lang)
        self.particles = {p.lower() for p in self.lexicon.name_particles}
        self.stops = set(self.lexicon.not_name_starts) | set(self.lexicon.person_titles)
        self.suffixes = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.suffixes.add("suffix", _pattern_docs(nlp, self.lexicon.legal_suffixes))
        self.prefixes = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.prefixes.add("prefix", _pattern_docs(nlp, self.lexicon.legal_prefixes))
        self.cues = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.cues.add(ORG, _pattern_docs(nlp, self.lexicon.org_cues))
        self.cues.add(PERSON, _pattern_docs(nlp, self.lexicon.person_cues))

    def __call__(self, doc: Doc) -> Doc:
        found = list(self._legal_forms(doc)) + list(self._cued(doc))
        taken = {t.i for ent in doc.ents for t in ent}
        fresh = [s for s in found if not any(t.i in taken for t in s)]
        doc.ents = filter_spans(list(doc.ents) + fresh)
        return doc

    def _is_name_token(self, token: Token) -> bool:
        text = token.text
        if token.is_punct and text not in {"&"}:
            return False
        return (text[:1].isupper() or text == "&" or (text[:1].isdigit() and any(c.isalpha() for c in text))) and not token.is_space

    def _name_after(self, doc: Doc, start: int) -> int:
        """End of the run of name tokens starting at ``start`` (particles allowed inside)."""
        end = start
        while end < len(doc) and end - start < MAX_NAME_TOKENS:
            token = doc[end]
            if (self._is_name_token(token) and token.text not in self.stops) or (token.lower_ in self.particles and end > start and end + 1 < len(doc) and self._is_name_token(doc[end + 1])):
                end += 1
            else:
                break
        return end

    def _name_before(self, doc: Doc, end: int) -> int:
        """Start of the run of name tokens ending just before ``end``."""
        start = end
        while start > 0 and end - start < MAX_NAME_TOKENS:
            token = doc[start - 1]
            if token.is_sent_start and token.text in self.stops:
                break
            if self._is_name_token(token) or (token.lower_ in self.particles and start < end and start - 2 >= 0 and self._is_name_token(doc[start - 2])):
                start -= 1
            else:
                break
            if doc[start].is_sent_start:
                break
        while start < end and (doc[start].lower_ in self.particles or doc[start].text in self.stops):
            start += 1
        return start

    def _legal_forms(self, doc: Doc) -> Iterator[Span]:
        for _, start, end in self.suffixes(doc):
            name_start = self._name_before(doc, start)
            if name_start < start:
                yield Span(doc, name_start, end, label=ORG, span_id="rule")
        for _, start, end in self.prefixes(doc):
            name_end = self._name_after(doc, end)
            if name_end > end:
                suffix_end = max((e for _, s, e in self.suffixes(doc[name_end : name_end + 2].as_doc()) if s == 0), default=0)
                yield Span(doc, start, name_end + suffix_end, label=ORG, span_id="rule")

    def _cued(self, doc: Doc) -> Iterator[Span]:
        for match_id, start, end in self.cues(doc):
            label = doc.vocab.strings[match_id]
            name_end = self._name_after(doc, end)
            if name_end > end and not doc[end].is_sent_start:
                yield Span(doc, end, name_end, label=label, span_id="rule")
            if label == PERSON and start >= 2 and doc[start - 1].text == ",":
                name_start = self._name_before(doc, start - 1)
                if start - 1 - name_start >= 2:
                    yield Span(doc, name_start, start - 1, label=PERSON, span_id="rule")


@Language.factory("kg_name_rules", default_config={"lang": "en"})
def make_name_rules(nlp: Language, name: str, lang: str) -> NameRules:
    return NameRules(nlp, lang)


class EntityFilter:
    """Maps statistical-model labels onto kg's types and drops what kg does not keep.

    Model ``LOC`` entities become countries only when they resolve to one;
    ``MISC`` and ``NONENT`` spans are dropped; ``PER`` becomes ``PERSON``.
    """

    def __init__(self, lang: str, gazetteers: list[str]) -> None:
        self.lang = lang
        self.knowledge = load_knowledge([Path(p) for p in gazetteers])

    def __call__(self, doc: Doc) -> Doc:
        kept = []
        for ent in doc.ents:
            mapped = self._map(ent)
            if mapped is not None:
                kept.append(mapped)
        doc.ents = kept
        return doc

    def _map(self, ent: Span) -> Span | None:
        label = ent.label_
        if label in {ORG, PERSON, COUNTRY} and ent.id_:
            return ent
        text = ent.text.strip()
        if label == NONENT or not text or self.knowledge.is_non_entity(text, self.lang):
            return None
        iso = self.knowledge.country_iso(text)
        if label in {"LOC", "GPE"}:
            return Span(ent.doc, ent.start, ent.end, label=COUNTRY, kb_id=iso, span_id="model") if iso else None
        if label in {"ORG", "PER", "PERSON"} and iso is None and _starts_like_a_name(ent):
            new_label = ORG if label == "ORG" else PERSON
            org_id = self.knowledge.org_id(text) if new_label == ORG else None
            return Span(ent.doc, ent.start, ent.end, label=new_label, kb_id=org_id or "", span_id="model")
        return None


@Language.factory("kg_entity_filter", default_config={"lang": "en", "gazetteers": []})
def make_entity_filter(nlp: Language, name: str, lang: str, gazetteers: list[str]) -> EntityFilter:
    return EntityFilter(lang, gazetteers)
