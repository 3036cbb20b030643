"""Scale-out on Dask: a local cluster of two worker processes builds exactly what one process builds."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import EXAMPLES, MINI, REPO, run_cli
from pyoxigraph import RdfFormat, Store
from test_parallel import nquads

from kg.build.driver import build
from kg.errors import ClusterError
from kg.store import GraphStore
from kg.store.claims import CLAIMS_GRAPH
from kg.store.entities import entities_graph

distributed = pytest.importorskip("distributed")

WHEN = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    """Two worker processes with one thread each, as ``kg build --cluster local:2`` starts them."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.WARNING
        ) as cluster,
        distributed.Client(cluster) as connected,
    ):
        yield connected


def inputs(tmp_path: Path) -> list[str]:
    """The sample articles, a JSON Lines feed with a bad line, and a copy of a sample (stored once)."""
    feed = tmp_path / "feed.jsonl"
    copy = (REPO / EXAMPLES / "fr_openai_europe.txt").read_text(encoding="utf-8")
    lines = [json.dumps({"text": copy}), "[1, 2]", json.dumps({"text": "Telefónica invierte en España.", "lang": "es"})]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(REPO / EXAMPLES), str(feed)]


def test_cluster_build_is_identical_to_a_one_process_build(tmp_path: Path, client: object) -> None:
    from kg.build.cluster import build_on_cluster

    sources = inputs(tmp_path)
    local_store = GraphStore(tmp_path / "local" / "store")
    local = build(sources, tmp_path / "local", store=local_store, extracted_at=WHEN)
    shards = tmp_path / "shards"
    cluster_store = GraphStore(tmp_path / "cluster" / "store")
    # small partitions: several shards, and the copy of the article lands in another shard than the original
    remote = build_on_cluster(
        sources,
        tmp_path / "cluster",
        cluster=client,
        store=cluster_store,
        extracted_at=WHEN,
        shards_dir=shards,
        partition_articles=4,
    )
    assert nquads(cluster_store) == nquads(local_store)
    assert len(nquads(local_store)) > 5000
    assert (remote.articles, remote.mentions, remote.facts) == (local.articles, local.mentions, local.facts)
    assert remote.duplicates == local.duplicates == 1
    assert [str(e) for e in remote.errors] == [str(e) for e in local.errors]
    assert remote.errors[0].code == "E107" and remote.errors[0].source.endswith("feed.jsonl:2")
    assert (remote.triples, remote.graphs, remote.claims) == (local.triples, local.graphs, local.claims)
    assert remote.workers == 2

    # the kept shards are plain N-Quads: together they hold every article quad (a larger store can load them)
    files = sorted(shards.glob("part-*.nq"))
    assert len(files) >= 4
    loaded = Store()  # a store normalises literals (decimals) the same way, so compare store to store
    for file in files:
        loaded.load(path=str(file), format=RdfFormat.N_QUADS)
    stored = {q for q in cluster_store.quads() if q.graph_name not in (CLAIMS_GRAPH, entities_graph())}  # derived
    assert set(loaded) >= stored
    # only the duplicated article has quads in the shards that the store does not keep (its first copy's source)
    assert len({q.graph_name for q in set(loaded) - stored}) == 1

    # building again on the same store replaces every graph and changes nothing
    again = build_on_cluster(sources, tmp_path / "cluster", cluster=client, store=cluster_store, extracted_at=WHEN)
    assert nquads(cluster_store) == nquads(local_store)
    assert again.triples == local.triples
    assert not list((tmp_path / "cluster").glob("shards-*"))  # temporary shards are removed


def test_cli_cluster_local_builds_the_store(tmp_path: Path) -> None:
    result = run_cli("build", f"{MINI}/en_us.txt", "--out", str(tmp_path), "--cluster", "local:2")
    assert result.exit_code == 0, result.stderr
    assert "kg build: 1 articles (en 1)" in result.stdout


def test_unreachable_scheduler_is_a_one_line_error(tmp_path: Path) -> None:
    result = run_cli("build", f"{MINI}/en_us.txt", "--out", str(tmp_path), "--cluster", "tcp://127.0.0.1:9")
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("kg: E500 ") and "tcp://127.0.0.1:9" in line


def test_bad_local_worker_count_is_refused() -> None:
    from kg.build.cluster import _local_workers

    with pytest.raises(ClusterError, match="E503"):
        _local_workers("local:zero")
