"""The gold projection turns annotated articles into NER training blocks.

The articles here are written for this test (never text of ../shared): names with
several surface forms, a longer name containing a shorter one, a name glued to a
word with a hyphen, a currency word that contains a country abbreviation.
"""

from __future__ import annotations

import json
from pathlib import Path

import spacy
from conftest import training_script

from kg.train import read_conll

pg = training_script("project_gold")

TEXT_DE = (
    "Nordlicht Energie baut Rechenzentrum\n"
    "\n"
    "Die Nordlicht Energie AG investiert 300 Millionen US-Dollar in Deutschland, sagte "
    "Nordlicht-Chefin Petra Albers am Dienstag. Albers nannte Nordlicht einen Pionier. "
    "Auch die Metallbank Hessen ist dabei, nicht aber Metall.\n"
)
GOLD_DE = {
    "id": "de_test_nordlicht",
    "lang": "de",
    "organizations": [
        {"name": "Nordlicht Energie", "aliases_in_text": ["Nordlicht Energie AG", "Nordlicht Energie", "Nordlicht"]},
        {"name": "Metallbank Hessen", "aliases_in_text": ["Metallbank Hessen"], "optional": True},
    ],
    "persons": [{"name": "Petra Albers", "mentions": ["Petra Albers", "Albers"]}],
    "countries": [{"iso": "DE", "mentions": ["Deutschland"]}, {"iso": "US", "mentions": ["US"]}],
}


def _write(root: Path, gold: dict, text: str) -> None:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "gold").mkdir(parents=True, exist_ok=True)
    (root / "docs" / f"{gold['id']}.txt").write_text(text, encoding="utf-8")
    (root / "gold" / f"{gold['id']}.json").write_text(json.dumps(gold), encoding="utf-8")


def _entities(words: list[str], tags: list[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for word, tag in zip(words, tags, strict=True):
        if tag.startswith("B-"):
            out.append((word, tag[2:]))
        elif tag.startswith("I-"):
            out[-1] = (f"{out[-1][0]} {word}", out[-1][1])
    return out


def test_longest_match_wins_and_every_occurrence_is_found() -> None:
    forms = {"ORG": frozenset({"Nordlicht", "Nordlicht Energie"}), "PER": frozenset(), "LOC": frozenset()}
    text = "Nordlicht Energie und Nordlicht"
    assert pg.find_spans(text, forms) == [(0, 17, "ORG"), (22, 31, "ORG")]


def test_no_match_inside_a_longer_word() -> None:
    forms = {"ORG": frozenset({"Metall"}), "PER": frozenset(), "LOC": frozenset()}
    assert pg.find_spans("Metallbank und Metall.", forms) == [(15, 21, "ORG")]


def test_article_projection(tmp_path: Path) -> None:
    _write(tmp_path, GOLD_DE, TEXT_DE)
    (article,) = pg.read_articles([tmp_path])
    projection = pg.project(article, spacy.blank("de"))
    assert len(projection.blocks) == 2  # the headline and the paragraph; the blank line is skipped
    found = [e for words, tags in projection.blocks for e in _entities(words, tags)]
    assert found == [
        ("Nordlicht Energie", "ORG"),
        ("Nordlicht Energie AG", "ORG"),
        ("Deutschland", "LOC"),
        ("Nordlicht", "ORG"),  # split off "Nordlicht-Chefin"
        ("Petra Albers", "PER"),
        ("Albers", "PER"),
        ("Nordlicht", "ORG"),
        ("Metallbank Hessen", "ORG"),
    ]
    words = [w for block, _ in projection.blocks for w in block]
    assert "US-Dollar" in words  # a currency word is no country mention: left whole and untagged
    no_loc = pg.project(article, spacy.blank("de"), loc=False)
    assert all(not t.endswith("LOC") for _, tags in no_loc.blocks for t in tags)


def test_prepare_writes_folds_without_overlap(tmp_path: Path) -> None:
    gold_dir = tmp_path / "gold_in"
    for i in range(5):
        gold = {**GOLD_DE, "id": f"de_test_{i}"}
        _write(gold_dir, gold, TEXT_DE)
    out = tmp_path / "out"
    stats = pg.prepare([gold_dir], ["de"], out, 3, 7, loc=True)
    assert stats["de"]["documents"] == 5 and stats["de"]["entities"]["PER"] == 10
    folds = json.loads((out / "de" / "folds.json").read_text(encoding="utf-8"))["folds"]
    assert sorted(x for f in folds for x in f) == [f"de_test_{i}" for i in range(5)]
    assert folds == pg.deal_folds([f"de_test_{i}" for i in range(5)], 3, 7)  # seeded: the same deal again
    for i, held in enumerate(folds):
        test_blocks = list(read_conll(out / "de" / f"fold{i}.test.conll"))
        train_blocks = list(read_conll(out / "de" / f"fold{i}.train.conll"))
        assert len(test_blocks) == 2 * len(held) and len(train_blocks) == 2 * (5 - len(held))
        assert sorted(p.stem for p in (out / "de" / f"fold{i}" / "docs").iterdir()) == held
        assert sorted(p.stem for p in (out / "de" / f"fold{i}" / "gold").iterdir()) == held
