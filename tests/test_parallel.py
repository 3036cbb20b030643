"""Parallel builds (--workers N): same graphs as one process, streamed input, progress bar; dead workers: see
test_build_routing.py."""

from __future__ import annotations

import io
import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path

from conftest import EXAMPLES, MINI, REPO, run_cli
from pyoxigraph import RdfFormat
from rich.console import Console

from kg.build.driver import BuildReport, build
from kg.build.progress import BuildProgress
from kg.ingest.sources import RawInput, iter_raw
from kg.store import GraphStore

WHEN = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def nquads(store: GraphStore) -> set[str]:
    """The store as a set of N-Quads lines (kg mints no blank nodes, so lines compare exactly)."""
    dump = store.raw.dump(format=RdfFormat.N_QUADS)
    assert dump is not None
    return set(dump.decode("utf-8").splitlines())


def wire(tmp_path: Path) -> Path:
    """A JSON Lines file with a duplicate of an example article, a bad line and a blank line."""
    text = (REPO / MINI / "en_us.txt").read_text(encoding="utf-8")
    records = [
        json.dumps({"text": "Siemens opened a factory in Portugal, the company said on Monday.", "lang": "en"}),
        "{not json",
        "",
        json.dumps({"text": text}),  # the same text as a file of the fixtures: stored once
    ]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(records) + "\n", encoding="utf-8")
    return path


def run(tmp_path: Path, name: str, workers: int, inputs: list[str]) -> tuple[BuildReport, set[str]]:
    store = GraphStore(tmp_path / name / "store")
    report = build(inputs, tmp_path / name, store=store, workers=workers, extracted_at=WHEN)
    return report, nquads(store)


def test_two_workers_write_exactly_what_one_process_writes(tmp_path: Path) -> None:
    inputs = [str(REPO / MINI), str(wire(tmp_path)), str(REPO / EXAMPLES / "de_ki_gigafactory_konsortium.txt")]
    one, one_quads = run(tmp_path, "one", 1, inputs)
    two, two_quads = run(tmp_path, "two", 2, inputs)
    assert one_quads == two_quads and len(one_quads) > 1000
    assert (two.articles, two.mentions, two.facts) == (one.articles, one.mentions, one.facts)
    assert sum(two.articles.values()) == 4 + 2 + 1  # every article read, the duplicate included
    assert two.duplicates == one.duplicates == 1
    assert [str(e) for e in two.errors] == [str(e) for e in one.errors]
    [error] = two.errors
    assert error.code == "E107" and error.source.endswith("wire.jsonl:2")
    assert (two.triples, two.graphs, two.claims) == (one.triples, one.graphs, one.claims)
    assert two.workers == 2 and two.words == one.words > 400
    for stage in ("ingest", "nlp", "extract", "resolve", "rdf", "store", "claims"):
        assert two.stage_seconds[stage] > 0, stage


def test_cli_workers_builds_and_draws_no_progress_bar_off_a_terminal(tmp_path: Path) -> None:
    result = run_cli("build", f"{MINI}/en_us.txt", f"{MINI}/nl_openai.txt", "--out", str(tmp_path), "--workers", "2")
    assert result.exit_code == 0, result.stderr
    assert "kg build: 2 articles (en 1, nl 1)" in result.stdout
    assert result.stderr == ""  # no bar, no stray output when stderr is not a terminal


def test_progress_bar_shows_articles_rate_and_eta(tmp_path: Path) -> None:
    sink = io.StringIO()
    console = Console(file=sink, force_terminal=True, width=160)
    with BuildProgress([str(REPO / EXAMPLES)], True, console=console) as bar:
        assert bar.total and bar.total > 10_000  # the input's bytes: the ETA needs no pre-count of articles
        bar.update(7, bar.total // 2)
        bar._progress.refresh()  # type: ignore[union-attr]
    drawn = sink.getvalue()
    assert "7 articles" in drawn and "/s" in drawn and "50%" in drawn and "ETA" in drawn


def test_progress_is_off_by_default_when_stderr_is_not_a_terminal() -> None:
    sink = io.StringIO()
    with BuildProgress([str(REPO / EXAMPLES)], console=Console(file=sink)) as bar:
        bar.update(3, 100)
    assert not bar.enabled and sink.getvalue() == ""


def test_jsonl_is_streamed_line_by_line(tmp_path: Path) -> None:
    """The first article comes out while the rest of the file has not even been written (a pipe)."""
    fifo = tmp_path / "feed.jsonl"
    os.mkfifo(fifo)
    second_written = threading.Event()
    release = threading.Event()

    def writer() -> None:
        with fifo.open("w", encoding="utf-8") as handle:
            handle.write(json.dumps({"text": "first article"}) + "\n")
            handle.flush()
            release.wait(10)
            handle.write(json.dumps({"text": "second article"}) + "\n")
            second_written.set()

    thread = threading.Thread(target=writer)
    thread.start()
    items = iter_raw([str(fifo)])
    first = next(items)
    assert isinstance(first, RawInput) and first.source.endswith("feed.jsonl:1")
    assert not second_written.is_set()
    release.set()
    second = next(items)
    thread.join(10)
    assert isinstance(second, RawInput) and b"second article" in second.data


def test_oversized_json_line_is_skipped_without_holding_it(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    huge = json.dumps({"text": "x" * 3_000_000})
    path.write_text(huge + "\n" + json.dumps({"text": "small"}) + "\n", encoding="utf-8")
    items = list(iter_raw([str(path)], max_bytes=1000))
    assert [getattr(i, "code", None) for i in items] == ["E105", None]
    assert items[0].source.endswith("big.jsonl:1") and items[1].source.endswith("big.jsonl:2")


def test_workers_zero_means_one_per_core(tmp_path: Path) -> None:
    result = run_cli("build", f"{MINI}/en_us.txt", "--out", str(tmp_path), "--workers", "0")
    assert result.exit_code == 0, result.stderr
    assert "kg build: 1 articles (en 1)" in result.stdout
