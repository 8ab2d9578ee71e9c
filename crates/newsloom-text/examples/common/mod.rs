//! Dev-only page reading for the examples: the agora-pen-2411 pages (Jekyll-rendered) and the
//! raw seed files, with tags stripped by hand. This is deliberately crude and lives in examples
//! only: the real HTML extractor is `newsloom-extract`, and the text crate has no HTML parser.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chrono::DateTime;
use newsloom_model::{Article, Block, Format, Source};

/// One page's text.
pub struct PageText {
    pub path: PathBuf,
    pub outlet: String,
    pub title: String,
    pub published: Option<String>,
    pub paragraphs: Vec<String>,
}

impl PageText {
    pub fn text(&self) -> String {
        let mut s = self.title.clone();
        for p in &self.paragraphs {
            s.push('\n');
            s.push_str(p);
        }
        s
    }

    pub fn article(&self) -> Article {
        let published = self
            .published
            .as_deref()
            .and_then(|p| DateTime::parse_from_rfc3339(p).ok());
        Article {
            id: newsloom_model::article_id(
                None,
                None,
                &self.outlet,
                published.as_ref(),
                &self.title,
            ),
            source: Source {
                path: self.path.display().to_string(),
                format: Format::Html,
            },
            outlet: self.outlet.clone(),
            outlet_id: self.outlet.clone(),
            url: None,
            mirror_url: None,
            title: self.title.clone(),
            published,
            published_precision: None,
            authors: vec![],
            editors: vec![],
            dateline: None,
            script: newsloom_model::detect_script(&self.text()),
            language: "zh".into(),
            body: self
                .paragraphs
                .iter()
                .map(|p| Block::paragraph(p.clone()))
                .collect(),
            images: vec![],
            related: vec![],
        }
    }
}

/// `<repo>/../shared`, when present.
pub fn shared_dir() -> Option<PathBuf> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = repo.join("../shared");
    shared.is_dir().then_some(shared)
}

/// All article pages `OUTLET/YYYY/MM/DD/*.html` under an agora corpus root, sorted.
pub fn agora_pages(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(outlets) = std::fs::read_dir(root) else {
        return out;
    };
    for outlet in outlets.flatten() {
        let p = outlet.path();
        let name = outlet.file_name().to_string_lossy().to_string();
        if !p.is_dir() || name.starts_with("page") || name == "assets" || name == "readme" {
            continue;
        }
        collect_html(&p, 0, &mut out);
    }
    out.sort();
    out
}

fn collect_html(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() && depth < 3 {
            collect_html(&p, depth + 1, out);
        } else if depth == 3 && p.extension().is_some_and(|x| x == "html") {
            out.push(p);
        }
    }
}

/// Reads one agora page.
pub fn read_agora_page(path: &Path, root: &Path) -> Option<PageText> {
    let html = std::fs::read_to_string(path).ok()?;
    let outlet = path
        .strip_prefix(root)
        .ok()?
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .to_string();
    let title = between(&html, "<h1 class=\"post-title", "</h1>")
        .and_then(|t| t.split_once('>').map(|(_, t)| strip_tags(t)))
        .unwrap_or_default();
    let published = between(&html, "datetime=\"", "\"").map(str::to_string);
    let start = html.find("<div class=\"post-content e-content\"")?;
    let rest = html.get(start..)?;
    let end = rest
        .find("<a class=\"u-url\"")
        .or_else(|| rest.find("</article>"))
        .unwrap_or(rest.len());
    let body = rest.get(..end)?;
    let paragraphs = strip_tags(body)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    Some(PageText {
        path: path.to_path_buf(),
        outlet,
        title: title.trim().to_string(),
        published,
        paragraphs,
    })
}

/// Reads a raw seed file: every line of text outside tags, markdown links unwrapped.
pub fn read_seed(path: &Path) -> Option<PageText> {
    read_seed_published(path, None)
}

/// Reads a raw seed file with its publication time (RFC 3339), given by the caller until the
/// ingest readers parse it.
pub fn read_seed_published(path: &Path, published: Option<&str>) -> Option<PageText> {
    let raw = std::fs::read_to_string(path).ok()?;
    // Prettified HTML breaks lines around inline tags (`总统\n<ok>\n普京\n</ok>`): line breaks
    // are layout there, and block tags give the real paragraph breaks.
    let joined: String = raw.lines().map(str::trim).collect::<Vec<_>>().join("");
    let text = strip_tags(&joined);
    let paragraphs = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    Some(PageText {
        path: path.to_path_buf(),
        outlet: "seed".into(),
        title: String::new(),
        published: published.map(String::from),
        paragraphs,
    })
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = s.find(start)? + start.len();
    let rest = s.get(i..)?;
    let j = rest.find(end)?;
    rest.get(..j)
}

/// Strips tags; block-level closers become line breaks; common entities decoded.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(rest.get(..lt).unwrap_or_default());
        let after = rest.get(lt..).unwrap_or_default();
        let Some(gt) = after.find('>') else { break };
        let tag = after.get(..=gt).unwrap_or_default().to_ascii_lowercase();
        let breaks = [
            "</p",
            "<br",
            "</div",
            "</figcaption",
            "</h1",
            "</h2",
            "</h3",
            "</h4",
            "</li",
            "</tr",
            "</small",
        ];
        if breaks.iter().any(|b| tag.starts_with(b)) {
            out.push('\n');
        }
        rest = after.get(gt + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    decode_entities(&out)
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let s = s
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'");
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(i) = rest.find("&#") {
        out.push_str(rest.get(..i).unwrap_or_default());
        let after = rest.get(i + 2..).unwrap_or_default();
        let end = after.find(';').filter(|&e| e <= 8);
        let decoded = end.and_then(|e| {
            let num = after.get(..e)?;
            let v = match num.strip_prefix(['x', 'X']) {
                Some(h) => u32::from_str_radix(h, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(v)
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = after.get(e + 1..).unwrap_or_default();
            }
            _ => {
                out.push_str("&#");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
}
