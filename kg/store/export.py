"""Streaming serialisation of the store into the formats triplestores bulk-load.

N-Quads and TriG keep one named graph per article and are what Virtuoso's
``ld_dir``, Fuseki's ``tdb2.tdbloader`` and QLever's index builder read.  They
are written by Oxigraph straight from its on-disk indexes in small chunks, so
exporting never holds the graph in memory; gzip compresses on the way out.
A file is written under a temporary name and renamed when complete, so an
interrupted export never leaves a truncated file behind under the real name.
"""

from __future__ import annotations

import contextlib
import errno
import gzip
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, cast

from pyoxigraph import QueryTriples, RdfFormat

from kg.errors import KgError
from kg.rdf.namespaces import KGID, prefix_map
from kg.store.oxigraph import GraphStore

_MERGE_ALL = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
_WITH_PREFIXES = (RdfFormat.TURTLE, RdfFormat.TRIG)
GZIP_LEVEL = 6  # zlib's default: within 10 % of level 9's size at about 3x its speed


class ExportError(KgError):
    """The export could not be written (E320)."""

    code = "E320"


def export_store(store: GraphStore, fmt: RdfFormat, output: Path | None, *, compress: bool = False) -> None:
    """Write the store to ``output`` (stdout when ``None``), gzip-compressed when ``compress``.

    Dataset formats (N-Quads, TriG, JSON-LD) keep one named graph per article;
    triple formats (Turtle, N-Triples) get the union of all graphs.
    """
    try:
        with _target(output, compress) as target:
            _write(store, fmt, target)
    except OSError as exc:
        if output is None and _closed_pipe(exc):
            raise BrokenPipeError(errno.EPIPE, "the reader closed standard output") from exc  # `| head`: not an error
        where = str(output) if output else "standard output"
        raise ExportError(f"{where}: cannot write the export: {_reason(exc)}") from exc


def _closed_pipe(exc: OSError) -> bool:
    return isinstance(exc, BrokenPipeError) or exc.errno == errno.EPIPE or "broken pipe" in str(exc).lower()


def _reason(exc: OSError) -> str:
    return exc.strerror or " ".join(str(exc).split())[:300] or type(exc).__name__


def write_export_files(store: GraphStore, files: dict[Path, RdfFormat]) -> list[Path]:
    """Write each file under a temporary name and rename it when complete (as ``kg export -o``).

    A kill or a full disk while writing leaves the previous version of every file in place: never a
    truncated ``graph.trig`` under the real name. The files are written at once, one thread each:
    Oxigraph serialises without holding Python's lock, so a build's ``graph.trig`` and ``graph.nq``
    take the time of the slower one on two cores instead of their sum. When a file cannot be written,
    the error of the first such file (in the order given) is raised once all have finished.
    """

    def write(path: Path, fmt: RdfFormat) -> None:
        try:
            with _target(path, False) as target:
                store.dump(target, fmt)
        except OSError as exc:
            message = f"{path}: cannot write the export: {_reason(exc)}; the previous file is unchanged"
            raise ExportError(message) from exc

    with ThreadPoolExecutor(max_workers=max(1, min(len(files), os.cpu_count() or 1))) as pool:
        futures = [pool.submit(write, path, fmt) for path, fmt in files.items()]
    for future in futures:
        future.result()  # the first failure, in the order of ``files``
    return list(files)


def _write(store: GraphStore, fmt: RdfFormat, target: IO[bytes]) -> None:
    prefixes = _export_prefixes() if fmt in _WITH_PREFIXES else None
    if fmt.supports_datasets:
        store.raw.dump(target, fmt, prefixes=prefixes)
        return
    result = store.query(_MERGE_ALL)
    assert isinstance(result, QueryTriples)
    result.serialize(target, fmt)


def _export_prefixes() -> dict[str, str]:
    """Vocabulary prefixes only: kg's own IRIs hold slashes, which prefixed names must escape
    (``kgid:graph\\/x``), and not every bulk loader reads those escapes."""
    return {name: iri for name, iri in prefix_map().items() if iri != str(KGID)}


@contextlib.contextmanager
def _target(output: Path | None, compress: bool) -> Iterator[IO[bytes]]:
    """The byte stream to write to; a file appears under its name only once it is complete."""
    if output is None:
        raw = sys.stdout.buffer
        if compress:
            # no name in the gzip header: the stream's own name would be "<stdout>"
            with gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as zipped:
                yield cast(IO[bytes], zipped)
        else:
            yield raw
        raw.flush()
        return
    partial = output.with_name(output.name + ".partial")
    try:
        with open(partial, "wb") as raw:
            if compress:
                # the header names the final file (gunzip -N restores it), not the temporary one being written
                name = output.name
                with gzip.GzipFile(filename=name, fileobj=raw, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as zipped:
                    yield cast(IO[bytes], zipped)
            else:
                yield raw
        os.replace(partial, output)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
