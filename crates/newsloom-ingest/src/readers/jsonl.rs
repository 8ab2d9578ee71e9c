//! newsloom's own JSON Lines: one [`Article`] per line, as `newsloom ingest -o` writes them.
//! Import → export round-trips exactly: articles are taken as they are, not re-cleaned.

use super::ReadError;
use newsloom_model::Article;

/// True when the first non-empty line is a JSON object with an article's `id` and `body`.
pub fn sniff(text: &str) -> bool {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| {
            let l = l.trim_start();
            l.starts_with('{') && l.contains("\"id\"") && l.contains("\"body\"")
        })
}

/// Reads every line; a line that is not a valid article is an error naming its line number.
pub fn read(text: &str) -> Vec<Result<Article, (usize, ReadError)>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str::<Article>(line)
                .map_err(|e| (i + 1, ReadError::Invalid(format!("line {}: {e}", i + 1))))
        })
        .collect()
}
