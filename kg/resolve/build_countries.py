"""Generate ``ontology/gazetteers/countries.csv`` from CLDR (via Babel) plus curated aliases.

Run it with ``python -m kg.resolve.build_countries`` (``--check`` only verifies that the
committed file is current).  The CSV feeds the country entity ruler, so every decision
that affects recall or precision of country mentions is made here, in one reviewable
place, instead of being scattered over pipeline code.

Why generate instead of hand-writing: CLDR already has the official short names of
every territory in all our languages, reviewed by native speakers; copying them by hand
would drift.  What CLDR lacks -- the abbreviations and colloquial forms that news
actually uses ("VS", "EE. UU.", "Tiongkok" aside "Cina", "VAE", "Korea") -- lives in
the hand-written ``country_aliases.csv`` (columns ``iso,lang,alias``; ``lang`` may be
``*`` for a form written the same in every language, which is expanded to each of
:data:`LANGS`).

Output columns: ``iso,lang,name,kind,case_sensitive,ambiguous``.

* ``kind`` is ``cldr`` for a CLDR display name (including names from regional variant
  locales such as ``es_419`` or ``pt_PT`` and the mechanical clean-ups described in
  :func:`derived_forms`) and ``alias`` for a row from ``country_aliases.csv``.
* ``case_sensitive`` is 1 when the ruler must match the exact case: all-caps
  abbreviations of at most four letters (``US``, ``AS``, ``RI``, ``VS``, ``EAU``) and
  names that are an ordinary lowercase word in one of our languages (see
  :data:`CASE_SENSITIVE_WORDS`).  Every other name is matched case-insensitively.
* ``ambiguous`` is 1 when the name often denotes something else (a US state, a first
  name, a city, a continent, an airline); the pipeline should ask for more evidence
  before asserting a country.  Reasons are in :data:`AMBIGUOUS_NAMES`.

Which codes are countries
-------------------------
All two-letter CLDR territory codes are kept except:

* CLDR codes that are not ISO 3166-1 assignments: EU, EZ, UN (political groupings),
  QO, ZZ (CLDR catch-alls), XA, XB (pseudo-locales) and the "exceptionally reserved"
  codes AC, CP, CQ, DG, EA, IC, TA, which denote parts of other countries.
* Uninhabited or purely administrative ISO entries that are never an actor in our
  news: AQ (Antarctica), BV, HM, GS, TF, UM.

Dependent territories with their own alpha-2 (HK, MO, PR, GL, BM, KY, ...) are kept:
they appear as places of incorporation and data-centre locations, and mapping them to
their sovereign would lose information.  XK (Kosovo) is kept although XK is a
user-assigned code rather than an ISO assignment: the EU, the IMF and CLDR use it, and
news treats Kosovo as a country; consumers that need strict ISO must special-case XK.

Numeric UN M.49 regions (Europe, Latin America, ...) are not countries; region words
are listed in ``non_entities.csv`` instead.  Likewise names that must never become a
country (England, Scotland, Northern Ireland, Europe, cities) live there, not here.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import babel
from babel import Locale

#: The first languages of kg, in output order; every other language with a fact lexicon
#: (``ontology/lexicons/facts/<lang>.json``) follows in alphabetical order.
FIRST_LANGS: tuple[str, ...] = ("nl", "fr", "id", "en", "de", "es", "pt", "it")


def _langs() -> tuple[str, ...]:
    from kg.paths import lexicon_languages

    return FIRST_LANGS + tuple(lang for lang in lexicon_languages() if lang not in FIRST_LANGS)


#: Languages whose names are emitted, in output order.
LANGS: tuple[str, ...] = _langs()

#: Regional locales whose names differ from the base language and are common in
#: news (Latin-American Spanish "Arabia Saudita", European Portuguese "Irão",
#: Canadian French "Vietnam", Swiss German "Osttimor", ...).  They are folded into
#: the base language because we do not distinguish regional variants downstream.
VARIANT_LOCALES: dict[str, tuple[str, ...]] = {
    "nl": ("nl_BE",),
    "fr": ("fr_BE", "fr_CA", "fr_CH"),
    "id": (),
    "en": ("en_001", "en_CA"),
    "de": ("de_AT", "de_CH"),
    "es": ("es_419", "es_MX", "es_US"),
    "pt": ("pt_PT",),
    "it": ("it_CH",),
}

#: Babel version the committed CSV was generated with; the freshness test compares
#: the file with a fresh build only when the installed Babel matches, because a new
#: CLDR release legitimately changes names.
GENERATED_WITH_BABEL = "2.18.0"

#: CLDR territory codes that are not ISO 3166-1 countries, with the reason.
NON_COUNTRY_CODES: dict[str, str] = {
    "EU": "European Union: a political union, not a country",
    "EZ": "Eurozone: a currency area",
    "UN": "United Nations: an organisation",
    "QO": "Outlying Oceania: CLDR catch-all region",
    "ZZ": "Unknown Region: CLDR placeholder",
    "XA": "pseudo-locale (accents)",
    "XB": "pseudo-locale (bidi)",
    "AC": "Ascension Island: exceptionally reserved, part of SH",
    "CP": "Clipperton Island: exceptionally reserved, part of FR",
    "CQ": "Sark: exceptionally reserved, part of GG",
    "DG": "Diego Garcia: exceptionally reserved, part of IO",
    "EA": "Ceuta & Melilla: exceptionally reserved, part of ES",
    "IC": "Canary Islands: exceptionally reserved, part of ES",
    "TA": "Tristan da Cunha: exceptionally reserved, part of SH",
}

#: ISO 3166-1 entries without a permanent population; never a party in our news.
UNINHABITED_CODES: dict[str, str] = {
    "AQ": "Antarctica",
    "BV": "Bouvet Island",
    "GS": "South Georgia & South Sandwich Islands",
    "HM": "Heard & McDonald Islands",
    "TF": "French Southern Territories",
    "UM": "U.S. Outlying Islands",
}

#: Names (casefolded) that are also ordinary lowercase words in one of our
#: languages; the ruler must only match them with the exact capitalisation.
CASE_SENSITIVE_WORDS: dict[str, str] = {
    "bermuda": "bermuda/bermudas are shorts (es, pt, it)",
    "bermudas": "shorts (es, pt)",
    "chile": "chile pepper (en, es)",
    "chili": "chili pepper (nl, fr, en)",
    "china": "china = porcelain (en)",
    "cuba": "cuba = vat, tub (es, pt)",
    "curaçao": "curaçao liqueur",
    "emirates": "emirates = the constituent monarchies (en)",
    "granada": "granada = pomegranate, grenade (es)",
    "grenade": "grenade = grenade, pomegranate (fr)",
    "guernsey": "guernsey = a knitted sweater (en)",
    "guinea": "guinea = the old coin (en)",
    "island": "island (en); German name of Iceland",
    "jersey": "jersey = garment (en, fr, nl, de)",
    "la réunion": "la réunion = the meeting (fr)",
    "mali": "mali = evils, ailments (it)",
    "malta": "malta = gang (pt), mortar (it)",
    "monaco": "monaco = monk (it)",
    "niger": "niger = black (Latin, used in species names)",
    "panama": "panama = the hat (en, nl, fr, de)",
    "panamá": "panamá = the hat (es, pt)",
    "peru": "peru = turkey, the bird (pt)",
    "polen": "polen = poles, plural of pool (nl)",
    "reunião": "reunião = meeting (pt)",
    "reunión": "reunión = meeting (es)",
    "riunione": "riunione = meeting (it)",
    "réunion": "réunion = meeting (fr)",
    "salvador": "salvador = saviour (es, pt)",
    "turkey": "turkey = the bird (en)",
}

#: Names (casefolded) that frequently denote something other than the country.
#: They stay in the gazetteer -- dropping them would lose the country reading -- but
#: are flagged so that the pipeline can require corroborating evidence.
AMBIGUOUS_NAMES: dict[str, str] = {
    # US states and other places of the same name
    "georgia": "US state of Georgia",
    "georgië": "US state of Georgia (nl)",
    "géorgie": "US state of Georgia (fr)",
    "georgien": "US state of Georgia (de)",
    "geórgia": "US state of Georgia (pt)",
    "jersey": "New Jersey; garment",
    "guernsey": "garment",
    "norfolk": "English county and US city (nl name of Norfolk Island)",
    "granada": "Spanish city (es name of Grenada)",
    "grenade": "Spanish city Granada in French; weapon (fr name of Grenada)",
    "monaco": "Italian name of Munich (Monaco di Baviera)",
    "salvador": "Brazilian city; first name (fr name of El Salvador)",
    "guadalupe": "Mexican basilica, Spanish towns, first name (es/pt name of Guadeloupe)",
    "montserrat": "Catalan mountain and abbey; first name",
    "saint-martin": "hundreds of French towns and a surname",
    "saint martin": "many places and people",
    "st. martin": "many places and people",
    "st martin": "many places and people",
    "san martín": "many places; Argentine national hero",
    "são martinho": "many Portuguese places",
    "congo": "es name of Congo-Brazzaville, but often used for DR Congo",
    # first names and common words
    "jordan": "common first name; the river Jordan",
    "chad": "English first name",
    "maurice": "French first name (fr name of Mauritius)",
    "mauricio": "Spanish first name (es name of Mauritius)",
    "maurício": "Portuguese first name (pt name of Mauritius)",
    "dominique": "French first name (fr name of Dominica)",
    "turkey": "the bird",
    "island": "English word 'island' (de name of Iceland)",
    "mali": "Italian word 'mali' (evils)",
    # geographic names wider than the country
    "niger": "the Niger river",
    "guinea": "the Gulf of Guinea / West-African coast; prefix of three other countries",
    "guinee": "the Gulf of Guinea (nl)",
    "guinée": "the Gulf of Guinea (fr)",
    "guiné": "the Gulf of Guinea (pt)",
    "réunion": "ordinary word 'meeting' when capitalised at sentence start (fr)",
    "la réunion": "'the meeting' at sentence start (fr)",
    "reunión": "'meeting' (es)",
    "reunião": "'meeting' (pt)",
    "riunione": "'meeting' (it)",
    # curated short forms that are a convention rather than a name
    "korea": "unqualified Korea: mapped to KR because business news almost always means South Korea",
    "corée": "unqualified Korea (fr), mapped to KR",
    "corea": "unqualified Korea (es, it), mapped to KR",
    "coreia": "unqualified Korea (pt), mapped to KR",
    "america": "the Americas; mapped to US because news usage mostly means the US",
    "amerika": "the Americas (nl, de, id); mapped to US",
    "amérique": "the Americas (fr); mapped to US",
    "holland": "the provinces North and South Holland",
    "hollande": "Holland; surname of a French president",
    "holanda": "Holland (es, pt)",
    "olanda": "Holland (it)",
    "inggris": "England and the English language (id); the usual colloquial name of the UK",
    "emirates": "Emirates airline",
    "swiss": "English demonym and the Swiss airline (id name of Switzerland)",
}

_REPO_ROOT = Path(__file__).resolve().parents[2]
GAZETTEER_DIR = _REPO_ROOT / "ontology" / "gazetteers"
ALIASES_PATH = GAZETTEER_DIR / "country_aliases.csv"
OUTPUT_PATH = GAZETTEER_DIR / "countries.csv"
FIELDNAMES: tuple[str, ...] = ("iso", "lang", "name", "kind", "case_sensitive", "ambiguous")

_ISO2 = re.compile(r"^[A-Z]{2}$")
_TRAILING_PAREN = re.compile(r"^(?P<base>.*\S)\s*\([^()]*\)$")
# Typographic characters CLDR uses that news text practically never contains.
_TYPOGRAPHY = str.maketrans({"\u2010": "-", "\u2011": "-", "\u00a0": " ", "\u202f": " "})
_KIND_ORDER = {"cldr": 0, "alias": 1}


@dataclass(frozen=True)
class CountryName:
    """One surface form of a country in one language."""

    iso: str
    lang: str
    name: str
    kind: str
    case_sensitive: bool
    ambiguous: bool

    def as_row(self) -> dict[str, str]:
        """CSV row with booleans written as 0/1 so the file stays diff-friendly."""
        return {
            "iso": self.iso,
            "lang": self.lang,
            "name": self.name,
            "kind": self.kind,
            "case_sensitive": str(int(self.case_sensitive)),
            "ambiguous": str(int(self.ambiguous)),
        }


def normalise(name: str) -> str:
    """NFC, plain hyphens and spaces, collapsed whitespace: how news text spells names."""
    name = unicodedata.normalize("NFC", name).translate(_TYPOGRAPHY)
    return " ".join(name.split())


def country_codes() -> list[str]:
    """Territory codes kept as countries, from the English CLDR territory list.

    English is used because every CLDR territory has an English name; the list is
    the same in every locale.
    """
    excluded = NON_COUNTRY_CODES.keys() | UNINHABITED_CODES.keys()
    codes = [str(code) for code in Locale.parse("en").territories]
    return sorted(code for code in codes if _ISO2.match(code) and code not in excluded)


def derived_forms(name: str, lang: str) -> list[str]:
    """Mechanical spelling variants of a CLDR name that appear in running text.

    CLDR writes names for lists and menus: with a typographic apostrophe
    ("Côte d’Ivoire"), a disambiguating parenthesis ("Myanmar (Burma)",
    "Saint-Martin (France)") or an ampersand ("Bosnia & Herzegovina").  News uses a
    straight apostrophe, no parenthesis and "and".  Parenthesised contents are not
    promoted to names ("RAE de Hong Kong (China)" would make "China" map to HK);
    the useful ones (Burma, Birma, ...) are curated aliases instead.
    """
    forms = [name]
    match = _TRAILING_PAREN.match(name)
    if match:
        forms.append(match.group("base"))
    if lang == "en":
        forms.extend(form.replace(" & ", " and ") for form in list(forms) if " & " in form)
    forms.extend(form.replace("\u2019", "'") for form in list(forms) if "\u2019" in form)
    return list(dict.fromkeys(forms))


def cldr_names(lang: str, codes: Iterable[str]) -> list[tuple[str, str, bool]]:
    """(iso, name, is_derived) for one language: base locale first, then its regional variants."""
    wanted = set(codes)
    result: list[tuple[str, str, bool]] = []
    for locale_id in (lang, *VARIANT_LOCALES.get(lang, ())):
        territories = Locale.parse(locale_id).territories
        for iso in sorted(wanted & territories.keys()):
            for index, form in enumerate(derived_forms(normalise(territories[iso]), lang)):
                result.append((iso, form, index > 0))
    return result


def load_aliases(path: Path = ALIASES_PATH) -> list[tuple[str, str, str]]:
    """Curated (iso, lang, alias) rows, with ``*`` expanded to every language in :data:`LANGS`."""
    rows: list[tuple[str, str, str]] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line_no, record in enumerate(csv.DictReader(handle), start=2):
            iso, lang, alias = record["iso"].strip(), record["lang"].strip(), normalise(record["alias"])
            if not _ISO2.match(iso) or not alias:
                raise ValueError(f"{path}:{line_no}: bad alias row {record!r}")
            if lang != "*" and lang not in LANGS:
                raise ValueError(f"{path}:{line_no}: unknown language {lang!r}")
            for target in LANGS if lang == "*" else (lang,):
                rows.append((iso, target, alias))
    return rows


def is_short_abbreviation(name: str) -> bool:
    """All-caps abbreviation of at most four letters ("US", "U.S.A.", "EE. UU.", "NKRI")."""
    letters = [ch for ch in name if ch.isalpha()]
    return 0 < len(letters) <= 4 and all(ch.isupper() for ch in letters)


def is_case_sensitive(name: str) -> bool:
    """Whether the ruler must match ``name`` with its exact capitalisation."""
    return is_short_abbreviation(name) or name.casefold() in CASE_SENSITIVE_WORDS


def is_ambiguous(name: str) -> bool:
    """Whether ``name`` often denotes something other than the country."""
    return name.casefold() in AMBIGUOUS_NAMES


def build_rows(aliases_path: Path = ALIASES_PATH) -> list[CountryName]:
    """All country names, deduplicated and sorted deterministically.

    Deduplication is per exact (iso, lang, name), keeping the first occurrence
    in priority order CLDR base locale, CLDR variant, derived form, alias -- so an
    alias that merely repeats a CLDR name is recorded as ``cldr``.  A name that would
    point to two different countries in one language is an error, except for a
    derived form, which is silently dropped (e.g. "Saint-Martin" from "Saint-Martin
    (partie néerlandaise)" stays MF's only).
    """
    codes = country_codes()
    valid = set(codes)
    owner: dict[tuple[str, str], str] = {}
    seen: set[tuple[str, str, str]] = set()
    rows: list[CountryName] = []

    def add(iso: str, lang: str, name: str, kind: str, derived: bool) -> None:
        key = (lang, name.casefold())
        other = owner.get(key)
        if other is not None and other != iso:
            if derived:
                return
            raise ValueError(f"{lang} name {name!r} would denote both {other} and {iso}")
        owner[key] = iso
        if (iso, lang, name) in seen:  # exact duplicates only: ß and ss spellings both stay
            return
        seen.add((iso, lang, name))
        rows.append(CountryName(iso, lang, name, kind, is_case_sensitive(name), is_ambiguous(name)))

    for lang in LANGS:
        # Primary names first so that a derived form can never claim a primary name.
        names = cldr_names(lang, codes)
        for iso, name, derived in sorted(names, key=lambda item: item[2]):
            add(iso, lang, name, "cldr", derived)
    for iso, lang, alias in load_aliases(aliases_path):
        if iso not in valid:
            raise ValueError(f"alias {alias!r} points to {iso}, which is not a kept country code")
        add(iso, lang, alias, "alias", False)

    rows.sort(key=lambda r: (r.iso, LANGS.index(r.lang), _KIND_ORDER[r.kind], r.name.casefold(), r.name))
    return rows


def render_csv(rows: Sequence[CountryName]) -> str:
    """The CSV text: UTF-8 without BOM, ``\\n`` line ends, minimal quoting."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDNAMES, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row.as_row())
    return buffer.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or with ``--check`` verify) the countries gazetteer."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aliases", type=Path, default=ALIASES_PATH, help="curated aliases CSV")
    parser.add_argument("--output", type=Path, default=OUTPUT_PATH, help="where to write countries.csv")
    parser.add_argument("--check", action="store_true", help="exit 1 if the output file is not up to date")
    args = parser.parse_args(argv)

    rows = build_rows(args.aliases)
    text = render_csv(rows)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.is_file() else ""
        if current != text:
            print(f"{args.output} is out of date: run python -m kg.resolve.build_countries", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(text.encode("utf-8"))
    per_lang = {lang: sum(1 for r in rows if r.lang == lang) for lang in LANGS}
    countries = len({r.iso for r in rows})
    summary = ", ".join(f"{lang}={n}" for lang, n in per_lang.items())
    print(f"wrote {len(rows)} names for {countries} countries to {args.output} ({summary}; babel {babel.__version__})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
