"""Romanian as data: kg's real pipeline on short Romanian news sentences written for these tests.

Romanian has no pipeline entry of its own, so it runs through ``[default]`` (blank spaCy plus kg's rule
components): every name, amount and fact found here comes from the Romanian lexicons
(``ontology/lexicons/{facts,money,names,non_names}/ro.json``), the ``ro`` rows of
``country_aliases.csv`` and the shared gazetteers; facts are decided by the shipped fact model, whose
features are lexicon classes, and one test pins the rules alone.  Companies such as Datanova S.R.L.,
Carpatia Cloud S.A. or SC Dunărea Tech SRL are invented.  Precision first: the negative cases check that
no amount, party, fact or date is invented where the words do not state one.
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

extract = extracting("ro")


# --------------------------------------------------------------------------- language


def test_ro_paragraph_is_detected_as_romanian() -> None:
    paragraph = (
        "Operatorul de telecomunicații a anunțat marți că își mută o parte din servere într-un centru de date "
        "nou, construit lângă Brașov. Clădirea va fi alimentată în mare parte cu energie din surse regenerabile, "
        "iar firmele locale vor putea închiria capacitate de calcul pentru proiecte de inteligență artificială."
    )
    assert detect_language(paragraph) == "ro"


# --------------------------------------------------------------------------- amounts

# (sentence, [(amount text, value, currency, lower bound, qualifier)])
MONEY: list[tuple[str, list[AmountRow]]] = [
    (
        "Grupul pregătește 1,5 miliarde de euro pentru noile hale de servere.",
        [("1,5 miliarde de euro", Decimal("1500000000"), "EUR", None, None)],
    ),
    (
        "Firma a obținut 20 de milioane de dolari de la doi investitori.",
        [("20 de milioane de dolari", Decimal("20000000"), "USD", None, None)],
    ),
    (
        "Un rack costă 45.000 de lei, iar licențele încă 2.500.000 lei pe an.",
        [
            ("45.000 de lei", Decimal("45000"), "RON", None, None),
            ("2.500.000 lei", Decimal("2500000"), "RON", None, None),
        ],
    ),
    (
        "Bugetul include 300 mil. euro de la Bruxelles și 5 mld. lei de la bugetul de stat.",
        [
            ("300 mil. euro", Decimal("300000000"), "EUR", None, None),
            ("5 mld. lei", Decimal("5000000000"), "RON", None, None),
        ],
    ),
    (
        "Fondul aduce USD 40 de milioane, iar banca 1,2 miliarde RON și €200 de milioane.",
        [
            ("USD 40 de milioane", Decimal("40000000"), "USD", None, None),
            ("1,2 miliarde RON", Decimal("1200000000"), "RON", None, None),
            ("€200 de milioane", Decimal("200000000"), "EUR", None, None),
        ],
    ),
    (
        "E vorba de un miliard de euro și de trei miliarde de dolari.",
        [
            ("un miliard de euro", Decimal("1000000000"), "EUR", None, None),
            ("trei miliarde de dolari", Decimal("3000000000"), "USD", None, None),
        ],
    ),
    (
        "Au strâns douăzeci și cinci de milioane de euro și o sută de milioane de lei.",
        [
            ("douăzeci și cinci de milioane de euro", Decimal("25000000"), "EUR", None, None),
            ("o sută de milioane de lei", Decimal("100000000"), "RON", None, None),
        ],
    ),
    (
        "Costul estimat este între 2 și 3 miliarde de euro.",
        [("2 și 3 miliarde de euro", Decimal("3000000000"), "EUR", Decimal("2000000000"), None)],
    ),
    (
        "Analiștii vorbesc de 10 până la 12 miliarde de dolari.",
        [("10 până la 12 miliarde de dolari", Decimal("12000000000"), "USD", Decimal("10000000000"), None)],
    ),
    (
        "Statul pune peste 800 de milioane de euro, iar județul circa 75 de milioane de lei.",
        [
            ("800 de milioane de euro", Decimal("800000000"), "EUR", None, "more_than"),
            ("75 de milioane de lei", Decimal("75000000"), "RON", None, "about"),
        ],
    ),
    (
        "Fondul poate plasa până la 2 miliarde de coroane norvegiene.",
        [("2 miliarde de coroane norvegiene", Decimal("2000000000"), "NOK", None, "up_to")],
    ),
    # No currency, or a vague quantity: never an amount.
    ("Aplicația are 3 milioane de utilizatori în România.", []),
    ("Sute de milioane de euro și câteva miliarde de dolari sunt în joc.", []),
]


@pytest.mark.parametrize(("text", "expected"), MONEY, ids=[m[0][:40] for m in MONEY])
def test_ro_amounts(text: str, expected: list[AmountRow]) -> None:
    got = amount_rows(text, "ro")
    assert got == expected


def test_ro_amounts_in_the_pipeline_carry_value_and_currency() -> None:
    ex = extract("Microsoft investește 1,7 miliarde de lei în servicii cloud și IA în România.")
    assert [(a.text, a.value, a.currency) for a in ex.amounts] == [
        ("1,7 miliarde de lei", Decimal("1700000000"), "RON")
    ]


# --------------------------------------------------------------------------- names


def test_ro_known_and_unknown_organizations() -> None:
    ex = extract(
        "Microsoft și Nvidia au ales compania Datanova S.R.L. ca furnizor. "
        "Și Carpatia Cloud S.A. a depus o ofertă, la fel ca SC Dunărea Tech SRL."
    )
    assert orgs(ex) == {"Microsoft", "Nvidia", "Datanova S.R.L.", "Carpatia Cloud S.A.", "SC Dunărea Tech SRL"}
    known = {m.text: m.key for m in ex.mentions if m.kind is EntityKind.ORGANIZATION}
    assert (known["Microsoft"], known["Nvidia"]) == ("microsoft", "nvidia")
    assert known["Datanova S.R.L."] is None  # no gazetteer entry: found by its legal form


def test_ro_bank_and_fund_names_keep_their_head_word_and_cues_in_the_dative() -> None:
    ex = extract(
        "Banca Carpatică de Dezvoltare a acordat un credit companiei Voltaris. "
        "Fondul Dunărea Digitală și Banca Transilvania participă și ele."
    )
    assert orgs(ex) == {"Banca Carpatică de Dezvoltare", "Voltaris", "Fondul Dunărea Digitală", "Banca Transilvania"}


def test_ro_a_body_named_head_first_is_no_person() -> None:
    ex = extract(
        "Consumul centrelor de date crește cu 40%, potrivit Comisiei Europene. "
        "Comisia Europeană alocă 50 de milioane de euro pentru o fabrică de IA în România."
    )
    assert persons(ex) == set()  # 'potrivit' + a capitalised genitive would otherwise be a speaker
    assert orgs(ex) == {"Comisia Europeană"}  # by its head word; the gazetteer has no Romanian alias for it
    assert [(party(i.investor), party(i.country)) for i in ex.investments] == [("Comisia Europeană", "RO")]


def test_ro_countries_in_articulated_and_genitive_forms() -> None:
    ex = extract(
        "Guvernul României vrea investiții din SUA și din Statele Unite ale Americii. "
        "Industria Germaniei și a Franței cumpără cipuri, la fel ca Emiratele Arabe Unite și Arabia Saudită. "
        "Capitalul vine din Marea Britanie, din Țările de Jos, din Coreea de Sud și din Republica Moldova. "
        "Exporturile Chinei, Japoniei și Poloniei cresc."
    )
    found = {m.text: m.key for m in ex.mentions if m.kind is EntityKind.COUNTRY}
    assert found == {
        "României": "RO",
        "SUA": "US",
        "Statele Unite ale Americii": "US",
        "Germaniei": "DE",
        "Franței": "FR",
        "Emiratele Arabe Unite": "AE",
        "Arabia Saudită": "SA",
        "Marea Britanie": "GB",
        "Țările de Jos": "NL",
        "Coreea de Sud": "KR",
        "Republica Moldova": "MD",
        "Chinei": "CN",
        "Japoniei": "JP",
        "Poloniei": "PL",
    }


def test_ro_persons_from_given_names_roles_and_titles() -> None:
    ex = extract(
        "Ministrul Energiei, Radu Enache, a salutat decizia, iar directorul general al Datanova, "
        "Ioana Mureșan, a spus că firma angajează. Proiectul e gata, potrivit doamnei Stoica."
    )
    assert persons(ex) == {"Radu Enache", "Ioana Mureșan", "Stoica"}
    assert orgs(ex) == {"Datanova"}  # the company a corporate role names through 'al'


def test_ro_a_founder_of_a_company_does_not_make_the_company_a_person() -> None:
    ex = extract("„Suntem pregătiți”, a declarat Andrei Popescu, fondatorul Datanova.")
    assert persons(ex) == {"Andrei Popescu"}
    assert "Datanova" not in persons(ex)  # 'fondatorul' + a bare genitive is as often a company


def test_ro_laws_programmes_and_demonym_phrases_are_no_organizations() -> None:
    ex = extract("Legea Inteligenței Artificiale și Programul Național de Cloud ajută și Industria Românească de IA.")
    assert orgs(ex) == set()
    assert persons(ex) == set()
    assert ex.investments == [] and ex.partnerships == []


# --------------------------------------------------------------------------- investments


def test_ro_investment_with_investor_amount_target_and_destination() -> None:
    ex = extract("Nvidia investește 500 de milioane de dolari în compania franceză Mistral AI.")
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.target), party(inv.country)) == ("Nvidia", "Mistral AI", "FR")
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("500000000"), "USD")
    assert not inv.hedged and inv.status is FactStatus.ANNOUNCED
    assert ex.partnerships == []


def test_ro_future_investment_in_a_country_is_planned() -> None:
    ex = extract("Microsoft va investi 1,5 miliarde de euro în centre de date în România.")
    inv = only_investment(ex)
    assert (party(inv.investor), inv.target, party(inv.country)) == ("Microsoft", None, "RO")
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("1500000000"), "EUR")
    assert not inv.hedged and inv.status is FactStatus.PLANNED  # 'va investi': a plan, not a hedge


def test_ro_the_owner_of_an_investment_noun_invests() -> None:
    ex = extract("Investiția Microsoft în Spania se ridică la 2 miliarde de euro.")
    assert [(party(i.investor), party(i.country)) for i in ex.investments] == [("Microsoft", "ES")]


def test_ro_passive_acquisition_names_the_buyer_after_de() -> None:
    ex = extract("Compania românească Datanova a fost achiziționată de Nvidia pentru 700 de milioane de dolari.")
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.target), party(inv.country)) == ("Nvidia", "Datanova", "RO")
    assert inv.amount is not None and inv.amount.value == Decimal("700000000")


def test_ro_a_state_invests_in_a_company() -> None:
    ex = extract("Statul român investește 100 de milioane de lei în Datanova S.R.L.")
    inv = only_investment(ex)
    assert inv.investor is not None and inv.investor.kind is EntityKind.COUNTRY
    assert (party(inv.investor), party(inv.target)) == ("RO", "Datanova S.R.L.")
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("100000000"), "RON")


def test_ro_funding_round_names_the_receiver_and_its_investors() -> None:
    ex = extract("Datanova S.R.L. a atras 300 de milioane de euro de la Sequoia și Nvidia.")
    inv = only_investment(ex)
    assert party(inv.target) == "Datanova S.R.L."
    assert investors(ex) == {"Sequoia", "Nvidia"}
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("300000000"), "EUR")
    assert inv.status is FactStatus.COMPLETED
    assert ex.partnerships == []


def test_ro_funding_round_led_by_an_investor() -> None:
    ex = extract(
        "Startup-ul clujean Datanova a atras 20 de milioane de euro într-o rundă de finanțare condusă de Accel."
    )
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.target)) == ("Accel", "Datanova")
    assert inv.amount is not None and inv.amount.value == Decimal("20000000")
    assert inv.status is FactStatus.COMPLETED


def test_ro_the_company_points_back() -> None:
    ex = extract(
        "Datanova S.R.L. și-a prezentat planurile la Cluj. Compania investește 2 miliarde de lei în Republica Moldova."
    )
    assert [(party(i.investor), party(i.country)) for i in ex.investments] == [("Datanova S.R.L.", "MD")]


def test_ro_negated_investments_and_partnerships_give_no_fact() -> None:
    ex = extract(
        "Amazon nu va investi 2 miliarde de euro în Germania, a anunțat compania. "
        "Nvidia n-a investit niciodată în Datanova S.R.L. "
        "Vodafone nu a semnat niciun acord cu Orange."
    )
    assert ex.investments == []
    assert ex.partnerships == []
    assert {"Amazon", "Nvidia", "Datanova S.R.L.", "Vodafone", "Orange"} <= orgs(ex)  # the names are still found


def test_ro_not_only_is_no_denial() -> None:
    ex = extract("Microsoft investește nu numai în Polonia, ci și 2 miliarde de euro în Ungaria.")
    assert [party(i.investor) for i in ex.investments] == ["Microsoft"]
    assert ex.investments[0].amount is not None and ex.investments[0].amount.value == Decimal("2000000000")


def test_ro_hedged_investments_are_marked_hedged() -> None:
    ex = extract(
        "Google intenționează să investească 600 de milioane de euro în Danemarca. "
        "OpenAI ar putea investi până la 10 miliarde de dolari într-un centru de date din Norvegia."
    )
    found = {(party(i.investor), party(i.country)): i for i in ex.investments}
    assert set(found) == {("Google", "DK"), ("OpenAI", "NO")}
    assert all(i.hedged and i.status is FactStatus.PLANNED for i in found.values())
    amount = found[("OpenAI", "NO")].amount
    assert amount is not None and amount.qualifier == "up_to"


def test_ro_renewable_sources_and_a_may_in_another_clause_are_no_hedges() -> None:
    ex = extract(
        "Microsoft investește 1 miliard de euro într-un centru de date alimentat din surse regenerabile în România. "
        "Amazon investește 2 miliarde de euro în Spania, iar guvernul spune că poate atrage și alți investitori."
    )
    found = {party(i.investor): i for i in ex.investments}
    assert {k: party(i.country) for k, i in found.items()} == {"Microsoft": "RO", "Amazon": "ES"}
    assert not any(i.hedged for i in found.values())
    assert all(i.status is FactStatus.ANNOUNCED for i in found.values())


def test_ro_reported_investment_is_a_rumour() -> None:
    ex = extract("Potrivit unor surse, Nvidia ar fi investit 1 miliard de dolari în Mistral AI.")
    inv = only_investment(ex)
    assert (party(inv.investor), party(inv.target)) == ("Nvidia", "Mistral AI")
    assert inv.hedged and inv.status is FactStatus.RUMOURED


def test_ro_an_abandoned_investment_is_cancelled() -> None:
    ex = extract("Amazon a renunțat să investească 1 miliard de euro în Finlanda.")
    assert [(party(i.investor), party(i.country), i.status) for i in ex.investments] == [
        ("Amazon", "FI", FactStatus.CANCELLED)
    ]


def test_ro_revenue_and_valuation_are_no_investments() -> None:
    ex = extract(
        "Veniturile Nvidia au crescut la 30 de miliarde de dolari în trimestrul trei. "
        "Datanova S.R.L. este evaluată la 12 miliarde de lei."
    )
    assert [a.value for a in ex.amounts] == [Decimal("30000000000"), Decimal("12000000000")]
    assert ex.investments == []
    assert ex.partnerships == []


def test_ro_relative_dates_resolve_against_the_article_date() -> None:
    agreed = extract("Ericsson și Vodafone au semnat ieri un memorandum de înțelegere privind 5G.", date="2026-11-20")
    partnership = agreed.partnerships[0]
    assert partnership.status is FactStatus.AGREED and partnership.event_date is not None
    assert (partnership.event_date.value.isoformat(), partnership.event_date.precision) == (
        "2026-11-19",
        DatePrecision.DAY,
    )
    invested = extract("Microsoft a investit anul trecut 2 miliarde de euro în Suedia.", date="2026-11-20")
    investment = invested.investments[0]
    assert investment.status is FactStatus.COMPLETED and investment.event_date is not None
    assert (investment.event_date.value.year, investment.event_date.precision) == (2025, DatePrecision.YEAR)
    planned = extract("Nvidia va investi 2 miliarde de euro în Franța în martie.", date="2026-11-20")
    plan = planned.investments[0]
    assert plan.status is FactStatus.PLANNED and plan.event_date is not None
    assert (plan.event_date.value.month, plan.event_date.precision) == (3, DatePrecision.MONTH)


def test_ro_mai_meaning_more_is_no_month() -> None:
    ex = extract("Microsoft investește 2 miliarde de euro în mai multe țări, inclusiv în România.", date="2026-11-20")
    assert len(ex.investments) == 1
    assert ex.investments[0].event_date is None  # 'în mai multe': 'more', not May


def test_ro_luni_after_a_number_is_months_not_monday() -> None:
    ex = extract("Microsoft va investi 2 miliarde de euro în România în următoarele 12 luni.", date="2026-11-20")
    assert [(party(i.investor), party(i.country), i.status) for i in ex.investments] == [
        ("Microsoft", "RO", FactStatus.PLANNED)
    ]
    assert ex.investments[0].event_date is None  # a duration, not the Monday before the article
    monday = extract("Nvidia a anunțat luni că investește 2 miliarde de euro în Franța.", date="2026-11-20")
    date = monday.investments[0].event_date
    assert date is not None and (date.value.isoformat(), date.precision) == ("2026-11-16", DatePrecision.DAY)


# --------------------------------------------------------------------------- partnerships


def test_ro_partnership_with() -> None:
    ex = extract("Orange a semnat un acord de parteneriat cu Microsoft pentru servicii cloud în România.")
    assert pairs(ex) == {frozenset(("Orange", "Microsoft"))}
    assert not ex.partnerships[0].hedged and ex.partnerships[0].status is FactStatus.AGREED
    assert ex.investments == []


def test_ro_joint_subjects_of_a_contract() -> None:
    ex = extract("Engie și Microsoft au încheiat un contract de furnizare de energie pentru centrul de date.")
    assert pairs(ex) == {frozenset(("Engie", "Microsoft"))}
    assert ex.partnerships[0].status is FactStatus.AGREED


def test_ro_consortium_pairs_every_member() -> None:
    ex = extract("Nvidia, Microsoft și Ericsson formează un consorțiu pentru infrastructură de IA în Europa.")
    assert pairs(ex) == {
        frozenset(("Nvidia", "Microsoft")),
        frozenset(("Nvidia", "Ericsson")),
        frozenset(("Microsoft", "Ericsson")),
    }


def test_ro_negotiations_are_a_hedged_partnership_and_the_source_is_no_partner() -> None:
    ex = extract("Potrivit Reuters, Ericsson negociază cu Nokia o societate mixtă pentru 6G.")
    assert pairs(ex) == {frozenset(("Ericsson", "Nokia"))}
    assert ex.partnerships[0].hedged and ex.partnerships[0].status is FactStatus.PLANNED


# --------------------------------------------------------------------------- the rules alone


@pytest.mark.usefixtures("rules_only_facts")
def test_ro_rules_alone_read_the_same_facts() -> None:
    ex = extract(
        "Nvidia investește 500 de milioane de dolari în compania franceză Mistral AI. "
        "Datanova S.R.L. a atras 20 de milioane de euro de la Sequoia. "
        "Orange a semnat un acord de parteneriat cu Microsoft. "
        "Amazon nu va investi 2 miliarde de euro în Germania."
    )
    got = {(party(i.investor), party(i.target), party(i.country)) for i in ex.investments}
    assert got == {("Nvidia", "Mistral AI", "FR"), ("Sequoia", "Datanova S.R.L.", None)}
    assert all(i.confidence is None for i in ex.investments)  # decided by the rules, not the model
    assert pairs(ex) == {frozenset(("Orange", "Microsoft"))}
