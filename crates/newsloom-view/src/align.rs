//! Sentence and clause alignment on matching forms.
//!
//! Two outlets rarely write the same sentence: one adds `则`, another writes `情势` for `形势`,
//! quotes a clause more or less, or wraps the quote in `「」` instead of `“”`. Matching forms
//! already fold script, width, punctuation and name variants; on top of them we compare
//! *bigrams of content tokens* (each Han character, or each run of Latin letters/digits;
//! punctuation and spaces dropped), which is robust to small rewordings and needs no
//! segmentation.
//!
//! A pair is aligned when one of these holds:
//! * the bigram Dice coefficient reaches [`SENTENCE_DICE`] (same sentence, reworded);
//! * the shorter sentence is mostly contained in the longer one ([`CONTAINMENT`], with at
//!   least [`MIN_SHARED`] shared bigrams so short stock phrases do not count);
//! * one clause of each is nearly the same ([`CLAUSE_DICE`]) or lies wholly inside the other
//!   ([`CLAUSE_CONTAINED`]), for clauses of at least [`MIN_CLAUSE_CHARS`] Han characters
//!   making up a good part of the sentence: outlets embed one shared statement in
//!   differently built sentences.
//!
//! Candidates come from an inverted index of bigrams that skips bigrams found in a large
//! share of the story's sentences, so a story with thousands of sentences stays near-linear.

use std::collections::HashMap;

/// Dice coefficient over content bigrams for two sentences to count as the same statement.
pub const SENTENCE_DICE: f64 = 0.5;
/// Share of the shorter sentence that one shared run must cover to count as copied.
pub const COPIED_RUN: f64 = 0.6;
/// Share of the shorter sentence that shared bigrams outside the longest shared run must
/// cover to count as reworded.
pub const SPREAD: f64 = 0.25;
/// Share of the shorter sentence's bigrams found in the longer one.
pub const CONTAINMENT: f64 = 0.7;
/// Minimum number of shared bigrams for the containment rule.
pub const MIN_SHARED: usize = 10;
/// Dice coefficient for two clauses to count as the same.
pub const CLAUSE_DICE: f64 = 0.8;
/// Share of the shorter clause's bigrams found in the other clause for it to count as
/// contained in it.
pub const CLAUSE_CONTAINED: f64 = 0.9;
/// Minimum Han characters of a clause for the clause rule (Latin glosses such as
/// `（Sergei Lavrov）` and short stock titles never decide an alignment on their own).
pub const MIN_CLAUSE_CHARS: usize = 12;
/// The matching clause must make up at least this share of the shorter sentence.
pub const MIN_CLAUSE_SHARE: f64 = 0.34;

/// The content characters of a matching form: letters, digits and Han characters.
pub fn content_chars(matching: &str) -> Vec<char> {
    matching.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// A CJK unified ideograph (basic block and extension A).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// The tokens of a matching form, hashed: every Han character is a token, and so is every run
/// of Latin letters or digits (`sergeilavrov`, `2000`), so a Latin gloss counts as one word
/// rather than a dozen letter pairs. Punctuation and spaces separate tokens and are dropped.
fn tokens(matching: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut Vec<u64>| {
        if !run.is_empty() {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            std::hash::Hash::hash(run.as_str(), &mut h);
            // High bit set: never equal to a character's code point.
            out.push(std::hash::Hasher::finish(&h) | (1 << 63));
            run.clear();
        }
    };
    for c in matching.chars() {
        if c.is_alphanumeric() && !is_han(c) {
            run.extend(c.to_lowercase());
        } else {
            flush(&mut run, &mut out);
            if c.is_alphanumeric() {
                out.push(u64::from(u32::from(c)));
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Sorted, deduplicated token bigrams (see [`tokens`]).
pub fn bigrams(matching: &str) -> Vec<u64> {
    bigrams_of(&tokens(matching))
}

fn bigrams_of(toks: &[u64]) -> Vec<u64> {
    let mut out: Vec<u64> = toks
        .windows(2)
        .filter_map(|w| match w {
            [a, b] => Some(a.rotate_left(21) ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
            _ => None,
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Number of common elements of two sorted, deduplicated lists.
pub fn shared(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Dice coefficient of two bigram sets.
pub fn dice(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    2.0 * shared(a, b) as f64 / (a.len() + b.len()) as f64
}

/// Splits a matching form into clauses (at commas, enumeration commas, semicolons, colons,
/// sentence ends and quote marks) and keeps those long enough to compare.
pub fn clauses(matching: &str) -> Vec<Vec<u64>> {
    matching
        .split(|c: char| {
            matches!(
                c,
                '，' | ','
                    | '；'
                    | ';'
                    | '：'
                    | ':'
                    | '。'
                    | '！'
                    | '？'
                    | '!'
                    | '?'
                    | '“'
                    | '”'
                    | '"'
                    | '‘'
                    | '’'
                    | '「'
                    | '」'
                    | '『'
                    | '』'
                    | '（'
                    | '）'
                    | '('
                    | ')'
            )
        })
        .filter(|c| c.chars().filter(|&ch| is_han(ch)).count() >= MIN_CLAUSE_CHARS)
        .map(bigrams)
        .collect()
}

/// A unit to align: its bigrams and clause bigrams.
#[derive(Debug, Clone)]
pub struct Unit {
    pub tokens: Vec<u64>,
    pub grams: Vec<u64>,
    pub clauses: Vec<Vec<u64>>,
}

impl Unit {
    pub fn new(matching: &str) -> Self {
        let tokens = tokens(matching);
        Unit {
            grams: bigrams_of(&tokens),
            tokens,
            clauses: clauses(matching),
        }
    }
}

/// Length in tokens of the longest run two token sequences share.
fn longest_common_run(a: &[u64], b: &[u64]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    let mut best = 0;
    for x in a {
        for (j, y) in b.iter().enumerate() {
            let v = if x == y {
                prev.get(j).copied().unwrap_or(0) + 1
            } else {
                0
            };
            if let Some(c) = cur.get_mut(j + 1) {
                *c = v;
            }
            best = best.max(v);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    best
}

/// How well two units align; `None` when they do not. Higher is better.
pub fn score(a: &Unit, b: &Unit) -> Option<f64> {
    let common = shared(&a.grams, &b.grams);
    let total = a.grams.len() + b.grams.len();
    let min = a.grams.len().min(b.grams.len());
    if min == 0 {
        return None;
    }
    let d = 2.0 * common as f64 / total as f64;
    if d >= SENTENCE_DICE && min >= 4 {
        // Either most of the sentence is one shared run (a copied sentence), or the shared
        // words are spread over it (a reworded one). Two sentences that share only one
        // long stock phrase — `中共中央外事工作委员会办公室主任王毅` — and then say different
        // things (`抵达莫斯科` / `与普京会谈`) are not the same statement.
        let run = longest_common_run(&a.tokens, &b.tokens).saturating_sub(1);
        let spread = common.saturating_sub(run);
        if run as f64 >= COPIED_RUN * min as f64 || spread as f64 >= SPREAD * min as f64 {
            return Some(d);
        }
    }
    let containment = common as f64 / min as f64;
    if common >= MIN_SHARED && containment >= CONTAINMENT {
        return Some(d.max(containment * 0.9));
    }
    let mut best: f64 = 0.0;
    for ca in &a.clauses {
        for cb in &b.clauses {
            // A clause's bigram count is a proxy for its length.
            let share = ca.len().min(cb.len()) as f64 / min as f64;
            if share >= MIN_CLAUSE_SHARE {
                let common = shared(ca, cb);
                let small = ca.len().min(cb.len()).max(1);
                // Same clause reworded, or one clause wholly inside the other.
                let contained = common as f64 / small as f64;
                let d = dice(ca, cb);
                if contained >= CLAUSE_CONTAINED {
                    best = best.max(contained.max(CLAUSE_DICE));
                } else {
                    best = best.max(d);
                }
            }
        }
    }
    (best >= CLAUSE_DICE).then_some(best * 0.8)
}

/// All aligned pairs `(i, j, score)` with `i < j` among `units`, skipping pairs that
/// `skip(i, j)` rules out (e.g. sentences of the same article).
pub fn aligned_pairs(
    units: &[Unit],
    skip: impl Fn(usize, usize) -> bool,
) -> Vec<(usize, usize, f64)> {
    let mut postings: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, u) in units.iter().enumerate() {
        for &g in &u.grams {
            postings.entry(g).or_default().push(i);
        }
    }
    // Bigrams in more than this many sentences (`中国`, `表示`) say nothing about alignment
    // and would make candidate generation quadratic.
    let cap = (units.len() / 20).max(50);
    let mut out = Vec::new();
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for (i, u) in units.iter().enumerate() {
        counts.clear();
        for g in &u.grams {
            let Some(list) = postings.get(g) else {
                continue;
            };
            if list.len() > cap {
                continue;
            }
            for &j in list {
                if j > i {
                    *counts.entry(j).or_default() += 1;
                }
            }
        }
        let mut cands: Vec<usize> = counts
            .iter()
            .filter(|&(_, &n)| n >= 3)
            .map(|(&j, _)| j)
            .collect();
        cands.sort_unstable();
        for j in cands {
            if skip(i, j) {
                continue;
            }
            if let (Some(a), Some(b)) = (units.get(i), units.get(j))
                && let Some(s) = score(a, b)
            {
                out.push((i, j, s));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reworded_sentences_align() {
        let a = Unit::new(
            "王毅则表示,当前国际形势复杂严峻,但中俄关系“历经国际风云考验,成熟坚韧、稳如泰山”。",
        );
        let b = Unit::new(
            "王毅表示,当前国际情势确实严峻复杂,但是中俄关系“历经国际风云的考验,成熟坚韧、稳如泰山”。",
        );
        assert!(score(&a, &b).is_some());
    }

    #[test]
    fn different_statements_do_not_align() {
        let a = Unit::new("普京对王毅说,等待中华人民共和国主席对俄罗斯的访问,双方就此达成了共识。");
        let b = Unit::new(
            "美国国务卿布林肯上周六利用出席慕尼黑安全会议的间隙与王毅举行了一次非正式会晤。",
        );
        assert!(score(&a, &b).is_none());
    }

    #[test]
    fn one_stock_phrase_is_not_a_statement() {
        let a = Unit::new("中共中央外事工作委员会办公室主任王毅抵达莫斯科,开始其访问俄罗斯行程。");
        let b = Unit::new("中共中央外事工作委员会办公室主任王毅今天在莫斯科与俄罗斯总统普京会谈。");
        assert!(score(&a, &b).is_none());
    }

    #[test]
    fn clause_inside_another_aligns() {
        let a = Unit::new("不过,在两人会晤后中方发布的新闻稿中通篇未提习近平将访问俄罗斯之事。");
        let b = Unit::new("王毅与普京会面,中方发布通篇未提习近平将访问俄罗斯。");
        assert!(score(&a, &b).is_some());
    }

    #[test]
    fn latin_glosses_count_as_one_token() {
        let a = Unit::new("马朝旭分别会见了俄国外长拉夫罗夫(sergei lavrov)及其两名副手。");
        let b = Unit::new(
            "王毅在会晤普京前,已经与俄罗斯外长谢尔盖·拉夫罗夫(sergei lavrov)举行了会谈。",
        );
        assert!(score(&a, &b).is_none());
    }

    #[test]
    fn shared_clause_aligns() {
        let a = Unit::new(
            "据报道,中俄全面战略协作伙伴关系从不针对第三方,外界对此看法不一,许多分析人士另有解读。",
        );
        let b = Unit::new(
            "王毅在会谈中强调,中俄全面战略协作伙伴关系从不针对第三方,双方还讨论了经贸合作的具体安排。",
        );
        assert!(score(&a, &b).is_some());
    }
}
