//! Exact and near-duplicate detection and passage reuse, online with a live time window.

use std::collections::VecDeque;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::features::ArticleFeatures;
use crate::minhash::{LshIndex, MinHasher, estimate_jaccard};

/// Settings of the deduplicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DedupConfig {
    /// Characters per shingle.
    pub shingle: usize,
    /// MinHash permutations (= `bands × rows`).
    pub num_perm: usize,
    pub bands: usize,
    pub rows: usize,
    /// Estimated Jaccard similarity at or above which two articles are the same article.
    pub threshold: f32,
    /// Seed of the permutations (fixed so runs are reproducible).
    pub seed: u64,
    /// Texts shorter than this (title + body, characters) are only checked for exact equality.
    pub min_chars: usize,
    /// Shortest paragraph or sentence (characters) recorded as passage reuse.
    pub passage_min_chars: usize,
    /// A passage shared by more live articles than this is boilerplate and no longer reported.
    pub passage_max_sharing: usize,
}

impl Default for DedupConfig {
    fn default() -> Self {
        DedupConfig {
            shingle: 5,
            num_perm: 64,
            bands: 16,
            rows: 4,
            threshold: 0.7,
            seed: 0x6e65_7773_6c6f_6f6d,
            min_chars: 40,
            passage_min_chars: 24,
            passage_max_sharing: 8,
        }
    }
}

/// How a duplicate was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DupKind {
    /// Same matching-form title and body.
    Exact,
    /// MinHash LSH match at or above the threshold.
    Near,
}

/// The article an incoming article duplicates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DupMatch {
    /// Id of the first-seen copy (the canonical article).
    pub of: String,
    pub kind: DupKind,
    /// Estimated Jaccard similarity (1.0 for exact).
    pub similarity: f32,
}

/// A place in an article: block index and, for sentence-level reuse, the sentence index
/// within the block; `start..end` is the character range within the block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub article: String,
    pub block: usize,
    pub sentence: Option<usize>,
    pub start: usize,
    pub end: usize,
}

/// A paragraph or sentence shared by two different (non-duplicate) articles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassageReuse {
    /// Where the passage appeared first.
    pub earlier: Location,
    /// Where it appears in the incoming article.
    pub later: Location,
    /// Length in characters.
    pub chars: usize,
}

/// What the deduplicator found for one article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DedupOutcome {
    pub duplicate: Option<DupMatch>,
    pub passages: Vec<PassageReuse>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    id: String,
    /// Id of the canonical copy (itself when it is not a duplicate).
    canonical: String,
    time: i64,
    exact: u64,
    sig: Option<Vec<u32>>,
    passages: Vec<u64>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct PassageSite {
    slot: u32,
    block: u32,
    sentence: Option<u32>,
    start: u32,
    end: u32,
}

/// Online deduplicator. State is bounded by the live window: entries older than
/// `clock − window` are evicted by [`Deduper::add_in_window`] as the stream advances (or by
/// the caller, with [`Deduper::evict_before`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Deduper {
    config: DedupConfig,
    hasher: MinHasher,
    lsh: LshIndex,
    entries: FxHashMap<u32, Entry>,
    exact: FxHashMap<u64, u32>,
    passages: FxHashMap<u64, Vec<PassageSite>>,
    order: VecDeque<(i64, u32)>,
    next_slot: u32,
    /// Stream time as [`Deduper::add_in_window`] sees it, for its evictions.
    #[serde(default)]
    clock: StreamClock,
}

/// Stream time and the hourly eviction pass, as the clusterer keeps them: the latest
/// publication time seen (an undated article keeps the clock), and an eviction at most
/// once per stream hour. The deduplicator keeps its own so that it can run ahead of the
/// clusterer, on another thread, and still evict exactly when the clusterer would.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(crate) struct StreamClock {
    /// (Named `clock` in the clusterer's serialized state since version 1.)
    #[serde(rename = "clock")]
    pub(crate) now: i64,
    pub(crate) last_evict: i64,
}

impl Default for StreamClock {
    fn default() -> Self {
        StreamClock {
            now: i64::MIN,
            last_evict: i64::MIN,
        }
    }
}

impl StreamClock {
    /// Advances to an article's time; `Some(now)` when an eviction pass is due.
    pub(crate) fn tick(&mut self, published: Option<i64>) -> (i64, Option<i64>) {
        let time = published.unwrap_or(self.now.max(0));
        let mut due = None;
        if time > self.now {
            self.now = time;
            if self.now.saturating_sub(self.last_evict) >= 3600 {
                self.last_evict = self.now;
                due = Some(self.now);
            }
        }
        (time, due)
    }
}

/// Precomputed fingerprints of one article (can be computed in parallel, then
/// [`Deduper::add`]ed in order).
#[derive(Debug, Clone)]
pub struct Fingerprints {
    exact: u64,
    sig: Option<Vec<u32>>,
}

impl Fingerprints {
    /// The MinHash signature, when the article has enough text to shingle (for storing).
    pub fn signature(&self) -> Option<&[u32]> {
        self.sig.as_deref()
    }
}

impl Deduper {
    pub fn new(config: DedupConfig) -> Self {
        let hasher = MinHasher::new(config.bands * config.rows, config.seed);
        let lsh = LshIndex::new(config.bands, config.rows);
        Deduper {
            config,
            hasher,
            lsh,
            entries: FxHashMap::default(),
            exact: FxHashMap::default(),
            passages: FxHashMap::default(),
            order: VecDeque::new(),
            next_slot: 0,
            clock: StreamClock::default(),
        }
    }

    pub fn config(&self) -> &DedupConfig {
        &self.config
    }

    pub fn hasher(&self) -> &MinHasher {
        &self.hasher
    }

    /// The text fingerprinted: title and body in matching form.
    pub fn fingerprint_text(f: &ArticleFeatures) -> String {
        let mut s = String::with_capacity(
            f.title_form.len() + f.blocks.iter().map(String::len).sum::<usize>() + 8,
        );
        s.push_str(&f.title_form);
        for b in &f.blocks {
            s.push('\n');
            s.push_str(b);
        }
        s
    }

    /// Exact hash and MinHash signature of an article (pure; safe to run in parallel).
    ///
    /// Both are computed from the title and blocks in place: the hashes equal those of
    /// [`Deduper::fingerprint_text`] (and of the concatenated body) without building either.
    pub fn fingerprints(&self, f: &ArticleFeatures) -> Fingerprints {
        let body_chars = f.body_chars();
        let text_chars = f.title_form.chars().count() + f.blocks.len() + body_chars;
        // Exact identity ignores the title so a feed copy with an edited headline still
        // matches on the body; empty bodies fall back to the whole fingerprint text.
        let mut exact = blake3::Hasher::new();
        if body_chars >= self.config.min_chars {
            for b in &f.blocks {
                exact.update(b.as_bytes());
            }
        } else {
            exact.update(f.title_form.as_bytes());
            for b in &f.blocks {
                exact.update(b"\n");
                exact.update(b.as_bytes());
            }
        }
        let exact = u64::from_le_bytes(
            exact.finalize().as_bytes()[..8]
                .try_into()
                .unwrap_or([0; 8]),
        );
        // The newlines between title and blocks are whitespace, which shingling skips.
        let sig = (text_chars >= self.config.min_chars).then(|| {
            let parts =
                std::iter::once(f.title_form.as_str()).chain(f.blocks.iter().map(String::as_str));
            self.hasher.text_signature(parts, self.config.shingle)
        });
        Fingerprints { exact, sig }
    }

    /// [`Deduper::add`] in a stream window of `window_secs`: entries older than the window
    /// are evicted first, at the stream times the clusterer evicts its own state.
    pub fn add_in_window(
        &mut self,
        f: &ArticleFeatures,
        fp: Fingerprints,
        window_secs: i64,
    ) -> DedupOutcome {
        if let (_, Some(now)) = self.clock.tick(f.published) {
            self.evict_before(now.saturating_sub(window_secs));
        }
        self.add(f, fp)
    }

    /// Checks an article against the live window and records it.
    pub fn add(&mut self, f: &ArticleFeatures, fp: Fingerprints) -> DedupOutcome {
        let time = f.published.unwrap_or(0);
        let mut duplicate = None;
        if let Some(&slot) = self.exact.get(&fp.exact)
            && let Some(e) = self.entries.get(&slot)
        {
            duplicate = Some(DupMatch {
                of: e.canonical.clone(),
                kind: DupKind::Exact,
                similarity: 1.0,
            });
        }
        if duplicate.is_none()
            && let Some(sig) = &fp.sig
        {
            let mut best: Option<(f32, u32)> = None;
            for slot in self.lsh.query(sig) {
                if let Some(e) = self.entries.get(&slot)
                    && let Some(other) = &e.sig
                {
                    let j = estimate_jaccard(sig, other);
                    if j >= self.config.threshold
                        && best.is_none_or(|(bj, bs)| j > bj || (j == bj && slot < bs))
                    {
                        best = Some((j, slot));
                    }
                }
            }
            if let Some((j, slot)) = best
                && let Some(e) = self.entries.get(&slot)
            {
                duplicate = Some(DupMatch {
                    of: e.canonical.clone(),
                    kind: DupKind::Near,
                    similarity: j,
                });
            }
        }

        let slot = self.next_slot;
        self.next_slot = self.next_slot.wrapping_add(1);
        let canonical = duplicate
            .as_ref()
            .map_or_else(|| f.id.clone(), |d| d.of.clone());
        let (passages, keys) = self.passages_of(f, slot, &canonical);
        if let Some(sig) = &fp.sig {
            self.lsh.insert(slot, sig);
        }
        self.exact.entry(fp.exact).or_insert(slot);
        self.entries.insert(
            slot,
            Entry {
                id: f.id.clone(),
                canonical,
                time,
                exact: fp.exact,
                sig: fp.sig,
                passages: keys,
            },
        );
        self.order.push_back((time, slot));
        DedupOutcome {
            duplicate,
            passages,
        }
    }

    /// Finds shared paragraphs and sentences and indexes this article's passages.
    fn passages_of(
        &mut self,
        f: &ArticleFeatures,
        slot: u32,
        canonical: &str,
    ) -> (Vec<PassageReuse>, Vec<u64>) {
        let mut found = Vec::new();
        let mut keys = Vec::new();
        let min = self.config.passage_min_chars;
        for (bi, block) in f.blocks.iter().enumerate() {
            let block_chars = block.chars().count();
            if block_chars < min {
                continue;
            }
            let key = crate::text::hash_str(block);
            let site = PassageSite {
                slot,
                block: bi as u32,
                sentence: None,
                start: 0,
                end: block_chars as u32,
            };
            let block_hit = self.record_passage(key, site, canonical, &f.id, &mut found);
            keys.push(key);
            if block_hit {
                continue;
            }
            for (si, (start, end, sentence)) in sentences(block).into_iter().enumerate() {
                if end - start < min || end - start == block_chars {
                    continue;
                }
                let key = crate::text::hash_str(sentence);
                let site = PassageSite {
                    slot,
                    block: bi as u32,
                    sentence: Some(si as u32),
                    start: start as u32,
                    end: end as u32,
                };
                self.record_passage(key, site, canonical, &f.id, &mut found);
                keys.push(key);
            }
        }
        (found, keys)
    }

    /// Reports earlier sites of `key` in other articles and adds this site. Returns whether
    /// an earlier site was found.
    fn record_passage(
        &mut self,
        key: u64,
        site: PassageSite,
        canonical: &str,
        id: &str,
        found: &mut Vec<PassageReuse>,
    ) -> bool {
        let sites = self.passages.entry(key).or_default();
        if sites.len() >= self.config.passage_max_sharing {
            return true;
        }
        let mut hit = false;
        let mut reported: Vec<&str> = Vec::new();
        for s in sites.iter() {
            let Some(e) = self.entries.get(&s.slot) else {
                continue;
            };
            if e.canonical == canonical || e.id == id || reported.contains(&e.canonical.as_str()) {
                continue;
            }
            hit = true;
            reported.push(&e.canonical);
            found.push(PassageReuse {
                earlier: Location {
                    article: e.id.clone(),
                    block: s.block as usize,
                    sentence: s.sentence.map(|x| x as usize),
                    start: s.start as usize,
                    end: s.end as usize,
                },
                later: Location {
                    article: id.to_string(),
                    block: site.block as usize,
                    sentence: site.sentence.map(|x| x as usize),
                    start: site.start as usize,
                    end: site.end as usize,
                },
                chars: (site.end - site.start) as usize,
            });
        }
        sites.push(site);
        hit
    }

    /// Forgets every article recorded with a time before `cutoff` (seconds).
    pub fn evict_before(&mut self, cutoff: i64) {
        while let Some(&(time, slot)) = self.order.front() {
            if time >= cutoff {
                break;
            }
            self.order.pop_front();
            let Some(e) = self.entries.remove(&slot) else {
                continue;
            };
            if let Some(sig) = &e.sig {
                self.lsh.remove(slot, sig);
            }
            if self.exact.get(&e.exact) == Some(&slot) {
                self.exact.remove(&e.exact);
            }
            for key in e.passages {
                if let Some(sites) = self.passages.get_mut(&key) {
                    sites.retain(|s| s.slot != slot);
                    if sites.is_empty() {
                        self.passages.remove(&key);
                    }
                }
            }
        }
    }

    /// Number of live articles.
    pub fn live(&self) -> usize {
        self.entries.len()
    }
}

/// Sentences of a block: `(start, end)` character ranges and the text, split after
/// Chinese and Latin sentence-final punctuation.
fn sentences(block: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut start_byte = 0;
    let mut start_char = 0;
    let mut n = 0;
    let mut iter = block.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        n += 1;
        let end_here = matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | ';')
            && !matches!(iter.peek(), Some((_, '”' | '’' | '」' | '』' | ')' | '）')));
        let closing = matches!(c, '”' | '’' | '」' | '』') && i > 0 && {
            let prev = block[..i].chars().next_back();
            matches!(prev, Some('。' | '！' | '？' | '!' | '?'))
        };
        if end_here || closing {
            let end_byte = i + c.len_utf8();
            out.push((start_char, n, block[start_byte..end_byte].trim()));
            start_byte = end_byte;
            start_char = n;
        }
    }
    if start_byte < block.len() {
        out.push((start_char, n, block[start_byte..].trim()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::shingle_hashes;

    fn feat(id: &str, t: i64, blocks: &[&str]) -> ArticleFeatures {
        ArticleFeatures {
            id: id.into(),
            outlet_id: "x".into(),
            title: id.into(),
            published: Some(t),
            title_form: id.into(),
            blocks: blocks.iter().map(|s| s.to_string()).collect(),
            entities: vec![],
            quotes: vec![],
            report: None,
            company: None,
            case: None,
        }
    }

    /// The fingerprints as first defined: hashes of the built texts.
    fn fingerprints_from_built_texts(d: &Deduper, f: &ArticleFeatures) -> (u64, Option<Vec<u32>>) {
        let text = Deduper::fingerprint_text(f);
        let body: String = f.blocks.concat();
        let basis = if body.chars().count() >= d.config.min_chars {
            &body
        } else {
            &text
        };
        let mut exact = [0u8; 8];
        exact.copy_from_slice(&blake3::hash(basis.as_bytes()).as_bytes()[..8]);
        let sig = (text.chars().count() >= d.config.min_chars)
            .then(|| d.hasher.signature(&shingle_hashes(&text, d.config.shingle)));
        (u64::from_le_bytes(exact), sig)
    }

    #[test]
    fn fingerprints_equal_hashes_of_the_built_texts() {
        let d = Deduper::new(DedupConfig::default());
        let long = "乌克兰首次使用美国陆军战术导弹系统袭击俄罗斯领土，俄罗斯国防部说六枚导弹中五枚被击落。";
        let cases: Vec<ArticleFeatures> = vec![
            feat("t", 1, &[long, "", "克里姆林宫表示将作出相应回应。"]),
            feat(
                "a title that is long enough on its own to be shingled",
                1,
                &["短"],
            ),
            feat("t", 1, &[]),
            feat("", 1, &["", " "]),
            feat(
                "t",
                1,
                &["first line\nsecond line of a block with a newline inside it"],
            ),
            feat("标题", 1, &["正文正好四十个字符吗", long]),
        ];
        for f in &cases {
            let fp = d.fingerprints(f);
            let (exact, sig) = fingerprints_from_built_texts(&d, f);
            assert_eq!((fp.exact, fp.sig), (exact, sig), "{f:?}");
        }
    }

    #[test]
    fn sentences_split_on_final_punctuation() {
        let s = sentences("他说：“我们不会屈服。”然后离开。最后一句");
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].2, "他说：“我们不会屈服。”");
    }

    #[test]
    fn exact_near_passage_and_eviction() {
        let mut d = Deduper::new(DedupConfig::default());
        let body = "乌克兰首次使用美国陆军战术导弹系统袭击俄罗斯领土，俄罗斯国防部说六枚导弹中五枚被击落。克里姆林宫表示将作出相应回应，并称这是冲突的新阶段。";
        let a = feat("a", 100, &[body]);
        let fa = d.fingerprints(&a);
        assert!(d.add(&a, fa).duplicate.is_none());
        let b = feat("b", 200, &[body]);
        let fb = d.fingerprints(&b);
        assert_eq!(
            d.add(&b, fb).duplicate.map(|m| (m.of, m.kind)),
            Some(("a".into(), DupKind::Exact))
        );
        let near = body.replace("六枚", "6枚").replace("新阶段", "新的阶段");
        let c = feat("c", 300, &[&near]);
        let fc = d.fingerprints(&c);
        let out = d.add(&c, fc);
        assert_eq!(
            out.duplicate.map(|m| (m.of, m.kind)),
            Some(("a".into(), DupKind::Near))
        );
        let e = feat(
            "e",
            400,
            &[
                "完全不同的一篇报道，讲的是日本贸易逆差连续四个月扩大的情况。",
                "克里姆林宫表示将作出相应回应，并称这是冲突的新阶段。",
            ],
        );
        let fe = d.fingerprints(&e);
        let out = d.add(&e, fe);
        assert!(out.duplicate.is_none());
        assert_eq!(out.passages.len(), 1);
        assert_eq!(out.passages[0].earlier.article, "a");
        assert_eq!(out.passages[0].earlier.sentence, Some(1));
        assert_eq!(out.passages[0].later.block, 1);
        d.evict_before(350);
        assert_eq!(d.live(), 1);
        let a2 = feat("a2", 500, &[body]);
        let fa2 = d.fingerprints(&a2);
        assert!(d.add(&a2, fa2).duplicate.is_none());
    }
}
