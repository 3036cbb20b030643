"""How long kg render takes, and how big the page gets, for 500, 5,000 and 50,000 entities.

The graphs are synthetic (no store needed): a preferential-attachment network, so a
few entities have many connections as in news, with the four entity types, the four
relations, one to three source sentences per relation and realistic tooltip text.
They go through the same store-free entry points as ``kg render`` after its SPARQL
projection: ``filter_graph`` (ranking and ``--max-nodes`` cap) and ``render_html``
(layout, tooltips, pyvis, page).

    python bench/render_scale.py                      # 500, 5,000, 50,000; default cap and no cap
    python bench/render_scale.py --sizes 500 5000 --browser   # also time drawing in headless Chromium

``--browser`` needs Debian's chromium; it opens each capped page and waits until vis.js has drawn it.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from kg.render import DEFAULT_MAX_NODES, RenderFilter, filter_graph, render_html, write_page
from kg.render.model import INVESTS_IN, LOCATED_IN, MENTIONED_WITH, PARTNER_OF, ArticleInfo, Evidence, Money
from kg.render.project import add_evidence

KIND_SHARES = (("organization", 0.55), ("person", 0.30), ("project", 0.05), ("country", 0.10))
RELATION_SHARES = ((MENTIONED_WITH, 0.55), (PARTNER_OF, 0.2), (INVESTS_IN, 0.2), (LOCATED_IN, 0.05))
SENTENCE = (
    "{a} said on Tuesday it would work with {b} on a new data centre, according to people familiar with the "
    "plans, in a deal that officials described as a step towards sovereign AI capacity in the region."
)


def synthetic_graph(size: int, seed: int = 7) -> nx.MultiDiGraph:
    """``size`` entities linked like news entities are (a few hubs, a long tail), with evidence."""
    rng = random.Random(seed)
    skeleton = nx.barabasi_albert_graph(size, 2, seed=seed)
    articles = {
        f"urn:article:{i}": ArticleInfo(
            f"urn:article:{i}",
            f"https://news.example.org/{i}",
            f"Article number {i} about investments in artificial intelligence infrastructure",
            f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
            rng.choice(("nl", "fr", "id", "en", "de", "es")),
            f"https://news.example.org/{i}",
        )
        for i in range(max(size // 5, 10))
    }
    article_ids = list(articles)
    graph = nx.MultiDiGraph(articles=articles)
    kinds = [k for k, _ in KIND_SHARES]
    weights = [w for _, w in KIND_SHARES]
    for node in skeleton.nodes:
        kind = rng.choices(kinds, weights)[0]
        graph.add_node(
            f"urn:entity:{node}", kind=kind, label=f"{kind.title()} {node}", aliases={f"{kind.title()} {node} Ltd"},
            wikidata=f"Q{100000 + node}" if node % 3 == 0 else None, iso=None,
            articles=set(rng.sample(article_ids, 2)), mentions=rng.randint(1, 30),
        )  # fmt: skip
    relations = [r for r, _ in RELATION_SHARES]
    rel_weights = [w for _, w in RELATION_SHARES]
    for a, b in skeleton.edges:
        relation = rng.choices(relations, rel_weights)[0]
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            money = Money(str(rng.randint(1, 900) * 10**6), "EUR") if relation == INVESTS_IN else None
            text = SENTENCE.format(a=graph.nodes[f"urn:entity:{a}"]["label"], b=graph.nodes[f"urn:entity:{b}"]["label"])
            evidence = Evidence(rng.choice(article_ids), text, rng.random() < 0.1, money)
            add_evidence(graph, f"urn:entity:{a}", f"urn:entity:{b}", relation, evidence)
    return graph


def measure(graph: nx.MultiDiGraph, max_nodes: int, out: Path) -> dict[str, float]:
    """Seconds to filter+rank and to render, and the page's size."""
    started = time.perf_counter()
    shown = filter_graph(graph, RenderFilter(max_nodes=max_nodes))
    filtered = time.perf_counter()
    page = render_html(shown)
    rendered = time.perf_counter()
    write_page(page, out)
    return {
        "nodes": shown.number_of_nodes(),
        "edges": shown.number_of_edges(),
        "filter_s": filtered - started,
        "render_s": rendered - filtered,
        "mb": len(page.encode("utf-8")) / 1e6,
    }


def browser_seconds(page: Path) -> float | None:
    """Seconds from navigation until the page says vis.js has drawn (None without Chromium)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from chromium_cdp import Chromium, find_chromium

    executable = find_chromium()
    if executable is None:
        return None
    with Chromium(executable, timeout=600) as browser:
        started = time.perf_counter()
        browser.open(page.resolve().as_uri(), "window.kg && window.kg.ready")
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 50000])
    parser.add_argument("--browser", action="store_true", help="also time drawing the capped pages in Chromium")
    args = parser.parse_args()
    print("| entities | --max-nodes | drawn nodes | drawn edges | build graph s | filter+rank s | render s | page MB |"
          + (" browser draw s |" if args.browser else ""))  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if args.browser else ""))
    with tempfile.TemporaryDirectory() as scratch:
        for size in args.sizes:
            started = time.perf_counter()
            graph = synthetic_graph(size)
            built = time.perf_counter() - started
            for cap in (DEFAULT_MAX_NODES, 0):
                if cap and size <= cap:
                    continue
                page = Path(scratch) / f"graph-{size}-{cap}.html"
                row = measure(graph, cap, page)
                drawn = browser_seconds(page) if args.browser and (cap or size <= DEFAULT_MAX_NODES) else None
                cells = [f"{size:,}", f"{cap:,}" if cap else "0 (all)", f"{row['nodes']:,}", f"{row['edges']:,}"]
                cells += [f"{built:.2f}", f"{row['filter_s']:.2f}", f"{row['render_s']:.2f}", f"{row['mb']:.1f}"]
                if args.browser:
                    cells.append("-" if drawn is None else f"{drawn:.1f}")
                print("| " + " | ".join(cells) + " |", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (RSS) of this process: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
