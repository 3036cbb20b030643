"""The persistent embedded store (Oxigraph) that builds write to and queries read."""

from kg.store.oxigraph import GraphStore

__all__ = ["GraphStore"]
