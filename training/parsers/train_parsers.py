#!/usr/bin/env python
"""Train, score and ship kg's compact UD dependency parsers.

One command per step, or ``all`` for every step of one or more languages:

    python training/parsers/train_parsers.py all nl de id es it pt en
    python training/parsers/train_parsers.py prepare nl     # split + convert only
    python training/parsers/train_parsers.py train nl       # spacy train
    python training/parsers/train_parsers.py evaluate nl    # held-out LAS/UAS
    python training/parsers/train_parsers.py ship nl        # -> kg/models/nl_kg_parser
    python training/parsers/train_parsers.py card nl        # -> training/cards/parser_nl.md

The treebanks are read from ``$KG_UD_DATA`` (default ``../shared/data/ud``
next to the repository) and never copied into it; every intermediate file
lives under ``$KG_PARSER_WORK`` (default ``/tmp/parsers``).

Split: the data holds mostly the dev and test files of each treebank, so all
files of a treebank are pooled and every sentence is assigned by a seeded
hash of (treebank, file, sentence id): 15% held out for the reported scores,
10% dev (picks the best checkpoint), 75% train.  The assignment depends on
nothing but the seed, so it is the same on every machine and run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from kg.nlp.parsers import parse_with  # noqa: E402

CONFIG = Path(__file__).resolve().parent / "parser_cnn.cfg"
DATA = Path(os.environ.get("KG_UD_DATA", REPO.parent / "shared" / "data" / "ud"))
WORK = Path(os.environ.get("KG_PARSER_WORK", "/tmp/parsers"))
MODELS = REPO / "kg" / "models"
CARDS = REPO / "training" / "cards"
SEED = 0
HELD_OUT = 0.15
DEV = 0.10
ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


@dataclass(frozen=True)
class Recipe:
    """The treebanks of one language and its training budget."""

    name: str
    treebanks: tuple[str, ...]
    max_steps: int
    licence: str
    non_commercial: bool = False


BY_SA = "CC BY-SA 4.0"
RECIPES: dict[str, Recipe] = {
    "nl": Recipe("Dutch", ("UD_Dutch-Alpino", "UD_Dutch-LassySmall"), 3000, BY_SA),
    "de": Recipe("German", ("UD_German-GSD",), 3000, BY_SA),
    "id": Recipe("Indonesian", ("UD_Indonesian-GSD", "UD_Indonesian-CSUI"), 3000, BY_SA),
    "es": Recipe("Spanish", ("UD_Spanish-GSD",), 3000, BY_SA),
    "it": Recipe("Italian", ("UD_Italian-ISDT",), 3000, "CC BY-NC-SA 3.0", non_commercial=True),
    "pt": Recipe("Portuguese", ("UD_Portuguese-Bosque",), 3000, BY_SA),
    "en": Recipe("English", ("UD_English-EWT",), 3000, BY_SA),
}


def commits() -> dict[str, str]:
    """Treebank folder -> UD repository commit, from the data's COMMITS.txt."""
    out = {}
    for line in (DATA / "COMMITS.txt").read_text(encoding="utf-8").splitlines():
        if line.strip():
            name, commit = line.split()
            out[name] = commit
    return out


def read_sentences(path: Path) -> list[list[str]]:
    """The sentences of a CoNLL-U file, each as its lines (comments included)."""
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            current.append(line)
        elif current:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return sentences


def sentence_id(lines: list[str], fallback: int) -> str:
    for line in lines:
        if line.startswith("# sent_id"):
            return line.split("=", 1)[1].strip()
    return f"#{fallback}"


def portion(key: str, seed: int = SEED) -> str:
    """'heldout', 'dev' or 'train' for one sentence key, from a seeded hash."""
    digest = hashlib.sha1(f"{seed}:{key}".encode()).hexdigest()
    x = int(digest[:12], 16) / float(16**12)
    if x < HELD_OUT:
        return "heldout"
    if x < HELD_OUT + DEV:
        return "dev"
    return "train"


def work_dir(lang: str) -> Path:
    return WORK / lang


def prepare(lang: str) -> dict[str, Any]:
    """Split the treebanks of ``lang`` and convert each part to a spaCy DocBin."""
    recipe = RECIPES[lang]
    work = work_dir(lang)
    work.mkdir(parents=True, exist_ok=True)
    parts: dict[str, list[str]] = {"train": [], "dev": [], "heldout": []}
    stats: dict[str, Any] = {}
    for treebank in recipe.treebanks:
        counts = {"train": [0, 0], "dev": [0, 0], "heldout": [0, 0]}
        for path in sorted((DATA / treebank).glob("*.conllu")):
            for n, lines in enumerate(read_sentences(path)):
                part = portion(f"{treebank}:{path.name}:{sentence_id(lines, n)}")
                parts[part].append("\n".join(lines) + "\n")
                words = sum(1 for line in lines if line.split("\t", 1)[0].isdigit())
                counts[part][0] += 1
                counts[part][1] += words
        stats[treebank] = {k: {"sentences": v[0], "words": v[1]} for k, v in counts.items()}
    for part, sentences in parts.items():
        conllu = work / f"{part}.conllu"
        conllu.write_text("\n".join(sentences), encoding="utf-8")
        # -n 10 groups ten sentences per doc; -T merges multi-word tokens
        # ("del" = de + el) into their surface form, which is what kg's
        # tokenizer produces.
        convert = ["spacy", "convert", str(conllu), str(work), "--converter", "conllu", "-n", "10", "-T"]
        run([sys.executable, "-m", *convert])
    (work / "split.json").write_text(json.dumps(stats, indent=2), encoding="utf-8")
    return stats


def run(cmd: list[str], log: Path | None = None, timeout: float | None = None) -> None:
    env = {**os.environ, **ONE_THREAD}
    print("+", " ".join(cmd), flush=True)
    if log is None:
        subprocess.run(cmd, check=True, env=env)
        return
    with log.open("w", encoding="utf-8") as out:
        subprocess.run(cmd, check=True, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout)


def train_command(lang: str, max_steps: int | None = None) -> list[str]:
    work = work_dir(lang)
    steps = max_steps or RECIPES[lang].max_steps
    return [
        sys.executable, "-m", "spacy", "train", str(CONFIG),
        "--output", str(work / "out"),
        "--paths.train", str(work / "train.spacy"),
        "--paths.dev", str(work / "dev.spacy"),
        "--nlp.lang", lang,
        "--system.seed", str(SEED),
        "--training.max_steps", str(steps),
    ]  # fmt: skip


def train(lang: str, max_steps: int | None = None, timeout: float = 900) -> float:
    """Run ``spacy train`` on one thread; returns the wall time in seconds.

    ``max_steps`` is the budget (deterministic); ``timeout`` is only a guard.
    """
    start = time.perf_counter()
    run(train_command(lang, max_steps), log=work_dir(lang) / "train.log", timeout=timeout)
    seconds = time.perf_counter() - start
    (work_dir(lang) / "train_time.json").write_text(json.dumps({"seconds": seconds}), encoding="utf-8")
    return seconds


def gold_sentences(path: Path) -> list[tuple[list[str], list[bool], list[int], list[str]]]:
    """(words, spaces, heads, relations) of every sentence of a converted DocBin."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("xx")
    out = []
    for doc in DocBin().from_disk(path).get_docs(nlp.vocab):
        for sent in doc.sents:
            words = [t.text for t in sent]
            spaces = [bool(t.whitespace_) for t in sent]
            heads = [t.head.i - sent.start for t in sent]
            deps = ["root" if t.head.i == t.i else t.dep_.lower() for t in sent]
            out.append((words, spaces, heads, deps))
    return out


def score(model: Path, path: Path) -> dict[str, Any]:
    """LAS/UAS of ``model`` on the gold-tokenised sentences of ``path``.

    Each sentence is parsed on its gold tokens, exactly as ``parse_words``
    parses kg's tokens.  LAS compares the full relation (with subtype);
    ``*_no_punct`` leave out tokens whose gold relation is ``punct``.
    """
    import spacy

    nlp = spacy.load(model)
    total = uas = las = total_np = uas_np = las_np = 0
    per_label: dict[str, list[int]] = {}
    sentences = gold_sentences(path)
    for words, spaces, heads, deps in sentences:
        predicted = parse_with(nlp, words, spaces)
        for (ph, pd), gh, gd in zip(predicted, heads, deps, strict=True):
            head_ok = ph == gh
            label_ok = head_ok and pd == gd
            total += 1
            uas += head_ok
            las += label_ok
            if gd != "punct":
                total_np += 1
                uas_np += head_ok
                las_np += label_ok
            counts = per_label.setdefault(gd, [0, 0])
            counts[0] += 1
            counts[1] += label_ok
    return {
        "sentences": len(sentences),
        "words": total,
        "las": 100 * las / total,
        "uas": 100 * uas / total,
        "las_no_punct": 100 * las_np / total_np,
        "uas_no_punct": 100 * uas_np / total_np,
        "label_recall": {k: {"n": v[0], "las": 100 * v[1] / v[0]} for k, v in sorted(per_label.items())},
    }


def evaluate(lang: str) -> dict[str, Any]:
    work = work_dir(lang)
    model = work / "out" / "model-best"
    result = {"heldout": score(model, work / "heldout.spacy"), "dev": score(model, work / "dev.spacy")}
    (work / "scores.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    h = result["heldout"]
    print(f"{lang}: held-out LAS {h['las']:.1f} UAS {h['uas']:.1f} ({h['sentences']} sentences, {h['words']} words)")
    return result


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def prune_strings(nlp: Any, out: Path, sentences: list[tuple[list[str], list[bool], list[int], list[str]]]) -> None:
    """Keep only the relation labels in the saved string store, if that changes no parse.

    The store written by ``to_disk`` lists every training word, which the
    hashed embeddings never read (they hash each token's own text), so it is
    only disk weight.  The pruned copy is reloaded and must give the same arcs
    as the full one on every held-out sentence; otherwise the full store stays.
    """
    import spacy

    strings = out / "vocab" / "strings.json"
    full = strings.read_text(encoding="utf-8")
    labels = sorted({*nlp.get_pipe("parser").labels, "ROOT", "root", "dep"})
    strings.write_text(json.dumps(labels), encoding="utf-8")
    pruned = spacy.load(out)
    if any(parse_with(nlp, w, s) != parse_with(pruned, w, s) for w, s, _, _ in sentences):
        strings.write_text(full, encoding="utf-8")
        print("pruned string store changes parses; kept the full one")


def ship(lang: str) -> Path:
    """Write the best checkpoint, lean, to ``kg/models/<lang>_kg_parser``."""
    import spacy

    recipe = RECIPES[lang]
    work = work_dir(lang)
    nlp = spacy.load(work / "out" / "model-best")
    for key in ("train", "dev"):
        nlp.config["paths"][key] = None
    scores = json.loads((work / "scores.json").read_text(encoding="utf-8"))["heldout"]
    shas = commits()
    nlp.meta.update(
        {
            "name": "kg_parser",
            "version": "1.0.0",
            "description": f"kg's compact CNN dependency parser for {recipe.name} (Universal Dependencies relations). "
            + "Derived from UD treebanks: see the model card (README.md).",
            "license": recipe.licence + (" (non-commercial use only)" if recipe.non_commercial else ""),
            "sources": [
                {
                    "name": tb.replace("_", " ").replace("UD ", "UD "),
                    "url": f"https://github.com/UniversalDependencies/{tb}/tree/{shas[tb]}",
                    "license": recipe.licence,
                }
                for tb in recipe.treebanks
            ],
            "performance": {"heldout_las": round(scores["las"], 2), "heldout_uas": round(scores["uas"], 2)},
            "trained": time.strftime("%Y-%m-%d"),
        }
    )
    out = MODELS / f"{lang}_kg_parser"
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)
    prune_strings(nlp, out, gold_sentences(work / "heldout.spacy"))
    card = CARDS / f"parser_{lang}.md"
    if card.is_file():
        shutil.copy(card, out / "README.md")
    print(f"{lang}: shipped {out} ({dir_size(out) / 1e6:.1f} MB)")
    return out


NOTES = {
    "nl": "Dutch word order lets subject and object swap places; with a number phrase after the verb "
    "(`Microsoft investeert twee miljard euro ...`) the parser can take the number phrase for the subject "
    "and the sentence-initial name for an adverbial. Cross-check `nsubj` with the trigger's expected subject.",
    "it": "Italian has the smallest training set (784 sentences): a present-tense verb right after its subject "
    "(`Il governo investe ...`) is sometimes taken for an adjective or a noun modifier, losing the clause; "
    "check `nsubj`/`obj` before relying on them.",
}


def card(lang: str, speed_file: Path | None = None) -> Path:
    """Write ``training/cards/parser_<lang>.md`` from the split, scores and speed."""
    recipe = RECIPES[lang]
    work = work_dir(lang)
    split = json.loads((work / "split.json").read_text(encoding="utf-8"))
    scores = json.loads((work / "scores.json").read_text(encoding="utf-8"))
    train_time = json.loads((work / "train_time.json").read_text(encoding="utf-8"))["seconds"]
    speed_file = speed_file or WORK / "speed.json"
    speed = json.loads(speed_file.read_text(encoding="utf-8")).get(lang) if speed_file.is_file() else None
    shas = commits()
    model = MODELS / f"{lang}_kg_parser"
    size = dir_size(model) / 1e6 if model.is_dir() else float("nan")
    h, d = scores["heldout"], scores["dev"]
    lines = [f"# kg_parser — {recipe.name} ({lang}) dependency parser", ""]
    if recipe.non_commercial:
        lines += [
            f"> **Non-commercial use only.** This model is trained on {recipe.treebanks[0]}, licensed "
            "CC BY-NC-SA 3.0; the model is derived from it and carries the same terms: no commercial use, "
            "attribution, share-alike.",
            "",
        ]
    lines += [
        f"Shipped as `kg/models/{lang}_kg_parser/` and loaded by `kg.nlp.parsers.load_parser({lang!r})`. "
        "A spaCy pipeline with a single `parser` component (its own hashed-embedding CNN tok2vec, width 96, "
        "depth 4; arc-eager parser, hidden width 64) predicting Universal Dependencies heads and relations, "
        "subtypes included (`nsubj:pass`, `obl:agent` ...). It parses kg's own tokens one sentence at a time.",
        "",
        "## Data",
        "",
        "| treebank | UD commit | train sentences (words) | dev sentences | held-out sentences (words) |",
        "|---|---|---:|---:|---:|",
    ]
    for tb in recipe.treebanks:
        s = split[tb]
        lines.append(
            f"| {tb} | `{shas[tb]}` | {s['train']['sentences']:,} ({s['train']['words']:,}) | "
            f"{s['dev']['sentences']:,} | {s['heldout']['sentences']:,} ({s['heldout']['words']:,}) |"
        )
    lines += [
        "",
        "The available files of each treebank (mostly its official dev and test files; see "
        "`../shared/data/ud/README.md`) are pooled and every sentence is assigned by a seeded hash of "
        "(treebank, file name, sentence id), seed 0: 15% held out, 10% dev (chooses the best checkpoint), "
        "75% train. Multi-word tokens are merged into their surface form (`-T`), ten sentences make one "
        "training document (`-n 10`). The held-out slice was used for nothing but the scores below. "
        "Sentences of one document can fall on both sides of the split.",
        "",
        "## Licence",
        "",
        f"The treebank{'s are' if len(recipe.treebanks) > 1 else ' is'} licensed **{recipe.licence}**"
        + (" (**non-commercial**)" if recipe.non_commercial else "")
        + ". The shipped model is derived from "
        + ("them" if len(recipe.treebanks) > 1 else "it")
        + " and is distributed under the same licence, with attribution to the treebank authors "
        "(see each treebank's README and LICENSE.txt in `../shared/data/ud/`).",
        "",
        "## Scores (held-out slice)",
        "",
        "Gold tokens, one sentence per call, exactly as `parse_words` runs. LAS counts the full relation "
        "with its subtype; punctuation is included unless stated.",
        "",
        "| slice | sentences | words | LAS | UAS | LAS w/o punct | UAS w/o punct |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| held out | {h['sentences']:,} | {h['words']:,} | {h['las']:.1f} | {h['uas']:.1f} | "
        f"{h['las_no_punct']:.1f} | {h['uas_no_punct']:.1f} |",
        f"| dev (model selection) | {d['sentences']:,} | {d['words']:,} | {d['las']:.1f} | {d['uas']:.1f} | "
        f"{d['las_no_punct']:.1f} | {d['uas_no_punct']:.1f} |",
        "",
        "The split table counts syntactic words; the scores count tokens after multi-word tokens are merged "
        "(`del` = one token), so the numbers differ for languages with contractions.",
        "",
        "Held-out LAS of the relations the fact extractor reads:",
        "",
        "| relation | held-out tokens | LAS |",
        "|---|---:|---:|",
    ]
    for label in ("nsubj", "obj", "obl", "nmod", "conj", "appos", "nsubj:pass", "aux:pass", "case", "mark", "nummod"):
        r = h["label_recall"].get(label)
        if r:
            lines.append(f"| {label} | {r['n']:,} | {r['las']:.1f} |")
    lines += [
        "",
        "## Limits",
        "",
        "Trained on a few thousand sentences at most, with no part-of-speech tagger and no pretrained vectors: "
        "expect errors on coordination (`conj`), apposition and long-distance attachments, and on words never "
        "seen in training." + (" " + NOTES[lang] if lang in NOTES else ""),
        "",
        "## Size and speed",
        "",
        f"- Size on disk: {size:.1f} MB.",
    ]
    if speed:
        lines.append(
            f"- Speed: {speed['words_per_s']:,.0f} words/s on one core (`parse_many`, batches of 64, "
            f"{speed['sentences']:,} held-out sentences, best of {speed['repeats']}; `bench/parser_speed.py`)."
        )
    lines += [
        f"- Training: {train_time / 60:.1f} min on one thread, max {recipe.max_steps:,} steps.",
        "",
        "## Reproduce",
        "",
        "```sh",
        "export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1",
        f".venv/bin/python training/parsers/train_parsers.py all {lang}",
        f".venv/bin/python bench/parser_speed.py --json /tmp/parsers/speed.json {lang}",
        f".venv/bin/python training/parsers/train_parsers.py card {lang}   # also copied into the model directory",
        "```",
        "",
        "`all` runs: the split and `spacy convert --converter conllu -n 10 -T`, then",
        "",
        "```sh",
        " ".join(
            ["python -m spacy train training/parsers/parser_cnn.cfg"] + [a for a in train_command(lang)[5:]]
        ).replace(str(WORK), "/tmp/parsers"),
        "```",
        "",
        "then the held-out scoring and the copy into `kg/models/`.",
        "",
    ]
    CARDS.mkdir(parents=True, exist_ok=True)
    path = CARDS / f"parser_{lang}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    if model.is_dir():
        shutil.copy(path, model / "README.md")
    print(f"{lang}: wrote {path}")
    return path


def summary(langs: list[str], speed_file: Path | None = None) -> Path:
    """Write ``training/parsers/README_SECTION.md``: a paragraph and table for the top-level README."""
    speed_file = speed_file or WORK / "speed.json"
    speeds = json.loads(speed_file.read_text(encoding="utf-8")) if speed_file.is_file() else {}
    shas = commits()
    rows = []
    for lang in langs:
        recipe = RECIPES[lang]
        h = json.loads((work_dir(lang) / "scores.json").read_text(encoding="utf-8"))["heldout"]
        size = dir_size(MODELS / f"{lang}_kg_parser") / 1e6
        wps = speeds.get(lang, {}).get("words_per_s")
        treebanks = " + ".join(f"{tb.removeprefix('UD_')} (`{shas[tb][:7]}`)" for tb in recipe.treebanks)
        licence = recipe.licence + (" — **non-commercial**" if recipe.non_commercial else "")
        rows.append(
            f"| {lang} | {treebanks} | {h['las']:.1f} / {h['uas']:.1f} | {h['sentences']:,} | {size:.1f} MB | "
            f"{wps:,.0f} | {licence} |"
            if wps
            else f"| {lang} | {treebanks} | {h['las']:.1f} / {h['uas']:.1f} | {h['sentences']:,} | {size:.1f} MB | - | "
            f"{licence} |"
        )
    text = "\n".join(
        [
            "## Dependency parsers",
            "",
            "The fact extractor reads Universal Dependencies relations (`nsubj`, `obj`, `obl`, `nsubj:pass` ...). "
            "French gets them from `fr_core_news_sm`; for the other seven languages kg ships compact CNN parsers "
            "trained from UD treebanks as package data (`kg/models/<lang>_kg_parser/`, one `parser` component, "
            "about 6 MB each), used through `kg.nlp.parsers.parse_words` / `parse_many` on kg's own tokens, one "
            "sentence at a time. English has one too because `en_core_web_sm` labels arcs in the ClearNLP scheme. "
            "Only the dev and test files of most treebanks were available, so each language trains on 75% of "
            "their sentences and is scored on a seeded 15% held out (gold tokens, punctuation counted, full "
            "relation with subtype). Recipe: `training/parsers/` (see `training/README.md`); cards: "
            "`training/cards/parser_<lang>.md`; speed: `python bench/parser_speed.py` (one core).",
            "",
            "| language | treebank (UD commit) | held-out LAS / UAS | held-out sentences | size | words/s (1 core) "
            "| licence |",
            "|---|---|---:|---:|---:|---:|---|",
            *rows,
            "",
            "The models are derived from the treebanks and carry their licences (share-alike, attribution). "
            "**The Italian parser is trained on ISDT (CC BY-NC-SA 3.0) and must not be used commercially.**",
            "",
        ]
    )
    path = Path(__file__).resolve().parent / "README_SECTION.md"
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["all", "prepare", "train", "evaluate", "ship", "card", "summary"])
    parser.add_argument("langs", nargs="*", default=list(RECIPES))
    parser.add_argument("--max-steps", type=int, default=None, help="override the recipe's step budget")
    args = parser.parse_args(argv)
    if args.step == "summary":
        summary(args.langs or list(RECIPES))
        return 0
    for lang in args.langs or list(RECIPES):
        if lang not in RECIPES:
            parser.error(f"no recipe for {lang!r}; known: {', '.join(RECIPES)}")
        if args.step in ("all", "prepare"):
            prepare(lang)
        if args.step in ("all", "train"):
            train(lang, args.max_steps)
        if args.step in ("all", "evaluate"):
            evaluate(lang)
        if args.step in ("all", "ship"):
            ship(lang)
        if args.step == "card":
            card(lang)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
