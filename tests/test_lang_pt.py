"""Portuguese end to end: kg's real pipeline on short news sentences written for these tests.

Portuguese support is data only (``ontology/lexicons/{money,facts,names}/pt.json``), so these
tests check that the data makes the language-neutral extractors work: amounts in European and
Brazilian forms with their exact values, investments, partnerships, hedges, sources that are
not parties, persons with role cues, and sentences that must yield no fact.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.build import process_article
from kg.extract.money import find_amounts
from kg.model import Article, EntityKind, Extraction, Mention


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
