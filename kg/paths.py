"""Where kg finds its shipped knowledge files.

The ``ontology/`` folder sits at the top of the repository and is shipped as
package data (``kg/_ontology`` in a wheel), so both layouts are searched.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def ontology_dir() -> Path:
    """The directory holding kg.ttl, shapes.ttl, gazetteers and lexicons."""
    for candidate in (_PACKAGE / "_ontology", _PACKAGE.parent / "ontology"):
        if (candidate / "kg.ttl").is_file():
            return candidate
    raise FileNotFoundError("kg's ontology/ folder is missing: reinstall kg")


def gazetteer(name: str) -> Path:
    """Path of a gazetteer file shipped in ``ontology/gazetteers``."""
    return ontology_dir() / "gazetteers" / name


def lexicon_dir(kind: str) -> Path:
    """Directory of per-language lexicon files of one kind (``names``, ``money`` ...)."""
    return ontology_dir() / "lexicons" / kind


@cache
def lexicon_languages() -> tuple[str, ...]:
    """The languages kg has a fact lexicon for (``ontology/lexicons/facts/<lang>.json``), sorted.

    A language is supported once that file exists: detection, country names, name and fact
    rules and the fact model all take the list from here.
    """
    return tuple(sorted(p.stem for p in lexicon_dir("facts").glob("*.json")))


SAVED_QUERY_DIR = _PACKAGE / "query" / "saved"
