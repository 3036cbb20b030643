"""Find amounts of money in news text and normalise them (value + ISO 4217 code).

Everything language-specific (scale words, currency words, qualifiers, range
connectors, number words) lives in ``ontology/lexicons/money/<lang>.json`` plus
``common.json``; currency symbols and names also come from CLDR via Babel.  Adding
a language is therefore mostly adding one JSON file.  Packaging ships
``ontology/`` as package data, which is why the lexicon directory is resolved
relative to this file.

Design, precision first:

* a number becomes an amount only when a currency is attached to it (before or
  after, possibly via a joiner such as French "de"/"d'"); a scale word alone
  ("400 million speakers") is not enough;
* the exceptions are a scaled number that is a member of a list whose
  previous member has an explicit currency in the same sentence ("$5bn in 2025
  and 7 billion in 2026"), and a scaled number followed by money words
  ("4,3 milliards de revenus") in an article that has named one currency
  before it; both are returned with ``currency_implicit=True``;
* ranges ("8 to 10 billion dollars") become one amount whose ``value`` is the
  upper bound and ``value_min`` the lower bound;
* hedges in front of an amount ("more than", "ruim", "jusqu'à") become the
  normalised ``qualifier`` and stay outside the span.

The module is pure Python text processing; patterns are compiled once per
language and cached.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.core import UnknownLocaleError, get_global
from babel.numbers import get_currency_name, get_currency_symbol, get_group_symbol, get_territory_currencies
from text_to_num import text2num

from kg.model import MoneyAmount, Span

_LEXICON_DIR = Path(__file__).resolve().parents[2] / "ontology" / "lexicons" / "money"
_FALLBACK_LANG = "en"
_QUOTED = re.compile(r"'([^']*)'")  # literal text in a CLDR number pattern ("0 tys'.'")

_HS = r"[^\S\n]"  # horizontal whitespace, incl. U+00A0 and U+202F
_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
_NOT_LETTER_AFTER = r"(?![^\W\d_])"
_NOT_ALNUM_AFTER = r"(?![^\W_])"
_NUMBER_SPACES = "\u00a0\u202f\u2009"  # spaces that only ever group digits
_APOSTROPHES = "'\u2019"
_HYPHENS = "-\u2010\u2011"
_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019\-\u2010\u2011][^\W\d_]+)*['\u2019]?")
_HS_RUN = re.compile(_HS + "+")
_WORD_WINDOW = 80
_MAX_NUMBER_WORDS = 6
_LIST_GAP_MAX = 160
_YEARS = range(1900, 2101)
_SENTENCE_BREAK_RE = re.compile(r"(?<=[.!?\u2026])(?<!\b[A-Z]\.[A-Z]\.)\s+|\n\s*")


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class _Lexicon:
    """The merged common + per-language data, with lookup keys normalised."""

    lang: str
    locale: str
    use_text2num: bool
    scales: dict[str, Decimal]
    glued_scales: dict[str, Decimal]  # scales written onto their currency word: Swedish "mdkr", "mnkr"
    glued_currencies: tuple[str, ...]
    standalone_scales: frozenset[str]
    symbols: dict[str, str]
    codes: dict[str, str]
    prefix_words: dict[str, str]
    words: dict[str, str]
    words_need_scale: frozenset[str]
    joiners: tuple[str, ...]
    qualifiers: dict[str, str]
    range_connectors: tuple[str, ...]
    range_openers: tuple[str, ...]
    change_openers: tuple[str, ...]
    pair_connectors: tuple[str, ...]
    list_connectors: tuple[str, ...]
    implicit_followers: frozenset[str]
    counted_nouns_joined: bool  # a counted noun after a scale word needs a joiner: "2 milliards d'utilisateurs"
    money_nouns: frozenset[str]
    word_values: dict[str, Decimal]
    word_numbers: dict[str, dict[str, Decimal]]
    not_numbers: frozenset[str]
    vague_before: tuple[str, ...]
    elisions: tuple[str, ...]


def _key(form: str) -> str:
    """Lookup key: case-folded, one kind of apostrophe, hyphen and space.

    Regexes match case-insensitively and tolerate typographic variants, so the
    dictionaries behind them must be keyed the same way.
    """
    for ch in _APOSTROPHES[1:]:
        form = form.replace(ch, "'")
    for ch in _HYPHENS[1:]:
        form = form.replace(ch, "-")
    return " ".join(form.split()).lower()


def _symbol_key(form: str) -> str:
    """Symbols and codes are case-sensitive ("won" is not "WON"); only spaces vary."""
    return " ".join(form.split())


def _lexicon_dir() -> Path:
    """Prefer the lead's ``kg.paths`` (it also knows the installed-wheel layout)."""
    try:
        from kg.paths import lexicon_dir

        return lexicon_dir("money")
    except (ImportError, FileNotFoundError):
        return _LEXICON_DIR


def _read_json(name: str) -> dict[str, Any]:
    """One lexicon file as a dict; a missing file is an empty lexicon, not an error."""
    path = _lexicon_dir() / f"{name}.json"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _locale(name: str) -> Locale:
    """Parse a Babel locale, falling back to English for anything CLDR lacks."""
    try:
        return Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse(_FALLBACK_LANG)


def _cldr_forms(codes: Iterable[str], locale: Locale) -> tuple[dict[str, str], dict[str, str]]:
    """CLDR currency symbols and names (singular/plural) for ``codes`` in ``locale``.

    Only symbols that are not bare letters are kept (a lone "R" or "kr" is too
    ambiguous next to numbers); names are kept as case-insensitive words.
    """
    symbols: dict[str, str] = {}
    words: dict[str, str] = {}
    for code in codes:
        for loc in (locale, _locale(_FALLBACK_LANG)):
            symbol = get_currency_symbol(code, locale=loc)
            if symbol != code and not symbol.isalpha():
                symbols.setdefault(_symbol_key(symbol), code)
        names = {locale.currencies.get(code, "")}
        names.update(get_currency_name(code, count, locale) for count in (1, 2))
        for name in names:
            if name and name != code:
                words.setdefault(_key(name), code)
    return symbols, words


@cache
def _tender_codes() -> tuple[str, ...]:
    """Every currency that is legal tender somewhere today (CLDR), less codes that name an organization kg knows.

    ``common.json`` lists the currencies of the field by hand; news about a
    data centre in Morocco or a fab in Türkiye gives "10 milliards MAD",
    "TRY 5 billion", so every current ISO 4217 code counts, with its CLDR
    names in the article's language ("dirham marocain", "Türkische Lira").
    A code that is also an organization of the gazetteer ("AMD") stays the
    organization unless ``common.json`` lists it.
    """
    found: set[str] = set()
    for territory in get_global("territory_currencies"):
        found.update(get_territory_currencies(territory, tender=True))
    return tuple(sorted(found - _organization_names()))


def _organization_names() -> set[str]:
    """Labels and aliases of the shipped organization gazetteer, as written (codes are case-sensitive)."""
    try:
        from kg.knowledge import read_org_file
        from kg.paths import gazetteer

        orgs = read_org_file(gazetteer("organizations.csv"))
    except (ImportError, FileNotFoundError):
        return set()
    return {name for org in orgs for name in (org.label, *org.aliases)}


def _declined_names(words: Mapping[str, str], endings: Sequence[str]) -> dict[str, str]:
    """Case forms of adjective-led currency names: "australischer dollar" -> "australischen dollar" ...

    CLDR gives the nominative; German running text declines the adjective
    ("eine Investition von fünf Milliarden Australischen Dollar").  A
    language lists its adjective endings (``adjective_endings``); every
    multi-word name whose first word ends in one gets the other endings too.
    """
    if not endings:
        return {}
    by_length = sorted(endings, key=len, reverse=True)
    out: dict[str, str] = {}
    for name, code in words.items():
        first, _, rest = name.partition(" ")
        if not rest:
            continue
        ending = next((e for e in by_length if first.endswith(e) and len(first) > len(e) + 2), None)
        if ending is None:
            continue
        stem = first[: len(first) - len(ending)]
        for other in endings:
            out.setdefault(f"{stem}{other} {rest}", code)
    return {k: v for k, v in out.items() if k not in words}


def _cldr_only_lexicon(lang: str, common: Mapping[str, Any]) -> dict[str, Any]:
    """A lexicon made from CLDR alone, for a language kg has no money file for (Polish, Czech ...).

    CLDR gives the locale's number format, its compact scale words ("mln", "mld", "miliardów": from the
    short and long compact decimal patterns), every currency's name in each plural form and the local
    currency's symbol even when it is a word ("zł", "Kč"). Number words, ranges and hedges need a kg
    lexicon. Empty when Babel does not know ``lang``.
    """
    if not re.fullmatch(r"[a-z]{2,3}", lang):
        return {}
    try:
        locale = Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return {}
    scales: dict[str, int] = {}
    for style in ("short", "long"):
        for patterns in locale.compact_decimal_formats.get(style, {}).values():
            for magnitude, pattern in patterns.items():
                zeros = str(pattern.pattern).count("0")
                exponent = len(str(magnitude)) - 1 - max(0, zeros - 1)
                word = " ".join(_QUOTED.sub(r"\1", pattern.suffix[0] or pattern.prefix[0]).split())
                if exponent >= 3 and exponent % 3 == 0 and word and any(ch.isalpha() for ch in word):
                    scales.setdefault(word, exponent)
    words: dict[str, str] = {}
    codes = sorted({str(c) for c in common.get("codes", [])})
    for code in codes:
        for count in (1, 2, 5):
            name = get_currency_name(code, count, locale)
            if name and name != code:
                words.setdefault(name, code)
    territory = locale.territory or _likely_territory(locale)
    for code in get_territory_currencies(territory) if territory else []:
        symbol = get_currency_symbol(code, locale=locale)
        if symbol and symbol != code:
            words.setdefault(symbol, code)
    return {"locale": lang, "scales": scales, "words": words}


def _likely_territory(locale: Locale) -> str | None:
    """The territory CLDR's likely-subtags table gives a bare language (pl -> PL, cs -> CZ)."""
    likely = str(get_global("likely_subtags").get(locale.language, ""))
    territory = likely.split("_")[-1] if likely.count("_") >= 1 else ""
    return territory if territory.isalpha() and territory.isupper() else None


def _decimal_map(raw: Mapping[str, Any], *, power_of_ten: bool = False) -> dict[str, Decimal]:
    """JSON numbers as Decimals keyed like ``_key``; scales are stored as powers of ten."""
    if power_of_ten:
        return {_key(k): Decimal(10) ** int(v) for k, v in raw.items()}
    return {_key(k): Decimal(str(v)) for k, v in raw.items()}


@cache
def _lexicon(lang: str) -> _Lexicon:
    """Load and merge ``common.json`` with the language file (English if unknown)."""
    common = _read_json("common")
    own = _read_json(lang) if re.fullmatch(r"[a-z]{2,3}", lang) else {}
    if not own:
        own = _cldr_only_lexicon(lang, common)
    if not own:
        lang, own = _FALLBACK_LANG, _read_json(_FALLBACK_LANG)
    locale = _locale(str(own.get("locale", lang)))
    aliases = {str(k): str(v) for k, v in common.get("code_aliases", {}).items()}
    codes = {str(c): aliases.get(str(c), str(c)) for c in common.get("codes", [])}
    codes.update({c: c for c in _tender_codes() if c not in codes})
    cldr_symbols, cldr_words = _cldr_forms(sorted(set(codes.values())), locale)
    cldr_words.update(_declined_names(cldr_words, own.get("adjective_endings", [])))
    symbols = {**cldr_symbols, **{_symbol_key(k): v for k, v in common.get("symbols", {}).items()}}
    words = {**cldr_words}
    for source in (common, own):
        words.update({_key(k): v for k, v in source.get("words", {}).items()})
    prefix_words = {_key(k): v for src in (common, own) for k, v in src.get("prefix_words", {}).items()}
    spec = own.get("word_numbers", {})
    return _Lexicon(
        lang=lang,
        locale=str(locale),
        use_text2num=bool(own.get("text2num", False)),
        scales=_decimal_map(own.get("scales", {}), power_of_ten=True),
        glued_scales=_decimal_map(own.get("glued_scales", {}), power_of_ten=True),
        glued_currencies=tuple(own.get("glued_currencies", [])),
        standalone_scales=frozenset(_key(s) for s in own.get("standalone_scales", [])),
        symbols=symbols,
        codes={_symbol_key(k): v for k, v in codes.items()},
        prefix_words=prefix_words,
        words=words,
        words_need_scale=frozenset(_key(w) for src in (common, own) for w in src.get("words_need_scale", [])),
        joiners=tuple(common.get("currency_joiners", []) + own.get("currency_joiners", [])),
        qualifiers={_key(k): v for k, v in own.get("qualifiers", {}).items()},
        range_connectors=tuple(common.get("range_connectors", []) + own.get("range_connectors", [])),
        range_openers=tuple(own.get("range_openers", [])),
        change_openers=tuple(own.get("change_openers", [])),
        pair_connectors=tuple(own.get("range_pair_connectors", [])),
        list_connectors=tuple(own.get("list_connectors", [])),
        implicit_followers=frozenset(_key(w) for w in own.get("implicit_followers", [])),
        counted_nouns_joined=bool(own.get("counted_nouns_joined", False)),
        money_nouns=frozenset(_key(w) for w in own.get("money_nouns", [])),
        word_values=_decimal_map(own.get("word_values", {})),
        word_numbers={part: _decimal_map(values) for part, values in spec.items()},
        not_numbers=frozenset(_key(w) for w in own.get("not_numbers", [])),
        vague_before=tuple(own.get("vague_before", [])),
        elisions=tuple(_key(e) for e in own.get("elisions", [])),
    )


# --------------------------------------------------------------------------- grammar


def _form_regex(form: str, *, tail: str = _NOT_LETTER_AFTER) -> str:
    """Regex for one lexicon form, tolerant of apostrophe/hyphen/space variants.

    Word-like edges get boundaries so that "m" never matches inside "more" and
    "euro" never inside "Europa"; symbol edges ("$", "€") need none.
    """
    parts: list[str] = []
    for ch in form:
        if ch in _APOSTROPHES:
            parts.append("['\u2019]")
        elif ch in _HYPHENS:
            parts.append("[\\-\u2010\u2011]")
        elif ch.isspace():
            parts.append(_HS + "+")
        else:
            parts.append(re.escape(ch))
    body = "".join(parts)
    if form[:1].isalnum():
        body = _NOT_LETTER_BEFORE + body
    if form[-1:].isalnum():
        body += tail
    return body


def _alternation(forms: Iterable[str], *, tail: str = _NOT_LETTER_AFTER) -> str:
    """Longest-first alternation, so "mil millones" wins over "mil", "US$" over "$"."""
    unique = sorted({f for f in forms if f}, key=lambda f: (-len(f), f))
    if not unique:
        return "(?!)"
    return _first_char_guard(unique) + "(?:" + "|".join(_form_regex(f, tail=tail) for f in unique) + ")"


def _first_char_guard(forms: Iterable[str]) -> str:
    """Lookahead on the possible first characters: lets the scanner skip most positions fast."""
    first: set[str] = set()
    for form in forms:
        ch = form[0]
        first.update(_APOSTROPHES if ch in _APOSTROPHES else _HYPHENS if ch in _HYPHENS else ch)
    return "(?=[" + "".join(re.escape(ch) for ch in sorted(first)) + "])"


def _currency_alternation(symbols: Iterable[str], codes: Iterable[str], words: Iterable[str]) -> str:
    """Named groups tell which table to look the match up in; symbols/codes are case-sensitive."""
    return (
        f"(?:(?P<sym>(?-i:{_alternation(symbols)}))"
        f"|(?P<code>(?-i:{_alternation(codes)}))"
        f"|(?P<word>{_alternation(words)}))"
    )


@dataclass(frozen=True)
class _Grammar:
    """Compiled patterns for one language (built once, see ``_grammar``)."""

    lex: _Lexicon
    number: re.Pattern[str]
    scale_after_number: re.Pattern[str]
    scale: re.Pattern[str]
    glued_currency: re.Pattern[str]
    prefix_currency: re.Pattern[str]
    suffix_currency: re.Pattern[str]
    qualifier: re.Pattern[str]
    range_gap: re.Pattern[str]
    pair_gap: re.Pattern[str]
    range_opener: re.Pattern[str]
    change_opener: re.Pattern[str]
    list_connector: re.Pattern[str]
    vague_before: re.Pattern[str]


def _number_regex(locale: Locale) -> str:
    """Digits with optional thousands groups and decimals.

    Plain spaces count as a group separator only where CLDR says the locale
    groups with a space (French); no-break and thin spaces always do.
    """
    group_spaces = _NUMBER_SPACES
    if get_group_symbol(locale=locale).isspace():
        group_spaces += " "
    group = f"(?:[.,]|[{group_spaces}])"
    return (
        r"(?<![0-9])(?<![0-9][.,])"
        rf"(?:[0-9]{{1,3}}(?:{group}[0-9]{{3}})+(?:[.,][0-9]+)?|[0-9]+(?:[.,][0-9]+)?)"
        r"(?![0-9])"
    )


def _glued(lex: _Lexicon) -> str:
    """A further scale alternative: a glued scale, only where its currency word follows at once ("2 mdkr")."""
    if not lex.glued_scales or not lex.glued_currencies:
        return ""
    return "|" + _alternation(lex.glued_scales, tail=f"(?={_glued_words(lex)})")


def _glued_words(lex: _Lexicon) -> str:
    """The currency words a scale may be written onto, with no word boundary before them."""
    forms = sorted(set(lex.glued_currencies), key=lambda f: (-len(f), f))
    return "(?:" + "|".join(re.escape(f) for f in forms) + ")" + _NOT_ALNUM_AFTER if forms else "(?!)"


@cache
def _grammar(lang: str) -> _Grammar:
    """Build and cache every pattern for ``lang``."""
    lex = _lexicon(lang)
    scale = f"(?P<scale>{_alternation(lex.scales, tail=_NOT_ALNUM_AFTER)}{_glued(lex)})"
    prefix = _currency_alternation(lex.symbols, lex.codes, lex.prefix_words)
    suffix = _currency_alternation(lex.symbols, lex.codes, {**lex.words, **lex.prefix_words})
    joiner = _alternation(lex.joiners)
    gap = f"(?P<gap>{_HS}*-{_HS}*|{_HS}*)"
    flags = re.IGNORECASE
    return _Grammar(
        lex=lex,
        number=re.compile(_number_regex(_locale(lex.locale))),
        scale_after_number=re.compile(f"(?:{_HS}*|-){scale}", flags),
        scale=re.compile(scale, flags),
        glued_currency=re.compile(f"(?P<sym>(?!))?(?P<code>(?!))?(?P<word>{_glued_words(lex)})", flags),
        prefix_currency=re.compile(f"{prefix}{_HS}?\\Z", flags),
        suffix_currency=re.compile(f"{gap}(?:(?P<join>{joiner}){_HS}*)?{suffix}", flags),
        qualifier=re.compile(f"(?P<q>{_alternation(lex.qualifiers)})(?:{_HS}+|(?<=['\u2019]))\\Z", flags),
        range_gap=re.compile(f"{_HS}*{_alternation(lex.range_connectors)}{_HS}*\\Z", flags),
        pair_gap=re.compile(f"{_HS}+{_alternation(lex.pair_connectors)}{_HS}+\\Z", flags),
        range_opener=re.compile(f"{_alternation(lex.range_openers)}{_HS}+\\Z", flags),
        change_opener=re.compile(f"{_alternation(lex.change_openers)}{_HS}+\\Z", flags),
        list_connector=re.compile(f"{_alternation(lex.list_connectors)}|,", flags),
        vague_before=re.compile(f"{_alternation(lex.vague_before)}{_HS}+\\Z", flags),
    )


def _scale_factor(lex: _Lexicon, form: str) -> Decimal | None:
    key = _key(form)
    return lex.scales.get(key, lex.glued_scales.get(key))


# --------------------------------------------------------------------------- numbers


def _parse_number(raw: str) -> Decimal | None:
    """Read a digit string whatever the article's convention.

    Babel's strict ``parse_decimal`` rejects the mixed conventions news copy
    uses ("$1.5 billion" inside a Dutch article), so the roles of "." and ","
    are decided from the string itself; the locale only tells (via CLDR, in
    ``_number_regex``) whether a plain space may group digits.  Rules:
    two different separators -> the last one is the decimal mark; one kind
    repeated -> thousands groups; a single separator followed by exactly three
    digits -> thousands group ("1.512 triliun", "30.000 millones", "1,000"),
    unless the integer part is 0; any other single separator -> decimal mark
    ("1,5 miljard", "1.5 billion").
    """
    digits = "".join(ch for ch in raw if not ch.isspace())
    decimal_at = _decimal_mark(digits)
    text = "".join("." if i == decimal_at else ch for i, ch in enumerate(digits) if ch not in ".," or i == decimal_at)
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _decimal_mark(digits: str) -> int | None:
    """Index of the decimal mark in ``digits`` (see ``_parse_number``), None if integral."""
    seps = [(i, ch) for i, ch in enumerate(digits) if ch in ".,"]
    if not seps:
        return None
    last_pos, last_ch = seps[-1]
    mixed = any(ch != last_ch for _, ch in seps[:-1])
    grouped = len(digits) - last_pos - 1 == 3 and not (len(seps) == 1 and digits[:last_pos] == "0")
    return last_pos if mixed or not grouped else None


def _lexicon_number(tokens: Sequence[str], spec: Mapping[str, Mapping[str, Decimal]]) -> Decimal | None:
    """Additive parser for languages text2num lacks (Indonesian "dua ratus lima puluh").

    Units accumulate, a multiplier ("puluh", "ratus") closes the pending unit,
    a teen marker ("belas") adds ten, and atoms ("seratus", "sepuluh") are
    complete values on their own.
    """
    units, atoms = spec.get("units", {}), spec.get("atoms", {})
    multipliers, teens = spec.get("multipliers", {}), spec.get("teens", {})
    total = pending = Decimal(0)
    for token in tokens:
        if token in units:
            pending += units[token]
        elif token in atoms:
            total += atoms[token]
        elif token in multipliers and pending:
            total, pending = total + pending * multipliers[token], Decimal(0)
        elif token in teens and pending:
            total, pending = total + pending + teens[token], Decimal(0)
        else:
            return None
    value = total + pending
    return value if value > 0 else None


def _words_value(tokens: Sequence[str], lex: _Lexicon) -> Decimal | None:
    """Value of a phrase of number words, or None if it is not one."""
    if any(t in lex.not_numbers for t in tokens):
        return None
    phrase = " ".join(tokens)
    if phrase in lex.word_values:
        return lex.word_values[phrase]
    if lex.use_text2num:
        try:
            return Decimal(text2num(phrase, lex.lang))
        except Exception:  # text2num raises ValueError (and others) on junk
            return None
    if lex.word_numbers:
        return _lexicon_number(tokens, lex.word_numbers)
    return None


def _strip_elision(token: str, lex: _Lexicon) -> str:
    """French "d'un" -> "un": elided articles/prepositions glue onto number words."""
    key = _key(token)
    for elision in lex.elisions:
        if key.startswith(elision) and len(key) > len(elision):
            return token[len(elision) :]
    return token


def _word_run(text: str, end: int) -> list[re.Match[str]]:
    """The words (at most ``_MAX_NUMBER_WORDS``) separated only by spaces that end at ``end``."""
    run: list[re.Match[str]] = []
    boundary = end
    for m in reversed(list(_WORD_RE.finditer(text, max(0, end - _WORD_WINDOW), end))):
        if len(run) >= _MAX_NUMBER_WORDS or not _HS_RUN.fullmatch(text, m.end(), boundary):
            break
        run.insert(0, m)
        boundary = m.start()
    return run


def _number_words_before(text: str, end: int, g: _Grammar) -> tuple[int, Decimal] | None:
    """Longest run of number words ending (plus spaces) at ``end``: (start, value).

    Used for "honderd miljard", "un milliard", "zwei Milliarden"; a run
    preceded by a vague quantifier ("several hundred million") is rejected.
    """
    run = _word_run(text, end)
    for i in range(len(run)):
        first = _strip_elision(run[i].group(), g.lex)
        keys = [_key(first)] + [_key(m.group()) for m in run[i + 1 :]]
        value = _words_value(keys, g.lex)
        if value is None:
            continue
        start = run[i].end() - len(first)
        if g.vague_before.search(text, max(0, start - 40), start):
            return None
        return start, value
    return None


# --------------------------------------------------------------------------- candidates


@dataclass
class _Candidate:
    """A number (plus scale and currency when found) on its way to an amount."""

    start: int
    end: int
    value: Decimal
    scale: Decimal | None = None
    scale_at: int | None = None
    worded: bool = False
    year_like: bool = False
    currency: str | None = None
    currency_kind: str | None = None
    currency_before: bool = False
    value_min: Decimal | None = None

    @property
    def amount(self) -> Decimal:
        """The number times its scale word."""
        return self.value * self.scale if self.scale is not None else self.value


def _lookup(m: re.Match[str], lex: _Lexicon) -> tuple[str, str] | None:
    """(ISO code, kind) for a match of ``_currency_alternation``."""
    if m.group("sym"):
        code = lex.symbols.get(_symbol_key(m.group("sym")))
        return (code, "symbol") if code else None
    if m.group("code"):
        code = lex.codes.get(_symbol_key(m.group("code")))
        return (code, "code") if code else None
    word = _key(m.group("word"))
    code = lex.words.get(word) or lex.prefix_words.get(word)
    return (code, "word") if code else None


def _numeric_candidates(text: str, g: _Grammar) -> Iterable[_Candidate]:
    """Digit strings, with the scale word that directly follows them."""
    for m in g.number.finditer(text):
        value = _parse_number(m.group())
        if value is None:
            continue
        cand = _Candidate(m.start(), m.end(), value)
        cand.year_like = m.group().isdigit() and int(m.group()) in _YEARS
        scale = g.scale_after_number.match(text, m.end())
        factor = _scale_factor(g.lex, scale.group("scale")) if scale else None
        if scale and factor is not None:
            cand.scale, cand.scale_at, cand.end = factor, scale.start("scale"), scale.end()
            cand.year_like = False
        yield cand


def _worded_candidates(text: str, g: _Grammar, taken: set[int]) -> Iterable[_Candidate]:
    """Scale words preceded by number words ("cinq milliards", "a billion")."""
    for m in g.scale.finditer(text):
        factor = _scale_factor(g.lex, m.group("scale"))
        if m.start() in taken or factor is None:
            continue
        found = _number_words_before(text, m.start(), g)
        if found is not None:
            yield _Candidate(found[0], m.end(), found[1], factor, m.start(), worded=True)
        elif _key(m.group("scale")) in g.lex.standalone_scales and _standalone_ok(text, m.start(), g):
            yield _Candidate(m.start(), m.end(), Decimal(1), factor, m.start(), worded=True)


def _standalone_ok(text: str, start: int, g: _Grammar) -> bool:
    """A bare "mil millones" means 10^9 unless a digit or vague word sits in front."""
    if re.search(r"[0-9]", text[max(0, start - 3) : start]):
        return False
    return not g.vague_before.search(text, max(0, start - 40), start)


def _attach_currency(text: str, cand: _Candidate, g: _Grammar) -> None:
    """Find the currency right before (symbols, codes, "Rp") or right after the number."""
    prefix = g.prefix_currency.search(text, max(0, cand.start - 12), cand.start)
    found = _lookup(prefix, g.lex) if prefix else None
    if prefix and found:
        cand.currency, cand.currency_kind = found
        cand.currency_before = True
        cand.start = prefix.start()
        _absorb_same_suffix(text, cand, g)
        return
    if text[cand.start - 1 : cand.start].isalpha():
        return  # "G42", "A100": digits glued to a name are not money
    glued = g.glued_currency.match(text, cand.end) if cand.scale is not None else None
    if glued is not None and text[cand.end - 1 : cand.end].isalpha():  # "2 mdkr": the scale's own currency
        found = _lookup(glued, g.lex)
        if found:
            cand.currency, cand.currency_kind = found
            cand.end = glued.end()
            return
    suffix = g.suffix_currency.match(text, cand.end)
    if not suffix or ("-" in suffix.group("gap") and cand.worded):
        return  # "a billion-dollar deal" characterises, it does not state an amount
    if suffix.group("join") and cand.scale is None:
        return
    found = _lookup(suffix, g.lex)
    if found and _suffix_ok(text, cand, suffix, found[1], g):
        cand.currency, cand.currency_kind = found
        cand.end = suffix.end()


def _suffix_ok(text: str, cand: _Candidate, suffix: re.Match[str], kind: str, g: _Grammar) -> bool:
    """Reject suffix readings that belong elsewhere.

    A symbol or code directly followed by a digit is the next number's prefix
    ("2023 € 5 miljard"); ambiguous words such as "won" count only after a
    scale word ("450 trillion won", not "in round 3 won").
    """
    if kind != "word":
        return not re.match(r"[^\S\n]?[0-9]", text[suffix.end() : suffix.end() + 2])
    return cand.scale is not None or _key(suffix.group("word")) not in g.lex.words_need_scale


def _absorb_same_suffix(text: str, cand: _Candidate, g: _Grammar) -> None:
    """Redundant "$5 billion dollars": the repeated currency word joins the span."""
    suffix = g.suffix_currency.match(text, cand.end)
    if suffix and not suffix.group("join") and "-" not in suffix.group("gap"):
        found = _lookup(suffix, g.lex)
        if found and found[0] == cand.currency and found[1] == "word":
            cand.end = suffix.end()


def _candidates(text: str, g: _Grammar) -> list[_Candidate]:
    """All numbers with their scale and currency, sorted and without overlaps."""
    numeric = list(_numeric_candidates(text, g))
    taken = {c.scale_at for c in numeric if c.scale_at is not None}
    cands = numeric + list(_worded_candidates(text, g, taken))
    cands.sort(key=lambda c: (c.start, -c.end))
    kept = _drop_overlaps(cands)
    for cand in kept:
        _attach_currency(text, cand, g)
    return _drop_overlaps(kept)


def _drop_overlaps(cands: Sequence[_Candidate]) -> list[_Candidate]:
    """Keep the first of any candidates whose spans overlap (sorted input)."""
    kept: list[_Candidate] = []
    for cand in cands:
        if not kept or cand.start >= kept[-1].end:
            kept.append(cand)
    return kept


# --------------------------------------------------------------------------- ranges, lists


def _range_lower(text: str, a: _Candidate, b: _Candidate, g: _Grammar) -> Decimal | None:
    """Lower bound when ``a`` and ``b`` form a range ("8 to 10 billion dollars"), else None.

    The right member must carry the unit (a scale or a currency); the left one
    inherits what it lacks.  A lower bound that is not below the upper bound
    means the pair is something else ("from 2024 to $5bn").
    """
    if b.scale is None and b.currency is None:
        return None
    if a.currency and b.currency and a.currency != b.currency:
        return None
    if not (a.currency or b.currency) or (a.scale is not None and b.scale is None):
        return None
    if not _range_gap(text, a, b, g) or _is_change(text, a, b, g):
        return None
    lower = a.amount if a.scale is not None or b.scale is None else a.value * b.scale
    return lower if lower < b.amount else None


def _is_change(text: str, a: _Candidate, b: _Candidate, g: _Grammar) -> bool:
    """ "from $3bn to $5bn": two complete amounts after "from" describe a change, not a range."""
    if a.currency is None or b.currency is None or (a.scale is None) != (b.scale is None):
        return False
    return bool(g.change_opener.search(text, max(0, a.start - 24), a.start))


def _range_gap(text: str, a: _Candidate, b: _Candidate, g: _Grammar) -> bool:
    """Is the text between ``a`` and ``b`` a range connector ("to", "-", "and" after "between")?"""
    if b.start - a.end > 24 or b.start < a.end:
        return False
    if g.range_gap.match(text, a.end, b.start):
        return True
    opener = g.range_opener.search(text, max(0, a.start - 24), a.start)
    return bool(opener and g.pair_gap.match(text, a.end, b.start))


def _merge_ranges(text: str, cands: list[_Candidate], g: _Grammar) -> list[_Candidate]:
    """Fuse "X to Y <unit>" pairs into one candidate with ``value_min``."""
    out: list[_Candidate] = []
    i = 0
    while i < len(cands):
        a = cands[i]
        b = cands[i + 1] if i + 1 < len(cands) else None
        lower = _range_lower(text, a, b, g) if b is not None else None
        if b is None or lower is None:
            out.append(a)
            i += 1
            continue
        merged = replace(b, start=a.start, value_min=lower, year_like=False)
        merged.currency = b.currency or a.currency
        merged.currency_kind = b.currency_kind or a.currency_kind
        merged.currency_before = a.currency_before if a.currency else b.currency_before
        out.append(merged)
        i += 2
    return out


def _follower_ok(text: str, end: int, g: _Grammar) -> bool:
    """An implicit amount must not be followed by a counted noun ("2 billion users")."""
    m = _HS_RUN.match(text, end)
    pos = m.end() if m else end
    word = _WORD_RE.match(text, pos)
    if word is None:
        return not text[pos : pos + 1].isdigit()
    key = _key(word.group())
    elided = key[: key.find("'") + 1]  # "all'inizio", "nell'anno": the follower is the elided word
    if key in g.lex.implicit_followers or (bool(elided) and elided in g.lex.implicit_followers):
        return True
    # French, Italian, Spanish and Portuguese join what a scale word counts ("2 milliards d'utilisateurs",
    # "5 miliardi di persone"), so a word after it that is no joiner ("31,5 milliards attendus", "6,4 miliardi
    # un anno prima") describes the sum, not a counted thing
    return g.lex.counted_nouns_joined and _leading_joiner(key, g) is None


def _leading_joiner(key: str, g: _Grammar) -> str | None:
    """The currency joiner ``key`` is, or, elided, starts with ("de", "di", "d'" of "d'utilisateurs"), or None."""
    for joiner in g.lex.joiners:
        j = _key(joiner)
        if key == j or (j.endswith("'") and key.startswith(j)):
            return j
    return None


def _money_follower(text: str, end: int, g: _Grammar) -> bool:
    """What follows a bare scaled number makes it money: a list follower, punctuation, or a money noun.

    "51,2 milliards de revenus", "5 miliardi di investimenti", "760 millions (+56%)"
    are amounts; "2 milliards d'utilisateurs" is not (no money noun after "de").
    """
    if _follower_ok(text, end, g):
        return True
    m = _HS_RUN.match(text, end)
    word = _WORD_RE.match(text, m.end() if m else end)
    if word is None:
        return False
    key = _key(word.group())
    if key in g.lex.money_nouns:
        return True
    joined = _leading_joiner(key, g)
    if joined is None:
        return False
    rest = key[len(joined) :].lstrip("'’")
    if rest:  # an elided joiner glued to its noun ("d'investissements")
        return rest in g.lex.money_nouns
    m = _HS_RUN.match(text, word.end())
    after = _WORD_RE.match(text, m.end() if m else word.end())
    return after is not None and _key(after.group()) in g.lex.money_nouns


def _continues_list(text: str, partner: _Candidate, cand: _Candidate, g: _Grammar) -> bool:
    """Is the bare scaled ``cand`` a list member after the explicit amount ``partner``?

    "$5bn in 2025 and 7 billion in 2026": ``partner`` is the nearest money-like
    number before (the caller guarantees nothing scaled sits in between), the
    gap holds a list connector and the bare number is not followed by a noun.
    """
    if not _is_money(partner):
        return False
    gap = text[partner.end : cand.start]
    if len(gap) > _LIST_GAP_MAX or "\n" in gap or not g.list_connector.search(gap):
        return False
    return _follower_ok(text, cand.end, g)


# --------------------------------------------------------------------------- sentences


def _fallback_sentences(text: str) -> list[Span]:
    """Split on sentence punctuation followed by space, and on newlines."""
    spans: list[Span] = []
    start = 0
    for m in _SENTENCE_BREAK_RE.finditer(text):
        if m.start() > start:
            spans.append(Span(start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append(Span(start, len(text)))
    return spans


class _SentenceIndex:
    """Maps a character range to the sentence(s) containing it."""

    def __init__(self, spans: Sequence[Span]) -> None:
        self._spans = sorted(spans, key=lambda s: (s.start, s.end))
        self._starts = [s.start for s in self._spans]

    def cover(self, start: int, end: int) -> Span:
        """Union of the sentences overlapping [start, end); the range itself if none does.

        A union rather than one sentence because a splitter may cut inside an
        amount ("5 Mrd. Euro"); the result always contains the amount.
        """
        first = max(bisect.bisect_right(self._starts, start) - 1, 0)
        hits: list[Span] = []
        for span in self._spans[first:]:
            if span.start >= end:
                break
            if span.end > start:
                hits.append(span)
        if not hits:
            return Span(start, end)
        return Span(min(hits[0].start, start), max(max(h.end for h in hits), end))


# --------------------------------------------------------------------------- public API


def _normalise(value: Decimal) -> Decimal:
    """Integral values without exponent (1.5E+9 -> 1500000000), others trimmed."""
    try:
        if value == value.to_integral_value():
            return value.quantize(Decimal(1))
        return value.normalize()
    except InvalidOperation:
        return value


def _qualifier(text: str, start: int, g: _Grammar) -> str | None:
    """Normalised hedge ("more_than", ...) written just before ``start``."""
    m = g.qualifier.search(text, max(0, start - 40), start)
    return g.lex.qualifiers.get(_key(m.group("q"))) if m else None


def _to_amount(text: str, cand: _Candidate, sentences: _SentenceIndex, g: _Grammar, implicit: bool) -> MoneyAmount:
    """Freeze a candidate into the public dataclass (offsets already final)."""
    value_min = _normalise(cand.value_min) if cand.value_min is not None else None
    return MoneyAmount(
        span=Span(cand.start, cand.end),
        text=text[cand.start : cand.end],
        value=_normalise(cand.amount),
        currency=cand.currency or "",
        sentence=sentences.cover(cand.start, cand.end),
        value_min=value_min,
        qualifier=_qualifier(text, cand.start, g),
        currency_implicit=implicit,
    )


def _implicit_member(text: str, previous: _Candidate, cand: _Candidate, index: _SentenceIndex, g: _Grammar) -> bool:
    """A bare scaled number continuing a list of explicit amounts in the same sentence."""
    if cand.currency is not None or cand.scale is None or cand.value_min is not None:
        return False
    if index.cover(previous.start, previous.end) != index.cover(cand.start, cand.end):
        return False
    return _continues_list(text, previous, cand, g)


def _in_currency_context(text: str, currencies: set[str], cand: _Candidate, g: _Grammar) -> str | None:
    """The currency of a bare scaled number in running money talk, or None.

    Reports of results and budgets name the currency once and then go on
    with "31,91 milliards", "5 miliardi di investimenti"; annotators count
    those as amounts in that currency.  Only when the article has named one
    currency so far (with two, a bare number is ambiguous), and only when
    what follows makes it money (:func:`_money_follower`).
    """
    if len(currencies) != 1 or cand.currency is not None or cand.scale is None or cand.value_min is not None:
        return None
    if cand.year_like or not _money_follower(text, cand.end, g):
        return None
    return next(iter(currencies))


def _is_money(cand: _Candidate) -> bool:
    """Explicit currency, and not a year such as "in 2025 dollars" (only "$2025" counts)."""
    if cand.currency is None:
        return False
    return not cand.year_like or (cand.currency_before and cand.currency_kind == "symbol")


def find_amounts(text: str, lang: str, sentences: Sequence[Span] | None = None) -> list[MoneyAmount]:
    """Every amount of money in ``text``, sorted by offset.

    ``lang`` selects the lexicon (and so the meaning of "billion"); unknown
    languages fall back to English plus the shared symbols and codes.
    ``sentences`` (e.g. from spaCy) give each amount's ``sentence``; without
    them a punctuation/newline split is used.
    """
    g = _grammar((lang or _FALLBACK_LANG).lower().split("-")[0].split("_")[0])
    index = _SentenceIndex(sentences if sentences is not None else _fallback_sentences(text))
    cands = _merge_ranges(text, _candidates(text, g), g)
    amounts: list[MoneyAmount] = []
    previous: _Candidate | None = None  # nearest earlier number with a scale or currency
    named: set[str] = set()  # the currencies written out so far
    for cand in cands:
        if _is_money(cand):
            amounts.append(_to_amount(text, cand, index, g, implicit=False))
            named.add(cand.currency or "")
        elif previous is not None and _implicit_member(text, previous, cand, index, g):
            cand.currency = previous.currency
            amounts.append(_to_amount(text, cand, index, g, implicit=True))
        elif (context := _in_currency_context(text, named, cand, g)) is not None:
            cand.currency = context
            amounts.append(_to_amount(text, cand, index, g, implicit=True))
        if cand.currency is not None or cand.scale is not None:
            previous = cand
    amounts.sort(key=lambda a: (a.span.start, a.span.end))
    return amounts
