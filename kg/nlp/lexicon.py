"""Per-language name cues (legal forms, role words, titles) read from data files.

``ontology/lexicons/names/common.json`` holds what every language shares; a
``<lang>.json`` file adds that language's words, and ``first_names.json`` holds
given names shared by all languages.  Adding a language is adding a file: no
code knows any language's words.

Keys (all lists of strings; a missing key is an empty list):

* ``legal_suffixes`` / ``legal_prefixes``: legal forms around a company name
  (``GmbH``, ``PT``).
* ``person_titles``: honorifics skipped in front of a name (``Dr.``, ``Sheikh``).
* ``person_cues``: role phrases before or after a person (``CEO``, ``Menteri
  Luar Negeri``); matched as the longest phrase, so portfolios are not names.
* ``person_cue_suffixes`` / ``org_cue_suffixes``: endings of compound words that
  act as such cues (``Telekom-Chef``, ``durfkapitaalfonds``).
* ``ministry_roles``, ``portfolio_links``, ``portfolios``: combined into role
  phrases ``<role> [<link>] <portfolio>`` (``Minister van Economische Zaken``).
* ``corporate_roles``: roles whose object is a company, so that ``el director de
  Nube Ibérica, Javier Ortega`` also yields the organization (``alcalde de
  Beasain`` does not).
* ``institution_words``: words opening the name of a body a person heads
  (Indonesian ``Ketua Partai Golkar Airlangga``), never a person's name.
* ``not_person_patterns``: regular expressions for capitalised words that are
  never part of a person's name (Indonesian ``pe-...-an`` nouns such as
  ``Perumahan``).
* ``not_person_words``: capitalised words that are never part of a person's
  name (``Energi``, ``Reactors``); a candidate person holding one is dropped.
* ``org_body_words``: head nouns of bodies and media (``Council``,
  ``Authority``, ``News``); a candidate person ending in one, or in an
  ``org_head_words`` word, is an organization.
* ``org_cues``: descriptions before an organization name (``la société``).
* ``org_head_words``: last words that make a capitalised run an organization
  (``Balderton Capital``).
* ``org_head_prefixes``: first words that do the same (``Banco Meridiano``).
* ``unit_words``: words after a known one-word organization that name a unit of
  its own (``Adani Enterprises``, ``Samsung Electronics``).
* ``corporate_words``: trailing words that do not change which company is
  meant (``Nscale Global Holdings`` is Nscale).
* ``not_name_endings``: endings of capitalised common nouns (German
  ``-ung``), so such words never extend a name.
* ``role_links``: words between a role and its organization (``CEO of X``).
* ``cue_modifiers``: adjectives allowed between a cue and its name
  (``la minera estatal Codelco``).
* ``appositive_determiners``: articles opening an appositive (``X, an analyst``).
* ``speech_verbs``: verbs of saying next to a speaker's name (``said``, ``kata``).
* ``byline_cues``: words opening a byline or credit of the author
  (``By``, ``Reporter:``); bylines name persons too.
* ``conjunctions``: words joining list items (``and``, ``ou``).
* ``government_words``: words that make a name a government or ministry, which
  the gold convention maps to the country, never to an organization.
* ``accepted_ambiguous_countries``: country names flagged ambiguous in
  ``countries.csv`` that this language's news nevertheless uses for the country.
* ``credit_markers``: markers of photo credits and copyright lines, which are
  not article content.
* ``name_particles`` (``van``, ``bin``) may sit inside a name, followed by
  ``name_particle_followers`` (``von der Leyen``); ``patronymics`` (``bin``)
  between capitalised words mark a person on their own.
* ``person_short_forms``: which part of a full name the language's news uses
  alone later on (``last``; Indonesian also ``first``: ``Budi`` for ``Budi
  Santoso``).
* ``adjective_inflections``: ``"e>en"``: a known name opening with an adjective in ``-e`` is also
  found inflected (German ``der Deutschen Telekom``, ``der Europäischen Investitionsbank``).
* ``genitive_endings``: ``["s"]`` where a known name takes its genitive as one word (German
  ``Nvidias Wert``, Swedish ``Microsofts investering``; Polish case endings give ``Microsoftu``,
  ``Reutersa``): that word is the organization too. Names of up to three letters are not inflected,
  nor names ending in ``s``, ``x``, ``z`` or ``ß`` with an ending that starts with ``s``.
* ``portfolio_after_names``: ``["yes"]`` where news name a minister as surname, link and portfolio
  (Dutch ``Van Marum voor Digitalisering``): such a phrase gives the person without a role word.
* ``capitalised_nouns``: ``["yes"]`` for languages that capitalise every noun
  (German), where a sentence full of capitals is not a Title Case headline.
* ``currency_country_phrases``, ``not_name_starts``,
  ``first_names``.

``ontology/lexicons/non_names/`` holds the other side: classes of capitalised
phrases that are no names (laws, programmes, technologies, regions, demonym
phrases), read by ``non_name_lexicon`` below (``NonNameClass`` documents the keys).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from kg.paths import lexicon_dir
from kg.text import normalise_name

_LIST_KEYS = (
    "legal_suffixes",
    "legal_prefixes",
    "person_titles",
    "person_cues",
    "person_cue_suffixes",
    "ministry_roles",
    "corporate_roles",
    "institution_words",
    "not_person_patterns",
    "not_person_words",
    "org_body_words",
    "portfolio_links",
    "portfolios",
    "org_cues",
    "org_cue_suffixes",
    "org_head_words",
    "org_head_prefixes",
    "corporate_words",
    "unit_words",
    "not_name_endings",
    "role_links",
    "cue_modifiers",
    "appositive_determiners",
    "speech_verbs",
    "byline_cues",
    "conjunctions",
    "government_words",
    "accepted_ambiguous_countries",
    "credit_markers",
    "name_particles",
    "name_particle_followers",
    "patronymics",
    "person_short_forms",
    "capitalised_nouns",
    "adjective_inflections",
    "genitive_endings",
    "portfolio_after_names",
    "currency_country_phrases",
    "not_name_starts",
    "measure_units",
    "first_names",
)


@dataclass(frozen=True)
class NameLexicon:
    """Words that signal an organization or person name next to them."""

    legal_suffixes: tuple[str, ...] = ()
    legal_prefixes: tuple[str, ...] = ()
    person_titles: tuple[str, ...] = ()
    person_cues: tuple[str, ...] = ()
    person_cue_suffixes: tuple[str, ...] = ()
    ministry_roles: tuple[str, ...] = ()
    corporate_roles: tuple[str, ...] = ()
    institution_words: tuple[str, ...] = ()
    not_person_patterns: tuple[str, ...] = ()
    not_person_words: tuple[str, ...] = ()
    org_body_words: tuple[str, ...] = ()
    portfolio_links: tuple[str, ...] = ()
    portfolios: tuple[str, ...] = ()
    org_cues: tuple[str, ...] = ()
    org_cue_suffixes: tuple[str, ...] = ()
    org_head_words: tuple[str, ...] = ()
    org_head_prefixes: tuple[str, ...] = ()
    corporate_words: tuple[str, ...] = ()
    unit_words: tuple[str, ...] = ()
    not_name_endings: tuple[str, ...] = ()
    role_links: tuple[str, ...] = ()
    cue_modifiers: tuple[str, ...] = ()
    appositive_determiners: tuple[str, ...] = ()
    speech_verbs: tuple[str, ...] = ()
    byline_cues: tuple[str, ...] = ()
    conjunctions: tuple[str, ...] = ()
    government_words: tuple[str, ...] = ()
    accepted_ambiguous_countries: tuple[str, ...] = ()
    credit_markers: tuple[str, ...] = ()
    name_particles: tuple[str, ...] = ()
    name_particle_followers: tuple[str, ...] = ()
    patronymics: tuple[str, ...] = ()
    person_short_forms: tuple[str, ...] = ()
    capitalised_nouns: tuple[str, ...] = ()
    adjective_inflections: tuple[str, ...] = ()
    genitive_endings: tuple[str, ...] = ()
    portfolio_after_names: tuple[str, ...] = ()
    currency_country_phrases: tuple[str, ...] = ()
    not_name_starts: tuple[str, ...] = ()
    measure_units: tuple[str, ...] = ()
    first_names: tuple[str, ...] = ()

    def role_phrases(self) -> tuple[str, ...]:
        """Person cues plus every ``<ministry role> [<link>] <portfolio>`` combination."""
        combined = [
            f"{role} {link} {portfolio}".replace("  ", " ")
            for role in self.ministry_roles
            for link in ("", *self.portfolio_links)
            for portfolio in self.portfolios
        ]
        return tuple(dict.fromkeys((*self.person_cues, *self.ministry_roles, *combined)))


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
    shared = _read("first_names")
    merged = {
        key: tuple(dict.fromkeys(common.get(key, []) + own.get(key, []) + shared.get(key, []))) for key in _LIST_KEYS
    }
    return NameLexicon(**merged)


# --- non-names: capitalised phrases that are neither organizations nor persons ----------------------

_CLASS_KEYS = ("last_words", "first_words", "words_before", "word_endings", "only_words", "patterns")
_DEMONYM_KEYS = ("adjectives", "adjective_endings", "generic_nouns", "generic_endings")


@dataclass(frozen=True)
class NonNameClass:
    """Cues of one class of capitalised phrases that name no organization or person (laws, programmes ...).

    Read from ``ontology/lexicons/non_names/<lang>.json`` (see the ``_comment`` there and the README):

    * ``last_words``: a phrase ending in one of these words (exact case) is of the class (``AI Act``);
      with ``ends_longer_names``, so is a name written right before one (``CHIPS`` of ``CHIPS Act``).
    * ``first_words``: a phrase opening with one of these words or phrases (exact case) is of the class
      (``Wet Digitale Overheid``, ``Undang-Undang Cipta Kerja``); a name right after such a single word
      is part of the phrase too (``Wet`` + ``Digitale Overheid``).
    * ``words_before``: lowercase words right before a name that make it of the class (``la loi Travail``).
    * ``word_endings``: endings of one-word compounds of the class, any case (``Lieferkettengesetz``).
    * ``only_words``: a phrase made of these words only, any case, is of the class (``Cloud Computing``).
    * ``patterns``: regular expressions searched in the whole phrase (``^UU (No\\.|Nomor)``).
    """

    name: str
    last_words: frozenset[str] = frozenset()
    first_words: tuple[str, ...] = ()
    words_before: frozenset[str] = frozenset()
    word_endings: tuple[str, ...] = ()
    only_words: frozenset[str] = frozenset()
    patterns: tuple[str, ...] = ()
    ends_longer_names: bool = False


@dataclass(frozen=True)
class NonNameLexicon:
    """Every non-name class of a language, and the cues of demonym phrases (``Europese chipsector``).

    A demonym phrase opens (or, in languages that put adjectives after nouns, closes) with a demonym
    adjective (``adjectives``, or a word with one of ``adjective_endings``) and is otherwise made of
    lowercase words or generic nouns (``generic_nouns``, ``generic_endings``: sector, market, industry).
    """

    classes: tuple[NonNameClass, ...] = ()
    adjectives: frozenset[str] = frozenset()
    adjective_endings: tuple[str, ...] = ()
    generic_nouns: frozenset[str] = frozenset()
    generic_endings: tuple[str, ...] = ()
    files: tuple[str, ...] = field(default=(), compare=False)


def _read_non_names(name: str) -> dict[str, Any]:
    path = lexicon_dir("non_names") / f"{name}.json"
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def _words(values: object) -> list[str]:
    """The strings of a JSON list (other values, such as ``_comment`` entries' keys, are ignored)."""
    return [v.strip() for v in values if isinstance(v, str) and v.strip()] if isinstance(values, list) else []


@cache
def non_name_lexicon(lang: str) -> NonNameLexicon:
    """``common.json`` plus ``lang``'s own non-name cues (English for a language without a file).

    Each file has ``classes`` (class name -> cue lists, see ``NonNameClass``) and ``demonym_phrases``;
    keys starting with ``_`` are comments.  Classes of the same name in both files are merged.
    """
    own_name = lang if (lexicon_dir("non_names") / f"{lang}.json").is_file() else "en"
    files = [_read_non_names("common"), _read_non_names(own_name)]
    merged: dict[str, dict[str, list[str]]] = {}
    longer: dict[str, bool] = {}
    demonyms: dict[str, list[str]] = {key: [] for key in _DEMONYM_KEYS}
    for data in files:
        for cls_name, cues in (data.get("classes") or {}).items():
            if cls_name.startswith("_") or not isinstance(cues, dict):
                continue
            target = merged.setdefault(cls_name, {key: [] for key in _CLASS_KEYS})
            for key in _CLASS_KEYS:
                target[key] += _words(cues.get(key))
            longer[cls_name] = longer.get(cls_name, False) or bool(cues.get("ends_longer_names"))
        for key in _DEMONYM_KEYS:
            demonyms[key] += _words((data.get("demonym_phrases") or {}).get(key))
    classes = tuple(
        NonNameClass(
            name=cls_name,
            last_words=frozenset(cues["last_words"]),
            first_words=tuple(dict.fromkeys(cues["first_words"])),
            words_before=frozenset(w.lower() for w in cues["words_before"]),
            word_endings=tuple(dict.fromkeys(e.lower() for e in cues["word_endings"])),
            only_words=frozenset(w.lower() for w in cues["only_words"]),
            patterns=tuple(dict.fromkeys(cues["patterns"])),
            ends_longer_names=longer[cls_name],
        )
        for cls_name, cues in merged.items()
    )
    return NonNameLexicon(
        classes=classes,
        adjectives=frozenset(demonyms["adjectives"]),
        adjective_endings=tuple(dict.fromkeys(e.lower() for e in demonyms["adjective_endings"])),
        generic_nouns=frozenset(w.lower() for w in demonyms["generic_nouns"]),
        generic_endings=tuple(dict.fromkeys(e.lower() for e in demonyms["generic_endings"])),
        files=("common", own_name),
    )


@cache
def _legal_forms(lang: str) -> tuple[set[str], set[str]]:
    lexicon = name_lexicon(lang)
    return {normalise_name(s) for s in lexicon.legal_suffixes}, {normalise_name(p) for p in lexicon.legal_prefixes}


def strip_legal_form(name: str, lang: str) -> str:
    """``PT Nusantara Data Tbk`` -> ``Nusantara Data``: legal forms do not change identity."""
    suffixes, prefixes = _legal_forms(lang)
    words = name.replace(",", " ").split()
    while len(words) > 1 and normalise_name(words[-1]) in suffixes:
        words.pop()
    while len(words) > 1 and normalise_name(words[0]) in prefixes:
        words.pop(0)
    return " ".join(words)
