"""The saved queries are plain SPARQL 1.1: another engine (rdflib) gives the same answers as the embedded store.

Virtuoso is checked the same way in ``test_load_virtuoso.py``; rdflib is the strictest of the engines about
aggregates over unbound values, which a careless query trips over (it raises instead of skipping them).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from conftest import Built
from pyoxigraph import Literal as OxLiteral
from pyoxigraph import QuerySolutions
from rdflib import Dataset, Literal, URIRef

from kg.query.run import saved_queries
from kg.rdf.namespaces import prefix_map
from kg.store import GraphStore


def _value(term: Any) -> Any:
    """A comparable value: IRIs as text, literals as Python values (so 'Z' and '+00:00' times are equal)."""
    if term is None:
        return None
    if isinstance(term, OxLiteral):
        datatype = None if term.language else URIRef(term.datatype.value)
        term = Literal(term.value, datatype=datatype, lang=term.language)
    if isinstance(term, Literal):
        value = term.toPython()
        return (value, term.language) if term.language else value
    return str(term.value if hasattr(term, "value") and not isinstance(term, URIRef) else term)


@pytest.fixture(scope="module")
def rdflib_dataset(built_examples: Built) -> Dataset:
    dataset = Dataset(default_union=True)
    dataset.parse(built_examples.out / "graph.nq", format="nquads")
    return dataset


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_saved_query_gives_the_same_rows_in_rdflib(name: str, built_examples: Built, rdflib_dataset: Dataset) -> None:
    sparql = saved_queries()[name].read_text(encoding="utf-8")
    store = GraphStore(built_examples.out / "store", read_only=True)
    solutions = store.query(sparql)
    assert isinstance(solutions, QuerySolutions)
    variables = [v.value for v in solutions.variables]
    ours = Counter(tuple(_value(row[v]) for v in variables) for row in solutions)
    answer = rdflib_dataset.query(sparql, initNs=prefix_map())
    theirs = Counter(tuple(_value(x) for x in row) for row in answer if isinstance(row, tuple))
    assert ours, f"saved query {name} found nothing in the sample build"
    assert theirs == ours, f"saved query {name}: {sum((theirs - ours).values())} rows only in rdflib"
