"""Partnership facts: which parties a sentence says cooperate.

A partnership needs a trigger ("partnership", "joint venture", "MoU",
"werken samen", "negocian") and names around it, read by the words that link
them to the trigger:

* the lead is the subject before the trigger ("A, B and C announced a
  partnership": all pairs among them), or the subject between trigger and
  "with" ("the partnership ..., A said in a statement with B");
* "with/met/avec/dengan/mit/con" introduces partners of the lead (a star);
* "between/entre/antara/zwischen/tussen", and the members of a joint venture or
  consortium ("a consortium of A, B and C", "une coentreprise associant"),
  are partners of each other (all pairs);
* "as a partner" ("como socio", "sebagai mitra") describes a role in
  something else, not cooperation between the names around it.

Places ("in Indonesia"), cited sources, modifiers ("Norway's Aker") and
named projects ("a partnership on Stargate") are never partners.
"""

from __future__ import annotations

from itertools import combinations

from kg.extract.fact_sentences import (
    ASIDE_BASE,
    Party,
    SentenceView,
    group_ending_at,
    group_starting_at,
    introduced_by,
    is_descriptor,
    negated,
    same_party,
)
from kg.extract.facts_lexicon import FactLexicon, WordList, word_matches

Pair = tuple[Party, Party]
JOINT_SUBJECT_REACH = 6  # words between coordinated subjects and the trigger they share
MEMBER_REACH = 3  # words between "consortium" and "of/made up of" that lists its members


def partner_triggers(view: SentenceView, lexicon: FactLexicon) -> list[tuple[int, int]]:
    """(token, length) of every partnership trigger, including split verbs ("werken ... samen")."""
    hits = list(view.hits(lexicon.partner_triggers))
    for verb, particle in lexicon.separable_partner_triggers:
        for i, word in enumerate(view.words):
            if word_matches(verb, word):
                end = next((j for j in range(i + 1, min(i + 8, len(view.words))) if view.words[j] == particle), None)
                if end is not None and view.region[end] == view.region[i]:
                    hits.append((i, 1))
    return sorted(set(hits))


def partnerships_in(view: SentenceView, lexicon: FactLexicon) -> list[tuple[Pair, str]]:
    """Every (pair, trigger text) one sentence states; each pair once."""
    if len(view.actors()) + len(view.group) + (view.anaphor is not None) < 2:
        return []
    triggers = partner_triggers(view, lexicon)
    if not triggers:
        return [(pair, "") for pair in _joint_agents(view, lexicon)]
    collective = view.has(lexicon.collective_triggers)
    found: list[tuple[Pair, str]] = []
    roles = {view.region[at] for at, _ in triggers if introduced_by(view, lexicon, at, lexicon.partner_role_markers, 2)}
    denied = {view.region[at] for at, size in triggers if negated(view, lexicon, at, size)}
    for at, size in triggers:
        if view.region[at] in roles:
            continue  # "como socio tecnológico, junto con A y B": partners of something else
        if view.region[at] in denied:
            continue  # "did not sign an agreement", "não chegaram a acordo sobre a parceria"
        text = " ".join(view.words[at : at + size])
        for x, y in _pairs_at(view, lexicon, at, size, collective):
            if not same_party(x.mention, y.mention):
                found.append(((x, y), text))
    return found


def _pairs_at(view: SentenceView, lexicon: FactLexicon, at: int, size: int, collective: bool) -> list[Pair]:
    region = view.region[at]
    actors = view.actors(region)
    end = at + size
    lead = _lead(view, lexicon, actors, region, at)
    linked = _introduced_group(view, lexicon, actors, end, lexicon.between_markers)
    if linked:
        return _all_pairs(lead + linked)
    members = _members(view, lexicon, actors, end) if collective else []
    if members:
        return _all_pairs(lead + members)
    partners = (
        _introduced_group(view, lexicon, actors, at, lexicon.partner_markers)
        or _partner_of(view, lexicon, actors, end)
        or _object_group(view, lexicon, actors, at, size)
    )
    if partners and not lead:
        lead = _lead_between(view, lexicon, actors, at, partners[0]) or _lead_after(view, lexicon, actors, at, partners)
    if collective and partners:
        return _all_pairs(lead + partners)
    if partners:
        return [(x, y) for x in lead for y in partners]  # a star: "A and B, partner countries of C" pairs only with C
    return _all_pairs(lead) if _joint_subject(view, lead, at) else []


def _joint_subject(view: SentenceView, lead: list[Party], at: int) -> bool:
    """ "Cuba y Alemania acordaron una colaboración": coordinated subjects shortly before the trigger."""
    if len(lead) < 2 or lead[-1].token < 0 or lead[-1].end_token > at:
        return len(lead) >= 2 and lead[-1].token < 0  # "the companies" announced ...
    between = view.words[lead[-1].end_token : at]
    return len(between) <= JOINT_SUBJECT_REACH and "," not in between


def _partner_of(view: SentenceView, lexicon: FactLexicon, actors: list[Party], end: int) -> list[Party]:
    """ "partenaires d'OpenAI", "socio de X": a genitive right after the trigger names the partner."""
    size = view.starts_at(lexicon.partner_of_markers, end)
    nxt = next((p for p in actors if p.token >= end + size), None) if size else None
    if nxt is None:
        return []
    gap = range(end + size, nxt.token)
    if len(gap) > 1 or not all(view.starts_at(lexicon.determiners, j) for j in gap):
        return []
    return group_starting_at(view, lexicon, [p for p in actors if p.token >= nxt.token], nxt)


def _lead(view: SentenceView, lexicon: FactLexicon, actors: list[Party], region: int, at: int) -> list[Party]:
    """The subject before the trigger, the name an aside describes, or "the company" resolved."""
    before = [
        p
        for p in view.subjects(lexicon, region, (lexicon.target_markers, lexicon.between_markers))
        if p.end_token <= at and not introduced_by(view, lexicon, p.token, lexicon.partner_markers, 1)
    ]
    if before:
        return group_ending_at(view, lexicon, before, before[-1])
    if region >= ASIDE_BASE and region in view.antecedent:
        return [view.antecedent[region]]
    if region == view.region[0] and not any(p.actor and p.token < at for p in view.parties):
        if view.group:
            return [Party(m, -1, -1) for m in view.group]
        if view.anaphor is not None:
            return [Party(view.anaphor, -1, -1)]
    genitive_lead = _genitive_lead(view, lexicon, actors, at)
    return [genitive_lead] if genitive_lead else []


def _genitive_lead(view: SentenceView, lexicon: FactLexicon, actors: list[Party], at: int) -> Party | None:
    """ "kemitraan Indonesia dengan Microsoft": a name right after the trigger noun, itself followed by "with"."""
    nxt = next((p for p in actors if p.token >= at + 1), None)
    if nxt is None or nxt.token != at + 1 or nxt.end_token >= len(view.words):
        return None
    return nxt if view.starts_at(lexicon.partner_markers, nxt.end_token) else None


def _introduced_group(
    view: SentenceView, lexicon: FactLexicon, actors: list[Party], at: int, markers: WordList
) -> list[Party]:
    """The names after ``at`` that ``markers`` introduce ("with A and B", "entre A et B")."""
    after = [p for p in actors if p.token >= at]
    for party in after:
        if introduced_by(view, lexicon, party.token, markers):
            return group_starting_at(view, lexicon, after, party)
    return []


def _members(view: SentenceView, lexicon: FactLexicon, actors: list[Party], end: int) -> list[Party]:
    """ "a consortium of A, B and C", "une coentreprise associant A, B et C": members listed right after the noun."""
    for start, size in view.hits(lexicon.member_markers):
        if not end <= start <= end + MEMBER_REACH:
            continue
        nxt = next((p for p in actors if p.token >= start + size), None)
        gap = range(start + size, nxt.token) if nxt is not None else range(0)
        if (
            nxt is not None
            and len(gap) <= lexicon.descriptor_limit
            and all(is_descriptor(view, lexicon, j) for j in gap)
        ):
            return group_starting_at(view, lexicon, [p for p in actors if p.token >= nxt.token], nxt)
    return []


def _object_group(view: SentenceView, lexicon: FactLexicon, actors: list[Party], at: int, size: int) -> list[Party]:
    """ "G42 menggandeng Danantara dan Telkom": the names right after a transitive trigger."""
    if not view.starts_at(lexicon.transitive_partner_triggers, at):
        return []
    end = at + size
    nxt = next((p for p in actors if p.token >= end), None)
    if nxt is None or nxt.token - end > lexicon.descriptor_limit:
        return []
    if not all(is_descriptor(view, lexicon, j) for j in range(end, nxt.token)):
        return []
    return group_starting_at(view, lexicon, [p for p in actors if p.token >= end], nxt)


def _lead_between(
    view: SentenceView, lexicon: FactLexicon, actors: list[Party], at: int, first_partner: Party
) -> list[Party]:
    """ "The partnership ..., Aker said in a statement with Nscale": the subject between trigger and "with"."""
    between = [p for p in actors if at < p.token and p.end_token <= first_partner.token and not p.genitive]
    return group_ending_at(view, lexicon, between, between[-1]) if between else []


def _lead_after(
    view: SentenceView, lexicon: FactLexicon, actors: list[Party], at: int, partners: list[Party]
) -> list[Party]:
    """ "Gemeinsam mit X will SoftBank ...": a clause-opening "together with" puts the subject after the partners."""
    if at > 1:
        return []
    after = [p for p in actors if p.token >= partners[-1].end_token and not p.genitive]
    return group_starting_at(view, lexicon, after, after[0]) if after else []


def _all_pairs(parties: list[Party]) -> list[Pair]:
    return list(combinations(parties, 2))


def _joint_agents(view: SentenceView, lexicon: FactLexicon) -> list[Pair]:
    """ "le projet lancé par OpenAI avec SoftBank et Oracle": a thing done by A with B is done jointly.

    Only when the "with" group closes the phrase: "built by A with B chips"
    names a supplier, not a partner.
    """
    for region in sorted(set(view.region)):
        actors = view.actors(region)
        agents = next((p for p in actors if introduced_by(view, lexicon, p.token, lexicon.agent_markers, 0)), None)
        if agents is None:
            continue
        lead = group_starting_at(view, lexicon, actors, agents)
        partners = _introduced_group(view, lexicon, actors, lead[-1].end_token, lexicon.partner_markers)
        between = (p for p in view.parties if p.actor and not p.is_project)
        if not partners or any(lead[-1].end_token <= p.token < partners[0].token for p in between):
            continue
        after = partners[-1].end_token
        if (
            after < len(view.words)
            and is_descriptor(view, lexicon, after)
            and not view.starts_at(lexicon.determiners, after)
        ):
            continue
        return [(x, y) for x in lead for y in partners]
    return []
