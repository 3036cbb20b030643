"""End to end: kg build on the fixtures and samples, checked through kg query and SPARQL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, MINI, REPO, Built, article_graphs, run_cli, sparql_rows

from kg.build.driver import build
from kg.store import GraphStore

MINI_FILES = ["en_us.txt", "fr_openai.txt", "id_as.txt", "nl_openai.txt"]


def assert_sparql_json(data: dict[str, Any], first_vars: list[str]) -> list[dict[str, Any]]:
    """``data`` is exactly a W3C SPARQL 1.1 Query Results JSON document of a SELECT."""
    assert set(data) == {"head", "results"}
    assert set(data["head"]) <= {"vars", "link"}
    variables = data["head"]["vars"]
    assert variables[: len(first_vars)] == first_vars
    assert set(data["results"]) == {"bindings"}
    bindings = data["results"]["bindings"]
    assert isinstance(bindings, list)
    for binding in bindings:
        assert set(binding) <= set(variables)
        for term in binding.values():
            assert term["type"] in {"uri", "literal", "bnode"}
            assert isinstance(term["value"], str)
            assert set(term) <= {"type", "value", "datatype", "xml:lang"}
    return [{k: v["value"] for k, v in b.items()} for b in bindings]


def test_mini_build_succeeds_quietly(built_mini: Built) -> None:
    result = built_mini.result
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "kg build: 4 articles (en 1, fr 1, id 1, nl 1)" in result.stdout
    assert (built_mini.out / "graph.trig").is_file() and (built_mini.out / "graph.nq").is_file()
    store = GraphStore(built_mini.store_path, read_only=True)
    assert len(article_graphs(store)) == 4


def test_organization_in_dutch_and_french_articles_is_one_node(built_mini: Built) -> None:
    rows = assert_sparql_json(built_mini.query_json("organizations"), ["source", "org", "label", "wikidata"])
    openai = [r for r in rows if r["label"] == "OpenAI"]
    assert len({r["org"] for r in openai}) == 1, openai
    sources = {r["source"] for r in openai}
    assert {f"{MINI}/nl_openai.txt", f"{MINI}/fr_openai.txt"} <= sources
    assert all(r["wikidata"].startswith("Q") for r in openai)
    # "Openai" (fr_openai.txt) is a mention of that same node
    store = GraphStore(built_mini.store_path, read_only=True)
    spellings = sparql_rows(
        store,
        f"SELECT DISTINCT ?anchor WHERE {{ ?m itsrdf:taIdentRef <{openai[0]['org']}> ; nif:anchorOf ?anchor }}",
    )
    assert {"OpenAI", "Openai"} <= {r["anchor"] for r in spellings}


def test_organizations_query_counts_mentions_per_source(built_mini: Built) -> None:
    rows = built_mini.rows("organizations")
    microsoft = {r["source"]: int(r["mentions"]) for r in rows if r["label"] == "Microsoft"}
    text = (REPO / MINI / "nl_openai.txt").read_text(encoding="utf-8")
    assert microsoft[f"{MINI}/nl_openai.txt"] == text.count("Microsoft")


def test_united_states_written_four_ways_is_one_country(built_mini: Built) -> None:
    rows = assert_sparql_json(built_mini.query_json("countries"), ["source", "country", "label", "iso"])
    us = [r for r in rows if r["iso"] == "US"]
    assert len({r["country"] for r in us}) == 1, us
    assert {r["source"] for r in us} == {f"{MINI}/{name}" for name in MINI_FILES}
    assert {r["label"] for r in us} == {"United States"}
    store = GraphStore(built_mini.store_path, read_only=True)
    anchors = sparql_rows(
        store,
        f"SELECT DISTINCT ?anchor WHERE {{ ?m itsrdf:taIdentRef <{us[0]['country']}> ; nif:anchorOf ?anchor }}",
    )
    assert {r["anchor"] for r in anchors} >= {"Verenigde Staten", "États-Unis", "Amerika Serikat", "US"}


def test_countries_query_csv_columns(built_mini: Built) -> None:
    result = run_cli("query", "countries", "--out", str(built_mini.out), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    header, *lines = result.stdout.splitlines()
    assert header.split(",")[:4] == ["source", "country", "label", "iso"]
    assert any(line.startswith(f"{MINI}/id_as.txt,") and ",ID," in line for line in lines)


def test_persons_query(built_mini: Built) -> None:
    rows = assert_sparql_json(built_mini.query_json("persons"), ["source", "person", "label"])
    assert {"source": f"{MINI}/en_us.txt", "label": "Larry Ellison"}.items() <= next(
        r for r in rows if r["label"] == "Larry Ellison"
    ).items()
    assert all(r["person"].startswith("https://kg.example.org/id/person/") for r in rows)


def test_sources_query_on_mini(built_mini: Built) -> None:
    rows = assert_sparql_json(built_mini.query_json("sources"), ["source", "article", "title", "date", "lang"])
    assert [r["source"] for r in rows] == [f"{MINI}/{name}" for name in MINI_FILES]
    for row in rows:
        name = row["source"].rsplit("/", 1)[-1]
        assert row["lang"] == name.split("_", 1)[0]
        first_line = (REPO / row["source"]).read_text(encoding="utf-8").split("\n", 1)[0]
        assert row["title"] == first_line
        assert "date" not in row  # plain text has no date: unbound


def test_sources_query_on_examples(built_examples: Built) -> None:
    rows = built_examples.rows("sources")
    assert len(rows) == 14
    by_source = {r["source"]: r for r in rows}
    newswire = [json.loads(line) for line in (REPO / EXAMPLES / "newswire.jsonl").read_text().splitlines()]
    for record in newswire:  # JSON Lines articles with a URL: the URL is the source
        row = by_source[record["url"]]
        assert (row["title"], row["date"], row["lang"]) == (record["title"], record["date"], record["lang"])
    html = by_source["https://news.example.org/de/wirtschaft/softbank-ki-rechenzentrum-eemshaven"]
    assert (html["date"], html["lang"]) == ("2025-10-14", "de")
    txt = sorted(p.name for p in (REPO / EXAMPLES).glob("*.txt"))
    for name in txt:  # text files: the path as given
        assert by_source[f"{EXAMPLES}/{name}"]["lang"] == name.split("_", 1)[0]
    assert len(txt) + len(newswire) + 1 == len(rows)


def test_build_summary_counts_languages(built_examples: Built) -> None:
    assert built_examples.result.exit_code == 0
    assert built_examples.result.stderr == ""
    assert "kg build: 14 articles (de 2, en 3, es 2, fr 2, id 2, nl 3)" in built_examples.result.stdout


_PHRASES = """
SELECT ?phrase ?begin ?end ?anchor ?text ?sbegin ?send ?sanchor WHERE { GRAPH ?g {
  ?phrase a nif:Phrase ; nif:beginIndex ?begin ; nif:endIndex ?end ; nif:anchorOf ?anchor ;
          nif:referenceContext ?article .
  ?article nif:isString ?text .
  OPTIONAL { ?phrase nif:sentence ?s . ?s nif:beginIndex ?sbegin ; nif:endIndex ?send ; nif:anchorOf ?sanchor }
} }
"""


@pytest.mark.parametrize("fixture", ["built_mini", "built_examples"])
def test_every_mention_points_at_its_text_and_sits_in_its_sentence(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    built: Built = request.getfixturevalue(fixture)
    store = GraphStore(built.store_path, read_only=True)
    rows = sparql_rows(store, _PHRASES, union=False)
    assert len(rows) >= (30 if fixture == "built_mini" else 200)
    for row in rows:
        text, begin, end = str(row["text"]), int(str(row["begin"])), int(str(row["end"]))
        assert 0 <= begin < end <= len(text), row["phrase"]
        assert text[begin:end] == row["anchor"], row["phrase"]
        assert row["sbegin"] is not None, f"{row['phrase']} has no nif:sentence"
        sbegin, send = int(str(row["sbegin"])), int(str(row["send"]))
        assert sbegin <= begin and end <= send, row["phrase"]
        assert text[sbegin:send] == row["sanchor"], row["phrase"]


def test_stored_text_is_the_ingested_text(built_examples: Built) -> None:
    from kg.ingest import iter_articles
    from kg.model import Article

    store = GraphStore(built_examples.store_path, read_only=True)
    sparql = "SELECT ?loc ?text WHERE { ?a kg:inputLocation ?loc ; nif:isString ?text }"
    stored = {r["loc"]: r["text"] for r in sparql_rows(store, sparql)}
    articles = [a for a in iter_articles([str(REPO / EXAMPLES)]) if isinstance(a, Article)]
    assert len(articles) == len(stored) == 14
    for article in articles:
        relative = article.source.replace(f"{REPO}/", "")
        assert stored[relative] == article.text


# --- Rebuilds -------------------------------------------------------------------------------------


def graph_sizes(store: GraphStore) -> dict[str, int]:
    rows = sparql_rows(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", union=False)
    return {str(r["g"]): int(str(r["n"])) for r in rows}


def texts(store: GraphStore) -> dict[str, str]:
    rows = sparql_rows(store, "SELECT ?src ?text WHERE { ?a dcterms:source ?src ; nif:isString ?text }")
    return {str(r["src"]): str(r["text"]) for r in rows}


def test_rebuild_is_idempotent_and_new_articles_are_added(tmp_path: Path) -> None:
    inputs = [str(REPO / MINI / name) for name in MINI_FILES[:3]]
    store = GraphStore(tmp_path / "store")
    first = build(inputs, tmp_path, store=store)
    assert not first.errors and first.graphs == store.graph_count()
    sizes, count, graphs = graph_sizes(store), store.count(), article_graphs(store)
    assert len(graphs) == 3

    again = build(inputs, tmp_path, store=store)
    assert (again.triples, again.graphs) == (first.triples, first.graphs) == (count, store.graph_count())
    assert graph_sizes(store) == sizes
    assert article_graphs(store) == graphs

    added = build([str(REPO / MINI / MINI_FILES[3])], tmp_path, store=store)
    new_graphs = article_graphs(store)
    assert graphs < new_graphs and len(new_graphs) == 4
    after = graph_sizes(store)
    for graph in graphs:  # the earlier articles are untouched
        assert after[graph] == sizes[graph]
    assert added.triples > count


def test_same_article_twice_and_from_two_files_is_stored_once(tmp_path: Path) -> None:
    source = REPO / MINI / "en_us.txt"
    copy = tmp_path / "copy_of_en_us.txt"
    shutil.copy(source, copy)
    report = build([str(source), str(source), str(copy)], tmp_path / "out")
    assert not report.errors
    assert report.duplicates == 2
    store = GraphStore(tmp_path / "out" / "store", read_only=True)
    assert len(article_graphs(store)) == 1
    [row] = sparql_rows(store, "SELECT ?src WHERE { ?a a schema:NewsArticle ; dcterms:source ?src }")
    assert row["src"] in {str(source), str(copy)}


def _write_jsonl(path: Path, records: list[dict[str, str]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


NEWS_A = {
    "url": "https://news.example.org/a",
    "title": "Microsoft invests in Poland",
    "text": "Microsoft will invest 1 billion dollars in a new data centre in Poland, the company said on Monday.",
}
NEWS_B = {
    "url": "https://news.example.org/b",
    "title": "Oracle opens office in Spain",
    "text": "Oracle opened a new office in Madrid, Spain, on Tuesday, with 200 engineers working on AI.",
}


def test_changed_article_with_url_replaces_its_graph_only(tmp_path: Path) -> None:
    wire = tmp_path / "wire.jsonl"
    _write_jsonl(wire, [NEWS_A, NEWS_B])
    store = GraphStore(tmp_path / "store")
    build([str(wire)], tmp_path, store=store)
    before_sizes, before_graphs = graph_sizes(store), article_graphs(store)
    assert texts(store) == {NEWS_A["url"]: NEWS_A["text"], NEWS_B["url"]: NEWS_B["text"]}

    changed = dict(NEWS_A, text="Correction: Microsoft will invest 2 billion dollars in Poland and Germany, it said.")
    _write_jsonl(wire, [changed])
    build([str(wire)], tmp_path, store=store)
    assert article_graphs(store) == before_graphs  # same graph IRI, no new graph
    assert texts(store) == {NEWS_A["url"]: changed["text"], NEWS_B["url"]: NEWS_B["text"]}
    sparql = f'SELECT ?c WHERE {{ ?c a schema:Country ; ^schema:mentions/dcterms:source "{NEWS_A["url"]}" }}'
    rows = sparql_rows(store, sparql)
    assert {"https://kg.example.org/id/country/de", "https://kg.example.org/id/country/pl"} <= {r["c"] for r in rows}
    after_sizes = graph_sizes(store)
    graph_b = next(g for g in before_graphs if _source_of(store, g) == NEWS_B["url"])
    assert after_sizes[graph_b] == before_sizes[graph_b]


def _source_of(store: GraphStore, graph: str) -> str:
    [row] = sparql_rows(store, f"SELECT ?src WHERE {{ GRAPH <{graph}> {{ ?a dcterms:source ?src }} }}", union=False)
    return str(row["src"])


# --- Atomicity ------------------------------------------------------------------------------------


class _FailingUpdates:
    """Wraps a pyoxigraph Store: the Nth update fails at run time, after its DROP and INSERT ran."""

    def __init__(self, store: Any, fail_on: int) -> None:
        self._store, self._fail_on, self.calls = store, fail_on, 0

    def update(self, sparql: str, **kwargs: Any) -> None:
        self.calls += 1
        if self.calls == self._fail_on:
            # CREATE GRAPH of a graph that exists fails only when executed, i.e. after the
            # DROP + INSERT of this same request: the whole request must be rolled back.
            graph = sparql.split("DROP SILENT GRAPH ", 1)[1].split(" ", 1)[0]
            sparql = f"{sparql} ;\nCREATE GRAPH {graph}"
        self._store.update(sparql, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def __len__(self) -> int:
        return len(self._store)


def test_failed_write_of_an_article_leaves_its_previous_graph(tmp_path: Path) -> None:
    third = dict(NEWS_B, url="https://news.example.org/c", text="Nvidia opened an AI lab in Warsaw, Poland, on Friday.")
    wire = tmp_path / "wire.jsonl"
    _write_jsonl(wire, [NEWS_A, NEWS_B, third])
    store = GraphStore(tmp_path / "store")
    build([str(wire)], tmp_path, store=store)
    before_sizes, before_texts = graph_sizes(store), texts(store)

    v2 = [dict(r, text=r["text"] + " Updated on Saturday.") for r in (NEWS_A, NEWS_B, third)]
    _write_jsonl(wire, v2)
    failing = _FailingUpdates(store.raw, fail_on=2)  # the second article's write fails
    store._store = failing  # type: ignore[assignment]
    report = build([str(wire)], tmp_path, store=store)
    store._store = failing._store

    [error] = report.errors  # reported on one line, naming the article; the build went on
    assert error.code == "E199" and error.source.endswith("wire.jsonl:2") and "already exists" in str(error)
    after = texts(store)
    assert after[NEWS_A["url"]] == v2[0]["text"]  # written before the failure
    assert after[NEWS_B["url"]] == NEWS_B["text"]  # the failed write left the previous version, whole
    assert after[third["url"]] == v2[2]["text"]  # the build carried on after the failure
    after_sizes = graph_sizes(store)
    assert set(after_sizes) == set(before_sizes)  # no graph lost or added
    [graph] = _graphs_of(store, NEWS_B["url"])
    assert after_sizes[graph] == before_sizes[graph]
    assert before_texts[NEWS_B["url"]] == after[NEWS_B["url"]]


def _graphs_of(store: GraphStore, url: str) -> list[str]:
    rows = sparql_rows(store, f'SELECT ?g WHERE {{ GRAPH ?g {{ ?a dcterms:source "{url}" }} }}', union=False)
    return [str(r["g"]) for r in rows]
