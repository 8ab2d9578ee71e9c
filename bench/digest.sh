#!/usr/bin/env bash
# The main job at scale: `newsloom digest` of all of ../shared/corpora/agora-pen-2411 into a new
# store (cold), then again (warm: every document unchanged), at --jobs 2. Reports wall time,
# articles/s and peak memory, and the warm/cold ratio. Usage: bench/digest.sh [CORPUS] [JOBS]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpora/agora-pen-2411}
jobs=${2:-2}
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }
cargo build --release -q -p newsloom-cli
bin=$PWD/target/release/newsloom
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
find -L "$corpus" -type f -exec cat {} + > /dev/null   # warm the page cache: we measure newsloom, not the disk

run() { # label
  /usr/bin/time -f '%e %M' -o "$work/time" "$bin" -v digest "$corpus" --db "$work/agora.db" --jobs "$jobs" --show 0 2> "$work/log" || true
  read -r secs rss < "$work/time"
  articles=$(grep -o '[0-9]* new and' "$work/log" | grep -o '^[0-9]*' || echo 0)
  parsed=$(grep -o 'parsed [0-9]* documents' "$work/log" | grep -o '[0-9]*' || echo 0)
  printf '%-6s %8.2f s %8d parsed %8d new articles %10.0f articles/s %8.1f MB peak\n' "$1" "$secs" "$parsed" "$articles" \
    "$(awk -v a="$articles" -v s="$secs" 'BEGIN{print (a>0? a/s : 0)}')" "$(awk -v r="$rss" 'BEGIN{print r/1024}')"
  grep -E 'phase done|analyzed|clustered|clusters stored' "$work/log" | sed -E 's/\x1b\[[0-9;]*m//g; s/^.*INFO [a-z_]+: /       /'
  eval "$2=$secs"
}
echo "digest of $corpus at --jobs $jobs"
run cold cold
run warm warm
awk -v c="$cold" -v w="$warm" 'BEGIN{printf "warm/cold = %.1f%%  (target: cold <= 20 s, warm <= 10%% of cold)\n", 100*w/c}'
ls -l "$work/agora.db" | awk '{printf "store size: %.1f MB\n", $5/1e6}'
