//! Atom feeds: one of stories, one per outlet (its articles).
//!
//! Links are relative to the feed file (`../stories/….html`), which RFC 4287 allows (they
//! resolve against the feed's own URL), so the folder works wherever it is served; with a
//! base URL they are absolute.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use newsloom_model::Article;
use newsloom_store::StorySummary;

use crate::html::{esc, file_stem};

/// Entries per feed.
pub(crate) const FEED_ENTRIES: usize = 100;

fn stamp(t: Option<&DateTime<FixedOffset>>, fallback: &DateTime<Utc>) -> String {
    t.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_else(|| fallback.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn href(base: Option<&str>, path: &str) -> String {
    match base {
        Some(b) => format!("{}/{}", b.trim_end_matches('/'), path),
        None => format!("../{path}"),
    }
}

fn feed(
    id: &str,
    title: &str,
    self_path: &str,
    base: Option<&str>,
    updated: &str,
    entries: &str,
) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<id>{}</id>\n<title>{}</title>\n<updated>{}</updated>\n<link rel=\"self\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<generator>newsloom</generator>\n{entries}</feed>\n",
        esc(id),
        esc(title),
        esc(updated),
        esc(&href(base, self_path)),
        esc(&href(base, "index.html")),
    )
}

/// The feed of stories, newest first. `summaries` are one-paragraph story summaries by story.
pub(crate) fn stories_feed(
    site_title: &str,
    stories: &[&StorySummary],
    summary_of: &dyn Fn(&str) -> String,
    base: Option<&str>,
    now: &DateTime<Utc>,
) -> String {
    let mut entries = String::new();
    for s in stories.iter().take(FEED_ENTRIES) {
        let outlets: Vec<&str> = s.outlets.iter().map(|o| o.name.as_str()).collect();
        let summary = format!("{} — {}", outlets.join("、"), summary_of(&s.id));
        let _ = write!(
            entries,
            "<entry>\n<id>urn:newsloom:story:{}</id>\n<title>{}</title>\n<updated>{}</updated>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<author><name>{}</name></author>\n<summary>{}</summary>\n</entry>\n",
            esc(&s.id),
            esc(&s.title),
            stamp(s.last_published.as_ref(), now),
            esc(&href(base, &format!("stories/{}.html", file_stem(&s.id)))),
            esc(&outlets.join("、")),
            esc(&summary),
        );
    }
    let updated = stories
        .iter()
        .filter_map(|s| s.last_published)
        .max()
        .map(|t| stamp(Some(&t), now))
        .unwrap_or_else(|| stamp(None, now));
    feed(
        "urn:newsloom:stories",
        site_title,
        "feeds/stories.atom",
        base,
        &updated,
        &entries,
    )
}

/// The feed of one outlet's articles, newest first.
pub(crate) fn outlet_feed(
    outlet_id: &str,
    outlet: &str,
    articles: &[&Article],
    base: Option<&str>,
    now: &DateTime<Utc>,
) -> String {
    let mut entries = String::new();
    for a in articles.iter().take(FEED_ENTRIES) {
        let lead: String = a
            .body
            .first()
            .map(|b| b.text.chars().take(200).collect())
            .unwrap_or_default();
        let _ = write!(
            entries,
            "<entry>\n<id>urn:newsloom:article:{}</id>\n<title>{}</title>\n<updated>{}</updated>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<author><name>{}</name></author>\n<summary>{}</summary>\n</entry>\n",
            esc(&a.id),
            esc(&a.title),
            stamp(a.published.as_ref(), now),
            esc(&href(base, &format!("articles/{}.html", file_stem(&a.id)))),
            esc(outlet),
            esc(&lead),
        );
    }
    let updated = articles
        .iter()
        .filter_map(|a| a.published)
        .max()
        .map(|t| stamp(Some(&t), now))
        .unwrap_or_else(|| stamp(None, now));
    feed(
        &format!("urn:newsloom:outlet:{outlet_id}"),
        outlet,
        &format!("feeds/outlet-{}.atom", file_stem(outlet_id)),
        base,
        &updated,
        &entries,
    )
}
