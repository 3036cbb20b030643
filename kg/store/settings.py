"""Build settings a store remembers: the base IRI its resources were minted under.

A store built with ``kg build --base-iri B`` keeps B in ``STORE/kg-settings.json`` so that later
builds into it mint under the same base without being told again, and a build that asks for
another base is refused instead of mixing two bases in one store.  The file sits in the store's
folder (RocksDB leaves files it does not own alone) and travels with it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from kg.errors import KgError
from kg.iri import BASE_IRI_ENV, check_base_iri
from kg.rdf.namespaces import KGID

SETTINGS_FILE = "kg-settings.json"


class BaseIriError(KgError):
    """A base IRI that is malformed or differs from the one the store was built with (E202)."""

    code = "E202"


def stored_base_iri(store_dir: Path) -> str | None:
    """The base IRI remembered by the store in ``store_dir``, or None (the default base)."""
    path = store_dir / SETTINGS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise BaseIriError(f"{path}: unreadable settings: {exc}") from exc
    value = data.get("base_iri")
    return str(value) if value else None


def choose_base_iri(store_dir: Path, requested: str | None) -> str:
    """Settle the base IRI of a build into ``store_dir`` and make this process (and its workers) use it.

    Without ``requested`` the store's remembered base applies (else kg's
    default); a requested base must be well-formed and, for a store that
    already has content under another base, the same as before.
    """
    stored = stored_base_iri(store_dir)
    if requested is not None:
        try:
            requested = check_base_iri(requested)
        except ValueError as exc:
            raise BaseIriError(str(exc)) from None
        previous = stored or (str(KGID) if _has_content(store_dir) else None)
        if previous is not None and previous != requested:
            raise BaseIriError(
                f"{store_dir} was built with base IRI {previous}; build into a new --out folder to use {requested}"
            )
    chosen = requested or stored or str(KGID)
    if chosen == str(KGID):
        os.environ.pop(BASE_IRI_ENV, None)
    else:
        os.environ[BASE_IRI_ENV] = chosen
    return chosen


def remember_base_iri(store_dir: Path, base: str) -> None:
    """Write the base IRI next to the store's files (only for a base other than the default)."""
    if base == str(KGID) or stored_base_iri(store_dir) == base:
        return
    store_dir.mkdir(parents=True, exist_ok=True)
    temporary = store_dir / (SETTINGS_FILE + ".partial")
    temporary.write_text(json.dumps({"base_iri": base}) + "\n", encoding="utf-8")
    temporary.replace(store_dir / SETTINGS_FILE)


def _has_content(store_dir: Path) -> bool:
    return store_dir.is_dir() and any(p.name != SETTINGS_FILE for p in store_dir.iterdir())
