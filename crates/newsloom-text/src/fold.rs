//! Width, punctuation and whitespace folding: the character-level part of the matching form.
//!
//! Outlets differ in typography more than in content: Taiwan and Hong Kong outlets quote with
//! `「」『』`, mainland ones with `“”‘’`; some type digits and Latin letters full-width; name
//! separators come as `·`, `‧`, `・` or `•`. None of that changes what a sentence says, so the
//! matching form folds it all to one spelling.

/// Folds one character, or returns `None` when it should be dropped (zero-width characters).
#[inline]
pub(crate) fn fold_char(c: char) -> Option<char> {
    let folded = match c {
        // Full-width ASCII block: `０`..`９`, `Ａ`..`Ｚ`, `（`, `，`, `：` …
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
        '「' | '﹁' => '“',
        '」' | '﹂' => '”',
        '『' | '﹃' => '‘',
        '』' | '﹄' => '’',
        // Name separators in transliterated names (弗拉迪米尔·普京 / 弗拉迪米爾‧普丁).
        '‧' | '・' | '•' | '∙' | '⋅' | '･' => '·',
        '\u{3000}' | '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\t' => ' ',
        '\r' => '\n',
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => return None,
        _ => c,
    };
    Some(folded)
}

/// True for characters of CJK text (ideographs, CJK punctuation, full-width forms), where
/// spaces carry no meaning and are dropped from the matching form.
#[inline]
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}'
        | '\u{3000}'..='\u{303F}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '“' | '”' | '‘' | '’' | '·' | '…' | '—'
    )
}

/// True for Han ideographs only.
#[inline]
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}' | '〇'
    )
}

/// Folds width and punctuation and cleans whitespace: runs of spaces collapse to one, spaces
/// next to CJK text disappear (they are layout, `王毅访俄 莫斯科`), line breaks are kept as
/// single `\n` paragraph separators, and the ends are trimmed.
pub(crate) fn fold(text: &str) -> String {
    fold_observing(text, |_| {})
}

/// [`fold`], calling `observe` with every character it writes (so a caller can learn about
/// the folded text, e.g. its script, without a second pass over it).
#[inline]
pub(crate) fn fold_observing(text: &str, mut observe: impl FnMut(char)) -> String {
    let mut out = String::with_capacity(text.len());
    // Pending whitespace: 0 none, 1 space, 2 newline.
    let mut pending = 0u8;
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(raw) = chars.next() {
        let Some(mut c) = fold_char(raw) else {
            continue;
        };
        // Taiwan copy often separates name parts with a period (戴爾.哈里斯): between two
        // Han characters a period is always a name dot, never a sentence end.
        if c == '.' && prev.is_some_and(is_han) && chars.peek().is_some_and(|&n| is_han(n)) {
            c = '·';
        }
        if c == '\n' {
            pending = 2;
            continue;
        }
        if c.is_whitespace() {
            pending = pending.max(1);
            continue;
        }
        if pending > 0 {
            if let Some(p) = prev {
                if pending == 2 {
                    out.push('\n');
                    observe('\n');
                } else if !is_cjk(p) && !is_cjk(c) {
                    out.push(' ');
                    observe(' ');
                }
            }
            pending = 0;
        }
        out.push(c);
        observe(c);
        prev = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_quotes_and_spaces() {
        assert_eq!(
            fold("「成熟堅韌」　２０２３年 ＡＢＣ"),
            "“成熟堅韌”2023年ABC"
        );
        assert_eq!(fold("王毅访俄 莫斯科"), "王毅访俄莫斯科");
        assert_eq!(
            fold("  Vladimir   Putin \n\n 普京‧x "),
            "Vladimir Putin\n普京·x"
        );
        assert_eq!(fold("a\u{200B}b"), "ab");
        assert_eq!(fold("戴爾.哈里斯 2.0"), "戴爾·哈里斯2.0");
    }
}
