"""Render an :class:`~kg.eval.scoring.EvalResult` as plain text, JSON or Markdown.

Three audiences, three formats: ``format_report`` for a person at a terminal
(numbers first, then every error with its sentence so it can be acted on),
``to_json`` for scripts and CI (``kg eval --format json``; every number, no
formatting decisions), ``to_markdown`` for the README's Accuracy section.
Our own markup is plain ASCII (only names and quoted article text are not), so it survives
any terminal and log file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from kg.eval.scoring import KINDS, Counts, EvalResult, FalseHit, Miss

__all__ = ["format_report", "language_name", "to_json", "to_markdown", "truncate"]


def language_name(code: str) -> str | None:
    """The English name of a language code from CLDR (via Babel), None for a code CLDR does not know."""
    from babel import Locale

    name: str | None = Locale("en").languages.get(code)
    return name


_SHORT: dict[str, str] = {
    "organizations": "orgs",
    "countries": "countries",
    "persons": "persons",
    "amounts": "amounts",
    "investments": "investments",
    "partnerships": "partnerships",
}

SENTENCE_LIMIT = 200


def truncate(text: str, limit: int = SENTENCE_LIMIT) -> str:
    """Collapse whitespace and cut at ``limit`` characters (on a word boundary when possible)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 3]
    space = cut.rfind(" ")
    if space > limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "..."


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else str(round(value * 100))


def _compact(c: Counts) -> str:
    return f"{_pct(c.precision)}/{_pct(c.recall)}/{_pct(c.f1)}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> list[str]:
    """Fixed-width table; the first ``left`` columns are left-aligned, the rest right-aligned."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        parts = [c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))]
        return "  ".join(parts).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _overall_rows(result: EvalResult) -> list[list[str]]:
    rows = []
    for kind in KINDS:
        c = result.overall[kind]
        rows.append(
            [kind, _fmt(c.precision), _fmt(c.recall), _fmt(c.f1), str(c.tp), str(c.fp), str(c.fn), str(c.ignored)]
        )
    t = result.total()
    rows.append(
        ["all (micro)", _fmt(t.precision), _fmt(t.recall), _fmt(t.f1), str(t.tp), str(t.fp), str(t.fn), str(t.ignored)]
    )
    return rows


def _lang_rows(result: EvalResult) -> list[list[str]]:
    docs = result.docs_per_lang()
    rows = [
        [lang, str(docs.get(lang, 0)), *(_compact(result.by_lang[lang][k]) for k in KINDS)] for lang in result.languages
    ]
    rows.append(["all", str(len(result.doc_lang)), *(_compact(result.overall[k]) for k in KINDS)])
    return rows


def _hedge_line(result: EvalResult) -> str:
    parts = []
    for kind, h in result.hedged.items():
        if h.total:
            parts.append(
                f"{kind} {h.agree}/{h.total} agree (gold hedged {h.gold_hedged}, also predicted hedged {h.both_hedged})"
            )
        else:
            parts.append(f"{kind} -")
    return "Hedged flag on matched items: " + "; ".join(parts)


def _error_lines(title: str, errors: Sequence[Miss | FalseHit]) -> list[str]:
    lines = [f"{title} ({len(errors)})"]
    if not errors:
        lines.append("  none")
        return lines
    for kind in KINDS:
        of_kind = sorted((e for e in errors if e.kind == kind), key=lambda e: (e.lang, e.doc_id, e.description))
        if not of_kind:
            continue
        lines.append(f"  {kind} ({len(of_kind)})")
        for e in of_kind:
            lines.append(f"    [{e.doc_id}] {e.description}")
            if e.sentence:
                lines.append(f'        "{truncate(e.sentence)}"')
    return lines


def format_report(result: EvalResult, *, show_errors: bool = True) -> str:
    """Plain-text report: overall table, per-language table, then every miss and false hit.

    ``ign`` counts predictions that were neither right nor wrong (they matched an
    optional gold item, a demonym-only country or a surname-only duplicate).
    """
    docs = result.docs_per_lang()
    langs = ", ".join(f"{lang} {docs[lang]}" for lang in sorted(docs))
    media = "media orgs included" if result.include_media else "media orgs optional (--no-media)"
    lines = [f"kg eval: {len(result.doc_lang)} documents ({langs}); {media}", ""]

    lines.append("Overall")
    lines += _table(["kind", "P", "R", "F1", "TP", "FP", "FN", "ign"], _overall_rows(result))
    lines.append(
        "ign = predictions neither right nor wrong (matched an optional item, a demonym-only "
        "country or a surname-only duplicate person)"
    )
    lines += ["", _hedge_line(result), ""]

    lines.append("By language (precision/recall/F1 in %)")
    lines += _table(["lang", "docs", *(_SHORT[k] for k in KINDS)], _lang_rows(result))

    warnings = []
    if result.docs_without_prediction:
        warnings.append("no prediction for (all items counted as misses): " + ", ".join(result.docs_without_prediction))
    if result.docs_without_gold:
        warnings.append("predictions without gold (not scored): " + ", ".join(result.docs_without_gold))
    for doc_id, gold_lang, pred_lang in result.lang_mismatches:
        warnings.append(f"language detected as {pred_lang!r}, gold says {gold_lang!r}: {doc_id}")
    if warnings:
        lines += ["", "Warnings"] + [f"  {w}" for w in warnings]

    if show_errors:
        lines += ["", *_error_lines("Misses (gold items not found)", result.misses)]
        lines += ["", *_error_lines("False hits (predictions matching no gold item)", result.false_hits)]
    return "\n".join(lines) + "\n"


def _counts_json(c: Counts) -> dict[str, Any]:
    def r(v: float | None) -> float | None:
        return None if v is None else round(v, 4)

    return {
        "tp": c.tp,
        "fp": c.fp,
        "fn": c.fn,
        "ignored": c.ignored,
        "precision": r(c.precision),
        "recall": r(c.recall),
        "f1": r(c.f1),
    }


def _kinds_json(counts: Mapping[str, Counts]) -> dict[str, Any]:
    return {kind: _counts_json(counts[kind]) for kind in KINDS}


def to_json(result: EvalResult) -> dict[str, Any]:
    """Everything in the result as JSON-ready data (metrics rounded to 4 places, None if undefined)."""
    docs = result.docs_per_lang()
    return {
        "documents": len(result.doc_lang),
        "include_media": result.include_media,
        "overall": {**_kinds_json(result.overall), "all": _counts_json(result.total())},
        "by_language": {
            lang: {
                "documents": docs.get(lang, 0),
                **_kinds_json(result.by_lang[lang]),
                "all": _counts_json(result.total(result.by_lang[lang])),
            }
            for lang in result.languages
        },
        "by_document": {
            doc_id: {"lang": result.doc_lang.get(doc_id), **_kinds_json(counts)}
            for doc_id, counts in sorted(result.by_doc.items())
        },
        "hedged": {kind: asdict(h) for kind, h in result.hedged.items()},
        "misses": [asdict(m) for m in result.misses],
        "false_hits": [asdict(f) for f in result.false_hits],
        "docs_without_prediction": list(result.docs_without_prediction),
        "docs_without_gold": list(result.docs_without_gold),
        "lang_mismatches": [{"doc_id": d, "gold": g, "predicted": p} for d, g, p in result.lang_mismatches],
    }


def _md_cell(c: Counts) -> str:
    return f"{_fmt(c.precision, 2)} / {_fmt(c.recall, 2)} / {_fmt(c.f1, 2)}"


def to_markdown(result: EvalResult) -> str:
    """Per-language Markdown table (precision / recall / F1 per kind) for the README."""
    docs = result.docs_per_lang()
    header = ["Language", "Docs", *(k.capitalize() for k in KINDS)]
    lines = ["| " + " | ".join(header) + " |", "|---|---:|" + "---:|" * len(KINDS)]
    for lang in result.languages:
        name = language_name(lang)
        label = f"{name} ({lang})" if name else lang
        cells = [label, str(docs.get(lang, 0)), *(_md_cell(result.by_lang[lang][k]) for k in KINDS)]
        lines.append("| " + " | ".join(cells) + " |")
    total = ["**All**", f"**{len(result.doc_lang)}**", *(f"**{_md_cell(result.overall[k])}**" for k in KINDS)]
    lines.append("| " + " | ".join(total) + " |")
    media = "included" if result.include_media else "treated as optional"
    note = (
        'Cells: precision / recall / F1 ("-" = undefined). Optional gold items are not required; '
        f"media organizations {media}."
    )
    lines += ["", note]
    return "\n".join(lines) + "\n"
