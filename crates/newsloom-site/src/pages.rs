//! The pages: story index, story view, article.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset};
use newsloom_model::{Article, BlockKind};
use newsloom_store::StorySummary;
use newsloom_view::{StoryView, TimelineEntry, TimelineKind};

use crate::html::{esc, file_stem, page, safe_url, z, z2};

/// Timeline entries shown in full before the page folds single-article mentions away.
const TIMELINE_SHOWN: usize = 40;
/// Single-source statements shown per outlet on a story page (the JSON has them all).
const SINGLE_SOURCE_PER_OUTLET: usize = 12;

pub(crate) fn when(t: Option<&DateTime<FixedOffset>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

fn day(t: Option<&DateTime<FixedOffset>>) -> String {
    t.map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

pub(crate) fn story_href(root: &str, id: &str) -> String {
    format!("{root}stories/{}.html", file_stem(id))
}

pub(crate) fn article_href(root: &str, id: &str) -> String {
    format!("{root}articles/{}.html", file_stem(id))
}

/// Outlet display names by id.
pub(crate) type Outlets = HashMap<String, String>;

fn outlet_name<'a>(outlets: &'a Outlets, id: &'a str) -> &'a str {
    outlets.get(id).map_or(id, String::as_str)
}

fn chips(outlets: &Outlets, ids: &[String]) -> String {
    ids.iter()
        .map(|id| {
            format!(
                "<span class=\"chip\">{}</span>",
                z(outlet_name(outlets, id))
            )
        })
        .collect()
}

fn timeline_list(root: &str, view: &StoryView, entries: &[&TimelineEntry]) -> String {
    let mut m = String::from("<ol class=\"timeline\">");
    for e in entries {
        let class = match e.kind {
            TimelineKind::Event => "event",
            TimelineKind::Mention => "mention",
        };
        let sources: String = e
            .articles
            .iter()
            .filter_map(|a| {
                view.coverage.iter().find(|c| &c.article_id == a).map(|c| {
                    format!(
                        "<a class=\"chip\" href=\"{}\">{}</a>",
                        article_href(root, a),
                        z(&c.outlet)
                    )
                })
            })
            .collect();
        let label = if e.kind == TimelineKind::Event {
            "<span class=\"chip\">event</span>"
        } else {
            ""
        };
        let _ = write!(
            m,
            "<li class=\"{class}\"><span class=\"date\">{}</span>{label}{} {}</li>",
            esc(&e.date),
            z(&e.text),
            sources
        );
    }
    m.push_str("</ol>");
    m
}

/// One page of the story index.
pub(crate) fn index_page(
    site_title: &str,
    stories: &[&StorySummary],
    page_no: usize,
    pages: usize,
) -> String {
    let mut m = String::new();
    let _ = write!(
        m,
        "<h1>{}</h1><ul class=\"plain stories\">",
        esc(site_title)
    );
    for s in stories {
        let names: Vec<String> = s
            .outlets
            .iter()
            .map(|o| format!("<span class=\"chip\">{}</span>", z(&o.name)))
            .collect();
        let _ = write!(
            m,
            "<li><a class=\"title\" href=\"{}\">{}</a><div class=\"meta\">{} – {} · {} articles · {}</div></li>",
            story_href("", &s.id),
            z(&s.title),
            esc(&when(s.first_published.as_ref())),
            esc(&when(s.last_published.as_ref())),
            s.article_count,
            names.concat()
        );
    }
    m.push_str("</ul>");
    if pages > 1 {
        m.push_str("<nav class=\"pager\">");
        for p in 1..=pages {
            if p == page_no {
                let _ = write!(m, "<strong>{p}</strong> ");
            } else {
                let _ = write!(m, "<a href=\"{}\">{p}</a> ", index_file(p));
            }
        }
        m.push_str("</nav>");
    }
    page("", site_title, site_title, &m)
}

/// `index.html`, `index-2.html`, …
pub(crate) fn index_file(page_no: usize) -> String {
    if page_no <= 1 {
        "index.html".into()
    } else {
        format!("index-{page_no}.html")
    }
}

/// The story page: the cross-source view.
/// `mirrors` maps article ids to mirror URLs, linked when an article has no original URL.
pub(crate) fn story_page(
    site_title: &str,
    summary: &StorySummary,
    view: &StoryView,
    mirrors: &HashMap<&str, &str>,
) -> String {
    let root = "../";
    let outlets: Outlets = view
        .coverage
        .iter()
        .map(|c| (c.outlet_id.clone(), c.outlet.clone()))
        .collect();
    let headline: HashMap<&str, &str> = view
        .coverage
        .iter()
        .map(|c| (c.article_id.as_str(), c.headline.as_str()))
        .collect();
    let mut m = String::new();
    let _ = write!(
        m,
        "<h1 id=\"story-title\">{}</h1><p class=\"meta\">{} – {} · {} articles · {} outlets</p>",
        z(&summary.title),
        esc(&when(summary.first_published.as_ref())),
        esc(&when(summary.last_published.as_ref())),
        view.coverage.len(),
        outlets.len()
    );

    if !view.summary.sentences.is_empty() {
        m.push_str("<section class=\"summary\" id=\"summary\">");
        for s in &view.summary.sentences {
            let _ = write!(
                m,
                "<p>{} {}</p>",
                z2(&s.hans, &s.hant),
                chips(&outlets, &s.outlets)
            );
        }
        m.push_str("</section>");
    }

    m.push_str("<section id=\"coverage\"><h2>Coverage · 报道</h2><table id=\"coverage-table\"><thead><tr><th>Outlet</th><th>Published</th><th>Headline</th><th>Script</th><th>Original</th><th>Near-duplicate of</th></tr></thead><tbody>");
    for c in &view.coverage {
        let original = match c.url.as_deref().and_then(safe_url) {
            Some(u) => format!("<a href=\"{u}\">link</a>"),
            None => mirrors
                .get(c.article_id.as_str())
                .and_then(|m| safe_url(m))
                .map(|u| format!("<a href=\"{u}\">mirror</a>"))
                .unwrap_or_default(),
        };
        let dup = c
            .near_duplicate_of
            .as_deref()
            .map(|d| {
                format!(
                    "<a href=\"{}\">{}</a>",
                    article_href(root, d),
                    z(headline.get(d).copied().unwrap_or(d))
                )
            })
            .unwrap_or_default();
        let _ = write!(
            m,
            "<tr><td class=\"outlet-name\">{}</td><td class=\"when\">{}</td><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            z(&c.outlet),
            esc(&when(c.published.as_ref())),
            article_href(root, &c.article_id),
            z(&c.headline),
            esc(c.script.as_str()),
            original,
            dup
        );
    }
    m.push_str("</tbody></table></section>");

    if !view.timeline.is_empty() {
        m.push_str("<section id=\"timeline\"><h2>Timeline · 时间线</h2>");
        // A long story dates hundreds of sentences: the main list keeps the events and the
        // happenings several articles state; the rest folds away.
        let long = view.timeline.len() > TIMELINE_SHOWN;
        let main_entry =
            |e: &&TimelineEntry| !long || e.kind == TimelineKind::Event || e.articles.len() >= 2;
        let (shown, folded): (Vec<&TimelineEntry>, Vec<&TimelineEntry>) =
            view.timeline.iter().partition(main_entry);
        m.push_str(&timeline_list(root, view, &shown));
        if !folded.is_empty() {
            let _ = write!(
                m,
                "<details><summary>{} more dated mentions</summary>{}</details>",
                folded.len(),
                timeline_list(root, view, &folded)
            );
        }
        m.push_str("</section>");
    }

    m.push_str("<section id=\"shared-facts\"><h2>Shared facts · 多家报道</h2>");
    if view.shared_facts.is_empty() {
        m.push_str("<p class=\"more\">No statement is reported by two outlets.</p>");
    }
    for f in &view.shared_facts {
        let _ = write!(m, "<div class=\"fact\"><p>{}</p><ul>", z(&f.text));
        for w in &f.carriers {
            let _ = write!(
                m,
                "<li><a class=\"outlet\" href=\"{}\">{}</a>{}</li>",
                article_href(root, &w.article_id),
                z(&w.outlet),
                z(&w.text)
            );
        }
        m.push_str("</ul></div>");
    }
    m.push_str("</section>");

    if !view.quotes.is_empty() {
        m.push_str("<section id=\"quotes\"><h2>Quotes · 引语</h2>");
        for q in &view.quotes {
            let speaker = q.speaker.as_deref().map(z).unwrap_or_else(|| "—".into());
            let _ = write!(
                m,
                "<div class=\"fact\"><p><span class=\"speaker\">{speaker}</span>：“{}” {}</p>",
                z(&q.text),
                chips(&outlets, &q.outlets)
            );
            if q.carriers.len() > 1 {
                m.push_str("<ul>");
                for w in &q.carriers {
                    let _ = write!(
                        m,
                        "<li><a class=\"outlet\" href=\"{}\">{}</a>{}</li>",
                        article_href(root, &w.article_id),
                        z(&w.outlet),
                        z(&w.text)
                    );
                }
                m.push_str("</ul>");
            }
            m.push_str("</div>");
        }
        m.push_str("</section>");
    }

    if !view.single_source.is_empty() {
        m.push_str("<section id=\"single-source\"><h2>Single-source · 独家说法</h2>");
        let mut order: Vec<&str> = Vec::new();
        let mut by_outlet: HashMap<&str, Vec<&newsloom_view::SingleSource>> = HashMap::new();
        for s in &view.single_source {
            if !by_outlet.contains_key(s.outlet_id.as_str()) {
                order.push(&s.outlet_id);
            }
            by_outlet.entry(&s.outlet_id).or_default().push(s);
        }
        for o in order {
            let list = by_outlet.get(o).map(Vec::as_slice).unwrap_or_default();
            let _ = write!(
                m,
                "<div class=\"fact\"><p>{}</p><ul>",
                z(outlet_name(&outlets, o))
            );
            for s in list.iter().take(SINGLE_SOURCE_PER_OUTLET) {
                let link = s
                    .articles
                    .first()
                    .map(|a| format!(" <a href=\"{}\">→</a>", article_href(root, a)))
                    .unwrap_or_default();
                let _ = write!(m, "<li>{}{link}</li>", z(&s.text));
            }
            if list.len() > SINGLE_SOURCE_PER_OUTLET {
                let _ = write!(
                    m,
                    "<li class=\"more\">… {} more in the articles</li>",
                    list.len() - SINGLE_SOURCE_PER_OUTLET
                );
            }
            m.push_str("</ul></div>");
        }
        m.push_str("</section>");
    }

    if !view.copied_passages.is_empty() {
        m.push_str("<section id=\"copied-passages\"><h2>Copied passages · 重复段落</h2>");
        for p in &view.copied_passages {
            let _ = write!(
                m,
                "<div class=\"fact passage\"><p><a href=\"{}\">{}</a> → <a href=\"{}\">{}</a> <span class=\"meta\">{} chars</span></p><blockquote>{}</blockquote></div>",
                article_href(root, &p.from.article_id),
                z(&p.from.outlet),
                article_href(root, &p.to.article_id),
                z(&p.to.outlet),
                p.chars,
                z(&p.to.text)
            );
        }
        m.push_str("</section>");
    }
    page(root, site_title, &summary.title, &m)
}

/// An article page: clean text, images with captions, related links, the original.
pub(crate) fn article_page(
    site_title: &str,
    article: &Article,
    stories: &[(String, String)],
) -> String {
    let root = "../";
    let mut m = String::new();
    let _ = write!(
        m,
        "<article class=\"body\"><h1>{}</h1><p class=\"meta\">",
        z(&article.title)
    );
    let _ = write!(
        m,
        "<span class=\"outlet-name\">{}</span> ",
        z(&article.outlet)
    );
    if let Some(p) = &article.published {
        let _ = write!(
            m,
            "<time datetime=\"{}\">{}</time> ",
            esc(&p.to_rfc3339()),
            esc(&when(Some(p)))
        );
    }
    if let Some(d) = &article.dateline {
        let _ = write!(m, "· {} ", z(d));
    }
    if !article.authors.is_empty() {
        let _ = write!(m, "· {} ", z(&article.authors.join("、")));
    }
    if let Some(u) = article.url.as_deref().and_then(safe_url) {
        let _ = write!(m, "· <a href=\"{u}\">original</a>");
    } else if let Some(u) = article.mirror_url.as_deref().and_then(safe_url) {
        let _ = write!(m, "· <a href=\"{u}\">mirror</a>");
    }
    m.push_str("</p>");
    for s in stories {
        let _ = write!(
            m,
            "<p class=\"meta\">Story: <a href=\"{}\">{}</a></p>",
            story_href(root, &s.0),
            z(&s.1)
        );
    }
    for img in &article.images {
        let Some(src) = safe_url(&img.url) else {
            continue;
        };
        // The caption is the figure's text alternative (figcaption), and it switches script
        // with the page; repeating it in `alt` would show it twice when the image is missing.
        let _ = write!(m, "<figure><img src=\"{src}\" alt=\"\" loading=\"lazy\">");
        let mut cap = String::new();
        if let Some(c) = &img.caption {
            cap.push_str(&z(c));
        }
        if let Some(c) = &img.credit {
            let _ = write!(cap, " <span class=\"meta\">{}</span>", z(c));
        }
        if !cap.is_empty() {
            let _ = write!(m, "<figcaption>{cap}</figcaption>");
        }
        m.push_str("</figure>");
    }
    let mut in_list = false;
    for b in &article.body {
        if b.kind != BlockKind::ListItem && in_list {
            m.push_str("</ul>");
            in_list = false;
        }
        match b.kind {
            BlockKind::Paragraph => {
                let _ = write!(m, "<p>{}</p>", z(&b.text));
            }
            BlockKind::Heading => {
                let _ = write!(m, "<h2>{}</h2>", z(&b.text));
            }
            BlockKind::Quote => {
                let _ = write!(m, "<blockquote>{}</blockquote>", z(&b.text));
            }
            BlockKind::ListItem => {
                if !in_list {
                    m.push_str("<ul>");
                    in_list = true;
                }
                let _ = write!(m, "<li>{}</li>", z(&b.text));
            }
        }
    }
    if in_list {
        m.push_str("</ul>");
    }
    let related: Vec<String> = article
        .related
        .iter()
        .filter_map(|l| {
            safe_url(&l.url).map(|u| format!("<li><a href=\"{u}\">{}</a></li>", z(&l.title)))
        })
        .collect();
    if !related.is_empty() {
        let _ = write!(m, "<h2>Related · 相关</h2><ul>{}</ul>", related.concat());
    }
    m.push_str("</article>");
    page(root, site_title, &article.title, &m)
}

pub(crate) fn published_day(a: &Article) -> String {
    day(a.published.as_ref())
}
