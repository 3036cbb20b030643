"""Build a spaCy pipeline for a language from ``pipelines.toml``.

Trained pipelines come from installed packages only (never downloaded at run
time); when the configured one is missing kg falls back to ``spacy.blank``
and says so once, so a build still works with rules and gazetteers alone.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import sys
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
import srsly
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import registry

import kg.nlp.components  # noqa: F401  (registers kg's spaCy factories)
from kg.models import resolve_base

log = logging.getLogger(__name__)
_CONFIG = Path(__file__).with_name("pipelines.toml")
_NEEDS_LANG = {"kg_split_compounds", "kg_gazetteer_ruler", "kg_name_rules", "kg_entity_filter"}
_SETS_SENTENCES = ("parser", "senter", "sentencizer")
_NEEDS_GAZETTEERS = {"kg_split_compounds", "kg_gazetteer_ruler", "kg_entity_filter"}


@dataclass(frozen=True)
class PipelineSpec:
    """What a language's pipeline is made of."""

    lang: str
    base: str
    exclude: tuple[str, ...]
    before: tuple[str, ...]
    after: tuple[str, ...]


def config_path() -> Path:
    """The pipelines file: ``$KG_PIPELINES`` when set (a user's own table), else the shipped one."""
    override = os.environ.get("KG_PIPELINES")
    return Path(override) if override else _CONFIG


def pipeline_spec(lang: str) -> PipelineSpec:
    """The configured spec for ``lang`` (``[default]`` merged with its own table)."""
    config = tomllib.loads(config_path().read_text(encoding="utf-8"))
    merged = {**config["default"], **config.get("languages", {}).get(lang, {})}
    return PipelineSpec(
        lang=lang,
        base=merged["base"],
        exclude=tuple(merged.get("exclude", ())),
        before=tuple(merged.get("before", ())),
        after=tuple(merged.get("after", ())),
    )


class WholeWordTokenizer(Tokenizer):  # type: ignore[misc]
    """A tokenizer that keeps its one-token special cases as a set instead of spaCy's special-case table.

    Most special cases of a saved tokenizer only say "this string is one token" (15,924 of Indonesian's
    15,963 are reduplications such as "anak-anak"; 4,663 of Dutch's 4,670).  Loading them one by one
    (``add_special_case`` splits every one of them to check it) took about 2 s for Indonesian alone, in
    every process.  Here they become a set the token match looks strings up in, which gives the same tokens
    (checked over the annotated articles and the NER corpora; ``tests/test_nlp.py``); special cases
    that split a string, set attributes or begin or end with an affix stay ordinary special cases.
    """

    whole_words: frozenset[str] = frozenset()
    saved_token_match: Callable[[str], object] | None = None

    def from_bytes(self, bytes_data: bytes, *, exclude: Sequence[str] = ()) -> Tokenizer:
        data = srsly.msgpack_loads(bytes_data)
        rules = data.get("exceptions")  # the special cases, as spaCy saves them
        if "exceptions" in exclude or not isinstance(rules, dict):
            return super().from_bytes(bytes_data, exclude=exclude)
        whole = {k for k, v in rules.items() if len(v) == 1 and list(v[0]) == [ORTH] and v[0][ORTH] == k}
        data["exceptions"] = {k: v for k, v in rules.items() if k not in whole}
        if isinstance(data.get("token_match"), str) and "token_match" not in exclude:
            data["token_match"] = factored_alternation(data["token_match"])
        super().from_bytes(srsly.msgpack_dumps(data), exclude=exclude)
        with_affix = {w for w in whole if self.find_prefix(w) or self.find_suffix(w) or w.isspace()}
        for word in with_affix:
            self.add_special_case(word, [{ORTH: word}])
        self.whole_words = frozenset(whole - with_affix)
        saved: Callable[[str], object] | None = getattr(self, "token_match", None)
        self.saved_token_match = saved
        words = self.whole_words
        self.token_match = (lambda s: s in words or saved(s)) if saved is not None else words.__contains__
        return self

    def from_disk(self, path: str | Path, *, exclude: Sequence[str] = ()) -> Tokenizer:
        return self.from_bytes(Path(path).read_bytes(), exclude=exclude)

    def to_bytes(self, *, exclude: Sequence[str] = ()) -> bytes:
        """The tokenizer as spaCy saves it: the set's words are one-token special cases again."""
        current = self.token_match
        self.token_match = self.saved_token_match  # type: ignore[assignment]  # spaCy's own, for its serializer
        try:
            data = srsly.msgpack_loads(super().to_bytes(exclude=exclude))
        finally:
            self.token_match = current
        if isinstance(data.get("exceptions"), dict):
            data["exceptions"].update({w: [{ORTH: w}] for w in self.whole_words})
        return bytes(srsly.msgpack_dumps(data))

    def to_disk(self, path: str | Path, *, exclude: Sequence[str] = ()) -> None:
        Path(path).write_bytes(self.to_bytes(exclude=exclude))


_ANCHORED_ALTERNATIVE = re.compile(r"\(\?:\^(.*)\)", re.DOTALL)
_LONG_CLASS = re.compile(r"\[(?:[^\]\\]|\\.){200,}\]")  # a character class of 200 characters or more


def factored_alternation(pattern: str) -> str:
    """``pattern`` with the alternatives that end alike sharing that ending: the same strings match.

    ``fr_core_news_sm`` saves its token match as 277 alternatives ``(?:^aéro[-–]<letters><letters>*$)``
    whose ``<letters>`` is a 3,000-character class, so compiling it costs Python's ``re`` about 3 s
    in every process that loads French.  ``^p1T|^p2T`` and ``^(?:p1|p2)T`` match the same strings, so
    the alternatives are grouped by what follows the first long class (``T``): the long classes are
    then compiled a handful of times instead of 482.  A pattern of another shape is returned unchanged.
    """
    head, body = _inline_flags(pattern)
    parts = _top_level(body)
    if len(parts) < 2:
        return pattern
    by_tail: dict[str, list[str]] = {}
    kept: list[str] = []
    for part in parts:
        anchored = _ANCHORED_ALTERNATIVE.fullmatch(part)
        inner = anchored.group(1) if anchored else ""
        long_class = _LONG_CLASS.search(inner)
        prefix = inner[: long_class.start()] if long_class else ""
        if long_class is None or len(_top_level(inner)) != 1 or not _balanced(prefix):
            kept.append(part)  # not of that shape, or the long class sits inside a group: left as it is
            continue
        by_tail.setdefault(inner[long_class.start() :], []).append(prefix)
    grouped = [f"(?:^(?:{'|'.join(f'(?:{p})' for p in heads)}){tail})" for tail, heads in by_tail.items()]
    return head + "|".join(grouped + kept)


def _inline_flags(pattern: str) -> tuple[str, str]:
    flags = re.match(r"\(\?[aiLmsux]+\)", pattern)
    return (flags.group(0), pattern[flags.end() :]) if flags else ("", pattern)


def _top_level(pattern: str) -> list[str]:
    """``pattern`` split at its top-level ``|`` (outside groups and classes)."""
    return _scan(pattern)[0]


def _balanced(pattern: str) -> bool:
    """Whether every group ``pattern`` opens it also closes, in order, outside any class."""
    return _scan(pattern)[1]


def _scan(pattern: str) -> tuple[list[str], bool]:
    """The top-level alternatives of ``pattern`` and whether its groups and classes are balanced."""
    parts, depth, start, i, in_class, balanced = [], 0, 0, 0, False, True
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]" or pattern[i + 1 : i + 3] == "^]":
                i += 2 if pattern[i + 1] == "]" else 3
                continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            balanced = balanced and depth >= 0
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts, balanced and depth == 0 and not in_class


@registry.tokenizers("kg.tokenizer_from_disk.v1")
def _tokenizer_from_disk() -> object:
    """An empty tokenizer for a pipeline loaded from disk, where the saved tokenizer replaces it whole.

    ``Tokenizer.from_disk`` resets every rule, pattern and special case before loading the saved ones, so
    building the language's default tokenizer first (tens of thousands of special cases for Indonesian and
    French) is wasted: this halves the time a pipeline takes to load, with the very same tokenizer.  The
    saved one-token special cases become a set (:class:`WholeWordTokenizer`).
    """

    def make(nlp: Language) -> Tokenizer:
        return WholeWordTokenizer(nlp.vocab)

    return make


#: ``config`` for ``spacy.load``: see :func:`_tokenizer_from_disk`.
FROM_DISK = {"nlp": {"tokenizer": {"@tokenizers": "kg.tokenizer_from_disk.v1"}}}


LONG_PATTERN = 100_000  # characters: a pattern this long is compiled with its alternatives factored


def import_language(lang: str) -> None:
    """Import spaCy's module of ``lang`` with long alternations compiled factored (see :func:`factored_alternation`).

    ``spacy.lang.fr`` compiles its 1.45 MB token match when imported, before any saved tokenizer replaces
    it; compiled factored, the same strings match and the import takes a tenth of the time.  Python's
    ``re.compile`` is swapped only while that one import runs.
    """
    module = f"spacy.lang.{lang}"
    if module in sys.modules:
        return
    real = re.compile

    def compile_factored(pattern: Any, flags: Any = 0) -> re.Pattern[Any]:
        if isinstance(pattern, str) and len(pattern) > LONG_PATTERN:
            pattern = factored_alternation(pattern)
        return real(pattern, flags)

    re.compile = compile_factored  # type: ignore[assignment]
    try:
        importlib.import_module(module)
    except ImportError:
        pass  # no language class: spacy.blank falls back, see _base_pipeline
    finally:
        re.compile = real


def _base_pipeline(spec: PipelineSpec) -> tuple[Language, bool]:
    import_language(spec.lang)
    if spec.base != "blank":
        try:
            return spacy.load(resolve_base(spec.base), exclude=list(spec.exclude), config=FROM_DISK), True
        except OSError:
            log.warning("trained pipeline %s is not installed; using rules only for %s", spec.base, spec.lang)
    try:
        return spacy.blank(spec.lang), False
    except ImportError:
        log.warning("spaCy has no language class for %r; using the multi-language tokenizer", spec.lang)
        return spacy.blank("xx"), False


def _component_config(name: str, lang: str, gazetteers: Sequence[str]) -> dict[str, object]:
    config: dict[str, object] = {}
    if name in _NEEDS_LANG:
        config["lang"] = lang
    if name in _NEEDS_GAZETTEERS:
        config["gazetteers"] = list(gazetteers)
    return config


def build_pipeline(lang: str, gazetteers: Sequence[str] = ()) -> Language:
    """Assemble ``lang``'s pipeline: kg components around the base pipeline."""
    spec = pipeline_spec(lang)
    nlp, trained = _base_pipeline(spec)
    # kg's own models start with a sentencizer: kg's components go after it, so they see its
    # sentence starts, and before the statistical part, so gazetteer names reach the NER first.
    first = next((p for p in nlp.pipe_names if p != "sentencizer"), None)
    splits_sentences = trained and any(p in nlp.pipe_names for p in _SETS_SENTENCES)
    for name in spec.before:
        if name == "sentencizer" and splits_sentences:
            continue
        position = {"before": first} if first else {}
        nlp.add_pipe(name, config=_component_config(name, lang, gazetteers), **position)  # type: ignore[arg-type]
    for name in spec.after:
        nlp.add_pipe(name, config=_component_config(name, lang, gazetteers))
    return nlp


@lru_cache(maxsize=16)
def _cached(lang: str, gazetteers: tuple[str, ...]) -> Language:
    return build_pipeline(lang, gazetteers)


def load_pipeline(lang: str, gazetteers: Sequence[str | Path] = ()) -> Language:
    """The (cached) pipeline for ``lang`` with the given extra gazetteer files."""
    return _cached(lang, tuple(str(Path(g).resolve()) for g in gazetteers))
