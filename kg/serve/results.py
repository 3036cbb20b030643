"""Running one SPARQL query and writing its answer in the format the client accepts.

Solutions are written here rather than by Oxigraph so that the writer can stop
at the result-size limit: SPARQL JSON, XML, CSV and TSV as the W3C result
formats define them.  Graphs (CONSTRUCT, DESCRIBE) go through Oxigraph's own
serialisers once the limit is checked.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Triple,
    serialize,
)
from rdflib.namespace import XSD

from kg.rdf.namespaces import KGID, prefix_map

SPARQL_RESULTS_XML_NS = "http://www.w3.org/2005/sparql-results#"  # an XML format namespace, not an RDF name
_XSD_STRING = NamedNode(str(XSD.string))

SOLUTION_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
BOOLEAN_TYPES = {k: v for k, v in SOLUTION_TYPES.items() if v in ("json", "xml")}
GRAPH_TYPES = {
    "text/turtle": RdfFormat.TURTLE,
    "application/x-turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "text/plain": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
}
CONTENT_TYPE = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
FORMAT_NAMES = {
    # ``format=`` for clients that cannot set Accept; json and xml also cover graphs (JSON-LD, RDF/XML)
    "json": "application/sparql-results+json, application/ld+json",
    "xml": "application/sparql-results+xml, application/rdf+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


@dataclass
class Answer:
    """An HTTP answer: status, media type and body."""

    status: int
    content_type: str
    body: bytes


class TooLarge(Exception):
    """The answer has more rows or triples than the server's limit."""


def accepted(accept: str, offered: Mapping[str, object]) -> str | None:
    """The offered media type the ``Accept`` header likes best (None: nothing acceptable)."""
    ranges: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept.split(",") if accept.strip() else ["*/*"]):
        fields = [f.strip() for f in part.split(";")]
        quality = 1.0
        for param in fields[1:]:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        ranges.append((quality, position, fields[0].lower()))
    for quality, _, media in sorted(ranges, key=lambda r: (-r[0], r[1])):
        if quality <= 0:
            continue
        if media in offered:
            return media
        if media in ("*/*", "*"):
            return next(iter(offered))
        if media.endswith("/*"):
            match = next((m for m in offered if m.startswith(media[:-1])), None)
            if match:
                return match
    return None


def render(result: QuerySolutions | QueryTriples | QueryBoolean, accept: str, limit: int) -> Answer:
    """Serialise a query result for the ``Accept`` header, refusing answers over ``limit``."""
    if isinstance(result, QueryBoolean):
        media = accepted(accept, BOOLEAN_TYPES)
        if media is None:
            return _not_acceptable(BOOLEAN_TYPES)
        return Answer(200, CONTENT_TYPE[BOOLEAN_TYPES[media]], _boolean(bool(result), BOOLEAN_TYPES[media]))
    if isinstance(result, QueryTriples):
        media = accepted(accept, GRAPH_TYPES)
        if media is None:
            return _not_acceptable(GRAPH_TYPES)
        return Answer(200, media, _graph(result, GRAPH_TYPES[media], limit))
    media = accepted(accept, SOLUTION_TYPES)
    if media is None:
        return _not_acceptable(SOLUTION_TYPES)
    fmt = SOLUTION_TYPES[media]
    return Answer(200, CONTENT_TYPE[fmt], _solutions(result, fmt, limit))


def _not_acceptable(offered: Mapping[str, object]) -> Answer:
    text = f"E315 none of the Accept header's types can be given for this query; use one of: {', '.join(offered)}\n"
    return Answer(406, "text/plain", text.encode())


def _graph(result: QueryTriples, fmt: RdfFormat, limit: int) -> bytes:
    triples: list[Triple] = []
    for triple in result:
        if len(triples) >= limit:
            raise TooLarge(f"more than {limit:,} triples")
        triples.append(triple)
    # vocabulary prefixes only: kg's own IRIs hold slashes that prefixed names would have to escape
    prefixes = {k: v for k, v in prefix_map().items() if v != str(KGID)} if fmt == RdfFormat.TURTLE else None
    return bytes(serialize(triples, format=fmt, prefixes=prefixes) or b"")


def _rows(result: QuerySolutions, limit: int) -> tuple[list[str], list[list[object]]]:
    variables = [v.value for v in result.variables]
    rows: list[list[object]] = []
    for solution in result:
        if len(rows) >= limit:
            raise TooLarge(f"more than {limit:,} rows")
        rows.append([solution[v] for v in variables])
    return variables, rows


def _solutions(result: QuerySolutions, fmt: str, limit: int) -> bytes:
    variables, rows = _rows(result, limit)
    if fmt == "json":
        return _json(variables, rows)
    if fmt == "xml":
        return _xml(variables, rows)
    if fmt == "csv":
        return _csv(variables, rows)
    return _tsv(variables, rows)


def _json_term(term: object) -> dict[str, object]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, Triple):
        parts = zip(("subject", "predicate", "object"), term, strict=True)
        return {"type": "triple", "value": {k: _json_term(v) for k, v in parts}}
    raise TypeError(f"unexpected term {term!r}")


def _json(variables: list[str], rows: Iterable[list[object]]) -> bytes:
    bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
    document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def _xml_term(term: object) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype != _XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    raise TypeError(f"unexpected term {term!r}")


def _xml(variables: list[str], rows: Iterable[list[object]]) -> bytes:
    out = ['<?xml version="1.0"?>\n', f'<sparql xmlns="{SPARQL_RESULTS_XML_NS}">\n<head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head>\n<results>\n")
    for row in rows:
        cells = "".join(
            f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
            for v, t in zip(variables, row, strict=True)
            if t is not None
        )
        out.append(f"<result>{cells}</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out).encode("utf-8")


def _csv_value(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, NamedNode | Literal):
        return term.value
    return str(term)


def _csv(variables: list[str], rows: Iterable[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(t) for t in row])
    return buffer.getvalue().encode("utf-8")


def _tsv(variables: list[str], rows: Iterable[list[object]]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    flag = "true" if value else "false"
    head = f'<?xml version="1.0"?>\n<sparql xmlns="{SPARQL_RESULTS_XML_NS}">'
    return f"{head}<head/><boolean>{flag}</boolean></sparql>\n".encode()
