//! The newsloom cross-source story view: how each outlet told one story.
//!
//! [`StoryView::build`] takes a story's articles with their text-layer [`Analysis`], the
//! duplicate links, reused passages and events the clusterer found, and computes
//!
//! * `coverage`: every article with outlet, time, headline, script, URL and duplicate link;
//! * `timeline`: the story's events and the dated happenings its texts mention, in order;
//! * `shared_facts`: statements two or more outlets report, aligned across scripts and
//!   rewordings on matching forms (see [`align`]), with each outlet's own wording;
//! * `single_source`: statements only one outlet reports;
//! * `quotes`: quotes with their speaker and every outlet that carries them;
//! * `copied_passages`: text one article took over from another;
//! * `summary`: a few sentences favouring what several outlets report, in both scripts.
//!
//! The JSON form (serde) has exactly those seven keys. [`story_view_from_store`] builds the
//! view of a stored story.

pub mod align;
mod build;
pub mod script;

use chrono::{DateTime, FixedOffset};
use newsloom_model::{Article, Script};
use newsloom_store::{Store, StoreError};
use newsloom_text::{Analysis, TextLayer};
use serde::{Deserialize, Serialize};

pub use script::{ReaderScript, render, to_hans, to_hant};

/// The cross-source view of one story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryView {
    /// Every article, oldest first.
    pub coverage: Vec<Coverage>,
    /// Events and dated happenings, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// Statements carried by two or more outlets, most widely carried first.
    pub shared_facts: Vec<SharedFact>,
    /// Statements only one outlet reports, in article order.
    pub single_source: Vec<SingleSource>,
    /// Quotes, most widely carried first.
    pub quotes: Vec<QuoteView>,
    /// Passages one article reused from another.
    pub copied_passages: Vec<CopiedPassage>,
    /// An extractive summary in both scripts.
    pub summary: Summary,
}

/// One article of the story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub article_id: String,
    pub outlet: String,
    pub outlet_id: String,
    #[serde(with = "newsloom_model::rfc3339_opt")]
    pub published: Option<DateTime<FixedOffset>>,
    pub headline: String,
    pub script: Script,
    pub url: Option<String>,
    /// The earlier article this one (nearly) duplicates.
    pub near_duplicate_of: Option<String>,
}

/// What a timeline entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    /// An event of the story (a cluster of reports), dated by its first report.
    Event,
    /// A happening a text dates (`1月30日，俄罗斯外交部宣布…`).
    Mention,
}

/// One entry of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub kind: TimelineKind,
    /// The event title, or the sentence that dates the happening (as the first outlet wrote it).
    pub text: String,
    /// The words that gave the date (`1月30日`, `星期三`); empty for events.
    pub date_text: String,
    pub event_id: Option<String>,
    /// Articles that state it, in coverage order.
    pub articles: Vec<String>,
    /// Their outlet ids, each once.
    pub outlets: Vec<String>,
}

/// How one article words a statement or quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wording {
    pub article_id: String,
    pub outlet: String,
    pub outlet_id: String,
    pub script: Script,
    pub text: String,
}

/// A statement several outlets report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedFact {
    /// The most central wording.
    pub text: String,
    /// Outlet ids carrying it.
    pub outlets: Vec<String>,
    /// Each carrying article's own wording.
    pub carriers: Vec<Wording>,
}

/// A statement only one outlet reports (possibly in several of its articles).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SingleSource {
    pub text: String,
    pub outlet: String,
    pub outlet_id: String,
    pub articles: Vec<String>,
}

/// A quote with its speaker and who carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteView {
    /// The speaker as the carrying outlets most often write them.
    pub speaker: Option<String>,
    /// The speaker's entity id (`person:王毅`).
    pub speaker_id: Option<String>,
    /// The fullest wording of the quote.
    pub text: String,
    pub outlets: Vec<String>,
    pub carriers: Vec<Wording>,
}

/// One side of a copied passage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassageSide {
    pub article_id: String,
    pub outlet: String,
    pub outlet_id: String,
    /// Index into the article's body blocks.
    pub block: usize,
    /// Char range within the block, end exclusive.
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// A passage the later article reused from the earlier one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CopiedPassage {
    pub from: PassageSide,
    pub to: PassageSide,
    pub chars: usize,
}

/// The extractive summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub sentences: Vec<SummarySentence>,
}

/// One summary sentence in both scripts, with the outlets that report it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummarySentence {
    pub hans: String,
    pub hant: String,
    pub outlets: Vec<String>,
    pub articles: Vec<String>,
}

impl Summary {
    /// The summary as one paragraph in the reader's script.
    pub fn text(&self, script: ReaderScript) -> String {
        self.sentences
            .iter()
            .map(|s| match script {
                ReaderScript::Hans => s.hans.as_str(),
                ReaderScript::Hant => s.hant.as_str(),
            })
            .collect()
    }
}

/// The story being viewed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryMeta {
    pub id: String,
    pub title: String,
    /// The story's most central article; its lead is the summary's fallback.
    pub title_article_id: Option<String>,
}

/// An event of the story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventInput {
    pub id: String,
    pub title: String,
    pub article_ids: Vec<String>,
}

/// `article` (nearly) duplicates the earlier `of`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateLink {
    pub article: String,
    pub of: String,
}

/// A passage of `article_a` reused in `article_b` (block index and char range on both sides).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassageLink {
    pub article_a: String,
    pub block_a: usize,
    pub start_a: usize,
    pub end_a: usize,
    pub article_b: String,
    pub block_b: usize,
    pub start_b: usize,
    pub end_b: usize,
    pub chars: usize,
}

impl From<&newsloom_cluster::DuplicateRecord> for DuplicateLink {
    fn from(d: &newsloom_cluster::DuplicateRecord) -> Self {
        DuplicateLink {
            article: d.article.clone(),
            of: d.of.of.clone(),
        }
    }
}

impl From<&newsloom_cluster::PassageReuse> for PassageLink {
    fn from(p: &newsloom_cluster::PassageReuse) -> Self {
        PassageLink {
            article_a: p.earlier.article.clone(),
            block_a: p.earlier.block,
            start_a: p.earlier.start,
            end_a: p.earlier.end,
            article_b: p.later.article.clone(),
            block_b: p.later.block,
            start_b: p.later.start,
            end_b: p.later.end,
            chars: p.chars,
        }
    }
}

impl From<&newsloom_store::PassageReuse> for PassageLink {
    fn from(p: &newsloom_store::PassageReuse) -> Self {
        let n = |v: u32| usize::try_from(v).unwrap_or(usize::MAX);
        PassageLink {
            article_a: p.article_a.clone(),
            block_a: n(p.block_a),
            start_a: n(p.start_a),
            end_a: n(p.end_a),
            article_b: p.article_b.clone(),
            block_b: n(p.block_b),
            start_b: n(p.start_b),
            end_b: n(p.end_b),
            chars: n(p.chars),
        }
    }
}

impl From<&newsloom_cluster::EventRecord> for EventInput {
    fn from(e: &newsloom_cluster::EventRecord) -> Self {
        EventInput {
            id: e.id.clone(),
            title: e.title.clone(),
            article_ids: e.articles.clone(),
        }
    }
}

impl From<&newsloom_store::EventDetail> for EventInput {
    fn from(e: &newsloom_store::EventDetail) -> Self {
        EventInput {
            id: e.id.clone(),
            title: e.title.clone(),
            article_ids: e.articles.iter().map(|a| a.id.clone()).collect(),
        }
    }
}

impl StoryView {
    /// Builds the view. `analyses` are matched to `articles` by id (an article without one
    /// still appears in coverage); duplicate links, passages and events naming articles not
    /// in `articles` are ignored.
    pub fn build(
        meta: &StoryMeta,
        articles: &[Article],
        analyses: &[Analysis],
        duplicates: &[DuplicateLink],
        passages: &[PassageLink],
        events: &[EventInput],
    ) -> StoryView {
        build::build(meta, articles, analyses, duplicates, passages, events)
    }

    /// Builds the view of loose articles given as one story, without a store: analyzes
    /// them, clusters them for duplicates, passages and events, and builds the view.
    pub fn from_articles(meta: &StoryMeta, layer: &TextLayer, articles: &[Article]) -> StoryView {
        let analyses: Vec<Analysis> = articles.iter().map(|a| layer.analyze(a)).collect();
        let clusters = newsloom_cluster::cluster_articles(
            layer,
            articles,
            &newsloom_cluster::Config::default(),
        );
        let duplicates: Vec<DuplicateLink> = clusters.duplicates.iter().map(Into::into).collect();
        let passages: Vec<PassageLink> = clusters.passages.iter().map(Into::into).collect();
        let events: Vec<EventInput> = clusters.events.iter().map(Into::into).collect();
        StoryView::build(meta, articles, &analyses, &duplicates, &passages, &events)
    }

    /// Builds the view of a stored story from its detail record and articles.
    pub fn from_detail(
        detail: &newsloom_store::StoryDetail,
        articles: &[Article],
        analyses: &[Analysis],
    ) -> StoryView {
        let meta = StoryMeta {
            id: detail.id.clone(),
            title: detail.title.clone(),
            title_article_id: detail.title_article_id.clone(),
        };
        let mut duplicates = Vec::new();
        for event in &detail.events {
            for a in &event.articles {
                if let Some(of) = &a.duplicate_of {
                    duplicates.push(DuplicateLink {
                        article: a.id.clone(),
                        of: of.clone(),
                    });
                }
            }
        }
        let passages: Vec<PassageLink> = detail.passages.iter().map(PassageLink::from).collect();
        let events: Vec<EventInput> = detail.events.iter().map(EventInput::from).collect();
        StoryView::build(&meta, articles, analyses, &duplicates, &passages, &events)
    }
}

/// Errors building a view from the store.
#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no story {0} in the store")]
    UnknownStory(String),
}

/// Loads a story, its articles and their analyses from the store and builds its view
/// (`newsloom story ID --json`).
pub fn story_view_from_store(
    store: &Store,
    layer: &TextLayer,
    story_id: &str,
) -> Result<StoryView, ViewError> {
    let detail = store
        .story(story_id)?
        .ok_or_else(|| ViewError::UnknownStory(story_id.to_string()))?;
    let articles = store.articles_of_story(&detail.id)?;
    let analyses: Vec<Analysis> = articles.iter().map(|a| layer.analyze(a)).collect();
    Ok(StoryView::from_detail(&detail, &articles, &analyses))
}
