"""kg's compact dependency parsers, for the fact extractor.

The fact extractor reads clause structure (who is the subject of "invests",
what is its object, which amount hangs off which noun) from Universal
Dependencies relations.  French gets them from ``fr_core_news_sm``, whose
parser already uses UD labels; for the other languages kg reads, kg ships its
own small parsers trained from UD treebanks under
``kg/models/<lang>_kg_parser/`` (recipe: ``training/parsers/``).  English is
among them because ``en_core_web_sm`` labels arcs in the ClearNLP scheme,
not UD.

The parsers take kg's own tokens, one sentence at a time: the extractor has
already tokenised and split the article, and the arcs must point at those
tokens, so nothing here re-tokenises or re-splits.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"

#: Languages whose main pipeline already gives UD arcs, so kg ships no parser.
MAIN_PIPELINE_PARSES = frozenset({"fr"})

#: One arc per token: (index of the head within the sentence, UD relation).
Arc = tuple[int, str]

#: Relation given to a token the parser left as a second root (see ``arcs``).
EXTRA_ROOT_LABEL = "dep"


def parser_dir(lang: str) -> Path | None:
    """The shipped parser directory for ``lang``, or None when kg has none.

    Only plain language codes are looked up, so a stray value can never name
    a directory outside ``kg/models``.
    """
    if not lang.isalpha() or lang in MAIN_PIPELINE_PARSES:
        return None
    path = MODELS_DIR / f"{lang.lower()}_kg_parser"
    return path if (path / "meta.json").is_file() else None


@functools.lru_cache(maxsize=16)
def load_parser(lang: str) -> Language | None:
    """The parser pipeline for ``lang``, loaded once per process.

    None for French (``fr_core_news_sm`` parses already) and for any language
    kg ships no parser for, so callers can fall back to parse-free rules.
    """
    path = parser_dir(lang)
    if path is None:
        return None
    # Sentences reach the parser as kg's tokens (``sentence_doc``), never as text: its saved tokenizer
    # (thousands of special cases, most of the load time) is not loaded at all.
    from kg.nlp.pipeline import FROM_DISK

    return spacy.load(path, exclude=["tokenizer"], config=FROM_DISK)


def sentence_doc(nlp: Language, words: Sequence[str], spaces: Sequence[bool]) -> Doc:
    """A ``Doc`` of exactly these tokens, marked as one sentence.

    Marking every token after the first as "not a sentence start" stops the
    parser from splitting the sentence, so the result has a single root.
    """
    if len(words) != len(spaces):
        raise ValueError(f"{len(words)} words but {len(spaces)} spaces")
    doc = Doc(nlp.vocab, words=list(words), spaces=list(spaces))
    for token in doc:
        token.is_sent_start = token.i == 0
    return doc


def arcs(doc: Doc) -> list[Arc]:
    """(head index, lower-case UD relation) for every token of a parsed sentence.

    The root points to itself and is labelled ``root``.  Should the parser
    still leave more than one root, the later ones are attached to the first
    as ``dep`` (UD's "unspecified relation"), so callers always get a tree.
    """
    roots = [token.i for token in doc if token.head.i == token.i]
    main = roots[0] if roots else 0
    out: list[Arc] = []
    for token in doc:
        if token.i == main:
            out.append((token.i, "root"))
        elif token.head.i == token.i:
            out.append((main, EXTRA_ROOT_LABEL))
        else:
            out.append((token.head.i, token.dep_.lower()))
    return out


def parse_with(nlp: Language, words: Sequence[str], spaces: Sequence[bool]) -> list[Arc]:
    """Parse one tokenised sentence with a given pipeline (also used by the training recipe)."""
    if not words:
        return []
    return arcs(nlp(sentence_doc(nlp, words, spaces)))


def parse_words(lang: str, words: list[str], spaces: list[bool]) -> list[Arc] | None:
    """Parse ONE sentence given as kg's tokens; None when kg has no parser for ``lang``.

    ``spaces[i]`` says whether ``words[i]`` is followed by a space.  Returns
    one (head index, relation) pair per token, e.g. ``(2, "nsubj:pass")``.
    """
    nlp = load_parser(lang)
    if nlp is None:
        return None
    return parse_with(nlp, words, spaces)


def parse_many(
    lang: str,
    sentences: list[tuple[list[str], list[bool]]],
    batch_size: int = 64,
) -> list[list[Arc]] | None:
    """Parse many tokenised sentences in batches; None when kg has no parser for ``lang``.

    Batching through ``nlp.pipe`` is several times faster than one call per
    sentence, which matters because the extractor parses every sentence that
    holds a fact trigger or an amount.
    """
    nlp = load_parser(lang)
    if nlp is None:
        return None
    docs = [sentence_doc(nlp, words, spaces) for words, spaces in sentences]
    parsed = nlp.pipe((doc for doc in docs if len(doc)), batch_size=batch_size)
    return [arcs(next(parsed)) if len(doc) else [] for doc in docs]
