//! Sweeps the whole `agora-pen-2411` corpus (../shared): every article page must extract as an
//! article with a non-empty body, the page's own title and publication time, and no
//! `阅读更多` (read-more) list in the body; no list page (`index.html`, `pageN/index.html`,
//! `404.html`) may be taken for an article.
//!
//! The expected title and time are read from the page's `og:title` and
//! `article:published_time` meta tags with a plain string search, independently of the
//! extractor's own metadata code. Skips (passes) when ../shared is absent, unless CI=true.

use newsloom_extract::{PageKind, extract_page};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/agora-pen-2411");
    if root.is_dir() {
        return Some(root);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "CI=true but the shared corpus is missing at {}",
            root.display()
        );
    }
    eprintln!("skipping: {} not found", root.display());
    None
}

/// The `content` of `<meta property="{prop}" content="…">`, unescaped for the few entities
/// Jekyll writes.
fn meta_content(html: &str, prop: &str) -> Option<String> {
    let key = format!("property=\"{prop}\" content=\"");
    let start = html.find(&key)? + key.len();
    let end = html.get(start..)?.find('"')? + start;
    Some(
        html.get(start..end)?
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">"),
    )
}

/// True when the page's `itemprop="articleBody"` container holds no text at all (tags and
/// whitespace only), judged from the raw HTML.
fn source_body_is_empty(html: &str) -> bool {
    let Some(start) = html.find("itemprop=\"articleBody\"") else {
        return false;
    };
    let rest = html.get(start..).unwrap_or("");
    let end = rest.find("</article>").unwrap_or(rest.len());
    let inner = rest.get(..end).unwrap_or("");
    let inner = inner
        .get(inner.find('>').map(|i| i + 1).unwrap_or(0)..)
        .unwrap_or("");
    let mut in_tag = false;
    !inner.chars().any(|c| {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && !c.is_whitespace() => return true,
            _ => {}
        }
        false
    })
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn is_article_path(rel: &Path) -> bool {
    // OUTLET/YYYY/MM/DD/slug.html
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.len() == 5
        && parts
            .get(1)
            .is_some_and(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()))
        && parts.get(4).is_some_and(|f| f.ends_with(".html"))
}

#[test]
fn agora_articles_extract_and_list_pages_do_not() {
    let Some(root) = corpus() else { return };
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect();
    pages.sort();

    let results: Vec<(bool, Option<String>)> = pages
        .par_iter()
        .map(|path| {
            let rel = path.strip_prefix(&root).unwrap_or(path);
            let bytes = match std::fs::read(path) {
                Ok(b) => b,
                Err(e) => return (false, Some(format!("{}: unreadable: {e}", rel.display()))),
            };
            let article = is_article_path(rel);
            let page = match extract_page(&bytes, Some(&rel.to_string_lossy())) {
                Ok(p) => p,
                Err(e) => return (article, Some(format!("{}: {e}", rel.display()))),
            };
            if !article {
                // The mirror's own 404 page is an error page; every other page outside the
                // article paths is an index.
                let problem = if rel == Path::new("404.html") {
                    (page.kind != PageKind::Error)
                        .then(|| format!("{}: error page read as {:?}", rel.display(), page.kind))
                } else {
                    (page.kind == PageKind::Article)
                        .then(|| format!("{}: list page taken for an article", rel.display()))
                };
                return (false, problem);
            }
            let html = String::from_utf8_lossy(&bytes);
            let mut problems = Vec::new();
            if page.kind != PageKind::Article {
                problems.push(format!("kind {:?}", page.kind));
            }
            // A few pages carry only a headline: their article-body container is empty in
            // the source. They must still be articles with title and time, with an empty body.
            let source_empty = source_body_is_empty(&html);
            if page.body.iter().all(|b| b.text.trim().is_empty()) != source_empty {
                problems.push(format!(
                    "body empty: {} but source body empty: {source_empty}",
                    page.body.is_empty()
                ));
            }
            match meta_content(&html, "og:title") {
                Some(want) if page.title.as_deref().map(squash) != Some(squash(&want)) => {
                    problems.push(format!("title {:?} != {want:?}", page.title))
                }
                _ => {}
            }
            match meta_content(&html, "article:published_time") {
                Some(want) => {
                    let got = page.published.map(|t| t.to_rfc3339());
                    let want_t = chrono::DateTime::parse_from_rfc3339(&want).ok();
                    if page.published != want_t {
                        problems.push(format!("published {got:?} != {want}"));
                    }
                }
                None => problems.push("page has no article:published_time".into()),
            }
            if page
                .body
                .iter()
                .any(|b| b.text.contains("阅读更多") || b.text.contains("閱讀更多"))
            {
                problems.push("read-more list in body".into());
            }
            if html.contains("阅读更多") && page.related.is_empty() {
                problems.push("read-more list not in related".into());
            }
            (
                true,
                (!problems.is_empty())
                    .then(|| format!("{}: {}", rel.display(), problems.join("; "))),
            )
        })
        .collect();

    let articles = results.iter().filter(|(a, _)| *a).count();
    let lists = results.len() - articles;
    let failures: Vec<&String> = results.iter().filter_map(|(_, f)| f.as_ref()).collect();
    eprintln!(
        "agora sweep: {} pages, {articles} article pages, {lists} other pages, {} failures",
        results.len(),
        failures.len()
    );
    for f in failures.iter().take(30) {
        eprintln!("  {f}");
    }
    assert_eq!(articles, 7188, "expected the corpus's 7,188 article pages");
    assert!(
        failures.is_empty(),
        "{} pages failed (first shown above)",
        failures.len()
    );
}
