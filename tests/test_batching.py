"""A batch's articles through ``nlp.pipe`` give the same graphs as one article at a time; preload settings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kg.build.preload import PRELOAD_ENV, preload_languages
from kg.build.work import WorkOptions, process_batch, process_raw
from kg.ingest.sources import RawInput, iter_raw
from kg.nlp.ents import doc_text
from kg.nlp.pipeline import load_pipeline

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"


def test_batched_outcomes_equal_one_by_one() -> None:
    options = WorkOptions(extracted_at=datetime(2026, 1, 1, tzinfo=UTC))
    items = [item for item in iter_raw([str(EXAMPLES)]) if isinstance(item, RawInput)]
    assert len(items) >= 8  # several articles of one language share a batch (fr, en, id, de)
    batched = process_batch(items, options)
    alone = [process_raw(item, options) for item in items]
    assert [o.error for o in batched] == [o.error for o in alone]
    assert [o.nquads for o in batched] == [o.nquads for o in alone]
    assert [o.counts for o in batched] == [o.counts for o in alone]


def test_doc_text_is_the_text_and_kept() -> None:
    nlp = load_pipeline("en")
    text = "Acme Holdings invests 5 million euros in Beta Systems.\n\nIt said so on Monday."
    doc = nlp(text)
    assert doc_text(doc) == doc.text == text
    assert doc.user_data["kg_text"] == text
    doc.user_data["kg_text"] = "another doc's text"  # a copied Doc: the length gives it away
    assert doc_text(doc) == text


def test_preload_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PRELOAD_ENV, "nl,en")
    assert preload_languages() == ["nl", "en"]
    monkeypatch.setenv(PRELOAD_ENV, "none")
    assert preload_languages() == []
    monkeypatch.delenv(PRELOAD_ENV)
    assert preload_languages() == []  # workers load the languages they are sent
