#!/usr/bin/env bash
# Static site benchmark (issue 7): the site of all of agora-pen-2411.
#
#  1. `newsloom digest` of the corpus into bench/out/site/agora.db (once; reused on later runs,
#     delete it to redo).
#  2. `newsloom site` from that store into bench/out/site/site (removed first): wall time, peak
#     memory (/usr/bin/time -v), size on disk, number of files, stories and articles.
#
# Usage: bench/site.sh [CORPUS]   (NEWSLOOM_BIN=target/release/newsloom to skip the build)
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS="${1:-../shared/corpora/agora-pen-2411}"
OUT=bench/out/site
mkdir -p "$OUT"

# NEWSLOOM_BIN=path uses an already built binary instead of building one.
BIN="${NEWSLOOM_BIN:-}"
if [ -z "$BIN" ]; then
  cargo build -q --release -p newsloom-cli
  BIN=target/release/newsloom
fi
DB="$OUT/agora.db"

if [ ! -f "$DB" ]; then
  echo "== digest $CORPUS"
  /usr/bin/time -v "$BIN" -q digest "$CORPUS" --db "$DB" >/dev/null 2>"$OUT/digest.err" \
    || { tail -5 "$OUT/digest.err"; exit 1; }
  grep -E 'Elapsed|Maximum resident' "$OUT/digest.err"
fi

echo "== site"
rm -rf "$OUT/site"
/usr/bin/time -v "$BIN" site --db "$DB" -o "$OUT/site" 2>"$OUT/site.err" \
  || { tail -5 "$OUT/site.err"; exit 1; }
grep -E '^wrote' "$OUT/site.err"
wall=$(grep 'Elapsed (wall clock)' "$OUT/site.err" | awk '{print $NF}')
rss=$(grep 'Maximum resident' "$OUT/site.err" | awk '{print $NF}')
bytes=$(du -sb "$OUT/site" | cut -f1)
files=$(find "$OUT/site" -type f | wc -l)
stories=$(find "$OUT/site/stories" -name '*.html' | wc -l)
articles=$(find "$OUT/site/articles" -name '*.html' | wc -l)
largest=$(find "$OUT/site/stories" -name '*.html' -printf '%s %p\n' | sort -n | tail -1)
echo "site: wall=$wall peak_rss_kb=$rss size_bytes=$bytes ($((bytes / 1048576)) MiB) files=$files stories=$stories articles=$articles"
echo "largest story page: $largest"
