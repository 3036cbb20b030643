"""Mentions -> canonical entities with stable IRIs.

The same entity named in different languages, spellings, cases or short
forms must become one node across all articles, so identity never depends
on the article: countries are keyed by ISO code, known organizations by
gazetteer id, other organizations by their normalised name without legal
form, persons by their normalised full name.  Within one article a surname
alone joins the full name it abbreviates (``Altman``, ``Van Leeuwen``,
Indonesian ``Arif`` for ``Arif Wicaksono``), and an unknown organization's
short form joins the one longer name it starts (``Fathom`` -> ``Fathom
Silicon``).  A name the gazetteer lacks is also tried without trailing
corporate words (``Nscale Global Holdings`` is Nscale).  An abbreviation defined in
brackets next to an organization's name (``Tennessee Valley Authority (TVA)``, ``la SETT
(Sociedad Española para la Transformación Tecnológica)``) is that organization wherever the
article uses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from kg.iri import entity_iri, keyed_iri
from kg.knowledge import Knowledge
from kg.model import INFERRED, EntityKind, Extraction, Mention
from kg.nlp.lexicon import name_lexicon, strip_legal_form
from kg.text import abbreviates, is_abbreviation, normalise_name


@dataclass
class ResolvedEntity:
    """One canonical entity as seen in one article."""

    iri: str
    kind: EntityKind
    label: str
    wikidata: str | None = None
    iso: str | None = None
    org_type: str | None = None
    surface_forms: set[str] = field(default_factory=set)
    mentioned: bool = False  # named in the text, not only inferred by a fact


@dataclass
class Resolution:
    """Entities of one article and which entity each mention refers to."""

    entities: dict[str, ResolvedEntity] = field(default_factory=dict)
    by_mention: dict[Mention, ResolvedEntity] = field(default_factory=dict)

    def entity(self, mention: Mention | None) -> ResolvedEntity | None:
        return None if mention is None else self.by_mention.get(mention)


@lru_cache(maxsize=32)
def _corporate_words(lang: str) -> set[str]:
    lexicon = name_lexicon(lang)
    return {normalise_name(w) for w in (*lexicon.corporate_words, *lexicon.legal_suffixes)}


class Resolver:
    """Resolves the mentions of one article against kg's knowledge."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge

    def resolve(self, extraction: Extraction) -> Resolution:
        resolution = Resolution()
        lang = extraction.article.lang
        full_names = self._person_full_names(extraction.mentions)
        long_orgs = self._org_long_names(extraction.mentions, lang)
        defined = abbreviations(extraction.mentions, extraction.article.text)
        for mention in extraction.mentions:
            named = defined.get(mention.text) if mention.kind is EntityKind.ORGANIZATION else None
            entity = self._entity(named or mention, lang, full_names, long_orgs)
            if entity is None:
                continue
            known = resolution.entities.setdefault(entity.iri, entity)
            if mention.origin != INFERRED:
                known.surface_forms.add(mention.text)
                known.mentioned = True
            resolution.by_mention[mention] = known
        return resolution

    def _entity(
        self, mention: Mention, lang: str, full_names: dict[str, str], long_orgs: dict[str, str]
    ) -> ResolvedEntity | None:
        if mention.kind is EntityKind.COUNTRY:
            iso = mention.key or self.knowledge.country_iso(mention.text)
            if not iso:
                return None
            return ResolvedEntity(keyed_iri("country", iso), mention.kind, self.knowledge.country_label(iso), iso=iso)
        if mention.kind is EntityKind.ORGANIZATION:
            return self._organization(mention, lang, long_orgs)
        if mention.kind is EntityKind.PROJECT:
            return self._project(mention)
        name = full_names.get(mention.text, mention.text)
        return ResolvedEntity(entity_iri("person", name), mention.kind, name)

    def _project(self, mention: Mention) -> ResolvedEntity:
        project_id = mention.key or self.knowledge.project_id(mention.text)
        project = self.knowledge.projects.get(project_id or "")
        if project is None:
            return ResolvedEntity(entity_iri("project", mention.text), mention.kind, mention.text)
        return ResolvedEntity(keyed_iri("project", project.id), mention.kind, project.label)

    def _organization(self, mention: Mention, lang: str, long_orgs: dict[str, str]) -> ResolvedEntity:
        org_id = mention.key or self.known_org(mention.text, lang)
        if org_id and org_id in self.knowledge.orgs:
            org = self.knowledge.orgs[org_id]
            return ResolvedEntity(
                keyed_iri("org", org.id), mention.kind, org.label, wikidata=org.wikidata, org_type=org.type
            )
        bare = strip_legal_form(mention.text, lang)
        bare = long_orgs.get(bare, bare)
        return ResolvedEntity(entity_iri("org", bare), mention.kind, bare)

    def known_org(self, name: str, lang: str) -> str | None:
        """Gazetteer id of ``name``, also without legal form and trailing corporate words."""
        org_id = self.knowledge.org_id(name) or self.knowledge.org_id(strip_legal_form(name, lang))
        words = name.replace(",", " ").split()
        generic = _corporate_words(lang)
        while org_id is None and len(words) > 1 and normalise_name(words[-1]) in generic:
            words.pop()
            org_id = self.knowledge.org_id(" ".join(words))
        return org_id

    def _org_long_names(self, mentions: list[Mention], lang: str) -> dict[str, str]:
        """Map an unknown organization's short form to the one longer name it starts."""
        bare = {
            strip_legal_form(m.text, lang)
            for m in mentions
            if m.kind is EntityKind.ORGANIZATION and not m.key and self.known_org(m.text, lang) is None
        }
        mapping: dict[str, str] = {}
        for name in bare:
            longer = {b for b in bare if b != name and normalise_name(b).startswith(normalise_name(name) + " ")}
            if len(longer) == 1:
                mapping[name] = longer.pop()
        return mapping

    @staticmethod
    def _person_full_names(mentions: list[Mention]) -> dict[str, str]:
        """Map each short person mention to the unique longer name ending or starting with it."""
        names = {m.text for m in mentions if m.kind is EntityKind.PERSON}
        full = [n for n in names if len(n.split()) >= 2]
        mapping: dict[str, str] = {}
        for name in names:
            key = normalise_name(name)
            candidates = {
                f
                for f in full
                if len(f.split()) > len(name.split())
                and (normalise_name(f).endswith(" " + key) or normalise_name(f).startswith(key + " "))
            }
            if len(candidates) == 1:
                mapping[name] = candidates.pop()
        return mapping


def abbreviations(mentions: list[Mention], text: str) -> dict[str, Mention]:
    """Abbreviation -> the organization mention it is defined for, from ``Name (ABBR)`` and ``ABBR (Name``.

    Only organizations next to each other with an opening bracket between them count, and only when
    the abbreviation is not a known organization of its own.
    """
    orgs = sorted((m for m in mentions if m.kind is EntityKind.ORGANIZATION), key=lambda m: m.span.start)
    out: dict[str, Mention] = {}
    for first, second in pairwise(orgs):
        between = text[first.span.end : second.span.start]
        if between.strip() != "(":
            continue
        for short, long in ((second, first), (first, second)):
            if short.key or long.text == short.text or not is_abbreviation(short.text):
                continue
            if short.text not in out and abbreviates(short.text, long.text):
                out[short.text] = long
    return out
