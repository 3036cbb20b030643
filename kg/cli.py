"""The ``kg`` command line: thin wrappers around the stages."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from pyoxigraph import RdfFormat

from kg.errors import FactModelError, InputError, InputWarning, KgError
from kg.store import GraphStore

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Multilingual news articles in, an RDF knowledge graph out.",
)

OutDir = Annotated[Path, typer.Option("--out", help="Output folder holding store/ and RDF files.")]
EXPORT_FORMATS = {
    "ttl": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "nq": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
    "jsonld": RdfFormat.JSON_LD,
}


def _fail(error: KgError) -> None:
    typer.echo(f"kg: {error}", err=True)
    raise typer.Exit(2)


def _report_error(error: InputError) -> None:
    typer.echo(f"{'warning' if isinstance(error, InputWarning) else 'error'}: {error}", err=True)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"kg {version('kg')}")
        except PackageNotFoundError:
            typer.echo("kg (version unknown: not installed as a package)")
        raise typer.Exit()


@app.callback()
def _main(
    show_version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print kg's version and exit.")
    ] = False,
) -> None:
    """Multilingual news articles in, an RDF knowledge graph out."""


@app.command()
def build(
    articles: Annotated[
        list[str] | None, typer.Argument(help="Files, folders (recursive) or - for stdin (none with --rebuild-claims).")
    ] = None,
    out: OutDir = Path("output"),
    lang: Annotated[str | None, typer.Option(help="Force this language (ISO 639-1) for every article.")] = None,
    gazetteer: Annotated[list[Path] | None, typer.Option(help="Extra organization gazetteer CSV (repeatable).")] = None,
    strict: Annotated[bool, typer.Option(help="Stop at the first bad input.")] = False,
    export: Annotated[bool, typer.Option(help="Also write DIR/graph.trig and DIR/graph.nq.")] = True,
    max_bytes: Annotated[int, typer.Option(help="Skip inputs (files, JSON lines) larger than this.")] = 50_000_000,
    render: Annotated[bool, typer.Option(help="Also draw the graph into DIR/graph.html (see kg render).")] = True,
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=0, help="Processes working on articles in parallel (0: one per core).")
    ] = 1,
    progress: Annotated[
        bool | None, typer.Option("--progress/--no-progress", help="Progress bar (default: when stderr is a terminal).")
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(help="Run on a Dask cluster: scheduler address (tcp://host:8786) or local:N; needs kg[cluster]."),
    ] = None,
    shards: Annotated[
        Path | None, typer.Option(help="With --cluster: keep the N-Quads shards in this folder (shared with workers).")
    ] = None,
    fact_model: Annotated[
        Path | None,
        typer.Option(help="Decide facts with this fact model (a folder written by kg train-facts; default: shipped)."),
    ] = None,
    min_confidence: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Store only facts at least this confident (default: the model's own)."),
    ] = None,
    rules_only: Annotated[
        bool, typer.Option("--rules-only", help="Decide facts by the rules alone, without the fact model.")
    ] = False,
    base_iri: Annotated[
        str | None,
        typer.Option(help="Mint IRIs under this base (remembered by the store; default https://kg.example.org/id/)."),
    ] = None,
    rebuild_claims: Annotated[
        bool,
        typer.Option(
            "--rebuild-claims",
            help="Rebuild the claims and entities graphs from all article graphs (a build updates only its own).",
        ),
    ] = False,
) -> None:
    """Extract entities and facts from ARTICLES into the store in DIR."""
    import os

    from kg.build.driver import build as run_build
    from kg.build.progress import BuildProgress
    from kg.build.summary import print_summary

    if not articles and not rebuild_claims:
        raise typer.BadParameter("give ARTICLES to build (or --rebuild-claims alone)", param_hint="ARTICLES")
    articles = articles or []
    if lang is not None:
        lang = _checked_lang(lang)
    _choose_fact_model(fact_model, min_confidence, rules_only)
    try:
        from kg.knowledge import validate_gazetteers

        validate_gazetteers(gazetteer or ())  # one error naming the row, before the store is touched
        from kg.store.settings import choose_base_iri, remember_base_iri

        base = choose_base_iri(out / "store", base_iri)
        store = GraphStore(out / "store")
        remember_base_iri(out / "store", base)
        with BuildProgress(articles, progress) as bar:

            def report_input(problem: InputError) -> None:
                bar.echo(f"{'warning' if isinstance(problem, InputWarning) else 'error'}: {problem}")

            if cluster:
                from kg.build.cluster import build_on_cluster

                report = build_on_cluster(
                    articles,
                    out,
                    cluster=cluster,
                    shards_dir=shards,
                    lang=lang,
                    gazetteers=gazetteer or (),
                    strict=strict,
                    on_error=report_input,
                    store=store,
                    max_bytes=max_bytes,
                    on_progress=bar.update,
                    rebuild_derived=rebuild_claims,
                )
            else:
                report = run_build(
                    articles,
                    out,
                    lang=lang,
                    gazetteers=gazetteer or (),
                    strict=strict,
                    on_error=report_input,
                    store=store,
                    max_bytes=max_bytes,
                    workers=workers or os.cpu_count() or 1,
                    on_progress=bar.update,
                    rebuild_derived=rebuild_claims,
                )
        written = _write_exports(store, out) if export else []
    except KgError as exc:
        _fail(exc)
        return
    except OSError as exc:  # the store cannot even be opened for writing: disk full, read-only, permissions
        from kg.errors import StoreWriteError

        reason = exc.strerror or " ".join(str(exc).split())[-300:]
        _fail(StoreWriteError(f"cannot open the store {out / 'store'} for writing: {reason}"))
        return
    if render:
        from kg.render.command import render_after_build

        written += [page for page in [render_after_build(store, out)] if page]
    print_summary(report, store, out, written)
    if report.errors:
        raise typer.Exit(1)


def _choose_fact_model(folder: Path | None, min_confidence: float | None, rules_only: bool) -> None:
    """Set the fact model (and minimum confidence) this process and its workers use, from these options only."""
    from kg.extract.fact_model.extractor import reset_fact_model, use_fact_model
    from kg.extract.fact_model.extractor import rules_only as use_rules

    reset_fact_model()
    if rules_only:
        use_rules()
        return
    if folder is not None:
        try:
            use_fact_model(folder, min_confidence)
        except ValueError as exc:
            _fail(FactModelError(str(exc)))
        return
    use_fact_model(None, min_confidence)


def _checked_lang(lang: str) -> str:
    """A usage error for a language spaCy has no tokenizer for, rather than empty results."""
    import spacy.util

    code = lang.strip().lower()
    try:
        spacy.util.get_lang_class(code)
    except ImportError:
        typer.echo(f"kg: unknown language {lang!r}: give an ISO 639-1 code such as nl, fr, id, en, de, es", err=True)
        raise typer.Exit(2) from None
    return code


def _write_exports(store: GraphStore, out: Path) -> list[Path]:
    """DIR/graph.trig and DIR/graph.nq, each renamed into place only when complete."""
    from kg.store.export import write_export_files

    return write_export_files(store, {out / "graph.trig": RdfFormat.TRIG, out / "graph.nq": RdfFormat.N_QUADS})


@app.command()
def query(
    query: Annotated[str, typer.Argument(help="Saved query name, .rq file, or SPARQL text.")] = "",
    out: OutDir = Path("output"),
    format: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="table, csv, tsv or json (SPARQL 1.1 results); ttl, nt or jsonld for graphs."
        ),
    ] = "table",
    list_saved: Annotated[bool, typer.Option("--list", help="List the saved queries.")] = False,
    allow_service: Annotated[
        list[str] | None,
        typer.Option(help="Let SERVICE call this host (repeatable; * for any public host). Off by default."),
    ] = None,
) -> None:
    """Run a SPARQL query over the union of all article graphs."""
    from kg.query import format_result, load_query, saved_queries
    from kg.query.run import describe_saved, stale_claims_note

    if list_saved or not query:
        for name, path in saved_queries().items():
            typer.echo(f"{name:14} {describe_saved(path)}")
        return
    try:
        store = _open_read_only(out)
        sparql = load_query(query)
        text = format_result(store, sparql, format, allow_service or ())
        note = stale_claims_note(store, sparql, out)
        if note:
            typer.echo(f"kg: note: {note}", err=True)
        sys.stdout.write(text.rstrip("\n") + "\n")
    except KgError as exc:
        _fail(exc)


def _open_read_only(out: Path) -> GraphStore:
    from kg.errors import QueryError

    if not (out / "store").is_dir():
        raise QueryError(f"no store in {out}: run `kg build ARTICLES --out {out}` first")
    return GraphStore(out / "store", read_only=True)


@app.command()
def export(
    out: OutDir = Path("output"),
    format: Annotated[str, typer.Option("--format", "-f", help="ttl, nt, nq, trig or jsonld.")] = "trig",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write (default: stdout).")] = None,
    gzip: Annotated[bool, typer.Option("--gzip", help="Compress with gzip (implied by -o FILE.gz).")] = False,
) -> None:
    """Serialise the store, streaming. ttl and nt merge all graphs; nq and trig keep one graph per article."""
    if format not in EXPORT_FORMATS:
        typer.echo(f"kg: unknown format {format!r}; use {', '.join(EXPORT_FORMATS)}", err=True)
        raise typer.Exit(2)
    from kg.store.export import export_store

    compress = gzip or (output is not None and output.suffix == ".gz")
    try:
        export_store(_open_read_only(out), EXPORT_FORMATS[format], output, compress=compress)
    except KgError as exc:
        _fail(exc)


@app.command()
def validate(out: OutDir = Path("output")) -> None:
    """Validate the store in DIR against kg's SHACL shapes (ontology/shapes.ttl)."""
    from kg.validate import validate_store

    try:
        store = _open_read_only(out)
    except KgError as exc:
        _fail(exc)
        return
    conforms, report = validate_store(store)
    typer.echo(report if not conforms else f"{out}: conforms to kg's SHACL shapes")
    if not conforms:
        raise typer.Exit(1)


ListOption = list[str] | None


@app.command()
def render(
    out: OutDir = Path("output"),
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Page (default DIR/graph.html).")] = None,
    type: Annotated[
        ListOption, typer.Option("--type", help="Entity types: organization, country, person, project (a,b or repeat).")
    ] = None,
    lang: Annotated[ListOption, typer.Option(help="Only evidence from articles in these languages.")] = None,
    country: Annotated[ListOption, typer.Option(help="Only articles that mention this country (code or name).")] = None,
    since: Annotated[
        str | None,
        typer.Option(help="Only facts dated (their own date, else their article's) on or after YYYY[-MM[-DD]]."),
    ] = None,
    until: Annotated[str | None, typer.Option(help="Only facts dated on or before YYYY[-MM[-DD]].")] = None,
    status: Annotated[
        ListOption,
        typer.Option(help="Only deals with this status: announced, planned, agreed, completed, cancelled, rumoured."),
    ] = None,
    min_sources: Annotated[int, typer.Option(min=1, help="Only relations (and entities) in this many articles.")] = 1,
    focus: Annotated[ListOption, typer.Option(help="Only the surroundings of this entity (name, alias, code).")] = None,
    depth: Annotated[int, typer.Option(min=0, help="Steps around --focus.")] = 1,
    max_nodes: Annotated[int, typer.Option(min=0, help="Keep the N most important entities (0: all).")] = 2000,
    co_mentions: Annotated[bool, typer.Option(help="Draw 'mentioned with' lines (named in one sentence).")] = True,
    title: Annotated[str, typer.Option(help="Title of the page.")] = "kg graph",
) -> None:
    """Draw the graph in DIR as one self-contained, offline HTML page (default DIR/graph.html)."""
    from kg.render.command import RenderOptions, run_render

    options = RenderOptions(
        type or (),
        lang or (),
        country or (),
        since,
        until,
        min_sources,
        focus or (),
        depth,
        max_nodes,
        co_mentions,
        status or (),
    )
    try:
        code = run_render(_open_read_only(out), output or out / "graph.html", options, title)
    except KgError as exc:
        _fail(exc)
        return
    raise typer.Exit(code)


@app.command("eval")
def eval_command(
    gold_dirs: Annotated[
        list[Path], typer.Argument(help="Folders with gold/<id>.json and docs/<id>.txt (or articles/).")
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="Keep the evaluation build here (default: a temp dir).")
    ] = None,
    docs: Annotated[
        Path | None, typer.Option(help="Article folder, if not GOLD_DIR/docs or GOLD_DIR/articles (one GOLD_DIR).")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text, json or markdown.")] = "text",
    errors: Annotated[bool, typer.Option(help="List every miss and false hit with its sentence.")] = True,
    media: Annotated[bool, typer.Option(help="Count news outlets cited as sources as organizations.")] = True,
    strict_roles: Annotated[
        bool,
        typer.Option(
            "--strict-roles",
            help="Count an investor or target the annotation leaves unnamed as wrong (the scoring advice ignores "
            "such roles; they are parties the extraction invented).",
        ),
    ] = False,
    folds: Annotated[
        int | None,
        typer.Option(
            min=2, help="Cross-validate the fact model: train on K-1 folds of the documents, score the held-out one."
        ),
    ] = None,
    seed: Annotated[int | None, typer.Option(help="With --folds: the seed that deals documents into folds.")] = None,
    min_confidence: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Store facts of at least this confidence (as kg build --min-confidence); with --folds, the "
            "held-out scores of that operating point.",
        ),
    ] = None,
    by_language: Annotated[
        bool,
        typer.Option(
            "--by-language",
            help="Cross-validate by language: one fold per language, each scored by a model trained on the other "
            "languages only (how the model does on a language it has no annotated article in).",
        ),
    ] = False,
    syntax: Annotated[
        bool, typer.Option(help="With --folds: train the fold models with dependency features (as train-facts).")
    ] = False,
) -> None:
    """Build the articles of GOLD_DIR... and score the result against their gold annotations."""
    import json
    import os
    import tempfile

    from kg.build.driver import build as run_build
    from kg.eval import format_report, load_gold, score, to_json, to_markdown
    from kg.eval.predict import predictions_from_store
    from kg.iri import BASE_IRI_ENV

    os.environ.pop(BASE_IRI_ENV, None)  # evaluation builds mint under the default base
    with tempfile.TemporaryDirectory(prefix="kg-eval-", ignore_cleanup_errors=True) as scratch:
        target = out or Path(scratch)
        try:
            if folds is not None or by_language:
                from kg.eval.folds import cross_validate

                result, _ = cross_validate(
                    gold_dirs,
                    target,
                    folds or 2,
                    seed=seed,
                    include_media=media,
                    strict_roles=strict_roles,
                    min_confidence=min_confidence,
                    by_language=by_language,
                    syntax=syntax,
                    on_error=_report_error,
                    progress=lambda message: typer.echo(f"kg eval: {message}", err=True),
                )
            else:
                gold: dict[str, object] = {}
                inputs = []
                for gold_dir in gold_dirs:
                    gold.update(load_gold(gold_dir))
                    found = next((gold_dir / n for n in ("docs", "articles") if (gold_dir / n).is_dir()), gold_dir)
                    inputs.append(str(docs or found))
                store = GraphStore(target / "store")
                if min_confidence is not None:
                    from kg.extract.fact_model.extractor import use_fact_model

                    use_fact_model(None, min_confidence)  # the model kg build would use, at this minimum
                run_build(inputs, target, on_error=_report_error, store=store)
                result = score(
                    gold,  # type: ignore[arg-type]
                    predictions_from_store(store),
                    include_media=media,
                    strict_roles=strict_roles,
                )
                del store  # close the store (RocksDB holds files open) before its folder is removed
        except (OSError, ValueError) as exc:
            typer.echo(f"kg: {exc}", err=True)
            raise typer.Exit(2) from exc
    if format == "json":
        typer.echo(json.dumps(to_json(result), indent=2, ensure_ascii=False))
    elif format == "markdown":
        typer.echo(to_markdown(result))
    else:
        if by_language:
            typer.echo("Fact scores held out: one fold per language, each scored by a model trained on the others.")
        elif folds is not None:
            typer.echo(f"Fact scores held out: {folds}-fold cross-validation by document (no fold seen by its model).")
        typer.echo(format_report(result, show_errors=errors))


@app.command("train-facts")
def train_facts(
    gold_dirs: Annotated[list[Path], typer.Argument(help="Folders of annotated articles (gold/ and docs/).")],
    out: Annotated[Path, typer.Option("--out", help="Write the model (model.json) and its card (README.md) here.")],
    folds: Annotated[int, typer.Option(min=2, help="Folds for calibration and the cross-validated card scores.")] = 5,
    seed: Annotated[int | None, typer.Option(help="Seed for dealing documents into folds (default 13).")] = None,
    syntax: Annotated[
        bool,
        typer.Option(
            help="Parse candidate sentences with kg's UD parsers and learn from dependency relations too "
            "(off by default: no held-out gain on the annotated corpus, see training/README.md)."
        ),
    ] = False,
) -> None:
    """Train the fact model on annotated articles: seeded, deterministic, with a model card."""
    from kg.extract.fact_model.card import train_and_describe

    try:
        path = train_and_describe(
            gold_dirs,
            out,
            folds=folds,
            seed=seed,
            syntax=syntax,
            progress=lambda message: typer.echo(f"kg train-facts: {message}", err=True),
        )
    except (OSError, ValueError) as exc:
        typer.echo(f"kg: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"wrote {path}")


@app.command()
def load(
    endpoint: Annotated[
        str, typer.Option(help="SPARQL endpoint URL (queries; also updates unless --update-endpoint).")
    ],
    out: OutDir = Path("output"),
    graph_store: Annotated[
        str | None, typer.Option(help="Graph Store Protocol URL: PUT one request per graph (recommended).")
    ] = None,
    update_endpoint: Annotated[str | None, typer.Option(help="SPARQL Update URL, if not --endpoint.")] = None,
    user: Annotated[str | None, typer.Option(envvar="KG_ENDPOINT_USER", show_envvar=True)] = None,
    password: Annotated[
        str | None,
        typer.Option(
            envvar="KG_ENDPOINT_PASSWORD",
            show_envvar=True,
            help="Prefer the environment variable (the command line is visible to other local users).",
        ),
    ] = None,
    auth: Annotated[str, typer.Option(help="auto (ask the server), digest or basic.")] = "auto",
    replace: Annotated[
        bool, typer.Option(help="Reload every graph, and drop kg article graphs the local store no longer has.")
    ] = False,
    batch_size: Annotated[
        int | None, typer.Option(min=1, help="Triples per request (default 20,000 by Graph Store, 500 by Update).")
    ] = None,
    connections: Annotated[
        int, typer.Option(min=1, max=32, help="Graph Store requests in flight at once (one graph each).")
    ] = 4,
    retries: Annotated[int, typer.Option(min=0, help="Retries of a failed request (with backoff).")] = 5,
    timeout: Annotated[float, typer.Option(min=1, help="Seconds to wait for one request.")] = 120.0,
) -> None:
    """Load every named graph of the store in DIR into a remote triplestore (a re-load replaces, never duplicates)."""
    from kg.load import LoadRequest, run_load
    from kg.store.remote import LoadOptions

    if user and password is None and sys.stdin.isatty():
        password = typer.prompt("password", hide_input=True)
    request = LoadRequest(
        out, endpoint, graph_store, update_endpoint, user, password, auth,
        LoadOptions(batch_size=batch_size, replace=replace, connections=connections), retries, timeout,
    )  # fmt: skip
    try:
        code = run_load(request, _open_read_only(out))
    except KgError as exc:
        _fail(exc)
        return
    raise typer.Exit(code)


@app.command()
def serve(
    out: OutDir = Path("output"),
    host: Annotated[str, typer.Option(help="Address to listen on (anything but loopback exposes the graph).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free port).")] = 7878,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds a query may run before it is stopped.")] = 30.0,
    max_results: Annotated[int, typer.Option(min=1, help="Most rows or triples one answer may hold.")] = 100_000,
    workers: Annotated[int, typer.Option(min=1, help="Queries answered at the same time.")] = 2,
    writable: Annotated[bool, typer.Option(help="Accept SPARQL Update (off: read-only).")] = False,
    allow_service: Annotated[
        list[str] | None,
        typer.Option(help="Let SERVICE call this host (repeatable; * for any public host). Off by default."),
    ] = None,
    cors: Annotated[
        list[str] | None, typer.Option(help="Let this web origin (https://host[:port]) read and update (repeatable).")
    ] = None,
    max_memory: Annotated[int, typer.Option(min=0, help="MB of memory each worker may use (0: no cap).")] = 4096,
    idle_timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds a connection may idle or take to send a request.")
    ] = 20.0,
    quiet: Annotated[bool, typer.Option(help="Do not log each request.")] = False,
) -> None:
    """Serve the store in DIR as a SPARQL 1.1 endpoint at /sparql, and the graph drawing at /."""
    from kg.serve import ServeOptions
    from kg.serve import serve as run_serve

    options = ServeOptions(
        out, host, port, timeout, max_results, workers, writable,
        tuple(allow_service or ()), tuple(cors or ()), max_memory, idle_timeout,
    )  # fmt: skip
    try:
        run_serve(options, quiet=quiet)
    except KgError as exc:
        _fail(exc)


@app.command(
    "train-ner",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
def train_ner(ctx: typer.Context) -> None:
    """Train (or, with ``evaluate``, score) a compact NER pipeline from CoNLL files.

    kg train-ner --lang nl --train A.conll --dev D.conll --out DIR [--drop-label MISC] [--set KEY=VALUE]

    kg train-ner evaluate --model DIR --dev D.conll

    Same options as ``python -m kg.train``; ``kg train-ner --help`` lists them.
    """
    from kg.train import main as train_main

    raise typer.Exit(train_main(list(ctx.args), prog="kg train-ner"))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
