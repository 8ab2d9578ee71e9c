//! Development-set helpers: the agora-pen-2411 Jekyll pages and the labels file.
//!
//! The pages are read with plain string search (title in `<h1 class="post-title …">`, time in
//! `datetime="…"`, body in `<div class="post-content …">`) so the evaluation does not depend
//! on the extractor; the real ingest path is used by the CLI.

use std::path::{Path, PathBuf};

use chrono::DateTime;
use newsloom_model::{
    Article, Block, Format, Precision, Script, Source, article_id, detect_script,
};

/// Why a development file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DevError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {reason}")]
    Format { path: PathBuf, reason: String },
}

/// One labelled article of the development set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Page path relative to the corpus root.
    pub path: String,
    pub event: String,
    pub story: String,
    pub title: String,
}

/// Reads a labels TSV (`path`, `event`, `story`, `title`; `#` lines are comments).
pub fn read_labels(path: &Path) -> Result<Vec<Label>, DevError> {
    let text = std::fs::read_to_string(path).map_err(|source| DevError::Io {
        path: path.into(),
        source,
    })?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [p, e, s, rest @ ..] = cols.as_slice() else {
            return Err(DevError::Format {
                path: path.into(),
                reason: format!("line {}: expected 4 tab-separated columns", n + 1),
            });
        };
        out.push(Label {
            path: p.to_string(),
            event: e.to_string(),
            story: s.to_string(),
            title: rest.join("\t"),
        });
    }
    Ok(out)
}

/// Reads one agora-pen-2411 page. `rel` (relative to the corpus root) names the outlet.
pub fn read_agora_page(root: &Path, rel: &str) -> Result<Article, DevError> {
    let path = root.join(rel);
    let html = std::fs::read_to_string(&path).map_err(|source| DevError::Io {
        path: path.clone(),
        source,
    })?;
    let fail = |reason: &str| DevError::Format {
        path: path.clone(),
        reason: reason.to_string(),
    };
    let title = between(&html, "<h1 class=\"post-title", "</h1>")
        .and_then(|s| s.split_once('>').map(|(_, t)| t))
        .map(|t| unescape(t.trim()))
        .ok_or_else(|| fail("no <h1 class=\"post-title\">"))?;
    let published =
        between(&html, "datetime=\"", "\"").and_then(|s| DateTime::parse_from_rfc3339(s).ok());
    let body_html = between(&html, "<div class=\"post-content", "</article>")
        .and_then(|s| s.split_once('>').map(|(_, b)| b))
        .ok_or_else(|| fail("no <div class=\"post-content\">"))?;
    let url = between(&html, "<a class=\"u-url\" href=\"", "\"").map(str::to_string);
    let outlet = rel.split('/').next().unwrap_or("unknown").to_string();
    let body = paragraphs(body_html);
    let text: String = body.iter().map(|b: &Block| b.text.as_str()).collect();
    let id = article_id(url.as_deref(), None, &outlet, published.as_ref(), &title);
    Ok(Article {
        id,
        source: Source {
            path: path.display().to_string(),
            format: Format::Html,
        },
        outlet: outlet.clone(),
        outlet_id: outlet,
        url,
        mirror_url: None,
        script: detect_script(&format!("{title}{text}")),
        title,
        published,
        published_precision: published.map(|_| Precision::Second),
        authors: Vec::new(),
        editors: Vec::new(),
        dateline: None,
        language: "zh".into(),
        body,
        images: Vec::new(),
        related: Vec::new(),
    })
}

/// All article pages of the corpus under `root` for the given days (`"2024/11/20"`),
/// relative to `root`, sorted.
pub fn agora_pages(root: &Path, days: &[&str]) -> Result<Vec<String>, DevError> {
    let mut out = Vec::new();
    let outlets = std::fs::read_dir(root).map_err(|source| DevError::Io {
        path: root.into(),
        source,
    })?;
    for outlet in outlets.flatten() {
        let name = outlet.file_name().to_string_lossy().to_string();
        for day in days {
            let dir = outlet.path().join(day);
            let Ok(files) = std::fs::read_dir(&dir) else {
                continue;
            };
            for f in files.flatten() {
                let fname = f.file_name().to_string_lossy().to_string();
                if fname.ends_with(".html") {
                    out.push(format!("{name}/{day}/{fname}"));
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Every day directory `YYYY/MM/DD` present under any outlet of the corpus.
pub fn agora_days(root: &Path) -> Result<Vec<String>, DevError> {
    let mut days = std::collections::BTreeSet::new();
    let outlets = std::fs::read_dir(root).map_err(|source| DevError::Io {
        path: root.into(),
        source,
    })?;
    for outlet in outlets.flatten() {
        for y in std::fs::read_dir(outlet.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            for m in std::fs::read_dir(y.path()).into_iter().flatten().flatten() {
                for d in std::fs::read_dir(m.path()).into_iter().flatten().flatten() {
                    let parts = [y.file_name(), m.file_name(), d.file_name()]
                        .map(|s| s.to_string_lossy().to_string());
                    if parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
                        && d.path().is_dir()
                    {
                        days.insert(parts.join("/"));
                    }
                }
            }
        }
    }
    Ok(days.into_iter().collect())
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

/// Splits body HTML into paragraphs at `<p>`, `<br>`, `<div>` and line breaks; strips tags.
fn paragraphs(html: &str) -> Vec<Block> {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        text.push_str(&rest[..i]);
        let Some(j) = rest[i..].find('>') else { break };
        let tag = rest[i + 1..i + j].to_ascii_lowercase();
        if tag.starts_with('p')
            || tag.starts_with("/p")
            || tag.starts_with("br")
            || tag.starts_with("div")
            || tag.starts_with("/div")
            || tag.starts_with("li")
            || tag.starts_with('h')
        {
            text.push('\n');
        }
        rest = &rest[i + j + 1..];
    }
    text.push_str(rest);
    unescape(&text)
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}'))
        .filter(|l| !l.is_empty())
        .map(Block::paragraph)
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

#[allow(dead_code)]
fn _script_is_used(_: Script) {}
