//! The newsloom article model.
//!
//! Every reader (mirror markdown, feed markdown, Jekyll posts, feeds, JSON Lines, HTML pages)
//! produces an [`Article`]; every later stage (text normalization, fingerprints, clustering,
//! the store, the views) consumes one. The JSON form is part of newsloom's public interface:
//! field names are `snake_case`, optional fields are always present (as `null` or `[]`), and
//! new fields are only ever added, never renamed. `docs/article.md` documents it.

mod script;

use chrono::{DateTime, FixedOffset, SecondsFormat};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use script::{Script, detect_script};

/// One clean news article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable identifier: the same article gets the same id on every run (see [`article_id`]).
    pub id: String,
    /// Where this copy of the article was read from.
    pub source: Source,
    /// The outlet's display name, e.g. `看中国`, `中央社`.
    pub outlet: String,
    /// A stable slug for the outlet, e.g. `secretchina`, `cna`.
    pub outlet_id: String,
    /// The original article URL at the outlet.
    pub url: Option<String>,
    /// Where the article was mirrored or aggregated, if it was read from a mirror.
    pub mirror_url: Option<String>,
    pub title: String,
    /// Publication time with its UTC offset (RFC 3339 in JSON).
    #[serde(with = "rfc3339_opt")]
    pub published: Option<DateTime<FixedOffset>>,
    /// How much of `published` the source actually stated.
    pub published_precision: Option<Precision>,
    pub authors: Vec<String>,
    pub editors: Vec<String>,
    /// The place the report was filed from, e.g. `台北`, `北京`.
    pub dateline: Option<String>,
    pub script: Script,
    /// BCP 47 language tag: `zh`, `en`, …
    pub language: String,
    /// The article text in reading order, boilerplate removed.
    pub body: Vec<Block>,
    pub images: Vec<Image>,
    /// Links the page recommends, kept out of the body.
    pub related: Vec<Link>,
}

/// Where an article was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The file path (as given on the command line) or URL.
    pub path: String,
    pub format: Format,
}

/// The input formats newsloom reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Mirror markdown: `### title`, navigation, prettified outlet HTML, share footer.
    MirrorMarkdown,
    /// Feed-to-markdown: `<!--epoch-ms-->`, `[title](url)`, RFC 2822 date, HTML body.
    FeedMarkdown,
    /// A Jekyll post: YAML front matter followed by a feed-markdown body.
    JekyllPost,
    Rss,
    Atom,
    JsonFeed,
    /// newsloom's own JSON Lines of articles.
    Jsonl,
    /// An HTML page (outlet page or rendered aggregator page).
    Html,
}

impl Format {
    /// An item of a feed (RSS, Atom, JSON Feed): what the outlet chose to syndicate, often
    /// a summary or an earlier state of the page it links to.
    pub fn is_feed_item(self) -> bool {
        matches!(self, Format::Rss | Format::Atom | Format::JsonFeed)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::MirrorMarkdown => "mirror_markdown",
            Format::FeedMarkdown => "feed_markdown",
            Format::JekyllPost => "jekyll_post",
            Format::Rss => "rss",
            Format::Atom => "atom",
            Format::JsonFeed => "json_feed",
            Format::Jsonl => "jsonl",
            Format::Html => "html",
        }
    }
}

/// How precise a publication time is: a dateline that says only the day is `Date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    Date,
    Minute,
    Second,
}

/// One block of body text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
}

impl Block {
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Self {
        Block {
            kind,
            text: text.into(),
        }
    }
    pub fn paragraph(text: impl Into<String>) -> Self {
        Block::new(BlockKind::Paragraph, text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Paragraph,
    Heading,
    Quote,
    ListItem,
}

/// An image of the article with its caption and credit (the photographer or agency).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    pub url: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
}

/// A link the page recommends (related articles, "read more").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub url: String,
    pub title: String,
}

impl Article {
    /// The body as plain text, one block a line.
    pub fn body_text(&self) -> String {
        let mut out = String::new();
        for block in &self.body {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&block.text);
        }
        out
    }

    /// Number of characters of body text.
    pub fn body_chars(&self) -> usize {
        self.body.iter().map(|b| b.text.chars().count()).sum()
    }
}

/// The stable id of an article.
///
/// Identity comes from the original URL when there is one (so a changed page is a new
/// revision of the same article, and the same article read through a mirror and through a
/// feed gets one id); otherwise from the mirror URL; otherwise from outlet, day and title.
/// The id is the first 16 hex digits of a BLAKE3 hash, prefixed with `a`.
pub fn article_id(
    url: Option<&str>,
    mirror_url: Option<&str>,
    outlet_id: &str,
    published: Option<&DateTime<FixedOffset>>,
    title: &str,
) -> String {
    let key = match (url, mirror_url) {
        (Some(u), _) => format!("url:{}", normalize_url_for_id(u)),
        (None, Some(m)) => format!("mirror:{}", normalize_url_for_id(m)),
        (None, None) => {
            let day = published
                .map(|p| p.format("%Y-%m-%d").to_string())
                .unwrap_or_default();
            format!("title:{outlet_id}:{day}:{}", title.trim())
        }
    };
    let hash = blake3::hash(key.as_bytes());
    format!("a{}", &hash.to_hex()[..16])
}

/// Folds away differences that do not change which page a URL names: scheme, `www.`,
/// trailing slash, fragment, and tracking query strings.
fn normalize_url_for_id(url: &str) -> String {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or(url);
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    let kept: Vec<&str> = query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter(|kv| !kv.is_empty() && !is_tracking_param(kv))
        .collect();
    let mut out = path.trim_end_matches('/').to_lowercase();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    out
}

fn is_tracking_param(kv: &str) -> bool {
    let key = kv.split('=').next().unwrap_or(kv);
    key.starts_with("utm_") || matches!(key, "ref" | "from" | "spm" | "fbclid" | "gclid")
}

/// Serializes times as RFC 3339, with `Z` for UTC, whole seconds unless the source had more.
pub mod rfc3339_opt {
    use super::*;

    pub fn serialize<S: Serializer>(
        value: &Option<DateTime<FixedOffset>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(t) => serializer.serialize_str(&t.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
        let raw: Option<String> = Option::deserialize(deserializer)?;
        raw.map(|s| DateTime::parse_from_rfc3339(&s).map_err(serde::de::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_ignores_scheme_www_fragment_and_tracking() {
        let a = article_id(
            Some("https://www.cna.com.tw/news/aopl/1.aspx?utm_source=x#top"),
            None,
            "cna",
            None,
            "t",
        );
        let b = article_id(
            Some("http://cna.com.tw/news/aopl/1.aspx/"),
            None,
            "cna",
            None,
            "other",
        );
        assert_eq!(a, b);
        let c = article_id(
            Some("https://cna.com.tw/news/aopl/2.aspx"),
            None,
            "cna",
            None,
            "t",
        );
        assert_ne!(a, c);
        assert_eq!(a.len(), 17);
    }

    #[test]
    fn time_serializes_with_offset_and_z() {
        let t = DateTime::parse_from_rfc3339("2023-02-23T00:00:00+08:00").unwrap();
        let mut s = Vec::new();
        rfc3339_opt::serialize(&Some(t), &mut serde_json::Serializer::new(&mut s)).unwrap();
        assert_eq!(
            String::from_utf8(s).unwrap(),
            "\"2023-02-23T00:00:00+08:00\""
        );
        let u = DateTime::parse_from_rfc3339("2023-02-22T18:04:07+00:00").unwrap();
        assert_eq!(
            u.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            "2023-02-22T18:04:07Z"
        );
    }
}
