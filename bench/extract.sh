#!/usr/bin/env bash
# Side-by-side HTML article extraction benchmark on the labelled dev set
# (tests/fixtures/html): newsloom vs trafilatura, readability-lxml and GNE.
#
# Creates bench/.venv (git-ignored), installs the peers from PyPI, runs every extractor on the
# same pages, and prints body shingle F1 / precision / recall, pages/s, published-time and
# title accuracy per system (one scorer, bench/score.py, for all of them).
#
# Usage: bench/extract.sh [REPEATS]   (default 3; each system runs the dev set REPEATS times)
set -euo pipefail
cd "$(dirname "$0")/.."
REPEATS="${1:-3}"
DEVSET=tests/fixtures/html
OUT=bench/out
mkdir -p "$OUT"

if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
fi
# readability-lxml needs lxml's html cleaner, split out of lxml 5.2+ as lxml_html_clean.
if ! bench/.venv/bin/python -c 'import trafilatura, readability, gne, lxml_html_clean' 2>/dev/null; then
  bench/.venv/bin/pip install -q --upgrade pip
  bench/.venv/bin/pip install -q lxml lxml_html_clean
  bench/.venv/bin/pip install -q trafilatura readability-lxml gne
fi

cargo build -q --release -p newsloom-extract --example score_devset
target/release/examples/score_devset "$DEVSET" "$OUT/out-newsloom.json" "$REPEATS"
bench/.venv/bin/python bench/peers.py "$DEVSET" "$OUT" "$REPEATS"
echo
bench/.venv/bin/python bench/score.py "$DEVSET" "$OUT/out-newsloom.json" "$OUT/out-trafilatura.json" \
  "$OUT/out-readability.json" "$OUT/out-gne.json"
