"""Per-language spaCy pipelines, assembled from ``pipelines.toml``."""

from kg.nlp.pipeline import PipelineSpec, load_pipeline, pipeline_spec

__all__ = ["PipelineSpec", "load_pipeline", "pipeline_spec"]
