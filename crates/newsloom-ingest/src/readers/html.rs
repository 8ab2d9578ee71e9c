//! HTML pages (an outlet's own page or an aggregator's rendering of it), through the page
//! extractor of `newsloom-extract`. List pages and error pages are reported as skipped, never
//! as articles.

use super::{Outcome, ReadError};
use crate::draft::Draft;
use newsloom_extract::classify::PageKind;
use newsloom_extract::outlet;
use newsloom_extract::page::extract_page;
use newsloom_model::Format;

/// True when the bytes start like an HTML document.
pub fn sniff(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || (head.starts_with("<!--") && head.contains("<html"))
}

pub fn read(bytes: &[u8], path: &str, mut outcome: Outcome) -> Outcome {
    let page = match extract_page(bytes, Some(path)) {
        Ok(p) => p,
        Err(e) => {
            outcome
                .errors
                .push((path.to_string(), ReadError::Invalid(e.to_string())));
            return outcome;
        }
    };
    match page.kind {
        PageKind::List => {
            outcome.skipped = Some("list page".into());
            return outcome;
        }
        PageKind::Error => {
            outcome.skipped = Some("error page".into());
            return outcome;
        }
        PageKind::Other if page.body.is_empty() => {
            outcome.skipped = Some("not an article page".into());
            return outcome;
        }
        _ => {}
    }
    let Some(title) = page.title.filter(|t| !t.trim().is_empty()) else {
        outcome.errors.push((
            path.to_string(),
            ReadError::Malformed("HTML page without a title"),
        ));
        return outcome;
    };
    // A canonical URL on an outlet's own domain is the article's URL; anywhere else (an
    // aggregator, a mirror) it is where the article was mirrored.
    let (url, mirror_url) = match page.canonical_url {
        Some(c) if outlet::by_url(&c).is_some() => (Some(c), None),
        other => (None, other),
    };
    outcome.push_draft_allowing_headline_only(
        Draft {
            path: path.to_string(),
            format: Some(Format::Html),
            title,
            url,
            mirror_url,
            published: page.published.zip(page.published_precision),
            outlet_hint: page.site_name,
            authors: page.authors,
            editors: page.editors,
            body: page.body,
            images: page.images,
            related: page.related,
            language: Some(page.language),
            body_is_clean: true,
            dateline: page.dateline,
            ..Draft::default()
        },
        true,
    );
    outcome
}
