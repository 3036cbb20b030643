"""Status and date of every decided investment and partnership (issue 15), as a registered extractor.

Runs after ``investments``/``partnerships``: the facts are already decided
(by the fact model or the rules), and this step only describes them, reading
each fact's evidence sentence for status cues (:mod:`kg.extract.status`)
and date expressions (:mod:`kg.extract.dates`, resolved against the
article's date).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from spacy.tokens import Doc

from kg.extract.dates import article_date, statement_date
from kg.extract.registry import register_extractor
from kg.extract.status import statement_status
from kg.model import Extraction, FactDate, Investment, Partnership

Fact = TypeVar("Fact", Investment, Partnership)


def described(fact: Fact, text: str, lang: str, article_day: FactDate | None) -> Fact:
    """``fact`` with its status and its date (when its sentence gives one)."""
    sentence = text[fact.evidence.start : fact.evidence.end]
    status = statement_status(sentence, lang, fact.hedged)
    when = statement_date(sentence, lang, article_day, fact.trigger, status)
    return replace(fact, status=status, event_date=when)


@register_extractor("deal_state")
def extract_deal_state(doc: Doc, extraction: Extraction) -> None:
    """Give every investment and partnership of the article its status and date."""
    article = extraction.article
    known = article_date(article.date)
    extraction.investments = [described(f, article.text, article.lang, known) for f in extraction.investments]
    extraction.partnerships = [described(f, article.text, article.lang, known) for f in extraction.partnerships]
