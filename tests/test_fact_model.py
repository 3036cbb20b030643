"""The learned fact model: recipe, shipped model, phrasing classes, confidence in the graph, cross-validation.

Sentences are the project's own.  Phrasing-class tests look at what the
model states with a low minimum confidence (``PROPOSED``): they check that
candidates, role scorers and decoding read each phrasing right; the default
minimum (chosen for precision on held-out articles) is tested separately on
statements it must keep.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import Built, run_cli
from pyoxigraph import Store

from kg.build.driver import process_article
from kg.extract.fact_model import load_fact_model
from kg.extract.fact_model.extractor import SHIPPED_MODEL, reset_fact_model, use_fact_model
from kg.model import Article, Extraction

PROPOSED = 0.2
LANGS = ("nl", "fr", "id", "en", "de", "es", "it", "pt")


@pytest.fixture(autouse=True)
def _fresh_model_choice() -> object:
    yield
    reset_fact_model()


def read(text: str, lang: str, floor: float | None = PROPOSED) -> Extraction:
    use_fact_model(None, floor)
    found = process_article(Article(text=text, source="test", lang=lang))
    return found[0] if isinstance(found, tuple) else found


def investments(ex: Extraction) -> list[tuple[str | None, tuple[str, ...], str | None, str | None]]:
    return [
        (
            f.investor.text if f.investor else None,
            tuple(c.text for c in f.co_investors),
            f.target.text if f.target else None,
            f.amount.text if f.amount else None,
        )
        for f in ex.investments
    ]


def pairs(ex: Extraction) -> dict[frozenset[str], float]:
    return {frozenset((p.a.text, p.b.text)): p.confidence or 0.0 for p in ex.partnerships}


# --------------------------------------------------------------------------- the shipped model


def test_shipped_model_loads_covers_every_lexicon_language_and_is_small() -> None:
    model = load_fact_model(str(SHIPPED_MODEL))
    assert set(LANGS) <= set(model.languages)
    assert (SHIPPED_MODEL / "model.json").stat().st_size < 20_000_000
    for kind in ("investment", "partnership"):
        assert 0.0 < model.default_minimum(kind) < 1.0
        assert {f"{kind}_statement"} <= set(model.scorers)
    card = (SHIPPED_MODEL / "README.md").read_text(encoding="utf-8")
    assert "Held-out scores" in card and "| investment | all |" in card


# --------------------------------------------------------------------------- phrasing classes


def test_joint_subjects_invest_together_en() -> None:
    ex = read(
        "Nvidia and Siemens will invest 2 billion euros in a new data centre in Munich, the companies said.", "en"
    )
    investor, co, _, amount = investments(ex)[0]
    assert {investor, *co} == {"Nvidia", "Siemens"} and amount == "2 billion euros"


def test_invests_together_with_de() -> None:
    text = "Die Telekom investiert gemeinsam mit Nvidia eine Milliarde Euro in ein neues Rechenzentrum in München."
    ex = read(text, "de")
    assert [(i, a) for i, _, _, a in investments(ex)] == [("Telekom", "eine Milliarde Euro")]
    assert ex.investments[0].country is not None and ex.investments[0].country.key == "DE"
    assert frozenset({"Telekom", "Nvidia"}) in pairs(ex)


def test_in_partnership_with_a_list_is_a_star_fr() -> None:
    ex = read("Orange a annoncé un partenariat avec Capgemini, Thales et Mistral AI pour un cloud souverain.", "fr")
    found = pairs(ex)
    star = [frozenset({"Orange", other}) for other in ("Capgemini", "Thales", "Mistral AI")]
    assert all(p in found for p in star)
    among_the_list = [conf for pair, conf in found.items() if "Orange" not in pair]
    assert all(conf < min(found[p] for p in star) for conf in among_the_list)


def test_receiver_as_subject_en() -> None:
    ex = read("Cohere received 500 million dollars from Nvidia and Oracle last week.", "en")
    investor, co, target, amount = investments(ex)[0]
    assert target == "Cohere" and {investor, *co} <= {"Nvidia", "Oracle"} and investor is not None
    assert amount == "500 million dollars"


def test_investors_listed_after_a_funding_round_es() -> None:
    text = (
        "La startup Multiverse Computing levantó 189 millones de euros en una ronda liderada por "
        "Bullhound Capital, con la participación de HP y Toshiba."
    )
    investor, _, target, amount = investments(read(text, "es"))[0]
    assert (investor, target, amount) == ("Bullhound Capital", "Multiverse Computing", "189 millones de euros")


def test_the_company_points_back_id() -> None:
    text = (
        "Microsoft mengumumkan rencana baru di Jakarta. "
        "Perusahaan tersebut akan berinvestasi Rp 27 triliun di Indonesia."
    )
    ex = read(text, "id")
    fact = ex.investments[0]
    assert fact.investor is not None and fact.investor.text == "Microsoft"
    assert fact.country is not None and fact.country.key == "ID"
    assert fact.amount is not None and fact.amount.value == 27 * 10**12


def test_long_description_before_the_target_en() -> None:
    ex = read("SoftBank invested 300 million dollars in the French artificial-intelligence start-up Mistral AI.", "en")
    fact = ex.investments[0]
    assert (fact.investor.text if fact.investor else None, fact.target.text if fact.target else None) == (
        "SoftBank",
        "Mistral AI",
    )
    assert fact.country is not None and fact.country.key == "FR"


def test_collaboration_of_three_companies_nl() -> None:
    ex = read("KPN werkt samen met Nvidia aan een nieuw AI-datacenter in Groningen.", "nl")
    assert frozenset({"KPN", "Nvidia"}) in pairs(ex)


@pytest.mark.parametrize(
    ("lang", "text", "investor", "iso"),
    [
        ("it", "Eni investirà 2 miliardi di euro in un nuovo data center in Italia.", "Eni", "IT"),
        ("pt", "A Microsoft vai investir 2 mil milhões de euros num centro de dados em Portugal.", "Microsoft", "PT"),
    ],
)
def test_it_and_pt_investments_with_their_destination(lang: str, text: str, investor: str, iso: str) -> None:
    fact = read(text, lang, None).investments[0]  # kept at the default minimum
    assert fact.investor is not None and fact.investor.text == investor
    assert fact.country is not None and fact.country.key == iso and fact.amount is not None


def test_portuguese_partnership_pt() -> None:
    ex = read("A EDP assinou uma parceria com a Galp para produzir hidrogénio.", "pt", None)
    assert frozenset({"EDP", "Galp"}) in pairs(ex)


def test_negated_investment_states_no_fact() -> None:
    ex = read("Amazon will not invest 5 billion dollars in Anthropic, the company said.", "en")
    assert ex.investments == []


def test_hedged_investment_keeps_its_hedge_es() -> None:
    ex = read("Google podría invertir 1.000 millones de dólares en Chile, según fuentes del sector.", "es")
    fact = ex.investments[0]
    assert fact.hedged and fact.country is not None and fact.country.key == "CL"


def test_clear_statements_score_high_and_doubtful_ones_give_nothing_at_the_default() -> None:
    clear = read(
        "SoftBank invested 300 million dollars in the French artificial-intelligence start-up Mistral AI.", "en", 0.5
    )
    # Kept at a minimum of .5; the investment default (.70 since the
    # default is set from calibrated confidences) drops it: see "Weak" in the model card.
    assert len(clear.investments) == 1
    assert (clear.investments[0].confidence or 0) >= 0.5
    doubtful = read("Nvidia and Siemens talked about chips and data centres at a fair in Munich.", "en", None)
    assert doubtful.investments == [] and doubtful.partnerships == []


def test_a_language_without_a_fact_lexicon_falls_back_to_the_rules(tmp_path: Path) -> None:
    model = load_fact_model(str(SHIPPED_MODEL))
    narrow = replace(model, languages=("nl",))
    use_fact_model(narrow)
    try:
        text = "Microsoft invests 2 billion dollars in OpenAI."
        # English has a fact lexicon: the model decides, though it saw no English article
        seen, _ = process_article(Article(text=text, source="x", lang="en"))
        assert [f.confidence is not None for f in seen.investments] == [True]
        # "ga" (Irish) has none: the rules decide, with the English words, and give no confidence
        unseen, _ = process_article(Article(text=text, source="x", lang="ga"))
        assert [f.confidence for f in unseen.investments] == [None]
    finally:
        reset_fact_model()


# --------------------------------------------------------------------------- the graph


def test_confidence_in_the_graph_is_a_decimal_in_the_unit_interval_and_valid(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("build", "examples/articles", "--out", str(out), "--no-render", "--no-export")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(run_cli("query", "investments", "--out", str(out), "--format", "json").stdout)
    values = [b["confidence"] for b in rows["results"]["bindings"] if "confidence" in b]
    assert values, "no investment carries a confidence"
    for value in values:
        assert value["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"
        assert 0.0 <= float(value["value"]) <= 1.0
    assert rows["head"]["vars"][-1] == "confidence"
    pairs_rows = json.loads(run_cli("query", "partnerships", "--out", str(out), "--format", "json").stdout)
    assert pairs_rows["head"]["vars"][-1] == "confidence"
    validated = run_cli("validate", "--out", str(out))
    assert validated.exit_code == 0, validated.stdout + validated.stderr


def test_claims_carry_the_strongest_confidence_of_their_statements(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = "SoftBank invested 300 million dollars in the French artificial-intelligence start-up Mistral AI."
    (folder / "a.txt").write_text(text + "\n", encoding="utf-8")
    (folder / "b.txt").write_text(
        "SoftBank has invested 300 million dollars in Mistral AI, the Paris start-up.\n", "utf-8"
    )
    out = tmp_path / "out"
    assert (
        run_cli(
            "build", str(folder), "--out", str(out), "--no-render", "--no-export", "--min-confidence", "0.2"
        ).exit_code
        == 0
    )
    store = Store.read_only(str(out / "store"))
    query = """PREFIX kg: <https://kg.example.org/ontology#>
      SELECT ?claim ?c (MAX(?s) AS ?best) WHERE { GRAPH ?g { ?claim a kg:Claim ; kg:confidence ?c ; kg:reportedAs ?f }
      GRAPH ?h { ?f kg:confidence ?s } } GROUP BY ?claim ?c"""
    rows = list(store.query(query))
    assert rows
    for row in rows:
        assert float(row["c"].value) == pytest.approx(float(row["best"].value))


# --------------------------------------------------------------------------- recipe and cross-validation


MINI_GOLD = Path("tests/fixtures/mini_gold")


def _tiny_corpus(root: Path) -> Path:
    """The mini fixtures (own sentences) as an annotated corpus: docs/ and gold/."""
    repo = Path(__file__).resolve().parent.parent
    corpus = root / "corpus"
    (corpus / "docs").mkdir(parents=True)
    (corpus / "gold").mkdir()
    for gold in sorted((repo / MINI_GOLD).glob("*.json")):
        (corpus / "gold" / gold.name).write_bytes(gold.read_bytes())
        text = repo / "tests/fixtures/mini" / f"{gold.stem}.txt"
        (corpus / "docs" / text.name).write_bytes(text.read_bytes())
    return corpus


def test_train_facts_recipe_end_to_end_is_deterministic_and_usable(tmp_path: Path) -> None:
    corpus = _tiny_corpus(tmp_path)
    first, second = tmp_path / "m1", tmp_path / "m2"
    for out in (first, second):
        result = run_cli("train-facts", str(corpus), "--out", str(out), "--folds", "2")
        assert result.exit_code == 0, result.stderr
    assert (first / "model.json").read_bytes() == (second / "model.json").read_bytes()
    assert "Held-out scores" in (first / "README.md").read_text(encoding="utf-8")
    model = load_fact_model(str(first))
    assert model.scorers["investment"].weights and model.meta["documents"] == 4
    built = tmp_path / "built"
    result = run_cli("build", str(corpus / "docs"), "--out", str(built), "--fact-model", str(first), "--no-render")
    assert result.exit_code == 0, result.stderr
    missing = run_cli("build", str(corpus / "docs"), "--out", str(built), "--fact-model", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2 and "E120" in missing.stderr


def test_train_facts_with_syntax_learns_from_dependency_relations(tmp_path: Path) -> None:
    corpus = _tiny_corpus(tmp_path)
    plain, parsed = tmp_path / "plain", tmp_path / "parsed"
    assert run_cli("train-facts", str(corpus), "--out", str(plain), "--folds", "2").exit_code == 0
    result = run_cli("train-facts", str(corpus), "--out", str(parsed), "--folds", "2", "--syntax")
    assert result.exit_code == 0, result.stderr
    without, with_ = load_fact_model(str(plain)), load_fact_model(str(parsed))
    assert (without.syntax, with_.syntax) == (False, True)

    def relations(model: object) -> set[str]:
        names = {k for scorer in model.scorers.values() for k in scorer.weights}  # type: ignore[attr-defined]
        return names - {k for scorer in without.scorers.values() for k in scorer.weights}

    assert relations(with_)  # features only a parse gives
    assert "Dependency features: yes" in (parsed / "README.md").read_text(encoding="utf-8")


def test_eval_folds_on_the_shipped_examples_gives_a_table() -> None:
    result = run_cli("eval", "examples", "--folds", "3", "--no-errors")
    assert result.exit_code == 0, result.stderr
    assert "cross-validation by document" in result.stdout
    assert "investments" in result.stdout and "partnerships" in result.stdout
    assert "fold 3/3" in result.stderr


def test_eval_by_language_scores_each_language_with_a_model_that_never_saw_it() -> None:
    result = run_cli("eval", "examples", "--by-language", "--no-errors", "--format", "json")
    assert result.exit_code == 0, result.stderr
    langs = {Path(g).stem.split("_")[0] for g in Path("examples/gold").glob("*.json")} - {"newswire-1", "newswire-2"}
    folds = re.findall(r"fold (\d+)/(\d+): training on (\d+) articles, building (\d+)", result.stderr)
    assert folds and int(folds[0][1]) == len(folds) >= len(langs) - 1
    assert all(int(trained) > 0 and int(built) > 0 for _, _, trained, built in folds)
    overall = json.loads(result.stdout)["overall"]
    assert overall["investments"]["tp"] > 0  # facts found in languages their models had no article in


def test_a_model_without_dependency_features_never_parses(monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.extract.fact_model import extractor

    asked: list[list[int]] = []
    real = extractor.view_parses

    def recording(doc, views, wanted, lang):  # type: ignore[no-untyped-def]
        asked.append(list(wanted))
        return real(doc, views, wanted, lang)

    monkeypatch.setattr(extractor, "view_parses", recording)
    text = "Het Nederlandse bedrijf Lichtpoort haalt 40 miljoen euro op bij Nvidia. Lichtpoort werkt samen met ASML."
    for syntax in (True, False):
        use_fact_model(replace(load_fact_model(str(SHIPPED_MODEL)), syntax=syntax))
        try:
            extraction, _ = process_article(Article(text, "syntax.txt", "nl"))
        finally:
            reset_fact_model()
        assert extraction.amounts
    assert asked[0] and asked[1] == []  # the same sentences, parsed only for the model that reads parses


def test_the_fact_model_serves_every_language_with_a_fact_lexicon() -> None:
    from kg.extract.fact_model.extractor import model_applies
    from kg.extract.fact_model.model import FactModel

    model = FactModel({}, languages=("en",))
    assert model_applies(model, "en") and model_applies(model, "nl")  # nl: a lexicon, no training article
    assert not model_applies(model, "zz")  # no lexicon: the rules (with the English lexicon) decide
    again = FactModel.from_json(json.loads(json.dumps(FactModel({}, syntax=False).to_json())))
    assert again.syntax is False
    older = FactModel({}).to_json()
    del older["syntax"]
    assert FactModel.from_json(older).syntax is True  # models written before the flag were trained with parses


def test_eval_min_confidence_moves_the_operating_point() -> None:
    def facts(minimum: str) -> int:
        result = run_cli("eval", "examples", "--min-confidence", minimum, "--format", "json")
        assert result.exit_code == 0, result.stderr
        overall = json.loads(result.stdout)["overall"]
        return sum(overall[k]["tp"] + overall[k]["fp"] for k in ("investments", "partnerships"))

    assert facts("1.0") == 0  # no statement is surer than certain
    assert facts("0.0") > facts("0.9") > 0


def test_the_graph_page_shows_each_statements_confidence(built_examples: Built) -> None:
    page = (built_examples.out / "graph.html").read_text(encoding="utf-8")
    shown = [int(p) for p in re.findall(r"confidence (\d+)%", page)]
    assert shown, "no confidence in the evidence lists"
    assert all(0 <= p <= 100 for p in shown)


# --------------------------------------------------------------------------- where the money goes: adjectives


def candidates_of(text: str, lang: str) -> list[object]:
    """The investment candidates of one article (what the scorers see), with kg's real reading of it."""
    from kg.extract.fact_model.extractor import article_candidates
    from kg.extract.registry import extract
    from kg.nlp.pipeline import load_pipeline

    article = Article(text=text, source="test", lang=lang)
    doc = load_pipeline(lang)(text)
    extraction = extract(doc, Extraction(article=article), ("sentences", "amounts", "entities"))
    return list(article_candidates(doc, extraction)[0])


def test_a_country_adjective_and_a_partys_home_are_destination_options() -> None:
    text = (
        "La jeune pousse française Quantorix développe des puces pour centres de données. "
        "Quantorix lève 40 millions d'euros auprès de Bpifrance."
    )
    cand = next(c for c in candidates_of(text, "fr") if c.amount is not None)
    homes = {o.mention.key for o in cand.countries if any(k.endswith("source=party_home") for k in o.features)}
    assert homes == {"FR"}  # Quantorix is "française" one sentence before the amount
    text = "Amazon investit 2 milliards d'euros dans des centres de données espagnols."
    cand = next(c for c in candidates_of(text, "fr") if c.amount is not None)
    adjectives = {o.mention.key for o in cand.countries if any(k.endswith("source=demonym") for k in o.features)}
    assert adjectives == {"ES"}


def test_a_cooperation_without_a_subject_of_its_own_pairs_the_lead_from_before_es() -> None:
    text = (
        "Telefónica presentó ayer su nueva red de centros de datos en Madrid. "
        "Además, firmó acuerdos de colaboración con Ericsson y Nokia."
    )
    found = pairs(read(text, "es"))
    assert {frozenset({"Telefónica", "Ericsson"}), frozenset({"Telefónica", "Nokia"})} <= set(found)


def test_only_a_text_with_a_body_has_a_headline_nl() -> None:
    """The statement scorer learned that headline statements are weaker than their body's restatement;
    a text of one sentence has no body, so its statement is judged as a statement, not as a headline."""
    from kg.extract.fact_model.extractor import active_fact_model, article_candidates, article_statements
    from kg.extract.registry import extract
    from kg.nlp.pipeline import load_pipeline

    def headline_flags(text: str) -> list[bool]:
        doc = load_pipeline("nl")(text)
        article = Article(text=text, source="t", lang="nl")
        extraction = extract(doc, Extraction(article=article), ("sentences", "amounts", "entities"))
        model = active_fact_model()
        assert model is not None
        statements, _ = article_statements(model, *article_candidates(doc, extraction))
        return ["headline" in meta for _, meta in statements]

    assert headline_flags("Microsoft investeert 2 miljard dollar in OpenAI.") == [False]
    body = "Microsoft investeert 2 miljard dollar in OpenAI, meldt het bedrijf."
    assert headline_flags("Microsoft investeert 2 miljard dollar in OpenAI\n\n" + body) == [True, False]


# --------------------------------------------------------------------------- "the company" later on, converted amounts


def test_the_company_after_a_name_is_the_organization_the_article_is_about_en() -> None:
    text = (
        "Lumora Labs builds compact language models for hospitals. "
        "Lumora Labs raised $80 million last spring from Harbour Ventures. "
        "In June, Pellham Capital invested $25 million in the company."
    )
    cand = next(c for c in candidates_of(text, "en") if c.amount is not None and c.amount.value == 25_000_000)
    inner = [o for o in cand.parties if o.source == "inner_anaphor"]
    assert [o.mention.text for o in inner] == ["Lumora Labs"]
    assert "t_side=after" in inner[0].features  # placed where "the company" stands: after the verb
    before_a_name = "Pellham Capital invested $25 million in the start-up Lumora Labs."
    assert not [o for c in candidates_of(before_a_name, "en") for o in c.parties if o.source == "inner_anaphor"]


def test_a_converted_amount_stated_alone_is_the_figure_it_converts_id() -> None:
    text = (
        "PT Veltrano Nusantara Investasi Rp16 Triliun di Vietnam\n\n"
        "PT Veltrano Nusantara akan menanamkan US$1 miliar (Rp16 triliun) di Vietnam untuk pusat data baru."
    )
    by_sentence = {c.view_index: c for c in candidates_of(text, "id") if c.amount is not None}
    headline = by_sentence[0]
    assert (headline.amount.value, headline.amount.currency) == (1_000_000_000, "USD")
    assert "restated_equivalent" in headline.features
    facts = read(text, "id", floor=0.0).investments  # headline and body: one deal, in the stated currency
    assert [(f.amount.value, f.amount.currency) for f in facts if f.amount is not None] == [(1_000_000_000, "USD")]
    assert [f.investor.text for f in facts if f.investor is not None] == ["PT Veltrano Nusantara"]


def test_in_a_list_of_amounts_each_place_goes_with_its_own_amount_en() -> None:
    text = "Orbita Cloud will spend $2 billion in Chile and $3 billion in Peru over five years."
    by_value = {c.amount.value: c for c in candidates_of(text, "en") if c.amount is not None}

    def flagged(value: int) -> dict[str, bool]:
        return {o.mention.key: "amount_between" in o.features for o in by_value[value].countries}

    assert flagged(2_000_000_000) == {"CL": False, "PE": True}  # the $3 billion stands between it and Peru
    assert flagged(3_000_000_000)["PE"] is False


def test_eval_strict_roles_scores_the_same_facts_more_strictly() -> None:
    """``--strict-roles`` rescores the same predictions: none gained, and every one still counted once."""
    runs = {}
    for flag in ((), ("--strict-roles",)):
        result = run_cli("eval", "examples", "--no-errors", "--format", "json", *flag)
        assert result.exit_code == 0, result.stderr
        runs[bool(flag)] = json.loads(result.stdout)["overall"]["investments"]
    lenient, strict = runs[False], runs[True]
    assert lenient["tp"] > 0
    assert strict["tp"] <= lenient["tp"] and strict["tp"] + strict["fp"] == lenient["tp"] + lenient["fp"]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Microsoft invested $2 billion in Poland last year. Google will invest 2 billion euros in France."),
        (
            "de",
            "Microsoft hat 2 Milliarden Dollar in Polen investiert. "
            "Google wird 2 Milliarden Euro in Frankreich investieren.",
        ),
    ],
)
def test_a_party_of_another_sentence_is_not_made_the_target(lang: str, text: str) -> None:
    """Money for a country names no receiver: neither the sentence before nor the article's subject fills one."""
    found = {investor: target for investor, _, target, _ in investments(read(text, lang))}
    assert found == {"Microsoft": None, "Google": None}


def test_one_sum_restated_in_another_currency_is_one_fact() -> None:
    """An article converting its figure for readers states one investment, not two."""
    text = (
        "Le groupe chinois Alibaba a annoncé un investissement de 52,7 milliards de dollars dans son réseau cloud. "
        "L'investissement prévu se monte à 380 milliards de yuans."
    )
    found = investments(read(text, "fr"))
    assert [(investor, amount) for investor, _, _, amount in found] == [("Alibaba", "52,7 milliards de dollars")]


def test_sums_of_other_investors_in_other_currencies_stay_apart() -> None:
    text = (
        "Microsoft will invest $2 billion in Indonesia over four years. "
        "Oracle plans to invest 1.85 billion euros in the Netherlands."
    )
    found = {investor for investor, _, _, _ in investments(read(text, "en"))}
    assert found == {"Microsoft", "Oracle"}


# --------------------------------------------------------------------------- boosted trees


def _conjunction_rows(n: int, seed: int) -> tuple[list[dict[str, float]], list[int]]:
    """Rows whose label is a conjunction and an exclusion of features, which no linear scorer separates."""
    import random

    rng = random.Random(seed)
    rows, labels = [], []
    for _ in range(n):
        row = {f"cue{j}": 1.0 for j in range(6) if rng.random() < 0.5}
        row["distance"] = float(rng.randint(0, 9))
        rows.append(row)
        labels.append(int(("cue0" in row) == ("cue1" in row) and row["distance"] < 5))
    return rows, labels


def test_tree_scorer_gives_scikit_learns_probabilities_and_survives_json(tmp_path: Path) -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction import DictVectorizer

    from kg.extract.fact_model.model import FactModel, TreeScorer
    from kg.extract.fact_model.training import SEED, TREES, _fit_scorer, _fit_trees

    rows, labels = _conjunction_rows(800, 1)
    unseen, truth = _conjunction_rows(300, 2)
    trees = _fit_trees(rows, labels)
    assert isinstance(trees, TreeScorer)
    vectorizer = DictVectorizer(sparse=False)
    reference = HistGradientBoostingClassifier(**TREES, class_weight="balanced", random_state=SEED)
    reference.fit(vectorizer.fit_transform(rows), labels)
    expected = reference.predict_proba(vectorizer.transform(unseen))[:, 1]
    assert max(abs(trees.probability(r) - p) for r, p in zip(unseen, expected, strict=True)) < 1e-6

    model = FactModel({"partnership": trees})
    model.save(tmp_path)
    again = load_fact_model(str(tmp_path)).scorers["partnership"]
    assert isinstance(again, TreeScorer)
    assert all(abs(again.probability(r) - trees.probability(r)) < 1e-5 for r in unseen)

    linear = _fit_scorer(rows, labels)

    def accuracy(scorer: object) -> float:
        return sum((scorer.probability(r) >= 0.5) == bool(y) for r, y in zip(unseen, truth, strict=True)) / len(truth)  # type: ignore[attr-defined]

    assert accuracy(trees) > 0.95 > 0.8 > accuracy(linear)  # the conjunction is learned; a sum of weights cannot


def test_shipped_partnership_scorer_is_boosted_trees() -> None:
    from kg.extract.fact_model.model import TreeScorer
    from kg.extract.fact_model.training import TREE_DECISIONS

    model = load_fact_model(str(SHIPPED_MODEL))
    for decision in TREE_DECISIONS:
        assert isinstance(model.scorers[decision], TreeScorer)
    data = json.loads((SHIPPED_MODEL / "model.json").read_text(encoding="utf-8"))
    assert data["scorers"]["partnership"]["type"] == "trees"


def test_an_amount_with_neither_investor_nor_target_states_no_investment_nl() -> None:
    """No investor and no target ("200 million is available for a factory"): no investment is stated."""
    text = "Voor een nieuwe fabriek in het noorden is 200 miljoen euro investering beschikbaar."
    assert [c for c in candidates_of(text, "nl") if c.amount is not None]  # the amount is a candidate
    assert read(text, "nl", floor=0.0).investments == []


def test_one_amount_invested_by_two_named_investors_is_two_facts_en() -> None:
    """Two deals of the same size in one article are two facts, not one with the other's roles."""
    text = (
        "Corvane Systems agreed to invest $3 billion in the start-up Miravel Robotics last spring. "
        "Halden Capital will invest $3 billion in Brightwater Energy, the fund said on Monday."
    )
    found = {(investor, target) for investor, _, target, _ in investments(read(text, "en"))}
    assert found == {("Corvane Systems", "Miravel Robotics"), ("Halden Capital", "Brightwater Energy")}
