//! Feed markdown (seed 002) and Jekyll posts (seed 004, nodebe4-oped2).
//!
//! ```text
//! ---                                  ← Jekyll only: YAML front matter
//! title: "…"  date: …  author: …  from: https://…  tags: [ … ]
//! ---
//! <!--1677087543000-->                 ← when the mirror fetched it (epoch ms)
//! [title](https://original/url)
//! ------
//! <div><i>Wed, 22 Feb 2023 17:22:43 GMT</i></div><p>…HTML body…
//! ```

use super::{ReadError, first_url};
use crate::draft::{Draft, Stamp};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use newsloom_extract::fragment_from_html;
use newsloom_model::{Format, Precision};
use regex::Regex;
use serde::Deserialize;
use std::sync::LazyLock;

static EPOCH_COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*<!--\s*(\d{10,13})\s*-->").expect("static regex"));
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*<div>\s*<i>([^<]{6,60})</i>\s*</div>").expect("static regex")
});

/// True when `text` is a feed-markdown document (without front matter).
pub fn sniff(text: &str) -> bool {
    let head = text
        .get(..text.len().min(2048))
        .unwrap_or(text)
        .trim_start();
    EPOCH_COMMENT.is_match(head)
        || (head.starts_with('[') && title_link(head.lines().next().unwrap_or("")).is_some())
}

/// True when `text` starts with YAML front matter.
pub fn sniff_jekyll(text: &str) -> bool {
    let t = text.trim_start_matches('\u{feff}');
    t.starts_with("---\n") || t.starts_with("---\r\n")
}

#[derive(Debug, Default, Deserialize)]
struct FrontMatter {
    title: Option<String>,
    date: Option<serde_yaml_ng::Value>,
    author: Option<serde_yaml_ng::Value>,
    from: Option<String>,
    tags: Option<serde_yaml_ng::Value>,
    categories: Option<serde_yaml_ng::Value>,
    lang: Option<String>,
}

pub fn read_jekyll(text: &str, path: &str) -> Result<Draft, ReadError> {
    let t = text.trim_start_matches('\u{feff}');
    let after_open = t.split_once('\n').map_or("", |(_, rest)| rest);
    let (yaml, body) = split_front_matter(after_open)
        .ok_or(ReadError::Malformed("front matter is not closed by `---`"))?;
    let fm: FrontMatter = serde_yaml_ng::from_str(yaml)
        .map_err(|e| ReadError::Invalid(format!("front matter: {e}")))?;
    let mut draft = read_body(body, path)?;
    draft.format = Some(Format::JekyllPost);
    if let Some(title) = fm.title.filter(|t| !t.trim().is_empty()) {
        draft.title = title.trim().to_string();
    }
    if let Some(stamp) = fm.date.as_ref().and_then(yaml_time) {
        draft.published = Some(stamp);
    }
    if let Some(from) = fm.from.as_deref().and_then(first_url) {
        draft.url = Some(from);
    }
    // Jekyll mirrors put the outlet (`(臺)中央社CNA`) or a person in `author`; tags and
    // categories often repeat the outlet. Whichever names a known outlet is the outlet hint.
    let author = fm.author.as_ref().map(yaml_strings).unwrap_or_default();
    let labels: Vec<String> = [fm.categories.as_ref(), fm.tags.as_ref()]
        .into_iter()
        .flatten()
        .flat_map(yaml_strings)
        .collect();
    let known = author
        .iter()
        .chain(&labels)
        .find(|n| newsloom_extract::outlet::by_name(n).is_some());
    draft.outlet_hint = known.cloned().or_else(|| labels.first().cloned());
    for name in author {
        if newsloom_extract::outlet::by_name(&name).is_none()
            && Some(&name) != draft.outlet_hint.as_ref()
        {
            draft.authors.push(name);
        }
    }
    draft.language = fm.lang;
    if draft.title.is_empty() {
        return Err(ReadError::Malformed("Jekyll post without a title"));
    }
    Ok(draft)
}

fn split_front_matter(s: &str) -> Option<(&str, &str)> {
    let mut offset = 0;
    for line in s.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some((&s[..offset], &s[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

pub fn read(text: &str, path: &str) -> Result<Draft, ReadError> {
    let draft = read_body(text, path)?;
    if draft.title.is_empty() {
        return Err(ReadError::Malformed(
            "feed markdown without a `[title](url)` line",
        ));
    }
    Ok(draft)
}

/// Reads the feed-markdown body; the title line is optional (Jekyll posts may have only HTML).
fn read_body(text: &str, path: &str) -> Result<Draft, ReadError> {
    let mut draft = Draft {
        path: path.to_string(),
        format: Some(Format::FeedMarkdown),
        ..Draft::default()
    };
    let mut rest = text.trim_start();
    if let Some(c) = EPOCH_COMMENT.captures(rest) {
        draft.fallback_time = c.get(1).and_then(|m| epoch_stamp(m.as_str()));
        rest = rest[c.get(0).map_or(0, |m| m.end())..].trim_start();
    }
    let first_line = rest.lines().next().unwrap_or("");
    if let Some((title, url)) = title_link(first_line) {
        draft.title = title;
        draft.url = Some(url);
        rest = rest[first_line.len()..].trim_start();
        // The markdown underline of the title.
        if let Some(line) = rest
            .lines()
            .next()
            .filter(|l| l.trim().chars().all(|c| c == '-' || c == '=') && !l.trim().is_empty())
        {
            rest = rest[line.len()..].trim_start();
        }
    }
    if let Some(c) = DATE_LINE.captures(rest) {
        draft.published = c.get(1).and_then(|m| parse_feed_date(m.as_str().trim()));
        rest = &rest[c.get(0).map_or(0, |m| m.end())..];
    }
    let fragment = fragment_from_html(rest);
    draft.body = fragment.blocks;
    draft.images = fragment.images;
    draft.related = fragment.related;
    Ok(draft)
}

/// `[title](url)` → (title, url). Titles may contain brackets, so split at the last `](`.
fn title_link(line: &str) -> Option<(String, String)> {
    let line = line.trim();
    let inner = line.strip_prefix('[')?.strip_suffix(')')?;
    let split = inner.rfind("](")?;
    let title = inner[..split].trim();
    let url = first_url(&inner[split + 2..])?;
    (!title.is_empty()).then(|| (title.to_string(), url))
}

fn epoch_stamp(digits: &str) -> Option<Stamp> {
    let n: i64 = digits.parse().ok()?;
    let millis = if digits.len() >= 13 { n } else { n * 1000 };
    let t = Utc.timestamp_millis_opt(millis).single()?;
    Some((t.fixed_offset(), Precision::Second))
}

/// Dates as feeds write them: RFC 2822, RFC 3339, or `YYYY-MM-DD HH:MM[:SS]`.
pub fn parse_feed_date(s: &str) -> Option<Stamp> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Some((t, Precision::Second));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some((t, Precision::Second));
    }
    for (fmt, precision) in [
        ("%Y-%m-%d %H:%M:%S %z", Precision::Second),
        ("%Y-%m-%d %H:%M %z", Precision::Minute),
    ] {
        if let Ok(t) = DateTime::parse_from_str(s, fmt) {
            return Some((t, precision));
        }
    }
    let utc = FixedOffset::east_opt(0)?;
    for (fmt, precision) in [
        ("%Y-%m-%dT%H:%M:%S%.f", Precision::Second),
        ("%Y-%m-%d %H:%M:%S", Precision::Second),
        ("%Y-%m-%d %H:%M", Precision::Minute),
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return utc.from_local_datetime(&t).single().map(|t| (t, precision));
        }
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    utc.from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
        .single()
        .map(|t| (t, Precision::Date))
}

fn yaml_time(v: &serde_yaml_ng::Value) -> Option<Stamp> {
    match v {
        serde_yaml_ng::Value::String(s) => parse_feed_date(s),
        _ => None,
    }
}

fn yaml_strings(v: &serde_yaml_ng::Value) -> Vec<String> {
    match v {
        serde_yaml_ng::Value::String(s) => vec![s.trim().to_string()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect(),
        serde_yaml_ng::Value::Sequence(items) => items.iter().flat_map(yaml_strings).collect(),
        serde_yaml_ng::Value::Number(n) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_feed_markdown() {
        let text = "<!--1677087543000-->\n[普京会晤王毅](https://www.voachinese.com/a/x/6974233.html)\n------\n\n<div><i>Wed, 22 Feb 2023 17:22:43 GMT</i></div><p>正文。</p>";
        assert!(sniff(text));
        let d = read(text, "x").unwrap();
        assert_eq!(d.title, "普京会晤王毅");
        assert_eq!(
            d.url.as_deref(),
            Some("https://www.voachinese.com/a/x/6974233.html")
        );
        let (t, p) = d.published.unwrap();
        assert_eq!(
            (t.to_rfc3339(), p),
            ("2023-02-22T17:22:43+00:00".to_string(), Precision::Second)
        );
        assert_eq!(d.body.len(), 1);
    }

    #[test]
    fn title_links_with_brackets() {
        assert_eq!(
            title_link("[[快讯] 标题](https://a.b/c)"),
            Some(("[快讯] 标题".into(), "https://a.b/c".into()))
        );
    }
}
