"""What CLDR (through Babel) gives an article in a language kg has no lexicon for.

``countries.csv`` holds country names for kg's own languages only. A Polish,
Czech or Swedish article still deserves its countries: CLDR has every
territory's name in every locale Babel ships, so those names are added to the
loaded knowledge the first time such a language is met, before its pipeline
builds the country ruler. Only the names CLDR lists are known (nominative
forms: "Niemcy", not "w Niemczech"). Money for such languages comes from the
same source, in :mod:`kg.extract.money`.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError

from kg.knowledge import CountryName, Knowledge
from kg.resolve.build_countries import country_codes, derived_forms, is_case_sensitive, normalise

_ADDED: set[tuple[int, str]] = set()


def cldr_locale(lang: str) -> Locale | None:
    """Babel's locale for a language code, or ``None`` when CLDR does not know it."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def add_cldr_countries(knowledge: Knowledge, lang: str) -> int:
    """Add CLDR's country names in ``lang`` to ``knowledge`` (once per knowledge and language)."""
    if (id(knowledge), lang) in _ADDED:
        return 0
    _ADDED.add((id(knowledge), lang))
    locale = cldr_locale(lang)
    if locale is None or any(entry.lang == lang for entry in knowledge.country_names):
        return 0
    territories = locale.territories
    added = 0
    for iso in country_codes():
        name = territories.get(iso)
        if not name:
            continue
        for form in derived_forms(normalise(str(name)), lang):
            if len(form) < 3 and not is_case_sensitive(form):
                continue
            case_sensitive = is_case_sensitive(form) or len(form) <= 4
            knowledge.add_country_name(CountryName(iso, lang, form, case_sensitive, ambiguous=False))
            added += 1
    return added
