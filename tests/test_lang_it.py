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

from kg.build import process_article
from kg.extract.money import find_amounts
from kg.model import Article, Extraction, Mention

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
    return mention.key if mention.kind.value == "COUNTRY" else mention.text


def test_it_amounts_in_the_pipeline_carry_value_and_currency() -> None:
    ex = extract("Microsoft investirà 4,3 miliardi di euro in Italia per ampliare i suoi data center.")
    assert [(a.value, a.currency) for a in ex.amounts] == [(Decimal("4300000000"), "EUR")]
