"""Vocabulary, IRIs and the mapping of extracted facts to RDF quads."""
