"""``kg serve`` under attack or misuse (issue 14, items 1-4): SERVICE, CORS, denial of service, bad requests.

Real ``kg serve`` processes on free loopback ports, spoken to over real HTTP (httpx, http.client, raw sockets).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import REPO, Built
from test_serve import SLOW, Server, writable_copy

from kg.serve.sparqltext import ServicePolicy, TextRefused, tokens

ASK = "ASK { ?s ?p ?o }"
SERVICE_TRICKS = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { sErViCe <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { { { OPTIONAL { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } } } } }",
    "SELECT * WHERE { ?s ?p ?o .SERVICE <http://10.0.0.1/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ex:a\\# SERVICE <http://10.0.0.1/> { ?s ?p ?o } }",  # an escaped '#' is no comment
    "SELECT * WHERE { BIND(<http://10.0.0.1/> AS ?x) SERVICE ?x { ?s ?p ?o } }",
    "INSERT { <http://e/a> <http://e/b> ?o } WHERE { SERVICE <http://169.254.169.254/> { ?s ?p ?o } }",
]
SERVICE_WORDS = [
    'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" } LIMIT 1',
    "SELECT * WHERE { ?s ?p '''it's SERVICE <http://10.0.0.1/> {}''' } LIMIT 1",
    "SELECT * WHERE { # SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }\n ?s ?p ?o } LIMIT 1",
    "SELECT * WHERE { ?s <http://e/#SERVICE> ?o } LIMIT 1",
    "PREFIX service: <http://e/> SELECT * WHERE { ?s service:SERVICE ?o } LIMIT 1",
    'SELECT * WHERE { ?s ?p "a\\"SERVICE <http://10.0.0.1/> {}" } LIMIT 1',
]


@pytest.fixture(scope="module")
def server(built_mini: Built) -> Iterator[Server]:
    running = Server(built_mini.out, "--timeout", "8", "--workers", "1", "--idle-timeout", "1")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def writable(built_mini: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with writable_copy(
        built_mini, tmp_path_factory.mktemp("hardening-rw"), "--timeout", "3", "--cors", "https://yasgui.example"
    ) as running:
        yield running


def _raw(server: Server, request: bytes, wait: float = 5.0) -> bytes:
    """Send raw bytes; everything the server answers until it closes the connection or goes quiet."""
    host, port = server.base.removeprefix("http://").split(":")
    chunks = []
    with socket.create_connection((host, int(port)), timeout=wait) as conn:
        conn.sendall(request)
        try:
            while chunk := conn.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
    return b"".join(chunks)


# ---- item 1: SERVICE ------------------------------------------------------------------------------


@pytest.mark.parametrize("query", SERVICE_TRICKS)
def test_service_is_refused_by_default_however_it_is_written(query: str) -> None:
    with pytest.raises(TextRefused) as refused:
        ServicePolicy.of([]).check(tokens(query), {"ex": "http://e/"})
    assert refused.value.code == "E319"


@pytest.mark.parametrize("query", SERVICE_WORDS)
def test_the_word_service_in_strings_iris_comments_and_names_is_no_call(query: str) -> None:
    assert ServicePolicy.of([]).check(tokens(query), {}) is False


def test_server_refuses_service_but_answers_the_word_in_a_literal(server: Server) -> None:
    for query in SERVICE_TRICKS[:5]:
        answer = httpx.get(server.url, params={"query": query.replace("ex:", "schema:")})
        assert answer.status_code == 400 and answer.text.startswith("E319"), (query, answer.text)
    for query in SERVICE_WORDS:
        answer = httpx.get(server.url, params={"query": query})
        assert answer.status_code == 200, (query, answer.text)
    update = httpx.post(server.url, data={"update": SERVICE_TRICKS[-1]})
    assert update.status_code in (400, 403)


def test_allow_service_reaches_named_hosts_only_and_hides_port_state(built_mini: Built) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    open_port = listener.getsockname()[1]

    def garbage() -> None:  # an open port that is no SPARQL endpoint
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")
            conn.close()

    threading.Thread(target=garbage, daemon=True).start()
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    named = Server(built_mini.out, "--allow-service", "127.0.0.1", "--timeout", "10")
    try:
        texts = set()
        for port in (open_port, closed_port):
            query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
            answer = httpx.get(named.url, params={"query": query}, timeout=30)
            assert answer.status_code == 502 and answer.text.startswith("E325"), answer.text
            texts.add(answer.text)
        assert len(texts) == 1  # the same words whether the port is open or closed
        other = httpx.get(named.url, params={"query": "SELECT * { SERVICE <http://localhost:9/> { ?s ?p ?o } }"})
        assert other.status_code == 400 and "not in --allow-service" in other.text
    finally:
        named.stop()
        listener.close()
    anywhere = Server(built_mini.out, "--allow-service", "*")
    try:
        for host in ("127.0.0.1", "10.1.2.3", "169.254.169.254", "[::1]", "localhost"):
            query = f"SELECT * WHERE {{ SERVICE <http://{host}:8080/> {{ ?s ?p ?o }} }}"
            answer = httpx.get(anywhere.url, params={"query": query})
            assert answer.status_code == 400 and "is not public" in answer.text, (host, answer.text)
    finally:
        anywhere.stop()


# ---- item 2: CORS -----------------------------------------------------------------------------------


def test_no_cors_header_by_default(server: Server) -> None:
    origin = {"Origin": "https://evil.example"}
    answer = httpx.get(server.url, params={"query": ASK}, headers=origin)
    assert answer.status_code == 200 and "access-control-allow-origin" not in answer.headers
    preflight = httpx.options(server.url, headers={**origin, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_origin_reads_preflights_and_updates(writable: Server) -> None:
    trusted = {"Origin": "https://yasgui.example"}
    answer = httpx.get(writable.url, params={"query": ASK}, headers=trusted)
    assert answer.headers["access-control-allow-origin"] == "https://yasgui.example"
    assert "Origin" in answer.headers["vary"]
    preflight = httpx.options(writable.url, headers={**trusted, "Access-Control-Request-Method": "POST"})
    assert preflight.headers["access-control-allow-origin"] == "https://yasgui.example"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    insert = "INSERT DATA { GRAPH <https://example.org/cors> { <https://example.org/a> <https://example.org/b> 1 } }"
    done = httpx.post(writable.url, data={"update": insert}, headers=trusted)
    assert done.status_code == 204, done.text
    other = httpx.post(writable.url, data={"update": "CLEAR ALL"}, headers={"Origin": "https://evil.example"})
    assert other.status_code == 403 and "access-control-allow-origin" not in other.headers


# ---- item 3: denial of service -----------------------------------------------------------------------


def test_deep_nesting_is_refused_before_parsing_and_the_server_lives(server: Server, writable: Server) -> None:
    nested = "{" * 3000 + "}" * 3000
    query = httpx.post(server.url, data={"query": f"SELECT * WHERE {nested}"})
    assert query.status_code == 400 and query.text.startswith("E321"), query.text
    update = httpx.post(
        writable.url,
        content=f"INSERT {{ <http://e/a> <http://e/b> 1 }} WHERE {nested}".encode(),
        headers={"Content-Type": "application/sparql-update"},
    )
    assert update.status_code == 400 and update.text.startswith("E321"), update.text
    negations = httpx.post(server.url, data={"query": "ASK { FILTER(" + "!" * 100_000 + "true) }"})
    assert negations.status_code == 400 and negations.text.startswith("E321")
    huge = httpx.post(server.url, content=b"#" * 1_100_000, headers={"Content-Type": "application/sparql-query"})
    assert huge.status_code == 413 and huge.text.startswith("E321")
    for running in (server, writable):
        assert httpx.get(running.url, params={"query": ASK}).json()["boolean"] is True


def test_kg_query_on_a_deeply_nested_query_is_one_line(built_mini: Built) -> None:
    nested = "SELECT * WHERE " + "{" * 3000 + "}" * 3000
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "query", nested, "--out", str(built_mini.out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "E321" in done.stderr


def test_updates_time_out_like_queries(writable: Server) -> None:
    every = "GRAPH ?w { ?a ?b ?c } GRAPH ?x { ?d ?e ?f } GRAPH ?y { ?g ?h ?i } GRAPH ?z { ?j ?k ?l }"
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ {every} }}"
    slow = f"INSERT {{ <https://example.org/n> <https://example.org/count> ?n }} WHERE {{ {count} }}"
    started = time.monotonic()
    answer = httpx.post(writable.url, data={"update": slow}, timeout=30)
    assert answer.status_code == 503 and "E311 the update ran longer than 3 s" in answer.text, answer.text
    assert time.monotonic() - started < 15
    check = httpx.get(writable.url, params={"query": "ASK { <https://example.org/n> ?p ?o }"}, timeout=30)
    assert check.json()["boolean"] is False  # stopped before it wrote anything
    quick = "INSERT DATA { GRAPH <https://example.org/after> { <https://example.org/x> <https://example.org/y> 2 } }"
    assert httpx.post(writable.url, data={"update": quick}, timeout=30).status_code == 204


def test_workers_run_under_the_memory_cap(built_mini: Built) -> None:
    capped = Server(built_mini.out, "--max-memory", "3000", "--workers", "1")
    try:
        assert httpx.get(capped.url, params={"query": ASK}).status_code == 200
        capped_workers: list[str] = []
        for _ in range(40):  # the spare may still be starting on a busy machine
            children = subprocess.run(
                ["ps", "-o", "pid=", "--ppid", str(capped.process.pid)], capture_output=True, text=True
            ).stdout.split()
            limits = [Path(f"/proc/{pid}/limits").read_text() for pid in children if Path(f"/proc/{pid}").exists()]
            capped_workers = [
                t for t in limits if any("address space" in ln and "3145728000" in ln for ln in t.splitlines())
            ]
            if len(capped_workers) >= 2:
                break
            time.sleep(0.25)
        assert len(capped_workers) >= 2, limits  # the worker and the spare
    finally:
        capped.stop()


def test_a_short_query_gets_through_while_a_slow_one_holds_the_worker(server: Server) -> None:
    slow_answer: list[httpx.Response] = []
    thread = threading.Thread(
        target=lambda: slow_answer.append(httpx.get(server.url, params={"query": SLOW}, timeout=30))
    )
    thread.start()
    time.sleep(0.5)
    started = time.monotonic()
    quick = httpx.get(server.url, params={"query": ASK}, timeout=30)
    assert quick.status_code == 200 and time.monotonic() - started < 4
    thread.join()
    assert slow_answer[0].status_code == 503  # it ran into --timeout 8


def test_idle_and_half_sent_requests_are_cut(server: Server) -> None:
    started = time.monotonic()
    silent = _raw(server, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # headers never end
    assert time.monotonic() - started < 4 and b"200 OK" not in silent
    half = _raw(
        server,
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 100\r\n\r\nASK {",
    )
    assert b" 408 " in half and b"E328" in half


# ---- item 4: bad requests ----------------------------------------------------------------------------


@pytest.mark.parametrize("length", ["abc", "-5", "5, 6", "1e3"])
def test_bad_content_length_is_400_with_a_code(server: Server, length: str) -> None:
    answer = _raw(
        server,
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        + f"Content-Length: {length}\r\n\r\nASK {{}}".encode(),
    )
    assert answer.startswith(b"HTTP/1.1 400") and b"E322" in answer, answer


def test_chunked_bodies_are_read(server: Server) -> None:
    body = b"ASK { ?s ?p ?o }"
    chunked = b"".join(f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in (body[:5], body[5:])) + b"0\r\n\r\n"
    answer = _raw(
        server,
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Accept: application/sparql-results+json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked,
    )
    assert answer.startswith(b"HTTP/1.1 200") and b'"boolean": true' in answer, answer
    broken = _raw(server, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                          b"Transfer-Encoding: chunked\r\n\r\nzz\r\nASK {}\r\n0\r\n\r\n")  # fmt: skip
    assert broken.startswith(b"HTTP/1.1 400") and b"E322" in broken


def test_bad_graph_iri_is_400_not_500(server: Server) -> None:
    for name in ("default-graph-uri", "named-graph-uri"):
        answer = httpx.get(server.url, params={"query": ASK, name: "not an iri"})
        assert answer.status_code == 400 and answer.text.startswith("E323"), answer.text
