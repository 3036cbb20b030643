"""The end-of-build summary a user reads in the terminal."""

from __future__ import annotations

from pathlib import Path

import typer

from kg.build.driver import BuildReport
from kg.errors import printable
from kg.store import GraphStore

_ENTITY_COUNTS = """
SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE {
  VALUES ?type { schema:Organization schema:Country schema:Person schema:Project }
  ?e a ?type .
} GROUP BY ?type
"""


_KINDS = (("organization", "organizations"), ("country", "countries"), ("person", "persons"), ("project", "projects"))


def entity_counts(store: GraphStore) -> dict[str, int]:
    """Distinct entities per type in the whole store (not per article)."""
    counts = {}
    for row in store.query(_ENTITY_COUNTS):  # type: ignore[union-attr]
        counts[row["type"].value.rsplit("/", 1)[-1].lower()] = int(row["n"].value)
    return counts


def _dates_and_money(report: BuildReport) -> str:
    """Issue 15: how many facts have a date of their own or come from undated articles; amounts not converted."""
    deals = report.deals
    facts = report.facts.get("investments", 0) + report.facts.get("partnerships", 0)
    amounts = deals["converted"] + deals["unconverted"]
    return (
        f"  dates, money:      {deals['dated']:,} of {facts:,} facts dated by their text, "
        f"{deals['undated_article']:,} from undated articles (no dates); {deals['converted']:,} of {amounts:,} "
        f"amounts in USD/EUR, {deals['unconverted']:,} not (currency or day outside the ECB rates)"
    )


def print_summary(report: BuildReport, store: GraphStore, out: Path, written: list[Path]) -> None:
    """Articles by language, entities by type, facts, triples, time and outputs (every count as 1,234)."""
    done = sum(report.articles.values())
    langs = ", ".join(f"{lang} {n:,}" for lang, n in sorted(report.articles.items())) or "none"
    entities = entity_counts(store)
    lines = [
        f"kg build: {done:,} articles ({langs}) in {report.seconds:,.1f} s"
        + (f", {report.duplicates:,} duplicate(s) stored once" if report.duplicates else ""),
        "  entities in store: " + ", ".join(f"{entities.get(k, 0):,} {plural}" for k, plural in _KINDS),
        "  mentions this run: " + ", ".join(f"{n:,} {k}" for k, n in sorted(report.mentions.items())),
        "  facts this run:    " + ", ".join(f"{n:,} {k}" for k, n in report.facts.items()),
        f"  claims in store:   {report.claims:,} (facts grouped across sources; kg query claims)",
        _dates_and_money(report),
        f"  store:             {report.triples:,} triples in {report.graphs:,} graphs at "
        + printable(str(out / "store")),
    ]
    if report.unsupported:
        unsupported = ", ".join(f"{lang} {n:,}" for lang, n in sorted(report.unsupported.items()))
        lines.append(
            f"  no kg lexicon:     {sum(report.unsupported.values()):,} article(s) ({unsupported}): stored with "
            "their language, CLDR countries and amounts only"
        )
    lines += [f"  wrote:             {printable(str(path))}" for path in written]
    if report.warnings:
        lines.append(f"  {len(report.warnings):,} warning(s) (see above)")
    if report.errors:
        lines.append(f"  {len(report.errors):,} input(s) failed (see errors above)")
    lines.append(f"  next: kg query organizations --out {printable(str(out))}")
    typer.echo("\n".join(lines))
