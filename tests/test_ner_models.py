"""The NER pipelines kg ships under kg/models/ load and find obvious names.

The models are statistical and imperfect, so each language asserts only a few
clear cases in sentences written for this test (well-known people, cities and
companies in plain news phrasing).  The point is to catch a broken or
mis-packaged model (wrong language, empty labels, a directory that no longer
loads), not to measure accuracy: ``python -m kg.train evaluate`` does that.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

import kg.nlp.components  # noqa: F401  (registers kg_line_breaks)
from kg.models import MODELS_DIR, resolve_base, shipped_model

REPO = Path(__file__).resolve().parents[1]
SHIPPED = ("nl", "id", "en", "de", "es", "fr")
MAX_MB = 15

# (sentence, entities that must be found with exactly this text and label)
CASES: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {
    "nl": [
        ("Jan Peeters werkt sinds vorig jaar bij Heineken in Rotterdam.",
         [("Jan Peeters", "PER"), ("Heineken", "ORG"), ("Rotterdam", "LOC")]),
        ("Premier Mark Rutte sprak dinsdag in Amsterdam met vakbonden.", [("Mark Rutte", "PER"), ("Amsterdam", "LOC")]),
    ],
    "id": [
        ("Presiden Joko Widodo meresmikan pabrik baru milik PT Pertamina di Surabaya pada hari Senin.",
         [("Joko Widodo", "PER"), ("PT Pertamina", "ORG"), ("Surabaya", "LOC")]),
        ("Menteri Keuangan Sri Mulyani bertemu dengan pimpinan Bank Indonesia di Jakarta.",
         [("Sri Mulyani", "PER"), ("Bank Indonesia", "ORG"), ("Jakarta", "LOC")]),
    ],
    "de": [
        ("Bundeskanzlerin Angela Merkel besuchte am Montag das Werk von Siemens in München.",
         [("Angela Merkel", "PER"), ("Siemens", "ORG"), ("München", "LOC")]),
        ("Der Vorstandschef der Deutschen Bank, Christian Sewing, sprach in Frankfurt.",
         [("Christian Sewing", "PER"), ("Frankfurt", "LOC")]),
    ],
    "en": [
        ("Angela Merkel visited the Siemens factory in Munich.", [("Angela Merkel", "PER"), ("Munich", "LOC")]),
        ("Google and Amazon opened offices in Dublin.", [("Google", "ORG"), ("Amazon", "ORG"), ("Dublin", "LOC")]),
    ],
    "fr": [
        ("Emmanuel Macron a reçu mardi à Paris les dirigeants du groupe.",
         [("Emmanuel Macron", "PER"), ("Paris", "LOC")]),
        ("La société a levé des fonds auprès de BNP Paribas, a annoncé Arthur Mensch à Lyon.",
         [("BNP Paribas", "ORG"), ("Arthur Mensch", "PER"), ("Lyon", "LOC")]),
    ],
    "es": [
        ("El presidente Pedro Sánchez se reunió en Madrid con los directivos de Telefónica.",
         [("Pedro Sánchez", "PER"), ("Madrid", "LOC"), ("Telefónica", "ORG")]),
        ("La empresa Repsol anunció ayer en Barcelona un acuerdo con el Banco Santander.",
         [("Repsol", "ORG"), ("Barcelona", "LOC"), ("Banco Santander", "ORG")]),
    ],
}


@cache
def _load(lang: str) -> Language:
    path = shipped_model(lang)
    assert path is not None, f"kg/models/{lang}_kg_ner is missing"
    return spacy.load(path)


def _size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1_000_000


@pytest.mark.parametrize("lang", SHIPPED)
def test_model_is_shipped_small_and_kg_shaped(lang: str) -> None:
    path = shipped_model(lang)
    assert path is not None and path.parent == MODELS_DIR
    assert _size_mb(path) <= MAX_MB
    nlp = _load(lang)
    assert nlp.lang == lang
    assert nlp.pipe_names == ["sentencizer", "ner"]
    assert {"PER", "ORG", "LOC"} <= set(nlp.get_pipe("ner").labels)  # type: ignore[attr-defined]
    assert resolve_base(f"kg/models/{lang}_kg_ner") == str(path)


@pytest.mark.parametrize("lang", SHIPPED)
def test_model_card_states_data_licence_and_scores(lang: str) -> None:
    path = shipped_model(lang)
    assert path is not None
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    assert meta["license"] and meta["sources"]
    assert meta["performance"]["ents_f"] > 0.5
    card = REPO / "training" / "cards" / f"{lang}.md"
    assert card.is_file()
    assert (path / "README.md").read_text(encoding="utf-8") == card.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", sorted(CASES))
def test_finds_clear_entities(lang: str) -> None:
    nlp = _load(lang)
    for text, expected in CASES[lang]:
        found = {(ent.text, ent.label_) for ent in nlp(text).ents}
        missing = [e for e in expected if e not in found]
        assert not missing, f"{lang}: {missing} not in {sorted(found)}"


def test_kg_rule_components_fit_in_front() -> None:
    """kg inserts its rule components before the first shipped component."""
    nlp = spacy.load(shipped_model("en") or "")
    nlp.add_pipe("kg_line_breaks", before="sentencizer")
    doc = nlp("Apple opens an office in London\nTim Cook spoke in New York.")
    sentences = [s.text.strip() for s in doc.sents]
    assert sentences == ["Apple opens an office in London", "Tim Cook spoke in New York."]
    assert ("Tim Cook", "PER") in {(e.text, e.label_) for e in doc.ents}
