//! The text view the clusterer needs: matching forms and (optionally) entities.
//!
//! Every feature (shingles, terms, passages) is computed from matching forms, so articles in
//! traditional and simplified script, or with regional name variants, compare equal by
//! construction once a [`TextView`] that folds script and names is plugged in (the
//! `newsloom-text` layer). [`BasicText`] is a dependency-free fallback that folds width and
//! case only; it keeps the crate usable on its own and in tests.

use newsloom_model::Article;

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
}

/// The newsloom text layer: t2s, width/punctuation folding, numerals and regional name
/// variants (川普 → 特朗普), so features are cross-script and cross-variant by construction.
/// Entities and quotes need a full analysis; [`crate::ArticleFeatures::from_analysis`] takes
/// them from an [`newsloom_text::Analysis`] the caller already has.
impl TextView for newsloom_text::TextLayer {
    fn matching_form(&self, text: &str) -> String {
        newsloom_text::TextLayer::matching_form(self, text)
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

/// Calls `f` with the hash of every index term of a matching-form text: Han character
/// bigrams (robust Chinese retrieval units that need no segmentation) and Latin/digit words.
pub(crate) fn for_each_term(text: &str, trigrams: bool, mut f: impl FnMut(u64)) {
    for_each_term_str(text, trigrams, |t| f(hash_str(t)));
}

/// Calls `f` with every index term of a matching-form text as a string (see
/// [`for_each_term`]); used where the terms themselves are kept, e.g. the document-frequency
/// prior.
pub(crate) fn for_each_term_str(text: &str, trigrams: bool, mut f: impl FnMut(&str)) {
    let mut prev_han: Option<char> = None;
    let mut prev2_han: Option<char> = None;
    let mut word = String::new();
    let flush = |word: &mut String, f: &mut dyn FnMut(&str)| {
        if word.chars().count() >= 2 || word.chars().any(|c| c.is_ascii_digit()) {
            f(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if is_han(c) {
            flush(&mut word, &mut f);
            if let Some(p) = prev_han {
                let mut buf = [0u8; 8];
                let n1 = p.encode_utf8(&mut buf).len();
                let n2 = c.encode_utf8(&mut buf[n1..]).len();
                f(std::str::from_utf8(&buf[..n1 + n2]).unwrap_or_default());
                if trigrams && let Some(p2) = prev2_han {
                    let mut buf3 = [0u8; 12];
                    let m1 = p2.encode_utf8(&mut buf3).len();
                    let m2 = p.encode_utf8(&mut buf3[m1..]).len();
                    let m3 = c.encode_utf8(&mut buf3[m1 + m2..]).len();
                    f(std::str::from_utf8(&buf3[..m1 + m2 + m3]).unwrap_or_default());
                }
            }
            prev2_han = prev_han;
            prev_han = Some(c);
        } else {
            prev_han = None;
            prev2_han = None;
            if c.is_alphanumeric() {
                word.push(c);
            } else {
                flush(&mut word, &mut f);
            }
        }
    }
    flush(&mut word, &mut f);
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
        let mut n = 0;
        for_each_term("王毅访俄 g20 a", false, |_| n += 1);
        // 王毅 毅访 访俄 + g20 ("a" is too short)
        assert_eq!(n, 4);
    }
}
