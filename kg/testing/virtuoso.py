"""A throwaway Virtuoso server on 127.0.0.1 for tests and benchmarks.

kg talks to real triplestores over HTTP, so its load tests need a real one.
This starts Debian's ``virtuoso-t`` in the foreground with a database and a
``virtuoso.ini`` of its own in a scratch folder, on free loopback ports, sets
the ``dba`` password to one the caller chose (never the default ``dba``),
grants SPARQL updates, and stops the server (after a checkpoint) on
``stop()``.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
DEFAULT_PASSWORD = "dba"  # what a fresh Virtuoso database starts with
_READY_TIMEOUT = 60.0
MAX_ROWS = 10_000_000  # Debian's default (10,000) silently truncates answers

_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
MaxQueryMem = 1G
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/vsp
MaxClientConnections = 10
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
Charset = UTF-8
EnabledGzipContent = 0

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 120
"""


def available() -> bool:
    """Whether the Virtuoso server and its isql client are installed."""
    return shutil.which(VIRTUOSO) is not None and shutil.which(ISQL) is not None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class LocalVirtuoso:
    """One Virtuoso process and its scratch database folder."""

    folder: Path
    password: str
    buffers: int = 20_000
    sql_port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql(self) -> str:
        """The public query endpoint (reads only)."""
        return f"{self.base}/sparql"

    @property
    def sparql_auth(self) -> str:
        """The authenticated endpoint, which also accepts SPARQL Update."""
        return f"{self.base}/sparql-auth"

    @property
    def graph_store(self) -> str:
        """The authenticated Graph Store Protocol service (digest auth)."""
        return f"{self.base}/sparql-graph-crud-auth"

    def start(self) -> LocalVirtuoso:
        """Write the ini, start the server, wait until it answers, set the password."""
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "vsp").mkdir(exist_ok=True)
        ini = self.folder / "virtuoso.ini"
        ini.write_text(
            _INI.format(
                dir=self.folder,
                sql_port=self.sql_port,
                http_port=self.http_port,
                buffers=self.buffers,
                dirty_buffers=self.buffers * 3 // 4,
                max_rows=MAX_ROWS,
            ),
            encoding="utf-8",
        )
        fresh = not (self.folder / "virtuoso.db").exists()
        log = open(self.folder / "stdout.log", "ab")  # noqa: SIM115 - the child keeps it open
        self.process = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)],
            cwd=self.folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        self._wait_ready(DEFAULT_PASSWORD if fresh else self.password)
        if fresh:
            self.isql(
                f"USER_SET_PASSWORD('dba', '{self.password}');",
                "DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 1);",
                password=DEFAULT_PASSWORD,
            )
            self._wait_http()
        return self

    def _wait_ready(self, password: str) -> None:
        deadline = time.monotonic() + _READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {self.process.returncode}: see {self.folder}/virtuoso.log")
            try:
                self.isql("select 1;", password=password, timeout=5)
                return
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
                time.sleep(0.2)
        raise RuntimeError(f"virtuoso-t did not answer within {_READY_TIMEOUT:.0f} s: see {self.folder}/virtuoso.log")

    def _wait_http(self) -> None:
        deadline = time.monotonic() + _READY_TIMEOUT
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.http_port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("virtuoso-t HTTP port did not open")

    def isql(self, *statements: str, password: str | None = None, timeout: float = 600) -> str:
        """Run SQL statements through ``isql-vt`` and return its output (raises on failure)."""
        script = "\n".join(statements) + "\n"
        result = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", "dba", password or self.password],
            input=script.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=True,
        )
        output = result.stdout.decode("utf-8", "replace")
        if "*** Error" in output:
            raise subprocess.CalledProcessError(1, ISQL, output=result.stdout, stderr=result.stderr)
        return output

    def graphs(self, prefix: str) -> list[str]:
        """Named graphs on the server whose IRI starts with ``prefix``."""
        query = f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{prefix}")) }}'
        response = httpx.post(self.sparql, data={"query": query}, headers={"Accept": "application/sparql-results+json"})
        response.raise_for_status()
        return [row["g"]["value"] for row in response.json()["results"]["bindings"]]

    def drop_graphs(self, prefix: str) -> None:
        """Drop every graph whose IRI starts with ``prefix`` (Virtuoso's own graphs stay)."""
        auth = httpx.DigestAuth("dba", self.password)
        for graph in self.graphs(prefix):
            response = httpx.post(self.sparql_auth, data={"update": f"DROP SILENT GRAPH <{graph}>"}, auth=auth)
            response.raise_for_status()

    def kill(self) -> None:
        """Stop the server abruptly (SIGKILL), as a crash or a pulled cable would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)

    def stop(self) -> None:
        """Checkpoint and stop the server; the database folder stays for a restart."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self.isql("checkpoint;", timeout=60)
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
