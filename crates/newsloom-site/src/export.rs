//! Exports of articles and stories: JSON Lines or markdown.
//!
//! * **jsonl**, `-o DIR`: `DIR/articles.jsonl` (one article a line, the model's JSON, which
//!   `newsloom ingest` reads back) and `DIR/stories.jsonl` (one story a line: the stored story
//!   detail plus its cross-source `view`). `-o FILE.jsonl`: one file, every line an object
//!   with `"type": "article"` or `"type": "story"`.
//! * **markdown**, `-o DIR`: `DIR/articles/<outlet>/<day>-<id>.md` and `DIR/stories/<id>.md`,
//!   each YAML front matter plus clean text: no navigation, share buttons or other
//!   boilerplate (the article model has none), and no raw HTML (source text is escaped so a
//!   markdown renderer shows it as text).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use newsloom_model::{Article, BlockKind};
use newsloom_text::TextLayer;
use newsloom_view::StoryView;
use rayon::prelude::*;
use serde_json::{Value, json};

use crate::html::file_stem;
use crate::pages::published_day;
use crate::{SiteError, StoryBundle, ensure_dir, load_stories, view_of, write_file};

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Jsonl,
    Markdown,
}

/// What an export wrote.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ExportReport {
    pub stories: usize,
    pub articles: usize,
    pub files: usize,
    pub bytes: u64,
}

/// Exports every story of the store and every article in a story.
pub fn export(
    store: &newsloom_store::Store,
    layer: &TextLayer,
    format: ExportFormat,
    out: &Path,
) -> Result<ExportReport, SiteError> {
    let stories = load_stories(store)?;
    let views: Vec<StoryView> = stories.par_iter().map(|s| view_of(layer, s)).collect();
    let mut articles: BTreeMap<&str, (&Article, Vec<&str>)> = BTreeMap::new();
    for s in &stories {
        for a in &s.articles {
            articles
                .entry(a.id.as_str())
                .or_insert_with(|| (a, Vec::new()))
                .1
                .push(s.summary.id.as_str());
        }
    }
    match format {
        ExportFormat::Jsonl => jsonl(&stories, &views, &articles, out),
        ExportFormat::Markdown => markdown(&stories, &views, &articles, out),
    }
}

fn to_json<T: serde::Serialize>(v: &T, what: &str) -> Result<Value, SiteError> {
    serde_json::to_value(v).map_err(|e| SiteError::Output {
        path: what.into(),
        reason: format!("cannot serialize: {e}"),
    })
}

fn story_json(s: &StoryBundle, view: &StoryView) -> Result<Value, SiteError> {
    let mut v = to_json(&s.detail, &s.summary.id)?;
    if let Some(obj) = v.as_object_mut() {
        obj.insert(
            "article_ids".into(),
            Value::from(s.articles.iter().map(|a| a.id.clone()).collect::<Vec<_>>()),
        );
        obj.insert("view".into(), to_json(view, &s.summary.id)?);
    }
    Ok(v)
}

fn jsonl(
    stories: &[StoryBundle],
    views: &[StoryView],
    articles: &BTreeMap<&str, (&Article, Vec<&str>)>,
    out: &Path,
) -> Result<ExportReport, SiteError> {
    let single = out.extension().is_some_and(|e| e == "jsonl");
    let mut art_lines = Vec::new();
    let mut story_lines = Vec::new();
    for (a, _) in articles.values() {
        let mut v = to_json(a, &a.id)?;
        if single && let Some(obj) = v.as_object_mut() {
            obj.insert("type".into(), json!("article"));
        }
        art_lines.push(v.to_string());
    }
    for (s, view) in stories.iter().zip(views) {
        let mut v = story_json(s, view)?;
        if single && let Some(obj) = v.as_object_mut() {
            obj.insert("type".into(), json!("story"));
        }
        story_lines.push(v.to_string());
    }
    let join = |lines: &[String]| {
        let mut s = lines.join("\n");
        if !s.is_empty() {
            s.push('\n');
        }
        s
    };
    let (bytes, files) = if single {
        let mut all = join(&art_lines);
        all.push_str(&join(&story_lines));
        (write_file(out, all.as_bytes())?, 1)
    } else {
        ensure_dir(out)?;
        (
            write_file(&out.join("articles.jsonl"), join(&art_lines).as_bytes())?
                + write_file(&out.join("stories.jsonl"), join(&story_lines).as_bytes())?,
            2,
        )
    };
    Ok(ExportReport {
        stories: stories.len(),
        articles: articles.len(),
        files,
        bytes,
    })
}

/// A YAML scalar: JSON strings are valid YAML double-quoted scalars. `<`, `>` and `&` are
/// written as `\u` escapes: the value reads back unchanged, but a site generator that pastes
/// front matter into a template unescaped gets no markup from it.
fn yaml(s: &str) -> String {
    Value::from(s)
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn yaml_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<String> = items.map(yaml).collect();
    format!("[{}]", v.join(", "))
}

/// Markdown-safe text: HTML-significant characters as entities (a renderer shows them as
/// text, never as markup) and markdown syntax at the start of a line neutralized.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    let trimmed = out.trim_start();
    if trimmed.starts_with(['#', '+', '-', '=', '|'])
        || trimmed.chars().next().is_some_and(|c| c.is_ascii_digit())
    {
        out.insert(0, '\\');
    }
    out.replace('\n', " ")
}

fn md_url(url: &str) -> Option<String> {
    crate::html::safe_url(url).map(|_| url.trim().replace('(', "%28").replace(')', "%29"))
}

fn article_md(a: &Article, stories: &[&str]) -> String {
    let mut s = String::from("---\n");
    let _ = writeln!(s, "id: {}", yaml(&a.id));
    let _ = writeln!(s, "title: {}", yaml(&a.title));
    let _ = writeln!(s, "outlet: {}", yaml(&a.outlet));
    let _ = writeln!(s, "outlet_id: {}", yaml(&a.outlet_id));
    if let Some(u) = &a.url {
        let _ = writeln!(s, "url: {}", yaml(u));
    }
    if let Some(p) = &a.published {
        let _ = writeln!(s, "published: {}", yaml(&p.to_rfc3339()));
    }
    if !a.authors.is_empty() {
        let _ = writeln!(
            s,
            "authors: {}",
            yaml_list(a.authors.iter().map(String::as_str))
        );
    }
    if let Some(d) = &a.dateline {
        let _ = writeln!(s, "dateline: {}", yaml(d));
    }
    let _ = writeln!(s, "script: {}", a.script.as_str());
    let _ = writeln!(s, "language: {}", yaml(&a.language));
    let _ = writeln!(s, "stories: {}", yaml_list(stories.iter().copied()));
    s.push_str("---\n\n");
    let _ = writeln!(s, "# {}\n", md(&a.title));
    for img in &a.images {
        if let Some(u) = md_url(&img.url) {
            let cap = img.caption.as_deref().map(md).unwrap_or_default();
            let _ = writeln!(s, "![{cap}]({u})\n");
            if !cap.is_empty() {
                let _ = writeln!(s, "*{cap}*\n");
            }
        }
    }
    for b in &a.body {
        let t = md(&b.text);
        let _ = match b.kind {
            BlockKind::Paragraph => writeln!(s, "{t}\n"),
            BlockKind::Heading => writeln!(s, "## {t}\n"),
            BlockKind::Quote => writeln!(s, "> {t}\n"),
            BlockKind::ListItem => writeln!(s, "- {t}"),
        };
    }
    s
}

fn story_md(st: &StoryBundle, view: &StoryView) -> String {
    let s0 = &st.summary;
    let mut s = String::from("---\n");
    let _ = writeln!(s, "id: {}", yaml(&s0.id));
    let _ = writeln!(s, "title: {}", yaml(&s0.title));
    if let Some(t) = &s0.first_published {
        let _ = writeln!(s, "first_published: {}", yaml(&t.to_rfc3339()));
    }
    if let Some(t) = &s0.last_published {
        let _ = writeln!(s, "last_published: {}", yaml(&t.to_rfc3339()));
    }
    let _ = writeln!(
        s,
        "outlets: {}",
        yaml_list(s0.outlets.iter().map(|o| o.id.as_str()))
    );
    let _ = writeln!(
        s,
        "articles: {}",
        yaml_list(st.articles.iter().map(|a| a.id.as_str()))
    );
    s.push_str("---\n\n");
    let _ = writeln!(s, "# {}\n", md(&s0.title));
    for x in &view.summary.sentences {
        let _ = write!(s, "{}", md(&x.hans));
    }
    s.push_str("\n\n## Articles\n\n");
    for c in &view.coverage {
        let when = c
            .published
            .map(|p| p.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "- {} · {} · [{}](../articles/{}/{}-{}.md)",
            md(&c.outlet),
            when,
            md(&c.headline),
            file_stem(&c.outlet_id),
            c.published
                .map(|p| p.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| "undated".into()),
            file_stem(&c.article_id)
        );
    }
    if !view.shared_facts.is_empty() {
        s.push_str("\n## Shared facts\n\n");
        for f in &view.shared_facts {
            let _ = writeln!(s, "- {} ({})", md(&f.text), f.outlets.join(", "));
        }
    }
    if !view.quotes.is_empty() {
        s.push_str("\n## Quotes\n\n");
        for q in &view.quotes {
            let _ = writeln!(
                s,
                "- {}: “{}” ({})",
                md(q.speaker.as_deref().unwrap_or("—")),
                md(&q.text),
                q.outlets.join(", ")
            );
        }
    }
    s
}

fn markdown(
    stories: &[StoryBundle],
    views: &[StoryView],
    articles: &BTreeMap<&str, (&Article, Vec<&str>)>,
    out: &Path,
) -> Result<ExportReport, SiteError> {
    ensure_dir(out)?;
    let mut bytes = 0;
    let mut files = 0;
    for (a, in_stories) in articles.values() {
        let day = published_day(a);
        let day = if day.is_empty() {
            "undated".to_string()
        } else {
            day
        };
        let path = out.join(format!(
            "articles/{}/{}-{}.md",
            file_stem(&a.outlet_id),
            day,
            file_stem(&a.id)
        ));
        bytes += write_file(&path, article_md(a, in_stories).as_bytes())?;
        files += 1;
    }
    for (st, view) in stories.iter().zip(views) {
        let path = out.join(format!("stories/{}.md", file_stem(&st.summary.id)));
        bytes += write_file(&path, story_md(st, view).as_bytes())?;
        files += 1;
    }
    Ok(ExportReport {
        stories: stories.len(),
        articles: articles.len(),
        files,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_text_is_inert() {
        assert_eq!(md("<script>x</script>"), "&lt;script&gt;x&lt;/script&gt;");
        assert_eq!(md("# not a heading"), "\\# not a heading");
        assert_eq!(md("[a](javascript:b)"), "\\[a\\](javascript:b)");
        assert_eq!(md_url("javascript:alert(1)"), None);
        assert_eq!(yaml("a<b>&\"c"), "\"a\\u003cb\\u003e\\u0026\\\"c\"");
    }
}
