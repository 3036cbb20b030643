"""Polish as data: kg's real pipeline on short Polish news sentences written for these tests.

Polish has no pipeline entry of its own, so it runs through ``[default]`` (blank spaCy plus kg's rule
components): every name, amount and fact found here comes from the Polish lexicons
(``ontology/lexicons/{facts,money,names,non_names}/pl.json``), the ``pl`` rows of
``country_aliases.csv`` (Polish inflects country names: ``w Niemczech``, ``z Chin``, ``do Polski``) and
the shared gazetteers; facts are decided by the shipped fact model, whose features are lexicon classes,
and one test pins the rules alone.  Companies such as Lumera S.A., Wolnik AI sp. z o.o. or Nordex Data
sp. z o.o. are invented.  Precision first: the negative cases check that no amount, party or fact is
invented where the words do not state one.
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

extract = extracting("pl")


# --------------------------------------------------------------------------- language


def test_pl_paragraph_is_detected_as_polish() -> None:
    paragraph = (
        "Amerykański koncern technologiczny poinformował w poniedziałek, że rozbuduje swoje centra danych "
        "pod Warszawą. Według zarządu będzie to największa inwestycja firmy w naszym kraju, a polskie urzędy "
        "i przedsiębiorstwa zyskają dostęp do większej mocy obliczeniowej dla sztucznej inteligencji."
    )
    assert detect_language(paragraph) == "pl"


# --------------------------------------------------------------------------- amounts

# (sentence, [(amount text, value, currency, lower bound, qualifier)])
MONEY: list[tuple[str, list[AmountRow]]] = [
    (
        "Spółka pozyskała 1,5 mld zł w nowej emisji akcji.",
        [("1,5 mld zł", Decimal("1500000000"), "PLN", None, None)],
    ),
    (
        "Koszt budowy sięgnie 2 500 mln zł do 2030 r.",
        [("2 500 mln zł", Decimal("2500000000"), "PLN", None, None)],
    ),
    (
        "Nvidia wyda 300 mln dolarów na nowe układy.",
        [("300 mln dolarów", Decimal("300000000"), "USD", None, None)],
    ),
    (
        "Dotacja wyniesie 750 tys. zł, a kredyt 120 mln funtów.",
        [
            ("750 tys. zł", Decimal("750000"), "PLN", None, None),
            ("120 mln funtów", Decimal("120000000"), "GBP", None, None),
        ],
    ),
    (
        "Serwer kosztuje 45 000 zł, a fundusz wnosi 40 mln USD i 3,2 mld PLN.",
        [
            ("45 000 zł", Decimal("45000"), "PLN", None, None),
            ("40 mln USD", Decimal("40000000"), "USD", None, None),
            ("3,2 mld PLN", Decimal("3200000000"), "PLN", None, None),
        ],
    ),
    (
        "Chodzi o miliard dolarów, dwa miliardy euro i półtora miliarda złotych.",
        [
            ("miliard dolarów", Decimal("1000000000"), "USD", None, None),
            ("dwa miliardy euro", Decimal("2000000000"), "EUR", None, None),
            ("półtora miliarda złotych", Decimal("1500000000"), "PLN", None, None),
        ],
    ),
    (
        "Firma wyda 5 miliardów złotych i 200 milionów euro.",
        [
            ("5 miliardów złotych", Decimal("5000000000"), "PLN", None, None),
            ("200 milionów euro", Decimal("200000000"), "EUR", None, None),
        ],
    ),
    (
        "Koszt wyniesie od 2 do 3 mld zł.",
        [("2 do 3 mld zł", Decimal("3000000000"), "PLN", Decimal("2000000000"), None)],
    ),
    (
        "Mowa o kwocie między 10 a 12 mld dolarów.",
        [("10 a 12 mld dolarów", Decimal("12000000000"), "USD", Decimal("10000000000"), None)],
    ),
    (
        "Fundusz wyłoży ponad 800 mln euro, a region około 75 mln zł.",
        [
            ("800 mln euro", Decimal("800000000"), "EUR", None, "more_than"),
            ("75 mln zł", Decimal("75000000"), "PLN", None, "about"),
        ],
    ),
    (
        "Fundusz może zainwestować do 2 mld koron norweskich.",
        [("2 mld koron norweskich", Decimal("2000000000"), "NOK", None, "up_to")],
    ),
    # No currency, or a vague quantity: never an amount.
    ("Usługa ma już 3 mln użytkowników w Polsce.", []),
    ("Setki milionów złotych i kilka miliardów dolarów są w grze.", []),
]


@pytest.mark.parametrize(("text", "expected"), MONEY, ids=[m[0][:40] for m in MONEY])
def test_pl_amounts(text: str, expected: list[AmountRow]) -> None:
    got = amount_rows(text, "pl")
    assert got == expected


def test_pl_amounts_in_the_pipeline_carry_value_and_currency() -> None:
    ex = extract("Microsoft zainwestuje 2,8 mld zł w chmurę i sztuczną inteligencję w Polsce.")
    assert [(a.text, a.value, a.currency) for a in ex.amounts] == [("2,8 mld zł", Decimal("2800000000"), "PLN")]


# --------------------------------------------------------------------------- names


def test_pl_known_and_unknown_organizations() -> None:
    ex = extract(
        "Orange i Capgemini wybrały firmę Lumera S.A. na dostawcę serwerów. "
        "Oferty złożyły też Nordex Data sp. z o.o. oraz szwedzka Kallberg Energi AB."
    )
    assert orgs(ex) == {"Orange", "Capgemini", "Lumera S.A.", "Nordex Data sp. z o.o.", "Kallberg Energi AB"}
    known = {m.text: m.key for m in ex.mentions if m.kind is EntityKind.ORGANIZATION}
    assert (known["Orange"], known["Capgemini"]) == ("orange", "capgemini")
    assert known["Nordex Data sp. z o.o."] is None  # no gazetteer entry: found by its legal form


def test_pl_known_names_in_regular_case_forms() -> None:
    ex = extract(
        "Inwestycja Microsoftu ucieszyła rząd, a Orange podpisał umowę z Microsoftem. "
        "Serwery Google'a i Intela stoją w Finlandii."
    )
    found = {m.text: m.key for m in ex.mentions if m.kind is EntityKind.ORGANIZATION}
    assert found == {
        "Microsoftu": "microsoft",
        "Orange": "orange",
        "Microsoftem": "microsoft",
        "Google'a": "google",
        "Intela": "intel",
    }


def test_pl_countries_in_inflected_forms() -> None:
    ex = extract(
        "Rządy Polski, Niemiec i Francji rozmawiają o chipach. Fabryka powstanie na Litwie, w Czechach "
        "lub w Stanach Zjednoczonych, a ZEA i Arabia Saudyjska kupują układy z Korei Południowej, "
        "Wielkiej Brytanii, Chin i Japonii. Inwestorzy z Niderlandów wybierają Polskę."
    )
    found = {m.text: m.key for m in ex.mentions if m.kind is EntityKind.COUNTRY}
    assert found == {
        "Polski": "PL",
        "Niemiec": "DE",
        "Francji": "FR",
        "Litwie": "LT",
        "Czechach": "CZ",
        "Stanach Zjednoczonych": "US",
        "ZEA": "AE",
        "Arabia Saudyjska": "SA",
        "Korei Południowej": "KR",
        "Wielkiej Brytanii": "GB",
        "Chin": "CN",
        "Japonii": "JP",
        "Niderlandów": "NL",
        "Polskę": "PL",
    }


def test_pl_persons_after_role_words() -> None:
    ex = extract(
        "Minister cyfryzacji Krzysztof Gawkowski pochwalił decyzję, a prezes spółki Anna Kowalska "
        "powiedziała, że firma rośnie."
    )
    assert persons(ex) == {"Krzysztof Gawkowski", "Anna Kowalska"}
    assert orgs(ex) == set()


def test_pl_laws_and_demonym_phrases_are_no_organizations() -> None:
    ex = extract("Ustawa o sztucznej inteligencji obejmie też Polskie start-upy i Europejski rynek chmury.")
    assert orgs(ex) == set()
    assert ex.investments == [] and ex.partnerships == []


# --------------------------------------------------------------------------- investments


def test_pl_investment_with_investor_amount_target_and_destination() -> None:
    ex = extract("Nvidia zainwestuje 500 mln dolarów we francuski start-up Mistral AI.")
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.target), party(inv.country)) == ("Nvidia", "Mistral AI", "FR")
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("500000000"), "USD")
    assert not inv.hedged and inv.status is FactStatus.PLANNED  # a perfective future is a plan
    assert ex.partnerships == []


def test_pl_investment_in_a_country_in_the_locative() -> None:
    ex = extract("Microsoft inwestuje 2,8 mld zł w chmurę i sztuczną inteligencję w Polsce.")
    inv = only_investment(ex)
    assert (party(inv.investor), inv.target, party(inv.country)) == ("Microsoft", None, "PL")
    assert inv.amount is not None and inv.amount.value == Decimal("2800000000")
    assert inv.status is FactStatus.ANNOUNCED


def test_pl_funding_round_names_the_receiver_and_its_investors() -> None:
    ex = extract("Polski start-up Wolnik AI sp. z o.o. pozyskał 40 mln euro od Accel i EQT.")
    inv = only_investment(ex)
    assert party(inv.target) == "Wolnik AI sp. z o.o."
    assert investors(ex) == {"Accel", "EQT"}
    assert party(inv.country) == "PL"  # from the demonym 'Polski'
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("40000000"), "EUR")
    assert inv.status is FactStatus.COMPLETED
    assert ex.partnerships == []


def test_pl_funding_round_led_by_an_investor() -> None:
    ex = extract("Polski start-up Wolnik zebrał 40 mln euro w rundzie prowadzonej przez Accel.")
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.target), party(inv.country)) == ("Accel", "Wolnik", "PL")
    assert inv.amount is not None and inv.amount.value == Decimal("40000000")


def test_pl_acquisition_named_by_a_noun_with_its_object_in_the_genitive() -> None:
    ex = extract("EQT sfinalizował w 2025 r. przejęcie spółki Lumera SA za 2 mld zł.", date="2026-05-04")
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.target)) == ("EQT", "Lumera SA")
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("2000000000"), "PLN")
    assert inv.status is FactStatus.COMPLETED and inv.event_date is not None
    assert (inv.event_date.value.year, inv.event_date.precision) == (2025, DatePrecision.YEAR)


def test_pl_joint_investors_and_their_demonyms() -> None:
    ex = extract("Amerykański fundusz BlackRock i emirackie MGX zainwestują 30 mld dolarów w centra danych w USA.")
    inv = only_investment(ex)
    assert investors(ex) == {"BlackRock", "MGX"} and party(inv.country) == "US"
    assert inv.amount is not None and inv.amount.value == Decimal("30000000000")


def test_pl_the_company_points_back() -> None:
    ex = extract("Nordex Data sp. z o.o. przedstawiła plany w Gdańsku. Spółka zainwestuje 2 mld zł na Litwie.")
    assert [(party(i.investor), party(i.country)) for i in ex.investments] == [("Nordex Data sp. z o.o.", "LT")]


def test_pl_halted_and_abandoned_investments_are_cancelled() -> None:
    # each in an article of its own: side by side, the fact model fills the empty target of one with the
    # investor of the other ("Amazon -> Intel"), which is no matter of the Polish lexicon
    halted = extract("Intel wstrzymał budowę fabryki chipów w Polsce wartej 4,6 mld dolarów.")
    abandoned = extract("Amazon zrezygnował z inwestycji 3 mld euro we Włoszech.")
    found = {(party(i.investor), party(i.country)): i.status for i in halted.investments + abandoned.investments}
    assert found == {("Intel", "PL"): FactStatus.CANCELLED, ("Amazon", "IT"): FactStatus.CANCELLED}


def test_pl_a_sale_is_no_investment() -> None:
    ex = extract("Orange sprzedał udziały w Lumera SA funduszowi EQT za 300 mln zł.")
    assert [a.value for a in ex.amounts] == [Decimal("300000000")]
    assert ex.investments == []


def test_pl_negated_investments_and_partnerships_give_no_fact() -> None:
    ex = extract(
        "Amazon nie zainwestuje 2 mld euro w Niemczech, podała spółka. "
        "Nvidia nigdy nie zainwestowała w Lumera S.A. "
        "Microsoft nie podpisał umowy z Orange. "
        "Google wyklucza współpracę z Capgemini."
    )
    assert ex.investments == []
    assert ex.partnerships == []
    assert {"Amazon", "Nvidia", "Lumera S.A.", "Microsoft", "Orange", "Google", "Capgemini"} <= orgs(ex)


def test_pl_not_only_is_no_denial() -> None:
    ex = extract("Microsoft inwestuje nie tylko w Polsce, ale też 2 mld zł na Litwie.")
    assert [party(i.investor) for i in ex.investments] == ["Microsoft"]
    assert ex.investments[0].amount is not None and ex.investments[0].amount.value == Decimal("2000000000")


def test_pl_hedged_investments_are_marked_hedged() -> None:
    ex = extract(
        "Google rozważa inwestycję 600 mln euro w Danii. "
        "OpenAI mógłby zainwestować do 10 mld dolarów w centrum danych w Norwegii."
    )
    found = {(party(i.investor), party(i.country)): i for i in ex.investments}
    assert set(found) == {("Google", "DK"), ("OpenAI", "NO")}
    assert all(i.hedged and i.status is FactStatus.PLANNED for i in found.values())
    amount = found[("OpenAI", "NO")].amount
    assert amount is not None and amount.qualifier == "up_to"


def test_pl_reported_investment_is_a_rumour() -> None:
    ex = extract("Według nieoficjalnych informacji Nvidia miała zainwestować 1 mld dolarów w Mistral AI.")
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.target)) == ("Nvidia", "Mistral AI")
    assert inv.hedged and inv.status is FactStatus.RUMOURED


def test_pl_revenue_and_valuation_are_no_investments() -> None:
    ex = extract("Przychody Nvidii wzrosły do 30 mld dolarów w kwartale. Lumera S.A. jest wyceniana na 12 mld zł.")
    assert [a.value for a in ex.amounts] == [Decimal("30000000000"), Decimal("12000000000")]
    assert ex.investments == []
    assert ex.partnerships == []


def test_pl_relative_dates_resolve_against_the_article_date() -> None:
    agreed = extract("Orange i Nvidia podpisały wczoraj umowę o budowie centrum danych.", date="2026-11-20")
    partnership = agreed.partnerships[0]
    assert partnership.status is FactStatus.AGREED and partnership.event_date is not None
    assert (partnership.event_date.value.isoformat(), partnership.event_date.precision) == (
        "2026-11-19",
        DatePrecision.DAY,
    )
    invested = extract("Microsoft zainwestował w zeszłym roku 2,8 mld zł w Polsce.", date="2026-11-20")
    investment = invested.investments[0]
    assert investment.status is FactStatus.COMPLETED and investment.event_date is not None
    assert (investment.event_date.value.year, investment.event_date.precision) == (2025, DatePrecision.YEAR)
    planned = extract("Google zainwestuje 2 mld euro we Francji w marcu.", date="2026-11-20")
    plan = planned.investments[0]
    assert plan.status is FactStatus.PLANNED and plan.event_date is not None
    assert (plan.event_date.value.month, plan.event_date.precision) == (3, DatePrecision.MONTH)


# --------------------------------------------------------------------------- partnerships


def test_pl_partnership_with_an_inflected_partner() -> None:
    ex = extract("Orange podpisał umowę o współpracy z Microsoftem.")
    assert pairs(ex) == {frozenset(("Orange", "Microsoftem"))}
    assert not ex.partnerships[0].hedged and ex.partnerships[0].status is FactStatus.AGREED
    assert ex.investments == []


def test_pl_joint_subjects_of_an_agreement() -> None:
    ex = extract("Microsoft i OpenAI zawarły porozumienie o partnerstwie w zakresie chmury.")
    assert pairs(ex) == {frozenset(("Microsoft", "OpenAI"))}
    assert ex.partnerships[0].status is FactStatus.AGREED


def test_pl_two_countries_sign_a_memorandum() -> None:
    ex = extract("Polska i Korea Południowa podpisały memorandum o współpracy w dziedzinie półprzewodników.")
    assert pairs(ex) == {frozenset(("PL", "KR"))}
    assert ex.partnerships[0].status is FactStatus.AGREED


def test_pl_a_letter_of_intent_is_a_plan() -> None:
    ex = extract(
        "Niemiecki koncern Siemens podpisał list intencyjny z Orange w sprawie farmy wiatrowej dla serwerowni."
    )
    assert pairs(ex) == {frozenset(("Siemens", "Orange"))}
    assert ex.partnerships[0].hedged and ex.partnerships[0].status is FactStatus.PLANNED


def test_pl_consortium_pairs_every_member() -> None:
    ex = extract("Google i Orange utworzą konsorcjum wraz z Nvidia.")
    assert pairs(ex) == {
        frozenset(("Google", "Orange")),
        frozenset(("Google", "Nvidia")),
        frozenset(("Orange", "Nvidia")),
    }


def test_pl_negotiations_are_a_hedged_partnership_and_the_source_is_no_partner() -> None:
    ex = extract("Jak podaje Reuters, Orange negocjuje z Capgemini utworzenie wspólnej spółki.")
    assert "Reuters" in orgs(ex)
    assert pairs(ex) == {frozenset(("Orange", "Capgemini"))}
    assert ex.partnerships[0].hedged and ex.partnerships[0].status is FactStatus.PLANNED


# --------------------------------------------------------------------------- the rules alone


@pytest.mark.usefixtures("rules_only_facts")
def test_pl_rules_alone_read_the_same_facts() -> None:
    ex = extract(
        "Nvidia zainwestuje 500 mln dolarów we francuski start-up Mistral AI. "
        "Wolnik AI sp. z o.o. pozyskał 40 mln euro od Accel. "
        "Orange podpisał umowę o współpracy z Microsoftem. "
        "Amazon nie zainwestuje 2 mld euro w Niemczech."
    )
    got = {(party(i.investor), party(i.target), party(i.country)) for i in ex.investments}
    assert got == {("Nvidia", "Mistral AI", "FR"), ("Accel", "Wolnik AI sp. z o.o.", None)}
    assert all(i.confidence is None for i in ex.investments)  # decided by the rules, not the model
    assert pairs(ex) == {frozenset(("Orange", "Microsoftem"))}
