# Where the public-corpus scripts read and write; sourced by prepare_extra.sh and prepare_wikineural.sh
# (from the repository root). Each can be set in the environment:
#   KG_MIRRORS    git snapshots of the source repositories (default /work/.mirror)
#   KG_NER_EXTRA  converted corpora, never inside the repository (default /tmp/kg-ner-extra)
#   KG_NER_DATA   the corpora beside the repository (default ../shared/data/ner)
#   PYTHON        the interpreter with kg installed (default python)
M=${KG_MIRRORS:-/work/.mirror}
X=${KG_NER_EXTRA:-/tmp/kg-ner-extra}
D=${KG_NER_DATA:-../shared/data/ner}
PY=${PYTHON:-python}
mkdir -p "$X/src"
