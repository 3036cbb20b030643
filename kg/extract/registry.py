"""The extractor registry: each extractor adds mentions or facts to an ``Extraction``.

Extractors are registered by name and run in the order a pipeline lists them,
like spaCy components; a new relation is a new registered function plus its
data files, not a change to the driver.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from kg.model import Extraction

Extractor = Callable[[Doc, Extraction], None]

_REGISTRY: dict[str, Extractor] = {}

DEFAULT_EXTRACTORS = ("sentences", "amounts", "entities", "investments", "partnerships", "deal_state")


def register_extractor(name: str) -> Callable[[Extractor], Extractor]:
    """Decorator: make ``func`` available to pipelines under ``name``."""

    def wrap(func: Extractor) -> Extractor:
        _REGISTRY[name] = func
        return func

    return wrap


def get_extractor(name: str) -> Extractor:
    """Look an extractor up by name, with a message that says what exists."""
    _load_builtin()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise KeyError(f"no extractor named {name!r}; registered: {known}") from None


def _load_builtin() -> None:
    """Import the built-in extractors so their decorators run."""
    import kg.extract.deal_state
    import kg.extract.entities
    import kg.extract.fact_model.extractor  # noqa: F401


def extract(doc: Doc, extraction: Extraction, names: tuple[str, ...] = DEFAULT_EXTRACTORS) -> Extraction:
    """Run the named extractors over ``doc`` in order."""
    for name in names:
        get_extractor(name)(doc, extraction)
    return extraction
