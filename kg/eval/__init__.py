"""Evaluation of kg against hand-made gold annotations (``kg eval GOLD_DIR``).

``gold`` loads annotations, ``scoring`` compares predictions with them and
``report`` renders the result.  The package is pure Python and knows nothing
about RDF: the CLI turns the knowledge graph into
:class:`~kg.eval.scoring.DocPrediction` objects before calling :func:`score`.
"""

from __future__ import annotations

from kg.eval.gold import (
    GoldAmount,
    GoldCountry,
    GoldDoc,
    GoldInvestment,
    GoldOrg,
    GoldPartnership,
    GoldPerson,
    load_gold,
)
from kg.eval.report import format_report, to_json, to_markdown
from kg.eval.scoring import (
    KINDS,
    Counts,
    DocPrediction,
    EvalResult,
    FalseHit,
    Miss,
    PredictedAmount,
    PredictedInvestment,
    PredictedOrg,
    PredictedPartnership,
    PredictedPerson,
    normalize_name,
    score,
)

__all__ = [
    "KINDS",
    "Counts",
    "DocPrediction",
    "EvalResult",
    "FalseHit",
    "GoldAmount",
    "GoldCountry",
    "GoldDoc",
    "GoldInvestment",
    "GoldOrg",
    "GoldPartnership",
    "GoldPerson",
    "Miss",
    "PredictedAmount",
    "PredictedInvestment",
    "PredictedOrg",
    "PredictedPartnership",
    "PredictedPerson",
    "format_report",
    "load_gold",
    "normalize_name",
    "score",
    "to_json",
    "to_markdown",
]
