"""Convert a public NER corpus to kg's CoNLL format, keeping the local dev sentences out.

kg's converted corpora in ``../shared/data/ner`` hold only parts of some official training
files (see that folder's README).  Fuller copies come from public GitHub snapshots; this
script turns one of their files into ``token<TAB>BIO-tag`` blocks with the labels PER / ORG /
LOC (/ MISC) and drops every sentence whose text (tokens joined by spaces) is also in one of
the ``--exclude`` files, so the dev files kg scores on stay held out.  Output goes to a
scratch folder (``--out``), never into the repository.

Formats (``--format``):

* ``uner``: Universal NER ``.iob2`` (``index<TAB>token<TAB>tag<TAB>...``, ``#`` comments).
  Only PER, ORG and LOC are kept; ``OTH`` and the stray ``O`` spans of early UNER commits
  become ``O``, as in the released UNER data.
* ``germeval``: GermEval 2014 ``.tsv`` (``index<TAB>token<TAB>outer<TAB>inner``, ``#`` source
  lines); outer level only, ``OTH`` -> MISC, ``*deriv`` / ``*part`` -> O.
* ``ler``: the German Legal Entity Recognition corpus (``token tag``, space-separated,
  fine-grained classes): persons, judges and lawyers -> PER; countries, cities, streets and
  landscapes -> LOC; organizations, companies, institutions and courts -> ORG; brands,
  laws, regulations, court decisions and literature -> O.
* ``smartdata``: the DFKI SmartData corpus, version 1 (``train.json.gz`` / ``test.json.gz``:
  documents with their text and character-offset concept mentions, no tokens).  The text is
  split into lines and sentences and tokenised with spaCy's rules for ``--lang``; companies
  and other organizations -> ORG, persons -> PER, locations, cities and streets -> LOC;
  stops, routes, dates, numbers, triggers, positions -> O; a location that starts lower-case
  (``deutschen``, ``europäischen``) is an adjective, O as in GermEval.  ``--sources`` keeps only some
  document kinds (``news``, ``tweet``, ``rss``).
* ``wikineural``: WikiNEuRal ``.conllu`` (``index<TAB>token<TAB>tag``, index dropped; PER, ORG,
  LOC and MISC kept, as in the nl/fr/es WikiNEuRal sets of ``../shared/data/ner``).
* ``conll``: ``token<TAB>tag`` as in ``../shared/data/ner`` (labels kept).

``--part head`` / ``--part tail`` keep only the first ``--head-fraction`` (default 0.9) of the
input's sentences or the rest (contiguous, counted before ``--exclude``), the way the nl/fr/es
WikiNEuRal train and dev files were cut from the upstream ``val.conllu``.

``--no-handles`` turns entities that start with a Twitter handle or hashtag (``@`` or ``#``,
as the Broad Twitter Corpus tags ``@ username``) into O: kg reads news, not handles.

Usage::

    git --git-dir /work/.mirror/UniversalNER+UNER_English-EWT/repo show 0c7ce0d:en_ewt-ud-train.iob2 \
        > /tmp/ner13/src/en_ewt-ud-train.iob2
    python training/ner/convert_public.py --format uner /tmp/ner13/src/en_ewt-ud-train.iob2 \
        --exclude ../shared/data/ner/en-uner-ewt/dev.conll --exclude ../shared/data/ner/en-wikigold/dev.conll \
        --out /tmp/ner13/data/en-uner-ewt-full.conll
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

Sentence = list[tuple[str, str]]

LER_MAP = {
    "PER": "PER",
    "RR": "PER",
    "AN": "PER",
    "LD": "LOC",
    "ST": "LOC",
    "STR": "LOC",
    "LDS": "LOC",
    "ORG": "ORG",
    "UN": "ORG",
    "INN": "ORG",
    "GRT": "ORG",
}


SMARTDATA_MAP = {
    "organization-company": "ORG",
    "organization": "ORG",
    "person": "PER",
    "location": "LOC",
    "location-city": "LOC",
    "location-street": "LOC",
}


def read_smartdata(path: Path, lang: str, sources: set[str] | None) -> Iterator[Sentence]:
    """Sentences of one SmartData v1 JSON file (concatenated documents, gzip)."""
    import gzip

    import spacy

    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        text = fh.read()
    dec = json.JSONDecoder()
    i = 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        doc_json, i = dec.raw_decode(text, i)
        if sources and (doc_json.get("refids") or {}).get("map", {}).get("source") not in sources:
            continue
        body = doc_json["text"]["string"]
        mentions = []
        for m in (doc_json.get("conceptMentions") or {}).get("array", []):
            lab = SMARTDATA_MAP.get(m["type"].lower().replace("_", "-"))
            if lab:
                mentions.append((m["span"]["start"], m["span"]["end"], lab))
        # longest first, then earlier; overlapping shorter mentions are dropped
        mentions.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
        start = 0
        for line in body.split("\n"):
            off = start
            start += len(line) + 1
            if not line.strip():
                continue
            doc = nlp(line)
            tags = ["O"] * len(doc)
            taken = [False] * len(doc)
            for s, e, lab in mentions:
                if s < off or e > off + len(line):
                    continue
                span = doc.char_span(s - off, e - off, alignment_mode="expand")
                if span is None or any(taken[span.start : span.end]):
                    continue
                if lab == "LOC" and span.text[:1].islower():
                    continue
                for k in range(span.start, span.end):
                    taken[k] = True
                    tags[k] = ("B-" if k == span.start else "I-") + lab
            for sent in doc.sents:
                toks = [(t.text, tags[t.i]) for t in sent if not t.is_space]
                if toks:
                    yield _iob2(toks)


def _label(fmt: str, tag: str) -> str:
    """The kg label of one BIO tag's type, or "" for O."""
    if tag == "O" or "-" not in tag:
        return ""
    kind = tag.split("-", 1)[1]
    if fmt == "uner":
        return kind if kind in ("PER", "ORG", "LOC") else ""
    if fmt == "germeval":
        if kind.endswith(("deriv", "part")):
            return ""
        return "MISC" if kind == "OTH" else kind
    if fmt == "ler":
        return LER_MAP.get(kind, "")
    return kind


def read(path: Path, fmt: str) -> Iterator[Sentence]:
    """Sentences of ``path`` as (token, IOB2 tag) pairs with kg's labels."""
    cur: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n").rstrip("\r")
            if fmt in ("uner", "germeval") and line.startswith("#") and not cur:
                continue
            if not line.strip():
                if cur:
                    yield _iob2(cur)
                    cur = []
                continue
            if fmt in ("uner", "germeval", "wikineural"):
                cols = line.split("\t")
                token, tag = cols[1], cols[2]
            elif fmt == "ler":
                token, _, tag = line.rpartition(" ")
            else:
                token, tag = line.split("\t")[:2]
            if not token.strip() or any(c.isspace() for c in token):
                continue
            lab = _label(fmt, tag)
            cur.append((token, f"{tag[0]}-{lab}" if lab else "O"))
    if cur:
        yield _iob2(cur)


def _iob2(sent: list[tuple[str, str]]) -> Sentence:
    """Force IOB2: an I- that does not continue its own type starts an entity."""
    out: Sentence = []
    prev = "O"
    for token, tag in sent:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append((token, tag))
        prev = tag
    return out


def drop_handles(sent: Sentence) -> Sentence:
    """Entities whose first token is (or starts with) ``@`` or ``#`` become O."""
    out: Sentence = []
    dropping = False
    for token, tag in sent:
        if tag.startswith("B-"):
            dropping = token.startswith(("@", "#"))
        elif tag == "O":
            dropping = False
        out.append((token, "O" if dropping and tag != "O" else tag))
    return out


def _part(sents: list[Sentence], part: str, fraction: float) -> list[Sentence]:
    """The first ``fraction`` of ``sents`` (``head``) or the rest (``tail``), contiguous."""
    cut = int(len(sents) * fraction)
    return sents[:cut] if part == "head" else sents[cut:]


def text_key(sent: Sentence) -> str:
    return " ".join(t for t, _ in sent)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="+", type=Path)
    ap.add_argument("--format", choices=("uner", "germeval", "ler", "smartdata", "wikineural", "conll"), required=True)
    ap.add_argument("--lang", default="de", help="tokenizer language (smartdata)")
    ap.add_argument("--sources", action="append", default=[], help="smartdata document kinds to keep")
    ap.add_argument("--exclude", type=Path, action="append", default=[], help="CoNLL file whose sentences are dropped")
    ap.add_argument("--no-handles", action="store_true", help="entities starting with @ or # become O")
    ap.add_argument("--only-with-entities", action="store_true", help="keep only sentences with an entity")
    ap.add_argument("--part", choices=("all", "head", "tail"), default="all", help="contiguous split of each input")
    ap.add_argument("--head-fraction", type=float, default=0.9, help="share of sentences in --part head")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)

    held = {text_key(s) for p in args.exclude for s in read(p, "conll")}
    kept = dropped = 0
    labels: Counter[str] = Counter()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as out:
        for path in args.inputs:
            sents = (
                read_smartdata(path, args.lang, set(args.sources))
                if args.format == "smartdata"
                else read(path, args.format)
            )
            if args.part != "all":
                sents = iter(_part(list(sents), args.part, args.head_fraction))
            for sent in sents:
                if args.no_handles:
                    sent = drop_handles(sent)
                if args.only_with_entities and all(tag == "O" for _, tag in sent):
                    continue
                if text_key(sent) in held:
                    dropped += 1
                    continue
                kept += 1
                labels.update(tag[2:] for _, tag in sent if tag.startswith("B-"))
                out.write("".join(f"{t}\t{g}\n" for t, g in sent) + "\n")
    with args.out.open(encoding="utf-8") as fh:
        tokens = sum(1 for line in fh if line.strip())
    json.dump(
        {
            "out": str(args.out),
            "sentences": kept,
            "tokens": tokens,
            "dropped_as_held_out": dropped,
            "entities": dict(sorted(labels.items())),
        },
        sys.stdout,
    )
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
