"""In-domain cross-validation and the final training of one language's NER pipeline.

Reads the projected annotated articles written by ``training/ner/project_gold.py``
(``DATA/<lang>/fold<i>.{train,test}.conll``, ``DATA/<lang>/fold<i>/{docs,gold}``) and, for
each fold, trains a model on the public corpora plus the other folds' articles
(``--repeat`` times, so a few thousand in-domain tokens are not drowned), then scores the
held-out fold twice:

* ``ner``: the model alone on the fold's projected spans (exact span and label, ORG/PER;
  LOC counts only countries, so its precision is not meaningful);
* ``kg``: ``kg eval`` of the fold's articles with the fold model as the language's base
  (gazetteers, rules and filter included), organizations and persons as kg scores them,
  beside the same articles built with the pipeline kg ships (``before``).

Folds are summed (counts, then P/R/F1).  ``final`` trains on the public corpora plus every
annotated article and writes the model; its public dev score is the one compared with the
shipped model's.  Every number is written to ``WORK/cv.json``.

Usage::

    python training/ner/cv.py folds --lang de --data /tmp/kgner/data --work /tmp/kgner/de \
        --public-train ../shared/data/ner/de-germeval2014/train.conll \
        --public-dev ../shared/data/ner/de-germeval2014/dev.conll --repeat 4 --fold-steps 2000
    python training/ner/cv.py final ... --final-steps 4000 --out kg/models/de_kg_ner --meta training/meta/de.json
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tomllib  # noqa: E402
from collections.abc import Mapping, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import spacy  # noqa: E402

from kg.train import _parse_set, evaluate_ner, gold_docs, train_ner  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
PIPELINES = REPO / "kg" / "nlp" / "pipelines.toml"
LABELS = ("ORG", "PER", "LOC")


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def ner_counts(model: str | Path, conll: Path, lang: str, label_map: Mapping[str, str] | None = None) -> dict:
    """Exact-span true/false positives and misses per label of ``model`` on a projected CoNLL file."""
    nlp = spacy.load(model)
    gold = gold_docs(lang, [conll])
    counts = {label: [0, 0, 0] for label in LABELS}
    for predicted, reference in zip(nlp.pipe(d.text for d in gold), gold, strict=True):
        pred = {
            (e.start_char, e.end_char, label_map.get(e.label_, "") if label_map else e.label_) for e in predicted.ents
        }
        ref = {(e.start_char, e.end_char, e.label_) for e in reference.ents}
        for label in LABELS:
            p = {x for x in pred if x[2] == label}
            r = {x for x in ref if x[2] == label}
            counts[label][0] += len(p & r)
            counts[label][1] += len(p - r)
            counts[label][2] += len(r - p)
    return counts


def _sum(parts: Sequence[Mapping[str, Sequence[int]]]) -> dict[str, dict[str, float | int]]:
    out = {}
    for label in LABELS:
        tp, fp, fn = (sum(p[label][i] for p in parts) for i in range(3))
        out[label] = _prf(tp, fp, fn)
    return out


def pipelines_with(lang: str, base: Path | None, path: Path) -> Path:
    """A copy of kg's pipelines table with ``lang``'s base replaced by ``base`` (None: unchanged)."""
    table: dict[str, Any] = tomllib.loads(PIPELINES.read_text(encoding="utf-8"))
    if base is not None:
        table.setdefault("languages", {})[lang] = {"base": str(base.resolve())}
    lines: list[str] = []

    def section(name: str, values: Mapping[str, Any]) -> None:
        lines.append(f"[{name}]")
        lines.extend(f"{key} = {json.dumps(value)}" for key, value in values.items())
        lines.append("")

    section("default", table["default"])
    for name, values in table.get("languages", {}).items():
        section(f"languages.{name}", values)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def kg_eval(lang: str, gold_dir: Path, base: Path | None, work: Path) -> dict[str, list[int]]:
    """Organizations and persons of ``kg eval`` on ``gold_dir`` with ``base`` as ``lang``'s model."""
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "KG_PIPELINES": str(pipelines_with(lang, base, work / "pipelines.toml"))}
    command = [
        str(Path(sys.executable).with_name("kg")),
        "eval",
        str(gold_dir),
        "--out",
        str(work / "out"),
        "--format",
        "json",
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1) or not result.stdout.strip():
        raise RuntimeError(f"kg eval failed: {result.stderr[-2000:]}")
    data = json.loads(result.stdout)
    by_lang = data["by_language"].get(lang, {})
    out = {kind: [by_lang.get(kind, {}).get(x, 0) for x in ("tp", "fp", "fn")] for kind in ("organizations", "persons")}
    (work / "misses.json").write_text(
        json.dumps({"misses": data.get("misses"), "false_hits": data.get("false_hits")}, indent=1, ensure_ascii=False),
        encoding="utf-8",
    )
    return out


def _kg_sum(parts: Sequence[Mapping[str, Sequence[int]]]) -> dict[str, dict[str, float | int]]:
    return {kind: _prf(*(sum(p[kind][i] for p in parts) for i in range(3))) for kind in ("organizations", "persons")}


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _save(path: Path, data: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def _train_files(args: argparse.Namespace, in_domain: Path) -> list[Path]:
    return [*args.public_train, *([in_domain] * args.repeat)]


def run_folds(args: argparse.Namespace) -> dict[str, Any]:
    data = args.data / args.lang
    folds = json.loads((data / "folds.json").read_text(encoding="utf-8"))["folds"]
    label_map = dict(x.split("=", 1) for x in args.label_map) or None
    results: dict[str, Any] = {"folds": [], "k": len(folds), "repeat": args.repeat, "fold_steps": args.fold_steps}
    ner_parts, kg_parts, before_parts, baseline_parts = [], [], [], []
    for i in range(len(folds)):
        model = args.work / f"fold{i}" / "model"
        if not (model / "meta.json").is_file() or args.retrain:
            print(f"fold {i}: training", flush=True)
            train_ner(
                args.lang,
                _train_files(args, data / f"fold{i}.train.conll"),
                args.public_dev,
                model,
                max_steps=args.fold_steps,
                drop_labels=args.drop_label,
                overrides=_parse_set(args.set),
                workdir=args.work / f"fold{i}" / "run",
                quiet=True,
                seed=args.seed,
            )
        ner = ner_counts(model, data / f"fold{i}.test.conll", args.lang)
        kg_after = kg_eval(args.lang, data / f"fold{i}", model, args.work / f"fold{i}" / "kg_after")
        kg_before = kg_eval(args.lang, data / f"fold{i}", None, args.work / f"fold{i}" / "kg_before")
        baseline = (
            ner_counts(args.baseline, data / f"fold{i}.test.conll", args.lang, label_map) if args.baseline else None
        )
        ner_parts.append(ner)
        kg_parts.append(kg_after)
        before_parts.append(kg_before)
        if baseline:
            baseline_parts.append(baseline)
        results["folds"].append(
            {"docs": folds[i], "ner": ner, "kg_after": kg_after, "kg_before": kg_before, "baseline_ner": baseline}
        )
        print(f"fold {i}: ner {_sum([ner])} kg {_kg_sum([kg_after])} before {_kg_sum([kg_before])}", flush=True)
    results["ner_cv"] = _sum(ner_parts)
    results["kg_cv_after"] = _kg_sum(kg_parts)
    results["kg_before"] = _kg_sum(before_parts)
    if baseline_parts:
        results["baseline_ner"] = _sum(baseline_parts)
    results["fold_public_dev"] = [
        round(
            evaluate_ner(
                args.work / f"fold{i}" / "model", args.public_dev, lang=args.lang, drop_labels=args.drop_label
            ).f1,
            4,
        )
        for i in range(len(folds))
    ]
    return results


def run_final(args: argparse.Namespace) -> dict[str, Any]:
    meta = json.loads(args.meta.read_text(encoding="utf-8")) if args.meta else None
    scores = train_ner(
        args.lang,
        _train_files(args, args.data / args.lang / "all.conll"),
        args.public_dev,
        args.out,
        max_steps=args.final_steps,
        drop_labels=args.drop_label,
        overrides=_parse_set(args.set),
        meta=meta,
        workdir=args.work / "final" / "run",
        quiet=True,
        seed=args.seed,
    )
    result: dict[str, Any] = {
        "public_dev": {
            "p": scores.precision,
            "r": scores.recall,
            "f1": scores.f1,
            "per_label": {k: vars(v) for k, v in scores.per_label.items()},
        }
    }
    for dev in args.public_dev:  # each dev file on its own as well
        one = evaluate_ner(args.out, dev, lang=args.lang, drop_labels=args.drop_label)
        result.setdefault("public_dev_files", {})[str(dev)] = {
            "p": one.precision,
            "r": one.recall,
            "f1": one.f1,
            "per_label": {k: vars(v) for k, v in one.per_label.items()},
        }
    result["not_held_out_kg"] = _kg_sum(
        [kg_eval(args.lang, args.data / args.lang / "fold0", args.out, args.work / "final" / "kg_fold0")]
    )
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="In-domain CV and final training of one NER pipeline.")
    parser.add_argument("step", choices=["folds", "final", "all"])
    parser.add_argument("--lang", required=True)
    parser.add_argument("--data", type=Path, required=True, help="output folder of project_gold.py")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--public-train", type=Path, action="append", default=[])
    parser.add_argument("--public-dev", type=Path, action="append", required=True)
    parser.add_argument("--repeat", type=int, default=4, help="times the in-domain articles are counted")
    parser.add_argument("--fold-steps", type=int, default=2000)
    parser.add_argument("--final-steps", type=int, default=4000)
    parser.add_argument("--drop-label", action="append", default=[])
    parser.add_argument("--set", action="append", default=[])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--baseline", default=None, help="the shipped model, scored raw on the same folds")
    parser.add_argument("--label-map", action="append", default=[], help="baseline label renames (PERSON=PER)")
    parser.add_argument("--out", type=Path, default=None, help="final model directory")
    parser.add_argument("--meta", type=Path, default=None)
    parser.add_argument("--retrain", action="store_true")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    path = args.work / "cv.json"
    results = _load(path)
    if args.step in ("folds", "all"):
        results["cv"] = run_folds(args)
        _save(path, results)
    if args.step in ("final", "all"):
        if args.out is None:
            parser.error("final needs --out")
        results["final"] = run_final(args)
        _save(path, results)
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
