"""Bytes to text: UTF-8 first, legacy encodings detected as a fallback."""

from __future__ import annotations

import unicodedata

from charset_normalizer import from_bytes

from kg.errors import InputError

_CONTROL_OK = {"\n", "\r", "\t", "\f", "\v"}


def looks_binary(data: bytes) -> bool:
    """NUL bytes never occur in text files in any encoding kg reads."""
    return b"\x00" in data[:65536]


def decode_bytes(data: bytes, source: str) -> str:
    """Decode article bytes, or raise an ``InputError`` naming ``source``."""
    if not data.strip():
        raise InputError(source, "file is empty", "E101")
    if looks_binary(data):
        raise InputError(source, "file is binary, not text (contains NUL bytes)", "E102")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decode_legacy(data, source)
    return clean_text(text)


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
    return "".join(
        ch for ch in text if ch in _CONTROL_OK or unicodedata.category(ch) not in {"Cc", "Cs"}
    )
