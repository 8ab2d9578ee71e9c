//! Full-page extraction: HTML bytes → title, time, authors, body, images, related links, kind.
//!
//! Main-content detection scores every element of the page by the running text it holds,
//! in one pass over the tree (no recursion, so 10,000-deep nesting is fine):
//!
//! - text is cut into *runs* at block boundaries (`<p>`, `<div>`, `<br>`, …); a run that reads
//!   like prose (≥ 10 characters outside links with sentence punctuation `，。！？；`) counts
//!   for the element by its length; link text, labels, dates and menus count against it;
//! - runs inside elements whose class/id says comment, footer, sidebar, related, recommend,
//!   share, nav… count against it too, whatever they hold;
//! - an element's score is the sum over its subtree, so the best container is the one that
//!   takes in the most prose while leaving out the most noise (ancestors add boilerplate,
//!   descendants lose paragraphs). Class/id hints (`content`, `article`, `正文`, …) and
//!   `<article>` give a small lift; `itemprop=articleBody` is taken when it holds prose.
//!
//! Inside the chosen container, link lists (`阅读更多`, related articles) and negatively hinted
//! subtrees are skipped; their links go to `related`. The container is then walked by
//! [`crate::blocks`] and cleaned by [`crate::boilerplate`].

use crate::blocks::{self, Fragment};
use crate::boilerplate;
use crate::classify::{self, PageKind, PageSignals};
use crate::encoding::decode_html;
use crate::meta::{self, PageMeta};
use chrono::{DateTime, FixedOffset};
use ego_tree::NodeId;
use ego_tree::iter::Edge;
use newsloom_model::{Block, BlockKind, Image, Link, Precision, Script, detect_script};
use scraper::node::{Element, Node};
use scraper::{ElementRef, Html};
use std::collections::{HashMap, HashSet};

/// Everything extracted from one HTML page.
#[derive(Debug, Clone)]
pub struct PageExtract {
    /// What kind of page this is; only `Article` pages should become articles.
    pub kind: PageKind,
    pub title: Option<String>,
    pub published: Option<DateTime<FixedOffset>>,
    pub published_precision: Option<Precision>,
    /// Authors from meta tags, JSON-LD and bylines in the text.
    pub authors: Vec<String>,
    /// Editors named in the text (`责任编辑：…`).
    pub editors: Vec<String>,
    /// The place the report was filed from, when the lead names one.
    pub dateline: Option<String>,
    /// The site name the page gives (`og:site_name`), e.g. `零新聞 2024.11`, `网易`.
    pub site_name: Option<String>,
    /// `<link rel=canonical>` or `og:url`, resolved against the page URL.
    pub canonical_url: Option<String>,
    /// BCP 47 primary language tag: from the text's script when it is CJK, else the page's.
    pub language: String,
    pub script: Script,
    pub body: Vec<Block>,
    pub images: Vec<Image>,
    pub related: Vec<Link>,
    /// The encoding the page was decoded with (`UTF-8`, `gb18030`, `Big5`, …).
    pub encoding: &'static str,
    /// `og:description` / `description`, when given.
    pub description: Option<String>,
}

impl PageExtract {
    /// The body as plain text, one block a line.
    pub fn body_text(&self) -> String {
        self.body
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Why a page could not be extracted at all.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("{location}: empty input (0 bytes or only whitespace)")]
    Empty { location: String },
    #[error("{location}: not an HTML page ({reason})")]
    NotHtml { location: String, reason: String },
}

/// Extracts an article (or recognizes a list/other page) from HTML bytes.
///
/// `url` is the page's address or file path, if known: it helps the encoding guess, resolves
/// relative links, and is a classification signal (`index.html`, `pageN/`).
pub fn extract_page(bytes: &[u8], url: Option<&str>) -> Result<PageExtract, ExtractError> {
    let location = url.unwrap_or("<page>").to_string();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ExtractError::Empty { location });
    }
    let decoded = decode_html(bytes, None, url);
    let control = decoded
        .text
        .chars()
        .take(4096)
        .filter(|c| c.is_control() && !c.is_whitespace())
        .count();
    if control > 256 && !decoded.text.contains('<') {
        return Err(ExtractError::NotHtml {
            location,
            reason: "binary data without markup".into(),
        });
    }
    let doc = Html::parse_document(&decoded.text);
    let meta = meta::read_meta(&doc);
    let scan = scan(&doc);
    let content = choose_content(&doc, &scan);

    let mut fragment = Fragment::default();
    let mut skipped_related = Vec::new();
    let mut content_start = scan.page_text.len();
    if let Some(id) = content
        && let Some(el) = doc.tree.get(id).and_then(ElementRef::wrap)
    {
        let skip = skip_set(el, &scan, &mut skipped_related);
        fragment = blocks::walk_except(el, &skip);
        content_start = scan
            .stats
            .get(&id)
            .map(|s| s.start)
            .unwrap_or(content_start);
    }
    let title = choose_title(&doc, &meta, &scan, content_start);
    // Byline lines sit just before the content, or at its very start or end; cleaning
    // removes them from the body, so look at the raw blocks.
    let byline_text = byline_candidates(
        &scan.page_text,
        content_start,
        title.as_deref(),
        &fragment.blocks,
    );
    let cleaned = boilerplate::clean_blocks(tidy_blocks(fragment.blocks, title.as_deref()));
    let body = cleaned.blocks;
    let byline = cleaned.byline;

    let (published, precision) = match meta.published {
        Some((t, p)) => (Some(t), Some(p)),
        None => match visible_date(&doc, &scan, content_start, title.as_deref()) {
            Some((t, p)) => (Some(t), Some(p)),
            None => match meta.modified {
                Some((t, p)) => (Some(t), Some(p)),
                None => (None, None),
            },
        },
    };

    let body_text: String = body
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let script = detect_script(&body_text);
    let cjk = body_text.chars().filter(|&c| blocks::is_cjk(c)).count();
    let language = if cjk * 3 >= body_text.chars().count().max(1) && cjk > 0 {
        "zh".to_string()
    } else {
        meta.language.clone().unwrap_or_else(|| {
            if body_text.is_empty() {
                "und".into()
            } else {
                "en".into()
            }
        })
    };

    let mut authors = byline.authors.clone();
    if authors.is_empty() {
        authors = address_authors(&doc, content);
    }
    if authors.is_empty() {
        authors = reporter_names(&byline_text);
    }
    if authors.is_empty() {
        authors = meta
            .authors
            .iter()
            .filter(|a| looks_like_person(a, meta.site_name.as_deref()))
            .cloned()
            .collect();
    }

    let mut related = fragment.related;
    related.extend(skipped_related);
    let base = url.and_then(|u| url::Url::parse(u).ok());
    for link in &mut related {
        link.url = resolve(base.as_ref(), &link.url);
    }
    let mut images = fragment.images;
    for img in &mut images {
        img.url = resolve(base.as_ref(), &img.url);
    }
    let canonical_url = meta
        .canonical_url
        .as_deref()
        .map(|c| resolve(base.as_ref(), c));

    let signals = signals(&meta, &scan, content, &body, title.is_some(), url);
    let kind = classify::classify(&signals);

    Ok(PageExtract {
        kind,
        title,
        published,
        published_precision: precision,
        authors,
        editors: byline.editors,
        dateline: byline.dateline,
        site_name: meta.site_name.clone(),
        canonical_url,
        language,
        script,
        body,
        images,
        related,
        encoding: decoded.encoding.name(),
        description: meta.description.clone(),
    })
}

/// Per-element measurements, summed over the element's subtree.
#[derive(Debug, Clone, Default)]
struct Stats {
    /// Prose characters minus noise characters (see module docs).
    score: f64,
    /// Visible characters (non-whitespace).
    chars: usize,
    /// Visible characters inside links.
    link_chars: usize,
    /// Sentence punctuation outside links.
    punct: usize,
    /// Prose runs (paragraphs).
    paras: usize,
    /// Byte offset of the element's text in [`Scan::page_text`].
    start: usize,
}

struct Scan {
    stats: HashMap<NodeId, Stats>,
    /// All visible text of the page, runs separated by newlines.
    page_text: String,
    /// Largest number of links sharing the same (parent tag, tag path) shape.
    largest_link_group: usize,
    /// Elements explicitly marked as the article body.
    article_body: Vec<NodeId>,
}

/// A run of inline text inside one block.
#[derive(Default)]
struct Run {
    chars: usize,
    link_chars: usize,
    punct: usize,
}

struct Frame {
    id: NodeId,
    stats: Stats,
    is_block: bool,
    negative: bool,
    run: Run,
}

fn is_sentence_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '！' | '？' | '；' | '、' | '：' | '」' | '”'
    ) || matches!(c, ',' | '.' | '!' | '?' | ';')
}

fn is_block_name(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "tbody"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
            | "figure"
            | "figcaption"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "center"
            | "form"
            | "body"
            | "html"
            | "address"
    )
}

/// Subtrees that hold no visible text at all.
fn is_invisible(el: &Element) -> bool {
    const NAMES: [&str; 14] = [
        "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
        "head", "select", "textarea", "button", "title",
    ];
    if NAMES.contains(&el.name()) || el.attr("hidden").is_some() {
        return true;
    }
    el.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

/// Class/id words that mark page furniture rather than the article.
const NEGATIVE_HINTS: &[&str] = &[
    "comment",
    "footer",
    "foot",
    "sidebar",
    "side-bar",
    "aside",
    "related",
    "recommend",
    "share",
    "sns",
    "social",
    "nav",
    "menu",
    "breadcrumb",
    "crumb",
    "copyright",
    "advert",
    "banner",
    "sponsor",
    "promo",
    "hot",
    "rank",
    "popular",
    "tags",
    "toolbar",
    "widget",
    "login",
    "subscribe",
    "qrcode",
    "disclaimer",
    "statement",
    "pagination",
    "pager",
    "next",
    "prev",
    "author-bio",
    "reply",
    "dialog",
    "modal",
    "cookie",
    "keywords",
    "tuijian",
    "pinglun",
    "cmt",
    "xgxw",
    "xgwz",
    "slider",
    "carousel",
    "swiper",
    "popup",
    "rss",
    "community",
    "shoutbox",
    "remark",
    "xiangguan",
    "more",
    "gotop",
    "bottom",
];

/// Class/id words that mark the article text.
const POSITIVE_HINTS: &[&str] = &[
    "content",
    "article",
    "post",
    "entry",
    "text",
    "body",
    "story",
    "detail",
    "main",
    "正文",
    "artibody",
    "endtext",
    "news_txt",
    "trs_editor",
    "zoom",
    "txt",
    "con",
];

fn hint_words(el: &Element) -> String {
    let mut s = String::new();
    if let Some(id) = el.id() {
        s.push_str(id);
    }
    for c in el.classes() {
        s.push(' ');
        s.push_str(c);
    }
    s.to_ascii_lowercase()
}

fn is_negative(el: &Element) -> bool {
    match el.name() {
        "nav" | "footer" | "aside" => return true,
        // Page-level containers carry site-wide classes (`weibo_login` on sina's <body>).
        "html" | "body" | "main" | "article" => return false,
        _ => {}
    }
    let words = hint_words(el);
    if words.is_empty() {
        return false;
    }
    // `article-content`/`post-body` win over an incidental `share` in the same attribute.
    let positive = words.contains("articlebody")
        || words.contains("article-content")
        || words.contains("post-content");
    !positive
        && words
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_')
            .any(is_negative_word)
}

/// `related`, `share-bar`, `footer_links`, `hot-news`: a hint as the whole word or as one
/// `-`/`_`-separated part of it.
fn is_negative_word(word: &str) -> bool {
    word.split(['-', '_'])
        .any(|part| NEGATIVE_HINTS.contains(&part))
}

fn positive_weight(el: &Element) -> f64 {
    let words = hint_words(el);
    let mut w = 1.0;
    if el.name() == "article" {
        w *= 1.1;
    }
    if POSITIVE_HINTS.iter().any(|h| words.contains(h)) {
        w *= 1.15;
    }
    w
}

/// One pass over the document: per-element stats, page text, link-shape groups.
fn scan(doc: &Html) -> Scan {
    let mut stats: HashMap<NodeId, Stats> = HashMap::new();
    let mut page_text = String::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut skip_until: Option<NodeId> = None;
    // Whether the last run was a link standing alone (a headline in a list or feed).
    let mut after_link_title = false;
    let mut link_depth = 0usize;
    let mut link_groups: HashMap<(String, String), usize> = HashMap::new();
    let mut article_body = Vec::new();

    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                if skip_until.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Element(el) => {
                        if is_invisible(el) {
                            skip_until = Some(node.id());
                            continue;
                        }
                        let is_block = is_block_name(el.name()) || el.name() == "br";
                        if is_block {
                            finish_run(&mut stack, &mut page_text, &mut after_link_title);
                        }
                        if el.name() == "a" {
                            link_depth += 1;
                            if el.attr("href").is_some() {
                                let parent = stack.last().map(|f| f.id);
                                let shape = parent
                                    .and_then(|p| doc.tree.get(p))
                                    .and_then(|p| {
                                        p.value().as_element().map(|e| e.name().to_string())
                                    })
                                    .unwrap_or_default();
                                let grand = stack
                                    .len()
                                    .checked_sub(2)
                                    .and_then(|i| stack.get(i))
                                    .and_then(|f| doc.tree.get(f.id))
                                    .and_then(|p| p.value().as_element().map(hint_words))
                                    .unwrap_or_default();
                                *link_groups.entry((shape, grand)).or_default() += 1;
                            }
                        }
                        if el
                            .attr("itemprop")
                            .is_some_and(|p| p.split_whitespace().any(|w| w == "articleBody"))
                        {
                            article_body.push(node.id());
                        }
                        let negative = is_negative(el) || stack.last().is_some_and(|f| f.negative);
                        if el.name() == "br" {
                            continue;
                        }
                        stack.push(Frame {
                            id: node.id(),
                            stats: Stats {
                                start: page_text.len(),
                                ..Stats::default()
                            },
                            is_block,
                            negative,
                            run: Run::default(),
                        });
                    }
                    Node::Text(t) => {
                        let Some(block) = stack.iter_mut().rev().find(|f| f.is_block) else {
                            continue;
                        };
                        let mut last_ws =
                            page_text.ends_with(char::is_whitespace) || page_text.is_empty();
                        for c in t.chars() {
                            if c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}' {
                                if !last_ws {
                                    page_text.push(' ');
                                    last_ws = true;
                                }
                                continue;
                            }
                            last_ws = false;
                            page_text.push(c);
                            block.run.chars += 1;
                            if link_depth > 0 {
                                block.run.link_chars += 1;
                            } else if is_sentence_punct(c) {
                                block.run.punct += 1;
                            }
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(skip) = skip_until {
                    if skip == node.id() {
                        skip_until = None;
                    }
                    continue;
                }
                let Node::Element(el) = node.value() else {
                    continue;
                };
                if el.name() == "a" {
                    link_depth = link_depth.saturating_sub(1);
                }
                if el.name() == "br" {
                    finish_run(&mut stack, &mut page_text, &mut after_link_title);
                    continue;
                }
                if stack.last().is_none_or(|f| f.id != node.id()) {
                    continue;
                }
                if is_block_name(el.name()) {
                    finish_run(&mut stack, &mut page_text, &mut after_link_title);
                }
                let Some(frame) = stack.pop() else { continue };
                let s = frame.stats;
                if let Some(parent) = stack.last_mut() {
                    parent.stats.score += s.score;
                    parent.stats.chars += s.chars;
                    parent.stats.link_chars += s.link_chars;
                    parent.stats.punct += s.punct;
                    parent.stats.paras += s.paras;
                }
                stats.insert(frame.id, s);
            }
        }
    }
    while let Some(frame) = stack.pop() {
        stats.insert(frame.id, frame.stats);
    }
    let largest_link_group = link_groups.values().copied().max().unwrap_or(0);
    Scan {
        stats,
        page_text,
        largest_link_group,
        article_body,
    }
}

/// Ends the current inline run of the innermost block and scores it.
fn finish_run(stack: &mut [Frame], page_text: &mut String, after_link_title: &mut bool) {
    let Some(block) = stack.iter_mut().rev().find(|f| f.is_block) else {
        return;
    };
    let run = std::mem::take(&mut block.run);
    if run.chars == 0 {
        return;
    }
    if !page_text.ends_with('\n') {
        page_text.push('\n');
    }
    let own = run.chars - run.link_chars;
    let prose = own >= 10 && run.punct >= 1 && run.link_chars * 2 < run.chars;
    // Prose right under a linked headline is a teaser in a feed or "related" list (the
    // article's own paragraphs do not follow link-only lines); it counts as noise.
    let teaser = prose && *after_link_title;
    // Links in furniture (a related box between paragraphs) do not start a teaser.
    *after_link_title = !block.negative && run.chars >= 6 && run.link_chars * 10 >= run.chars * 9;
    let mut value = if prose && !teaser {
        own as f64 - run.link_chars as f64
    } else {
        -0.6 * run.chars as f64
    };
    if block.negative && value > 0.0 {
        value = -value;
    }
    block.stats.score += value;
    block.stats.chars += run.chars;
    block.stats.link_chars += run.link_chars;
    block.stats.punct += run.punct;
    if prose && !teaser && !block.negative {
        block.stats.paras += 1;
    }
}

/// Picks the element holding the article text.
fn choose_content(doc: &Html, scan: &Scan) -> Option<NodeId> {
    // An explicit article-body marker wins, even when empty (a headline-only page).
    if let Some(id) = scan
        .article_body
        .iter()
        .copied()
        .filter(|id| scan.stats.contains_key(id))
        .max_by_key(|id| scan.stats.get(id).map(|s| s.chars).unwrap_or(0))
    {
        return Some(id);
    }
    let mut best: Option<(f64, NodeId)> = None;
    for (id, s) in &scan.stats {
        if s.score <= 0.0 {
            continue;
        }
        let Some(el) = doc
            .tree
            .get(*id)
            .and_then(|n| n.value().as_element().map(|e| (n, e)))
        else {
            continue;
        };
        let (_, element) = el;
        if matches!(element.name(), "html" | "body") {
            continue;
        }
        let score = s.score * positive_weight(element);
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, *id));
        }
    }
    best.map(|(_, id)| id).or_else(|| {
        // No prose anywhere: fall back to <body> so short pages still yield their text.
        doc.tree
            .root()
            .descendants()
            .find(|n| n.value().as_element().is_some_and(|e| e.name() == "body"))
            .map(|n| n.id())
    })
}

/// Subtrees inside the content container to leave out of the body: link lists and
/// negatively hinted furniture. Their links are kept as related links.
fn skip_set(root: ElementRef<'_>, scan: &Scan, related: &mut Vec<Link>) -> HashSet<NodeId> {
    let mut skip = HashSet::new();
    let mut skipping: Option<NodeId> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() || node.id() == root.id() {
                    continue;
                }
                let Some(el) = node.value().as_element() else {
                    continue;
                };
                let Some(s) = scan.stats.get(&node.id()) else {
                    continue;
                };
                let link_list = s.chars >= 4
                    && s.link_chars * 10 >= s.chars * 6
                    && s.paras == 0
                    && s.link_chars >= 8;
                let furniture = is_negative(el) && s.paras <= 1;
                if link_list || furniture {
                    skip.insert(node.id());
                    skipping = Some(node.id());
                    if let Some(el_ref) = ElementRef::wrap(node) {
                        collect_links(el_ref, related);
                    }
                }
            }
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                }
            }
        }
    }
    skip
}

fn collect_links(el: ElementRef<'_>, out: &mut Vec<Link>) {
    for a in el.descendants().filter_map(ElementRef::wrap) {
        if a.value().name() != "a" {
            continue;
        }
        let Some(href) = a.value().attr("href") else {
            continue;
        };
        let title = blocks::element_text(a);
        if title.chars().count() >= 4 && !href.starts_with('#') && !href.starts_with("javascript:")
        {
            out.push(Link {
                url: href.to_string(),
                title,
            });
        }
    }
}

/// Drops blocks at the top that repeat the headline or only carry page metadata (date,
/// source, reading count), and bare ordinal markers.
fn tidy_blocks(blocks: Vec<Block>, title: Option<&str>) -> Vec<Block> {
    let norm = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let title_norm = title.map(norm).unwrap_or_default();
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for (i, b) in blocks.into_iter().enumerate() {
        let t = norm(&b.text);
        // Ordinals, separators, mis-decoded emoji: nothing a reader would call text.
        if !t.chars().any(|c| c.is_alphabetic()) {
            continue;
        }
        if i < 4
            && !title_norm.is_empty()
            && (t == title_norm || (b.kind == BlockKind::Heading && title_norm.contains(&t)))
        {
            continue;
        }
        if i < 6 && is_meta_line(&b.text) {
            continue;
        }
        if is_photo_line(&t) || is_original_title_note(&t) {
            continue;
        }
        out.push(b);
    }
    drop_related_sections(&mut out);
    // Before the first sentence, short labels are page furniture that sat inside the
    // content container (`字号`, `关注`, `产经 >正文`, the outlet's account name) — unless the
    // page has no sentence at all (an embed with a credit line), then they are all there is.
    if let Some(first) = out.iter().position(|b| is_prose(&b.text)) {
        let mut i = 0;
        out.retain(|b| {
            let keep = i >= first
                || b.kind == BlockKind::Heading
                || b.text.chars().filter(|c| !c.is_whitespace()).count() > 12;
            i += 1;
            keep
        });
    }
    out
}

/// Labels that head a related-content section inside the body (`相关图集：…`, `延伸 · 推荐`).
const RELATED_LABELS: &[&str] = &[
    "相关图集",
    "相關圖集",
    "相关新闻",
    "相關新聞",
    "相关阅读",
    "相關閱讀",
    "相关文章",
    "相關文章",
    "相关报道",
    "相關報導",
    "相关链接",
    "相關連結",
    "延伸阅读",
    "延伸閱讀",
    "延伸推荐",
    "延伸推薦",
    "推荐阅读",
    "推薦閱讀",
    "阅读更多",
    "閱讀更多",
    "更多新闻",
    "更多新聞",
    "热门推荐",
    "熱門推薦",
    "猜你喜欢",
    "猜你喜歡",
];

/// Drops a related-content section: a label block (a heading, or a short line) that names
/// one, and what follows it up to the next subheading (the article goes on) or the end.
fn drop_related_sections(blocks: &mut Vec<Block>) {
    let mut in_related = false;
    blocks.retain(|b| {
        let squashed: String = b
            .text
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '·' | '・' | '|'))
            .collect();
        let is_label = (b.kind == BlockKind::Heading || squashed.chars().count() <= 12)
            && RELATED_LABELS.iter().any(|l| squashed.starts_with(l));
        if is_label {
            in_related = true;
            return false;
        }
        // A subheading ends the section: a heading, or a short line without punctuation
        // (`<p><strong>国内市场表现与期待</strong></p>`).
        let subheading = b.kind == BlockKind::Heading
            || (squashed.chars().count() <= 20 && !squashed.chars().any(is_sentence_punct));
        if in_related && subheading {
            in_related = false;
        }
        !in_related
    });
}

/// A block that reads as a sentence: ≥ 10 characters with sentence punctuation.
fn is_prose(text: &str) -> bool {
    text.chars().count() >= 10 && text.chars().any(is_sentence_punct)
}

/// A photo caption or credit line written as text: `…城市摄影队 周斌 摄`, `图片来源：…`,
/// `▲图片来自视频截图。`, `资料图`.
fn is_photo_line(t: &str) -> bool {
    let n = t.chars().count();
    if n > 60 {
        return false;
    }
    let t = t.trim_end_matches(['。', '.', '）', ')']);
    t.ends_with('摄')
        || t.ends_with("供图")
        || t.ends_with("截图")
        || t.ends_with("资料图")
        || t.ends_with("資料圖")
        || t.starts_with('▲')
        || t.starts_with("图片来源")
        || t.starts_with("圖片來源")
        || t.starts_with("图/")
        || t.starts_with("圖/")
        || t.starts_with("图为")
        || t == "资料图"
        || t == "網上圖片"
        || t == "网络图片"
}

/// `（原标题：…）` / `本文原标题：《…》`: a note about the headline, not text.
fn is_original_title_note(t: &str) -> bool {
    let t = t.trim_start_matches(['（', '(']);
    t.chars().count() <= 120
        && (t.starts_with("原标题")
            || t.starts_with("原標題")
            || t.starts_with("本文原标题")
            || t.starts_with("原题为")
            || t.starts_with("原題為"))
}

/// A short line that states a date (and maybe source/author/read count) but no sentence.
fn is_meta_line(text: &str) -> bool {
    let n = text.chars().count();
    n <= 80 && !text.contains('。') && !meta::dates_in_text(text).is_empty() && {
        let digits = text.chars().filter(|c| c.is_ascii_digit()).count();
        digits * 4 >= n.min(40)
            || text.contains("来源")
            || text.contains("來源")
            || text.contains("发布")
    }
}

/// Finds the headline.
fn choose_title(doc: &Html, meta: &PageMeta, scan: &Scan, content_start: usize) -> Option<String> {
    let html_title = meta.html_title.as_deref().unwrap_or("");
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let html_sq = squash(html_title);
    // An <h1> that the <title> repeats is the headline.
    for h in &meta.h1 {
        let hs = squash(h);
        if hs.chars().count() >= 4 && html_sq.contains(&hs) {
            return Some(h.clone());
        }
        if let Some(og) = &meta.og_title {
            let og_sq = squash(og);
            if og_sq.chars().count() >= 4 && hs.starts_with(&og_sq) {
                return Some(h.clone());
            }
        }
    }
    for t in [&meta.og_title, &meta.jsonld_headline]
        .into_iter()
        .flatten()
    {
        if t.chars().count() >= 4 {
            return Some(meta::strip_site_suffix(t, meta.site_name.as_deref(), &[]));
        }
    }
    // Heading-like elements: the longest one the <title> repeats, else the last one just
    // before the content.
    let mut headings: Vec<(usize, String)> = Vec::new();
    for node in doc.tree.root().descendants() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        let name = el.name();
        let titled = el
            .classes()
            .any(|c| c.to_ascii_lowercase().contains("title"))
            || el
                .id()
                .is_some_and(|i| i.to_ascii_lowercase().contains("title"));
        if !(matches!(name, "h1" | "h2" | "h3" | "h4" | "h5") || titled) || name == "title" {
            continue;
        }
        let Some(er) = ElementRef::wrap(node) else {
            continue;
        };
        let text = blocks::element_text(er);
        let n = text.chars().count();
        if (4..=100).contains(&n) {
            let start = scan
                .stats
                .get(&node.id())
                .map(|s| s.start)
                .unwrap_or(usize::MAX);
            headings.push((start, text));
        }
    }
    if let Some((_, t)) = headings
        .iter()
        // Short ones are the site's logo or section name, which <title> also repeats.
        .filter(|(_, t)| {
            let n = squash(t).chars().count();
            (n >= 8 || n * 2 >= html_sq.chars().count()) && html_sq.contains(&squash(t))
        })
        .max_by_key(|(_, t)| t.chars().count())
    {
        return Some(t.clone());
    }
    if let Some((_, t)) = headings
        .iter()
        .filter(|(s, t)| *s <= content_start && content_start - *s < 1500 && t.chars().count() >= 6)
        .max_by_key(|(s, _)| *s)
    {
        return Some(t.clone());
    }
    if !html_title.is_empty() {
        return Some(meta::strip_site_suffix(
            html_title,
            meta.site_name.as_deref(),
            &[],
        ));
    }
    meta.h1.first().cloned()
}

/// A publication date written on the page near the headline (or just before the body).
fn visible_date(
    doc: &Html,
    scan: &Scan,
    content_start: usize,
    title: Option<&str>,
) -> Option<(DateTime<FixedOffset>, Precision)> {
    let text = &scan.page_text;
    let title_pos = title
        .filter(|t| t.chars().count() >= 4)
        .and_then(|t| {
            text.get(..content_start.min(text.len()))
                .and_then(|head| head.rfind(t))
        })
        .or_else(|| {
            // The headline may be written with different spacing; fall back to h1's offset.
            doc.tree
                .root()
                .descendants()
                .find(|n| n.value().as_element().is_some_and(|e| e.name() == "h1"))
                .and_then(|n| scan.stats.get(&n.id()))
                .map(|s| s.start)
        });
    let lo = title_pos
        .unwrap_or(content_start.saturating_sub(800))
        .min(content_start);
    let hi = (content_start + 300).min(text.len());
    let window = slice_chars(text, lo, hi);
    let dates = meta::dates_in_text(window);
    // A labelled date (`发布时间：`, `日期:`) beats the first date in the window, which may
    // belong to a breadcrumb, a previous-article link or the lead of the text.
    let labelled = dates.iter().find(|(pos, _)| is_labelled(window, *pos));
    if let Some((_, d)) = labelled.or(dates.first()) {
        return Some(*d);
    }
    // Some pages put the date after the body (`发布时间` footer lines): accept a labelled one.
    for (pos, d) in meta::dates_in_text(text) {
        if is_labelled(text, pos) {
            return Some(d);
        }
    }
    None
}

/// Is the date at byte `pos` of `text` introduced by a publication label?
fn is_labelled(text: &str, pos: usize) -> bool {
    let before = slice_chars(text, pos.saturating_sub(24), pos);
    [
        "发布", "發布", "发表", "發表", "时间", "時間", "日期", "更新",
    ]
    .iter()
    .any(|l| before.contains(l))
}

/// `s[lo..hi]`, with both ends moved back to character boundaries.
fn slice_chars(s: &str, mut lo: usize, mut hi: usize) -> &str {
    hi = hi.min(s.len());
    lo = lo.min(hi);
    while lo > 0 && !s.is_char_boundary(lo) {
        lo -= 1;
    }
    while hi > lo && !s.is_char_boundary(hi) {
        hi -= 1;
    }
    s.get(lo..hi).unwrap_or("")
}

/// Text where a byline may be written: the page text between the headline and the content,
/// and the first and last few raw blocks of the content.
fn byline_candidates(
    page_text: &str,
    content_start: usize,
    title: Option<&str>,
    blocks: &[Block],
) -> String {
    let head = slice_chars(page_text, 0, content_start);
    let from = title
        .filter(|t| t.chars().count() >= 4)
        .and_then(|t| head.rfind(t).map(|i| i + t.len()))
        .unwrap_or(content_start.saturating_sub(300));
    let mut out = slice_chars(
        page_text,
        from.max(content_start.saturating_sub(600)),
        content_start,
    )
    .to_string();
    for (i, b) in blocks.iter().enumerate() {
        let text = b.text.trim();
        if text.chars().count() <= 40 {
            // A short line of its own: `作者：余毅菁 向雪妮`, `《棱镜》作者 周纯`.
            out.push('\n');
            out.push_str(text);
        } else if i < 3 {
            // A bracketed byline in the lead: `新京报快讯（记者 裴剑飞）今日…`.
            let head: String = text.chars().take(60).collect();
            if let Some(open) = head.find(['（', '(']) {
                let inner = head.get(open..).unwrap_or("");
                if let Some(close) = inner.find(['）', ')']) {
                    out.push('\n');
                    out.push_str(inner.get(..close).unwrap_or(""));
                }
            }
        }
    }
    out
}

/// Words that introduce a reporter's name in a Chinese byline.
const REPORTER_LABELS: &[&str] = &[
    "记者", "記者", "作者", "撰文", "撰稿", "采写", "採寫", "文/", "文／", "编译", "編譯",
];

/// Words that follow a reporter's name in a byline but are not names.
const NOT_NAMES: &[&str] = &[
    "整合",
    "报道",
    "報導",
    "报导",
    "综合",
    "綜合",
    "摄影",
    "攝影",
    "实习生",
    "實習生",
    "通讯员",
    "通訊員",
    "编辑",
    "編輯",
    "责编",
    "責編",
    "来源",
    "來源",
    "发自",
    "發自",
    "获悉",
    "獲悉",
    "见习",
    "見習",
    "校对",
    "校對",
    "未知",
    "专电",
    "專電",
    "今日",
    "今天",
    "昨日",
    "昨天",
    "近日",
    "日前",
    "注意到",
    "了解到",
    "表示",
    "认为",
    "認為",
    "指出",
    "分析称",
    "发现",
    "發現",
    "采访",
    "透露",
    "介绍",
    "介紹",
    "梳理",
];

/// Reporter names written in Chinese bylines: `澎湃新闻记者 段彦超 廖艳`, `（记者 裴剑飞）`,
/// `作者：余毅菁 向雪妮`, `采写：南都见习记者 林子沛`, `《棱镜》作者 周纯`.
///
/// After a label, names are runs of two or three Han characters separated by spaces or
/// enumeration commas; anything else (a longer run such as `了解到`, a bracket, a verb after
/// no separator) ends the byline.
fn reporter_names(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // Photo credits (`每经记者 张蕊 摄`) name photographers, not authors.
    for line in text
        .lines()
        .filter(|l| !l.trim_end().ends_with('摄') && !l.contains("摄影"))
    {
        for label in REPORTER_LABELS {
            let mut from = 0;
            while let Some(pos) = line.get(from..).and_then(|rest| rest.find(label)) {
                let start = from + pos + label.len();
                from = start;
                let rest = line.get(start..).unwrap_or("");
                let rest =
                    rest.trim_start_matches([' ', '\t', ':', '：', '|', '/', '／', '\u{3000}']);
                let mut chars = rest.chars().peekable();
                loop {
                    let run: String =
                        std::iter::from_fn(|| chars.next_if(|&c| is_han(c))).collect();
                    let n = run.chars().count();
                    if !(2..=3).contains(&n) || NOT_NAMES.contains(&run.as_str()) {
                        break;
                    }
                    if !out.contains(&run) {
                        out.push(run);
                    }
                    let seps: String = std::iter::from_fn(|| {
                        chars.next_if(|&c| matches!(c, ' ' | '\t' | '、' | '，' | ',' | '\u{3000}'))
                    })
                    .collect();
                    if seps.is_empty() {
                        break;
                    }
                }
            }
        }
        if !out.is_empty() {
            break;
        }
    }
    out
}

pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

/// Authors marked up as such: `<address>`, `[itemprop=author]`, `[rel=author]`, or a short
/// element whose class says author/byline, inside the content or just before it.
fn address_authors(doc: &Html, content: Option<NodeId>) -> Vec<String> {
    let mut out = Vec::new();
    let root = content
        .and_then(|c| doc.tree.get(c))
        .and_then(|n| n.parent())
        .unwrap_or_else(|| doc.tree.root());
    for node in root.descendants() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        let classes = hint_words(el);
        let marked = el.name() == "address"
            || el
                .attr("itemprop")
                .is_some_and(|p| p.split_whitespace().any(|w| w == "author"))
            || el.attr("rel") == Some("author")
            || classes
                .split([' ', '-', '_'])
                .any(|w| matches!(w, "author" | "byline" | "writer"));
        if !marked {
            continue;
        }
        let Some(er) = ElementRef::wrap(node) else {
            continue;
        };
        let text = blocks::element_text(er);
        if text.is_empty()
            || text.chars().count() > 60
            || text.chars().any(|c| matches!(c, '。' | '！' | '？'))
        {
            continue;
        }
        // `作者：未知 责任编辑：某某`: keep the author segments, drop editor and source ones.
        let kept: Vec<&str> = text
            .split([' ', '|', '\u{3000}'])
            .filter(|seg| {
                ![
                    "编辑", "編輯", "责编", "責編", "来源", "來源", "时间", "時間", "日期",
                ]
                .iter()
                .any(|w| seg.contains(w))
            })
            .collect();
        let text = kept.join(" ");
        for part in text
            .split([',', '，', '、', '&', ';', '；', '/'])
            .flat_map(|p| p.split(" and "))
        {
            let part = part.trim();
            // `作者：张三` inside an author element.
            let part = part.rsplit(['：', ':']).next().unwrap_or(part).trim();
            let han = part.chars().filter(|&c| is_han(c)).count();
            let plausible = if han > 0 {
                // Chinese names have two or three characters.
                han == part.chars().filter(|c| !c.is_whitespace()).count() && (2..=3).contains(&han)
            } else {
                part.split_whitespace().count() <= 4
            };
            if part.is_empty()
                || !plausible
                || NOT_NAMES.contains(&part)
                || part.chars().any(|c| c.is_ascii_digit())
                || !looks_like_person(part, None)
            {
                continue;
            }
            let name = title_case_if_shouting(part);
            if !out.contains(&name) {
                out.push(name);
            }
        }
        if !out.is_empty() {
            break;
        }
    }
    out
}

/// `MEAGHAN TOBIN` → `Meaghan Tobin`; anything with lower case is left alone.
fn title_case_if_shouting(s: &str) -> String {
    if !s.chars().any(|c| c.is_ascii_uppercase()) || s.chars().any(|c| c.is_lowercase()) {
        return s.to_string();
    }
    s.split(' ')
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn looks_like_person(name: &str, site: Option<&str>) -> bool {
    let lower = name.to_lowercase();
    let n = name.chars().count();
    !(!(2..=40).contains(&n)
        || site.is_some_and(|s| s.contains(name) || name.contains(s))
        || lower.contains('@')
        || lower.contains("http")
        || lower.starts_with("name")
        || [
            "网",
            "網",
            "新闻",
            "新聞",
            "报",
            "報",
            ".com",
            ".net",
            "news",
            "日报",
            "综合",
            "消息",
            "社",
            "电视",
            "電視",
            "电台",
            "電台",
            "杂志",
            "雜誌",
            "周刊",
            "週刊",
            "中心",
            "编辑部",
            "編輯部",
        ]
        .iter()
        .any(|w| lower.contains(w)))
}

fn resolve(base: Option<&url::Url>, href: &str) -> String {
    match base {
        Some(b) => b
            .join(href)
            .map(|u| u.to_string())
            .unwrap_or_else(|_| href.to_string()),
        None => href.to_string(),
    }
}

/// Whether a page says it is an error page: in its title or a bare `404` headline (a
/// headline that merely contains 找不到, "could not find", is news), in its file name
/// (`404.html`, as static sites and mirrors publish theirs), or in the few words of text it
/// has (`The requested page could not be found.` under the site's name as the title).
fn says_error(
    meta: &PageMeta,
    location: &[Option<&str>],
    body: &[Block],
    body_chars: usize,
) -> bool {
    const TITLE_SIGNS: &[&str] = &[
        "页面不存在",
        "頁面不存在",
        "页面找不到",
        "找不到页面",
        "找不到網頁",
        "Page not found",
        "page not found",
        "Not Found",
    ];
    // Said in running text, these are how error pages word it; an article quoting one is
    // longer than an error page's line or two.
    const TEXT_SIGNS: &[&str] = &[
        "could not be found",
        "page not found",
        "page you requested",
        "page you are looking for",
        "页面不存在",
        "頁面不存在",
        "网页不存在",
        "網頁不存在",
        "您访问的页面",
        "您訪問的頁面",
        "您要访问的页面",
        "您要訪問的頁面",
        "找不到您要",
    ];
    const ERROR_TEXT_CHARS: usize = 100;
    let title = meta.html_title.as_deref().unwrap_or("").trim();
    let by_title = title.starts_with("404")
        || title.ends_with("404")
        || TITLE_SIGNS.iter().any(|w| title.contains(w))
        || meta.h1.iter().any(|h| h.trim() == "404");
    let by_location = location.iter().flatten().any(|l| names_error_page(l));
    let by_text = body_chars <= ERROR_TEXT_CHARS
        && body.iter().any(|b| {
            let text = b.text.to_lowercase();
            TEXT_SIGNS.iter().any(|w| text.contains(w))
        });
    by_title || by_location || by_text
}

/// Whether a URL or path names an HTTP error page: a file named for the status
/// (`404.html`, `500.htm`), or a site's one-segment path (`https://example.com/404/`).
/// A numbered page deeper in a site (`/news/404`) is an article id, not an error.
fn names_error_page(location: &str) -> bool {
    const ERROR_CODES: &[&str] = &["400", "403", "404", "410", "500", "502", "503"];
    let path = location.split(['?', '#']).next().unwrap_or(location);
    let (path, on_site) = match url::Url::parse(path) {
        Ok(u) if u.has_host() => (u.path().to_string(), true),
        _ => (path.to_string(), false),
    };
    let segments: Vec<&str> = path.split(['/', '\\']).filter(|s| !s.is_empty()).collect();
    let Some(last) = segments.last() else {
        return false;
    };
    match last.rsplit_once('.') {
        Some((stem, ext)) => {
            matches!(
                ext.to_ascii_lowercase().as_str(),
                "html" | "htm" | "shtml" | "php"
            ) && ERROR_CODES.contains(&stem)
        }
        None => on_site && segments.len() == 1 && ERROR_CODES.contains(last),
    }
}

fn signals(
    meta: &PageMeta,
    scan: &Scan,
    content: Option<NodeId>,
    body: &[Block],
    has_title: bool,
    url: Option<&str>,
) -> PageSignals {
    let declares_article = meta.og_type.as_deref() == Some("article")
        || meta
            .jsonld_types
            .iter()
            .any(|t| t.ends_with("Article") || t == "BlogPosting");
    let body_chars: usize = body.iter().map(|b| b.text.chars().count()).sum();
    let body_punct: usize = body
        .iter()
        .map(|b| b.text.chars().filter(|&c| is_sentence_punct(c)).count())
        .sum();
    // Prose runs of the chosen container as the scan counted them: teasers under linked
    // headlines and text in furniture do not count, so a list of summaries has none.
    let content_stats = content.and_then(|c| scan.stats.get(&c));
    let paragraphs = content_stats.map(|s| s.paras).unwrap_or(0);
    let content_link_density = content_stats
        .filter(|s| s.chars > 0)
        .map(|s| s.link_chars as f64 / s.chars as f64)
        .unwrap_or(0.0);
    let (page_text_chars, page_link_chars) = scan
        .stats
        .iter()
        .filter(|(id, _)| Some(**id) != content)
        .map(|(_, s)| (s.chars, s.link_chars))
        .max_by_key(|(c, _)| *c)
        .unwrap_or((0, 0));
    let location = [url, meta.canonical_url.as_deref()];
    let looks_like_error = says_error(meta, &location, body, body_chars);
    PageSignals {
        location: url.map(str::to_string),
        declares_article,
        has_article_body_marker: content.is_some_and(|c| scan.article_body.contains(&c)),
        content_chars: body_chars,
        content_punctuation: body_punct,
        content_paragraphs: paragraphs,
        content_link_density,
        largest_link_group: scan.largest_link_group,
        page_link_chars,
        page_text_chars,
        has_title,
        looks_like_error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_prose_container_over_navigation_and_related() {
        let html = r#"<html><head><title>某市发布新规_某某新闻网</title></head><body>
            <div class="nav"><a href="/">首页</a><a href="/a">国内</a><a href="/b">国际</a></div>
            <h1>某市发布新规</h1><div class="info">2024-11-05 12:36 来源：某某日报</div>
            <div class="main-content">
              <p>某市政府今天发布新规，要求各区在年底前完成老旧小区改造，并公开进度。</p>
              <p>市民对此表示欢迎，认为新规将改善居住环境，提升生活质量。</p>
              <div class="related"><h3>相关新闻</h3><ul><li><a href="/x">另一条新闻标题很长</a></li><li><a href="/y">第三条新闻标题也很长</a></li></ul></div>
            </div>
            <div class="sidebar"><p>热门推荐：这是一段有标点的推荐文字，不应进入正文。</p></div>
            </body></html>"#;
        let p = extract_page(
            html.as_bytes(),
            Some("https://news.example.cn/2024/11/05/a.html"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.title.as_deref(), Some("某市发布新规"));
        assert_eq!(p.body.len(), 2, "{:?}", p.body);
        assert!(
            p.related
                .iter()
                .any(|l| l.url == "https://news.example.cn/x")
        );
        assert_eq!(
            p.published.map(|t| t.to_rfc3339()).as_deref(),
            Some("2024-11-05T12:36:00+08:00")
        );
        assert_eq!(p.kind, PageKind::Article);
        assert_eq!(p.language, "zh");
    }

    #[test]
    fn empty_input_is_an_error() {
        assert!(matches!(
            extract_page(b"  \n", Some("x.html")),
            Err(ExtractError::Empty { .. })
        ));
    }
}

#[cfg(test)]
mod list_tests {
    use super::*;

    fn teaser_list() -> String {
        let mut html = String::from(
            "<html><head><title>国际新闻_某某网</title></head><body><div class=nav><a href=/>首页</a><a href=/gj>国际</a></div><div class=list>",
        );
        for i in 0..20 {
            html.push_str(&format!(
                "<div class=item><h3><a href=/a/{i}.html>第{i}条新闻的标题写得很长很长</a></h3><p>这是第{i}条新闻的摘要，介绍了事件的经过，并附上了评论。</p><span>2024-11-05</span></div>"
            ));
        }
        html.push_str("</div></body></html>");
        html
    }

    #[test]
    fn teaser_list_is_a_list() {
        let p = extract_page(
            teaser_list().as_bytes(),
            Some("https://news.example.cn/gj/"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.kind, PageKind::List, "{:?}", p.body);
    }

    #[test]
    fn link_list_without_teasers_is_a_list() {
        let mut html = String::from("<html><head><title>滚动新闻</title></head><body><ul>");
        for i in 0..40 {
            html.push_str(&format!("<li><a href=/a/{i}.html>第{i}条新闻标题，很长的标题</a> <span>11-05 12:3{}</span></li>", i % 10));
        }
        html.push_str("</ul></body></html>");
        let p = extract_page(html.as_bytes(), Some("https://news.example.cn/roll.html"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.kind, PageKind::List, "{:?}", p.body);
    }
}

#[cfg(test)]
mod tidy_tests {
    use super::*;

    #[test]
    fn related_section_ends_at_subheading() {
        let mut blocks = vec![
            Block::paragraph("华为今天发布新手机，引发市场关注。"),
            Block::new(BlockKind::Heading, "相关图集：华为重返5G手机市场"),
            Block::paragraph("华为突然发售新手机：8月29日，华为公司宣布销售。"),
            Block::paragraph("美国全面封杀华为：美国从2019年开始限制。"),
            Block::paragraph("国内市场表现与期待"),
            Block::paragraph("分析人士认为，华为在中国市场的表现至关重要。"),
        ];
        drop_related_sections(&mut blocks);
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "华为今天发布新手机，引发市场关注。",
                "国内市场表现与期待",
                "分析人士认为，华为在中国市场的表现至关重要。"
            ]
        );
    }

    #[test]
    fn photo_lines_and_original_title_notes() {
        assert!(is_photo_line("雨游黄鹤楼照样开心。城市摄影队周斌摄"));
        assert!(is_photo_line("▲图片来自视频截图。"));
        assert!(!is_photo_line(
            "记者在现场拍摄了整个过程，并采访了多位目击者，他们表示当时情况十分危急，所幸无人受伤。"
        ));
        assert!(is_original_title_note("（原标题：姚明对周琦说了啥？）"));
    }

    #[test]
    fn reporter_bylines() {
        assert_eq!(
            reporter_names("澎湃新闻记者 段彦超 廖艳"),
            vec!["段彦超", "廖艳"]
        );
        assert_eq!(reporter_names("（记者 裴剑飞"), vec!["裴剑飞"]);
        assert_eq!(reporter_names("采写：南都见习记者 林子沛"), vec!["林子沛"]);
        assert!(reporter_names("记者注意到，从五大芯片企业").is_empty());
        assert!(reporter_names("图片来源：每经记者 张蕊 摄").is_empty());
    }

    /// The mirror's own 404 page, shaped as agora-pen-2411 publishes it (Jekyll: the site's
    /// name as title and headline, one English sentence as text).
    const JEKYLL_404: &str = r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
        <title>零新聞 2024.11 | Read news on demand.</title>
        <meta property="og:title" content="零新聞 2024.11" />
        <link rel="canonical" href="https://agora0.github.io/pen/2411/404.html" />
        <script type="application/ld+json">{"headline":"零新聞 2024.11","@type":"WebPage"}</script>
        </head><body><header><a class="site-title" href="/pen/2411/">零新聞 2024.11</a></header>
        <main><div class="wrapper"><div class="container">
        <h1>零新聞 2024.11</h1><p>The requested page could not be found.</p>
        </div></div></main></body></html>"#;

    #[test]
    fn error_pages_say_so_in_their_name_or_their_one_line() {
        let page = extract_page(JEKYLL_404.as_bytes(), Some("agora-pen-2411/404.html"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page.kind, PageKind::Error);
        // Nowhere named 404: its one line says it.
        let unnamed = JEKYLL_404.replace("404.html", "missing.html");
        let page = extract_page(unnamed.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page.kind, PageKind::Error);
        // Named for the status, without the sentence: still the site's error page.
        let terse = unnamed.replace("The requested page could not be found.", "Oops.");
        let page = extract_page(terse.as_bytes(), Some("agora/404.html"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page.kind, PageKind::Error);
        let page = extract_page(terse.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(page.kind, PageKind::Error);
        // A report that mentions a missing page is news.
        let report = r#"<html><head><title>网站改版引发投诉</title></head><body><h1>网站改版引发投诉</h1>
            <div class="content"><p>多名市民反映，市政府网站改版后，旧链接打开只显示“page not found”，办事指南也无法查阅。</p>
            <p>市政府办公厅今天回应称，已安排技术人员修复旧链接，并将在一周内恢复全部服务，市民可拨打热线咨询。</p>
            <p>办公厅表示，改版是为了提升网站的安全性和易用性，今后将提前公告类似调整，避免给市民办事带来不便。</p></div>
            </body></html>"#;
        let page = extract_page(
            report.as_bytes(),
            Some("https://news.example.cn/2024/11/05/404.shtml"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            page.kind,
            PageKind::Error,
            "a page the site names 404 is its error page"
        );
        let page = extract_page(
            report.as_bytes(),
            Some("https://news.example.cn/2024/11/05/1234.shtml"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(page.kind, PageKind::Article);
    }

    #[test]
    fn error_page_locations() {
        for loc in [
            "agora/404.html",
            "404.htm",
            "https://example.com/404/",
            "https://example.com/500",
            "https://example.com/404.html?from=/a",
            "C:\\mirror\\404.html",
        ] {
            assert!(names_error_page(loc), "{loc}");
        }
        for loc in [
            "https://example.com/news/404",
            "https://example.com/2024/11/05/a.html",
            "agora/page404/index.html",
            "404",
            "",
        ] {
            assert!(!names_error_page(loc), "{loc}");
        }
    }
}
