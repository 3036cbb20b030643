"""Investment facts: who puts how much into what, and where the money goes.

One candidate per clause (or aside) that holds an investment trigger.  The
first trigger decides how roles are read:

* invest-type ("X invests N in Y", "X's stake in Y", "investering van X"):
  the investor is the subject named before the trigger (or after a genitive
  "of"), the target the organization introduced by "in/into/dans/di/an";
  a passive agent ("financed by X") is the investor and the subject then
  the target;
* raise-type ("Y raised N from X", "a round led by X", "levée de fonds"):
  the subject is the target and the investors follow "from"/"led by".

Amounts are the clause's own, minus equivalents in parentheses and
valuations; a second amount coordinated with the first ("500 million ... and
another 1.5 billion") is a second fact.  The destination country is a place
named in the clause, else one describing the target ("a Polish company"),
else the target's home country from the gazetteer.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.extract.fact_countries import CountryMentions
from kg.extract.fact_sentences import (
    ASIDE_BASE,
    LIST_BREAKS,
    Party,
    SentenceView,
    group_ending_at,
    group_starting_at,
    identity,
    introduced_by,
    is_descriptor,
)
from kg.extract.facts_lexicon import FactLexicon, WordList
from kg.model import Investment, Mention, MoneyAmount, Span

AGENT_REACH = 3  # words between a verb-final participle and the agent named before it
MIN_INVESTMENT = 10_000  # smaller figures are prices per share, not investments


@dataclass(frozen=True)
class Trigger:
    """A trigger occurrence: where it is, how long, and how it reads roles."""

    start: int
    size: int
    kind: str  # "invest" | "raise"
    weak: bool = False


@dataclass
class Roles:
    """The parties found for one clause, before amounts are attached."""

    investors: list[Mention]
    target: Party | None
    country: Mention | None
    elsewhere: bool = False  # the clause places the money only negatively ("outside the US")


def investments_in(view: SentenceView, lexicon: FactLexicon, countries: CountryMentions) -> list[Investment]:
    """Every investment stated in one sentence (at most one per clause or aside, plus extra amounts)."""
    triggers = _triggers(view, lexicon)
    facts: list[Investment] = []
    for region in sorted({view.region[t.start] for t in triggers}):
        mine = [t for t in triggers if view.region[t.start] == region]
        facts.extend(_region_facts(view, lexicon, countries, region, mine))
    return facts


def _triggers(view: SentenceView, lexicon: FactLexicon) -> list[Trigger]:
    found = [Trigger(s, n, "invest") for s, n in view.hits(lexicon.invest_triggers)]
    found += [Trigger(s, n, "raise") for s, n in view.hits(lexicon.raise_triggers)]
    amount_regions = {view.region[i] for i, _ in view.amounts}
    found += [
        Trigger(s, n, "invest", weak=True)
        for s, n in view.hits(lexicon.weak_invest_triggers)
        if view.region[s] in amount_regions
    ]
    taken: set[int] = set()
    unique = []
    for trigger in sorted(found, key=lambda t: (t.start, -t.size)):
        if trigger.start not in taken:
            unique.append(trigger)
            taken.update(range(trigger.start, trigger.start + trigger.size))
    return unique


def _region_facts(
    view: SentenceView, lexicon: FactLexicon, countries: CountryMentions, region: int, triggers: list[Trigger]
) -> list[Investment]:
    first = _first_trigger(triggers)
    amounts = [(i, a) for i, a in view.amounts if view.region[i] == region and a.value >= MIN_INVESTMENT]
    if all(t.weak for t in triggers) and not amounts:
        return []
    if any(view.region[i] == region and i < first.start for i in view.covered(lexicon.divest_words)):
        return []  # "sold its stake", "se desprendió de sus participaciones": money leaves
    if first.kind == "raise":
        roles = _raise_roles(view, lexicon, countries, region, first)
    else:
        roles = _invest_roles(view, lexicon, countries, region, first, triggers)
    if roles is None:
        return []
    hedged = view.has(lexicon.hedge_words)
    trigger_text = " ".join(view.words[first.start : first.start + first.size])
    chosen: list[MoneyAmount | None] = [*_fact_amounts(view, lexicon, amounts)] or [None]
    facts = [_fact(view, roles, amount, hedged, trigger_text) for amount in chosen]
    return [f for f in facts if f is not None]


def _first_trigger(triggers: list[Trigger]) -> Trigger:
    """The trigger that decides how the clause reads: the first strong one, but a verb before a round noun wins.

    "Bpifrance a participé au tour de table de Mistral AI": the verb makes
    Bpifrance the investor; the round only says what was funded.
    """
    strong = next((t for t in triggers if not t.weak), triggers[0])
    if strong.kind == "raise" and triggers[0].weak and triggers[0].start < strong.start:
        return triggers[0]
    return strong


# --------------------------------------------------------------------------- roles


def _invest_roles(
    view: SentenceView,
    lexicon: FactLexicon,
    countries: CountryMentions,
    region: int,
    first: Trigger,
    triggers: list[Trigger],
) -> Roles | None:
    subject = _subject(view, lexicon, region, first.start)
    investors = (
        _genitive_investor(view, lexicon, region, triggers)
        or subject
        or _possessive_investor(view, lexicon, region, triggers)
        or _later_subject(view, lexicon, region, first, triggers)
    )
    target: Party | None = None
    agents, attached = _agents(view, lexicon, region, first, triggers)
    if agents and attached:
        passive_subject = [p for p in subject if p.is_org]
        target = passive_subject[0] if len(passive_subject) == 1 else None
        investors = agents
    elif agents:
        investors = investors + [a for a in agents if a not in investors]  # "... investment package led by BGK"
    chosen = {identity(p.mention) for p in investors}
    if target is None:
        target = _marked_target(view, lexicon, region, first.start, chosen)
        target = target or _object_target(view, lexicon, triggers, chosen) or _held(view, lexicon, triggers, chosen)
    country = _destination(view, lexicon, countries, region, first.start, target, chosen)
    return Roles(_mentions(view, investors), target, country, _elsewhere(view, region))


def _elsewhere(view: SentenceView, region: int) -> bool:
    """The clause places the money only negatively ("outside the US"): a destination, though no country."""
    return any(p.locative and not p.destination and view.region[p.token] == region for p in view.parties)


def _held(view: SentenceView, lexicon: FactLexicon, triggers: list[Trigger], chosen: set[str]) -> Party | None:
    """What a holder holds or a round funds is the target.

    "le premier actionnaire de Mistral AI", "the $600 million round of
    Mistral AI": the organization the noun's "of" introduces, with at most an
    amount and a determiner between.
    """
    for trigger in triggers:
        holder = lexicon.holder_nouns.matches(view.words, trigger.start)
        if not (holder or trigger.kind == "raise"):
            continue
        end = trigger.start + trigger.size
        nxt = next((p for p in view.actors(view.region[trigger.start]) if p.token >= end), None)
        if nxt is None or not nxt.is_org or identity(nxt.mention) in chosen:
            continue
        between = [j for j in range(end, nxt.token) if j not in view.amount_tokens]
        if introduced_by(view, lexicon, nxt.token, lexicon.genitive_markers, 1, loose=False) and len(between) <= 4:
            return nxt
    return None


def _later_subject(
    view: SentenceView, lexicon: FactLexicon, region: int, first: Trigger, triggers: list[Trigger]
) -> list[Party]:
    """ "Investors including SoftBank and Nvidia poured $N into X": the noun has no subject, the verb has."""
    for trigger in triggers:
        if trigger.start > first.start:
            subject = _subject(view, lexicon, region, trigger.start)
            if subject:
                return subject
    return []


def _possessive_investor(view: SentenceView, lexicon: FactLexicon, region: int, triggers: list[Trigger]) -> list[Party]:
    """ "Microsoft's $13 billion stake in OpenAI": the possessor of an investment noun invests."""
    for trigger in triggers:
        if not lexicon.investment_nouns.has_word(view.words[trigger.start]):
            continue
        owners = [
            p
            for p in view.actors(region)
            if p.end_token < trigger.start <= p.end_token + 5
            and lexicon.possessive_markers.has_word(view.words[p.end_token])
        ]
        if owners and not any(view.words[j] in LIST_BREAKS for j in range(owners[-1].end_token, trigger.start)):
            return [owners[-1]]
    return []


def _genitive_investor(view: SentenceView, lexicon: FactLexicon, region: int, triggers: list[Trigger]) -> list[Party]:
    """ "l'investissement de Microsoft", "el compromiso de AWS de invertir": the owner of the noun invests."""
    for trigger in triggers:
        if not lexicon.investment_nouns.has_word(view.words[trigger.start]):
            continue
        end = trigger.start + trigger.size
        for party in view.actors(region):
            if party.token < end:
                continue
            direct = party.token == end and not lexicon.descriptors_need_determiner  # "investasi Microsoft"
            owner = direct or introduced_by(view, lexicon, party.token, lexicon.genitive_markers, 2, loose=False)
            if owner and not any(view.words[j] in LIST_BREAKS for j in range(end, party.token)):
                return group_starting_at(view, lexicon, view.actors(region), party)
            break
    return []


def _agents(
    view: SentenceView, lexicon: FactLexicon, region: int, first: Trigger, triggers: list[Trigger]
) -> tuple[list[Party], bool]:
    """Names after "by/door/par/oleh/von", and whether they are the agent of the first trigger itself.

    "financed by X", "wird von X finanziert": X is the investor (attached).
    "a stake in Y, part of a package led by X": X joins the investors but the
    first trigger's subject stays the investor (not attached).
    """
    start = 0 if lexicon.agents_before_verb else first.start  # "wird von X finanziert" / "financé par X"
    agents = _marked_after(view, lexicon, region, start, lexicon.agent_markers)
    if not agents or (agents[-1].end_token < first.start - AGENT_REACH):
        return [], False
    low, high = sorted((first.start, agents[0].token))
    between = [t for t in triggers if low < t.start < high and t is not first]
    if not between:
        return agents, True
    nominal = any(t.kind == "raise" or lexicon.investment_nouns.has_word(view.words[t.start]) for t in between)
    return (agents, False) if nominal and agents[0].token > first.start else ([], False)


def _raise_roles(
    view: SentenceView, lexicon: FactLexicon, countries: CountryMentions, region: int, first: Trigger
) -> Roles | None:
    """ "Y raised N from A and B": the subject (or "the company") receives, the marked names give."""
    subject = [p for p in _subject(view, lexicon, region, first.start) if p.is_org]
    investors = _marked_after(view, lexicon, region, first.start, lexicon.funder_markers)
    investors = investors or _marked_after(view, lexicon, region, first.start, lexicon.agent_markers)
    chosen = {identity(p.mention) for p in investors}
    target = next((p for p in reversed(subject) if identity(p.mention) not in chosen), None)
    if target is None and not subject:
        target = _marked_target(view, lexicon, region, first.start, chosen)  # "funding for X from A"
    country = _destination(view, lexicon, countries, region, first.start, target, chosen)
    return Roles(_mentions(view, investors), target, country)


def _subject(view: SentenceView, lexicon: FactLexicon, region: int, at: int) -> list[Party]:
    """The coordinated names acting before ``at`` in the clause; for an aside, the name it describes."""
    markers = (lexicon.target_markers, lexicon.agent_markers, lexicon.funder_markers)
    candidates = [p for p in view.subjects(lexicon, region, markers) if p.end_token <= at]
    if candidates:
        return group_ending_at(view, lexicon, candidates, candidates[-1])
    if region >= ASIDE_BASE and region in view.antecedent:
        return [view.antecedent[region]]
    if _anaphor_can_fill(view, region, at):
        if view.group:
            return [Party(m, -1, -1) for m in view.group]
        if view.anaphor is not None:
            return [Party(view.anaphor, -1, -1)]
    return []


def _anaphor_can_fill(view: SentenceView, region: int, at: int) -> bool:
    """The sentence-initial "the company" is the subject of the first clause only."""
    return region == view.region[0] and not any(p.actor and p.token < at for p in view.parties)


def _marked_after(
    view: SentenceView, lexicon: FactLexicon, region: int, at: int, markers: WordList, gap: int | None = None
) -> list[Party]:
    """The group of names after ``at`` introduced by one of ``markers`` ("led by A and B")."""
    candidates = [p for p in view.actors(region) if p.token >= at]
    for party in candidates:
        if introduced_by(view, lexicon, party.token, markers, gap):
            return group_starting_at(view, lexicon, candidates, party)
    return []


def _marked_target(view: SentenceView, lexicon: FactLexicon, region: int, at: int, chosen: set[str]) -> Party | None:
    """The organization introduced by "in/into/dans/di", nearest to the trigger."""
    marked = [
        p
        for p in view.actors(region)
        if p.is_org
        and identity(p.mention) not in chosen
        and introduced_by(view, lexicon, p.token, lexicon.target_markers)
    ]
    return min(marked, key=lambda p: abs(p.token - at), default=None)


def _object_target(view: SentenceView, lexicon: FactLexicon, triggers: list[Trigger], chosen: set[str]) -> Party | None:
    """ "acquires X", "backs X", "mendanai X": the organization right after a transitive trigger."""
    for trigger in triggers:
        if not view.starts_at(lexicon.transitive_invest_triggers, trigger.start):
            continue
        end = trigger.start + trigger.size
        for party in view.actors(view.region[trigger.start]):
            if party.is_org and party.token >= end and identity(party.mention) not in chosen:
                gap = range(end, party.token)
                close = len(gap) <= lexicon.descriptor_limit and all(is_descriptor(view, lexicon, j) for j in gap)
                return party if close else None
    return None


def _mentions(view: SentenceView, parties: list[Party]) -> list[Mention]:
    seen: set[str] = set()
    out = []
    for party in parties:
        key = identity(party.mention)
        if key not in seen:
            seen.add(key)
            out.append(party.mention)
    return out


# --------------------------------------------------------------------------- destination


def _destination(
    view: SentenceView,
    lexicon: FactLexicon,
    countries: CountryMentions,
    region: int,
    at: int,
    target: Party | None,
    chosen: set[str],
) -> Mention | None:
    """Where the money goes: a place named in the clause, else what describes the target."""
    places = [
        p
        for p in view.parties
        if p.destination and view.region[p.token] == region and identity(p.mention) not in chosen
    ]
    after = [p for p in places if p.token > at]
    if after or places:
        return (after or places)[0].mention
    if target is not None and target.token >= 0:
        described = _target_description_country(view, lexicon, countries, target)
        if described is not None:
            return described
    if target is None:
        return _demonym_after_marker(view, lexicon, countries, region, at)
    return countries.home_of(target.mention)


def _target_description_country(
    view: SentenceView, lexicon: FactLexicon, countries: CountryMentions, target: Party
) -> Mention | None:
    """ "Wisła Compute, a new Polish company", "la pépite française ... Mistral AI", "G42, an AI firm in the UAE"."""
    after = target.end_token
    if after + 1 < len(view.words) and view.words[after] == "," and view.region[after + 1] >= ASIDE_BASE:
        aside = view.region[after + 1]
        place = next((p for p in view.parties if p.destination and view.region[p.token] == aside), None)
        if place is not None:
            return place.mention
        for j in range(after + 1, len(view.words)):
            if view.region[j] != aside:
                break
            iso = lexicon.demonym_country(view.words[j])
            if iso:
                return _adjective_country(view, countries, iso, j)
    for j in range(target.token - 1, max(target.token - 8, -1), -1):
        if (
            view.in_party(j) is not None
            or view.region[j] != view.region[target.token]
            or not any(c.isalpha() for c in view.words[j])
        ):
            break
        iso = lexicon.demonym_country(view.words[j])
        if iso:
            return _adjective_country(view, countries, iso, j)
    return None


def _demonym_after_marker(
    view: SentenceView, lexicon: FactLexicon, countries: CountryMentions, region: int, at: int
) -> Mention | None:
    """ "commits €3 billion to Dutch AI data centre", "backs Polish AI cloud": an adjective names the place."""
    for start, size in view.hits(lexicon.target_markers) + view.hits(lexicon.transitive_invest_triggers):
        if start < at or view.region[start] != region:
            continue
        for j in range(start + size, min(start + size + lexicon.descriptor_limit, len(view.words))):
            origin = view.in_party(j + 1) if view.starts_at(lexicon.genitive_markers, j) else None
            if origin is not None and origin.is_country:
                return origin.mention  # "di perusahaan rintisan asal Indonesia": a start-up from Indonesia
            if not is_descriptor(view, lexicon, j):
                break
            iso = lexicon.demonym_country(view.words[j])
            if iso:
                return _adjective_country(view, countries, iso, j)
    return None


def _adjective_country(view: SentenceView, countries: CountryMentions, iso: str, token: int) -> Mention:
    start, end = view.offsets[token]
    return countries.adjective(iso, Span(start, end), view.span)


# --------------------------------------------------------------------------- amounts and the fact


def _fact_amounts(
    view: SentenceView, lexicon: FactLexicon, amounts: list[tuple[int, MoneyAmount]]
) -> list[MoneyAmount]:
    """The clause's first amount, plus each later one joined to it by a coordinator with no new party between."""
    if not amounts:
        return []
    chosen = [amounts[0]]
    for index, amount in amounts[1:]:
        previous = chosen[-1][0]
        between = range(previous + 1, index)
        if any(p.actor and previous < p.token < index for p in view.parties):
            break
        if any(view.starts_at(lexicon.coordinators, j) for j in between):
            chosen.append((index, amount))
    return [a for _, a in chosen]


def _fact(
    view: SentenceView, roles: Roles, amount: MoneyAmount | None, hedged: bool, trigger: str
) -> Investment | None:
    """The investment, if the roles say who or what receives money, and from whom or how much."""
    investor = roles.investors[0] if roles.investors else None
    target = roles.target.mention if roles.target else None
    if target is not None and investor is not None and identity(target) == identity(investor):
        target = None
    if target is None:
        placed = roles.country is not None or (roles.elsewhere and amount is not None)
        if investor is None or not placed:
            return None  # no recipient and no destination: the text does not say where the money goes
        if amount is None and roles.country is not None and identity(roles.country) == identity(investor):
            return None  # "la guerre de Corée ... la Corée": a country "investing" in itself, with nothing stated
    elif investor is None and amount is None:
        return None
    return Investment(
        evidence=view.span,
        investor=investor,
        co_investors=tuple(roles.investors[1:]),
        amount=amount,
        target=target,
        country=roles.country,
        hedged=hedged,
        trigger=trigger,
    )


def round_investors(view: SentenceView, lexicon: FactLexicon) -> list[Mention]:
    """ "The round was led by X", "De ronde werd geleid door X": investors of the round just announced."""
    if not any(start <= 1 for start, _ in view.hits(lexicon.round_anaphors)):
        return []
    region = view.region[0]
    for markers in (lexicon.agent_markers, lexicon.funder_markers):
        group = _marked_after(view, lexicon, region, 0, markers)
        if group:
            return _mentions(view, group)
    return []


def is_raise(fact: Investment, lexicon: FactLexicon) -> bool:
    """Whether a fact was read from a raise-type trigger (its investors may follow in the next sentence)."""
    words = fact.trigger.split()
    return bool(words) and lexicon.raise_triggers.matches(words, 0) == len(words)
