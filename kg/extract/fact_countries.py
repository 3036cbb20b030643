"""Country mentions for fact roles that the text gives only indirectly.

A destination may be stated by an adjective ("a Polish company", "la pépite
française"), by a city or region ("a data centre in Eemshaven", "di Batam")
or follow from the target itself (money invested in a company goes to its
home country, as the article describes it or the gazetteer knows it).  The
role must still point at a mention so the graph can link the fact to the
country: an existing mention of the country in the article when there is
one, else an ``inferred`` one made for the fact.  An inferred mention is not
a name in the text: the graph resolves it to the country but never writes it
as a mention (see :class:`kg.model.Mention`).  The gazetteer's home country
is used only when the article names or describes that country somewhere, so
facts never introduce a country the article neither names nor describes.
"""

from __future__ import annotations

from kg.extract.fact_sentences import same_party
from kg.knowledge import load_knowledge
from kg.model import INFERRED, EntityKind, Extraction, Mention, Span


class CountryMentions:
    """The country mentions of one article, indexed by ISO code."""

    def __init__(self, extraction: Extraction) -> None:
        self.extraction = extraction
        self.by_iso: dict[str, Mention] = {}
        self.described: list[tuple[Mention, Mention]] = []  # (company or project, the country the article places it in)
        for mention in extraction.mentions:
            if mention.kind is EntityKind.COUNTRY and mention.key and mention.origin != INFERRED:
                self.by_iso.setdefault(mention.key, mention)

    def inferred(self, iso: str, span: Span, sentence: Span) -> Mention:
        """The country an adjective or a place at ``span`` points to: an existing mention, else an inferred one."""
        if iso in self.by_iso:
            return self.by_iso[iso]
        text = self.extraction.article.text[span.start : span.end]
        mention = Mention(span, text, EntityKind.COUNTRY, sentence, key=iso, confidence=0.7, origin=INFERRED)
        self.by_iso[iso] = mention  # joins the article's mentions through ``ensure`` once a fact uses it
        return mention

    def ensure(self, mention: Mention | None) -> None:
        """Add a country a fact uses ("the British government", an inferred place) to the article's mentions."""
        if mention is None or mention.kind is not EntityKind.COUNTRY:
            return
        if not any(m is mention for m in self.extraction.mentions):
            self.extraction.mentions.append(mention)
        if mention.key:
            self.by_iso.setdefault(mention.key, mention)

    def description(self, party: Mention) -> Mention | None:
        """The country the article places a company or project in, if it does."""
        return next((country for named, country in self.described if same_party(named, party)), None)

    def describe(self, party: Mention, country: Mention) -> None:
        """Remember where the article places a company or project ("X, a Lisbon-based start-up")."""
        if self.description(party) is None:
            self.described.append((party, country))

    def home_of(self, party: Mention) -> Mention | None:
        """The home country of a company or project: as the article describes it, else the gazetteer's.

        The gazetteer's country counts only if the article names or describes it.
        """
        described = self.description(party)
        if described is not None:
            return described
        knowledge = load_knowledge(self.extraction.gazetteers)
        if party.kind is EntityKind.PROJECT:
            project = knowledge.projects.get(party.key or "")
            country = project.country if project is not None else None
        else:
            org = knowledge.orgs.get(party.key or "")
            country = org.country if org is not None else None
        return self.by_iso.get(country) if country else None
