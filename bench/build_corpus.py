"""Benchmark: build a folder of articles and report counts per language and throughput.

    python bench/build_corpus.py ../shared/data/dev/docs
    python bench/build_corpus.py examples/articles

Prints articles, words, mentions per type and facts per language, the wall
time of the build and words per second. Run on an otherwise idle machine.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from kg.build.driver import process_article
from kg.ingest import iter_articles
from kg.model import Article
from kg.store import GraphStore


def main(folder: str) -> None:
    articles = [a for a in iter_articles([folder]) if isinstance(a, Article)]
    for lang in {a.lang for a in articles}:  # load pipelines outside the timed part
        process_article(Article(text="Warm up.", source="-", lang=lang))
    per_lang: dict[str, Counter[str]] = defaultdict(Counter)
    with tempfile.TemporaryDirectory() as tmp:
        store = GraphStore(Path(tmp) / "store")
        started = time.perf_counter()
        for article in articles:
            extraction, quads = process_article(article)
            from pyoxigraph import NamedNode

            from kg.iri import graph_iri

            store.replace_graph(NamedNode(graph_iri(article.key)), quads)
            counts = per_lang[article.lang]
            counts["articles"] += 1
            counts["words"] += len(article.text.split())
            for mention in extraction.mentions:
                if mention.origin != "inferred":  # role fillers derived by facts are not mentions
                    counts[mention.kind.name.lower()] += 1
            counts["amounts"] += len(extraction.amounts)
            counts["investments"] += len(extraction.investments)
            counts["partnerships"] += len(extraction.partnerships)
            counts["quads"] += len(quads)
        seconds = time.perf_counter() - started
    columns = [
        "articles",
        "words",
        "organization",
        "country",
        "person",
        "amounts",
        "investments",
        "partnerships",
        "quads",
    ]
    print("| lang | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    total: Counter[str] = Counter()
    for lang in sorted(per_lang):
        total.update(per_lang[lang])
        print(f"| {lang} | " + " | ".join(str(per_lang[lang][c]) for c in columns) + " |")
    print("| all | " + " | ".join(str(total[c]) for c in columns) + " |")
    print(
        f"\n{total['articles']} articles, {total['words']:,} words in {seconds:.2f} s: "
        f"{total['articles'] / seconds:.1f} articles/s, {total['words'] / seconds:,.0f} words/s (1 process)"
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "examples/articles")
