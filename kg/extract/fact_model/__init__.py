"""The learned fact model: candidates, features, linear scorers, training and the extractor that uses them.

* :mod:`~kg.extract.fact_model.candidates`: what is scored, and its features;
* :mod:`~kg.extract.fact_model.syntax`: universal dependency parses of candidate sentences;
* :mod:`~kg.extract.fact_model.model`: the JSON-stored scorers and their calibration;
* :mod:`~kg.extract.fact_model.training`: labels from gold annotations, ``fit``, cross-validation;
* :mod:`~kg.extract.fact_model.extractor`: the registered ``investments`` extractor.
"""

from __future__ import annotations

from kg.extract.fact_model.model import FactModel, load_fact_model

__all__ = ["FactModel", "load_fact_model"]
