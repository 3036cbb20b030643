"""``kg export`` bulk-load files: gzip, completeness, failures, and a real bulk load into Virtuoso."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import httpx
import pytest
from conftest import Built, run_cli
from pyoxigraph import Quad, RdfFormat, parse
from virtuoso_fixture import (
    needs_virtuoso,
    server_fixture,  # noqa: F401 - registers the virtuoso_server fixture
)

from kg.rdf.namespaces import KGID
from kg.store import GraphStore
from kg.testing.virtuoso import LocalVirtuoso

FORMATS = {"nq": RdfFormat.N_QUADS, "trig": RdfFormat.TRIG}


def store_quads(built: Built) -> set[Quad]:
    return set(GraphStore(built.store_path, read_only=True).quads())


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_gzip_file_holds_every_quad_in_its_graph(built_mini: Built, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"graph.{fmt}.gz"
    result = run_cli("export", "--out", str(built_mini.out), "--format", fmt, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes()[:2] == b"\x1f\x8b"  # compressed because the name ends in .gz
    assert not list(tmp_path.glob("*.partial"))
    with gzip.open(target) as stream:
        assert set(parse(io.BytesIO(stream.read()), FORMATS[fmt])) == store_quads(built_mini)


def test_gzip_to_stdout(built_mini: Built) -> None:
    result = run_cli("export", "--out", str(built_mini.out), "--format", "nq", "--gzip")
    assert result.exit_code == 0, result.stderr
    quads = set(parse(io.BytesIO(gzip.decompress(result.stdout_bytes)), RdfFormat.N_QUADS))
    assert quads == store_quads(built_mini)


def test_trig_uses_vocabulary_prefixes_but_full_kg_iris(built_mini: Built) -> None:
    text = run_cli("export", "--out", str(built_mini.out), "--format", "trig").stdout
    assert "@prefix schema: <https://schema.org/> ." in text
    assert "\\/" not in text  # no escaped slashes in prefixed names, which some loaders reject
    assert f"<{KGID}graph/" in text


def test_unwritable_target_is_one_line_naming_it(built_mini: Built, tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "graph.nq.gz"
    result = run_cli("export", "--out", str(built_mini.out), "--format", "nq", "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"kg: E320 {target}: cannot write the export: No such file or directory"


@needs_virtuoso
def test_virtuoso_bulk_loader_reads_the_exports(built_examples: Built, virtuoso_server: LocalVirtuoso) -> None:
    """The README's Virtuoso recipe: ld_dir + rdf_loader_run on the gzip'd TriG and N-Quads."""
    expected = store_quads(built_examples)
    for fmt in sorted(FORMATS):
        virtuoso_server.drop_graphs(str(KGID))
        folder = virtuoso_server.folder / f"bulk-{fmt}"  # inside the server's DirsAllowed
        folder.mkdir()
        target = folder / f"graph.{fmt}.gz"
        assert run_cli("export", "--out", str(built_examples.out), "-f", fmt, "-o", str(target)).exit_code == 0
        virtuoso_server.isql(f"ld_dir('{folder}', '*.gz', '{KGID}graph/unnamed');", "rdf_loader_run();", "checkpoint;")
        query = (
            f'SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{KGID}")) }} '
            "GROUP BY ?g"
        )
        response = httpx.post(
            virtuoso_server.sparql, data={"query": query}, headers={"Accept": "application/sparql-results+json"}
        )
        counts = {b["g"]["value"]: int(b["n"]["value"]) for b in response.json()["results"]["bindings"]}
        want: dict[str, int] = {}
        for quad in expected:
            want[quad.graph_name.value] = want.get(quad.graph_name.value, 0) + 1  # type: ignore[union-attr]
        assert counts == want, fmt


def test_gzip_header_names_the_final_file_not_the_partial_one(built_mini: Built, tmp_path: Path) -> None:
    target = tmp_path / "graph.nq.gz"
    assert run_cli("export", "--out", str(built_mini.out), "--format", "nq", "-o", str(target)).exit_code == 0
    header = target.read_bytes()
    assert header[3] & 0x08  # FNAME present
    name = header[10 : header.index(b"\0", 10)]
    assert name == b"graph.nq"
