//! newsloom duplicates and stories.
//!
//! * [`dedup`]: exact duplicates (hash of the matching-form body), near-duplicates (MinHash
//!   over matching-form character shingles with LSH banding) and passage reuse (paragraphs and
//!   sentences shared between different articles, with both locations).
//! * [`cluster`]: online clustering in publication order into events (one happening) and
//!   stories (a happening with its directly related events), with stable ids derived from
//!   founding article ids, story merges, and a live time window that bounds memory.
//!
//! The one-call entry point is [`cluster_articles`].

pub mod cluster;
pub mod dedup;
pub mod devset;
pub mod eval;
pub mod features;
pub mod minhash;
pub mod prior;
pub mod text;
pub mod topics;

pub use cluster::{
    Assignment, Clusterer, Clusters, Config, CountedTerms, DuplicateRecord, EventRecord,
    StoryRecord,
};
pub use dedup::{DedupConfig, DupKind, DupMatch, Location, PassageReuse};
pub use features::ArticleFeatures;
pub use text::{BasicText, TextView};

use newsloom_model::Article;

/// Articles prepared at a time by [`cluster_in_chunks`]: enough to keep every worker busy,
/// few enough that their analyses stay small next to the articles themselves. Items
/// `k * CHUNK ..` start a chunk.
pub const CHUNK: usize = 1024;

/// Clusters a batch of articles: analyzes each with the text layer (matching forms, entity
/// ids, quotes), sorts them by publication time (undated last, then by id), feeds them to a
/// fresh [`Clusterer`] and returns the snapshot. Runs on the current rayon pool (size it with
/// `ThreadPool::install` to honour a `--jobs`); see [`cluster_in_chunks`].
pub fn cluster_articles(
    text: &newsloom_text::TextLayer,
    articles: &[Article],
    config: &Config,
) -> Clusters {
    let mut order: Vec<&Article> = articles.iter().collect();
    order.sort_by(|a, b| {
        let key = |x: &Article| (x.published.is_none(), x.published.map(|p| p.timestamp()));
        key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
    });
    let mut clusterer = Clusterer::new(config.clone());
    cluster_in_chunks(
        &mut clusterer,
        &order,
        |article| {
            let features = ArticleFeatures::from_analysis(text, article, &text.analyze(article));
            (features, ())
        },
        |_| {},
    );
    clusterer.snapshot()
}

/// One item placed by [`cluster_in_chunks`]: what was prepared for it and where it went.
pub struct Placed<'a, T, X> {
    pub item: &'a T,
    /// The item's position in `items`.
    pub index: usize,
    pub features: &'a ArticleFeatures,
    /// The article's MinHash signature, when it had enough text to shingle.
    pub signature: Option<Vec<u32>>,
    /// What `prepare` returned besides the features (an analysis to store, say).
    pub extra: X,
    pub assignment: Assignment,
}

/// Adds `items` to `clusterer` in order, calling `on` with each item once it is placed.
///
/// Preparing an article (its features and whatever else `prepare` derives, and its
/// fingerprints) is independent of every other article; adding it is not. So items are
/// prepared a chunk at a time, in parallel on the current rayon pool, and while one chunk is
/// being added on one thread the next is prepared on the others: with two threads,
/// clustering no longer waits for preparation. The deduplicator's pass over a chunk
/// (duplicates, reused passages) needs only the articles before it, not their events, and
/// an article's term counts and topic embedding need only the article: both run on the
/// preparing side too, after the chunk's fingerprints, which takes about a quarter of the
/// work off the clustering thread. Chunk by chunk also keeps each phase's tables
/// (conversion, segmentation, centroids) in cache instead of evicting each other article by
/// article. A chunk's features are freed on the preparing side, where they were allocated:
/// freed by the clustering thread they contended for the preparing thread's allocator arena
/// (glibc), which cost about 15 % more CPU time at two threads than at one. The two sides
/// meet at a join after every chunk; a queue that let the preparing side run up to three
/// chunks ahead (the clustering thread helping to prepare when it ran dry) was no faster at
/// two threads, on the agora month or the generated stream: their rates per chunk are close
/// enough that neither waits long at a join.
pub fn cluster_in_chunks<T: Sync, X: Send>(
    clusterer: &mut Clusterer,
    items: &[T],
    prepare: impl Fn(&T) -> (ArticleFeatures, X) + Sync,
    mut on: impl FnMut(Placed<'_, T, X>) + Send,
) {
    use rayon::prelude::*;
    let (mut dedup, window) = clusterer.take_deduper();
    let config = clusterer.config().clone();
    type Prepared<X> = (
        ArticleFeatures,
        X,
        Option<Vec<u32>>,
        dedup::DedupOutcome,
        Option<cluster::CountedTerms>,
    );
    let mut prepare_chunk = |chunk: &[T]| -> Vec<Prepared<X>> {
        let fingerprinted: Vec<_> = chunk
            .par_iter()
            .map(|item| {
                let (f, extra) = prepare(item);
                let fp = dedup.fingerprints(&f);
                (f, extra, fp)
            })
            .collect();
        let deduped: Vec<_> = fingerprinted
            .into_iter()
            .map(|(f, extra, fp)| {
                let signature = fp.signature().map(<[u32]>::to_vec);
                let outcome = dedup.add_in_window(&f, fp, window);
                (f, extra, signature, outcome)
            })
            .collect();
        // A copy joins its original's event without its terms being weighed: count only the
        // others' (the clusterer counts a copy's itself in the rare case that it needs them).
        deduped
            .into_par_iter()
            .map(|(f, extra, signature, outcome)| {
                let counted = outcome
                    .duplicate
                    .is_none()
                    .then(|| config.count_terms_of(&f));
                (f, extra, signature, outcome, counted)
            })
            .collect()
    };
    let mut chunks = items.chunks(CHUNK).enumerate();
    let mut ready = chunks.next().map(|(n, c)| (n, c, prepare_chunk(c)));
    let mut used: Vec<ArticleFeatures> = Vec::new();
    while let Some((n, chunk, prepared)) = ready {
        let next = chunks.next();
        let add_chunk = || {
            let mut done = Vec::with_capacity(prepared.len());
            for (i, (item, (features, extra, signature, outcome, counted))) in
                chunk.iter().zip(prepared).enumerate()
            {
                let assignment = clusterer.add_deduped(&features, outcome, counted);
                on(Placed {
                    item,
                    index: n * CHUNK + i,
                    features: &features,
                    signature,
                    extra,
                    assignment,
                });
                done.push(features);
            }
            done
        };
        let previous = std::mem::take(&mut used);
        let prepare_next = || {
            drop(previous);
            next.map(|(n, c)| (n, c, prepare_chunk(c)))
        };
        (ready, used) = rayon::join(prepare_next, add_chunk);
    }
    clusterer.put_deduper(dedup);
}
