"""Extraction + resolution -> the quads of one article's named graph.

Everything said about an article lives in its own graph, including the
descriptions of the entities it mentions, so re-ingesting an article replaces
exactly its own statements, and an entity shared by several articles keeps a
description (and a source) per article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from pyoxigraph import Literal, NamedNode, Quad
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

import kg
from kg.extract.dates import article_date
from kg.iri import article_iri, graph_iri, keyed_iri
from kg.model import (
    INFERRED,
    Conversion,
    DatePrecision,
    EntityKind,
    Extraction,
    FactDate,
    Investment,
    Mention,
    MoneyAmount,
    Partnership,
    Span,
)
from kg.rdf.currency import amount_conversions
from kg.rdf.namespaces import ITSRDF, KG, KGSTATUS, NIF, WD
from kg.resolve.resolver import Resolution, ResolvedEntity

CLASS_BY_KIND = {
    EntityKind.ORGANIZATION: SDO.Organization,
    EntityKind.PERSON: SDO.Person,
    EntityKind.COUNTRY: SDO.Country,
    EntityKind.PROJECT: SDO.Project,
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def node(term: str) -> NamedNode:
    """A pyoxigraph IRI from an rdflib namespace term (or any IRI string)."""
    return NamedNode(str(term))


def text_literal(value: str, lang: str | None = None) -> Literal:
    return Literal(value, language=lang) if lang else Literal(value)


def typed(value: object, datatype: str) -> Literal:
    return Literal(str(value), datatype=node(datatype))


@dataclass
class GraphBuilder:
    """Collects the quads of one article graph."""

    graph: NamedNode
    text: str = ""

    def __post_init__(self) -> None:
        self.quads: list[Quad] = []

    def add(self, s: NamedNode, p: str, o: NamedNode | Literal) -> None:
        self.quads.append(Quad(s, node(p), o, self.graph))


def article_quads(
    extraction: Extraction, resolution: Resolution, *, extracted_at: datetime | None = None
) -> list[Quad]:
    """All quads for one article, in its named graph."""
    article = extraction.article
    art = node(article_iri(article.key))
    out = GraphBuilder(node(graph_iri(article.key)), article.text)
    _describe_article(out, art, extraction, extracted_at or datetime.now(UTC))
    sentence_nodes = {s: _sentence(out, art, extraction.article.text, s) for s in extraction.sentences}
    for entity in resolution.entities.values():
        _describe_entity(out, art, entity, article.lang)
    for mention in extraction.mentions:
        resolved = resolution.entity(mention)
        if resolved is not None and mention.origin != INFERRED:
            _mention(out, art, mention, node(resolved.iri), sentence_nodes, resolved.kind)
    conversions = amount_conversions(extraction)
    amount_nodes = {a: _amount(out, art, a, sentence_nodes, conversions.get(a)) for a in extraction.amounts}
    reported = article_date(article.date)
    for index, investment in enumerate(extraction.investments):
        subject = _investment(out, art, index, investment, resolution, amount_nodes, sentence_nodes)
        _deal_state(out, subject, investment, reported)
    for index, partnership in enumerate(extraction.partnerships):
        stated = _partnership(out, art, index, partnership, resolution, sentence_nodes)
        if stated is not None:
            _deal_state(out, stated, partnership, reported)
    return out.quads


def _describe_article(out: GraphBuilder, art: NamedNode, extraction: Extraction, when: datetime) -> None:
    article = extraction.article
    g = out.graph
    activity = NamedNode(f"{g.value}#extraction")
    agent = node(keyed_iri("agent", f"kg-{slug_version()}"))
    out.add(art, RDF.type, node(SDO.NewsArticle))
    out.add(art, RDF.type, node(NIF.Context))
    out.add(art, RDF.type, node(PROV.Entity))
    out.add(art, DCTERMS.source, Literal(article.location))
    out.add(art, KG.inputLocation, Literal(article.source))
    out.add(art, DCTERMS.language, typed(article.lang, XSD.language))
    out.add(art, NIF.isString, Literal(article.text))
    out.add(art, NIF.beginIndex, typed(0, XSD.integer))
    out.add(art, NIF.endIndex, typed(len(article.text), XSD.integer))
    if article.url:
        out.add(art, SDO.url, typed(article.url, XSD.anyURI))
    if article.title:
        out.add(art, DCTERMS.title, text_literal(article.title, article.lang))
    if article.date:
        out.add(
            art, DCTERMS.date, typed(article.date, XSD.date) if _DATE.match(article.date) else Literal(article.date)
        )
    out.add(g, RDF.type, node(KG.ArticleGraph))
    out.add(g, PROV.wasDerivedFrom, art)
    out.add(g, PROV.wasGeneratedBy, activity)
    out.add(activity, RDF.type, node(PROV.Activity))
    out.add(activity, PROV.used, art)
    out.add(activity, PROV.wasAssociatedWith, agent)
    out.add(activity, PROV.endedAtTime, typed(when.isoformat(timespec="seconds"), XSD.dateTime))
    out.add(agent, RDF.type, node(PROV.SoftwareAgent))
    out.add(agent, RDFS.label, Literal(f"kg {kg.__version__}"))
    out.add(agent, SDO.softwareVersion, Literal(kg.__version__))


def slug_version() -> str:
    return re.sub(r"[^0-9A-Za-z]+", "-", kg.__version__)


def _fragment(art: NamedNode, kind: str, span: Span) -> NamedNode:
    return NamedNode(f"{art.value}#{kind}={span.start},{span.end}")


def _offsets(out: GraphBuilder, subject: NamedNode, art: NamedNode, span: Span, text: str) -> None:
    out.add(subject, NIF.beginIndex, typed(span.start, XSD.integer))
    out.add(subject, NIF.endIndex, typed(span.end, XSD.integer))
    out.add(subject, NIF.anchorOf, Literal(text))
    out.add(subject, NIF.referenceContext, art)


def _sentence(out: GraphBuilder, art: NamedNode, text: str, span: Span) -> NamedNode:
    sent = _fragment(art, "sentence", span)
    out.add(sent, RDF.type, node(NIF.Sentence))
    _offsets(out, sent, art, span, text[span.start : span.end])
    return sent


def _describe_entity(out: GraphBuilder, art: NamedNode, entity: ResolvedEntity, lang: str) -> None:
    subject = node(entity.iri)
    out.add(subject, RDF.type, node(CLASS_BY_KIND[entity.kind]))
    out.add(subject, SKOS.prefLabel, Literal(entity.label))
    out.add(subject, RDFS.label, Literal(entity.label))
    for form in sorted(entity.surface_forms - {entity.label}):
        out.add(subject, SKOS.altLabel, text_literal(form, lang))
    if entity.wikidata:
        out.add(subject, OWL.sameAs, node(WD[entity.wikidata]))
    if entity.iso:
        out.add(subject, KG.iso3166Alpha2, Literal(entity.iso))
    if entity.org_type:
        out.add(subject, KG.organizationType, Literal(entity.org_type))
    if entity.mentioned:
        out.add(art, SDO.mentions, subject)


def _mention(
    out: GraphBuilder,
    art: NamedNode,
    mention: Mention,
    target: NamedNode,
    sentences: dict[Span, NamedNode],
    kind: EntityKind | None,
) -> NamedNode:
    subject = _fragment(art, "char", mention.span)
    out.add(subject, RDF.type, node(NIF.Phrase))
    _offsets(out, subject, art, mention.span, mention.text)
    sentence = sentences.get(mention.sentence)
    if sentence is not None:
        out.add(subject, NIF.sentence, sentence)
    out.add(subject, ITSRDF.taIdentRef, target)
    if kind is not None:
        out.add(subject, ITSRDF.taClassRef, node(CLASS_BY_KIND[kind]))
    out.add(subject, ITSRDF.taConfidence, typed(f"{mention.confidence:.2f}", XSD.decimal))
    out.add(subject, KG.origin, Literal(mention.origin))
    return subject


def _decimal(value: Decimal) -> Literal:
    text = format(value.normalize(), "f")
    return typed(text if "." in text else f"{text}.0", XSD.decimal)


def _amount(
    out: GraphBuilder,
    art: NamedNode,
    amount: MoneyAmount,
    sentences: dict[Span, NamedNode],
    conversion: Conversion | None = None,
) -> NamedNode:
    subject = _fragment(art, "amount", amount.span)
    out.add(subject, RDF.type, node(SDO.MonetaryAmount))
    out.add(subject, SDO.value, _decimal(amount.value))
    out.add(subject, SDO.currency, Literal(amount.currency))
    if amount.value_min is not None:
        out.add(subject, SDO.minValue, _decimal(amount.value_min))
        out.add(subject, SDO.maxValue, _decimal(amount.value))
    if amount.qualifier:
        out.add(subject, KG.qualifier, Literal(amount.qualifier))
    if amount.currency_implicit:
        out.add(subject, KG.currencyImplicit, typed("true", XSD.boolean))
    if conversion is not None:
        _conversion(out, subject, conversion)
    mention = Mention(
        span=amount.span, text=amount.text, kind=EntityKind.ORGANIZATION, sentence=amount.sentence, origin="rule"
    )
    phrase = _mention(out, art, mention, subject, sentences, None)
    out.add(subject, KG.mention, phrase)
    return subject


def _evidence(
    out: GraphBuilder, subject: NamedNode, art: NamedNode, span: Span, sentences: dict[Span, NamedNode]
) -> None:
    sentence = sentences.get(span)
    if sentence is None:
        sentence = _sentence(out, art, out.text, span)
    out.add(subject, KG.evidence, sentence)
    out.add(subject, PROV.wasDerivedFrom, art)


def _party(resolution: Resolution, mention: Mention | None) -> NamedNode | None:
    entity = resolution.entity(mention)
    return None if entity is None else node(entity.iri)


def _investment(
    out: GraphBuilder,
    art: NamedNode,
    index: int,
    fact: Investment,
    resolution: Resolution,
    amounts: dict[MoneyAmount, NamedNode],
    sentences: dict[Span, NamedNode],
) -> NamedNode:
    subject = NamedNode(f"{art.value}#investment-{index + 1}")
    out.add(subject, RDF.type, node(KG.Investment))
    for predicate, mention in ((SDO.agent, fact.investor), (SDO.recipient, fact.target), (SDO.location, fact.country)):
        party = _party(resolution, mention)
        if party is not None:
            out.add(subject, predicate, party)
    for co in fact.co_investors:
        party = _party(resolution, co)
        if party is not None:
            out.add(subject, KG.coInvestor, party)
    if fact.amount is not None and fact.amount in amounts:
        out.add(subject, SDO.amount, amounts[fact.amount])
    out.add(subject, KG.hedged, typed("true" if fact.hedged else "false", XSD.boolean))
    _confidence(out, subject, fact.confidence)
    if fact.country_inferred:
        out.add(subject, KG.countryInferred, typed("true", XSD.boolean))
    if fact.trigger:
        out.add(subject, KG.trigger, Literal(fact.trigger))
    _evidence(out, subject, art, fact.evidence, sentences)
    return subject


def _partnership(
    out: GraphBuilder,
    art: NamedNode,
    index: int,
    fact: Partnership,
    resolution: Resolution,
    sentences: dict[Span, NamedNode],
) -> NamedNode | None:
    a, b = _party(resolution, fact.a), _party(resolution, fact.b)
    if a is None or b is None or a == b:
        return None
    subject = NamedNode(f"{art.value}#partnership-{index + 1}")
    out.add(subject, RDF.type, node(KG.Partnership))
    out.add(subject, KG.party, a)
    out.add(subject, KG.party, b)
    out.add(subject, KG.hedged, typed("true" if fact.hedged else "false", XSD.boolean))
    _confidence(out, subject, fact.confidence)
    if fact.trigger:
        out.add(subject, KG.trigger, Literal(fact.trigger))
    _evidence(out, subject, art, fact.evidence, sentences)
    return subject


_DATATYPE_BY_PRECISION = {
    DatePrecision.DAY: XSD.date,
    DatePrecision.WEEK: XSD.date,
    DatePrecision.MONTH: XSD.gYearMonth,
    DatePrecision.YEAR: XSD.gYear,
}


def date_literal(when: FactDate) -> Literal:
    """A date typed by its precision: xsd:date, xsd:gYearMonth or xsd:gYear."""
    return typed(when.lexical, _DATATYPE_BY_PRECISION[when.precision])


def _deal_state(
    out: GraphBuilder, subject: NamedNode, fact: Investment | Partnership, reported: FactDate | None
) -> None:
    """Status (a kg:DealStatus concept), the date the sentence gives, and the article's date (issue 15)."""
    if fact.status is not None:
        out.add(subject, KG.status, node(KGSTATUS[fact.status.value]))
    if fact.event_date is not None:
        out.add(subject, KG.eventDate, date_literal(fact.event_date))
        out.add(subject, KG.datePrecision, Literal(fact.event_date.precision.value))
        out.add(subject, KG.dateText, Literal(fact.event_date.text))
    if reported is not None:
        out.add(subject, KG.reportedDate, date_literal(reported))


def _conversion(out: GraphBuilder, subject: NamedNode, conversion: Conversion) -> None:
    """The amount in USD and EUR, with the rates used, their day and their source."""
    out.add(subject, KG.valueUSD, _decimal(conversion.value_usd))
    out.add(subject, KG.valueEUR, _decimal(conversion.value_eur))
    if conversion.min_usd is not None and conversion.min_eur is not None:
        out.add(subject, KG.minValueUSD, _decimal(conversion.min_usd))
        out.add(subject, KG.minValueEUR, _decimal(conversion.min_eur))
    out.add(subject, KG.rateUSD, _decimal(conversion.rate_usd))
    out.add(subject, KG.rateEUR, _decimal(conversion.rate_eur))
    out.add(subject, KG.rateDate, typed(conversion.rate_date.isoformat(), XSD.date))
    out.add(subject, KG.rateSource, Literal(conversion.source))


def _confidence(out: GraphBuilder, subject: NamedNode, confidence: float | None) -> None:
    """The fact model's calibrated probability, as xsd:decimal in [0, 1] (absent when the rules decided)."""
    if confidence is not None:
        value = min(max(Decimal(str(confidence)), Decimal(0)), Decimal(1)).quantize(Decimal("0.0001"))
        out.add(subject, KG.confidence, _decimal(value))
