"""kg's shipped UD dependency parsers: they load, give trees, and find subjects.

The sentences are written for these tests (news-like, one simple clause each);
each names the token that must be the subject (``nsubj``) of the main verb.
"""

from __future__ import annotations

import pytest

from kg.nlp import parsers
from kg.nlp.parsers import load_parser, parse_many, parse_words

SHIPPED = ("nl", "de", "id", "es", "it", "pt", "en")

# lang -> [(sentence split on spaces, index of the subject, index of its verb)]
CLAUSES: dict[str, list[tuple[str, int, int]]] = {
    "nl": [
        ("Shell bouwt een nieuwe fabriek in Rotterdam .", 0, 1),
        ("De minister opent morgen de nieuwe fabriek in Eindhoven .", 1, 2),
    ],
    "de": [
        ("Siemens baut ein neues Werk in Sachsen .", 0, 1),
        ("Die Regierung kauft zwei neue Schiffe .", 1, 2),
    ],
    "id": [
        ("Pemerintah membangun jembatan baru di Surabaya .", 0, 1),
        ("Perusahaan itu membeli dua pabrik di Jawa Barat .", 0, 2),
    ],
    "es": [
        ("Telefónica compra una empresa de software en México .", 0, 1),
        ("El gobierno invierte dos millones en la nueva planta .", 1, 2),
    ],
    "it": [
        ("La società acquista una nuova fabbrica a Torino .", 1, 2),
        ("Eni costruisce un nuovo impianto in Sicilia .", 0, 1),
    ],
    "pt": [
        ("A empresa comprou uma fábrica nova em Lisboa .", 1, 2),
        ("O governo investe dois milhões na nova ponte .", 1, 2),
    ],
    "en": [
        ("Microsoft invests two billion dollars in a new data centre .", 0, 1),
        ("The company bought a small factory in Ohio .", 1, 2),
    ],
}


# lang -> (passive sentence, subject index, participle index, auxiliary index)
PASSIVES: dict[str, tuple[str, int, int, int]] = {
    "nl": ("Het bedrijf werd in 2019 door twee broers opgericht .", 1, 8, 2),
    "de": ("Das Werk wurde von der Bank verkauft .", 1, 6, 2),
    "es": ("La fábrica fue vendida por el banco .", 1, 3, 2),
    "it": ("La fabbrica è stata venduta dalla banca .", 1, 4, 3),
    "id": ("Pabrik itu dijual oleh bank .", 0, 2, -1),
    "pt": ("A fábrica foi vendida pelo banco .", 1, 3, 2),
    "en": ("The factory was sold by the bank .", 1, 3, 2),
}


def tokens(sentence: str) -> tuple[list[str], list[bool]]:
    """Space-split tokens, with no space before the final full stop."""
    words = sentence.split()
    spaces = [True] * len(words)
    spaces[-1] = False
    if words[-1] in ".!?" and len(words) > 1:
        spaces[-2] = False
    return words, spaces


def assert_tree(arcs: list[tuple[int, str]], n: int) -> None:
    """One root pointing at itself, every head in range, every token reaching the root."""
    assert len(arcs) == n
    roots = [i for i, (head, _) in enumerate(arcs) if head == i]
    assert len(roots) == 1
    assert arcs[roots[0]][1] == "root"
    for i, (head, label) in enumerate(arcs):
        assert 0 <= head < n
        assert label and label == label.lower()
        seen = set()
        while arcs[i][0] != i:
            assert i not in seen, "cycle"
            seen.add(i)
            i = arcs[i][0]


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_shipped_parser_loads(lang: str) -> None:
    nlp = load_parser(lang)
    assert nlp is not None
    assert nlp.pipe_names == ["parser"]
    assert load_parser(lang) is nlp  # cached per process
    labels = set(nlp.get_pipe("parser").labels)
    assert {"nsubj", "obj", "obl", "case"} <= labels


@pytest.mark.parametrize("lang,sentence,subject,verb", [(lang, *c) for lang, cs in CLAUSES.items() for c in cs])
def test_subject_of_a_simple_clause(lang: str, sentence: str, subject: int, verb: int) -> None:
    words, spaces = tokens(sentence)
    arcs = parse_words(lang, words, spaces)
    assert arcs is not None
    assert_tree(arcs, len(words))
    assert arcs[subject] == (verb, "nsubj"), list(zip(words, arcs, strict=True))
    assert arcs[verb] == (verb, "root")


@pytest.mark.parametrize("lang", sorted(PASSIVES))
def test_passive_subject(lang: str) -> None:
    # The extractor needs nsubj:pass to tell "X was bought by Y" from "X bought Y".
    sentence, subject, participle, aux = PASSIVES[lang]
    words, spaces = tokens(sentence)
    arcs = parse_words(lang, words, spaces)
    assert arcs is not None
    assert_tree(arcs, len(words))
    assert arcs[subject] == (participle, "nsubj:pass"), list(zip(words, arcs, strict=True))
    if aux >= 0:  # Indonesian marks the passive on the verb (di-), with no auxiliary
        assert arcs[aux] == (participle, "aux:pass")


@pytest.mark.parametrize("lang", SHIPPED)
def test_parse_many_matches_parse_words(lang: str) -> None:
    sentences = [tokens(s) for s, _, _ in CLAUSES[lang]]
    batch = parse_many(lang, [*sentences, ([], [])])
    assert batch is not None
    assert batch[:-1] == [parse_words(lang, w, s) for w, s in sentences]
    assert batch[-1] == []


def test_kg_tokens_are_kept() -> None:
    # A hyphenated word the tokenizer would split stays one token, and a long
    # run-on sentence is not cut in two: still one tree over the given tokens.
    words = ["Ahold", "koopt", "twee", "supermarkt-ketens", "en", "Jumbo", "verkoopt", "drie", "winkels"]
    arcs = parse_words("nl", words, [True] * (len(words) - 1) + [False])
    assert arcs is not None
    assert_tree(arcs, len(words))


def test_french_and_unknown_languages_have_no_parser() -> None:
    # fr_core_news_sm already parses French with UD labels.
    assert load_parser("fr") is None
    assert parse_words("fr", ["Renault", "investit", "."], [True, False, False]) is None
    assert parse_many("fr", [(["Renault", "investit"], [True, False])]) is None
    for lang in ("ja", "xx", "", "../models/nl"):
        assert load_parser(lang) is None
        assert parse_words(lang, ["a"], [False]) is None


def test_mismatched_spaces_are_refused() -> None:
    with pytest.raises(ValueError):
        parse_words("nl", ["Philips", "groeit"], [True])


def test_models_are_compact() -> None:
    for lang in SHIPPED:
        path = parsers.parser_dir(lang)
        assert path is not None
        size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        assert size < 7_000_000, (lang, size)
