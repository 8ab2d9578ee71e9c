"""datasketch MinHash LSH on the documents newsloom's benchmark exported, same protocol.

Reads OUT/docs.jsonl (matching-form texts in stream order, with truth groups) and
OUT/params.json (newsloom's permutations (a, b), shingle length, bands x rows, threshold).
For each document in order: character shingles (whitespace removed, same k), MinHash with
the *same permutations* (datasketch's default sha1 32-bit shingle hash), LSH query, verify
candidates by estimated Jaccard >= threshold, insert. Prints one JSON line.
"""
import json
import sys
import time

import numpy as np
from datasketch import MinHash, MinHashLSH


def main(out):
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
        s = "".join(d["text"].split())
        shingles = {s[j:j + k] for j in range(len(s) - k + 1)} if len(s) > k else {s}
        # "legacy" is the datasketch scheme ((a*h + b) mod (2^61 - 1)) & 0xFFFFFFFF that
        # newsloom implements; a < 2^31 so numpy uint64 arithmetic does not overflow.
        m = MinHash(num_perm=num_perm, permutations=perms, scheme="legacy")
        m.update_batch([x.encode("utf-8") for x in shingles])
        best = None
        for c in lsh.query(m):
            j = m.jaccard(sigs[c])
            if j >= p["threshold"] and (best is None or j > best[0]):
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
    print(json.dumps({"mode": "dedup", "system": "datasketch", "docs": len(docs), "seconds": secs,
                      "docs_per_s": len(docs) / secs, "cpu_seconds": cpu,
                      "docs_per_cpu_s": len(docs) / cpu, "precision": ok / max(flagged, 1),
                      "recall": found / max(truth, 1), "flagged": flagged, "true_duplicates": truth}))


if __name__ == "__main__":
    main(sys.argv[1])
