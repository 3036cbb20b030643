"""The HTTP side of ``kg load`` without a server: retries, backoff, auth choice, redaction, digests.

A scripted ``httpx.MockTransport`` plays the server, so each failure mode is exact and fast;
the same code runs against a real Virtuoso in ``test_load_virtuoso.py``.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from pyoxigraph import Literal, NamedNode, Quad

from kg.errors import RemoteError
from kg.store import GraphStore
from kg.store.remote import (
    AutoAuth,
    GraphDigest,
    LoadOptions,
    Remote,
    RetryPolicy,
    Target,
    graph_batches,
    graph_digest,
    load_store,
    redact,
    split_credentials,
)

URL = "http://127.0.0.1:9/store"


def scripted(*answers: int | type[Exception], headers: dict[str, str] | None = None) -> Callable[..., httpx.Response]:
    """A handler answering each request with the next status (or raising the next transport error)."""
    queue = list(answers)

    def handle(request: httpx.Request) -> httpx.Response:
        answer = queue.pop(0)
        if isinstance(answer, type):
            raise answer("scripted failure", request=request)  # type: ignore[call-arg]
        return httpx.Response(answer, headers=headers or {}, text="" if answer < 300 else "problem line\nmore")

    return handle


def remote_with(handler: Callable[..., httpx.Response], retries: int = 3) -> tuple[Remote, list[float]]:
    waits: list[float] = []
    policy = RetryPolicy(retries=retries, backoff=0.5, sleep=waits.append)
    return Remote(Target(URL, graph_store=URL), policy=policy, transport=httpx.MockTransport(handler)), waits


def test_transient_failures_are_retried_with_growing_backoff() -> None:
    remote, waits = remote_with(scripted(503, httpx.ConnectError, 502, 201))
    assert remote.send("PUT", URL, content=b"").status_code == 201
    assert len(waits) == 3
    assert waits[0] < waits[1] < waits[2]  # 0.5, 1, 2 s give or take a quarter of jitter


def test_retry_after_header_sets_the_wait() -> None:
    remote, waits = remote_with(scripted(429, 201, headers={"Retry-After": "3"}))
    assert remote.send("PUT", URL).status_code == 201
    assert waits == [3.0]


def test_connection_refused_gives_up_after_the_retries_with_e301() -> None:
    remote, waits = remote_with(scripted(*[httpx.ConnectError] * 3), retries=2)
    with pytest.raises(RemoteError) as caught:
        remote.send("PUT", URL)
    assert caught.value.code == "E301"
    assert "cannot connect" in str(caught.value) and "after 3 attempts" in str(caught.value)
    assert len(waits) == 2


def test_permission_error_sent_as_500_is_not_retried() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, text="Virtuoso 42000 Error SR186:SECURITY: No permission to execute")

    remote, waits = remote_with(handler)
    with pytest.raises(RemoteError) as caught:
        remote.update("DROP SILENT GRAPH <http://example.org/g>")
    assert caught.value.code == "E303" and waits == []


def test_auto_auth_answers_a_basic_challenge_with_basic() -> None:
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization"))
        if "authorization" not in request.headers:
            return httpx.Response(401, headers={"WWW-Authenticate": 'Basic realm="store"'})
        return httpx.Response(204)

    client = httpx.Client(auth=AutoAuth("ann", "pa:ss"), transport=httpx.MockTransport(handler))
    assert client.put(URL, content=b"x").status_code == 204
    assert client.put(URL, content=b"y").status_code == 204
    token = base64.b64encode(b"ann:pa:ss").decode()
    assert seen == [None, f"Basic {token}", f"Basic {token}"]  # asks once, then sends at once


def test_urls_are_printed_and_stored_without_credentials() -> None:
    url = "https://ann:s3cret@store.example.org:8443/ds/data?token=abc#x"
    assert redact(url) == "https://store.example.org:8443/ds/data"
    clean, user, password = split_credentials(url)
    assert (user, password) == ("ann", "s3cret")
    assert "s3cret" not in clean and clean.startswith("https://store.example.org:8443/ds/data?token=abc")


def test_graph_digest_ignores_order_and_sees_every_change() -> None:
    graph = NamedNode("http://example.org/g")
    triples = [
        (NamedNode(f"http://example.org/s{i}"), NamedNode("http://example.org/p"), Literal(str(i))) for i in range(50)
    ]
    forward, backward, changed = GraphStore(None), GraphStore(None), GraphStore(None)
    for s, p, o in triples:
        forward.raw.add(Quad(s, p, o, graph))
    for s, p, o in reversed(triples):
        backward.raw.add(Quad(s, p, o, graph))
        changed.raw.add(Quad(s, p, Literal("x") if o.value == "7" else o, graph))
    assert graph_digest(forward, graph) == graph_digest(backward, graph)
    assert graph_digest(forward, graph) != graph_digest(changed, graph)
    assert graph_digest(forward, graph).triples == 50
    batches = list(graph_batches(forward, graph, 20))
    assert [count for _, count in batches] == [20, 20, 10]
    assert sum(body.count(b"\n") for body, _ in batches) == 50


def test_concurrent_puts_load_every_graph_once_and_fail_only_the_refused_one(tmp_path: Path) -> None:
    """Four requests in flight: each graph is PUT exactly once, a 400 for one graph fails that graph only."""
    store = GraphStore(None)
    graphs = [NamedNode(f"http://example.org/g{i}") for i in range(40)]
    for i, graph in enumerate(graphs):
        for j in range(3):
            store.raw.add(
                Quad(NamedNode(f"http://example.org/s{i}"), NamedNode("http://example.org/p"), Literal(str(j)), graph)
            )
    lock, in_flight, most, puts = threading.Lock(), [0], [0], Counter[str]()

    def handle(request: httpx.Request) -> httpx.Response:
        with lock:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
            puts[request.url.params["graph"]] += 1
        time.sleep(0.01)
        with lock:
            in_flight[0] -= 1
        return httpx.Response(400 if request.url.params["graph"].endswith("/g17") else 201)

    remote = Remote(Target(URL, graph_store=URL), transport=httpx.MockTransport(handle))
    report = load_store(store, remote, tmp_path / "state.json", LoadOptions(connections=4))
    assert most[0] > 1, "requests were not sent concurrently"
    assert puts == Counter({g.value: 1 for g in graphs})
    assert list(report.failed) == ["http://example.org/g17"] and report.fatal is None
    assert sorted(report.loaded) == sorted(g.value for g in graphs if not g.value.endswith("/g17"))
    assert report.triples_sent == 39 * 3 and not report.pending


def test_graph_digest_hashes_the_same_lines_as_the_request_bodies() -> None:
    """The digest streams Oxigraph's N-Triples; its lines are exactly the lines sent, whatever the literals hold."""
    graph = NamedNode("http://example.org/g")
    store = GraphStore(None)
    texts = ["plain", 'quote " and \\ backslash', "line\nbreak\r\tand tab", "Zürich 東京 🚀", "", "x" * 5000]
    for i, text in enumerate(texts):
        subject = NamedNode(f"http://example.org/s{i}")
        store.raw.add(Quad(subject, NamedNode("http://example.org/p"), Literal(text), graph))
        store.raw.add(Quad(subject, NamedNode("http://example.org/q"), Literal(text, language="de"), graph))
    body = b"".join(b for b, _ in graph_batches(store, graph, 1000))
    total = sum(int.from_bytes(hashlib.sha256(line + b"\n").digest(), "big") for line in body.splitlines())
    digest = graph_digest(store, graph)
    assert digest.triples == 2 * len(texts) == body.count(b"\n")
    assert digest.sha256 == f"{total % (1 << 256):064x}"
    assert graph_digest(store, NamedNode("http://example.org/empty")) == GraphDigest(f"{0:064x}", 0)
