//! The newsloom static site and exports, generated from a store.
//!
//! [`build_site`] writes a folder that works from disk, any web server or a git-hosted page
//! (every link is relative):
//!
//! ```text
//! index.html, index-2.html …     stories, newest first, with their outlets
//! stories/<story>.html           the cross-source view (newsloom-view)
//! articles/<article>.html        clean text, images with captions, link to the original
//! feeds/stories.atom             Atom feed of stories
//! feeds/outlet-<outlet>.atom     Atom feed per outlet
//! assets/site.css, site.js       style and the simplified/traditional switch
//! ```
//!
//! Every text is written as the outlet wrote it with `data-hans`/`data-hant` renderings;
//! `site.js` switches them (原文 / 简体 / 繁體), reads `?script=` and remembers the choice in
//! `localStorage`. Source text is escaped and every page's content passes `ammonia`.
//!
//! [`export`] writes articles and stories as JSON Lines or markdown.

mod export;
mod feeds;
pub mod html;
mod pages;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use newsloom_model::Article;
use newsloom_store::{Store, StoreError, StoryDetail, StoryFilter, StorySummary};
use newsloom_text::{Analysis, TextLayer};
use newsloom_view::{ReaderScript, StoryView};
use rayon::prelude::*;

pub use export::{ExportFormat, ExportReport, export};

const CSS: &str = include_str!("assets/site.css");
const JS: &str = include_str!("assets/site.js");

/// An article with the (id, title) of each story it belongs to.
type ArticleStories<'a> = (&'a Article, Vec<(String, String)>);

/// Stories per index page.
const STORIES_PER_PAGE: usize = 100;

/// Errors of site generation and export; each names the file or story and the reason.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {reason}")]
    Output { path: PathBuf, reason: String },
    #[error("story {0} is listed but cannot be read")]
    MissingStory(String),
}

/// Options of the site.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// Shown in the header and as the index title.
    pub title: String,
    /// Absolute URL the site will be served from; only the Atom feeds use it (pages are
    /// always relative). Without it the feeds link relatively too.
    pub base_url: Option<String>,
}

impl Default for SiteOptions {
    fn default() -> Self {
        SiteOptions {
            title: "newsloom".into(),
            base_url: None,
        }
    }
}

/// What [`build_site`] wrote.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SiteReport {
    pub stories: usize,
    pub articles: usize,
    pub feeds: usize,
    pub files: usize,
    pub bytes: u64,
    pub seconds: f64,
}

/// A story with everything its pages need.
pub struct StoryBundle {
    pub summary: StorySummary,
    pub detail: StoryDetail,
    /// Oldest first.
    pub articles: Vec<Article>,
}

/// Reads every story (newest first) with its detail and articles.
pub fn load_stories(store: &Store) -> Result<Vec<StoryBundle>, SiteError> {
    let summaries = store.stories(&StoryFilter::default())?;
    let mut out = Vec::with_capacity(summaries.len());
    for summary in summaries {
        let detail = store
            .story(&summary.id)?
            .ok_or_else(|| SiteError::MissingStory(summary.id.clone()))?;
        let articles = store.articles_of_story(&detail.id)?;
        out.push(StoryBundle {
            summary,
            detail,
            articles,
        });
    }
    Ok(out)
}

/// The view of a loaded story.
pub fn view_of(layer: &TextLayer, story: &StoryBundle) -> StoryView {
    let analyses: Vec<Analysis> = story.articles.iter().map(|a| layer.analyze(a)).collect();
    StoryView::from_detail(&story.detail, &story.articles, &analyses)
}

pub(crate) fn write_file(path: &Path, content: &[u8]) -> Result<u64, SiteError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| SiteError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    std::fs::write(path, content).map_err(|source| SiteError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(content.len() as u64)
}

pub(crate) fn ensure_dir(out: &Path) -> Result<(), SiteError> {
    if out.exists() && !out.is_dir() {
        return Err(SiteError::Output {
            path: out.to_path_buf(),
            reason: "exists and is not a folder".into(),
        });
    }
    std::fs::create_dir_all(out).map_err(|source| SiteError::Io {
        path: out.to_path_buf(),
        source,
    })
}

/// Generates the static site of every story in `store` into `out` (created if needed;
/// files of the same names are replaced, others left alone).
pub fn build_site(
    store: &Store,
    layer: &TextLayer,
    out: &Path,
    options: &SiteOptions,
) -> Result<SiteReport, SiteError> {
    let started = Instant::now();
    ensure_dir(out)?;
    let stories = load_stories(store)?;
    let mut report = build_site_from(&stories, layer, out, options)?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Generates the site from already loaded stories (newest first).
pub fn build_site_from(
    stories: &[StoryBundle],
    layer: &TextLayer,
    out: &Path,
    options: &SiteOptions,
) -> Result<SiteReport, SiteError> {
    let started = Instant::now();
    ensure_dir(out)?;
    let now = chrono::Utc::now();
    let title = options.title.as_str();
    let mut bytes = 0u64;
    let mut files = 0usize;
    bytes += write_file(&out.join("assets/site.css"), CSS.as_bytes())?;
    bytes += write_file(&out.join("assets/site.js"), JS.as_bytes())?;
    files += 2;

    // Story pages (views are the expensive part: analysis and alignment), in parallel.
    let written: Vec<Result<(u64, String), SiteError>> = stories
        .par_iter()
        .map(|s| {
            let view = view_of(layer, s);
            let mirrors: HashMap<&str, &str> = s
                .articles
                .iter()
                .filter_map(|a| a.mirror_url.as_deref().map(|m| (a.id.as_str(), m)))
                .collect();
            let html = pages::story_page(title, &s.summary, &view, &mirrors);
            let n = write_file(
                &out.join(format!("stories/{}.html", html::file_stem(&s.summary.id))),
                html.as_bytes(),
            )?;
            Ok((n, view.summary.text(ReaderScript::Hans)))
        })
        .collect();
    let mut summaries: HashMap<&str, String> = HashMap::new();
    for (s, r) in stories.iter().zip(written) {
        let (n, text) = r?;
        bytes += n;
        files += 1;
        summaries.insert(s.summary.id.as_str(), text);
    }

    // Article pages: each article once, with the stories it belongs to.
    let mut articles: BTreeMap<&str, ArticleStories> = BTreeMap::new();
    for s in stories {
        for a in &s.articles {
            articles
                .entry(a.id.as_str())
                .or_insert_with(|| (a, Vec::new()))
                .1
                .push((s.summary.id.clone(), s.summary.title.clone()));
        }
    }
    let list: Vec<&ArticleStories> = articles.values().collect();
    let written: Vec<Result<u64, SiteError>> = list
        .par_iter()
        .map(|(a, in_stories)| {
            let html = pages::article_page(title, a, in_stories);
            write_file(
                &out.join(format!("articles/{}.html", html::file_stem(&a.id))),
                html.as_bytes(),
            )
        })
        .collect();
    for r in written {
        bytes += r?;
        files += 1;
    }

    // Index pages, newest first.
    let refs: Vec<&StorySummary> = stories.iter().map(|s| &s.summary).collect();
    let pages_n = refs.len().div_ceil(STORIES_PER_PAGE).max(1);
    for p in 1..=pages_n {
        let chunk = refs.chunks(STORIES_PER_PAGE).nth(p - 1).unwrap_or_default();
        let html = pages::index_page(title, chunk, p, pages_n);
        bytes += write_file(&out.join(pages::index_file(p)), html.as_bytes())?;
        files += 1;
    }

    // Feeds.
    let base = options.base_url.as_deref();
    let summary_of = |id: &str| summaries.get(id).cloned().unwrap_or_default();
    let xml = feeds::stories_feed(title, &refs, &summary_of, base, &now);
    bytes += write_file(&out.join("feeds/stories.atom"), xml.as_bytes())?;
    let mut feeds_n = 1;
    let mut by_outlet: BTreeMap<&str, (&str, Vec<&Article>)> = BTreeMap::new();
    for (a, _) in articles.values() {
        by_outlet
            .entry(a.outlet_id.as_str())
            .or_insert_with(|| (a.outlet.as_str(), Vec::new()))
            .1
            .push(a);
    }
    for (outlet_id, (outlet, mut list)) in by_outlet {
        list.sort_by(|a, b| b.published.cmp(&a.published).then_with(|| a.id.cmp(&b.id)));
        let xml = feeds::outlet_feed(outlet_id, outlet, &list, base, &now);
        bytes += write_file(
            &out.join(format!("feeds/outlet-{}.atom", html::file_stem(outlet_id))),
            xml.as_bytes(),
        )?;
        feeds_n += 1;
    }
    files += feeds_n;
    Ok(SiteReport {
        stories: stories.len(),
        articles: articles.len(),
        feeds: feeds_n,
        files,
        bytes,
        seconds: started.elapsed().as_secs_f64(),
    })
}
