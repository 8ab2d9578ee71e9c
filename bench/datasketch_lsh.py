"""datasketch MinHash LSH on the documents newsloom's benchmark exported, same protocol.

Reads OUT/docs.jsonl (matching-form texts in stream order, with truth groups) and
OUT/params.json (newsloom's permutations (a, b), shingle length, bands x rows, threshold).
For each document in order: character shingles (whitespace removed, same k), MinHash with
the *same permutations* ("legacy" scheme, newsloom's permutation family), LSH query with the
same bands x rows, verify candidates by estimated Jaccard >= threshold, take the most similar
(ties: the earliest document), insert. Prints one JSON line.

--hash newsloom (default): datasketch gets newsloom's 32-bit shingle hash as its `hashfunc`
  (FNV-1a over the shingle's code points, then the SplitMix64 finalizer, high 32 bits), so
  both systems hash the same shingles to the same values and must produce the same
  signatures. The hash is computed with numpy for all shingles of a document at once; that is
  no slower than datasketch's default per-shingle sha1 (compare with --hash sha1).
--hash sha1: datasketch's default shingle hash (sha1, 32 bits); signatures then differ from
  newsloom's, so recall differs by sampling noise.

After the timed part the script compares its signatures and decisions with newsloom's
(OUT/newsloom-sigs.bin, OUT/newsloom-dups.json, written by `cluster_bench dedup`).
"""
import argparse
import json
import re
import time

import numpy as np
from datasketch import MinHash, MinHashLSH

# Rust's `char::is_whitespace` (Unicode White_Space), which newsloom strips before
# shingling. Python's str.split() also splits on \x1c-\x1f, so it is not used.
WHITESPACE = re.compile("[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")

FNV_OFFSET = np.uint64(0xCBF29CE484222325)
FNV_PRIME = np.uint64(0x100000001B3)
MIX1 = np.uint64(0xBF58476D1CE4E5B9)
MIX2 = np.uint64(0x94D049BB133111EB)


def newsloom_shingle_hashes(s, k):
    """newsloom's `minhash::shingle_hashes`: distinct 32-bit hashes of the k-shingles of s
    (whitespace already removed); a text of at most k characters is one shingle."""
    cps = np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(cps)
    if n == 0:
        return []
    w = min(k, n)
    h = np.full(n - w + 1, FNV_OFFSET, dtype=np.uint64)
    for i in range(w):
        h = (h ^ cps[i:n - w + 1 + i]) * FNV_PRIME  # uint64 arithmetic wraps, as in Rust
    h = (h ^ (h >> np.uint64(30))) * MIX1
    h = (h ^ (h >> np.uint64(27))) * MIX2
    h = h ^ (h >> np.uint64(31))
    return np.unique(h >> np.uint64(32)).tolist()


def identity(h):
    return h


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--hash", choices=["newsloom", "sha1"], default="newsloom")
    args = ap.parse_args()
    out = args.out
    docs = [json.loads(line) for line in open(f"{out}/docs.jsonl", encoding="utf-8")]
    p = json.load(open(f"{out}/params.json"))
    perms = (np.array(p["a"], dtype=np.uint64), np.array(p["b"], dtype=np.uint64))
    k, num_perm = p["shingle"], p["num_perm"]
    start = time.perf_counter()
    cpu0 = time.process_time()
    lsh = MinHashLSH(threshold=p["threshold"], num_perm=num_perm, params=(p["bands"], p["rows"]))
    sigs = {}
    dup_of = []
    for i, d in enumerate(docs):
        s = WHITESPACE.sub("", d["text"])
        # "legacy" is the datasketch scheme ((a*h + b) mod (2^61 - 1)) & 0xFFFFFFFF that
        # newsloom implements; a < 2^31 so numpy uint64 arithmetic does not overflow.
        if args.hash == "newsloom":
            m = MinHash(num_perm=num_perm, permutations=perms, scheme="legacy", hashfunc=identity)
            m.update_batch(newsloom_shingle_hashes(s, k))
        else:
            m = MinHash(num_perm=num_perm, permutations=perms, scheme="legacy")
            shingles = {s[j:j + k] for j in range(len(s) - k + 1)} if len(s) > k else {s}
            m.update_batch([x.encode("utf-8") for x in shingles if x])
        best = None
        for c in lsh.query(m):
            j = m.jaccard(sigs[c])
            if j >= p["threshold"] and (best is None or j > best[0] or (j == best[0] and c < best[1])):
                best = (j, c)
        dup_of.append(best[1] if best else None)
        sigs[i] = m
        lsh.insert(i, m)
    secs = time.perf_counter() - start
    cpu = time.process_time() - cpu0
    groups = [d["group"] for d in docs]
    seen, truth, flagged, ok, found = set(), 0, 0, 0, 0
    for i, g in enumerate(groups):
        is_dup = g in seen
        seen.add(g)
        truth += is_dup
        j = dup_of[i]
        if j is not None:
            flagged += 1
            if groups[j] == g:
                ok += 1
                found += is_dup
    result = {"mode": "dedup", "system": f"datasketch-{args.hash}-hash", "docs": len(docs),
              "seconds": secs, "docs_per_s": len(docs) / secs, "cpu_seconds": cpu,
              "docs_per_cpu_s": len(docs) / cpu, "precision": ok / max(flagged, 1),
              "recall": found / max(truth, 1), "flagged": flagged, "true_duplicates": truth}
    # Outside the timing: did both systems compute the same thing?
    try:
        theirs = np.fromfile(f"{out}/newsloom-sigs.bin", dtype="<u4").reshape(len(docs), num_perm)
        ours = np.stack([sigs[i].hashvalues for i in range(len(docs))]).astype(np.uint64)
        result["signatures_equal_to_newsloom"] = int((ours == theirs).all(axis=1).sum())
        their_dups = json.load(open(f"{out}/newsloom-dups.json"))
        result["decisions_equal_to_newsloom"] = sum(a == b for a, b in zip(dup_of, their_dups))
    except (OSError, ValueError) as e:
        result["comparison_error"] = str(e)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
