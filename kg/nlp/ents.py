"""Setting a Doc's entities without leaving stale ids behind."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.attrs import ENT_ID
from spacy.tokens import Doc, Span


def set_entities(doc: Doc, spans: Iterable[Span]) -> None:
    """``doc.ents = spans``, and clear the entity id of every token outside them.

    spaCy keeps ``Token.ent_id`` on tokens that drop out of the entities, so a
    statistical NER later in the pipeline would give a new entity on those
    tokens the origin (``gazetteer``, ``rule``) of a span that no longer exists.
    """
    spans = list(spans)
    doc.ents = spans
    stale = doc.to_array(ENT_ID) != 0  # one array for the whole Doc, not a Python object per token
    for span in spans:
        stale[span.start : span.end] = False
    for i in stale.nonzero()[0]:
        doc[int(i)].ent_id = 0
