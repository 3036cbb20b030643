"""Helpers for kg's own tests and benchmarks (never used by kg commands at run time)."""
