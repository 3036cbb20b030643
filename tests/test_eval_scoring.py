"""Tests for kg.eval: gold loading, matching rules of the scorer, and the reports.

Every gold document and prediction here is hand-made and tiny, so each test
pins down exactly one matching rule.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kg.eval.gold import (
    GoldAmount,
    GoldCountry,
    GoldDoc,
    GoldInvestment,
    GoldOrg,
    GoldPartnership,
    GoldPerson,
    load_gold,
    parse_gold,
)
from kg.eval.report import format_report, to_json, to_markdown, truncate
from kg.eval.scoring import (
    Counts,
    DocPrediction,
    EvalResult,
    PredictedAmount,
    PredictedInvestment,
    PredictedOrg,
    PredictedPartnership,
    PredictedPerson,
    find_sentence,
    format_amount,
    investment_match,
    normalize_name,
    score,
)

DEV_DATA = Path("/work/shared/data/dev")
BN = Decimal(10) ** 9


# --------------------------------------------------------------------------- builders


def gdoc(doc_id: str = "d1", lang: str = "en", **kwargs: Any) -> GoldDoc:
    return GoldDoc(id=doc_id, lang=lang, **kwargs)


def pdoc(
    doc_id: str = "d1",
    lang: str = "en",
    *,
    orgs: list[set[str]] | None = None,
    countries: dict[str, str] | None = None,
    persons: list[set[str]] | None = None,
    amounts: list[PredictedAmount] | None = None,
    investments: list[PredictedInvestment] | None = None,
    partnerships: list[PredictedPartnership] | None = None,
    org_sentences: dict[str, str] | None = None,
) -> DocPrediction:
    return DocPrediction(
        doc_id=doc_id,
        lang=lang,
        organizations=[PredictedOrg(frozenset(n)) for n in orgs or []],
        countries=countries or {},
        persons=[PredictedPerson(frozenset(n)) for n in persons or []],
        amounts=amounts or [],
        investments=investments or [],
        partnerships=partnerships or [],
        org_sentences=org_sentences or {},
    )


def one(gold: GoldDoc, pred: DocPrediction, **kwargs: Any) -> EvalResult:
    return score({gold.id: gold}, {pred.doc_id: pred}, **kwargs)


def counts(result: EvalResult, kind: str) -> tuple[int, int, int]:
    c = result.overall[kind]
    return c.tp, c.fp, c.fn


def amt(value: str, currency: str = "USD", text: str = "", sentence: str = "") -> PredictedAmount:
    return PredictedAmount(Decimal(value), currency, text, sentence)


def inv(
    investor: set[str] | None = None,
    amount: Decimal | None = None,
    currency: str | None = None,
    target: set[str] | None = None,
    country: str | None = None,
    *,
    hedged: bool = False,
    evidence: str = "",
) -> PredictedInvestment:
    return PredictedInvestment(
        frozenset(investor or ()), amount, currency, frozenset(target or ()), country, evidence, hedged
    )


def ginv(
    investor: str | None = None,
    amount: Decimal | None = None,
    currency: str | None = None,
    target: str | None = None,
    country: str | None = None,
    **kwargs: Any,
) -> GoldInvestment:
    return GoldInvestment(
        investor=investor,
        amount_value=amount,
        currency=currency,
        target=target,
        country=country,
        evidence=kwargs.pop("evidence", "gold evidence"),
        **kwargs,
    )


# --------------------------------------------------------------------------- helpers


def test_normalize_name_ignores_case_spacing_and_apostrophe_style() -> None:
    assert normalize_name("  Moody\u2019s   Ratings ") == normalize_name("moody's ratings")
    assert normalize_name("ACME\u00a0Corp") == "acme corp"


def test_counts_metrics_undefined_without_data() -> None:
    assert Counts().precision is None and Counts().f1 is None
    c = Counts(tp=1, fp=1, fn=2)
    assert c.precision == 0.5 and c.recall == pytest.approx(1 / 3) and c.f1 == pytest.approx(0.4)
    assert Counts(fn=3).f1 == 0.0


def test_format_amount_and_find_sentence() -> None:
    assert format_amount(Decimal(1500000000), "USD") == "1.5 bn USD"
    assert format_amount(Decimal(600000000), "EUR") == "600 M EUR"
    assert format_amount(Decimal(1400000000000), "USD") == "1.4 tn USD"
    assert format_amount(None, None) == "no amount"
    text = "Troops were armed. Arm Ltd grew fast! Another one"
    assert find_sentence(text, ["Arm"]) == "Arm Ltd grew fast!"
    assert find_sentence(text, ["missing"]) is None


# --------------------------------------------------------------------------- organizations


def test_org_matches_canonical_or_alias_case_insensitively() -> None:
    gold = gdoc(organizations=(GoldOrg("Nimbus Compute", ("NIMBUS Compute Holdings",)), GoldOrg("Zeta Labs")))
    pred = pdoc(orgs=[{"nimbus compute holdings"}, {"Zeta labs", "Zeta"}])
    assert counts(one(gold, pred), "organizations") == (2, 0, 0)


def test_org_typographic_apostrophe() -> None:
    gold = gdoc(organizations=(GoldOrg("Rocco\u2019s Bank"),))
    assert counts(one(gold, pdoc(orgs=[{"Rocco's Bank"}])), "organizations") == (1, 0, 0)


def test_org_one_to_one_split_and_merge() -> None:
    gold = gdoc(organizations=(GoldOrg("Alpha"), GoldOrg("Alpha Cloud")))
    # split: two nodes for Alpha -> second is a false hit; Alpha Cloud missed
    split = one(gold, pdoc(orgs=[{"Alpha"}, {"ALPHA"}]))
    assert counts(split, "organizations") == (1, 1, 1)
    # merge: one node holding both names covers only one gold org
    merged = one(gold, pdoc(orgs=[{"Alpha", "Alpha Cloud"}]))
    assert counts(merged, "organizations") == (1, 0, 1)


def test_org_assignment_is_maximal() -> None:
    # the first prediction could take either gold org; the second only "Alpha".
    gold = gdoc(organizations=(GoldOrg("Alpha", ("Beta",)), GoldOrg("Beta Group", ("Beta",))))
    result = one(gold, pdoc(orgs=[{"Beta"}, {"Alpha"}]))
    assert counts(result, "organizations") == (2, 0, 0)


def test_optional_org_neither_required_nor_false_hit() -> None:
    gold = gdoc(organizations=(GoldOrg("Alpha"), GoldOrg("ChipBrand", optional=True)))
    result = one(gold, pdoc(orgs=[{"Alpha"}, {"ChipBrand"}]))
    assert counts(result, "organizations") == (1, 0, 0)
    assert result.overall["organizations"].ignored == 1
    assert counts(one(gold, pdoc(orgs=[{"Alpha"}])), "organizations") == (1, 0, 0)


def test_required_org_wins_over_optional_for_shared_prediction() -> None:
    gold = gdoc(organizations=(GoldOrg("Opt", ("Shared",), optional=True), GoldOrg("Shared")))
    assert counts(one(gold, pdoc(orgs=[{"Shared"}])), "organizations") == (1, 0, 0)


def test_media_orgs_optional_only_when_excluded() -> None:
    gold = gdoc(organizations=(GoldOrg("Alpha"), GoldOrg("Daily Wire Service", type="media")))
    with_media = one(gold, pdoc(orgs=[{"Alpha"}]))
    assert counts(with_media, "organizations") == (1, 0, 1)
    without = one(gold, pdoc(orgs=[{"Alpha"}]), include_media=False)
    assert counts(without, "organizations") == (1, 0, 0)
    predicted_anyway = one(gold, pdoc(orgs=[{"Alpha"}, {"Daily Wire Service"}]), include_media=False)
    assert counts(predicted_anyway, "organizations") == (1, 0, 0)


def test_org_false_hit_uses_org_sentences() -> None:
    gold = gdoc(organizations=(GoldOrg("Alpha"),))
    result = one(gold, pdoc(orgs=[{"Alpha"}, {"Bogus Inc"}], org_sentences={"bogus inc": "Bogus Inc said hi."}))
    assert [(f.kind, f.description, f.sentence) for f in result.false_hits] == [
        ("organizations", "Bogus Inc", "Bogus Inc said hi.")
    ]


def test_missed_org_quotes_sentence_from_doc_text() -> None:
    gold = gdoc(organizations=(GoldOrg("Alpha", ("Alpha SA",)),), text="Intro line.\nWe met Alpha SA today. Bye.")
    result = one(gold, pdoc())
    assert result.misses[0].sentence == "We met Alpha SA today."


# --------------------------------------------------------------------------- countries


def test_countries_by_iso_and_demonym_only_is_optional() -> None:
    gold = gdoc(countries=(GoldCountry("NO", ("Norway",)), GoldCountry("KE")), countries_demonym_only=frozenset({"FR"}))
    result = one(gold, pdoc(countries={"no": "In Norway.", "FR": "A French firm.", "JP": "Japan too."}))
    assert counts(result, "countries") == (1, 1, 1)
    assert result.overall["countries"].ignored == 1
    assert [(f.description, f.sentence) for f in result.false_hits] == [("JP", "Japan too.")]
    assert [m.description for m in result.misses] == ["KE"]
    # not predicting a demonym-only country costs nothing
    assert counts(one(gold, pdoc(countries={"NO": "", "KE": ""})), "countries") == (2, 0, 0)


# --------------------------------------------------------------------------- persons


def test_person_matches_name_or_mention() -> None:
    gold = gdoc(persons=(GoldPerson("Ada Quill", ("Ada Quill", "Quill")), GoldPerson("Bo Stern")))
    result = one(gold, pdoc(persons=[{"Quill"}, {"bo stern"}]))
    assert counts(result, "persons") == (2, 0, 0)


def test_person_no_partial_name_matching() -> None:
    gold = gdoc(persons=(GoldPerson("Ada Quill", ("Ada Quill",)),))
    # same surname, different first name: not the same person
    assert counts(one(gold, pdoc(persons=[{"Bea Quill"}])), "persons") == (0, 1, 1)


def test_person_surname_duplicate_is_ignored_but_full_duplicate_is_false_hit() -> None:
    gold = gdoc(persons=(GoldPerson("Ada Quill", ("Ada Quill", "Quill")),))
    surname = one(gold, pdoc(persons=[{"Ada Quill"}, {"Quill"}]))
    assert counts(surname, "persons") == (1, 0, 0)
    assert surname.overall["persons"].ignored == 1
    duplicate = one(gold, pdoc(persons=[{"Ada Quill"}, {"ada quill"}]))
    assert counts(duplicate, "persons") == (1, 1, 0)


# --------------------------------------------------------------------------- amounts


def test_amount_within_one_percent_and_same_currency() -> None:
    gold = gdoc(amounts=(GoldAmount("$1.5 billion", Decimal(1500000000), "USD"),))
    assert counts(one(gold, pdoc(amounts=[amt("1510000000")])), "amounts") == (1, 0, 0)
    assert counts(one(gold, pdoc(amounts=[amt("1490000000")])), "amounts") == (1, 0, 0)
    assert counts(one(gold, pdoc(amounts=[amt("1520000000")])), "amounts") == (0, 1, 1)
    assert counts(one(gold, pdoc(amounts=[amt("1500000000", "EUR")])), "amounts") == (0, 1, 1)


def test_amount_value_alt_accepted() -> None:
    gold = gdoc(amounts=(GoldAmount("7,5 bn", Decimal(7500000000), "EUR", value_alt=Decimal(75000000000)),))
    assert counts(one(gold, pdoc(amounts=[amt("75000000000", "EUR")])), "amounts") == (1, 0, 0)
    assert counts(one(gold, pdoc(amounts=[amt("7500000000", "EUR")])), "amounts") == (1, 0, 0)


def test_amount_range_matches_upper_bound() -> None:
    gold = gdoc(amounts=(GoldAmount("30 to 50 bn", 50 * BN, "EUR", value_min=30 * BN, is_range=True),))
    ranged = PredictedAmount(50 * BN, "EUR", "30 to 50 bn", "", value_min=30 * BN)
    assert counts(one(gold, pdoc(amounts=[ranged])), "amounts") == (1, 0, 0)


def test_amount_predictions_deduplicated_by_value_and_currency() -> None:
    gold = gdoc(amounts=(GoldAmount("$2bn", 2 * BN, "USD"),))
    pred = pdoc(amounts=[amt("2000000000"), amt("2E+9", "usd"), amt("2000000000", "EUR")])
    assert counts(one(gold, pred), "amounts") == (1, 1, 0)


def test_amount_closest_prediction_wins() -> None:
    gold = gdoc(amounts=(GoldAmount("a", Decimal(100), "USD"), GoldAmount("b", Decimal("100.9"), "USD")))
    # 100.5 is within 1% of both; 100 only of the first: both gold items get matched.
    assert counts(one(gold, pdoc(amounts=[amt("100.5"), amt("100")])), "amounts") == (2, 0, 0)


# --------------------------------------------------------------------------- investments


def test_investment_full_match_and_alias_target() -> None:
    gold = gdoc(
        organizations=(GoldOrg("Nimbus", ("Nimbus Global",)),),
        investments=(ginv("Alpha", 2 * BN, "USD", "Nimbus", "NO"),),
    )
    pred = pdoc(investments=[inv({"alpha"}, Decimal(2010000000), "USD", {"Nimbus Global"}, "no")])
    assert counts(one(gold, pred), "investments") == (1, 0, 0)


def test_investment_co_investor_accepted() -> None:
    gold = gdoc(investments=(ginv("Alpha", BN, "USD", "Fund X", co_investors=("Beta", "Gamma")),))
    pred = pdoc(investments=[inv({"Gamma Corp", "Gamma"}, BN, "USD", {"Fund X"})])
    assert counts(one(gold, pred), "investments") == (1, 0, 0)
    wrong = pdoc(investments=[inv({"Delta"}, BN, "USD", {"Fund X"})])
    assert counts(one(gold, wrong), "investments") == (0, 1, 1)


def test_investment_null_gold_investor_ignores_predicted_investor() -> None:
    gold = gdoc(investments=(ginv(None, BN, "USD", "Zeta"),))
    assert counts(one(gold, pdoc(investments=[inv({"Anyone"}, BN, "USD", {"Zeta"})])), "investments") == (1, 0, 0)
    assert counts(one(gold, pdoc(investments=[inv(None, BN, "USD", {"Zeta"})])), "investments") == (1, 0, 0)


def test_strict_roles_count_a_party_gold_leaves_unnamed_as_wrong() -> None:
    """The scoring advice ignores a predicted investor or target gold has none for; strict roles do not."""
    gold = gdoc(investments=(ginv("Alpha", BN, "USD", None, "FR"),))
    invented = pdoc(investments=[inv({"Alpha"}, BN, "USD", {"Beta"}, "FR")])
    assert counts(one(gold, invented), "investments") == (1, 0, 0)
    assert counts(one(gold, invented, strict_roles=True), "investments") == (0, 1, 1)
    as_stated = pdoc(investments=[inv({"Alpha"}, BN, "USD", None, "FR")])
    assert counts(one(gold, as_stated, strict_roles=True), "investments") == (1, 0, 0)
    no_investor = gdoc(investments=(ginv(None, BN, "USD", "Zeta"),))
    guessed = pdoc(investments=[inv({"Anyone"}, BN, "USD", {"Zeta"})])
    assert counts(one(no_investor, guessed, strict_roles=True), "investments") == (0, 1, 1)


def test_investment_amount_rules() -> None:
    gold = gdoc(investments=(ginv("Alpha", None, None, None, "ID"),))
    assert counts(one(gold, pdoc(investments=[inv({"Alpha"}, country="ID")])), "investments") == (1, 0, 0)
    # gold has no amount, prediction has one: not the same fact
    assert counts(one(gold, pdoc(investments=[inv({"Alpha"}, BN, "USD", country="ID")])), "investments") == (0, 1, 1)
    gold2 = gdoc(investments=(ginv("Alpha", BN, "USD", None, "ID"),))
    # gold has an amount, prediction none
    assert counts(one(gold2, pdoc(investments=[inv({"Alpha"}, country="ID")])), "investments") == (0, 1, 1)
    # wrong currency
    assert counts(one(gold2, pdoc(investments=[inv({"Alpha"}, BN, "EUR", None, "ID")])), "investments") == (0, 1, 1)


def test_investment_amount_alt_and_min() -> None:
    gold = gdoc(investments=(ginv("Alpha", 50 * BN, "EUR", amount_min=30 * BN, amount_value_alt=5 * BN),))
    for value in (50 * BN, 30 * BN, 5 * BN):
        assert counts(one(gold, pdoc(investments=[inv({"Alpha"}, value, "EUR")])), "investments") == (1, 0, 0)
    assert counts(one(gold, pdoc(investments=[inv({"Alpha"}, 40 * BN, "EUR")])), "investments") == (0, 1, 1)


def test_investment_target_and_country_must_match_when_in_gold() -> None:
    gold = gdoc(investments=(ginv("Alpha", BN, "USD", "Zeta", "PT"),))
    assert counts(one(gold, pdoc(investments=[inv({"Alpha"}, BN, "USD", {"Zeta"}, "ES")])), "investments") == (0, 1, 1)
    assert counts(one(gold, pdoc(investments=[inv({"Alpha"}, BN, "USD", set(), "PT")])), "investments") == (0, 1, 1)
    # gold without target/country: whatever the prediction says there is fine
    loose = gdoc(investments=(ginv("Alpha", BN, "USD"),))
    assert counts(one(loose, pdoc(investments=[inv({"Alpha"}, BN, "USD", {"Zeta"}, "PT")])), "investments") == (1, 0, 0)


def test_investment_country_as_investor() -> None:
    gold = gdoc(countries=(GoldCountry("AE", ("UAE",)),), investments=(ginv("AE", 1400 * BN, "USD", None, "US"),))
    pred = pdoc(investments=[inv({"AE"}, 1400 * BN, "USD", None, "US")])
    assert counts(one(gold, pred), "investments") == (1, 0, 0)


def test_investment_optional_neither_required_nor_false_hit() -> None:
    gold = gdoc(investments=(ginv("Alpha", BN, "USD"), ginv("Alpha", 3 * BN, "USD", optional=True)))
    both = pdoc(investments=[inv({"Alpha"}, BN, "USD"), inv({"Alpha"}, 3 * BN, "USD")])
    result = one(gold, both)
    assert counts(result, "investments") == (1, 0, 0)
    assert result.overall["investments"].ignored == 1
    assert counts(one(gold, pdoc(investments=[inv({"Alpha"}, BN, "USD")])), "investments") == (1, 0, 0)


def test_investment_one_to_one_best_match_first() -> None:
    gold = gdoc(investments=(ginv("Alpha", Decimal(100), "USD"), ginv("Alpha", Decimal("100.8"), "USD")))
    preds = [
        inv({"Alpha"}, Decimal("100.8"), "USD", evidence="second"),
        inv({"Alpha"}, Decimal(100), "USD", evidence="first"),
    ]
    assert counts(one(gold, pdoc(investments=preds)), "investments") == (2, 0, 0)
    dup = [inv({"Alpha"}, Decimal(100), "USD") for _ in range(3)]
    # 100 is within 1% of 100.8, so two gold facts are covered and the third prediction is extra
    assert counts(one(gold, pdoc(investments=dup)), "investments") == (2, 1, 0)


def test_investment_stargate_roles_interchangeable() -> None:
    project_as_target = gdoc(investments=(ginv("Alpha", 500 * BN, "USD", "Stargate", "US", co_investors=("Beta",)),))
    direct = inv({"Beta"}, 500 * BN, "USD", {"Stargate"}, "US")
    swapped = inv({"Stargate"}, 500 * BN, "USD", {"Alpha"}, "US")
    lonely = inv({"Stargate"}, 500 * BN, "USD", None, "US")  # the funders are lost
    assert counts(one(project_as_target, pdoc(investments=[direct])), "investments") == (1, 0, 0)
    assert counts(one(project_as_target, pdoc(investments=[swapped])), "investments") == (1, 0, 0)
    assert counts(one(project_as_target, pdoc(investments=[lonely])), "investments") == (0, 1, 1)

    unnamed_funders = gdoc(investments=(ginv(None, 500 * BN, "USD", "Stargate", "US"),))
    assert counts(one(unnamed_funders, pdoc(investments=[lonely])), "investments") == (1, 0, 0)

    project_invests = gdoc(investments=(ginv("Stargate Nordics", BN, "USD", None, "NO"),))
    as_target = inv({"Alpha"}, BN, "USD", {"Stargate Nordics"}, "NO")
    assert counts(one(project_invests, pdoc(investments=[as_target])), "investments") == (1, 0, 0)
    # names still have to match: a sibling project is not interchangeable
    other_name = inv({"Alpha"}, BN, "USD", {"Stargate"}, "NO")
    assert counts(one(project_invests, pdoc(investments=[other_name])), "investments") == (0, 1, 1)


def test_investment_role_swap_not_allowed_for_ordinary_parties() -> None:
    gold = GoldInvestment("Alpha", BN, "USD", "Zeta", None, "ev")
    assert investment_match(gold, inv({"Zeta"}, BN, "USD", {"Alpha"})) is None
    assert investment_match(gold, inv({"Alpha"}, BN, "USD", {"Zeta"})) is not None


def test_investment_hedged_agreement_reported() -> None:
    gold = gdoc(investments=(ginv("Alpha", BN, "USD", hedged=True), ginv("Beta", BN, "USD")))
    preds = [inv({"Alpha"}, BN, "USD", hedged=True), inv({"Beta"}, BN, "USD", hedged=True)]
    result = one(gold, pdoc(investments=preds))
    assert counts(result, "investments") == (2, 0, 0)
    h = result.hedged["investments"]
    assert (h.agree, h.total, h.gold_hedged, h.both_hedged) == (1, 2, 1, 1)


# --------------------------------------------------------------------------- partnerships


def test_partnership_unordered_pair_by_alias_or_iso() -> None:
    gold = gdoc(
        organizations=(GoldOrg("Alpha", ("Alpha Holdings",)),),
        partnerships=(GoldPartnership("Alpha", "Beta", "ev"), GoldPartnership("Gamma", "ID", "ev")),
    )
    pred = pdoc(
        partnerships=[
            PredictedPartnership(frozenset({"Beta"}), frozenset({"Alpha Holdings"}), "x"),
            PredictedPartnership(frozenset({"ID"}), frozenset({"gamma"}), "y"),
        ]
    )
    assert counts(one(gold, pred), "partnerships") == (2, 0, 0)


def test_partnership_one_to_one_and_wrong_pair() -> None:
    gold = gdoc(partnerships=(GoldPartnership("Alpha", "Beta", "ev"),))
    pair = PredictedPartnership(frozenset({"Alpha"}), frozenset({"Beta"}), "x")
    reversed_pair = PredictedPartnership(frozenset({"Beta"}), frozenset({"Alpha"}), "x")
    wrong = PredictedPartnership(frozenset({"Alpha"}), frozenset({"Gamma"}), "z")
    assert counts(one(gold, pdoc(partnerships=[pair, reversed_pair, wrong])), "partnerships") == (1, 2, 0)


def test_partnership_optional_and_hedged_not_required_to_match() -> None:
    gold = gdoc(
        partnerships=(
            GoldPartnership("Alpha", "Beta", "ev", hedged=True),
            GoldPartnership("Alpha", "Gamma", "ev", optional=True),
        )
    )
    pred = pdoc(
        partnerships=[
            PredictedPartnership(frozenset({"Alpha"}), frozenset({"Beta"}), "x"),
            PredictedPartnership(frozenset({"Gamma"}), frozenset({"Alpha"}), "x"),
        ]
    )
    result = one(gold, pred)
    assert counts(result, "partnerships") == (1, 0, 0)
    assert result.overall["partnerships"].ignored == 1
    h = result.hedged["partnerships"]
    assert (h.agree, h.total, h.gold_hedged, h.both_hedged) == (1, 2, 1, 0)


# --------------------------------------------------------------------------- aggregation


def test_per_language_and_overall_aggregation() -> None:
    gold = {
        "a": gdoc("a", "nl", organizations=(GoldOrg("Alpha"),)),
        "b": gdoc("b", "fr", organizations=(GoldOrg("Beta"),)),
        "c": gdoc("c", "fr", organizations=(GoldOrg("Gamma"),)),
    }
    predicted = {
        "a": pdoc("a", "nl", orgs=[{"Alpha"}]),
        "b": pdoc("b", "en", orgs=[{"Beta"}, {"Noise"}]),  # language detected wrongly
        "z": pdoc("z", "en", orgs=[{"Unscored"}]),
    }
    result = score(gold, predicted)
    assert counts(result, "organizations") == (2, 1, 1)
    fr = result.by_lang["fr"]["organizations"]
    assert (fr.tp, fr.fp, fr.fn) == (1, 1, 1)
    assert result.by_lang["nl"]["organizations"].f1 == 1.0
    assert result.docs_without_prediction == ["c"]
    assert result.docs_without_gold == ["z"]
    assert result.lang_mismatches == [("b", "fr", "en")]
    assert result.docs_per_lang() == {"nl": 1, "fr": 2}
    assert result.total().tp == 2


# --------------------------------------------------------------------------- reports


def _sample_result() -> EvalResult:
    long_sentence = "Alpha and Beta " + "signed a long agreement " * 20 + "today."
    gold = {
        "a": gdoc(
            "a",
            "nl",
            organizations=(GoldOrg("Alpha"), GoldOrg("Beta")),
            partnerships=(GoldPartnership("Alpha", "Beta", long_sentence),),
        ),
        "b": gdoc("b", "id", amounts=(GoldAmount("Rp 5 triliun", Decimal(5 * 10**12), "IDR"),)),
    }
    predicted = {
        "a": pdoc("a", "nl", orgs=[{"Alpha"}, {"Noise"}], org_sentences={"Noise": "Noise here."}),
        "b": pdoc("b", "id", amounts=[amt("5000000000000", "IDR")]),
    }
    return score(gold, predicted)


def test_format_report_tables_and_errors() -> None:
    report = format_report(_sample_result())
    assert "organizations" in report and "all (micro)" in report
    assert "By language" in report
    assert "[a] Beta" in report and "[a] Noise" in report and '"Noise here."' in report
    assert "[a] Alpha <-> Beta" in report
    quoted = next(line for line in report.splitlines() if "signed a long agreement" in line)
    assert quoted.rstrip().endswith('..."') and len(quoted.strip()) <= 210
    short = format_report(_sample_result(), show_errors=False)
    assert "[a] Beta" not in short and "By language" in short


def test_to_json_is_serialisable() -> None:
    data = to_json(_sample_result())
    text = json.dumps(data)
    assert json.loads(text)["overall"]["organizations"]["tp"] == 1
    assert set(data["by_language"]) == {"id", "nl"}
    assert data["by_language"]["id"]["amounts"]["f1"] == 1.0
    assert data["misses"][0]["kind"] in {"organizations", "partnerships"}
    assert data["overall"]["persons"]["precision"] is None


def test_to_markdown_table() -> None:
    md = to_markdown(_sample_result())
    lines = md.splitlines()
    assert lines[0].startswith("| Language | Docs | Organizations |")
    assert any(line.startswith("| Dutch (nl) | 1 |") for line in lines)
    assert any(line.startswith("| Indonesian (id) | 1 |") for line in lines)
    assert any(line.startswith("| **All** | **2** |") for line in lines)


def test_truncate() -> None:
    assert truncate("short  text") == "short text"
    cut = truncate("word " * 100, 50)
    assert len(cut) <= 50 and cut.endswith("...")


# --------------------------------------------------------------------------- loading


def _write_gold(root: Path, doc_id: str, data: dict[str, Any] | str, text: str | None = None) -> Path:
    (root / "gold").mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(parents=True, exist_ok=True)
    path = root / "gold" / f"{doc_id}.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    if text is not None:
        (root / "docs" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return path


TINY: dict[str, Any] = {
    "id": "t1",
    "lang": "NL",
    "url": None,
    "date": "2025-01",
    "title": "Test",
    "organizations": [
        {"name": "Alpha", "aliases_in_text": ["Alpha BV"], "wikidata": None, "type": "company"},
        {"name": "Krant", "aliases_in_text": ["Krant"], "wikidata": None, "type": "media"},
    ],
    "countries": [{"iso": "be", "mentions": ["Belgie"]}],
    "countries_demonym_only": ["de"],
    "persons": [{"name": "Jan Smit", "mentions": ["Jan Smit", "Smit"]}],
    "amounts": [
        {"text": "1,2 miljard euro", "value": 1.2e9, "currency": "EUR", "value_alt": 12000000000},
        {
            "text": "3 tot 5 miljard",
            "value": 5000000000,
            "value_min": 3000000000,
            "is_range": True,
            "currency": "EUR",
            "currency_implicit": True,
        },
    ],
    "investments": [
        {
            "investor": "Alpha",
            "amount_value": 1.2e9,
            "currency": "eur",
            "target": None,
            "country": "BE",
            "evidence": "Alpha investeert.",
            "co_investors": ["Beta"],
            "hedged": True,
            "note": "x",
        }
    ],
    "partnerships": [{"a": "Alpha", "b": "BE", "evidence": "Samen.", "optional": True}],
    "projects": ["Project X"],
    "notes": "hand-made test file",
}


def test_load_gold_tiny_dir(tmp_path: Path) -> None:
    _write_gold(tmp_path, "t1", TINY, text="Alpha BV investeert 1,2 miljard euro in Belgie.")
    docs = load_gold(tmp_path)
    assert list(docs) == ["t1"]
    d = docs["t1"]
    assert d.lang == "nl" and d.text is not None and d.text.startswith("Alpha BV")
    assert d.organizations[0].aliases == ("Alpha BV",) and d.organizations[1].is_media
    assert d.countries[0].iso == "BE" and d.countries_demonym_only == frozenset({"DE"})
    assert d.amounts[0].value == Decimal("1.2E+9") and d.amounts[0].value_alt == 12 * BN
    assert d.amounts[1].value_min == 3 * BN and d.amounts[1].is_range and d.amounts[1].currency_implicit
    i = d.investments[0]
    assert i.currency == "EUR" and i.investors == ("Alpha", "Beta") and i.hedged and i.target is None
    assert d.partnerships[0].optional and d.projects == ("Project X",)
    # the folder of JSON files itself is accepted too
    assert list(load_gold(tmp_path / "gold")) == ["t1"]


def test_load_gold_end_to_end_scoring(tmp_path: Path) -> None:
    _write_gold(tmp_path, "t1", TINY)
    gold = load_gold(tmp_path)
    pred = pdoc(
        "t1",
        "nl",
        orgs=[{"Alpha BV"}],
        countries={"BE": "", "DE": ""},
        persons=[{"Smit"}],
        amounts=[amt("12000000000", "EUR"), amt("5000000000", "EUR")],
        investments=[inv({"Beta"}, Decimal("1.2e9"), "EUR", None, "BE", hedged=True)],
    )
    result = score(gold, {"t1": pred}, include_media=False)
    for kind in ("organizations", "countries", "persons", "amounts", "investments"):
        assert result.overall[kind].f1 == 1.0, kind
    assert result.overall["partnerships"].f1 is None
    assert result.misses == [] and result.false_hits == []


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "invalid JSON"),
        (json.dumps({"id": "bad", "lang": "en", "organizations": [{"aliases_in_text": []}]}), "organizations[0].name"),
        (
            json.dumps({"id": "bad", "lang": "en", "amounts": [{"text": "x", "value": "lots", "currency": "USD"}]}),
            "amounts[0].value",
        ),
        (json.dumps({"id": "bad", "lang": "en", "persons": {"name": "x"}}), "persons: expected a list"),
        (json.dumps({"id": "bad", "lang": "en", "investments": [{"optional": "yes"}]}), "investments[0].optional"),
        (json.dumps({"id": "bad"}), "lang: missing"),
        (json.dumps(["not", "an", "object"]), "expected an object"),
        (json.dumps({"id": "other", "lang": "en"}), "does not match the file name"),
    ],
)
def test_load_gold_errors_name_the_file(tmp_path: Path, content: str, fragment: str) -> None:
    path = _write_gold(tmp_path, "bad", content)
    with pytest.raises(ValueError) as info:
        load_gold(tmp_path)
    message = str(info.value)
    assert str(path) in message and fragment in message and "\n" not in message


def test_load_gold_missing_or_empty_dir(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_gold(tmp_path / "nope")
    (tmp_path / "gold").mkdir()
    with pytest.raises(ValueError, match="no gold annotations"):
        load_gold(tmp_path)


def test_parse_gold_defaults_id() -> None:
    doc = parse_gold({"lang": "en"}, default_id="from_stem")
    assert doc.id == "from_stem" and doc.organizations == ()


@pytest.mark.skipif(not (DEV_DATA / "gold").is_dir(), reason="dev annotations not available")
def test_load_gold_reads_every_dev_file() -> None:
    files = sorted((DEV_DATA / "gold").glob("*.json"))
    docs = load_gold(DEV_DATA)
    assert sorted(docs) == [p.stem for p in files]
    for doc in docs.values():
        assert doc.lang and doc.text
    # scoring the gold against itself must give perfect scores
    perfect = {d.id: _prediction_from_gold(d) for d in docs.values()}
    result = score(docs, perfect)
    assert result.misses == [] and result.false_hits == []


def _prediction_from_gold(d: GoldDoc) -> DocPrediction:
    return DocPrediction(
        doc_id=d.id,
        lang=d.lang,
        organizations=[PredictedOrg(frozenset(o.all_names)) for o in d.organizations],
        countries={c.iso: "" for c in d.countries},
        persons=[PredictedPerson(frozenset(p.all_names)) for p in d.persons],
        amounts=[PredictedAmount(a.value, a.currency, a.text, "") for a in d.amounts],
        investments=[
            PredictedInvestment(
                frozenset(i.investors),
                i.amount_value,
                i.currency,
                frozenset({i.target} if i.target else ()),
                i.country,
                i.evidence,
                i.hedged,
            )
            for i in d.investments
        ],
        partnerships=[
            PredictedPartnership(frozenset({p.a}), frozenset({p.b}), p.evidence, p.hedged) for p in d.partnerships
        ],
    )


def test_language_names_come_from_cldr_for_every_language() -> None:
    from kg.eval.report import language_name

    assert [language_name(c) for c in ("it", "pt", "pl", "nb")] == [
        "Italian",
        "Portuguese",
        "Polish",
        "Norwegian Bokmål",
    ]
    assert language_name("qqq") is None  # shown as the bare code
