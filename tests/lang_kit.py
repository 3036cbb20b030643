"""What the per-language tests (``test_lang_pl.py``, ``test_lang_sv.py``, ``test_lang_ro.py``) share.

One short article through kg's real pipeline in the language under test, and the roles of its
facts written as the tests name them: a country by its ISO code, any other party by its text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest

from kg.build.driver import process_article
from kg.extract.fact_model.extractor import reset_fact_model
from kg.extract.money import find_amounts
from kg.model import Article, EntityKind, Extraction, Investment, Mention


@pytest.fixture(autouse=True)
def fresh_model_choice() -> Iterator[None]:
    """Each test starts from the shipped fact model, whatever the one before chose."""
    yield
    reset_fact_model()


def extracting(lang: str) -> Callable[..., Extraction]:
    """``extract(text, date=None)``: the extraction of one article in ``lang``."""

    def extract(text: str, date: str | None = None) -> Extraction:
        extraction, _ = process_article(Article(text=text, source="t.txt", lang=lang, date=date))
        return extraction

    return extract


def party(mention: Mention | None) -> str | None:
    """A role as the tests name it: the ISO code of a country, else the surface text."""
    if mention is None:
        return None
    return mention.key if mention.kind is EntityKind.COUNTRY else mention.text


def orgs(extraction: Extraction) -> set[str]:
    return {m.text for m in extraction.mentions if m.kind is EntityKind.ORGANIZATION}


def persons(extraction: Extraction) -> set[str]:
    return {m.text for m in extraction.mentions if m.kind is EntityKind.PERSON}


def pairs(extraction: Extraction) -> set[frozenset[str | None]]:
    return {frozenset((party(p.a), party(p.b))) for p in extraction.partnerships}


def investors(extraction: Extraction) -> set[str | None]:
    """The investor and co-investors of the article's first investment."""
    inv = extraction.investments[0]
    return {party(inv.investor), *(party(m) for m in inv.co_investors)}


def only_investment(extraction: Extraction) -> Investment:
    """The article's one investment (the test fails when there is none or more than one)."""
    assert len(extraction.investments) == 1, extraction.investments
    return extraction.investments[0]


AmountRow = tuple[str, Decimal, str, Decimal | None, str | None]


def amount_rows(text: str, lang: str) -> list[AmountRow]:
    """Every amount of ``text`` as (text, value, currency, lower bound, qualifier)."""
    return [(a.text, a.value, a.currency, a.value_min, a.qualifier) for a in find_amounts(text, lang)]
