"""Looking at SPARQL text before Oxigraph parses it: nesting depth, SERVICE calls, dataset clauses.

Oxigraph's parser recurses once per nested group or parenthesis and overflows the stack (killing
the process) a few thousand levels down, and it runs ``SERVICE`` calls with its own HTTP client.
Both must be stopped before the text reaches it.  Oxigraph exposes no algebra, so this module
tokenizes the text the way the SPARQL grammar does: comments, string literals (short and long
forms, with escapes), IRI references, variables, prefixed names (with their ``\\``-escapes) and
keywords are told apart, so a keyword counts only where it is a keyword, not inside a string,
an IRI, a comment or a prefixed name (``ex:service``).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

# One alternative per token kind; the order matters (a prefixed name before a bare keyword).
_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
                | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                | '(?:[^'\\\n\r]|\\.)*'
                | "(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
    | (?P<pname>(?:[^\W\d][\w.\-\u00B7]*)?:(?:[\w:\-.\u00B7%]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_OPEN = {"{", "(", "["}
_CLOSE = {"}", ")", "]"}
_UNESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int

    @property
    def keyword(self) -> str:
        """The keyword in upper case ('' for anything that is not a bare word)."""
        return self.text.upper() if self.kind == "word" else ""


def tokens(text: str) -> list[Token]:
    """Every token but white space and comments."""
    out = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            out.append(Token(kind, match.group(), match.start(), match.end()))
    return out


class TextRefused(Exception):
    """The text is refused before parsing; ``code`` says why (see kg.errors)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def deepest(toks: Iterable[Token]) -> int:
    """How deep brackets nest, counting each run of ``!`` as that many levels (Oxigraph recurses on both)."""
    depth = deepest_seen = run = 0
    for token in toks:
        if token.text in _OPEN:
            depth += 1
        elif token.text in _CLOSE:
            depth = max(depth - 1, 0)
        run = run + 1 if token.text == "!" else 0
        deepest_seen = max(deepest_seen, depth + run)
    return deepest_seen


def check_size(text: str, *, max_chars: int, max_depth: int, what: str = "query") -> list[Token]:
    """The tokens of ``text``, or :class:`TextRefused` (E321) when it is too long or nests too deep."""
    if len(text) > max_chars:
        raise TextRefused("E321", f"the {what} has {len(text):,} characters, more than the limit of {max_chars:,}")
    toks = tokens(text)
    depth = deepest(toks)
    if depth > max_depth:
        raise TextRefused(
            "E321",
            f"the {what} nests {depth} levels deep (groups, parentheses, '!'), more than the limit of {max_depth}",
        )
    return toks


def _unescape(iri: str) -> str:
    return _UNESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), iri)


def _prologue(toks: list[Token], prefixes: Mapping[str, str]) -> tuple[dict[str, str], str | None]:
    """PREFIX and BASE declarations (the last BASE wins), on top of ``prefixes``."""
    declared = dict(prefixes)
    base = None
    for i, token in enumerate(toks):
        if token.keyword == "PREFIX" and i + 2 < len(toks) and toks[i + 2].kind == "iri":
            declared[toks[i + 1].text.rstrip(":")] = _unescape(toks[i + 2].text[1:-1])
        elif token.keyword == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base = _unescape(toks[i + 1].text[1:-1])
    return declared, base


def service_targets(toks: list[Token], prefixes: Mapping[str, str], base: str | None) -> list[str | None]:
    """The IRI of every SERVICE in the text (None where it is a variable or cannot be resolved)."""
    declared, declared_base = _prologue(toks, prefixes)
    base = declared_base or base
    targets: list[str | None] = []
    for i, token in enumerate(toks):
        if token.keyword != "SERVICE":
            continue
        j = i + 1
        if j < len(toks) and toks[j].keyword == "SILENT":
            j += 1
        target = toks[j] if j < len(toks) else None
        if target is not None and target.kind == "iri":
            iri = _unescape(target.text[1:-1])
            targets.append(urljoin(base, iri) if base else iri)
        elif target is not None and target.kind == "pname" and "\\" not in target.text:
            prefix, _, local = target.text.partition(":")
            targets.append(declared[prefix] + local if prefix in declared else None)
        else:
            targets.append(None)
    return targets


def has_keyword(toks: Iterable[Token], *words: str) -> bool:
    wanted = {w.upper() for w in words}
    return any(t.keyword in wanted for t in toks)


@dataclass(frozen=True)
class ServicePolicy:
    """Which hosts a query may call with SERVICE.

    Empty (the default): none.  A host named in the list is allowed as named, whatever address it
    has.  ``*`` allows any other host too, but only when every address it resolves to is public, so
    loopback, private, link-local and other reserved ranges are reached only when named.
    """

    hosts: frozenset[str] = frozenset()

    @classmethod
    def of(cls, hosts: Iterable[str] | None) -> ServicePolicy:
        return cls(frozenset(h.strip().lower().strip("[]") for h in hosts or () if h.strip()))

    def check(self, toks: list[Token], prefixes: Mapping[str, str], base: str | None = None) -> bool:
        """True when the text has a SERVICE call (all allowed); :class:`TextRefused` (E319) otherwise."""
        targets = service_targets(toks, prefixes, base)
        for target in targets:
            self._check_one(target)
        return bool(targets)

    def _check_one(self, target: str | None) -> None:
        if not self.hosts:
            raise TextRefused(
                "E319", "SERVICE (federated query) is off: start with --allow-service HOST to let queries call HOST"
            )
        if target is None:
            raise TextRefused("E319", "SERVICE needs a full IRI here (a variable or unknown prefix cannot be checked)")
        parts = urlsplit(target)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not host:
            raise TextRefused("E319", f"SERVICE <{target}> is not an http(s) URL")
        if host in self.hosts:
            return
        if "*" not in self.hosts:
            raise TextRefused("E319", f"SERVICE host {host} is not in --allow-service")
        if not _public(host):
            raise TextRefused(
                "E319",
                f"SERVICE host {host} is not public (loopback, private or link-local) or does not resolve: "
                "name it in --allow-service to allow it",
            )


def _public(host: str) -> bool:
    """Every address ``host`` resolves to is a global unicast address (False if it does not resolve)."""
    try:
        addresses = {ipaddress.ip_address(host)}
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None)
        except (OSError, UnicodeError):
            return False
        addresses = {ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos}
    return bool(addresses) and all(a.is_global and not a.is_multicast for a in addresses)


def add_dataset(toks: list[Token], text: str, default: Iterable[str], named: Iterable[str]) -> str:
    """The update with USING / USING NAMED clauses for the protocol's ``using-graph-uri`` /
    ``using-named-graph-uri`` added to every operation that has a WHERE pattern.

    ``DELETE WHERE { P }`` takes no USING clause, so it is written ``DELETE { P } USING ... WHERE { P }``,
    which means the same.  The caller has checked that the text has no USING or WITH of its own.
    """
    clause = " ".join([f"USING <{g}>" for g in default] + [f"USING NAMED <{g}>" for g in named])
    pieces: list[str] = []
    done = 0
    depth = 0
    for i, token in enumerate(toks):
        if token.text in _OPEN:
            depth += 1
        elif token.text in _CLOSE:
            depth = max(depth - 1, 0)
        if depth or token.keyword != "WHERE":
            continue
        if i > 0 and toks[i - 1].keyword == "DELETE":
            close = _matching(toks, i + 1)
            pattern = text[toks[i + 1].start : toks[close].end]
            pieces.append(text[done : token.start])
            pieces.append(f"{pattern} {clause} WHERE ")
            done = token.end
        else:
            pieces.append(text[done : token.start])
            pieces.append(f"{clause} ")
            done = token.start
    pieces.append(text[done:])
    return "".join(pieces)


def _matching(toks: list[Token], opening: int) -> int:
    """Index of the bracket closing the one at ``opening``."""
    if opening >= len(toks) or toks[opening].text != "{":
        raise TextRefused("E314", "DELETE WHERE must be followed by { ... }")
    depth = 0
    for k in range(opening, len(toks)):
        if toks[k].text in _OPEN:
            depth += 1
        elif toks[k].text in _CLOSE:
            depth -= 1
            if depth == 0:
                return k
    raise TextRefused("E314", "unbalanced braces after DELETE WHERE")
