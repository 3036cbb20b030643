"""The fork server of a parallel build loads the languages its input starts with, and only those."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from conftest import MINI, REPO

from kg.build.parallel import map_in_order
from kg.build.preload import SAMPLE_ITEMS, preloading, sample_languages, write_sample
from kg.build.work import WorkOptions
from kg.ingest.langid import DETECTABLE
from kg.ingest.sources import RawInput, iter_raw


def _languages_loaded(_: int) -> list[str]:
    """In a worker, before it has processed anything: the kg languages whose spaCy pipelines are loaded."""
    return sorted(lang for lang in DETECTABLE if f"spacy.lang.{lang}" in sys.modules)


def _feed(tmp_path: Path) -> list[RawInput]:
    """An English record that says its language and a Dutch one that does not (detected), twice over."""
    english = (REPO / MINI / "en_us.txt").read_text(encoding="utf-8")
    dutch = (REPO / MINI / "nl_openai.txt").read_text(encoding="utf-8")
    path = tmp_path / "feed.jsonl"
    lines = [json.dumps({"text": english, "lang": "en"}), json.dumps({"text": dutch})] * 2
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [item for item in iter_raw([str(path)]) if isinstance(item, RawInput)]


def test_the_sample_gives_its_languages_in_the_order_first_met(tmp_path: Path) -> None:
    items = _feed(tmp_path)
    sample = tmp_path / "sample.pickle"
    write_sample(str(sample), items * SAMPLE_ITEMS, WorkOptions(gazetteers=("/x/orgs.csv",)))
    assert sample_languages(str(sample)) == (["en", "nl"], ("/x/orgs.csv",))
    write_sample(str(sample), items, WorkOptions(lang="de"))  # --lang: every article is German
    assert sample_languages(str(sample)) == (["de"], ())


def test_workers_start_with_the_input_languages_loaded_and_no_others(tmp_path: Path) -> None:
    def lost(item: int, exc: BaseException) -> list[str]:
        raise AssertionError(exc)

    with preloading(_feed(tmp_path), WorkOptions()):
        loaded = list(map_in_order(_languages_loaded, [0, 1], workers=2, on_broken=lost))
    assert loaded == [["en", "nl"], ["en", "nl"]]
