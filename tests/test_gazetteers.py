"""Consistency checks for the knowledge files the entity rulers are fed from.

These files are edited by hand (organizations, non-entities, country aliases) or
generated (countries); a bad row silently degrades extraction, so the invariants the
pipeline relies on are pinned here.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import babel
import pytest

from kg.resolve import build_countries

GAZETTEERS = Path(__file__).resolve().parents[1] / "ontology" / "gazetteers"
COUNTRIES = GAZETTEERS / "countries.csv"
ORGANIZATIONS = GAZETTEERS / "organizations.csv"
NON_ENTITIES = GAZETTEERS / "non_entities.csv"
ALIASES = GAZETTEERS / "country_aliases.csv"

ORG_TYPES = {
    "company",
    "fund",
    "media",
    "public_body",
    "research",
    "consultancy",
    "association",
    "consortium",
    "public_bank",
    "sovereign_fund",
    "telecom",
    "investor",
}
NON_ENTITY_REASONS = {"product", "project", "region", "city", "demonym", "currency", "other"}
ISO2 = re.compile(r"^[A-Z]{2}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QID = re.compile(r"^Q[0-9]+$")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def countries() -> list[dict[str, str]]:
    return read_csv(COUNTRIES)


@pytest.fixture(scope="module")
def organizations() -> list[dict[str, str]]:
    return read_csv(ORGANIZATIONS)


@pytest.fixture(scope="module")
def non_entities() -> list[dict[str, str]]:
    return read_csv(NON_ENTITIES)


def org_names(row: dict[str, str]) -> list[str]:
    return [row["label"], *(alias for alias in row["aliases"].split("|") if alias)]


# --- countries -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "lang", "iso"),
    [
        ("Verenigde Staten", "nl", "US"),
        ("VS", "nl", "US"),
        ("États-Unis", "fr", "US"),
        ("Amerika Serikat", "id", "US"),
        ("AS", "id", "US"),
        ("EE. UU.", "es", "US"),
        ("EE.UU.", "es", "US"),
        ("Estados Unidos", "es", "US"),
        ("USA", "de", "US"),
        ("US", "en", "US"),
        ("Vereinigten Staaten", "de", "US"),
        ("EUA", "pt", "US"),
        ("Tiongkok", "id", "CN"),
        ("Cina", "id", "CN"),
        ("RRT", "id", "CN"),
        ("Chine", "fr", "CN"),
        ("China", "en", "CN"),
        ("VAE", "nl", "AE"),
        ("VAE", "de", "AE"),
        ("EAU", "fr", "AE"),
        ("EAU", "es", "AE"),
        ("PEA", "id", "AE"),
        ("UAE", "en", "AE"),
        ("Uni Emirat Arab", "id", "AE"),
        ("UK", "en", "GB"),
        ("Groot-Brittannië", "nl", "GB"),
        ("Grande-Bretagne", "fr", "GB"),
        ("Verenigd Koninkrijk", "nl", "GB"),
        ("Duitsland", "nl", "DE"),
        ("Allemagne", "fr", "DE"),
        ("Jerman", "id", "DE"),
        ("Nederland", "nl", "NL"),
        ("Belanda", "id", "NL"),
        ("Zuid-Korea", "nl", "KR"),
        ("Corée du Sud", "fr", "KR"),
        ("Korea Selatan", "id", "KR"),
        ("Südkorea", "de", "KR"),
        ("Corea del Sur", "es", "KR"),
        ("Saoedi-Arabië", "nl", "SA"),
        ("Arabie saoudite", "fr", "SA"),
        ("Arab Saudi", "id", "SA"),
        ("Saudi-Arabien", "de", "SA"),
        ("Arabia Saudita", "es", "SA"),
        ("Indonesia", "id", "ID"),
        ("RI", "id", "ID"),
        ("Taiwan", "en", "TW"),
        ("Rusland", "nl", "RU"),
        ("Noorwegen", "nl", "NO"),
        ("Norvège", "fr", "NO"),
        ("Maleisië", "nl", "MY"),
        ("Singapura", "id", "SG"),
        ("Qatar", "en", "QA"),
        ("Côte d'Ivoire", "fr", "CI"),
        ("Myanmar", "en", "MM"),
        ("Hong Kong", "en", "HK"),
    ],
)
def test_expected_country_names(countries: list[dict[str, str]], name: str, lang: str, iso: str) -> None:
    assert any(r["name"] == name and r["lang"] == lang and r["iso"] == iso for r in countries)


def test_country_header_and_values(countries: list[dict[str, str]]) -> None:
    assert list(countries[0].keys()) == list(build_countries.FIELDNAMES)
    for row in countries:
        assert ISO2.match(row["iso"]), row
        assert row["lang"] in build_countries.LANGS, row
        assert row["kind"] in {"cldr", "alias"}, row
        assert row["case_sensitive"] in {"0", "1"}, row
        assert row["ambiguous"] in {"0", "1"}, row
        assert row["name"] == row["name"].strip() and row["name"], row


def test_no_pseudo_regions(countries: list[dict[str, str]]) -> None:
    isos = {r["iso"] for r in countries}
    assert not isos & {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB", "AQ", "EA", "IC"}
    names = {r["name"] for r in countries}
    assert not names & {"European Union", "Europese Unie", "United Nations", "Eurozone", "Europa"}


def test_every_language_covers_the_main_countries(countries: list[dict[str, str]]) -> None:
    main = {"US", "CN", "GB", "DE", "FR", "NL", "ID", "AE", "SA", "NO", "JP", "KR", "IN"}
    for lang in build_countries.LANGS:
        present = {r["iso"] for r in countries if r["lang"] == lang}
        assert main <= present, (lang, main - present)


def test_country_names_are_unique_per_language(countries: list[dict[str, str]]) -> None:
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in countries:
        owners[(row["lang"], row["name"].casefold())].add(row["iso"])
    clashes = {key: isos for key, isos in owners.items() if len(isos) > 1}
    assert not clashes


def test_no_duplicate_country_rows(countries: list[dict[str, str]]) -> None:
    # exact names: "Großbritannien" and "Grossbritannien" both stay
    keys = [(r["iso"], r["lang"], r["name"]) for r in countries]
    assert len(keys) == len(set(keys))


def test_short_abbreviations_are_case_sensitive(countries: list[dict[str, str]]) -> None:
    flags = {(r["lang"], r["name"]): r["case_sensitive"] for r in countries}
    for key in [("en", "US"), ("id", "AS"), ("id", "RI"), ("nl", "VS"), ("en", "UK"), ("id", "PEA"), ("fr", "EAU")]:
        assert flags[key] == "1", key
    assert flags[("nl", "Verenigde Staten")] == "0"
    assert flags[("en", "China")] == "1"  # china = porcelain


def test_ambiguous_names_are_flagged(countries: list[dict[str, str]]) -> None:
    flags = {(r["lang"], r["name"]): r["ambiguous"] for r in countries}
    for key in [("en", "Georgia"), ("en", "Jordan"), ("en", "Chad"), ("en", "Niger"), ("en", "Guinea"), ("en", "Mali")]:
        assert flags[key] == "1", key
    assert flags[("en", "Korea")] == "1"
    assert flags[("en", "Germany")] == "0"


def test_aliases_file_is_well_formed() -> None:
    rows = read_csv(ALIASES)
    assert rows and list(rows[0].keys()) == ["iso", "lang", "alias"]
    for row in rows:
        assert ISO2.match(row["iso"]), row
        assert row["lang"] == "*" or row["lang"] in build_countries.LANGS, row
        assert row["alias"].strip() == row["alias"] and row["alias"], row


def test_flag_tables_have_no_dead_entries(countries: list[dict[str, str]]) -> None:
    names = {r["name"].casefold() for r in countries}
    assert set(build_countries.AMBIGUOUS_NAMES) <= names
    assert set(build_countries.CASE_SENSITIVE_WORDS) <= names


def test_build_is_deterministic(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert build_countries.main(["--output", str(first)]) == 0
    assert build_countries.main(["--output", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    if babel.__version__ != build_countries.GENERATED_WITH_BABEL:
        pytest.skip(f"committed countries.csv was built with Babel {build_countries.GENERATED_WITH_BABEL}")
    assert first.read_bytes() == COUNTRIES.read_bytes(), "run python -m kg.resolve.build_countries"


# --- organizations ---------------------------------------------------------------


def test_organization_rows(organizations: list[dict[str, str]]) -> None:
    assert list(organizations[0].keys()) == ["id", "label", "type", "wikidata", "aliases", "country"]
    assert 250 <= len(organizations) <= 1200
    for row in organizations:
        assert SLUG.match(row["id"]), row
        assert row["label"].strip(), row
        assert row["type"] in ORG_TYPES, row
        assert row["wikidata"] == "" or QID.match(row["wikidata"]), row
        assert row["country"] == "" or ISO2.match(row["country"]), row
        for name in org_names(row):
            assert name == name.strip() and name, row


def test_organization_ids_are_unique(organizations: list[dict[str, str]]) -> None:
    ids = [r["id"] for r in organizations]
    assert len(ids) == len(set(ids))


def test_wikidata_ids_are_unique(organizations: list[dict[str, str]]) -> None:
    qids = [r["wikidata"] for r in organizations if r["wikidata"]]
    assert len(qids) == len(set(qids))


def test_no_name_is_claimed_by_two_organizations(organizations: list[dict[str, str]]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for row in organizations:
        names = [name.casefold() for name in org_names(row)]
        assert len(names) == len(set(names)), f"{row['id']} lists a name twice"
        for name in names:
            owners[name].add(row["id"])
    shared = {name: ids for name, ids in owners.items() if len(ids) > 1}
    assert not shared


def test_known_organizations(organizations: list[dict[str, str]]) -> None:
    by_label = {r["label"]: r for r in organizations}
    assert by_label["OpenAI"]["wikidata"] == "Q21708200"
    assert by_label["Nvidia"]["wikidata"] == "Q182477"
    assert by_label["SoftBank Group"]["wikidata"] == "Q201653"
    assert "AWS" in by_label["Amazon Web Services"]["aliases"].split("|")
    assert "SoftBank Group Corp." in by_label["SoftBank Group"]["aliases"].split("|")
    assert "Microsoft Indonesia" in by_label["Microsoft"]["aliases"].split("|")


def test_products_and_governments_are_not_organizations(organizations: list[dict[str, str]]) -> None:
    names = {name.casefold() for row in organizations for name in org_names(row)}
    for product in ["Azure", "Microsoft Azure", "ChatGPT", "Gemini", "Copilot", "Stargate"]:
        assert product.casefold() not in names
    assert not any(
        re.search(r"\b(ministry|ministerie|ministère|kementerian|ministerium|ministerio)\b", n) for n in names
    )


# --- non-entities ----------------------------------------------------------------


def test_non_entity_rows(non_entities: list[dict[str, str]]) -> None:
    assert list(non_entities[0].keys()) == ["text", "lang", "reason", "country"]
    keys = set()
    for row in non_entities:
        assert row["text"] and row["text"] == row["text"].strip(), row
        assert row["lang"] == "*" or row["lang"] in build_countries.LANGS, row
        assert row["reason"] in NON_ENTITY_REASONS, row
        keys.add((row["text"], row["lang"]))
    assert len(keys) == len(non_entities)


def test_projects_are_their_own_entities_not_non_entities(non_entities: list[dict[str, str]]) -> None:
    """Stargate and its kin are investment targets (schema:Project), so they live in projects.csv."""
    with (GAZETTEERS / "projects.csv").open(encoding="utf-8") as handle:
        projects = {row["label"]: row for row in csv.DictReader(handle)}
    for label in ("Stargate", "Stargate Norway", "OpenAI for Countries", "InvestAI"):
        assert label in projects, label
    assert len({row["id"] for row in projects.values()}) == len(projects)
    assert not {r["text"] for r in non_entities} & set(projects)


def test_expected_non_entities(non_entities: list[dict[str, str]]) -> None:
    texts = {r["text"] for r in non_entities}
    for text in [
        "ChatGPT",
        "Microsoft Azure",
        "Midden-Oosten",
        "Timur Tengah",
        "EU",
    ]:
        assert text in texts, text


def test_no_organization_name_is_a_non_entity(
    organizations: list[dict[str, str]], non_entities: list[dict[str, str]]
) -> None:
    blocked = {r["text"].casefold() for r in non_entities}
    clashes = {name for row in organizations for name in org_names(row) if name.casefold() in blocked}
    assert not clashes


def test_no_country_name_is_a_non_entity(countries: list[dict[str, str]], non_entities: list[dict[str, str]]) -> None:
    country_names = {(r["lang"], r["name"].casefold()) for r in countries}
    clashes = set()
    for row in non_entities:
        langs = build_countries.LANGS if row["lang"] == "*" else (row["lang"],)
        clashes |= {(lang, row["text"]) for lang in langs if (lang, row["text"].casefold()) in country_names}
    assert not clashes


def test_every_recorded_wikidata_source_matches_its_organization(organizations: list[dict[str, str]]) -> None:
    """``wikidata_sources.csv`` names where each ID added since issue 13 was checked; it must agree with the CSV."""
    sources = read_csv(GAZETTEERS / "wikidata_sources.csv")
    assert sources and list(sources[0].keys()) == ["id", "wikidata", "source"]
    by_id = {row["id"]: row for row in organizations}
    for row in sources:
        assert QID.match(row["wikidata"]), row
        assert len(row["source"]) > 40, row  # a source one can look up again, not a bare word
        assert by_id[row["id"]]["wikidata"] == row["wikidata"], row
    assert len({row["id"] for row in sources}) == len(sources)
