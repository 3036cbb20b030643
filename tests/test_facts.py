"""End-to-end tests of the investment and partnership extractors on short texts written for these tests.

Every case runs kg's real pipeline (``process_article``) and checks roles,
amounts, the hedged flag and that the evidence span is the sentence holding
the trigger.  Negative cases check what must *not* become a party: places
named after "in", media cited as sources, modifiers ("Norway's Aker"), and
sentences whose parties the words do not settle.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kg.build.driver import process_article
from kg.ingest import iter_articles
from kg.knowledge import load_knowledge
from kg.model import Article, EntityKind, Extraction, Investment, Mention, Partnership

pytestmark = pytest.mark.usefixtures("rules_only_facts")  # these tests pin the rules (see conftest)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"


def extract(text: str, lang: str) -> Extraction:
    extraction, _ = process_article(Article(text=text, source="t.txt", lang=lang))
    return extraction


def party(mention: Mention | None) -> str | None:
    """A role as tests name it: the ISO code of a country, else the surface text."""
    if mention is None:
        return None
    return mention.key if mention.kind.value == "COUNTRY" else mention.text


def pairs(extraction: Extraction) -> set[frozenset[str | None]]:
    return {frozenset((party(p.a), party(p.b))) for p in extraction.partnerships}


def pair(a: str, b: str) -> frozenset[str | None]:
    return frozenset((a, b))


def evidence(extraction: Extraction, fact: Investment | Partnership) -> str:
    return extraction.article.text[fact.evidence.start : fact.evidence.end]


def only_investment(extraction: Extraction) -> Investment:
    assert len(extraction.investments) == 1, extraction.investments
    return extraction.investments[0]


def assert_amount(fact: Investment, value: str, currency: str) -> None:
    assert fact.amount is not None
    assert fact.amount.value == Decimal(value)
    assert fact.amount.currency == currency


# --------------------------------------------------------------------------- English


def test_en_invest_in_company() -> None:
    text = "Shares rose on Monday. Microsoft will invest $2 billion in Anthropic, the company said."
    ex = extract(text, "en")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.target)) == ("Microsoft", "Anthropic")
    assert_amount(fact, "2000000000", "USD")
    assert not fact.hedged
    assert evidence(ex, fact) == "Microsoft will invest $2 billion in Anthropic, the company said."


def test_en_planned_investment_in_country_is_hedged() -> None:
    ex = extract("Nvidia plans to invest $500 million in new data centres in Brazil.", "en")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.country)) == ("Nvidia", "BR")
    assert fact.target is None
    assert fact.hedged


def test_en_funding_round_led_by() -> None:
    ex = extract("Mistral AI raised €600 million in a funding round led by General Catalyst and Nvidia.", "en")
    fact = only_investment(ex)
    assert party(fact.target) == "Mistral AI"
    assert party(fact.investor) == "General Catalyst"
    assert [party(m) for m in fact.co_investors] == ["Nvidia"]
    assert_amount(fact, "600000000", "EUR")


def test_en_equivalent_in_parentheses_and_country_investor() -> None:
    ex = extract("The UAE's commitment to invest €1 billion ($1.1 billion) in France was welcomed.", "en")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.country)) == ("AE", "FR")
    assert_amount(fact, "1000000000", "EUR")


def test_en_possessive_investor() -> None:
    ex = extract("The new fund follows Microsoft's $13 billion stake in OpenAI.", "en")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.target)) == ("Microsoft", "OpenAI")
    assert_amount(fact, "13000000000", "USD")


def test_en_investors_named_before_the_verb() -> None:
    ex = extract("Investors including SoftBank and Nvidia poured $6.6 billion into OpenAI.", "en")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.target)) == ("SoftBank", "OpenAI")
    assert [party(m) for m in fact.co_investors] == ["Nvidia"]


def test_en_relative_clause_does_not_lend_its_target() -> None:
    ex = extract("SoftBank, which owns a stake in Arm, pledged $10 billion for AI infrastructure in Japan.", "en")
    with_amount = [f for f in ex.investments if f.amount is not None]
    assert len(with_amount) == 1
    fact = with_amount[0]
    assert (party(fact.investor), party(fact.target), party(fact.country)) == ("SoftBank", None, "JP")


def test_en_joint_subjects_form_all_pairs() -> None:
    ex = extract("Oracle, SAP and Siemens announced a partnership on sovereign cloud services.", "en")
    assert pairs(ex) == {pair("Oracle", "SAP"), pair("Oracle", "Siemens"), pair("SAP", "Siemens")}
    fact = ex.partnerships[0]
    assert evidence(ex, fact) == ex.article.text


def test_en_partner_with_list_is_a_star() -> None:
    ex = extract("OpenAI partners with Microsoft, Oracle and Nvidia on a new data centre.", "en")
    assert pairs(ex) == {pair("OpenAI", "Microsoft"), pair("OpenAI", "Oracle"), pair("OpenAI", "Nvidia")}


def test_en_locative_country_and_modifier_are_not_partners() -> None:
    ex = extract("Norway's Aker signed an agreement with Nscale to build a data centre in Sweden.", "en")
    assert pairs(ex) == {pair("Aker", "Nscale")}


def test_en_media_source_is_not_a_partner_and_talks_are_hedged() -> None:
    ex = extract("Nvidia is in talks with OpenAI about a joint venture, according to Reuters.", "en")
    assert pairs(ex) == {pair("Nvidia", "OpenAI")}
    assert ex.partnerships[0].hedged


def test_en_the_companies_refers_to_the_last_named_pair() -> None:
    text = "Microsoft will invest $1 billion in G42. The companies said they will co-develop cloud services."
    ex = extract(text, "en")
    assert pairs(ex) == {pair("Microsoft", "G42")}
    assert evidence(ex, ex.partnerships[0]) == "The companies said they will co-develop cloud services."


def test_en_the_company_partnered_with() -> None:
    ex = extract("G42 builds data centres. The company recently partnered with Kenya's Safaricom in Nairobi.", "en")
    assert {party(p.a) for p in ex.partnerships} | {party(p.b) for p in ex.partnerships} <= {"G42", "Safaricom"}
    assert "KE" not in {party(p.a) for p in ex.partnerships} | {party(p.b) for p in ex.partnerships}


def test_en_no_fact_without_parties() -> None:
    ex = extract("The deal is worth $3 billion and could close next year.", "en")
    assert ex.investments == [] and ex.partnerships == []


def test_en_anaphoric_subject_and_later_round_investors() -> None:
    text = "Lumen Labs builds optical chips. The company raised $50 million. The round was led by Nvidia."
    ex = extract(text, "en")
    facts = [f for f in ex.investments if f.amount is not None]
    assert len(facts) == 1
    assert party(facts[0].investor) == "Nvidia"
    assert evidence(ex, facts[0]) == "The company raised $50 million."


# --------------------------------------------------------------------------- Dutch


def test_nl_invest_with_destination() -> None:
    ex = extract("SoftBank investeert 2,5 miljard euro in een datacentrum in Nederland.", "nl")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.country)) == ("SoftBank", "NL")
    assert_amount(fact, "2500000000", "EUR")


def test_nl_passive_financing() -> None:
    ex = extract("Mistral AI wordt gefinancierd door Microsoft en Nvidia.", "nl")
    fact = only_investment(ex)
    assert party(fact.target) == "Mistral AI"
    assert party(fact.investor) == "Microsoft"
    assert [party(m) for m in fact.co_investors] == ["Nvidia"]


def test_nl_verb_final_target_before_trigger() -> None:
    ex = extract("Volgens analisten is er al 70 miljard dollar in OpenAI geïnvesteerd.", "nl")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.target)) == (None, "OpenAI")
    assert_amount(fact, "70000000000", "USD")


def test_nl_separable_verb_partnership() -> None:
    ex = extract("Nvidia en ASML werken al jaren samen aan nieuwe chips.", "nl")
    assert pairs(ex) == {pair("Nvidia", "ASML")}


def test_nl_government_named_by_adjective_is_the_country() -> None:
    ex = extract("OpenAI is in gesprek met de Nederlandse overheid over een AI-fabriek.", "nl")
    assert pairs(ex) == {pair("OpenAI", "NL")}
    assert ex.partnerships[0].hedged


def test_nl_anaphor_and_locative_country() -> None:
    text = "Mistral AI groeit snel in Duitsland. Het bedrijf haalde 600 miljoen euro op."
    ex = extract(text, "nl")
    fact = only_investment(ex)
    assert party(fact.target) == "Mistral AI"
    assert evidence(ex, fact) == "Het bedrijf haalde 600 miljoen euro op."
    assert pairs(ex) == set()


def test_nl_cited_source_does_not_hide_the_subject() -> None:
    ex = extract("Volgens Reuters wil Microsoft samen met OpenAI een datacenter bouwen in Noorwegen.", "nl")
    assert pairs(ex) == {pair("Microsoft", "OpenAI")}


def test_nl_locative_country_is_no_partner() -> None:
    ex = extract("Microsoft sluit een akkoord met Google in Duitsland.", "nl")
    assert pairs(ex) == {pair("Microsoft", "Google")}


# --------------------------------------------------------------------------- French


def test_fr_invest_in_country() -> None:
    ex = extract("Microsoft va investir 4 milliards d'euros en France d'ici 2027.", "fr")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.country)) == ("Microsoft", "FR")
    assert_amount(fact, "4000000000", "EUR")


def test_fr_country_investor_envisage_is_hedged() -> None:
    ex = extract("Les Émirats arabes unis envisagent d'investir 50 milliards d'euros dans un campus en France.", "fr")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.country)) == ("AE", "FR")
    assert fact.hedged


def test_fr_raise_from_investors_with_demonym_destination() -> None:
    ex = extract("La start-up française Mistral AI a levé 600 millions d'euros auprès de Nvidia et de Microsoft.", "fr")
    fact = only_investment(ex)
    assert party(fact.target) == "Mistral AI"
    assert party(fact.investor) == "Nvidia"
    assert party(fact.country) == "FR"


def test_fr_shareholder_of_is_the_target() -> None:
    ex = extract("ASML devient le premier actionnaire de Mistral AI après avoir investi 1,3 milliard d'euros.", "fr")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.target)) == ("ASML", "Mistral AI")
    assert_amount(fact, "1300000000", "EUR")


def test_fr_taking_part_in_a_round() -> None:
    ex = extract("Bpifrance a participé au tour de table de 600 millions d'euros de Mistral AI.", "fr")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.target)) == ("Bpifrance", "Mistral AI")
    assert_amount(fact, "600000000", "EUR")


def test_fr_taking_part_without_money_is_no_investment() -> None:
    ex = extract("Le groupe Vivendi participe à une tournée en Amérique du Nord avec Universal.", "fr")
    assert ex.investments == []


def test_fr_partnership_between_countries() -> None:
    ex = extract("Le ministre a salué un partenariat stratégique entre la France et les Émirats arabes unis.", "fr")
    assert pairs(ex) == {pair("FR", "AE")}


def test_fr_joint_venture_members_are_all_partners() -> None:
    ex = extract("Le projet sera porté par une coentreprise associant MGX, Bpifrance et Mistral AI.", "fr")
    assert pairs(ex) == {pair("MGX", "Bpifrance"), pair("MGX", "Mistral AI"), pair("Bpifrance", "Mistral AI")}


def test_fr_media_source_and_places_are_no_parties() -> None:
    ex = extract("Selon Reuters, Nvidia est en discussions avec OpenAI. OpenAI ouvre un bureau en France.", "fr")
    assert pairs(ex) == {pair("Nvidia", "OpenAI")}
    assert ex.partnerships[0].hedged
    assert evidence(ex, ex.partnerships[0]) == "Selon Reuters, Nvidia est en discussions avec OpenAI."


# --------------------------------------------------------------------------- German


def test_de_verb_final_investment() -> None:
    ex = extract("SoftBank will 2,5 Milliarden Euro in ein Rechenzentrum in den Niederlanden investieren.", "de")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.country)) == ("SoftBank", "NL")
    assert_amount(fact, "2500000000", "EUR")


def test_de_together_with_at_clause_start() -> None:
    ex = extract("Gemeinsam mit Nvidia baut die Deutsche Telekom eine KI-Fabrik in München.", "de")
    assert pairs(ex) == {pair("Nvidia", "Deutsche Telekom")}


def test_de_consortium_members() -> None:
    ex = extract("Ein Konsortium aus Deutsche Telekom, SAP und Siemens bewirbt sich um die Fabrik.", "de")
    assert pairs(ex) == {pair("Deutsche Telekom", "SAP"), pair("Deutsche Telekom", "Siemens"), pair("SAP", "Siemens")}


def test_de_passive_financing() -> None:
    ex = extract("Aleph Alpha wird von SAP und Bosch finanziert.", "de")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.target)) == ("SAP", "Aleph Alpha")


@pytest.mark.parametrize(
    "text",
    [
        "Aleph Alpha wird von SAP und Siemens finanziert.",
        "Aleph Alpha wird von SAP und Siemens mit 500 Millionen Euro finanziert.",  # an amount before the participle
    ],
)
def test_de_passive_financing_by_two_known_funders(text: str) -> None:
    fact = only_investment(extract(text, "de"))
    assert (party(fact.investor), [party(c) for c in fact.co_investors], party(fact.target)) == (
        "SAP",
        ["Siemens"],
        "Aleph Alpha",
    )


def test_de_the_start_up_after_a_fronted_phrase_points_back() -> None:
    text = (
        "Aleph Alpha entwickelt Sprachmodelle in Heidelberg. "
        "Im vergangenen Jahr sammelte das Start-up 30 Millionen Euro ein."
    )
    fact = only_investment(extract(text, "de"))
    assert (party(fact.investor), party(fact.target), fact.amount and fact.amount.value) == (
        None,
        "Aleph Alpha",
        Decimal(30_000_000),
    )


def test_fr_la_start_up_after_a_fronted_phrase_points_back() -> None:
    text = "Mistral AI a présenté un nouveau modèle. Au printemps dernier, la start-up a levé 600 millions d'euros."
    fact = only_investment(extract(text, "fr"))
    assert (party(fact.investor), party(fact.target)) == (None, "Mistral AI")


def test_de_talks_are_hedged() -> None:
    ex = extract("Microsoft verhandelt mit OpenAI über eine neue Vereinbarung.", "de")
    assert pairs(ex) == {pair("Microsoft", "OpenAI")}
    assert ex.partnerships[0].hedged


def test_de_divestment_is_no_investment() -> None:
    ex = extract("SAP verkauft seine Beteiligung an Aleph Alpha für 700 Millionen Euro.", "de")
    assert ex.investments == []


# --------------------------------------------------------------------------- Spanish


def test_es_invest_in_country() -> None:
    ex = extract("Microsoft invertirá 2.000 millones de dólares en España en los próximos dos años.", "es")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.country)) == ("Microsoft", "ES")
    assert_amount(fact, "2000000000", "USD")


def test_es_two_coordinated_amounts_are_two_facts() -> None:
    text = "SoftBank es inversor en OpenAI, tras comprometer 500 millones de dólares y otros 1.500 millones de dólares."
    ex = extract(text, "es")
    amounts = sorted(f.amount.value for f in ex.investments if f.amount is not None)
    assert amounts == [Decimal("500000000"), Decimal("1500000000")]
    assert {(party(f.investor), party(f.target)) for f in ex.investments} == {("SoftBank", "OpenAI")}


def test_es_alliance_of_joint_subjects() -> None:
    ex = extract("Telefónica, Oracle y Nvidia han sellado una alianza para construir un centro de datos.", "es")
    assert pairs(ex) == {pair("Telefónica", "Oracle"), pair("Telefónica", "Nvidia"), pair("Oracle", "Nvidia")}


def test_es_partner_role_is_not_a_pairwise_partnership() -> None:
    ex = extract("Microsoft participa en el proyecto como socio tecnológico, junto con Nvidia y Arm.", "es")
    assert ex.partnerships == []


def test_es_government_of_country_negotiates() -> None:
    ex = extract("La tecnológica G42 y el Gobierno de Chile negocian la construcción de un centro de datos.", "es")
    assert pairs(ex) == {pair("G42", "CL")}
    assert ex.partnerships[0].hedged


def test_es_genitive_investor_and_valuation() -> None:
    text = (
        "El compromiso de Amazon Web Services de invertir 4.000 millones de dólares en México fue bien recibido. "
        "La empresa fue valorada en 6.000 millones de euros."
    )
    ex = extract(text, "es")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.country)) == ("Amazon Web Services", "MX")
    assert_amount(fact, "4000000000", "USD")


# --------------------------------------------------------------------------- Indonesian


def test_id_invest_in_country() -> None:
    ex = extract("Microsoft akan menginvestasikan US$1,7 miliar di Indonesia.", "id")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.country)) == ("Microsoft", "ID")
    assert_amount(fact, "1700000000", "USD")
    assert not fact.hedged


def test_id_apposition_and_equivalent_amount() -> None:
    text = (
        "Perusahaan teknologi asal Uni Emirat Arab, G42, berencana menanamkan investasi "
        "hingga US$2 miliar (sekitar Rp 33 triliun) di Indonesia."
    )
    ex = extract(text, "id")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.country)) == ("G42", "ID")
    assert_amount(fact, "2000000000", "USD")
    assert fact.hedged


def test_id_bakal_is_hedged() -> None:
    ex = extract("Nvidia bakal menanamkan modal di Danantara.", "id")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.target)) == ("Nvidia", "Danantara")
    assert fact.hedged


def test_id_mou_between_countries() -> None:
    ex = extract(
        "Indonesia dan Uni Emirat Arab menandatangani nota kesepahaman kerja sama kecerdasan artifisial.", "id"
    )
    assert pairs(ex) == {pair("ID", "AE")}


def test_id_transitive_partner_verb_with_joint_venture() -> None:
    ex = extract("G42 akan menggandeng Danantara dan Telkom Indonesia untuk membentuk perusahaan patungan.", "id")
    assert pairs(ex) == {
        pair("G42", "Danantara"),
        pair("G42", "Telkom Indonesia"),
        pair("Danantara", "Telkom Indonesia"),
    }


def test_id_country_qualifying_a_noun_is_no_partner() -> None:
    ex = extract("Telkom Indonesia bekerja sama dengan Nvidia dan perusahaan telekomunikasi Singapura, Singtel.", "id")
    assert pairs(ex) == {pair("Telkom Indonesia", "Nvidia"), pair("Telkom Indonesia", "Singtel")}


def test_id_no_fact_from_a_place() -> None:
    ex = extract("Microsoft membangun pusat data di Indonesia dan Malaysia.", "id")
    assert ex.investments == [] and ex.partnerships == []


# --------------------------------------------------------------------------- projects


def test_en_project_is_the_target_of_its_funders() -> None:
    ex = extract("Oracle and SoftBank will invest $20 billion in Stargate UAE, the companies said.", "en")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.target)) == ("Oracle", "Stargate UAE")
    assert [party(m) for m in fact.co_investors] == ["SoftBank"]
    assert fact.target is not None and fact.target.kind is EntityKind.PROJECT
    assert_amount(fact, "20000000000", "USD")


def test_en_project_that_commits_money_is_the_investor() -> None:
    ex = extract("Stargate will invest $40 billion in a campus in Abilene, Texas.", "en")
    fact = only_investment(ex)
    assert party(fact.investor) == "Stargate" and fact.target is None
    assert party(fact.country) == "US" and fact.country_inferred


def test_es_group_invests_two_amounts_in_a_project() -> None:
    text = (
        "Microsoft y Nvidia firmaron un acuerdo. Las empresas invertirán 5.000 millones de dólares en Stargate "
        "y hasta 9.000 millones en los próximos años."
    )
    ex = extract(text, "es")
    facts = [f for f in ex.investments if party(f.target) == "Stargate"]
    assert sorted(f.amount.value for f in facts if f.amount) == [Decimal("5000000000"), Decimal("9000000000")]
    assert all(party(f.investor) == "Microsoft" and [party(m) for m in f.co_investors] == ["Nvidia"] for f in facts)


def test_fr_project_anaphor_and_project_home_country() -> None:
    text = (
        "OpenAI a présenté le projet Stargate aux États-Unis. Oracle investira 7 milliards de dollars dans ce projet."
    )
    ex = extract(text, "fr")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.target)) == ("Oracle", "Stargate")
    assert party(fact.country) == "US" and fact.country_inferred
    assert fact.country is not None and fact.country.origin == "cldr"  # the article names the country


def test_fr_unnamed_investors_commit_to_a_named_project() -> None:
    ex = extract("Les pays partenaires investiraient dans le projet Stargate, a indiqué OpenAI.", "fr")
    fact = only_investment(ex)
    assert fact.investor is None and fact.amount is None
    assert party(fact.target) == "Stargate" and fact.hedged


def test_en_investment_noun_alone_commits_nobody() -> None:
    assert extract("Analysts are worried about the investment in Stargate.", "en").investments == []


def test_id_amount_of_a_project_member_goes_to_the_project() -> None:
    text = (
        "Stargate dikembangkan oleh OpenAI bersama Oracle di Amerika Serikat. "
        "OpenAI menyebut investasi tahap pertama mencapai US$50 miliar."
    )
    ex = extract(text, "id")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.target), party(fact.country)) == ("OpenAI", "Stargate", "US")
    assert_amount(fact, "50000000000", "USD")


def test_en_amount_of_an_outsider_does_not_go_to_the_project() -> None:
    text = (
        "OpenAI and SoftBank unveiled Stargate in January. Microsoft has spent $80 billion on data centres this year."
    )
    assert extract(text, "en").investments == []


def test_en_project_name_is_no_trigger() -> None:
    assert extract("The European Commission presented InvestAI in Brussels last year.", "en").investments == []


@pytest.mark.parametrize(
    "text,lang,expected",
    [
        ("OpenAI und Oracle vertiefen ihre Partnerschaft für Stargate.", "de", {pair("OpenAI", "Oracle")}),
        ("Nvidia partners with Stargate UAE on chips.", "en", set()),
        ("Nvidia y Telefónica firmaron una alianza para el proyecto Stargate.", "es", {pair("Nvidia", "Telefónica")}),
    ],
)
def test_projects_are_never_partners(text: str, lang: str, expected: set[frozenset[str | None]]) -> None:
    assert pairs(extract(text, lang)) == expected


# --------------------------------------------------------------------------- places


def assert_inferred_country(fact: Investment, iso: str) -> None:
    assert party(fact.country) == iso
    assert fact.country_inferred


def test_en_city_after_in_is_the_destination() -> None:
    ex = extract("Microsoft will invest $3 billion in a new data centre in Sines, the company said.", "en")
    fact = only_investment(ex)
    assert_inferred_country(fact, "PT")
    assert fact.country is not None and fact.country.origin == "inferred" and fact.country.text == "Sines"
    assert fact.country in ex.mentions  # resolved for the fact, never written as a mention of Portugal


def test_en_city_based_company_in_an_apposition() -> None:
    ex = extract("Mistral AI, a Paris-based start-up, raised €600 million from General Catalyst.", "en")
    fact = only_investment(ex)
    assert (party(fact.investor), party(fact.target)) == ("General Catalyst", "Mistral AI")
    assert_inferred_country(fact, "FR")


def test_en_description_elsewhere_in_the_article_places_the_target() -> None:
    text = "Mistral AI is a Paris-based AI company. Last week Microsoft bought a stake in Mistral AI for €15 million."
    fact = only_investment(extract(text, "en"))
    assert_inferred_country(fact, "FR")


def test_en_place_named_before_the_verb_is_not_where_money_goes() -> None:
    assert extract("At a conference in Paris, Nvidia said it would invest $500 million.", "en").investments == []


def test_en_place_outside_is_no_destination() -> None:
    assert extract("Nvidia will invest $1 billion in AI chips outside London.", "en").investments == []


def test_en_named_country_is_reused_for_a_place() -> None:
    text = "Amazon already invests heavily in Spain. The company will invest €2 billion in data centres in Aragon."
    fact = next(f for f in extract(text, "en").investments if f.amount is not None)
    assert_inferred_country(fact, "ES")
    assert fact.country is not None and fact.country.text == "Spain"


def test_nl_port_and_city_adjective() -> None:
    ex = extract("Google investeert 600 miljoen euro in een datacenter in de Eemshaven.", "nl")
    assert_inferred_country(only_investment(ex), "NL")
    ex = extract("Het Amsterdamse bedrijf Qbit haalde 12 miljoen euro op bij Prime Ventures.", "nl")
    fact = only_investment(ex)
    assert party(fact.target) == "Qbit"
    assert_inferred_country(fact, "NL")


def test_fr_region_named_by_a_phrase_and_based_in() -> None:
    text = "Amazon va investir 1,2 milliard d'euros dans des centres de données dans la région parisienne."
    assert_inferred_country(only_investment(extract(text, "fr")), "FR")
    text = "Mistral AI est une start-up basée à Paris. Microsoft a investi 15 millions d'euros dans Mistral AI."
    assert_inferred_country(only_investment(extract(text, "fr")), "FR")


def test_de_city_adjective_and_verb_second_subject() -> None:
    fact = only_investment(
        extract("Der Leipziger Cloud-Anbieter Nexora GmbH erhielt 30 Millionen Euro von der Telekom.", "de")
    )
    assert (party(fact.investor), party(fact.target)) == ("Telekom", "Nexora GmbH")
    assert_inferred_country(fact, "DE")
    fact = only_investment(
        extract("Zugleich steckt die Telekom eine Milliarde Euro in ein Rechenzentrum in München.", "de")
    )
    assert party(fact.investor) == "Telekom"
    assert_inferred_country(fact, "DE")


def test_es_region_of_and_building_worth() -> None:
    text = "Amazon invertirá 2.000 millones de euros en centros de datos en la región de Aragón."
    assert_inferred_country(only_investment(extract(text, "es")), "ES")
    fact = only_investment(
        extract("Meta construirá un centro de datos de 800 millones de euros en Talavera de la Reina.", "es")
    )
    assert party(fact.investor) == "Meta"
    assert_inferred_country(fact, "ES")


def test_id_building_worth_an_amount_in_a_city() -> None:
    fact = only_investment(
        extract("PT Awan Data akan membangun pusat data senilai Rp 5 triliun di Cikarang, Jawa Barat.", "id")
    )
    assert party(fact.investor) == "PT Awan Data"
    assert_amount(fact, "5000000000000", "IDR")
    assert_inferred_country(fact, "ID")
    assert_inferred_country(only_investment(extract("Microsoft berinvestasi US$1 miliar di Batam.", "id")), "ID")


def test_government_and_demonym_countries_are_inferred_not_mentions() -> None:
    ex = extract("OpenAI is in gesprek met de Nederlandse overheid over een AI-fabriek.", "nl")
    assert [m.origin for m in ex.mentions if party(m) == "NL"] == ["inferred"]
    ex = extract("Microsoft invests €50 million in a French start-up.", "en")
    fact = only_investment(ex)
    assert fact.country is not None and fact.country.origin == "inferred" and fact.country_inferred


def test_place_gazetteer() -> None:
    knowledge = load_knowledge()
    for name, iso in [
        ("Eindhoven", "NL"),
        ("Abu Dhabi", "AE"),
        ("Silicon Valley", "US"),
        ("Texas", "US"),
        ("Batam", "ID"),
    ]:
        assert knowledge.place_country(name) == iso, name
    for region in ("Europe", "Middle East", "Scandinavia"):
        assert knowledge.place_country(region) is None, region


# --------------------------------------------------------------------------- sample articles


def _article(name: str, lang: str) -> Extraction:
    """A sample article read through kg's own ingest (HTML is cleaned there)."""
    articles = [a for a in iter_articles([str(EXAMPLES / name)], lang=lang) if isinstance(a, Article)]
    assert len(articles) == 1
    extraction, _ = process_article(articles[0])
    return extraction


def test_example_softbank_polder() -> None:
    ex = _article("en_softbank_polder.txt", "en")
    softbank = [f for f in ex.investments if party(f.country) == "NL"]
    assert len(softbank) == 1
    assert "SoftBank" in str(party(softbank[0].investor))
    assert_amount(softbank[0], "3000000000", "EUR")
    assert pair("SoftBank", "Polder Compute") in pairs(ex)


def test_example_softbank_eemshaven() -> None:
    """The Eemshaven is a port, not a country: the place gazetteer puts the 2.5 billion in the Netherlands."""
    ex = _article("nl_softbank_eemshaven.txt", "nl")
    assert pair("SoftBank", "Polder Compute") in pairs(ex)
    placed = [f for f in ex.investments if "SoftBank" in str(party(f.investor)) and f.amount is not None]
    assert any(party(f.country) == "NL" and f.country_inferred for f in placed)


def test_example_softbank_germany_is_hedged() -> None:
    ex = _article("de_softbank_niederlande.html", "de")
    germany = [f for f in ex.investments if party(f.country) == "DE"]
    assert len(germany) == 1
    assert_amount(germany[0], "500000000", "EUR")
    assert germany[0].hedged


def test_example_indonesia_uae_mou() -> None:
    ex = _article("id_indonesia_uea_mou.txt", "id")
    assert pair("ID", "AE") in pairs(ex)
    g42 = [f for f in ex.investments if party(f.investor) == "G42"]
    assert len(g42) == 1
    assert party(g42[0].country) == "ID"
    assert_amount(g42[0], "2000000000", "USD")
    assert g42[0].hedged


@pytest.mark.parametrize("name,lang", [("es_ebro_ia_zaragoza.txt", "es"), ("fr_campus_ia_emirats.txt", "fr")])
def test_example_partnership_evidence_is_a_sentence_of_the_article(name: str, lang: str) -> None:
    ex = _article(name, lang)
    assert ex.partnerships
    for fact in ex.partnerships:
        sentence = evidence(ex, fact)
        assert sentence.strip() == sentence and fact.a.text in sentence and fact.b.text in sentence


# --------------------------------------------------------------------------- the user's gazetteer


def test_user_gazetteer_reaches_the_fact_extractors(tmp_path: Path) -> None:
    """A user's media outlet is a source, not a partner; a user's company brings its home country along."""
    orgs = tmp_path / "orgs.csv"
    orgs.write_text(
        "id,label,type,wikidata,aliases,country\n"
        "harbour-ledger,Harbour Ledger,media,,,\n"
        "velmora,Velmora Compute,company,,,PT\n",
        encoding="utf-8",
    )

    def run(text: str) -> Extraction:
        extraction, _ = process_article(Article(text=text, source="t.txt", lang="en"), [orgs])
        return extraction

    assert pairs(run("Nvidia, OpenAI and Harbour Ledger signed a partnership.")) == {pair("Nvidia", "OpenAI")}
    fact = only_investment(run("Nvidia will invest 200 million euros in Velmora Compute. Portugal welcomed the deal."))
    assert (party(fact.investor), party(fact.target), party(fact.country)) == ("Nvidia", "Velmora Compute", "PT")


def test_revenue_as_the_subject_of_its_own_verb_is_not_invested() -> None:
    """The revenue word may stand several words before its amount; a clause break or a trigger ends the look."""
    text = (
        "Oracle investirà tra 6 e 8 miliardi di dollari in Giappone, "
        "mentre i ricavi del gruppo hanno toccato 53 miliardi di dollari."
    )
    fact = only_investment(extract(text, "it"))
    assert_amount(fact, "8000000000", "USD")
    assert fact.amount is not None and fact.amount.value_min == Decimal("6000000000")
    fact = only_investment(
        extract("Nvidia, whose revenue grew sharply last year, will invest $5 billion in Intel.", "en")
    )
    assert (party(fact.investor), party(fact.target)) == ("Nvidia", "Intel")
    assert_amount(fact, "5000000000", "USD")


@pytest.mark.parametrize(
    ("text", "lang", "investor", "value", "currency", "country"),
    [
        (
            "Siemens investiert in Projekte im Wert von 2 Milliarden Euro in Deutschland.",
            "de",
            "Siemens",
            "2000000000",
            "EUR",
            "DE",
        ),
        (
            "Microsoft a signé un accord d'investissement d'une valeur de 3 milliards d'euros en France.",
            "fr",
            "Microsoft",
            "3000000000",
            "EUR",
            "FR",
        ),
        (
            "Google investeert in datacenters ter waarde van 600 miljoen euro in Nederland.",
            "nl",
            "Google",
            "600000000",
            "EUR",
            "NL",
        ),
        (
            "Amazon anunció una inversión por valor de 2.000 millones de euros en España.",
            "es",
            "Amazon",
            "2000000000",
            "EUR",
            "ES",
        ),
    ],
)
def test_a_deal_worth_an_amount_states_its_size(
    text: str, lang: str, investor: str, value: str, currency: str, country: str
) -> None:
    """The value word of "im Wert von", "d'une valeur de", "ter waarde van", "por valor de" sizes the deal."""
    fact = only_investment(extract(text, lang))
    assert (party(fact.investor), party(fact.country)) == (investor, country)
    assert_amount(fact, value, currency)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Der Wert des Unternehmens Lumenreich liegt nach der Runde bei 10 Milliarden Euro.", "de"),
        ("La società Vetrino è valutata 6 miliardi di euro dopo il round.", "it"),
    ],
)
def test_a_company_s_value_is_still_no_investment(text: str, lang: str) -> None:
    assert extract(text, lang).investments == []


# --------------------------------------------------------------------------- negation


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Microsoft will not invest $2 billion in G42, the company said.", "en"),
        ("Microsoft didn't sign a partnership with OpenAI.", "en"),
        ("Microsoft investeert niet in Nederland.", "nl"),
        ("Siemens wird nicht in Frankreich investieren.", "de"),
        ("Mistral AI n'a pas signé de partenariat avec Nvidia.", "fr"),
        ("Nvidia tidak jadi berinvestasi di Indonesia.", "id"),
        ("Telefónica no invertirá 500 millones de euros en Chile.", "es"),
        ("Eni non investirà in Francia.", "it"),
        ("A Google e a Microsoft não chegaram a acordo sobre a parceria.", "pt"),
    ],
)
def test_a_denied_deal_is_no_fact(text: str, lang: str) -> None:
    ex = extract(text, lang)
    assert not ex.investments and not ex.partnerships, (ex.investments, ex.partnerships)


def test_not_only_and_a_contrast_after_a_comma_keep_the_fact() -> None:
    fact = only_investment(extract("Microsoft will invest not only in G42 but also in its own data centres.", "en"))
    assert (party(fact.investor), party(fact.target)) == ("Microsoft", "G42")
    fact = only_investment(extract("Microsoft invested $1 billion in G42, not in Mistral AI.", "en"))
    assert (party(fact.investor), party(fact.target)) == ("Microsoft", "G42")
    french = extract("Nvidia a signé non seulement un partenariat avec Mistral AI.", "fr")
    assert pairs(french) == {pair("Nvidia", "Mistral AI")}


@pytest.mark.parametrize(
    ("text", "lang", "written", "key"),
    [
        ("Nvidias Umsatz mit Rechenzentren wuchs kräftig.", "de", "Nvidias", "nvidia"),
        ("Microsofts nya datacenter i Sandviken öppnar i höst.", "sv", "Microsofts", "microsoft"),
    ],
)
def test_a_known_name_in_its_one_word_genitive_is_that_organization(
    text: str, lang: str, written: str, key: str
) -> None:
    """``genitive_endings`` in the name lexicon: German and Swedish write the genitive onto the name."""
    found = [(m.text, m.key) for m in extract(text, lang).mentions if m.kind.name == "ORGANIZATION"]
    assert found == [(written, key)]


def test_the_genitive_of_a_known_name_takes_part_in_facts() -> None:
    fact = only_investment(extract("Googles Investition von 5 Milliarden Euro in Deutschland ist die größte.", "de"))
    assert fact.investor is not None and fact.investor.key == "google"
    assert party(fact.country) == "DE"
    assert_amount(fact, "5000000000", "EUR")


def test_an_investment_survives_an_abbreviation_before_its_amount() -> None:
    fact = only_investment(extract("Microsoft investerar ca. 2 miljarder kronor i Sverige.", "sv"))
    assert (party(fact.investor), party(fact.country)) == ("Microsoft", "SE")
    assert_amount(fact, "2000000000", "SEK")


def test_a_hyphenated_description_before_the_target_is_one_word() -> None:
    """ "in the French start-up X": "start" "-" "up" counts as one descriptor word, so "in" still marks X."""
    fact = only_investment(extract("Nvidia invests 25 million euros in the French start-up Velmora Compute.", "en"))
    assert (party(fact.investor), party(fact.target), party(fact.country)) == ("Nvidia", "Velmora Compute", "FR")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Nvidia does not rule out investing $1 billion in Poland.", "en"),
        ("Nvidia n'exclut pas d'investir 1 milliard de dollars en Pologne.", "fr"),
        ("Nvidia no descarta invertir 1.000 millones de dólares en Polonia.", "es"),
        ("Nvidia non esclude di investire 1 miliardo di dollari in Polonia.", "it"),
        ("Nvidia não descarta investir 1 bilhão de dólares na Polônia.", "pt"),
    ],
)
def test_not_ruling_out_an_investment_is_a_hedged_one_not_a_denial(text: str, lang: str) -> None:
    """Two negatives make a possibility: listed in ``not_negations`` (no denial) and ``hedge_words``."""
    fact = only_investment(extract(text, lang))
    assert party(fact.investor) == "Nvidia" and fact.hedged
