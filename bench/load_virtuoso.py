"""Triples per second for ``kg export`` (gzip'd N-Quads) and ``kg load`` into a local Virtuoso.

``python bench/load_virtuoso.py OUT`` where OUT holds a kg store (for example the 1 M-triple
store made by ``bench/synth_graph.py``).  Starts a throwaway Virtuoso on 127.0.0.1 (Debian's
virtuoso-opensource), loads with the Graph Store Protocol, and prints one line per step.
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pyoxigraph import Store

from kg.testing.virtuoso import LocalVirtuoso

KG = [sys.executable, "-m", "kg.cli"]


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return time.perf_counter() - started, result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument(
        "--connections", type=int, nargs="+", default=[1, 4], help="kg load --connections, one run each"
    )
    args = parser.parse_args()
    triples = len(Store.read_only(str(args.out / "store")))
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as scratch:
        target = Path(scratch) / "graph.nq.gz"
        seconds, _ = timed([*KG, "export", "--out", str(args.out), "-f", "nq", "-o", str(target)])
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"kg export nq.gz: {triples:,} triples in {seconds:.1f} s = {triples / seconds:,.0f} triples/s, "
              f"peak RSS {peak:.0f} MB, {target.stat().st_size / 1e6:.1f} MB written")  # fmt: skip
        password = secrets.token_urlsafe(12)
        server = LocalVirtuoso(Path(scratch) / "virtuoso", password=password, buffers=170_000).start()
        env = dict(os.environ, KG_ENDPOINT_USER="dba", KG_ENDPOINT_PASSWORD=password)
        try:
            load = [
                *KG,
                "load",
                "--out",
                str(args.out),
                "--endpoint",
                server.sparql,
                "--graph-store",
                server.graph_store,
            ]
            for run, connections in enumerate(args.connections):
                again = ["--replace"] if run else []  # later runs reload every graph
                seconds, report = timed([*load, "--connections", str(connections), *again], env)
                print(f"kg load --connections {connections}{' --replace' if run else ''}: "
                      f"{triples / seconds:,.0f} triples/s end to end; {report}", flush=True)  # fmt: skip
            seconds, report = timed(load, env)
            print(f"kg load again (nothing changed): {seconds:.1f} s; {report}")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
