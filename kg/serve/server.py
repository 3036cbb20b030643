"""``kg serve``: a SPARQL 1.1 Protocol endpoint over the embedded store, and the HTML graph at ``/``.

* ``GET /sparql?query=...``, ``POST /sparql`` with a form (``query=``) or an
  ``application/sparql-query`` body; ``default-graph-uri`` / ``named-graph-uri``
  are honoured, otherwise the default graph is the union of all graphs, as in
  ``kg query``.  Answers follow the ``Accept`` header (JSON, XML, CSV, TSV;
  Turtle, N-Triples, JSON-LD, RDF/XML), or ``format=`` when a client cannot set it.
* SPARQL Update (form ``update=`` or ``application/sparql-update``) is refused
  unless the server was started ``--writable``; then only same-origin browsers
  may send it, so a web page cannot write to a local server behind your back.
* Bound to 127.0.0.1 by default; on loopback, requests must name a loopback
  host (which stops DNS-rebinding pages from reading the graph).
* Every query runs in a worker process with a time limit and a result-size limit.
"""

from __future__ import annotations

import html
import ipaddress
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from urllib.parse import parse_qs, urlsplit

from kg.errors import KgError
from kg.rdf.namespaces import prefix_map
from kg.serve.pool import Job, WorkerPool
from kg.serve.results import FORMAT_NAMES, Answer
from kg.store.oxigraph import GraphStore

MAX_QUERY_BYTES = 1_000_000
MAX_UPDATE_BYTES = 64_000_000
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
_FORM = "application/x-www-form-urlencoded"


class ServeError(KgError):
    """``kg serve`` cannot start (E310)."""

    code = "E310"


@dataclass
class ServeOptions:
    out: Path
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 30.0
    max_results: int = 100_000
    workers: int = 2
    writable: bool = False


def _text(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in LOOPBACK_NAMES


class Endpoint:
    """What the request handlers share: options, the worker pool, and the writable store if any."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.store_path = options.out / "store"
        self.writer = GraphStore(self.store_path).raw if options.writable else None
        self.pool = WorkerPool(self.store_path, options.workers, options.max_results)
        self.write_lock = threading.Lock()

    def query(self, job: Job) -> Answer:
        return self.pool.run(job, self.options.timeout)

    def update(self, sparql: str, origin_ok: bool) -> Answer:
        if self.writer is None:
            return _text(403, "E313 this endpoint is read-only: start kg serve with --writable to allow SPARQL Update")
        if not origin_ok:
            return _text(403, "E313 updates from another web origin are refused")
        try:
            with self.write_lock:
                self.writer.update(sparql, prefixes=prefix_map())
                self.writer.flush()
        except SyntaxError as exc:
            return _text(400, f"E314 malformed update: {exc}")
        except (ValueError, OSError, RuntimeError) as exc:
            return _text(500, f"E316 update failed: {exc}")
        return Answer(204, "text/plain", b"")

    def page(self) -> Answer:
        """``DIR/graph.html`` if it was drawn, otherwise a page saying how to draw it."""
        graph = self.options.out / "graph.html"
        if graph.is_file():
            return Answer(200, "text/html; charset=utf-8", graph.read_bytes())
        page = _PLACEHOLDER.format(out=html.escape(str(self.options.out)))
        return Answer(200, "text/html; charset=utf-8", page.encode("utf-8"))

    def close(self) -> None:
        self.pool.close()
        self.writer = None


_PLACEHOLDER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>kg</h1>
<p>No graph drawing in this folder yet. Draw it with <code>kg render --out {out}</code>
(or build again with <code>kg build ... --out {out}</code>), then reload this page.</p>
<p>The SPARQL endpoint is at <a href="/sparql">/sparql</a>: point any SPARQL client
(YASGUI, SPARQLWrapper, rdflib) at it.</p>
</body></html>
"""

_FORM_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL endpoint</title></head>
<body style="font-family: sans-serif; max-width: 60em; margin: 2em auto">
<h1>kg SPARQL endpoint</h1>
<p>SPARQL 1.1 Protocol: <code>GET /sparql?query=...</code> or <code>POST /sparql</code>.
kg's prefixes (kg:, kgid:, schema:, prov:, nif: ...) are predefined.</p>
<form method="get" action="/sparql">
<textarea name="query" rows="12" cols="100">
SELECT DISTINCT ?label WHERE {{ ?c a schema:Country ; skos:prefLabel ?label }} LIMIT 20</textarea><br>
<select name="format"><option>json</option><option>xml</option><option>csv</option><option>tsv</option></select>
<button type="submit">Run</button></form></body></html>
"""


class Handler(BaseHTTPRequestHandler):
    """One request; the endpoint is shared through the server object."""

    server: KgHttpServer
    protocol_version = "HTTP/1.1"
    server_version = "kg-serve"

    # ---- plumbing ----------------------------------------------------------------------------

    def _send(self, answer: Answer) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Vary", "Accept")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    def _host_ok(self) -> bool:
        """On a loopback address, only loopback host names (no DNS rebinding to this server)."""
        if not is_loopback(self.server.endpoint.options.host):
            return True
        host = urlsplit(f"//{self.headers.get('Host', '')}").hostname or ""
        return is_loopback(host)

    def _origin_ok(self) -> bool:
        origin = self.headers.get("Origin")
        if origin is None:
            return True
        return urlsplit(origin).netloc == self.headers.get("Host", "")

    def _body(self, limit: int) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > limit:
            self._send(_text(413, f"E314 request body larger than {limit:,} bytes"))
            return None
        return self.rfile.read(length) if length else b""

    def log_message(self, format: str, *args: object) -> None:
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    # ---- verbs -------------------------------------------------------------------------------

    def do_OPTIONS(self) -> None:  # CORS preflight for browser clients such as YASGUI
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        if not self._host_ok():
            self._send(_text(403, "E318 unexpected Host header"))
            return
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path in ("/", "/index.html"):
            self._send(self.server.endpoint.page())
        elif url.path in ("/sparql", "/query"):
            if "query" in params:
                self._query(params["query"][0], params)
            elif "update" in params:
                self._send(_text(400, "E314 updates must be sent with POST"))
            else:
                self._send(Answer(200, "text/html; charset=utf-8", _FORM_PAGE.encode()))
        else:
            self._send(_text(404, f"E314 no such page {url.path}: the endpoint is /sparql"))

    def do_POST(self) -> None:
        if not self._host_ok():
            self._send(_text(403, "E318 unexpected Host header"))
            return
        url = urlsplit(self.path)
        if url.path not in ("/sparql", "/query", "/update"):
            self._send(_text(404, f"E314 no such endpoint {url.path}: use /sparql"))
            return
        params = parse_qs(url.query, keep_blank_values=True)
        media = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        writable = self.server.endpoint.writer is not None
        body = self._body(MAX_UPDATE_BYTES if writable else MAX_QUERY_BYTES)
        if body is None:
            return
        if media == _FORM:
            form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            merged = {**params, **form}
            if "update" in form:
                self._send(self.server.endpoint.update(form["update"][0], self._origin_ok()))
            elif "query" in form:
                self._query(form["query"][0], merged)
            else:
                self._send(_text(400, "E314 the form has neither query= nor update="))
        elif media == "application/sparql-query":
            self._query(body.decode("utf-8", "replace"), params)
        elif media == "application/sparql-update":
            self._send(self.server.endpoint.update(body.decode("utf-8", "replace"), self._origin_ok()))
        else:
            self._send(_text(415, f"E314 unsupported Content-Type {media or '(none)'}: send {_FORM}, "
                                  "application/sparql-query or application/sparql-update"))  # fmt: skip

    def _query(self, sparql: str, params: dict[str, list[str]]) -> None:
        accept = self.headers.get("Accept", "*/*")
        wanted = params.get("format", [""])[0].lower()
        if wanted:
            accept = FORMAT_NAMES.get(wanted, wanted)
        if not sparql.strip():
            self._send(_text(400, "E314 empty query"))
            return
        job = Job(sparql, accept, tuple(params.get("default-graph-uri", [])), tuple(params.get("named-graph-uri", [])))
        self._send(self.server.endpoint.query(job))


class KgHttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, endpoint: Endpoint, quiet: bool) -> None:
        self.endpoint = endpoint
        self.quiet = quiet
        options = endpoint.options
        if ":" in options.host:
            self.address_family = socket.AF_INET6
        super().__init__((options.host, options.port), Handler)


def serve(options: ServeOptions, *, quiet: bool = False) -> None:
    """Run until Ctrl-C or SIGTERM; print the URLs first (the port too when ``--port 0``)."""
    if not (options.out / "store").is_dir():
        raise ServeError(f"no store in {options.out}: run `kg build ARTICLES --out {options.out}` first")
    endpoint = Endpoint(options)
    try:
        server = KgHttpServer(endpoint, quiet)
    except OSError as exc:
        endpoint.close()
        raise ServeError(f"cannot listen on {options.host}:{options.port}: {exc.strerror or exc}") from exc
    host, port = str(server.server_address[0]), int(server.server_address[1])
    shown = f"[{host}]" if ":" in host else host
    mode = "writable" if options.writable else "read-only"
    print(
        f"kg serve: SPARQL endpoint http://{shown}:{port}/sparql ({mode}), graph at http://{shown}:{port}/", flush=True
    )
    if not is_loopback(options.host):
        print(f"warning: listening on {options.host}: anyone who can reach this machine can query the graph",
              file=sys.stderr, flush=True)  # fmt: skip

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    started = time.monotonic()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
        endpoint.close()
        print(f"kg serve: stopped after {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
