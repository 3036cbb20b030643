"""Joint role assignment: who invests and who receives, decided together for one statement.

Scoring each party alone ("is A an investor?", "is A a target?") and
giving it its better role lets two parties take the same role, or swap:
in "A received 8 billion from B" both names look like subjects of money
verbs.  Here every (investor, target) pair of a candidate's options, each
possibly empty, is one row for a single scorer whose features are the two
parties' own features (prefixed ``I:`` and ``T:``) and features of the pair
(their order, their dependency relations and sources together, whether
they are coordinated, each crossed with the trigger's class).  The pair
that scores highest is the statement's reading; the margin to the next
reading is a feature of the statement, so a close call gets a lower
confidence.  Trained from the gold roles of the candidates that state a
gold investment (see ``kg.extract.fact_model.training.label``).
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.extract.fact_model.candidates import Features, InvestmentCandidate, RoleOption
from kg.extract.fact_sentences import same_party
from kg.model import EntityKind

MAX_ROLE_OPTIONS = 10  # parties per role considered; more is rare and only costs rows

Assignment = tuple[RoleOption | None, RoleOption | None]  # (investor, target)


def trigger_class(cand: InvestmentCandidate) -> str:
    """The class of the trigger nearest the amount ("invest_triggers", "raise_triggers" ...), or "none"."""
    for key in cand.features:
        if key.startswith("a_trig="):
            return key[len("a_trig=") :].split("|", 1)[0]
    for key in cand.features:
        if key.startswith("has="):
            return key[len("has=") :]
    return "none"


def assignments(cand: InvestmentCandidate) -> Iterator[Assignment]:
    """Every reading of a candidate: an investor (not a person) and a target (not a country), each possibly none."""
    investors: list[RoleOption | None] = [None]
    investors += [o for o in cand.parties if o.mention.kind is not EntityKind.PERSON][:MAX_ROLE_OPTIONS]
    targets: list[RoleOption | None] = [None]
    targets += [o for o in cand.parties if o.mention.kind is not EntityKind.COUNTRY][:MAX_ROLE_OPTIONS]
    for inv in investors:
        for tgt in targets:
            if inv is not None and tgt is not None and same_party(inv.mention, tgt.mention):
                continue
            if inv is None and tgt is None and cand.amount is None:
                continue
            yield inv, tgt


def _first(features: Features, prefix: str) -> str:
    return next((k[len(prefix) :] for k in features if k.startswith(prefix)), "none")


def assignment_features(cand: InvestmentCandidate, inv: RoleOption | None, tgt: RoleOption | None) -> Features:
    """The features of one reading: each party's own, under its role, and the pair's."""
    cls = trigger_class(cand)
    out: Features = {"bias": 1.0}
    for role, option in (("I", inv), ("T", tgt)):
        if option is None:
            out[f"{role}=none"] = 1.0
            out[f"{role}=none|t_cls={cls}"] = 1.0
            continue
        for key, value in option.features.items():
            out[f"{role}:{key}"] = value
            if key == "article_main":  # the article's subject gives in "X invests", receives in "X raised"
                out[f"{role}:article_main|t_cls={cls}"] = value
    if inv is None or tgt is None:
        out[f"filled={'I' if inv else ''}{'T' if tgt else ''}|t_cls={cls}"] = 1.0
        return out
    order = "IT" if inv.mention.span.start < tgt.mention.span.start else "TI"
    out[f"order={order}"] = 1.0
    out[f"order={order}|t_cls={cls}"] = 1.0
    deps = f"{_first(inv.features, 'dep=')}|{_first(tgt.features, 'dep=')}"
    out[f"deps={deps}"] = 1.0
    out[f"deps={deps}|t_cls={cls}"] = 1.0
    sides = f"{_first(inv.features, 't_side=')}|{_first(tgt.features, 't_side=')}"
    out[f"sides={sides}|t_cls={cls}"] = 1.0
    out[f"sources={inv.source}|{tgt.source}"] = 1.0
    if cand.amount is not None and inv.source == tgt.source == "sentence":
        at = cand.amount.span.start
        nearer = "I" if abs(inv.mention.span.start - at) < abs(tgt.mention.span.start - at) else "T"
        out[f"nearer_amount={nearer}|t_cls={cls}"] = 1.0
    out[f"kinds={inv.mention.kind.value}|{tgt.mention.kind.value}"] = 1.0
    if any(same_party(m, tgt.mention) for m in inv.group):
        out["coordinated_pair"] = 1.0
    return out
