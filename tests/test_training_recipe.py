"""The NER training recipe runs end to end.

CI cannot retrain the shipped models (minutes per language), but it can run
the very same recipe, config included, on a tiny hand-written corpus for a few
steps: that catches a broken config, converter or packaging step long before
someone needs to retrain for real.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from kg.train import (
    REPO_CONFIG,
    conll_to_docbin,
    evaluate_ner,
    main,
    normalise_tags,
    read_conll,
    train_ner,
)

TINY = Path(__file__).resolve().parent / "fixtures" / "ner_tiny"
TRAIN, DEV = TINY / "train.conll", TINY / "dev.conll"


def test_read_conll_splits_sentences_and_rejects_bad_lines(tmp_path: Path) -> None:
    sentences = list(read_conll(TRAIN))
    assert len(sentences) == 24
    words, tags = sentences[0]
    assert words[:2] == ["Anna", "Kowalski"] and tags[:2] == ["B-PER", "I-PER"]
    bad = tmp_path / "bad.conll"
    bad.write_text("Anna\tB-PER\nKowalski I-PER\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.conll:2"):
        list(read_conll(bad))


def test_normalise_tags_drops_labels_and_repairs_stray_inside_tags() -> None:
    tags = ["I-ORG", "I-ORG", "O", "B-MISC", "I-MISC", "I-PER", "B-LOC", "I-ORG"]
    assert normalise_tags(tags, drop_labels=["MISC"]) == ["B-ORG", "I-ORG", "O", "O", "O", "B-PER", "B-LOC", "B-ORG"]
    with pytest.raises(ValueError):
        normalise_tags(["X-ORG"])


def test_conversion_keeps_entities(tmp_path: Path) -> None:
    stats = conll_to_docbin("en", [DEV], tmp_path / "dev.spacy")
    assert stats.sentences == 6
    assert stats.entities == {"LOC": 5, "ORG": 4, "PER": 4}
    docs = list(DocBin().from_disk(tmp_path / "dev.spacy").get_docs(spacy.blank("en").vocab))
    assert [(e.text, e.label_) for e in docs[0].ents] == [
        ("Lucas Ferreira", "PER"),
        ("Northwind Logistics", "ORG"),
        ("Porto", "LOC"),
    ]


def test_recipe_trains_a_loadable_pipeline(tmp_path: Path) -> None:
    """A few steps with the shipped config give a kg-shaped pipeline directory."""
    assert REPO_CONFIG.is_file()
    out = tmp_path / "en_kg_ner"
    meta = {"license": "CC0-1.0 (test fixture)", "sources": [{"name": "ner_tiny", "license": "CC0-1.0"}]}
    scores = train_ner("en", TRAIN, DEV, out, max_steps=12, meta=meta, workdir=tmp_path / "work", quiet=True)
    assert 0.0 <= scores.f1 <= 1.0

    nlp = spacy.load(out)
    assert nlp.pipe_names == ["sentencizer", "ner"]
    assert set(nlp.get_pipe("ner").labels) == {"LOC", "ORG", "PER"}  # type: ignore[attr-defined]
    saved = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert saved["name"] == "kg_ner" and saved["lang"] == "en"
    assert saved["license"] == meta["license"]
    assert saved["kg_training"]["train_data"]["sentences"] == 24
    assert "ents_f" in saved["performance"]
    assert "null" in (out / "config.cfg").read_text(encoding="utf-8").split("[system]")[0]  # no training paths kept
    doc = nlp("Anna Kowalski met the board in Rotterdam.\nIt went well.")
    assert len(list(doc.sents)) == 2

    # The same directory scores through the command line's evaluate entry point.
    assert evaluate_ner(out, DEV).sentences == 6
    assert main(["evaluate", "--model", str(out), "--dev", str(DEV), "--json"]) == 0


def test_refuses_to_overwrite_something_that_is_not_a_pipeline(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError):
        train_ner("en", TRAIN, DEV, precious, max_steps=1, workdir=tmp_path / "work", quiet=True)
    assert (precious / "notes.txt").is_file()
