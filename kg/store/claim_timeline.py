"""Claims over time (issue 15): when a deal was first and last reported, where it stands, what changed.

A claim groups the statements of one deal across articles (:mod:`kg.store.claims`).
Each statement carries its status (``kg:status``), its article's date
(``kg:reportedDate``), perhaps a date of its own (``kg:eventDate``) and an
amount converted to USD.  From them a claim gets:

* ``kg:firstReported`` / ``kg:latestReported``: the earliest and latest
  report dates among its statements;
* ``kg:latestStatus``: the status of its latest report (undated reports
  count as the oldest; among reports of one day the furthest along wins);
* ``kg:statusConflict``: true when a later report contradicts an earlier
  one (completed or agreed, then cancelled; cancelled, then going ahead;
  completed, then only planned or rumoured);
* ``kg:valueUSD``: the amount of its latest report that has one in USD;
* ``kg:dealYear``: the year of its earliest event date, else of its first report;
* ``kg:history``: the reports in date order as text ("2025-03-14 announced
  USD 10000000000 | 2025-06-02 completed USD 8000000000"), for reading.

Amounts that disagree are flagged by the ``claims`` query, as before.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pyoxigraph import Literal, NamedNode, Quad
from rdflib.namespace import XSD

from kg.extract.dates import article_date
from kg.model import FactStatus
from kg.rdf.namespaces import KG, KGSTATUS, prefix_map
from kg.store.oxigraph import GraphStore

# How far along a deal is, for ties between reports of one day and for the latest status.
PROGRESS = {
    FactStatus.RUMOURED: 0,
    FactStatus.PLANNED: 1,
    FactStatus.ANNOUNCED: 2,
    FactStatus.AGREED: 3,
    FactStatus.COMPLETED: 4,
    FactStatus.CANCELLED: 5,
}
_GOING_AHEAD = {FactStatus.ANNOUNCED, FactStatus.AGREED, FactStatus.COMPLETED}

_REPORTS = """
SELECT ?f ?status ?reported ?event ?value ?currency ?usd WHERE { GRAPH ?g {
  ?f kg:status ?status .
  OPTIONAL { ?f kg:reportedDate ?reported }
  OPTIONAL { ?f kg:eventDate ?event }
  OPTIONAL { ?f schema:amount ?m . ?m schema:value ?value ; schema:currency ?currency .
             OPTIONAL { ?m kg:valueUSD ?usd } }
} }
"""


@dataclass(frozen=True)
class Report:
    """What one statement says about its deal, and when."""

    status: FactStatus
    reported: Literal | None = None
    event: Literal | None = None
    amount: str | None = None  # "USD 10000000000", as stated
    usd: Literal | None = None

    @property
    def day(self) -> date | None:
        """The start of the reported period (a month-precise article date: its first day)."""
        return _start(self.reported)

    @property
    def event_day(self) -> date | None:
        return _start(self.event)


def _start(value: Literal | None) -> date | None:
    parsed = article_date(value.value) if value is not None else None
    return parsed.value if parsed is not None else None


def _status(term: object) -> FactStatus | None:
    value = getattr(term, "value", "")
    local = value[len(str(KGSTATUS)) :] if value.startswith(str(KGSTATUS)) else ""
    try:
        return FactStatus(local)
    except ValueError:
        return None


def statement_reports(store: GraphStore, facts: Collection[NamedNode] | None = None) -> dict[NamedNode, Report]:
    """The status, dates and amount of every statement (or of ``facts`` only) that has a status, by statement."""
    sparql = _REPORTS
    if facts is not None:  # an incremental claims update (kg.store.claims.update_claims) reads only its statements
        sparql = sparql.replace("WHERE {", "WHERE { VALUES ?f { " + " ".join(str(f) for f in facts) + " }", 1)
    result = store.raw.query(sparql, prefixes=prefix_map(), use_default_graph_as_union=False)
    reports: dict[NamedNode, Report] = {}
    for row in result:  # type: ignore[union-attr]
        status = _status(row["status"])
        if status is None:
            continue
        amount = None
        if row["value"] is not None and row["currency"] is not None:
            amount = f"{row['currency'].value} {row['value'].value}"
        reports[row["f"]] = Report(status, row["reported"], row["event"], amount, row["usd"])  # type: ignore[index]
    return reports


def _order(report: Report) -> tuple[date, int]:
    return (report.day or date.min, PROGRESS[report.status])


def contradicts(earlier: Report, later: Report) -> bool:
    """Whether ``later`` (reported on or after ``earlier``) says the deal went the other way."""
    if earlier.day is None or later.day is None or later.day < earlier.day:
        return False
    if earlier.status in (FactStatus.COMPLETED, FactStatus.AGREED) and later.status is FactStatus.CANCELLED:
        return True
    if earlier.status is FactStatus.CANCELLED and later.status in _GOING_AHEAD:
        return True
    return (
        earlier.status is FactStatus.COMPLETED
        and later.status in (FactStatus.PLANNED, FactStatus.RUMOURED)
        and later.day > earlier.day
    )


def _typed(value: object, datatype: str) -> Literal:
    return Literal(str(value), datatype=NamedNode(datatype))


def timeline_quads(subject: NamedNode, reports: list[Report], graph: NamedNode) -> list[Quad]:
    """What a claim says about time, from the reports of its statements (none: nothing)."""
    if not reports:
        return []
    ordered = sorted(reports, key=_order)
    quads: list[Quad] = []

    def add(predicate: str, value: NamedNode | Literal) -> None:
        quads.append(Quad(subject, NamedNode(predicate), value, graph))

    dated = [r for r in ordered if r.reported is not None]
    if dated:
        add(str(KG.firstReported), dated[0].reported)  # type: ignore[arg-type]
        add(str(KG.latestReported), dated[-1].reported)  # type: ignore[arg-type]
    add(str(KG.latestStatus), NamedNode(str(KGSTATUS[ordered[-1].status.value])))
    conflict = any(contradicts(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :])
    add(str(KG.statusConflict), _typed("true" if conflict else "false", str(XSD.boolean)))
    converted = [r for r in ordered if r.usd is not None]
    if converted:
        add(str(KG.valueUSD), _typed(Decimal(converted[-1].usd.value), str(XSD.decimal)))  # type: ignore[union-attr]
    events = sorted(d for r in ordered if (d := r.event_day) is not None)
    first_day = events[0] if events else (dated[0].day if dated else None)
    if first_day is not None:
        add(str(KG.dealYear), _typed(first_day.year, str(XSD.integer)))
    history = " | ".join(
        " ".join(part for part in (r.reported.value if r.reported else "undated", r.status.value, r.amount) if part)
        for r in ordered
    )
    add(str(KG.history), Literal(history))
    return quads


__all__ = ["PROGRESS", "Report", "contradicts", "statement_reports", "timeline_quads"]
