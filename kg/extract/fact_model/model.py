"""The trained fact model: scorers over sparse features, stored as plain JSON.

A logistic regression per decision (is this candidate an investment, is this
party its investor, its target, is this country where the money goes) is
small, fast to apply in pure Python over a handful of features, and
readable: the JSON lists every weight, so a user can see what the model
learned.  Whether a pair is partners depends on combinations of features,
so that decision is boosted shallow trees (:class:`TreeScorer`), stored as
flat node lists in the same JSON.  Both are fitted with scikit-learn at
training time only; applying them needs nothing but this module.  Confidences are
calibrated on held-out folds (Platt scaling of the raw score), so a stored
``kg:confidence`` of .8 means that about four in five such facts were right
on articles the model had not seen.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kg.extract.fact_model.candidates import Features

FORMAT_VERSION = 1
DECISIONS = ("investment", "investor", "target", "assignment", "country", "partnership")


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


@dataclass
class LinearScorer:
    """``P(yes | features) = sigmoid(intercept + sum of weights of the features present)``."""

    weights: dict[str, float]
    intercept: float = 0.0

    def probability(self, features: Features) -> float:
        w = self.weights
        return sigmoid(self.intercept + sum(w.get(k, 0.0) * v for k, v in features.items()))

    def to_json(self) -> dict[str, Any]:
        return {
            "intercept": round(self.intercept, 6),
            "weights": {k: round(v, 6) for k, v in sorted(self.weights.items())},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinearScorer:
        return cls({str(k): float(v) for k, v in data["weights"].items()}, float(data["intercept"]))


# One tree: the feature tested at each node (-1 at a leaf), its threshold, the left and right children, the leaf values.
Tree = tuple[list[int], list[float], list[int], list[int], list[float]]


@dataclass
class TreeScorer:
    """``P(yes | features) = sigmoid(baseline + scale * sum of the trees' leaf values)``: boosted regression trees.

    A linear scorer adds up what each feature says on its own; the pair
    decision depends on combinations (two parties coordinated *and* after the
    trigger, a with-marker on one side only), which a linear model learns
    only where someone wrote the conjunction as a feature.  Shallow boosted
    trees learn them from the rows.  Each tree is stored as flat lists (the
    feature tested at each node, or -1 at a leaf, its threshold, the
    children, the leaf values), read in pure Python: a missing feature is 0.
    The trees are turned once into one Python expression of nested
    comparisons (:func:`_compile_trees`), about ten times faster than walking
    the lists node by node.
    """

    features: list[str]
    trees: list[Tree]
    baseline: float = 0.0
    scale: float = 1.0
    _total: Callable[[list[float]], float] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def weights(self) -> dict[str, float]:
        """A non-empty mapping when the scorer learned anything (``LinearScorer``'s test of an empty scorer)."""
        return {name: 1.0 for name in self.features}

    def probability(self, features: Features) -> float:
        return sigmoid(self.raw(features))

    def raw(self, features: Features) -> float:
        """The log-odds: the baseline plus the scaled leaf value of each tree."""
        if self._total is None:
            self._total = _compile_trees(self.trees)
        return self.baseline + self.scale * self._total([features.get(name, 0.0) for name in self.features])

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "trees",
            "baseline": round(self.baseline, 6),
            "scale": self.scale,
            "features": self.features,
            "trees": [
                {
                    "feature": f,
                    "threshold": [round(x, 6) for x in t],
                    "left": lo,
                    "right": hi,
                    "value": [round(x, 6) for x in v],
                }
                for f, t, lo, hi, v in self.trees
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TreeScorer:
        trees = [
            (
                [int(x) for x in t["feature"]],
                [float(x) for x in t["threshold"]],
                [int(x) for x in t["left"]],
                [int(x) for x in t["right"]],
                [float(x) for x in t["value"]],
            )
            for t in data["trees"]
        ]
        return cls([str(n) for n in data["features"]], trees, float(data["baseline"]), float(data["scale"]))


def _compile_trees(trees: list[Tree]) -> Callable[[list[float]], float]:
    """One function summing the trees' leaf values for a row of feature values, trees in order.

    Each tree becomes a nested conditional expression ("a if v[3] <= 0.5 else
    b"); the generated source holds only integers and finite floats read from
    the model, never a name or text from it.
    """

    def number(x: float) -> str:
        if not math.isfinite(x):
            raise ValueError(f"fact model tree holds a non-finite number: {x!r}")
        return repr(float(x))

    def expression(tree: Tree, node: int) -> str:
        feature, threshold, left, right, leaf = tree
        if feature[node] < 0:
            return number(leaf[node])
        test = f"v[{int(feature[node])}] <= {number(threshold[node])}"
        return f"({expression(tree, left[node])} if {test} else {expression(tree, right[node])})"

    terms = [expression(tree, 0) for tree in trees] or ["0.0"]
    source = "def total(v):\n    return (\n        " + "\n        + ".join(terms) + "\n    )\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, "<kg fact model trees>", "exec"), namespace)  # numbers only, see above
    return namespace["total"]  # type: ignore[no-any-return]


Scorer = LinearScorer | TreeScorer


def scorer_from_json(data: dict[str, Any]) -> Scorer:
    """A scorer of either kind from its JSON (a linear one has no ``type``)."""
    return TreeScorer.from_json(data) if data.get("type") == "trees" else LinearScorer.from_json(data)


@dataclass
class Calibration:
    """Platt scaling of a raw score, ``sigmoid(a * logit(raw) + b + c * ruled)``, fitted on held-out folds.

    ``ruled`` says whether kg's rules stated the same fact: rule-backed and
    model-only statements turn out right at different rates for one raw
    score, so each gets its own offset.
    """

    a: float = 1.0
    b: float = 0.0
    c: float = 0.0

    def __call__(self, raw: float, ruled: bool = False) -> float:
        return sigmoid(self.a * logit(raw) + self.b + (self.c if ruled else 0.0))


@dataclass
class FactModel:
    """Every scorer of the fact model, its calibrations, thresholds and the card facts about it."""

    scorers: dict[str, Scorer]
    calibration: dict[str, Calibration] = field(default_factory=dict)
    role_threshold: float = 0.35
    fact_threshold: float = 0.3
    thresholds: dict[str, float] = field(default_factory=dict)  # default minimum confidence per kind
    languages: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    # whether the scorers were trained with dependency features (sentences are then parsed when extracting)
    syntax: bool = True

    def p(self, decision: str, features: Features) -> float:
        return self.scorers[decision].probability(features)

    def confidence(self, kind: str, raw: float, ruled: bool = False) -> float:
        calibrate = self.calibration.get(kind)
        return calibrate(raw, ruled) if calibrate is not None else raw

    def default_minimum(self, kind: str, ruled: bool = False) -> float:
        """The least confidence of a stored fact of ``kind`` unless the user says otherwise.

        Statements kg's rules made too have their own default (``<kind>_ruled``) where the model has one.
        """
        if ruled and f"{kind}_ruled" in self.thresholds:
            return self.thresholds[f"{kind}_ruled"]
        return self.thresholds.get(kind, self.fact_threshold)

    def covers(self, lang: str) -> bool:
        """Whether the model was trained on articles in ``lang`` (else the rules decide)."""
        return lang in self.languages

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "languages": list(self.languages),
            "syntax": self.syntax,
            "role_threshold": self.role_threshold,
            "fact_threshold": self.fact_threshold,
            "thresholds": dict(sorted(self.thresholds.items())),
            "calibration": {
                k: {"a": round(c.a, 6), "b": round(c.b, 6), "c": round(c.c, 6)}
                for k, c in sorted(self.calibration.items())
            },
            "meta": self.meta,
            "scorers": {k: s.to_json() for k, s in sorted(self.scorers.items())},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FactModel:
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"fact model format {data.get('format')!r}, this kg reads format {FORMAT_VERSION}")
        return cls(
            scorers={k: scorer_from_json(v) for k, v in data["scorers"].items()},
            calibration={
                k: Calibration(float(v["a"]), float(v["b"]), float(v.get("c", 0.0)))
                for k, v in data.get("calibration", {}).items()
            },
            role_threshold=float(data.get("role_threshold", 0.35)),
            fact_threshold=float(data.get("fact_threshold", 0.3)),
            thresholds={str(k): float(v) for k, v in data.get("thresholds", {}).items()},
            languages=tuple(data.get("languages", ())),
            syntax=bool(data.get("syntax", True)),
            meta=dict(data.get("meta", {})),
        )

    def save(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "model.json"
        path.write_text(
            json.dumps(self.to_json(), indent=1, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8"
        )
        return path


@cache
def load_fact_model(folder: str) -> FactModel:
    """Read ``folder/model.json`` once per process."""
    path = Path(folder) / "model.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read the fact model: {exc}") from exc
    return FactModel.from_json(data)
