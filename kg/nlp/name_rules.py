"""Rules that find organizations and persons no gazetteer knows.

Only French has a statistical NER model; every other language relies on these
rules, so each one looks for *evidence next to a name* rather than for
capitalised words alone (capitalisation marks sentence starts, headlines,
German nouns and products just as well):

* legal forms around a name (``Rechenwerk GmbH``, ``PT Nusantara Data Tbk``);
* description words before a name (``la société X``, ``perusahaan X``), with
  post-nominal adjectives skipped (``la minera estatal Codelco``) and the lists
  they introduce (``les groupes A, B et C``);
* role phrases around a person, matched as the longest phrase so that titles
  and portfolios are not taken for names (``Menteri Luar Negeri Arif
  Wicaksono``, ``la directora de Lumen Labs, Carla Ruiz``);
* appositions (``Femke Jansen, an analyst at``), verbs of saying (``said Tom
  Ellis``, ``kata Rina``), possessives (``Oracle's Hannah Kerr``) and Arabic
  patronymics (``Khalid bin Rashid``);
* words that end or start organization names (``Balderton Capital``,
  ``Banco Meridiano``), CamelCase names (``NimbusGrid``) and lists that mix known
  organizations with unknown names (``Microsoft, Meta en Zilverlijn``).

Rules run from the most to the least reliable; a token claimed by one rule is
not offered to the next.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.nlp.ents import set_entities
from kg.nlp.lexicon import NameLexicon, name_lexicon

ORG, PERSON, COUNTRY, NONENT = "ORG", "PERSON", "COUNTRY", "NONENT"
MAX_NAME_TOKENS = 6
MAX_PERSON_TOKENS = 5
MIN_SENTENCE_WORDS = 4  # shorter "sentences" are tags, menu items and captions
HARD_LABELS = {"ORG", "PER", "PERSON", "COUNTRY", "NONENT"}
STRONG_RULES = {"legal", "cue", "cue-list", "role", "head", "patronymic"}  # may override a model's guess
MODEL_ORIGINS = {"", "model"}
POSSESSIVES = {"'s", "’s", "'", "’"}
_CAMEL = re.compile(r"^[A-Z][a-z]{2,}[A-Z][A-Za-z0-9]*$")
_NOT_CAMEL = re.compile(r"^(Mc|Mac|De|Le|La|Di|Da|Van|Von|Du|Al|El|O)[A-Z]")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.-]+$")
_INITIALS = re.compile(r"^(?:[A-Z]\.){1,3}$")


@dataclass(frozen=True)
class Candidate:
    """A name span proposed by one rule."""

    start: int
    end: int
    label: str
    rule: str


def _phrase_matcher(nlp: Language, attr: str, phrases: Iterable[str]) -> PhraseMatcher:
    matcher = PhraseMatcher(nlp.vocab, attr=attr)
    docs = [nlp.make_doc(p) for p in dict.fromkeys(p for p in phrases if p.strip())]
    if docs:
        matcher.add("cue", docs)
    return matcher


def _longest(matches: Iterable[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping matches, longest first: ``Menteri Luar Negeri`` beats ``Menteri``."""
    chosen: list[tuple[int, int]] = []
    for _, start, end in sorted(matches, key=lambda m: (m[1] - m[2], m[1])):
        if all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
    return sorted(chosen)


def opens_sentence(token: Token) -> bool:
    """A sentence start that is real: French parses sometimes break inside a name."""
    if not token.is_sent_start:
        return False
    if token.i == 0:
        return True
    previous = token.doc[token.i - 1]
    return previous.is_punct or "\n" in previous.text_with_ws or previous.is_space


def is_title_case(sent: Span) -> bool:
    """Headlines in Title Case capitalise every word, so capitalisation proves nothing there.

    A sentence that merely names many people still has lowercase verbs and nouns; a long headline may
    have a lowercase word or two besides a lead-in (``Baca juga: ...``, "read also").
    """
    words = [t for t in sent if t.is_alpha and len(t) >= 4]
    lower = sum(1 for t in words if t.text[0].islower())
    return len(words) >= 3 and lower <= max(1, 0.2 * len(words)) and lower <= 0.3 * len(words)


class NameRules:
    """spaCy component adding ORG and PERSON spans found by the rules above."""

    def __init__(self, nlp: Language, lang: str) -> None:
        lex: NameLexicon = name_lexicon(lang)
        self.lex = lex
        self.stop_words = {w.lower() for w in getattr(nlp.Defaults, "stop_words", set())}
        self.particles = {p.lower() for p in lex.name_particles} | {"&"}
        self.followers = {p.lower() for p in lex.name_particle_followers}
        self.connectors = self.particles | self.followers
        self.patronymics = {p.lower() for p in lex.patronymics}
        self.titles = set(lex.person_titles)
        self.first_names = set(lex.first_names)
        self.modifiers = {m.lower() for m in lex.cue_modifiers if " " not in m}
        self.links = {w.lower() for w in lex.role_links}
        self.determiners = {w.lower() for w in lex.appositive_determiners}
        self.conjunctions = {w.lower() for w in lex.conjunctions}
        self.ministry_roles = {w.lower() for w in lex.ministry_roles}
        self.corporate_roles = {w.lower() for w in lex.corporate_roles}
        self.institutions = set(lex.institution_words)
        self.not_person = [re.compile(p) for p in lex.not_person_patterns]
        self.head_words = {h.split()[-1] for h in lex.org_head_words}
        self.head_prefixes = set(lex.org_head_prefixes)
        self.person_suffixes = tuple(s.lower() for s in lex.person_cue_suffixes)
        self.org_suffixes = tuple(s.lower() for s in lex.org_cue_suffixes)
        self.not_name_endings = tuple(e.lower() for e in lex.not_name_endings)
        self.lower_org_cues = {c for c in lex.org_cues if c == c.lower()}
        self.legal_words = {w for s in lex.legal_suffixes + lex.legal_prefixes for w in s.split()}
        # the words a legal form can start with: "sp." of "sp. z o.o.", not its "z" ("Anna Nowak z Orange")
        self.legal_openers = {s.split()[0] for s in lex.legal_suffixes + lex.legal_prefixes if s.split()}
        cue_words = {c for c in (*lex.role_phrases(), *lex.org_cues) if " " not in c}
        self.stops = (
            (set(lex.not_name_starts) | self.titles | {c[:1].upper() + c[1:] for c in cue_words} | cue_words)
            - self.head_words
            - self.head_prefixes
        )
        self.suffixes = _phrase_matcher(nlp, "ORTH", lex.legal_suffixes)
        self.prefixes = _phrase_matcher(nlp, "ORTH", lex.legal_prefixes)
        self.person_cues = _phrase_matcher(nlp, "LOWER", lex.role_phrases())
        self.org_cues = _phrase_matcher(nlp, "LOWER", lex.org_cues)
        self.speech = _phrase_matcher(nlp, "LOWER", lex.speech_verbs)
        self.bylines = _phrase_matcher(nlp, "LOWER", lex.byline_cues)
        self.heads = _phrase_matcher(nlp, "ORTH", lex.org_head_words)
        self.multi_modifiers = _phrase_matcher(nlp, "LOWER", [m for m in lex.cue_modifiers if " " in m])
        self.title_matcher = _phrase_matcher(nlp, "ORTH", lex.person_titles)
        self.portfolio_words = {w.lower() for p in lex.portfolios for w in p.split()}
        self.speech_words = {w.lower() for verb in lex.speech_verbs for w in verb.split()}
        self._name_words: dict[str, bool] = {}

    # --- the component ----------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        state = _State(doc, detect_headlines=not self.lex.capitalised_nouns)
        for rule in (
            self._legal_forms,
            self._patronymics,
            self._role_cues,
            self._appositions,
            self._speech,
            self._bylines,
            self._org_cues,
            self._affiliations,
            self._head_words,
            self._possessives,
            self._first_names,
            self._titles,
            self._camel_case,
            self._coordinations,
        ):
            for candidate in rule(doc, state):
                state.add(candidate)
        set_entities(doc, state.entities())
        return doc

    # --- tokens and runs ----------------------------------------------------------

    def is_name_token(self, token: Token) -> bool:
        """A capitalised word that can be part of a name (not a stop, cue or common noun)."""
        if token.is_space or token.is_punct:
            return False
        known = self._name_words.get(token.text)
        if known is None:
            if len(self._name_words) > 100_000:
                self._name_words.clear()
            known = self._name_words[token.text] = self._is_name_word(token.text)
        return known

    def _is_name_word(self, text: str) -> bool:
        if text in self.stops:
            return False
        if not (text[:1].isupper() or (text[:1].isdigit() and any(c.isalpha() for c in text))):
            return False
        low = text.lower()
        if len(text) > 6 and self.not_name_endings and low.endswith(self.not_name_endings):
            return False
        return not self._is_cue_compound(low)

    def _is_cue_compound(self, low: str) -> bool:
        """``Chiphersteller``, ``durfkapitaalfonds``: a compound ending in a cue word describes, it does not name."""
        for suffix in (*self.org_suffixes, *self.person_suffixes):
            if low.endswith(suffix) and len(low) > len(suffix) + 2:
                return True
        return False

    def _particle_len(self, doc: Doc, i: int, state: _State) -> int:
        """Length of a particle group (``van``, ``von der``, ``bin``) at ``i`` that a name continues after."""
        if doc[i].lower_ not in self.particles:
            return 0
        j = i + 1
        while j < len(doc) and doc[j].lower_ in self.followers:
            j += 1
        if j < len(doc) and not state.taken(j) and self.is_name_token(doc[j]):
            return j - i
        return 0

    def run_after(
        self,
        doc: Doc,
        start: int,
        state: _State,
        limit: int = MAX_NAME_TOKENS,
        person: bool = False,
        soft: bool = False,
    ) -> int:
        """End of the name starting at ``start``; a person's particles may only follow the first name.

        With ``soft``, tokens a statistical model labelled may be taken over.
        """
        end = start
        while end < len(doc) and end - start < limit:
            token = doc[end]
            if (state.taken(end) and not (soft and state.is_model(end))) or (end > start and opens_sentence(token)):
                break
            if self.is_name_token(token):
                end += 1
                continue
            skip = self._particle_len(doc, end, state) if end > start else 0
            if skip and (not person or end - start == 1):
                end += skip
                continue
            break
        return end

    def run_before(self, doc: Doc, end: int, state: _State, limit: int = MAX_NAME_TOKENS, cross: bool = False) -> int:
        """Start of the name ending just before ``end``; ``cross`` lets it absorb gazetteer names."""
        start = end
        while start > 0 and end - start < limit:
            i = start - 1
            token = doc[i]
            crossable = cross and state.is_gazetteer(i)
            if state.taken(i) and not crossable:
                break
            inner_particle = (
                token.lower_ in self.connectors and i > 0 and start < end and self.is_name_token(doc[i - 1])
            )
            if not (crossable or inner_particle or self.is_name_token(token)):
                break
            start = i
            if opens_sentence(doc[start]):
                break
        while start < end and (doc[start].lower_ in self.connectors or doc[start].text in self.stops):
            start += 1
        return start

    def _skip_titles(self, doc: Doc, i: int) -> int:
        while i < len(doc) and doc[i].text in self.titles:
            i += 1
        return i

    def _person_span(
        self, doc: Doc, start: int, state: _State, min_len: int = 1, headline_ok: bool = False
    ) -> tuple[int, int] | None:
        """The person name at ``start`` (titles and leading acronyms skipped), if long enough."""
        start = self._skip_titles(doc, start)
        while (
            start < len(doc)
            and _ACRONYM.match(doc[start].text)
            and not _INITIALS.match(doc[start].text)  # "C.C. Wei": initials belong to the name
            and len(doc[start]) > 1
            and not state.taken(start)
        ):
            start += 1
        if start >= len(doc) or state.taken(start) or not self.is_name_token(doc[start]):
            return None
        limit = 2 if state.title_case(start) and not headline_ok else MAX_PERSON_TOKENS
        end = self.run_after(doc, start, state, limit, person=True)
        if (
            end - start < min_len
            or self._looks_like_org(doc, start, end)
            or not self._plausible_person(doc, start, end)
        ):
            return None
        if end - start == 1 and (opens_sentence(doc[start]) or doc[start].lower_ in self.stop_words):
            return None
        return start, end

    def _looks_like_org(self, doc: Doc, start: int, end: int) -> bool:
        last = doc[end - 1].text
        following = doc[end].text if end < len(doc) else ""
        return last in self.head_words or following in self.legal_openers or bool(_CAMEL.match(doc[start].text))

    # --- rules ----------------------------------------------------------------------

    def _legal_forms(self, doc: Doc, state: _State) -> Iterator[Candidate]:
        """``X GmbH``, ``X, Inc.``, ``PT X Tbk``: the strongest evidence there is."""
        for start, end in _longest(self.suffixes(doc)):
            if state.taken(start) or (end - start == 1 and len(doc[start]) <= 3 and state.title_case(start)):
                continue  # "SE", "SA" in an all-caps headline are words, not legal forms
            anchor = start - 1 if start > 0 and doc[start - 1].text == "," else start
            name_start = self.run_before(doc, anchor, state, cross=True)
            if name_start < anchor:
                yield Candidate(name_start, end, ORG, "legal")
        for start, end in _longest(self.prefixes(doc)):
            name_end = self._run_after_crossing(doc, end, state)
            if name_end > end:
                suffix = [e for s, e in _longest(self.suffixes(doc)) if s == name_end]
                yield Candidate(start, suffix[0] if suffix else name_end, ORG, "legal")

    def _run_after_crossing(self, doc: Doc, start: int, state: _State) -> int:
        end = start
        while end < len(doc) and end - start < MAX_NAME_TOKENS:
            if state.is_gazetteer(end) or (not state.taken(end) and self.is_name_token(doc[end])):
                end += 1
            elif not state.taken(end) and (skip := self._particle_len(doc, end, state)) and end > start:
                end += skip
            else:
                break
        return end

    def _cue_spans(
        self, doc: Doc, state: _State, matcher: PhraseMatcher, suffixes: tuple[str, ...]
    ) -> list[tuple[int, int]]:
        """Cue phrases plus single tokens ending in a cue suffix (``Telekom-Chef``, ``Chiphersteller``)."""
        key = id(matcher)
        if key not in state.cues:
            found = list(matcher(doc))
            for i, low in enumerate(state.lowers):
                if (
                    len(low) > 4
                    and low.endswith(suffixes)
                    and any(len(low) > len(s) + 2 for s in suffixes if low.endswith(s))
                ):
                    found.append((0, i, i + 1))
            state.cues[key] = _longest(found)
        return state.cues[key]

    def _role_cues(self, doc: Doc, state: _State) -> Iterator[Candidate]:
        """``CEO Jensen Huang``, ``Presiden Indonesia Ahmad Santoso``, ``la directora de Lumen Labs, Carla Ruiz``."""
        for start, end in self._cue_spans(doc, state, self.person_cues, self.person_suffixes):
            if any(state.taken(i) and state.label(i) != NONENT for i in range(start, end)):
                continue  # a role word inside a known name; "CEO" itself is a non-entity
            yield from self._after_role(doc, start, end, state)

    def _after_role(self, doc: Doc, cue_start: int, cue_end: int, state: _State) -> Iterator[Candidate]:
        k, org = self._skip_role_object(doc, cue_end, state)
        if k < len(doc) and doc[k].text == ",":
            k += 1
        cue = doc[cue_start:cue_end].text.lower()
        k = self._skip_titles(doc, k)
        if cue in self.ministry_roles or (k < len(doc) and doc[k].text in self.institutions):
            span = self._ministry_name(doc, k, state)
            if span is None and k == cue_end and cue in self.ministry_roles:
                span = self._minister_surname(doc, k, state)
        else:
            span = self._person_span(doc, k, state, min_len=1)
            if span and span[1] - span[0] == 1 and not self._lone_surname(doc, span[0], skipped=k > cue_end):
                span = None
        if span is None:
            return
        yield Candidate(span[0], span[1], PERSON, "role")
        if org is not None and cue in self.corporate_roles:
            yield Candidate(org[0], org[1], ORG, "role-object")

    def _minister_surname(self, doc: Doc, i: int, state: _State) -> tuple[int, int] | None:
        """``Minister Okafor said``, ``Menteri Budiman``: a bare ministerial role and one capitalised word.

        Not a word of a portfolio (``Minister Energie`` when the portfolio list lacks the phrase).
        """
        span = self._person_span(doc, i, state, min_len=1)
        if span is None or span[1] - span[0] != 1 or doc[span[0]].lower_ in self.portfolio_words:
            return None
        return span if self._lone_surname(doc, span[0], skipped=False) else None

    def _titles(self, doc: Doc, state: _State) -> Iterator[Candidate]:
        """``Mr. Delacourt``, ``Frau Albers``, ``Pak Budi``, ``M. Durand``: an honorific and a name."""
        for start, end in _longest(self.title_matcher(doc)):
            if state.taken(start) or end >= len(doc) or state.taken(end):
                continue
            span = self._person_span(doc, end, state, min_len=1)
            if span is None or span[0] != end or self._continues(doc, span[1]):
                continue
            if span[1] - span[0] == 1 and not self._lone_surname(doc, span[0], skipped=False):
                continue
            yield Candidate(span[0], span[1], PERSON, "title")

    def _lone_surname(self, doc: Doc, i: int, skipped: bool) -> bool:
        """``president Trump``, ``CEO Altman``: one word right after a role, then no more capitals.

        Not after a skipped organization (``presidente de Telefónica
        Internacional``), nor a word that could continue a title.
        """
        if doc[i].text in self.first_names:
            return True
        following = doc[i + 1] if i + 1 < len(doc) else None
        return not skipped and (following is None or not following.text[:1].isupper())

    def _skip_role_object(self, doc: Doc, i: int, state: _State) -> tuple[int, tuple[int, int] | None]:
        """Skip ``of OpenAI`` / ``Indonesia`` after a role; return the new position and any new organization."""
        if i < len(doc) and state.taken(i):
            return (state.entity_end(i), None) if state.label(i) in {ORG, COUNTRY} else (i, None)
        if i < len(doc) and self.is_name_token(doc[i]):
            end = self.run_after(doc, i, state, 4)
            if self._name_follows_comma(doc, end, state):
                return end, (i, end)  # "Direktur Utama Lintas Awan, Budi Hartono, ..."
        if i + 1 < len(doc) and doc[i].lower_ in self.links:
            j = i + 1
            if state.taken(j):
                return (state.entity_end(j), None) if state.label(j) in {ORG, COUNTRY} else (i, None)
            if self.is_name_token(doc[j]):
                end = self.run_after(doc, j, state, 4)
                if end < len(doc) and doc[end].text == ",":
                    return end, (j, end)
        return i, None

    def _name_follows_comma(self, doc: Doc, i: int, state: _State) -> bool:
        """``<name>, <Two Words>,``: the second name is set off as an apposition."""
        if i + 2 >= len(doc) or doc[i].text != ",":
            return False
        end = self.run_after(doc, i + 1, state, MAX_PERSON_TOKENS, person=True)
        return end - (i + 1) >= 2 and (end >= len(doc) or doc[end].is_punct)

    def _ministry_name(self, doc: Doc, start: int, state: _State) -> tuple[int, int] | None:
        """The person after a role whose portfolio or institution may come first.

        ``Menteri Komunikasi dan Digital Rina Kusumawati``, ``Ketua Umum Partai
        Golkar Airlangga Hartarto``: the name starts at a known first name, else
        after the institution (its word and the next) or the portfolio's
        conjunction; a bare role needs a two-word name.
        """
        end = start
        while end < len(doc) and not state.taken(end) and end - start < MAX_NAME_TOKENS + 2:
            token = doc[end]
            if self.is_name_token(token) or (token.lower_ in self.conjunctions | self.particles and end > start):
                end += 1
            else:
                break
        while end > start and not self.is_name_token(doc[end - 1]):
            end -= 1
        named = [i for i in range(start, end) if doc[i].text in self.first_names]
        if named:
            return named[0], min(end, named[0] + MAX_PERSON_TOKENS)
        cut, shortest = start, 2
        for i in range(start, end):
            if doc[i].text in self.institutions:
                cut, shortest = i + 2, 1
            elif any(p.match(doc[i].text) for p in self.not_person):
                cut, shortest = i + 1, 2
            elif doc[i].lower_ in self.conjunctions:
                cut, shortest = i + 2, 2
            elif _ACRONYM.match(doc[i].text):
                cut, shortest = i + 1, 1
        if cut > start:
            span = None if end - cut < shortest else (max(cut, end - 2), end)
        elif end - start >= 3:
            span = (end - 2, end)
        else:
            span = (start, end) if end - start == 2 else None
        if span is None or not self._plausible_person(doc, *span):
            if end < len(doc) and doc[end].text == ",":
                return self._person_span(doc, end + 1, state, min_len=2)
            return None
        return span

    def _plausible_person(self, doc: Doc, start: int, end: int) -> bool:
        """No institution word or nominalisation (Indonesian ``Perumahan``) inside a person's name."""
        for token in doc[start:end]:
            if token.text in self.institutions or any(p.match(token.text) for p in self.not_person):
                return False
        return not (end - start == 1 and opens_sentence(doc[start]))

    def _appositions(self, doc: Doc, state: _State) -> Iterator[Candidate]:
        """``Femke Jansen, an analyst at``; ``Rina Kusumawati, Menteri``; ``Sam Altman (CEO)``."""
        for start, _ in self._cue_spans(doc, state, self.person_cues, self.person_suffixes):
            i = start
            skipped = 0
            while i > 0 and skipped < 4 and self._apposition_filler(doc[i - 1], state):
                i -= 1
                skipped += 1
            if i < 2 or doc[i - 1].text not in {",", "("}:
                continue
            name_start = self.run_before(doc, i - 1, state, MAX_PERSON_TOKENS)
            if i - 1 - name_start >= 2 and not self._looks_like_org(doc, name_start, i - 1):
                yield Candidate(name_start, i - 1, PERSON, "apposition")

    def _apposition_filler(self, token: Token, state: _State) -> bool:
        """Words between a name's comma and the role: ``, an analyst at``; not a verb of saying
        (``Vento Digitale, ha detto il ministro``: the name before the comma is not the minister)."""
        if token.lower_ in self.speech_words:
            return False
        if token.lower_ in self.determiners or token.text in POSSESSIVES:
            return True
        if state.taken(token.i):
            return state.label(token.i) in {ORG, COUNTRY}
        return token.is_alpha and token.text.islower()

    def _speech(self, doc: Doc, state: _State) -> Iterator[Candidate]:
        """``said Tom Ellis``, ``kata Budi Santoso``; and ``Sam Altman said`` for known first names."""
        for start, end in _longest(self.speech(doc)):
            span = self._person_span(doc, end, state, min_len=2)
            if span and not self._continues(doc, span[1]):
                yield Candidate(span[0], span[1], PERSON, "speech")
            anchor = start - 1 if start > 0 and doc[start - 1].text == "," else start
            before = self.run_before(doc, anchor, state, MAX_PERSON_TOKENS)
            if anchor - before >= 2 and doc[before].text in self.first_names:
                yield Candidate(before, anchor, PERSON, "speech")

    def _bylines(self, doc: Doc, state: _State) -> Iterator[Candidate]:
        """``By Anna Tong and Krystal Hu``, ``Reporter: Rangga Pandu``: authors count as persons."""
        for start, end in _longest(self.bylines(doc)):
            if not (opens_sentence(doc[start]) or (start > 0 and doc[start - 1].text in {"(", ";", "|"})):
                continue
            i = end
            while i < len(doc):
                span = self._person_span(doc, i, state, min_len=2, headline_ok=True)
                if span is None or not self._ends_byline_name(doc, span[1]):
                    break
                yield Candidate(span[0], span[1], PERSON, "byline")
                i = span[1] + 1 if span[1] < len(doc) and doc[span[1]].lower_ in self.conjunctions | {","} else len(doc)

    def _ends_byline_name(self, doc: Doc, end: int) -> bool:
        if end >= len(doc) or doc[end].is_punct or doc[end].is_space or "\n" in doc[end - 1].text_with_ws:
            return True
        return doc[end].lower_ in self.conjunctions or doc[end].lower_ in self.links or doc[end].is_lower

    def _continues(self, doc: Doc, end: int) -> bool:
        """A name followed by ``-topman`` or ``'s`` is a modifier of something else."""
        return end < len(doc) and (doc[end].text in {"-", "–"} | POSSESSIVES)

    def _patronymics(self, doc: Doc, state: _State) -> Iterator[Candidate]:
        """``Khalid bin Rashid Al Mansoori``, ``Omar bin Faisal``: Arabic names announce themselves."""
        for i, low in enumerate(state.lowers):
            if low not in self.patronymics or i == 0 or state.taken(i):
                continue
            token = doc[i]
            first = i - 1
            if state.taken(first) or not self.is_name_token(doc[first]):
                continue
            end = self.run_after(doc, first, state, MAX_NAME_TOKENS, person=True)
            if end > token.i + 1:
                yield Candidate(first, end, PERSON, "patronymic")

    def _org_cues(self, doc: Doc, state: _State) -> Iterator[Candidate]:
        """``la société X``, ``perusahaan teknologi asal AS, X``; lists after a cue (``les groupes A, B et C``)."""
        for start, end in self._cue_spans(doc, state, self.org_cues, self.org_suffixes):
            if self._cue_is_part_of_name(doc, start, end):
                continue
            i = self._skip_modifiers(doc, end, state)
            if i >= len(doc) or opens_sentence(doc[i]):
                continue
            first = self._org_item(doc, i, state)
            if first is None:
                continue
            if not state.taken(i) or state.is_model(i):
                yield Candidate(first[0], first[1], ORG, "cue")
            yield from self._list_continuation(doc, first[1], state)

    def _cue_is_part_of_name(self, doc: Doc, start: int, end: int) -> bool:
        """``Société Générale``, ``Bank Mandiri``: a lowercase cue written capitalised mid-sentence is a name."""
        text = doc[start:end].text
        return text.lower() in self.lower_org_cues and text != text.lower() and not opens_sentence(doc[start])

    def _skip_modifiers(self, doc: Doc, i: int, state: _State) -> int:
        """Skip post-nominal adjectives and demonyms (``estatal``, ``française``, ``asal AS``)."""
        multi = {s: e for _, s, e in self.multi_modifiers(doc)}
        for _ in range(4):
            if i >= len(doc):
                break
            if i in multi:
                i = multi[i]
            elif doc[i].lower_ in self.modifiers and not doc[i].text.istitle():
                i += 1
            elif state.taken(i) and state.label(i) == COUNTRY and i > 0 and doc[i - 1].lower_ in self.modifiers:
                i = state.entity_end(i)
            else:
                break
        if (
            i < len(doc)
            and doc[i].text == ","
            and i + 1 < len(doc)
            and state.taken(i + 1)
            and state.label(i + 1) == ORG
        ):
            i += 1  # "perusahaan teknologi asal AS, Microsoft"
        return i

    def _org_item(self, doc: Doc, i: int, state: _State) -> tuple[int, int] | None:
        """A known organization or a new name at ``i`` (which a model may have mislabelled)."""
        if state.taken(i) and not state.is_model(i):
            return (i, state.entity_end(i)) if state.label(i) == ORG and state.starts(i) else None
        if not self.is_name_token(doc[i]) or doc[i].text in self.first_names:
            return None
        end = self.run_after(doc, i, state, soft=True)
        if end == i or (self._model_person(state, i, end) and not self._looks_like_org(doc, i, end)):
            return None  # a model's two-word person after "l'éditeur" is more likely right
        return i, end

    @staticmethod
    def _model_person(state: _State, start: int, end: int) -> bool:
        spans = {id(state.owner[i]): state.owner[i] for i in range(start, end) if state.is_model(i)}
        return any(span.label_ in {PERSON, "PER"} and len(span) > 1 for span in spans.values())

    def _list_continuation(self, doc: Doc, i: int, state: _State) -> Iterator[Candidate]:
        """Items after the first one of a list the cue introduced, if the list ends with a conjunction."""
        items: list[tuple[int, int]] = []
        closed = False
        while i < len(doc) and len(items) < 8:
            sep = i
            while sep < len(doc) and (doc[sep].text == "," or doc[sep].lower_ in self.conjunctions):
                sep += 1
            if sep == i or sep >= len(doc) or opens_sentence(doc[sep]):
                break
            item = self._org_item(doc, sep, state)
            if item is None:
                break
            closed = any(doc[k].lower_ in self.conjunctions for k in range(i, sep))
            items.append(item)
            i = item[1]
            if closed:
                break
        if closed:
            for start, end in items:
                if not state.taken(start) or state.is_model(start):
                    yield Candidate(start, end, ORG, "cue-list")

    def _affiliations(self, doc: Doc, state: _State) -> Iterator[Candidate]:
        """``Lena Weiß vom KI-Bundesverband``, ``Tom Ellis at Harbour Street Advisors``: where a person works."""
        for span in list(state.spans):
            if span.label_ not in {PERSON, "PER"} or span.end + 1 >= len(doc):
                continue
            i = span.end
            if doc[i].lower_ not in self.links:
                continue
            i += 1
            while i < len(doc) and doc[i].lower_ in self.determiners:
                i += 1
            if i >= len(doc) or state.taken(i) or not self.is_name_token(doc[i]) or doc[i].text in self.first_names:
                continue
            end = self.run_after(doc, i, state, 4)
            if end > i and not state.title_case(i) and (end == len(doc) or not doc[end].is_alpha or doc[end].is_lower):
                yield Candidate(i, end, ORG, "affiliation")

    def _head_words(self, doc: Doc, state: _State) -> Iterator[Candidate]:
        """``Balderton Capital``, ``Harbour Street Advisors``; ``Banco Meridiano``, ``Universitas Indonesia``."""
        for start, end in _longest(self.heads(doc)):
            if any(state.taken(i) for i in range(start, end)) or state.short(start):
                continue
            name_start = self.run_before(doc, start, state, 4)
            known_first = doc[name_start].text in self.first_names
            if name_start < start and not known_first and self._delimited(doc, name_start, end, state):
                yield Candidate(name_start, end, ORG, "head")
        for i, text in enumerate(state.texts):
            if text in self.head_prefixes and not state.taken(i) and not state.short(i):
                end = self.run_after(doc, i + 1, state, 4)
                if end > i + 1 and self._delimited(doc, i, end, state):
                    yield Candidate(i, end, ORG, "head")

    def _delimited(self, doc: Doc, start: int, end: int, state: _State) -> bool:
        """In a Title Case headline a name counts only if no capitalised word touches it."""
        if not state.title_case(start):
            return True
        sent = doc[start].sent
        before = start == sent.start or not doc[start - 1].text[:1].isupper()
        after = end >= sent.end or not doc[end].text[:1].isupper()
        return before and after

    def _possessives(self, doc: Doc, state: _State) -> Iterator[Candidate]:
        """``Oracle's Hannah Kerr`` (a known first name) and ``Kenya's NimbusGrid``."""
        for i, text in enumerate(state.texts):
            if text not in POSSESSIVES or i == 0 or not state.taken(i - 1):
                continue
            if state.label(i - 1) not in {ORG, COUNTRY}:
                continue
            k = i + 1
            if k < len(doc) and doc[k].text in self.first_names:
                span = self._person_span(doc, k, state, min_len=2)
                if span:
                    yield Candidate(span[0], span[1], PERSON, "possessive")

    def _first_names(self, doc: Doc, state: _State) -> Iterator[Candidate]:
        """``Maria Lindqvist``: a known given name followed by a capitalised surname."""
        for i, text in enumerate(state.texts):
            if text not in self.first_names or state.taken(i) or state.short(i):
                continue
            span = self._person_span(doc, i, state, min_len=2)
            if span and span[0] == i and not self._continues(doc, span[1]) and self._delimited(doc, *span, state):
                yield Candidate(span[0], span[1], PERSON, "first-name")

    def _camel_case(self, doc: Doc, state: _State) -> Iterator[Candidate]:
        """``NimbusGrid``, ``QuantaForge``: inner capitals mark brand names, which here are mostly companies."""
        for i, text in enumerate(state.texts):
            if len(text) < 5 or not _CAMEL.match(text) or _NOT_CAMEL.match(text) or state.taken(i):
                continue
            if state.short(i):
                continue
            end = self.run_after(doc, i, state, 3)
            rest = range(i + 1, end)
            if all(_CAMEL.match(state.texts[j]) or state.texts[j] in self.head_words for j in rest):
                yield Candidate(i, end, ORG, "camel")

    def _coordinations(self, doc: Doc, state: _State) -> Iterator[Candidate]:
        """``Microsoft, Meta, Amazon en Zilverlijn``: unknown names listed with known organizations."""
        for sent in doc.sents:
            i = sent.start
            while i < sent.end:
                items, i = self._chain(doc, i, sent.end, state)
                known = [it for it in items if it[2]]
                fresh = [it for it in items if not it[2]]
                if len(items) >= 3 and known and fresh:
                    for start, end, _ in fresh:
                        if not (opens_sentence(doc[start]) and doc[start].lower_ in self.stop_words):
                            yield Candidate(start, end, ORG, "list")

    def _chain(self, doc: Doc, i: int, limit: int, state: _State) -> tuple[list[tuple[int, int, bool]], int]:
        """The list of names starting at ``i`` (``A, B and C``) and the position after it.

        Only a list closed by a conjunction counts: ``A, B`` alone may be a name
        and its apposition.
        """
        items: list[tuple[int, int, bool]] = []
        closed = complete = False
        while i < limit:
            item = self._chain_item(doc, i, state)
            if item is None:
                break
            items.append(item)
            i = item[1]
            if closed:
                complete = True
                break
            sep = i
            while sep < limit and (doc[sep].text == "," or doc[sep].lower_ in self.conjunctions):
                sep += 1
            if sep == i:
                break
            closed = any(doc[k].lower_ in self.conjunctions for k in range(i, sep))
            i = sep
        if not items:
            return [], i + 1
        return (items if complete else []), i

    def _chain_item(self, doc: Doc, i: int, state: _State) -> tuple[int, int, bool] | None:
        if i >= len(doc):
            return None
        if state.taken(i):
            return (i, state.entity_end(i), True) if state.label(i) == ORG and state.starts(i) else None
        if not self.is_name_token(doc[i]) or doc[i].text in self.first_names:
            return None
        end = self.run_after(doc, i, state, 4)
        return (i, end, False) if end > i else None


class _State:
    """Entities so far (pipeline ents plus accepted candidates), indexed by token.

    Model entities of other labels (``MISC``, non-country ``LOC``) do not block
    the rules: kg drops them anyway, and French ``Groupe Marée Haute`` tagged ``MISC`` is
    better found again as an organization.
    """

    def __init__(self, doc: Doc, detect_headlines: bool = True) -> None:
        self.doc = doc
        self.detect_headlines = detect_headlines
        self.spans: list[Span] = [ent for ent in doc.ents if ent.label_ in HARD_LABELS]
        self.soft: list[Span] = [ent for ent in doc.ents if ent.label_ not in HARD_LABELS]
        self.owner: dict[int, Span] = {i: ent for ent in self.spans for i in range(ent.start, ent.end)}
        self.texts: list[str] = [t.text for t in doc]
        self.lowers: list[str] = [t.lower() for t in self.texts]
        self.cues: dict[int, list[tuple[int, int]]] = {}
        self._title: dict[int, bool] = {}

    def taken(self, i: int) -> bool:
        return i in self.owner

    def label(self, i: int) -> str:
        return self.owner[i].label_

    def starts(self, i: int) -> bool:
        return self.owner[i].start == i

    def entity_end(self, i: int) -> int:
        return self.owner[i].end

    def is_model(self, i: int) -> bool:
        span = self.owner.get(i)
        return span is not None and span.id_ in MODEL_ORIGINS

    def is_gazetteer(self, i: int) -> bool:
        span = self.owner.get(i)
        return span is not None and span.id_ in {"gazetteer", "cldr", "lexicon"}

    def title_case(self, i: int) -> bool:
        """Whether token ``i`` is in a headline-like or too short sentence, where capitals prove little."""
        sent = self.doc[i].sent
        if sent.start not in self._title:
            self._title[sent.start] = self.short(i) or (self.detect_headlines and is_title_case(sent))
        return self._title[sent.start]

    def short(self, i: int) -> bool:
        """Whether token ``i`` is in a tag, menu item or caption rather than a sentence."""
        return sum(1 for t in self.doc[i].sent if t.is_alpha) < MIN_SENTENCE_WORDS

    def add(self, candidate: Candidate) -> None:
        """Accept a candidate unless it overlaps an entity it may not replace.

        It replaces the gazetteer spans it covers (``Orange Polska S.A.``) and,
        if it comes from cue evidence, model spans it covers: ``la start-up
        parisienne Nébuleuse`` is an organization whatever the model guessed.
        """
        indices = range(candidate.start, candidate.end)
        overlapped = {id(self.owner[i]): self.owner[i] for i in indices if i in self.owner}
        strong = candidate.rule in STRONG_RULES
        if any(not (self.is_gazetteer(s.start) or (strong and s.id_ in MODEL_ORIGINS)) for s in overlapped.values()):
            return
        if any(span.start < candidate.start or span.end > candidate.end for span in overlapped.values()):
            return
        span = Span(self.doc, candidate.start, candidate.end, label=candidate.label, span_id="rule")
        self.spans = [s for s in self.spans if id(s) not in overlapped] + [span]
        self.soft = [s for s in self.soft if s.end <= candidate.start or s.start >= candidate.end]
        for s in overlapped.values():
            for i in range(s.start, s.end):
                self.owner.pop(i, None)
        for i in indices:
            self.owner[i] = span

    def entities(self) -> list[Span]:
        return filter_spans(self.spans + self.soft)
