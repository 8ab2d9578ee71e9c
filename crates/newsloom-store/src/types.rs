//! The plain shapes the store takes and gives back.
//!
//! Inputs (`Batch`, `DocumentRecord`, `FingerprintRecord`, `ClusterUpdate`, …) are what the
//! ingest, text and cluster stages produce, in types that depend on nothing but the model.
//! Outputs (`StorySummary`, `StoryDetail`, …) are shaped for the terminal listing and for
//! `--json`: they serialize with `snake_case` keys and RFC 3339 times.

use chrono::{DateTime, FixedOffset, NaiveDate};
use newsloom_model::{Article, Format, Script};
use serde::{Deserialize, Serialize};

/// A BLAKE3 digest of a document's raw bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContentHash(pub [u8; 32]);

impl ContentHash {
    /// Hashes raw document bytes.
    pub fn of(bytes: &[u8]) -> Self {
        ContentHash(*blake3::hash(bytes).as_bytes())
    }

    /// Lower-case hex, 64 digits.
    pub fn to_hex(&self) -> String {
        blake3::Hash::from_bytes(self.0).to_hex().to_string()
    }

    pub(crate) fn from_slice(bytes: &[u8]) -> Option<Self> {
        <[u8; 32]>::try_from(bytes).ok().map(ContentHash)
    }
}

impl std::fmt::Display for ContentHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// What the store knows about a document location, for skipping unchanged input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentStatus {
    /// Never recorded: parse it.
    New,
    /// Recorded with exactly these bytes: no need to parse again. `outcome` says what the
    /// earlier read gave (a parsed page, a skipped list page, a failed file).
    Unchanged {
        outcome: OutcomeKind,
        article_ids: Vec<String>,
    },
    /// Recorded with other bytes: parse it; its articles become new revisions of
    /// `article_ids` (the ids the document yielded before) when the ids stay the same.
    Changed { article_ids: Vec<String> },
}

/// The kind of a [`DocumentOutcome`], without its payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    Parsed,
    Skipped,
    Failed,
}

impl OutcomeKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Parsed => "parsed",
            OutcomeKind::Skipped => "skipped",
            OutcomeKind::Failed => "failed",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "parsed" => Some(OutcomeKind::Parsed),
            "skipped" => Some(OutcomeKind::Skipped),
            "failed" => Some(OutcomeKind::Failed),
            _ => None,
        }
    }
}

/// What reading a document gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentOutcome {
    /// The document yielded these articles (they must be in the same batch or already stored).
    Parsed { article_ids: Vec<String> },
    /// Not an article (a list page, an asset, …).
    Skipped { reason: String },
    /// Could not be read; recorded so an unchanged broken file is not retried every run.
    Failed { error: String },
}

impl DocumentOutcome {
    pub fn kind(&self) -> OutcomeKind {
        match self {
            DocumentOutcome::Parsed { .. } => OutcomeKind::Parsed,
            DocumentOutcome::Skipped { .. } => OutcomeKind::Skipped,
            DocumentOutcome::Failed { .. } => OutcomeKind::Failed,
        }
    }
}

/// One document read in this batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRecord {
    /// File path or URL; the key of the document. Give the same spelling every run (the
    /// CLI should canonicalize paths) or overlapping inputs are recorded twice.
    pub location: String,
    /// The input root this document was found under (registered as a source).
    pub source_root: Option<String>,
    pub format: Option<Format>,
    pub content_hash: ContentHash,
    pub size: u64,
    pub outcome: DocumentOutcome,
}

/// Matching forms and the MinHash signature of an article (its current revision).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FingerprintRecord {
    pub article_id: String,
    /// Names the normalization + shingling + permutation scheme, e.g. `minhash128-c5-v1`,
    /// so a reader never compares signatures of different schemes.
    pub scheme: String,
    pub matching_title: String,
    pub matching_text: String,
    /// Stored as little-endian u64s; u32 signatures widen losslessly.
    pub minhash: Vec<u64>,
}

/// A canonical entity (an alias group) with its known surface forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRecord {
    pub id: String,
    /// `person`, `place`, `org`, …
    pub kind: String,
    pub name: String,
    /// Surface forms (added to those already stored, never removed by a put).
    pub aliases: Vec<String>,
}

/// How often an article uses one surface form of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionRecord {
    pub article_id: String,
    pub entity_id: String,
    pub alias: String,
    pub count: u32,
}

/// A passage of article a reused in article b. Ranges are in chars of the block's text,
/// end exclusive; `block_*` index the article's `body`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassageReuse {
    pub article_a: String,
    pub block_a: u32,
    pub start_a: u32,
    pub end_a: u32,
    pub article_b: String,
    pub block_b: u32,
    pub start_b: u32,
    pub end_b: u32,
    /// Length of the shared passage in chars.
    pub chars: u32,
    pub similarity: f64,
}

/// Exact or near duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateKind {
    Exact,
    Near,
}

impl DuplicateKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            DuplicateKind::Exact => "exact",
            DuplicateKind::Near => "near",
        }
    }
    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "exact" => Some(DuplicateKind::Exact),
            "near" => Some(DuplicateKind::Near),
            _ => None,
        }
    }
}

/// Two articles that are (nearly) the same text. The pair is unordered; the store keeps
/// it once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearDuplicate {
    pub article_a: String,
    pub article_b: String,
    pub kind: DuplicateKind,
    pub similarity: f64,
}

/// A story as the clusterer names it (members come from its events).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryRecord {
    pub id: String,
    pub title: String,
    /// The most central article, whose title the story carries.
    pub title_article_id: Option<String>,
}

/// An event with its full member list (replaces the stored list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRecord {
    pub id: String,
    pub story_id: String,
    pub title: String,
    pub title_article_id: Option<String>,
    pub article_ids: Vec<String>,
}

/// Two stories that turned out to be one: the events of `from` move to `into`, `from` is
/// removed and its id resolves to `into` from then on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryMerge {
    pub from: String,
    pub into: String,
}

/// The clusterer's serialized online state: an opaque versioned blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterState {
    /// e.g. `json` or `bincode`.
    pub format: String,
    /// The clusterer's own state version; it decides what it can load.
    pub version: u32,
    pub data: Vec<u8>,
}

/// A change to events and stories, applied atomically with the clusterer state.
///
/// Order of application: `replace_all` clears every event and story (and, in a
/// [`crate::Store::put_batch`], every row derived from reading the articles: entity mentions,
/// entities, near-duplicate links and passage reuse, which a rebuild's batch supplies anew for
/// every stored article, before they are written); then stories are
/// upserted, events upserted (membership replaced), `removed_events` deleted, `merges`
/// applied (chains within the update are followed: `a→b`, `b→c` merges both into `c`),
/// `removed_stories` deleted; then
/// derived time spans and counts are recomputed and `state` is saved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterUpdate {
    pub replace_all: bool,
    pub stories: Vec<StoryRecord>,
    pub events: Vec<EventRecord>,
    pub removed_events: Vec<String>,
    pub merges: Vec<StoryMerge>,
    pub removed_stories: Vec<String>,
    pub state: Option<ClusterState>,
}

/// Everything one ingest batch writes; [`crate::Store::put_batch`] writes it in one
/// transaction, so after a crash either all of it is there or none.
///
/// Per-article derived data (fingerprint, mentions) supplied here replaces what was stored
/// for that article. An article whose content changed gets a new revision and loses its
/// stale derived data (fingerprint, mentions, near-duplicate links, passage reuse), which
/// the same batch may supply anew. Pairs (near duplicates, passages) are upserted.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub documents: Vec<DocumentRecord>,
    /// Locations seen again with the same bytes (only their last-seen run is updated).
    pub unchanged_documents: Vec<String>,
    pub articles: Vec<Article>,
    pub fingerprints: Vec<FingerprintRecord>,
    pub entities: Vec<EntityRecord>,
    pub mentions: Vec<MentionRecord>,
    pub near_duplicates: Vec<NearDuplicate>,
    pub passages: Vec<PassageReuse>,
    pub clusters: Option<ClusterUpdate>,
    /// Other named state blobs to save with the batch (e.g. `mined_aliases`), keyed by name;
    /// the cluster state has its own place in [`ClusterUpdate::state`].
    pub blobs: Vec<(String, ClusterState)>,
}

/// What a batch changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchOutcome {
    pub documents: usize,
    pub new_articles: usize,
    /// Articles whose content changed: a new revision was recorded.
    pub revised_articles: usize,
    /// Articles re-put with identical content (no new revision).
    pub unchanged_articles: usize,
}

/// Identifies a run in the run history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RunId(pub i64);

/// What a run was asked to do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunInfo {
    /// The command line, for the history.
    pub command: String,
    /// Input roots (registered as sources).
    pub roots: Vec<String>,
}

/// The document counters a run reports at its end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunCounts {
    pub read: u64,
    pub skipped: u64,
    pub failed: u64,
    pub parsed: u64,
    pub unchanged: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Running,
    Completed,
    Failed,
    /// Found still `running` when the next writer opened the store: the process died.
    Interrupted,
}

impl RunStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Completed => "completed",
            RunStatus::Failed => "failed",
            RunStatus::Interrupted => "interrupted",
        }
    }
    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "running" => Some(RunStatus::Running),
            "completed" => Some(RunStatus::Completed),
            "failed" => Some(RunStatus::Failed),
            "interrupted" => Some(RunStatus::Interrupted),
            _ => None,
        }
    }
}

/// One row of the run history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRecord {
    pub id: RunId,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub status: RunStatus,
    pub pid: u32,
    pub command: String,
    pub counts: RunCounts,
    pub batches: u64,
    pub new_articles: u64,
    pub revised_articles: u64,
    pub message: Option<String>,
}

/// Which stories to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoryFilter {
    /// Only stories with an article published at or after this instant.
    pub since: Option<DateTime<FixedOffset>>,
    /// Only stories with an article from this outlet (`outlet_id`).
    pub outlet_id: Option<String>,
    pub limit: Option<usize>,
}

impl StoryFilter {
    /// `--since DATE`: from the start of that day, UTC.
    pub fn since_date(mut self, day: NaiveDate) -> Self {
        self.since = day.and_hms_opt(0, 0, 0).map(|t| t.and_utc().fixed_offset());
        self
    }
}

/// An outlet covering a story or event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutletRef {
    pub id: String,
    pub name: String,
    pub articles: usize,
}

/// One event in a story listing's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSummary {
    pub id: String,
    pub title: String,
    #[serde(with = "newsloom_model::rfc3339_opt")]
    pub first_published: Option<DateTime<FixedOffset>>,
    #[serde(with = "newsloom_model::rfc3339_opt")]
    pub last_published: Option<DateTime<FixedOffset>>,
    pub article_count: usize,
    /// Outlet ids, in order of first coverage.
    pub outlets: Vec<String>,
}

/// A story in the listing (newest first): title, outlets, time span, size, event timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorySummary {
    pub id: String,
    pub title: String,
    pub outlets: Vec<OutletRef>,
    #[serde(with = "newsloom_model::rfc3339_opt")]
    pub first_published: Option<DateTime<FixedOffset>>,
    #[serde(with = "newsloom_model::rfc3339_opt")]
    pub last_published: Option<DateTime<FixedOffset>>,
    pub article_count: usize,
    /// Events oldest first.
    pub events: Vec<EventSummary>,
}

/// An article as listed in a story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleSummary {
    pub id: String,
    pub outlet_id: String,
    pub outlet: String,
    pub title: String,
    pub url: Option<String>,
    #[serde(with = "newsloom_model::rfc3339_opt")]
    pub published: Option<DateTime<FixedOffset>>,
    pub script: Script,
    pub language: String,
    pub revision: u32,
    /// The earlier article of the story this one (nearly) duplicates, if any.
    pub duplicate_of: Option<String>,
}

/// One event of a story with its articles (oldest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventDetail {
    pub id: String,
    pub title: String,
    #[serde(with = "newsloom_model::rfc3339_opt")]
    pub first_published: Option<DateTime<FixedOffset>>,
    #[serde(with = "newsloom_model::rfc3339_opt")]
    pub last_published: Option<DateTime<FixedOffset>>,
    pub outlets: Vec<String>,
    pub articles: Vec<ArticleSummary>,
}

/// A story with everything needed to show it: events with their articles, outlets, time
/// span, duplicate links and reused passages between its articles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryDetail {
    pub id: String,
    pub title: String,
    pub title_article_id: Option<String>,
    pub outlets: Vec<OutletRef>,
    #[serde(with = "newsloom_model::rfc3339_opt")]
    pub first_published: Option<DateTime<FixedOffset>>,
    #[serde(with = "newsloom_model::rfc3339_opt")]
    pub last_published: Option<DateTime<FixedOffset>>,
    pub article_count: usize,
    /// Events oldest first.
    pub events: Vec<EventDetail>,
    pub near_duplicates: Vec<NearDuplicate>,
    pub passages: Vec<PassageReuse>,
}

/// An event an article belongs to, with the event's story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub event_id: String,
    pub story_id: String,
}

/// A stored article with its revision bookkeeping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredArticle {
    pub article: Article,
    pub revision: u32,
    pub first_seen: String,
    pub updated_at: String,
    /// Locations of the documents that yielded it.
    pub documents: Vec<String>,
}

/// One historical revision of an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleRevision {
    pub revision: u32,
    pub content_hash: String,
    pub document: Option<String>,
    pub run_id: Option<RunId>,
    pub recorded_at: String,
    pub article: Article,
}

/// A surface form of an entity with how often it is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliasStat {
    pub alias: String,
    /// Total mentions.
    pub count: u64,
    /// Number of articles using it.
    pub articles: u64,
    /// A few article ids using it (smallest ids first, for stable output).
    pub examples: Vec<String>,
}

/// An entity with its surface forms and their use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliasGroup {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub aliases: Vec<AliasStat>,
}

/// Row counts of the main tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreCounts {
    pub sources: u64,
    pub documents: u64,
    pub documents_parsed: u64,
    pub documents_skipped: u64,
    pub documents_failed: u64,
    pub articles: u64,
    pub article_revisions: u64,
    pub fingerprints: u64,
    pub entities: u64,
    pub mentions: u64,
    pub near_duplicates: u64,
    pub passages: u64,
    pub events: u64,
    pub stories: u64,
    pub runs: u64,
}
