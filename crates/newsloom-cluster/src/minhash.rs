//! MinHash signatures over character shingles and a banded LSH index with time eviction.
//!
//! Why not a crate: `gaoya` (the maintained-looking Rust MinHash LSH) had its last release in
//! June 2023 on old `rand`/`sha-1` majors, its index cannot be serialized with serde and has no
//! eviction, and both are needed here (the store persists clusterer state; memory must be
//! bounded by the live time window). `probminhash` targets weighted Jaccard, not set
//! near-duplicates. The algorithm is small, so it lives here, built to be compatible with
//! `datasketch`: the same permutation family `((a·h + b) mod (2^61−1)) & 0xFFFFFFFF` over 32-bit
//! shingle hashes, so the benchmark can hand datasketch the very same permutations.
//! `a` is drawn below 2^31 so `a·h + b` fits a `u64`: the inner loop is then a 32×32→64-bit
//! multiply and a Mersenne reduction, which the compiler vectorizes.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::text::mix64;

/// The Mersenne prime 2^61 − 1 used by datasketch's permutations.
pub const MERSENNE_61: u64 = (1 << 61) - 1;

/// A family of `num_perm` hash permutations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinHasher {
    a: Vec<u32>,
    b: Vec<u32>,
}

impl MinHasher {
    /// `num_perm` permutations derived deterministically from `seed`.
    pub fn new(num_perm: usize, seed: u64) -> Self {
        let mut state = seed ^ 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            mix64(state)
        };
        let mut a = Vec::with_capacity(num_perm);
        let mut b = Vec::with_capacity(num_perm);
        for _ in 0..num_perm {
            a.push(((next() % ((1 << 31) - 1)) + 1) as u32);
            b.push((next() & 0xFFFF_FFFF) as u32);
        }
        MinHasher { a, b }
    }

    pub fn num_perm(&self) -> usize {
        self.a.len()
    }

    /// The permutation parameters `(a, b)`, e.g. to give datasketch the same permutations.
    pub fn permutations(&self) -> (&[u32], &[u32]) {
        (&self.a, &self.b)
    }

    /// The signature of a set of 32-bit shingle hashes (an empty set gives all `u32::MAX`).
    /// Order and repeats in `hashes` do not matter (each entry is a minimum).
    pub fn signature(&self, hashes: &[u32]) -> Vec<u32> {
        let mut out = vec![u32::MAX; self.a.len()];
        self.sign_into(hashes, &mut out);
        out
    }

    /// The signature of the character `k`-shingles of the concatenation of `parts`: the same
    /// value as `self.signature(&shingle_hashes(&parts.concat(), k))`, without building the
    /// text or sorting the shingle hashes (a minimum needs neither distinct nor ordered
    /// inputs).
    pub fn text_signature<'a>(
        &self,
        parts: impl IntoIterator<Item = &'a str>,
        k: usize,
    ) -> Vec<u32> {
        let mut hashes = Vec::new();
        push_shingle_hashes(parts, k, &mut hashes);
        self.signature(&hashes)
    }

    fn sign_into(&self, hashes: &[u32], out: &mut [u32]) {
        #[cfg(target_arch = "x86_64")]
        {
            if std::is_x86_feature_detected!("avx512f") {
                // SAFETY: the running CPU supports AVX-512F (checked just above).
                return unsafe { self.sign_avx512(hashes, out) };
            }
            if std::is_x86_feature_detected!("avx2") {
                // SAFETY: the running CPU supports AVX2 (checked just above).
                return unsafe { self.sign_avx2(hashes, out) };
            }
        }
        self.sign_portable(hashes, out)
    }

    /// The same loop compiled with AVX-512F: eight 32×32→64-bit multiplies, 64-bit compares
    /// and a narrowing move per instruction.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    unsafe fn sign_avx512(&self, hashes: &[u32], out: &mut [u32]) {
        self.sign_portable(hashes, out)
    }

    /// The same loop compiled with AVX2: four 32×32→64-bit multiplies and a 32-bit `min` per
    /// instruction (the baseline x86-64 target has neither).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn sign_avx2(&self, hashes: &[u32], out: &mut [u32]) {
        self.sign_portable(hashes, out)
    }

    /// Plain loops only: anything not inlined here (an iterator `collect`, say) would be
    /// compiled for the baseline target, not for the caller's `target_feature`.
    #[inline(always)]
    fn sign_portable(&self, hashes: &[u32], out: &mut [u32]) {
        for ((o, &a), &b) in out.iter_mut().zip(&self.a).zip(&self.b) {
            // a, h < 2^32, so a·h + b < 2^64: one 32×32→64-bit multiply.
            let (a, b) = (u64::from(a), u64::from(b));
            let mut min = *o;
            for &h in hashes {
                let x = a * u64::from(h) + b;
                let r = (x & MERSENNE_61) + (x >> 61);
                let r = if r >= MERSENNE_61 { r - MERSENNE_61 } else { r };
                min = min.min(r as u32);
            }
            *o = min;
        }
    }
}

/// The sorted, deduplicated 32-bit hashes of the character `k`-shingles of `text`
/// (whitespace removed first, so layout differences do not matter). Texts shorter than `k`
/// give one shingle of the whole text.
pub fn shingle_hashes(text: &str, k: usize) -> Vec<u32> {
    let mut out = Vec::new();
    push_shingle_hashes([text], k, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// Appends the hashes of the character `k`-shingles of the concatenated `parts` (whitespace
/// skipped) in order, repeats kept.
fn push_shingle_hashes<'a>(parts: impl IntoIterator<Item = &'a str>, k: usize, out: &mut Vec<u32>) {
    let mut chars: Vec<u32> = Vec::new();
    for part in parts {
        chars.reserve(part.len());
        // Plain loops: a `flat_map(str::chars).filter(..)` chain decodes several times slower.
        for c in part.chars() {
            if !c.is_whitespace() {
                chars.push(c as u32);
            }
        }
    }
    let k = k.max(1);
    if chars.is_empty() {
        return;
    }
    if chars.len() <= k {
        out.push(hash_chars(&chars));
        return;
    }
    out.reserve(chars.len() + 1 - k);
    // The common shingle lengths get a loop the compiler fully unrolls.
    match k {
        4 => hash_windows::<4>(&chars, out),
        5 => hash_windows::<5>(&chars, out),
        _ => out.extend(chars.windows(k).map(hash_chars)),
    }
}

#[inline]
fn hash_windows<const K: usize>(chars: &[u32], out: &mut Vec<u32>) {
    out.extend(chars.windows(K).map(|w| {
        let mut h = FNV_OFFSET;
        for i in 0..K {
            h = (h ^ u64::from(w.get(i).copied().unwrap_or(0))).wrapping_mul(FNV_PRIME);
        }
        (mix64(h) >> 32) as u32
    }));
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over the shingle's code points, SplitMix64-finalized, high 32 bits.
#[inline]
fn hash_chars(w: &[u32]) -> u32 {
    let mut h = FNV_OFFSET;
    for &c in w {
        h = (h ^ u64::from(c)).wrapping_mul(FNV_PRIME);
    }
    (mix64(h) >> 32) as u32
}

/// Estimated Jaccard similarity of two signatures.
pub fn estimate_jaccard(a: &[u32], b: &[u32]) -> f32 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    equal as f32 / a.len() as f32
}

/// A banded LSH index from signatures to slots, with removal (for eviction).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LshIndex {
    bands: usize,
    rows: usize,
    buckets: FxHashMap<u64, Vec<u32>>,
}

impl LshIndex {
    pub fn new(bands: usize, rows: usize) -> Self {
        LshIndex {
            bands: bands.max(1),
            rows: rows.max(1),
            buckets: FxHashMap::default(),
        }
    }

    fn band_keys<'a>(&self, sig: &'a [u32]) -> impl Iterator<Item = u64> + 'a {
        let rows = self.rows;
        sig.chunks(rows)
            .take(self.bands)
            .enumerate()
            .map(|(band, chunk)| {
                let mut h = band as u64;
                for &v in chunk {
                    h = mix64(h ^ u64::from(v)).wrapping_add(0x9e37_79b9);
                }
                h
            })
    }

    pub fn insert(&mut self, slot: u32, sig: &[u32]) {
        let keys: Vec<u64> = self.band_keys(sig).collect();
        for key in keys {
            self.buckets.entry(key).or_default().push(slot);
        }
    }

    pub fn remove(&mut self, slot: u32, sig: &[u32]) {
        let keys: Vec<u64> = self.band_keys(sig).collect();
        for key in keys {
            if let Some(list) = self.buckets.get_mut(&key) {
                list.retain(|&s| s != slot);
                if list.is_empty() {
                    self.buckets.remove(&key);
                }
            }
        }
    }

    /// Slots sharing at least one band with `sig`, deduplicated.
    pub fn query(&self, sig: &[u32]) -> Vec<u32> {
        let mut out = Vec::new();
        for key in self.band_keys(sig) {
            if let Some(list) = self.buckets.get(&key) {
                out.extend_from_slice(list);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    pub fn len_buckets(&self) -> usize {
        self.buckets.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaccard_estimate_tracks_true_jaccard() {
        let h = MinHasher::new(256, 7);
        let a: Vec<u32> = (0..1000).collect();
        let b: Vec<u32> = (200..1200).collect(); // J = 800/1200
        let est = estimate_jaccard(&h.signature(&a), &h.signature(&b));
        assert!((est - 0.667).abs() < 0.08, "{est}");
        assert_eq!(estimate_jaccard(&h.signature(&a), &h.signature(&a)), 1.0);
    }

    /// datasketch's "legacy" permutation, computed the slow obvious way.
    fn reference_signature(h: &MinHasher, hashes: &[u32]) -> Vec<u32> {
        let (a, b) = h.permutations();
        a.iter()
            .zip(b)
            .map(|(&a, &b)| {
                hashes
                    .iter()
                    .map(|&x| {
                        let v = (u128::from(a) * u128::from(x) + u128::from(b))
                            % u128::from(MERSENNE_61);
                        (v & 0xFFFF_FFFF) as u32
                    })
                    .min()
                    .unwrap_or(u32::MAX)
            })
            .collect()
    }

    #[test]
    fn every_signature_path_matches_the_reference_formula() {
        let h = MinHasher::new(64, 11);
        let mut state = 0x1234_5678_u64;
        let mut hashes: Vec<u32> = (0..1003)
            .map(|_| {
                state = crate::text::mix64(state.wrapping_add(0x9e37_79b9_7f4a_7c15));
                (state >> 32) as u32
            })
            .collect();
        hashes.extend([0, 1, u32::MAX, u32::MAX - 1, 1 << 31]);
        for n in [0, 1, 3, 7, 8, 9, 64, 1008] {
            let part = hashes.get(..n).unwrap_or_default();
            let want = reference_signature(&h, part);
            assert_eq!(h.signature(part), want, "{n} hashes");
            let mut portable = vec![u32::MAX; h.num_perm()];
            h.sign_portable(part, &mut portable);
            assert_eq!(portable, want, "{n} hashes, portable");
        }
    }

    /// Shingle hashes are stored in signatures (clusterer state) and reproduced by the
    /// datasketch benchmark (`bench/datasketch_lsh.py`), so their values are pinned.
    #[test]
    fn shingle_hash_values_are_stable() {
        assert_eq!(
            shingle_hashes("王毅抵达 莫斯科", 5),
            vec![2_581_209_420, 2_889_416_299, 2_904_173_047]
        );
        assert_eq!(shingle_hashes("普京", 5), vec![2_897_013_902]);
        let latin = shingle_hashes("Putin met\nWang Yi", 4);
        assert_eq!(latin.len(), 11);
        assert_eq!(
            latin.get(..4),
            Some(&[714_915_215, 1_603_237_513, 1_940_184_872, 1_987_609_176][..])
        );
        assert!(shingle_hashes(" \n", 5).is_empty());
    }

    #[test]
    fn text_signature_equals_signature_of_sorted_shingles() {
        let h = MinHasher::new(64, 5);
        let title = "王毅抵达莫斯科 开始访俄";
        let body = "俄罗斯总统普京22日在克里姆林宫会见王毅。\n双方讨论了乌克兰问题、双边关系，\n普京说“成熟坚韧、稳如泰山”。";
        let text = format!("{title}\n{body}");
        for k in [1, 4, 5, 80] {
            let want = h.signature(&shingle_hashes(&text, k));
            assert_eq!(h.text_signature([text.as_str()], k), want, "k={k}");
            assert_eq!(h.text_signature([title, "\n", body], k), want, "k={k}");
        }
        assert_eq!(h.text_signature([" \n"], 5), h.signature(&[]));
        assert_eq!(
            h.text_signature(["普京"], 5),
            h.signature(&shingle_hashes("普京", 5))
        );
    }

    #[test]
    fn lsh_finds_near_and_forgets_removed() {
        let h = MinHasher::new(64, 1);
        let mut idx = LshIndex::new(16, 4);
        let a = shingle_hashes(
            "乌克兰首次使用美国陆军战术导弹系统袭击俄罗斯领土，俄方誓言作出回应。",
            4,
        );
        let b = shingle_hashes(
            "乌克兰首次使用美国陆军战术导弹系统袭击俄罗斯领土，俄方誓言将作出回应。",
            4,
        );
        let c = shingle_hashes("日本10月贸易逆差为4612亿日元，连续四个月出现逆差。", 4);
        idx.insert(1, &h.signature(&a));
        idx.insert(2, &h.signature(&c));
        assert_eq!(idx.query(&h.signature(&b)), vec![1]);
        idx.remove(1, &h.signature(&a));
        assert!(idx.query(&h.signature(&b)).is_empty());
    }
}
