//! One reader per input format, and the detection that picks one for a file.

pub mod feedmd;
pub mod feeds;
pub mod html;
pub mod jsonl;
pub mod mirror;

use crate::draft::Draft;
use newsloom_extract::encoding::decode_html;
use newsloom_model::Article;
use std::borrow::Cow;
use std::io::Read;

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("empty file")]
    Empty,
    #[error("binary data, not text (NUL bytes or undecodable)")]
    Binary,
    #[error("not a format newsloom reads")]
    UnknownFormat,
    #[error("{0}")]
    Malformed(&'static str),
    #[error("{0}")]
    Invalid(String),
    #[error("no article text found")]
    NoBody,
    #[error("gzip: {0}")]
    Gzip(String),
}

/// What reading one document gave: articles, a deliberate skip (a list page), or errors for
/// the parts that could not be read (a feed entry, a JSON line).
#[derive(Debug, Default)]
pub struct Outcome {
    pub articles: Vec<Article>,
    pub skipped: Option<String>,
    pub errors: Vec<(String, ReadError)>,
}

/// Reads one document: decompresses gzip, decodes the text, detects the format and runs the
/// reader. `path` names the document in articles and errors.
pub fn read_document(bytes: &[u8], path: &str) -> Outcome {
    let mut outcome = Outcome::default();
    let bytes = match gunzip_if_needed(bytes) {
        Ok(b) => b,
        Err(e) => return outcome.fail(path, e),
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return outcome.fail(path, ReadError::Empty);
    }
    if looks_binary(&bytes) {
        return outcome.fail(path, ReadError::Binary);
    }
    let lower = path.to_ascii_lowercase();
    let is_html_name = [
        ".html",
        ".htm",
        ".shtml",
        ".html.gz",
        ".htm.gz",
        ".shtml.gz",
    ]
    .iter()
    .any(|e| lower.ends_with(e));
    if feeds::sniff(&String::from_utf8_lossy(&bytes[..bytes.len().min(1024)])) {
        return read_feed(&bytes, path, outcome);
    }
    if is_html_name || html::sniff(&bytes) {
        return html::read(&bytes, path, outcome);
    }
    let decoded = decode_html(&bytes, None, None);
    let text: &str = &decoded.text;
    if decoded.errors * 20 > text.chars().count().max(1) {
        return outcome.fail(path, ReadError::Binary);
    }
    let draft = if feedmd::sniff_jekyll(text) {
        feedmd::read_jekyll(text, path)
    } else if mirror::sniff(text) {
        mirror::read(text, path)
    } else if feedmd::sniff(text) {
        feedmd::read(text, path)
    } else if jsonl::sniff(text) {
        for result in jsonl::read(text) {
            match result {
                Ok(article) => outcome.articles.push(article),
                Err((line, e)) => outcome.errors.push((format!("{path}:{line}"), e)),
            }
        }
        return outcome;
    } else {
        Err(ReadError::UnknownFormat)
    };
    match draft {
        Ok(d) => outcome.push_draft(d),
        Err(e) => outcome.errors.push((path.to_string(), e)),
    }
    outcome
}

fn read_feed(bytes: &[u8], path: &str, mut outcome: Outcome) -> Outcome {
    match feeds::read(bytes, path) {
        Ok(entries) => {
            for (i, entry) in entries.into_iter().enumerate() {
                match entry {
                    Ok(d) => outcome.push_draft(d),
                    Err(e) => outcome.errors.push((format!("{path}#{}", i + 1), e)),
                }
            }
        }
        Err(e) => outcome.errors.push((path.to_string(), e)),
    }
    outcome
}

impl Outcome {
    fn fail(mut self, path: &str, error: ReadError) -> Outcome {
        self.errors.push((path.to_string(), error));
        self
    }

    /// Turns a draft into an article; one with no body text is an error, not an article.
    pub(crate) fn push_draft(&mut self, draft: Draft) {
        self.push_draft_allowing_headline_only(draft, false);
    }

    /// Like [`Outcome::push_draft`]; with `headline_only`, an article with a title and no
    /// text is kept. Outlet pages that publish only a headline (flash news) are complete
    /// articles; a feed entry or mirror without text is a pointer to an article it lacks.
    pub(crate) fn push_draft_allowing_headline_only(&mut self, draft: Draft, headline_only: bool) {
        let path = draft.path.clone();
        let article = draft.into_article();
        let headline_article = headline_only && !article.title.is_empty();
        if article.body.is_empty() && !headline_article {
            self.errors.push((path, ReadError::NoBody));
        } else {
            self.articles.push(article);
        }
    }
}

/// Decompresses gzip input (by magic bytes, whatever the name), bounded so that a
/// decompression bomb cannot exhaust memory.
fn gunzip_if_needed(bytes: &[u8]) -> Result<Cow<'_, [u8]>, ReadError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(Cow::Borrowed(bytes));
    }
    const LIMIT: u64 = 512 * 1024 * 1024;
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .take(LIMIT + 1)
        .read_to_end(&mut out)
        .map_err(|e| ReadError::Gzip(e.to_string()))?;
    if out.len() as u64 > LIMIT {
        return Err(ReadError::Gzip("decompresses to more than 512 MiB".into()));
    }
    Ok(Cow::Owned(out))
}

/// Text never holds NUL bytes or many control characters; UTF-16 (with a BOM) is text.
fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x09 || (0x0e..0x20).contains(&b) && b != 0x1b)
        .count();
    memchr::memchr(0, head).is_some() || controls * 50 > head.len()
}

/// The first URL in a string (`https://…` up to whitespace or a closing bracket).
pub fn first_url(s: &str) -> Option<String> {
    let start = s.find("http://").or_else(|| s.find("https://"))?;
    let url: String = s[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '<' | '>' | ')' | '）'))
        .collect();
    (url.len() > "https://".len()).then_some(url)
}
