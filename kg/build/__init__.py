"""The build driver: the stages wired together, in one process, in worker processes or on a cluster.

``kg build`` is this package.  Its public entry points:

* :func:`build` — articles (files, folders, ``-``) into the store of an output folder;
* :func:`process_article` — one parsed article through NLP, extraction, resolution and RDF;
* :func:`build_on_cluster` — the same build on a Dask cluster (``kg.build.cluster``).

The modules: ``driver`` (the loop and its report), ``work`` (what one article or
batch costs, run wherever the workers are), ``writer`` (the only store writer, in
input order), ``parallel`` (the local worker pool), ``cluster`` (Dask),
``progress`` (the progress bar) and ``summary`` (the lines printed at the end).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.build.driver import BuildReport, build, process_article

if TYPE_CHECKING:
    from kg.build.cluster import build_on_cluster

__all__ = ["BuildReport", "build", "build_on_cluster", "process_article"]


def __getattr__(name: str) -> Any:
    """Import the Dask side only when it is asked for: a local build never needs it."""
    if name == "build_on_cluster":
        from kg.build.cluster import build_on_cluster

        return build_on_cluster
    raise AttributeError(name)
