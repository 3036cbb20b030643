"""A progress bar for long builds: articles done, articles per second and time left.

Progress is measured in input bytes, which are known before the build starts
(file sizes), so a 2 GB JSON Lines file gets an ETA without being read twice
to count its lines.  The bar is drawn on stderr, only when stderr is a
terminal unless the user asks otherwise, and error lines are printed above it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from kg.errors import InputError
from kg.ingest.sources import SUPPORTED_SUFFIXES


def input_bytes(inputs: Iterable[str]) -> int | None:
    """Total size of the inputs kg will read, or None when unknown (stdin)."""
    total = 0
    for name in inputs:
        path = Path(name)
        if name == "-":
            return None
        if path.is_dir():
            total += sum(_size(p) for p in path.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES)
        else:
            total += _size(path)
    return total


def _size(path: Path) -> int:
    try:
        return path.stat().st_size if path.is_file() else 0
    except OSError:
        return 0


class BuildProgress:
    """Context manager around rich's progress bar; a no-op when disabled."""

    def __init__(self, inputs: list[str], enabled: bool | None = None, *, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.total = input_bytes(inputs) if self.enabled else None
        self.started = time.perf_counter()
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> BuildProgress:
        if self.enabled:
            self._progress = Progress(
                TextColumn("kg build"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TextColumn("{task.fields[articles]:,} articles, {task.fields[rate]:,.1f}/s"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("build", total=self.total, articles=0, rate=0.0)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, articles: int, bytes_done: int) -> None:
        """Called by the build after every article."""
        if self._progress is None or self._task is None:
            return
        rate = articles / max(time.perf_counter() - self.started, 1e-9)
        self._progress.update(self._task, completed=bytes_done, articles=articles, rate=rate)

    def error(self, error: InputError) -> None:
        """Report a bad input on one line, as every kg command does."""
        self.echo(f"error: {error}")

    def echo(self, line: str) -> None:
        """Print a line (an error) above the bar, or plainly on stderr without one."""
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=sys.stderr)
