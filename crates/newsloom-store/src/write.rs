//! Writes: runs, ingest batches, cluster updates. Each public write is one transaction.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use newsloom_model::{Article, Format, Source};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use crate::error::{Result, StoreError};
use crate::types::*;
use crate::{Store, now};

/// Key of the clusterer state in the `kv` table.
pub(crate) const CLUSTER_STATE_KEY: &str = "cluster_state";

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Everything a write helper needs besides the transaction.
struct Ctx<'a> {
    path: &'a Path,
    run: Option<i64>,
    now: String,
}

impl Ctx<'_> {
    fn err(&self, context: impl Into<String>) -> impl FnOnce(rusqlite::Error) -> StoreError + '_ {
        let context = context.into();
        move |e| StoreError::sqlite(self.path, context, e)
    }
    fn invalid(&self, reason: impl Into<String>) -> StoreError {
        StoreError::InvalidBatch {
            path: self.path.to_path_buf(),
            reason: reason.into(),
        }
    }
}

impl Store {
    fn begin(&mut self, what: &'static str) -> Result<(Transaction<'_>, Ctx<'_>)> {
        self.require_writer(what)?;
        let path = self.path.as_path();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| {
                StoreError::sqlite(path, format!("starting a transaction to {what}"), e)
            })?;
        Ok((
            tx,
            Ctx {
                path,
                run: self.run.map(|r| r.0),
                now: now(),
            },
        ))
    }

    /// Records the start of a run and registers its input roots as sources. Later batches
    /// are attributed to this run until [`Store::finish_run`] or [`Store::fail_run`].
    pub fn begin_run(&mut self, info: &RunInfo) -> Result<RunId, StoreError> {
        let (tx, ctx) = self.begin("begin a run")?;
        tx.execute(
            "INSERT INTO runs (started_at, status, pid, command) VALUES (?1, 'running', ?2, ?3)",
            params![ctx.now, std::process::id(), info.command],
        )
        .map_err(ctx.err("recording the run start"))?;
        let run = tx.last_insert_rowid();
        let ctx = Ctx {
            run: Some(run),
            ..ctx
        };
        for root in &info.roots {
            upsert_source(&tx, &ctx, root)?;
        }
        tx.commit().map_err(ctx.err("committing the run start"))?;
        self.run = Some(RunId(run));
        Ok(RunId(run))
    }

    /// Marks the current run completed with its document counters.
    pub fn finish_run(&mut self, counts: &RunCounts) -> Result<RunRecord, StoreError> {
        self.end_run(counts, RunStatus::Completed, None)
    }

    /// Marks the current run failed (the batches it committed stay).
    pub fn fail_run(&mut self, counts: &RunCounts, message: &str) -> Result<RunRecord, StoreError> {
        self.end_run(counts, RunStatus::Failed, Some(message))
    }

    fn end_run(
        &mut self,
        counts: &RunCounts,
        status: RunStatus,
        message: Option<&str>,
    ) -> Result<RunRecord> {
        let Some(run) = self.run else {
            return Err(StoreError::InvalidBatch {
                path: self.path.clone(),
                reason: "no run was begun".into(),
            });
        };
        let (tx, ctx) = self.begin("finish a run")?;
        tx.execute(
            "UPDATE runs SET finished_at = ?2, status = ?3, read = ?4, skipped = ?5, failed = ?6,
             parsed = ?7, unchanged = ?8, message = ?9 WHERE id = ?1",
            params![
                run.0,
                ctx.now,
                status.as_str(),
                to_i64(counts.read),
                to_i64(counts.skipped),
                to_i64(counts.failed),
                to_i64(counts.parsed),
                to_i64(counts.unchanged),
                message
            ],
        )
        .map_err(ctx.err("recording the run end"))?;
        tx.commit().map_err(ctx.err("committing the run end"))?;
        self.run = None;
        self.run_record(run)?
            .ok_or_else(|| StoreError::InvalidData {
                path: self.path.clone(),
                what: format!("run {}", run.0),
                reason: "vanished after finishing".into(),
            })
    }

    /// Runs still `running` when a writer opens the store belong to processes that died.
    pub(crate) fn mark_interrupted_runs(&mut self) -> Result<()> {
        let (tx, ctx) = self.begin("mark interrupted runs")?;
        tx.execute(
            "UPDATE runs SET status = 'interrupted', finished_at = ?1 WHERE status = 'running'",
            params![ctx.now],
        )
        .map_err(ctx.err("marking interrupted runs"))?;
        tx.commit().map_err(ctx.err("committing interrupted runs"))
    }

    /// Writes one ingest batch in one transaction (see [`Batch`] for the rules). On any
    /// error nothing of the batch is written.
    pub fn put_batch(&mut self, batch: &Batch) -> Result<BatchOutcome, StoreError> {
        let (tx, ctx) = self.begin("write a batch")?;
        let outcome = write_batch(&tx, &ctx, batch)?;
        tx.commit().map_err(ctx.err("committing the batch"))?;
        Ok(outcome)
    }

    /// Applies a cluster update (events, stories, merges, clusterer state) in one transaction.
    pub fn put_clusters(&mut self, update: &ClusterUpdate) -> Result<(), StoreError> {
        let (tx, ctx) = self.begin("write clusters")?;
        write_clusters(&tx, &ctx, update, &BTreeSet::new())?;
        tx.commit()
            .map_err(ctx.err("committing the cluster update"))
    }

    /// Saves the clusterer state alone (prefer passing it in [`ClusterUpdate::state`] so it
    /// stays in step with the events and stories tables).
    pub fn save_cluster_state(&mut self, state: &ClusterState) -> Result<(), StoreError> {
        let (tx, ctx) = self.begin("save the cluster state")?;
        save_state(&tx, &ctx, state)?;
        tx.commit().map_err(ctx.err("committing the cluster state"))
    }
}

fn upsert_source(tx: &Connection, ctx: &Ctx, root: &str) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO sources (root, first_run, last_run, first_seen, last_seen) VALUES (?1, ?2, ?2, ?3, ?3)
         ON CONFLICT (root) DO UPDATE SET last_run = excluded.last_run, last_seen = excluded.last_seen",
    )
    .and_then(|mut s| s.execute(params![root, ctx.run, ctx.now]))
    .map_err(ctx.err(format!("recording source {root}")))?;
    tx.prepare_cached("SELECT id FROM sources WHERE root = ?1")
        .and_then(|mut s| s.query_row([root], |r| r.get(0)))
        .map_err(ctx.err(format!("looking up source {root}")))
}

fn write_batch(tx: &Connection, ctx: &Ctx, batch: &Batch) -> Result<BatchOutcome> {
    let mut outcome = BatchOutcome::default();
    if batch.clusters.as_ref().is_some_and(|u| u.replace_all) {
        // A rebuild read every stored article again: what the previous reading derived goes,
        // or mentions and duplicates that the new reading no longer finds would linger.
        tx.execute_batch(
            "DELETE FROM article_mentions; DELETE FROM entity_aliases; DELETE FROM entities;
             DELETE FROM near_duplicates; DELETE FROM passage_reuse;",
        )
        .map_err(ctx.err("clearing the previous reading of the articles"))?;
    }
    for entity in &batch.entities {
        put_entity(tx, ctx, entity)?;
    }
    // Articles whose content changed: their derived rows are stale.
    let mut revised = BTreeSet::new();
    for article in &batch.articles {
        match put_article(tx, ctx, article)? {
            ArticleChange::New => outcome.new_articles += 1,
            ArticleChange::Revised => {
                outcome.revised_articles += 1;
                revised.insert(article.id.clone());
            }
            ArticleChange::Same => outcome.unchanged_articles += 1,
        }
    }
    for id in &revised {
        clear_derived(tx, ctx, id)?;
    }
    for doc in &batch.documents {
        put_document(tx, ctx, doc)?;
    }
    outcome.documents = batch.documents.len();
    for location in &batch.unchanged_documents {
        tx.prepare_cached("UPDATE documents SET last_run = ?2, last_seen = ?3 WHERE location = ?1")
            .and_then(|mut s| s.execute(params![location, ctx.run, ctx.now]))
            .map_err(ctx.err(format!("touching document {location}")))?;
    }
    for fp in &batch.fingerprints {
        put_fingerprint(tx, ctx, fp)?;
    }
    for (key, blob) in &batch.blobs {
        save_blob(tx, ctx, key, blob)?;
    }
    put_mentions(tx, ctx, &batch.mentions)?;
    for dup in &batch.near_duplicates {
        put_near_duplicate(tx, ctx, dup)?;
    }
    for p in &batch.passages {
        put_passage(tx, ctx, p)?;
    }
    if let Some(update) = &batch.clusters {
        write_clusters(tx, ctx, update, &revised)?;
    } else if !revised.is_empty() {
        refresh_spans_of_articles(tx, ctx, &revised)?;
    }
    if let Some(run) = ctx.run {
        tx.prepare_cached(
            "UPDATE runs SET batches = batches + 1, new_articles = new_articles + ?2,
             revised_articles = revised_articles + ?3 WHERE id = ?1",
        )
        .and_then(|mut s| {
            s.execute(params![
                run,
                to_i64(outcome.new_articles as u64),
                to_i64(outcome.revised_articles as u64)
            ])
        })
        .map_err(ctx.err("counting the batch in the run"))?;
    }
    Ok(outcome)
}

enum ArticleChange {
    New,
    Revised,
    Same,
}

/// BLAKE3 of the article JSON without `source`: reading the same text through another
/// mirror or feed is not a change.
///
/// The source is blanked to a fixed value rather than skipped so that fields the model
/// gains later are covered automatically. Changing this function changes every hash and
/// would record a spurious revision of every article: treat it as part of the schema.
fn content_hash(ctx: &Ctx, article: &Article) -> Result<[u8; 32]> {
    let blank = Article {
        source: Source {
            path: String::new(),
            format: Format::Jsonl,
        },
        ..article.clone()
    };
    let mut hasher = blake3::Hasher::new();
    serde_json::to_writer(&mut hasher, &blank)
        .map_err(|e| ctx.invalid(format!("article {}: {e}", article.id)))?;
    Ok(*hasher.finalize().as_bytes())
}

/// Whether `article`, read from a feed item, differs from the stored revision `head_json`
/// only because that revision was read from the article's page: the feed's text (a summary,
/// an earlier state, other markup) is no revision of the page's. Without this, a feed
/// re-read because it gained items would replace the text of every page-read article it
/// carries, and reading both again would revise each twice per run.
fn feed_item_under_page(article: &Article, head_json: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Head {
        source: Source,
    }
    article.source.format.is_feed_item()
        && serde_json::from_str::<Head>(head_json).is_ok_and(|head| {
            !head.source.format.is_feed_item() && head.source.path != article.source.path
        })
}

fn put_article(tx: &Connection, ctx: &Ctx, article: &Article) -> Result<ArticleChange> {
    if article.id.is_empty() {
        return Err(ctx.invalid(format!(
            "an article from {} has an empty id",
            article.source.path
        )));
    }
    let hash = content_hash(ctx, article)?;
    let head: Option<(i64, Vec<u8>, String)> = tx
        .prepare_cached(
            "SELECT a.revision, r.content_hash, r.json FROM articles a
             JOIN article_revisions r ON r.article_id = a.id AND r.revision = a.revision WHERE a.id = ?1",
        )
        .and_then(|mut s| {
            s.query_row([&article.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()
        })
        .map_err(ctx.err(format!("looking up article {}", article.id)))?;
    let (revision, change) = match head {
        Some((_, ref old, ref json))
            if old.as_slice() == hash.as_slice() || feed_item_under_page(article, json) =>
        {
            tx.prepare_cached("UPDATE articles SET last_run = ?2 WHERE id = ?1")
                .and_then(|mut s| s.execute(params![article.id, ctx.run]))
                .map_err(ctx.err(format!("touching article {}", article.id)))?;
            return Ok(ArticleChange::Same);
        }
        Some((rev, _, _)) => (rev + 1, ArticleChange::Revised),
        None => (1, ArticleChange::New),
    };
    let json = serde_json::to_string(article)
        .map_err(|e| ctx.invalid(format!("article {}: {e}", article.id)))?;
    let published = article
        .published
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
    let published_utc = article.published.map(|t| t.timestamp());
    tx.prepare_cached(
        "INSERT INTO articles (id, revision, outlet_id, outlet, url, published, published_utc, title,
                               script, language, first_run, last_run, first_seen, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?12)
         ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, outlet_id = excluded.outlet_id,
             outlet = excluded.outlet, url = excluded.url, published = excluded.published,
             published_utc = excluded.published_utc, title = excluded.title, script = excluded.script,
             language = excluded.language, last_run = excluded.last_run, updated_at = excluded.updated_at",
    )
    .and_then(|mut s| {
        s.execute(params![
            article.id,
            revision,
            article.outlet_id,
            article.outlet,
            article.url,
            published,
            published_utc,
            article.title,
            script_str(article),
            article.language,
            ctx.run,
            ctx.now
        ])
    })
    .map_err(ctx.err(format!("writing article {}", article.id)))?;
    tx.prepare_cached(
        "INSERT INTO article_revisions (article_id, revision, content_hash, json, document, run_id, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .and_then(|mut s| {
        s.execute(params![article.id, revision, hash.as_slice(), json, article.source.path, ctx.run, ctx.now])
    })
    .map_err(ctx.err(format!("writing revision {revision} of article {}", article.id)))?;
    Ok(change)
}

fn script_str(article: &Article) -> String {
    serde_json::to_value(article.script)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Drops what was computed from an older revision of the article.
fn clear_derived(tx: &Connection, ctx: &Ctx, id: &str) -> Result<()> {
    for sql in [
        "DELETE FROM fingerprints WHERE article_id = ?1",
        "DELETE FROM article_mentions WHERE article_id = ?1",
        "DELETE FROM near_duplicates WHERE article_a = ?1 OR article_b = ?1",
        "DELETE FROM passage_reuse WHERE article_a = ?1 OR article_b = ?1",
    ] {
        tx.prepare_cached(sql)
            .and_then(|mut s| s.execute([id]))
            .map_err(ctx.err(format!("clearing stale derived data of article {id}")))?;
    }
    Ok(())
}

fn put_document(tx: &Connection, ctx: &Ctx, doc: &DocumentRecord) -> Result<()> {
    let source_id = match &doc.source_root {
        Some(root) => Some(upsert_source(tx, ctx, root)?),
        None => None,
    };
    let (detail, article_ids): (Option<&str>, &[String]) = match &doc.outcome {
        DocumentOutcome::Parsed { article_ids } => (None, article_ids),
        DocumentOutcome::Skipped { reason } => (Some(reason), &[]),
        DocumentOutcome::Failed { error } => (Some(error), &[]),
    };
    let err = || ctx.err(format!("writing document {}", doc.location));
    tx.prepare_cached(
        "INSERT INTO documents (location, source_id, format, content_hash, size, outcome, detail,
                                revision, first_run, last_run, first_seen, last_seen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?8, ?9, ?9)
         ON CONFLICT (location) DO UPDATE SET
             source_id = coalesce(excluded.source_id, documents.source_id), format = excluded.format,
             revision = documents.revision + (documents.content_hash IS NOT excluded.content_hash),
             content_hash = excluded.content_hash, size = excluded.size, outcome = excluded.outcome,
             detail = excluded.detail, last_run = excluded.last_run, last_seen = excluded.last_seen",
    )
    .and_then(|mut s| {
        s.execute(params![
            doc.location,
            source_id,
            doc.format.map(|f| f.as_str()),
            doc.content_hash.0.as_slice(),
            to_i64(doc.size),
            doc.outcome.kind().as_str(),
            detail,
            ctx.run,
            ctx.now
        ])
    })
    .map_err(err())?;
    let doc_id: i64 = tx
        .prepare_cached("SELECT id FROM documents WHERE location = ?1")
        .and_then(|mut s| s.query_row([&doc.location], |r| r.get(0)))
        .map_err(err())?;
    tx.prepare_cached("DELETE FROM document_articles WHERE document_id = ?1")
        .and_then(|mut s| s.execute([doc_id]))
        .map_err(err())?;
    for id in article_ids {
        let revision: Option<i64> = tx
            .prepare_cached("SELECT revision FROM articles WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
            .map_err(err())?;
        let Some(revision) = revision else {
            return Err(ctx.invalid(format!(
                "document {} names article {id}, which is neither in the batch nor stored",
                doc.location
            )));
        };
        tx.prepare_cached(
            "INSERT OR REPLACE INTO document_articles (document_id, article_id, article_revision) VALUES (?1, ?2, ?3)",
        )
        .and_then(|mut s| s.execute(params![doc_id, id, revision]))
        .map_err(err())?;
    }
    Ok(())
}

fn put_entity(tx: &Connection, ctx: &Ctx, e: &EntityRecord) -> Result<()> {
    let err = || ctx.err(format!("writing entity {}", e.id));
    tx.prepare_cached(
        "INSERT INTO entities (id, kind, name) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name",
    )
    .and_then(|mut s| s.execute(params![e.id, e.kind, e.name]))
    .map_err(err())?;
    for alias in &e.aliases {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?1, ?2)",
        )
        .and_then(|mut s| s.execute(params![e.id, alias]))
        .map_err(err())?;
    }
    Ok(())
}

fn put_fingerprint(tx: &Connection, ctx: &Ctx, fp: &FingerprintRecord) -> Result<()> {
    let blob: Vec<u8> = fp.minhash.iter().flat_map(|h| h.to_le_bytes()).collect();
    tx.prepare_cached(
        "INSERT OR REPLACE INTO fingerprints (article_id, revision, scheme, matching_title, matching_text, minhash)
         SELECT id, revision, ?2, ?3, ?4, ?5 FROM articles WHERE id = ?1",
    )
    .and_then(|mut s| s.execute(params![fp.article_id, fp.scheme, fp.matching_title, fp.matching_text, blob]))
    .map_err(ctx.err(format!("writing the fingerprint of article {}", fp.article_id)))
    .and_then(|n| match n {
        0 => Err(ctx.invalid(format!("fingerprint for unknown article {}", fp.article_id))),
        _ => Ok(()),
    })
}

fn put_mentions(tx: &Connection, ctx: &Ctx, mentions: &[MentionRecord]) -> Result<()> {
    // Mentions supplied for an article replace its stored ones.
    let articles: BTreeSet<&str> = mentions.iter().map(|m| m.article_id.as_str()).collect();
    for id in articles {
        tx.prepare_cached("DELETE FROM article_mentions WHERE article_id = ?1")
            .and_then(|mut s| s.execute([id]))
            .map_err(ctx.err(format!("replacing mentions of article {id}")))?;
    }
    for m in mentions {
        tx.prepare_cached(
            "INSERT INTO article_mentions (article_id, entity_id, alias, count) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO UPDATE SET count = count + excluded.count",
        )
        .and_then(|mut s| s.execute(params![m.article_id, m.entity_id, m.alias, m.count]))
        .map_err(ctx.err(format!("writing mention of {} in article {}", m.entity_id, m.article_id)))?;
    }
    Ok(())
}

fn put_near_duplicate(tx: &Connection, ctx: &Ctx, d: &NearDuplicate) -> Result<()> {
    if d.article_a == d.article_b {
        return Err(ctx.invalid(format!(
            "article {} linked as its own duplicate",
            d.article_a
        )));
    }
    let (a, b) = if d.article_a < d.article_b {
        (&d.article_a, &d.article_b)
    } else {
        (&d.article_b, &d.article_a)
    };
    tx.prepare_cached(
        "INSERT INTO near_duplicates (article_a, article_b, kind, similarity) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO UPDATE SET kind = excluded.kind, similarity = excluded.similarity",
    )
    .and_then(|mut s| s.execute(params![a, b, d.kind.as_str(), d.similarity]))
    .map_err(ctx.err(format!("writing duplicate link {a} ~ {b}")))?;
    Ok(())
}

fn put_passage(tx: &Connection, ctx: &Ctx, p: &PassageReuse) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO passage_reuse (article_a, block_a, start_a, end_a, article_b, block_b, start_b, end_b, chars, similarity)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT DO UPDATE SET end_a = excluded.end_a, end_b = excluded.end_b, chars = excluded.chars,
             similarity = excluded.similarity",
    )
    .and_then(|mut s| {
        s.execute(params![
            p.article_a, p.block_a, p.start_a, p.end_a, p.article_b, p.block_b, p.start_b, p.end_b, p.chars, p.similarity
        ])
    })
    .map_err(ctx.err(format!("writing passage reuse {} -> {}", p.article_a, p.article_b)))?;
    Ok(())
}

fn write_clusters(
    tx: &Connection,
    ctx: &Ctx,
    u: &ClusterUpdate,
    revised: &BTreeSet<String>,
) -> Result<()> {
    let mut touched: BTreeSet<String> = BTreeSet::new();
    if u.replace_all {
        tx.execute_batch("DELETE FROM event_articles; DELETE FROM events; DELETE FROM stories;")
            .map_err(ctx.err("clearing events and stories"))?;
    }
    for s in &u.stories {
        tx.prepare_cached(
            "INSERT INTO stories (id, title, title_article_id, created_run, updated_run) VALUES (?1, ?2, ?3, ?4, ?4)
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, title_article_id = excluded.title_article_id,
                 updated_run = excluded.updated_run",
        )
        .and_then(|mut st| st.execute(params![s.id, s.title, s.title_article_id, ctx.run]))
        .map_err(ctx.err(format!("writing story {}", s.id)))?;
        // A story id coming back to life is no longer a redirect.
        tx.prepare_cached("DELETE FROM story_redirects WHERE old_id = ?1")
            .and_then(|mut st| st.execute([&s.id]))
            .map_err(ctx.err(format!("writing story {}", s.id)))?;
        touched.insert(s.id.clone());
    }
    // An article is in one event: an event that took an article from another (the
    // clusterer split an event, or regrouped a split one) leaves that one without it, and
    // an event left with no article is gone.
    let mut vacated = BTreeSet::new();
    for e in &u.events {
        put_event(tx, ctx, e, &mut touched, &mut vacated)?;
    }
    let mut removed: Vec<String> = u.removed_events.clone();
    for id in vacated {
        let left: i64 = tx
            .prepare_cached("SELECT count(*) FROM event_articles WHERE event_id = ?1")
            .and_then(|mut st| st.query_row([&id], |r| r.get(0)))
            .map_err(ctx.err(format!("checking event {id}")))?;
        if left == 0 {
            removed.push(id);
        } else {
            let story: Option<String> = tx
                .prepare_cached("SELECT story_id FROM events WHERE id = ?1")
                .and_then(|mut st| st.query_row([&id], |r| r.get(0)).optional())
                .map_err(ctx.err(format!("checking event {id}")))?;
            touched.extend(story);
        }
    }
    for id in &removed {
        let story: Option<String> = tx
            .prepare_cached("DELETE FROM events WHERE id = ?1 RETURNING story_id")
            .and_then(|mut st| st.query_row([id], |r| r.get(0)).optional())
            .map_err(ctx.err(format!("removing event {id}")))?;
        touched.extend(story);
    }
    for (from, into) in merge_targets(ctx, &u.merges)? {
        let target = merge_story(tx, ctx, &from, &into)?;
        touched.remove(&from);
        touched.insert(target);
    }
    for id in &u.removed_stories {
        remove_story(tx, ctx, id)?;
        touched.remove(id);
    }
    if u.replace_all {
        let all: Vec<String> = collect_strings(tx, ctx, "SELECT id FROM stories", [])?;
        touched.extend(all);
    }
    for story in stories_of_articles(tx, ctx, revised)? {
        touched.insert(story);
    }
    refresh_spans(tx, ctx, &touched)?;
    if let Some(state) = &u.state {
        save_state(tx, ctx, state)?;
    }
    Ok(())
}

fn put_event(
    tx: &Connection,
    ctx: &Ctx,
    e: &EventRecord,
    touched: &mut BTreeSet<String>,
    vacated: &mut BTreeSet<String>,
) -> Result<()> {
    let err = || ctx.err(format!("writing event {}", e.id));
    let exists: Option<String> = tx
        .prepare_cached("SELECT id FROM stories WHERE id = ?1")
        .and_then(|mut st| st.query_row([&e.story_id], |r| r.get(0)).optional())
        .map_err(err())?;
    if exists.is_none() {
        return Err(ctx.invalid(format!(
            "event {} belongs to unknown story {}",
            e.id, e.story_id
        )));
    }
    let old_story: Option<String> = tx
        .prepare_cached("SELECT story_id FROM events WHERE id = ?1")
        .and_then(|mut st| st.query_row([&e.id], |r| r.get(0)).optional())
        .map_err(err())?;
    touched.extend(old_story);
    touched.insert(e.story_id.clone());
    tx.prepare_cached(
        "INSERT INTO events (id, story_id, title, title_article_id) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET story_id = excluded.story_id, title = excluded.title,
             title_article_id = excluded.title_article_id",
    )
    .and_then(|mut st| st.execute(params![e.id, e.story_id, e.title, e.title_article_id]))
    .map_err(err())?;
    tx.prepare_cached("DELETE FROM event_articles WHERE event_id = ?1")
        .and_then(|mut st| st.execute([&e.id]))
        .map_err(err())?;
    let mut seen = HashSet::new();
    for a in e.article_ids.iter().filter(|a| seen.insert(a.as_str())) {
        let left: Vec<String> = tx
            .prepare_cached(
                "DELETE FROM event_articles WHERE article_id = ?1 AND event_id <> ?2
                 RETURNING event_id",
            )
            .and_then(|mut st| {
                st.query_map(params![a, e.id], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<String>>>()
            })
            .map_err(err())?;
        vacated.extend(left);
        let n = tx
            .prepare_cached("INSERT INTO event_articles (event_id, article_id) SELECT ?1, id FROM articles WHERE id = ?2")
            .and_then(|mut st| st.execute(params![e.id, a]))
            .map_err(err())?;
        if n == 0 {
            return Err(ctx.invalid(format!("event {} names unknown article {a}", e.id)));
        }
    }
    Ok(())
}

/// Where each merged story ends up, following chains within one update (`a→b`, `b→c`
/// means `a→c`): an online clusterer may merge a story into one it merges away later.
fn merge_targets(ctx: &Ctx, merges: &[StoryMerge]) -> Result<Vec<(String, String)>> {
    let next: HashMap<&str, &str> = merges
        .iter()
        .map(|m| (m.from.as_str(), m.into.as_str()))
        .collect();
    let mut out = Vec::with_capacity(merges.len());
    for m in merges {
        let mut target = m.into.as_str();
        let mut hops = 0;
        while let Some(&n) = next.get(target) {
            target = n;
            hops += 1;
            if hops > merges.len() || target == m.from {
                return Err(ctx.invalid(format!("story merges form a cycle through {}", m.from)));
            }
        }
        if target == m.from {
            return Err(ctx.invalid(format!("story {} merged into itself", m.from)));
        }
        out.push((m.from.clone(), target.to_string()));
    }
    Ok(out)
}

/// Moves every event of `from` into `into`, removes `from` and keeps its id resolving.
/// `into` may itself be an id merged away in an earlier run: it is followed to its story.
fn merge_story(tx: &Connection, ctx: &Ctx, from: &str, into: &str) -> Result<String> {
    let err = || ctx.err(format!("merging story {from} into {into}"));
    let exists = |id: &str| -> Result<bool> {
        tx.prepare_cached("SELECT count(*) FROM stories WHERE id = ?1")
            .and_then(|mut st| st.query_row([id], |r| r.get::<_, i64>(0)))
            .map(|n| n > 0)
            .map_err(err())
    };
    let mut target = into.to_string();
    if !exists(&target)? {
        let redirected: Option<String> = tx
            .prepare_cached("SELECT new_id FROM story_redirects WHERE old_id = ?1")
            .and_then(|mut st| st.query_row([&target], |r| r.get(0)).optional())
            .map_err(err())?;
        match redirected {
            Some(t) if t != from && exists(&t)? => target = t,
            _ => {
                return Err(ctx.invalid(format!(
                    "story {from} cannot be merged into {into}: no such story"
                )));
            }
        }
    }
    tx.prepare_cached("UPDATE events SET story_id = ?2 WHERE story_id = ?1")
        .and_then(|mut st| st.execute(params![from, target]))
        .map_err(err())?;
    tx.prepare_cached("DELETE FROM stories WHERE id = ?1")
        .and_then(|mut st| st.execute([from]))
        .map_err(err())?;
    // Earlier redirects to `from` now point to the target.
    tx.prepare_cached("UPDATE story_redirects SET new_id = ?2 WHERE new_id = ?1")
        .and_then(|mut st| st.execute(params![from, target]))
        .map_err(err())?;
    tx.prepare_cached("INSERT OR REPLACE INTO story_redirects (old_id, new_id) VALUES (?1, ?2)")
        .and_then(|mut st| st.execute(params![from, target]))
        .map_err(err())?;
    Ok(target)
}

fn remove_story(tx: &Connection, ctx: &Ctx, id: &str) -> Result<()> {
    let err = || ctx.err(format!("removing story {id}"));
    tx.prepare_cached("DELETE FROM events WHERE story_id = ?1")
        .and_then(|mut st| st.execute([id]))
        .map_err(err())?;
    tx.prepare_cached("DELETE FROM stories WHERE id = ?1")
        .and_then(|mut st| st.execute([id]))
        .map_err(err())?;
    tx.prepare_cached("DELETE FROM story_redirects WHERE new_id = ?1")
        .and_then(|mut st| st.execute([id]))
        .map_err(err())?;
    Ok(())
}

fn collect_strings<P: rusqlite::Params>(
    tx: &Connection,
    ctx: &Ctx,
    sql: &str,
    p: P,
) -> Result<Vec<String>> {
    let mut stmt = tx.prepare_cached(sql).map_err(ctx.err("listing ids"))?;
    let rows = stmt
        .query_map(p, |r| r.get(0))
        .map_err(ctx.err("listing ids"))?;
    rows.collect::<rusqlite::Result<Vec<String>>>()
        .map_err(ctx.err("listing ids"))
}

fn stories_of_articles(
    tx: &Connection,
    ctx: &Ctx,
    articles: &BTreeSet<String>,
) -> Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    for a in articles {
        out.extend(collect_strings(
            tx,
            ctx,
            "SELECT DISTINCT e.story_id FROM event_articles ea JOIN events e ON e.id = ea.event_id WHERE ea.article_id = ?1",
            [a],
        )?);
    }
    Ok(out)
}

fn refresh_spans_of_articles(
    tx: &Connection,
    ctx: &Ctx,
    articles: &BTreeSet<String>,
) -> Result<()> {
    let stories = stories_of_articles(tx, ctx, articles)?;
    refresh_spans(tx, ctx, &stories)
}

/// Recomputes the derived time spans and counts of the given stories and their events.
fn refresh_spans(tx: &Connection, ctx: &Ctx, stories: &BTreeSet<String>) -> Result<()> {
    for id in stories {
        let err = || ctx.err(format!("updating the time span of story {id}"));
        tx.prepare_cached(
            "UPDATE events SET
                first_utc = (SELECT min(a.published_utc) FROM event_articles ea JOIN articles a ON a.id = ea.article_id WHERE ea.event_id = events.id),
                last_utc = (SELECT max(a.published_utc) FROM event_articles ea JOIN articles a ON a.id = ea.article_id WHERE ea.event_id = events.id),
                article_count = (SELECT count(*) FROM event_articles ea WHERE ea.event_id = events.id)
             WHERE story_id = ?1",
        )
        .and_then(|mut st| st.execute([id]))
        .map_err(err())?;
        tx.prepare_cached(
            "UPDATE stories SET (first_utc, last_utc, article_count, outlet_count, updated_run) =
                (SELECT min(a.published_utc), max(a.published_utc), count(DISTINCT a.id), count(DISTINCT a.outlet_id), ?2
                 FROM events e JOIN event_articles ea ON ea.event_id = e.id JOIN articles a ON a.id = ea.article_id
                 WHERE e.story_id = stories.id)
             WHERE id = ?1",
        )
        .and_then(|mut st| st.execute(params![id, ctx.run]))
        .map_err(err())?;
    }
    Ok(())
}

fn save_state(tx: &Connection, ctx: &Ctx, state: &ClusterState) -> Result<()> {
    save_blob(tx, ctx, CLUSTER_STATE_KEY, state)
}

fn save_blob(tx: &Connection, ctx: &Ctx, key: &str, state: &ClusterState) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO kv (key, format, version, value, run_id, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .and_then(|mut st| st.execute(params![key, state.format, state.version, state.data, ctx.run, ctx.now]))
    .map_err(ctx.err(format!("saving {key}")))?;
    Ok(())
}

pub(crate) fn load_state(conn: &Connection, path: &Path) -> Result<Option<ClusterState>> {
    load_blob(conn, path, CLUSTER_STATE_KEY)
}

/// The format and version of a blob without reading its value (which may be large).
pub(crate) fn blob_version(
    conn: &Connection,
    path: &Path,
    key: &str,
) -> Result<Option<(String, u32)>> {
    conn.prepare_cached("SELECT format, version FROM kv WHERE key = ?1")
        .and_then(|mut st| {
            st.query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        })
        .map_err(|e| StoreError::sqlite(path, format!("loading {key}"), e))
}

pub(crate) fn load_blob(conn: &Connection, path: &Path, key: &str) -> Result<Option<ClusterState>> {
    conn.prepare_cached("SELECT format, version, value FROM kv WHERE key = ?1")
        .and_then(|mut st| {
            st.query_row([key], |r| {
                Ok(ClusterState {
                    format: r.get(0)?,
                    version: r.get(1)?,
                    data: r.get(2)?,
                })
            })
            .optional()
        })
        .map_err(|e| StoreError::sqlite(path, format!("loading {key}"), e))
}
