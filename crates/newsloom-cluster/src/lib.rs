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
    Assignment, Clusterer, Clusters, Config, DuplicateRecord, EventRecord, StoryRecord,
};
pub use dedup::{DedupConfig, DupKind, DupMatch, Location, PassageReuse};
pub use features::{ArticleFeatures, Series};
pub use text::{BasicText, TextView};

use newsloom_model::Article;

/// Articles analyzed at a time by [`cluster_articles`]: enough to keep every worker busy,
/// few enough that their analyses stay small next to the articles themselves.
const ANALYSIS_CHUNK: usize = 1024;

/// Clusters a batch of articles: analyzes each with the text layer (matching forms, entity
/// ids, quotes), sorts them by publication time (undated last, then by id), feeds them to a
/// fresh [`Clusterer`] and returns the snapshot.
///
/// Analysis and fingerprints are per article and independent: they run a chunk at a time
/// on the current rayon pool (size it with `ThreadPool::install` to honour a `--jobs`),
/// then the chunk is clustered in order. Phase by phase also keeps each phase's tables
/// (conversion, segmentation, centroids) in cache instead of evicting each other article
/// by article.
pub fn cluster_articles(
    text: &newsloom_text::TextLayer,
    articles: &[Article],
    config: &Config,
) -> Clusters {
    use rayon::prelude::*;
    let mut order: Vec<&Article> = articles.iter().collect();
    order.sort_by(|a, b| {
        let key = |x: &Article| (x.published.is_none(), x.published.map(|p| p.timestamp()));
        key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
    });
    let mut clusterer = Clusterer::new(config.clone());
    for chunk in order.chunks(ANALYSIS_CHUNK) {
        let prepared: Vec<_> = chunk
            .par_iter()
            .map(|article| {
                let f = ArticleFeatures::from_analysis(text, article, &text.analyze(article));
                let fp = clusterer.fingerprints(&f);
                (f, fp)
            })
            .collect();
        for (f, fp) in prepared {
            clusterer.add_with(&f, fp);
        }
    }
    clusterer.snapshot()
}
