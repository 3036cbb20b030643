"""The NLP stage: pipeline assembly, name lexicons and the kg spaCy components.

Sentences are written for these tests; each checks one behaviour the entity
rules promise (see kg/nlp/name_rules.py and kg/nlp/components.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.knowledge import load_knowledge, read_org_file
from kg.nlp import load_pipeline
from kg.nlp.components import CompoundSplitter
from kg.nlp.lexicon import name_lexicon
from kg.nlp.name_rules import is_title_case
from kg.nlp.pipeline import pipeline_spec

LANGS = ["nl", "fr", "id", "en", "de", "es"]


def ents(lang: str, text: str) -> list[tuple[str, str, str]]:
    doc = load_pipeline(lang)(text)
    return [(e.text, e.label_, e.kb_id_) for e in doc.ents]


# --- pipelines -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_pipeline_has_the_configured_components(lang: str) -> None:
    spec = pipeline_spec(lang)
    names = load_pipeline(lang).pipe_names
    for component in (*spec.before, *spec.after):
        if component == "sentencizer" and spec.base != "blank":
            continue  # a trained pipeline's parser sets sentences
        assert component in names, (lang, component)
    assert names.index("kg_gazetteer_ruler") < names.index("kg_name_rules") < names.index("kg_entity_filter")


def test_french_uses_its_statistical_model_before_the_rules() -> None:
    names = load_pipeline("fr").pipe_names
    assert "ner" in names
    assert names.index("ner") < names.index("kg_name_rules")


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_has_name_cues(lang: str) -> None:
    lexicon = name_lexicon(lang)
    assert lexicon.person_cues and lexicon.org_cues and lexicon.speech_verbs
    assert lexicon.government_words and lexicon.role_links
    assert "Brad" in lexicon.first_names  # shared list, derived from permissive NER corpora


def test_role_phrases_combine_ministries_and_portfolios() -> None:
    assert "Menteri Luar Negeri" in name_lexicon("id").role_phrases()
    assert "Minister van Economische Zaken" in name_lexicon("nl").role_phrases()
    assert "ministro de Ciencia" in name_lexicon("es").role_phrases()


def test_unknown_language_falls_back_to_english_cues() -> None:
    assert "said" in name_lexicon("fi").speech_verbs  # Finnish: no name lexicon of its own


# --- compound splitting ------------------------------------------------------------


@pytest.fixture(scope="module")
def splitter() -> CompoundSplitter:
    return CompoundSplitter("de", [])


@pytest.mark.parametrize(
    ("token", "parts"),
    [
        ("US-Bank", ["US", "-", "Bank"]),
        ("Google-Mutter", ["Google", "-", "Mutter"]),
        ("Siemens-Chef", ["Siemens", "-", "Chef"]),
        ("Firmen-Geschäftsführerin", ["Firmen", "-", "Geschäftsführerin"]),
        ("ANP/REUTERS", ["ANP", "/", "REUTERS"]),
    ],
)
def test_compounds_around_names_and_roles_are_split(splitter: CompoundSplitter, token: str, parts: list[str]) -> None:
    assert splitter.parts(token) == parts


@pytest.mark.parametrize("token", ["Saudi-Arabien", "US-Dollar", "Invest-NL", "Halbleiter-Werk", "km/h", "24/7"])
def test_names_and_ordinary_compounds_stay_whole(splitter: CompoundSplitter, token: str) -> None:
    assert splitter.parts(token) is None


def test_dutch_abbreviation_with_full_stop_is_split() -> None:
    assert ("VS", "COUNTRY", "US") in ents("nl", "Het geld komt uit de VS. Daarna volgt meer.")


# --- gazetteer ruler ---------------------------------------------------------------


def test_ambiguous_country_names_only_where_the_language_accepts_them() -> None:
    assert ("Amerika", "COUNTRY", "US") in ents("id", "Perusahaan asal Amerika itu membuka kantor baru.")
    assert not [e for e in ents("en", "Georgia approved a new data centre near Atlanta.") if e[1] == "COUNTRY"]


def test_stop_word_org_name_is_not_trusted_at_a_sentence_start() -> None:
    assert not [e for e in ents("id", "Antara lain, investor asing menunggu kepastian.") if e[1] == "ORG"]
    assert ("Antara", "ORG", "antara") in ents("id", "Hal itu dilaporkan kantor berita Antara pada Senin.")


def test_role_words_are_never_gazetteer_organizations() -> None:
    found = ents("fr", "Selon le PDG du groupe, la croissance reste forte.")
    assert not [e for e in found if e[1] == "ORG"]


def test_numbered_fund_is_not_its_parent_fund() -> None:
    found = ents("en", "The round was led by SoftBank Vision Fund 2 and other backers.")
    assert ("SoftBank Vision Fund 2", "ORG", "") in found


def test_case_sensitive_column_of_a_user_gazetteer(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text("id,label,type,case_sensitive\nkilo,Kilo,company,1\n", encoding="utf-8")
    assert read_org_file(path)[0].case_sensitive
    assert load_knowledge([path]).orgs["kilo"].case_sensitive
    doc = load_pipeline("en", [path])("Prices per KILO rose. Kilo signed a lease.")
    assert [(e.text, e.kb_id_) for e in doc.ents if e.label_ == "ORG"] == [("Kilo", "kilo")]


# --- name rules and filter ---------------------------------------------------------


def test_title_case_headline_detection() -> None:
    headline = load_pipeline("en")("Chipmaker Unveils Massive New Factory Plans For Europe")
    sentence = load_pipeline("en")("The chipmaker unveiled plans for a new factory in Europe.")
    assert is_title_case(next(headline.sents))
    assert not is_title_case(next(sentence.sents))


def test_german_nouns_do_not_make_a_sentence_a_headline() -> None:
    found = ents("de", "Laut Analystin Petra Vogel von der Hansa Bank bleibt die Nachfrage hoch.")
    assert ("Petra Vogel", "PERSON", "") in found
    assert ("Hansa Bank", "ORG", "") in found


def test_governments_and_ministries_are_not_organizations() -> None:
    found = ents("en", "The Ministry of Digital Affairs and the US government backed the plan.")
    assert not [e for e in found if e[1] == "ORG"]
    assert ("US", "COUNTRY", "US") in found


def test_photo_credit_lines_carry_no_entities() -> None:
    found = ents("fr", "La société a signé un accord.\n© Pierre Lemoine / Shutterstock\nLe texte continue ici.")
    assert not [e for e in found if "Lemoine" in e[0] or "Shutterstock" in e[0]]


def test_legal_form_tagged_alone_is_glued_to_the_name() -> None:
    found = ents("fr", "OpenAI discute avec la société Azur Calcul SAS pour louer des serveurs.")
    assert ("SAS", "ORG", "") not in found
    assert any(text.startswith("Azur Calcul") and label == "ORG" for text, label, _ in found)


# --- statistical NER and the rules together -----------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "id", "en", "de", "es"])
def test_languages_with_a_model_run_its_ner_after_the_rules(lang: str) -> None:
    names = load_pipeline(lang).pipe_names
    assert "ner" in names
    assert names.index("kg_name_rules") < names.index("ner") < names.index("kg_entity_filter")


def test_model_adds_names_the_gazetteers_do_not_know() -> None:
    found = ents("es", "La consultora Arandela Sistemas contrató a Marisa Quintanilla como directora en Valencia.")
    assert ("Marisa Quintanilla", "PERSON", "") in found
    assert not [e for e in found if e[0] == "Valencia"]  # a city is neither an organization nor a country


def test_known_names_keep_their_gazetteer_identity_next_to_the_model() -> None:
    found = ents("nl", "Volgens topman Lars Verbeek investeert ASML fors in een nieuwe fabriek in Eindhoven.")
    assert ("ASML", "ORG", "asml") in found
    assert ("Lars Verbeek", "PERSON", "") in found


def test_model_places_become_countries_only_when_they_resolve() -> None:
    found = ents("en", "Officials from Kenya met investors in Nairobi and in Silicon Valley.")
    assert ("Kenya", "COUNTRY", "KE") in found
    assert [e for e in found if e[1] == "COUNTRY"] == [("Kenya", "COUNTRY", "KE")]


def test_model_surname_alone_is_the_person_named_earlier() -> None:
    text = 'Chief executive Tomasz Wierzbicki opened the site. "We build here," Wierzbicki told reporters.'
    found = ents("en", text)
    assert ("Tomasz Wierzbicki", "PERSON", "") in found
    assert not [e for e in found if e[0] == "Wierzbicki" and e[1] == "ORG"]


def test_model_entities_that_are_quantities_or_compounds_are_dropped() -> None:
    found = ents("de", "Der Münchner KI-Anbieter plant ein Rechenzentrum mit 300 MW Leistung.")
    assert not [e for e in found if e[1] in {"ORG", "PERSON"} and ("MW" in e[0] or "Anbieter" in e[0])]
    found = ents("nl", "Gepersonaliseerde Copilot-toepassingen helpen ambtenaren, zegt minister Eva de Wit.")
    assert not [e for e in found if e[1] == "PERSON" and "toepassingen" in e[0]]


def test_stale_entity_ids_do_not_leak_into_model_entities() -> None:
    import spacy
    from spacy.tokens import Span

    from kg.nlp.ents import set_entities

    doc = spacy.blank("en")("Open Compute for Nations now")
    doc.ents = [Span(doc, 0, 4, label="PROJECT", span_id="gazetteer")]
    set_entities(doc, [Span(doc, 0, 2, label="ORG", span_id="rule")])
    assert [t.ent_id_ for t in doc] == ["rule", "rule", "", "", ""]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("pt", "O primeiro-ministro Luís Montenegro anunciou o plano. Montenegro disse que o acordo cria empregos."),
        ("en", "Prime Minister Luís Montenegro announced the plan. Montenegro said the deal creates jobs."),
    ],
)
def test_a_person_named_like_a_country_is_a_person(lang: str, text: str) -> None:
    """A person cue, a given name and a country name make a person; the surname alone later is that person."""
    found = [(text, label) for text, label, _ in ents(lang, text)]
    assert ("Luís Montenegro", "PERSON") in found
    assert ("Montenegro", "PERSON") in found
    assert not any(label == "COUNTRY" for _, label in found)


@pytest.mark.parametrize(
    ("lang", "text", "sentences"),
    [
        ("sv", "Lumora investerar ca. 2 miljarder kronor i Umeå. Det meddelade bolaget.", 2),
        ("nl", "Polder Compute investeert ca. 2 mld. euro in Groningen. Dat meldt het bedrijf.", 2),
        ("en", "The U.S. officials said the plant will open. It will employ 300 people.", 2),
        ("en", "The two sides met. 2024 was the year the talks began.", 2),  # a word, not an abbreviation
        ("pl", "Lumera S.A. pozyskała 40 mln euro od funduszu. Spółka to potwierdziła.", 2),  # "S . A ." in letters
    ],
)
def test_a_full_stop_after_an_abbreviation_does_not_end_the_sentence(lang: str, text: str, sentences: int) -> None:
    doc = load_pipeline(lang)(text)
    assert len(list(doc.sents)) == sentences, [s.text for s in doc.sents]


@pytest.mark.parametrize(
    ("lang", "text", "person"),
    [
        ("pl", "Anna Nowak z Orange nie skomentowała sprawy.", "Anna Nowak"),  # "z" of "sp. z o.o."
        ("es", "Ana García de Telefónica no quiso comentar.", "Ana García"),  # "de" of "S.A. de C.V."
    ],
)
def test_a_word_inside_a_legal_form_does_not_make_the_name_before_it_a_company(
    lang: str, text: str, person: str
) -> None:
    assert (person, "PERSON") in [(t, label) for t, label, _ in ents(lang, text)]


_TOKENIZER_TEXTS = {
    "id": "Anak-anak (anak-anak), perusahaan-perusahaan itu berinvestasi Rp 5 triliun di Jawa Barat, dll.",
    "nl": "Het bedrijf o.a. in 's-Hertogenbosch investeert 3 mln. euro, d.w.z. meer dan vorig jaar.",
    "de": "Die Firma z.B. in Frankfurt a.M. investiert ca. 3 Mrd. Euro, d.h. mehr als 2024.",
    "es": "La empresa, p. ej. en EE.UU., invierte 3.000 millones de dólares, es decir más que ayer.",
    "fr": "Aujourd'hui, l'entreprise franco-allemande a levé 600 M€ à Paris-Saclay, c'est-à-dire peut-être plus.",
    "en": "The U.S. firm's C.E.O. didn't say it'll invest $3bn in St. Louis, Mo., e.g. by Jan. 2026.",
}


@pytest.mark.parametrize("lang", sorted(_TOKENIZER_TEXTS))
def test_the_load_time_tokenizer_gives_the_saved_tokenizers_tokens(lang: str) -> None:
    """One-token special cases kept as a set split text exactly as spaCy's own table of them does."""
    import srsly
    from spacy.tokenizer import Tokenizer
    from spacy.util import get_package_path

    from kg.models import resolve_base
    from kg.nlp.pipeline import WholeWordTokenizer

    nlp = load_pipeline(lang)
    base = resolve_base(pipeline_spec(lang).base)
    saved = Path(base) if Path(base).is_dir() else Path(get_package_path(base))
    if not (saved / "tokenizer").exists():  # an installed package: its data folder holds the tokenizer
        saved = next(saved.glob("*/tokenizer")).parent
    plain = Tokenizer(nlp.vocab)
    Tokenizer.from_disk(plain, saved / "tokenizer")
    assert isinstance(nlp.tokenizer, WholeWordTokenizer)
    text = _TOKENIZER_TEXTS[lang]
    assert [t.text for t in nlp.tokenizer(text)] == [t.text for t in plain(text)]
    if lang == "id":
        assert "anak-anak" in nlp.tokenizer.whole_words and len(nlp.tokenizer.whole_words) > 10_000
    saved_again = srsly.msgpack_loads(nlp.tokenizer.to_bytes(exclude=["vocab"]))
    assert set(saved_again["exceptions"]) == set(plain.rules)  # saved as spaCy saves it


def test_a_factored_token_match_matches_the_same_strings() -> None:
    """Alternatives grouped by their common ending accept exactly the strings the original accepts."""
    import itertools
    import re

    from kg.nlp.pipeline import factored_alternation

    letters = (
        "[a-z"
        + "".join(f"\\u{c:04X}" for c in range(0x00E0, 0x00FF))
        + "".join(f"\\u{c:04X}" for c in range(0x0100, 0x0180, 2))
        + "]"
    )
    assert len(letters) >= 200
    heads = ["porte[-–]", "anti[-–]", "(?:ex|pré)[-–]", "rond[-–]point", "a(b|c)d[-–]"]
    tails = [f"{letters}+$", f"{letters}*$", f"{letters}{letters}*$"]
    parts = [f"(?:^{h}{t})" for h, t in itertools.product(heads, tails)] + [
        "(?:^[0-9]+h[0-9]*$)",
        f"(?:^x({letters})+$)",
    ]
    original = "(?iu)" + "|".join(parts)
    factored = factored_alternation(original)
    assert len(factored) < len(original) / 2
    words = [
        "porte-avions",
        "PORTE–X",
        "anti-",
        "anti-a",
        "ex-mari",
        "pré-é",
        "rond-point",
        "rond-points",
        "abd-x",
        "acd-",
        "12h30",
        "12h",
        "xé",
        "x",
        "porte-avions-bis",
        "porte avions",
        "",
        "anti-1",
        "Rond–Pointé",
    ]
    compiled, plain = re.compile(factored), re.compile(original)
    assert [bool(compiled.match(w)) for w in words] == [bool(plain.match(w)) for w in words]
    assert any(plain.match(w) for w in words) and not all(plain.match(w) for w in words)


def test_importing_a_language_leaves_re_compile_as_it_was() -> None:
    import re

    from kg.nlp.pipeline import import_language

    before = re.compile
    import_language("fr")
    import_language("xx-not-a-language")
    assert re.compile is before
