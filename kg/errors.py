"""Errors with codes and one-line messages that say what went wrong and where.

Every problem with one input is an ``InputError``: the build reports it on one
line (``file[:line]: E### message``) and goes on with the other articles.
"""

from __future__ import annotations

import re

# C0 and C1 controls (newline and tab included: a message is one line), DEL, and the Unicode
# bidirectional overrides and isolates, which can make a terminal show text other than what is there.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every control character written as an escape (``\\n``, ``\\x1b``, ``\\u202e``).

    Used for everything kg prints about inputs: a file name holding a newline or an ANSI escape must not
    forge a second message line or drive the terminal.
    """
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if ch in named:
        return named[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


class KgError(Exception):
    """Base class for errors kg reports to users."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return printable(f"{self.code} {self.message}")


class InputError(KgError):
    """One input (file, JSONL line, stdin) could not be turned into an article."""

    code = "E100"

    def __init__(self, source: str, message: str, code: str = "E100") -> None:
        super().__init__(message)
        self.source = source
        self.code = code

    def __str__(self) -> str:
        return printable(f"{self.source}: {self.code} {self.message}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, str]]:
        """Pickle with all three fields: parallel builds send errors back from worker processes."""
        return (type(self), (self.source, self.message, self.code))


class StoreLockedError(KgError):
    """Another process holds the store open for writing."""

    code = "E200"


class QueryError(KgError):
    """A SPARQL query could not be found, parsed or run.

    Codes (``kg query`` and ``kg serve``): E300 the query cannot be found, parsed or run; E319 SERVICE
    refused (off, or a host not in ``--allow-service``); E321 the text is too long or nests too deep to be
    parsed safely; E325 a federated (SERVICE) query failed, without saying how.

    ``kg serve`` answers (the code starts the text/plain body): E310 cannot start, E311 timed out or
    every worker busy (503), E312 more than ``--max-results`` (422), E313 update refused (403), E314
    malformed query or request, E315 no acceptable result type (406), E316 the query failed (500), E317 the
    store cannot be read (503), E318 bad Host header (403), E322 bad request framing or encoding
    (Content-Length, chunked body, charset, invalid UTF-8), E323 protocol parameters wrong (repeated
    query=/update=, bad graph IRI, using-graph-uri with USING/WITH), E324 method not allowed (405), E326
    a worker ran out of its ``--max-memory`` (503), E327 a value XML 1.0 cannot carry (406), E328 the
    request did not arrive within ``--idle-timeout`` (408).
    """

    code = "E300"

    def __init__(self, message: str, *, code: str = "E300") -> None:
        super().__init__(message)
        self.code = code


class RemoteError(KgError):
    """A remote triplestore could not be reached, refused the credentials or rejected data.

    Codes: E301 cannot connect, E302 authentication failed (HTTP 401), E303 forbidden (403),
    E304 request rejected (other 4xx/5xx), E305 server error that outlasted the retries,
    E306 bad endpoint URL or option, E307 the server truncated an answer.
    Messages name the URL without credentials (see ``kg.store.remote.redact``).
    """

    code = "E301"

    def __init__(self, message: str, *, code: str = "E301", status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


class RenderError(KgError):
    """``kg render`` cannot draw what was asked.

    Codes: E401 no entity by the ``--focus`` or ``--country`` name, E402 unknown filter value
    (type, language), E403 bad date or date range, E404 nothing left to draw after the
    filters, E405 the page cannot be written.
    """

    code = "E400"

    def __init__(self, message: str, *, code: str = "E400") -> None:
        super().__init__(message)
        self.code = code


class ClusterError(KgError):
    """A distributed build could not start or lost its cluster (E500-E549)."""

    code = "E500"

    def __init__(self, message: str, code: str = "E500") -> None:
        super().__init__(message)
        self.code = code


class FactModelError(KgError):
    """A fact model folder (``--fact-model``) that is missing or unreadable."""

    code = "E120"


class FactTrainingError(KgError):
    """Training could not export what scikit-learn fitted into kg's own scorer (``kg train-facts``)."""

    code = "E121"


class InputWarning(InputError):
    """Something about one input the user should know, that did not stop it (W1xx codes).

    Codes: W110 invalid UTF-8 bytes were replaced (the message gives the first byte offset), W111 the
    article's language has no kg lexicon (stored with its true language, CLDR names and numbers only),
    W112 a path inside a folder was skipped (symlink loop, dangling link, unreadable folder or file type).
    """

    code = "W100"

    def __init__(self, source: str, message: str, code: str = "W100") -> None:
        super().__init__(source, message, code)


class StoreWriteError(KgError):
    """The store (or a file next to it) cannot be written: disk full, quota, permissions (E201).

    The build stops at the first such failure: every later write would fail the same way. The article
    being written when it happened is not in the store; the articles before it are.
    """

    code = "E201"


class GazetteerError(KgError):
    """A user gazetteer (``--gazetteer``) cannot be read or has a bad cell (E130); names file and row."""

    code = "E130"
