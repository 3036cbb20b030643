"""Per-article language detection with lingua, limited to languages kg knows."""

from __future__ import annotations

from functools import cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

# Languages the detector chooses between.  Keeping the set small makes detection
# faster and more reliable; an article in another language is still reported
# with its best guess among these, and users can force ``--lang``.
DETECTABLE = ("nl", "fr", "id", "en", "de", "es", "pt", "it")


@cache
def _detector() -> LanguageDetector:
    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in DETECTABLE]
    return LanguageDetectorBuilder.from_languages(*languages).with_minimum_relative_distance(0.0).build()


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of ``text``'s language, judged on its first 2,000 characters."""
    sample = text[:2000]
    if not any(ch.isalpha() for ch in sample):
        return default
    found = _detector().detect_language_of(sample)
    if found is None:
        return default
    return found.iso_code_639_1.name.lower()
