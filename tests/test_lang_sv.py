"""Swedish as data: kg's real pipeline on short Swedish news sentences written for these tests.

Swedish has no pipeline entry of its own, so it runs through ``[default]`` (blank spaCy plus kg's rule
components): every name, amount and fact found here comes from the Swedish lexicons
(``ontology/lexicons/{facts,money,names,non_names}/sv.json``), the ``sv`` rows of
``country_aliases.csv`` and the shared gazetteers; facts are decided by the shipped fact model, whose
features are lexicon classes, and one test pins the rules alone.  Companies such as Lumora AB,
Vinterdata AB or Nordsjø Kapital ASA are invented.  Precision first: the negative cases check that no
amount, party or fact is invented where the words do not state one.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from lang_kit import (  # noqa: F401
    AmountRow,
    amount_rows,
    extracting,
    fresh_model_choice,
    investors,
    only_investment,
    orgs,
    pairs,
    party,
    persons,
)

from kg.ingest.langid import detect_language
from kg.model import DatePrecision, EntityKind, FactStatus

extract = extracting("sv")


# --------------------------------------------------------------------------- language


def test_sv_paragraph_is_detected_as_swedish() -> None:
    paragraph = (
        "Techjätten meddelade på måndagen att bolaget bygger ut sina datacenter i Norrland. "
        "Satsningen är den största i företagets historia i landet och ska ge svenska myndigheter "
        "och näringsliv tillgång till mer beräkningskraft för artificiell intelligens."
    )
    assert detect_language(paragraph) == "sv"


# --------------------------------------------------------------------------- amounts

# (sentence, [(amount text, value, currency, lower bound, qualifier)])
MONEY: list[tuple[str, list[AmountRow]]] = [
    (
        "Bolaget tar in 1,5 miljarder kronor i en nyemission.",
        [("1,5 miljarder kronor", Decimal("1500000000"), "SEK", None, None)],
    ),
    (
        "Investeringen uppgår till 2 500 miljoner kronor fram till 2030.",
        [("2 500 miljoner kronor", Decimal("2500000000"), "SEK", None, None)],
    ),
    (
        "Nvidia lägger 300 miljoner dollar på nya kretsar.",
        [("300 miljoner dollar", Decimal("300000000"), "USD", None, None)],
    ),
    (
        "Staten skjuter till 5 mdr kr och kommunen 300 mn kr.",
        [
            ("5 mdr kr", Decimal("5000000000"), "SEK", None, None),
            ("300 mn kr", Decimal("300000000"), "SEK", None, None),
        ],
    ),
    (
        "Varje server kostar 45 000 kronor, och fonden tillför USD 40 miljoner och 3,2 miljarder SEK.",
        [
            ("45 000 kronor", Decimal("45000"), "SEK", None, None),
            ("USD 40 miljoner", Decimal("40000000"), "USD", None, None),
            ("3,2 miljarder SEK", Decimal("3200000000"), "SEK", None, None),
        ],
    ),
    (
        "Det rör sig om en miljard kronor och tre miljarder dollar.",
        [
            ("en miljard kronor", Decimal("1000000000"), "SEK", None, None),
            ("tre miljarder dollar", Decimal("3000000000"), "USD", None, None),
        ],
    ),
    (
        "Kostnaden hamnar mellan 2 och 3 miljarder kronor.",
        [("2 och 3 miljarder kronor", Decimal("3000000000"), "SEK", Decimal("2000000000"), None)],
    ),
    (
        "Det handlar om 10 till 12 miljarder dollar.",
        [("10 till 12 miljarder dollar", Decimal("12000000000"), "USD", Decimal("10000000000"), None)],
    ),
    (
        "EU satsar drygt 800 miljoner euro och regionen cirka 75 miljoner kronor.",
        [
            ("800 miljoner euro", Decimal("800000000"), "EUR", None, "more_than"),
            ("75 miljoner kronor", Decimal("75000000"), "SEK", None, "about"),
        ],
    ),
    (
        "Fonden kan investera upp till 2 miljarder norska kronor.",
        [("2 miljarder norska kronor", Decimal("2000000000"), "NOK", None, "up_to")],
    ),
    # No currency, or a vague quantity: never an amount.
    ("Tjänsten har 3 miljoner användare i Norden.", []),
    ("Hundratals miljoner kronor och flera miljarder dollar står på spel.", []),
]


@pytest.mark.parametrize(("text", "expected"), MONEY, ids=[m[0][:40] for m in MONEY])
def test_sv_amounts(text: str, expected: list[AmountRow]) -> None:
    got = amount_rows(text, "sv")
    assert got == expected


def test_sv_amounts_in_the_pipeline_carry_value_and_currency() -> None:
    ex = extract("Microsoft investerar 33,7 miljarder kronor i molninfrastruktur och AI i Sverige.")
    assert [(a.text, a.value, a.currency) for a in ex.amounts] == [
        ("33,7 miljarder kronor", Decimal("33700000000"), "SEK")
    ]


# --------------------------------------------------------------------------- names


def test_sv_known_and_unknown_organizations() -> None:
    ex = extract(
        "Ericsson och Telia har valt Nordkraft Data AB (publ) som leverantör. "
        "Även Nordsjø Kapital ASA och finska Kalliovoima Oyj lämnade anbud."
    )
    assert orgs(ex) == {"Ericsson", "Telia", "Nordkraft Data AB (publ)", "Nordsjø Kapital ASA", "Kalliovoima Oyj"}
    known = {m.text: m.key for m in ex.mentions if m.kind is EntityKind.ORGANIZATION}
    assert (known["Ericsson"], known["Telia"]) == ("ericsson", "telia")
    assert known["Nordkraft Data AB (publ)"] is None  # no gazetteer entry: found by its legal form


def test_sv_countries_in_inflected_and_short_forms() -> None:
    ex = extract(
        "Sveriges regering vill locka investeringar från USA:s techjättar. "
        "Kinas och Tysklands chipindustri växer, medan Förenade Arabemiraten och Saudiarabiens fonder köper. "
        "Storbritanniens och Nederländernas exportregler skärps, liksom i Sydkorea."
    )
    found = {m.text: m.key for m in ex.mentions if m.kind is EntityKind.COUNTRY}
    assert found == {
        "Sveriges": "SE",
        "USA:s": "US",
        "Kinas": "CN",
        "Tysklands": "DE",
        "Förenade Arabemiraten": "AE",
        "Saudiarabiens": "SA",
        "Storbritanniens": "GB",
        "Nederländernas": "NL",
        "Sydkorea": "KR",
    }


def test_sv_persons_before_and_after_role_words() -> None:
    ex = extract(
        "Näringsminister Ebba Busch välkomnade beskedet, och bolagets vd Anna Lindqvist sa att det växer. "
        "Det säger Börje Ekholm, vd för Ericsson."
    )
    assert persons(ex) == {"Ebba Busch", "Anna Lindqvist", "Börje Ekholm"}
    assert orgs(ex) == {"Ericsson"}


def test_sv_laws_and_demonym_phrases_are_no_organizations() -> None:
    ex = extract("Den nya AI-förordningen och Dataskyddslagen gäller även Svenska AI-bolag.")
    assert orgs(ex) == set()
    assert ex.investments == [] and ex.partnerships == []


# --------------------------------------------------------------------------- investments


def test_sv_investment_with_investor_amount_target_and_destination() -> None:
    ex = extract("Nvidia investerar 500 miljoner dollar i det franska AI-bolaget Mistral AI.")
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.target), party(inv.country)) == ("Nvidia", "Mistral AI", "FR")
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("500000000"), "USD")
    assert not inv.hedged and inv.status is FactStatus.ANNOUNCED
    assert ex.partnerships == []


def test_sv_investment_in_a_country() -> None:
    ex = extract("Microsoft investerar 33,7 miljarder kronor i molninfrastruktur och AI i Sverige.")
    inv = only_investment(ex)
    assert (party(inv.investor), inv.target, party(inv.country)) == ("Microsoft", None, "SE")
    assert inv.amount is not None and inv.amount.value == Decimal("33700000000")


def test_sv_a_known_city_gives_the_destination() -> None:
    ex = extract("Microsoft bygger ett nytt datacenter i Luleå för 10 miljarder kronor.")
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.country), inv.country_inferred) == ("Microsoft", "SE", True)
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("10000000000"), "SEK")


def test_sv_a_state_invests_in_a_company() -> None:
    ex = extract("Norska staten investerar 1 miljard norska kronor i Lumora AB.")
    inv = only_investment(ex)
    assert inv.investor is not None and inv.investor.kind is EntityKind.COUNTRY
    assert (party(inv.investor), party(inv.target), party(inv.country)) == ("NO", "Lumora AB", "NO")
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("1000000000"), "NOK")


def test_sv_funding_round_names_the_receiver_and_its_investors() -> None:
    ex = extract("Vinterdata AB har tagit in 300 miljoner kronor från EQT och Nvidia.")
    inv = only_investment(ex)
    assert party(inv.target) == "Vinterdata AB"
    assert investors(ex) == {"EQT", "Nvidia"}
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("300000000"), "SEK")
    assert inv.status is FactStatus.COMPLETED
    assert ex.partnerships == []


def test_sv_particle_verb_with_an_adverb_inside_is_a_funding_round() -> None:
    ex = extract("Lumora AB tog i fjol in 400 miljoner kronor från EQT och Nvidia.", date="2026-05-04")
    inv = only_investment(ex)
    assert party(inv.target) == "Lumora AB" and investors(ex) == {"EQT", "Nvidia"}
    assert inv.status is FactStatus.COMPLETED
    assert inv.event_date is not None and inv.event_date.value.year == 2025


def test_sv_funding_round_led_by_an_investor() -> None:
    ex = extract("Den svenska startupen Lovable har rest 200 miljoner dollar i en finansieringsrunda ledd av Accel.")
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.target), party(inv.country)) == ("Accel", "Lovable", "SE")
    assert inv.amount is not None and inv.amount.value == Decimal("200000000")


def test_sv_the_company_points_back() -> None:
    ex = extract("Vinterdata AB presenterade planerna i Luleå. Bolaget investerar 2 miljarder kronor i Finland.")
    assert [(party(i.investor), party(i.country)) for i in ex.investments] == [("Vinterdata AB", "FI")]


def test_sv_negated_investments_and_partnerships_give_no_fact() -> None:
    ex = extract(
        "Amazon kommer inte att investera 2 miljarder euro i Tyskland, uppger bolaget. "
        "Nvidia investerade aldrig i Lumora AB. "
        "Vinterdata AB har inte ingått något avtal med Telia. "
        "Ericsson och Nokia utesluter ett samarbete med Huawei."
    )
    assert ex.investments == []
    assert ex.partnerships == []
    assert {"Amazon", "Nvidia", "Lumora AB", "Vinterdata AB", "Telia", "Huawei"} <= orgs(
        ex
    )  # the names are still found


def test_sv_not_only_is_no_denial_but_refraining_is() -> None:
    ex = extract(
        "Microsoft investerar inte bara i Sverige utan också 2 miljarder kronor i Norge. "
        "Amazon avstår från att investera 1 miljard euro i Finland."
    )
    assert [party(i.investor) for i in ex.investments] == ["Microsoft"]
    assert ex.investments[0].amount is not None and ex.investments[0].amount.value == Decimal("2000000000")


def test_sv_hedged_investments_are_marked_hedged() -> None:
    ex = extract(
        "Google överväger att investera 600 miljoner euro i Danmark. "
        "OpenAI skulle kunna investera upp till 10 miljarder dollar i ett datacenter i Norge."
    )
    found = {(party(i.investor), party(i.country)): i for i in ex.investments}
    assert set(found) == {("Google", "DK"), ("OpenAI", "NO")}
    assert all(i.hedged and i.status is FactStatus.PLANNED for i in found.values())
    amount = found[("OpenAI", "NO")].amount
    assert amount is not None and amount.qualifier == "up_to"


def test_sv_reported_investment_is_a_rumour() -> None:
    ex = extract("Enligt uppgifter ska Nvidia ha investerat 1 miljard dollar i Mistral AI.")
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.target)) == ("Nvidia", "Mistral AI")
    assert inv.hedged and inv.status is FactStatus.RUMOURED


def test_sv_revenue_and_valuation_are_no_investments() -> None:
    ex = extract(
        "Intäkterna för Nvidia steg till 30 miljarder dollar under kvartalet. "
        "Lumora AB värderas till 12 miljarder kronor."
    )
    assert [a.value for a in ex.amounts] == [Decimal("30000000000"), Decimal("12000000000")]
    assert ex.investments == []
    assert ex.partnerships == []


def test_sv_relative_dates_resolve_against_the_article_date() -> None:
    agreed = extract("Ericsson och Telia tecknade i går ett avtal om ett datacenter i Finland.", date="2026-11-20")
    partnership = agreed.partnerships[0]
    assert partnership.status is FactStatus.AGREED and partnership.event_date is not None
    assert (partnership.event_date.value.isoformat(), partnership.event_date.precision) == (
        "2026-11-19",
        DatePrecision.DAY,
    )
    invested = extract("Microsoft investerade i fjol 33,7 miljarder kronor i Sverige.", date="2026-11-20")
    investment = invested.investments[0]
    assert investment.status is FactStatus.COMPLETED and investment.event_date is not None
    assert (investment.event_date.value.year, investment.event_date.precision) == (2025, DatePrecision.YEAR)
    planned = extract("Nvidia kommer att investera 2 miljarder euro i Frankrike i mars.", date="2026-11-20")
    plan = planned.investments[0]
    assert plan.status is FactStatus.PLANNED and plan.event_date is not None
    assert (plan.event_date.value.month, plan.event_date.precision) == (3, DatePrecision.MONTH)


# --------------------------------------------------------------------------- partnerships


def test_sv_partnership_with() -> None:
    ex = extract("Ericsson har tecknat ett samarbetsavtal med Telia för att bygga ut 5G-nätet.")
    assert pairs(ex) == {frozenset(("Ericsson", "Telia"))}
    assert not ex.partnerships[0].hedged and ex.partnerships[0].status is FactStatus.AGREED
    assert ex.investments == []


def test_sv_joint_subjects_of_a_compound_agreement() -> None:
    ex = extract("Vattenfall och Microsoft har ingått ett elavtal för datacentret i Luleå.")
    assert pairs(ex) == {frozenset(("Vattenfall", "Microsoft"))}


def test_sv_consortium_pairs_every_member() -> None:
    ex = extract("Nvidia, Microsoft och Ericsson bildar ett konsortium för AI-infrastruktur i Sverige.")
    assert pairs(ex) == {
        frozenset(("Nvidia", "Microsoft")),
        frozenset(("Nvidia", "Ericsson")),
        frozenset(("Microsoft", "Ericsson")),
    }


def test_sv_negotiations_are_a_hedged_partnership_and_the_source_is_no_partner() -> None:
    ex = extract("Enligt Reuters förhandlar Ericsson med Nokia om ett gemensamt bolag för 6G.")
    assert pairs(ex) == {frozenset(("Ericsson", "Nokia"))}
    assert ex.partnerships[0].hedged and ex.partnerships[0].status is FactStatus.PLANNED


# --------------------------------------------------------------------------- the rules alone


@pytest.mark.usefixtures("rules_only_facts")
def test_sv_rules_alone_read_the_same_facts() -> None:
    ex = extract(
        "Nvidia investerar 500 miljoner dollar i det franska AI-bolaget Mistral AI. "
        "Vinterdata AB har tagit in 300 miljoner kronor från EQT och Nvidia. "
        "Ericsson har tecknat ett samarbetsavtal med Telia. "
        "Amazon kommer inte att investera 2 miljarder euro i Tyskland."
    )
    got = {(party(i.investor), party(i.target), party(i.country)) for i in ex.investments}
    assert got == {("Nvidia", "Mistral AI", "FR"), ("EQT", "Vinterdata AB", None)}
    assert all(i.confidence is None for i in ex.investments)  # decided by the rules, not the model
    assert pairs(ex) == {frozenset(("Ericsson", "Telia"))}
