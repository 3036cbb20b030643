"""Issue 14, item 13: articles in languages kg has no lexicon for keep their true language, warn, are
counted, and still get CLDR's countries and amounts; an unknown declared language is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli, sparql_rows

from kg.ingest.langid import detect_language
from kg.store import GraphStore

CZECH = (
    "Microsoft investuje 5 mld. Kč do datových center\n\n"
    "Americká firma Microsoft ve středu oznámila, že do nových datových center vloží 5 mld. Kč. "
    "Česko a Německo zároveň podepsaly dohodu o spolupráci v oblasti umělé inteligence. "
    "Podle ministerstva dosáhne hodnota programu 200 mil. eur a Francie se má připojit příští rok.\n"
)
OTHERS = {
    "ru": "Правительство России объявило в среду о новых инвестициях в центры обработки данных в Москве.",
    "zh": "中国政府周三宣布将在北京和上海投资五十亿美元建设新的数据中心，以支持人工智能产业的发展。",
    "ar": "أعلنت الحكومة يوم الأربعاء عن استثمارات جديدة في مراكز البيانات في الرياض ودبي لدعم الصناعة.",
}


@pytest.mark.parametrize("lang", sorted(OTHERS))
def test_other_scripts_are_not_tagged_with_a_supported_language(lang: str) -> None:
    assert detect_language(OTHERS[lang]) == lang


def test_czech_keeps_its_language_warns_and_gets_countries_and_amounts(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "cs.txt").write_text(CZECH, encoding="utf-8")
    (folder / "ru.txt").write_text(OTHERS["ru"] + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(folder), "--out", str(out), "--no-render")
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if " W111 " in line]
    assert [w.split(":")[1].strip() for w in warnings] == [f"{folder}/cs.txt", f"{folder}/ru.txt"]
    assert "no kg lexicon:     2 article(s) (cs 1, ru 1)" in result.stdout
    store = GraphStore(out / "store", read_only=True)
    langs = sparql_rows(store, "SELECT ?s ?l WHERE { ?a dcterms:source ?s ; dcterms:language ?l }")
    assert {(r["s"], r["l"]) for r in langs} == {(f"{folder}/cs.txt", "cs"), (f"{folder}/ru.txt", "ru")}
    countries = sparql_rows(store, "SELECT DISTINCT ?iso WHERE { ?c a schema:Country ; kg:iso3166Alpha2 ?iso }")
    assert {r["iso"] for r in countries} >= {"CZ", "DE", "FR"}
    amounts = sparql_rows(store, "SELECT ?v ?c WHERE { ?m a schema:MonetaryAmount ; schema:value ?v ; "
                                 "schema:currency ?c }")  # fmt: skip
    assert {(r["v"], r["c"]) for r in amounts} >= {("5000000000", "CZK"), ("200000000", "EUR")}


def test_an_unknown_declared_language_is_refused(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [{"text": CZECH, "lang": "zz"}, {"text": CZECH, "lang": "cs", "url": "https://example.org/cs"}]
    feed.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    result = run_cli("build", str(feed), "--out", str(tmp_path / "out"), "--no-render")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {feed}:1: E110 unknown language 'zz' in 'lang': give an ISO 639-1 code such as nl, "
                      "fr, en, pl"]  # fmt: skip
    assert run_cli("build", str(feed), "--lang", "zz", "--out", str(tmp_path / "o2")).exit_code == 2
