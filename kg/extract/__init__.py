"""Extractors: turn NLP output into mentions, amounts and facts."""
