"""Norwegian Bokmål as data: kg's real pipeline on short Bokmål news sentences written for these tests.

Bokmål has no pipeline entry of its own, so it runs through ``[default]`` (blank spaCy plus kg's rule
components): every name, amount and fact found here comes from the Bokmål lexicons
(``ontology/lexicons/{facts,money,names,non_names}/nb.json``), the ``nb`` rows of
``country_aliases.csv`` and the shared gazetteers; facts are decided by the shipped fact model, whose
features are lexicon classes, and one test pins the rules alone.  Companies such as Fjordlys Data AS,
Nordsjø Kapital ASA or Vinterkraft AB are invented.  Precision first: the negative cases check that
no amount or fact is invented where the words do not state one.
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

extract = extracting("nb")


# --------------------------------------------------------------------------- language


def test_nb_paragraph_is_detected_as_norwegian() -> None:
    paragraph = (
        "Teknologigiganten kunngjorde mandag at selskapet skal bygge ut datasentrene sine i Nord-Norge. "
        "Satsingen er den største i selskapets historie her i landet og skal gi norske virksomheter og "
        "offentlige etater tilgang til mer regnekraft for kunstig intelligens."
    )
    assert detect_language(paragraph) == "nb"


# --------------------------------------------------------------------------- amounts

# (sentence, [(amount text, value, currency, lower bound, qualifier)])
MONEY: list[tuple[str, list[AmountRow]]] = [
    (
        "Selskapet henter 1,5 milliarder kroner i en rettet emisjon.",
        [("1,5 milliarder kroner", Decimal("1500000000"), "NOK", None, None)],
    ),
    (
        "Investeringen er på 2 500 millioner kroner fram mot 2030.",
        [("2 500 millioner kroner", Decimal("2500000000"), "NOK", None, None)],
    ),
    (
        "Staten skyter inn 5 mrd. kr og kommunen 300 mill. kr i år.",
        [
            ("5 mrd. kr", Decimal("5000000000"), "NOK", None, None),
            ("300 mill. kr", Decimal("300000000"), "NOK", None, None),
        ],
    ),
    (
        "Fondet tilfører 2 mrdkr og 40 MNOK til prosjektet.",
        [
            ("2 mrdkr", Decimal("2000000000"), "NOK", None, None),
            ("40 MNOK", Decimal("40000000"), "NOK", None, None),
        ],
    ),
    (
        "Det dreier seg om en milliard kroner og tre milliarder dollar.",
        [
            ("en milliard kroner", Decimal("1000000000"), "NOK", None, None),
            ("tre milliarder dollar", Decimal("3000000000"), "USD", None, None),
        ],
    ),
    (
        "Kostnaden havner mellom 2 og 3 milliarder kroner.",
        [("2 og 3 milliarder kroner", Decimal("3000000000"), "NOK", Decimal("2000000000"), None)],
    ),
    (
        "EU satser drøyt 800 millioner euro og fylket rundt 75 millioner kroner.",
        [
            ("800 millioner euro", Decimal("800000000"), "EUR", None, "more_than"),
            ("75 millioner kroner", Decimal("75000000"), "NOK", None, "about"),
        ],
    ),
    (
        "Fondet kan investere opptil 2 milliarder svenske kroner.",
        [("2 milliarder svenske kroner", Decimal("2000000000"), "SEK", None, "up_to")],
    ),
    # No currency, or a vague quantity: never an amount.
    ("Tjenesten har 3 millioner brukere i Norden.", []),
    ("Hundrevis av millioner kroner står på spill.", []),
]


@pytest.mark.parametrize(("text", "expected"), MONEY, ids=[m[0][:40] for m in MONEY])
def test_nb_amounts(text: str, expected: list[AmountRow]) -> None:
    got = amount_rows(text, "nb")
    assert got == expected


# --------------------------------------------------------------------------- names


def test_nb_known_and_legal_form_organizations() -> None:
    ex = extract(
        "Telenor og Equinor har valgt Fjordlys Data AS som leverandør. "
        "Også Nordsjø Kapital ASA og svenske Vinterkraft AB la inn anbud."
    )
    assert orgs(ex) == {"Telenor", "Equinor", "Fjordlys Data AS", "Nordsjø Kapital ASA", "Vinterkraft AB"}
    known = {m.text: m.key for m in ex.mentions if m.kind is EntityKind.ORGANIZATION}
    assert known["Fjordlys Data AS"] is None  # no gazetteer entry: found by its legal form
    assert known["Telenor"] is not None and known["Equinor"] is not None


def test_nb_countries_in_genitive_and_short_forms() -> None:
    ex = extract(
        "Norges regjering vil tiltrekke investeringer fra USAs teknologigiganter. "
        "Kinas og Tysklands brikkeindustri vokser, mens De forente arabiske emirater og Saudi-Arabias fond kjøper. "
        "Storbritannias og Nederlands eksportregler strammes inn, også i Sør-Korea."
    )
    found = {m.text: m.key for m in ex.mentions if m.kind is EntityKind.COUNTRY}
    assert found == {
        "Norges": "NO",
        "USAs": "US",
        "Kinas": "CN",
        "Tysklands": "DE",
        "De forente arabiske emirater": "AE",
        "Saudi-Arabias": "SA",
        "Storbritannias": "GB",
        "Nederlands": "NL",
        "Sør-Korea": "KR",
    }


def test_nb_persons_before_and_after_role_words() -> None:
    ex = extract(
        "Næringsminister Cecilie Myrseth ønsket nyheten velkommen, og selskapets konsernsjef "
        "Kari Nordmann sa at det vokser. Det sier Sigve Brekke, konsernsjef i Telenor."
    )
    assert persons(ex) == {"Cecilie Myrseth", "Kari Nordmann", "Sigve Brekke"}
    assert orgs(ex) == {"Telenor"}


# --------------------------------------------------------------------------- investments


def test_nb_investment_with_investor_amount_target_and_destination() -> None:
    ex = extract("Nvidia investerer 500 millioner dollar i det franske AI-selskapet Mistral AI.")
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.target), party(inv.country)) == ("Nvidia", "Mistral AI", "FR")
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("500000000"), "USD")
    assert not inv.hedged and inv.status is FactStatus.ANNOUNCED
    assert ex.partnerships == []


def test_nb_investment_in_a_country_and_a_known_city() -> None:
    ex = extract("Microsoft investerer 20 milliarder kroner i skyinfrastruktur og KI i Norge.")
    assert [(party(i.investor), i.target, party(i.country)) for i in ex.investments] == [("Microsoft", None, "NO")]
    city = extract("Microsoft bygger et nytt datasenter i Narvik for 10 milliarder kroner.")
    inv = only_investment(city)
    assert (party(inv.investor), party(inv.country), inv.country_inferred) == ("Microsoft", "NO", True)
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("10000000000"), "NOK")


def test_nb_the_state_invests_in_a_company() -> None:
    ex = extract("Den norske staten investerer 1 milliard kroner i Fjordlys Data AS.")
    inv = only_investment(ex)
    assert inv.investor is not None and inv.investor.kind is EntityKind.COUNTRY
    assert (party(inv.investor), party(inv.target)) == ("NO", "Fjordlys Data AS")
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("1000000000"), "NOK")


def test_nb_funding_round_names_the_receiver_and_its_investors() -> None:
    ex = extract("Fjordlys Data AS har hentet 400 millioner kroner fra EQT og Nvidia.")
    inv = only_investment(ex)
    assert party(inv.target) == "Fjordlys Data AS"
    assert investors(ex) == {"EQT", "Nvidia"}
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("400000000"), "NOK")
    assert inv.status is FactStatus.COMPLETED
    assert ex.partnerships == []


def test_nb_particle_verb_with_an_adverb_inside_is_a_funding_round() -> None:
    ex = extract("Fjordlys Data AS hentet i fjor inn 300 millioner kroner fra EQT og Nvidia.", date="2026-05-04")
    inv = only_investment(ex)
    assert party(inv.target) == "Fjordlys Data AS" and investors(ex) == {"EQT", "Nvidia"}
    assert inv.status is FactStatus.COMPLETED
    assert inv.event_date is not None and inv.event_date.value.year == 2025


def test_nb_funding_round_led_by_an_investor() -> None:
    ex = extract(
        "Det norske oppstartsselskapet Fjordlys Data AS har reist 200 millioner dollar "
        "i en finansieringsrunde ledet av Accel."
    )
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.target), party(inv.country)) == ("Accel", "Fjordlys Data AS", "NO")
    assert inv.amount is not None and inv.amount.value == Decimal("200000000")


def test_nb_the_company_points_back() -> None:
    ex = extract("Fjordlys Data AS presenterte planene i Narvik. Selskapet investerer 2 milliarder kroner i Finland.")
    assert [(party(i.investor), party(i.country)) for i in ex.investments] == [("Fjordlys Data AS", "FI")]


def test_nb_negated_investments_and_partnerships_give_no_fact() -> None:
    ex = extract(
        "Amazon vil ikke investere 2 milliarder euro i Tyskland, opplyser selskapet. "
        "Nvidia investerte aldri i Fjordlys Data AS. "
        "Telenor har ikke inngått noen avtale med Telia. "
        "Amazon avstår fra å investere 1 milliard euro i Finland."
    )
    assert ex.investments == []
    assert ex.partnerships == []
    assert {"Amazon", "Nvidia", "Fjordlys Data AS", "Telenor", "Telia"} <= orgs(ex)  # the names are still found


def test_nb_hedged_investments_are_marked_hedged() -> None:
    ex = extract(
        "Google vurderer å investere 600 millioner euro i Danmark. "
        "Microsoft utelukker ikke å investere 3 milliarder kroner i Norge. "
        "OpenAI kan komme til å investere opptil 10 milliarder dollar i et datasenter i Narvik."
    )
    found = {(party(i.investor), party(i.country)): i for i in ex.investments}
    assert set(found) == {("Google", "DK"), ("Microsoft", "NO"), ("OpenAI", "NO")}
    assert all(i.hedged and i.status is FactStatus.PLANNED for i in found.values())
    amount = found[("OpenAI", "NO")].amount
    assert amount is not None and amount.qualifier == "up_to"


def test_nb_reported_investment_is_a_rumour() -> None:
    ex = extract("Ifølge kilder skal Nvidia ha investert 1 milliard dollar i Mistral AI.")
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.target)) == ("Nvidia", "Mistral AI")
    assert inv.hedged and inv.status is FactStatus.RUMOURED


def test_nb_revenue_and_valuation_are_no_investments() -> None:
    ex = extract(
        "Inntektene til Nvidia steg til 30 milliarder dollar i kvartalet. "
        "Fjordlys Data AS verdsettes til 12 milliarder kroner."
    )
    assert [a.value for a in ex.amounts] == [Decimal("30000000000"), Decimal("12000000000")]
    assert ex.investments == []
    assert ex.partnerships == []


def test_nb_relative_dates_resolve_against_the_article_date() -> None:
    agreed = extract("Telenor og Telia signerte i går en avtale om et datasenter i Finland.", date="2026-11-20")
    partnership = agreed.partnerships[0]
    assert partnership.status is FactStatus.AGREED and partnership.event_date is not None
    assert (partnership.event_date.value.isoformat(), partnership.event_date.precision) == (
        "2026-11-19",
        DatePrecision.DAY,
    )
    invested = extract("Microsoft investerte i fjor 6 milliarder kroner i Norge.", date="2026-11-20")
    investment = invested.investments[0]
    assert investment.status is FactStatus.COMPLETED and investment.event_date is not None
    assert (investment.event_date.value.year, investment.event_date.precision) == (2025, DatePrecision.YEAR)


# --------------------------------------------------------------------------- partnerships


def test_nb_partnership_with() -> None:
    ex = extract("Telenor har inngått en samarbeidsavtale med Ericsson for å bygge ut 5G-nettet.")
    assert pairs(ex) == {frozenset(("Telenor", "Ericsson"))}
    assert not ex.partnerships[0].hedged and ex.partnerships[0].status is FactStatus.AGREED
    assert ex.investments == []


def test_nb_joint_subjects_and_a_consortium() -> None:
    ex = extract("Equinor og Microsoft har inngått en kraftavtale for datasenteret i Stavanger.")
    assert pairs(ex) == {frozenset(("Equinor", "Microsoft"))}
    consortium = extract("Nvidia, Microsoft og Telenor danner et konsortium for KI-infrastruktur i Norge.")
    assert pairs(consortium) == {
        frozenset(("Nvidia", "Microsoft")),
        frozenset(("Nvidia", "Telenor")),
        frozenset(("Microsoft", "Telenor")),
    }


def test_nb_negotiations_are_a_hedged_partnership_and_the_source_is_no_partner() -> None:
    ex = extract("Ifølge Reuters forhandler Telenor med Telia om et felles selskap for 6G.")
    assert pairs(ex) == {frozenset(("Telenor", "Telia"))}
    assert ex.partnerships[0].hedged and ex.partnerships[0].status is FactStatus.PLANNED


# --------------------------------------------------------------------------- the rules alone


@pytest.mark.usefixtures("rules_only_facts")
def test_nb_rules_alone_read_the_same_facts() -> None:
    ex = extract(
        "Nvidia investerer 500 millioner dollar i det franske AI-selskapet Mistral AI. "
        "Fjordlys Data AS har hentet 400 millioner kroner fra EQT og Nvidia. "
        "Telenor har inngått en samarbeidsavtale med Ericsson. "
        "Amazon vil ikke investere 2 milliarder euro i Tyskland."
    )
    got = {(party(i.investor), party(i.target), party(i.country)) for i in ex.investments}
    assert got == {("Nvidia", "Mistral AI", "FR"), ("EQT", "Fjordlys Data AS", None)}
    assert all(i.confidence is None for i in ex.investments)  # decided by the rules, not the model
    assert pairs(ex) == {frozenset(("Telenor", "Ericsson"))}
