//! The text view the clusterer needs: matching forms and (optionally) entities.
//!
//! Every feature (shingles, terms, passages) is computed from matching forms, so articles in
//! traditional and simplified script, or with regional name variants, compare equal by
//! construction once a [`TextView`] that folds script and names is plugged in (the
//! `newsloom-text` layer). [`BasicText`] is a dependency-free fallback that folds width and
//! case only; it keeps the crate usable on its own and in tests.

use newsloom_model::Article;

use newsloom_text::RecurringReport;

/// What the clusterer needs from the text layer.
pub trait TextView: Sync {
    /// The matching form of `text`: script, width, punctuation and name variants folded.
    fn matching_form(&self, text: &str) -> String;

    /// Canonical entity ids mentioned in the article (`"person:普京"`, …). Empty by default.
    fn entities(&self, _article: &Article) -> Vec<String> {
        Vec::new()
    }

    /// Quoted passages of the article, in matching form. Empty by default.
    fn quotes(&self, _article: &Article) -> Vec<String> {
        Vec::new()
    }

    /// The market report a title (matching form) published at `published` (seconds since
    /// the Unix epoch) announces. `None` by default.
    fn recurring_report(&self, _title_form: &str, _published: i64) -> Option<RecurringReport> {
        None
    }

    /// The company whose results a title (matching form) reports. `None` by default.
    fn results_company(&self, _title_form: &str) -> Option<String> {
        None
    }

    /// The named case a title (matching form) reports on. `None` by default.
    fn named_case(&self, _title_form: &str) -> Option<String> {
        None
    }
}

/// The newsloom text layer: t2s, width/punctuation folding, numerals and regional name
/// variants (川普 → 特朗普), so features are cross-script and cross-variant by construction.
/// Entities and quotes need a full analysis; [`crate::ArticleFeatures::from_analysis`] takes
/// them from an [`newsloom_text::Analysis`] the caller already has.
impl TextView for newsloom_text::TextLayer {
    fn matching_form(&self, text: &str) -> String {
        newsloom_text::TextLayer::matching_form(self, text)
    }

    fn recurring_report(&self, title_form: &str, published: i64) -> Option<RecurringReport> {
        let at = chrono::DateTime::from_timestamp(published, 0)?;
        newsloom_text::recurring_report(title_form, Some(at))
    }

    fn results_company(&self, title_form: &str) -> Option<String> {
        newsloom_text::company_results(title_form)
    }

    fn named_case(&self, title_form: &str) -> Option<String> {
        newsloom_text::named_case(title_form)
    }
}

/// Fallback matching form: full-width ASCII folded to half-width, Latin lowercased,
/// whitespace runs collapsed. No script conversion.
#[derive(Debug, Clone, Copy, Default)]
pub struct BasicText;

impl TextView for BasicText {
    fn matching_form(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut space = false;
        for c in text.chars() {
            let c = match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
                '\u{3000}' | '\u{00A0}' => ' ',
                _ => c,
            };
            if c.is_whitespace() {
                space = !out.is_empty();
                continue;
            }
            if space {
                out.push(' ');
                space = false;
            }
            out.extend(c.to_lowercase());
        }
        out
    }
}

/// True for Han ideographs (the characters bigrams are built from).
#[inline]
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// 64-bit hash of a term (FxHash with a finalizer so low bits are well mixed for band keys).
#[inline]
pub(crate) fn hash_str(s: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(s.as_bytes());
    mix64(h.finish())
}

/// SplitMix64 finalizer.
#[inline]
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Calls `f` with every index term of a matching-form text: Han character bigrams (robust
/// Chinese retrieval units that need no segmentation) and Latin/digit words. The clusterer
/// hashes them ([`hash_str`]); the document-frequency prior keeps them as text.
pub(crate) fn for_each_term_str(text: &str, trigrams: bool, mut f: impl FnMut(&str)) {
    // Terms are slices of `text` (a bigram is two adjacent characters of it), so nothing is
    // copied or re-validated as UTF-8: byte offsets of the previous two Han characters of
    // the current run, and of the start of the current Latin/digit word.
    let mut prev_han: Option<usize> = None;
    let mut prev2_han: Option<usize> = None;
    let mut word: Option<usize> = None;
    let term = |start: usize, end: usize| text.get(start..end).unwrap_or_default();
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if is_han(c) {
            if let Some(w) = word.take() {
                emit_word(term(w, i), &mut f);
            }
            if let Some(p) = prev_han {
                f(term(p, end));
                if trigrams && let Some(p2) = prev2_han {
                    f(term(p2, end));
                }
            }
            prev2_han = prev_han;
            prev_han = Some(i);
        } else {
            prev_han = None;
            prev2_han = None;
            if c.is_alphanumeric() {
                word.get_or_insert(i);
            } else if let Some(w) = word.take() {
                emit_word(term(w, i), &mut f);
            }
        }
    }
    if let Some(w) = word {
        emit_word(term(w, text.len()), &mut f);
    }
}

/// Emits a Latin/digit word when it can be a term: two characters or more, or any digit.
fn emit_word(word: &str, f: &mut impl FnMut(&str)) {
    let mut chars = word.chars();
    if (chars.next().is_some() && chars.next().is_some())
        || word.bytes().any(|b| b.is_ascii_digit())
    {
        f(word);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_folds_width_and_case() {
        assert_eq!(
            BasicText.matching_form("ＡＴＡＣＭＳ　導彈 Putin"),
            "atacms 導彈 putin"
        );
    }

    #[test]
    fn terms_are_bigrams_and_words() {
        let terms = |text: &str, trigrams: bool| {
            let mut out = Vec::new();
            for_each_term_str(text, trigrams, |t| out.push(t.to_string()));
            out
        };
        // "a" is too short; "5" is a digit; runs break at non-Han characters.
        assert_eq!(
            terms("王毅访俄 g20 a,5 é普京", false),
            ["王毅", "毅访", "访俄", "g20", "5", "普京"]
        );
        // A word ends at a Han character; a lone Han character is no term.
        assert_eq!(terms("访俄Putin说", true), ["访俄", "Putin"]);
        assert_eq!(
            terms("王毅访俄", true),
            ["王毅", "毅访", "王毅访", "访俄", "毅访俄"]
        );
    }
}
