"""Train and evaluate kg's compact statistical NER pipelines.

kg ships one small CNN named-entity recogniser per language (``kg/models/``)
so a fresh install finds persons and organisations the gazetteers and name
rules do not know.  This module is the recipe that produces them, kept in the
package so anyone can retrain or re-score a model with the same code:

* CoNLL files (``token<TAB>BIO-tag``, blank line between sentences) are turned
  into spaCy ``DocBin`` files here, not with ``spacy convert``, so label
  mapping (e.g. dropping ``MISC``) and IOB repairs are explicit and tested;
* training runs ``python -m spacy train`` in a child process pinned to one
  thread: the machine is shared, and the caller's process keeps its own
  thread settings and memory;
* the best checkpoint becomes a lean pipeline directory (``sentencizer`` +
  ``ner``) with licence, sources and dev scores in its ``meta.json``.

Usage::

    python -m kg.train --lang nl --train A.conll [--train B.conll] --dev D.conll --out kg/models/nl_kg_ner
    python -m kg.train evaluate --lang nl --model kg/models/nl_kg_ner --dev D.conll
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.scorer import get_ner_prf
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example
from spacy.training.iob_utils import biluo_tags_to_spans, iob_to_biluo
from spacy.util import load_config

from kg.models import MODELS_DIR

REPO_CONFIG = Path(__file__).resolve().parents[1] / "training" / "configs" / "ner_cnn.cfg"
MODEL_NAME = "kg_ner"
SPACY_RANGE = ">=3.8.0,<3.9.0"  # kg's own spaCy pin: the saved weights load in any 3.8.x
# Thread caps for the training child: numpy's OpenBLAS would otherwise use every core.
ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")}

Sentence = tuple[list[str], list[str]]


# --------------------------------------------------------------------------- data


def read_conll(path: Path) -> Iterator[Sentence]:
    """Sentences of a ``token<TAB>tag`` file as (tokens, tags).

    A malformed line is an error, not something to skip: silently dropping
    tokens would shift every later tag onto the wrong word.
    """
    words: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                if words:
                    yield words, tags
                words, tags = [], []
                continue
            parts = line.split("\t")
            if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
                raise ValueError(f"{path}:{number}: expected 'token<TAB>tag', got {line!r}")
            words.append(parts[0].strip())
            tags.append(parts[1].strip())
    if words:
        yield words, tags


def normalise_tags(tags: Sequence[str], drop_labels: Iterable[str] = ()) -> list[str]:
    """IOB2 tags with ``drop_labels`` turned into ``O`` and stray ``I-`` repaired.

    Dropping a label (``MISC`` for corpora whose other half has no such class)
    keeps the combined training data consistent.  An ``I-X`` that does not
    continue an ``X`` entity starts a new one, as in the CoNLL evaluation.
    """
    dropped = set(drop_labels)
    out: list[str] = []
    previous = "O"
    for tag in tags:
        if tag == "O":
            out.append("O")
            previous = "O"
            continue
        prefix, sep, label = tag.partition("-")
        if not sep or prefix not in {"B", "I"} or not label:
            raise ValueError(f"not an IOB tag: {tag!r}")
        if label in dropped:
            out.append("O")
            previous = "O"
            continue
        if prefix == "I" and previous[2:] != label:
            prefix = "B"
        tag = f"{prefix}-{label}"
        out.append(tag)
        previous = tag
    return out


def sentence_doc(nlp: Language, words: Sequence[str], tags: Sequence[str]) -> Doc:
    """A gold ``Doc`` for one sentence; tokens are joined by single spaces."""
    spaces = [True] * len(words)
    spaces[-1] = False
    doc = Doc(nlp.vocab, words=list(words), spaces=spaces)
    doc.ents = biluo_tags_to_spans(doc, iob_to_biluo(list(tags)))
    return doc


def gold_docs(lang: str, paths: Iterable[Path], drop_labels: Iterable[str] = ()) -> list[Doc]:
    """All sentences of ``paths`` as gold docs for ``lang``."""
    nlp = spacy.blank(lang)
    drop = tuple(drop_labels)
    return [sentence_doc(nlp, words, normalise_tags(tags, drop)) for path in paths for words, tags in read_conll(path)]


@dataclass
class CorpusStats:
    """Size and entity counts of converted data, for model cards."""

    sentences: int = 0
    tokens: int = 0
    entities: dict[str, int] = field(default_factory=dict)


def corpus_stats(docs: Sequence[Doc]) -> CorpusStats:
    """Count sentences, tokens and entities per label."""
    labels = Counter(ent.label_ for doc in docs for ent in doc.ents)
    return CorpusStats(len(docs), sum(len(doc) for doc in docs), dict(sorted(labels.items())))


def conll_to_docbin(lang: str, paths: Iterable[Path], out: Path, drop_labels: Iterable[str] = ()) -> CorpusStats:
    """Write CoNLL ``paths`` as one spaCy ``DocBin`` file at ``out``."""
    docs = gold_docs(lang, paths, drop_labels)
    if not docs:
        raise ValueError(f"no sentences in {', '.join(map(str, paths))}")
    out.parent.mkdir(parents=True, exist_ok=True)
    DocBin(attrs=["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE"], docs=docs).to_disk(out)
    return corpus_stats(docs)


# --------------------------------------------------------------------------- scores


@dataclass
class LabelScores:
    """Precision, recall and F1 of one label (fractions, not percentages)."""

    precision: float
    recall: float
    f1: float


@dataclass
class NerScores:
    """Entity-level scores of a model on a dev set (exact span and label match)."""

    model: str
    data: list[str]
    precision: float
    recall: float
    f1: float
    per_label: dict[str, LabelScores]
    sentences: int
    tokens: int
    seconds: float

    def org_recall(self) -> float | None:
        """Recall of ORG, reported on its own because kg builds on organisations."""
        org = self.per_label.get("ORG")
        return org.recall if org else None

    def table(self) -> str:
        """A small Markdown table: overall and per label."""
        rows = ["| label | P | R | F1 |", "|---|---|---|---|"]
        rows.append(f"| **all** | {self.precision:.3f} | {self.recall:.3f} | {self.f1:.3f} |")
        for label, s in sorted(self.per_label.items()):
            rows.append(f"| {label} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |")
        return "\n".join(rows)


def _as_paths(value: Path | str | Sequence[Path | str]) -> list[Path]:
    if isinstance(value, str | Path):
        return [Path(value)]
    return [Path(v) for v in value]


def evaluate_ner(
    model: Path | str | Language,
    dev: Path | Sequence[Path],
    *,
    lang: str | None = None,
    drop_labels: Iterable[str] = (),
    batch_size: int = 256,
    label_map: Mapping[str, str] | None = None,
) -> NerScores:
    """Score ``model`` against the gold entities of the CoNLL file(s) ``dev``.

    The model reads the raw sentence text (tokens joined by spaces) through its
    own tokenizer, as it would read an article; gold spans are aligned to its
    tokens, so tokenisation mismatches count as errors rather than being hidden.
    ``model`` may be a directory, an installed package name or a loaded pipeline.
    ``label_map`` renames the model's labels to the corpus's (``PERSON=PER``) and
    drops the labels it does not name, to score a pipeline with another label set.
    """
    nlp = model if isinstance(model, Language) else spacy.load(model)
    paths = _as_paths(dev)
    gold = gold_docs(lang or str(nlp.lang), paths, drop_labels)
    start = time.perf_counter()
    predicted = list(nlp.pipe((doc.text for doc in gold), batch_size=batch_size))
    seconds = time.perf_counter() - start
    if label_map is not None:
        for doc in predicted:
            doc.ents = [Span(doc, e.start, e.end, label_map[e.label_]) for e in doc.ents if e.label_ in label_map]
    scores = get_ner_prf([Example(p, g) for p, g in zip(predicted, gold, strict=True)])
    per_type: Mapping[str, Mapping[str, float]] = scores.get("ents_per_type") or {}
    dropped = set(drop_labels)
    per_label = {
        label: LabelScores(float(s["p"]), float(s["r"]), float(s["f"]))
        for label, s in per_type.items()
        if label not in dropped
    }
    name = model if isinstance(model, str | Path) else nlp.meta.get("name", "pipeline")
    return NerScores(
        model=str(name),
        data=[str(p) for p in paths],
        precision=float(scores.get("ents_p") or 0.0),
        recall=float(scores.get("ents_r") or 0.0),
        f1=float(scores.get("ents_f") or 0.0),
        per_label=per_label,
        sentences=len(gold),
        tokens=sum(len(doc) for doc in gold),
        seconds=round(seconds, 2),
    )


# --------------------------------------------------------------------------- training


def default_config(lang: str) -> Path:
    """The training config to use when none is given.

    In a source checkout that is ``training/configs/ner_cnn.cfg``; in an
    installed kg the shipped model's own ``config.cfg`` (which holds its full
    training section) is the recipe.
    """
    if REPO_CONFIG.is_file():
        return REPO_CONFIG
    shipped = MODELS_DIR / f"{lang}_{MODEL_NAME}" / "config.cfg"
    if shipped.is_file():
        return shipped
    raise FileNotFoundError(f"no training config: pass one (none at {REPO_CONFIG} or {shipped})")


def _override_args(overrides: Mapping[str, Any]) -> list[str]:
    args: list[str] = []
    for key, value in overrides.items():
        args += [f"--{key}", json.dumps(value) if not isinstance(value, str) else value]
    return args


def _is_pipeline_dir(path: Path) -> bool:
    return (path / "config.cfg").is_file() and (path / "meta.json").is_file()


def finalise_pipeline(
    checkpoint: Path,
    out: Path,
    *,
    meta: Mapping[str, Any] | None = None,
    performance: NerScores | None = None,
) -> Path:
    """Turn a training checkpoint into the lean directory kg ships.

    A rule ``sentencizer`` goes first because kg's pipeline builder skips its
    own sentencizer for trained bases (it expects a parser, which these models
    do not have).  Training paths are blanked in the saved config so the model
    carries no machine-specific state, and the meta gets licence and scores.
    """
    nlp = spacy.load(checkpoint)
    if "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    for key in ("train", "dev"):
        nlp.config["paths"][key] = None
    nlp.meta.update(
        {
            "name": MODEL_NAME,
            "version": "1.0.0",
            "spacy_version": SPACY_RANGE,
            "author": "kg project",
            "url": "",
            "email": "",
        }
    )
    nlp.meta.update(dict(meta or {}))
    nlp.meta["trained"] = date.today().isoformat()
    if performance is not None:
        nlp.meta["performance"] = {
            "ents_p": performance.precision,
            "ents_r": performance.recall,
            "ents_f": performance.f1,
            "ents_per_type": {
                label: {"p": s.precision, "r": s.recall, "f": s.f1} for label, s in performance.per_label.items()
            },
        }
    if out.exists():
        if not _is_pipeline_dir(out):
            raise FileExistsError(f"{out} exists and is not a spaCy pipeline directory: not replacing it")
        shutil.rmtree(out)
    nlp.to_disk(out)
    return out


def train_ner(
    lang: str,
    train: Path | Sequence[Path],
    dev: Path | Sequence[Path],
    out: Path,
    config: Path | None = None,
    max_steps: int | None = None,
    *,
    drop_labels: Iterable[str] = (),
    overrides: Mapping[str, Any] | None = None,
    meta: Mapping[str, Any] | None = None,
    seed: int = 0,
    workdir: Path | None = None,
    quiet: bool = False,
) -> NerScores:
    """Train a compact NER pipeline for ``lang`` and write it to ``out``.

    ``train`` and ``dev`` are CoNLL files (several are concatenated);
    ``drop_labels`` turns those labels into ``O`` in both.  ``overrides`` are
    extra config settings (``{"training.patience": 800}``).  The best
    checkpoint on ``dev`` is kept, re-scored, and saved with its scores.
    Returns those dev scores.
    """
    if out.exists() and not _is_pipeline_dir(out):  # fail before minutes of training, not after
        raise FileExistsError(f"{out} exists and is not a spaCy pipeline directory: not replacing it")
    drop = tuple(drop_labels)
    config = config or default_config(lang)
    settings: dict[str, Any] = {"nlp.lang": lang, "system.seed": seed}
    if max_steps is not None:
        settings["training.max_steps"] = max_steps
        eval_frequency = int(load_config(config)["training"]["eval_frequency"])
        if max_steps < eval_frequency:  # evaluate at least once, or no best model is saved
            settings["training.eval_frequency"] = max(1, max_steps)
    settings.update(overrides or {})
    temporary = tempfile.TemporaryDirectory(prefix=f"kg-train-{lang}-") if workdir is None else None
    work = Path(temporary.name) if temporary else Path(workdir or ".")
    try:
        train_stats = conll_to_docbin(lang, _as_paths(train), work / "train.spacy", drop)
        dev_stats = conll_to_docbin(lang, _as_paths(dev), work / "dev.spacy", drop)
        settings["paths.train"] = str(work / "train.spacy")
        settings["paths.dev"] = str(work / "dev.spacy")
        command = [sys.executable, "-m", "spacy", "train", str(config), "--output", str(work / "run")]
        command += _override_args(settings)
        env = {**os.environ, **ONE_THREAD}
        started = time.perf_counter()
        result = subprocess.run(command, env=env, capture_output=quiet, text=True, check=False)
        if result.returncode != 0:
            tail = (result.stderr or "")[-3000:] if quiet else "(see output above)"
            raise RuntimeError(f"spacy train failed ({result.returncode}): {tail}")
        minutes = round((time.perf_counter() - started) / 60, 1)
        checkpoint = work / "run" / "model-best"
        if not checkpoint.is_dir():
            checkpoint = work / "run" / "model-last"
        scores = evaluate_ner(checkpoint, dev, lang=lang, drop_labels=drop)
        scores.model = str(out)
        full_meta = {
            "kg_training": {
                "train_files": [str(p) for p in _as_paths(train)],
                "dev_files": [str(p) for p in _as_paths(dev)],
                "dropped_labels": list(drop),
                "train_data": asdict(train_stats),
                "dev_data": asdict(dev_stats),
                "overrides": {k: v for k, v in settings.items() if not k.startswith("paths.")},
                "minutes": minutes,
            },
            **dict(meta or {}),
        }
        finalise_pipeline(checkpoint, out, meta=full_meta, performance=scores)
        return scores
    finally:
        if temporary:
            temporary.cleanup()


# --------------------------------------------------------------------------- command line


def _parse_set(values: Sequence[str]) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for item in values:
        key, sep, raw = item.partition("=")
        if not sep:
            raise argparse.ArgumentTypeError(f"--set wants KEY=VALUE, got {item!r}")
        try:
            parsed[key] = json.loads(raw)
        except json.JSONDecodeError:
            parsed[key] = raw
    return parsed


def _train_parser(prog: str = "python -m kg.train") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Train a compact NER pipeline from CoNLL files.")
    parser.add_argument("--lang", required=True, help="ISO 639-1 language code (spaCy language class)")
    parser.add_argument("--train", type=Path, action="append", required=True, help="CoNLL training file (repeatable)")
    parser.add_argument("--dev", type=Path, action="append", required=True, help="CoNLL dev file (repeatable)")
    parser.add_argument("--out", type=Path, required=True, help="pipeline directory to write, e.g. kg/models/nl_kg_ner")
    parser.add_argument(
        "--config", type=Path, default=None, help="spaCy training config (default: training/configs/ner_cnn.cfg)"
    )
    parser.add_argument("--max-steps", type=int, default=None)
    parser.add_argument("--drop-label", action="append", default=[], help="label to turn into O (repeatable)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="config override (repeatable)")
    parser.add_argument("--meta", type=Path, default=None, help="JSON file merged into meta.json (licence, sources)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quiet", action="store_true", help="do not stream spaCy's training log")
    return parser


def _evaluate_parser(prog: str = "python -m kg.train") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"{prog} evaluate", description="Score a NER pipeline on CoNLL files.")
    parser.add_argument("--lang", default=None, help="language of the data (default: the model's)")
    parser.add_argument("--model", required=True, help="pipeline directory or installed package name")
    parser.add_argument("--dev", type=Path, action="append", required=True, help="CoNLL file (repeatable)")
    parser.add_argument("--drop-label", action="append", default=[], help="gold label to ignore (repeatable)")
    parser.add_argument(
        "--label-map",
        action="append",
        default=[],
        metavar="MODEL=GOLD",
        help="rename a model label (PERSON=PER, repeatable); unnamed labels are dropped",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


def _print_scores(scores: NerScores, as_json: bool) -> None:
    if as_json:
        print(json.dumps(asdict(scores), indent=2))
        return
    org = scores.org_recall()
    print(f"{scores.model} on {', '.join(scores.data)} ({scores.sentences} sentences, {scores.tokens} tokens)")
    print(scores.table())
    print(f"ORG recall: {org:.3f}" if org is not None else "ORG recall: n/a")


def main(argv: Sequence[str] | None = None, prog: str = "python -m kg.train") -> int:
    """Entry point of ``python -m kg.train [train|evaluate] ...`` and ``kg train-ner`` (``train`` is the default)."""
    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in[:1] == ["evaluate"]:
        args = _evaluate_parser(prog).parse_args(args_in[1:])
        label_map = dict(item.split("=", 1) for item in args.label_map) or None
        scores = evaluate_ner(args.model, args.dev, lang=args.lang, drop_labels=args.drop_label, label_map=label_map)
        _print_scores(scores, args.json)
        return 0
    if args_in[:1] == ["train"]:
        args_in = args_in[1:]
    args = _train_parser(prog).parse_args(args_in)
    meta = json.loads(args.meta.read_text(encoding="utf-8")) if args.meta else None
    scores = train_ner(
        args.lang,
        args.train,
        args.dev,
        args.out,
        args.config,
        args.max_steps,
        drop_labels=args.drop_label,
        overrides=_parse_set(args.set),
        meta=meta,
        seed=args.seed,
        quiet=args.quiet,
    )
    print(f"wrote {args.out}")
    _print_scores(scores, as_json=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
