"""The public-corpus converter reads WikiNEuRal files and cuts them the way the recipe does.

The lines here are written for this test (invented names, never corpus text): WikiNEuRal's
``index<TAB>token<TAB>tag`` layout, MISC kept, and the contiguous head/tail split that turns
the upstream ``val.conllu`` into kg's train and dev files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import training_script

from kg.train import read_conll

cp = training_script("convert_public")

# ten sentences: sentence i names "Lorenzo Vitali<i>" (PER), and every fifth a MISC and an ORG
SENTENCES = [
    [("Lorenzo", "B-PER"), (f"Vitali{i}", "I-PER"), ("lavora", "O"), ("a", "O"), ("Brevona", "B-LOC"), (".", "O")]
    + (
        [("per", "O"), ("Festival", "B-MISC"), ("Ardesia", "I-MISC"), ("e", "O"), ("Ferrotel", "I-ORG")]
        if i % 5 == 0
        else []
    )
    for i in range(10)
]


def _write_wikineural(path: Path) -> None:
    blocks = ["".join(f"{j}\t{tok}\t{tag}\n" for j, (tok, tag) in enumerate(sent)) for sent in SENTENCES]
    path.write_text("\n".join(blocks) + "\n", encoding="utf-8")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert cp.main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_wikineural_layout_keeps_misc_and_repairs_stray_inside_tags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "val.conllu"
    _write_wikineural(src)
    out = tmp_path / "all.conll"
    stats = _run(capsys, "--format", "wikineural", str(src), "--out", str(out))
    assert stats["sentences"] == 10
    assert stats["entities"] == {"LOC": 10, "MISC": 2, "ORG": 2, "PER": 10}
    words, tags = next(iter(read_conll(out)))
    assert words[:3] == ["Lorenzo", "Vitali0", "lavora"]  # the index column is gone
    assert tags[-5:] == ["O", "B-MISC", "I-MISC", "O", "B-ORG"]  # an I- after O starts an entity


def test_head_and_tail_split_the_file_contiguously(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "val.conllu"
    _write_wikineural(src)
    head, tail = tmp_path / "train.conll", tmp_path / "dev.conll"
    assert _run(capsys, "--format", "wikineural", "--part", "head", str(src), "--out", str(head))["sentences"] == 9
    assert _run(capsys, "--format", "wikineural", "--part", "tail", str(src), "--out", str(tail))["sentences"] == 1
    head_names = [words[1] for words, _ in read_conll(head)]
    assert head_names == [f"Vitali{i}" for i in range(9)]
    assert [words[1] for words, _ in read_conll(tail)] == ["Vitali9"]
