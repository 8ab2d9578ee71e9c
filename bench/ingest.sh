#!/usr/bin/env bash
# Ingest throughput on ../shared/corpora/mh-news: MB/s and pages/s at --jobs 1 and --jobs 2,
# peak memory, and the HTML5 parser alone on the same files in the same run (the ratio is what
# matters on a noisy machine). Usage: bench/ingest.sh [CORPUS_DIR] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpora/mh-news}
repeats=${2:-3}
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }

cargo build --release -q -p newsloom-cli
cargo build --release -q -p newsloom-ingest --example parse_only
bin=target/release/newsloom
ref=target/release/examples/parse_only

bytes=$(find -L "$corpus" -type f \( -name '*.md' -o -name '*.html' -o -name '*.txt' \) -printf '%s\n' | awk '{s+=$1} END {print s}')
pages=$(find -L "$corpus" -type f \( -name '*.md' -o -name '*.html' -o -name '*.txt' \) | wc -l)
cat "$bin" > /dev/null; find -L "$corpus" -type f -exec cat {} + > /dev/null   # warm the page cache

best() { sort -n | head -1; }
echo "corpus: $corpus  ($pages files, $(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1e6}') MB), best of $repeats"
printf '%-28s %10s %10s %10s %12s\n' "run" "seconds" "MB/s" "pages/s" "peak RSS MB"
declare -A secs
for jobs in 1 2; do
  runs=()
  for _ in $(seq "$repeats"); do
    /usr/bin/time -f '%e %M' -o /tmp/newsloom-bench.time "$bin" -q ingest "$corpus" -o /dev/null --jobs "$jobs" || true
    runs+=("$(cat /tmp/newsloom-bench.time)")
  done
  line=$(printf '%s\n' "${runs[@]}" | sort -n | head -1)
  s=${line% *}; rss=${line#* }
  secs[$jobs]=$s
  awk -v s="$s" -v b="$bytes" -v p="$pages" -v r="$rss" -v j="$jobs" 'BEGIN{printf "%-28s %10.2f %10.1f %10.0f %12.1f\n", "newsloom ingest --jobs " j, s, b/1e6/s, p/s, r/1024}'
done
ref_runs=()
for _ in $(seq "$repeats"); do ref_runs+=("$("$ref" "$corpus")"); done
ref_line=$(printf '%s\n' "${ref_runs[@]}" | python3 -c 'import sys,json; r=[json.loads(l) for l in sys.stdin]; b=min(r,key=lambda x:x["seconds"]); print(b["seconds"])')
awk -v s="$ref_line" -v b="$bytes" -v p="$pages" 'BEGIN{printf "%-28s %10.2f %10.1f %10.0f %12s\n", "html5ever parse only (1 core)", s, b/1e6/s, p/s, "-"}'
awk -v a="${secs[1]}" -v c="${secs[2]}" -v r="$ref_line" 'BEGIN{printf "ratios: ingest/parse-only speed = %.2f; --jobs 2 speed-up = %.2fx\n", r/a, a/c}'
