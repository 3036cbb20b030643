"""kg render without a browser: projection, filters, tooltips, escaping, offline page, UTF-8, CLI."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from conftest import REPO, Built, run_cli, sparql_rows
from render_samples import HOSTILE, hostile_graph

from kg.errors import RenderError
from kg.render import RenderFilter, filter_graph, project_store, render_html, write_page
from kg.render.analysis import edge_sources
from kg.render.filters import parse_day, parse_kinds
from kg.render.model import INVESTS_IN, LOCATED_IN, MENTIONED_WITH, PARTNER_OF, ArticleInfo, Evidence, Money
from kg.render.project import add_evidence
from kg.render.tooltip import edge_tooltip, format_amount, format_money, node_tooltip, safe_link
from kg.store import GraphStore


@pytest.fixture(scope="module")
def graph(built_examples: Built) -> nx.MultiDiGraph:
    store = GraphStore(built_examples.store_path, read_only=True)
    with_cwd = project_store(store, base_dir=REPO)
    del store
    return with_cwd


def _by_label(graph: nx.MultiDiGraph, label: str) -> str:
    return next(n for n, d in graph.nodes(data=True) if d["label"] == label)


def _edge(graph: nx.MultiDiGraph, a: str, relation: str, b: str) -> dict:  # type: ignore[type-arg]
    data: dict = graph.edges[_by_label(graph, a), _by_label(graph, b), relation]  # type: ignore[type-arg]
    return data


# -- projection ----------------------------------------------------------------------------------


def test_projection_has_every_entity_of_the_store(built_examples: Built, graph: nx.MultiDiGraph) -> None:
    store = GraphStore(built_examples.store_path, read_only=True)
    rows = sparql_rows(
        store,
        "SELECT ?e ?t WHERE { VALUES ?t { schema:Organization schema:Country schema:Person schema:Project } ?e a ?t }",
    )
    del store
    expected = {str(r["e"]): str(r["t"]).rsplit("/", 1)[-1].lower() for r in rows}
    assert {n: d["kind"] for n, d in graph.nodes(data=True)} == expected
    assert all(d["articles"] for _, d in graph.nodes(data=True)), "every entity appears in some article"


def test_projection_relations_carry_their_evidence(graph: nx.MultiDiGraph) -> None:
    softbank_nl = _edge(graph, "SoftBank Group", INVESTS_IN, "Netherlands")
    assert edge_sources(softbank_nl) == 3
    amounts = {format_money(e.amount) for e in softbank_nl["evidence"] if e.amount}
    assert "EUR 3 bn" in amounts
    assert all(e.sentence for e in softbank_nl["evidence"])
    nvidia_us = _edge(graph, "Nvidia", INVESTS_IN, "United States")
    assert {format_money(e.amount) for e in nvidia_us["evidence"]} == {"up to USD 400 bn"}
    polder = _by_label(graph, "Polder Compute"), _by_label(graph, "SoftBank Group")
    assert graph.has_edge(min(polder), max(polder), PARTNER_OF), "symmetric relations are stored once, ordered"
    assert any(key == LOCATED_IN for _, _, key in graph.edges(keys=True))
    assert sum(1 for _, _, key in graph.edges(keys=True) if key == MENTIONED_WITH) > 50


def test_projection_entity_details(graph: nx.MultiDiGraph) -> None:
    openai = graph.nodes[_by_label(graph, "OpenAI")]
    assert openai["wikidata"] == "Q21708200"
    softbank = graph.nodes[_by_label(graph, "SoftBank Group")]
    assert {"SoftBank", "SoftBank Group Corp."} <= softbank["aliases"]
    assert graph.nodes[_by_label(graph, "Netherlands")]["iso"] == "NL"
    articles: dict[str, ArticleInfo] = graph.graph["articles"]
    assert len(articles) == 14
    links = {a.source: a.link for a in articles.values()}
    assert links["examples/articles/en_nvidia_poland.txt"] == (REPO / "examples/articles/en_nvidia_poland.txt").as_uri()
    assert all(link == source for source, link in links.items() if source.startswith("https://"))


# -- tooltips and escaping -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (Money("500000000000", "USD"), "USD 500 bn"),
        (Money("1500000000.0", "USD"), "USD 1.5 bn"),
        (Money("180000000", "EUR"), "EUR 180 m"),
        (Money("25000000000000", "IDR"), "IDR 25 tn"),
        (Money("5000000000", "EUR", "4000000000"), "EUR 4–5 bn"),
        (Money("1200000000", "EUR", "800000000"), "EUR 800 m – 1.2 bn"),
        (Money("400000000000", "USD", qualifier="up_to"), "up to USD 400 bn"),
        (Money("10000000000", "USD", qualifier="more_than"), "more than USD 10 bn"),
        (Money("181.4", "USD"), "USD 181.4"),
        (Money("2500", "EUR"), "EUR 2.5 k"),
    ],
)
def test_amounts_for_humans(money: Money, text: str) -> None:
    assert format_money(money) == text


def test_format_amount_rounds_to_two_decimals() -> None:
    assert format_amount(Decimal("1234567890")) == "1.23 bn"


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://news.example.org/a?b=1&c=2", True),
        ("http://news.example.org/a", True),
        ("file:///tmp/article.txt", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox", False),
        ("https://exa mple.org", False),
        ("//evil.example/x", False),
        ("", False),
        (None, False),
    ],
)
def test_only_http_and_file_links_are_made(url: str | None, kept: bool) -> None:
    assert (safe_link(url) is not None and safe_link(url) == url) is kept


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(fragment: str) -> _Tags:
    parser = _Tags()
    parser.feed(fragment)
    parser.close()
    return parser


ALLOWED_TAGS = {"div", "b", "span", "ul", "ol", "li", "a", "br"}


def test_tooltips_escape_all_article_text() -> None:
    graph = hostile_graph()
    articles = list(graph.graph["articles"].values())
    node = node_tooltip(HOSTILE[0], "organization", aliases=HOSTILE, wikidata='Q1" x="', articles=articles)
    edge = edge_tooltip(HOSTILE[0], INVESTS_IN, HOSTILE[3], graph.edges["urn:e1", "urn:e2", INVESTS_IN]["evidence"],
                        graph.graph["articles"])  # fmt: skip
    for fragment in (node, edge):
        parsed = _parse(fragment)
        assert {tag for tag, _ in parsed.tags} <= ALLOWED_TAGS
        for tag, attrs in parsed.tags:
            assert set(attrs) <= {"class", "href", "target", "rel"}, (tag, attrs)
            if "href" in attrs:
                assert re.match(r"(https?|file)://", attrs["href"] or ""), attrs
        text = "".join(parsed.text)
        assert HOSTILE[0] in text, "hostile text is shown as text, character for character"
    assert "<img" not in node and "onerror=" not in node.replace("onerror=&quot;", "")
    links = [a["href"] for t, a in _parse(node).tags if t == "a"]
    assert links == ["https://news.example.org/x"], "no javascript: link and no link for an odd Wikidata id"


# -- filters -------------------------------------------------------------------------------------


def _articles_in(graph: nx.MultiDiGraph) -> set[str]:
    nodes = set().union(*(d["articles"] for _, d in graph.nodes(data=True)))
    edges = {e.article for _, _, d in graph.edges(data=True) for e in d["evidence"]}
    return nodes | edges


def test_filter_by_language_keeps_only_that_evidence(graph: nx.MultiDiGraph) -> None:
    articles: dict[str, ArticleInfo] = graph.graph["articles"]
    dutch = {iri for iri, a in articles.items() if a.lang == "nl"}
    shown = filter_graph(graph, RenderFilter(langs=frozenset({"nl"})))
    assert shown.number_of_nodes() > 5
    assert _articles_in(shown) <= dutch
    assert "Wisła Compute" not in {d["label"] for _, d in shown.nodes(data=True)}, "only in an English article"


def test_filter_by_date_range(graph: nx.MultiDiGraph) -> None:
    shown = filter_graph(graph, RenderFilter(since=parse_day("2025-10-10"), until=parse_day("2025-10", end=True)))
    dates = {graph.graph["articles"][a].date for a in _articles_in(shown)}
    assert dates == {"2025-10-14", "2025-10-15"}, "undated articles are left out of a date range"


def test_filter_by_country_keeps_articles_mentioning_it(graph: nx.MultiDiGraph) -> None:
    poland = _by_label(graph, "Poland")
    shown = filter_graph(graph, RenderFilter(countries=("pl",)))
    assert _articles_in(shown) == graph.nodes[poland]["articles"]
    assert "Wisła Compute" in {d["label"] for _, d in shown.nodes(data=True)}


def test_filter_by_type_and_min_sources(graph: nx.MultiDiGraph) -> None:
    shown = filter_graph(graph, RenderFilter(kinds=parse_kinds(["org", "countries"]), min_sources=2))
    assert {d["kind"] for _, d in shown.nodes(data=True)} <= {"organization", "country"}
    assert shown.number_of_edges() > 0
    assert all(edge_sources(d) >= 2 for _, _, d in shown.edges(data=True))
    assert all(len(d["articles"]) >= 2 for _, d in shown.nodes(data=True))


def test_co_mentions_off_and_redundant_co_mentions_dropped(graph: nx.MultiDiGraph) -> None:
    shown = filter_graph(graph, RenderFilter())
    facts = {frozenset((a, b)) for a, b, k in shown.edges(keys=True) if k != MENTIONED_WITH}
    assert not any(frozenset((a, b)) in facts for a, b, k in shown.edges(keys=True) if k == MENTIONED_WITH)
    quiet = filter_graph(graph, RenderFilter(co_mentions=False))
    assert quiet.number_of_edges() > 0
    assert all(k != MENTIONED_WITH for _, _, k in quiet.edges(keys=True))


def test_focus_keeps_the_neighbourhood(graph: nx.MultiDiGraph) -> None:
    openai = _by_label(graph, "OpenAI")
    distances = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), openai, cutoff=2)
    for depth in (1, 2):
        shown = filter_graph(graph, RenderFilter(focus=("openai",), depth=depth, max_nodes=0))
        assert set(shown) == {n for n, d in distances.items() if d <= depth}
    with pytest.raises(RenderError, match=r"E401 --focus 'Opnai'.*did you mean OpenAI"):
        filter_graph(graph, RenderFilter(focus=("Opnai",)))


def test_cap_keeps_the_most_important(graph: nx.MultiDiGraph) -> None:
    full = filter_graph(graph, RenderFilter(max_nodes=0))
    ranking = sorted(full, key=lambda n: -full.nodes[n]["importance"])
    capped = filter_graph(graph, RenderFilter(max_nodes=10))
    assert set(capped) == set(ranking[:10])
    assert capped.graph["total_nodes"] == graph.number_of_nodes()
    focused = filter_graph(graph, RenderFilter(focus=("Lena Weiß",), max_nodes=3))
    assert _by_label(graph, "Lena Weiß") in focused and focused.number_of_nodes() <= 3


def test_importance_is_pagerank_over_sources(graph: nx.MultiDiGraph) -> None:
    shown = filter_graph(graph, RenderFilter(max_nodes=0))
    top = min(shown, key=lambda n: shown.nodes[n]["rank"])
    assert shown.nodes[top]["importance"] == max(d["importance"] for _, d in shown.nodes(data=True))
    assert abs(sum(d["importance"] for _, d in shown.nodes(data=True)) - 1.0) < 1e-6


@pytest.mark.parametrize(
    ("flt", "code"),
    [
        (RenderFilter(langs=frozenset({"xx"})), "E402"),
        (RenderFilter(countries=("Atlantis",)), "E401"),
        (RenderFilter(since=parse_day("2025-12-01"), until=parse_day("2025-01-01")), "E403"),
    ],
)
def test_bad_filters_name_the_problem(graph: nx.MultiDiGraph, flt: RenderFilter, code: str) -> None:
    with pytest.raises(RenderError) as caught:
        filter_graph(graph, flt)
    assert caught.value.code == code


def test_dates_and_types_are_parsed_or_refused() -> None:
    assert str(parse_day("2025")) == "2025-01-01"
    assert str(parse_day("2024-02", end=True)) == "2024-02-29"
    assert str(parse_day("2025", end=True)) == "2025-12-31"
    for bad in ("2025-13", "yesterday", "2025-02-30"):
        with pytest.raises(RenderError, match="E403"):
            parse_day(bad)
    assert parse_kinds(["people,projects", "Organization"]) == {"person", "project", "organization"}
    with pytest.raises(RenderError, match="E402"):
        parse_kinds(["p"])  # person or project: ambiguous


# -- the page ------------------------------------------------------------------------------------


def _scripts(page: str) -> list[tuple[str, str]]:
    """(type attribute, content) of every script element."""
    return re.findall(r"<script(?: type=\"([^\"]+)\")?[^>]*>(.*?)</script>", page, flags=re.S)


def _data(page: str) -> dict:  # type: ignore[type-arg]
    content = next(body for kind, body in _scripts(page) if kind == "application/json")
    data: dict = json.loads(content)  # type: ignore[type-arg]
    return data


def test_page_is_self_contained_and_offline(graph: nx.MultiDiGraph) -> None:
    page = render_html(filter_graph(graph, RenderFilter()))
    parsed = _parse(page)
    for tag, attrs in parsed.tags:
        assert "src" not in attrs, f"<{tag}> loads {attrs['src']}"
        if tag in {"link", "base", "iframe", "object", "embed", "img"}:
            pytest.fail(f"<{tag}> in the page: {attrs}")
    assert not re.search(r"@import|url\(\s*['\"]?(https?:|//)", page), "a stylesheet reaches out"
    for host in ("jsdelivr", "cdnjs", "unpkg", "bootstrap", "googleapis"):
        assert host not in page.lower(), f"{host} is referenced"
    data = _data(page)
    assert len(data["nodes"]) == graph.number_of_nodes()
    assert data["options"]["physics"]["enabled"] is True


def test_page_csp_allows_exactly_its_own_scripts(graph: nx.MultiDiGraph) -> None:
    page = render_html(filter_graph(graph, RenderFilter(max_nodes=20)))
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert csp is not None
    policy = csp.group(1)
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    executable = [body for kind, body in _scripts(page) if kind != "application/json"]
    hashes = {"sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in executable}
    assert hashes == set(re.findall(r"'(sha256-[^']+)'", policy))
    assert len(executable) == 2


def test_hostile_labels_cannot_break_out_of_the_data(tmp_path: Path) -> None:
    page = render_html(hostile_graph(), title=HOSTILE[1])
    assert "<script>window.__kgPwned" not in page
    assert "<img src=x" not in page and "<svg onload" not in page
    data = _data(page)
    assert {n["label"] for n in data["nodes"]} == {HOSTILE[0], HOSTILE[3]}, "labels travel intact, as text"
    assert len(_scripts(page)) == 3, "no script element was smuggled in"
    title = re.search(r"<title>(.*?)</title>", page, flags=re.S)
    assert title is not None and "<script>" not in title.group(1)


def test_big_graphs_get_positions_and_no_physics() -> None:
    graph = nx.MultiDiGraph(articles={"urn:a": ArticleInfo("urn:a", "a.txt")})
    for i in range(600):
        graph.add_node(f"urn:n{i}", kind="organization", label=f"Org {i}", aliases=set(), wikidata=None, iso=None,
                       articles={"urn:a"}, mentions=1)  # fmt: skip
    for i in range(1, 600):
        add_evidence(graph, f"urn:n{i}", f"urn:n{(i * 7) % i}", PARTNER_OF, Evidence("urn:a", "s"))
    data = _data(render_html(filter_graph(graph, RenderFilter())))
    assert data["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == 600, "no two nodes on the same spot"


def test_page_is_written_as_utf8_whatever_the_locale(built_examples: Built, tmp_path: Path) -> None:
    target = tmp_path / "graph.html"
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    script = (
        "import locale, sys; from kg.cli import main; "
        "print(locale.getpreferredencoding(False), file=sys.stderr); "
        f"sys.argv = ['kg', 'render', '--out', {str(built_examples.out)!r}, '-o', {str(target)!r}]; main()"
    )
    result = subprocess.run([sys.executable, "-c", script], env=env, cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.split()[0] in {"ANSI_X3.4-1968", "ascii", "US-ASCII"}, "the child runs in an ASCII locale"
    assert "Wisła Compute" in target.read_text(encoding="utf-8")


def test_write_page_failure_is_one_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(RenderError, match=r"E405 cannot write .*graph.html"):
        write_page("<html></html>", blocker / "graph.html")


# -- command line --------------------------------------------------------------------------------


def test_build_writes_graph_html(built_examples: Built, graph: nx.MultiDiGraph) -> None:
    page = built_examples.out / "graph.html"
    assert page.is_file()
    assert f"wrote:             {page}" in built_examples.result.stdout
    assert len(_data(page.read_text(encoding="utf-8"))["nodes"]) == graph.number_of_nodes()


def test_build_no_render(tmp_path: Path) -> None:
    result = run_cli("build", "tests/fixtures/mini/nl_openai.txt", "--out", str(tmp_path), "--no-render")
    assert result.exit_code == 0, result.stderr
    assert not (tmp_path / "graph.html").exists() and "graph.html" not in result.stdout


def test_render_command(built_examples: Built, graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    target = tmp_path / "focus.html"
    out = str(built_examples.out)
    result = run_cli("render", "--out", out, "-o", str(target), "--focus", "OpenAI", "--depth", "1", "--type", "org")
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(
        rf"kg render: \d+ entities, \d+ relations -> {re.escape(str(target))} \(\d+ KB\)\n", result.stdout
    )
    kinds = {n["kind"] for n in _data(target.read_text(encoding="utf-8"))["nodes"]}
    assert kinds == {"organization"}
    capped = run_cli("render", "--out", out, "-o", str(tmp_path / "c.html"), "--max-nodes", "5")
    assert f"the 5 most important of {graph.number_of_nodes()}" in capped.stdout


@pytest.mark.parametrize(
    ("args", "code", "exit_code"),
    [
        (["--focus", "Nobody Inc"], "E401", 2),
        (["--lang", "xx"], "E402", 2),
        (["--type", "planet"], "E402", 2),
        (["--since", "2025-14"], "E403", 2),
        (["--lang", "nl", "--since", "2030"], "E404", 1),
    ],
)
def test_render_command_errors(
    built_examples: Built, tmp_path: Path, args: list[str], code: str, exit_code: int
) -> None:
    result = run_cli("render", "--out", str(built_examples.out), "-o", str(tmp_path / "g.html"), *args)
    assert result.exit_code == exit_code
    assert code in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_render_without_store(tmp_path: Path) -> None:
    result = run_cli("render", "--out", str(tmp_path / "nothing"))
    assert result.exit_code == 2 and "no store in" in result.stderr
