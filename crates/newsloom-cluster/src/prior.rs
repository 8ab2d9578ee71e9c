//! A background document-frequency prior.
//!
//! Idf learned online is meaningless for the first articles of a run: with five articles
//! every shared word looks rare, and `莫斯科` weighs as much as `马朝旭`. The prior gives
//! the clusterer the document frequencies of a background news corpus from the first
//! article on; online counts add to it, so a long stream soon speaks for itself.
//!
//! The prior ships with the crate (`data/df_prior.tsv.gz`, built by the `build_df_prior`
//! example from corpora that are not the evaluation stream) as gzip'd text: a header line
//! `#docs<TAB>N`, then `term<TAB>df` lines. Terms are the clusterer's own terms in matching
//! form (Han bigrams, Latin/digit words, `ent:ID` for entity ids), so the file is readable
//! and independent of the hash function.

use std::io::Read;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::cluster::ENTITY_PREFIX;
use crate::text::hash_str;

/// Document frequencies of a background corpus, keyed by term hash.
#[derive(Debug, Default)]
pub struct DfPrior {
    docs: u32,
    df: FxHashMap<u64, u32>,
}

/// How an entity term is spelled in the prior file (the in-memory prefix is a control
/// character, which has no place in a text file).
const FILE_ENTITY_PREFIX: &str = "ent:";

/// How a clusterer term is spelled in a data file (entity terms get a printable prefix).
pub(crate) fn file_term(term: &str) -> std::borrow::Cow<'_, str> {
    match term.strip_prefix(ENTITY_PREFIX) {
        Some(id) => format!("{FILE_ENTITY_PREFIX}{id}").into(),
        None => term.into(),
    }
}

/// The clusterer's hash of a term spelled as in a data file (the inverse of [`file_term`]).
pub(crate) fn file_term_key(term: &str) -> u64 {
    match term.strip_prefix(FILE_ENTITY_PREFIX) {
        Some(id) => hash_str(&format!("{ENTITY_PREFIX}{id}")),
        None => hash_str(term),
    }
}

impl DfPrior {
    /// The prior shipped with the crate, parsed once per process.
    pub fn embedded() -> &'static DfPrior {
        static PRIOR: OnceLock<DfPrior> = OnceLock::new();
        PRIOR.get_or_init(|| {
            let gz: &[u8] = include_bytes!("../data/df_prior.tsv.gz");
            let mut text = String::new();
            // The file is part of the build; a broken one is caught by the tests, and an
            // empty prior only makes small inputs cluster as if there were none.
            match flate2::read::GzDecoder::new(gz).read_to_string(&mut text) {
                Ok(_) => DfPrior::parse(&text),
                Err(_) => DfPrior::default(),
            }
        })
    }

    /// Parses the text form (see the module docs); malformed lines are skipped.
    pub fn parse(text: &str) -> DfPrior {
        let mut prior = DfPrior::default();
        for line in text.lines() {
            let Some((term, n)) = line.split_once('\t') else {
                continue;
            };
            let Ok(n) = n.trim().parse::<u32>() else {
                continue;
            };
            if term == "#docs" {
                prior.docs = n;
            } else {
                prior.df.insert(file_term_key(term), n);
            }
        }
        prior
    }

    /// Writes the text form from term → document-frequency counts over `docs` documents,
    /// keeping terms seen in at least `min_df` documents (rarer ones are as good as unseen).
    pub fn write(
        counts: &FxHashMap<String, u32>,
        docs: u32,
        min_df: u32,
        out: &mut impl std::io::Write,
    ) -> std::io::Result<()> {
        writeln!(out, "#docs\t{docs}")?;
        let mut rows: Vec<(&String, &u32)> = counts.iter().filter(|(_, n)| **n >= min_df).collect();
        rows.sort_unstable_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (term, n) in rows {
            writeln!(out, "{}\t{n}", file_term(term))?;
        }
        Ok(())
    }

    /// Number of background documents.
    pub fn docs(&self) -> u32 {
        self.docs
    }

    /// Background document frequency of a term hash (0 when unseen).
    #[inline]
    pub fn df(&self, term: u64) -> u32 {
        self.df.get(&term).copied().unwrap_or(0)
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.df.len()
    }

    /// True when the prior holds no terms.
    pub fn is_empty(&self) -> bool {
        self.df.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_then_parse_round_trips_and_drops_rare_terms() {
        let mut counts: FxHashMap<String, u32> = FxHashMap::default();
        counts.insert("中国".into(), 40);
        counts.insert("马朝".into(), 1);
        counts.insert(format!("{ENTITY_PREFIX}person:王毅"), 7);
        let mut out = Vec::new();
        DfPrior::write(&counts, 100, 2, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("#docs\t100\n"), "{text}");
        assert!(text.contains("ent:person:王毅\t7"), "{text}");
        assert!(!text.contains('\u{1}'));
        let prior = DfPrior::parse(&text);
        assert_eq!(prior.docs(), 100);
        assert_eq!(prior.len(), 2);
        assert_eq!(prior.df(hash_str("中国")), 40);
        assert_eq!(prior.df(hash_str("马朝")), 0);
        assert_eq!(
            prior.df(hash_str(&format!("{ENTITY_PREFIX}person:王毅"))),
            7
        );
    }

    #[test]
    fn malformed_lines_are_skipped() {
        let prior = DfPrior::parse("#docs\t10\nno tab here\n中国\tmany\n美国\t3\n");
        assert_eq!(prior.docs(), 10);
        assert_eq!(prior.len(), 1);
    }

    #[test]
    fn embedded_prior_knows_common_and_rare_news_words() {
        let prior = DfPrior::embedded();
        assert!(prior.docs() > 1000, "docs {}", prior.docs());
        assert!(prior.len() > 10_000, "terms {}", prior.len());
        // A word in most Chinese news is common; a rare name is rarer.
        let common = prior.df(hash_str("中国"));
        assert!(common * 4 > prior.docs(), "中国 in {common} docs");
        assert!(prior.df(hash_str("马朝")) < common / 10);
    }
}
