"""Per-article language detection with lingua, among every language lingua knows.

Two detectors work together. A broad one (all of lingua's 75 languages, trigram
models only: about 80 MB and a fraction of a second to load) says whether an
article is in one of the languages kg has lexicons for at all; when it is, the
narrow, high-accuracy detector choosing among those languages decides which,
exactly as before. An article the broad detector confidently puts in another
language (Polish, Russian, Chinese ...) keeps that language: kg stores it with
its true language and gives it what CLDR knows (see ``kg.resolve.cldr``).
"""

from __future__ import annotations

from functools import cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder


def _lexicon_languages() -> tuple[str, ...]:
    """Every language with a fact lexicon (``ontology/lexicons/facts/<lang>.json``) that lingua can detect.

    Adding a language to kg is adding its lexicon files: the narrow detector,
    the name rules, the fact rules and the fact model all follow from them.
    """
    from kg.paths import lexicon_languages

    known = {lang.iso_code_639_1.name.lower() for lang in Language.all()}
    return tuple(lang for lang in lexicon_languages() if lang in known)


# Languages kg has lexicons for: the narrow detector chooses between them.
DETECTABLE: tuple[str, ...] = _lexicon_languages()

# A language the broad detector must beat a supported one by this much (its confidence, 0-1) to be
# kept: close relatives (Malay next to Indonesian, Afrikaans next to Dutch, Catalan next to Spanish)
# share most trigrams with a supported language, and short texts are noisy.
FOREIGN_MARGIN = 0.25
FOREIGN_MIN_CHARS = 40
# The broad detector reads only the first characters: it tells "clearly another language" apart, which
# trigrams of a paragraph settle, and its 75 models make it the dearest step of ingest (8.4 ms an article
# at 2,000 characters, 3.3 ms at 600; none of the 104 annotated articles is called foreign at either).
BROAD_CHARS = 600


@cache
def _detector() -> LanguageDetector:
    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in DETECTABLE]
    return LanguageDetectorBuilder.from_languages(*languages).with_minimum_relative_distance(0.0).build()


@cache
def _broad_detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of ``text``'s language, judged on its first 2,000 characters."""
    sample = text[:2000]
    if not any(ch.isalpha() for ch in sample):
        return default
    foreign = _foreign_language(sample[:BROAD_CHARS])
    if foreign is not None:
        return foreign
    found = _detector().detect_language_of(sample)
    if found is None:
        return default
    return found.iso_code_639_1.name.lower()


def _foreign_language(sample: str) -> str | None:
    """The language of ``sample`` when it is clearly none of :data:`DETECTABLE`, else ``None``."""
    values = _broad_detector().compute_language_confidence_values(sample)
    if not values:
        return None
    top = values[0]
    code = top.language.iso_code_639_1.name.lower()
    if code in DETECTABLE:
        return None
    supported = max((v.value for v in values if v.language.iso_code_639_1.name.lower() in DETECTABLE), default=0.0)
    letters = sum(1 for ch in sample if ch.isalpha())
    # a script none of kg's languages is written in (Cyrillic, Arabic, Han ...) gives a supported
    # language no confidence at all; a Latin-script text must be long enough and clearly ahead
    if supported == 0.0 or (letters >= FOREIGN_MIN_CHARS and top.value - supported >= FOREIGN_MARGIN):
        return code
    return None


def supported_language(code: str) -> bool:
    """True for the languages kg has its own lexicons for."""
    return code in DETECTABLE


@cache
def is_known_language(code: str) -> bool:
    """True for a code spaCy has a language class for (the test ``--lang`` applies), or CLDR knows."""
    import spacy.util
    from babel import Locale, UnknownLocaleError

    try:
        spacy.util.get_lang_class(code)
        return True
    except ImportError:
        pass
    try:
        Locale.parse(code)
        return True
    except (UnknownLocaleError, ValueError):
        return False
