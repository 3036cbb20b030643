"""Country mentions for fact roles that the text gives only indirectly.

A destination may be stated by an adjective ("a Polish company", "la pépite
française") or follow from the target itself (money invested in a company
goes to its home country).  The role must still point at a mention so the
graph can show where it came from: an existing mention of the country in
the article when there is one, else the adjective itself becomes one.  The
gazetteer's home country is used only when the article names that country
somewhere, so facts never introduce a country the article neither names nor
describes.
"""

from __future__ import annotations

from kg.knowledge import load_knowledge
from kg.model import EntityKind, Extraction, Mention, Span


class CountryMentions:
    """The country mentions of one article, indexed by ISO code."""

    def __init__(self, extraction: Extraction) -> None:
        self.extraction = extraction
        self.by_iso: dict[str, Mention] = {}
        for mention in extraction.mentions:
            if mention.kind is EntityKind.COUNTRY and mention.key:
                self.by_iso.setdefault(mention.key, mention)

    def adjective(self, iso: str, span: Span, sentence: Span) -> Mention:
        """The country an adjective at ``span`` names: an existing mention, else the adjective as a new one."""
        if iso in self.by_iso:
            return self.by_iso[iso]
        text = self.extraction.article.text[span.start : span.end]
        mention = Mention(span, text, EntityKind.COUNTRY, sentence, key=iso, confidence=0.7, origin="rule")
        self.by_iso[iso] = mention  # joins the article's mentions through ``ensure`` once a fact uses it
        return mention

    def ensure(self, mention: Mention | None) -> None:
        """Add a country mention that a fact uses (e.g. "the British government") to the article's mentions."""
        if mention is None or mention.kind is not EntityKind.COUNTRY:
            return
        if not any(m is mention for m in self.extraction.mentions):
            self.extraction.mentions.append(mention)
        if mention.key:
            self.by_iso.setdefault(mention.key, mention)

    def home_of(self, organization: Mention) -> Mention | None:
        """The home country of a gazetteer organization, if the article mentions it."""
        org = load_knowledge().orgs.get(organization.key or "")
        if org is None or not org.country:
            return None
        return self.by_iso.get(org.country)
