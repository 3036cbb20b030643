"""Ingest: files, folders, HTML pages and JSON Lines become ``Article`` objects."""

from kg.ingest.sources import iter_articles

__all__ = ["iter_articles"]
