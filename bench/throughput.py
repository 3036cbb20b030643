"""Benchmark: end-to-end throughput, stages, memory, speed-up and store loading on a generated corpus.

    python bench/throughput.py                       # 10,000 articles, the full run (about 30 min on 2 cores)
    python bench/throughput.py --articles 2000 --sizes 250,1000,2000 --workdir /tmp/kg-bench-small

Writes a corpus of ``--articles`` JSON lines (six languages) outside the
repository, generated from ``examples/articles`` and, when present,
``../shared/data/dev/docs``: paragraphs and sentences of articles of one
language are shuffled and recombined and every number is varied, so no two
articles share a text; each line has its own URL, so article keys differ.
The texts are never written into the repository.

Then, each in a fresh process whose whole process tree is sampled for peak
memory (RSS):

1. the bare statistical models on the same texts, one process: every model
   kg runs, fed exactly what kg feeds it (issue 16, item 7):
   * the NER pipelines (``nlp.pipe``): for every language the statistical
     pipeline kg's ``pipelines.toml`` names (``fr_core_news_sm`` with its
     UD parser), or kg's own ``kg/models/<lang>_kg_ner`` where kg runs rules only;
   * kg's UD parsers (``kg/models/<lang>_kg_parser``) over the sentences the
     fact extractor parses, in the batches it parses them;
   * the fact model's scorers over the feature rows kg scores;
   * lingua's language detection on every article (kg's ``detect_language``:
     the corpus declares no language, so kg detects each one).
   What the parsers and the fact model are given is recorded beforehand by
   running kg over the corpus in another, untimed process (``_record``);
2. ``kg build`` of the corpus with 1 and with 2 workers: articles/s, words/s,
   per-stage seconds, store writes, claims;
3. ``kg build`` with 2 workers of the first 1/16, 1/4 and all of the corpus
   (``--sizes``): peak memory as the input grows;
4. Oxigraph's bulk loader on the article graphs of the 10,000-article store,
   dumped as 8 N-Quads shards, loaded with 1 and 2 threads: triples per second
   (what ``--cluster`` does with its shards).

Prints a Markdown table and writes every number to WORKDIR/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parent.parent
SOURCES = [REPO / "examples" / "articles", REPO.parent / "shared" / "data" / "dev" / "docs"]
LANGS = ("nl", "fr", "id", "en", "de", "es")
_NUMBER = re.compile(r"\d+")


# --- corpus -----------------------------------------------------------------------------------------


def load_seed_articles() -> dict[str, list[list[str]]]:
    """Paragraphs of every seed article, by language."""
    from kg.ingest import iter_articles
    from kg.model import Article

    by_lang: dict[str, list[list[str]]] = defaultdict(list)
    for article in iter_articles([str(p) for p in SOURCES if p.exists()]):
        if isinstance(article, Article) and article.lang in LANGS:
            paragraphs = [p.strip() for p in article.text.split("\n\n") if p.strip()]
            by_lang[article.lang].append(paragraphs)
    return by_lang


def _vary_numbers(text: str, rng: random.Random) -> str:
    def swap(match: re.Match[str]) -> str:
        digits = match.group(0)
        if len(digits) == 4 and digits.startswith(("19", "20")):  # keep years plausible
            return str(rng.randint(2015, 2030))
        return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in digits[1:])

    return _NUMBER.sub(swap, text)


def make_article(seeds: list[list[str]], rng: random.Random) -> str:
    """A new article: the headline of one seed, then paragraphs of two or three seeds, shuffled and varied."""
    chosen = rng.sample(seeds, k=min(len(seeds), rng.choice((2, 3))))
    headline = chosen[0][0]
    body = [p for seed in chosen for p in seed[1:]]
    rng.shuffle(body)
    body = body[: rng.randint(3, max(3, min(len(body), 9)))]
    return _vary_numbers("\n\n".join([headline, *body]), rng)


def write_corpus(path: Path, count: int, seed: int = 7) -> dict[str, int]:
    """Write ``count`` JSON lines, languages in turn; returns articles per language."""
    rng = random.Random(seed)
    seeds = load_seed_articles()
    langs = [lang for lang in LANGS if seeds.get(lang)]
    per_lang: dict[str, int] = defaultdict(int)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            lang = langs[i % len(langs)]
            text = make_article(seeds[lang], rng)
            record = {"url": f"https://bench.example.org/{lang}/{i}", "text": text, "bench_lang": lang}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            per_lang[lang] += 1
    return dict(per_lang)


def head(source: Path, target: Path, count: int) -> Path:
    with source.open("rb") as src, target.open("wb") as dst:
        for _, line in zip(range(count), src, strict=False):
            dst.write(line)
    return target


# --- child processes ---------------------------------------------------------------------------------


def run_measured(args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``python bench/throughput.py ARGS`` and sample its process tree's RSS; its JSON answer plus peak_mb."""
    child_env = {**os.environ, **(env or {})}
    command = [sys.executable, __file__, *args]
    cwd = child_env.get("KG_BENCH_REPO", str(REPO))  # an older checkout runs in its own folder
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=cwd, env=child_env)
    peak = 0
    cpu: dict[int, float] = {}  # CPU seconds of each process of the tree, as last sampled
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        root = psutil.Process(process.pid)
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                peak = max(peak, sum(_rss(p) for p in tree))
                for member in tree:
                    cpu[member.pid] = max(cpu.get(member.pid, 0.0), _cpu(member))
            except psutil.Error:
                pass
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"bench child {args} failed with exit code {process.returncode}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = round(peak / 1e6)
    result["cpu_s"] = round(sum(cpu.values()), 1)  # the whole tree's, sampled (a process's last 0.2 s are missed)
    return result


def _cpu(process: psutil.Process) -> float:
    try:
        times = process.cpu_times()
        return float(times.user + times.system)
    except psutil.Error:
        return 0.0


def _rss(process: psutil.Process) -> int:
    try:
        return int(process.memory_info().rss)
    except psutil.Error:
        return 0


def child_build(corpus: str, out: str, workers: str) -> None:
    """In a child: ``kg build`` (the library call the CLI makes) and its report as JSON."""
    from kg.build.driver import build
    from kg.store import GraphStore

    store = GraphStore(Path(out) / "store")
    report = build([corpus], Path(out), store=store, workers=int(workers))
    articles = sum(report.articles.values())
    print(
        json.dumps(
            {
                "articles": articles,
                "words": report.words,
                "seconds": report.seconds,
                "errors": len(report.errors),
                "triples": report.triples,
                "quads_written": report.quads_written,
                "claims": report.claims,
                "stages": report.stage_seconds,
            }
        )
    )


def bare_model(lang: str) -> tuple[str, list[str]]:
    """The statistical pipeline kg runs for ``lang`` (or its own trained model where kg runs rules only)."""
    from kg.models import resolve_base, shipped_model
    from kg.nlp.pipeline import pipeline_spec

    spec = pipeline_spec(lang)
    if spec.base != "blank":
        return resolve_base(spec.base), list(spec.exclude)
    model = shipped_model(lang)
    return (str(model), []) if model else ("blank", [])


def child_record(corpus: str, target: str) -> None:
    """In a child, untimed: run kg over the corpus and record what its parsers and its fact model are given."""
    import pickle

    import kg.nlp.parsers as parsers
    from kg.build.work import WorkOptions, process_batch
    from kg.extract.fact_model.model import LinearScorer
    from kg.ingest.sources import iter_raw

    parses: list[tuple[str, list[Any], int]] = []
    scored: list[tuple[int, dict[str, float]]] = []
    scorers: dict[int, LinearScorer] = {}
    parse_many, probability = parsers.parse_many, LinearScorer.probability

    def recorded_parse(lang: str, sentences: list[Any], batch_size: int = 64) -> Any:
        parses.append((lang, sentences, batch_size))
        return parse_many(lang, sentences, batch_size)

    def recorded_probability(self: LinearScorer, features: dict[str, float]) -> float:
        scorers.setdefault(id(self), self)
        scored.append((id(self), dict(features)))
        return probability(self, features)

    parsers.parse_many = recorded_parse  # type: ignore[assignment]
    LinearScorer.probability = recorded_probability  # type: ignore[method-assign]
    batch: list[Any] = []
    for item in iter_raw([corpus]):
        batch.append(item)
        if len(batch) == 16:
            process_batch(batch, WorkOptions())
            batch = []
    if batch:
        process_batch(batch, WorkOptions())
    names = {id(s): n for n, s in enumerate(scorers.values())}
    with open(target, "wb") as handle:
        pickle.dump(
            {
                "parses": parses,
                "scorers": list(scorers.values()),
                "scored": [(names[i], f) for i, f in scored],
            },
            handle,
        )
    print(
        json.dumps({"parse_calls": len(parses), "sentences": sum(len(s) for _, s, _ in parses), "scored": len(scored)})
    )


def child_bare(corpus: str, recorded: str) -> None:
    """In a child: every statistical model kg runs, over what kg gives it, timed apart from everything else.

    The NER pipelines over the corpus texts grouped by language (``nlp.pipe``), kg's UD parsers over the
    sentences kg parses (``kg.nlp.parsers.parse_many``, the call kg makes), the fact model's linear scorers
    over the feature rows kg scores (both recorded by ``child_record``).
    """
    import pickle

    import spacy

    from kg.ingest.langid import detect_language
    from kg.nlp.parsers import load_parser, parse_many

    texts: dict[str, list[str]] = defaultdict(list)
    with open(corpus, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            texts[record["bench_lang"]].append(record["text"])
    with open(recorded, "rb") as handle:
        work = pickle.load(handle)
    models, pipelines = {}, {}
    for lang in texts:
        name, exclude = bare_model(lang)
        models[lang] = Path(name).name
        pipelines[lang] = spacy.load(name, exclude=exclude) if name != "blank" else spacy.blank(lang)
    for lang in {lang for lang, _, _ in work["parses"]}:
        load_parser(lang)
    detect_language("Loading the language models before the clock starts.")
    started = time.perf_counter()
    for group in texts.values():
        for text in group:
            detect_language(text.strip())
    detected = time.perf_counter()
    for lang, group in texts.items():
        for _ in pipelines[lang].pipe(group, batch_size=64):
            pass
    ner = time.perf_counter()
    for lang, sentences, batch_size in work["parses"]:
        parse_many(lang, sentences, batch_size)
    parsed = time.perf_counter()
    scorers = work["scorers"]
    for n, features in work["scored"]:
        scorers[n].probability(features)
    seconds = time.perf_counter() - started
    count = sum(len(g) for g in texts.values())
    words = sum(len(t.split()) for g in texts.values() for t in g)
    stages = {
        "langid": detected - started,
        "ner": ner - detected,
        "parser": parsed - ner,
        "fact_model": started + seconds - parsed,
    }
    sentences = sum(len(s) for _, s, _ in work["parses"])
    print(
        json.dumps(
            {
                "articles": count,
                "words": words,
                "seconds": seconds,
                "models": models,
                "stages": stages,
                "parsed_sentences": sentences,
                "scored_rows": len(work["scored"]),
            }
        )
    )


def child_bulk(store_dir: str, workdir: str) -> None:
    """In a child: dump the article graphs as 8 N-Quads shards, bulk-load them with 1 and 2 threads."""
    from pyoxigraph import RdfFormat, Store

    from kg.build.cluster import bulk_load_files
    from kg.store import GraphStore
    from kg.store.claims import CLAIMS_GRAPH
    from kg.store.entities import entities_graph

    source = Store.read_only(store_dir)
    shards = [Path(workdir) / f"shard-{i}.nq" for i in range(8)]
    handles = [p.open("wb") for p in shards]
    graphs = [g for g in source.named_graphs() if g not in (CLAIMS_GRAPH, entities_graph())]  # articles only
    for index, graph in enumerate(graphs):
        source.dump(handles[index % len(handles)], RdfFormat.N_QUADS, from_graph=graph)
    for handle in handles:
        handle.close()
    del source
    result: dict[str, Any] = {"mb": round(sum(p.stat().st_size for p in shards) / 1e6)}
    for threads in (1, 2):
        target = GraphStore(Path(workdir) / f"bulk-store-{threads}")
        started = time.perf_counter()
        bulk_load_files(target, shards, threads=threads)
        target.flush()
        result[f"seconds_{threads}"] = time.perf_counter() - started
        result["quads"] = target.count()
        del target
    result["seconds"] = result["seconds_2"]
    print(json.dumps(result))


# --- the run -----------------------------------------------------------------------------------------


STEPS = ("bare", "w2", "bulk", "memory", "w1")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--sizes", default="", help="article counts for the memory runs (default N/16,N/4,N)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench")
    parser.add_argument("--resume", action="store_true", help="keep the corpus and the runs in WORKDIR/results.json")
    parser.add_argument("--steps", default=",".join(STEPS), help=f"which runs, of {','.join(STEPS)} (default all)")
    parser.add_argument(
        "--before",
        type=Path,
        help="a checkout of older kg code (git worktree add DIR COMMIT): its bare, w1 and w2 runs too, same corpus, "
        "same run, for a before/after table",
    )
    parser.add_argument(
        "--fact-cost",
        action="store_true",
        help="only the stage table of one process with the fact model and with the rules alone, same corpus, same run",
    )
    args = parser.parse_args(argv)
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus.jsonl"
    save = work / "results.json"
    done: dict[str, Any] = json.loads(save.read_text(encoding="utf-8")) if args.resume and save.exists() else {}
    per_lang = done.get("per_lang") or write_corpus(corpus, args.articles)
    steps = set(args.steps.split(","))
    results: dict[str, Any] = {
        "articles": args.articles,
        "per_lang": per_lang,
        "corpus_mb": round(corpus.stat().st_size / 1e6, 1),
        "cores": os.cpu_count(),
        "load_before": os.getloadavg(),
    }
    print(f"corpus: {args.articles} articles {per_lang} ({results['corpus_mb']} MB) in {corpus}", flush=True)

    def step(name: str, args: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
        results[name] = done[name] if name in done else run_measured(args, env)
        print(f"{name}:", results[name], flush=True)
        save.write_text(json.dumps(results, indent=2), encoding="utf-8")  # partial results survive an abort
        return results[name]

    if args.fact_cost:
        for name, env in (("w1_rules", {"KG_FACT_MODEL": "none"}), ("w1", {})):
            _clean(work / f"build-{name}")
            results[name] = run_measured(["_build", str(corpus), str(work / f"build-{name}"), "1"], env)
            print(f"{name}:", results[name], flush=True)
        results["load_after"] = os.getloadavg()
        save.write_text(json.dumps(results, indent=2), encoding="utf-8")
        print(fact_cost_table(results))
        return
    if "bare" in steps:
        step("record", ["_record", str(corpus), str(work / "recorded.pickle")])
        step("bare", ["_bare", str(corpus), str(work / "recorded.pickle")])
    if "w2" in steps:
        if "w2" not in done:
            _clean(work / "build-w2")
        step("w2", ["_build", str(corpus), str(work / "build-w2"), "2"])
    if "bulk" in steps:
        step("bulk", ["_bulk", str(work / "build-w2" / "store"), str(work)])
    if "memory" in steps:
        sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [args.articles // 16, args.articles // 4]
        results["memory"] = {str(args.articles): results["w2"]} if "w2" in results else {}
        for size in (s for s in sizes if s != args.articles):
            if f"n{size}" not in done:
                _clean(work / f"build-n{size}")
            part = head(corpus, work / f"corpus-{size}.jsonl", size)
            results["memory"][str(size)] = step(f"n{size}", ["_build", str(part), str(work / f"build-n{size}"), "2"])
    if "w1" in steps:
        if "w1" not in done:
            _clean(work / "build-w1")
        step("w1", ["_build", str(corpus), str(work / "build-w1"), "1"])
    if args.before is not None:  # the older code: kg imported from the checkout, this script's children
        old = {"PYTHONPATH": str(args.before.resolve()), "KG_BENCH_REPO": str(args.before.resolve())}
        step("before_record", ["_record", str(corpus), str(work / "recorded-before.pickle")], old)
        step("before_bare", ["_bare", str(corpus), str(work / "recorded-before.pickle")], old)
        for workers in ("1", "2"):
            _clean(work / f"build-before-w{workers}")
            step(f"before_w{workers}", ["_build", str(corpus), str(work / f"build-before-w{workers}"), workers], old)
    results["load_after"] = os.getloadavg()
    save.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(table(results))
    if args.before is not None:
        print()
        print(before_after_table(results))


def before_after_table(r: dict[str, Any]) -> str:
    """Before and after, same corpus, same run: words/s of each run and kg's share of the bare models' speed."""
    lines = [
        f"{r['articles']:,} articles, load average {r['load_before'][0]:.1f} before the run, "
        f"{r.get('load_after', [float('nan')])[0]:.1f} after",
        "",
        "| run | before (words/s) | after (words/s) |",
        "|---|---:|---:|",
    ]
    rows = (
        ("bare models (language detection, NER, UD parsers, fact model)", "bare"),
        ("kg build, 1 process", "w1"),
        ("kg build --workers 2", "w2"),
    )
    for name, key in rows:
        old, new = r.get(f"before_{key}"), r.get(key)
        cells = [f"{_rate(x, 'words'):,.0f}" if x else "-" for x in (old, new)]
        lines.append(f"| {name} | {cells[0]} | {cells[1]} |")
    kinds = (
        ("1 process / bare", "ratio"),
        ("1 process / bare, pipeline loading left out", "ratio_loaded"),
        ("2 workers / 1 process", "speedup"),
    )
    for label, fmt in kinds:
        cells = []
        for prefix in ("before_", ""):
            bare, w1, w2 = (r.get(prefix + k) for k in ("bare", "w1", "w2"))
            if fmt == "ratio" and bare and w1:
                cells.append(f"{_rate(w1, 'words') / _rate(bare, 'words'):.2f}")
            elif fmt == "ratio_loaded" and bare and w1:
                loaded = w1["words"] / (w1["seconds"] - w1["stages"].get("load", 0.0))
                cells.append(f"{loaded / _rate(bare, 'words'):.2f}")
            elif fmt == "speedup" and w1 and w2:
                cells.append(f"{w1['seconds'] / w2['seconds']:.2f}x")
            else:
                cells.append("-")
        lines.append(f"| {label} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def fact_cost_table(r: dict[str, Any]) -> str:
    """Seconds per stage in one process, rules alone vs the fact model (parsers and scorers), same corpus."""
    rules, model = r["w1_rules"], r["w1"]
    lines = [
        f"{r['articles']:,} articles, one process; load average {r['load_before'][0]:.1f} before, "
        f"{r['load_after'][0]:.1f} after",
        "",
        "| stage | rules only (s) | fact model (s) |",
        "|---|---:|---:|",
    ]
    for stage in ("ingest", "load", "nlp", "extract", "resolve", "rdf", "store", "claims"):
        lines.append(f"| {stage} | {rules['stages'].get(stage, 0.0):.1f} | {model['stages'].get(stage, 0.0):.1f} |")
    lines.append(f"| **words/s** | {_rate(rules, 'words'):,.0f} | {_rate(model, 'words'):,.0f} |")
    return "\n".join(lines)


def _clean(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def _rate(run: dict[str, Any], what: str) -> float:
    return float(run[what]) / float(run["seconds"])


def table(r: dict[str, Any]) -> str:
    """The README's Performance table (runs that did not finish are left out)."""
    bare, w1, w2, bulk = (r.get(k) for k in ("bare", "w1", "w2", "bulk"))
    after = r.get("load_after", [float("nan")])[0]
    lines = [
        f"{r['articles']:,} articles ({', '.join(f'{k} {v}' for k, v in sorted(r['per_lang'].items()))}), "
        f"{r['corpus_mb']} MB of JSON Lines; {r['cores']} cores; "
        f"load average {r['load_before'][0]:.1f} before, {after:.1f} after",
        "",
        "| run | articles/s | words/s | peak memory (process tree) |",
        "|---|---:|---:|---:|",
    ]
    for name, run in (
        ("bare models (language detection, NER, UD parsers, fact model), 1 process", bare),
        ("kg build, 1 process", w1),
        ("kg build --workers 2", w2),
    ):
        if run:
            lines.append(
                f"| {name} | {_rate(run, 'articles'):.1f} | {_rate(run, 'words'):,.0f} | {run['peak_mb']:,} MB |"
            )
    lines.append("")
    if bare:
        for name, run in (("1 process", w1), ("2 workers", w2)):
            if run:
                lines.append(
                    f"* kg / bare models throughput ({name}): {_rate(run, 'words') / _rate(bare, 'words'):.2f}"
                )
        lines.append(f"* bare NER models: {', '.join(f'{k} {v}' for k, v in sorted(bare['models'].items()))}")
        if "stages" in bare:
            parts = ", ".join(f"{k} {v:.1f} s" for k, v in bare["stages"].items())
            lines.append(
                f"* bare models' seconds: {parts} ({bare['parsed_sentences']:,} sentences parsed, "
                f"{bare['scored_rows']:,} feature rows scored)"
            )
    if w1 and w2:
        lines.append(f"* speed-up 1 -> 2 workers: {w1['seconds'] / w2['seconds']:.2f}x")
    staged = w1 or w2
    if staged:
        lines += [
            "",
            f"| stage ({'1 process' if w1 else 'summed over 2 workers'}) | seconds | share |",
            "|---|---:|---:|",
        ]
        total = sum(staged["stages"].values())
        for stage in ("ingest", "load", "nlp", "extract", "resolve", "rdf", "store", "claims"):
            seconds = staged["stages"].get(stage, 0.0)
            lines.append(f"| {stage} | {seconds:.1f} | {100 * seconds / total:.0f}% |")
        store_rate = staged["quads_written"] / max(staged["stages"].get("store", 0.0), 1e-9)
        lines += [
            "",
            f"* store writes during the build (batched transactions): {store_rate:,.0f} quads/s; "
            f"claims rebuilt over {staged['triples']:,} triples in {staged['stages'].get('claims', 0.0):.1f} s",
        ]
    if bulk:
        lines.append(
            f"* bulk load of the article graphs ({bulk['quads']:,} quads, {bulk['mb']} MB N-Quads in 8 shards): "
            f"{bulk['quads'] / bulk['seconds_1']:,.0f} quads/s with 1 thread, "
            f"{bulk['quads'] / bulk['seconds_2']:,.0f} quads/s with 2"
        )
    if r.get("memory"):
        lines += ["", "| input (2 workers) | articles/s | peak memory |", "|---|---:|---:|"]
        for size, run in sorted(r["memory"].items(), key=lambda kv: int(kv[0])):
            lines.append(f"| {int(size):,} articles | {_rate(run, 'articles'):.1f} | {run['peak_mb']:,} MB |")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "_table":  # the table of a finished or interrupted run
        print(table(json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))))
    elif len(sys.argv) > 1 and sys.argv[1] == "_build":
        child_build(*sys.argv[2:5])
    elif len(sys.argv) > 1 and sys.argv[1] == "_record":
        child_record(*sys.argv[2:4])
    elif len(sys.argv) > 1 and sys.argv[1] == "_bare":
        child_bare(*sys.argv[2:4])
    elif len(sys.argv) > 1 and sys.argv[1] == "_bulk":
        child_bulk(*sys.argv[2:4])
    else:
        main(sys.argv[1:])
