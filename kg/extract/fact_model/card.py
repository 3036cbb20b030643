"""``kg train-facts``: train the fact model and write its card beside it.

The card says what the model was trained on, how it was measured (K-fold
cross-validation by document, nothing of a fold seen by the scorers that
decode it), the held-out precision and recall per language, and the
reliability of its confidences, so a user can judge it before trusting it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from kg.extract.fact_model.model import FactModel


def train_and_describe(
    gold_dirs: Sequence[Path],
    out: Path,
    *,
    folds: int = 5,
    seed: int | None = None,
    syntax: bool = False,
    progress: Callable[[str], None] = lambda message: None,
) -> Path:
    """Train on every annotated article of ``gold_dirs``; write ``out/model.json`` and ``out/README.md``."""
    from kg.extract.fact_model import training

    articles = training.gold_articles(gold_dirs)
    if len(articles) < folds:
        raise ValueError(f"{len(articles)} annotated articles with text found; --folds {folds} needs at least {folds}")
    progress(f"reading {len(articles)} annotated articles")
    samples = training.prepare(articles, syntax=syntax)
    progress(f"fitting on {len(samples)} articles, calibrating on {folds} folds")
    model = training.fit(samples, k=folds, seed=training.SEED if seed is None else seed)
    model.meta["trained_on"] = [str(d) for d in gold_dirs]
    path = model.save(out)
    (out / "README.md").write_text(model_card(model), encoding="utf-8")
    return path


def model_card(model: FactModel) -> str:
    """The model card as Markdown: data, method, held-out scores per language, reliability, licence."""
    meta = model.meta
    langs = ", ".join(f"{k} {v}" for k, v in meta.get("documents_per_language", {}).items())
    overrides = [k for k in ("investment", "partnership") if model.thresholds.get(f"{k}_ruled") == 0.0]
    lines = [
        "# kg fact model",
        "",
        "Decides which candidate statements are investments and partnerships and which party plays which role",
        "(`kg/extract/fact_model`). Logistic regressions (and boosted shallow trees for whether a pair are partners)",
        "over language-independent features (lexicon classes, order and distance, clause and aside boundaries,",
        "entity kind, negation and hedges, what kg's rules decided and, when trained with `--syntax`, universal",
        "dependency relations), stored as plain JSON weights and tree nodes.",
        "",
        f"* Trained on {meta.get('documents', '?')} annotated articles ({langs}); languages seen in training: "
        f"{', '.join(model.languages)}. It decides the facts of every language kg has a fact lexicon for "
        "(`kg eval --by-language` measures a language the model never saw); a language without one falls back "
        "to kg's rules.",
        "* Dependency features: "
        + (
            "yes (`--syntax`): candidate sentences are parsed when extracting."
            if model.syntax
            else "no (the default; `kg train-facts --syntax` adds them): no sentence is parsed for facts."
        ),
        f"* Seed {meta.get('seed')}; {meta.get('folds')}-fold cross-validation by document, stratified by language,",
        f"  repeated {meta.get('repeats', 1)} times on fresh splits for the calibration and the default minimum;"
        " the tables below are the first split.",
        f"* Default minimum confidence: investments {model.default_minimum('investment')}, partnerships "
        f"{model.default_minimum('partnership')}: the least at which the calibrated confidences of the facts kept",
        "  average .80 or more on the held-out folds, or, where no minimum gets there, the most precise one keeping",
        "  at least ten held-out facts (`kg build --min-confidence P` sets one minimum for both).",
        f"* Statements kg's rules made too are kept whatever their confidence for: {', '.join(overrides) or 'no kind'}"
        " (their held-out precision was at least .75: high-precision overrides).",
        "",
        "## Held-out scores at the default minimum confidence",
        "",
        "Measured on the folds: each fact decoded by scorers that never saw its article, matched to the gold",
        "annotation as `kg eval` does. `kg eval GOLD... --folds K` gives the full table through `kg build`.",
        "As the annotation's scoring advice says, an investor or target the annotation leaves empty is not checked;",
        "`kg eval GOLD... --folds K --strict-roles` counts such a party as wrong (a party the model named where the",
        "article names none), which gives lower investment precision.",
        "",
        "| kind | lang | gold | predicted | right | P | R | F1 |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in meta.get("cross_validated", []):
        lines.append(
            f"| {row['kind']} | {row['lang']} | {row['gold']} | {row['predicted']} | {row['right']} | "
            f"{row['precision']:.2f} | {row['recall']:.2f} | {row['f1']:.2f} |"
        )
    lines += [
        "",
        "## Reliability of the confidences (held-out folds)",
        "",
        "| kind | confidence band | facts | mean confidence | observed precision |",
        "|---|---|---:|---:|---:|",
    ]
    for row in meta.get("reliability", []):
        band = f"| {row['kind']} | {row['band']} | {row['facts']} |"
        lines.append(f"{band} {row['mean_confidence']:.2f} | {row['precision']:.2f} |")
    lines += [
        "",
        "## Operating points (held-out folds)",
        "",
        "| kind | --min-confidence | P | R |",
        "|---|---:|---:|---:|",
    ]
    for row in meta.get("operating_points", []):
        lines.append(f"| {row['kind']} | {row['min_confidence']} | {row['precision']:.2f} | {row['recall']:.2f} |")
    lines += [
        "",
        "## Data and licence",
        "",
        "The annotated articles belong to their publishers and are not shipped; only the learned weights are.",
        "Reproduce with `kg train-facts GOLD_DIR... --out DIR` (see `training/README.md`).",
        "",
    ]
    return "\n".join(lines)
