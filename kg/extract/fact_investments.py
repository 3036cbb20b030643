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

Named projects (Stargate, InvestAI) receive money like companies: marked
("invest in Stargate"), as the object, as the passive subject, or simply
named in the clause when nothing else receives the money; "the project" /
"ce projet" / "proyek ini" stands for the project last named, and a clause
that states an amount but no receiver and no place, just after a project was
named, is about that project.  A project that commits money itself is the
investor (the subject of the clause).

Amounts are the clause's own, minus equivalents in parentheses and
valuations; a second amount coordinated with the first ("500 million ... and
another 1.5 billion") is a second fact.  The destination country is a country
named as the place of the money in the clause, else a city or region so
named ("in Sines", "di Batam", "en la zona de X"), else what describes the
target ("a Polish company", "X, a Lisbon-based start-up", anywhere in the
article), else the target's home country from the gazetteer.  All but the
first are ``country_inferred``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from kg.extract.fact_countries import CountryMentions
from kg.extract.fact_sentences import (
    ASIDE_BASE,
    LIST_BREAKS,
    Party,
    Place,
    SentenceView,
    group_ending_at,
    group_starting_at,
    identity,
    introduced_by,
    is_descriptor,
    negated,
    placed_in,
)
from kg.extract.facts_lexicon import FactLexicon, WordList
from kg.model import Investment, Mention, MoneyAmount, Span

_Placed = TypeVar("_Placed", Party, Place)

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
    country_inferred: bool = False  # the country comes from a place, an adjective or the target's home
    committed: bool = False  # a strong trigger puts money into a project the clause names


@dataclass(frozen=True)
class Destination:
    """Where money goes and whether the text names that country as such."""

    country: Mention | None
    inferred: bool = False


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
    taken = {i for p in view.parties for i in range(p.token, p.end_token)}  # "InvestAI", "Invest-NL" are names
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
    if any(negated(view, lexicon, t.start, t.size) for t in triggers):
        return []  # "will not invest", "tidak jadi berinvestasi": no fact
    if first.kind == "raise":
        roles = _raise_roles(view, lexicon, countries, region, first)
    else:
        roles = _invest_roles(view, lexicon, countries, region, first, triggers)
    if roles.target is None and roles.country is None and amounts and view.project is not None:
        _about_project(view, countries, roles)
    hedged = view.has(lexicon.hedge_words)
    trigger_text = " ".join(view.words[first.start : first.start + first.size])
    target_at = roles.target.token if roles.target is not None else None
    chosen: list[MoneyAmount | None] = [*_fact_amounts(view, lexicon, amounts, target_at)] or [None]
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
) -> Roles:
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
        if agents[0].token < first.start:  # verb last: "A wird von B und C finanziert", A acts before the agents
            subject = _subject(view, lexicon, region, agents[0].token)
        passive_subject = [p for p in subject if (p.is_org or p.is_project) and p not in agents]
        target = passive_subject[0] if len(passive_subject) == 1 else None
        investors = agents
    elif agents:
        investors = investors + [a for a in agents if a not in investors]  # "... investment package led by BGK"
    chosen = {identity(p.mention) for p in investors}
    if target is None:
        target = _marked_target(view, lexicon, region, first.start, chosen)
        target = target or _object_target(view, lexicon, triggers, chosen) or _held(view, lexicon, triggers, chosen)
    if target is None:
        target = _project_in_clause(view, lexicon, region, first.start, chosen)
    committed = target is not None and target.is_project and _committed_by_verb(view, lexicon, triggers, target)
    destination = _destination(view, lexicon, countries, region, first.start, target, chosen)
    return Roles(
        _mentions(view, investors),
        target,
        destination.country,
        _elsewhere(view, region),
        destination.inferred,
        committed,
    )


def _committed_by_verb(view: SentenceView, lexicon: FactLexicon, triggers: list[Trigger], target: Party) -> bool:
    """ "Partner countries would invest in the project": the trigger right before it is a strong verb.

    Nouns ("the investment in X", "investors in X") only name money someone
    else puts in; a fact needs an investor or an amount then.
    """
    governing = [t for t in triggers if t.start < target.token]
    if not governing:
        return False
    last = governing[-1]
    word = view.words[last.start]
    noun = lexicon.investment_nouns.has_word(word) or lexicon.holder_nouns.matches(view.words, last.start)
    return last.kind == "invest" and not last.weak and not noun


def _elsewhere(view: SentenceView, region: int) -> bool:
    """The clause places the money only negatively ("outside the US"): a destination, though no country."""
    return any(p.locative and not p.destination and view.region[p.token] == region for p in view.parties)


def _receives(party: Party) -> bool:
    """Companies and projects receive money; a country receives it as a place, not as a target."""
    return party.is_org or party.is_project


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
        region = view.region[trigger.start]
        nxt = next((p for p in view.actors(region, projects=True) if p.token >= end), None)
        if nxt is None or not _receives(nxt) or identity(nxt.mention) in chosen:
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
    if not agents or _words_between(view, agents[-1].end_token, first.start) > AGENT_REACH:
        return [], False
    low, high = sorted((first.start, agents[0].token))
    between = [t for t in triggers if low < t.start < high and t is not first]
    if not between:
        return agents, True
    nominal = any(t.kind == "raise" or lexicon.investment_nouns.has_word(view.words[t.start]) for t in between)
    return (agents, False) if nominal and agents[0].token > first.start else ([], False)


def _words_between(view: SentenceView, start: int, end: int) -> int:
    """Words from ``start`` up to ``end``, a money amount counting as none: "von A und B mit 500 Millionen Euro
    finanziert" keeps the agents next to their participle."""
    return sum(1 for j in range(start, end) if j not in view.amount_tokens)


def _raise_roles(
    view: SentenceView, lexicon: FactLexicon, countries: CountryMentions, region: int, first: Trigger
) -> Roles:
    """ "Y raised N from A and B": the subject (or "the company") receives, the marked names give."""
    subject = [p for p in _subject(view, lexicon, region, first.start) if _receives(p)]
    investors = _marked_after(view, lexicon, region, first.start, lexicon.funder_markers)
    investors = investors or _marked_after(view, lexicon, region, first.start, lexicon.agent_markers)
    chosen = {identity(p.mention) for p in investors}
    target = next((p for p in reversed(subject) if identity(p.mention) not in chosen), None)
    if target is None and not subject:
        target = _marked_target(view, lexicon, region, first.start, chosen)  # "funding for X from A"
        target = target or _project_in_clause(view, lexicon, region, first.start, chosen)
    destination = _destination(view, lexicon, countries, region, first.start, target, chosen)
    return Roles(_mentions(view, investors), target, destination.country, country_inferred=destination.inferred)


def _subject(view: SentenceView, lexicon: FactLexicon, region: int, at: int) -> list[Party]:
    """The coordinated names acting before ``at`` in the clause; for an aside, the name it describes.

    A project can be the subject: it then commits the money itself.
    """
    markers = (lexicon.target_markers, lexicon.agent_markers, lexicon.funder_markers)
    candidates = [p for p in view.subjects(lexicon, region, markers, projects=True) if p.end_token <= at]
    if candidates:
        return group_ending_at(view, lexicon, candidates, candidates[-1])
    if region >= ASIDE_BASE and region in view.antecedent:
        return [view.antecedent[region]]
    if _anaphor_can_fill(view, region, at):
        if view.group:
            return [Party(m, -1, -1) for m in view.group]
        if view.anaphor is not None:
            return [Party(view.anaphor, -1, -1)]
    return _inverted_subject(view, lexicon, region, at, markers)


def _inverted_subject(
    view: SentenceView, lexicon: FactLexicon, region: int, at: int, markers: tuple[WordList, ...]
) -> list[Party]:
    """The subject after the verb: "Zugleich steckt die Telekom ...", "Daarnaast investeert Google ...".

    In a verb-second language a fronted phrase pushes the subject behind the
    finite verb; only a determiner may stand between.
    """
    if not lexicon.verb_final or at >= len(view.words):
        return []
    triggers = (lexicon.invest_triggers, lexicon.raise_triggers, lexicon.weak_invest_triggers)
    end = at + max(1, *(view.starts_at(words, at) for words in triggers))
    nxt = next((p for p in view.actors(region, projects=True) if p.token >= end), None)
    if nxt is None or any(introduced_by(view, lexicon, nxt.token, m) for m in markers):
        return []
    gap = range(end, nxt.token)
    if len(gap) > 1 or not all(view.starts_at(lexicon.determiners, j) for j in gap):
        return []
    return group_starting_at(view, lexicon, view.actors(region, projects=True), nxt)


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
    """The organization or project introduced by "in/into/dans/di", nearest to the trigger."""
    marked = [
        p
        for p in view.actors(region, projects=True)
        if _receives(p)
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
        for party in view.actors(view.region[trigger.start], projects=True):
            if _receives(party) and party.token >= end and identity(party.mention) not in chosen:
                gap = range(end, party.token)
                close = len(gap) <= lexicon.descriptor_limit and all(is_descriptor(view, lexicon, j) for j in gap)
                return party if close else None
    return None


def _project_in_clause(
    view: SentenceView, lexicon: FactLexicon, region: int, at: int, chosen: set[str]
) -> Party | None:
    """The project a clause is about when nothing else receives its money.

    A project named in the clause (nearest to the trigger), the project an
    aside describes ("Stargate, the project launched by ..."), or the one
    "the project" / "ce projet" / "proyek ini" in the clause refers to.
    """
    named = [
        p
        for p in view.parties
        if p.is_project and not p.passive and view.region[p.token] == region and identity(p.mention) not in chosen
    ]
    if named:
        return min(named, key=lambda p: abs(p.token - at))
    described = view.antecedent.get(region) if region >= ASIDE_BASE else None
    if described is not None and described.is_project and identity(described.mention) not in chosen:
        return described
    if view.project is not None and identity(view.project) not in chosen:
        for start, size in view.hits(lexicon.project_anaphors):
            if view.region[start] == region:
                return Party(view.project, start, start + size)
    return None


def _about_project(view: SentenceView, countries: CountryMentions, roles: Roles) -> None:
    """An amount with no receiver and no place, just after a project was named, is the project's money.

    "X says the initial investment will reach $N" in a passage about a
    project X was named building: the project receives it, and its
    destination is the project's home.
    """
    project = view.project
    if project is None or not any(identity(m) in view.project_members for m in roles.investors):
        return  # only a member of the project (named acting with it) puts an unplaced amount into it
    roles.target = Party(project, -1, -1)
    roles.country = countries.home_of(project)
    roles.country_inferred = roles.country is not None


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
) -> Destination:
    """Where the money goes: a country named as its place, a city or region, or what describes the target."""
    named = [
        p
        for p in view.parties
        if p.destination and view.region[p.token] == region and identity(p.mention) not in chosen
    ]
    if named:
        return Destination(_after_first(named, at).mention)
    places = [
        p
        for p in view.places
        if view.region[p.token] == region and placed_in(view, lexicon, p) and (p.token > at or lexicon.verb_final)
    ]
    if places:
        return Destination(_place_country(view, countries, _after_first(places, at)), inferred=True)
    if target is not None and target.token >= 0:
        described = described_country(view, lexicon, countries, target)
        if described.country is not None:
            return described
    if target is None:
        adjective = _adjective_after_marker(view, lexicon, countries, region, at)
        return Destination(adjective, inferred=adjective is not None)
    home = countries.home_of(target.mention)
    return Destination(home, inferred=home is not None)


def _after_first(items: list[_Placed], at: int) -> _Placed:
    """The first of ``items`` after the trigger, else the first before it."""
    return next((p for p in items if p.token > at), items[0])


def _place_country(view: SentenceView, countries: CountryMentions, place: Place) -> Mention:
    start, end = view.offsets[place.token][0], view.offsets[place.end_token - 1][1]
    return countries.inferred(place.iso, Span(start, end), view.span)


def described_country(
    view: SentenceView, lexicon: FactLexicon, countries: CountryMentions, party: Party
) -> Destination:
    """The country a company's description places it in (inferred unless the description names the country).

    "Wisła Compute, a new Polish company", "G42, an AI firm in the UAE",
    "X, a Lisbon-based start-up" (an aside after the name), "X aus Kiel" / "X
    based in Lyon" (a home marker right after it), "X is a Polish firm" (a
    copula's predicate), "la pépite française X", "het Utrechtse bedrijf X"
    (adjectives before it).
    """
    after = party.end_token
    if after + 1 < len(view.words) and view.words[after] == "," and view.region[after + 1] >= ASIDE_BASE:
        found = _aside_country(view, lexicon, countries, view.region[after + 1], after + 1)
        if found.country is not None:
            return found
    home = _home_after(view, lexicon, countries, after)
    if home.country is None and after < len(view.words) and view.starts_at(lexicon.copulas, after):
        home = _predicate_country(view, lexicon, countries, after + view.starts_at(lexicon.copulas, after))
    if home.country is not None:
        return home
    before = _country_before(view, lexicon, countries, party)
    return Destination(before, inferred=before is not None)


def _home_after(view: SentenceView, lexicon: FactLexicon, countries: CountryMentions, at: int) -> Destination:
    """ "based in Lyon", "aus Kiel", "asal Indonesia" starting at token ``at``: the place or country named."""
    size = view.starts_at(lexicon.home_markers, at) if at < len(view.words) else 0
    if not size:
        return Destination(None)
    nxt = at + size
    nxt += view.starts_at(lexicon.determiners, nxt) if nxt < len(view.words) else 0
    place = view.in_place(nxt)
    country = view.in_party(nxt)
    if place is not None and place.token == nxt:
        return Destination(_place_country(view, countries, place), inferred=True)
    if country is not None and country.is_country and country.token == nxt:
        return Destination(country.mention)
    return Destination(None)


def _predicate_country(view: SentenceView, lexicon: FactLexicon, countries: CountryMentions, at: int) -> Destination:
    """ "X is a Lisbon-based company", "X est une start-up française basée à Lyon": what the copula says X is."""
    for j in range(at, min(at + lexicon.descriptor_limit + 2, len(view.words))):
        home = _home_after(view, lexicon, countries, j)
        if home.country is not None:
            return home
        place = view.in_place(j)
        if place is not None and place.adjective:
            return Destination(_place_country(view, countries, place), inferred=True)
        if view.in_party(j) is not None or not is_descriptor(view, lexicon, j):
            break
        iso = lexicon.demonym_country(view.words[j])
        if iso:
            return Destination(_adjective_country(view, countries, iso, j), inferred=True)
    return Destination(None)


def _aside_country(
    view: SentenceView, lexicon: FactLexicon, countries: CountryMentions, aside: int, start: int
) -> Destination:
    """The first country an aside names as a place, or that an adjective or a place in it points to.

    A place after "in" describes the name only in an apposition ("X, an AI
    firm in the UAE") or after a home marker ("X, which is based in Lyon"),
    not in a relative clause about something else ("X, which invests in Chile").
    """
    apposition = not lexicon.descriptors_need_determiner or bool(view.starts_at(lexicon.determiners, start))
    for j in range(start, len(view.words)):
        if view.region[j] != aside:
            break
        home = _home_after(view, lexicon, countries, j)
        if home.country is not None:
            return home
        party = view.in_party(j)
        if apposition and party is not None and party.token == j and party.destination:
            return Destination(party.mention)
        place = view.in_place(j)
        located = apposition and placed_in(view, lexicon, place) if place is not None else False
        if place is not None and place.token == j and (place.adjective or located):
            return Destination(_place_country(view, countries, place), inferred=True)
        iso = lexicon.demonym_country(view.words[j]) if party is None else None
        if iso:
            return Destination(_adjective_country(view, countries, iso, j), inferred=True)
    return Destination(None)


def _country_before(
    view: SentenceView, lexicon: FactLexicon, countries: CountryMentions, party: Party
) -> Mention | None:
    """A country adjective or place adjective among the words right before a name ("the Polish start-up X")."""
    for j in range(party.token - 1, max(party.token - 8, -1), -1):
        place = view.in_place(j)
        if place is not None and place.adjective and view.region[j] == view.region[party.token]:
            return _place_country(view, countries, place)
        if (
            view.in_party(j) is not None
            or view.region[j] != view.region[party.token]
            or not (any(c.isalpha() for c in view.words[j]) or j in view.infixes)
        ):
            break
        iso = lexicon.demonym_country(view.words[j])
        if iso:
            return _adjective_country(view, countries, iso, j)
    return None


def _adjective_after_marker(
    view: SentenceView, lexicon: FactLexicon, countries: CountryMentions, region: int, at: int
) -> Mention | None:
    """ "commits €3 billion to Dutch AI data centre", "in ein Kieler Rechenzentrum": an adjective names the place."""
    for start, size in view.hits(lexicon.target_markers) + view.hits(lexicon.transitive_invest_triggers):
        if start < at or view.region[start] != region:
            continue
        for j in range(start + size, min(start + size + lexicon.descriptor_limit, len(view.words))):
            origin = view.in_party(j + 1) if view.starts_at(lexicon.genitive_markers, j) else None
            if origin is not None and origin.is_country:
                return origin.mention  # "di perusahaan rintisan asal Indonesia": a start-up from Indonesia
            place = view.in_place(j)
            if place is not None and place.adjective:
                return _place_country(view, countries, place)
            if not is_descriptor(view, lexicon, j):
                break
            iso = lexicon.demonym_country(view.words[j])
            if iso:
                return _adjective_country(view, countries, iso, j)
    return None


def _adjective_country(view: SentenceView, countries: CountryMentions, iso: str, token: int) -> Mention:
    start, end = view.offsets[token]
    return countries.inferred(iso, Span(start, end), view.span)


# --------------------------------------------------------------------------- amounts and the fact


def _fact_amounts(
    view: SentenceView, lexicon: FactLexicon, amounts: list[tuple[int, MoneyAmount]], target_at: int | None
) -> list[MoneyAmount]:
    """The clause's first amount, plus each later one joined to it by a coordinator with no new party between.

    The target itself may stand between ("$100 billion in X and up to $500
    billion over four years"): it receives both.
    """
    if not amounts:
        return []
    chosen = [amounts[0]]
    for index, amount in amounts[1:]:
        previous = chosen[-1][0]
        between = range(previous + 1, index)
        if any(p.actor and previous < p.token < index and p.token != target_at for p in view.parties):
            break
        if any(view.starts_at(lexicon.coordinators, j) for j in between):
            chosen.append((index, amount))
    return [a for _, a in chosen]


def _fact(
    view: SentenceView, roles: Roles, amount: MoneyAmount | None, hedged: bool, trigger: str
) -> Investment | None:
    """The investment, if the roles say who or what receives money, and from whom or how much.

    A project the clause names may receive money from unnamed investors
    ("partner countries would invest in the project"): the verb commits it.
    """
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
    elif investor is None and amount is None and not roles.committed:
        return None
    country = roles.country
    return Investment(
        evidence=view.span,
        investor=investor,
        co_investors=tuple(roles.investors[1:]),
        amount=amount,
        target=target,
        country=country,
        hedged=hedged,
        trigger=trigger,
        country_inferred=roles.country_inferred and country is not None,
    )


def describe_parties(view: SentenceView, lexicon: FactLexicon, countries: CountryMentions) -> None:
    """Remember where the sentence places each company or project it describes, for facts elsewhere."""
    for party in view.parties:
        if _receives(party) and countries.description(party.mention) is None:
            country = described_country(view, lexicon, countries, party).country
            if country is not None:
                countries.describe(party.mention, country)


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
