"""Issue 14, items 8, 10 and 14: long articles, a full disk, graph files written whole, a bad gazetteer,
bad endpoint URLs, stale claims, --version, broken pipes, the saved-query list and the summary."""

from __future__ import annotations

import hashlib
import itertools
import re
import resource
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import EXAMPLES, MINI, REPO, Built, run_cli, sparql_rows

import kg.build.work
from kg.build.driver import BuildReport
from kg.store import GraphStore
from kg.store.claims import mark_claims_stale

KG = [sys.executable, "-m", "kg.cli"]


def _long_text(chars: int) -> str:
    base = "\n\n".join(
        (REPO / EXAMPLES / n).read_text(encoding="utf-8") for n in ("en_nvidia_poland.txt", "en_softbank_polder.txt")
    )
    text = (base + "\n\n") * (chars // (len(base) + 2) + 1)
    return text[:chars]


def _offsets_point_at_their_text(out: Path) -> int:
    store = GraphStore(out / "store", read_only=True)
    rows = sparql_rows(store, """
        SELECT ?text ?anchor ?begin ?end WHERE {
          ?a nif:isString ?text . ?m nif:referenceContext ?a ; nif:anchorOf ?anchor ;
             nif:beginIndex ?begin ; nif:endIndex ?end }""")  # fmt: skip
    assert rows
    for row in rows:
        text, begin, end = str(row["text"]), int(str(row["begin"])), int(str(row["end"]))
        assert text[begin:end] == row["anchor"], row
    return len(rows)


def test_articles_in_pieces_keep_their_offsets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "long.txt"
    path.write_text(_long_text(30_000), encoding="utf-8")
    whole = tmp_path / "whole"
    assert run_cli("build", str(path), "--out", str(whole), "--no-render").exit_code == 0
    monkeypatch.setattr(kg.build.work, "PIECE_CHARS", 4_000)
    assert len(kg.build.work.piece_bounds(path.read_text(encoding="utf-8"))) > 7
    pieces = tmp_path / "pieces"
    result = run_cli("build", str(path), "--out", str(pieces), "--no-render")
    assert result.exit_code == 0, result.stderr
    mentions = _offsets_point_at_their_text(pieces)
    assert mentions > 0.9 * _offsets_point_at_their_text(whole)  # only names across a cut can be lost


def test_piece_bounds_cover_the_text_and_cut_at_ends() -> None:
    text = ("A sentence that ends here. " * 50 + "\n") * 40 + "x" * 9_000
    bounds = kg.build.work.piece_bounds(text, 5_000)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))
    assert all(end - start <= 5_000 for start, end in bounds)
    assert all(text[end - 1] == "\n" for _, end in bounds if end < len(text) - 9_000)  # at line ends first
    assert [end - start for start, end in bounds if start >= len(text) - 9_000] == [5_000, 351]  # no end: cut


def test_an_article_over_a_million_characters_is_built(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text(_long_text(1_000_200), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(path), "--out", str(out), "--no-render", "--no-export")
    assert result.exit_code == 0, result.stderr
    assert "E199" not in result.stderr and "1 articles (en 1)" in result.stdout
    store = GraphStore(out / "store", read_only=True)
    [row] = sparql_rows(store, "SELECT ?n WHERE { ?a nif:endIndex ?n ; nif:isString ?t }")
    assert row["n"] == "1000200"


def _limited(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # writes past this fail with EFBIG, like a full disk


def test_a_full_disk_stops_the_build_with_one_error_and_the_store_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", MINI, "--out", str(out), "--no-render").exit_code == 0
    trig = hashlib.sha256((out / "graph.trig").read_bytes()).hexdigest()
    before = GraphStore(out / "store", read_only=True)
    graphs, triples = before.graph_count(), before.count()
    del before
    result = subprocess.run([*KG, "build", EXAMPLES, "--out", str(out), "--no-render"], cwd=REPO,
                            preexec_fn=lambda: _limited(150_000), capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 2
    assert re.fullmatch(r"kg: E201 cannot write the store \S+: .*File too large.*\n", result.stderr), result.stderr
    after = GraphStore(out / "store", read_only=True)
    assert (after.graph_count(), after.count()) == (graphs, triples + 1)  # + the stale-claims marker
    assert hashlib.sha256((out / "graph.trig").read_bytes()).hexdigest() == trig
    note = run_cli("query", "claims", "--out", str(out))
    assert "kg: note: the claims are out of date" in note.stderr


def test_graph_files_are_renamed_into_place_only_when_complete(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", MINI, "--out", str(out), "--no-render").exit_code == 0
    good = (out / "graph.trig").read_bytes()
    (out / "graph.trig.partial").mkdir()  # the temporary file cannot be created
    result = run_cli("build", f"{MINI}/en_us.txt", "--out", str(out), "--no-render", "--lang", "de")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kg: E320 {out}/graph.trig: cannot write the export: ")
    assert (out / "graph.trig").read_bytes() == good
    (out / "graph.trig.partial").rmdir()
    export = subprocess.run([*KG, "export", "--out", str(out), "-f", "nq", "-o", str(tmp_path / "all.nq")], cwd=REPO,
                            preexec_fn=lambda: _limited(20_000), capture_output=True, text=True)  # fmt: skip
    assert export.returncode == 2 and "E320" in export.stderr and "Traceback" not in export.stderr
    assert not (tmp_path / "all.nq").exists() and not (tmp_path / "all.nq.partial").exists()


def test_a_bad_gazetteer_cell_is_one_error_naming_the_row(tmp_path: Path) -> None:
    gazetteer = tmp_path / "orgs.csv"
    gazetteer.write_text("id,label,wikidata\nacme,Acme Robotics,Q123\nbad,Bad Corp,Q 12 <x>\n", encoding="utf-8")
    result = run_cli("build", MINI, "--out", str(tmp_path / "out"), "--gazetteer", str(gazetteer), "--no-render")
    assert result.exit_code == 2
    assert result.stderr == (f"kg: E130 {gazetteer}:3: wikidata cell 'Q 12 <x>' is not a Wikidata id such as Q95 "
                             "(or leave it empty)\n")  # fmt: skip
    assert not (tmp_path / "out" / "store").exists()


@pytest.mark.parametrize("url", ["http://localhost:99999/sparql", "http://[::1/sparql", "http://u:secret@[::1/x"])
def test_kg_load_bad_urls_are_usage_errors(built_mini: Built, url: str) -> None:
    result = run_cli("load", "--endpoint", url, "--out", str(built_mini.out))
    assert result.exit_code == 2 and result.exception is None
    assert result.stderr.startswith("kg: E306 --endpoint ") and "secret" not in result.stderr


def test_stale_claims_are_reported_and_rebuilt(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", MINI, "--out", str(out), "--no-render").exit_code == 0
    store = GraphStore(out / "store")
    mark_claims_stale(store)  # what a build killed before its claims step leaves behind
    del store
    assert "claims are out of date" in run_cli("query", "claims", "--out", str(out)).stderr
    assert "claims are out of date" not in run_cli("query", "sources", "--out", str(out)).stderr
    assert run_cli("build", f"{MINI}/en_us.txt", "--out", str(out), "--no-render").exit_code == 0
    assert run_cli("query", "claims", "--out", str(out)).stderr == ""


def test_version_broken_pipe_and_saved_query_columns(built_mini: Built) -> None:
    version = run_cli("--version")
    assert version.exit_code == 0 and re.fullmatch(r"kg \d+\.\d+\.\d+\S*\n", version.stdout)
    piped = subprocess.run(f"{sys.executable} -m kg.cli export --out {built_mini.out} -f nq | head -c 100 >/dev/null",
                           shell=True, cwd=REPO, capture_output=True, text=True)  # fmt: skip
    assert piped.stderr == ""
    listing = {line.split()[0]: line for line in run_cli("query", "--list").stdout.splitlines()}
    assert listing["investments"].endswith(", qualifier, fact, confidence")
    assert listing["organizations"].endswith("Columns: source, org, label, wikidata, mentions")


def test_summary_numbers_are_formatted_alike(built_mini: Built, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.build.summary import print_summary

    report = BuildReport(articles=Counter({"en": 1234, "nl": 5678}), mentions=Counter({"country": 12345}),
                         facts=Counter({"amounts": 2000}), claims=1500, triples=1234567, graphs=6913,
                         duplicates=1001, unsupported=Counter({"pl": 1200}), seconds=1234.5)  # fmt: skip
    print_summary(report, GraphStore(built_mini.out / "store", read_only=True), built_mini.out, [])
    text = capsys.readouterr().out
    for number in ("6,912 articles", "en 1,234", "nl 5,678", "12,345 country", "2,000 amounts", "1,500 (facts",
                   "1,234,567 triples", "6,913 graphs", "1,001 duplicate", "pl 1,200", "1,234.5 s"):  # fmt: skip
        assert number in text, (number, text)
    assert not re.search(r"\d{4}", re.sub(r"\d{4}-\d\d-\d\d|/\S+", "", text)), text
