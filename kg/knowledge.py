"""The knowledge files kg ships (and users extend): countries, organizations, non-entities.

Both the NLP stage (to build entity-ruler patterns) and the resolver (for
canonical labels, ISO codes and Wikidata links) read them through ``Knowledge``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kg.errors import GazetteerError, printable
from kg.iri import slug
from kg.paths import gazetteer
from kg.text import normalise_name


@dataclass(frozen=True)
class CountryName:
    """One way of writing a country in one language."""

    iso: str
    lang: str
    name: str
    case_sensitive: bool
    ambiguous: bool
    kind: str = "cldr"  # "cldr" (generated from CLDR) or "alias" (curated short form)


@dataclass(frozen=True)
class KnownOrg:
    """A gazetteer organization with its canonical label and aliases."""

    id: str
    label: str
    type: str
    wikidata: str | None
    aliases: tuple[str, ...]
    country: str | None
    case_sensitive: bool = False


@dataclass(frozen=True)
class KnownProject:
    """A named programme or project (Stargate, InvestAI): a target of investments, not an organization."""

    id: str
    label: str
    aliases: tuple[str, ...]
    country: str | None


@dataclass
class Knowledge:
    """Everything kg knows before reading an article."""

    country_names: list[CountryName] = field(default_factory=list)
    country_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    orgs: dict[str, KnownOrg] = field(default_factory=dict)
    non_entities: dict[str, set[str]] = field(default_factory=dict)
    _org_index: dict[str, str] = field(default_factory=dict)
    projects: dict[str, KnownProject] = field(default_factory=dict)
    place_countries: dict[str, str] = field(default_factory=dict)
    _project_index: dict[str, str] = field(default_factory=dict)
    _country_index: dict[str, str] = field(default_factory=dict)

    def add_org(self, org: KnownOrg) -> None:
        """Register an organization; later files override earlier ones (user gazetteers win)."""
        self.orgs[org.id] = org
        for name in (org.label, *org.aliases):
            self._org_index[normalise_name(name)] = org.id

    def add_country_name(self, entry: CountryName) -> None:
        self.country_names.append(entry)
        if entry.kind == "cldr":
            self.country_labels.setdefault(entry.iso, {}).setdefault(entry.lang, entry.name)
        self._country_index.setdefault(normalise_name(entry.name), entry.iso)

    def add_project(self, project: KnownProject) -> None:
        self.projects[project.id] = project
        for name in (project.label, *project.aliases):
            self._project_index[normalise_name(name)] = project.id

    def place_country(self, name: str) -> str | None:
        """ISO code of the country a known city or region lies in (Eindhoven -> NL), if kg knows it."""
        return self.place_countries.get(normalise_name(name))

    def project_id(self, name: str) -> str | None:
        """Gazetteer id of a project name or alias, case- and accent-insensitive."""
        return self._project_index.get(normalise_name(name))

    def org_id(self, name: str) -> str | None:
        """Gazetteer id of an organization name or alias, case- and accent-insensitive."""
        return self._org_index.get(normalise_name(name))

    def country_iso(self, name: str) -> str | None:
        """ISO code of a country name in any supported language."""
        return self._country_index.get(normalise_name(name))

    def is_non_entity(self, text: str, lang: str) -> bool:
        """True for products, projects, regions and other names that are never orgs or countries."""
        key = normalise_name(text)
        return key in self.non_entities.get(lang, set()) or key in self.non_entities.get("*", set())

    def country_label(self, iso: str, lang: str = "en") -> str:
        labels = self.country_labels.get(iso, {})
        return labels.get(lang) or labels.get("en") or iso


def _rows(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield {k.strip(): (v or "").strip() for k, v in row.items() if k}


def _flag(value: str) -> bool:
    return value.lower() in {"1", "true", "yes"}


def read_org_file(path: Path) -> list[KnownOrg]:
    """Read an organization gazetteer CSV (``id,label,type,wikidata,aliases,country``).

    Only ``label`` is required, so users can extend kg with a one-column file.
    An optional ``case_sensitive`` column (``1``/``true``/``yes``) marks names that
    are also ordinary words (``Antara`` is "between" in Indonesian, ``Tempo`` a
    word in several languages): the entity ruler then matches them only in the
    exact case written, never case-folded, and never as the first word of a
    sentence, where every word is capitalised.
    """
    orgs = []
    for row in _rows(path):
        label = row.get("label", "")
        if not label:
            continue
        wikidata = row.get("wikidata") or None
        orgs.append(
            KnownOrg(
                id=row.get("id") or slug(label),
                label=label,
                type=row.get("type") or "company",
                wikidata=wikidata if wikidata and wikidata.startswith("Q") else None,
                aliases=tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip()),
                country=row.get("country") or None,
                case_sensitive=_flag(row.get("case_sensitive", "")),
            )
        )
    return orgs


_WIKIDATA_ID = re.compile(r"Q[1-9][0-9]*")
_COUNTRY_CODE = re.compile(r"[A-Za-z]{2}")


def validate_gazetteers(paths: Sequence[Path | str]) -> None:
    """Check user gazetteers once, before a build reads any article; raise ``GazetteerError`` (E130)
    naming the file and row of the first problem: unreadable, not UTF-8, no ``label`` column, a
    ``wikidata`` cell that is not a Q-identifier, a ``country`` cell that is not ISO alpha-2."""
    for raw in paths:
        path = Path(raw)
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                header = [(name or "").strip() for name in reader.fieldnames or []]
                if "label" not in header:
                    raise GazetteerError(f"{path}: gazetteer has no 'label' column (columns: {', '.join(header)})")
                for record in reader:
                    _check_row(path, reader.line_num, {(k or "").strip(): (v or "").strip() for k, v in record.items()})
        except OSError as exc:
            raise GazetteerError(f"{path}: cannot read the gazetteer: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise GazetteerError(f"{path}: the gazetteer is not UTF-8 (byte {exc.start})") from exc
        except csv.Error as exc:
            raise GazetteerError(f"{path}: malformed CSV: {exc}") from exc


def _check_row(path: Path, line: int, row: dict[str, str]) -> None:
    wikidata, country = row.get("wikidata", ""), row.get("country", "")
    if wikidata and not _WIKIDATA_ID.fullmatch(wikidata):
        raise GazetteerError(
            f"{path}:{line}: wikidata cell {printable(wikidata)!r} is not a Wikidata id such as Q95 (or leave it empty)"
        )
    if country and not _COUNTRY_CODE.fullmatch(country):
        raise GazetteerError(f"{path}:{line}: country cell {printable(country)!r} is not an ISO 3166-1 alpha-2 code")


def load_knowledge(extra_gazetteers: Sequence[Path | str] = ()) -> Knowledge:
    """Load shipped knowledge plus user gazetteers (cached per argument tuple)."""
    return _load(tuple(Path(p).resolve() for p in extra_gazetteers))


@cache
def _load(extra: tuple[Path, ...]) -> Knowledge:
    knowledge = Knowledge()
    for row in _rows(gazetteer("countries.csv")):
        knowledge.add_country_name(
            CountryName(
                iso=row["iso"],
                lang=row["lang"],
                name=row["name"],
                case_sensitive=_flag(row.get("case_sensitive", "")),
                ambiguous=_flag(row.get("ambiguous", "")),
                kind=row.get("kind") or "cldr",
            )
        )
    for path in (gazetteer("organizations.csv"), *extra):
        for org in read_org_file(path):
            knowledge.add_org(org)
    for row in _rows(gazetteer("projects.csv")):
        aliases = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip())
        knowledge.add_project(KnownProject(row["id"], row["label"], aliases, row.get("country") or None))
    for row in _rows(gazetteer("non_entities.csv")):
        knowledge.non_entities.setdefault(row.get("lang") or "*", set()).add(normalise_name(row["text"]))
        if row.get("country") and row.get("reason") in {"city", "region"}:
            knowledge.place_countries[normalise_name(row["text"])] = row["country"]
    return knowledge
