"""Setting a Doc's entities without leaving stale ids behind."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span


def set_entities(doc: Doc, spans: Iterable[Span]) -> None:
    """``doc.ents = spans``, and clear the entity id of every token outside them.

    spaCy keeps ``Token.ent_id`` on tokens that drop out of the entities, so a
    statistical NER later in the pipeline would give a new entity on those
    tokens the origin (``gazetteer``, ``rule``) of a span that no longer exists.
    """
    spans = list(spans)
    doc.ents = spans
    inside = {i for span in spans for i in range(span.start, span.end)}
    for token in doc:
        if token.i not in inside and token.ent_id:
            token.ent_id = 0
