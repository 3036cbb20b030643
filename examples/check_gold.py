#!/usr/bin/env python3
"""Sanity-check gold annotations against the sample articles they describe.

Usage (from the repository root)::

    python examples/check_gold.py                       # examples/ and tests/fixtures/mini
    python examples/check_gold.py ARTICLES_DIR GOLD_DIR # one pair of directories

For every article it rebuilds the annotated document text (headline + body, see
examples/README.md) and verifies that each ``aliases_in_text``, ``mentions``,
amount ``text`` and ``evidence`` string occurs verbatim in it, as a whole token
sequence (not inside a longer word).  It also checks the structure of each gold
file: required keys, ISO codes, references from investments/partnerships to
annotated organizations or countries, and amounts of investments.

Standard library only; exits non-zero if anything is wrong.
"""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAIRS = [
    (ROOT / "examples" / "articles", ROOT / "examples" / "gold"),
    (ROOT / "tests" / "fixtures" / "mini", ROOT / "tests" / "fixtures" / "mini_gold"),
]

TOP_KEYS = [
    "id", "lang", "url", "date", "title", "organizations", "countries", "countries_demonym_only",
    "persons", "amounts", "investments", "partnerships", "projects", "notes",
]
LANGS = {"nl", "fr", "id", "en", "de", "es"}
ORG_TYPES = {
    "company", "fund", "media", "public_body", "research", "consultancy", "association",
    "consortium", "data_provider", "public_bank", "project_company",
}
CURRENCIES = {"USD", "EUR", "GBP", "IDR", "JPY", "CHF", "CNY", "AED", "SAR", "CLP"}


class _ArticleText(HTMLParser):
    """Collect the <h1> and the <p> paragraphs inside <article> (not figure captions)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth_article = 0
        self.capture: str | None = None
        self.in_figure = 0
        self.buf: list[str] = []
        self.blocks: list[str] = []
        self.title: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth_article += 1
        elif tag == "figure":
            self.in_figure += 1
        elif self.depth_article and not self.in_figure and tag in ("h1", "p"):
            self.capture, self.buf = tag, []

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth_article -= 1
        elif tag == "figure":
            self.in_figure -= 1
        elif self.capture == tag:
            text = " ".join("".join(self.buf).split())
            if tag == "h1" and self.title is None:
                self.title = text
            self.blocks.append(text)
            self.capture = None

    def handle_data(self, data):
        if self.capture:
            self.buf.append(data)


def load_articles(directory: Path) -> dict[str, dict]:
    """Map article id -> {"text": annotated document text, "title", "url", "date", "lang", "words"}."""
    out: dict[str, dict] = {}
    for path in sorted(directory.iterdir()):
        if path.suffix == ".txt":
            raw = path.read_text(encoding="utf-8")
            title, _, body = raw.partition("\n\n")
            out[path.stem] = {"text": raw, "title": title.strip(), "url": None, "date": None,
                              "lang": None, "body": body}
        elif path.suffix == ".html":
            parser = _ArticleText()
            raw = path.read_text(encoding="utf-8")
            parser.feed(raw)
            m_date = re.search(r'property="article:published_time"\s+content="(\d{4}-\d{2}-\d{2})', raw)
            m_url = re.search(r'rel="canonical"\s+href="([^"]+)"', raw)
            m_lang = re.search(r'<html[^>]*\blang="([a-z]{2})"', raw)
            text = "\n\n".join(parser.blocks)
            out[path.stem] = {"text": text, "title": parser.title, "url": m_url and m_url.group(1),
                              "date": m_date and m_date.group(1), "lang": m_lang and m_lang.group(1),
                              "body": "\n\n".join(parser.blocks[1:])}
        elif path.suffix == ".jsonl":
            with path.open(encoding="utf-8") as fh:
                for n, line in enumerate(fh, start=1):
                    if not line.strip():
                        continue
                    rec = json.loads(line)
                    text = (rec.get("title") or "") + "\n\n" + rec["text"]
                    out[f"{path.stem}-{n}"] = {"text": text, "title": rec.get("title"), "url": rec.get("url"),
                                               "date": rec.get("date"), "lang": rec.get("lang"),
                                               "body": rec["text"]}
    for art in out.values():
        art["words"] = len(art["text"].split())
    return out


def occurs(needle: str, hay: str) -> bool:
    """True if needle occurs in hay, not glued to letters/digits on either side."""
    if not needle:
        return False
    pat = r"(?<![\w])" + re.escape(needle) + r"(?![\w])"
    return re.search(pat, hay) is not None


def check_one(gid: str, gold: dict, art: dict) -> list[str]:
    errs: list[str] = []
    text = art["text"]

    def need(s, where):
        if not isinstance(s, str) or not occurs(s, text):
            errs.append(f"{where}: {s!r} not found verbatim in article text")

    keys = list(gold)
    if keys != TOP_KEYS:
        errs.append(f"top-level keys {keys} != {TOP_KEYS}")
    if gold.get("id") != gid:
        errs.append(f"id {gold.get('id')!r} != {gid!r}")
    if gold.get("lang") not in LANGS:
        errs.append(f"bad lang {gold.get('lang')!r}")
    if art.get("lang") and art["lang"] != gold.get("lang"):
        errs.append(f"lang {gold.get('lang')} != source lang {art['lang']}")
    for k in ("url", "date", "title"):
        if art.get(k) is not None and gold.get(k) != art[k]:
            errs.append(f"{k} {gold.get(k)!r} != source {art[k]!r}")
    if gold.get("date") is not None and not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", gold["date"]):
        errs.append(f"bad date {gold['date']!r}")

    org_names = set()
    for o in gold["organizations"]:
        org_names.add(o["name"])
        if o.get("type") not in ORG_TYPES:
            errs.append(f"org {o['name']}: bad type {o.get('type')!r}")
        if o.get("wikidata") is not None and not re.fullmatch(r"Q\d+", o["wikidata"]):
            errs.append(f"org {o['name']}: bad wikidata {o['wikidata']!r}")
        if not o.get("aliases_in_text"):
            errs.append(f"org {o['name']}: no aliases_in_text")
        for a in o.get("aliases_in_text", []):
            need(a, f"org {o['name']} alias")

    isos = set()
    for c in gold["countries"]:
        if not re.fullmatch(r"[A-Z]{2}", c["iso"]):
            errs.append(f"bad iso {c['iso']!r}")
        isos.add(c["iso"])
        if not c.get("mentions"):
            errs.append(f"country {c['iso']}: no mentions")
        for m in c.get("mentions", []):
            need(m, f"country {c['iso']} mention")
    for iso in gold["countries_demonym_only"]:
        if iso in isos:
            errs.append(f"{iso} both in countries and countries_demonym_only")
    all_isos = isos | set(gold["countries_demonym_only"])

    for p in gold["persons"]:
        for m in p["mentions"]:
            need(m, f"person {p['name']} mention")

    amount_keys = set()
    for a in gold["amounts"]:
        need(a["text"], "amount text")
        if a.get("currency") not in CURRENCIES:
            errs.append(f"amount {a['text']!r}: unexpected currency {a.get('currency')!r}")
        key = (float(a["value"]), a["currency"])
        if key in amount_keys:
            errs.append(f"duplicate amount {key}")
        amount_keys.add(key)
        if a.get("is_range") and not a.get("value_min"):
            errs.append(f"range amount {a['text']!r} without value_min")

    def party_ok(x):
        return x in org_names or x in all_isos

    for i, inv in enumerate(gold["investments"]):
        where = f"investment #{i + 1}"
        need(inv["evidence"], where + " evidence")
        if inv["investor"] is not None and not party_ok(inv["investor"]):
            errs.append(f"{where}: investor {inv['investor']!r} not an annotated org/country")
        for co in inv.get("co_investors", []):
            if not party_ok(co):
                errs.append(f"{where}: co-investor {co!r} not an annotated org/country")
        if inv["amount_value"] is not None:
            if (float(inv["amount_value"]), inv["currency"]) not in amount_keys:
                errs.append(f"{where}: amount {inv['amount_value']} {inv['currency']} not in amounts")
        elif inv["currency"] is not None:
            errs.append(f"{where}: currency without amount")
        if inv["target"] is not None and inv["target"] not in org_names and inv["target"] not in gold["projects"]:
            errs.append(f"{where}: target {inv['target']!r} is neither an org nor a project")
        if inv["country"] is not None and inv["country"] not in all_isos:
            errs.append(f"{where}: country {inv['country']!r} not annotated")

    pairs = set()
    for i, par in enumerate(gold["partnerships"]):
        where = f"partnership #{i + 1}"
        need(par["evidence"], where + " evidence")
        for side in (par["a"], par["b"]):
            if not party_ok(side):
                errs.append(f"{where}: party {side!r} not an annotated org/country")
        pair = frozenset((par["a"], par["b"]))
        if pair in pairs or len(pair) != 2:
            errs.append(f"{where}: duplicate or reflexive pair {sorted(pair)}")
        pairs.add(pair)
    return errs


def check_dirs(articles_dir: Path, gold_dir: Path, verbose: bool = True) -> int:
    articles = load_articles(articles_dir)
    golds = {p.stem: p for p in sorted(gold_dir.glob("*.json"))}
    n_err = 0
    for gid in sorted(set(articles) | set(golds)):
        if gid not in golds:
            print(f"[{gid}] no gold file in {gold_dir}")
            n_err += 1
            continue
        if gid not in articles:
            print(f"[{gid}] gold file without article in {articles_dir}")
            n_err += 1
            continue
        gold = json.loads(golds[gid].read_text(encoding="utf-8"))
        errs = check_one(gid, gold, articles[gid])
        status = "OK " if not errs else "ERR"
        if verbose or errs:
            print(f"{status} {gid:<32} {gold['lang']}  {articles[gid]['words']:>3} words  "
                  f"orgs={len(gold['organizations'])} ctry={len(gold['countries'])} "
                  f"per={len(gold['persons'])} amt={len(gold['amounts'])} "
                  f"inv={len(gold['investments'])} par={len(gold['partnerships'])}")
        for e in errs:
            print("    - " + e)
        n_err += len(errs)
    return n_err


def main(argv: list[str]) -> int:
    pairs = [(Path(argv[0]), Path(argv[1]))] if len(argv) == 2 else DEFAULT_PAIRS
    total = sum(check_dirs(a, g) for a, g in pairs)
    print(f"{total} problem(s)")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
