"""Setting a Doc's entities without leaving stale ids behind; a Doc's text, joined once."""

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


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined from the tokens once per Doc and kept in ``doc.user_data``.

    ``Doc.text`` builds a Python object for every token each time it is read; kg's components and
    extractors read it several times per article. Splitting or merging tokens never changes the text.
    """
    text = doc.user_data.get("kg_text")
    if not isinstance(text, str) or len(text) != _length(doc):  # a copied Doc brings another's user_data
        text = doc.user_data["kg_text"] = doc.text
    return text


def _length(doc: Doc) -> int:
    if not len(doc):
        return 0
    last = doc[-1]
    return last.idx + len(last.text_with_ws)
