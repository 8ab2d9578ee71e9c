//! RSS 2.0, Atom and JSON Feed files: one article per entry, with the full content when the
//! entry carries it (`content`), else its summary.

use super::ReadError;
use crate::draft::Draft;
use feed_rs::model::{Entry, FeedType};
use newsloom_extract::fragment_from_html;
use newsloom_model::{Format, Precision};

/// True when the bytes look like a feed: an XML document whose root is `rss`, `feed` or
/// `rdf:RDF`, or a JSON object with a JSON Feed `version`.
pub fn sniff(text: &str) -> bool {
    let head = text
        .get(..text.len().min(1024))
        .unwrap_or(text)
        .trim_start_matches('\u{feff}')
        .trim_start();
    if head.starts_with('{') {
        return head.contains("jsonfeed.org/version");
    }
    head.starts_with("<?xml")
        && (head.contains("<rss") || head.contains("<feed") || head.contains("<rdf:RDF"))
        || head.starts_with("<rss")
        || head.starts_with("<feed")
}

/// Reads every entry of a feed. An entry without title or content is reported, the rest go on.
pub fn read(bytes: &[u8], path: &str) -> Result<Vec<Result<Draft, ReadError>>, ReadError> {
    let feed =
        feed_rs::parser::parse(bytes).map_err(|e| ReadError::Invalid(format!("feed: {e}")))?;
    let format = match feed.feed_type {
        FeedType::Atom => Format::Atom,
        FeedType::JSON => Format::JsonFeed,
        _ => Format::Rss,
    };
    let feed_title = feed.title.as_ref().map(|t| t.content.trim().to_string());
    let language = feed.language.clone();
    Ok(feed
        .entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let mut draft = read_entry(entry, format, &format!("{path}#{}", i + 1))?;
            draft.language = draft.language.or_else(|| language.clone());
            if draft.outlet_hint.is_none() {
                draft.outlet_hint = feed_title.clone();
            }
            Ok(draft)
        })
        .collect())
}

fn read_entry(entry: &Entry, format: Format, path: &str) -> Result<Draft, ReadError> {
    let title = entry
        .title
        .as_ref()
        .map(|t| html_text(&t.content))
        .unwrap_or_default();
    if title.is_empty() {
        return Err(ReadError::Malformed("feed entry without a title"));
    }
    let html = entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
        .unwrap_or_default();
    let fragment = fragment_from_html(&html);
    let url = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .map(|l| l.href.clone());
    let published = entry
        .published
        .or(entry.updated)
        .map(|t| (t.fixed_offset(), Precision::Second));
    Ok(Draft {
        path: path.to_string(),
        format: Some(format),
        title,
        url,
        published,
        authors: entry
            .authors
            .iter()
            .filter_map(|a| a.name.as_deref())
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect(),
        body: fragment.blocks,
        images: fragment.images,
        related: fragment.related,
        language: entry.language.clone(),
        ..Draft::default()
    })
}

/// Feed titles may carry entities or markup (`type="html"`).
fn html_text(s: &str) -> String {
    let fragment = fragment_from_html(s);
    fragment
        .blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}
