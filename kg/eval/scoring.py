"""Score kg's predictions against gold annotations (pure Python, no RDF).

The lead code turns the knowledge graph into :class:`DocPrediction` objects;
:func:`score` compares them with :class:`~kg.eval.gold.GoldDoc` objects and
returns an :class:`EvalResult` with TP/FP/FN per kind, per language, per document
and overall, plus one :class:`Miss` / :class:`FalseHit` record per error so a
user can see *why* a number is low.

Matching follows the "Scoring advice" of the gold format, made precise:

* **Names** (orgs, persons, investment and partnership parties) are compared
  after :func:`normalize_name`: Unicode NFKC, case-folded, whitespace collapsed,
  typographic apostrophes made straight.  Annotators copy surface forms
  verbatim, so these differences carry no meaning.
* **One-to-one.** Every gold item is matched by at most one prediction and vice
  versa, so a system that splits one entity into two nodes gets one TP and one
  FP, and one that merges two entities into one node gets one TP and one FN.
  The assignment first maximises matches of *required* gold items and only
  then lets left-over predictions match optional ones, preferring the closest
  candidate (exact canonical name, smallest amount error) at every step.
* **Optional** gold items (``optional: true``; ``type: media`` orgs when
  ``include_media=False``; ``countries_demonym_only`` ISO codes) are not
  required (excluded from recall) and a prediction that matches one is not a
  false positive either: it is counted as ``ignored``.  Demonym-only countries
  are optional because the annotation guide does not count "French" as a
  mention of France, yet a system that links it to FR has not invented
  anything; penalising it either way would measure annotation policy, not
  extraction quality.
* **Persons:** a predicted person matches a gold person when one of its names
  equals the gold name or a gold mention.  A left-over predicted person whose
  names are all single tokens equal to a mention of some gold person (typically
  a surname the system failed to attach to the full name) is ``ignored``,
  not a false positive: the person is real, only coreference failed.
* **Amounts:** predictions are first de-duplicated per document by
  (value, currency), because the gold lists each distinct amount once.  A
  prediction matches when the currency is equal and the value is within ±1 %
  of the gold ``value`` or of ``value_alt``.
* **Investments:** see :func:`investment_match`; in short investor (any of
  investor + co-investors; ignored when the gold investor is null), amount
  (±1 % of amount_value / amount_value_alt / amount_min, same currency, or both
  null), target and country (when present in gold).  Gold parties are expanded
  with the aliases of the gold org of that name.  A Stargate project
  (a party whose name contains the word "Stargate") may sit in either role.
* **Partnerships:** unordered pairs; each side may be matched by any name of
  the party (or the ISO code for a country).  The ``hedged`` flag does not
  affect matching; agreement on it is reported separately in
  :attr:`EvalResult.hedged`.

Predictions for documents without gold are not scored (listed in
:attr:`EvalResult.docs_without_gold`); gold documents without a prediction
count all their required items as misses (listed in
:attr:`EvalResult.docs_without_prediction`).  Results are grouped by the
*gold* language, so a language-detection error does not move a document to
another row; mismatches are listed in :attr:`EvalResult.lang_mismatches`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from kg.eval.gold import GoldAmount, GoldDoc, GoldInvestment

__all__ = [
    "AMOUNT_TOLERANCE",
    "KINDS",
    "Counts",
    "DocPrediction",
    "EvalResult",
    "FalseHit",
    "HedgeAgreement",
    "Miss",
    "PredictedAmount",
    "PredictedInvestment",
    "PredictedOrg",
    "PredictedPartnership",
    "PredictedPerson",
    "find_sentence",
    "format_amount",
    "investment_match",
    "normalize_name",
    "score",
]

#: The kinds of items scored, in report order.
KINDS: tuple[str, ...] = ("organizations", "countries", "persons", "amounts", "investments", "partnerships")

#: Relative tolerance for money values: rounding in the text ("$1.5bn" for
#: 1,487 million) must not count as an error.
AMOUNT_TOLERANCE = Decimal("0.01")


# --------------------------------------------------------------------------- predictions


@dataclass
class PredictedOrg:
    """An organization node: canonical label plus every surface form seen."""

    names: frozenset[str]


@dataclass
class PredictedPerson:
    """A person node: canonical name plus surface forms."""

    names: frozenset[str]


@dataclass
class PredictedAmount:
    """A money amount; ``text`` is the surface span, ``sentence`` where it was found."""

    value: Decimal
    currency: str
    text: str
    sentence: str
    value_min: Decimal | None = None


@dataclass
class PredictedInvestment:
    """An investment fact.

    ``investor``/``target`` hold every name of the party (label + aliases) or
    ``{ISO}`` for a country; an empty set means the role is empty.
    """

    investor: frozenset[str]
    amount: Decimal | None
    currency: str | None
    target: frozenset[str]
    country: str | None
    evidence: str
    hedged: bool = False


@dataclass
class PredictedPartnership:
    """An (unordered) partnership; each side holds every name of the party or ``{ISO}``."""

    a: frozenset[str]
    b: frozenset[str]
    evidence: str
    hedged: bool = False


@dataclass
class DocPrediction:
    """Everything kg extracted from one document, in scorer-friendly form."""

    doc_id: str
    lang: str
    organizations: list[PredictedOrg]
    countries: dict[str, str]  # iso -> example sentence
    persons: list[PredictedPerson]
    amounts: list[PredictedAmount]
    investments: list[PredictedInvestment]
    partnerships: list[PredictedPartnership]
    org_sentences: dict[str, str] = field(default_factory=dict)  # name -> sentence (for false hits)


# --------------------------------------------------------------------------- results


@dataclass
class Counts:
    """TP/FP/FN for one kind.  ``ignored`` = predictions neither right nor wrong.

    Metrics are ``None`` when undefined (no predictions / no gold), so a report
    can print "-" instead of a misleading 0 or 1.
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0
    ignored: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """2TP / (2TP + FP + FN): equals the harmonic mean and is defined whenever anything was counted."""
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.ignored += other.ignored


@dataclass
class HedgeAgreement:
    """Among matched gold/predicted pairs, how often the ``hedged`` flags agree."""

    agree: int = 0
    total: int = 0
    gold_hedged: int = 0  # matched pairs whose gold item is hedged
    both_hedged: int = 0  # ... of which the prediction is hedged too

    def add(self, other: HedgeAgreement) -> None:
        self.agree += other.agree
        self.total += other.total
        self.gold_hedged += other.gold_hedged
        self.both_hedged += other.both_hedged


@dataclass(frozen=True)
class Miss:
    """A required gold item that no prediction matched (a false negative)."""

    kind: str
    doc_id: str
    lang: str
    description: str
    sentence: str | None = None


@dataclass(frozen=True)
class FalseHit:
    """A prediction that matched no gold item (a false positive)."""

    kind: str
    doc_id: str
    lang: str
    description: str
    sentence: str | None = None


def _kind_counts() -> dict[str, Counts]:
    return {kind: Counts() for kind in KINDS}


@dataclass
class EvalResult:
    """Outcome of :func:`score`.  ``by_lang`` and ``by_doc`` map to per-kind counts."""

    overall: dict[str, Counts] = field(default_factory=_kind_counts)
    by_lang: dict[str, dict[str, Counts]] = field(default_factory=dict)
    by_doc: dict[str, dict[str, Counts]] = field(default_factory=dict)
    doc_lang: dict[str, str] = field(default_factory=dict)  # doc id -> gold language
    misses: list[Miss] = field(default_factory=list)
    false_hits: list[FalseHit] = field(default_factory=list)
    hedged: dict[str, HedgeAgreement] = field(
        default_factory=lambda: {"investments": HedgeAgreement(), "partnerships": HedgeAgreement()}
    )
    docs_without_prediction: list[str] = field(default_factory=list)
    docs_without_gold: list[str] = field(default_factory=list)
    lang_mismatches: list[tuple[str, str, str]] = field(default_factory=list)  # (doc id, gold, predicted)
    include_media: bool = True

    @property
    def languages(self) -> list[str]:
        return sorted(self.by_lang)

    def docs_per_lang(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for lang in self.doc_lang.values():
            out[lang] = out.get(lang, 0) + 1
        return out

    def total(self, counts: Mapping[str, Counts] | None = None) -> Counts:
        """Micro-sum over all kinds (of ``overall`` unless ``counts`` is given)."""
        summed = Counts()
        for c in (counts if counts is not None else self.overall).values():
            summed.add(c)
        return summed


# --------------------------------------------------------------------------- helpers

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'", "\u2032": "'"})
_WS = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """Comparable form of a name: NFKC, straight apostrophes, case-folded, single spaces."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", name).translate(_APOSTROPHES)).strip().casefold()


def _norm_set(names: Iterable[str]) -> frozenset[str]:
    return frozenset(n for n in (normalize_name(x) for x in names) if n)


def _rel_error(predicted: Decimal, gold: Decimal) -> Decimal | None:
    """Relative error if within :data:`AMOUNT_TOLERANCE`, else None."""
    if gold == 0:
        return Decimal(0) if predicted == 0 else None
    err = abs(predicted - gold) / abs(gold)
    return err if err <= AMOUNT_TOLERANCE else None


def _best_error(predicted: Decimal, candidates: Iterable[Decimal | None]) -> Decimal | None:
    errors = [e for c in candidates if c is not None for e in [_rel_error(predicted, c)] if e is not None]
    return min(errors) if errors else None


def format_amount(value: Decimal | None, currency: str | None) -> str:
    """Human-readable amount for reports: ``1.5 bn USD``, ``600 M EUR``."""
    if value is None:
        return "no amount"
    cur = f" {currency}" if currency else ""
    for scale, suffix in ((Decimal(10) ** 12, " tn"), (Decimal(10) ** 9, " bn"), (Decimal(10) ** 6, " M")):
        if abs(value) >= scale:
            scaled = (value / scale).quantize(Decimal("0.001")).normalize()
            return f"{scaled:f}{suffix}{cur}"
    return f"{value.normalize():f}{cur}"


_SENT_END = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019)\]]*\s+|\n+")


def find_sentence(text: str | None, needles: Iterable[str]) -> str | None:
    """The sentence of ``text`` holding the first needle found (case-insensitive), else None.

    Used to quote context for missed gold items, whose annotation carries no sentence.
    """
    if not text:
        return None
    for needle in needles:
        if not needle.strip():
            continue
        # Prefer a whole-word hit ("Arm" must not land in "armed"), else any substring.
        escaped = re.escape(needle.strip())
        hit = re.search(r"(?<!\w)" + escaped + r"(?!\w)", text, re.IGNORECASE) or re.search(
            escaped, text, re.IGNORECASE
        )
        if hit is None:
            continue
        pos = hit.start()
        start, end = 0, len(text)
        for m in _SENT_END.finditer(text):
            if m.end() <= pos:
                start = m.end()
            elif m.start() >= pos + len(needle.strip()):
                end = m.start()
                break
        return " ".join(text[start:end].split())
    return None


G = TypeVar("G")
P = TypeVar("P")
Score = tuple[float, ...]


def _assign(
    golds: Sequence[G],
    preds: Sequence[P],
    required: Sequence[bool],
    edge: Callable[[G, P], Score | None],
) -> dict[int, int]:
    """One-to-one assignment gold index -> prediction index.

    Phase 1 matches required gold items: greedy best-score-first, then augmenting
    paths (Kuhn) so the number of matched required items is maximal.  Phase 2
    does the same for optional items with the remaining predictions.  Augmenting
    paths never unmatch a gold item, so phase 2 cannot cost a required match.
    Lower scores are better.
    """
    cands: dict[int, list[tuple[Score, int]]] = {}
    for gi, g in enumerate(golds):
        found = [(s, pi) for pi, p in enumerate(preds) for s in [edge(g, p)] if s is not None]
        cands[gi] = sorted(found)
    g2p: dict[int, int] = {}
    p2g: dict[int, int] = {}

    def augment(gi: int, seen: set[int]) -> bool:
        for _s, pi in cands[gi]:
            if pi in seen:
                continue
            seen.add(pi)
            if pi not in p2g or augment(p2g[pi], seen):
                g2p[gi] = pi
                p2g[pi] = gi
                return True
        return False

    for want_required in (True, False):
        group = [gi for gi in range(len(golds)) if required[gi] == want_required]
        edges = sorted((s, gi, pi) for gi in group for s, pi in cands[gi])
        for _s, gi, pi in edges:
            if gi not in g2p and pi not in p2g:
                g2p[gi] = pi
                p2g[pi] = gi
        for gi in group:
            if gi not in g2p:
                augment(gi, set())
    return g2p


def _name_score(pred_names: frozenset[str], canonical: str, others: frozenset[str]) -> Score | None:
    """0 when the canonical name matches, 1 for an alias/mention match, None for no match."""
    if canonical in pred_names:
        return (0.0,)
    if pred_names & others:
        return (1.0,)
    return None


# --------------------------------------------------------------------------- per-kind scoring


@dataclass
class _DocScorer:
    """Scores one document; appends errors to the result lists it is given."""

    gold: GoldDoc
    pred: DocPrediction
    include_media: bool
    misses: list[Miss]
    false_hits: list[FalseHit]
    hedged: dict[str, HedgeAgreement]
    strict_roles: bool = False

    def __post_init__(self) -> None:
        self.lang = self.gold.lang
        # canonical (normalised) name -> every normalised name of that gold party,
        # so investments/partnerships can be matched through aliases.
        self.party_names: dict[str, frozenset[str]] = {}
        for org in self.gold.organizations:
            key = normalize_name(org.name)
            self.party_names[key] = self.party_names.get(key, frozenset()) | _norm_set(org.all_names)
        for country in self.gold.countries:
            key = normalize_name(country.iso)
            self.party_names[key] = self.party_names.get(key, frozenset()) | _norm_set((country.iso, *country.mentions))

    def names_of(self, party: str) -> frozenset[str]:
        key = normalize_name(party)
        return self.party_names.get(key, frozenset({key}))

    def miss(self, kind: str, description: str, sentence: str | None) -> None:
        self.misses.append(Miss(kind, self.gold.id, self.lang, description, sentence))

    def false_hit(self, kind: str, description: str, sentence: str | None) -> None:
        self.false_hits.append(FalseHit(kind, self.gold.id, self.lang, description, sentence))

    def _tally(
        self,
        kind: str,
        required: Sequence[bool],
        matched: Mapping[int, int],
        n_pred: int,
        describe_gold: Callable[[int], tuple[str, str | None]],
        describe_pred: Callable[[int], tuple[str, str | None]],
        forgive: Callable[[int], bool] | None = None,
    ) -> Counts:
        counts = Counts()
        for gi, req in enumerate(required):
            if gi in matched:
                if req:
                    counts.tp += 1
                else:
                    counts.ignored += 1
            elif req:
                counts.fn += 1
                self.miss(kind, *describe_gold(gi))
        used = set(matched.values())
        for pi in range(n_pred):
            if pi in used:
                continue
            if forgive is not None and forgive(pi):
                counts.ignored += 1
                continue
            counts.fp += 1
            self.false_hit(kind, *describe_pred(pi))
        return counts

    # ---- organizations
    def organizations(self) -> Counts:
        golds = list(self.gold.organizations)
        preds = [p for p in self.pred.organizations if _norm_set(p.names)]
        pred_sets = [_norm_set(p.names) for p in preds]
        required = [not (g.optional or (g.is_media and not self.include_media)) for g in golds]
        gold_keys = [(normalize_name(g.name), _norm_set(g.all_names)) for g in golds]
        matched = _assign(
            range(len(golds)), range(len(preds)), required, lambda gi, pi: _name_score(pred_sets[pi], *gold_keys[gi])
        )

        def describe_gold(gi: int) -> tuple[str, str | None]:
            g = golds[gi]
            extra = [a for a in g.aliases if normalize_name(a) != normalize_name(g.name)]
            desc = g.name + (f" (in text: {', '.join(extra)})" if extra else "") + (f" [{g.type}]" if g.type else "")
            return desc, find_sentence(self.gold.text, g.all_names)

        def describe_pred(pi: int) -> tuple[str, str | None]:
            names = sorted(preds[pi].names, key=lambda n: (len(n), n))
            sentence = self._org_sentence(names)
            return " / ".join(names), sentence

        return self._tally("organizations", required, matched, len(preds), describe_gold, describe_pred)

    def _org_sentence(self, names: Sequence[str]) -> str | None:
        by_norm = {normalize_name(k): v for k, v in self.pred.org_sentences.items()}
        for name in names:
            if normalize_name(name) in by_norm:
                return by_norm[normalize_name(name)]
        return find_sentence(self.gold.text, names)

    # ---- countries
    def countries(self) -> Counts:
        named = {c.iso: c for c in self.gold.countries}
        demonym = sorted(self.gold.countries_demonym_only - set(named))
        gold_isos = list(named) + demonym
        required = [iso in named for iso in gold_isos]
        pred_items = sorted({iso.strip().upper(): s for iso, s in self.pred.countries.items() if iso.strip()}.items())
        matched = _assign(gold_isos, [iso for iso, _ in pred_items], required, lambda g, p: (0.0,) if g == p else None)

        def describe_gold(gi: int) -> tuple[str, str | None]:
            c = named[gold_isos[gi]]
            desc = c.iso + (f" (in text: {', '.join(c.mentions)})" if c.mentions else "")
            return desc, find_sentence(self.gold.text, c.mentions)

        def describe_pred(pi: int) -> tuple[str, str | None]:
            iso, sentence = pred_items[pi]
            return iso, sentence or None

        return self._tally("countries", required, matched, len(pred_items), describe_gold, describe_pred)

    # ---- persons
    def persons(self) -> Counts:
        golds = list(self.gold.persons)
        preds = [p for p in self.pred.persons if _norm_set(p.names)]
        pred_sets = [_norm_set(p.names) for p in preds]
        gold_keys = [(normalize_name(g.name), _norm_set(g.all_names)) for g in golds]
        required = [True] * len(golds)
        matched = _assign(
            range(len(golds)), range(len(preds)), required, lambda gi, pi: _name_score(pred_sets[pi], *gold_keys[gi])
        )
        mentions = _union(keys for _, keys in gold_keys)

        def surname_only(pi: int) -> bool:
            names = pred_sets[pi]
            return all(" " not in n for n in names) and bool(names & mentions)

        def describe_gold(gi: int) -> tuple[str, str | None]:
            g = golds[gi]
            extra = [m for m in g.mentions if normalize_name(m) != normalize_name(g.name)]
            desc = g.name + (f" (in text: {', '.join(extra)})" if extra else "")
            return desc, find_sentence(self.gold.text, g.all_names)

        def describe_pred(pi: int) -> tuple[str, str | None]:
            names = sorted(preds[pi].names, key=lambda n: (-len(n), n))
            return " / ".join(names), find_sentence(self.gold.text, names)

        return self._tally("persons", required, matched, len(preds), describe_gold, describe_pred, forgive=surname_only)

    # ---- amounts
    def amounts(self) -> Counts:
        golds: list[GoldAmount] = list(self.gold.amounts)
        preds: list[PredictedAmount] = []
        seen: set[tuple[Decimal, str]] = set()
        for p in self.pred.amounts:
            key = (p.value.normalize(), p.currency.strip().upper())
            if key not in seen:
                seen.add(key)
                preds.append(p)

        def edge(gi: int, pi: int) -> Score | None:
            g, p = golds[gi], preds[pi]
            if p.currency.strip().upper() != g.currency:
                return None
            err = _best_error(p.value, (g.value, g.value_alt))
            return None if err is None else (float(err),)

        required = [True] * len(golds)
        matched = _assign(range(len(golds)), range(len(preds)), required, edge)

        def describe_gold(gi: int) -> tuple[str, str | None]:
            g = golds[gi]
            desc = format_amount(g.value, g.currency)
            if g.value_min is not None:
                desc = f"{format_amount(g.value_min, None)}-{desc}"
            if g.value_alt is not None:
                desc += f" (or {format_amount(g.value_alt, g.currency)})"
            if g.text:
                desc += f' "{g.text}"'
            return desc, find_sentence(self.gold.text, [g.text])

        def describe_pred(pi: int) -> tuple[str, str | None]:
            p = preds[pi]
            desc = format_amount(p.value, p.currency.strip().upper())
            if p.value_min is not None:
                desc = f"{format_amount(p.value_min, None)}-{desc}"
            if p.text:
                desc += f' "{p.text}"'
            return desc, p.sentence or None

        return self._tally("amounts", required, matched, len(preds), describe_gold, describe_pred)

    # ---- investments
    def investments(self) -> Counts:
        golds = list(self.gold.investments)
        preds = list(self.pred.investments)
        required = [not g.optional for g in golds]
        matched = _assign(
            range(len(golds)),
            range(len(preds)),
            required,
            lambda gi, pi: investment_match(golds[gi], preds[pi], self.names_of, self.strict_roles),
        )
        self._hedge("investments", [(golds[gi].hedged, preds[pi].hedged) for gi, pi in matched.items()])

        def describe_gold(gi: int) -> tuple[str, str | None]:
            return _describe_gold_investment(golds[gi]), golds[gi].evidence or None

        def describe_pred(pi: int) -> tuple[str, str | None]:
            return _describe_pred_investment(preds[pi]), preds[pi].evidence or None

        return self._tally("investments", required, matched, len(preds), describe_gold, describe_pred)

    # ---- partnerships
    def partnerships(self) -> Counts:
        golds = list(self.gold.partnerships)
        preds = list(self.pred.partnerships)
        required = [not g.optional for g in golds]
        gold_sides = [(self.names_of(g.a), self.names_of(g.b)) for g in golds]
        pred_sides = [(_norm_set(p.a), _norm_set(p.b)) for p in preds]

        def edge(gi: int, pi: int) -> Score | None:
            (ga, gb), (pa, pb) = gold_sides[gi], pred_sides[pi]
            if (pa & ga and pb & gb) or (pa & gb and pb & ga):
                return (0.0 if golds[gi].hedged == preds[pi].hedged else 1.0,)
            return None

        matched = _assign(range(len(golds)), range(len(preds)), required, edge)
        self._hedge("partnerships", [(golds[gi].hedged, preds[pi].hedged) for gi, pi in matched.items()])

        def describe_gold(gi: int) -> tuple[str, str | None]:
            g = golds[gi]
            return f"{g.a} <-> {g.b}" + (" (hedged)" if g.hedged else ""), g.evidence or None

        def describe_pred(pi: int) -> tuple[str, str | None]:
            p = preds[pi]
            return (f"{_party(p.a)} <-> {_party(p.b)}" + (" (hedged)" if p.hedged else ""), p.evidence or None)

        return self._tally("partnerships", required, matched, len(preds), describe_gold, describe_pred)

    def _hedge(self, kind: str, pairs: Iterable[tuple[bool, bool]]) -> None:
        agreement = self.hedged[kind]
        for gold_hedged, pred_hedged in pairs:
            agreement.total += 1
            agreement.agree += gold_hedged == pred_hedged
            agreement.gold_hedged += gold_hedged
            agreement.both_hedged += gold_hedged and pred_hedged


_STARGATE = re.compile(r"\bstargate\b")


def _is_stargate(names: frozenset[str]) -> bool:
    return any(_STARGATE.search(n) for n in names)


def investment_match(
    gold: GoldInvestment,
    pred: PredictedInvestment,
    names_of: Callable[[str], frozenset[str]] = lambda n: frozenset({normalize_name(n)}),
    strict_roles: bool = False,
) -> Score | None:
    """Score a gold/predicted investment pair (lower is better) or None if they do not match.

    ``names_of`` maps a gold party name to every normalised name of that party
    (the scorer passes canonical name + aliases of the gold org / country).

    * investor: ignored when gold's is null; otherwise the predicted investor
      names must meet the names of the investor or of a co-investor.
    * amount: gold null -> predicted must be null; gold set -> predicted within
      ±1 % of ``amount_value``, ``amount_value_alt`` or ``amount_min``, and the same
      currency (when gold states one).
    * target, country: must match when gold has them.
    * ``strict_roles``: a predicted investor or target where gold names none
      is wrong too (the prediction invents a party: "Google -> Microsoft"
      where the article says Google will invest in France).  The scoring
      advice ignores such roles; this is the stricter reading a user who
      cites the fact needs.
    * Stargate: when a gold party (investor, co-investor or target) is a
      Stargate project (one of its names contains the word "stargate"), the
      roles are interchangeable: each non-null gold role may be found in
      *either* predicted role.  The guide puts Stargate as investor when the
      text makes the project commit capital and as target otherwise, and a
      system cannot be expected to split hairs the same way.  Names must still
      match ("Stargate Norway" is not "Stargate"), and a role swap scores
      worse than a direct match so direct candidates win.
    """
    p_inv = _norm_set(pred.investor)
    p_tgt = _norm_set(pred.target)
    if strict_roles and ((p_inv and not gold.investors) or (p_tgt and not gold.target)):
        return None

    # amount
    if gold.amount_value is None:
        if pred.amount is not None:
            return None
        amount_err = 0.0
    else:
        if pred.amount is None:
            return None
        if gold.currency and (pred.currency or "").strip().upper() != gold.currency:
            return None
        err = _best_error(pred.amount, (gold.amount_value, gold.amount_value_alt, gold.amount_min))
        if err is None:
            return None
        amount_err = float(err)

    # country
    if gold.country and (pred.country or "").strip().upper() != gold.country:
        return None

    # parties
    g_inv = _union(names_of(n) for n in gold.investors)
    g_tgt = names_of(gold.target) if gold.target else frozenset()
    swapped = False
    if not ((not g_inv or p_inv & g_inv) and (not g_tgt or p_tgt & g_tgt)):
        if not (_is_stargate(g_inv) or _is_stargate(g_tgt)):
            return None
        either = p_inv | p_tgt
        if not ((not g_inv or either & g_inv) and (not g_tgt or either & g_tgt)):
            return None
        swapped = True

    hedge_mismatch = 0.0 if gold.hedged == pred.hedged else 1.0
    return (1.0 if swapped else 0.0, amount_err, hedge_mismatch)


def _union(sets: Iterable[frozenset[str]]) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for names in sets:
        out |= names
    return out


def _party(names: frozenset[str]) -> str:
    if not names:
        return "?"
    return " / ".join(sorted(names, key=lambda n: (len(n), n))[:3])


def _describe_gold_investment(g: GoldInvestment) -> str:
    investor = " + ".join(g.investors) or g.investor_description or "?"
    target = g.target or g.target_description or "?"
    desc = f"{investor} -> {target}: {format_amount(g.amount_value, g.currency)}"
    if g.country:
        desc += f" [{g.country}]"
    if g.hedged:
        desc += " (hedged)"
    return desc


def _describe_pred_investment(p: PredictedInvestment) -> str:
    desc = f"{_party(p.investor)} -> {_party(p.target)}: {format_amount(p.amount, p.currency)}"
    if p.country:
        desc += f" [{p.country.upper()}]"
    if p.hedged:
        desc += " (hedged)"
    return desc


# --------------------------------------------------------------------------- entry point


def score(
    gold: dict[str, GoldDoc],
    predicted: dict[str, DocPrediction],
    *,
    include_media: bool = True,
    strict_roles: bool = False,
) -> EvalResult:
    """Compare predictions with gold; see the module docstring for the matching rules.

    ``include_media=False`` treats ``type: media`` orgs as optional (for a
    system that deliberately ignores cited sources).  ``strict_roles``: see
    :func:`investment_match`.
    """
    result = EvalResult(include_media=include_media)
    result.docs_without_gold = sorted(set(predicted) - set(gold))
    for doc_id in sorted(gold):
        g = gold[doc_id]
        pred = predicted.get(doc_id)
        if pred is None:
            result.docs_without_prediction.append(doc_id)
            pred = DocPrediction(
                doc_id=doc_id,
                lang=g.lang,
                organizations=[],
                countries={},
                persons=[],
                amounts=[],
                investments=[],
                partnerships=[],
            )
        elif pred.lang and pred.lang.lower() != g.lang:
            result.lang_mismatches.append((doc_id, g.lang, pred.lang))
        scorer = _DocScorer(g, pred, include_media, result.misses, result.false_hits, result.hedged, strict_roles)
        doc_counts = {
            "organizations": scorer.organizations(),
            "countries": scorer.countries(),
            "persons": scorer.persons(),
            "amounts": scorer.amounts(),
            "investments": scorer.investments(),
            "partnerships": scorer.partnerships(),
        }
        result.by_doc[doc_id] = doc_counts
        result.doc_lang[doc_id] = g.lang
        lang_counts = result.by_lang.setdefault(g.lang, _kind_counts())
        for kind, counts in doc_counts.items():
            lang_counts[kind].add(counts)
            result.overall[kind].add(counts)
    return result
