//! The main job: sources → store → events and stories, incrementally and crash-safely.
//!
//! A digest runs in two phases, each made of transactions that leave the store consistent
//! whenever the process dies:
//!
//! 1. **Ingest.** Documents are read in chunks on a thread pool. A document whose bytes hash
//!    to what the store recorded is not parsed again, unless another release's readers
//!    ([`newsloom_ingest::READING_VERSION`]) read the store's documents. Each chunk's documents and articles are
//!    written in one transaction: a document row means "done", so a rerun after a crash
//!    redoes exactly the chunks that were not committed.
//! 2. **Cluster.** Every stored article that belongs to no event yet — this run's new
//!    articles, or those a crashed run stored but did not place — is analyzed by the text
//!    layer and fed to the online clusterer (resumed from its saved state) in publication
//!    order. The events, stories, merges, duplicates, passage reuse, entity mentions and the
//!    clusterer's new state are written in one transaction.
//!
//! Because phase 2 always takes *all* unplaced articles in publication order, the final
//! store is the same whether a run completed at once or was killed and rerun.
//!
//! Events, stories, entity mentions and duplicates are derived data. When the store's were
//! made by a release that clusters ([`Clusterer::STATE_VERSION`]) or reads articles
//! ([`newsloom_text::ANALYSIS_VERSION`]) differently, phase 2 takes every stored article and
//! makes them again, in one transaction, instead of mixing two readings in one store.

use newsloom_cluster::{ArticleFeatures, Clusterer, Clusters, Config};
use newsloom_ingest::readers::Outcome;
use newsloom_ingest::{Input, READING_VERSION, Summary, collect_inputs, read_bytes};
use newsloom_model::Article;
use newsloom_store::{
    Batch, ClusterState, ClusterUpdate, ContentHash, DocumentOutcome, DocumentRecord,
    DuplicateKind, EntityRecord, EventRecord, FingerprintRecord, MentionRecord, NearDuplicate,
    OutcomeKind, PassageReuse, RunCounts, RunInfo, RunRecord, Store, StoreError, StoryMerge,
    StoryRecord,
};
use newsloom_text::{ANALYSIS_VERSION, AliasMiner, AliasTable, Entity, MinedAliases, TextLayer};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Why a digest could not complete. Input problems are never errors here: they are counted
/// in the summary. These are problems with the store or the machine.
#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot start worker threads: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
    #[error("the saved clusterer state is unreadable ({0}); it was left as it was")]
    State(String),
}

/// Options of a digest run.
#[derive(Debug, Clone)]
pub struct DigestOptions {
    /// Name variants to match with (curated, plus any the user supplies); the variants mined
    /// from the articles themselves are kept in the store and added to these.
    pub aliases: AliasTable,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// Documents per ingest transaction.
    pub batch_documents: usize,
    pub cluster: Config,
    /// The command line, for the run history.
    pub command: String,
}

impl Default for DigestOptions {
    fn default() -> Self {
        DigestOptions {
            aliases: AliasTable::curated(),
            jobs: 0,
            batch_documents: 256,
            cluster: Config::default(),
            command: "newsloom digest".into(),
        }
    }
}

/// What a digest did.
#[derive(Debug, Clone, Default)]
pub struct DigestReport {
    /// Read/skipped/failed counts and reasons of this run's documents (unchanged ones included
    /// as read).
    pub summary: Summary,
    /// Documents parsed in this run.
    pub parsed: usize,
    /// Documents skipped because their bytes had not changed.
    pub unchanged: usize,
    pub new_articles: usize,
    pub revised_articles: usize,
    /// Articles placed into events in this run.
    pub clustered: usize,
    pub run: Option<RunRecord>,
}

/// Layout version of the clusterer state blob (owned by the clusterer, which bumps it when
/// its serialized form changes); a state of another version is not loaded.
const STATE_VERSION: u32 = Clusterer::STATE_VERSION;
const STATE_KEY_FORMAT: &str = "json";

/// Reads `roots` into `store` and clusters what is new. `progress` gets the bytes of each
/// document as it is read.
pub fn digest(
    store: &mut Store,
    roots: &[PathBuf],
    options: &DigestOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<DigestReport, DigestError> {
    let roots: Vec<PathBuf> = roots
        .iter()
        .map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| r.clone()))
        .collect();
    let info = RunInfo {
        command: options.command.clone(),
        roots: roots.iter().map(|r| r.display().to_string()).collect(),
    };
    store.begin_run(&info)?;
    let mut report = DigestReport::default();
    let started = std::time::Instant::now();
    let result = ingest_phase(store, &roots, options, progress, &mut report).and_then(|()| {
        tracing::info!(
            seconds = started.elapsed().as_secs_f64(),
            "ingest phase done"
        );
        let clustering = std::time::Instant::now();
        let done = cluster_phase(store, options, &mut report);
        tracing::info!(
            seconds = clustering.elapsed().as_secs_f64(),
            "cluster phase done"
        );
        done
    });
    let counts = RunCounts {
        read: report.summary.documents as u64,
        skipped: report.summary.skipped_total() as u64,
        failed: report.summary.failed.len() as u64,
        parsed: report.parsed as u64,
        unchanged: report.unchanged as u64,
    };
    match result {
        Ok(()) => {
            report.run = Some(store.finish_run(&counts)?);
            // Fold the write-ahead log into the database so the file is complete on its own.
            store.checkpoint()?;
            Ok(report)
        }
        Err(e) => {
            // Record the failure if the store still takes writes; the original error matters more.
            let _ = store.fail_run(&counts, &e.to_string());
            Err(e)
        }
    }
}

/// One document after the parallel part: unchanged, or read (and parsed).
enum Read {
    Unchanged {
        location: String,
    },
    Parsed {
        record: DocumentRecord,
        outcome: Outcome,
    },
}

impl Read {
    /// The document's key in the store.
    fn location(&self) -> &str {
        match self {
            Read::Unchanged { location } => location,
            Read::Parsed { record, .. } => &record.location,
        }
    }
}

fn ingest_phase(
    store: &mut Store,
    roots: &[PathBuf],
    options: &DigestOptions,
    progress: &(dyn Fn(u64) + Sync),
    report: &mut DigestReport,
) -> Result<(), DigestError> {
    let inputs = collect_inputs(roots, &mut report.summary);
    let stored = store.document_hashes()?;
    let recorded = recorded_version(store, READING_KEY)?;
    // A store from before the version was recorded was read by older readers, unless it
    // holds no document yet.
    let current = recorded == Some(READING_VERSION) || (recorded.is_none() && stored.is_empty());
    // What this run reads is recorded until the store holds the current version.
    let to_record = recorded != Some(READING_VERSION);
    let known = if current {
        stored
    } else {
        // Unchanged files are parsed again: their articles are what this release reads in
        // them (changed ones become revisions and are clustered again).
        tracing::warn!(
            "the stored documents were read by another version of newsloom's readers; reading this run's documents again"
        );
        HashMap::new()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build()?;
    let chunk_size = options.batch_documents.max(1);
    let mut seen: HashSet<String> = HashSet::new();
    // The pool reads the next chunk while this thread writes the current one to the store.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Read>>(1);
    std::thread::scope(|scope| {
        let known = &known;
        scope.spawn(move || {
            for chunk in inputs.chunks(chunk_size) {
                let reads = pool.install(|| {
                    chunk
                        .par_iter()
                        .map(|input| {
                            let read = read_input(input, roots, known);
                            progress(input.size);
                            read
                        })
                        .collect()
                });
                if tx.send(reads).is_err() {
                    return; // the writer stopped on an error
                }
            }
        });
        for reads in rx {
            if to_record {
                seen.extend(reads.iter().map(|r| r.location().to_string()));
            }
            let batch = batch_of(reads, report);
            let outcome = store.put_batch(&batch)?;
            report.new_articles += outcome.new_articles;
            report.revised_articles += outcome.revised_articles;
        }
        Ok::<(), DigestError>(())
    })?;
    if to_record {
        record_reading(store, &seen)?;
    }
    Ok(())
}

/// Records that this release's readers read the store's documents, once they have: when
/// every stored document was among this run's (a run killed before the end, or one over
/// other folders than the store's older documents, leaves the old version, and the next run
/// reads its documents again).
fn record_reading(store: &mut Store, seen: &HashSet<String>) -> Result<(), DigestError> {
    let left = store
        .document_hashes()?
        .keys()
        .filter(|location| !seen.contains(*location))
        .count();
    if left > 0 {
        tracing::warn!(
            documents = left,
            "stored documents outside this run's inputs were read by another version of newsloom's readers; digest them again to read them as this version does"
        );
        return Ok(());
    }
    store.put_batch(&Batch {
        blobs: vec![(
            READING_KEY.to_string(),
            to_blob(&READING_VERSION, READING_VERSION)?,
        )],
        ..Batch::default()
    })?;
    Ok(())
}

/// Key of the readers' version ([`READING_VERSION`]) that read the stored documents.
const READING_KEY: &str = "reading";

/// The key of a document in the store: its canonical path, so overlapping inputs
/// (`digest news/` then `digest news/2024/`) name each file once.
fn location_of(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

fn read_input(
    input: &Input,
    roots: &[PathBuf],
    known: &HashMap<String, (ContentHash, OutcomeKind)>,
) -> Read {
    let location = location_of(&input.path);
    let source_root = roots
        .iter()
        .find(|r| Path::new(&location).starts_with(r))
        .map(|r| r.display().to_string());
    let bytes = match std::fs::read(&input.path) {
        Ok(b) => b,
        Err(e) => {
            let error = format!("cannot read: {e}");
            let outcome = Outcome {
                errors: vec![(
                    location.clone(),
                    newsloom_ingest::readers::ReadError::Invalid(error.clone()),
                )],
                ..Outcome::default()
            };
            let record = DocumentRecord {
                location,
                source_root,
                format: None,
                content_hash: ContentHash::of(&[]),
                size: 0,
                outcome: DocumentOutcome::Failed { error },
            };
            return Read::Parsed { record, outcome };
        }
    };
    let content_hash = ContentHash::of(&bytes);
    if known
        .get(&location)
        .is_some_and(|(h, _)| *h == content_hash)
    {
        return Read::Unchanged { location };
    }
    let outcome = read_bytes(&bytes, &input.path.display().to_string());
    let record = DocumentRecord {
        location,
        source_root,
        format: outcome.articles.first().map(|a| a.source.format),
        content_hash,
        size: bytes.len() as u64,
        outcome: document_outcome(&outcome),
    };
    Read::Parsed { record, outcome }
}

fn document_outcome(outcome: &Outcome) -> DocumentOutcome {
    if !outcome.articles.is_empty() {
        DocumentOutcome::Parsed {
            article_ids: outcome.articles.iter().map(|a| a.id.clone()).collect(),
        }
    } else if let Some(reason) = &outcome.skipped {
        DocumentOutcome::Skipped {
            reason: reason.clone(),
        }
    } else {
        let error = outcome
            .errors
            .first()
            .map(|(_, e)| e.to_string())
            .unwrap_or_else(|| "no article".into());
        DocumentOutcome::Failed { error }
    }
}

/// Turns one chunk's reads into one transaction's worth of writes, counting as it goes.
fn batch_of(reads: Vec<Read>, report: &mut DigestReport) -> Batch {
    let mut batch = Batch::default();
    for read in reads {
        match read {
            Read::Unchanged { location } => {
                report.unchanged += 1;
                report.summary.documents += 1;
                batch.unchanged_documents.push(location);
            }
            Read::Parsed {
                record,
                mut outcome,
            } => {
                report.parsed += 1;
                let articles = std::mem::take(&mut outcome.articles);
                report.summary.absorb(record.size, articles.len(), outcome);
                // Two documents may carry the same article (a mirror and a feed): the batch
                // holds it once, the store links both documents to it.
                for article in articles {
                    if !batch.articles.iter().any(|a: &Article| a.id == article.id) {
                        batch.articles.push(article);
                    }
                }
                batch.documents.push(record);
            }
        }
    }
    batch
}

fn cluster_phase(
    store: &mut Store,
    options: &DigestOptions,
    report: &mut DigestReport,
) -> Result<(), DigestError> {
    let rebuild = rebuild_reason(store)?;
    let pending = if let Some(reason) = rebuild {
        let all = store.all_articles()?;
        tracing::warn!(
            articles = all.len(),
            "{reason}; analyzing and clustering every stored article again"
        );
        all
    } else {
        store.unclustered_articles()?
    };
    if pending.is_empty() {
        return Ok(());
    }
    // New articles teach new name variants (`蒲亭（Vladimir Putin）`) before they are matched.
    // A rebuild sees every article again, so it mines from scratch.
    let rebuild = rebuild.is_some();
    let mined = if rebuild {
        MinedAliases::default()
    } else {
        load_mined(store)?
    };
    let mut miner = AliasMiner::resume(mined);
    for article in &pending {
        miner.observe(article);
    }
    let mined = miner.finish();
    let layer = TextLayer::new(options.aliases.clone().with_mined(mined.clone()));
    let text = &layer;
    let mut clusterer = if rebuild {
        Clusterer::new(options.cluster.clone())
    } else {
        load_clusterer(store, &options.cluster)?
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build()?;
    let started = std::time::Instant::now();
    let mut merges = Vec::new();
    let mut fingerprints = Vec::with_capacity(pending.len());
    // Of each analysis only the entities are stored (as mentions); the rest is dropped as
    // soon as the features are taken from it.
    let mut entities: Vec<(String, Vec<Entity>)> = Vec::with_capacity(pending.len());
    pool.install(|| {
        newsloom_cluster::cluster_in_chunks(
            &mut clusterer,
            &pending,
            |a| {
                let analysis = text.analyze(a);
                let features = ArticleFeatures::from_analysis(text, a, &analysis);
                (features, analysis.entities)
            },
            |placed| {
                fingerprints.push(fingerprint_record(
                    placed.features,
                    placed.signature.as_deref(),
                    &options.cluster,
                ));
                let assignment = &placed.assignment;
                merges.extend(assignment.merged_stories.iter().map(|from| StoryMerge {
                    from: from.clone(),
                    into: assignment.story.clone(),
                }));
                entities.push((placed.item.id.clone(), placed.extra));
            },
        )
    });
    report.clustered = pending.len();
    tracing::info!(
        articles = pending.len(),
        seconds = started.elapsed().as_secs_f64(),
        "analyzed and clustered"
    );
    let finished = clusterer.take_finished();
    let live = clusterer.snapshot();
    let state = to_blob(&clusterer, STATE_VERSION)?;
    let mut batch = Batch {
        clusters: Some(ClusterUpdate {
            replace_all: rebuild,
            ..cluster_update(&finished, &live, merges, state)
        }),
        fingerprints,
        blobs: vec![
            (
                MINED_ALIASES_KEY.to_string(),
                to_blob(&mined, MINED_ALIASES_VERSION)?,
            ),
            (
                ANALYSIS_KEY.to_string(),
                to_blob(&ANALYSIS_VERSION, ANALYSIS_VERSION)?,
            ),
        ],
        ..Batch::default()
    };
    add_duplicates(&mut batch, &finished);
    add_mentions(&mut batch, &entities);
    let started = std::time::Instant::now();
    store.put_batch(&batch)?;
    tracing::info!(seconds = started.elapsed().as_secs_f64(), "clusters stored");
    Ok(())
}

/// The version recorded under `key` by the release that did that job on the store last.
fn recorded_version(store: &Store, key: &str) -> Result<Option<u32>, DigestError> {
    Ok(store.load_blob(key)?.map(|b| b.version))
}

/// Key of the text-layer version ([`ANALYSIS_VERSION`]) that read the stored articles.
const ANALYSIS_KEY: &str = "text_analysis";

/// Why the derived data of the store (events, stories, entity mentions, duplicates) must be
/// made again from its stored articles, if it must: it is derived data, so a release that
/// reads or clusters articles differently places every stored article again rather than
/// refusing the store or mixing two readings in it.
fn rebuild_reason(store: &Store) -> Result<Option<&'static str>, DigestError> {
    let Some((format, version)) = store.cluster_state_version()? else {
        return Ok(None); // nothing clustered yet
    };
    if format == STATE_KEY_FORMAT && version != STATE_VERSION {
        return Ok(Some(
            "the saved clusterer state is from another version of newsloom",
        ));
    }
    // Stores from before the version was recorded were read by an older text layer too.
    if recorded_version(store, ANALYSIS_KEY)? != Some(ANALYSIS_VERSION) {
        return Ok(Some(
            "the stored articles were read by another version of the text layer",
        ));
    }
    Ok(None)
}

/// The matching forms and MinHash signature of an article, named by the scheme that made
/// them so signatures of different settings are never compared.
fn fingerprint_record(
    features: &ArticleFeatures,
    signature: Option<&[u32]>,
    config: &Config,
) -> FingerprintRecord {
    let d = &config.dedup;
    FingerprintRecord {
        article_id: features.id.clone(),
        scheme: format!(
            "minhash{}-c{}-b{}r{}-s{}-v1",
            d.num_perm, d.shingle, d.bands, d.rows, d.seed
        ),
        matching_title: features.title_form.clone(),
        matching_text: features.blocks.join("\n"),
        minhash: signature
            .map(|s| s.iter().map(|&v| u64::from(v)).collect())
            .unwrap_or_default(),
    }
}

/// Key of the mined name variants in the store.
pub const MINED_ALIASES_KEY: &str = "mined_aliases";
const MINED_ALIASES_VERSION: u32 = 1;

/// The name variants mined so far (empty in a new store).
pub fn load_mined(store: &Store) -> Result<MinedAliases, DigestError> {
    let blob = store.load_blob(MINED_ALIASES_KEY)?;
    Ok(from_blob(blob, MINED_ALIASES_VERSION, "mined aliases")?.unwrap_or_default())
}

fn load_clusterer(store: &Store, config: &Config) -> Result<Clusterer, DigestError> {
    let blob = store.load_cluster_state()?;
    Ok(from_blob(blob, STATE_VERSION, "clusterer state")?
        .unwrap_or_else(|| Clusterer::new(config.clone())))
}

/// A state value as a versioned JSON blob for the store's `kv` table.
fn to_blob(value: &impl serde::Serialize, version: u32) -> Result<ClusterState, DigestError> {
    let data = serde_json::to_vec(value).map_err(|e| DigestError::State(e.to_string()))?;
    Ok(ClusterState {
        format: STATE_KEY_FORMAT.into(),
        version,
        data,
    })
}

/// Reads a blob written by [`to_blob`]; one of another format or version is refused.
fn from_blob<T: serde::de::DeserializeOwned>(
    blob: Option<ClusterState>,
    version: u32,
    what: &str,
) -> Result<Option<T>, DigestError> {
    match blob {
        None => Ok(None),
        Some(b) if b.version == version && b.format == STATE_KEY_FORMAT => {
            serde_json::from_slice(&b.data)
                .map(Some)
                .map_err(|e| DigestError::State(format!("{what}: {e}")))
        }
        Some(b) => Err(DigestError::State(format!(
            "{what}: format {} version {}",
            b.format, b.version
        ))),
    }
}

/// Events and stories that changed: the finished ones (now forgotten by the clusterer) and
/// every live one; merged-away stories are recorded so their ids keep resolving.
fn cluster_update(
    finished: &Clusters,
    live: &Clusters,
    merges: Vec<StoryMerge>,
    state: ClusterState,
) -> ClusterUpdate {
    let mut stories = BTreeMap::new();
    let mut events = BTreeMap::new();
    for c in [finished, live] {
        for s in &c.stories {
            stories.insert(
                s.id.clone(),
                StoryRecord {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    title_article_id: None,
                },
            );
        }
        for e in &c.events {
            events.insert(
                e.id.clone(),
                EventRecord {
                    id: e.id.clone(),
                    story_id: e.story.clone(),
                    title: e.title.clone(),
                    title_article_id: None,
                    article_ids: e.articles.clone(),
                },
            );
        }
    }
    let merges: Vec<StoryMerge> = merges
        .into_iter()
        .filter(|m| m.from != m.into && !stories.contains_key(&m.from))
        .collect();
    ClusterUpdate {
        replace_all: false,
        stories: stories.into_values().collect(),
        events: events.into_values().collect(),
        removed_events: Vec::new(),
        merges,
        removed_stories: Vec::new(),
        state: Some(state),
    }
}

/// Adds the clusterer's duplicate links and reused passages to a store batch, in the store's
/// shapes (one place converts them, for digest and for anyone building a store by hand).
pub fn add_duplicates(batch: &mut Batch, clusters: &Clusters) {
    for d in &clusters.duplicates {
        let kind = match d.of.kind {
            newsloom_cluster::DupKind::Exact => DuplicateKind::Exact,
            newsloom_cluster::DupKind::Near => DuplicateKind::Near,
        };
        batch.near_duplicates.push(NearDuplicate {
            article_a: d.of.of.clone(),
            article_b: d.article.clone(),
            kind,
            similarity: f64::from(d.of.similarity),
        });
    }
    for p in &clusters.passages {
        let n = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        batch.passages.push(PassageReuse {
            article_a: p.earlier.article.clone(),
            block_a: n(p.earlier.block),
            start_a: n(p.earlier.start),
            end_a: n(p.earlier.end),
            article_b: p.later.article.clone(),
            block_b: n(p.later.block),
            start_b: n(p.later.start),
            end_b: n(p.later.end),
            chars: n(p.chars),
            similarity: 1.0,
        });
    }
}

/// Entities and which surface forms each article uses: the store's alias listing counts them.
fn add_mentions(batch: &mut Batch, articles: &[(String, Vec<Entity>)]) {
    let mut entities: BTreeMap<String, EntityRecord> = BTreeMap::new();
    for (article_id, found) in articles {
        for entity in found {
            let record = entities
                .entry(entity.id.clone())
                .or_insert_with(|| EntityRecord {
                    id: entity.id.clone(),
                    kind: entity.kind.as_str().to_string(),
                    name: entity
                        .id
                        .split_once(':')
                        .map_or(entity.id.as_str(), |(_, n)| n)
                        .to_string(),
                    aliases: Vec::new(),
                });
            for name in &entity.names {
                if !record.aliases.contains(name) {
                    record.aliases.push(name.clone());
                }
                batch.mentions.push(MentionRecord {
                    article_id: article_id.clone(),
                    entity_id: entity.id.clone(),
                    alias: name.clone(),
                    count: 1,
                });
            }
        }
    }
    batch.entities = entities.into_values().collect();
}
