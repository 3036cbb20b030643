"""``kg eval --folds K``: every fact scored on articles the fact model was not trained on.

The annotated documents are split into K folds by document, stratified by
language and seeded (:func:`kg.extract.fact_model.training.folds`).  For
each fold a fact model is trained on the other K-1 folds (calibration and
threshold chosen inside those folds only), the fold's articles are built
with it by the ordinary ``kg build`` code into one scratch store, and the
store is scored like any build.  The table therefore sums K held-out folds:
no fact number in it comes from a document its model saw.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from kg.eval.gold import GoldDoc
from kg.eval.predict import predictions_from_store
from kg.eval.scoring import EvalResult, score
from kg.store import GraphStore

Progress = Callable[[str], None]


def cross_validate(
    gold_dirs: Sequence[Path],
    out: Path,
    k: int,
    *,
    seed: int | None = None,
    include_media: bool = True,
    strict_roles: bool = False,
    min_confidence: float | None = None,
    by_language: bool = False,
    syntax: bool = False,
    on_error: Callable[..., None] | None = None,
    progress: Progress = lambda message: None,
) -> tuple[EvalResult, dict[str, GoldDoc]]:
    """Train on K-1 folds, build and score the held-out fold, K times; one result over all folds.

    ``min_confidence`` builds every fold at that minimum instead of its model's defaults, so the
    held-out precision and recall of another operating point can be read off the same table.
    ``by_language``: one fold per language (``k`` is then ignored), so each language is scored by a
    model that saw no article in it, as a language with a lexicon but no annotated articles would be.
    ``syntax``: train the fold models with dependency features.  ``strict_roles``: see
    :func:`kg.eval.scoring.investment_match`.
    """
    from kg.build.driver import build as run_build
    from kg.extract.fact_model import training
    from kg.extract.fact_model.extractor import use_fact_model

    if k < 2:
        raise ValueError(f"--folds needs at least 2 folds, got {k}")
    articles = training.gold_articles(gold_dirs)
    if len(articles) < k:
        raise ValueError(f"--folds {k}: only {len(articles)} annotated articles with text")
    progress(f"reading {len(articles)} annotated articles")
    samples = training.prepare(articles, syntax=syntax)
    if by_language:
        parts = [[s for s in samples if s.lang == lang] for lang in sorted({s.lang for s in samples})]
        if len(parts) < 2:
            raise ValueError("--by-language needs annotated articles in at least two languages")
    else:
        parts = training.folds(samples, k, training.SEED if seed is None else seed)
    store = GraphStore(out / "store")
    try:
        for i, held in enumerate(parts):
            train = [s for j, part in enumerate(parts) if j != i for s in part]
            progress(f"fold {i + 1}/{len(parts)}: training on {len(train)} articles, building {len(held)}")
            use_fact_model(training.fit(train, k=min(5, max(2, len(train) // 4))), min_confidence)
            run_build([str(s.path) for s in held], out, on_error=on_error, store=store)
    finally:
        use_fact_model(None)
    gold = {s.gold.id: s.gold for s in samples}
    result = score(gold, predictions_from_store(store), include_media=include_media, strict_roles=strict_roles)
    del store
    return result, gold
