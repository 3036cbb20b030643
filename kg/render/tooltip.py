"""Tooltip HTML for nodes and edges, built from escaped pieces only.

Everything shown in a tooltip (names, titles, sentences, sources) comes from
articles, so every piece of text goes through :func:`esc` here, before it is
put into the page.  The page turns these fragments into DOM elements; it never
escapes anything itself, and pyvis is not trusted to (pyvis 0.3.2 inserts all
titles raw as soon as one of them contains "href").  Links are only made for
http(s) and file URLs, and they only load when clicked.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from kg.rdf.namespaces import WD
from kg.render.model import ArticleInfo, Evidence, Money

MAX_ARTICLES_LISTED = 8
"""Articles named in a node tooltip; the rest are counted, which keeps big pages small."""

MAX_EVIDENCE_LISTED = 5
"""Source sentences quoted in an edge tooltip."""

MAX_SENTENCE_CHARS = 280
MAX_TEXT_CHARS = 160

_LINK_SCHEMES = frozenset({"http", "https", "file"})
_QID = re.compile(r"Q[1-9][0-9]*")
_SCALES = ((Decimal(10) ** 12, "tn"), (Decimal(10) ** 9, "bn"), (Decimal(10) ** 6, "m"), (Decimal(10) ** 3, "k"))
_QUALIFIERS = {"about": "about", "at_least": "at least", "more_than": "more than", "up_to": "up to"}


def esc(text: object, limit: int = MAX_TEXT_CHARS) -> str:
    """``text`` clipped to ``limit`` characters and HTML-escaped (quotes included) for text and attributes."""
    value = " ".join(str(text).split())
    if len(value) > limit:
        value = value[: limit - 1].rstrip() + "…"
    return html.escape(value, quote=True)


def safe_link(url: str | None) -> str | None:
    """``url`` if a click on it may open it (http, https or file), else None (``javascript:`` etc.)."""
    if not url or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in _LINK_SCHEMES and (parts.netloc or parts.scheme == "file") else None


def anchor(url: str | None, text: str) -> str:
    """An escaped link that opens in a new tab without referrer, or plain escaped text when the URL is unsafe."""
    link = safe_link(url)
    if link is None:
        return esc(text)
    return f'<a href="{html.escape(link, quote=True)}" target="_blank" rel="noopener noreferrer">{esc(text)}</a>'


def wikidata_url(qid: str | None) -> str | None:
    """The Wikidata entity page of ``qid`` when it looks like a Q-identifier."""
    return str(WD[qid]) if qid and _QID.fullmatch(qid) else None


def format_amount(value: Decimal) -> str:
    """500000000000 -> "500 bn", 1500000000 -> "1.5 bn", 181.4 -> "181.4"."""
    for size, word in _SCALES:
        if abs(value) >= size:
            scaled = (value / size).quantize(Decimal("0.01")).normalize()
            return f"{_plain(scaled)} {word}"
    return _plain(value.quantize(Decimal("0.01")).normalize())


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_money(money: Money) -> str:
    """A human reading of an amount: "USD 500 bn", "EUR 4–5 bn", "up to USD 400 bn"."""
    currency = money.currency or ""
    value = _decimal(money.value)
    if value is None:
        return f"{currency} {money.value}".strip()
    text = format_amount(value)
    low = _decimal(money.minimum) if money.minimum else None
    if low is not None and low != value:
        low_text = format_amount(low)
        low_num, _, low_word = low_text.partition(" ")
        high_word = text.partition(" ")[2]
        text = f"{low_num}–{text}" if low_word == high_word else f"{low_text} – {text}"
    qualifier = _QUALIFIERS.get(money.qualifier or "", (money.qualifier or "").replace("_", " "))
    return " ".join(part for part in (qualifier, currency, text) if part)


def _decimal(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text is not None else None
    except InvalidOperation:
        return None


Cite = Callable[[ArticleInfo], str]
"""Turns an article into the HTML that names it in a tooltip (by default :func:`article_line`)."""

Quote = Callable[[str], str]
"""Turns a source sentence into the HTML that quotes it (by default :func:`quote_sentence`)."""


def quote_sentence(sentence: str) -> str:
    """A source sentence, clipped and escaped."""
    return esc(sentence, MAX_SENTENCE_CHARS)


def article_line(article: ArticleInfo) -> str:
    """One article as an escaped link (or its source as text) with its language and date."""
    label = article.title or article.source
    meta = ", ".join(esc(part) for part in (article.lang, article.date) if part)
    extra = f' <span class="kg-meta">({meta})</span>' if meta else ""
    if article.title and not safe_link(article.link):
        extra += f' <span class="kg-meta">{esc(article.source)}</span>'
    return anchor(article.link, label) + extra


def node_tooltip(
    label: str,
    kind: str,
    *,
    aliases: Iterable[str] = (),
    wikidata: str | None = None,
    iso: str | None = None,
    articles: Sequence[ArticleInfo] = (),
    connections: int = 0,
    mentions: int = 0,
    cite: Cite | None = None,
) -> str:
    """Type, canonical name, aliases seen, Wikidata link and the articles an entity appears in."""
    rows = [f'<div class="kg-tip-head"><b>{esc(label)}</b> <span class="kg-kind">{esc(kind)}</span></div>']
    alias_list = sorted({a for a in aliases if a and a != label})
    if alias_list:
        shown = ", ".join(esc(a, 80) for a in alias_list[:12])
        more = f" and {len(alias_list) - 12} more" if len(alias_list) > 12 else ""
        rows.append(f"<div>Also written: {shown}{more}</div>")
    url = wikidata_url(wikidata)
    if url and wikidata:
        rows.append(f"<div>Wikidata: {anchor(url, wikidata)}</div>")
    if iso:
        rows.append(f"<div>ISO 3166-1: {esc(iso)}</div>")
    rows.append(
        f"<div>{connections} connection{'s' * (connections != 1)}, {mentions} mention{'s' * (mentions != 1)}</div>"
    )
    rows.append(_article_list(articles, cite or article_line))
    return f'<div class="kg-tip">{"".join(rows)}</div>'


def _article_list(articles: Sequence[ArticleInfo], cite: Cite) -> str:
    count = len(articles)
    head = f"<div>In {count} article{'s' * (count != 1)}:</div>"
    items = "".join(f"<li>{cite(a)}</li>" for a in articles[:MAX_ARTICLES_LISTED])
    more = f"<li>… and {count - MAX_ARTICLES_LISTED} more</li>" if count > MAX_ARTICLES_LISTED else ""
    return f"{head}<ul>{items}{more}</ul>"


def edge_tooltip(
    source_label: str,
    relation: str,
    target_label: str,
    evidence: Sequence[Evidence],
    articles: dict[str, ArticleInfo],
    cite: Cite | None = None,
    quote: Quote | None = None,
) -> str:
    """The fact, its amounts for humans, and each source sentence with a link to its article."""
    sources = {e.article for e in evidence}
    rows = [
        f'<div class="kg-tip-head"><b>{esc(source_label)}</b> {esc(relation)} <b>{esc(target_label)}</b></div>',
    ]
    amounts = sorted({format_money(e.amount) for e in evidence if e.amount is not None})
    if amounts:
        rows.append(f"<div>Amount: {esc('; '.join(amounts))}</div>")
    statuses = edge_statuses(evidence)
    if statuses:
        rows.append(f"<div>Status: {esc(', '.join(statuses))}</div>")
    rows.append(f"<div>Reported by {len(sources)} source{'s' * (len(sources) != 1)}:</div>")
    items = []
    for item in _distinct_sentences(evidence)[:MAX_EVIDENCE_LISTED]:
        hedge = ' <span class="kg-meta">(hedged)</span>' if item.hedged else ""
        if item.status is not None:
            when = f", {item.event_date}" if item.event_date else ""
            hedge += f' <span class="kg-meta">({esc(item.status)}{esc(when)})</span>'
        if item.confidence is not None:
            hedge += f' <span class="kg-meta">(confidence {esc(_percent(item.confidence))})</span>'
        article = articles.get(item.article)
        where = (cite or article_line)(article) if article else esc(item.article)
        items.append(f"<li>“{(quote or quote_sentence)(item.sentence)}”{hedge}<br>— {where}</li>")
    hidden = len(_distinct_sentences(evidence)) - MAX_EVIDENCE_LISTED
    if hidden > 0:
        items.append(f"<li>… and {hidden} more sentence{'s' * (hidden != 1)}</li>")
    rows.append(f"<ol>{''.join(items)}</ol>")
    return f'<div class="kg-tip">{"".join(rows)}</div>'


def edge_statuses(evidence: Sequence[Evidence]) -> list[str]:
    """The statuses a relation's statements give, latest dated first (``completed``, ``planned`` ...)."""
    dated = sorted(
        ((e.event_date or "", e.status) for e in evidence if e.status is not None), key=lambda x: x[0], reverse=True
    )
    out: list[str] = []
    for _, status in dated:
        if status not in out:
            out.append(status)  # type: ignore[arg-type]
    return out


def _percent(confidence: str) -> str:
    """A stored confidence ("0.8312") as users read it ("83%")."""
    try:
        return f"{round(float(confidence) * 100)}%"
    except ValueError:
        return confidence


def _distinct_sentences(evidence: Sequence[Evidence]) -> list[Evidence]:
    """One item per (article, sentence), facts first, so the list says something new each line."""
    seen: dict[tuple[str, str], Evidence] = {}
    for item in evidence:
        seen.setdefault((item.article, item.sentence), item)
    return list(seen.values())
