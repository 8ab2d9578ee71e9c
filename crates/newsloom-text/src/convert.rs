//! Script conversion: traditional → simplified with OpenCC's `t2s` phrase and character
//! dictionaries (through `ferrous-opencc`, which embeds OpenCC's own dictionary files).
//!
//! `t2s` rather than `tw2sp`/`hk2s`: OpenCC's regional phrase tables are computing vocabulary
//! (`執行`→`运行`, `建立`→`创建`, `支援`→`支持`) that rewrites ordinary news words and would
//! split Taiwan copy away from mainland copy of the same sentence (see the crate README for the
//! measurement). Regional *names* (`紐西蘭`, `寮國`, `川普`) are handled by the alias table.

use std::sync::OnceLock;

use ferrous_opencc::{OpenCC, config::BuiltinConfig};

static T2S: OnceLock<Option<OpenCC>> = OnceLock::new();

/// The shared `t2s` converter, built once per process (the dictionaries are embedded, so this
/// only fails if the crate itself is broken; then conversion degrades to the identity).
fn converter() -> Option<&'static OpenCC> {
    T2S.get_or_init(|| OpenCC::from_config(BuiltinConfig::T2s).ok())
        .as_ref()
}

/// True when every character of `text` is ASCII: nothing to convert.
#[inline]
fn is_ascii(text: &str) -> bool {
    text.is_ascii()
}

/// Converts traditional script to simplified (OpenCC `t2s`). Simplified text passes unchanged.
pub fn t2s(text: &str) -> String {
    if is_ascii(text) {
        return text.to_string();
    }
    match converter() {
        Some(cc) => cc.convert(text),
        None => text.to_string(),
    }
}

/// The key a name is compared by: width-folded and simplified, nothing else.
pub(crate) fn name_key(name: &str) -> String {
    t2s(&crate::fold::fold(name))
}
