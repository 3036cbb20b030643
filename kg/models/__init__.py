"""kg's own trained NER pipelines, shipped as package data.

Each sub-directory (``nl_kg_ner``, ``de_kg_ner`` ...) is a spaCy pipeline as
written by ``nlp.to_disk`` (``sentencizer`` + ``ner``), produced by
``python -m kg.train``; its model card is ``README.md`` next to ``meta.json``.
They live inside the package so that a plain ``pip install`` has them, without
the network access ``spacy download`` would need.
"""

from __future__ import annotations

from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent
PREFIX = "kg/models/"


def shipped_model(lang: str) -> Path | None:
    """The shipped pipeline directory for ``lang``, or None when kg has none."""
    path = MODELS_DIR / f"{lang}_kg_ner"
    return path if (path / "meta.json").is_file() else None


def resolve_base(base: str) -> str:
    """Turn a ``pipelines.toml`` base such as ``kg/models/nl_kg_ner`` into a loadable path.

    Such a base names a directory relative to the installed package, which is
    not the current directory; other values (``blank``, package names,
    absolute paths) are returned unchanged.
    """
    if base.startswith(PREFIX):
        return str(MODELS_DIR / base[len(PREFIX) :])
    return base
