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
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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
    headers: dict[str, str] = field(default_factory=dict)


class TooLarge(Exception):
    """The answer has more rows or triples than the server's limit."""


class NotXml(Exception):
    """A value holds a character XML 1.0 cannot carry, not even as a character reference."""


# Media types a wildcard (``*/*``, ``text/*``) resolves to, best first; aliases such as ``text/xml``
# or ``text/plain`` are given only when asked for by name.
WILDCARD_ORDER = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
    "text/html",
]


def _ranges(accept: str) -> list[tuple[str, float]]:
    """The ``Accept`` header's media ranges with their q-values (a bad q-value counts as 0)."""
    out = []
    for part in accept.split(",") if accept.strip() else ["*/*"]:
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        quality = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        out.append((fields[0].lower(), quality))
    return out


def quality(media: str, ranges: list[tuple[str, float]], by_name_only: bool = False) -> tuple[float, int]:
    """The q-value the most specific matching range gives ``media`` (RFC 9110 section 12.5.1), and
    how specific that range was (2 exact, 1 ``type/*``, 0 ``*/*``, -1 none)."""
    kind = media.split("/")[0]
    best = (0.0, -1)
    for media_range, q in ranges:
        if media_range == media:
            specificity = 2
        elif not by_name_only and media_range == f"{kind}/*":
            specificity = 1
        elif not by_name_only and media_range in ("*/*", "*"):
            specificity = 0
        else:
            continue
        if specificity > best[1]:
            best = (q, specificity)
    return best


def accepted(accept: str, offered: Mapping[str, object]) -> str | None:
    """The offered media type the ``Accept`` header likes best (None: nothing acceptable).

    A type refused by name (``q=0``) is never given, even when ``*/*`` would match it; among equal
    q-values an exact name beats a wildcard, and wildcards resolve in :data:`WILDCARD_ORDER`.
    """
    ranges = _ranges(accept)
    scored = []
    for media in offered:
        preference = WILDCARD_ORDER.index(media) if media in WILDCARD_ORDER else len(WILDCARD_ORDER)
        q, specificity = quality(media, ranges, by_name_only=media not in WILDCARD_ORDER)
        if q > 0:
            scored.append((-q, -specificity, preference, media))
    return min(scored)[3] if scored else None


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
    variables, rows = _rows(result, limit)
    try:
        return Answer(200, CONTENT_TYPE[fmt], solutions_bytes(variables, rows, fmt))
    except NotXml as exc:
        others = {k: v for k, v in SOLUTION_TYPES.items() if v != "xml"}
        fallback = accepted(accept, others)
        if fallback is None:
            text = f"E327 the answer cannot be written as XML: {exc}; ask for JSON, CSV or TSV"
            return Answer(406, "text/plain; charset=utf-8", f"{text}\n".encode())
        return Answer(200, CONTENT_TYPE[others[fallback]], solutions_bytes(variables, rows, others[fallback]))


def _not_acceptable(offered: Mapping[str, object]) -> Answer:
    text = f"E315 none of the Accept header's types can be given for this query; use one of: {', '.join(offered)}\n"
    return Answer(406, "text/plain", text.encode())


def _graph(result: QueryTriples, fmt: RdfFormat, limit: int) -> bytes:
    triples: list[Triple] = []
    for triple in result:
        if len(triples) >= limit:
            raise TooLarge(f"more than {limit:,} triples")
        triples.append(triple)
    return graph_bytes(triples, fmt)


def graph_bytes(triples: list[Triple], fmt: RdfFormat) -> bytes:
    """Triples in an RDF format, with kg's vocabulary prefixes where the format has prefixes."""
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


def solutions_bytes(variables: list[str], rows: list[list[object]], fmt: str) -> bytes:
    """SELECT results in a W3C format: ``json``, ``xml``, ``csv`` (RFC 4180) or ``tsv``."""
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


# Characters XML 1.0 allows (section 2.2): a character reference to any other is not well-formed either.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_XML_ESCAPES = {"\r": "&#13;", '"': "&quot;"}


def _x(text: str) -> str:
    """``text`` escaped for XML content; ``\\r`` as a reference, so XML line-end handling keeps it."""
    bad = _NOT_XML.search(text)
    if bad:
        raise NotXml(f"a value holds U+{ord(bad.group()):04X}, which XML 1.0 does not allow")
    return escape(text, _XML_ESCAPES)


def _xml_term(term: object) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{_x(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{_x(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{_x(term.value)}</literal>"
        if term.datatype != _XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{_x(term.value)}</literal>"
        return f"<literal>{_x(term.value)}</literal>"
    raise TypeError(f"unexpected term {term!r}")


def _xml(variables: list[str], rows: Iterable[list[object]]) -> bytes:
    out = ['<?xml version="1.0"?>\n', f'<sparql xmlns="{SPARQL_RESULTS_XML_NS}">\n<head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]  # variable names are plain words
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
