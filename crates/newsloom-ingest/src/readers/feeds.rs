//! RSS 2.0, Atom and JSON Feed files: one article per entry, with the full content when the
//! entry carries it (`content`), else its summary.

use super::ReadError;
use crate::draft::Draft;
use chrono::{DateTime, FixedOffset, Utc};
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
    let written = written_times(bytes, format);
    Ok(feed
        .entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let written = written.get(i).map_or(&[][..], Vec::as_slice);
            let mut draft = read_entry(entry, format, &format!("{path}#{}", i + 1), written)?;
            draft.language = draft.language.or_else(|| language.clone());
            if draft.outlet_hint.is_none() {
                draft.outlet_hint = feed_title.clone();
            }
            Ok(draft)
        })
        .collect())
}

fn read_entry(
    entry: &Entry,
    format: Format,
    path: &str,
    written: &[DateTime<FixedOffset>],
) -> Result<Draft, ReadError> {
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
        .map(|t| (in_written_zone(t, written), Precision::Second));
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

/// `t` in the zone the feed wrote it in: the entry's written time of the same instant, else
/// UTC. feed-rs converts every time to UTC, and a report's local time (`22:34 +08:00`, not
/// `14:34 Z`) is part of the article.
fn in_written_zone(t: DateTime<Utc>, written: &[DateTime<FixedOffset>]) -> DateTime<FixedOffset> {
    written
        .iter()
        .find(|w| w.with_timezone(&Utc) == t)
        .copied()
        .unwrap_or_else(|| t.fixed_offset())
}

/// Entry by entry, in document order, the times each entry writes (`published`, `updated`,
/// `pubDate`, `dc:date`; JSON Feed's `date_published`, `date_modified`) that parse as RFC 3339
/// or RFC 2822 with their offsets. A scan of its own because feed-rs keeps only the instant;
/// what it cannot read is left out, and the entry keeps feed-rs's UTC time.
fn written_times(bytes: &[u8], format: Format) -> Vec<Vec<DateTime<FixedOffset>>> {
    if format == Format::JsonFeed {
        return json_feed_times(bytes);
    }
    use quick_xml::events::Event;
    // Dates are ASCII, and so are tags in every ASCII-compatible encoding (GBK and Big5
    // trail bytes never take the values of `<` or `>`): a lossy view finds them all.
    let text = String::from_utf8_lossy(bytes);
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut entries: Vec<Vec<DateTime<FixedOffset>>> = Vec::new();
    let (mut in_entry, mut in_date) = (false, false);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                "entry" | "item" => {
                    entries.push(Vec::new());
                    in_entry = true;
                }
                "published" | "updated" | "pubDate" | "date" | "issued" | "modified" => {
                    in_date = in_entry;
                }
                _ => in_date = false,
            },
            Ok(Event::End(e)) => {
                if matches!(e.local_name().as_ref(), "entry" | "item") {
                    in_entry = false;
                }
                in_date = false;
            }
            Ok(Event::Text(t)) if in_date => push_time(&mut entries, &t.into_inner()),
            Ok(Event::CData(t)) if in_date => push_time(&mut entries, &t.into_inner()),
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    entries
}

fn push_time(entries: &mut [Vec<DateTime<FixedOffset>>], text: &str) {
    let text = text.trim();
    let parsed = DateTime::parse_from_rfc3339(text).or_else(|_| DateTime::parse_from_rfc2822(text));
    if let (Ok(t), Some(times)) = (parsed, entries.last_mut()) {
        times.push(t);
    }
}

fn json_feed_times(bytes: &[u8]) -> Vec<Vec<DateTime<FixedOffset>>> {
    let Ok(feed) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return Vec::new();
    };
    let items = feed.get("items").and_then(|i| i.as_array());
    items
        .into_iter()
        .flatten()
        .map(|item| {
            ["date_published", "date_modified"]
                .iter()
                .filter_map(|k| item.get(k)?.as_str())
                .filter_map(|t| DateTime::parse_from_rfc3339(t.trim()).ok())
                .collect()
        })
        .collect()
}
