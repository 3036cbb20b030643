"""Italian as data: kg's real pipeline on short Italian news sentences written for these tests.

Italian runs through the ``[default]`` pipeline (blank spaCy plus kg's rule
components), so everything found here comes from the three Italian lexicons
(``ontology/lexicons/{money,facts,names}/it.json``) and the shared gazetteers.
Precision first: the negative cases check that no amount, party or fact is
invented where the words do not state one.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.build.driver import process_article
from kg.extract.money import find_amounts
from kg.model import Article, EntityKind, Extraction, Mention

pytestmark = pytest.mark.usefixtures("rules_only_facts")  # these tests pin the rules (see conftest)

# (sentence, [(amount text, value, currency, lower bound, qualifier)])
AmountRow = tuple[str, Decimal, str, Decimal | None, str | None]
MONEY: list[tuple[str, list[AmountRow]]] = [
    (
        "Il gruppo investirà 4,3 miliardi di euro nei prossimi due anni.",
        [("4,3 miliardi di euro", Decimal("4300000000"), "EUR", None, None)],
    ),
    (
        "La startup ha raccolto 850 milioni di dollari in un nuovo round.",
        [("850 milioni di dollari", Decimal("850000000"), "USD", None, None)],
    ),
    (
        "Il piano vale oltre 2 miliardi di euro secondo gli analisti.",
        [("2 miliardi di euro", Decimal("2000000000"), "EUR", None, "more_than")],
    ),
    (
        "La spesa sarà compresa tra 1 e 1,5 miliardi di dollari.",
        [("1 e 1,5 miliardi di dollari", Decimal("1500000000"), "USD", Decimal("1000000000"), None)],
    ),
    (
        "Servono da 300 a 500 milioni di euro per il campus.",
        [("300 a 500 milioni di euro", Decimal("500000000"), "EUR", Decimal("300000000"), None)],
    ),
    (
        "Il fondo ha messo circa 100 milioni d'euro sul tavolo.",
        [("100 milioni d'euro", Decimal("100000000"), "EUR", None, "about")],
    ),
    (
        "Un contributo di 120 mila euro andrà alle scuole.",
        [("120 mila euro", Decimal("120000"), "EUR", None, None)],
    ),
    (
        "Il contratto vale € 2,5 mld e potrebbe salire fino a 3 mld di euro.",
        [
            ("€ 2,5 mld", Decimal("2500000000"), "EUR", None, None),
            ("3 mld di euro", Decimal("3000000000"), "EUR", None, "up_to"),
        ],
    ),
    (
        "Sul piatto ci sono un miliardo di euro e mezzo miliardo di dollari.",
        [
            ("un miliardo di euro", Decimal("1000000000"), "EUR", None, None),
            ("mezzo miliardo di dollari", Decimal("500000000"), "USD", None, None),
        ],
    ),
    (
        "Il debito pubblico supera un bilione di dollari.",
        [("un bilione di dollari", Decimal("1000000000000"), "USD", None, None)],
    ),
    (
        "L'offerta è di 1.200 milioni di euro.",
        [("1.200 milioni di euro", Decimal("1200000000"), "EUR", None, None)],
    ),
    # No currency, or a vague quantity: never an amount.
    ("La piattaforma conta 3 milioni di utenti in Europa.", []),
    ("Sono stati spesi centinaia di milioni di euro e diversi miliardi di dollari.", []),
]


@pytest.mark.parametrize(("text", "expected"), MONEY, ids=[m[0][:40] for m in MONEY])
def test_it_amounts(text: str, expected: list[AmountRow]) -> None:
    got = [(a.text, a.value, a.currency, a.value_min, a.qualifier) for a in find_amounts(text, "it")]
    assert got == expected


def test_it_implicit_currency_continues_a_list() -> None:
    amounts = find_amounts("Il governo stanzia 5 miliardi di euro nel 2026 e 7 miliardi nel 2027.", "it")
    assert [(a.value, a.currency, a.currency_implicit) for a in amounts] == [
        (Decimal("5000000000"), "EUR", False),
        (Decimal("7000000000"), "EUR", True),
    ]


def extract(text: str) -> Extraction:
    extraction, _ = process_article(Article(text=text, source="t.txt", lang="it"))
    return extraction


def party(mention: Mention | None) -> str | None:
    """A role as the tests name it: the ISO code of a country, else the surface text."""
    if mention is None:
        return None
    return mention.key if mention.kind is EntityKind.COUNTRY else mention.text


def test_it_amounts_in_the_pipeline_carry_value_and_currency() -> None:
    ex = extract("Microsoft investirà 4,3 miliardi di euro in Italia per ampliare i suoi data center.")
    assert [(a.value, a.currency) for a in ex.amounts] == [(Decimal("4300000000"), "EUR")]


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("Il fondo Orsa Capitale punta a raccogliere mille miliardi di dollari.", "1000000000000", "USD"),
        ("Il piano vale tremila miliardi di euro in dieci anni.", "3000000000000", "EUR"),
        # "trilione" is 10^12 in news usage (a calque of the English word), not the long-scale 10^18
        (
            "Secondo gli analisti la spesa arriverà a 1 trilione di dollari.",
            "1000000000000",
            "USD",
        ),
    ],
)
def test_it_thousand_billions_and_trillions(text: str, value: str, currency: str) -> None:
    assert [(a.value, a.currency) for a in extract(text).amounts] == [(Decimal(value), currency)]


def pairs(extraction: Extraction) -> set[frozenset[str | None]]:
    return {frozenset((party(p.a), party(p.b))) for p in extraction.partnerships}


def persons(extraction: Extraction) -> set[str]:
    return {m.text for m in extraction.mentions if m.kind is EntityKind.PERSON}


def test_it_investment_in_a_country() -> None:
    ex = extract("Microsoft investirà 4,3 miliardi di euro in Italia per ampliare i suoi data center.")
    assert len(ex.investments) == 1
    inv = ex.investments[0]
    assert party(inv.investor) == "Microsoft"
    assert party(inv.country) == "IT"
    assert inv.target is None
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("4300000000"), "EUR")
    assert not inv.hedged
    assert ex.partnerships == []


def test_it_hedged_investment_cited_from_a_news_outlet() -> None:
    ex = extract("Secondo Bloomberg, Nvidia potrebbe investire fino a 500 milioni di dollari in Mistral AI.")
    assert len(ex.investments) == 1
    inv = ex.investments[0]
    assert (party(inv.investor), party(inv.target)) == ("Nvidia", "Mistral AI")
    assert inv.hedged
    assert inv.amount is not None and inv.amount.value == Decimal("500000000") and inv.amount.qualifier == "up_to"
    named = {party(inv.investor), party(inv.target), *(party(m) for m in inv.co_investors)}
    assert "Bloomberg" not in named


def test_it_funding_round_names_the_receiver_and_its_investors() -> None:
    ex = extract("Secondo Reuters, la società francese Mistral AI ha raccolto 600 milioni di euro da Nvidia e Samsung.")
    assert len(ex.investments) == 1
    inv = ex.investments[0]
    assert party(inv.target) == "Mistral AI"
    investors = {party(inv.investor), *(party(m) for m in inv.co_investors)}
    assert investors == {"Nvidia", "Samsung"}
    assert inv.amount is not None and (inv.amount.value, inv.amount.currency) == (Decimal("600000000"), "EUR")
    assert ex.partnerships == []


def test_it_partnership_with() -> None:
    ex = extract("L'azienda Fastweb ha firmato un accordo con Vodafone per sviluppare servizi di IA.")
    assert pairs(ex) == {frozenset(("Fastweb", "Vodafone"))}
    assert not ex.partnerships[0].hedged


def test_it_joint_subjects_and_a_place_that_is_no_partner() -> None:
    ex = extract("Microsoft e Vodafone hanno firmato un accordo a Milano per portare il cloud in Italia.")
    assert pairs(ex) == {frozenset(("Microsoft", "Vodafone"))}


def test_it_negotiations_are_a_hedged_partnership() -> None:
    ex = extract(
        "Il fondo emiratino MGX sta trattando con Cassa Depositi e Prestiti "
        "per un investimento da oltre 2 miliardi di euro."
    )
    assert pairs(ex) == {frozenset(("MGX", "Cassa Depositi e Prestiti"))}
    assert all(p.hedged for p in ex.partnerships)


def test_it_possible_joint_venture_is_hedged_and_the_source_is_no_partner() -> None:
    ex = extract("Secondo Reuters, Microsoft e Vodafone stanno valutando una possibile joint venture.")
    assert pairs(ex) == {frozenset(("Microsoft", "Vodafone"))}
    assert ex.partnerships[0].hedged


def test_it_persons_named_after_role_cues() -> None:
    ex = extract(
        "Amazon investirà 1,2 miliardi di euro in Italia, ha annunciato l'amministratore delegato Andy Jassy. "
        "Il ministro dell'Economia Giancarlo Giorgetti ha accolto la notizia."
    )
    assert persons(ex) == {"Andy Jassy", "Giancarlo Giorgetti"}
    assert {party(i.investor) for i in ex.investments} == {"Amazon"}


def test_it_revenue_is_not_an_investment() -> None:
    ex = extract("Il fatturato di Amazon è salito a 150 miliardi di dollari in Italia.")
    assert [a.value for a in ex.amounts] == [Decimal("150000000000")]
    assert ex.investments == []
    assert ex.partnerships == []


def test_it_share_value_and_a_meeting_are_no_facts() -> None:
    ex = extract(
        "Le azioni di Nvidia valgono 3 miliardi di dollari. "
        "Il presidente di Microsoft ha incontrato i vertici di Vodafone a Roma."
    )
    assert ex.investments == []
    assert ex.partnerships == []


def test_it_gazetteer_companies_partner_and_an_italian_paper_is_a_source() -> None:
    """Known Italian companies are parties without any cue; the newspaper cited is not."""
    ex = extract("Secondo Il Sole 24 Ore, Eni e Fastweb hanno firmato un accordo di collaborazione sul cloud.")
    assert pairs(ex) == {frozenset({"Eni", "Fastweb"})}
