"""Issue 14, items 9, 11 and 12: UTF-8 with a few bad bytes, compressed and linked inputs, control
characters in file names and in query tables. Real files, the real CLI, real stores."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from conftest import MINI, REPO, run_cli, sparql_rows

from kg.ingest.decode import decode_bytes
from kg.store import GraphStore

FRENCH = (
    "Société Générale finance un centre de données à Marseille\n\n"
    "La banque française Société Générale a annoncé mardi un prêt de 300 millions d'euros à la société "
    "Sesterce pour un centre de données à Marseille. « Nous voulons accélérer », a déclaré sa directrice.\n"
)


def _sources(out: Path) -> list[dict[str, str | None]]:
    store = GraphStore(out / "store", read_only=True)
    return sparql_rows(store, "SELECT ?source ?lang ?text WHERE { ?a dcterms:source ?source ; "
                              "dcterms:language ?lang ; nif:isString ?text }")  # fmt: skip


def test_utf8_with_a_few_bad_bytes_stays_utf8_with_a_warning(tmp_path: Path) -> None:
    good = FRENCH.encode("utf-8")
    cut = good.index(b"Sesterce")
    data = good[:cut] + b"\xff\xfe" + good[cut:]
    path = tmp_path / "bad_bytes.txt"
    path.write_bytes(data)
    out = tmp_path / "out"
    result = run_cli("build", str(path), "--out", str(out), "--no-render")
    assert result.exit_code == 0, result.stderr
    warning = [line for line in result.stderr.splitlines() if "W110" in line]
    assert warning == [f"warning: {path}: W110 2 invalid UTF-8 byte(s) replaced with U+FFFD, the first at byte "
                       f"offset {cut}; the rest of the file is UTF-8"]  # fmt: skip
    [row] = _sources(out)
    assert row["lang"] == "fr"
    assert "Société Générale" in (row["text"] or "") and "\ufffd\ufffdSesterce" in (row["text"] or "")
    assert "1 warning(s)" in result.stdout


def test_legacy_encodings_are_still_legacy() -> None:
    warnings: list[object] = []
    text = decode_bytes(FRENCH.encode("cp1252"), "legacy.txt", warnings)  # type: ignore[arg-type]
    assert "Société Générale" in text and "«" in text and not warnings
    assert decode_bytes((REPO / "tests/fixtures/bad/latin1.txt").read_bytes(), "l", warnings)  # type: ignore[arg-type]
    assert not warnings


def test_gzip_inputs_and_links_in_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    folder.mkdir()
    mini = sorted((REPO / MINI).glob("*.txt"))
    (folder / "a.txt.gz").write_bytes(gzip.compress(mini[0].read_bytes()))
    lines = [json.dumps({"text": mini[1].read_text(encoding="utf-8"), "url": "https://example.org/b"})]
    (folder / "b.jsonl.gz").write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    (folder / "bomb.txt.gz").write_bytes(gzip.compress(b"a " * 600_000))  # 1.2 MB once decompressed
    (folder / "broken.txt.gz").write_bytes(b"\x1f\x8b\x08\x00garbage that is not deflate")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "c.txt").write_bytes(mini[2].read_bytes())
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "dangling.txt").symlink_to(tmp_path / "nothing-here.txt")
    out = tmp_path / "out"
    result = run_cli("build", str(folder), "--out", str(out), "--no-render", "--max-bytes", "1000000")
    assert result.exception is None
    lines = result.stderr.splitlines()
    assert (
        f"error: {folder}/bomb.txt.gz: E105 decompressed text is too large (over 1,000,000 bytes, see --max-bytes)"
        in lines
    )
    assert any(line.startswith(f"error: {folder}/broken.txt.gz: E109 not a readable gzip file") for line in lines)
    assert (
        f"warning: {folder}/dangling.txt: W112 skipped: a symbolic link that leads nowhere (dangling, or a loop)"
        in lines
    )
    assert any(line.startswith(f"warning: {folder}/loop: W112 folder skipped: it is {folder} again") for line in lines)
    sources = {str(r["source"]) for r in _sources(out)}
    assert sources == {f"{folder}/a.txt.gz", "https://example.org/b", f"{folder}/linked/c.txt"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders whatever their permissions")
def test_unreadable_subfolder_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    (folder / "locked").mkdir(parents=True)
    (folder / "a.txt").write_bytes(sorted((REPO / MINI).glob("*.txt"))[0].read_bytes())
    (folder / "locked").chmod(0)
    try:
        result = run_cli("build", str(folder), "--out", str(tmp_path / "out"), "--no-render")
    finally:
        (folder / "locked").chmod(0o755)
    assert f"warning: {folder}/locked: W112 folder skipped: cannot read it (Permission denied)" in result.stderr


def test_control_characters_in_names_cannot_forge_lines_or_drive_the_terminal(tmp_path: Path) -> None:
    empty = tmp_path / "x\nerror: forged.txt"
    empty.write_text("")
    colour = tmp_path / "red\x1b[31m\u202e.txt"
    colour.write_bytes(sorted((REPO / MINI).glob("*.txt"))[0].read_bytes())
    out = tmp_path / "out"
    result = run_cli("build", str(empty), str(colour), "--out", str(out), "--no-render")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"error: {tmp_path}/x\\nerror: forged.txt: E101 file is empty"]
    assert "\x1b" not in result.stdout + result.stderr
    table = run_cli("query", "sources", "--out", str(out))
    assert table.exit_code == 0, table.stderr
    assert "\x1b" not in table.stdout and "\u202e" not in table.stdout
    short = run_cli("query", 'SELECT (STRAFTER(?s, "/red") AS ?n) WHERE { ?a dcterms:source ?s }', "--out", str(out))
    assert "\\x1b[31m\\u202e.txt" in short.stdout
    tsv = run_cli("query", "SELECT ?s WHERE { ?a dcterms:source ?s }", "--out", str(out), "--format", "tsv")
    assert "\x1b" not in tsv.stdout and "\\u001B[31m" in tsv.stdout
