"""Text normalisation every stage shares: how two spellings of one name are made to meet.

It lives below the stages (ingest -> nlp -> extract -> resolve -> rdf) so that
none of them imports it from a later one.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=65536)  # the same names and words are normalised again and again (a pure function of ``name``)
def normalise_name(name: str) -> str:
    """Fold case, accents, typographic variants and spacing so spellings meet."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().replace("’", "'").split())
