"""Training the fact model from annotated articles, and honest cross-validation of it.

``prepare`` runs kg's own pipeline over every annotated article once (the
same reading, NLP and entity extraction as ``kg build``) and keeps its
candidates; ``label`` says, from the gold annotation, which candidates are
facts and which party plays which role; ``fit`` trains one logistic
regression per decision, then calibrates the confidences and chooses the
default minimum confidence on folds of the training documents the fitted
scorers did not see.  ``folds`` splits documents (never sentences) into K
folds stratified by language, seeded, so every number said to be held out
is measured on articles whose every sentence was unseen.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kg.errors import FactTrainingError
from kg.eval.gold import GoldDoc, GoldInvestment, load_gold
from kg.eval.scoring import PredictedInvestment, investment_match, normalize_name
from kg.extract.fact_model.candidates import Features, InvestmentCandidate, PartnerCandidate
from kg.extract.fact_model.extractor import (
    article_candidates,
    article_statements,
    one_per_amount,
    same_pair,
    statement_score,
    with_confidence,
)
from kg.extract.fact_model.model import DECISIONS, Calibration, FactModel, LinearScorer, Scorer, TreeScorer, logit
from kg.extract.fact_model.roles import assignment_features, assignments
from kg.model import Investment, Mention, MoneyAmount, Partnership

SEED = 13
TARGET_PRECISION = 0.80
REPEATS = 3  # inner cross-validations (fresh splits) whose held-out facts calibrate the model
OVERRIDE_PRECISION = 0.75  # held-out precision at which the rules' statements of a kind are kept as overrides
MIN_KEPT = 10  # a default minimum keeps at least this many held-out facts when the target is out of reach
C_REGULARISATION = 0.1
CLASS_WEIGHT: str | None = "balanced"
C_STATEMENT = 1.0  # the statement scorers have few, dense features: less regularisation
# Dependency features by default?  No: with the parses of kg's UD parsers (and fr_core_news_sm's) the
# pooled out-of-fold average precision over 3 fold seeds was investments .389, partnerships .473;
# without them .400 and .474, and scored language by language with the model trained on the other
# seven, .406/.483 with parses against .420/.491 without.  Parsing costs time and the parsers' memory.
SYNTAX = False
# Decisions scored by boosted trees instead of a logistic regression (see TreeScorer), and the trees' settings.
# Partnerships: pooled out-of-fold average precision over fold seeds 13-15 .485/.481/.442 (linear) ->
# .511/.495/.489; investments and the other decisions gained nothing within the spread of the seeds.
TREE_DECISIONS: tuple[str, ...] = ("partnership",)
TREES: dict[str, Any] = {
    "max_iter": 200,
    "learning_rate": 0.05,
    "max_leaf_nodes": 8,
    "min_samples_leaf": 10,
    "l2_regularization": 1.0,
}


@dataclass
class DocSample:
    """One annotated article as the model sees it: its candidates and its gold annotation."""

    doc_id: str
    lang: str
    path: Path
    gold: GoldDoc
    investments: list[InvestmentCandidate]
    partnerships: list[PartnerCandidate]
    syntax: bool = SYNTAX  # whether the candidates carry dependency features


@dataclass
class Examples:
    """Feature rows and labels per decision."""

    rows: dict[str, list[Features]] = field(default_factory=lambda: defaultdict(list))
    labels: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def add(self, decision: str, features: Features, label: int) -> None:
        self.rows[decision].append(features)
        self.labels[decision].append(label)


# --------------------------------------------------------------------------- reading the corpus


def gold_articles(gold_dirs: Sequence[Path]) -> list[tuple[GoldDoc, Path]]:
    """Every annotated article of the folders: its gold and its text file (``docs/`` or ``articles/``)."""
    found: list[tuple[GoldDoc, Path]] = []
    for folder in gold_dirs:
        gold = load_gold(folder)
        docs = next((folder / n for n in ("docs", "articles") if (folder / n).is_dir()), folder)
        for doc_id, annotation in sorted(gold.items()):
            path = next((p for p in sorted(docs.glob(f"{doc_id}.*")) if p.is_file()), None)
            if path is not None:
                found.append((annotation, path))
    return found


def prepare(articles: Iterable[tuple[GoldDoc, Path]], *, syntax: bool = SYNTAX) -> list[DocSample]:
    """Run kg's reading, NLP and entity extraction over each article and keep its candidates.

    ``syntax``: parse candidate sentences for dependency features (see :data:`SYNTAX`).
    """
    from kg.extract.registry import extract
    from kg.ingest.sources import read_file
    from kg.model import Extraction
    from kg.nlp.pipeline import load_pipeline

    samples = []
    for gold, path in articles:
        article = next(iter(read_file(path)))
        if not hasattr(article, "text"):
            continue
        nlp = load_pipeline(article.lang)  # type: ignore[union-attr]
        doc = nlp(article.text)  # type: ignore[union-attr]
        extraction = extract(doc, Extraction(article=article), ("sentences", "amounts", "entities"))  # type: ignore[arg-type]
        inv, par = article_candidates(doc, extraction, syntax=syntax)
        samples.append(DocSample(gold.id, gold.lang, path, gold, inv, par, syntax))
    return samples


# --------------------------------------------------------------------------- labels


def _party_names(gold: GoldDoc) -> dict[str, frozenset[str]]:
    names: dict[str, frozenset[str]] = {}
    for org in gold.organizations:
        key = normalize_name(org.name)
        names[key] = names.get(key, frozenset()) | frozenset(normalize_name(n) for n in org.all_names)
    for country in gold.countries:
        key = normalize_name(country.iso)
        names[key] = names.get(key, frozenset()) | frozenset(
            normalize_name(n) for n in (country.iso, *country.mentions)
        )
    return names


class GoldNames:
    """Every normalised name of a gold party, and whether a mention names it."""

    def __init__(self, gold: GoldDoc) -> None:
        self.names = _party_names(gold)

    def of(self, party: str) -> frozenset[str]:
        key = normalize_name(party)
        return self.names.get(key, frozenset({key}))

    def hit(self, mention: Mention, parties: Iterable[str | None]) -> bool:
        mine = mention_names(mention)
        return any(party and mine & self.of(party) for party in parties)


def mention_names(mention: Mention) -> frozenset[str]:
    """The names a mention goes by: its text, its canonical label, its ISO code."""
    return frozenset(normalize_name(n) for n in (mention.text, mention.label, mention.key) if n)


def _amount_matches(amount: MoneyAmount | None, gold: GoldInvestment) -> bool:
    if gold.amount_value is None or amount is None:
        return gold.amount_value is None and amount is None
    if gold.currency and amount.currency != gold.currency:
        return False
    for value in (gold.amount_value, gold.amount_value_alt, gold.amount_min):
        if value is not None and value != 0 and abs(amount.value - value) <= abs(value) * Decimal("0.01"):
            return True
    return False


def _gold_investment(cand: InvestmentCandidate, gold: GoldDoc, names: GoldNames) -> GoldInvestment | None:
    """The gold investment a candidate states: same amount (or both none and a party of it named)."""
    for g in gold.investments:
        if not _amount_matches(cand.amount, g):
            continue
        if g.amount_value is not None:
            return g
        if any(names.hit(o.mention, (*g.investors, g.target)) for o in cand.parties):
            return g
    return None


def label(samples: Iterable[DocSample]) -> Examples:
    """Training rows of every decision, labelled from the gold annotations.

    A candidate matching only an ``optional`` gold fact is left out of the
    fact decision (neither right nor wrong), as the scorer treats it.  Role
    rows come from the candidates that state a gold fact.
    """
    ex = Examples()
    for sample in samples:
        names = GoldNames(sample.gold)
        for cand in sample.investments:
            g = _gold_investment(cand, sample.gold, names)
            if g is None:
                ex.add("investment", cand.features, 0)
                continue
            if not g.optional:
                ex.add("investment", cand.features, 1)
            # Each role scorer learns which party fills the role where the gold names one: an empty
            # gold role is the annotators' "not stated", which says nothing about the parties.
            for option in cand.parties:
                if g.investors:
                    ex.add("investor", option.features, int(names.hit(option.mention, g.investors)))
                if g.target and option.mention.kind.value != "COUNTRY":
                    ex.add("target", option.features, int(names.hit(option.mention, (g.target,))))
            _label_assignments(ex, cand, g, names)
            for option in cand.countries:
                if g.country:
                    ex.add("country", option.features, int(option.mention.key == g.country))
        for pc in sample.partnerships:
            match = [p for p in sample.gold.partnerships if _pair_hit(names, pc.a, pc.b, p.a, p.b)]
            if match and all(p.optional for p in match):
                continue
            ex.add("partnership", pc.features, int(bool(match)))
    return ex


def _label_assignments(ex: Examples, cand: InvestmentCandidate, g: GoldInvestment, names: GoldNames) -> None:
    """Rows of the joint role scorer: every reading of a candidate, right when both roles agree with gold.

    A role gold leaves empty ("not stated") says nothing about a reading that
    fills it, so such readings are left out, and the reading that leaves it
    empty is judged by the other role; a candidate none of whose readings is
    right teaches nothing here.
    """
    rows = []
    for inv, tgt in assignments(cand):
        if (inv is not None and not g.investors) or (tgt is not None and not g.target):
            continue
        inv_ok = inv is None if not g.investors else inv is not None and names.hit(inv.mention, g.investors)
        tgt_ok = tgt is None if not g.target else tgt is not None and names.hit(tgt.mention, (g.target,))
        rows.append((assignment_features(cand, inv, tgt), int(inv_ok and tgt_ok)))
    if any(y for _, y in rows):
        for features, y in rows:
            ex.add("assignment", features, y)


def _pair_hit(names: GoldNames, a: Mention, b: Mention, x: str, y: str) -> bool:
    return (names.hit(a, (x,)) and names.hit(b, (y,))) or (names.hit(a, (y,)) and names.hit(b, (x,)))


# --------------------------------------------------------------------------- fitting


def _fit_scorer(rows: list[Features], labels: list[int], c: float | None = None) -> LinearScorer:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if not rows or len(set(labels)) < 2:
        rate = (sum(labels) + 0.5) / (len(labels) + 1.0)
        return LinearScorer({}, logit(rate))
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(rows)
    strength = C_REGULARISATION if c is None else c
    clf = LogisticRegression(C=strength, solver="lbfgs", max_iter=2000, class_weight=CLASS_WEIGHT)
    clf.fit(matrix, labels)
    weights = {
        name: float(w)
        for name, w in zip(vectorizer.get_feature_names_out(), clf.coef_[0], strict=True)
        if abs(w) > 1e-4
    }
    return LinearScorer(weights, float(clf.intercept_[0]))


def _fit_trees(rows: list[Features], labels: list[int]) -> Scorer:
    """Boosted shallow trees (see :class:`TreeScorer`), classes weighted as the linear scorers', seeded.

    scikit-learn's histogram gradient boosting; its trees are copied node by
    node into a :class:`TreeScorer`, which is checked to give the classifier's
    own probabilities on every training row (a changed scikit-learn fails
    here, at training time, not in a build).
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction import DictVectorizer
    from threadpoolctl import threadpool_limits

    if not rows or len(set(labels)) < 2:
        return _fit_scorer(rows, labels)
    vectorizer = DictVectorizer(sparse=False)
    matrix = vectorizer.fit_transform(rows)
    clf = HistGradientBoostingClassifier(**TREES, class_weight="balanced", random_state=SEED)
    with threadpool_limits(1):  # one thread: the same trees, to the bit, on any number of cores
        clf.fit(matrix, labels)
    names = vectorizer.get_feature_names_out()
    used: dict[int, int] = {}
    trees = []
    for (predictor,) in clf._predictors:  # one tree per boosting round (binary: one per round)
        nodes = predictor.nodes
        feature = [-1 if leaf else int(f) for f, leaf in zip(nodes["feature_idx"], nodes["is_leaf"], strict=True)]
        for f in feature:
            if f >= 0:
                used.setdefault(f, len(used))
        trees.append(
            (
                [used[f] if f >= 0 else -1 for f in feature],
                [float(t) for t in nodes["num_threshold"]],
                [int(c) for c in nodes["left"]],
                [int(c) for c in nodes["right"]],
                [float(v) for v in nodes["value"]],
            )
        )
    scorer = TreeScorer([str(names[f]) for f in sorted(used, key=used.__getitem__)], trees)
    zero = matrix[:1] * 0.0  # the baseline: the raw score of a row without features, less what its trees add
    scorer.baseline = float(clf.decision_function(zero)[0]) - scorer.raw({})
    expected = clf.predict_proba(matrix)[:, 1]
    worst = max(abs(scorer.probability(r) - p) for r, p in zip(rows, expected, strict=True))
    if worst > 1e-6:
        raise FactTrainingError(
            f"the exported trees give probabilities {worst:.2g} away from scikit-learn's own; "
            "this scikit-learn stores its trees otherwise: install the version in pyproject.toml's range"
        )
    return scorer


def fit_scorers(samples: Sequence[DocSample]) -> FactModel:
    """Scorers only (no calibration): the inner step of ``fit`` and of cross-validation."""
    ex = label(samples)
    scorers = {
        d: (_fit_trees if d in TREE_DECISIONS else _fit_scorer)(ex.rows.get(d, []), ex.labels.get(d, []))
        for d in DECISIONS
    }
    syntax = any(s.syntax for s in samples)
    return FactModel(scorers, languages=tuple(sorted({s.lang for s in samples})), syntax=syntax)


def folds(samples: Sequence[DocSample], k: int, seed: int = SEED) -> list[list[DocSample]]:
    """K folds of whole documents, each language dealt round-robin after a seeded shuffle."""
    by_lang: dict[str, list[DocSample]] = defaultdict(list)
    for s in sorted(samples, key=lambda s: s.doc_id):
        by_lang[s.lang].append(s)
    rng = random.Random(seed)
    out: list[list[DocSample]] = [[] for _ in range(k)]
    turn = 0
    for lang in sorted(by_lang):
        docs = by_lang[lang]
        rng.shuffle(docs)
        for doc in docs:
            out[turn % k].append(doc)
            turn += 1
    return out


@dataclass
class Scored:
    """One decoded fact on a held-out document: its raw score, confidence, language and whether it was right."""

    kind: str
    lang: str
    raw: float
    right: bool
    optional: bool = False  # matched only an optional gold fact: neither right nor wrong
    meta: Features = field(default_factory=dict)  # the statement's features (see ``investment_statement``)
    fold: int = 0

    @property
    def ruled(self) -> bool:
        """Whether the rules stated it too."""
        return "no_rule" not in self.meta


def held_out_facts(model: FactModel, sample: DocSample) -> list[Scored]:
    """Decode every candidate of a document (no threshold) and mark each fact right or wrong against gold."""
    names = GoldNames(sample.gold)
    out: list[Scored] = []
    statements, pair_statements = article_statements(model, sample.investments, sample.partnerships)
    metas = {}
    facts = []
    for fact, meta in statements:
        raw = statement_score(model, "investment", meta)
        metas[_statement_key(fact)] = meta
        facts.append(with_confidence(fact, raw))
    unused = list(sample.gold.investments)
    for fact in one_per_amount(facts):
        pred = _predicted(fact)
        hits = [g for g in unused if investment_match(g, pred, names.of) is not None]
        hit = next((g for g in hits if not g.optional), hits[0] if hits else None)
        if hit is not None:
            unused.remove(hit)
        optional = hit is not None and hit.optional
        meta = metas.get(_statement_key(fact), {})
        out.append(Scored("investment", sample.lang, fact.confidence or 0.0, hit is not None, optional, meta))
    pairs = [(pair, statement_score(model, "partnership", meta), meta) for pair, meta in pair_statements]
    pairs.sort(key=lambda d: -d[1])
    golds = list(sample.gold.partnerships)
    seen: list[Partnership] = []
    for pair, conf, meta in pairs:
        if any(same_pair(pair, other) for other in seen):  # each pair once per article, as the extractor does
            continue
        seen.append(pair)
        hits2 = [g for g in golds if _pair_hit(names, pair.a, pair.b, g.a, g.b)]
        hit2 = next((g for g in hits2 if not g.optional), hits2[0] if hits2 else None)
        if hit2 is not None:
            golds.remove(hit2)
        optional = hit2 is not None and hit2.optional
        out.append(Scored("partnership", sample.lang, conf, hit2 is not None, optional, meta))
    return out


def _statement_key(fact: Investment) -> tuple[object, ...]:
    return (fact.evidence, fact.amount.span if fact.amount else None)


def _predicted(fact: Investment) -> PredictedInvestment:
    def names(m: Mention | None) -> frozenset[str]:
        return mention_names(m) if m is not None else frozenset()

    investor = names(fact.investor)
    for co in fact.co_investors:
        investor |= names(co)
    return PredictedInvestment(
        investor=investor,
        amount=fact.amount.value if fact.amount else None,
        currency=fact.amount.currency if fact.amount else None,
        target=names(fact.target),
        country=fact.country.key if fact.country is not None else None,
        evidence="",
        hedged=fact.hedged,
    )


def cross_validated_facts(samples: Sequence[DocSample], k: int, seed: int = SEED) -> list[Scored]:
    """Every fact decoded on a held-out fold by scorers fitted on the other folds (uncalibrated scores)."""
    out: list[Scored] = []
    parts = folds(samples, k, seed)
    for i, held in enumerate(parts):
        train = [s for j, part in enumerate(parts) if j != i for s in part]
        model = fit_scorers(train)
        for sample in held:
            for scored in held_out_facts(model, sample):
                scored.fold = i
                out.append(scored)
    return out


def statement_scorers(scored: list[Scored], k: int) -> tuple[dict[str, LinearScorer], list[Scored]]:
    """Scorers of whole statements, fitted on held-out facts; and each held-out fact rescored out of fold.

    The statement scorer learns which combinations (a sure investor but no
    target, roles the rules read otherwise) turn out wrong on unseen
    articles, so the final confidence ranks facts better than the fact
    scorer alone.  Its own held-out scores (each fold rescored by a scorer
    fitted on the other folds) are what calibration and the threshold use.
    """
    scorers = {}
    rescored: list[Scored] = []
    for kind in ("investment", "partnership"):
        mine = [s for s in scored if s.kind == kind and not s.optional]
        scorers[f"{kind}_statement"] = _fit_scorer([s.meta for s in mine], [int(s.right) for s in mine], C_STATEMENT)
        for fold in range(k):
            train = [s for s in mine if s.fold != fold]
            scorer = _fit_scorer([s.meta for s in train], [int(s.right) for s in train], C_STATEMENT)
            for s in scored:
                if s.kind == kind and s.fold == fold:
                    rescored.append(
                        Scored(s.kind, s.lang, scorer.probability(s.meta), s.right, s.optional, s.meta, fold)
                    )
    return scorers, rescored


def _platt(scored: list[Scored]) -> Calibration:
    from sklearn.linear_model import LogisticRegression

    if len({s.right for s in scored}) < 2:
        return Calibration()
    x = [[logit(s.raw), float(s.ruled)] for s in scored]
    y = [int(s.right) for s in scored]
    clf = LogisticRegression(C=100.0, solver="lbfgs")
    clf.fit(x, y)
    return Calibration(float(clf.coef_[0][0]), float(clf.intercept_[0]), float(clf.coef_[0][1]))


def choose_threshold(
    scored: list[Scored], calibration: Calibration, kind: str, target: float = TARGET_PRECISION
) -> float:
    """The least confidence at which the expected precision of the facts kept is at least ``target``.

    The expected precision of the facts at or above a minimum is the mean of
    their calibrated confidences (the calibration is fitted on held-out
    folds, so a confidence is an estimated rate of being right).  Choosing
    the minimum from these estimates instead of from the running count of
    right facts is stable: on a few dozen confident facts the running
    precision jumps with every fact, and the least minimum reaching the
    target swung from .4 to 1.0 between training sets of one corpus.
    """
    confidences = sorted(
        (calibration(s.raw, s.ruled) for s in scored if s.kind == kind and not s.optional), reverse=True
    )
    if not confidences:
        return 1.0
    chosen, total = None, 0.0
    best = (0.0, confidences[0])  # (expected precision, minimum) over the first MIN_KEPT facts or more
    for n, conf in enumerate(confidences, start=1):
        total += conf
        if total / n >= target:
            chosen = conf
        if n >= MIN_KEPT and total / n > best[0]:
            best = (total / n, conf)
    if chosen is None:  # no minimum reaches the target: the most precise one that still keeps a few facts
        chosen = best[1]
    return round(max(chosen, 0.05), 3)


def choose_thresholds(
    scored: list[Scored], calibration: Calibration, kind: str, target: float = TARGET_PRECISION
) -> tuple[float, float]:
    """Default minimums of ``kind`` for statements the rules did not make and for those they made too.

    The first is :func:`choose_threshold`'s.  Statements the rules made are
    overrides, kept whatever their confidence, when they turned out right
    at a rate of at least ``OVERRIDE_PRECISION`` on the held-out folds (the
    partnership rules do, the investment rules do not); otherwise they need
    the same minimum as the others.
    """
    single = choose_threshold(scored, calibration, kind, target)
    ruled = [s.right for s in scored if s.kind == kind and not s.optional and s.ruled]
    if len(ruled) >= MIN_KEPT and sum(ruled) >= OVERRIDE_PRECISION * len(ruled):
        return single, 0.0
    return single, single


def operating_points(
    scored: list[Scored], calibration: dict[str, Calibration], gold: dict[str, int]
) -> list[dict[str, Any]]:
    """Held-out precision and recall of each kind at a ladder of minimum confidences, for users to choose from."""
    rows = []
    for kind in ("investment", "partnership"):
        for floor in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
            kept = [
                s for s in scored if s.kind == kind and not s.optional and calibration[kind](s.raw, s.ruled) >= floor
            ]
            right = sum(s.right for s in kept)
            p = right / len(kept) if kept else 0.0
            r = right / gold[kind] if gold[kind] else 0.0
            rows.append({"kind": kind, "min_confidence": floor, "precision": round(p, 3), "recall": round(r, 3)})
    return rows


def reliability(scored: list[Scored], calibration: dict[str, Calibration]) -> list[dict[str, Any]]:
    """Predicted confidence band vs observed precision on held-out folds, per kind."""
    rows = []
    bands = [(0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)]
    for kind in ("investment", "partnership"):
        for lo, hi in bands:
            inside = [s for s in scored if s.kind == kind and lo <= calibration[kind](s.raw, s.ruled) < hi]
            if inside:
                mean = sum(calibration[kind](s.raw, s.ruled) for s in inside) / len(inside)
                right = sum(s.right for s in inside) / len(inside)
                rows.append(
                    {
                        "kind": kind,
                        "band": f"{lo:.1f}-{min(hi, 1.0):.1f}",
                        "facts": len(inside),
                        "mean_confidence": round(mean, 3),
                        "precision": round(right, 3),
                    }
                )
    return rows


def fit(samples: Sequence[DocSample], k: int = 5, seed: int = SEED, repeats: int = REPEATS) -> FactModel:
    """Scorers on all samples, calibrated and thresholded on K inner folds of the same samples, ``repeats`` times.

    Each repeat deals the documents into K folds anew (seed, seed + 1 ...);
    its held-out facts are rescored by statement scorers fitted within that
    repeat only (a document is never scored by a scorer that saw it), and
    the calibration and the default minimum are fitted on the facts of all
    repeats together: on a hundred articles one split leaves a few dozen
    confident facts, and the minimum chosen from them moved with the split.
    """
    statements: dict[str, LinearScorer] = {}
    scored: list[Scored] = []
    first: list[Scored] = []  # the first split's facts: the card's tables describe one cross-validation
    for r in range(max(repeats, 1)):
        mine, rescored = statement_scorers(cross_validated_facts(samples, k, seed + r), k)
        statements = statements or mine
        first = first or rescored
        scored += rescored
    calibration = {kind: _platt([s for s in scored if s.kind == kind]) for kind in ("investment", "partnership")}
    model = fit_scorers(samples)
    model.scorers.update(statements)
    model.calibration = calibration
    model.thresholds = {}
    for kind in calibration:
        model.thresholds[kind], model.thresholds[f"{kind}_ruled"] = choose_thresholds(scored, calibration[kind], kind)
    model.fact_threshold = max(model.thresholds.values())
    gold = {
        "investment": sum(not g.optional for s in samples for g in s.gold.investments),
        "partnership": sum(not g.optional for s in samples for g in s.gold.partnerships),
    }
    model.meta = {
        "documents": len(samples),
        "documents_per_language": dict(sorted(_count(s.lang for s in samples).items())),
        "seed": seed,
        "folds": k,
        "repeats": max(repeats, 1),
        "reliability": reliability(first, calibration),
        "cross_validated": held_out_table(samples, first, calibration, model.thresholds),
        "operating_points": operating_points(first, calibration, gold),
    }
    return model


def held_out_table(
    samples: Sequence[DocSample],
    scored: list[Scored],
    calibration: dict[str, Calibration],
    thresholds: dict[str, float],
) -> list[dict[str, Any]]:
    """Precision and recall per kind and language of the held-out facts at each kind's default minimum."""
    rows = []
    langs = sorted({s.lang for s in samples})
    for kind in ("investment", "partnership"):
        for lang in [*langs, "all"]:
            docs = [s for s in samples if lang in ("all", s.lang)]
            gold = sum(
                not g.optional
                for s in docs
                for g in (s.gold.investments if kind == "investment" else s.gold.partnerships)
            )
            kept = [
                s
                for s in scored
                if s.kind == kind
                and lang in ("all", s.lang)
                and not s.optional
                and calibration[kind](s.raw, s.ruled)
                >= thresholds.get(f"{kind}_ruled" if s.ruled else kind, thresholds[kind])
            ]
            right = sum(s.right for s in kept)
            p = right / len(kept) if kept else 0.0
            r = right / gold if gold else 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            rows.append(
                {
                    "kind": kind,
                    "lang": lang,
                    "gold": gold,
                    "predicted": len(kept),
                    "right": right,
                    "precision": round(p, 3),
                    "recall": round(r, 3),
                    "f1": round(f1, 3),
                }
            )
    return rows


def _minimum_of(thresholds: dict[str, float], kind: str, ruled: bool) -> float:
    return thresholds.get(f"{kind}_ruled", thresholds[kind]) if ruled else thresholds[kind]


def _count(items: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for item in items:
        out[item] += 1
    return out
