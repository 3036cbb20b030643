"""Dependency parses of the sentences that can hold a fact, in universal relations.

Only sentences with a trigger or an amount are parsed: they are the ones the
fact model looks at, a fraction of an article, which keeps the parser's cost
small.  French pipelines parse every sentence already (fr_core_news_sm has
a UD parser), so their parse is read from the document; the other languages
use kg's compact UD parsers (:mod:`kg.nlp.parsers`) when one is shipped.
Without a parser the model works on surface features alone.
"""

from __future__ import annotations

from spacy.tokens import Doc

from kg.extract.fact_model.candidates import Parse
from kg.extract.fact_sentences import SentenceView
from kg.nlp.ents import doc_text


def _from_doc(doc: Doc, view: SentenceView, by_char: dict[int, int]) -> Parse | None:
    index = [by_char.get(start) for start, _ in view.offsets]
    if any(i is None for i in index):
        return None
    position = {doc_i: n for n, doc_i in enumerate(index)}
    parse: Parse = []
    for n, doc_i in enumerate(index):
        token = doc[doc_i]  # type: ignore[index]
        head = position.get(token.head.i, n)
        parse.append((head, token.dep_.lower() or "dep"))
    return parse


def view_parses(doc: Doc, views: list[SentenceView], wanted: list[int], lang: str) -> dict[int, Parse]:
    """Parses of the views numbered in ``wanted`` (empty when no parser serves ``lang``)."""
    if not wanted:
        return {}
    if doc.has_annotation("DEP"):
        by_char = {t.idx: t.i for t in doc}  # once per document: a sentence's tokens are looked up by offset
        found = {n: _from_doc(doc, views[n], by_char) for n in wanted}
        return {n: p for n, p in found.items() if p is not None}
    try:
        from kg.nlp.parsers import parse_many
    except ImportError:
        return {}
    text = doc_text(doc)
    sentences = []
    for n in wanted:
        offsets = views[n].offsets
        words = [text[a:b] for a, b in offsets]
        spaces = [offsets[i][1] < offsets[i + 1][0] for i in range(len(offsets) - 1)] + [False]
        sentences.append((words, spaces))
    parsed = parse_many(lang, sentences)
    if parsed is None:
        return {}
    return dict(zip(wanted, parsed, strict=True))
