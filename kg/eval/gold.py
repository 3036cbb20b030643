"""Gold annotations for ``kg eval``: dataclasses and a strict-but-friendly loader.

A gold directory holds ``docs/<id>.txt`` (the article text) and ``gold/<id>.json``
(what a careful reader takes from it).  The loader is deliberately independent of
RDF and of the NLP pipeline so the scorer can be tested, and reused, on its own.

Design choices, and why:

* Money values are parsed as :class:`~decimal.Decimal` (``json.loads`` with
  ``parse_float=Decimal``): gold amounts run up to 10^12 and the scorer compares
  them with a 1 % tolerance, so binary floats would only add noise.
* Every error is a single-line :class:`ValueError` that starts with the file
  path, because users write these files by hand and need to know where to look.
* Unknown keys are ignored (annotators add ``note`` fields and future format
  refinements must not break older tools); missing list fields default to empty.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

__all__ = [
    "GoldAmount",
    "GoldCountry",
    "GoldDoc",
    "GoldInvestment",
    "GoldOrg",
    "GoldPartnership",
    "GoldPerson",
    "load_gold",
    "load_gold_file",
    "parse_gold",
]


@dataclass(frozen=True)
class GoldOrg:
    """An organization; ``aliases`` are the verbatim surface forms in the text."""

    name: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    type: str | None = None
    optional: bool = False
    note: str | None = None

    @property
    def is_media(self) -> bool:
        """News outlets cited as sources; ``kg eval --no-media`` ignores them."""
        return (self.type or "").lower() == "media"

    @property
    def all_names(self) -> tuple[str, ...]:
        """Canonical name first, then every alias (the strings a prediction may match)."""
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class GoldCountry:
    """A sovereign state named in the text (ISO 3166 alpha-2, upper case)."""

    iso: str
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoldPerson:
    """A person: canonical full name plus verbatim mentions (surname-only included)."""

    name: str
    mentions: tuple[str, ...] = ()

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.mentions)


@dataclass(frozen=True)
class GoldAmount:
    """One distinct (value, currency) money amount of the document.

    ``value`` is the upper bound of a range (``value_min`` the lower one);
    ``value_alt`` is a second accepted reading where the source is malformed.
    """

    text: str
    value: Decimal
    currency: str
    value_min: Decimal | None = None
    value_alt: Decimal | None = None
    is_range: bool = False
    currency_implicit: bool = False
    note: str | None = None


@dataclass(frozen=True)
class GoldInvestment:
    """One investment fact.  ``investor``/``target`` are org names, ISO codes or None."""

    investor: str | None
    amount_value: Decimal | None
    currency: str | None
    target: str | None
    country: str | None
    evidence: str
    co_investors: tuple[str, ...] = ()
    amount_min: Decimal | None = None
    amount_value_alt: Decimal | None = None
    target_description: str | None = None
    investor_description: str | None = None
    investor_person: str | None = None
    hedged: bool = False
    optional: bool = False
    country_inferred: bool = False
    note: str | None = None

    @property
    def investors(self) -> tuple[str, ...]:
        """The main investor and co-investors; a prediction naming any of them is right."""
        return ((self.investor,) if self.investor else ()) + self.co_investors


@dataclass(frozen=True)
class GoldPartnership:
    """An unordered pair of partners (org names or ISO codes)."""

    a: str
    b: str
    evidence: str
    hedged: bool = False
    optional: bool = False
    note: str | None = None


@dataclass(frozen=True)
class GoldDoc:
    """Everything annotated for one article; ``text`` is ``docs/<id>.txt`` when present."""

    id: str
    lang: str
    url: str | None = None
    date: str | None = None
    title: str | None = None
    organizations: tuple[GoldOrg, ...] = ()
    countries: tuple[GoldCountry, ...] = ()
    countries_demonym_only: frozenset[str] = frozenset()
    persons: tuple[GoldPerson, ...] = ()
    amounts: tuple[GoldAmount, ...] = ()
    investments: tuple[GoldInvestment, ...] = ()
    partnerships: tuple[GoldPartnership, ...] = ()
    projects: tuple[str, ...] = ()
    notes: str | None = None
    text: str | None = field(default=None, repr=False, compare=False)


# --------------------------------------------------------------------------- parsing


class _Reader:
    """Typed accessors that turn a bad value into a one-line error naming file and field."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> ValueError:
        location = f"{self.source}: {where}" if where else self.source
        return ValueError(f"{location}: {message}")

    def obj(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(where, f"expected an object, got {_type_name(value)}")
        return value

    def items(self, data: Mapping[str, Any], key: str, where: str) -> list[Any]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(_join(where, key), f"expected a list, got {_type_name(value)}")
        return value

    def str_req(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            what = "missing" if value is None else f"expected a non-empty string, got {_type_name(value)}"
            raise self.fail(_join(where, key), what)
        return value.strip()

    def str_opt(self, data: Mapping[str, Any], key: str, where: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.fail(_join(where, key), f"expected a string or null, got {_type_name(value)}")
        return value.strip() or None

    def strs(self, data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        items = self.items(data, key, where)
        out: list[str] = []
        for i, item in enumerate(items):
            if not isinstance(item, str):
                raise self.fail(f"{_join(where, key)}[{i}]", f"expected a string, got {_type_name(item)}")
            if item.strip():
                out.append(item.strip())
        return tuple(out)

    def flag(self, data: Mapping[str, Any], key: str, where: str) -> bool:
        value = data.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.fail(_join(where, key), f"expected true/false, got {_type_name(value)}")
        return value

    def num_opt(self, data: Mapping[str, Any], key: str, where: str) -> Decimal | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, Decimal, float, str)):
            raise self.fail(_join(where, key), f"expected a number or null, got {_type_name(value)}")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise self.fail(_join(where, key), f"not a number: {value!r}") from None
        if not number.is_finite():
            raise self.fail(_join(where, key), f"not a finite number: {value!r}")
        return number

    def num_req(self, data: Mapping[str, Any], key: str, where: str) -> Decimal:
        number = self.num_opt(data, key, where)
        if number is None:
            raise self.fail(_join(where, key), "missing")
        return number

    def code_opt(self, data: Mapping[str, Any], key: str, where: str) -> str | None:
        """ISO codes are compared upper-case; annotators do not always type them so."""
        value = self.str_opt(data, key, where)
        return value.upper() if value else None


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {
        dict: "object",
        list: "list",
        str: "string",
        bool: "boolean",
        int: "number",
        float: "number",
        Decimal: "number",
    }.get(type(value), type(value).__name__)


def parse_gold(data: Any, *, source: str = "<gold>", default_id: str | None = None, text: str | None = None) -> GoldDoc:
    """Build a :class:`GoldDoc` from already-decoded JSON (``source`` names it in errors).

    ``default_id`` (the file stem) is used when the annotation has no ``id``.
    """
    r = _Reader(source)
    d = r.obj(data, "")
    doc_id = r.str_opt(d, "id", "") or default_id
    if not doc_id:
        raise r.fail("id", "missing")
    lang = r.str_req(d, "lang", "").lower()

    orgs: list[GoldOrg] = []
    for i, raw in enumerate(r.items(d, "organizations", "")):
        w = f"organizations[{i}]"
        o = r.obj(raw, w)
        orgs.append(
            GoldOrg(
                name=r.str_req(o, "name", w),
                aliases=r.strs(o, "aliases_in_text", w),
                wikidata=r.str_opt(o, "wikidata", w),
                type=(r.str_opt(o, "type", w) or "").lower() or None,
                optional=r.flag(o, "optional", w),
                note=r.str_opt(o, "note", w),
            )
        )

    countries: list[GoldCountry] = []
    for i, raw in enumerate(r.items(d, "countries", "")):
        w = f"countries[{i}]"
        c = r.obj(raw, w)
        countries.append(GoldCountry(iso=r.str_req(c, "iso", w).upper(), mentions=r.strs(c, "mentions", w)))

    persons: list[GoldPerson] = []
    for i, raw in enumerate(r.items(d, "persons", "")):
        w = f"persons[{i}]"
        p = r.obj(raw, w)
        persons.append(GoldPerson(name=r.str_req(p, "name", w), mentions=r.strs(p, "mentions", w)))

    amounts: list[GoldAmount] = []
    for i, raw in enumerate(r.items(d, "amounts", "")):
        w = f"amounts[{i}]"
        a = r.obj(raw, w)
        amounts.append(
            GoldAmount(
                text=r.str_opt(a, "text", w) or "",
                value=r.num_req(a, "value", w),
                currency=r.str_req(a, "currency", w).upper(),
                value_min=r.num_opt(a, "value_min", w),
                value_alt=r.num_opt(a, "value_alt", w),
                is_range=r.flag(a, "is_range", w),
                currency_implicit=r.flag(a, "currency_implicit", w),
                note=r.str_opt(a, "note", w),
            )
        )

    investments: list[GoldInvestment] = []
    for i, raw in enumerate(r.items(d, "investments", "")):
        w = f"investments[{i}]"
        v = r.obj(raw, w)
        investments.append(
            GoldInvestment(
                investor=r.str_opt(v, "investor", w),
                amount_value=r.num_opt(v, "amount_value", w),
                currency=r.code_opt(v, "currency", w),
                target=r.str_opt(v, "target", w),
                country=r.code_opt(v, "country", w),
                evidence=r.str_opt(v, "evidence", w) or "",
                co_investors=r.strs(v, "co_investors", w),
                amount_min=r.num_opt(v, "amount_min", w),
                amount_value_alt=r.num_opt(v, "amount_value_alt", w),
                target_description=r.str_opt(v, "target_description", w),
                investor_description=r.str_opt(v, "investor_description", w),
                investor_person=r.str_opt(v, "investor_person", w),
                hedged=r.flag(v, "hedged", w),
                optional=r.flag(v, "optional", w),
                country_inferred=r.flag(v, "country_inferred", w),
                note=r.str_opt(v, "note", w),
            )
        )

    partnerships: list[GoldPartnership] = []
    for i, raw in enumerate(r.items(d, "partnerships", "")):
        w = f"partnerships[{i}]"
        p = r.obj(raw, w)
        partnerships.append(
            GoldPartnership(
                a=r.str_req(p, "a", w),
                b=r.str_req(p, "b", w),
                evidence=r.str_opt(p, "evidence", w) or "",
                hedged=r.flag(p, "hedged", w),
                optional=r.flag(p, "optional", w),
                note=r.str_opt(p, "note", w),
            )
        )

    return GoldDoc(
        id=doc_id,
        lang=lang,
        url=r.str_opt(d, "url", ""),
        date=r.str_opt(d, "date", ""),
        title=r.str_opt(d, "title", ""),
        organizations=tuple(orgs),
        countries=tuple(countries),
        countries_demonym_only=frozenset(c.upper() for c in r.strs(d, "countries_demonym_only", "")),
        persons=tuple(persons),
        amounts=tuple(amounts),
        investments=tuple(investments),
        partnerships=tuple(partnerships),
        projects=r.strs(d, "projects", ""),
        notes=r.str_opt(d, "notes", ""),
        text=text,
    )


def load_gold_file(path: Path, *, text: str | None = None) -> GoldDoc:
    """Read one ``gold/<id>.json``; any problem becomes a one-line ValueError naming the file."""
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    try:
        data = json.loads(raw, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    return parse_gold(data, source=str(path), default_id=path.stem, text=text)


def _gold_files_dir(gold_dir: Path) -> Path:
    """Accept the gold directory itself or the folder holding ``gold/`` and ``docs/``."""
    sub = gold_dir / "gold"
    return sub if sub.is_dir() else gold_dir


def load_gold(gold_dir: Path) -> dict[str, GoldDoc]:
    """Load every ``gold/*.json`` under ``gold_dir``, keyed by document id.

    ``gold_dir`` is the folder with ``docs/`` and ``gold/`` (the folder of JSON
    files itself is accepted too).  The text of ``docs/<id>.txt`` is attached
    when it exists, so reports can quote the sentence of a missed item.

    Raises FileNotFoundError when the folder does not exist and ValueError (one
    line, naming the file) for malformed annotations, an ``id`` that disagrees
    with its file name, duplicate ids or an empty folder.
    """
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"{gold_dir}: gold directory not found")
    files_dir = _gold_files_dir(gold_dir)
    docs_dir = (files_dir.parent if files_dir != gold_dir else gold_dir) / "docs"
    paths = sorted(p for p in files_dir.glob("*.json") if p.is_file())
    if not paths:
        raise ValueError(f"{files_dir}: no gold annotations (*.json) found")

    docs: dict[str, GoldDoc] = {}
    for path in paths:
        text = _read_doc_text(docs_dir / f"{path.stem}.txt")
        doc = load_gold_file(path, text=text)
        if doc.id != path.stem:
            raise ValueError(f"{path}: id {doc.id!r} does not match the file name (expected {path.stem!r})")
        if doc.id in docs:  # pragma: no cover - impossible with stem == id, kept as a guard
            raise ValueError(f"{path}: duplicate document id {doc.id!r}")
        docs[doc.id] = doc
    return docs


def _read_doc_text(path: Path) -> str | None:
    if not path.is_file():
        return None
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
