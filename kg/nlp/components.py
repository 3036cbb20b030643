"""spaCy components kg registers by name, so a pipeline is built from configuration.

Entity spans carry their canonical key in ``kb_id_`` (ISO code for countries,
gazetteer id for known organizations) and their origin in ``id_``
(``gazetteer``, ``cldr``, ``rule`` or ``model``).  Labels are ``ORG``,
``PERSON`` and ``COUNTRY``; ``NONENT`` marks names that must never become an
entity (products, regions, currency names) and is removed at the end.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from spacy.attrs import IS_LOWER, LOWER, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.knowledge import Knowledge, load_knowledge
from kg.nlp.ents import doc_text, set_entities
from kg.nlp.lexicon import NameLexicon, NonNameClass, name_lexicon, non_name_lexicon
from kg.nlp.name_rules import NameRules, is_title_case
from kg.text import abbreviates, is_abbreviation, normalise_name

ORG, PERSON, COUNTRY, PROJECT, NONENT = "ORG", "PERSON", "COUNTRY", "PROJECT", "NONENT"
SHORT_NAME = 4  # names this short (US, AS, AWS) only match with their exact case
GAZETTEER_ORIGINS = {"gazetteer", "cldr"}
FUND_TYPES = {"fund", "investor", "sovereign_fund"}
_GLUED_BRACKET = re.compile(r"^([A-Z][\w.&-]*[a-z0-9])\(([A-Z][\w&.-]*)$")
_VINTAGE = re.compile(r"^(?:[1-9]|I{2,3}|IV|VI{0,3}|IX|X)$")
SENTENCE_END = {".", "!", "?", "…", ":", ";", "•", "·", "-", "–", "—", "|", "«", "»", '"', "“", "”"}


@Language.component("kg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines and list items carry no full stop.

    A full stop that only ends an abbreviation the tokenizer does not know
    does not: the next word is lowercase ("U.S. officials"), or a number after
    a short lowercase abbreviation ("ca. 2 miljarder", "mld. 3"), so the
    sentence, and the fact in it, stays whole.
    """
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if ("\n" in previous.text or "\n" in previous.whitespace_) and not token.is_space:
            token.is_sent_start = True
        elif _ends_an_abbreviation(previous, token):
            token.is_sent_start = False
    return doc


def _ends_an_abbreviation(previous: Token, token: Token) -> bool:
    if not previous.text.endswith(".") or previous.text.endswith(".."):
        return False
    first = token.text[:1]
    if first.isalpha() and first.islower():
        return True
    word = previous.text[:-1] if len(previous.text) > 1 else (previous.nbor(-1).text if previous.i > 0 else "")
    if len(word) == 1 and word.isupper() and token.text.rstrip(".").isalpha() and len(token.text.rstrip(".")) == 1:
        return True  # initials and dotted legal forms cut into letters: "S . A .", "J. R. Tolkien"
    if not first.isdigit():
        return False
    if not (word.isalpha() and word.islower()) or previous.whitespace_ != " ":
        return False
    # a short word without vowels is an abbreviation ("mld", "mrd", "mn"), a short word is not ("met")
    return word in _APPROXIMATIONS or (len(word) <= 4 and not any(ch in _VOWELS for ch in word))


_VOWELS = set("aeiouyàáâäãåæèéêëìíîïòóôöõøùúûüý")
_APPROXIMATIONS = {"ca", "cca", "approx", "aprox", "env"}  # Latin "circa" and its kin across European news


def _pattern_docs(nlp: Language, names: Iterable[str]) -> list[Doc]:
    return [nlp.make_doc(name) for name in dict.fromkeys(n for n in names if n.strip())]


def starts_sentence(token: Token) -> bool:
    """Whether ``token`` opens a sentence, also before a parser has set boundaries."""
    if token.i == 0:
        return True
    if token.doc.has_annotation("SENT_START") and token.is_sent_start:
        return True
    previous = token.doc[token.i - 1]
    return previous.text in SENTENCE_END or "\n" in previous.text_with_ws


def dash_aside_splits(doc: Doc, candidates: list[int]) -> list[tuple[int, list[str]]]:
    """Hyphens written as dashes but glued to a word: ``(Reuters) -Oracle``, ``-que antes dirigió Iberdrola- llegó``.

    spaCy splits a spaced en dash but keeps an ASCII hyphen on the word it touches, so ``-Oracle`` is no
    name any matcher or model knows.  A hyphen that opens a word after a space (before a letter, so
    ``-5%`` stays a number) is a dash; one that closes a word before a space is a dash only while such an
    opening dash is still open in the same sentence, so the suspended compounds of German and Dutch
    (``IT- und Digitalsparte``, ``productie- en``) keep their hyphen.
    """
    out: list[tuple[int, list[str]]] = []
    opened = False
    last = -1
    for i in candidates:
        if opened and any(_ends_clause(doc[j]) for j in range(last + 1, i)):
            opened = False
        text = doc[i].text
        spaced_before = i == 0 or bool(doc[i - 1].whitespace_)
        if len(text) > 1 and text[0] == "-" and text[1].isalpha() and spaced_before:
            if text[-1] == "-" and len(text) > 2:
                out.append((i, ["-", text[1:-1], "-"]))  # "-alles-": a one-word aside
                opened = False
            else:
                out.append((i, ["-", text[1:]]))
                opened = True
        elif opened and len(text) > 1 and text[-1] == "-" and text[-2].isalnum() and doc[i].whitespace_:
            out.append((i, [text[:-1], "-"]))
            opened = False
        if _ends_clause(doc[i]):
            opened = False
        last = i
    return out


def _ends_clause(token: Token) -> bool:
    return token.text in {".", "!", "?", "…", ";"} or "\n" in token.text_with_ws


class CompoundSplitter:
    """Splits tokens that glue a name to another word, so both can be recognised.

    ``Google-moeder``, ``US-Bank``, ``Telekom-Chef``, ``Polder Compute-topman``,
    ``ANP/BLOOMBERG`` and ``Bank(UOB`` (a bracket without its space) are single tokens for spaCy; a
    known name (or a role word) inside them would otherwise be invisible to every matcher.  Tokens that
    are names as a whole (``Saudi-Arabien``, ``Invest-NL``, ``US-Dollar``) are
    left alone.
    """

    def __init__(self, lang: str, gazetteers: list[str]) -> None:
        knowledge = load_knowledge([Path(p) for p in gazetteers])
        lexicon = name_lexicon(lang)
        wanted = {lang, "en", "*"}
        names = [c.name for c in knowledge.country_names if c.lang in wanted and not c.ambiguous]
        names += [n for org in knowledge.orgs.values() for n in (org.label, *org.aliases)]
        self.exact = {n for n in names if len(n) <= SHORT_NAME}
        self.folded = {normalise_name(n) for n in names if len(n) > SHORT_NAME}
        blocked = set(lexicon.currency_country_phrases)
        for key in (lang, "*"):
            blocked |= knowledge.non_entities.get(key, set())
        self.whole = self.folded | {normalise_name(n) for n in blocked} | {normalise_name(n) for n in self.exact}
        self.legal = set(lexicon.legal_suffixes)
        cues = [c for c in lexicon.role_phrases() if " " not in c]
        self.role_words = {c.lower() for c in cues} | {s.strip("-").lower() for s in lexicon.person_cue_suffixes}

    def __call__(self, doc: Doc) -> Doc:
        candidates = [
            i
            for i, text in enumerate(t.text for t in doc)
            if "-" in text or "/" in text or "(" in text or text[-1:] == "."
        ]
        splits = [(doc[i], parts) for i in candidates if (parts := self.parts(doc[i].text))]
        split_at = {token.i for token, _ in splits}
        splits += [(doc[i], parts) for i, parts in dash_aside_splits(doc, candidates) if i not in split_at]
        if splits:
            with doc.retokenize() as retokenizer:
                for token, parts in splits:
                    retokenizer.split(token, parts, heads=[(token, 0)] * len(parts))
        return doc

    def parts(self, text: str) -> list[str] | None:
        """The pieces ``text`` should be split into, or ``None`` to keep it whole."""
        if normalise_name(text) in self.whole:
            return None
        if text.endswith(".") and text not in self.legal and (text[:-1] in self.exact or text[:-1] in self.legal):
            return [text[:-1], "."]  # Dutch "VS.", German "GmbH." at a sentence end
        if len(text) < 4:
            return None
        glued = _GLUED_BRACKET.match(text)
        if glued:
            return [glued.group(1), "(", glued.group(2)]  # "United Overseas Bank(UOB" lacks a space
        if "/" in text:
            pieces = text.split("/")
            if len(pieces) > 1 and all(len(p) >= 2 and p[0].isupper() for p in pieces):
                return [x for p in pieces for x in (p, "/")][:-1]
        if "-" in text:
            left, _, right = text.partition("-")
            if left and right and (self._known(left) or right.lower() in self.role_words):
                return [left, "-", right]
        return None

    def _known(self, name: str) -> bool:
        if len(name) <= SHORT_NAME:
            return name in self.exact
        return name[:1].isupper() and normalise_name(name) in self.folded


@Language.factory("kg_split_compounds", default_config={"lang": "en", "gazetteers": []})
def make_compound_splitter(nlp: Language, name: str, lang: str, gazetteers: list[str]) -> CompoundSplitter:
    return CompoundSplitter(lang, gazetteers)


class GazetteerRuler:
    """Marks known countries, organizations and non-entities with their canonical keys.

    Country names flagged ambiguous in ``countries.csv`` are used only when the
    language's name lexicon accepts them (``Amerika`` in Indonesian news is the
    US).  Organization names matched case-folded must look like names, and a
    single word that is also a stop word of the language (``Antara``) is not
    trusted as the first word of a sentence.
    """

    def __init__(self, nlp: Language, lang: str, gazetteers: list[str]) -> None:
        self.knowledge: Knowledge = load_knowledge([Path(p) for p in gazetteers])
        self.lang = lang
        self.lexicon = name_lexicon(lang)
        self.stop_words = {w.lower() for w in getattr(nlp.Defaults, "stop_words", set())}
        lexicon = self.lexicon
        self.cue_words = {c.lower() for c in (*lexicon.role_phrases(), *lexicon.org_cues, *lexicon.person_titles)}
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.keys: dict[str, tuple[str, str, str]] = {}
        self.written_names = {n for org in self.knowledge.orgs.values() for n in (org.label, *org.aliases)}
        self._add_countries(nlp)
        self._add_orgs(nlp)
        self._add_projects(nlp)
        self._add_non_entities(nlp, self.lexicon)

    def _add(self, nlp: Language, label: str, key: str, origin: str, names: Iterable[str], folded: bool) -> None:
        match_id = f"{label}|{key}|{origin}"
        self.keys[match_id] = (label, key, origin)
        docs = _pattern_docs(nlp, names)
        if docs:
            (self.folded if folded else self.exact).add(match_id, docs)

    def _add_countries(self, nlp: Language) -> None:
        wanted = {self.lang, "en", "*"}
        accepted = set(self.lexicon.accepted_ambiguous_countries)
        for entry in self.knowledge.country_names:
            if entry.lang not in wanted:
                continue
            if entry.ambiguous:
                if entry.name in accepted and entry.lang == self.lang:
                    self._add(nlp, COUNTRY, entry.iso, "cldr", [entry.name], folded=False)
                continue
            names = [entry.name]
            if not entry.case_sensitive and len(entry.name) > SHORT_NAME:
                names.append(entry.name.upper())
            self._add(nlp, COUNTRY, entry.iso, "cldr", names, folded=False)

    def _add_orgs(self, nlp: Language) -> None:
        inflections = [tuple(rule.split(">", 1)) for rule in self.lexicon.adjective_inflections if ">" in rule]
        for org in self.knowledge.orgs.values():
            names = (org.label, *org.aliases)
            if inflections:
                names = (*names, *self._inflected(names, inflections))
            if self.lexicon.genitive_endings:
                names = (*names, *self._genitives(names, self.lexicon.genitive_endings))
            if org.case_sensitive:
                self._add(nlp, ORG, org.id, "gazetteer", names, folded=False)
                continue
            self._add(nlp, ORG, org.id, "gazetteer", [n for n in names if len(n) > SHORT_NAME], folded=True)
            short = [n for n in names if len(n) <= SHORT_NAME]
            self._add(nlp, ORG, org.id, "gazetteer", short + [n.upper() for n in short], folded=False)

    @staticmethod
    def _inflected(names: Iterable[str], inflections: list[tuple[str, ...]]) -> list[str]:
        """``Deutsche Telekom`` -> ``Deutschen Telekom``: a name opening with an adjective, inflected."""
        out = []
        for name in names:
            first, _, rest = name.partition(" ")
            if not rest or len(first) < 5 or not first[:1].isupper():
                continue
            for ending, replacement in inflections:
                if first.endswith(ending):
                    out.append(f"{first[: len(first) - len(ending)]}{replacement} {rest}")
        return out

    @staticmethod
    def _genitives(names: Iterable[str], endings: Iterable[str]) -> list[str]:
        """One-word case forms of known names: ``Nvidias``, ``Microsoftu``, ``Reutersa``."""
        return [
            f"{name}{ending}"
            for name in names
            if len(name) > 3 and name[-1:].isalnum()
            for ending in endings
            if not (ending.startswith("s") and name[-1:].lower() in "sxzß")  # "Siemens" has no "Siemenss"
        ]

    def _add_projects(self, nlp: Language) -> None:
        for project in self.knowledge.projects.values():
            self._add(nlp, PROJECT, project.id, "gazetteer", (project.label, *project.aliases), folded=True)

    def _add_non_entities(self, nlp: Language, lexicon: NameLexicon) -> None:
        names = set(lexicon.currency_country_phrases)
        for lang in (self.lang, "*"):
            names |= self.knowledge.non_entities.get(lang, set())
        self._add(nlp, NONENT, "", "lexicon", names, folded=True)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for matcher in (self.exact, self.folded):
            for mid, start, end in matcher(doc):
                label, key, origin = self.keys[doc.vocab.strings[mid]]
                span = Span(doc, start, end, label=label, kb_id=key, span_id=origin)
                if label == NONENT or self._plausible(span):
                    spans.append(self._vintage(span))
        set_entities(doc, filter_spans(list(doc.ents) + spans))
        return doc

    def _vintage(self, span: Span) -> Span:
        """``SoftBank Vision Fund 2`` is a fund of its own, not the gazetteer's ``SoftBank Vision Fund``."""
        org = self.knowledge.orgs.get(span.kb_id_)
        doc = span.doc
        if org is None or org.type not in FUND_TYPES or span.end >= len(doc) or not _VINTAGE.match(doc[span.end].text):
            return span
        return Span(doc, span.start, span.end + 1, label=ORG, span_id="rule")

    def _plausible(self, span: Span) -> bool:
        """Gazetteer names that are also ordinary words are not trusted where the word is meant.

        ``PDG`` (Princeton Digital Group) is French for CEO; ``Antara`` opening an
        Indonesian sentence is "between".
        """
        if not (_starts_like_a_name(span) or span.text in self.written_names):
            return False  # "orange" is a colour, "xAI" is written that way
        if span.label_ == ORG and span.text.lower() in self.cue_words:
            return False
        return not (
            span.label_ == ORG and len(span) == 1 and span.text.lower() in self.stop_words and starts_sentence(span[0])
        )


def _starts_like_a_name(span: Span) -> bool:
    """Case-folded matches must still look like names: 'orange' is a colour, 'Orange' a telecom."""
    first = span.text[:1]
    return first.isupper() or first.isdigit()


@Language.factory("kg_gazetteer_ruler", default_config={"lang": "en", "gazetteers": []})
def make_gazetteer_ruler(nlp: Language, name: str, lang: str, gazetteers: list[str]) -> GazetteerRuler:
    return GazetteerRuler(nlp, lang, gazetteers)


@Language.factory("kg_name_rules", default_config={"lang": "en"})
def make_name_rules(nlp: Language, name: str, lang: str) -> NameRules:
    return NameRules(nlp, lang)


_POSSESSIVES = {"'s", "’s", "'", "’"}

# "L’OTAN", "dell’Enel": an elided article in front of a name is not part of it
_ELISION = re.compile(r"^[A-Za-z]{1,5}['’]$")
_PERSON_ORIGINS = {"rule", "model"}
_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.){1,3} [A-Z][a-z]")
_INITIALS_TOKEN = re.compile(r"^(?:[A-Z]\.){1,3}$")
# "Topcareer.id", "Kompas.com", "Character.ai": a site's name written as its domain names its publisher
_DOMAIN_IN_TEXT = re.compile(
    r"(?<![\w./@-])[A-Z][\w-]*\.(?:com|co\.id|id|net|org|de|fr|nl|es|it|pt|be|ch|at|co\.uk|uk|io|ai|news|info)(?![\w/@-]|\.\w)"
)
_ARABIC_SURNAME = re.compile(r"^(?:al|el|Al|El)[-‐‑][A-Z]\w+$")
_NAME_LABELS = {ORG, PERSON, "PER", COUNTRY, PROJECT}

# "ChatGPT-implementaties": a name joined to a common noun is a compound word, not a person's name
_HYPHENATED_COMMON_WORD = re.compile(r"\w[-‐‑](\w{3,})")


def _hyphenated_common_word(text: str) -> bool:
    return any(m.group(1)[0].islower() for m in _HYPHENATED_COMMON_WORD.finditer(text))


def _cut_short(ent: Span, blocked: set[int]) -> bool:
    """A model entity whose name runs on through a non-entity word: its span is not the name."""
    if ent.id_ != "model" or ent.end not in blocked:
        return False
    after = ent.end
    while after < len(ent.doc) and after in blocked:
        after += 1
    return after < len(ent.doc) and ent.doc[after].text[:1].isupper()


class _ClassCues:
    """One non-name class (``NonNameClass``) arranged for quick look-ups on a span."""

    def __init__(self, cls: NonNameClass) -> None:
        self.name = cls.name
        self.last = {w for w in cls.last_words if " " not in w}
        self.last_phrases = tuple(" " + w for w in cls.last_words if " " in w)
        self.first = {w for w in cls.first_words if " " not in w}
        self.first_phrases = tuple(w for w in cls.first_words if " " in w)
        self.before = set(cls.words_before) | self.first
        self.endings = cls.word_endings
        self.only = cls.only_words
        self.pattern = re.compile("|".join(f"(?:{p})" for p in cls.patterns)) if cls.patterns else None
        self.ends_longer_names = cls.ends_longer_names

    def matches(self, ent: Span, text: str) -> bool:
        doc = ent.doc
        first, last = ent[0].text, ent[-1].text
        if last in self.last or first in self.first or (self.last_phrases and text.endswith(self.last_phrases)):
            return True
        if any(text == p or text.startswith(p + " ") for p in self.first_phrases):
            return True
        if ent.start > 0 and doc[ent.start - 1].text in self.before:
            return True  # "Wet" + "Digitale Overheid", "la loi" + "Travail"
        if self.ends_longer_names and ent.end < len(doc) and doc[ent.end].text in self.last:
            return True  # "CHIPS" + "Act"
        low = last.lower()
        if (
            self.endings
            and low.endswith(self.endings)
            and any(low.endswith(e) and len(low) > len(e) + 2 for e in self.endings)
        ):
            return True  # "Lieferkettengesetz", "KI-Verordnung"
        if self.only and all(t.lower_ in self.only for t in ent if not t.is_punct):
            return True  # "Cloud Computing", "Generative AI"
        return self.pattern is not None and self.pattern.search(text) is not None


class NonNameCues:
    """Says whether a candidate name is a law, a programme, a technology, a region ... rather than a name.

    The classes and their cue words come from ``ontology/lexicons/non_names/<lang>.json`` (see
    ``kg.nlp.lexicon.NonNameLexicon``); demonym phrases (``Europese chipsector``, ``Deutsche
    Chipindustrie``, ``Industrie européenne``) are a demonym adjective, a country or a known
    non-entity at one end and only lowercase words or generic nouns besides.  A name with a legal
    form (``Plan Vert SAS``) is always a name.  The checks look at a span's ends and neighbours only,
    so they cost a few set look-ups per candidate.
    """

    def __init__(self, lang: str, knowledge: Knowledge, legal_words: set[str]) -> None:
        lexicon = non_name_lexicon(lang)
        self.lang = lang
        self.knowledge = knowledge
        self.classes = [_ClassCues(c) for c in lexicon.classes]
        self.adjectives = {a.casefold() for a in lexicon.adjectives}
        self.adjective_endings = lexicon.adjective_endings
        self.generic = lexicon.generic_nouns
        self.generic_endings = lexicon.generic_endings
        self.legal = legal_words
        self._adjective_cache: dict[str, bool] = {}

    def non_name_class(self, ent: Span) -> str | None:
        """The class of phrase ``ent`` belongs to (``law``, ``programme``, ``demonym`` ...), or ``None`` for a name."""
        doc = ent.doc
        if any(t.text in self.legal for t in ent) or (ent.end < len(doc) and doc[ent.end].text in self.legal):
            return None
        text = ent.text
        for cls in self.classes:
            if cls.matches(ent, text):
                return cls.name
        return "demonym" if self._demonym_phrase(ent) else None

    def _demonym_phrase(self, ent: Span) -> bool:
        words = [t for t in ent if not t.is_punct]
        if len(words) < 2:
            return False
        for adjective, rest in ((words[0], words[1:]), (words[-1], words[:-1])):
            if self._adjective(adjective.text) and all(self._generic(t.text) for t in rest):
                return True
        return False

    def _adjective(self, word: str) -> bool:
        known = self._adjective_cache.get(word)
        if known is None:
            if len(self._adjective_cache) > 50_000:
                self._adjective_cache.clear()
            known = self._adjective_cache[word] = self._is_adjective(word)
        return known

    def _is_adjective(self, word: str) -> bool:
        folded = word.casefold()
        if folded in self.adjectives:
            return True
        endings = self.adjective_endings
        if (
            endings
            and folded.endswith(endings)
            and any(folded.endswith(e) and len(folded) > len(e) + 2 for e in endings)
        ):
            return True
        return self.knowledge.is_non_entity(word, self.lang) or self.knowledge.country_iso(word) is not None

    def _generic(self, word: str) -> bool:
        if word[:1].islower():
            return True
        low = word.lower()
        if low in self.generic:
            return True
        endings = self.generic_endings
        return (
            bool(endings) and low.endswith(endings) and any(low.endswith(e) and len(low) > len(e) + 2 for e in endings)
        )


class EntityFilter:
    """Maps statistical-model labels onto kg's types and drops what kg does not keep.

    Model ``LOC`` entities become countries only when they resolve to one;
    ``MISC`` and ``NONENT`` spans are dropped; ``PER`` becomes ``PERSON``.
    Names found by rules or a model are dropped when they are a country, a
    non-entity or a government (the gold convention files governments and
    ministries under their country), and every entity on a photo-credit or
    copyright line is dropped.  A legal form the model tagged on its own
    (``SAS``) is glued back to the name before it.
    """

    def __init__(self, lang: str, gazetteers: list[str], stop_words: frozenset[str] = frozenset()) -> None:
        self.lang = lang
        self.knowledge = load_knowledge([Path(p) for p in gazetteers])
        self.lexicon = name_lexicon(lang)
        self.stop_words = stop_words
        self.legal = set(self.lexicon.legal_suffixes)
        self.government = {normalise_name(w) for w in self.lexicon.government_words}
        self.ministers = {normalise_name(w) for w in self.lexicon.ministry_roles if " " not in w}
        self.patronymics = {p.lower() for p in self.lexicon.patronymics}
        self.role_words = {w.lower() for phrase in self.lexicon.role_phrases() for w in phrase.split()}
        self.units = {u.lower() for u in self.lexicon.measure_units}
        self.first_names = set(self.lexicon.first_names)
        # the last word of each person cue as tokens show it ("primeiro-ministro" -> "ministro")
        self.person_cue_words = {c.lower().replace("-", " ").split()[-1] for c in self.lexicon.person_cues if c.strip()}
        accepted = set(self.lexicon.accepted_ambiguous_countries)
        self.ambiguous_countries = {
            normalise_name(c.name)
            for c in self.knowledge.country_names
            if c.ambiguous and not (c.name in accepted and c.lang == lang)
        }
        self.cue_words = {c.lower() for c in self.lexicon.org_cues if " " not in c}
        self.cue_suffixes = tuple(c.lower() for c in self.lexicon.org_cue_suffixes)
        self.particles = {p.lower() for p in (*self.lexicon.name_particles, *self.lexicon.name_particle_followers)}
        legal_words = {w for form in (*self.lexicon.legal_suffixes, *self.lexicon.legal_prefixes) for w in form.split()}
        self.non_names = NonNameCues(lang, self.knowledge, legal_words)
        self.titles = set(self.lexicon.person_titles)
        self.portfolio_links = {w.lower() for w in self.lexicon.portfolio_links}
        self.portfolio_starts = {p.split()[0] for p in self.lexicon.portfolios if p.strip()}
        self.org_heads = {
            h.split()[-1] for h in (*self.lexicon.org_head_words, *self.lexicon.org_body_words) if h.strip()
        }
        self.not_person = set(self.lexicon.not_person_words)
        self.unit_heads = set(self.lexicon.unit_words)
        self.headlines = not self.lexicon.capitalised_nouns

    def __call__(self, doc: Doc) -> Doc:
        credits = self._credit_lines(doc)
        kept: list[Span] = []
        ents = self._known_names_extended(doc, self._merge_legal_forms(list(doc.ents)))
        ents = self._with_defined_abbreviations(doc, ents)
        ents = self._with_initialled_names(doc, self._with_portfolio_holders(doc, self._with_sources(doc, ents)))
        known_orgs = [normalise_name(e.text) for e in ents if e.label_ == ORG and e.id_ and e.id_ != "model"]
        owned = {i for e in ents if e.label_ in _NAME_LABELS for i in range(e.start, e.end)}
        dropped = [e for e in ents if e.label_ == NONENT]
        for ent in ents:
            if any(s <= ent.start_char < e for s, e in credits):
                continue
            if (
                ent.label_ in {"PER", "PERSON"}
                and ent.id_ in {"", "rule"}
                and any(t.text in self.not_person for t in ent)
            ):
                dropped.append(ent)  # "Energi Surya", "Modular Reactors": no person, whatever else it holds
                continue
            if ent.label_ in {"PER", "PERSON"} and not ent.id_:
                trimmed = self._person_name_only(ent)
                if trimmed is None or not self._person_shaped(trimmed, known_orgs):
                    continue
                ent = trimmed
            mapped = self._map(ent)
            if mapped is not None and mapped.label_ == PERSON and mapped.id_ in _PERSON_ORIGINS:
                vetted = self._person_or_other(mapped, ents, owned, kept)
                if vetted is None:
                    dropped.append(mapped)
                mapped = vetted
            if mapped is not None:
                kept.append(mapped)
            elif ent.label_ in {ORG, "PER", PERSON} and ent.id_ != "rule" and self._is_government(ent.text):
                dropped.append(ent)  # a model's government ("Departemen Energi AS (DOE)"), not a rule's guess
        blocked = {i for e in ents if e.label_ == NONENT for i in range(e.start, e.end)}
        checked = self._persons_named_like_countries(doc, self._checked_model_entities(kept, blocked, dropped))
        checked = self._arabic_surnames(checked)
        set_entities(doc, self._surnames_again(doc, checked))
        return doc

    def _arabic_surnames(self, ents: list[Span]) -> list[Span]:
        """``Yasir al-Rumayyan``, ``Mohamed bin Zayed al Nahyan``: a person's name runs on over ``al-X``, and
        over ``al X`` after a patronymic (``bin``), where a lowercase ``al`` would otherwise end it."""
        out = []
        taken = {i for e in ents for i in range(e.start, e.end)}
        for ent in ents:
            if ent.label_ == PERSON and ent.id_ not in GAZETTEER_ORIGINS:
                doc, end = ent.doc, ent.end
                arabic = any(t.lower_ in self.patronymics for t in ent)
                while end < len(doc) and end not in taken:
                    token = doc[end]
                    if _ARABIC_SURNAME.match(token.text):
                        end += 1
                    elif (
                        arabic
                        and token.lower_ in {"al", "el"}
                        and end + 1 < len(doc)
                        and end + 1 not in taken
                        and doc[end + 1].is_title
                    ):
                        end += 2
                    else:
                        break
                if end != ent.end:
                    ent = Span(doc, ent.start, end, label=PERSON, span_id=ent.id_)
            out.append(ent)
        return out

    def _known_names_extended(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A known organization's one-word name is part of a longer name written around it.

        ``Gautam Adani``, ``Michael Dell``: after a known given name it is a person's surname;
        ``Adani Enterprises``: before a word naming a group's unit (``unit_words``) it names that unit
        (the gazetteer's ``Adani`` is the group).
        """
        owned = {i for e in ents for i in range(e.start, e.end)}
        out = []
        for ent in ents:
            if ent.label_ == ORG and ent.id_ == "gazetteer" and len(ent) == 1:
                before = doc[ent.start - 1] if ent.start > 0 else None
                after = doc[ent.end] if ent.end < len(doc) else None
                if (
                    before is not None
                    and before.i not in owned
                    and before.is_title
                    and before.text in self.first_names
                    and before.whitespace_
                ):
                    ent = Span(doc, before.i, ent.end, label=PERSON, span_id="rule")
                elif (
                    after is not None
                    and after.i not in owned
                    and after.is_title
                    and after.text in self.unit_heads
                    and ent[-1].whitespace_
                ):
                    span = Span(doc, ent.start, after.i + 1, label=ORG)
                    known = self.knowledge.org_id(span.text)
                    ent = Span(doc, span.start, span.end, label=ORG, kb_id=known or "", span_id="rule")
            out.append(ent)
        return out

    def _with_initialled_names(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """``C.C. Wei``, ``J. Okonkwo``: initials before a capitalised surname no name holds are a person
        (not a title such as French ``M.``, a legal form or a country's abbreviation, which is a name)."""
        hits = [m.start() for m in _INITIALS.finditer(doc_text(doc))]
        if not hits:
            return ents
        owned = {i for e in ents for i in range(e.start, e.end)}
        added = []
        for start_char in hits:
            token = doc.char_span(start_char, start_char + 1, alignment_mode="expand")
            if token is None:
                continue
            i = token.start
            if (
                i in owned
                or not _INITIALS_TOKEN.match(doc[i].text)
                or doc[i].text in self.titles
                or doc[i].text in self.legal
                or i + 1 >= len(doc)
            ):
                continue
            end = i + 1
            while end < len(doc) and end < i + 3 and end not in owned and doc[end].is_alpha and doc[end].is_title:
                end += 1
            if end > i + 1 and doc[end - 1].lower_ not in self.stop_words and not self._title_case_at(doc[i]):
                added.append(Span(doc, i, end, label=PERSON, span_id="rule"))
        return sorted([*ents, *added], key=lambda e: e.start) if added else ents

    def _with_portfolio_holders(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """``... en Van Marum voor Digitalisering``: capitalised words no name holds, right before a link and
        a minister's portfolio, are that minister (only where ``portfolio_after_names`` says news write so)."""
        if not self.lexicon.portfolio_after_names:
            return ents
        if len(doc) < 3:
            return ents
        links = np.array([doc.vocab.strings[w] for w in self.portfolio_links], dtype=np.uint64)
        starts = np.array([doc.vocab.strings[w] for w in self.portfolio_starts], dtype=np.uint64)
        array = doc.to_array([LOWER, ORTH])
        hits = np.flatnonzero(np.isin(array[1:-1, 0], links) & np.isin(array[2:, 1], starts)) + 1
        if not len(hits):
            return ents
        owned = {i for e in ents for i in range(e.start, e.end)}
        added = []
        for i in hits.tolist():
            start = i
            while start > 0 and start > i - 4 and start - 1 not in owned:
                prev = doc[start - 1]
                if not (prev.is_alpha and (prev.is_title or prev.lower_ in self.particles)):
                    break
                start -= 1
            while start < i and doc[start].lower_ in self.particles and not doc[start].is_title:
                start += 1
            words = doc[start:i]
            if (
                not words
                or not words[-1].is_title
                or doc[start].is_sent_start
                or any(self._role_or_government(t) for t in words if t.lower_ not in self.particles)
            ):
                continue
            added.append(Span(doc, start, i, label=PERSON, span_id="rule"))
        return sorted([*ents, *added], key=lambda e: e.start) if added else ents

    def _role_or_government(self, token: Token) -> bool:
        return token.lower_ in self.role_words or token.text in self.titles or self._is_government(token.text)

    def _with_sources(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """The publisher an article names as its source: ``(Agencia X) Oracle anunció ...`` opening the
        text, and a site written as its domain anywhere (``Topcareer.id – ...``)."""
        owned = {i for e in ents for i in range(e.start, e.end)}
        added = []
        for match in _DOMAIN_IN_TEXT.finditer(doc_text(doc)):  # one scan of the text, not a look per token
            span = doc.char_span(match.start(), match.end())
            if span is not None and len(span) == 1 and span.start not in owned:
                added.append(Span(doc, span.start, span.end, label=ORG, span_id="rule"))
        first = next((t.i for t in doc[:5] if not t.is_space), None)
        if first is not None and doc[first].text == "(":
            end = next((t.i for t in doc[first + 1 : first + 7] if t.text == ")"), None)
            inner = range(first + 1, end) if end is not None else range(0)
            if (
                end is not None
                and end > first + 1
                and doc[first + 1].text[:1].isupper()
                and not any(i in owned for i in inner)
                and all(doc[i].text[:1].isupper() or doc[i].text in {"-", "/", "&"} for i in inner)
            ):
                added.append(Span(doc, first + 1, end, label=ORG, span_id="rule"))
        return sorted([*ents, *added], key=lambda e: e.start) if added else ents

    def _with_defined_abbreviations(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """``Tennessee Valley Authority (TVA)``: a capitalised name with its abbreviation defined in brackets
        is an organization, and so is the abbreviation (one entity: ``kg.resolve`` joins them).

        The abbreviation's capitals must be initials of the name's words in order, the first one that of
        its first word (``Indiana Michigan Power (I&M)``); laws, programmes, technologies and governments
        so defined are dropped later with their abbreviation (``Small Modular Reactors (SMR)``).
        """
        owner = {i: e for e in ents if e.label_ in _NAME_LABELS or e.label_ == NONENT for i in range(e.start, e.end)}
        added: list[Span] = []
        replaced: set[int] = set()
        for i in np.flatnonzero(doc.to_array("ORTH") == doc.vocab.strings["("]).tolist():
            if i < 2 or i + 2 >= len(doc) or doc[i + 2].text != ")":
                continue
            if i + 1 in owner and not (
                owner[i + 1].label_ == ORG and owner[i + 1].id_ == "" and len(owner[i + 1]) == 1
            ):
                continue  # the abbreviation is another name already (a model's guess of it may be replaced)
            short = doc[i + 1].text
            if not is_abbreviation(short) or self._title_case_at(doc[i]):
                continue
            named = owner.get(i - 1)
            if named is not None and named.label_ == ORG and named.end == i and named.id_ in {"gazetteer", "rule"}:
                if abbreviates(short, named.text):  # "United Overseas Bank (UOB)": a name found already
                    replaced |= {id(owner[i + 1])} if i + 1 in owner else set()
                    added.append(Span(doc, i + 1, i + 2, label=ORG, span_id="rule"))
                continue
            start = self._name_start_before(doc, i, owner, short)
            if start is None:
                continue
            inside = {id(owner[j]) for j in range(start, i + 2) if j in owner}
            replaced |= inside
            added.append(Span(doc, start, i, label=ORG, span_id="rule"))
            added.append(Span(doc, i + 1, i + 2, label=ORG, span_id="rule"))
        if not added:
            return ents
        kept = [e for e in ents if id(e) not in replaced]
        return sorted([*kept, *added], key=lambda e: e.start)

    def _name_start_before(self, doc: Doc, end: int, owner: dict[int, Span], short: str) -> int | None:
        """Where the name that ``short`` abbreviates begins, for a name ending right before ``end``.

        The name is capitalised words with lowercase function words between them (``Administración
        Nacional de Usinas``); a model's organization or a place's name inside it is replaced, any other
        name stops it.
        """
        first = next(c for c in short if c.isupper())
        start = None
        i = end - 1
        while i >= 0 and i >= end - 10:
            token = doc[i]
            span = owner.get(i)
            if span is not None and not (span.label_ in {ORG, NONENT} and span.id_ in {"", "lexicon"}):
                break  # a model's organization or a place's name ("Abu Dhabi") may be part of it
            if token.is_alpha and token.text[:1].isupper() and not token.is_sent_start:
                if token.text[0] == first and abbreviates(short, doc[i:end].text):
                    start = i
            elif token.is_alpha and token.text[:1].isupper():
                if token.text[0] == first and abbreviates(short, doc[i:end].text):
                    start = i
                break
            elif not ((token.is_lower and token.lower_ in self.stop_words) or token.text in {"&", "-"}):
                break
            i -= 1
        if start is None or end - start < 2 or not doc[end - 1].text[:1].isupper():
            return None
        model = owner.get(start)
        if model is not None and model.label_ == ORG and model.start < start:
            return model.start  # the model saw where the name begins ("Administración Nacional de Usinas ...")
        return start

    def _person_or_other(self, ent: Span, ents: list[Span], owned: set[int], kept: list[Span]) -> Span | None:
        """A second look at a rule's or the model's person, by its words.

        ``Karremans van Economische Zaken``: a surname and a minister's portfolio, the person is the
        surname; ``Nvidias Wert``: a known organization's genitive, no person; a last word that heads
        organizations (``org_head_words``, ``org_body_words``: ``Authority``, ``News``) makes it one; in a
        Title Case headline a known given name right before the model's person starts it (``Jack Ma``).
        """
        doc = ent.doc
        for i in range(ent.start + 1, min(ent.end, len(doc) - 1)):
            if doc[i].lower_ in self.portfolio_links and doc[i + 1].text in self.portfolio_starts:
                return Span(doc, ent.start, i, label=PERSON, span_id="rule")
        if (
            self.lexicon.portfolio_after_names
            and ent.end + 1 < len(doc)
            and doc[ent.end].lower_ in self.portfolio_links
            and doc[ent.end + 1].text in self.portfolio_starts
        ):
            return Span(doc, ent.start, ent.end, label=PERSON, span_id="rule")  # "Moes van Onderwijs"
        first = ent[0].text
        if (
            len(ent) > 1
            and len(first) > 3
            and first.endswith("s")
            and first[:-1] not in self.first_names
            and self.knowledge.org_id(first[:-1])
        ):
            return None
        if ent[-1].text in self.org_heads and first not in self.first_names:
            return self._as_organization(ent, ents, owned, kept)
        before = doc[ent.start - 1] if ent.start > 0 else None
        if (
            ent.id_ == "model"
            and self.headlines
            and before is not None
            and before.i not in owned
            and before.text in self.first_names
            and self._title_case_at(ent[0])
        ):  # "Jack [Ma Mundur] dari ...": in a Title Case headline a given name starts the person
            return Span(doc, before.i, ent.start + 1, label=PERSON, span_id="model")
        return ent

    def _as_organization(self, ent: Span, ents: list[Span], owned: set[int], kept: list[Span]) -> Span | None:
        """``Affairs Authority`` taken for a person: the organization, with the capitalised words before it.

        The name runs left over capitalised words no other name holds (``Executive``, and ``Abu Dhabi``,
        a region's name inside it) and takes in a rule's or the model's organization right before it; one
        word alone (``Council``) or a name right after a known organization (``AWS Partner Network``: a
        unit or programme of it) is not trusted.
        """
        doc = ent.doc
        start = ent.start
        while start > 0:
            prev = doc[start - 1]
            if not prev.is_alpha or not prev.text[:1].isupper() or prev.lower_ in self.stop_words:
                break
            if prev.i in owned:
                if kept and kept[-1].end == start and kept[-1].label_ == ORG and kept[-1].id_ in _PERSON_ORIGINS:
                    start = kept.pop().start
                elif any(e.start <= prev.i < e.end and e.label_ == ORG for e in ents):
                    return None
                break
            start -= 1
        if ent.end - start < 2:
            return None
        return Span(doc, start, ent.end, label=ORG, span_id="rule")

    @staticmethod
    def _surnames_again(doc: Doc, ents: list[Span]) -> list[Span]:
        """``Minister Okafor ... Okafor said``: a one-word person found by a title or role is that person
        wherever the article writes the word alone again (not inside a longer capitalised name).

        Full names get their short forms later (``kg.extract.entities``); a one-word name has none, so
        its repetitions are marked here, found with one vectorised look-up over the token ids.
        """
        singles = {e.text for e in ents if e.label_ == PERSON and len(e) == 1 and e.id_ == "rule"}
        if not singles:
            return ents
        ids = np.array([doc.vocab.strings[s] for s in singles], dtype=np.uint64)
        hits = np.flatnonzero(np.isin(doc.to_array("ORTH"), ids))
        taken = {i for e in ents for i in range(e.start, e.end)}
        added = []
        for i in (int(h) for h in hits):
            if i in taken:
                continue
            before = doc[i - 1] if i > 0 else None
            after = doc[i + 1] if i + 1 < len(doc) else None
            if after is not None and (after.text[:1].isupper() or after.text in {"-", "–"}):
                continue  # "Okafor Holdings", "Okafor-Plan"
            if before is not None and before.text[:1].isupper() and not starts_sentence(doc[i]):
                continue  # "Femi Okafor": another person of that name
            added.append(Span(doc, i, i + 1, label=PERSON, span_id="rule"))
        return sorted([*ents, *added], key=lambda e: e.start) if added else ents

    def _person_name_only(self, ent: Span) -> Span | None:
        """A model person without the title before it or the possessive after it.

        ``Mme Lagarde`` -> ``Lagarde``, ``M. Breton`` -> ``Breton`` (``M.`` would read as an acronym),
        ``Mrs Thatcher's`` -> ``Thatcher``; ``None`` when only a title is left.
        """
        start, end = ent.start, ent.end
        doc = ent.doc
        while start < end and doc[start].text in self.titles:
            start += 1
        while end > start and doc[end - 1].text in _POSSESSIVES:
            end -= 1
        if start == end:
            return None
        if (start, end) == (ent.start, ent.end):
            return ent
        return Span(doc, start, end, label=ent.label_, kb_id=ent.kb_id_, span_id=ent.id_)

    def _persons_named_like_countries(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """ "o primeiro-ministro Luís Montenegro": a person cue, a capitalised given name and a country name
        make a person, and the surname alone later in the article ("Montenegro disse") is that person too.

        Without this the country name, matched first by the gazetteer, would hide the person and could
        become a party to a fact the person announced.
        """
        taken = {i for e in ents for i in range(e.start, e.end)}
        # a given name the rules already took alone ("primeiro-ministro Luís", a known first name) joins too
        lone_given = {e.start for e in ents if e.label_ == PERSON and len(e) == 1}
        out: list[Span] = []
        surnames: set[str] = set()
        for ent in ents:
            if ent.label_ == COUNTRY and len(ent) == 1 and ent.start >= 2:
                given, cue = doc[ent.start - 1], doc[ent.start - 2]
                free = given.i not in taken or given.i in lone_given
                if free and given.is_title and given.is_alpha and cue.lower_ in self.person_cue_words:
                    if out and out[-1].start == given.i:
                        out.pop()
                    out.append(Span(doc, given.i, ent.end, label=PERSON, span_id="rule"))
                    surnames.add(ent.text)
                    continue
            out.append(ent)
        if not surnames:
            return out
        return [
            Span(doc, e.start, e.end, label=PERSON, span_id="rule") if e.label_ == COUNTRY and e.text in surnames else e
            for e in out
        ]

    def _checked_model_entities(self, ents: list[Span], blocked: set[int], dropped: list[Span]) -> list[Span]:
        """Second look at what only the model found, with the rest of the article as evidence.

        A model's one-word person must be a known given name or part of a longer person name
        in the same article (``Countries`` is neither); a one-word organization that is a
        person's surname in the article is that person (``... told reporters``); an
        organization containing a unit of measure (``300 MW``) is a quantity; a name cut
        short by a known non-entity inside it (``Sovereign`` of ``Sovereign AI Unit``) is
        not trusted. The abbreviation in brackets after a dropped name (``Small Modular Reactors (SMR)``)
        goes with it, wherever the article repeats it.
        """
        non_names = [self._non_name(ent) for ent in ents]
        abbreviations = self._abbreviations_of(
            [*dropped, *(ent for ent, no in zip(ents, non_names, strict=True) if no)]
        )
        ents = [
            ent
            for ent, no in zip(ents, non_names, strict=True)
            if not no
            and not (ent.text in abbreviations and ent.id_ not in GAZETTEER_ORIGINS and not ent.kb_id_)
            and not self._common_words_in_headline(ent)
        ]
        full_names = [e for e in ents if e.label_ == PERSON and (len(e) > 1 or e.id_ == "rule")]
        name_parts = {t.text for e in full_names for t in e}
        surnames = {e[-1].text for e in full_names}
        checked = (
            None if _cut_short(ent, blocked) else self._checked_model_entity(ent, name_parts, surnames) for ent in ents
        )
        return self._ampersand_names(self._merge_named_units([ent for ent in checked if ent is not None]))

    @staticmethod
    def _abbreviations_of(spans: list[Span]) -> set[str]:
        """``Departemen Energi AS (DOE)``, ``"Small Modular Reactors" (SMR)``: the abbreviations defined
        in brackets right after these spans."""
        found = set()
        for span in spans:
            doc, i = span.doc, span.end
            while i < len(doc) and i < span.end + 4 and (doc[i].is_quote or doc[i].is_title):
                i += 1  # a closing quote, or the rest of the name ("Amerika Serikat")
            if i + 2 < len(doc) and doc[i].text == "(" and doc[i + 2].text == ")":
                word = doc[i + 1].text
                if len(word) > 1 and word[:1].isupper() and sum(c.isupper() for c in word) >= 2:
                    found.add(word)
        return found

    def _common_words_in_headline(self, ent: Span) -> bool:
        """``Socios Clave``, ``Layanan Data Hosting Terbaru``: in a Title Case line (a headline, a section
        title) capitals prove nothing, so a model's organization there must be written again elsewhere in
        the article, and a candidate name of a rule or the model is no name when the article writes each of
        its words in lowercase elsewhere (``socios``, ``clave``)."""
        if not self.headlines or ent.label_ not in {ORG, PERSON} or ent.id_ not in _PERSON_ORIGINS or ent.kb_id_:
            return False
        words = [t for t in ent if t.is_alpha]
        if not words:
            return False
        doc = ent.doc
        # the cheap evidence first: whether the sentence is a headline costs a walk over it
        if not (ent.label_ == ORG and ent.id_ == "model" and doc_text(doc).count(ent.text) == 1):
            lowercase = doc.user_data.get("kg_lowercase_words")
            if not isinstance(lowercase, set):
                array = doc.to_array([LOWER, IS_LOWER])
                lowercase = doc.user_data["kg_lowercase_words"] = set(array[array[:, 1] == 1, 0].tolist())
            if not all(t.lower in lowercase for t in words):
                return False
        return self._title_case_at(ent[0])

    @staticmethod
    def _title_case_at(token: Token) -> bool:
        """``is_title_case`` of the token's sentence, worked out once per sentence of a Doc."""
        cache = token.doc.user_data.get("kg_title_case")
        if not isinstance(cache, dict):
            cache = token.doc.user_data["kg_title_case"] = {}
        sent = token.sent
        known = cache.get(sent.start)
        if known is None:
            known = cache[sent.start] = is_title_case(sent)
        return bool(known)

    def _ampersand_names(self, ents: list[Span]) -> list[Span]:
        """``BDT & MSD Partners``: an organization of a rule or the model runs on over ``&`` and the
        capitalised words after it (or the organization found there)."""
        out: list[Span] = []
        skip_until = -1
        taken = {i for e in ents for i in range(e.start, e.end)}
        for n, ent in enumerate(ents):
            if ent.start < skip_until:
                continue
            doc = ent.doc
            end = ent.end
            if ent.label_ == ORG and ent.id_ in _PERSON_ORIGINS and end + 1 < len(doc) and doc[end].text == "&":
                nxt = ents[n + 1] if n + 1 < len(ents) else None
                if nxt is not None and nxt.start == end + 1:
                    if nxt.label_ == ORG and nxt.id_ in _PERSON_ORIGINS:
                        end = nxt.end
                else:
                    j = end + 1
                    while (
                        j < len(doc)
                        and j < end + 5
                        and doc[j].is_alpha
                        and doc[j].text[:1].isupper()
                        and j not in taken
                    ):
                        j += 1
                    if j > end + 1:
                        end = j
                if end != ent.end:
                    skip_until = end
                    ent = Span(doc, ent.start, end, label=ORG, span_id=ent.id_)
            out.append(ent)
        return out

    def _non_name(self, ent: Span) -> bool:
        """A candidate name (not the gazetteer's) that is a law, programme, technology, region or demonym phrase."""
        if ent.label_ not in {ORG, PERSON} or ent.id_ in GAZETTEER_ORIGINS or ent.kb_id_:
            return False
        return self.non_names.non_name_class(ent) is not None

    def _checked_model_entity(self, ent: Span, name_parts: set[str], surnames: set[str]) -> Span | None:
        if ent.id_ != "model":
            return ent
        end = ent.end
        doc = ent.doc
        while end > ent.start and (
            doc[end - 1].is_punct or (doc[end - 1].is_lower and doc[end - 1].lower_ in self.stop_words)
        ):
            end -= 1  # "Asociación Estratégica para Impulsar la": a name does not end in an article
        start = ent.start
        while start < end - 1 and _ELISION.match(doc[start].text):
            start += 1
        if end == start:
            return None
        if not any(c.isupper() or c.isdigit() for c in doc[start:end].text):
            return None  # "and" cut out of "Intelligence and Advanced Technology": names have a capital or a digit
        if ent.label_ == PERSON:  # "der Berg" from "Van der Berg": the particles belong to the name
            while start > 0 and ent.doc[start].lower_ in self.particles and ent.doc[start - 1].lower_ in self.particles:
                start -= 1
        ent = Span(ent.doc, start, end, label=ent.label_, kb_id=ent.kb_id_, span_id=ent.id_)
        if ent.label_ == PERSON:
            return ent if self._model_person_ok(ent, name_parts) else None
        if ent.label_ == ORG and len(ent) == 1 and ent.text in surnames:
            return Span(ent.doc, ent.start, ent.end, label=PERSON, span_id="model")
        if ent.label_ == ORG and self._given_name_and_surname(ent):
            return Span(ent.doc, ent.start, ent.end, label=PERSON, span_id="model")
        if ent.label_ == ORG and self._in_government_name(ent):
            return None
        if ent.label_ == ORG and any(t.lower_ in self.units or _hyphenated_common_word(t.text) for t in ent):
            return None
        if ent.label_ == ORG and self._is_description(ent[-1].lower_):
            return None
        return ent

    def _in_government_name(self, ent: Span) -> bool:
        """``Sovereignty`` of ``Ministry of Economy, Finance and Industrial and Digital Sovereignty``: a piece
        of a ministry's long name (capitalised words, commas and lowercase function words back to a
        government word) is part of a government, which the gold files under its country."""
        doc = ent.doc
        i = ent.start - 1
        while i >= 0 and i >= ent.start - 12:
            token = doc[i]
            if token.is_title or token.is_upper:
                if normalise_name(token.text) in self.government or normalise_name(token.text) in self.ministers:
                    return True
            elif not (token.text == "," or (token.is_lower and token.lower_ in self.stop_words)):
                return False
            if token.is_sent_start:
                return False
            i -= 1
        return False

    def _given_name_and_surname(self, ent: Span) -> bool:
        """``Eddie Wu`` tagged as an organization: a known given name and one capitalised word that heads no
        organization is a person."""
        return (
            len(ent) == 2
            and not ent.kb_id_
            and ent[0].text in self.first_names
            and ent[1].is_alpha
            and ent[1].is_title
            and ent[1].text not in self.org_heads
            and ent[1].text not in self.legal
        )

    def _is_description(self, word: str) -> bool:
        """``Cloud-Anbieter``, ``KI-Unternehmen``: a compound naming a kind of organization is no name.

        Only hyphenated compounds count: a plain cue word often ends a real name (``Deutsche Bank``).
        """
        head = re.split(r"[-‐‑]", word)[-1]
        return head != word and (head in self.cue_words or head in self.cue_suffixes)

    def _merge_named_units(self, ents: list[Span]) -> list[Span]:
        """A known organization directly followed by a model organization is one name.

        ``Orange Polska``, ``Samsung Electronics``: the gazetteer knows the parent, the
        model sees the longer name; the unit is its own organization, not the parent.
        """
        merged: list[Span] = []
        for ent in ents:
            previous = merged[-1] if merged else None
            if (
                previous is not None
                and ent.id_ == "model"
                and ent.label_ == ORG == previous.label_
                and previous.end == ent.start
                and previous.doc[previous.end - 1].whitespace_ == " "
            ):
                span = Span(ent.doc, previous.start, ent.end, label=ORG)
                known = self.knowledge.org_id(span.text)
                merged[-1] = Span(ent.doc, span.start, span.end, label=ORG, kb_id=known or "", span_id="model")
                continue
            merged.append(ent)
        return merged

    def _model_person_ok(self, ent: Span, name_parts: set[str]) -> bool:
        """No word is a compound with a common noun; a single word needs support in the article."""
        if any(_hyphenated_common_word(token.text) for token in ent):
            return False
        return len(ent) > 1 or ent.text in self.first_names or ent.text in name_parts or self._after_title(ent)

    def _after_title(self, ent: Span) -> bool:
        """``Mr. Delacourt``, ``Minister Okafor``, ``Bundeskanzler Brandt``: a title or role right before one word."""
        if ent.start == 0:
            return False
        previous = ent.doc[ent.start - 1]
        return previous.text in self.titles or previous.lower_ in self.person_cue_words

    def _credit_lines(self, doc: Doc) -> list[tuple[int, int]]:
        """Character ranges of short lines that credit a photo or state a copyright."""
        ranges = []
        offset = 0
        for line in doc_text(doc).split("\n"):
            if len(line) < 160 and any(marker in line for marker in self.lexicon.credit_markers):
                ranges.append((offset, offset + len(line)))
            offset += len(line) + 1
        return ranges

    def _merge_legal_forms(self, ents: list[Span]) -> list[Span]:
        merged: list[Span] = []
        for ent in ents:
            if ent.label_ == ORG and ent.text in self.legal:
                previous = merged[-1] if merged else None
                if previous is not None and previous.label_ == ORG and previous.end == ent.start:
                    merged[-1] = Span(
                        ent.doc, previous.start, ent.end, label=ORG, kb_id=previous.kb_id_, span_id=previous.id_
                    )
                continue
            merged.append(ent)
        return merged

    def _map(self, ent: Span) -> Span | None:
        label = ent.label_
        if label in {ORG, PERSON, COUNTRY, PROJECT} and ent.id_ in GAZETTEER_ORIGINS:
            return ent
        text = ent.text.strip()
        project = self.knowledge.project_id(text) if text else None
        if project:
            return Span(ent.doc, ent.start, ent.end, label=PROJECT, kb_id=project, span_id="gazetteer")
        if label == NONENT or not text or self.knowledge.is_non_entity(text, self.lang):
            return None
        iso = self.knowledge.country_iso(text)
        if label in {"LOC", "GPE"}:  # only a name the gazetteer would also take as this language's country
            if not iso or normalise_name(text) in self.ambiguous_countries:
                return None
            return Span(ent.doc, ent.start, ent.end, label=COUNTRY, kb_id=iso, span_id="model")
        if label not in {"ORG", "PER", "PERSON"} or iso is not None or not self._looks_like_a_name(ent):
            return None
        new_label = ORG if label == "ORG" else PERSON
        if self._is_government(text):
            return None
        if ent.id_ != "rule":
            trimmed = self._without_leading_roles(ent)
            if trimmed is None or not self._plausible_model_name(trimmed):
                return None
            ent = trimmed
        org_id = self.knowledge.org_id(text) if new_label == ORG else None
        return Span(ent.doc, ent.start, ent.end, label=new_label, kb_id=org_id or "", span_id=ent.id_ or "model")

    @staticmethod
    def _looks_like_a_name(ent: Span) -> bool:
        """Capitalised, and not a clipped word such as French ``C’`` (from ``C’est``)."""
        return _starts_like_a_name(ent) and ent.text[-1] not in "'’" and any(c.isalpha() for c in ent.text)

    def _is_government(self, text: str) -> bool:
        padded = f" {normalise_name(text)} "
        return any(f" {word} " in padded for word in self.government)

    @staticmethod
    def _person_shaped(ent: Span, known_orgs: list[str]) -> bool:
        """A model person must look like a name: no acronyms (``GW``, ``GPU's``) and no part of a known organization."""
        words = re.split(r"['’]s\b|[\s-]", ent.text)
        if any(len(w) > 1 and w.isupper() and not _INITIALS_TOKEN.match(w) for w in words if w):
            return False  # (initials such as "C.C." are no acronym)
        name = normalise_name(ent.text)
        return not any(name in org for org in known_orgs)

    def _without_leading_roles(self, ent: Span) -> Span | None:
        """``Kepala Eksekutif Satya Nadella`` from a model: the role words are not part of the name."""
        start = ent.start
        while (
            start < ent.end and ent.doc[start].lower_ in self.role_words and ent.doc[start].lower_ not in self.particles
        ):
            start += 1  # ("Van Marum": a capitalised particle opens the name, it is no role's "van")
        if start == ent.end:
            return None
        return Span(ent.doc, start, ent.end, label=ent.label_, kb_id=ent.kb_id_, span_id=ent.id_)

    @staticmethod
    def _plausible_model_name(ent: Span) -> bool:
        """A one-word model entity opening a sentence (``Générer``, ``Concentratie``) needs more evidence.

        Capitals at a sentence start say nothing, so the word must also appear capitalised
        inside a sentence somewhere in the article.
        """
        if len(ent) > 1:
            return True
        first = ent[0]
        if not (starts_sentence(first) or first.is_sent_start):
            return True
        return any(
            t.text == first.text and t.i != first.i and not (starts_sentence(t) or t.is_sent_start) for t in ent.doc
        )


@Language.factory("kg_entity_filter", default_config={"lang": "en", "gazetteers": []})
def make_entity_filter(nlp: Language, name: str, lang: str, gazetteers: list[str]) -> EntityFilter:
    return EntityFilter(lang, gazetteers, frozenset(w.lower() for w in getattr(nlp.Defaults, "stop_words", set())))
