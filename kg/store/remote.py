"""Push the store's named graphs to a remote triplestore over HTTP.

Each named graph goes to the server on its own, through the SPARQL 1.1 Graph
Store HTTP Protocol when the user names a graph store (``PUT`` the first batch,
which replaces the graph, ``POST`` the following batches, which add to it), or
through SPARQL 1.1 Update otherwise (``DROP SILENT GRAPH`` then ``INSERT DATA``
in chunks, several small graphs per request).  Either way loading a graph again
replaces it, so a second run never duplicates anything.

Bodies are N-Triples built batch by batch straight from the store's index, so
only one batch is ever in memory.  Transient failures (refused or dropped
connections, timeouts, 429, 5xx) are retried with exponential backoff; a
failure that outlasts the retries stops the load, and the report names the
graphs that were loaded and those that were not.

``DIR/load-state.json`` remembers, per target URL, a content hash and triple
count of every graph loaded, so the next run skips graphs already on the
server unchanged (after checking their triple count there) and loads the
rest.  It never holds credentials: URLs are stored without user info or query.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, cast
from urllib.parse import urlsplit, urlunsplit

import httpx
from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat
from rdflib.namespace import RDF

from kg.errors import RemoteError, printable
from kg.rdf.namespaces import KG, prefix_map
from kg.store.oxigraph import GraphStore

N_TRIPLES = "application/n-triples; charset=utf-8"
SPARQL_JSON = "application/sparql-results+json"
_TRANSIENT_STATUS = {408, 429, 500, 502, 503, 504}
_NO_GSP_STATUS = {404, 405, 501}
_HASH_MODULUS = 1 << 256
STATE_FILE = "load-state.json"
GSP_BATCH = 20_000  # triples per Graph Store request
UPDATE_BATCH = 500  # triples per SPARQL Update request (measured fastest on Virtuoso 7.2)


def redact(url: str) -> str:
    """``url`` without user info, query or fragment: safe to print and to write to disk."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """``(url without user info, user, password)`` for URLs like ``http://u:p@host/sparql``."""
    parts = urlsplit(url)
    if parts.username is None:
        return url, None, None
    host = parts.hostname or ""
    netloc = (f"[{host}]" if ":" in host else host) + (f":{parts.port}" if parts.port else "")
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return clean, parts.username, parts.password


def check_url(url: str, what: str) -> str:
    """A usage error naming the option when ``url`` is not an absolute http(s) URL."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port out of range or not a number)
    except ValueError as exc:  # "http://[::1/sparql", "http://host:99999/"
        shown = printable(re.sub(r"//[^/?#]*@", "//", url))  # never print credentials, even from a broken URL
        raise RemoteError(f"{what} {shown!r} is not a valid URL: {exc}", code="E306") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RemoteError(f"{what} {redact(url) or printable(url)!r} is not an http:// or https:// URL", code="E306")
    return url


class AutoAuth(httpx.Auth):
    """Send no credentials until the server asks, then answer with the scheme it asked for.

    Digest is what Virtuoso wants, Basic what Fuseki, GraphDB and Stardog usually
    want; the first ``401`` tells which, and the choice is kept for the session.
    """

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._digest = httpx.DigestAuth(user, password)
        self._basic = httpx.BasicAuth(user, password)
        self._chosen: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._chosen is not None:
            yield from self._chosen.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        scheme = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
        self._chosen = self._digest if scheme == "digest" else self._basic
        yield from self._chosen.auth_flow(request)


def make_auth(user: str | None, password: str | None, scheme: str) -> httpx.Auth | None:
    """The httpx authentication for ``--auth auto|digest|basic`` (None without a user)."""
    if not user:
        return None
    if scheme == "digest":
        return httpx.DigestAuth(user, password or "")
    if scheme == "basic":
        return httpx.BasicAuth(user, password or "")
    return AutoAuth(user, password or "")


@dataclass
class Target:
    """Where graphs go: the SPARQL endpoint, and optionally update and graph store services."""

    endpoint: str
    graph_store: str | None = None
    update_endpoint: str | None = None

    @property
    def update_url(self) -> str:
        return self.update_endpoint or self.endpoint

    @property
    def key(self) -> str:
        """The state-file key: where the data is written, without credentials."""
        return redact(self.graph_store or self.update_url)


@dataclass
class RetryPolicy:
    """How often and how patiently to retry transient failures."""

    retries: int = 5
    backoff: float = 0.5
    max_backoff: float = 30.0
    sleep: Callable[[float], None] = time.sleep

    def delay(self, attempt: int, response: httpx.Response | None) -> float:
        """Exponential backoff with jitter; a ``Retry-After`` in seconds wins when given."""
        if response is not None:
            after = response.headers.get("retry-after", "")
            if after.isdigit():
                return min(float(after), self.max_backoff)
        base = min(self.backoff * (2**attempt), self.max_backoff)
        return base * (0.75 + random.random() / 2)  # jitter, not security


class Remote:
    """An HTTP session with one triplestore: retries, auth and errors that name the URL."""

    def __init__(
        self,
        target: Target,
        auth: httpx.Auth | None = None,
        *,
        timeout: float = 120.0,
        policy: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.target = target
        self.policy = policy or RetryPolicy()
        self._client = httpx.Client(
            auth=auth, timeout=httpx.Timeout(timeout, connect=10.0), follow_redirects=True, transport=transport
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Remote:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request, retried on transient failures; a RemoteError when it finally fails."""
        last: str = ""
        for attempt in range(self.policy.retries + 1):
            response: httpx.Response | None = None
            try:
                response = self._client.request(method, url, **kwargs)
            except httpx.TransportError as exc:
                last = _transport_problem(exc)
            else:
                if response.status_code not in _TRANSIENT_STATUS or _denied(response):
                    return response
                last = f"HTTP {response.status_code} {_first_line(response)}"
            if attempt < self.policy.retries:
                self.policy.sleep(self.policy.delay(attempt, response))
        tries = self.policy.retries + 1
        code = "E305" if last.startswith("HTTP") else "E301"
        raise RemoteError(f"{redact(url)}: {last} (gave up after {tries} attempts)", code=code)

    def select(self, sparql: str) -> list[dict[str, dict[str, str]]]:
        """SPARQL JSON bindings of a SELECT sent to the query endpoint (kg's prefixes added)."""
        url = self.target.endpoint
        response = self.send("POST", url, data={"query": with_prefixes(sparql)}, headers={"Accept": SPARQL_JSON})
        check_response(response, url)
        max_rows = response.headers.get("x-sparql-maxrows")
        data = response.json()
        bindings: list[dict[str, dict[str, str]]] = data["results"]["bindings"]
        if max_rows and len(bindings) >= int(max_rows):
            raise RemoteError(
                f"{redact(url)}: the server cut the answer at {max_rows} rows (X-SPARQL-MaxRows); "
                "raise its result limit (Virtuoso: [SPARQL] ResultSetMaxRows)",
                code="E307",
            )
        return bindings

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update on the update endpoint."""
        url = self.target.update_url
        response = self.send(
            "POST", url, content=sparql.encode("utf-8"), headers={"Content-Type": "application/sparql-update"}
        )
        check_response(response, url)


def with_prefixes(sparql: str) -> str:
    """``sparql`` preceded by kg's PREFIX declarations, as ``kg query`` gets them for free."""
    head = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefix_map().items())
    return head + sparql


def check_response(response: httpx.Response, url: str, graph: NamedNode | None = None) -> None:
    """Raise a RemoteError with a code for any non-2xx answer."""
    status = response.status_code
    if status < 300:
        return
    where = redact(url) + (f" (graph {graph.value})" if graph is not None and status not in (401, 403) else "")
    if status == 401:
        raise RemoteError(
            f"{where}: HTTP 401 authentication failed: check --user and --password "
            "(or KG_ENDPOINT_USER / KG_ENDPOINT_PASSWORD) and --auth",
            code="E302",
        )
    if status == 403 or _denied(response):
        raise RemoteError(
            f"{where}: HTTP {status} forbidden: this user may not do that here ({_first_line(response)})", code="E303"
        )
    raise RemoteError(f"{where}: HTTP {status} {_first_line(response)}", code="E304", status=status)


def _denied(response: httpx.Response) -> bool:
    """A permission error sent as HTTP 500 (Virtuoso does): not worth retrying."""
    if response.status_code != 500:
        return False
    head = response.text[:500].lower()
    return any(sign in head for sign in ("permission", "access denied", "security"))


def _first_line(response: httpx.Response) -> str:
    text = response.text.strip().splitlines()
    line = text[0] if text else response.reason_phrase
    return line[:200]


def _transport_problem(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return "cannot connect (server down or wrong host/port)"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "connection dropped by the server"
    return f"network error ({type(exc).__name__})"


# ---- graphs as N-Triples batches -------------------------------------------------------------


@dataclass(frozen=True)
class GraphDigest:
    """Order-independent content hash and size of one graph."""

    sha256: str
    triples: int


def ntriples_line(quad: Quad) -> str:
    return f"{quad.subject} {quad.predicate} {quad.object} .\n"


def graph_digest(store: GraphStore, graph: NamedNode) -> GraphDigest:
    """Hash every triple line and add the hashes, so the order the store yields them in does not matter.

    The lines come from Oxigraph's own N-Triples writer, streamed through ``_LineHasher``: the
    same lines as ``ntriples_line`` gives, without building a Python term for every triple
    (1.7x faster, and never the whole graph in memory).
    """
    hasher = _LineHasher()
    store.raw.dump(cast(IO[bytes], hasher), RdfFormat.N_TRIPLES, from_graph=graph)  # it only calls write()
    hasher.finish()
    return GraphDigest(f"{hasher.total:064x}", hasher.count)


class _LineHasher:
    """A write-only binary stream that adds up the SHA-256 of each N-Triples line written to it."""

    def __init__(self) -> None:
        self.total = 0
        self.count = 0
        self._rest = b""

    def write(self, data: bytes) -> int:
        lines = (self._rest + bytes(data)).split(b"\n")
        self._rest = lines.pop()
        for line in lines:
            self._add(line)
        return len(data)

    def flush(self) -> None:
        """Nothing is buffered beyond the last partial line, which ``finish`` hashes."""

    def finish(self) -> None:
        self._add(self._rest)
        self._rest = b""

    def _add(self, line: bytes) -> None:
        if line.strip():
            self.total = (self.total + int.from_bytes(hashlib.sha256(line + b"\n").digest(), "big")) % _HASH_MODULUS
            self.count += 1


def graph_batches(store: GraphStore, graph: NamedNode, batch_size: int) -> Iterator[tuple[bytes, int]]:
    """N-Triples bodies of at most ``batch_size`` triples, with their triple counts.

    Blank nodes are scoped to one request, so once a blank node appears the rest
    of the graph stays in the same batch (kg itself writes no blank nodes).
    """
    lines: list[str] = []
    has_blank = False
    for quad in store.raw.quads_for_pattern(None, None, None, graph):
        lines.append(ntriples_line(quad))
        has_blank = has_blank or isinstance(quad.subject, BlankNode) or isinstance(quad.object, BlankNode)
        if len(lines) >= batch_size and not has_blank:
            yield "".join(lines).encode("utf-8"), len(lines)
            lines = []
    if lines:
        yield "".join(lines).encode("utf-8"), len(lines)


# ---- the load state file ----------------------------------------------------------------------


@dataclass
class LoadState:
    """Per target, the graphs loaded and their digests (``DIR/load-state.json``; no credentials)."""

    path: Path
    target: str
    graphs: dict[str, dict[str, Any]] = field(default_factory=dict)
    _others: dict[str, Any] = field(default_factory=dict)
    _saved_at: float = 0.0

    @classmethod
    def open(cls, path: Path, target: str) -> LoadState:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            targets = data.get("targets", {}) if isinstance(data, dict) else {}
        except (OSError, ValueError):
            targets = {}
        mine = targets.pop(target, {}).get("graphs", {})
        return cls(path, target, dict(mine), targets)

    def matches(self, graph: NamedNode, digest: GraphDigest) -> bool:
        entry = self.graphs.get(graph.value) or {}
        return entry.get("sha256") == digest.sha256 and entry.get("triples") == digest.triples

    def mark_loaded(self, graph: NamedNode, digest: GraphDigest) -> None:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        self.graphs[graph.value] = {"sha256": digest.sha256, "triples": digest.triples, "loaded": stamp}
        if time.monotonic() - self._saved_at > 2.0:
            self.save()

    def forget(self, graph: NamedNode) -> None:
        self.graphs.pop(graph.value, None)

    def save(self) -> None:
        """Write atomically (temp file + rename), so a crash never leaves half a file."""
        targets = {**self._others, self.target: {"graphs": self.graphs}}
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps({"version": 1, "targets": targets}, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)
        self._saved_at = time.monotonic()


# ---- loading ----------------------------------------------------------------------------------


@dataclass
class LoadReport:
    """What a load did; ``fatal`` is set when it stopped early."""

    method: str = "gsp"
    loaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)
    triples_sent: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    fatal: RemoteError | None = None

    @property
    def ok(self) -> bool:
        return self.fatal is None and not self.failed


@dataclass
class LoadOptions:
    """``batch_size`` None picks per protocol: Virtuoso parses large ``INSERT DATA`` requests slowly."""

    batch_size: int | None = None
    replace: bool = False
    connections: int = 1  # Graph Store requests in flight at once (one graph each)

    def batch_for(self, method: str) -> int:
        return self.batch_size or (GSP_BATCH if method == "gsp" else UPDATE_BATCH)


Progress = Callable[[int], None]


class _GspFallback(Exception):
    """The graph store answered that it does not exist or does not accept PUT."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class Loader:
    """Loads graphs one after another and records each in the report and the state."""

    def __init__(self, remote: Remote, store: GraphStore, state: LoadState, options: LoadOptions) -> None:
        self.remote = remote
        self.store = store
        self.state = state
        self.options = options
        self.report = LoadReport(method="gsp" if remote.target.graph_store else "update")

    def run(self, graphs: list[NamedNode], advance: Progress) -> LoadReport:
        started = time.monotonic()
        self.report.pending = [g.value for g in graphs]
        try:
            if self.options.replace:
                self._drop_stale({g.value for g in graphs})
            digests = self._digests(graphs)
            todo = self._to_load(graphs, digests, advance)
            self.report.pending = [g.value for g in todo]
            self._load_all(todo, digests, advance)
        except RemoteError as exc:
            self.report.fatal = exc
        finally:
            self.state.save()
            self.report.seconds = time.monotonic() - started
        return self.report

    def _digests(self, graphs: list[NamedNode]) -> dict[str, GraphDigest]:
        return {g.value: graph_digest(self.store, g) for g in graphs}

    def _to_load(self, graphs: list[NamedNode], digests: dict[str, GraphDigest], advance: Progress) -> list[NamedNode]:
        """Graphs whose content is not already on the server (every graph with ``--replace``)."""
        if self.options.replace:
            return graphs
        candidates = [g for g in graphs if self.state.matches(g, digests[g.value])]
        if not candidates:
            return graphs
        try:
            remote_counts = self._remote_counts(candidates)
        except RemoteError as exc:
            if exc.code in ("E302", "E303"):
                raise
            self.report.notes.append(f"could not check graphs already loaded ({exc}); loading all of them")
            return graphs
        todo = []
        for g in graphs:
            digest = digests[g.value]
            if self.state.matches(g, digest) and remote_counts.get(g.value) == digest.triples:
                self.report.skipped.append(g.value)
                advance(digest.triples)
            else:
                todo.append(g)
        return todo

    def _remote_counts(self, graphs: list[NamedNode], chunk: int = 200) -> dict[str, int]:
        counts: dict[str, int] = {}
        for start in range(0, len(graphs), chunk):
            values = " ".join(str(g) for g in graphs[start : start + chunk])
            sparql = (
                f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
            )
            for row in self.remote.select(sparql):
                counts[row["g"]["value"]] = int(row["n"]["value"])
        return counts

    def _drop_stale(self, local: set[str]) -> None:
        """With ``--replace``: drop kg article graphs on the server that the local store no longer has.

        Only graphs under the local store's base IRI count: another build loaded
        into the same server with its own ``--base-iri`` is left alone.
        """
        base = self._base()
        rows = self.remote.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g a <{KG.ArticleGraph}> }} }}")
        for row in rows:
            iri = row["g"]["value"]
            if iri not in local and iri.startswith(base):
                self._drop(NamedNode(iri))
                self.state.forget(NamedNode(iri))
                self.report.dropped.append(iri)

    def _base(self) -> str:
        from kg.rdf.namespaces import KGID
        from kg.store.settings import stored_base_iri

        return (stored_base_iri(self.store.path) if self.store.path is not None else None) or str(KGID)

    def _drop(self, graph: NamedNode) -> None:
        """Graph Store ``DELETE`` (a 404 means already gone), or ``DROP SILENT GRAPH`` by Update."""
        url = self.remote.target.graph_store
        if url is None:
            self.remote.update(f"DROP SILENT GRAPH {graph}")
            return
        response = self.remote.send("DELETE", url, params={"graph": graph.value})
        if response.status_code != 404:
            check_response(response, url, graph)

    def _load_all(self, graphs: list[NamedNode], digests: dict[str, GraphDigest], advance: Progress) -> None:
        if self.report.method == "gsp":
            graphs = self._load_gsp(graphs, digests, advance)
        if graphs:
            self._load_update(graphs, digests, advance)

    def _done(self, graph: NamedNode, digest: GraphDigest) -> None:
        self.state.mark_loaded(graph, digest)
        self.report.loaded.append(graph.value)
        self.report.pending.remove(graph.value)

    def _failed(self, graph: NamedNode, error: RemoteError) -> None:
        self.report.failed[graph.value] = str(error)
        self.report.pending.remove(graph.value)

    def _load_gsp(self, graphs: list[NamedNode], digests: dict[str, GraphDigest], advance: Progress) -> list[NamedNode]:
        """PUT each graph; returns the graphs left for SPARQL Update if the store has no GSP.

        Graphs go one at a time until the server has accepted one (its answer says whether it
        speaks the Graph Store Protocol at all), then ``connections`` at a time.
        """
        for index, graph in enumerate(graphs):
            if self.report.loaded and self.options.connections > 1:
                self._put_concurrently(graphs[index:], digests, advance)
                return []
            try:
                self._record(graph, digests, advance, self._put_graph(graph, first=not self.report.loaded))
            except _GspFallback as exc:
                self.report.method = "update"
                self.report.notes.append(
                    f"{redact(self.remote.target.graph_store or '')} answered HTTP {exc.status} to a Graph Store "
                    "PUT: loading with SPARQL Update instead"
                )
                return graphs[index:]
        return []

    def _put_concurrently(self, graphs: list[NamedNode], digests: dict[str, GraphDigest], advance: Progress) -> None:
        """PUT ``connections`` graphs at a time; the report and the state are written by this thread only.

        A server-wide failure stops the graphs not yet sent; those in flight finish, and any that
        did not get recorded are simply PUT again by the next run (a PUT replaces, never adds).
        """
        pool = ThreadPoolExecutor(self.options.connections, thread_name_prefix="kg-load")
        futures = {pool.submit(self._put_graph, graph, first=False): graph for graph in graphs}
        try:
            for future in as_completed(futures):
                self._record(futures[future], digests, advance, future)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _record(
        self, graph: NamedNode, digests: dict[str, GraphDigest], advance: Progress, sent: int | Future[int]
    ) -> None:
        """Count a PUT that succeeded; a graph-specific refusal fails that graph only, anything else stops."""
        try:
            count = sent.result() if isinstance(sent, Future) else sent
        except RemoteError as exc:
            if not _graph_specific(exc):
                raise
            self._failed(graph, exc)
            return
        self.report.triples_sent += count
        advance(count)
        self._done(graph, digests[graph.value])

    def _put_graph(self, graph: NamedNode, *, first: bool) -> int:
        """PUT the graph (then POST its further batches); returns the number of triples sent."""
        url = self.remote.target.graph_store or ""
        sent = 0
        for number, (body, count) in enumerate(self._bodies(graph)):
            method = "PUT" if number == 0 else "POST"
            response = self.remote.send(
                method, url, params={"graph": graph.value}, content=body, headers={"Content-Type": N_TRIPLES}
            )
            if first and number == 0 and response.status_code in _NO_GSP_STATUS:
                raise _GspFallback(response.status_code)
            check_response(response, url, graph)
            sent += count
        return sent

    def _bodies(self, graph: NamedNode) -> Iterator[tuple[bytes, int]]:
        """The graph's request bodies; an empty graph is one empty PUT, which empties it on the server too."""
        empty = True
        for body, count in graph_batches(self.store, graph, self.options.batch_for("gsp")):
            empty = False
            yield body, count
        if empty:
            yield b"", 0

    def _load_update(self, graphs: list[NamedNode], digests: dict[str, GraphDigest], advance: Progress) -> None:
        """``DROP SILENT GRAPH`` + ``INSERT DATA``, packing small graphs into one request."""
        for group in _groups(graphs, digests, self.options.batch_for("update")):
            try:
                sent = self._update_group(group, advance)
            except RemoteError as exc:
                if not _graph_specific(exc):
                    raise
                for graph in group:
                    self._failed(graph, exc)
                continue
            self.report.triples_sent += sent
            for graph in group:
                self._done(graph, digests[graph.value])

    def _update_group(self, group: list[NamedNode], advance: Progress) -> int:
        """One request for a group of small graphs; one request per batch for a large graph."""
        if len(group) == 1:
            return self._update_large(group[0], advance)
        parts: list[str] = []
        sent = 0
        for graph in group:
            parts.append(f"DROP SILENT GRAPH {graph}")
            for body, count in graph_batches(self.store, graph, self.options.batch_for("update")):
                parts.append(_insert_data(graph, body))
                sent += count
        self.remote.update(" ;\n".join(parts))
        advance(sent)
        return sent

    def _update_large(self, graph: NamedNode, advance: Progress) -> int:
        sent = 0
        drop = f"DROP SILENT GRAPH {graph}"
        for body, count in graph_batches(self.store, graph, self.options.batch_for("update")):
            self.remote.update(f"{drop} ;\n{_insert_data(graph, body)}" if drop else _insert_data(graph, body))
            drop = ""
            sent += count
            advance(count)
        if drop:  # an empty graph
            self.remote.update(drop)
        return sent


def _insert_data(graph: NamedNode, body: bytes) -> str:
    return f"INSERT DATA {{ GRAPH {graph} {{\n{body.decode('utf-8')}}} }}"


def _graph_specific(error: RemoteError) -> bool:
    """Errors that concern one graph's data (the next graph may well load), not the server."""
    return error.code == "E304" and error.status in (400, 413, 415, 422)


def _groups(graphs: Iterable[NamedNode], digests: dict[str, GraphDigest], size: int) -> Iterator[list[NamedNode]]:
    """Consecutive graphs packed into groups of at most ``size`` triples (a larger graph alone)."""
    group: list[NamedNode] = []
    total = 0
    for graph in graphs:
        triples = digests[graph.value].triples
        if group and total + triples > size:
            yield group
            group, total = [], 0
        group.append(graph)
        total += triples
    if group:
        yield group


def store_graphs(store: GraphStore) -> list[NamedNode]:
    """The store's named graphs, article graphs first and derived graphs (claims) last."""
    graphs = [g for g in store.raw.named_graphs() if isinstance(g, NamedNode)]
    typed = NamedNode(str(RDF.type)), NamedNode(str(KG.ArticleGraph))
    articles = {q.graph_name for q in store.raw.quads_for_pattern(None, typed[0], typed[1], None)}
    return sorted(graphs, key=lambda g: (g not in articles, g.value))


def load_store(
    store: GraphStore,
    remote: Remote,
    state_path: Path,
    options: LoadOptions,
    advance: Progress = lambda _n: None,
) -> LoadReport:
    """Load every named graph of ``store`` into ``remote``; never raises for server trouble."""
    state = LoadState.open(state_path, remote.target.key)
    loader = Loader(remote, store, state, options)
    return loader.run(store_graphs(store), advance)
