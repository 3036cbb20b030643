"""Investments and partnerships decided by the trained fact model, the rules as fallback.

For a language the model was trained on, every candidate of
:mod:`kg.extract.fact_model.candidates` is scored: the investment scorer
says whether a (sentence, amount) pair states an investment, the role
scorers which party invests, which receives and which country the money
goes to, and the partnership scorer whether a pair cooperates.  Each fact
keeps its calibrated probability as ``confidence``; facts under the
minimum confidence are not stored.  For a language the model does not
cover, the rules of :mod:`kg.extract.facts` decide as before.

Which model and which minimum apply is process state, set once by the
command line (``kg build --fact-model DIR --min-confidence P``) or by
:func:`use_fact_model`; worker processes inherit it through the
environment variables ``KG_FACT_MODEL`` and ``KG_MIN_CONFIDENCE``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from spacy.tokens import Doc

from kg.extract.exchange import in_euros_today
from kg.extract.fact_countries import CountryMentions
from kg.extract.fact_model.candidates import (
    PARTNER_CLASSES,
    TRIGGER_CLASSES,
    ArticleCounts,
    Features,
    InvestmentCandidate,
    PartnerCandidate,
    RoleOption,
    investment_candidates,
    partnership_candidates,
    triggers_in,
)
from kg.extract.fact_model.model import FactModel, load_fact_model, logit, sigmoid
from kg.extract.fact_model.roles import assignment_features, assignments
from kg.extract.fact_model.syntax import view_parses
from kg.extract.fact_sentences import SentenceView, same_party, sentence_views
from kg.extract.facts import merge_repeats, rule_investments, rule_partnerships
from kg.extract.facts_lexicon import FactLexicon, fact_lexicon, has_fact_lexicon
from kg.extract.registry import register_extractor
from kg.model import EntityKind, Extraction, Investment, Mention, Partnership
from kg.models import MODELS_DIR

SHIPPED_MODEL = MODELS_DIR / "fact_model"
MODEL_ENV, MIN_CONFIDENCE_ENV = "KG_FACT_MODEL", "KG_MIN_CONFIDENCE"
MAX_CO_INVESTORS = 5
CO_INVESTOR_THRESHOLD = 0.6  # a second investor needs more than the role threshold
# Country scorer probability at which a country is where the money goes.  Below the role threshold because an
# investment's country is mostly the one country in reach: on out-of-fold candidates scoring .2-.35 whose amount is a
# gold investment's, 12 took the gold country, 5 another one, 13 had none in gold; pooled average precision of
# investments .423 -> .429 (fold seeds 13-15).
COUNTRY_FILL = 0.2
TARGET_FILL = 0.2  # target scorer probability at which a party of the sentence fills an empty target
FILL_SOURCES = ("sentence", "inner_anaphor")  # where a filled target may come from: the sentence itself


@dataclass
class _Settings:
    model: FactModel | None = None
    explicit: bool = False
    min_confidence: float | None = None


_SETTINGS = _Settings()


def use_fact_model(model: FactModel | Path | None, min_confidence: float | None = None) -> None:
    """Make ``model`` (or the model folder) the one facts are decided by in this process; None: the shipped one."""
    if isinstance(model, Path):
        os.environ[MODEL_ENV] = str(model)
        model = load_fact_model(str(model))
    _SETTINGS.model, _SETTINGS.explicit = model, model is not None
    if min_confidence is not None:
        os.environ[MIN_CONFIDENCE_ENV] = str(min_confidence)
    _SETTINGS.min_confidence = min_confidence


def rules_only() -> None:
    """Decide facts by the rules alone (``kg build --no-fact-model``)."""
    os.environ[MODEL_ENV] = "none"
    _SETTINGS.model, _SETTINGS.explicit = None, True


def reset_fact_model() -> None:
    """Forget every choice made by :func:`use_fact_model` or :func:`rules_only`: back to the shipped model."""
    os.environ.pop(MODEL_ENV, None)
    os.environ.pop(MIN_CONFIDENCE_ENV, None)
    _SETTINGS.model, _SETTINGS.explicit, _SETTINGS.min_confidence = None, False, None


def active_fact_model() -> FactModel | None:
    """The model in use: set by :func:`use_fact_model`, named by ``KG_FACT_MODEL``, else the shipped one."""
    if _SETTINGS.explicit:
        return _SETTINGS.model
    named = os.environ.get(MODEL_ENV)
    if named == "none":
        return None
    folder = Path(named) if named else SHIPPED_MODEL
    if not (folder / "model.json").is_file():
        return None
    return load_fact_model(str(folder))


def min_confidence(model: FactModel, kind: str, ruled: bool = False) -> float:
    """The least confidence a stored fact of ``kind`` has: the user's choice, else the model's default for it.

    ``ruled``: the default for statements kg's rules made too, which has its own value in the model.
    """
    if _SETTINGS.min_confidence is not None:
        return _SETTINGS.min_confidence
    named = os.environ.get(MIN_CONFIDENCE_ENV)
    return float(named) if named else model.default_minimum(kind, ruled)


def _minimums(model: FactModel, kind: str) -> tuple[float, float]:
    """The minimum confidence of model-only statements of ``kind`` and of rule-backed ones."""
    return min_confidence(model, kind), min_confidence(model, kind, ruled=True)


def article_candidates(
    doc: Doc, extraction: Extraction, *, syntax: bool = True
) -> tuple[list[InvestmentCandidate], list[PartnerCandidate]]:
    """Every investment and partnership candidate of one article, the rules' decisions among their features.

    ``syntax``: parse the sentences that can hold a fact, for a model trained with dependency features.
    """
    lexicon = fact_lexicon(extraction.article.lang)
    views = sentence_views(doc, extraction, lexicon)  # once: the rules and the candidates read the same views
    rules_inv = rule_investments(doc, extraction, views)
    rules_par = rule_partnerships(doc, extraction, views)
    wanted = [n for n, v in enumerate(views) if _worth_parsing(v, lexicon)] if syntax else []
    parses = view_parses(doc, views, wanted, extraction.article.lang)
    article = ArticleCounts.of(views, lexicon)  # article-wide counts, shared by both kinds of candidate
    return (
        investment_candidates(views, lexicon, rules_inv, parses, CountryMentions(extraction), article),
        partnership_candidates(views, lexicon, rules_par, parses, article),
    )


def _worth_parsing(view: SentenceView, lexicon: FactLexicon) -> bool:
    """A sentence whose parse can matter: a party of its own and a trigger, an amount or a cooperation word.

    Dependency features are computed for the parties named in a sentence
    only, so sentences without one are never parsed (most of an article).
    """
    actors = view.actors(projects=True)
    if not actors:
        return False
    if view.amounts or triggers_in(view, lexicon, TRIGGER_CLASSES):
        return True
    return len(actors) >= 2 and (bool(triggers_in(view, lexicon, PARTNER_CLASSES)) or view.has(lexicon.partner_markers))


def _best(
    model: FactModel, decision: str, options: list[RoleOption], floor: float | None = None
) -> list[tuple[float, RoleOption]]:
    least = model.role_threshold if floor is None else floor
    scored = [(model.p(decision, o.features), o) for o in options]
    return sorted((s for s in scored if s[0] >= least), key=lambda s: -s[0])


def investment_statement(model: FactModel, cand: InvestmentCandidate) -> tuple[Investment, Features] | None:
    """The investment a candidate states and the features of the statement as a whole, or None.

    Each party takes the role it scores highest for (investor or target),
    when that score reaches the role threshold; the best-scoring investor
    leads and the other investors are co-investors.  The statement features
    (how sure each decision was, whether the rules read the same roles) are
    what the final, calibrated confidence is computed from.
    """
    if "negated" in cand.features or ("divest" in cand.features and cand.rule is None):
        return None  # a denied trigger ("will not invest") or money leaving ("sold its stake"): the rules' veto holds
    p_fact = model.p("investment", cand.features)
    floor = model.role_threshold
    investors: list[tuple[float, RoleOption]] = []
    targets: list[tuple[float, RoleOption]] = []
    for option in cand.parties:
        kind = option.mention.kind
        p_inv = model.p("investor", option.features) if kind is not EntityKind.PERSON else 0.0
        p_tgt = model.p("target", option.features) if kind is not EntityKind.COUNTRY else 0.0
        if max(p_inv, p_tgt) < floor:
            continue
        (investors if p_inv >= p_tgt else targets).append((max(p_inv, p_tgt), option))
    investors.sort(key=lambda s: -s[0])
    targets.sort(key=lambda s: -s[0])
    reading = best_reading(model, cand)
    if reading is not None:  # the joint scorer decides the lead investor and the target together
        investors, targets = _with_reading(model, reading, investors, targets)
    chosen: list[Mention] = []
    for p, option in investors:
        if chosen and "rule=target" in option.features:
            continue  # the rules read it as the receiver ("Datanova was bought by Nvidia"): no second investor
        if not any(same_party(option.mention, m) for m in chosen) and (not chosen or p >= CO_INVESTOR_THRESHOLD):
            chosen.append(option.mention)
    target = next(((p, o) for p, o in targets if not any(same_party(o.mention, c) for c in chosen)), None)
    if target is None:
        target = _likeliest_target(model, cand, chosen)
    if investors:  # joint subjects: "A and B will invest" makes B a co-investor of A
        for mention in investors[0][1].group:
            taken = target is not None and same_party(mention, target[1].mention)
            if not taken and mention.kind is not EntityKind.COUNTRY and not any(same_party(mention, c) for c in chosen):
                chosen.append(mention)
    countries = _best(model, "country", cand.countries, COUNTRY_FILL)
    if not chosen and target is None:  # an investment states who invests or what receives: 2 of the 275
        return None  # annotated ones name neither (both optional); held out, 15 such statements, none right
    fact = Investment(
        evidence=cand.view.span,
        investor=chosen[0] if chosen else None,
        co_investors=tuple(chosen[1 : 1 + MAX_CO_INVESTORS]),
        amount=cand.amount,
        target=target[1].mention if target else None,
        country=countries[0][1].mention if countries else None,
        hedged=cand.hedged,
        trigger=cand.trigger,
        country_inferred=bool(countries) and countries[0][1].mention.origin == "inferred",
    )
    meta: Features = {"bias": 1.0, "logit_fact": logit(p_fact)}
    if reading is not None:  # how the joint scorer rates the roles as stated, against its best other reading
        stated = reading_score(model, cand, chosen[0] if chosen else None, target[1].mention if target else None)
        meta["logit_reading"] = logit(stated)
        meta["reading_margin"] = max(min(logit(stated) - logit(reading.runner_up(stated)), 6.0), -6.0)
    meta["logit_investor"] = logit(investors[0][0]) if investors else -3.0
    meta["logit_target"] = logit(target[0]) if target else -3.0
    meta["logit_country"] = logit(countries[0][0]) if countries else -3.0
    shape = "".join(
        c if v else "-" for c, v in (("I", fact.investor), ("T", fact.target), ("C", fact.country), ("A", fact.amount))
    )
    meta[f"shape={shape}"] = 1.0
    if investors:
        meta[f"investor_source={investors[0][1].source}"] = 1.0
    if target:
        meta[f"target_source={target[1].source}"] = 1.0
    if cand.hedged:
        meta["hedged"] = 1.0
    rule = cand.rule
    if rule is None:
        meta["no_rule"] = 1.0
    else:
        for role, mine, theirs in (("investor", fact.investor, rule.investor), ("target", fact.target, rule.target)):
            if theirs is None:
                meta[f"rule_{role}=none"] = 1.0
            elif mine is not None and same_party(mine, theirs):
                meta[f"rule_{role}=same"] = 1.0
            else:
                meta[f"rule_{role}=other"] = 1.0
    return fact, meta


def _likeliest_target(model: FactModel, cand: InvestmentCandidate, chosen: list[Mention]) -> Ranked1 | None:
    """The party of the sentence the target scorer rates highest, when it reaches ``TARGET_FILL``; else None.

    The joint scorer learns "no target" from the many statements whose
    target the annotators left empty (money for a country, a programme), so
    it leaves the role empty too often where a receiver is named ("Datanova
    was bought by Nvidia for $700m").  The target scorer is trained only
    where a target is stated, so its best party, if plausible at all, fills
    the role.  Only parties of the sentence itself: filled from the
    sentences around it or from the article's main organization, most
    fills named a receiver the annotators did not ("Microsoft invested $2bn
    in Poland. Google will invest 2 billion euros in France." made Microsoft
    Google's target).
    """
    scored = [
        (model.p("target", o.features), o)
        for o in cand.parties
        if o.source in FILL_SOURCES
        and o.mention.kind is not EntityKind.COUNTRY
        and not any(same_party(o.mention, c) for c in chosen)
    ]
    best = max(scored, key=lambda s: s[0], default=None)
    return best if best is not None and best[0] >= TARGET_FILL else None


@dataclass(frozen=True)
class Reading:
    """The best (investor, target) reading of a candidate, its probability and that of the next-best reading."""

    investor: RoleOption | None
    target: RoleOption | None
    p: float
    second: float  # the probability of the next-best reading

    def runner_up(self, stated: float) -> float:
        """The best reading other than one scoring ``stated``: the best, unless ``stated`` is the best."""
        return self.second if stated >= self.p else self.p


def best_reading(model: FactModel, cand: InvestmentCandidate) -> Reading | None:
    """The joint scorer's best reading of a candidate; None for a model trained without one."""
    scorer = model.scorers.get("assignment")
    if scorer is None or not scorer.weights:
        return None
    scored = sorted(
        ((scorer.probability(assignment_features(cand, i, t)), i, t) for i, t in assignments(cand)),
        key=lambda r: -r[0],
    )
    if not scored:
        return None
    p, inv, tgt = scored[0]
    return Reading(inv, tgt, p, scored[1][0] if len(scored) > 1 else 1e-3)


def reading_score(
    model: FactModel, cand: InvestmentCandidate, investor: Mention | None, target: Mention | None
) -> float:
    """The joint scorer's probability of the reading with this investor and target (parties as options of ``cand``)."""

    def option(m: Mention | None) -> RoleOption | None:
        return None if m is None else next((o for o in cand.parties if o.mention is m), None)

    inv, tgt = option(investor), option(target)
    return model.p("assignment", assignment_features(cand, inv, tgt))


Ranked1 = tuple[float, RoleOption]  # a role option with its single-role score
Ranked = list[Ranked1]  # role options with their single-role scores, best first


def _with_reading(model: FactModel, reading: Reading, investors: Ranked, targets: Ranked) -> tuple[Ranked, Ranked]:
    """The role lists with the reading's investor leading and its target as target.

    The reading settles who is who where the single-role scorers disagree
    (both parties look like investors, or the receiver is the subject).  A
    role the reading leaves empty keeps the single-role scorer's choice,
    other than the reading's party: the joint scorer learns "not stated"
    from the roles annotators left empty, which is no reason to drop a
    party the role scorer is sure of.
    """
    lead, target = reading.investor, reading.target

    def others(ranked: Ranked, *taken: RoleOption | None) -> Ranked:
        return [(p, o) for p, o in ranked if not any(t is not None and same_party(o.mention, t.mention) for t in taken)]

    new_investors = [(model.p("investor", lead.features), lead)] if lead is not None else []
    new_investors += others(investors, lead, target)
    new_investors.sort(key=lambda s: -s[0])  # who leads among the investors: the investor scorer's order
    if target is not None:
        return new_investors, [(model.p("target", target.features), target)]
    return new_investors, others(targets, *(o for _, o in new_investors[:1]))


def statement_score(model: FactModel, kind: str, meta: Features) -> float:
    """The raw score of a whole statement: the statement scorer when the model has one, else the fact scorer's."""
    scorer = model.scorers.get(f"{kind}_statement")
    if scorer is not None:
        return scorer.probability(meta)
    return sigmoid(meta["logit_fact"])


def ruled(meta: Features) -> bool:
    """Whether kg's rules stated the same statement (a feature the calibration keeps apart)."""
    return "no_rule" not in meta


def partnership_statement(model: FactModel, cand: PartnerCandidate) -> tuple[Partnership, Features]:
    """The partnership a pair candidate states and the features of the statement."""
    fact = Partnership(cand.view.span, cand.a, cand.b, cand.hedged, cand.trigger)
    meta: Features = {"bias": 1.0, "logit_fact": logit(model.p("partnership", cand.features))}
    meta["rule_pair" if cand.rule else "no_rule"] = 1.0
    for key in cand.features:
        if key.startswith(("pair_kinds=", "coordinated=", "shape2=")):
            meta[key] = 1.0
    if cand.hedged:
        meta["hedged"] = 1.0
    return fact, meta


Statement = tuple[Investment, Features]
PairStatement = tuple[Partnership, Features]


def article_statements(
    model: FactModel, investments: list[InvestmentCandidate], partnerships: list[PartnerCandidate]
) -> tuple[list[Statement], list[PairStatement]]:
    """Every statement an article's candidates make, with features of the statement in its article.

    An amount or a pair the article repeats (the headline, the lead, the
    body) is more likely one of its facts than one named once in passing, so
    the statement scorer sees how often each is stated and whether the
    headline states it.
    """
    inv: list[tuple[Investment, Features, int]] = []
    for cand in investments:
        found = investment_statement(model, cand)
        if found is not None:
            inv.append((found[0], found[1], cand.view_index))
    repeats: dict[object, int] = {}
    for fact, _, _ in inv:
        repeats[_amount_key(fact)] = repeats.get(_amount_key(fact), 0) + 1
    body = any(n > 0 for _, _, n in inv)  # a text of one sentence has no headline apart from its body
    out_inv: list[Statement] = []
    for fact, meta, n in inv:
        key = _amount_key(fact)
        if key is not None:
            meta[f"amount_repeats={min(repeats[key], 4)}"] = 1.0
        if n == 0 and body:
            meta["headline"] = 1.0
        out_inv.append((fact, meta))
    pairs = [(partnership_statement(model, c), c.view_index) for c in partnerships if "negated" not in c.features]
    out_par: list[PairStatement] = []
    for (pair, meta), n in pairs:
        same = sum(1 for (other, _), _ in pairs if same_pair(pair, other))
        meta[f"pair_repeats={min(same, 4)}"] = 1.0
        if n == 0:
            meta["headline"] = 1.0
        out_par.append((pair, meta))
    return out_inv, out_par


def decide_investments(
    model: FactModel, statements: list[Statement], floor: float, ruled_floor: float | None = None
) -> list[Investment]:
    """Statements at or above their minimum, one fact per amount of the article (see :func:`one_per_amount`).

    ``floor`` is the minimum of model-only statements, ``ruled_floor`` (default: the same) of those the rules made too.
    """
    kept = []
    for fact, meta in statements:
        conf = model.confidence("investment", statement_score(model, "investment", meta), ruled(meta))
        if conf >= (floor if ruled_floor is None or not ruled(meta) else ruled_floor):
            kept.append(with_confidence(fact, round(conf, 4)))
    facts = one_per_amount(kept)
    return sorted(facts, key=lambda f: (f.evidence.start, f.amount.span.start if f.amount else -1))


def with_confidence(fact: Investment, confidence: float) -> Investment:
    """The same statement with ``confidence`` attached."""
    return replace(fact, confidence=confidence)


def _amount_key(fact: Investment) -> tuple[object, ...] | None:
    return None if fact.amount is None else (fact.amount.value, fact.amount.currency)


def one_per_amount(facts: list[Investment]) -> list[Investment]:
    """Statements of one amount are one fact: the most confident statement, its empty roles filled by the others.

    An article that repeats "$40 billion" in its headline, its lead and its
    body reports one deal; stating it three times with roles read three ways
    would give two wrong facts.  Facts without an amount are merged when
    their roles agree (:func:`kg.extract.facts.merge_repeats`).
    """
    ordered = sorted(facts, key=lambda f: -(f.confidence or 0.0))
    groups: dict[tuple[object, ...], list[Investment]] = {}
    loose: list[Investment] = []
    for fact in ordered:
        key = _amount_key(fact)
        if key is None:
            loose.append(fact)
        else:
            groups.setdefault(key, []).append(fact)
    merged = [
        _fill_from(part[0], part[1:])
        for group in _restated_together(list(groups.values()))
        for part in _by_investor(group)
    ]
    return merged + merge_repeats(loose)


def _by_investor(group: list[Investment]) -> list[list[Investment]]:
    """Statements of one amount by different named investors are different facts ("Corvane agreed to invest $3
    billion" and, in the same article, "a $3 billion round led by Halden"); a statement without an investor joins
    the first."""
    parts: list[list[Investment]] = []
    for fact in group:  # most confident first
        home = next((p for p in parts if _compatible(p[0], fact)), None)
        if home is None:
            parts.append([fact])
        else:
            home.append(fact)
    return parts


def _compatible(lead: Investment, fact: Investment) -> bool:
    if lead.investor is None or fact.investor is None:
        return True
    mine = [lead.investor, *lead.co_investors]
    return any(_is(x, y) for x in mine for y in [fact.investor, *fact.co_investors]) or _is(fact.investor, lead.target)


RESTATED_TOLERANCE = 0.12  # amounts in two currencies this close at reference rates are one sum restated


def _restated_together(groups: list[list[Investment]]) -> list[list[Investment]]:
    """Join the statements of one sum given in two currencies ("52.7 billion dollars" in the lead, "380
    billion yuan" further down) when their investors agree: an article converts for its readers, and each
    figure alone would be a fact of its own.  Rates: the ECB's latest bundled ones (a restatement rounds
    more than rates move); a currency they do not quote is never joined."""
    out: list[list[Investment]] = []
    for group in groups:  # most confident first, as ``groups`` is built
        home = next((g for g in out if _same_sum(g[0], group[0])), None)
        if home is None:
            out.append(group)
        else:
            home.extend(group)
    return out


def _same_sum(kept: Investment, other: Investment) -> bool:
    if kept.amount is None or other.amount is None or kept.amount.currency == other.amount.currency:
        return False
    mine, theirs = in_euros_today(kept.amount), in_euros_today(other.amount)
    if mine is None or theirs is None or abs(mine - theirs) > RESTATED_TOLERANCE * max(mine, theirs):
        return False
    return kept.investor is None or other.investor is None or same_party(kept.investor, other.investor)


def _fill_from(best: Investment, others: list[Investment]) -> Investment:
    for other in others:
        if best.investor is None and other.investor is not None and not _is(other.investor, best.target):
            best = replace(best, investor=other.investor, co_investors=other.co_investors)
        if best.target is None and other.target is not None and not _is(other.target, best.investor):
            best = replace(best, target=other.target)
        if best.country is None and other.country is not None:
            best = replace(best, country=other.country, country_inferred=other.country_inferred)
    return best


def _is(a: Mention, b: Mention | None) -> bool:
    return b is not None and same_party(a, b)


def decide_partnerships(
    model: FactModel, statements: list[PairStatement], floor: float, ruled_floor: float | None = None
) -> list[Partnership]:
    """Pairs at or above their minimum (as for investments), each pair once per article (its most confident statement).

    A sentence whose cooperation word is denied ("did not sign an agreement") states no pair.
    """
    scored = [
        (f, model.confidence("partnership", statement_score(model, "partnership", m), ruled(m)), ruled(m))
        for f, m in statements
    ]
    scored.sort(key=lambda d: -d[1])
    kept: list[Partnership] = []
    for fact, conf, by_rule in scored:
        if conf < (floor if ruled_floor is None or not by_rule else ruled_floor):
            continue
        if any(same_pair(fact, k) for k in kept):
            continue
        kept.append(Partnership(fact.evidence, fact.a, fact.b, fact.hedged, fact.trigger, confidence=round(conf, 4)))
    return sorted(kept, key=lambda f: f.evidence.start)


def same_pair(x: Partnership, y: Partnership) -> bool:
    """Whether two partnerships join the same two parties, in either order."""
    return (same_party(x.a, y.a) and same_party(x.b, y.b)) or (same_party(x.a, y.b) and same_party(x.b, y.a))


def model_applies(model: FactModel, lang: str) -> bool:
    """Whether the fact model decides the facts of an article in ``lang`` (else kg's rules do).

    The model's features are lexicon classes, order, distance and boundaries,
    not words, so it serves every language kg has a fact lexicon for, also
    one it saw no annotated article in: scored language by language with the
    model trained on the seven others, its ranking of facts is as good as with
    articles of the language in training (README, "Facts in a language the
    model never saw").
    """
    return model.covers(lang) or has_fact_lexicon(lang)


@register_extractor("investments")
def extract_investments(doc: Doc, extraction: Extraction) -> None:
    """Investments of one article (and its partnerships, decided from the same candidates)."""
    model = active_fact_model()
    countries = CountryMentions(extraction)
    if model is None or not model_applies(model, extraction.article.lang):
        investments = rule_investments(doc, extraction)
        partnerships = rule_partnerships(doc, extraction)
    else:
        inv, par = article_statements(model, *article_candidates(doc, extraction, syntax=model.syntax))
        investments = decide_investments(model, inv, *_minimums(model, "investment"))
        partnerships = decide_partnerships(model, par, *_minimums(model, "partnership"))
    for fact in investments:
        for mention in (fact.investor, *fact.co_investors, fact.country):
            countries.ensure(mention)
        extraction.investments.append(fact)
    for pair in partnerships:
        countries.ensure(pair.a)
        countries.ensure(pair.b)
        extraction.partnerships.append(pair)


@register_extractor("partnerships")
def extract_partnerships(doc: Doc, extraction: Extraction) -> None:
    """Partnerships are decided with the investments (one pass over the candidates); kept as a name for pipelines."""
    return None
