"""Typed hand-offs between the pipeline stages.

Each stage consumes the type produced by the one before it:
``Article`` (ingest) -> spaCy ``Doc`` (nlp) -> ``Mention`` / ``MoneyAmount``
(extract) -> ``Investment`` / ``Partnership`` (extract) -> ``ResolvedEntity``
(resolve) -> quads (rdf).  Offsets are always Python string indices, i.e.
Unicode code points, half-open ``[start, end)``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class EntityKind(StrEnum):
    """The entity types kg recognises."""

    ORGANIZATION = "ORG"
    COUNTRY = "COUNTRY"
    PERSON = "PER"
    PROJECT = "PROJECT"


@dataclass(frozen=True)
class Span:
    """A character range in an article's text (code points, half-open)."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")


@dataclass(frozen=True)
class Article:
    """One news article, decoded and cleaned, ready for NLP.

    ``source`` is the input location exactly as the user gave it (a file path,
    ``path:line`` for JSON Lines, ``-`` for stdin) unless the article carries a
    URL, which then wins: users cite URLs, not our local paths.
    """

    text: str
    source: str
    lang: str
    url: str | None = None
    title: str | None = None
    date: str | None = None
    lang_forced: bool = False

    @property
    def key(self) -> str:
        """Stable identity: a hash of the URL when there is one, else of the text."""
        basis = ("url:" + self.url.strip()) if self.url else ("text:" + " ".join(self.text.split()))
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:24]

    @property
    def location(self) -> str:
        """What users see as the article's source."""
        return self.url or self.source


INFERRED = "inferred"  # the origin of a mention that is a role filler, not a name in the text (see Mention.origin)


@dataclass(frozen=True)
class Mention:
    """A named-entity mention found in an article.

    ``key`` is the canonical identity when the extractor knows it: the ISO
    3166-1 alpha-2 code for countries, the gazetteer id for known
    organizations, ``None`` for names the resolver must still settle.
    """

    span: Span
    text: str
    kind: EntityKind
    sentence: Span
    key: str | None = None
    label: str | None = None
    confidence: float = 1.0
    origin: str = "rule"
    """Who found it: ``gazetteer``, ``cldr``, ``rule``, ``model``, ``propagated``, or ``inferred``.

    An ``inferred`` mention is not a name in the text but a role filler that a
    fact derived (the destination country of "a French start-up", of "a data
    centre in Eindhoven").  It is resolved like any mention so the fact can
    point to the entity, but it is never written as a nif:Phrase, never counts
    as the article mentioning the entity, and adds no surface form.
    """


@dataclass(frozen=True)
class MoneyAmount:
    """A normalised amount of money mentioned in an article.

    ``value`` is the amount in units of ``currency`` (ISO 4217).  For ranges,
    ``value`` is the upper bound and ``value_min`` the lower one.
    ``qualifier`` keeps hedges such as "more than" as one of
    ``"more_than" | "less_than" | "up_to" | "about" | "at_least"``.
    """

    span: Span
    text: str
    value: Decimal
    currency: str
    sentence: Span
    value_min: Decimal | None = None
    qualifier: str | None = None
    currency_implicit: bool = False


class FactStatus(StrEnum):
    """Where a deal stands, as its own sentence tells (the concepts of ``ontology/status.ttl``).

    Listed from the strongest cue to the weakest: a sentence with cues of
    several statuses gets the first one listed here.
    """

    CANCELLED = "cancelled"  # withdrawn, called off, blocked, denied
    RUMOURED = "rumoured"  # reported by others: "according to sources", "reportedly"
    PLANNED = "planned"  # intentions, talks, letters of intent, "would"; every hedged fact at least
    COMPLETED = "completed"  # closed, raised, finalised
    AGREED = "agreed"  # signed, MoU, definitive agreement
    ANNOUNCED = "announced"  # stated, with none of the cues above


class DatePrecision(StrEnum):
    """How much of a date the text gives: the datatype of ``kg:eventDate`` follows from it."""

    DAY = "day"  # xsd:date
    WEEK = "week"  # xsd:date of the day the text points to ("last week"); only the week is certain
    MONTH = "month"  # xsd:gYearMonth
    YEAR = "year"  # xsd:gYear


@dataclass(frozen=True)
class FactDate:
    """The date a fact's sentence gives it, resolved against the article's date.

    ``value`` is the ISO date dateparser resolved; only its first ``precision``
    parts are meant (a month-precise date keeps day 1).  ``text`` is the
    expression as written.
    """

    value: date
    precision: DatePrecision
    text: str

    @property
    def lexical(self) -> str:
        """The value as its XSD datatype writes it: ``2025-05-22``, ``2025-05`` or ``2025``."""
        if self.precision is DatePrecision.YEAR:
            return f"{self.value.year:04d}"
        if self.precision is DatePrecision.MONTH:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()


@dataclass(frozen=True)
class Conversion:
    """An amount in USD and EUR at one day's reference rates (``rate_*``: target units per unit of the amount)."""

    value_usd: Decimal
    value_eur: Decimal
    rate_usd: Decimal
    rate_eur: Decimal
    rate_date: date
    source: str
    min_usd: Decimal | None = None  # the lower bound of a range, converted
    min_eur: Decimal | None = None


@dataclass(frozen=True)
class Investment:
    """Who invests how much in what and where (every role optional)."""

    evidence: Span
    investor: Mention | None = None
    co_investors: tuple[Mention, ...] = ()
    amount: MoneyAmount | None = None
    target: Mention | None = None
    country: Mention | None = None
    hedged: bool = False
    trigger: str = ""
    country_inferred: bool = False
    confidence: float | None = None  # the fact model's calibrated probability; None when the rules decided
    status: FactStatus | None = None  # where the deal stands, read from its sentence after the fact is decided
    event_date: FactDate | None = None  # when it happened, where the sentence says so


@dataclass(frozen=True)
class Partnership:
    """A symmetric cooperation between two parties, stated in one sentence."""

    evidence: Span
    a: Mention
    b: Mention
    hedged: bool = False
    trigger: str = ""
    confidence: float | None = None  # the fact model's calibrated probability; None when the rules decided
    status: FactStatus | None = None
    event_date: FactDate | None = None


@dataclass
class Extraction:
    """Everything extracted from one article, before resolution."""

    article: Article
    # The user's extra gazetteer files: extractors look names up in the same knowledge as the pipeline.
    gazetteers: tuple[str, ...] = ()
    sentences: list[Span] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    amounts: list[MoneyAmount] = field(default_factory=list)
    investments: list[Investment] = field(default_factory=list)
    partnerships: list[Partnership] = field(default_factory=list)
