"""When a fact happened: date expressions in its sentence, resolved against the article's date.

Expressions are found by patterns built from data, then resolved by
dateparser:

* month and weekday names come from dateparser's own locale data for the
  language (full names only, not abbreviations such as "mar" or "may");
* ``dates`` in ``ontology/lexicons/facts/<lang>.json`` lists the relative
  phrases ("vorige week", "pekan lalu", "earlier this year", each mapped to
  the English expression dateparser resolves), the prepositions that may
  stand before a bare month or year ("im Februar", "pada 2024"), and the
  horizon markers that make a date a deadline rather than the fact's date
  ("by 2030", "d'ici 2030": such dates are skipped);
* ``capitalised``: month and weekday names count only capitalised in
  languages that write them so (English "May", not the verb "may").

An expression that needs the article's date ("last week", "on 22 May") is
resolved against it; when the article has no date (or only its month or
year and the answer depends on the day), the expression is dropped: no date
is ever guessed.  Among several expressions the one nearest the fact's
trigger word wins.  Nothing here raises on odd text: an expression
dateparser cannot read is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache

from kg.extract.status import _lexicon_data, cue_pattern
from kg.model import DatePrecision, FactDate, FactStatus

_PERIODS = {
    "day": DatePrecision.DAY,
    "time": DatePrecision.DAY,
    "week": DatePrecision.WEEK,
    "month": DatePrecision.MONTH,
    "year": DatePrecision.YEAR,
}
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_ARTICLE_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class DateExpression:
    """One date expression in a sentence: where it is, and what to hand dateparser."""

    start: int
    end: int
    text: str
    query: str  # the text dateparser reads
    language: str  # the language it reads it in ("en" for the relative phrases' English equivalents)
    precision: DatePrecision | None = None  # forced by the pattern (a bare month or year), else dateparser's
    weekday: bool = False  # a weekday name: the article's own weekday is the article's day, not a week before
    weekday_index: int | None = None  # Monday 0 ... Sunday 6
    day_number: int | None = None  # the day of the month written with the weekday ("terça-feira (14)")


@dataclass(frozen=True)
class DatePatterns:
    """The compiled patterns of one language."""

    lang: str
    relative: tuple[tuple[re.Pattern[str], str], ...]
    full: re.Pattern[str]  # day-month-year, month-day-year, month-year, ISO
    bare_month: re.Pattern[str] | None
    bare_year: re.Pattern[str] | None
    weekday: re.Pattern[str] | None
    weekday_index: dict[str, int]
    horizon: re.Pattern[str] | None


def _names(lang: str, keys: list[str]) -> list[str]:
    """Full month or weekday names of ``lang`` from dateparser's locale (abbreviations left out)."""
    from dateparser.languages import default_loader

    try:
        info = default_loader.get_locale(lang).info
    except Exception:  # a language dateparser does not know: no names
        return []
    names: list[str] = []
    for key in keys:
        forms = [f.lower() for f in info.get(key, []) if isinstance(f, str)]
        if not forms:
            continue
        longest = max(forms, key=len)
        names.extend(f for f in forms if f == longest or (len(f) >= 4 and not longest.startswith(f)))
    return names


def _alternation(names: list[str], capitalised: bool) -> str:
    ordered = sorted(set(names), key=len, reverse=True)
    if capitalised:  # "May" the month, not "may" the verb
        return "(?:" + "|".join(re.escape(n[:1].upper() + n[1:]) for n in ordered) + ")"
    return "(?i:" + "|".join(re.escape(n) for n in ordered) + ")"


def _words(entries: list[str]) -> str | None:
    pattern = cue_pattern(entries)
    return None if pattern is None else pattern.pattern


@cache
def date_patterns(lang: str) -> DatePatterns:
    """The date patterns of ``lang`` (English words when kg has no lexicon for it)."""
    raw = _lexicon_data(lang).get("dates", {})
    assert isinstance(raw, dict)
    capitalised = bool(raw.get("capitalised", False))
    relative = tuple(
        (pattern, str(english))
        for phrase, english in sorted(dict(raw.get("relative", {})).items(), key=lambda kv: -len(kv[0]))
        if (pattern := cue_pattern([phrase])) is not None
    )
    months = _names(lang, _MONTHS)
    weekdays = _names(lang, _WEEKDAYS)
    weekday_index = {name: i for i, key in enumerate(_WEEKDAYS) for name in _names(lang, [key])}
    month = _alternation(months, capitalised) if months else None
    link = r"(?:\s+(?i:de|del|of)\s+|\s*,?\s+)"
    shapes = [r"\d{4}-\d{2}-\d{2}"]
    if month:
        shapes += [
            rf"\d{{1,2}}(?:\.|º|er|st|nd|rd|th)?\s+(?:(?i:de)\s+)?{month}(?:{link}\d{{4}})?",
            rf"{month}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?",
            rf"{month}{link}\d{{4}}",
        ]
    full = re.compile(r"(?<![\w.-])(?:" + "|".join(shapes) + r")(?![\w-])")
    prepositions = _words(list(raw.get("prepositions", [])))
    year_prepositions = _words(list(raw.get("year_prepositions", [])))
    bare_month = re.compile(rf"{prepositions}\s+(?P<m>{month})(?!\w)") if month and prepositions else None
    bare_year = re.compile(rf"{year_prepositions}\s+(?P<y>(?:19|20)\d{{2}})(?![\w-])") if year_prepositions else None
    weekday = (
        re.compile(rf"(?<!\w)(?P<w>{_alternation(weekdays, capitalised)})(?:\s*,?\s*\(?(?P<d>[0-3]?\d)\b\)?)?(?!\w)")
        if weekdays
        else None
    )
    horizon = _words(list(raw.get("horizon_markers", [])))
    return DatePatterns(
        lang=lang,
        relative=relative,
        full=full,
        bare_month=bare_month,
        bare_year=bare_year,
        weekday=weekday,
        weekday_index=weekday_index,
        horizon=re.compile(rf"{horizon}\s*$") if horizon else None,
    )


def date_expressions(sentence: str, lang: str) -> list[DateExpression]:
    """Every date expression of ``sentence`` that is not a deadline or part of a range, in text order."""
    patterns = date_patterns(lang)
    found: list[DateExpression] = []
    for pattern, english in patterns.relative:
        found += [DateExpression(m.start(), m.end(), m.group(0), english, "en") for m in pattern.finditer(sentence)]
    found += [
        DateExpression(m.start(), m.end(), m.group(0), m.group(0), lang) for m in patterns.full.finditer(sentence)
    ]
    if patterns.bare_month is not None:
        for m in patterns.bare_month.finditer(sentence):
            found.append(
                DateExpression(m.start("m"), m.end("m"), m.group("m"), m.group("m"), lang, DatePrecision.MONTH)
            )
    if patterns.bare_year is not None:
        for m in patterns.bare_year.finditer(sentence):
            found.append(DateExpression(m.start("y"), m.end("y"), m.group("y"), m.group("y"), lang, DatePrecision.YEAR))
    if patterns.weekday is not None:
        for m in patterns.weekday.finditer(sentence):
            index = patterns.weekday_index.get(m.group("w").lower())
            number = int(m.group("d")) if m.group("d") else None
            query = m.group("w")
            found.append(
                DateExpression(m.start(), m.end(), m.group(0), query, lang, DatePrecision.DAY, True, index, number)
            )
    kept: list[DateExpression] = []
    for expr in sorted(found, key=lambda e: (e.start, -(e.end - e.start))):
        if any(expr.start < k.end and k.start < expr.end for k in kept):
            continue  # inside a longer expression already kept ("9 de enero" holds "enero")
        if _is_horizon(sentence, expr, patterns):
            continue
        kept.append(expr)
    return kept


def _is_horizon(sentence: str, expr: DateExpression, patterns: DatePatterns) -> bool:
    """A deadline ("by 2030"), a range's end or start ("2025-2030", "from March to June")."""
    before = sentence[max(0, expr.start - 40) : expr.start]
    before = re.sub(r"\s+(?:the|le|la|el|il|lo|o|a|de|het)\s*$", " ", before, flags=re.IGNORECASE)
    if patterns.horizon is not None and patterns.horizon.search(before):
        return True
    after = sentence[expr.end : expr.end + 8]
    return bool(re.match(r"\s*[-–/]\s*\d", after)) or bool(re.search(r"\d\s*[-–/]\s*$", before))


def article_date(raw: str | None) -> FactDate | None:
    """The article's own date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or an ISO timestamp), or None."""
    if not raw:
        return None
    m = _ARTICLE_DATE.match(raw)
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day:
            return FactDate(date(year, int(month), int(day)), DatePrecision.DAY, raw)
        if month:
            return FactDate(date(year, int(month), 1), DatePrecision.MONTH, raw)
        return FactDate(date(year, 1, 1), DatePrecision.YEAR, raw)
    except ValueError:
        return None


def _bounds(known: FactDate | None) -> tuple[datetime, datetime]:
    """The first and last day the article's date allows (far apart when it has none)."""
    if known is None:
        return datetime(2001, 3, 14, 12), datetime(2013, 10, 23, 12)
    start = known.value
    if known.precision is DatePrecision.DAY:
        moment = datetime(start.year, start.month, start.day, 12)
        return moment, moment
    if known.precision is DatePrecision.MONTH:
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        last = following - timedelta(days=1)
    else:
        last = date(start.year, 12, 31)
    return datetime(start.year, start.month, 1, 12), datetime(last.year, last.month, last.day, 12)


@cache
def _parser(language: str, base: datetime, prefer: str) -> object:
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=[language],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": prefer, "RETURN_AS_TIMEZONE_AWARE": False},
    )


def _parse(expr: DateExpression, base: datetime, prefer: str) -> tuple[date, DatePrecision] | None:
    try:
        data = _parser(expr.language, base, prefer).get_date_data(expr.query)  # type: ignore[attr-defined]
    except Exception:  # dateparser on odd text: no date rather than a broken build
        return None
    if data is None or data.date_obj is None:
        return None
    precision = expr.precision or _PERIODS.get(str(data.period), DatePrecision.DAY)
    day = data.date_obj.date()
    if precision is DatePrecision.MONTH:
        day = day.replace(day=1)
    elif precision is DatePrecision.YEAR:
        day = day.replace(month=1, day=1)
    return day, precision


def resolve(expr: DateExpression, known: FactDate | None, prefer: str = "past") -> FactDate | None:
    """``expr`` as a date, resolved against the article's date; None when that date would be a guess."""
    if expr.day_number is not None and expr.weekday_index is not None:
        numbered = _weekday_and_day(expr, known)
        if numbered is not None:
            return numbered
        expr = replace(expr, text=expr.query, day_number=None)  # no such day ("Tuesday, 14 firms"): the weekday alone
    first, last = _bounds(known)
    if expr.weekday:  # "on Wednesday" in a Wednesday article is that day
        first, last = first + timedelta(days=1), last + timedelta(days=1)
    early = _parse(expr, first, prefer)
    if early is None:
        return None
    if last != first and _parse(expr, last, prefer) != early:
        return None  # the answer depends on a day the article does not give
    return FactDate(early[0], early[1], expr.text)


def _weekday_and_day(expr: DateExpression, known: FactDate | None) -> FactDate | None:
    """ "terça-feira (14)", "mardi 12": the day of that number and weekday in the article's month (or, for an
    article dated to the day, the month before, the nearest one not after the article); None if no such day."""
    if known is None or known.precision is DatePrecision.YEAR or expr.day_number is None:
        return None
    month = known.value.replace(day=1)
    months = [month]
    if known.precision is DatePrecision.DAY:
        months.append((month - timedelta(days=1)).replace(day=1))
    for start in months:
        try:
            day = start.replace(day=expr.day_number)
        except ValueError:
            continue
        in_range = known.precision is DatePrecision.MONTH or day <= known.value + timedelta(days=1)
        if day.weekday() == expr.weekday_index and in_range:
            return FactDate(day, DatePrecision.DAY, expr.text)
    return None


def _preference(status: FactStatus | None) -> str:
    """Reports of deals point back ("completed in September" in a May article: last September); plans may
    point either way, so they keep the article's year ("plans to open in September": this September)."""
    return "current_period" if status is FactStatus.PLANNED else "past"


def statement_date(
    sentence: str, lang: str, known: FactDate | None, trigger: str = "", status: FactStatus | None = None
) -> FactDate | None:
    """The date ``sentence`` gives its fact (nearest its trigger word), or None."""
    expressions = date_expressions(sentence, lang)
    if not expressions:
        return None
    anchor = sentence.lower().find(trigger.lower()) if trigger else -1
    anchor = max(anchor, 0)
    prefer = _preference(status)
    for expr in sorted(expressions, key=lambda e: (min(abs(e.start - anchor), abs(e.end - anchor)), e.start)):
        resolved = resolve(expr, known, prefer)
        if resolved is not None:
            return resolved
    return None


__all__ = ["DateExpression", "article_date", "date_expressions", "date_patterns", "resolve", "statement_date"]
