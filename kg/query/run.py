"""Find, run and format SPARQL queries.

``kg query`` accepts a saved query's name, a ``.rq`` file or SPARQL text.
Every query gets kg's PREFIX declarations for free and runs over the union of
all article graphs (or the query's FROM graphs).  JSON, CSV and TSV output are the
W3C SPARQL 1.1 result formats, written by the same code as ``kg serve``'s answers
(CSV per RFC 4180).  A CONSTRUCT or DESCRIBE answer is a graph: Turtle, N-Triples or
JSON-LD (``--format json`` gives JSON-LD and says so), or a subject/predicate/object table.

Before Oxigraph sees the text it is checked for size and nesting depth (Oxigraph's parser
would overflow the stack) and for SERVICE calls, which are refused unless allowed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
)

from kg.errors import QueryError, printable
from kg.paths import SAVED_QUERY_DIR
from kg.rdf.namespaces import prefix_map
from kg.serve.results import graph_bytes, solutions_bytes
from kg.serve.sparqltext import ServicePolicy, TextRefused, check_size, has_keyword
from kg.store.oxigraph import GraphStore

RESULT_FORMATS = ("json", "csv", "tsv")
GRAPH_FORMATS = {"ttl": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES, "jsonld": RdfFormat.JSON_LD}
FORMATS = ("table", *RESULT_FORMATS, *GRAPH_FORMATS)
MAX_QUERY_CHARS = 1_000_000
MAX_DEPTH = 256  # as kg serve: Oxigraph's parser overflows its stack a few thousand levels down


def saved_queries() -> dict[str, Path]:
    """Name -> file of every query shipped with kg."""
    return {p.stem: p for p in sorted(SAVED_QUERY_DIR.glob("*.rq"))}


def describe_saved(path: Path) -> str:
    """A saved query's first comment line, then its columns as the query itself projects them.

    The columns come from running the query on an empty store, so the list can never drift from the
    SELECT clause (a hand-written "# Columns:" comment can); a query that does not parse falls back to
    that comment.
    """
    text = path.read_text(encoding="utf-8")
    comments = [ln[1:].strip() for ln in text.splitlines() if ln.startswith("#")]
    summary = next((c for c in comments if c and not c.lower().startswith("columns:")), "")
    columns = query_columns(text)
    if columns is None:
        documented = next((c for c in comments if c.lower().startswith("columns:")), "")
        return f"{summary} {documented}".strip()
    return f"{summary} Columns: {', '.join(columns)}".strip() if columns else summary


def query_columns(sparql: str) -> list[str] | None:
    """The variables a SELECT query projects, in order ([] for ASK/CONSTRUCT), or None if it does not parse."""
    try:
        result = Store().query(sparql, prefixes=prefix_map())
    except (SyntaxError, ValueError, OSError, RuntimeError):
        return None
    if isinstance(result, QuerySolutions):
        return [v.value for v in result.variables]
    return []


def stale_claims_note(store: GraphStore, sparql: str, out: Path) -> str | None:
    """A hint when a query reads the claims graph while it is out of date (a build stopped before it)."""
    from kg.store.claims import claims_outdated, claims_stale

    if "claim" not in sparql.lower():
        return None
    if claims_outdated(store):
        return (
            "the claims graph was written by an older kg and lacks what the claims and deals queries read; "
            f"run kg build --rebuild-claims --out {out} to rebuild it"
        )
    if not claims_stale(store):
        return None
    return (
        "the claims are out of date: a build stopped before rebuilding them, so claims may be missing "
        f"or old; run kg build again (any input, e.g. the same files) --out {out} to rebuild them"
    )


def load_query(spec: str) -> str:
    """SPARQL text from a saved query name, a ``.rq`` file, or the text itself."""
    saved = saved_queries()
    if spec in saved:
        return saved[spec].read_text(encoding="utf-8")
    looks_like_path = spec.endswith((".rq", ".sparql")) and "\n" not in spec
    if looks_like_path:
        path = Path(spec)
        if not path.is_file():
            raise QueryError(f"query file {spec} not found")
        return path.read_text(encoding="utf-8")
    if not any(word in spec.upper() for word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")):
        names = ", ".join(saved)
        raise QueryError(f"{spec!r} is neither a saved query ({names}), a .rq file, nor SPARQL")
    return spec


@dataclass
class QueryResult:
    """Rows of a SELECT (as plain strings or None), or a boolean, or triples."""

    variables: list[str]
    rows: list[list[str | None]]
    boolean: bool | None = None
    raw: QuerySolutions | QueryTriples | QueryBoolean | None = None


def _plain(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, Literal | NamedNode):
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term)


def _execute(
    store: GraphStore, sparql: str, allow_service: Iterable[str] = ()
) -> QuerySolutions | QueryTriples | QueryBoolean:
    """Check ``sparql`` (size, depth, SERVICE) and run it over the union of graphs, or its FROM graphs."""
    try:
        toks = check_size(sparql, max_chars=MAX_QUERY_CHARS, max_depth=MAX_DEPTH)
        federated = ServicePolicy.of(allow_service).check(toks, prefix_map())
    except TextRefused as exc:
        raise QueryError(exc.message, code=exc.code) from exc
    try:
        return store.query(sparql, union=not has_keyword(toks, "FROM"))
    except SyntaxError as exc:
        raise QueryError(f"SPARQL error: {exc}") from exc
    except (ValueError, OSError, RuntimeError) as exc:
        if federated:  # how a remote call failed would tell open ports from closed ones
            raise QueryError("the federated query failed (SERVICE call refused, unreachable or failed)",
                             code="E325") from exc  # fmt: skip
        raise QueryError(f"SPARQL error: {exc}") from exc


def run_query(store: GraphStore, sparql: str, allow_service: Iterable[str] = ()) -> QueryResult:
    """Run ``sparql`` and keep the raw results for exact serialisation."""
    result = _execute(store, sparql, allow_service)
    if isinstance(result, QueryBoolean):
        return QueryResult([], [], boolean=bool(result), raw=result)
    if isinstance(result, QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [[_plain(solution[v]) for v in variables] for solution in result]
        return QueryResult(variables, rows)
    return QueryResult([], [], raw=result)


def format_result(store: GraphStore, sparql: str, fmt: str, allow_service: Iterable[str] = ()) -> str:
    """Run ``sparql`` and render it as ``table``, ``csv``, ``tsv`` or ``json`` (SELECT, ASK) or
    ``ttl``, ``nt``, ``jsonld`` (CONSTRUCT, DESCRIBE; ``json`` gives JSON-LD and ``table`` a triple table)."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; use {', '.join(FORMATS)}")
    result = _execute(store, sparql, allow_service)
    if isinstance(result, QueryTriples):
        triples = list(result)
        if fmt == "table":
            triple_rows = [[_plain(t.subject), _plain(t.predicate), _plain(t.object)] for t in triples]
            return render_table(QueryResult(["subject", "predicate", "object"], triple_rows))
        if fmt == "json":
            print("kg: a CONSTRUCT/DESCRIBE answer is a graph: writing it as JSON-LD", file=sys.stderr)
            fmt = "jsonld"
        if fmt not in GRAPH_FORMATS:
            raise QueryError(f"a CONSTRUCT/DESCRIBE answer is a graph, not a table: use --format ttl, nt, jsonld "
                             f"or json (JSON-LD), not {fmt}")  # fmt: skip
        return graph_bytes(triples, GRAPH_FORMATS[fmt]).decode("utf-8")
    if fmt in GRAPH_FORMATS:
        raise QueryError(f"--format {fmt} is for CONSTRUCT/DESCRIBE graphs: use table, csv, tsv or json here")
    if isinstance(result, QueryBoolean):
        if fmt == "table":
            return "true" if result else "false"
        if fmt != "json":
            raise QueryError(f"an ASK answer is true or false: use --format table or json, not {fmt}")
        return '{"head":{},"boolean":' + ("true" if result else "false") + "}"
    variables = [v.value for v in result.variables]
    rows: list[list[object]] = [[solution[v] for v in variables] for solution in result]
    if fmt == "table":
        return render_table(QueryResult(variables, [[_plain(t) for t in row] for row in rows]))
    return solutions_bytes(variables, rows, fmt).decode("utf-8")


def render_table(result: QueryResult, max_width: int = 60) -> str:
    """An aligned plain-text table for the terminal."""
    if result.boolean is not None:
        return "true" if result.boolean else "false"
    if not result.variables:
        return "(no rows)"
    cells = [[_clip(v, max_width) for v in row] for row in result.rows]
    headers = [printable(h) for h in result.variables]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.append(f"({len(cells)} rows)")
    return "\n".join(lines)


def _clip(value: str | None, width: int) -> str:
    if value is None:
        return ""
    flat = printable(" ".join(value.split()))  # escape sequences in the data must not drive the terminal
    return flat if len(flat) <= width else flat[: width - 1] + "…"
