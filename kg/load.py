"""``kg load``: options in, a progress bar while loading, a report out.

The loading itself lives in :mod:`kg.store.remote`; this module turns command
line options into a target and credentials (never printing them), draws the
progress bar when stderr is a terminal, and prints what was and was not loaded.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from kg.errors import RemoteError
from kg.store.oxigraph import GraphStore
from kg.store.remote import (
    STATE_FILE,
    LoadOptions,
    LoadReport,
    Remote,
    RetryPolicy,
    Target,
    check_url,
    load_store,
    make_auth,
    redact,
    split_credentials,
)

AUTH_SCHEMES = ("auto", "digest", "basic")
_MAX_LISTED = 20


@dataclass
class LoadRequest:
    """Everything ``kg load`` was asked to do (the password never leaves this object)."""

    out: Path
    endpoint: str
    graph_store: str | None
    update_endpoint: str | None
    user: str | None
    password: str | None
    auth: str
    options: LoadOptions
    retries: int
    timeout: float

    def __repr__(self) -> str:  # keep the password out of tracebacks and debug output
        return f"LoadRequest(endpoint={redact(self.endpoint)!r}, user={'***' if self.user else None})"


def build_remote(request: LoadRequest) -> Remote:
    """Target and session from the options; credentials may also come inside the endpoint URL."""
    if request.auth not in AUTH_SCHEMES:
        raise RemoteError(f"--auth {request.auth!r} is not one of {', '.join(AUTH_SCHEMES)}", code="E306")
    user, password = request.user, request.password
    urls: list[str | None] = []
    for raw, what in (
        (request.endpoint, "--endpoint"),
        (request.graph_store, "--graph-store"),
        (request.update_endpoint, "--update-endpoint"),
    ):
        if raw is None:
            urls.append(None)
            continue
        clean, url_user, url_password = split_credentials(check_url(raw, what))
        user, password = user or url_user, password or url_password
        urls.append(clean)
    target = Target(endpoint=urls[0] or "", graph_store=urls[1], update_endpoint=urls[2])
    return Remote(
        target,
        make_auth(user, password, request.auth),
        timeout=request.timeout,
        policy=RetryPolicy(retries=request.retries),
    )


@contextmanager
def progress_bar(total: int, console: Console) -> Iterator[Progress]:
    """A triples-loaded bar on stderr, drawn only when stderr is a terminal."""
    progress = Progress(
        TextColumn("loading"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("triples"),
        TimeRemainingColumn(),
        console=console,
        disable=not console.is_terminal,
        transient=True,
    )
    with progress:
        yield progress


def run_load(request: LoadRequest, store: GraphStore) -> int:
    """Load the store; print the report; return the exit code (0 ok, 1 something not loaded)."""
    console = Console(stderr=True)
    remote = build_remote(request)
    with remote, progress_bar(store.count(), console) as progress:
        task = progress.add_task("load", total=store.count())
        report = load_store(
            store,
            remote,
            request.out / STATE_FILE,
            request.options,
            lambda n: progress.advance(task, n),
        )
    print_report(report, remote.target)
    return 0 if report.ok else 1


def print_report(report: LoadReport, target: Target) -> None:
    """One summary line, then what failed and what is left, each naming the graph."""
    err = sys.stderr
    for note in report.notes:
        print(f"note: {note}", file=err)
    for graph, problem in report.failed.items():
        print(f"error: {graph}: {problem}", file=err)
    method = "Graph Store Protocol" if report.method == "gsp" else "SPARQL Update"
    where = redact(target.graph_store if report.method == "gsp" and target.graph_store else target.update_url)
    rate = report.triples_sent / report.seconds if report.seconds > 0 else 0.0
    print(
        f"kg load: {len(report.loaded)} graphs loaded ({report.triples_sent:,} triples) into {where} "
        f"with the {method} in {report.seconds:.1f} s ({rate:,.0f} triples/s); "
        f"{len(report.skipped)} unchanged graphs skipped, {len(report.dropped)} stale graphs dropped",
        file=sys.stdout,
    )
    if report.fatal is not None:
        _print_stopped(report)


def _print_stopped(report: LoadReport) -> None:
    err = sys.stderr
    total = len(report.loaded) + len(report.skipped) + len(report.pending) + len(report.failed)
    done = len(report.loaded) + len(report.skipped)
    print(f"kg: {report.fatal}", file=err)
    if done == 0 and report.fatal is not None and report.fatal.code in ("E302", "E303"):
        print("kg load stopped: no graph was loaded", file=err)
        return
    print(f"kg load stopped: {done} of {total} graphs are on the server, {len(report.pending)} not loaded:", file=err)
    for graph in report.pending[:_MAX_LISTED]:
        print(f"  not loaded: {graph}", file=err)
    if len(report.pending) > _MAX_LISTED:
        print(f"  ... and {len(report.pending) - _MAX_LISTED} more", file=err)
    print("run the same command again to load the rest (graphs already loaded are skipped)", file=err)
