"""SPARQL: saved queries that ship with kg, and result formatting."""

from kg.query.run import QueryResult, format_result, load_query, run_query, saved_queries

__all__ = ["QueryResult", "format_result", "load_query", "run_query", "saved_queries"]
