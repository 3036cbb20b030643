"""A parallel build's workers each load only their share of the input's languages (issue 16, item 2)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from conftest import MINI, REPO

from kg.build.driver import build
from kg.build.parallel import LanguageRouter, Routed, map_routed
from kg.build.preload import shared_preloading
from kg.ingest.langid import DETECTABLE
from kg.store import GraphStore


def test_each_language_stays_with_the_worker_that_loaded_it_while_queues_are_even() -> None:
    router = LanguageRouter(2, load_cost=10_000)
    chosen = [router.choose(lang, 1_000) for lang in ["nl", "fr", "nl", "fr", "nl", "fr", "nl", "fr"]]
    assert chosen == [0, 1, 0, 1, 0, 1, 0, 1]
    assert router.loaded == [{"nl"}, {"fr"}]


def test_a_feed_in_one_language_keeps_every_worker_busy_from_the_start() -> None:
    router = LanguageRouter(3, load_cost=100_000)
    assert [router.choose("en", 1_000) for _ in range(3)] == [0, 1, 2]


def test_a_language_that_is_most_of_the_input_spreads_once_a_worker_falls_behind() -> None:
    router = LanguageRouter(2, load_cost=5_000)
    assert router.choose("fr", 1_000) == 0 and router.choose("en", 1_000) == 1
    chosen = [router.choose("en", 1_000) for _ in range(8)]
    assert chosen[:5] == [1] * 5  # until worker 1 is 5,000 ahead, loading English elsewhere does not pay
    assert 0 in chosen and router.loaded == [{"fr", "en"}, {"en"}]


def test_a_language_cheap_to_load_moves_sooner_than_a_dear_one() -> None:
    router = LanguageRouter(2, load_cost=100_000)
    assert router.choose("de", 1_000) == 0 and router.choose("fr", 1_000) == 1
    # both came back: de took 0.1 s to load, fr 2 s; the workers process 1,000 weight in 1 s
    router.returned(0, "de", 1_000, (0.1, 1.0))
    router.returned(1, "fr", 1_000, (2.0, 1.0))
    for _ in range(3):
        router.choose("fr", 1_000)  # worker 1 falls 3,000 behind
    assert router.choose("de", 1_000) == 0  # worker 0 has German: it stays there
    assert router.choose("fr", 1_000) == 1  # French would cost worker 0 2 x 2 s of loading: it stays too
    router.choose("fr", 1_000)
    router.choose("fr", 1_000)
    router.choose("fr", 1_000)
    assert router.choose("fr", 1_000) == 0  # six seconds behind: now loading French there pays


def _loaded_after(lang: str) -> list[str]:
    """In a worker: load ``lang``'s pipeline, then say which kg languages this worker has loaded."""
    from kg.nlp import load_pipeline

    load_pipeline(lang)
    return sorted(code for code in DETECTABLE if f"spacy.lang.{code}" in sys.modules)


def test_routed_workers_load_only_the_languages_sent_to_them() -> None:
    def lost(item: str, exc: BaseException) -> list[str]:
        raise AssertionError(exc)

    items = [Routed(lang, 100, lang) for lang in ["en", "nl", "en", "nl"]]
    with shared_preloading():
        loaded = list(map_routed(_loaded_after, items, workers=2, on_broken=lost))
    assert loaded == [["en"], ["nl"], ["en"], ["nl"]]


def _exit_on_three(item: int) -> int:
    if item == 3:
        os._exit(1)  # a worker killed outright, as by the kernel's out-of-memory killer
    return item * 10


def test_a_dead_routed_worker_costs_only_its_own_item() -> None:
    lost: list[int] = []

    def on_broken(item: int, exc: BaseException) -> int:
        lost.append(item)
        return -1

    items = [Routed("en" if i % 2 else "nl", 10, i) for i in range(8)]
    assert list(map_routed(_exit_on_three, items, workers=2, in_flight=4, on_broken=on_broken)) == [
        0,
        10,
        20,
        -1,
        40,
        50,
        60,
        70,
    ]
    assert lost == [3]


@pytest.mark.parametrize("workers", [2, 3])
def test_a_routed_build_keeps_input_order_and_reports_bad_inputs_where_they_are(tmp_path: Path, workers: int) -> None:
    good = sorted((REPO / MINI).glob("*.txt"))
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\xff\x00binary")
    inputs = [str(good[0]), str(empty), *[str(p) for p in good[1:]], str(binary)]
    errors: list[str] = []
    report = build(
        inputs,
        tmp_path / "out",
        store=GraphStore(tmp_path / "out" / "store"),
        workers=workers,
        on_error=lambda e: errors.append(str(e)),
    )
    one_errors: list[str] = []
    one = build(
        inputs,
        tmp_path / "one",
        store=GraphStore(tmp_path / "one" / "store"),
        workers=1,
        on_error=lambda e: one_errors.append(str(e)),
    )
    assert errors == one_errors and len(errors) == 2
    assert "empty.txt" in errors[0] and "blob.txt" in errors[1]
    assert report.articles == one.articles and sum(report.articles.values()) == len(good)
    assert report.facts == one.facts and report.triples == one.triples


def _die_on_marker(job: list, options: object) -> list:
    """In a worker: process a job, unless one of its articles asks the worker to die (as a native crash would)."""
    from kg.build.work import process_parsed

    if any("WORKER-DIES-HERE" in article.text for _, article in job):
        os._exit(1)
    return process_parsed(job, options)  # type: ignore[arg-type]


def test_an_article_that_kills_its_worker_is_the_only_one_lost(tmp_path: Path) -> None:
    from kg.build.driver import _LanguageJobs, _lost_job
    from kg.build.work import WorkOptions, batches
    from kg.ingest.sources import iter_raw

    feed = tmp_path / "feed.jsonl"
    lines = [
        {"text": "Siemens will invest 2 billion euros in a factory in Portugal, the company said.", "lang": "en"},
        {"text": "Philips investeert 30 miljoen euro in een fabriek in Eindhoven, meldde het bedrijf.", "lang": "nl"},
        {"text": "WORKER-DIES-HERE. Bosch opened an office in Lisbon.", "lang": "en"},
        {"text": "ASML opent een nieuw kantoor in Delft, zei het bedrijf dinsdag.", "lang": "nl"},
    ]
    feed.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    options = WorkOptions()
    jobs = _LanguageJobs(options)
    outcomes = []
    with shared_preloading():
        work = jobs.jobs(batches(iter_raw([str(feed)]), max_items=1))  # one article per job
        for done in map_routed(_die_on_marker, work, options, workers=2, on_broken=_lost_job):
            outcomes.extend(jobs.finished())
            jobs.add(done)
        outcomes.extend(jobs.finished())
    assert [o.source.rsplit(":", 1)[1] for o in outcomes] == ["1", "2", "3", "4"]
    assert [o.error.code if o.error else None for o in outcomes] == [None, None, "E501", None]
    assert all(o.quads > 0 for o in outcomes if o.error is None)
