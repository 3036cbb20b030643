"""Text normalisation every stage shares: how two spellings of one name are made to meet.

It lives below the stages (ingest -> nlp -> extract -> resolve -> rdf) so that
none of them imports it from a later one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_][\w’']*")


@lru_cache(maxsize=65536)  # the same names and words are normalised again and again (a pure function of ``name``)
def normalise_name(name: str) -> str:
    """Fold case, accents, typographic variants and spacing so spellings meet."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().replace("’", "'").split())


def is_abbreviation(text: str) -> bool:
    """``TVA``, ``I&M``, ``EuroHPC``: one word with at least two capitals and no lowercase start."""
    return 1 < len(text) <= 12 and " " not in text and text[0].isupper() and sum(c.isupper() for c in text) >= 2


def abbreviates(short: str, name: str) -> bool:
    """Whether the capitals of ``short`` are, in order, initials of words of ``name`` (the first one too).

    ``TVA`` / ``Tennessee Valley Authority``, ``UTE`` / ``Administración Nacional de Usinas y
    Transmisiones Eléctricas``, ``SETT`` / ``Sociedad Española para la Transformación Tecnológica``.
    """
    letters = [c for c in short if c.isupper()]
    initials = [w[0].upper() for w in _WORD.findall(name)]
    if len(initials) < 2 or not letters or letters[0] not in initials:
        return False
    i = 0
    for initial in initials:
        if i < len(letters) and initial == letters[i]:
            i += 1
    return i == len(letters)
