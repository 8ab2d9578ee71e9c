//! Body-text agreement between an extraction and a gold label: shingle precision/recall/F1.
//!
//! Text is cut into tokens where every CJK character is one token and a run of Latin letters
//! or digits is one (lower-cased) token; punctuation and whitespace are not tokens. The
//! multisets of 4-token shingles are compared. `bench/score.py` implements the same measure
//! for the Python peers.

use std::collections::HashMap;

/// Shingle length in tokens.
pub const SHINGLE: usize = 4;

fn is_cjk_token(c: char) -> bool {
    // CJK radicals through unified ideographs, minus CJK symbols and punctuation (U+3000–303F).
    matches!(c, '\u{2E80}'..='\u{2FFF}' | '\u{3040}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ('\u{C0}'..='\u{24F}').contains(&c)
}

/// The tokens of `text`.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if is_word_char(c) {
            word.extend(c.to_lowercase());
            continue;
        }
        if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if is_cjk_token(c) {
            out.push(c.to_string());
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn shingles(text: &str) -> HashMap<Vec<String>, usize> {
    let toks = tokens(text);
    let mut out = HashMap::new();
    if toks.is_empty() {
        return out;
    }
    if toks.len() < SHINGLE {
        out.insert(toks, 1);
        return out;
    }
    for w in toks.windows(SHINGLE) {
        *out.entry(w.to_vec()).or_insert(0) += 1;
    }
    out
}

/// (precision, recall, F1) of `predicted` against `gold`; both empty counts as a perfect match.
pub fn shingle_prf(predicted: &str, gold: &str) -> (f64, f64, f64) {
    let p = shingles(predicted);
    let g = shingles(gold);
    if p.is_empty() && g.is_empty() {
        return (1.0, 1.0, 1.0);
    }
    let overlap: usize = p
        .iter()
        .map(|(k, n)| (*n).min(g.get(k).copied().unwrap_or(0)))
        .sum();
    let p_total: usize = p.values().sum();
    let g_total: usize = g.values().sum();
    let precision = if p_total == 0 {
        0.0
    } else {
        overlap as f64 / p_total as f64
    };
    let recall = if g_total == 0 {
        0.0
    } else {
        overlap as f64 / g_total as f64
    };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    (precision, recall, f1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_chars_and_latin_words_are_tokens() {
        assert_eq!(
            tokens("华为Mate 70，发布。"),
            vec!["华", "为", "mate", "70", "发", "布"]
        );
    }

    #[test]
    fn prf() {
        assert_eq!(shingle_prf("今天天气很好", "今天天气很好"), (1.0, 1.0, 1.0));
        let (p, r, _) = shingle_prf("今天天气很好。广告广告广告", "今天天气很好");
        assert!(p < 0.5 && (r - 1.0).abs() < 1e-9);
        assert_eq!(shingle_prf("", "今天天气很好").2, 0.0);
    }
}
