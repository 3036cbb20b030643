"""Danish as data: kg's real pipeline on short Danish news sentences written for these tests.

Danish has no pipeline entry of its own, so it runs through ``[default]`` (blank spaCy plus kg's rule
components): every name, amount and fact found here comes from the Danish lexicons
(``ontology/lexicons/{facts,money,names,non_names}/da.json``), the ``da`` rows of
``country_aliases.csv`` and the shared gazetteers; facts are decided by the shipped fact model.
Companies such as Nordlys Data A/S, Vestkyst Kapital ApS or Kallvik AB are invented.  A legal form
right before a full stop ("... A/S.") is split by spaCy's Danish tokenizer, so these sentences keep
the legal forms inside the sentence.
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

extract = extracting("da")


# --------------------------------------------------------------------------- language


def test_da_paragraph_is_detected_as_danish() -> None:
    paragraph = (
        "Techgiganten meddelte mandag, at selskabet udvider sine datacentre i Jylland. "
        "Investeringen er den største i virksomhedens historie i landet og skal give danske myndigheder "
        "og erhvervslivet adgang til mere regnekraft til kunstig intelligens."
    )
    assert detect_language(paragraph) == "da"


# --------------------------------------------------------------------------- amounts

# (sentence, [(amount text, value, currency, lower bound, qualifier)])
MONEY: list[tuple[str, list[AmountRow]]] = [
    (
        "Selskabet henter 2 mia. kr. i en ny runde.",
        [("2 mia. kr.", Decimal("2000000000"), "DKK", None, None)],
    ),
    (
        "Det koster 300 mio. kr. og 1,5 mia. euro samt 45.000 kr.",
        [
            ("300 mio. kr.", Decimal("300000000"), "DKK", None, None),
            ("1,5 mia. euro", Decimal("1500000000"), "EUR", None, None),
            ("45.000 kr.", Decimal("45000"), "DKK", None, None),
        ],
    ),
    (
        "Staten giver 10 mia.kr. og 5 mio.kr. til projektet.",
        [
            ("10 mia.kr.", Decimal("10000000000"), "DKK", None, None),
            ("5 mio.kr.", Decimal("5000000"), "DKK", None, None),
        ],
    ),
    (
        "Fonden giver DKK 40 mio. og 3,2 milliarder kroner.",
        [
            ("DKK 40 mio.", Decimal("40000000"), "DKK", None, None),
            ("3,2 milliarder kroner", Decimal("3200000000"), "DKK", None, None),
        ],
    ),
    (
        "Det drejer sig om en milliard kroner og tre milliarder dollar.",
        [
            ("en milliard kroner", Decimal("1000000000"), "DKK", None, None),
            ("tre milliarder dollar", Decimal("3000000000"), "USD", None, None),
        ],
    ),
    (
        "Prisen ligger mellem 2 og 3 milliarder kroner.",
        [("2 og 3 milliarder kroner", Decimal("3000000000"), "DKK", Decimal("2000000000"), None)],
    ),
    (
        "EU satser godt 800 millioner euro og regionen cirka 75 mio. kr.",
        [
            ("800 millioner euro", Decimal("800000000"), "EUR", None, "more_than"),
            ("75 mio. kr.", Decimal("75000000"), "DKK", None, "about"),
        ],
    ),
    (
        "Fonden kan investere op til 2 milliarder norske kroner.",
        [("2 milliarder norske kroner", Decimal("2000000000"), "NOK", None, "up_to")],
    ),
    # No currency, or a vague quantity: never an amount.
    ("Tjenesten har 3 millioner brugere i Norden.", []),
    ("Hundredvis af millioner kroner står på spil.", []),
]


@pytest.mark.parametrize(("text", "expected"), MONEY, ids=[m[0][:40] for m in MONEY])
def test_da_amounts(text: str, expected: list[AmountRow]) -> None:
    got = amount_rows(text, "da")
    assert got == expected


# --------------------------------------------------------------------------- names


def test_da_known_and_legal_form_organizations() -> None:
    ex = extract(
        "Vestas og Ørsted har valgt Nordlys Data A/S som leverandør, "
        "og også Vestkyst Kapital ApS og svenske Kallvik AB afgav bud."
    )
    assert orgs(ex) == {"Vestas", "Ørsted", "Nordlys Data A/S", "Vestkyst Kapital ApS", "Kallvik AB"}
    known = {m.text: m.key for m in ex.mentions if m.kind is EntityKind.ORGANIZATION}
    assert (known["Vestas"], known["Ørsted"]) == ("vestas", "orsted")
    assert known["Nordlys Data A/S"] is None  # no gazetteer entry: found by its legal form


def test_da_countries_in_genitive_and_short_forms() -> None:
    ex = extract(
        "Danmarks regering vil tiltrække investeringer fra USA's techgiganter. "
        "Kinas og Tysklands chipindustri vokser, mens De Forenede Arabiske Emirater og Saudi-Arabiens fonde køber. "
        "Storbritanniens og Nederlandenes eksportregler strammes, ligesom i Sydkorea."
    )
    found = {m.text: m.key for m in ex.mentions if m.kind is EntityKind.COUNTRY}
    assert found == {
        "Danmarks": "DK",
        "USA's": "US",
        "Kinas": "CN",
        "Tysklands": "DE",
        "De Forenede Arabiske Emirater": "AE",
        "Saudi-Arabiens": "SA",
        "Storbritanniens": "GB",
        "Nederlandenes": "NL",
        "Sydkorea": "KR",
    }


def test_da_persons_after_role_words() -> None:
    ex = extract(
        "Erhvervsminister Morten Bødskov glædede sig over nyheden, "
        "og selskabets direktør Mette Hansen sagde, at det vokser."
    )
    assert persons(ex) == {"Morten Bødskov", "Mette Hansen"}


def test_da_laws_and_demonym_phrases_are_no_organizations() -> None:
    ex = extract("Den nye AI-forordning og Databeskyttelsesloven gælder også Danske AI-virksomheder.")
    assert orgs(ex) == set()
    assert ex.investments == [] and ex.partnerships == []


# --------------------------------------------------------------------------- investments


def test_da_investment_with_investor_amount_target_and_destination() -> None:
    ex = extract("Nvidia investerer 500 millioner dollar i det franske AI-selskab Mistral AI.")
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.target), party(inv.country)) == ("Nvidia", "Mistral AI", "FR")
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("500000000"), "USD")
    assert not inv.hedged and inv.status is FactStatus.ANNOUNCED
    assert ex.partnerships == []


def test_da_investment_in_a_country_with_an_abbreviated_amount() -> None:
    ex = extract("Microsoft investerer 3,2 mia. kr. i cloudinfrastruktur og AI i Danmark.")
    inv = only_investment(ex)
    assert (party(inv.investor), inv.target, party(inv.country)) == ("Microsoft", None, "DK")
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("3200000000"), "DKK")


def test_da_a_known_city_gives_the_destination() -> None:
    ex = extract("Microsoft bygger et nyt datacenter i Aarhus for 10 mia. kr.")
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.country), inv.country_inferred) == ("Microsoft", "DK", True)
    assert inv.amount is not None and inv.amount.value == Decimal("10000000000")


def test_da_funding_round_names_the_receiver_and_its_investors() -> None:
    ex = extract("Nordlys Data A/S har hentet 400 millioner kroner fra EQT og Nvidia.")
    inv = only_investment(ex)
    assert party(inv.target) == "Nordlys Data A/S"
    assert investors(ex) == {"EQT", "Nvidia"}
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("400000000"), "DKK")
    assert inv.status is FactStatus.COMPLETED
    assert ex.partnerships == []


def test_da_particle_verb_with_an_adverb_inside_is_a_funding_round() -> None:
    ex = extract("Nordlys Data A/S hentede i fjor 500 mio. kr. ind fra EQT og Nvidia.", date="2026-05-04")
    inv = only_investment(ex)
    assert party(inv.target) == "Nordlys Data A/S" and investors(ex) == {"EQT", "Nvidia"}
    assert inv.status is FactStatus.COMPLETED
    assert inv.event_date is not None and inv.event_date.value.year == 2025


def test_da_funding_round_led_by_an_investor() -> None:
    ex = extract("Den danske startup Corti har rejst 700 millioner kroner i en runde ledet af Accel.")
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.target), party(inv.country)) == ("Accel", "Corti", "DK")
    assert inv.amount is not None and inv.amount.value == Decimal("700000000")


def test_da_the_company_points_back() -> None:
    ex = extract("Nordlys Data A/S præsenterede planerne i Aarhus. Selskabet investerer 2 milliarder kroner i Finland.")
    assert [(party(i.investor), party(i.country)) for i in ex.investments] == [("Nordlys Data A/S", "FI")]


def test_da_negated_investments_and_partnerships_give_no_fact() -> None:
    ex = extract(
        "Amazon vil ikke investere 2 milliarder euro i Tyskland, oplyser selskabet. "
        "Amazon afstår fra at investere 1 milliard euro i Finland. "
        "Vestas og Nokia udelukker et samarbejde med Huawei."
    )
    assert ex.investments == []
    assert ex.partnerships == []
    assert {"Amazon", "Vestas", "Nokia", "Huawei"} <= orgs(ex)  # the names are still found


def test_da_hedged_investments_are_marked_hedged() -> None:
    ex = extract("Google overvejer at investere 600 millioner euro i Finland.")
    inv = ex.investments[0]
    assert (len(ex.investments), party(inv.investor), party(inv.country)) == (1, "Google", "FI")
    assert inv.hedged and inv.status is FactStatus.PLANNED
    could = extract("OpenAI kunne investere op til 10 milliarder dollar i et datacenter i Norge.")
    inv = could.investments[0]
    assert (party(inv.investor), party(inv.country)) == ("OpenAI", "NO")
    assert inv.hedged and inv.amount is not None and inv.amount.qualifier == "up_to"


def test_da_not_ruling_out_is_a_hedge_not_a_denial() -> None:
    ex = extract("Meta udelukker ikke at investere 1 milliard dollar i Danmark.")
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.country)) == ("Meta", "DK")
    assert inv.hedged and inv.status is FactStatus.PLANNED


def test_da_reported_investment_is_a_rumour() -> None:
    ex = extract("Ifølge kilder skal Nvidia have investeret 1 milliard dollar i Mistral AI.")
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.target)) == ("Nvidia", "Mistral AI")
    assert inv.hedged and inv.status is FactStatus.RUMOURED


def test_da_revenue_and_valuation_are_no_investments() -> None:
    ex = extract(
        "Omsætningen for Nvidia steg til 30 milliarder dollar i kvartalet. "
        "Nordlys Data A/S værdiansættes til 12 milliarder kroner."
    )
    assert [a.value for a in ex.amounts] == [Decimal("30000000000"), Decimal("12000000000")]
    assert ex.investments == []
    assert ex.partnerships == []


def test_da_relative_dates_resolve_against_the_article_date() -> None:
    agreed = extract("Ørsted og Microsoft underskrev i går en aftale om et datacenter i Finland.", date="2026-11-20")
    partnership = agreed.partnerships[0]
    assert partnership.status is FactStatus.AGREED and partnership.event_date is not None
    assert (partnership.event_date.value.isoformat(), partnership.event_date.precision) == (
        "2026-11-19",
        DatePrecision.DAY,
    )
    invested = extract("Microsoft investerede i fjor 3,2 mia. kr. i Danmark.", date="2026-11-20")
    investment = invested.investments[0]
    assert investment.status is FactStatus.COMPLETED and investment.event_date is not None
    assert (investment.event_date.value.year, investment.event_date.precision) == (2025, DatePrecision.YEAR)


# --------------------------------------------------------------------------- partnerships


def test_da_partnership_with() -> None:
    ex = extract("Ørsted har indgået en samarbejdsaftale med Microsoft om strøm til datacentret i Esbjerg.")
    assert pairs(ex) == {frozenset(("Ørsted", "Microsoft"))}
    assert not ex.partnerships[0].hedged and ex.partnerships[0].status is FactStatus.AGREED
    assert ex.investments == []


def test_da_consortium_pairs_every_member() -> None:
    ex = extract("Nvidia, Microsoft og Vestas danner et konsortium for AI-infrastruktur i Danmark.")
    assert pairs(ex) == {
        frozenset(("Nvidia", "Microsoft")),
        frozenset(("Nvidia", "Vestas")),
        frozenset(("Microsoft", "Vestas")),
    }


def test_da_negotiations_are_a_hedged_partnership_and_the_source_is_no_partner() -> None:
    ex = extract("Ifølge Reuters forhandler Vestas med Siemens om et fælles selskab for havvind.")
    assert pairs(ex) == {frozenset(("Vestas", "Siemens"))}
    assert ex.partnerships[0].hedged and ex.partnerships[0].status is FactStatus.PLANNED
