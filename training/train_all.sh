#!/usr/bin/env bash
# Retrain kg's shipped NER pipelines, one language at a time on one thread.
#
#   training/train_all.sh            # every shipped language (nl id de es)
#   training/train_all.sh nl de      # only these
#   training/train_all.sh en fr      # the two models kg trains but does not ship (written to build/models/):
#                                    # en_core_web_sm and fr_core_news_sm beat them for kg (see their cards)
#
# Data: the converted public corpora in $KG_NER_DATA (default ../shared/data/ner,
# beside the repository). They are read from there and never copied into the repo.
# Each run writes kg/models/<lang>_kg_ner and copies the language's model card
# into it; update the card's numbers from the printed scores afterwards.
# The overrides below are the ones the shipped models were trained with (the
# exact resolved config is also saved as kg/models/<lang>_kg_ner/config.cfg).
set -euo pipefail
cd "$(dirname "$0")/.."
D=${KG_NER_DATA:-../shared/data/ner}
PY=${PYTHON:-python}
SMALL_ROWS='components.ner.model.tok2vec.embed.rows=[5000,1000,2500,2500]'

train() {
    local lang=$1
    shift
    echo "== $lang $(date +%T)"
    local dest=kg/models
    case $lang in en|fr) dest=build/models ;; esac
    "$PY" -m kg.train --lang "$lang" --out "$dest/${lang}_kg_ner" --meta "training/meta/$lang.json" "$@"
    cp "training/cards/$lang.md" "$dest/${lang}_kg_ner/README.md"
}

for lang in "${@:-nl id de es}"; do
    for one in $lang; do
        case $one in
        nl)  # CoNLL-2002 counted twice so the news data outweighs the silver Wikipedia data
            train nl --train "$D/nl-conll2002/train.conll" --train "$D/nl-conll2002/train.conll" \
                --train "$D/nl-wikineural/train.conll" --dev "$D/nl-conll2002/dev.conll" --set "$SMALL_ROWS" ;;
        id)
            train id --train "$D/id-idner2k/train.conll" --dev "$D/id-idner2k/dev.conll" \
                --max-steps 8000 --set training.dropout=0.15 --set "$SMALL_ROWS" ;;
        en)  # UNER has no MISC class: WikiGold's MISC becomes O so the two agree
            train en --train "$D/en-uner-ewt/train.conll" --train "$D/en-wikigold/train.conll" \
                --dev "$D/en-uner-ewt/dev.conll" --dev "$D/en-wikigold/dev.conll" --drop-label MISC ;;
        de)
            train de --train "$D/de-germeval2014/train.conll" --dev "$D/de-germeval2014/dev.conll" ;;
        es)
            train es --train "$D/es-conll2002/train.conll" --dev "$D/es-conll2002/dev.conll" ;;
        fr)  # 4,000 steps keep the run within about 15 minutes on one thread
            train fr --train "$D/fr-wikineural/train.conll" --dev "$D/fr-wikineural/dev.conll" --max-steps 4000 ;;
        *) echo "unknown language: $one" >&2; exit 2 ;;
        esac
    done
done
