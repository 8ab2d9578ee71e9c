//! The reader's script: every text can be shown in simplified or traditional characters.
//!
//! Traditional → simplified uses newsloom-text's embedded OpenCC `t2s` tables (the same ones
//! the matching forms use); simplified → traditional uses OpenCC's `s2t` through
//! `ferrous-opencc` (newsloom-text embeds only the t2s direction). `s2t` rather than `s2tw`:
//! the reader asked for a script, not for Taiwan vocabulary.

use std::sync::OnceLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use serde::{Deserialize, Serialize};

/// The script a reader chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ReaderScript {
    /// Simplified characters.
    #[default]
    Hans,
    /// Traditional characters.
    Hant,
}

impl ReaderScript {
    pub fn as_str(self) -> &'static str {
        match self {
            ReaderScript::Hans => "hans",
            ReaderScript::Hant => "hant",
        }
    }
}

fn s2t_converter() -> Option<&'static OpenCC> {
    static CONVERTER: OnceLock<Option<OpenCC>> = OnceLock::new();
    CONVERTER
        .get_or_init(|| OpenCC::from_config(BuiltinConfig::S2t).ok())
        .as_ref()
}

/// Simplified characters (traditional ones converted; others unchanged).
pub fn to_hans(text: &str) -> String {
    newsloom_text::t2s(text)
}

/// Traditional characters (simplified ones converted; others unchanged). If the embedded
/// OpenCC configuration cannot be loaded (it is compiled into the binary, so this would be
/// a build defect) the text is returned unchanged rather than lost.
pub fn to_hant(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    match s2t_converter() {
        Some(cc) => cc.convert(text),
        None => text.to_string(),
    }
}

/// `text` in the reader's script.
pub fn render(text: &str, script: ReaderScript) -> String {
    match script {
        ReaderScript::Hans => to_hans(text),
        ReaderScript::Hant => to_hant(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_directions() {
        assert_eq!(to_hans("成熟堅韌、穩如泰山"), "成熟坚韧、稳如泰山");
        assert_eq!(to_hant("成熟坚韧、稳如泰山"), "成熟堅韌、穩如泰山");
        assert_eq!(render("abc", ReaderScript::Hant), "abc");
    }
}
