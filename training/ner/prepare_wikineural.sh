#!/usr/bin/env bash
# WikiNEuRal Italian, Portuguese, English and German (issue 13) converted into $KG_NER_EXTRA (default
# /tmp/kg-ner-extra) as <lang>-wikineural/{train,dev,test}.conll (it, pt, en, de), never into
# the repository.  Reads a git snapshot of github.com/Babelscape/wikineural
# ($KG_MIRRORS/Babelscape+wikineural/repo, default /work/.mirror; any clone works) at the commit
# below, the same commit the nl/fr/es WikiNEuRal sets of ../shared/data/ner come from.
#
#   training/ner/prepare_wikineural.sh     # (prepare_extra.sh runs it too) then train_all.sh it pt
#                                          # (en-wikineural de-wikineural: run prepare_extra.sh, they need its sets too)
#
# The upstream train.conllu files are large-file pointers in the snapshot, so, as for nl/fr/es:
# upstream val.conllu -> first 90% of its sentences = train, last 10% = dev (contiguous);
# upstream test.conllu -> test (held out: only the reported public scores use it).
# Layout index<TAB>token<TAB>tag, index dropped; PER, ORG, LOC and MISC kept.
# Licence: CC BY-NC-SA 4.0 (repository LICENSE), silver data (Wikipedia, BabelNet + mBERT):
# models trained on it must not be used commercially.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=training/ner/paths.sh
. training/ner/paths.sh
WN=$M/Babelscape+wikineural/repo                  # github.com/Babelscape/wikineural
COMMIT=d2e28c770cba2b285e742529ae18ed849e336c65

for lang in it pt en de; do
    # en and de train with the local public dev files: any train sentence also in one is dropped
    # (the head/tail split is taken before that, so it matches the other languages')
    held=()
    case $lang in
    en) held=(--exclude "$D/en-uner-ewt/dev.conll" --exclude "$D/en-wikigold/dev.conll") ;;
    de) held=(--exclude "$D/de-germeval2014/dev.conll") ;;
    esac
    for f in val test; do
        git --git-dir "$WN" show "$COMMIT:data/wikineural/$lang/$f.conllu" >"$X/src/wikineural-$lang-$f.conllu"
    done
    mkdir -p "$X/$lang-wikineural"
    "$PY" training/ner/convert_public.py --format wikineural --part head "$X/src/wikineural-$lang-val.conllu" \
        ${held[@]+"${held[@]}"} --out "$X/$lang-wikineural/train.conll"
    "$PY" training/ner/convert_public.py --format wikineural --part tail "$X/src/wikineural-$lang-val.conllu" \
        --out "$X/$lang-wikineural/dev.conll"
    "$PY" training/ner/convert_public.py --format wikineural "$X/src/wikineural-$lang-test.conllu" \
        --out "$X/$lang-wikineural/test.conll"
done
