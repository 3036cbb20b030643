"""``kg serve``: a SPARQL 1.1 Protocol endpoint over the embedded store, and the HTML graph at ``/``.

* ``GET /sparql?query=...``, ``POST /sparql`` with a form (``query=``) or an
  ``application/sparql-query`` body; ``default-graph-uri`` / ``named-graph-uri``
  are honoured, otherwise the default graph is the union of all graphs, as in
  ``kg query``.  Answers follow the ``Accept`` header (JSON, XML, CSV, TSV;
  Turtle, N-Triples, JSON-LD, RDF/XML), or ``format=`` when a client cannot set it.
  ``GET /sparql`` without a query gives a SPARQL 1.1 Service Description to a
  client that asks for RDF, and a query form to a browser.
* SPARQL Update (form ``update=`` or ``application/sparql-update``, with
  ``using-graph-uri`` / ``using-named-graph-uri``) is refused unless the server was
  started ``--writable``; then only same-origin browsers and ``--cors`` origins may
  send it, so a web page cannot write to a local server behind your back.
* Bound to 127.0.0.1 by default; on loopback, requests must name a loopback
  host (which stops DNS-rebinding pages from reading the graph).  No CORS header
  unless ``--cors ORIGIN``; no SERVICE calls unless ``--allow-service HOST``.
* Every query and update runs in a worker process with a time limit, a memory cap and
  (queries) a result-size limit; texts are checked for size and nesting before parsing,
  and a request must arrive whole within ``--idle-timeout`` seconds.
"""

from __future__ import annotations

import contextlib
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

from pyoxigraph import NamedNode, RdfFormat, parse

from kg.errors import KgError
from kg.rdf.namespaces import prefix_map
from kg.serve.pool import Job, WorkerPool
from kg.serve.results import FORMAT_NAMES, GRAPH_TYPES, Answer, _ranges, graph_bytes, quality
from kg.serve.sparqltext import ServicePolicy, TextRefused, add_dataset, check_size, has_keyword
from kg.store.oxigraph import GraphStore

MAX_QUERY_BYTES = 1_000_000
MAX_UPDATE_BYTES = 64_000_000
MAX_DEPTH = 256  # Oxigraph's parser overflows its stack a few thousand levels down
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"
_FORM = "application/x-www-form-urlencoded"
_UTF8_NAMES = {"utf-8", "utf8", "us-ascii", "ascii"}


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
    allow_service: tuple[str, ...] = ()
    cors: tuple[str, ...] = ()
    max_memory: int = 4096  # MB of address space per worker; 0: no cap
    idle_timeout: float = 20.0


def _text(status: int, message: str, **headers: str) -> Answer:
    body = (message.rstrip("\n") + "\n").encode("utf-8")
    return Answer(status, "text/plain; charset=utf-8", body, {k.replace("_", "-"): v for k, v in headers.items()})


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in LOOPBACK_NAMES


class BadRequest(Exception):
    """A request the protocol does not allow; carries its answer."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(answer.body.decode("utf-8", "replace"))
        self.answer = answer


def _refused(exc: TextRefused) -> BadRequest:
    status = 413 if "characters, more than" in exc.message else 400
    return BadRequest(_text(status, f"{exc.code} {exc.message}"))


def graph_iris(params: dict[str, list[str]], name: str) -> tuple[str, ...] | None:
    """The values of a dataset parameter, each checked to be an absolute IRI (None: parameter absent)."""
    if name not in params:
        return None
    for value in params[name]:
        try:
            NamedNode(value)
        except ValueError as exc:
            raise BadRequest(_text(400, f"E323 {name}={value!r} is not an absolute IRI: {exc}")) from exc
    return tuple(params[name])


class Endpoint:
    """What the request handlers share: options, the worker pools, the SERVICE policy."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.store_path = options.out / "store"
        self.policy = ServicePolicy.of(options.allow_service)
        self.base_iri = f"http://{options.host}:{options.port}/sparql"
        memory = options.max_memory * 1024 * 1024
        self.writer: WorkerPool | None = None
        if options.writable:
            GraphStore(self.store_path)  # fails now (E200) if another process writes the store; closed at once
            self.writer = WorkerPool(self.store_path, 1, options.max_results, memory=memory, writable=True)
        self.pool = WorkerPool(self.store_path, options.workers, options.max_results, memory=memory)

    def prepare_query(self, sparql: str, accept: str, params: dict[str, list[str]]) -> Job:
        if not sparql.strip():
            raise BadRequest(_text(400, "E314 empty query"))
        try:
            toks = check_size(sparql, max_chars=MAX_QUERY_BYTES, max_depth=MAX_DEPTH)
            federated = self.policy.check(toks, prefix_map(), self.base_iri)
        except TextRefused as exc:
            raise _refused(exc) from exc
        return Job(
            sparql,
            accept,
            graph_iris(params, "default-graph-uri"),
            graph_iris(params, "named-graph-uri"),
            base_iri=self.base_iri,
            federated=federated,
            query_dataset=has_keyword(toks, "FROM"),
        )

    def prepare_update(self, sparql: str, params: dict[str, list[str]]) -> Job:
        if not sparql.strip():
            raise BadRequest(_text(400, "E314 empty update"))
        try:
            toks = check_size(sparql, max_chars=MAX_UPDATE_BYTES, max_depth=MAX_DEPTH, what="update")
            federated = self.policy.check(toks, prefix_map(), self.base_iri)
        except TextRefused as exc:
            raise _refused(exc) from exc
        using, using_named = graph_iris(params, "using-graph-uri"), graph_iris(params, "using-named-graph-uri")
        if using is not None or using_named is not None:
            if has_keyword(toks, "USING", "WITH"):
                text = "E323 using-graph-uri / using-named-graph-uri cannot be combined with USING or WITH in the text"
                raise BadRequest(_text(400, text))
            try:
                sparql = add_dataset(toks, sparql, using or (), using_named or ())
            except TextRefused as exc:
                raise BadRequest(_text(400, f"{exc.code} {exc.message}")) from exc
        return Job(sparql, update=True, base_iri=self.base_iri, federated=federated)

    def query(self, job: Job) -> Answer:
        return self.pool.run(job, self.options.timeout)

    def update(self, job: Job) -> Answer:
        if self.writer is None:
            return _text(403, "E313 this endpoint is read-only: start kg serve with --writable to allow SPARQL Update")
        return self.writer.run(job, self.options.timeout)

    def page(self) -> Answer:
        """``DIR/graph.html`` if it was drawn, otherwise a page saying how to draw it."""
        graph = self.options.out / "graph.html"
        if graph.is_file():
            return Answer(200, "text/html; charset=utf-8", graph.read_bytes())
        page = _PLACEHOLDER.format(out=html.escape(str(self.options.out)))
        return Answer(200, "text/html; charset=utf-8", page.encode("utf-8"))

    def description(self, media: str) -> Answer:
        """A SPARQL 1.1 Service Description of this endpoint, in an RDF format."""
        update = "sd:supportedLanguage sd:SPARQL11Update ;" if self.writer is not None else ""
        federated = ", sd:BasicFederatedQuery" if self.options.allow_service else ""
        turtle = _DESCRIPTION.format(endpoint=self.base_iri, update=update, federated=federated)
        triples = [quad.triple for quad in parse(turtle.encode(), RdfFormat.TURTLE)]
        return Answer(200, media, graph_bytes(triples, GRAPH_TYPES[media]))

    def close(self) -> None:
        self.pool.close()
        if self.writer is not None:
            self.writer.close()


_DESCRIPTION = """\
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix f: <http://www.w3.org/ns/formats/> .
<{endpoint}> a sd:Service ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage sd:SPARQL11Query ; {update}
  sd:feature sd:UnionDefaultGraph {federated} ;
  sd:resultFormat f:SPARQL_Results_JSON , f:SPARQL_Results_XML , f:SPARQL_Results_CSV , f:SPARQL_Results_TSV ,
                  f:Turtle , f:N-Triples , f:JSON-LD , f:RDF_XML ;
  sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
"""

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


def _params(query: str) -> dict[str, list[str]]:
    try:
        return parse_qs(query, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise BadRequest(_text(400, f"E322 a parameter is not valid UTF-8 once percent-decoded: {exc.reason}")) from exc


def _single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if values is None:
        return None
    if len(values) > 1:
        raise BadRequest(_text(400, f"E323 {len(values)} {name}= parameters: the protocol allows exactly one"))
    return values[0]


def _media(header: str) -> tuple[str, dict[str, str]]:
    """A Content-Type header's media type and parameters, lower-cased (values unquoted)."""
    media, *rest = header.split(";")
    params = {}
    for item in rest:
        key, _, value = item.partition("=")
        params[key.strip().lower()] = value.strip().strip('"').lower()
    return media.strip().lower(), params


class Handler(BaseHTTPRequestHandler):
    """One request; the endpoint is shared through the server object."""

    server: KgHttpServer
    protocol_version = "HTTP/1.1"
    server_version = "kg-serve"
    _expired = False

    # ---- plumbing ----------------------------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.endpoint.options.idle_timeout + 5)  # per read, behind the deadline

    def handle_one_request(self) -> None:
        """Each request (and the idle wait before it) must arrive whole within ``--idle-timeout``."""
        self._expired = False
        self._deadline = threading.Timer(self.server.endpoint.options.idle_timeout, self._expire)
        self._deadline.daemon = True
        self._deadline.start()
        try:
            super().handle_one_request()
        finally:
            self._deadline.cancel()

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if self._expired:  # the headers were cut off by the deadline: do not act on half a request
            self.close_connection = True
            self._send(_text(408, "E328 the request did not arrive within --idle-timeout"))
            return False
        return True

    def _expire(self) -> None:
        self._expired = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RD)  # reads end; an answer can still be written

    def _received(self) -> None:
        """The request has been read: from here on the worker's own timeout applies."""
        self._deadline.cancel()

    def _send(self, answer: Answer) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self._cors_headers()
        self.send_header("Vary", "Accept, Origin")
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if answer.status >= 400 and answer.status not in (404, 406):
            self.close_connection = True
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    def _cors_headers(self) -> bool:
        """``Access-Control-Allow-Origin`` for a ``--cors`` origin only (none by default)."""
        origin = self.headers.get("Origin")
        if origin is not None and origin in self.server.endpoint.options.cors:
            self.send_header("Access-Control-Allow-Origin", origin)
            return True
        return False

    def _host_ok(self) -> bool:
        """On a loopback address, only loopback host names (no DNS rebinding to this server)."""
        if not is_loopback(self.server.endpoint.options.host):
            return True
        host = urlsplit(f"//{self.headers.get('Host', '')}").hostname or ""
        return is_loopback(host)

    def _origin_ok(self) -> bool:
        origin = self.headers.get("Origin")
        if origin is None or origin in self.server.endpoint.options.cors:
            return True
        return urlsplit(origin).netloc == self.headers.get("Host", "")

    def _body(self, limit: int) -> bytes:
        """The request body, read by Content-Length or chunked; BadRequest for anything malformed."""
        encoding = self.headers.get("Transfer-Encoding")
        if encoding is not None:
            if encoding.strip().lower() != "chunked":
                raise BadRequest(_text(501, f"E322 Transfer-Encoding {encoding!r} is not supported: use chunked"))
            return self._chunked(limit)
        lengths = self.headers.get_all("Content-Length") or []
        if not lengths:
            return b""
        if len(set(lengths)) > 1 or not lengths[0].strip().isdigit():
            raise BadRequest(_text(400, f"E322 bad Content-Length {', '.join(lengths)!r}: a single number of bytes"))
        length = int(lengths[0])
        if length > limit:
            raise BadRequest(_text(413, f"E321 request body larger than {limit:,} bytes"))
        return self._read(length)

    def _read(self, length: int) -> bytes:
        try:
            data = self.rfile.read(length) if length else b""
        except OSError:
            data = b""
        if len(data) < length:
            why = "did not arrive within --idle-timeout" if self._expired else "was cut short"
            raise BadRequest(_text(408, f"E328 the request body {why} ({len(data):,} of {length:,} bytes)"))
        return data

    def _chunked(self, limit: int) -> bytes:
        parts: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            size_text = line.split(b";")[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                why = "did not arrive within --idle-timeout" if self._expired else "is malformed"
                status = 408 if self._expired else 400
                raise BadRequest(_text(status, f"E322 the chunked request body {why}")) from None
            if size < 0:
                raise BadRequest(_text(400, "E322 the chunked request body is malformed"))
            if size == 0:
                break
            total += size
            if total > limit:
                raise BadRequest(_text(413, f"E321 request body larger than {limit:,} bytes"))
            parts.append(self._read(size))
            self.rfile.readline(8)  # the CRLF after each chunk
        while self.rfile.readline(8192) not in (b"\r\n", b"\n", b""):  # trailer fields, ignored
            pass
        return b"".join(parts)

    def log_message(self, format: str, *args: object) -> None:
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def _guarded(self, work: str) -> None:
        if not self._host_ok():
            self._send(_text(403, "E318 unexpected Host header"))
            return
        try:
            getattr(self, work)()
        except BadRequest as exc:
            self._send(exc.answer)

    # ---- verbs -------------------------------------------------------------------------------

    def do_OPTIONS(self) -> None:  # CORS preflight for a --cors origin (YASGUI, a notebook)
        self._received()
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Allow", ALLOWED_METHODS)
        if self._cors_headers():
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
            self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Vary", "Origin")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _not_allowed(self) -> None:
        self._received()
        self._send(_text(405, f"E324 {self.command} is not a SPARQL Protocol operation here: use GET or POST",
                         Allow=ALLOWED_METHODS))  # fmt: skip

    do_PUT = do_DELETE = do_PATCH = _not_allowed

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        self._received()
        self._guarded("_get")

    def do_POST(self) -> None:
        self._guarded("_post")

    def _get(self) -> None:
        url = urlsplit(self.path)
        params = _params(url.query)
        if url.path in ("/", "/index.html"):
            self._send(self.server.endpoint.page())
        elif url.path.rstrip("/") in ("/sparql", "/query"):
            query = _single(params, "query")
            if query is not None:
                self._query(query, params)
            elif "update" in params:
                self._send(_text(400, "E323 updates must be sent with POST", Allow=ALLOWED_METHODS))
            else:
                self._describe()
        else:
            self._send(_text(404, f"E314 no such page {url.path}: the endpoint is /sparql"))

    def _describe(self) -> None:
        """The Service Description to a client that names an RDF type (at least as keenly as HTML)."""
        ranges = _ranges(self.headers.get("Accept", ""))
        html_q = quality("text/html", ranges)[0]
        named = [(q, media) for media in GRAPH_TYPES for q, spec in [quality(media, ranges)] if spec == 2 and q > 0]
        if named and max(named)[0] >= html_q:
            best = max(named, key=lambda item: (item[0], -list(GRAPH_TYPES).index(item[1])))
            self._send(self.server.endpoint.description(best[1]))
        else:
            self._send(Answer(200, "text/html; charset=utf-8", _FORM_PAGE.encode()))

    def _post(self) -> None:
        url = urlsplit(self.path)
        if url.path.rstrip("/") not in ("/sparql", "/query", "/update"):
            self._read_and_drop()
            self._send(_text(404, f"E314 no such endpoint {url.path}: use /sparql"))
            return
        params = _params(url.query)
        media, media_params = _media(self.headers.get("Content-Type", ""))
        writable = self.server.endpoint.writer is not None
        body = self._body(MAX_UPDATE_BYTES if writable else MAX_QUERY_BYTES)
        self._received()
        charset = media_params.get("charset")
        if charset is not None and charset not in _UTF8_NAMES:
            raise BadRequest(_text(415, f"E322 charset={charset} is not supported: the SPARQL Protocol takes UTF-8"))
        text = self._utf8(body)
        if media == _FORM:
            form = _params(text)
            merged = {k: params.get(k, []) + form.get(k, []) for k in {*params, *form}}
            query, update = _single(merged, "query"), _single(merged, "update")
            if query is not None and update is not None:
                raise BadRequest(_text(400, "E323 the request has both query= and update="))
            if update is not None:
                self._update(update, merged)
            elif query is not None:
                self._query(query, merged)
            else:
                self._send(_text(400, "E314 the form has neither query= nor update="))
        elif media == "application/sparql-query":
            self._query(text, params)
        elif media == "application/sparql-update":
            self._update(text, params)
        else:
            self._send(_text(415, f"E314 unsupported Content-Type {media or '(none)'}: send {_FORM}, "
                                  "application/sparql-query or application/sparql-update"))  # fmt: skip

    def _read_and_drop(self) -> None:
        try:
            self._body(MAX_QUERY_BYTES)
        except BadRequest:
            self.close_connection = True
        self._received()

    @staticmethod
    def _utf8(body: bytes) -> str:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadRequest(_text(400, f"E322 the request body is not valid UTF-8 (byte {exc.start:,})")) from exc

    def _update(self, sparql: str, params: dict[str, list[str]]) -> None:
        endpoint = self.server.endpoint
        if endpoint.writer is None:
            self._send(endpoint.update(Job(sparql, update=True)))
            return
        if not self._origin_ok():
            self._send(_text(403, "E313 updates from another web origin are refused (see kg serve --cors)"))
            return
        self._send(endpoint.update(endpoint.prepare_update(sparql, params)))

    def _query(self, sparql: str, params: dict[str, list[str]]) -> None:
        accept = self.headers.get("Accept", "*/*")
        wanted = (_single(params, "format") or "").lower()
        if wanted:
            accept = FORMAT_NAMES.get(wanted, wanted)
        endpoint = self.server.endpoint
        self._send(endpoint.query(endpoint.prepare_query(sparql, accept, params)))


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
    endpoint.base_iri = f"http://{shown}:{port}/sparql"
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
