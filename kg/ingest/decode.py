"""Bytes to text: UTF-8 first, legacy encodings detected as a fallback."""

from __future__ import annotations

import re
import unicodedata

from charset_normalizer import from_bytes

from kg.errors import InputError, InputWarning

_CONTROL_OK = {"\n", "\r", "\t", "\f", "\v"}
# What clean_text drops: Unicode's control characters (general category Cc, U+0000-U+001F and
# U+007F-U+009F) but the white space above, and lone surrogates (Cs, U+D800-U+DFFF). Both sets are
# fixed by Unicode's stability policy; tests/test_ingest.py checks the class against unicodedata.
_DROPPED = re.compile(
    "["
    + "".join(re.escape(chr(c)) for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in _CONTROL_OK)
    + "\ud800-\udfff]"
)

# Signatures of common binary formats: such files are "binary", not "undecodable text".
_BINARY_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"%PDF",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x7fELF",
    b"BZh",
    b"7z\xbc\xaf",
)
_UTF_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def looks_binary(data: bytes) -> bool:
    """NUL bytes never occur in text files in any encoding kg reads (UTF-16/32 need a BOM)."""
    return data.startswith(_BINARY_MAGIC) or (b"\x00" in data[:65536] and _bom_encoding(data) is None)


def _bom_encoding(data: bytes) -> str | None:
    return next((encoding for bom, encoding in _UTF_BOMS if data.startswith(bom)), None)


def decode_bytes(data: bytes, source: str, warnings: list[InputWarning] | None = None) -> str:
    """Decode article bytes, or raise an ``InputError`` naming ``source``.

    UTF-8 with a few invalid bytes (a truncated copy, one bad paste) stays UTF-8: the bad bytes become
    U+FFFD and a ``W110`` warning naming the first byte offset is appended to ``warnings``. Only text
    whose non-ASCII bytes are mostly not UTF-8 is read as a legacy encoding.
    """
    if not data.strip():
        raise InputError(source, "file is empty", "E101")
    if data.startswith(_BINARY_MAGIC):
        why = "contains NUL bytes" if b"\x00" in data[:65536] else "binary file signature"
        raise InputError(source, f"file is binary, not text ({why})", "E102")
    bom_encoding = _bom_encoding(data)
    if bom_encoding is None and b"\x00" in data[:65536]:
        raise InputError(source, "cannot decode as text: not UTF-8 nor a legacy encoding (contains NUL bytes)", "E103")
    try:
        text = data.decode(bom_encoding or "utf-8-sig")
    except UnicodeDecodeError:
        if bom_encoding:
            message = f"cannot decode as text: invalid {bom_encoding} despite its byte order mark"
            raise InputError(source, message, "E103") from None
        repaired = _mostly_utf8(data, source)
        if repaired is None:
            text = _decode_legacy(data, source)
        else:
            text, warning = repaired
            if warnings is not None:
                warnings.append(warning)
    return clean_text(text)


def _mostly_utf8(data: bytes, source: str) -> tuple[str, InputWarning] | None:
    """UTF-8 with its invalid bytes replaced, when valid multi-byte characters outnumber them.

    Text in cp1252 or Latin-1 has no valid multi-byte UTF-8 sequences (or one by accident), while every
    accented letter is an invalid byte; UTF-8 with a stray byte has many good sequences and few bad ones.
    """
    escaped = data.decode("utf-8", errors="surrogateescape")  # each invalid byte becomes one U+DC80-U+DCFF
    bad_at = [i for i, ch in enumerate(escaped) if "\udc80" <= ch <= "\udcff"]
    good = sum(1 for ch in escaped if ch > "\x7f") - len(bad_at)
    if not bad_at or good < len(bad_at):
        return None
    first = len(escaped[: bad_at[0]].encode("utf-8", errors="surrogateescape"))
    bad = len(bad_at)
    text = data.decode("utf-8-sig", errors="replace")
    message = (
        f"{bad} invalid UTF-8 byte(s) replaced with U+FFFD, the first at byte offset {first}; "
        "the rest of the file is UTF-8"
    )
    return text, InputWarning(source, message, "W110")


def _decode_legacy(data: bytes, source: str) -> str:
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(source, "text is not UTF-8 and its encoding could not be detected", "E103")
    text = str(best)
    if _control_ratio(text) > 0.05:
        raise InputError(source, f"text is not UTF-8 and reads as garbage in {best.encoding}", "E103")
    return text


def _control_ratio(text: str) -> float:
    bad = sum(1 for ch in text if unicodedata.category(ch) in {"Cc", "Co", "Cs"} and ch not in _CONTROL_OK)
    return bad / max(1, len(text))


def clean_text(text: str) -> str:
    """Normalise line ends and drop control characters; keep every letter as written.

    Offsets are computed on the cleaned text, which is what kg stores, so every
    mention offset can be checked against the stored article text.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _DROPPED.sub("", text)  # one pass in C; a loop over the characters took a third of ingest
