//! Online clustering of articles into events and stories.
//!
//! Articles arrive in (roughly) publication order. Each article is turned into a sparse
//! term vector (Han bigrams and Latin words of the matching-form title and lead, entity ids
//! and quotes), scored against the live events found through an inverted index over its
//! rarest terms, and either joins the best event or founds a new one; a new event joins the
//! best live story or founds one. Scores are TF-IDF cosines with document frequencies learned
//! online, multiplied by a time decay. Nothing already decided is recomputed: an article
//! touches only the events its own terms retrieve, so the cost per article does not grow with
//! history, and events that have been quiet longer than the live window go dormant (their
//! vectors and postings are dropped; their ids and members are kept for output until taken).

use std::collections::BTreeMap;

use newsloom_text::RecurringReport;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::dedup::{
    DedupConfig, DedupOutcome, Deduper, DupMatch, Fingerprints, PassageReuse, StreamClock,
};
use crate::features::ArticleFeatures;
use crate::prior::DfPrior;
use crate::text::{for_each_term_str, hash_str};
use crate::topics::{TopicModel, dense_cos};

/// Settings of the clusterer. The defaults are the tuned values (see the crate README).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Weight of title terms relative to body terms.
    pub title_weight: f32,
    /// Characters of body text (from the start) that contribute terms: the lead carries
    /// the happening; the tail of long articles is background that links unrelated events.
    pub lead_chars: usize,
    /// Weight of an entity id term.
    pub entity_weight: f32,
    /// Weight of an exact-quote term.
    pub quote_weight: f32,
    /// Terms kept per article: the highest tf-idf ones (keyword vector). Dropping the long
    /// tail of common bigrams makes same-event articles from different outlets comparable.
    pub max_terms: usize,
    /// Terms per article used to retrieve candidate events.
    pub index_terms: usize,
    /// Candidate events scored per article (those sharing most index terms).
    pub max_candidates: usize,
    /// Posting lists longer than this are too common to retrieve by.
    pub max_postings: usize,
    /// Weight of the best single-member cosine relative to the centroid cosine (0 = centroid only).
    pub link_weight: f32,
    /// Also index Han character trigrams (names and set phrases), not only bigrams.
    pub trigrams: bool,
    /// Share of the event score that comes from title-to-title similarity. Titles state the
    /// happening; bodies share the background of the whole story, which is what makes the
    /// events of one large story (ATACMS strike, Storm Shadow strike, ICBM launch) look alike.
    pub title_blend: f32,
    /// Exponent of the event coherence factor on the centroid cosine (0 = plain centroid,
    /// 1 = average link).
    pub coherence_power: f32,
    /// Score at or above which an article joins an event.
    pub event_threshold: f32,
    /// Average-link similarity at or above which the reports of an event stay together
    /// when the event is reported (0 = never split). Events grow online by single links,
    /// and in a large story chains of close reports join different happenings (an ATACMS
    /// strike, a Storm Shadow strike, an ICBM launch); looking back at all members, the
    /// happenings separate as groups whose average similarity is low.
    pub event_split_threshold: f32,
    /// Share of the title cosine in the member similarity of `event_split_threshold`.
    pub event_split_title_blend: f32,
    /// Score at or above which a new event joins a story.
    pub story_threshold: f32,
    /// Entity-profile cosine at or above which a new event joins a story: the same actors
    /// over days or weeks (a visit announced, prepared, made) make one story even when the
    /// wording differs. Decays with `story_entity_tau_hours`. 1 = off, the default: on the
    /// development set the actors of world news (Xi, Trump, Putin) joined unrelated stories
    /// at every threshold tried, while whole-body backgrounds (`story_background_threshold`)
    /// did not.
    pub story_entity_threshold: f32,
    pub story_entity_tau_hours: f32,
    /// Score against an event of another story at or above which the two stories merge.
    pub merge_threshold: f32,
    /// Time decay constants (hours) of event and story scores.
    pub event_tau_hours: f32,
    pub story_tau_hours: f32,
    /// Events quiet for longer than this (hours) go dormant.
    pub window_hours: f32,
    /// Shape of the story time decay.
    pub story_decay: Decay,
    /// Background (whole-body) cosine, after decay with `story_background_tau_hours`, at or
    /// above which a new event joins a story, and two stories merge (1 = off).
    pub story_background_threshold: f32,
    pub story_background_tau_hours: f32,
    /// Characters of body text and number of terms in an article's background vector.
    pub background_chars: usize,
    pub background_terms: usize,
    /// Topic-space cosine ([`TopicModel::embedded`]) at or above which a new event joins a
    /// story, and two stories merge, provided their backgrounds also share at least
    /// `story_topic_min_background` (1 = off). Reports of one story told days apart in
    /// different words (a visit announced, then confirmed) are close in topic space when
    /// their terms barely overlap; the lexical floor keeps stories that are merely on the
    /// same subject apart.
    pub story_topic_threshold: f32,
    pub story_topic_min_background: f32,
    /// Longest span (hours, first report to last) a story may reach by taking in new events
    /// or merging with another story. Without a bound a running subject (a war, an
    /// election) keeps one story alive for ever, and the clusterer's state (every event of
    /// a live story) grows with history instead of with the window.
    pub story_max_span_hours: f32,
    /// Weight of the background document-frequency prior ([`DfPrior::embedded`]) against
    /// the streamed counts (0 = learn idf from the stream alone).
    pub prior_weight: f32,
    /// Streamed articles at which the prior's weight has halved (0 = never fades).
    pub prior_fade_docs: f32,
    pub dedup: DedupConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title_weight: 2.5,
            lead_chars: 400,
            entity_weight: 2.0,
            quote_weight: 0.0,
            max_terms: 60,
            index_terms: 40,
            max_candidates: 8,
            max_postings: 2000,
            link_weight: 0.8,
            title_blend: 0.3,
            coherence_power: 0.0,
            trigrams: false,
            event_threshold: 0.15,
            event_split_threshold: 0.1,
            event_split_title_blend: 0.5,
            story_threshold: 0.23,
            merge_threshold: 0.5,
            story_entity_threshold: 1.0,
            story_entity_tau_hours: 21.0 * 24.0,
            event_tau_hours: 36.0,
            story_tau_hours: 48.0,
            window_hours: 21.0 * 24.0,
            prior_weight: 0.25,
            prior_fade_docs: 10.0,
            story_decay: Decay::Hyperbolic,
            story_background_threshold: 0.3,
            story_background_tau_hours: 240.0,
            background_chars: 3000,
            background_terms: 150,
            story_topic_threshold: 0.88,
            story_topic_min_background: 0.2,
            story_max_span_hours: 21.0 * 24.0,
            dedup: DedupConfig::default(),
        }
    }
}

/// How a score fades with the time between an article and a story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decay {
    /// `exp(-gap/tau)`.
    Exponential,
    /// `1 / (1 + gap/tau)`: a long tail.
    Hyperbolic,
}

/// Where one article went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub article: String,
    /// Id of the event the article joined online. Reported events are split by average
    /// link ([`Config::event_split_threshold`]), so a snapshot may show the article in a
    /// group of that event with another id: read events from [`Clusterer::snapshot`].
    pub event: String,
    /// Story id (after any merge this article caused).
    pub story: String,
    /// Set when the article is a copy of an earlier one (it then joins that article's event).
    pub duplicate_of: Option<DupMatch>,
    /// Paragraphs and sentences shared with earlier articles.
    pub passages: Vec<PassageReuse>,
    pub new_event: bool,
    pub new_story: bool,
    /// Ids of stories merged into `story` because of this article.
    pub merged_stories: Vec<String>,
}

/// One event in the output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub id: String,
    pub story: String,
    pub title: String,
    pub articles: Vec<String>,
    pub outlets: Vec<String>,
}

/// One story in the output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryRecord {
    pub id: String,
    pub title: String,
    pub events: Vec<String>,
    pub articles: Vec<String>,
    pub outlets: Vec<String>,
}

/// A duplicate found while clustering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateRecord {
    pub article: String,
    #[serde(flatten)]
    pub of: DupMatch,
}

/// Events, stories, duplicates and passage reuse, sorted by id for stable output.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Clusters {
    pub events: Vec<EventRecord>,
    pub stories: Vec<StoryRecord>,
    #[serde(default)]
    pub duplicates: Vec<DuplicateRecord>,
    #[serde(default)]
    pub passages: Vec<PassageReuse>,
}

type Vector = Vec<(u64, f32)>;

/// Index terms kept per event: enough for retrieval, bounded for large events.
const MAX_INDEXED_PER_EVENT: usize = 512;
/// Share of the story-merge threshold an article's own background must reach against the
/// other story before the two stories' whole backgrounds are compared.
const PREFILTER: f32 = 0.5;
/// Most recent members an article is linked against (single link); bounds the cost of
/// scoring large events.
const LINK_MEMBERS: usize = 6;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Member {
    id: String,
    title: String,
    outlet: String,
    /// Unit-length tf-idf keyword vector (idf as of insertion), for single-link scoring.
    /// Empty once the event is dormant.
    terms: Vector,
    /// Unit-length tf-idf title vector (same lifetime as `terms`).
    title_terms: Vector,
    /// For a near-duplicate (no vectors of its own): the article it copies.
    #[serde(default)]
    copy_of: Option<String>,
}

/// One group of an event's members after the average-link split (see
/// [`Config::event_split_threshold`]): member indices in order, and the index of the
/// member whose title names the group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct EventPart {
    members: Vec<usize>,
    title_member: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Event {
    id: String,
    story: u32,
    first: i64,
    last: i64,
    members: Vec<Member>,
    /// Sum of the members' tf-idf keyword vectors, each scaled by its raw-weight unit
    /// factor, with idf frozen at the member's insertion; term-sorted. Frozen idf keeps the
    /// centroid and its squared norm `sq` exact under updates (no refresh as idf drifts) and
    /// lets scoring run over two sorted vectors (see [`Query::dot`]), with no per-term idf or
    /// hash lookups.
    centroid: Vector,
    sq: f32,
    /// The same over the members' title vectors.
    title_centroid: Vector,
    title_sq: f32,
    /// Sum of the members' idf-weighted norms: `sqrt(sq) / mass` is the event's coherence
    /// (1 when all members say the same thing).
    #[serde(default)]
    mass: f32,
    indexed: FxHashSet<u64>,
    dormant: bool,
    /// Title of the most central member, fixed when the event goes dormant.
    title: Option<String>,
    /// The split of the members, fixed when the event goes dormant (its member vectors are
    /// dropped then); empty for one group.
    #[serde(default)]
    parts: Vec<EventPart>,
    /// For the event of a market-report series: its key ([`RecurringReport::session_key`]). Such an
    /// event takes the reports of its series and session and nothing else.
    #[serde(default)]
    series: Option<String>,
    /// Companies whose results headlines the event holds ([`ArticleFeatures::company`]).
    #[serde(default)]
    companies: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Story {
    id: String,
    founded: i64,
    last: i64,
    events: Vec<u32>,
    /// Sum of the member articles' keyword vectors, as [`Event::centroid`].
    centroid: Vector,
    sq: f32,
    /// Entity profile: entity term → summed unit-length idf weights of member articles.
    #[serde(default)]
    entities: FxHashMap<u64, f32>,
    #[serde(default)]
    entity_sq: f32,
    /// Background profile: sum of the members' unit whole-body vectors (idf as of
    /// insertion), and its squared norm. What a story is about shows in the background
    /// its reports share, more than in any one lead. A map, not a sorted vector like the
    /// centroids: profiles of long stories hold thousands of terms and take 150 per article,
    /// where a lookup per article term beats a merge over the whole profile.
    #[serde(default)]
    background: FxHashMap<u64, f32>,
    #[serde(default)]
    background_sq: f32,
    /// Topic profile: sum of the members' unit topic embeddings (empty when the topic
    /// channel is off or the story has gone quiet).
    #[serde(default)]
    topic: Vec<f32>,
    /// For the story of a market-report series: the series id. It takes that series'
    /// events and never merges.
    #[serde(default)]
    series: Option<String>,
    /// Companies whose results headlines the story holds.
    #[serde(default)]
    companies: Vec<String>,
    /// Named cases ([`newsloom_text::named_case`]) whose reports this story holds.
    #[serde(default)]
    cases: Vec<String>,
}

/// The online clusterer. Serializable with serde so a store can persist and resume it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Clusterer {
    config: Config,
    dedup: Deduper,
    df: FxHashMap<u64, u32>,
    docs: u64,
    /// Stream time and the last eviction pass (eviction runs at most once per stream hour).
    #[serde(flatten)]
    clock: StreamClock,
    events: FxHashMap<u32, Event>,
    stories: FxHashMap<u32, Story>,
    postings: FxHashMap<u64, Vec<u32>>,
    /// Article id → event key, for duplicates (live articles only).
    article_event: FxHashMap<String, u32>,
    next_key: u32,
    /// Entity term → stories whose profile holds it (live stories only).
    #[serde(default)]
    entity_postings: FxHashMap<u64, Vec<u32>>,
    /// Keys of events that are not dormant (eviction only looks at these).
    live: FxHashSet<u32>,
    /// Stream time of the last halving of document frequencies.
    last_df_decay: i64,
    duplicates: Vec<DuplicateRecord>,
    passages: Vec<PassageReuse>,
    /// Market-report series: live event of each series and session ([`RecurringReport::session_key`]),
    /// and live story of each series id.
    #[serde(default)]
    series_events: FxHashMap<String, u32>,
    #[serde(default)]
    series_stories: FxHashMap<String, u32>,
    /// Live story of each named case: every report naming the case joins it.
    #[serde(default)]
    case_stories: FxHashMap<String, u32>,
    /// Idf parts shared by all terms, for the current `docs` (derived, not persisted).
    #[serde(skip)]
    idf_base: IdfBase,
    /// Working memory reused from article to article (not persisted).
    #[serde(skip)]
    scratch: Scratch,
}

/// Maps and buffers every article needs, kept between articles: allocating and growing
/// them afresh for each article took close to a tenth of the clustering time.
#[derive(Debug, Clone, Default)]
struct Scratch {
    /// Event key → summed weight of shared index terms (candidate retrieval).
    hits: FxHashMap<u32, f32>,
    /// Merge buffer of centroid updates.
    merged: Vector,
    /// The article's distinct terms (term, raw keyword weight, title count, background
    /// count) and their document frequencies, in the same order.
    weighed: Vec<(u64, Option<f32>, u32, u32)>,
    dfs: Vec<u32>,
}

/// Occurrences of one term in one article, by field.
#[derive(Debug, Clone, Copy, Default)]
struct TermStat {
    title: u32,
    lead: u32,
    /// Occurrences in the background text (title, lead, body up to `background_chars`,
    /// entities).
    background: u32,
    /// Weight of an entity or quote term (these are not counted by frequency).
    fixed: Option<f32>,
}

/// The weighted terms of the article being added (see [`Clusterer::weigh_terms`]).
struct ArticleTerms {
    /// Keyword vector, raw weights, term-sorted.
    raw: Vector,
    /// Keyword vector, tf-idf weights, term-sorted.
    query: Vector,
    /// The `index_terms` heaviest keywords, heaviest first: retrieval and indexing terms.
    index: Vec<(u64, f32)>,
    /// Title vector, raw weights and tf-idf weights, term-sorted.
    title_raw: Vector,
    title_query: Vector,
    /// Whole-body background vector, unit length (empty when the channel is off).
    background: Vector,
    /// Topic embedding of the background terms, unit length (empty when that channel is off).
    topic: Vec<f32>,
}

/// An article's terms counted by field, sorted by term, and its topic embedding: what its
/// words give before the stream's document frequencies weigh them. They depend on the
/// article and the settings alone, so [`crate::cluster_in_chunks`] counts them on the
/// preparing side, in parallel, and the clustering thread only weighs them.
#[derive(Debug, Clone, Default)]
pub struct CountedTerms {
    terms: Vec<(u64, TermStat)>,
    topic: Vec<f32>,
}

impl Config {
    /// Counts an article's terms (the background counts too when the background channel is
    /// on) and embeds its background terms in the topic space.
    pub fn count_terms_of(&self, f: &ArticleFeatures) -> CountedTerms {
        let with_background = self.story_background_threshold < 1.0;
        let terms = self.count_terms(f, with_background);
        let topic = self.topic_embedding(
            terms
                .iter()
                .filter(|(_, s)| s.background > 0)
                .map(|&(t, s)| (t, s.background)),
        );
        CountedTerms { terms, topic }
    }

    /// Counts the terms of an article by field, one entry per distinct term in term order,
    /// and with `with_background` the background counts (title, first `background_chars` of
    /// the body, entities), from one pass over the text.
    ///
    /// The occurrences are hashed into a list and sorted rather than counted in a map whose
    /// entries then had to be sorted anyway (everything downstream sums in term order, so
    /// that no result depends on a map's capacity): counting the agora month took 0.107
    /// CPU-s instead of 0.120.
    fn count_terms(&self, f: &ArticleFeatures, with_background: bool) -> Vec<(u64, TermStat)> {
        thread_local! {
            static OCCURRENCES: std::cell::RefCell<Vec<(u64, Field)>> =
                const { std::cell::RefCell::new(Vec::new()) };
        }
        let (entity_weight, quote_weight) = (self.entity_weight, self.quote_weight);
        OCCURRENCES.with_borrow_mut(|occurrences| {
            occurrences.clear();
            self.for_each_article_term(f, with_background, |field, term| {
                occurrences.push((hash_str(term), field));
            });
            // A term's fields then come in the order they are read (title, lead, body,
            // entities, quotes: `Field`'s order), as a map counting them would see them.
            occurrences.sort_unstable_by_key(|&(t, field)| (t, field as u8));
            let mut terms: Vec<(u64, TermStat)> = Vec::with_capacity(occurrences.len() / 2);
            for &(t, field) in occurrences.iter() {
                if terms.last().is_none_or(|&(last, _)| last != t) {
                    terms.push((t, TermStat::default()));
                }
                let Some((_, s)) = terms.last_mut() else {
                    continue;
                };
                if with_background && !matches!(field, Field::Quote) {
                    s.background += 1;
                }
                match field {
                    Field::Title => s.title += 1,
                    Field::Lead => s.lead += 1,
                    Field::Body => {}
                    Field::Entity => s.fixed = Some(entity_weight),
                    Field::Quote => s.fixed = Some(quote_weight),
                }
            }
            terms
        })
    }

    /// Calls `emit` with every term of an article, by field: the one definition of what an
    /// article's terms are (hashed for clustering, kept as text for the df prior). Lead
    /// terms come from the first `lead_chars` of the body; with `with_body`, the body after
    /// the lead up to `background_chars` follows as [`Field::Body`].
    fn for_each_article_term(
        &self,
        f: &ArticleFeatures,
        with_body: bool,
        mut emit: impl FnMut(Field, &str),
    ) {
        let trigrams = self.trigrams;
        for_each_term_str(&f.title_form, trigrams, |t| emit(Field::Title, t));
        let mut lead_budget = self.lead_chars;
        let chars = if with_body {
            self.lead_chars.max(self.background_chars)
        } else {
            self.lead_chars
        };
        for text in leading_text(&f.blocks, chars) {
            let (lead, n, body) = split_chars(text, lead_budget);
            lead_budget -= n;
            for_each_term_str(lead, trigrams, |t| emit(Field::Lead, t));
            for_each_term_str(body, trigrams, |t| emit(Field::Body, t));
        }
        let mut term = String::new();
        for e in &f.entities {
            term.clear();
            term.push_str(ENTITY_PREFIX);
            term.push_str(e);
            emit(Field::Entity, &term);
        }
        for q in f.quotes.iter().filter(|q| q.chars().count() >= 8) {
            term.clear();
            term.push_str("\u{1}quote:");
            term.push_str(q);
            emit(Field::Quote, &term);
        }
    }

    /// Unit topic embedding of an article's background term counts (term, count), weighted
    /// as the model was trained (sublinear tf; the model's vectors carry its idf); empty
    /// when the topic channel is off.
    fn topic_embedding(&self, counts: impl Iterator<Item = (u64, u32)>) -> Vec<f32> {
        if self.story_topic_threshold >= 1.0 {
            return Vec::new();
        }
        TopicModel::embedded()
            .embed(counts.map(|(t, n)| (t, 1.0 + ln_1p(n.saturating_sub(1) as f32))))
    }
}

/// The document-count side of idf: `ln(1 + docs + prior docs)` and the prior's weight.
#[derive(Debug, Clone, Copy, Default)]
struct IdfBase {
    docs: u64,
    prior_weight: f32,
    ln_docs1: f32,
}

/// `ln(1 + x)`, from a table for the small whole counts that most terms have (idf is
/// computed for every term of every article, and `ln` dominated it).
#[inline]
fn ln_1p(x: f32) -> f32 {
    static TABLE: std::sync::LazyLock<Vec<f32>> =
        std::sync::LazyLock::new(|| (0..4096).map(|n| (n as f32 + 1.0).ln()).collect());
    if (0.0..4096.0).contains(&x) && x.fract() == 0.0 {
        TABLE[x as usize]
    } else {
        (x + 1.0).ln()
    }
}

impl Clusterer {
    /// Version of the serialized state's layout and meaning. A store that persists the
    /// clusterer must refuse a state of another version: its fields would not read, or
    /// would read with another meaning. Version 2: centroids are term-sorted vectors with
    /// idf frozen at insertion (version 1 kept raw weights in maps). Version 3: market
    /// reports are clustered by series and session (events and stories carry their series).
    /// Version 4: stories remember the named cases they hold.
    pub const STATE_VERSION: u32 = 4;

    pub fn new(config: Config) -> Self {
        Clusterer {
            dedup: Deduper::new(config.dedup.clone()),
            config,
            df: FxHashMap::default(),
            docs: 0,
            clock: StreamClock::default(),
            events: FxHashMap::default(),
            stories: FxHashMap::default(),
            postings: FxHashMap::default(),
            article_event: FxHashMap::default(),
            next_key: 0,
            entity_postings: FxHashMap::default(),
            live: FxHashSet::default(),
            last_df_decay: i64::MIN,
            duplicates: Vec::new(),
            passages: Vec::new(),
            series_events: FxHashMap::default(),
            series_stories: FxHashMap::default(),
            case_stories: FxHashMap::default(),
            idf_base: IdfBase::default(),
            scratch: Scratch::default(),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Fingerprints of an article (pure; may run in parallel before [`Clusterer::add_with`]).
    pub fn fingerprints(&self, f: &ArticleFeatures) -> Fingerprints {
        self.dedup.fingerprints(f)
    }

    /// Adds one article and returns where it went.
    pub fn add(&mut self, f: &ArticleFeatures) -> Assignment {
        let fp = self.dedup.fingerprints(f);
        self.add_with(f, fp)
    }

    /// Adds one article with precomputed fingerprints.
    pub fn add_with(&mut self, f: &ArticleFeatures, fp: Fingerprints) -> Assignment {
        let outcome = self.dedup.add_in_window(f, fp, self.window_secs());
        self.add_deduped(f, outcome, None)
    }

    /// The live window in seconds.
    fn window_secs(&self) -> i64 {
        (self.config.window_hours.max(0.0) * 3600.0) as i64
    }

    /// Takes the deduplicator out, to run ahead of clustering on another thread
    /// ([`crate::cluster_in_chunks`]); [`Clusterer::add_deduped`] then takes its outcomes,
    /// and [`Clusterer::put_deduper`] puts it back.
    pub(crate) fn take_deduper(&mut self) -> (Deduper, i64) {
        let empty = Deduper::new(self.config.dedup.clone());
        (
            std::mem::replace(&mut self.dedup, empty),
            self.window_secs(),
        )
    }

    pub(crate) fn put_deduper(&mut self, dedup: Deduper) {
        self.dedup = dedup;
    }

    /// Adds one article that the deduplicator has seen
    /// ([`Deduper::add_in_window`] of this clusterer's deduplicator, in stream order), with
    /// its terms when they were counted beforehand ([`Config::count_terms_of`]).
    pub(crate) fn add_deduped(
        &mut self,
        f: &ArticleFeatures,
        outcome: DedupOutcome,
        counted: Option<CountedTerms>,
    ) -> Assignment {
        let (time, due) = self.clock.tick(f.published);
        if due.is_some() {
            self.evict();
        }
        let DedupOutcome {
            duplicate,
            passages,
        } = outcome;
        self.passages.extend(passages.iter().cloned());
        let series_key = f.report.as_ref().map(RecurringReport::session_key);
        if let Some(dup) = &duplicate
            && let Some(&key) = self.article_event.get(&dup.of)
            && self
                .events
                .get(&key)
                .is_some_and(|e| !e.dormant && e.series == series_key)
        {
            self.duplicates.push(DuplicateRecord {
                article: f.id.clone(),
                of: dup.clone(),
            });
            return self.join_as_duplicate(f, key, time, duplicate, passages);
        }

        let ArticleTerms {
            raw: terms,
            query,
            index,
            title_raw: title_terms,
            title_query: tquery,
            background,
            topic,
        } = self.weigh_terms(counted.unwrap_or_else(|| self.config.count_terms_of(f)));
        let (q, tq) = (Query::new(query), Query::new(tquery));
        let (qnorm, tnorm) = (q.norm, tq.norm);
        // A market report is clustered by its series and session; other articles never
        // see series events, which are not indexed.
        let candidates = if f.report.is_some() {
            Vec::new()
        } else {
            self.candidates(&index)
        };

        // Score every candidate event once.
        let tau_e = self.config.event_tau_hours.max(0.01) * 3600.0;
        let mut scored: Vec<(u32, f32, f32)> = Vec::with_capacity(candidates.len()); // key, cos, gap
        for key in candidates {
            let Some(e) = self.events.get(&key) else {
                continue;
            };
            if !companies_agree(&e.companies, f.company.as_deref()) {
                continue;
            }
            let gap = gap_secs(time, e.first, e.last) as f32;
            scored.push((key, self.event_cos(key, &q, &tq), gap));
        }
        let best_event = scored
            .iter()
            .map(|&(k, cos, gap)| (k, cos * (-gap / tau_e).exp()))
            .filter(|&(_, s)| s >= self.config.event_threshold)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));

        let member = Member {
            id: f.id.clone(),
            title: f.title.clone(),
            outlet: f.outlet_id.clone(),
            terms: unit(&q.terms, qnorm),
            title_terms: unit(&tq.terms, tnorm),
            copy_of: None,
        };
        // What the article adds to centroids: its tf-idf vectors scaled to unit raw weight.
        let added = Added {
            terms: &q.terms,
            scale: raw_unit_scale(&terms),
            title_terms: &tq.terms,
            title_scale: raw_unit_scale(&title_terms),
        };
        let ents = self.entity_vector(f);
        // Background cosines of the article against candidate stories, as computed for the
        // story decision; the story-merge prefilter below reuses them.
        let mut known_bg: Vec<(u32, f32)> = Vec::new();
        let (event_key, new_event, new_story) = match (&f.report, best_event) {
            (Some(report), _) => self.join_series(f, report, member, &added, time),
            (None, Some((key, _))) => {
                self.add_member(key, member, &added, time);
                (key, false, false)
            }
            (None, None) => {
                // Best story by its events' scores or its own centroid.
                let mut story_scores: FxHashMap<u32, f32> = FxHashMap::default();
                for &(k, cos, gap) in &scored {
                    if let Some(e) = self.events.get(&k) {
                        let s = cos * self.story_decay(gap);
                        let entry = story_scores.entry(e.story).or_insert(0.0);
                        *entry = entry.max(s);
                    }
                }
                // Entity profiles: stories sharing the article's actors, scored in units of
                // their own threshold so the two signals compare.
                let tau_ent = self.config.story_entity_tau_hours.max(0.01) * 3600.0;
                let ratio =
                    self.config.story_threshold / self.config.story_entity_threshold.max(1e-6);
                if !ents.is_empty() {
                    let mut cands: Vec<u32> = ents
                        .iter()
                        .filter_map(|(t, _)| self.entity_postings.get(t))
                        .filter(|l| l.len() <= self.config.max_postings)
                        .flatten()
                        .copied()
                        .collect();
                    cands.sort_unstable();
                    cands.dedup();
                    for sk in cands {
                        let Some(st) = self.stories.get(&sk) else {
                            continue;
                        };
                        if st.entity_sq <= 0.0 {
                            continue;
                        }
                        let dot: f32 = ents
                            .iter()
                            .filter_map(|(t, w)| st.entities.get(t).map(|c| c * w))
                            .sum();
                        let cos = dot / st.entity_sq.sqrt();
                        let gap = gap_secs(time, st.founded, st.last) as f32;
                        let s = cos * self.decay(gap, tau_ent) * ratio;
                        let entry = story_scores.entry(sk).or_insert(0.0);
                        *entry = entry.max(s);
                    }
                }
                if self.config.story_background_threshold < 1.0 {
                    let bg_ratio = self.config.story_threshold
                        / self.config.story_background_threshold.max(1e-6);
                    let tau_bg = self.config.story_background_tau_hours.max(0.01) * 3600.0;
                    for (&sk, v) in story_scores.iter_mut() {
                        let Some(st) = self.stories.get(&sk) else {
                            continue;
                        };
                        let gap = gap_secs(time, st.founded, st.last) as f32;
                        let cos = background_cos(&background, st);
                        known_bg.push((sk, cos));
                        *v = v.max(cos * self.decay(gap, tau_bg) * bg_ratio);
                        if let Some(s) = self.topic_score(&topic, &st.topic, cos) {
                            *v = v.max(s);
                        }
                    }
                }
                let keys: Vec<u32> = story_scores.keys().copied().collect();
                for sk in keys {
                    let cos = self.story_cos(sk, &q);
                    let gap = self
                        .stories
                        .get(&sk)
                        .map_or(0.0, |s| gap_secs(time, s.founded, s.last) as f32);
                    let s = cos * self.story_decay(gap);
                    if let Some(v) = story_scores.get_mut(&sk) {
                        *v = v.max(s);
                    }
                }
                let best_story = story_scores
                    .into_iter()
                    .filter(|&(_, s)| s >= self.config.story_threshold)
                    .filter(|&(sk, _)| self.may_join_story(sk, f, time))
                    .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
                // A report naming a case joins the case's story, however few words it
                // shares with it.
                let best_story = self.case_story(f, time).map(|sk| (sk, 1.0)).or(best_story);
                let (story_key, new_story) = match best_story {
                    Some((sk, _)) => (sk, false),
                    None => (self.new_story(&f.id, time), true),
                };
                let key = self.new_event(&f.id, story_key, time);
                self.add_member(key, member, &added, time);
                (key, true, new_story)
            }
        };
        if let Some(company) = &f.company {
            self.add_company(event_key, company);
        }
        let mut merged = Vec::new();
        if let Some(case) = &f.case
            && f.report.is_none()
        {
            self.add_case(event_key, case, &mut merged);
        }
        // Series events and stories are found by their series alone: no index terms, no
        // story profiles (they would only let other articles' candidates reach them).
        if f.report.is_none() {
            self.index_event_terms(event_key, &index);
            if let Some(story) = self.events.get(&event_key).map(|e| e.story) {
                self.add_story_entities(story, &ents);
                self.add_story_background(story, &background);
                self.add_story_topic(story, &topic);
            }
        }
        self.article_event.insert(f.id.clone(), event_key);

        // An article that also strongly matches an event of another story shows the two
        // stories are one.
        let my_story = self.events.get(&event_key).map(|e| e.story);
        if let Some(mut story) = my_story {
            for &(k, cos, gap) in &scored {
                if k == event_key || cos * self.story_decay(gap) < self.config.merge_threshold {
                    continue;
                }
                let Some(other) = self.events.get(&k).map(|e| e.story) else {
                    continue;
                };
                if other != story && self.may_merge(story, other) {
                    story = self.merge_stories(story, other, &mut merged);
                }
            }
            self.merge_similar_stories(
                story,
                (&background, &known_bg, &topic),
                &scored,
                &mut merged,
            );
        }
        self.assignment(
            f, event_key, duplicate, passages, new_event, new_story, merged,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn assignment(
        &self,
        f: &ArticleFeatures,
        event_key: u32,
        duplicate_of: Option<DupMatch>,
        passages: Vec<PassageReuse>,
        new_event: bool,
        new_story: bool,
        merged_stories: Vec<String>,
    ) -> Assignment {
        let event = self.events.get(&event_key);
        let story = event
            .and_then(|e| self.stories.get(&e.story))
            .map(|s| s.id.clone())
            .unwrap_or_default();
        Assignment {
            article: f.id.clone(),
            event: event.map(|e| e.id.clone()).unwrap_or_default(),
            story,
            duplicate_of,
            passages,
            new_event,
            new_story,
            merged_stories,
        }
    }

    /// Adds a market report to the event of its series and session, founding it (in the
    /// series' story, or a new one) when there is none: (event key, new event, new story).
    fn join_series(
        &mut self,
        f: &ArticleFeatures,
        report: &RecurringReport,
        member: Member,
        added: &Added,
        time: i64,
    ) -> (u32, bool, bool) {
        let key = report.session_key();
        if let Some(&ev) = self.series_events.get(&key)
            && self.events.get(&ev).is_some_and(|e| !e.dormant)
        {
            self.add_member(ev, member, added, time);
            return (ev, false, false);
        }
        let story = self
            .series_stories
            .get(&report.series)
            .copied()
            .filter(|sk| {
                self.stories
                    .get(sk)
                    .is_some_and(|st| self.within_span(st.founded.min(time), st.last.max(time)))
            });
        let (story, new_story) = match story {
            Some(sk) => (sk, false),
            None => {
                let sk = self.new_story(&f.id, time);
                if let Some(st) = self.stories.get_mut(&sk) {
                    st.series = Some(report.series.clone());
                }
                self.series_stories.insert(report.series.clone(), sk);
                (sk, true)
            }
        };
        let ev = self.new_event(&f.id, story, time);
        if let Some(e) = self.events.get_mut(&ev) {
            e.series = Some(key.clone());
        }
        self.series_events.insert(key, ev);
        self.add_member(ev, member, added, time);
        (ev, true, new_story)
    }

    /// Records that an event (and its story) holds results of `company`.
    fn add_company(&mut self, event: u32, company: &str) {
        let Some(e) = self.events.get_mut(&event) else {
            return;
        };
        if !e.companies.iter().any(|c| c == company) {
            e.companies.push(company.to_string());
        }
        if let Some(s) = self.stories.get_mut(&e.story)
            && !s.companies.iter().any(|c| c == company)
        {
            s.companies.push(company.to_string());
        }
    }

    /// Whether an article published at `time` may found an event in story `sk`: not a
    /// market series' story, no clearly different company's results, within the span.
    fn may_join_story(&self, sk: u32, f: &ArticleFeatures, time: i64) -> bool {
        self.stories.get(&sk).is_some_and(|st| {
            st.series.is_none()
                && companies_agree(&st.companies, f.company.as_deref())
                && self.within_span(st.founded.min(time), st.last.max(time))
        })
    }

    /// The live story of the case `f` names, when the article may join it.
    fn case_story(&self, f: &ArticleFeatures, time: i64) -> Option<u32> {
        let &sk = self.case_stories.get(f.case.as_ref()?)?;
        self.may_join_story(sk, f, time).then_some(sk)
    }

    /// Records that the story of `event` holds reports of `case`; when the case already has
    /// another live story (the article joined an event elsewhere), the two stories are one.
    fn add_case(&mut self, event: u32, case: &str, merged: &mut Vec<String>) {
        let Some(mut story) = self.events.get(&event).map(|e| e.story) else {
            return;
        };
        if let Some(&other) = self.case_stories.get(case)
            && other != story
            && self.may_merge(story, other)
        {
            story = self.merge_stories(story, other, merged);
        }
        if let Some(s) = self.stories.get_mut(&story)
            && !s.cases.iter().any(|c| c == case)
        {
            s.cases.push(case.to_string());
        }
        self.case_stories.insert(case.to_string(), story);
    }

    fn join_as_duplicate(
        &mut self,
        f: &ArticleFeatures,
        key: u32,
        time: i64,
        duplicate: Option<DupMatch>,
        passages: Vec<PassageReuse>,
    ) -> Assignment {
        // A copy adds a source, not new evidence: no terms, so it does not skew the centroid.
        let member = Member {
            id: f.id.clone(),
            title: f.title.clone(),
            outlet: f.outlet_id.clone(),
            terms: Vec::new(),
            title_terms: Vec::new(),
            copy_of: duplicate.as_ref().map(|d| d.of.clone()),
        };
        if let Some(e) = self.events.get_mut(&key) {
            e.first = e.first.min(time);
            e.last = e.last.max(time);
            e.members.push(member);
        }
        self.article_event.insert(f.id.clone(), key);
        self.assignment(f, key, duplicate, passages, false, false, Vec::new())
    }

    /// Raw term weights of an article: (1 + ln tf) per field, title terms weighted.
    fn term_vector(&self, f: &ArticleFeatures) -> Vector {
        self.config
            .count_terms(f, false)
            .iter()
            .filter_map(|(t, s)| Some((*t, self.raw_weight(s)?)))
            .collect()
    }

    /// Raw weight of a term in an article's keyword vector: (1 + ln tf) per field, title
    /// terms weighted; fixed for entities and quotes. `None` for background-only terms.
    fn raw_weight(&self, s: &TermStat) -> Option<f32> {
        if let Some(w) = s.fixed {
            return Some(w);
        }
        let w = |n: u32| if n == 0 { 0.0 } else { 1.0 + (n as f32).ln() };
        (s.title > 0 || s.lead > 0).then(|| self.config.title_weight * w(s.title) + w(s.lead))
    }

    /// Counts the article into the document frequencies and weighs its terms: keyword,
    /// index, title and background vectors. One df lookup and one idf per distinct term
    /// serve all four (the keyword and title terms are among the background terms).
    fn weigh_terms(&mut self, counted: CountedTerms) -> ArticleTerms {
        let with_background = self.config.story_background_threshold < 1.0;
        let CountedTerms {
            terms: stats,
            topic,
        } = counted;
        self.docs += 1;
        self.sync_idf_base();
        let mut scored: Vec<(f32, u64, f32)> = Vec::with_capacity(stats.len()); // tf-idf, term, raw
        let mut title: Vec<(u64, f32, f32)> = Vec::new(); // term, raw, tf-idf
        let mut background: Vector =
            Vec::with_capacity(if with_background { stats.len() } else { 0 });
        // Document frequencies first, in a loop of lookups alone: the df map is large and
        // its lookups miss the cache, and without other work between them the processor
        // overlaps the misses. The article counts towards the document frequency of its
        // keyword-vector terms (before they are weighted); background-only terms are looked
        // up.
        let mut terms = std::mem::take(&mut self.scratch.weighed);
        terms.clear();
        terms.extend(
            stats
                .iter()
                .map(|(t, s)| (*t, self.raw_weight(s), s.title, s.background)),
        );
        let mut dfs = std::mem::take(&mut self.scratch.dfs);
        dfs.clear();
        dfs.extend(terms.iter().map(|&(t, raw, _, _)| {
            if raw.is_some() {
                let df = self.df.entry(t).or_insert(0);
                *df += 1;
                *df
            } else {
                self.df.get(&t).copied().unwrap_or(0)
            }
        }));
        for (&(t, raw, in_title, in_background), &df) in terms.iter().zip(&dfs) {
            let idf = self.idf_of(t, df);
            if let Some(w) = raw {
                scored.push((w * idf, t, w));
            }
            if in_title > 0 {
                let w = 1.0 + (in_title as f32).ln();
                title.push((t, w, w * idf));
            }
            if in_background > 0 {
                background.push((t, (1.0 + (in_background as f32).ln()) * idf));
            }
        }
        self.scratch.weighed = terms;
        self.scratch.dfs = dfs;
        self.keep_keywords(&mut scored);
        scored.sort_unstable_by(heaviest_first);
        let index = scored
            .iter()
            .take(self.config.index_terms)
            .map(|x| (x.1, x.0))
            .collect();
        scored.sort_unstable_by_key(|x| x.1);
        title.sort_unstable_by_key(|x| x.0);
        ArticleTerms {
            raw: scored.iter().map(|x| (x.1, x.2)).collect(),
            query: scored.iter().map(|x| (x.1, x.0)).collect(),
            index,
            title_raw: title.iter().map(|x| (x.0, x.1)).collect(),
            title_query: title.iter().map(|x| (x.0, x.2)).collect(),
            background: self.top_background(background),
            topic,
        }
    }

    /// Keeps the `max_terms` entries (tf-idf, term, raw weight) with the highest tf-idf,
    /// ties by term: the keyword vector. Dropping the long tail of common bigrams makes
    /// same-event articles from different outlets comparable.
    fn keep_keywords(&self, scored: &mut Vec<(f32, u64, f32)>) {
        if scored.len() > self.config.max_terms {
            scored.select_nth_unstable_by(self.config.max_terms, heaviest_first);
            scored.truncate(self.config.max_terms);
        }
    }

    /// The distinct terms of an article that count towards document frequencies in a
    /// background prior (title, lead and entity terms; quotes are too rare to matter).
    pub fn prior_terms(&self, f: &ArticleFeatures) -> Vec<String> {
        self.term_counts(f, false)
            .into_iter()
            .map(|(t, _)| t)
            .collect()
    }

    /// The article's background terms with their counts, spelled out: what an article's
    /// background vector and topic embedding are computed from (title, the first
    /// `background_chars` of the body, entity ids). Used to build the topic model.
    pub fn background_terms(&self, f: &ArticleFeatures) -> Vec<(String, u32)> {
        self.term_counts(f, true)
    }

    /// Distinct non-quote terms of an article (with the body up to `background_chars` when
    /// `with_body`) and their counts, in term order.
    fn term_counts(&self, f: &ArticleFeatures, with_body: bool) -> Vec<(String, u32)> {
        let mut counts: FxHashMap<String, u32> = FxHashMap::default();
        self.config.for_each_article_term(f, with_body, |field, t| {
            if !matches!(field, Field::Quote) {
                *counts.entry(t.to_string()).or_insert(0) += 1;
            }
        });
        let mut out: Vec<(String, u32)> = counts.into_iter().collect();
        out.sort_unstable();
        out
    }

    /// Unit-length idf-weighted vector of the article's entity ids (empty without entities).
    fn entity_vector(&self, f: &ArticleFeatures) -> Vec<(u64, f32)> {
        if self.config.story_entity_threshold >= 1.0 {
            // The entity channel is off: no profiles to keep.
            return Vec::new();
        }
        let mut v: Vec<(u64, f32)> = f
            .entities
            .iter()
            .map(|e| {
                let t = entity_term(e);
                (t, self.idf(t))
            })
            .collect();
        v.sort_unstable_by_key(|x| x.0);
        v.dedup_by_key(|x| x.0);
        let n = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
        if n > 0.0 {
            v.iter_mut().for_each(|x| x.1 /= n);
        }
        v
    }

    /// Unit-length background vector from an article's tf-idf weighted background terms,
    /// keeping the `background_terms` heaviest.
    fn top_background(&self, mut v: Vector) -> Vector {
        let k = self.config.background_terms.max(1);
        if v.len() > k {
            v.select_nth_unstable_by(k, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            v.truncate(k);
        }
        let n = norm(&v);
        unit(&v, n)
    }

    fn add_story_background(&mut self, story: u32, v: &[(u64, f32)]) {
        let Some(s) = self.stories.get_mut(&story) else {
            return;
        };
        for &(t, w) in v {
            let c = s.background.entry(t).or_insert(0.0);
            let old = *c;
            *c += w;
            s.background_sq += *c * *c - old * old;
        }
    }

    fn add_story_topic(&mut self, story: u32, topic: &[f32]) {
        if topic.is_empty() {
            return;
        }
        let Some(s) = self.stories.get_mut(&story) else {
            return;
        };
        if s.topic.len() != topic.len() {
            s.topic = vec![0.0; topic.len()];
        }
        s.topic.iter_mut().zip(topic).for_each(|(a, b)| *a += b);
    }

    /// Story score from the topic channel, in units of `story_threshold`: `Some` when the
    /// topic cosine reaches `story_topic_threshold` and the lexical background cosine
    /// `background` reaches `story_topic_min_background`.
    fn topic_score(&self, a: &[f32], b: &[f32], background: f32) -> Option<f32> {
        if background < self.config.story_topic_min_background {
            return None;
        }
        self.topic_close(a, b)
    }

    /// Whether a story running from `first` to `last` (seconds) stays within
    /// `story_max_span_hours`.
    fn within_span(&self, first: i64, last: i64) -> bool {
        (last.saturating_sub(first) as f32) <= self.config.story_max_span_hours * 3600.0
    }

    /// Whether two live stories may merge: both exist and together they stay within
    /// `story_max_span_hours`.
    fn may_merge(&self, a: u32, b: u32) -> bool {
        match (self.stories.get(&a), self.stories.get(&b)) {
            (Some(a), Some(b)) => {
                a.series.is_none()
                    && b.series.is_none()
                    && a.companies
                        .iter()
                        .all(|c| companies_agree(&b.companies, Some(c)))
                    && self.within_span(a.founded.min(b.founded), a.last.max(b.last))
            }
            _ => false,
        }
    }

    /// The topic cosine in units of `story_threshold` when it reaches
    /// `story_topic_threshold` (the topic side of [`Self::topic_score`]).
    fn topic_close(&self, a: &[f32], b: &[f32]) -> Option<f32> {
        let threshold = self.config.story_topic_threshold;
        if threshold >= 1.0 {
            return None;
        }
        let cos = dense_cos(a, b);
        (cos >= threshold).then(|| self.config.story_threshold * cos / threshold.max(1e-6))
    }

    #[inline]
    fn idf(&self, term: u64) -> f32 {
        self.idf_of(term, self.df.get(&term).copied().unwrap_or(0))
    }

    /// Idf of a term seen in `df` streamed articles, with the background prior's counts
    /// added (weighted by `prior_weight`) so that small inputs get meaningful rarity.
    #[inline]
    fn idf_of(&self, term: u64, df: u32) -> f32 {
        let base = if self.idf_base.docs == self.docs {
            self.idf_base
        } else {
            self.compute_idf_base()
        };
        let df = if base.prior_weight > 0.0 {
            df as f32 + base.prior_weight * DfPrior::embedded().df(term) as f32
        } else {
            df as f32
        };
        base.ln_docs1 - ln_1p(df) + 1.0
    }

    /// The parts of idf shared by every term at the current document count.
    fn compute_idf_base(&self) -> IdfBase {
        // The prior speaks for small inputs and fades as the stream's own counts grow.
        let fade = self.config.prior_fade_docs;
        let w = if fade > 0.0 {
            self.config.prior_weight * fade / (fade + self.docs as f32)
        } else {
            self.config.prior_weight
        };
        let prior_docs = DfPrior::embedded().docs() as f32;
        // Once the faded prior is worth less than 1 % of the streamed articles it cannot
        // change a decision; skipping it saves a lookup per term.
        let w = if w > 0.0 && w * prior_docs >= 0.01 * self.docs as f32 {
            w
        } else {
            0.0
        };
        IdfBase {
            docs: self.docs,
            prior_weight: w,
            ln_docs1: ln_1p(self.docs as f32 + w * prior_docs),
        }
    }

    /// Recomputes the shared idf parts after the document count changed.
    fn sync_idf_base(&mut self) {
        if self.idf_base.docs != self.docs {
            self.idf_base = self.compute_idf_base();
        }
    }

    /// Live events sharing one of the article's index terms (heaviest first).
    fn candidates(&mut self, index: &[(u64, f32)]) -> Vec<u32> {
        let mut hits = std::mem::take(&mut self.scratch.hits);
        hits.clear();
        for &(t, w) in index {
            if let Some(list) = self.postings.get(&t)
                && list.len() <= self.config.max_postings
            {
                for &k in list {
                    *hits.entry(k).or_insert(0.0) += w;
                }
            }
        }
        // Score only the events sharing the most (weighted) index terms: bounded work per
        // article however crowded the window is.
        let mut out: Vec<(u32, f32)> = hits.iter().map(|(&k, &w)| (k, w)).collect();
        self.scratch.hits = hits;
        let by_hits = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if out.len() > self.config.max_candidates {
            out.select_nth_unstable_by(self.config.max_candidates, by_hits);
            out.truncate(self.config.max_candidates);
        }
        let mut out: Vec<u32> = out.into_iter().map(|(k, _)| k).collect();
        out.sort_unstable();
        out
    }

    /// Adds an event's new index terms (heaviest first) to the postings.
    fn index_event_terms(&mut self, key: u32, index: &[(u64, f32)]) {
        let Some(e) = self.events.get_mut(&key) else {
            return;
        };
        for &(t, _) in index {
            if e.indexed.len() < MAX_INDEXED_PER_EVENT && e.indexed.insert(t) {
                self.postings.entry(t).or_default().push(key);
            }
        }
    }

    /// Score of a query against an event: blend of full-text and title cosines, each the
    /// better of the centroid cosine and the best single-member cosine.
    fn event_cos(&self, key: u32, q: &Query, t: &Query) -> f32 {
        let Some(e) = self.events.get(&key) else {
            return 0.0;
        };
        let mut full = q.cosine(&e.centroid, e.sq);
        if self.config.coherence_power > 0.0 && e.mass > 0.0 {
            // Average link rather than centroid: a broad event (a whole story's worth of
            // reports chained together) attracts everything on its topic through its
            // centroid; scaling by coherence turns the centroid cosine into the mean
            // member cosine.
            let coherence = (e.sq.max(0.0).sqrt() / e.mass).clamp(0.0, 1.0);
            full *= coherence.powf(self.config.coherence_power);
        }
        let mut title = t.cosine(&e.title_centroid, e.title_sq);
        let b = self.config.title_blend.clamp(0.0, 1.0);
        // Member links can only lift a score that the centroids already put near the
        // threshold; skipping hopeless candidates keeps scoring cheap.
        let promising = (1.0 - b) * full + b * title
            >= 0.5 * self.config.event_threshold.min(self.config.story_threshold);
        // A one-member event's centroids point the same way as its member's vectors, so a
        // link (scaled by a `link_weight` below 1) cannot beat them: skip the merges.
        let links_matter = e.members.len() > 1 || self.config.link_weight > 1.0;
        if self.config.link_weight > 0.0 && promising && links_matter {
            // Single link to the closest member: events grow by chains of close reports, and
            // a report close to one member is evidence even when the centroid is broad.
            for m in e.members.iter().rev().take(LINK_MEMBERS) {
                full = full.max(self.config.link_weight * q.dot(&m.terms) / q.norm.max(1e-9));
                title =
                    title.max(self.config.link_weight * t.dot(&m.title_terms) / t.norm.max(1e-9));
            }
        }
        (1.0 - b) * full + b * title
    }

    fn story_cos(&self, key: u32, q: &Query) -> f32 {
        let Some(s) = self.stories.get(&key) else {
            return 0.0;
        };
        q.cosine(&s.centroid, s.sq)
    }

    /// Time decay of story scores for a gap in seconds.
    fn story_decay(&self, gap_secs: f32) -> f32 {
        self.decay(gap_secs, self.config.story_tau_hours.max(0.01) * 3600.0)
    }

    /// Story-level time decay (shape `story_decay`) for a gap and a time constant, seconds.
    fn decay(&self, gap_secs: f32, tau_secs: f32) -> f32 {
        let x = gap_secs / tau_secs;
        match self.config.story_decay {
            Decay::Exponential => (-x).exp(),
            // Stories run for weeks: a slow tail lets strong evidence link reports far
            // apart (a visit announced, then made) while weak evidence still fades.
            Decay::Hyperbolic => 1.0 / (1.0 + x),
        }
    }

    /// Merges into `story` every other candidate story whose background is close to its own:
    /// two stories founded apart (an announcement, then the happening) turn out to be one
    /// once the later one has gathered enough reports to show what it is about.
    ///
    /// `known` holds the article's background cosines against stories computed earlier for
    /// this article; a story other than `story` has not changed since (only `story` grows
    /// or absorbs others), so they still hold. `topic` is the article's topic embedding.
    fn merge_similar_stories(
        &mut self,
        mut story: u32,
        (background, known, topic): (&Vector, &[(u32, f32)], &[f32]),
        scored: &[(u32, f32, f32)],
        merged: &mut Vec<String>,
    ) {
        if self.config.story_background_threshold >= 1.0 {
            return;
        }
        let mut others: Vec<u32> = scored
            .iter()
            .filter_map(|(k, _, _)| self.events.get(k).map(|e| e.story))
            .filter(|&o| o != story)
            .collect();
        others.sort_unstable();
        others.dedup();
        for other in others {
            if other == story || !self.may_merge(story, other) {
                continue;
            }
            let gap = match (self.stories.get(&story), self.stories.get(&other)) {
                (Some(a), Some(b)) => (a.founded.max(b.founded) - a.last.min(b.last)).max(0),
                _ => continue,
            };
            let tau_bg = self.config.story_background_tau_hours.max(0.01) * 3600.0;
            let (threshold, decay) = (
                self.config.story_background_threshold,
                self.decay(gap as f32, tau_bg),
            );
            // The article that grew `story` must itself be near the other story's background
            // before whole profiles are compared: a cheap test (one article's terms) that
            // spares the full comparison of two large profiles for almost every candidate.
            let close = match (self.stories.get(&story), self.stories.get(&other)) {
                (Some(a), Some(b)) => {
                    let cos = known
                        .iter()
                        .find(|&&(k, _)| k == other)
                        .map_or_else(|| background_cos(background, b), |&(_, c)| c);
                    let lexical = cos * decay >= PREFILTER * threshold
                        && stories_background_cos(a, b) * decay >= threshold;
                    // Or close in topic space, the article and then the whole profiles, with
                    // the lexical floor on the profiles.
                    lexical
                        || (self.topic_close(topic, &b.topic).is_some()
                            && self
                                .topic_score(&a.topic, &b.topic, stories_background_cos(a, b))
                                .is_some())
                }
                _ => false,
            };
            if !close {
                continue;
            }
            story = self.merge_stories(story, other, merged);
        }
    }

    fn new_story(&mut self, founder: &str, time: i64) -> u32 {
        let key = self.next_key;
        self.next_key = self.next_key.wrapping_add(1);
        self.stories.insert(
            key,
            Story {
                id: format!("st-{founder}"),
                founded: time,
                last: time,
                events: Vec::new(),
                centroid: Vec::new(),
                sq: 0.0,
                entities: FxHashMap::default(),
                entity_sq: 0.0,
                background: FxHashMap::default(),
                background_sq: 0.0,
                topic: Vec::new(),
                series: None,
                companies: Vec::new(),
                cases: Vec::new(),
            },
        );
        key
    }

    fn new_event(&mut self, founder: &str, story: u32, time: i64) -> u32 {
        let key = self.next_key;
        self.next_key = self.next_key.wrapping_add(1);
        self.events.insert(
            key,
            Event {
                id: format!("ev-{founder}"),
                story,
                first: time,
                last: time,
                members: Vec::new(),
                centroid: Vec::new(),
                sq: 0.0,
                title_centroid: Vec::new(),
                title_sq: 0.0,
                mass: 0.0,
                indexed: FxHashSet::default(),
                dormant: false,
                title: None,
                parts: Vec::new(),
                series: None,
                companies: Vec::new(),
            },
        );
        if let Some(s) = self.stories.get_mut(&story) {
            s.events.push(key);
        }
        self.live.insert(key);
        key
    }

    fn add_member(&mut self, key: u32, member: Member, added: &Added, time: i64) {
        let mut buf = std::mem::take(&mut self.scratch.merged);
        let Some(e) = self.events.get_mut(&key) else {
            return;
        };
        let (v, scale) = (added.terms, added.scale);
        add_scaled(&mut e.centroid, &mut e.sq, v, scale, &mut buf);
        e.mass += norm(v) * scale;
        add_scaled(
            &mut e.title_centroid,
            &mut e.title_sq,
            added.title_terms,
            added.title_scale,
            &mut buf,
        );
        e.first = e.first.min(time);
        e.last = e.last.max(time);
        let story = e.story;
        e.members.push(member);
        if let Some(s) = self.stories.get_mut(&story) {
            add_scaled(&mut s.centroid, &mut s.sq, v, scale, &mut buf);
            s.founded = s.founded.min(time);
            s.last = s.last.max(time);
        }
        self.scratch.merged = buf;
    }

    fn add_story_entities(&mut self, story: u32, ents: &[(u64, f32)]) {
        let Some(s) = self.stories.get_mut(&story) else {
            return;
        };
        for &(t, w) in ents {
            let c = s.entities.entry(t).or_insert(0.0);
            if *c == 0.0 {
                self.entity_postings.entry(t).or_default().push(story);
            }
            let old = *c;
            *c += w;
            s.entity_sq += *c * *c - old * old;
        }
    }

    /// Merges two stories; the older one (by founding time, then id) keeps its id and is
    /// returned; the id of the other is pushed to `merged`.
    fn merge_stories(&mut self, a: u32, b: u32, merged: &mut Vec<String>) -> u32 {
        let older = |s: &Story| (s.founded, s.id.clone());
        let (kept, gone) = match (self.stories.get(&a), self.stories.get(&b)) {
            (Some(sa), Some(sb)) if older(sb) < older(sa) => (b, a),
            _ => (a, b),
        };
        if kept == gone {
            return kept;
        }
        let Some(g) = self.stories.remove(&gone) else {
            return kept;
        };
        merged.push(g.id.clone());
        for &ek in &g.events {
            if let Some(e) = self.events.get_mut(&ek) {
                e.story = kept;
            }
        }
        if let Some(k) = self.stories.get_mut(&kept) {
            k.events.extend(g.events.iter().copied());
            let mut buf = std::mem::take(&mut self.scratch.merged);
            add_scaled(&mut k.centroid, &mut k.sq, &g.centroid, 1.0, &mut buf);
            self.scratch.merged = buf;
            k.founded = k.founded.min(g.founded);
            k.last = k.last.max(g.last);
            for c in &g.companies {
                if !k.companies.contains(c) {
                    k.companies.push(c.clone());
                }
            }
            for c in &g.cases {
                if !k.cases.contains(c) {
                    k.cases.push(c.clone());
                }
            }
        }
        for c in &g.cases {
            self.case_stories.insert(c.clone(), kept);
        }
        // The merged-away story leaves the entity postings; the kept one takes its terms.
        for t in g.entities.keys() {
            if let Some(list) = self.entity_postings.get_mut(t) {
                list.retain(|&k| k != gone);
            }
        }
        let ents: Vec<(u64, f32)> = g.entities.into_iter().collect();
        self.add_story_entities(kept, &ents);
        let background: Vec<(u64, f32)> = g.background.into_iter().collect();
        self.add_story_background(kept, &background);
        self.add_story_topic(kept, &g.topic);
        if let Some(k) = self.stories.get_mut(&kept) {
            k.entity_sq = k.entities.values().map(|w| w * w).sum();
        }
        kept
    }

    /// Puts events quiet for longer than the window to sleep (the deduplicator forgets old
    /// fingerprints at the same stream times, on its own clock: [`Deduper::add_in_window`]).
    fn evict(&mut self) {
        let window = self.window_secs();
        let cutoff = self.clock.now.saturating_sub(window);
        // Document frequencies decay by half every window: rarity is judged against recent
        // news, and the vocabulary (one-off spellings, typos) stays bounded by the window.
        if self.clock.now.saturating_sub(self.last_df_decay) >= window.max(1) {
            if self.last_df_decay != i64::MIN {
                self.df.retain(|_, n| {
                    *n /= 2;
                    *n > 0
                });
                self.docs /= 2;
                self.sync_idf_base();
            }
            self.last_df_decay = self.clock.now;
        }
        let mut sleeping: Vec<u32> = self
            .live
            .iter()
            .copied()
            .filter(|k| self.events.get(k).is_none_or(|e| e.last < cutoff))
            .collect();
        sleeping.sort_unstable();
        let mut touched: Vec<u32> = Vec::new();
        for key in sleeping {
            self.live.remove(&key);
            if let Some(e) = self.events.get(&key) {
                touched.push(e.story);
            }
            // A split event is reported by its groups, each named by its own member: the
            // whole event's central title is only needed when it stays one.
            let parts = self
                .events
                .get(&key)
                .map(|e| self.split_event(e))
                .unwrap_or_default();
            let title = if parts.is_empty() {
                self.central_title(key)
            } else {
                None
            };
            let Some(e) = self.events.get_mut(&key) else {
                continue;
            };
            e.dormant = true;
            e.title = title;
            e.parts = parts;
            e.centroid = Vec::new();
            e.title_centroid = Vec::new();
            for m in &mut e.members {
                m.terms = Vec::new();
                m.title_terms = Vec::new();
                self.article_event.remove(&m.id);
            }
            for t in std::mem::take(&mut e.indexed) {
                if let Some(list) = self.postings.get_mut(&t) {
                    list.retain(|&k| k != key);
                    if list.is_empty() {
                        self.postings.remove(&t);
                    }
                }
            }
        }
        let live = &self.live;
        self.series_events.retain(|_, k| live.contains(k));
        let stories = &self.stories;
        self.series_stories
            .retain(|_, k| stories.get(k).is_some_and(|s| s.last >= cutoff));
        self.case_stories
            .retain(|_, k| stories.get(k).is_some_and(|s| s.last >= cutoff));
        // Stories quiet for the whole window stop collecting: drop their centroid. Only the
        // stories of events that just went to sleep can have become quiet.
        for story in touched {
            if let Some(s) = self.stories.get_mut(&story)
                && s.last < cutoff
            {
                s.centroid = Vec::new();
                s.background = FxHashMap::default();
                s.background_sq = 0.0;
                s.topic = Vec::new();
                for t in std::mem::take(&mut s.entities).into_keys() {
                    if let Some(list) = self.entity_postings.get_mut(&t) {
                        list.retain(|&k| k != story);
                        if list.is_empty() {
                            self.entity_postings.remove(&t);
                        }
                    }
                }
                s.entity_sq = 0.0;
            }
        }
    }

    /// The events reported for event `key`: (id, title, member indices) of each group of
    /// its split, or of the whole event when it stays one. The group holding the founder
    /// keeps the event's id; another group's id is derived from its first member, as an
    /// event's id is from its founder.
    fn event_groups(&self, key: u32, e: &Event) -> Vec<(String, String, Vec<usize>)> {
        let parts = if e.dormant {
            e.parts.clone()
        } else {
            self.split_event(e)
        };
        if parts.is_empty() {
            let title = self.central_title(key).unwrap_or_default();
            return vec![(e.id.clone(), title, (0..e.members.len()).collect())];
        }
        parts
            .into_iter()
            .map(|part| {
                let first = part.members.first().copied().unwrap_or(0);
                let id = match e.members.get(first) {
                    Some(m) if first > 0 => format!("ev-{}", m.id),
                    _ => e.id.clone(),
                };
                let title = e
                    .members
                    .get(part.title_member)
                    .map(|m| m.title.clone())
                    .unwrap_or_default();
                (id, title, part.members)
            })
            .collect()
    }

    /// Splits a live event's members into groups by average-link agglomeration at
    /// `event_split_threshold` (see there); empty when the event stays one group, when the
    /// split is off, or for an event too large to split (cost cubic in its members).
    /// Near-duplicates, which carry no vectors, go with the article they copy.
    fn split_event(&self, e: &Event) -> Vec<EventPart> {
        let theta = self.config.event_split_threshold;
        if e.series.is_some() {
            // One series, one session: one happening however its reports are worded.
            return Vec::new();
        }
        let voters: Vec<usize> = (0..e.members.len())
            .filter(|&i| e.members.get(i).is_some_and(|m| !m.terms.is_empty()))
            .collect();
        if theta <= 0.0 || voters.len() < 2 || voters.len() > MAX_SPLIT_MEMBERS {
            return Vec::new();
        }
        let sim = self.member_similarities(e, &voters);
        let groups = average_link(&sim, voters.len(), theta);
        if groups.len() < 2 {
            return Vec::new();
        }
        let mut parts: Vec<EventPart> = groups
            .iter()
            .map(|g| EventPart {
                members: g.iter().filter_map(|&v| voters.get(v).copied()).collect(),
                title_member: voters
                    .get(medoid(&sim, voters.len(), g))
                    .copied()
                    .unwrap_or(0),
            })
            .collect();
        for (i, m) in e.members.iter().enumerate() {
            if !m.terms.is_empty() {
                continue;
            }
            let original = m
                .copy_of
                .as_ref()
                .and_then(|of| e.members.iter().position(|o| &o.id == of));
            let home = parts
                .iter()
                .position(|p| original.is_some_and(|o| p.members.contains(&o)))
                .unwrap_or(0);
            if let Some(p) = parts.get_mut(home) {
                p.members.push(i);
            }
        }
        for p in &mut parts {
            p.members.sort_unstable();
        }
        parts.sort_by_key(|p| p.members.first().copied());
        parts
    }

    /// Pairwise similarities (row-major, `voters.len()` squared) of the given members: the
    /// blend of keyword and title cosines (`event_split_title_blend`).
    fn member_similarities(&self, e: &Event, voters: &[usize]) -> Vec<f32> {
        let b = self.config.event_split_title_blend.clamp(0.0, 1.0);
        let members: Vec<&Member> = voters.iter().filter_map(|&i| e.members.get(i)).collect();
        let queries: Vec<(Query, Query)> = members
            .iter()
            .map(|m| {
                (
                    Query::new(m.terms.clone()),
                    Query::new(m.title_terms.clone()),
                )
            })
            .collect();
        let n = members.len();
        let mut sim = vec![0.0f32; n * n];
        for (i, (q, t)) in queries.iter().enumerate() {
            for (j, m) in members.iter().enumerate().skip(i + 1) {
                let s = (1.0 - b) * q.dot(&m.terms) + b * t.dot(&m.title_terms);
                sim[i * n + j] = s;
                sim[j * n + i] = s;
            }
        }
        sim
    }

    /// Title of the member closest to the event centroid (first member on ties).
    fn central_title(&self, key: u32) -> Option<String> {
        let e = self.events.get(&key)?;
        if let Some(t) = &e.title {
            return Some(t.clone());
        }
        let mut best: Option<(f32, &Member)> = None;
        for m in &e.members {
            if m.terms.is_empty() {
                continue;
            }
            // Both vectors carry the idf of their insertion: the cosine of a unit vector.
            let c = Query::new(m.terms.clone()).dot(&e.centroid) / e.sq.max(1e-12).sqrt();
            if best.is_none_or(|(b, _)| c > b) {
                best = Some((c, m));
            }
        }
        best.map(|(_, m)| m.title.clone())
            .or_else(|| e.members.first().map(|m| m.title.clone()))
    }

    /// Counts an article's terms into the document frequencies without clustering it: a
    /// background corpus makes idf meaningful from the first clustered article.
    pub fn prime_df(&mut self, f: &ArticleFeatures) {
        let terms = self.term_vector(f);
        self.docs += 1;
        for (t, _) in terms {
            *self.df.entry(t).or_insert(0) += 1;
        }
    }

    /// Cosine similarity of two articles under the current document frequencies, without
    /// time decay (for diagnostics and tuning).
    pub fn pair_cosine(&self, a: &ArticleFeatures, b: &ArticleFeatures) -> f32 {
        let (qa, qb) = (self.keyword_query(a), self.keyword_query(b));
        let n = norm(&qa) * norm(&qb);
        if n <= 0.0 {
            return 0.0;
        }
        Query::new(qa).dot(&qb) / n
    }

    /// The tf-idf keyword vector of an article under the current document frequencies
    /// (term-sorted), without counting it.
    fn keyword_query(&self, f: &ArticleFeatures) -> Vector {
        let mut scored: Vec<(f32, u64, f32)> = self
            .term_vector(f)
            .into_iter()
            .map(|(t, w)| (w * self.idf(t), t, w))
            .collect();
        self.keep_keywords(&mut scored);
        let mut v: Vector = scored.into_iter().map(|(q, t, _)| (t, q)).collect();
        v.sort_unstable_by_key(|&(t, _)| t);
        v
    }

    /// Number of live (not dormant) events.
    pub fn live_events(&self) -> usize {
        self.events.values().filter(|e| !e.dormant).count()
    }

    /// Number of articles the deduplicator holds in its window.
    pub fn live_fingerprints(&self) -> usize {
        self.dedup.live()
    }

    /// All events and stories so far (live and dormant), with duplicates and passage reuse.
    pub fn snapshot(&self) -> Clusters {
        self.collect(|_| true)
    }

    /// Returns and forgets the stories that can no longer change (every event dormant and
    /// the story quiet for longer than the window), with the duplicate and passage records
    /// so far. Calling this periodically keeps memory bounded by the live window.
    pub fn take_finished(&mut self) -> Clusters {
        let window = self.window_secs();
        let cutoff = self.clock.now.saturating_sub(window);
        let done: FxHashSet<u32> = self
            .stories
            .iter()
            .filter(|(_, s)| {
                s.last < cutoff
                    && s.events
                        .iter()
                        .all(|k| self.events.get(k).is_none_or(|e| e.dormant))
            })
            .map(|(&k, _)| k)
            .collect();
        let mut out = self.collect(|k| done.contains(&k));
        for k in &done {
            if let Some(s) = self.stories.remove(k) {
                for ek in s.events {
                    self.events.remove(&ek);
                }
            }
        }
        out.duplicates = std::mem::take(&mut self.duplicates);
        out.passages = std::mem::take(&mut self.passages);
        out
    }

    fn collect(&self, include: impl Fn(u32) -> bool) -> Clusters {
        let mut events = Vec::new();
        let mut stories = Vec::new();
        for (&sk, s) in &self.stories {
            if !include(sk) {
                continue;
            }
            let mut story_articles = Vec::new();
            let mut story_outlets = BTreeMap::new();
            let mut event_ids = Vec::new();
            let mut best_title: Option<(f32, usize, String)> = None;
            for ek in &s.events {
                let Some(e) = self.events.get(ek) else {
                    continue;
                };
                for (id, title, members) in self.event_groups(*ek, e) {
                    let members: Vec<&Member> =
                        members.iter().filter_map(|&i| e.members.get(i)).collect();
                    let articles: Vec<String> = members.iter().map(|m| m.id.clone()).collect();
                    let mut outlets: Vec<String> =
                        members.iter().map(|m| m.outlet.clone()).collect();
                    outlets.sort();
                    outlets.dedup();
                    for o in &outlets {
                        story_outlets.insert(o.clone(), ());
                    }
                    // The story title comes from its most central article: the central
                    // article of the event with most outlets and articles (earliest id on
                    // ties).
                    let weight = (outlets.len() as f32) * 1000.0 + articles.len() as f32;
                    if best_title.as_ref().is_none_or(|(w, _, _)| weight > *w) {
                        best_title = Some((weight, 0, title.clone()));
                    }
                    story_articles.extend(articles.iter().cloned());
                    event_ids.push(id.clone());
                    events.push(EventRecord {
                        id,
                        story: s.id.clone(),
                        title,
                        articles,
                        outlets,
                    });
                }
            }
            event_ids.sort();
            stories.push(StoryRecord {
                id: s.id.clone(),
                title: best_title.map(|(_, _, t)| t).unwrap_or_default(),
                events: event_ids,
                articles: story_articles,
                outlets: story_outlets.into_keys().collect(),
            });
        }
        events.sort_by(|a, b| a.id.cmp(&b.id));
        stories.sort_by(|a, b| a.id.cmp(&b.id));
        Clusters {
            events,
            stories,
            duplicates: self.duplicates.clone(),
            passages: self.passages.clone(),
        }
    }
}

/// Namespace of entity terms, so an entity id never collides with a word.
pub(crate) const ENTITY_PREFIX: &str = "\u{1}ent:";

/// Where a term of an article comes from, in the order an article's terms are read.
#[derive(Debug, Clone, Copy)]
enum Field {
    Title,
    Lead,
    /// Body text after the lead (background only).
    Body,
    Entity,
    Quote,
}

/// Whether an article reporting results of `company` (if any) may join a cluster holding
/// results of `held`: true unless a held company is clearly another one.
fn companies_agree(held: &[String], company: Option<&str>) -> bool {
    company.is_none_or(|c| held.iter().all(|h| newsloom_text::same_company(h, c)))
}

/// The term of an entity id.
fn entity_term(id: &str) -> u64 {
    hash_str(&format!("{ENTITY_PREFIX}{id}"))
}

/// The first `chars` characters of the body, block by block.
fn leading_text(blocks: &[String], chars: usize) -> impl Iterator<Item = &str> {
    let mut budget = chars;
    blocks.iter().map_while(move |block| {
        if budget == 0 {
            return None;
        }
        let (head, n, _) = split_chars(block, budget);
        budget -= n;
        Some(head)
    })
}

/// `text` split after its first `n` characters (all of it when shorter): the head, its
/// number of characters, and the tail. Counting characters is fast; decoding them one by one
/// to find the split is left to the one block where the budget runs out.
fn split_chars(text: &str, n: usize) -> (&str, usize, &str) {
    let count = text.chars().count();
    if count <= n {
        return (text, count, "");
    }
    let at = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    let (head, tail) = text.split_at(at);
    (head, n, tail)
}

/// Cosine of an article's background vector against a story's background profile.
fn background_cos(v: &Vector, story: &Story) -> f32 {
    if story.background_sq <= 0.0 || v.is_empty() {
        return 0.0;
    }
    let dot: f32 = v
        .iter()
        .filter_map(|(t, w)| story.background.get(t).map(|c| c * w))
        .sum();
    dot / story.background_sq.sqrt()
}

/// Cosine of two stories' background profiles.
fn stories_background_cos(a: &Story, b: &Story) -> f32 {
    if a.background_sq <= 0.0 || b.background_sq <= 0.0 {
        return 0.0;
    }
    let (small, large) = if a.background.len() <= b.background.len() {
        (a, b)
    } else {
        (b, a)
    };
    let dot: f32 = small
        .background
        .iter()
        .filter_map(|(t, c)| large.background.get(t).map(|d| c * d))
        .sum();
    dot / (a.background_sq.sqrt() * b.background_sq.sqrt())
}

fn gap_secs(t: i64, first: i64, last: i64) -> i64 {
    if t < first {
        first - t
    } else if t > last {
        t - last
    } else {
        0
    }
}

/// `v / norm` (empty when the norm is zero).
fn unit(v: &Vector, n: f32) -> Vector {
    if n <= 0.0 {
        return Vec::new();
    }
    v.iter().map(|&(t, w)| (t, w / n)).collect()
}

/// A term-sorted tf-idf vector prepared for dot products against many others: an article's
/// query, scored against every candidate event's centroids and recent members.
struct Query {
    terms: Vector,
    norm: f32,
    /// Bit `t mod 1024` set for every term `t`: most terms of the other vector miss it, and
    /// only the rest are looked up. A merge of the two sorted vectors instead advances by
    /// data-dependent steps, a chain of loads and compares that made scoring the costliest
    /// part of clustering.
    filter: [u64; 16],
}

impl Query {
    fn new(terms: Vector) -> Self {
        let mut filter = [0u64; 16];
        for &(t, _) in &terms {
            let bit = (t & 1023) as usize;
            if let Some(word) = filter.get_mut(bit / 64) {
                *word |= 1 << (bit % 64);
            }
        }
        Query {
            norm: norm(&terms),
            terms,
            filter,
        }
    }

    /// Dot product with a term-sorted vector. Products are summed in term order, as a
    /// merge of the two would.
    fn dot(&self, v: &[(u64, f32)]) -> f32 {
        let mut dot = 0.0f32;
        if v.len() > LOOKUP_RATIO * self.terms.len() {
            // A long vector (the centroid of a large story): look the query's few terms up
            // in it rather than filter its many terms.
            // Each search starts afresh rather than after the previous term's place: the
            // searches are then independent, and the processor overlaps their misses.
            for &(t, q) in &self.terms {
                if let Some(&(k, w)) = v.get(sorted_rank(v, t))
                    && k == t
                {
                    dot += q * w;
                }
            }
            return dot;
        }
        for &(t, w) in v {
            let bit = (t & 1023) as usize;
            let word = self.filter.get(bit / 64).copied().unwrap_or(0);
            if word & (1 << (bit % 64)) != 0
                && let Ok(i) = self.terms.binary_search_by_key(&t, |&(k, _)| k)
                && let Some(&(_, q)) = self.terms.get(i)
            {
                dot += q * w;
            }
        }
        dot
    }

    /// Cosine against a centroid (tf-idf, term-sorted) with squared norm `sq`.
    fn cosine(&self, centroid: &[(u64, f32)], sq: f32) -> f32 {
        if self.norm <= 0.0 || sq <= 0.0 {
            return 0.0;
        }
        self.dot(centroid) / (self.norm * sq.sqrt())
    }
}

/// Most members of an event that [`Clusterer::split_event`] splits.
const MAX_SPLIT_MEMBERS: usize = 400;

/// Average-link agglomerative clustering of `n` items with pairwise similarities `sim`
/// (row-major): repeatedly joins the two groups of highest average similarity while it
/// reaches `threshold`. Groups of item indices, in no particular order.
fn average_link(sim: &[f32], n: usize, threshold: f32) -> Vec<Vec<usize>> {
    // `total[x * n + y]`: summed similarity between the groups led by x and y.
    let mut total = sim.to_vec();
    let mut groups: Vec<Option<Vec<usize>>> = (0..n).map(|i| Some(vec![i])).collect();
    loop {
        let mut best: Option<(f32, usize, usize)> = None;
        for x in 0..n {
            let Some(gx) = &groups[x] else { continue };
            for y in x + 1..n {
                let Some(gy) = &groups[y] else { continue };
                let avg = total[x * n + y] / (gx.len() * gy.len()) as f32;
                if best.is_none_or(|(b, _, _)| avg > b) {
                    best = Some((avg, x, y));
                }
            }
        }
        let Some((avg, x, y)) = best else { break };
        if avg < threshold {
            break;
        }
        for z in 0..n {
            let t = total[y * n + z];
            total[x * n + z] += t;
            total[z * n + x] = total[x * n + z];
        }
        let gy = groups[y].take().unwrap_or_default();
        if let Some(gx) = groups[x].as_mut() {
            gx.extend(gy);
        }
    }
    groups.into_iter().flatten().collect()
}

/// The item of `group` with the highest summed similarity to the rest of it (the first on
/// ties): the report that best stands for the group.
fn medoid(sim: &[f32], n: usize, group: &[usize]) -> usize {
    let mut best: Option<(f32, usize)> = None;
    for &i in group {
        let s: f32 = group.iter().map(|&j| sim[i * n + j]).sum();
        if best.is_none_or(|(b, _)| s > b) {
            best = Some((s, i));
        }
    }
    best.map_or(0, |(_, i)| i)
}

/// A vector this many times longer than the query is searched for the query's terms
/// rather than scanned through the query's filter. Scanning streams through memory the
/// prefetcher sees coming; searching a centroid that is not in cache costs a miss per
/// probe. At 4 (where a hot-cache micro-benchmark put it), clustering the agora month took
/// 1.00–1.04 CPU-s; at 32–128 (and even with no searching at all) 0.75–0.87: the typical
/// searched vector is a story centroid of ~800 terms against a ~45-term query. 64 keeps the
/// search for a mega-story's centroid of thousands of terms.
const LOOKUP_RATIO: usize = 64;

/// Number of entries of a term-sorted vector with a term below `t` (where `t` is or would
/// be), by interpolation. Terms are SplitMix64-finalized hashes, spread uniformly over
/// `u64`, so a term's rank is close to its proportional position (within about √len):
/// a few probes near the estimate find it, where a binary search makes log₂ len dependent
/// cache misses, the costliest part of scoring against a large story's centroid. After a
/// few probes that do not narrow the range, a binary search finishes, so the worst case
/// stays logarithmic whatever the terms.
fn sorted_rank(v: &[(u64, f32)], t: u64) -> usize {
    let (mut lo, mut hi) = (0usize, v.len()); // the rank is in lo..=hi
    for _ in 0..4 {
        let (Some(&(first, _)), Some(&(last, _))) = (v.get(lo), v.get(hi.wrapping_sub(1))) else {
            return lo;
        };
        if hi <= lo || t <= first {
            return lo;
        }
        if t > last {
            return hi;
        }
        // first < t <= last: interpolate strictly inside (lo, hi).
        let share = (t - first) as f64 / (last - first) as f64;
        let offset = (share * (hi - lo - 1) as f64) as usize;
        let probe = (lo + offset).clamp(lo + 1, hi - 1);
        match v.get(probe) {
            Some(&(k, _)) if k < t => lo = probe + 1,
            Some(_) => hi = probe,
            None => return lo,
        }
    }
    let window = v.get(lo..hi).unwrap_or_default();
    lo + window.partition_point(|&(k, _)| k < t)
}

/// What an article adds to the centroids of its event and story: its tf-idf keyword and
/// title vectors, each scaled to unit raw-weight norm (so long and short reports count
/// alike while idf still weighs their terms).
struct Added<'a> {
    terms: &'a [(u64, f32)],
    scale: f32,
    title_terms: &'a [(u64, f32)],
    title_scale: f32,
}

/// `1 / ‖v‖` of a raw-weight vector (bounded for empty vectors).
fn raw_unit_scale(v: &Vector) -> f32 {
    1.0 / norm(v).max(1e-6)
}

/// Order of (tf-idf, term, raw) entries: heaviest first, ties by term.
fn heaviest_first(a: &(f32, u64, f32), b: &(f32, u64, f32)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

/// Adds `scale · v` to a term-sorted centroid by merging into `buf` (then swapped in, so
/// the old allocation is reused for the next merge), and recomputes its squared norm `sq`
/// exactly from the result.
fn add_scaled(centroid: &mut Vector, sq: &mut f32, v: &[(u64, f32)], scale: f32, buf: &mut Vector) {
    buf.clear();
    buf.reserve(centroid.len() + v.len());
    let (mut i, mut j) = (0, 0);
    loop {
        let next = match (centroid.get(i), v.get(j)) {
            (Some(&(tc, wc)), Some(&(tv, wv))) => match tc.cmp(&tv) {
                std::cmp::Ordering::Less => {
                    i += 1;
                    (tc, wc)
                }
                std::cmp::Ordering::Greater => {
                    j += 1;
                    (tv, wv * scale)
                }
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                    (tc, wc + wv * scale)
                }
            },
            (Some(&c), None) => {
                i += 1;
                c
            }
            (None, Some(&(tv, wv))) => {
                j += 1;
                (tv, wv * scale)
            }
            (None, None) => break,
        };
        buf.push(next);
    }
    std::mem::swap(centroid, buf);
    *sq = centroid.iter().map(|&(_, w)| w * w).sum();
}

fn norm(v: &[(u64, f32)]) -> f32 {
    v.iter().map(|&(_, w)| w * w).sum::<f32>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Term-sorted sparse vector from a seed.
    fn sparse(seed: u64, n: usize) -> Vector {
        let mut v: Vector = (0..n as u64)
            .map(|i| {
                // The term depends on `x` alone, so vectors of different seeds overlap;
                // its low bits (the filter bit) take 64 values, so different terms collide.
                let x = (i * 3 + seed) % 1009;
                let t = (x << 10) | (x * 37 % 64);
                (t, 1.0 + ((i * 7 + seed) % 11) as f32 / 4.0)
            })
            .collect();
        v.sort_unstable_by_key(|x| x.0);
        v.dedup_by_key(|x| x.0);
        v
    }

    fn naive_dot(a: &[(u64, f32)], b: &[(u64, f32)]) -> f32 {
        b.iter()
            .filter_map(|(t, w)| a.iter().find(|(u, _)| u == t).map(|(_, v)| v * w))
            .sum()
    }

    #[test]
    fn query_dot_equals_the_sum_over_shared_terms() {
        // A 60-term query filters the other vector's terms; a 2-term one looks its terms up
        // in the (more than LOOKUP_RATIO times longer) other vector.
        let mut shared = 0;
        for n in [60, 2] {
            for (sa, sb) in [(1, 2), (3, 3), (5, 40), (7, 8), (1, 1010)] {
                let (a, b) = (sparse(sa, n), sparse(sb, 600));
                assert_eq!(
                    n == 2,
                    b.len() > LOOKUP_RATIO * a.len(),
                    "both paths are tested"
                );
                let q = Query::new(a.clone());
                let expected = naive_dot(&a, &b);
                shared += usize::from(expected > 0.0);
                assert!((q.dot(&b) - expected).abs() < 1e-3, "{n} {sa} {sb}");
                assert!((q.dot(&a) - norm(&a).powi(2)).abs() < 1e-3);
            }
        }
        assert!(shared >= 4, "the vectors share terms in {shared} cases");
        assert_eq!(Query::new(Vec::new()).dot(&sparse(1, 10)), 0.0);
    }

    #[test]
    fn sorted_rank_is_the_partition_point_for_any_spread_of_terms() {
        let hashed: Vec<u64> = (0..3000).map(|i| crate::text::mix64(i * 7 + 1)).collect();
        // Clustered terms defeat interpolation; the binary search after it still finds them.
        let clustered: Vec<u64> = (0..3000u64)
            .map(|i| if i % 10 == 0 { u64::MAX - i } else { i * i })
            .collect();
        for mut keys in [hashed, clustered, vec![5], Vec::new()] {
            keys.sort_unstable();
            keys.dedup();
            let v: Vector = keys.iter().map(|&k| (k, 1.0)).collect();
            let mut probes: Vec<u64> = keys.iter().step_by(7).copied().collect();
            probes.extend(keys.iter().step_by(11).map(|k| k.wrapping_add(1)));
            probes.extend([0, 1, u64::MAX, u64::MAX / 2]);
            for t in probes {
                assert_eq!(
                    sorted_rank(&v, t),
                    v.partition_point(|&(k, _)| k < t),
                    "{t}"
                );
            }
        }
    }

    #[test]
    fn average_link_separates_groups_a_chain_would_join() {
        // Two tight groups {0,1,2} and {3,4,5}; 2 and 3 are close enough that a single
        // link at 0.2 would chain the groups, but the groups' average similarity is low.
        let n = 6;
        let mut sim = vec![0.05f32; n * n];
        let mut set = |i: usize, j: usize, s: f32| {
            sim[i * n + j] = s;
            sim[j * n + i] = s;
        };
        for (i, j) in [(0, 2), (1, 2), (3, 4), (3, 5), (4, 5)] {
            set(i, j, 0.6);
        }
        set(0, 1, 0.5);
        set(2, 3, 0.3);
        let mut groups = average_link(&sim, n, 0.2);
        groups.iter_mut().for_each(|g| g.sort_unstable());
        groups.sort();
        assert_eq!(groups, vec![vec![0, 1, 2], vec![3, 4, 5]]);
        // At a threshold below the groups' average similarity (about 0.08) they stay one.
        assert_eq!(average_link(&sim, n, 0.07).len(), 1);
        // The medoid is the member closest to the rest of its group.
        assert_eq!(medoid(&sim, n, &[0, 1, 2]), 2);
        assert_eq!(average_link(&[], 0, 0.2), Vec::<Vec<usize>>::new());
    }

    #[test]
    fn add_scaled_merges_and_keeps_the_squared_norm() {
        let (a, b) = (sparse(1, 30), sparse(2, 30));
        let (mut c, mut sq, mut buf) = (Vec::new(), 0.0, Vec::new());
        add_scaled(&mut c, &mut sq, &a, 1.0, &mut buf);
        add_scaled(&mut c, &mut sq, &b, 0.5, &mut buf);
        assert!(c.windows(2).all(|w| w[0].0 < w[1].0));
        for &(t, w) in &c {
            let expect = naive_dot(&a, &[(t, 1.0)]) + 0.5 * naive_dot(&b, &[(t, 1.0)]);
            assert!((w - expect).abs() < 1e-5);
        }
        assert!((sq - norm(&c).powi(2)).abs() < 1e-3);
    }
}
