"""Project the annotated articles' gold names onto their texts as NER training data.

The annotated articles (``GOLD_DIR/docs/<id>.txt`` beside ``GOLD_DIR/gold/<id>.json``,
format in ``../shared/data/dev/README.md``) list every organization with its verbatim
surface forms (``aliases_in_text``), every person with its ``mentions`` and every country
with its name ``mentions``, but not where they stand.  This module finds them:

* every occurrence of every surface form (and of the canonical name where it occurs
  verbatim), case-sensitive, not inside a longer word (``Meta`` is not found in
  ``Metall``, ``US`` is found in ``US-Bank``);
* overlaps are resolved by the longest match first (``Microsoft Indonesia`` over
  ``Microsoft``; ``Google Cloud`` over ``Google``), then the earlier start; on the very
  same span ORG wins over PER over LOC;
* organizations become ``ORG``, persons ``PER``, countries ``LOC`` (``--no-loc`` leaves
  them ``O``); everything else is ``O`` (so programmes, laws, products, governments,
  which the annotation files elsewhere, are negatives, as kg wants them);
* a match that does not fall on token boundaries of the language's spaCy tokenizer is
  dropped and counted.

Each non-empty line of an article (headline, paragraph) becomes one CoNLL block
(``token<TAB>BIO-tag``), the format ``kg train-ner`` reads.  Whole documents are dealt into
K folds per language (seeded), so a fold model is never trained on an article it is scored
on.  Nothing read here is copied into the repository: the output goes to ``--out``
(a scratch folder such as ``/tmp/kgner``).

Usage::

    python training/ner/project_gold.py ../shared/data/train ../shared/data/dev --lang de --lang en \
        --folds 3 --seed 0 --out /tmp/kgner/data

writes, per language, ``all.conll``, ``fold<i>.train.conll`` / ``fold<i>.test.conll`` and
``fold<i>/{docs,gold}`` (symbolic links to the held-out articles, for ``kg eval``), plus
``folds.json`` and ``stats.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

LABEL_RANK = {"ORG": 0, "PER": 1, "LOC": 2}  # the very same span: ORG before PER before LOC


@dataclass(frozen=True)
class Article:
    """One annotated article: its text and the surface forms of its names by label."""

    id: str
    lang: str
    text: str
    txt_path: Path
    gold_path: Path
    forms: dict[str, frozenset[str]]


@dataclass
class Projection:
    """The tokens of one article with BIO tags, one list per line of text."""

    article: str
    blocks: list[tuple[list[str], list[str]]]
    entities: Counter[str] = field(default_factory=Counter)
    misaligned: int = 0


def _forms(items: Iterable[dict[str, object]], keys: Sequence[str], *, skip_optional: bool = False) -> set[str]:
    out: set[str] = set()
    for item in items:
        if skip_optional and item.get("optional"):
            continue
        for key in keys:
            value = item.get(key)
            values = value if isinstance(value, list) else [value]
            out.update(v.strip() for v in values if isinstance(v, str) and v.strip())
    return out


def read_article(gold_path: Path) -> Article | None:
    """The article of ``gold_path`` (``None`` when its text is missing)."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    txt = gold_path.parent.parent / "docs" / f"{gold_path.stem}.txt"
    if not txt.is_file():
        return None
    forms = {
        "ORG": frozenset(_forms(gold.get("organizations") or [], ("name", "aliases_in_text"))),
        "PER": frozenset(_forms(gold.get("persons") or [], ("name", "mentions"))),
        "LOC": frozenset(_forms(gold.get("countries") or [], ("mentions",))),
    }
    return Article(
        str(gold.get("id") or gold_path.stem), str(gold["lang"]), txt.read_text(encoding="utf-8"), txt, gold_path, forms
    )


def read_articles(gold_dirs: Iterable[Path], langs: Iterable[str] = ()) -> list[Article]:
    """Every annotated article of ``gold_dirs`` (of ``langs`` when given), sorted by id."""
    wanted = set(langs)
    articles = [a for d in gold_dirs for p in sorted((d / "gold").glob("*.json")) if (a := read_article(p))]
    return sorted((a for a in articles if not wanted or a.lang in wanted), key=lambda a: a.id)


def find_spans(text: str, forms: dict[str, frozenset[str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, label) character spans: longest match first, then earliest."""
    candidates: list[tuple[int, int, str]] = []
    for label, names in forms.items():
        for name in names:
            pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)")
            candidates += [(m.start(), m.end(), label) for m in pattern.finditer(text)]
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0], LABEL_RANK[c[2]]))
    taken = [False] * len(text)
    chosen: list[tuple[int, int, str]] = []
    for start, end, label in candidates:
        if any(taken[start:end]):
            continue
        taken[start:end] = [True] * (end - start)
        chosen.append((start, end, label))
    return sorted(chosen)


GLUE = "-‑/()"  # a name glued to a word by these is split off, as kg_split_compounds does at run time


def split_glued(doc: Doc, spans: Sequence[tuple[int, int, str]]) -> Doc:
    """``doc`` with tokens such as ``Microsoft-Präsident`` or ``ANP/BLOOMBERG`` cut at a name's edge.

    Only organization and person edges next to a hyphen, slash or bracket are cut (kg's
    ``kg_split_compounds`` splits known names so at run time); a country inside a word
    (``US-Dollar``, a currency and no country mention) stays one token and is not tagged.
    """
    text = doc.text
    cuts: set[int] = set()
    for start, end, label in spans:
        if label == "LOC":
            continue
        if start > 0 and text[start - 1] in GLUE:
            cuts.update((start - 1, start))
        if end < len(text) and text[end] in GLUE:
            cuts.update((end, end + 1))
    if not cuts:
        return doc
    words: list[str] = []
    spaces: list[bool] = []
    for token in doc:
        inner = sorted(c for c in cuts if token.idx < c < token.idx + len(token.text))
        edges = [token.idx, *inner, token.idx + len(token.text)]
        pieces = [text[a:b] for a, b in itertools.pairwise(edges)]
        words += pieces
        spaces += [False] * (len(pieces) - 1) + [bool(token.whitespace_)]
    return Doc(doc.vocab, words=words, spaces=spaces)


def project(article: Article, nlp: Language, *, loc: bool = True) -> Projection:
    """BIO-tagged tokens of each non-empty line of ``article``."""
    forms = dict(article.forms) if loc else {k: v for k, v in article.forms.items() if k != "LOC"}
    result = Projection(article.id, [])
    for line in article.text.split("\n"):
        if not line.strip():
            continue
        spans = find_spans(line, forms)
        doc = split_glued(nlp.make_doc(line), spans)
        tags = ["O"] * len(doc)
        for start, end, label in spans:
            span = doc.char_span(start, end, alignment_mode="strict")
            if span is None or any(t.is_space for t in span):
                result.misaligned += 1
                continue
            tags[span.start] = f"B-{label}"
            for i in range(span.start + 1, span.end):
                tags[i] = f"I-{label}"
            result.entities[label] += 1
        kept = [(t.text, tag) for t, tag in zip(doc, tags, strict=True) if not t.is_space and t.text.strip()]
        if kept:
            result.blocks.append(([w for w, _ in kept], [g for _, g in kept]))
    return result


def write_conll(projections: Iterable[Projection], path: Path, repeat: int = 1) -> int:
    """Write the blocks of ``projections`` (``repeat`` times) as a CoNLL file; returns the block count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    blocks = [block for p in projections for block in p.blocks] * repeat
    with path.open("w", encoding="utf-8") as out:
        for words, tags in blocks:
            out.writelines(f"{w}\t{t}\n" for w, t in zip(words, tags, strict=True))
            out.write("\n")
    return len(blocks)


def deal_folds(ids: Sequence[str], k: int, seed: int) -> list[list[str]]:
    """Whole documents dealt into ``k`` folds after a seeded shuffle (one language at a time)."""
    order = sorted(ids)
    random.Random(seed).shuffle(order)
    return [sorted(order[i::k]) for i in range(k)]


def _link(target: Path, link: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(target.resolve())


def prepare(gold_dirs: Sequence[Path], langs: Sequence[str], out: Path, k: int, seed: int, *, loc: bool) -> dict:
    """Project every article of ``langs`` and write the per-language files under ``out``."""
    stats: dict[str, dict[str, object]] = {}
    for lang in langs:
        articles = read_articles(gold_dirs, [lang])
        if not articles:
            raise SystemExit(f"no annotated {lang} articles in {', '.join(map(str, gold_dirs))}")
        nlp = spacy.blank(lang)
        projections = {a.id: project(a, nlp, loc=loc) for a in articles}
        folder = out / lang
        write_conll(projections.values(), folder / "all.conll")
        folds = deal_folds(list(projections), k, seed) if k > 1 else []
        for i, held in enumerate(folds):
            write_conll([projections[x] for x in projections if x not in held], folder / f"fold{i}.train.conll")
            write_conll([projections[x] for x in held], folder / f"fold{i}.test.conll")
            by_id = {a.id: a for a in articles}
            fold_dir = folder / f"fold{i}"
            for stale in (*fold_dir.glob("docs/*"), *fold_dir.glob("gold/*")):
                stale.unlink()
            for x in held:
                _link(by_id[x].txt_path, fold_dir / "docs" / by_id[x].txt_path.name)
                _link(by_id[x].gold_path, fold_dir / "gold" / by_id[x].gold_path.name)
        (folder / "folds.json").write_text(json.dumps({"seed": seed, "folds": folds}, indent=1), encoding="utf-8")
        entities: Counter[str] = Counter()
        for p in projections.values():
            entities.update(p.entities)
        stats[lang] = {
            "documents": len(articles),
            "blocks": sum(len(p.blocks) for p in projections.values()),
            "tokens": sum(len(w) for p in projections.values() for w, _ in p.blocks),
            "entities": dict(sorted(entities.items())),
            "misaligned": sum(p.misaligned for p in projections.values()),
        }
        (folder / "stats.json").write_text(json.dumps(stats[lang], indent=1), encoding="utf-8")
    return stats


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("gold_dirs", type=Path, nargs="+", help="folders with docs/ and gold/")
    parser.add_argument("--lang", action="append", required=True, help="language to project (repeatable)")
    parser.add_argument("--out", type=Path, required=True, help="scratch folder for the CoNLL files")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-loc", action="store_true", help="leave countries O instead of LOC")
    args = parser.parse_args(argv)
    stats = prepare(args.gold_dirs, args.lang, args.out, args.folds, args.seed, loc=not args.no_loc)
    json.dump(stats, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
