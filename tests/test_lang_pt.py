"""Portuguese end to end: kg's real pipeline on short news sentences written for these tests.

Portuguese support is data only (``ontology/lexicons/{money,facts,names}/pt.json``), so these
tests check that the data makes the language-neutral extractors work: amounts in European and
Brazilian forms with their exact values, investments, partnerships, hedges, sources that are
not parties, persons with role cues, and sentences that must yield no fact.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.build.driver import process_article
from kg.extract.money import find_amounts
from kg.model import Article, EntityKind, Extraction, Mention

pytestmark = pytest.mark.usefixtures("rules_only_facts")  # these tests pin the rules (see conftest)


def extract(text: str) -> Extraction:
    """Run the whole per-article pipeline on ``text`` as a Portuguese article."""
    extraction, _ = process_article(Article(text=text, source="t.txt", lang="pt"))
    return extraction


def party(mention: Mention | None) -> str | None:
    """A role as the tests name it: the ISO code of a country, else the surface text."""
    if mention is None:
        return None
    return mention.key if mention.kind == EntityKind.COUNTRY else mention.text


def amounts(text: str) -> list[tuple[Decimal, str | None, Decimal | None, str | None]]:
    """(value, currency, lower bound, qualifier) of every amount found in ``text``."""
    return [(a.value, a.currency, a.value_min, a.qualifier) for a in find_amounts(text, "pt")]


# --------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("text", "value", "currency", "value_min", "qualifier"),
    [
        ("A Microsoft vai investir 10 mil milhões de euros em Portugal.", "10000000000", "EUR", None, None),
        ("O grupo investiu mais de 850 milhões de dólares na região.", "850000000", "USD", None, "more_than"),
        ("O banco aplica R$ 1,5 bilhão na startup.", "1500000000", "BRL", None, None),
        ("A Amazon poderá investir entre 2 e 3 mil milhões de euros.", "3000000000", "EUR", "2000000000", None),
        ("A Galp gastou cerca de 4,3 milhões de euros em publicidade.", "4300000", "EUR", None, "about"),
        ("O fundo prevê até 1,5 mil milhões de euros.", "1500000000", "EUR", None, "up_to"),
        ("A operação envolve 4.300 milhões de euros.", "4300000000", "EUR", None, None),
        ("A dívida pública ronda 1,2 biliões de euros.", "1200000000000", "EUR", None, None),
        ("A Petrobras vai aplicar R$ 5 bi até 2028.", "5000000000", "BRL", None, None),
        ("Um aporte de dois mil milhões de euros foi aprovado.", "2000000000", "EUR", None, None),
        ("Investiu de 500 a 700 milhões de dólares em chips.", "700000000", "USD", "500000000", None),
        ("O orçamento federal passa de 3 trilhões de reais.", "3000000000000", "BRL", None, None),
        ("Recebeu meio milhão de euros da câmara.", "500000", "EUR", None, None),
    ],
)
def test_pt_amount_value_and_currency(
    text: str, value: str, currency: str, value_min: str | None, qualifier: str | None
) -> None:
    expected_min = Decimal(value_min) if value_min else None
    assert amounts(text) == [(Decimal(value), currency, expected_min, qualifier)]


def test_pt_bilhao_and_biliao_are_different_scales() -> None:
    """Brazil's "bilhão" is a thousand million; Portugal's "bilião" is a million million."""
    (brazil,) = amounts("A empresa levantou 2 bilhões de reais.")
    (portugal,) = amounts("O Estado deve 2 biliões de euros.")
    assert brazil[0] == Decimal("2000000000")
    assert portugal[0] == Decimal("2000000000000")


@pytest.mark.parametrize(
    "text",
    [
        "Cerca de 2 bilhões de usuários usam o aplicativo todos os dias.",
        "Milhares de milhões de euros foram perdidos na crise.",
        "A fábrica emprega 15 mil trabalhadores em Setúbal.",
    ],
)
def test_pt_counts_and_vague_quantities_are_not_money(text: str) -> None:
    assert amounts(text) == []


# --------------------------------------------------------------------------- investments


def test_pt_investment_in_a_country() -> None:
    ex = extract("A Microsoft vai investir 10 mil milhões de euros em Portugal até 2030.")
    (inv,) = ex.investments
    assert party(inv.investor) == "Microsoft"
    assert party(inv.country) == "PT"
    assert inv.amount is not None
    assert (inv.amount.value, inv.amount.currency) == (Decimal("10000000000"), "EUR")
    assert not inv.hedged


def test_pt_investment_in_a_company_with_a_cited_newspaper() -> None:
    """The newspaper after "segundo" is where the news comes from, never a party."""
    ex = extract("O banco BTG Pactual investiu R$ 300 milhões na startup Cloudwalk, segundo o jornal Valor Econômico.")
    (inv,) = ex.investments
    assert (party(inv.investor), party(inv.target)) == ("BTG Pactual", "Cloudwalk")
    assert inv.amount is not None
    assert (inv.amount.value, inv.amount.currency) == (Decimal("300000000"), "BRL")
    assert "Valor Econômico" in {m.text for m in ex.mentions}
    assert ex.partnerships == []


def test_pt_funding_round_led_by_an_investor() -> None:
    ex = extract(
        "A startup portuguesa Sword Health angariou 130 milhões de dólares numa ronda liderada pela General Catalyst."
    )
    (inv,) = ex.investments
    assert (party(inv.investor), party(inv.target)) == ("General Catalyst", "Sword Health")
    assert inv.amount is not None
    assert (inv.amount.value, inv.amount.currency) == (Decimal("130000000"), "USD")


def test_pt_planned_investment_is_hedged_and_the_agency_is_no_party() -> None:
    ex = extract("A Google planeia investir cerca de 2 mil milhões de dólares no Brasil, segundo a Reuters.")
    (inv,) = ex.investments
    assert party(inv.investor) == "Google"
    assert party(inv.country) == "BR"
    assert inv.hedged
    assert inv.amount is not None
    assert (inv.amount.value, inv.amount.currency, inv.amount.qualifier) == (Decimal("2000000000"), "USD", "about")
    assert "Reuters" not in {party(inv.investor), party(inv.target)}


def test_pt_possible_investment_with_a_range_is_hedged() -> None:
    ex = extract("A Amazon poderá investir entre 2 e 3 mil milhões de euros num centro de dados em Espanha.")
    (inv,) = ex.investments
    assert (party(inv.investor), party(inv.country), inv.hedged) == ("Amazon", "ES", True)
    assert inv.amount is not None
    assert (inv.amount.value_min, inv.amount.value) == (Decimal("2000000000"), Decimal("3000000000"))


# --------------------------------------------------------------------------- partnerships


def pairs(ex: Extraction) -> set[frozenset[str | None]]:
    return {frozenset((party(p.a), party(p.b))) for p in ex.partnerships}


def test_pt_partnership_signed_by_two_companies() -> None:
    ex = extract("A Microsoft fechou uma parceria com a Nvidia em Portugal.")
    assert pairs(ex) == {frozenset(("Microsoft", "Nvidia"))}
    assert not ex.partnerships[0].hedged


def test_pt_memorandum_with_a_government_is_the_country() -> None:
    ex = extract("A OpenAI assinou um memorando de entendimento com o Governo de Portugal.")
    assert pairs(ex) == {frozenset(("OpenAI", "PT"))}


def test_pt_talks_are_a_hedged_partnership() -> None:
    ex = extract("A Siemens e a Microsoft estão em negociações para uma parceria em Portugal.")
    assert pairs(ex) == {frozenset(("Siemens", "Microsoft"))}
    assert all(p.hedged for p in ex.partnerships)


def test_pt_cited_newspaper_is_not_a_partner() -> None:
    ex = extract("Segundo o Financial Times, a Mistral AI e a Nvidia vão colaborar na Europa.")
    assert pairs(ex) == {frozenset(("Mistral AI", "Nvidia"))}


# --------------------------------------------------------------------------- persons


def test_pt_minister_with_portfolio_is_a_person() -> None:
    ex = extract("A ministra da Ciência, Fernanda Alexandre, visitou a fábrica da Siemens em Braga.")
    persons = {m.text for m in ex.mentions if m.kind == EntityKind.PERSON}
    assert persons == {"Fernanda Alexandre"}


def test_pt_executive_role_names_person_and_company() -> None:
    ex = extract("O presidente executivo da Totvs, Dennis Herszkowitz, afirmou que a empresa vai crescer.")
    found = {(m.text, m.kind) for m in ex.mentions}
    assert ("Dennis Herszkowitz", EntityKind.PERSON) in found
    assert ("Totvs", EntityKind.ORGANIZATION) in found


# --------------------------------------------------------------------------- negatives


@pytest.mark.parametrize(
    "text",
    [
        # revenue and market value are amounts, not investments; the agency is a source
        "A receita da Nvidia atingiu 30 mil milhões de dólares, de acordo com a Bloomberg.",
        "A Nvidia vale 3 biliões de dólares em bolsa, segundo a Bloomberg.",
        # "de acordo com" (according to) is not an agreement between the names around it
        "A Microsoft e a Nvidia abriram escritórios em Lisboa, de acordo com a Reuters.",
        # no trigger at all: opening an office is neither an investment nor a partnership
        "Segundo o Expresso, a Meta vai abrir um escritório em Lisboa.",
    ],
)
def test_pt_no_fact(text: str) -> None:
    ex = extract(text)
    assert ex.investments == []
    assert ex.partnerships == []


def test_pt_valuation_is_not_the_invested_amount() -> None:
    """ "avaliada em" (valued at) neither lends its amount nor makes the deal hedged."""
    ex = extract("A Microsoft, avaliada em 3 biliões de dólares, investiu na startup Sword Health.")
    (inv,) = ex.investments
    assert (party(inv.investor), party(inv.target)) == ("Microsoft", "Sword Health")
    assert inv.amount is None
    assert not inv.hedged


def test_pt_selling_a_stake_is_not_an_investment() -> None:
    ex = extract("A Nvidia vendeu a sua participação na Arm por 2 mil milhões de dólares.")
    assert ex.investments == []
    assert [(a.value, a.currency) for a in ex.amounts] == [(Decimal("2000000000"), "USD")]


def test_pt_revenue_amount_is_still_found() -> None:
    """The negative above is not a blind spot: the amount itself is read, exactly."""
    ex = extract("A receita da Nvidia atingiu 30 mil milhões de dólares, de acordo com a Bloomberg.")
    assert [(a.value, a.currency) for a in ex.amounts] == [(Decimal("30000000000"), "USD")]


def test_pt_gazetteer_companies_partner_and_a_brazilian_paper_is_a_source() -> None:
    """Known Brazilian companies are parties without any cue; the newspaper cited is not."""
    ex = extract("Segundo a Folha de S.Paulo, a Petrobras e a Embratel assinaram uma parceria para usar IA.")
    assert pairs(ex) == {frozenset({"Petrobras", "Embratel"})}
