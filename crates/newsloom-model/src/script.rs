//! Which Chinese script a text is written in.
//!
//! Detection counts characters that exist in only one script. The two character sets are
//! derived from OpenCC's `TSCharacters`/`STCharacters` dictionaries (Apache-2.0): a character
//! is traditional-only when OpenCC converts it to something else in t2s and it is not itself
//! a simplified form, and vice versa. They live here, in the model crate, because every
//! reader must set `script` and none of them should need the whole conversion engine.

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Script {
    /// Simplified Chinese.
    Hans,
    /// Traditional Chinese.
    Hant,
    /// Both scripts in substantial amounts.
    Mixed,
    /// No (or almost no) Chinese characters.
    #[default]
    Latin,
}

impl Script {
    pub fn as_str(self) -> &'static str {
        match self {
            Script::Hans => "hans",
            Script::Hant => "hant",
            Script::Mixed => "mixed",
            Script::Latin => "latin",
        }
    }
}

/// A set of BMP characters as a bitmap: detection looks up every character of every
/// article, and a bit test is far cheaper than hashing.
struct CharSet(Box<[u64; 1024]>);

impl CharSet {
    fn new(chars: &str) -> Self {
        let mut bits = Box::new([0u64; 1024]);
        for c in chars.chars().map(|c| c as usize).filter(|&c| c < 65536) {
            bits[c / 64] |= 1 << (c % 64);
        }
        CharSet(bits)
    }

    fn contains(&self, c: char) -> bool {
        let c = c as usize;
        c < 65536 && self.0[c / 64] & (1 << (c % 64)) != 0
    }
}

struct Sets {
    hant: CharSet,
    hans: CharSet,
}

fn sets() -> &'static Sets {
    static SETS: OnceLock<Sets> = OnceLock::new();
    SETS.get_or_init(|| Sets {
        hant: CharSet::new(include_str!("script_hant.txt")),
        hans: CharSet::new(include_str!("script_hans.txt")),
    })
}

/// True for CJK unified ideographs (the BMP blocks and extension A).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// Detects the script of `text`.
///
/// Text with fewer Han characters than Latin letters is `Latin`. Otherwise the share of
/// script-specific characters decides; a text is `Mixed` only when the minority script has at
/// least a quarter of the specific characters (quoted names from the other script are normal
/// in news and must not make an article mixed).
pub fn detect_script(text: &str) -> Script {
    let sets = sets();
    let (mut han, mut latin, mut hant, mut hans) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars() {
        if c.is_ascii_alphabetic() {
            latin += 1;
        } else if is_han(c) {
            han += 1;
            if sets.hant.contains(c) {
                hant += 1;
            } else if sets.hans.contains(c) {
                hans += 1;
            }
        }
    }
    // A Chinese word is ~2 characters, an English word ~5 letters: compare words, not chars.
    if han == 0 || han * 5 < latin * 2 {
        return Script::Latin;
    }
    let specific = hant + hans;
    if specific == 0 {
        // Only characters common to both scripts: simplified is the safer default for matching.
        return Script::Hans;
    }
    let minority = hant.min(hans);
    if minority * 4 >= specific && minority >= 3 {
        Script::Mixed
    } else if hant > hans {
        Script::Hant
    } else {
        Script::Hans
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_scripts() {
        assert_eq!(
            detect_script("王毅會蒲亭 中方發布通篇未提習近平將訪俄"),
            Script::Hant
        );
        assert_eq!(
            detect_script("普京会晤王毅，证实习将访俄称俄中关系达到新境界"),
            Script::Hans
        );
        assert_eq!(
            detect_script("Putin meets Wang Yi in Moscow as Xi plans a visit"),
            Script::Latin
        );
        assert_eq!(
            detect_script("这是简体中文的句子，国际关系。這是繁體中文的句子，國際關係。"),
            Script::Mixed
        );
        assert_eq!(detect_script(""), Script::Latin);
    }
}
