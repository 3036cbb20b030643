"""Ingest: files, folders, stdin, HTML and JSON Lines become ``Article`` objects (or one-line errors)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from conftest import BAD, EXAMPLES, MINI, REPO

from kg.errors import InputError
from kg.ingest import iter_articles
from kg.ingest.langid import detect_language
from kg.model import Article


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def ingest(*inputs: str, lang: str | None = None) -> list[Article | InputError]:
    return list(iter_articles(inputs, lang=lang))


def one_article(*inputs: str, lang: str | None = None) -> Article:
    [item] = ingest(*inputs, lang=lang)
    assert isinstance(item, Article), item
    return item


def one_error(*inputs: str) -> InputError:
    [item] = ingest(*inputs)
    assert isinstance(item, InputError), item
    return item


def test_txt_first_line_is_the_title() -> None:
    path = f"{MINI}/en_us.txt"
    article = one_article(path)
    raw = Path(path).read_text(encoding="utf-8")
    assert article.title == "Oracle to build two AI data centres in the US with OpenAI"
    assert article.text == raw.strip()
    assert article.source == path
    assert article.location == path
    assert article.url is None and article.date is None
    assert article.lang == "en" and not article.lang_forced


def test_txt_without_blank_line_after_first_line_has_no_title(tmp_path: Path) -> None:
    path = tmp_path / "wire.txt"
    path.write_text("Microsoft invests in Poland.\nThe company said so on Monday in Warsaw.\n", encoding="utf-8")
    article = one_article(str(path))
    assert article.title is None
    assert article.text == "Microsoft invests in Poland.\nThe company said so on Monday in Warsaw."


def test_markdown_file_heading_becomes_title(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    body = "Nvidia will invest 1 billion euros in a new data centre in Poland, the company said on Tuesday."
    path.write_text(f"# Nvidia to invest in Poland\n\n{body}\n", encoding="utf-8")
    article = one_article(str(path))
    assert article.title == "Nvidia to invest in Poland"
    assert article.text == f"# Nvidia to invest in Poland\n\n{body}"
    assert article.source == str(path)
    assert article.lang == "en"


def test_source_is_the_path_exactly_as_given() -> None:
    given = f"./{MINI}/nl_openai.txt"
    article = one_article(given)
    assert article.source == given


def test_html_main_text_title_date_and_url() -> None:
    path = f"{EXAMPLES}/de_softbank_niederlande.html"
    article = one_article(path)
    assert article.title == "SoftBank investiert 2,5 Milliarden Euro in KI-Rechenzentrum in den Niederlanden"
    assert article.date == "2025-10-14"
    assert article.url == "https://news.example.org/de/wirtschaft/softbank-ki-rechenzentrum-eemshaven"
    assert article.source == path
    assert article.location == article.url  # a URL wins over the local path
    assert article.lang == "de"
    text = article.text
    assert "Gemeinsam mit dem niederländischen Start-up Polder Compute will SoftBank 2,5 Milliarden Euro" in text
    assert "Rechenwerk GmbH aus Leipzig" in text
    assert text.rstrip().endswith("für die bis 2030 rund 1,6 Milliarden Euro eingeplant sind.")
    boilerplate = [
        "Cookies",  # cookie banner
        "Alle akzeptieren",
        "Hauptnavigation",
        "Politik",  # navigation
        "Startseite",  # breadcrumb
        "DAX",  # ticker
        "Mehr zum Thema",  # related links
        "Chipmangel",
        "Newsletter",
        "Impressum",  # footer
        "Alle Rechte vorbehalten",
        "Anzeige",  # ad slot
        "<p",
        "window.dataLayer",
    ]
    for word in boilerplate:
        assert word not in text, word


def test_html_without_article_text_is_an_error() -> None:
    path = f"{BAD}/nocontent.html"
    error = one_error(path)
    assert error.source == path
    assert error.code == "E106"
    assert path in str(error) and "\n" not in str(error)


def test_jsonl_one_article_per_line_with_its_fields() -> None:
    path = f"{EXAMPLES}/newswire.jsonl"
    records = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = ingest(path)
    assert len(articles) == len(records) == 2
    for number, (article, record) in enumerate(zip(articles, records, strict=True), start=1):
        assert isinstance(article, Article)
        assert article.source == f"{path}:{number}"
        assert article.url == record["url"]
        assert article.location == record["url"]
        assert article.title == record["title"]
        assert article.date == record["date"]
        assert article.lang == record["lang"]
        assert article.text == record["text"].strip()


def test_jsonl_declared_lang_wins_over_detection_and_lang_option_wins_over_both(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    text = "Microsoft will invest two billion dollars in new data centres in the Netherlands, the company said."
    path.write_text(json.dumps({"text": text, "lang": "NL"}) + "\n" + json.dumps({"text": text + " More."}) + "\n")
    declared, detected = ingest(str(path))
    assert isinstance(declared, Article) and isinstance(detected, Article)
    assert declared.lang == "nl"  # declared, lower-cased
    assert detected.lang == "en"  # no lang field: detected
    assert declared.url is None and declared.source == f"{path}:1"
    forced = ingest(str(path), lang="de")
    assert [a.lang for a in forced if isinstance(a, Article)] == ["de", "de"]
    assert all(isinstance(a, Article) and a.lang_forced for a in forced)


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    data = Path(f"{MINI}/fr_openai.txt").read_bytes()
    _stdin(monkeypatch, data)
    article = one_article("-")
    assert article.source == "-"
    assert article.text == data.decode("utf-8").strip()
    assert article.title == "OpenAI et Microsoft s’allient pour un centre de données à Marseille"
    assert article.lang == "fr"


def test_stdin_html_is_recognised(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, Path(f"{EXAMPLES}/de_softbank_niederlande.html").read_bytes())
    article = one_article("-")
    assert article.source == "-"
    assert article.title == "SoftBank investiert 2,5 Milliarden Euro in KI-Rechenzentrum in den Niederlanden"
    assert "<article" not in article.text and "Polder Compute" in article.text


def test_stdin_empty_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"  \n")
    error = one_error("-")
    assert error.source == "-" and error.code == "E101"


def test_folder_is_searched_recursively_in_sorted_order(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "a" / "b").mkdir(parents=True)
    mini = REPO / MINI
    (root / "a" / "b" / "deep.txt").write_bytes((mini / "nl_openai.txt").read_bytes())
    (root / "a" / "top.md").write_bytes((mini / "en_us.txt").read_bytes())
    (root / "z.jsonl").write_text(json.dumps({"text": (mini / "id_as.txt").read_text(encoding="utf-8")}) + "\n")
    (root / "a" / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")  # unsupported suffix: ignored
    (root / "notes.csv").write_text("a,b\n")  # ignored as well
    items = ingest(str(root))
    assert all(isinstance(a, Article) for a in items), items
    assert [a.source for a in items] == [
        str(root / "a" / "b" / "deep.txt"),
        str(root / "a" / "top.md"),
        f"{root / 'z.jsonl'}:1",
    ]
    assert [a.lang for a in items if isinstance(a, Article)] == ["nl", "en", "id"]


def test_legacy_encoding_fallback_decodes_cp1252() -> None:
    path = f"{BAD}/latin1.txt"
    raw = Path(path).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    article = one_article(path)
    assert article.text == raw.decode("cp1252").strip()
    for word in ("Vénissieux", "Étienne Fèvre", "120 M€", "cœur", "d’euros"):
        assert word in article.text
    assert not any("\x80" <= ch <= "\x9f" for ch in article.text)  # no C1 mojibake of a latin-1 decode
    assert article.title == "Calcul Souverain investit 450 millions d’euros à Vénissieux"
    assert article.lang == "fr"


def test_utf16_with_byte_order_mark_is_text(tmp_path: Path) -> None:
    text = Path(REPO / MINI / "nl_openai.txt").read_text(encoding="utf-8")
    path = tmp_path / "windows.txt"
    path.write_bytes(text.encode("utf-16"))  # with BOM, full of NUL bytes
    article = one_article(str(path))
    assert article.text == text.strip()
    assert article.lang == "nl"


# The language of every sample article, from its file name (JSON Lines: the declared one).
EXAMPLE_FILES = sorted(p.name for p in (REPO / EXAMPLES).iterdir() if p.suffix in {".txt", ".html"})


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_language_detection_on_examples(name: str) -> None:
    article = one_article(f"{EXAMPLES}/{name}")
    assert article.lang == name.split("_", 1)[0]
    assert not article.lang_forced


def test_language_detection_covers_every_sample_language() -> None:
    langs = {a.lang for a in ingest(EXAMPLES) if isinstance(a, Article)}
    assert langs == {"nl", "fr", "id", "en", "de", "es"}
    for line in (REPO / EXAMPLES / "newswire.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        assert detect_language(record["text"]) == record["lang"]  # detection agrees with the declared language


def test_lang_option_forces_and_is_normalised() -> None:
    article = one_article(f"{MINI}/nl_openai.txt", lang="DE")
    assert article.lang == "de"
    assert article.lang_forced


def test_same_text_in_two_files_has_one_key(tmp_path: Path) -> None:
    text = (REPO / MINI / "en_us.txt").read_text(encoding="utf-8")
    (tmp_path / "one.txt").write_text(text, encoding="utf-8")
    (tmp_path / "two.txt").write_text(text.replace("\n\n", "\n\n  ") + "\n\n", encoding="utf-8")  # spacing differs
    first, second = ingest(str(tmp_path / "one.txt"), str(tmp_path / "two.txt"))
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.source != second.source
    assert first.key == second.key
    other = one_article(f"{MINI}/nl_openai.txt")
    assert other.key != first.key


def test_url_is_the_identity_when_present(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    url = "https://news.example.org/en/a"
    lines = [
        {"text": "Version one of the article about Microsoft in Poland.", "url": url},
        {"text": "Version two, corrected: Microsoft invests in Poland and Czechia.", "url": url},
        {"text": "Version one of the article about Microsoft in Poland.", "url": url + "-other"},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    v1, v2, other = ingest(str(path))
    assert isinstance(v1, Article) and isinstance(v2, Article) and isinstance(other, Article)
    assert v1.key == v2.key  # same URL, changed text: same article
    assert other.key != v1.key  # same text, another URL: another article


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("does-not-exist.txt", "E104"),
        ("empty.txt", "E101"),
        ("binary.txt", "E102"),
        ("undecodable.txt", "E103"),
        ("nocontent.html", "E106"),
    ],
)
def test_bad_file_gives_one_error_naming_it(name: str, code: str) -> None:
    path = f"{BAD}/{name}"
    error = one_error(path)
    assert error.source == path
    assert error.code == code
    message = str(error)
    assert message.startswith(f"{path}: {code} ")
    assert "\n" not in message


def test_malformed_jsonl_reports_each_bad_line_and_keeps_the_good_one() -> None:
    path = f"{BAD}/malformed.jsonl"
    good, truncated, no_text = ingest(path)
    assert isinstance(good, Article)
    assert good.source == f"{path}:1"
    assert good.url == "https://news.example.org/en/business/microsoft-queretaro-data-centre"
    assert "Querétaro" in good.text
    assert isinstance(truncated, InputError) and isinstance(no_text, InputError)
    assert truncated.source == f"{path}:2" and truncated.code == "E107"
    assert no_text.source == f"{path}:3" and no_text.code == "E108"
    assert "text" in no_text.message
    # the column points into the line, not past its newline
    line_two = Path(path).read_text(encoding="utf-8").splitlines()[1]
    assert f"column {len(line_two.rstrip()) + 1}" in truncated.message


def test_empty_jsonl_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n")
    error = one_error(str(path))
    assert error.source == str(path) and error.code == "E101"


def test_hostile_article_text_is_kept_verbatim() -> None:
    path = f"{BAD}/hostile.txt"
    raw = Path(path).read_text(encoding="utf-8")
    article = one_article(path)
    assert article.text == raw.strip()
    pieces = [
        'Break""" > . <urn:x> a <urn:Evil> . Ltd',
        "<script>alert(1)</script>",
        "Back\\slash Tab\tSeparated",
        "\u202e",
        "\u200d",
        "Jose\u0301",
        "🚀",
    ]
    for piece in pieces:
        assert piece in article.text


def test_errors_do_not_stop_the_other_inputs() -> None:
    items = ingest(f"{BAD}/empty.txt", f"{MINI}/en_us.txt", f"{BAD}/does-not-exist.txt", f"{MINI}/id_as.txt")
    assert [type(i).__name__ for i in items] == ["InputError", "Article", "InputError", "Article"]


def test_stdin_is_read_as_bytes_not_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Legacy-encoded stdin gets the same fallback as files."""
    _stdin(monkeypatch, Path(f"{BAD}/latin1.txt").read_bytes())
    article = one_article("-")
    assert "Vénissieux" in article.text and "120 M€" in article.text


def test_clean_text_drops_exactly_the_control_characters_and_lone_surrogates() -> None:
    import unicodedata

    from kg.ingest.decode import clean_text

    every = "".join(chr(c) for c in range(0x110000) if c != 0x0D)  # "\r" becomes "\n", checked below
    kept = "".join(ch for ch in every if ch in "\n\t\f\v" or unicodedata.category(ch) not in {"Cc", "Cs"})
    assert clean_text(every) == kept
    assert clean_text("a\r\nb\rc\x00d\x85e\u200bf") == "a\nb\nc" + "d" + "e\u200bf"
