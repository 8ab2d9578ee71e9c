//! Word segmentation (jieba-rs with a news user dictionary) and sentence splitting.

use jieba_rs::Jieba;

use crate::aliases::{EntityKind, ResolvedAliases};

/// Builds the segmenter: jieba's default dictionary plus every alias spelling (simplified),
/// tagged `nr`/`ns`/`nt`, so transliterated names (`蒲亭`, `扎哈洛娃`, `拉夫罗夫`) stay whole.
pub(crate) fn build_jieba(aliases: &ResolvedAliases) -> Jieba {
    let mut jieba = Jieba::new();
    let mut words: Vec<(&String, EntityKind)> = aliases
        .by_form
        .iter()
        .filter_map(|(form, &g)| aliases.groups.get(g).map(|grp| (form, grp.kind)))
        .collect();
    words.sort();
    for (word, kind) in words {
        // Names containing Latin letters, spaces or dots are not jieba words.
        if word.chars().count() < 2 || !word.chars().all(crate::fold::is_han) {
            continue;
        }
        let tag = match kind {
            EntityKind::Person => "nr",
            EntityKind::Place => "ns",
            EntityKind::Org => "nt",
            EntityKind::Other => "nz",
        };
        // Frequent enough to win over the split into known characters, not so frequent that
        // a name swallows a neighbouring word.
        let freq = jieba.suggest_freq(word).max(2_000);
        jieba.add_word(word, Some(freq), Some(tag));
    }
    jieba
}

const OPENERS: &[char] = &['“', '‘', '「', '『', '（', '(', '《', '【', '[', '〔'];
const CLOSERS: &[char] = &['”', '’', '」', '』', '）', ')', '》', '】', ']', '〕'];
const ENDERS: &[char] = &['。', '！', '？', '!', '?', '…', '；', ';'];

/// Quotes and brackets longer than this are taken as unbalanced (a missing closer) and stop
/// protecting sentence ends inside them.
const MAX_QUOTE_CHARS: usize = 400;

fn push<'a>(out: &mut Vec<&'a str>, s: &'a str) {
    let t = s.trim();
    if !t.is_empty() {
        out.push(t);
    }
}

/// Splits text into sentences. Line breaks always end a sentence. `。！？…；` end one outside
/// quotes and brackets; inside them they do not, and a quote that ends a sentence (`…。”`,
/// `…。」`) ends it after the closing mark, so the quote stays with its sentence.
pub fn split_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut depth = 0usize;
    let mut opened_at = 0usize; // char count when the outermost quote opened
    let mut pending_end = false; // an ender seen; split after trailing closers/enders
    let mut ended_inside = false; // an ender right before a closer inside a quote
    let mut count = 0usize;
    for (i, c) in text.char_indices() {
        count += 1;
        if pending_end {
            if CLOSERS.contains(&c) && depth > 0 {
                depth -= 1;
                continue;
            }
            if ENDERS.contains(&c) {
                continue;
            }
            push(&mut out, text.get(start..i).unwrap_or_default());
            start = i;
            pending_end = false;
        }
        if c == '\n' {
            push(&mut out, text.get(start..i).unwrap_or_default());
            start = i + 1;
            depth = 0;
            ended_inside = false;
            continue;
        }
        if depth > 0 && count - opened_at > MAX_QUOTE_CHARS {
            depth = 0;
        }
        if OPENERS.contains(&c) {
            if depth == 0 {
                opened_at = count;
            }
            depth += 1;
            ended_inside = false;
        } else if CLOSERS.contains(&c) {
            if depth > 0 {
                depth -= 1;
                if depth == 0 && ended_inside {
                    pending_end = true;
                }
            }
            ended_inside = false;
        } else if ENDERS.contains(&c) {
            if depth == 0 {
                pending_end = true;
            } else {
                ended_inside = true;
            }
        } else if !c.is_whitespace() {
            ended_inside = false;
        }
    }
    push(&mut out, text.get(start..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_stay_with_their_sentence() {
        let s = split_sentences("他说：“我们来了。你们呢？”随后离开。第二句「好。」第三句。");
        // A quote that ends with 。” ends its sentence, the convention of Chinese copy.
        assert_eq!(
            s,
            vec![
                "他说：“我们来了。你们呢？”",
                "随后离开。",
                "第二句「好。」",
                "第三句。"
            ]
        );
        let s = split_sentences("王毅说：“中俄关系稳如泰山，不针对第三方”。随后离开。");
        assert_eq!(
            s,
            vec!["王毅说：“中俄关系稳如泰山，不针对第三方”。", "随后离开。"]
        );
    }

    #[test]
    fn closing_quote_after_end() {
        let s = split_sentences(
            "“当前俄中关系正朝着既定目标前进，”普京说。“双方合作富有成果。”王毅表示同意。",
        );
        assert_eq!(
            s,
            vec![
                "“当前俄中关系正朝着既定目标前进，”普京说。",
                "“双方合作富有成果。”",
                "王毅表示同意。"
            ]
        );
    }

    #[test]
    fn newlines_and_brackets() {
        let s = split_sentences("甲（乙。丙）丁。\n戊！己");
        assert_eq!(s, vec!["甲（乙。丙）丁。", "戊！", "己"]);
    }
}
