"""Find, run and format SPARQL queries.

``kg query`` accepts a saved query's name, a ``.rq`` file or SPARQL text.
Every query gets kg's PREFIX declarations for free and runs over the union of
all article graphs.  JSON, CSV and TSV output are the W3C SPARQL 1.1 result
formats, written by Oxigraph itself.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
)

from kg.errors import QueryError
from kg.paths import SAVED_QUERY_DIR
from kg.store.oxigraph import GraphStore

RESULT_FORMATS = {"json": QueryResultsFormat.JSON, "csv": QueryResultsFormat.CSV, "tsv": QueryResultsFormat.TSV}


def saved_queries() -> dict[str, Path]:
    """Name -> file of every query shipped with kg."""
    return {p.stem: p for p in sorted(SAVED_QUERY_DIR.glob("*.rq"))}


def describe_saved(path: Path) -> str:
    """The first comment lines of a saved query, which document it."""
    lines = [ln[1:].strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("#")]
    return " ".join(lines)


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


def run_query(store: GraphStore, sparql: str) -> QueryResult:
    """Run ``sparql`` and keep the raw results for exact serialisation."""
    try:
        result = store.query(sparql)
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryError(f"SPARQL error: {exc}") from exc
    if isinstance(result, QueryBoolean):
        return QueryResult([], [], boolean=bool(result), raw=result)
    if isinstance(result, QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [[_plain(solution[v]) for v in variables] for solution in result]
        return QueryResult(variables, rows)
    return QueryResult([], [], raw=result)


def format_result(store: GraphStore, sparql: str, fmt: str) -> str:
    """Run ``sparql`` and render it as ``table``, ``csv``, ``tsv`` or ``json``."""
    if fmt == "table":
        return render_table(run_query(store, sparql))
    if fmt not in RESULT_FORMATS:
        raise QueryError(f"unknown format {fmt!r}; use table, csv, tsv or json")
    try:
        result = store.query(sparql)
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryError(f"SPARQL error: {exc}") from exc
    if isinstance(result, QueryTriples):
        return result.serialize(format=RdfFormat.TURTLE).decode("utf-8")  # type: ignore[union-attr]
    buffer = io.BytesIO()
    result.serialize(buffer, RESULT_FORMATS[fmt])
    return buffer.getvalue().decode("utf-8")


def render_table(result: QueryResult, max_width: int = 60) -> str:
    """An aligned plain-text table for the terminal."""
    if result.boolean is not None:
        return "true" if result.boolean else "false"
    if not result.variables:
        return "(no rows)"
    cells = [[_clip(v, max_width) for v in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(result.variables)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(result.variables, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.append(f"({len(cells)} rows)")
    return "\n".join(lines)


def _clip(value: str | None, width: int) -> str:
    if value is None:
        return ""
    flat = " ".join(value.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
