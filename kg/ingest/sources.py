"""Turn what the user names on the command line into ``Article`` objects.

Inputs are files, folders (searched recursively) or ``-`` for standard input.
Every problem with one input is yielded as an ``InputError`` so the caller can
report it and carry on with the rest.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import trafilatura

from kg.errors import InputError, InputWarning
from kg.ingest.decode import clean_text, decode_bytes
from kg.ingest.langid import detect_language, is_known_language
from kg.model import Article

TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
GZIP_SUFFIX = ".gz"  # article.txt.gz, feed.jsonl.gz ...: read decompressed, bounded by --max-bytes
DEFAULT_MAX_BYTES = 50_000_000
MAX_TITLE_CHARS = 500
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_DRAIN_BYTES = 1 << 20
MIN_PROSE_WORDS = 6  # an HTML page needs at least one line this long to count as an article

ArticleOrError = Article | InputError


@dataclass(frozen=True)
class RawInput:
    """One input before decoding: a file's bytes, stdin's bytes or one JSON line.

    Reading raw inputs is cheap and sequential; turning them into articles
    (decoding, HTML extraction, language detection) is the costly part, so
    parallel builds read ``RawInput`` in one process and parse them in workers.
    """

    source: str
    data: bytes
    kind: str = "text"  # "text" (plain text or HTML sniffed), "html" or "jsonl" (one line)


RawOrError = RawInput | InputError


def iter_articles(
    inputs: Iterable[str],
    *,
    lang: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[ArticleOrError]:
    """Yield an article (or the error that stopped it) for every input."""
    for item in iter_raw(inputs, max_bytes=max_bytes):
        yield item if isinstance(item, InputError) else parse_raw(item, lang=lang, max_bytes=max_bytes)


def iter_raw(inputs: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawOrError]:
    """Yield every input's raw bytes (one item per file, per JSON line, or for stdin), streaming."""
    for name in inputs:
        if name == "-":
            yield RawInput("-", sys.stdin.buffer.read(max_bytes + 1))
            continue
        path = Path(name)
        if path.is_dir():
            for found in folder_files(path):
                if isinstance(found, InputWarning):
                    yield found
                else:
                    yield from read_raw_file(found, max_bytes=max_bytes)
        elif not path.exists():
            yield InputError(name, "no such file or folder", "E104")
        else:
            yield from read_raw_file(path, max_bytes=max_bytes, source=name)


def article_suffix(path: Path) -> str:
    """The suffix that says how to read ``path``: ``.txt`` for ``a.txt`` and for ``a.txt.gz``."""
    suffix = path.suffix.lower()
    if suffix == GZIP_SUFFIX:
        return Path(path.stem).suffix.lower()
    return suffix


def folder_files(folder: Path) -> Iterator[Path | InputWarning]:
    """Every article file under ``folder`` in path order, following symlinked folders once each.

    What cannot be read is named in a ``W112`` warning, never skipped silently: a symlink loop (or a
    folder reached twice through links), a dangling link, a folder that cannot be listed.
    """
    seen: dict[tuple[int, int], Path] = {}
    yield from _walk(folder, seen)


def _walk(folder: Path, seen: dict[tuple[int, int], Path]) -> Iterator[Path | InputWarning]:
    try:
        info = folder.stat()
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield InputWarning(str(folder), f"folder skipped: cannot read it ({exc.strerror or exc})", "W112")
        return
    key = (info.st_dev, info.st_ino)
    if key in seen:
        why = f"it is {seen[key]} again, through a symbolic link (a loop or a second link)"
        yield InputWarning(str(folder), f"folder skipped: {why}", "W112")
        return
    seen[key] = folder
    for entry in entries:
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
        except OSError as exc:
            yield InputWarning(str(path), f"skipped: {exc.strerror or exc}", "W112")
            continue
        if is_dir:
            yield from _walk(path, seen)
        elif article_suffix(path) not in SUPPORTED_SUFFIXES:
            continue
        elif is_file:
            yield path
        elif entry.is_symlink():
            yield InputWarning(str(path), "skipped: a symbolic link that leads nowhere (dangling, or a loop)", "W112")
        else:
            yield InputWarning(str(path), "skipped: not a regular file", "W112")


def parse_raw(
    raw: RawInput,
    *,
    lang: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    warnings: list[InputWarning] | None = None,
) -> ArticleOrError:
    """Decode one raw input into an article, or the error that stops it; warnings go to ``warnings``."""
    if raw.kind == "jsonl":
        return _jsonl_line(raw.data, raw.source, lang, max_bytes, warnings)
    return next(_read_stream(raw.data, raw.source, lang, max_bytes, html=raw.kind == "html", warnings=warnings))


def read_file(
    path: Path, *, lang: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, source: str | None = None
) -> Iterator[ArticleOrError]:
    """Read one file according to its suffix; ``source`` is the name as the user gave it (default: ``path``)."""
    for item in read_raw_file(path, max_bytes=max_bytes, source=source):
        yield item if isinstance(item, InputError) else parse_raw(item, lang=lang, max_bytes=max_bytes)


def read_raw_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, source: str | None = None) -> Iterator[RawOrError]:
    """One file's raw input(s): the whole file, or each line of a JSON Lines file (streamed)."""
    source = source or str(path)
    suffix = article_suffix(path)
    compressed = path.suffix.lower() == GZIP_SUFFIX
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(path, max_bytes, source, compressed=compressed)
        return
    if compressed:
        yield _read_gzip(path, max_bytes, source, "html" if suffix in HTML_SUFFIXES else "text")
        return
    try:
        size = path.stat().st_size
        if size > max_bytes:
            message = f"file is too large ({size:,} bytes; limit {max_bytes:,}, see --max-bytes)"
            yield InputError(source, message, "E105")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(source, f"cannot read file: {exc.strerror or exc}", "E104")
        return
    yield RawInput(source, data, "html" if suffix in HTML_SUFFIXES else "text")


def _gzip_problem(exc: BaseException, source: str) -> InputError:
    if isinstance(exc, OSError) and exc.errno is not None:  # the file itself: missing, unreadable
        return InputError(source, f"cannot read file: {exc.strerror or exc}", "E104")
    return InputError(source, f"not a readable gzip file ({exc or type(exc).__name__})", "E109")


def _read_gzip(path: Path, max_bytes: int, source: str, kind: str) -> RawOrError:
    """A gzip-compressed article, decompressed up to ``max_bytes`` (a gzip bomb stops there)."""
    try:
        with gzip.open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        return _gzip_problem(exc, source)
    if len(data) > max_bytes:
        message = f"decompressed text is too large (over {max_bytes:,} bytes, see --max-bytes)"
        return InputError(source, message, "E105")
    return RawInput(source, data, kind)


def _read_stream(
    data: bytes,
    source: str,
    lang: str | None,
    max_bytes: int,
    html: bool = False,
    warnings: list[InputWarning] | None = None,
) -> Iterator[ArticleOrError]:
    if len(data) > max_bytes:
        yield InputError(source, f"input is too large (limit {max_bytes:,} bytes, see --max-bytes)", "E105")
        return
    try:
        text = decode_bytes(data, source, warnings)
        if html or _looks_like_html(text):
            yield _article_from_html(text, source, lang)
        else:
            yield _article_from_text(text, source, lang)
    except InputError as exc:
        yield exc


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith("<!doctype html") or head.startswith("<html")


def _article_from_text(
    text: str, source: str, lang: str | None, *, declared_lang: object = None, **meta: Any
) -> Article:
    body = text.strip()
    if not body:
        raise InputError(source, "article has no text", "E101")
    title = meta.pop("title", None) or _first_line_title(body)
    return Article(
        text=body,
        source=source,
        lang=_language(body, lang, declared_lang, source),
        title=title,
        lang_forced=bool(lang),
        **meta,
    )


def _first_line_title(body: str) -> str | None:
    """A plain-text article's first line is its headline when a blank line follows it.

    A Markdown heading marker (``# Title``) is not part of the headline.
    """
    first, sep, _ = body.partition("\n\n")
    if sep and "\n" not in first and len(first) <= MAX_TITLE_CHARS:
        return _MD_HEADING.sub("", first).strip() or None
    return None


def _language(text: str, forced: str | None, declared: object, source: str = "") -> str:
    if forced:
        return forced.strip().lower()
    if declared and isinstance(declared, str) and 2 <= len(declared) <= 3 and declared.isalpha():
        code = declared.lower()
        if not is_known_language(code):
            message = f"unknown language {declared!r} in 'lang': give an ISO 639-1 code such as nl, fr, en, pl"
            raise InputError(source, message, "E110")
        return code
    return detect_language(text)


def _article_from_html(html: str, source: str, lang: str | None) -> Article:
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    text = clean_text(doc.text or "") if doc is not None and not isinstance(doc, dict) else ""
    if doc is None or isinstance(doc, dict) or not _has_prose(text):
        raise InputError(source, "HTML page has no article text that could be extracted", "E106")
    return _article_from_text(
        text,
        source,
        lang,
        title=_short(doc.title),
        date=_short(doc.date),
        url=_short(doc.url),
    )


def _has_prose(text: str) -> bool:
    """True when some line reads like a sentence, not like menu items, buttons and page numbers.

    When a page has no article body, trafilatura falls back to the page's
    boilerplate (navigation, pagination, "Subscribe"): lines of one or two words.
    """
    return any(len(line.split()) >= MIN_PROSE_WORDS for line in text.splitlines())


def _short(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return clean_text(value.strip())[:MAX_TITLE_CHARS]


def _read_jsonl(path: Path, max_bytes: int, source: str, *, compressed: bool = False) -> Iterator[RawOrError]:
    """One raw input per line, read line by line (never the whole file); blank lines are skipped.

    A ``.jsonl.gz`` file is decompressed on the way, each line bounded by ``max_bytes`` as in a plain file.
    """
    try:
        handle = _open_lines(path, compressed)
    except (OSError, EOFError, zlib.error) as exc:
        yield _gzip_problem(exc, source)
        return
    with handle:
        empty = True
        lines = _numbered_lines(handle, max_bytes)
        number = 0
        while True:
            try:
                number, raw = next(lines)
            except StopIteration:
                break
            except (OSError, EOFError, zlib.error) as exc:
                yield InputError(f"{source}:{number + 1}", f"gzip stream broken ({exc or type(exc).__name__})", "E109")
                return
            if raw is None:
                empty = False
                yield InputError(f"{source}:{number}", "line is too large (see --max-bytes)", "E105")
                continue
            if not raw.strip():
                continue
            empty = False
            yield RawInput(f"{source}:{number}", raw, "jsonl")
        if empty:
            yield InputError(source, "file is empty", "E101")


def _open_lines(path: Path, compressed: bool) -> BinaryIO:
    """The file to read lines from; a ``.gz`` that is not gzip at all fails here, before any line."""
    if not compressed:
        return path.open("rb")
    handle = gzip.GzipFile(path, "rb")
    try:
        handle.peek(1)
    except BaseException:
        handle.close()
        raise
    return handle  # type: ignore[return-value]


def _numbered_lines(handle: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, bytes)``; a line longer than ``max_bytes`` gives ``None`` and is skipped, not held in memory."""
    number = 0
    while raw := handle.readline(max_bytes + 1):
        number += 1
        if len(raw) <= max_bytes:
            yield number, raw
            continue
        while raw and not raw.endswith(b"\n"):  # drain the rest of the oversized line in bounded pieces
            raw = handle.readline(_DRAIN_BYTES)
        yield number, None


def _jsonl_line(
    raw: bytes, source: str, lang: str | None, max_bytes: int, warnings: list[InputWarning] | None = None
) -> ArticleOrError:
    if len(raw) > max_bytes:
        return InputError(source, "line is too large (see --max-bytes)", "E105")
    try:
        record = json.loads(decode_bytes(raw, source, warnings).strip())
    except InputError as exc:
        return exc
    except json.JSONDecodeError as exc:
        return InputError(source, f"malformed JSON: {exc.msg} at column {exc.colno}", "E107")
    if not isinstance(record, dict):
        return InputError(source, "JSON line is not an object", "E107")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputError(source, "JSON object has no non-empty 'text' field", "E108")
    try:
        return _article_from_text(
            clean_text(text),
            source,
            lang,
            url=_short(record.get("url")),
            title=_short(record.get("title")),
            date=_short(record.get("date")),
            declared_lang=record.get("lang"),
        )
    except InputError as exc:
        return exc
