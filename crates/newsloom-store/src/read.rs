//! Reads: document status for incremental runs, story listings and details, articles,
//! counts, run history. All work on writer and reader handles alike.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset};
use newsloom_model::{Article, Script};
use rusqlite::{OptionalExtension, Row, params};

use crate::error::{Result, StoreError};
use crate::types::*;
use crate::{Store, write};

/// One (story, event, article) membership row with what listings show.
struct Member {
    story_id: String,
    event_id: String,
    event_title: String,
    article: ArticleSummary,
    published_utc: Option<i64>,
}

const ARTICLE_SUMMARY_COLUMNS: &str = "a.id, a.outlet_id, a.outlet, a.title, a.url, a.published, a.script, a.language, a.revision, a.published_utc";

/// Story id → event id → sorted member article ids; see [`Store::cluster_membership`].
pub type ClusterMembership =
    std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<String>>>;

impl Store {
    fn sql_err(
        &self,
        context: impl Into<String>,
    ) -> impl FnOnce(rusqlite::Error) -> StoreError + '_ {
        let context = context.into();
        move |e| StoreError::sqlite(&self.path, context, e)
    }

    /// A read transaction, rolled back (nothing to undo) when dropped.
    fn snapshot(&self) -> Result<rusqlite::Transaction<'_>> {
        self.conn
            .unchecked_transaction()
            .map_err(|e| StoreError::sqlite(&self.path, "starting a read transaction", e))
    }

    fn invalid_data(&self, what: impl Into<String>, reason: impl ToString) -> StoreError {
        StoreError::InvalidData {
            path: self.path.clone(),
            what: what.into(),
            reason: reason.to_string(),
        }
    }

    /// Whether a document must be parsed: [`DocumentStatus::Unchanged`] when `location` was
    /// recorded with the same content hash, so `newsloom digest` can skip it.
    pub fn document_status(
        &self,
        location: &str,
        hash: &ContentHash,
    ) -> Result<DocumentStatus, StoreError> {
        let err = || self.sql_err(format!("looking up document {location}"));
        let row: Option<(i64, Vec<u8>, String)> = self
            .conn
            .prepare_cached("SELECT id, content_hash, outcome FROM documents WHERE location = ?1")
            .and_then(|mut s| {
                s.query_row([location], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()
            })
            .map_err(err())?;
        let Some((doc_id, stored, outcome)) = row else {
            return Ok(DocumentStatus::New);
        };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT article_id FROM document_articles WHERE document_id = ?1 ORDER BY article_id")
            .map_err(err())?;
        let article_ids = stmt
            .query_map([doc_id], |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>())
            .map_err(err())?;
        if ContentHash::from_slice(&stored).as_ref() == Some(hash) {
            let outcome = OutcomeKind::parse(&outcome).ok_or_else(|| {
                self.invalid_data(format!("outcome of document {location}"), &outcome)
            })?;
            Ok(DocumentStatus::Unchanged {
                outcome,
                article_ids,
            })
        } else {
            Ok(DocumentStatus::Changed { article_ids })
        }
    }

    /// Every recorded document location with its content hash and outcome, for checking
    /// many documents at once (e.g. from parallel readers) instead of calling
    /// [`Store::document_status`] per file.
    pub fn document_hashes(
        &self,
    ) -> Result<HashMap<String, (ContentHash, OutcomeKind)>, StoreError> {
        let err = || self.sql_err("listing document hashes");
        let mut stmt = self
            .conn
            .prepare_cached("SELECT location, content_hash, outcome FROM documents")
            .map_err(err())?;
        let rows: Vec<(String, Vec<u8>, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(|rows| rows.collect())
            .map_err(err())?;
        let mut out = HashMap::with_capacity(rows.len());
        for (location, hash, outcome) in rows {
            let hash = ContentHash::from_slice(&hash).ok_or_else(|| {
                self.invalid_data(format!("hash of document {location}"), "not 32 bytes")
            })?;
            let outcome = OutcomeKind::parse(&outcome).ok_or_else(|| {
                self.invalid_data(format!("outcome of document {location}"), &outcome)
            })?;
            out.insert(location, (hash, outcome));
        }
        Ok(out)
    }

    /// Stories matching `filter`, newest first (by their latest article), each with its
    /// outlets, time span, article count and event timeline.
    pub fn stories(&self, filter: &StoryFilter) -> Result<Vec<StorySummary>, StoreError> {
        // One read transaction: every query below sees the same committed state even while
        // a writer commits batches.
        let _snapshot = self.snapshot()?;
        let since = filter.since.map(|t| t.timestamp());
        let limit = filter
            .limit
            .map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
        let sql = format!(
            "WITH chosen AS (
                SELECT s.id, s.last_utc FROM stories s
                WHERE s.article_count > 0 AND (?1 IS NULL OR s.last_utc >= ?1)
                  AND (?2 IS NULL OR EXISTS (SELECT 1 FROM events se JOIN event_articles sa ON sa.event_id = se.id JOIN articles a ON a.id = sa.article_id
                                             WHERE se.story_id = s.id AND a.outlet_id = ?2))
                ORDER BY s.last_utc IS NULL, s.last_utc DESC, s.id LIMIT ?3)
             SELECT c.id, e.id, e.title, {ARTICLE_SUMMARY_COLUMNS}
             FROM chosen c JOIN events e ON e.story_id = c.id
             JOIN event_articles ea ON ea.event_id = e.id JOIN articles a ON a.id = ea.article_id"
        );
        let members = self.members(&sql, params![since, filter.outlet_id, limit])?;
        let titles = self.story_titles(since, filter.outlet_id.as_deref(), limit)?;
        let mut by_story: HashMap<&str, Vec<&Member>> = HashMap::new();
        for m in &members {
            by_story.entry(&m.story_id).or_default().push(m);
        }
        let mut out = Vec::with_capacity(titles.len());
        for (id, title) in titles {
            let ms = by_story.remove(id.as_str()).unwrap_or_default();
            let events = group_events(&ms)
                .into_iter()
                .map(|(eid, etitle, arts)| {
                    let (first, last) = span(&arts);
                    EventSummary {
                        id: eid,
                        title: etitle,
                        first_published: first,
                        last_published: last,
                        article_count: arts.len(),
                        outlets: outlet_ids(&arts),
                    }
                })
                .collect();
            let arts = distinct_articles(&ms);
            let (first, last) = span(&arts);
            out.push(StorySummary {
                id,
                title,
                outlets: outlet_refs(&arts),
                first_published: first,
                last_published: last,
                article_count: arts.len(),
                events,
            });
        }
        Ok(out)
    }

    fn story_titles(
        &self,
        since: Option<i64>,
        outlet: Option<&str>,
        limit: i64,
    ) -> Result<Vec<(String, String)>> {
        let err = || self.sql_err("listing stories");
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT s.id, s.title FROM stories s
                 WHERE s.article_count > 0 AND (?1 IS NULL OR s.last_utc >= ?1)
                   AND (?2 IS NULL OR EXISTS (SELECT 1 FROM events se JOIN event_articles sa ON sa.event_id = se.id JOIN articles a ON a.id = sa.article_id
                                              WHERE se.story_id = s.id AND a.outlet_id = ?2))
                 ORDER BY s.last_utc IS NULL, s.last_utc DESC, s.id LIMIT ?3",
            )
            .map_err(err())?;
        stmt.query_map(params![since, outlet, limit], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .and_then(|rows| rows.collect())
        .map_err(err())
    }

    fn members<P: rusqlite::Params>(&self, sql: &str, p: P) -> Result<Vec<Member>> {
        let err = || self.sql_err("reading story members");
        let mut stmt = self.conn.prepare_cached(sql).map_err(err())?;
        let rows = stmt
            .query_map(p, |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    raw_summary(r, 3)?,
                ))
            })
            .map_err(err())?;
        let mut out = Vec::new();
        for row in rows {
            let (story_id, event_id, event_title, raw) = row.map_err(err())?;
            let published_utc = raw.published_utc;
            out.push(Member {
                story_id,
                event_id,
                event_title,
                article: self.summary(raw)?,
                published_utc,
            });
        }
        Ok(out)
    }

    fn summary(&self, raw: RawSummary) -> Result<ArticleSummary> {
        let published = match raw.published {
            Some(p) => Some(DateTime::parse_from_rfc3339(&p).map_err(|e| {
                self.invalid_data(format!("publication time of article {}", raw.id), e)
            })?),
            None => None,
        };
        let script: Script = serde_json::from_value(serde_json::Value::String(raw.script.clone()))
            .map_err(|e| self.invalid_data(format!("script of article {}", raw.id), e))?;
        Ok(ArticleSummary {
            id: raw.id,
            outlet_id: raw.outlet_id,
            outlet: raw.outlet,
            title: raw.title,
            url: raw.url,
            published,
            script,
            language: raw.language,
            revision: u32::try_from(raw.revision).unwrap_or(0),
            duplicate_of: None,
        })
    }

    /// Resolves a story id, following merges.
    fn resolve_story(&self, id: &str) -> Result<Option<(String, String, Option<String>)>> {
        let err = || self.sql_err(format!("looking up story {id}"));
        let target: String = self
            .conn
            .prepare_cached("SELECT new_id FROM story_redirects WHERE old_id = ?1")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
            .map_err(err())?
            .unwrap_or_else(|| id.to_string());
        self.conn
            .prepare_cached("SELECT id, title, title_article_id FROM stories WHERE id = ?1")
            .and_then(|mut s| {
                s.query_row([&target], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .optional()
            })
            .map_err(err())
    }

    /// One story with its events (oldest first) and their articles, outlets, time span,
    /// duplicate links and reused passages. A merged story's old id resolves to the merged
    /// story. `None` for an unknown id.
    pub fn story(&self, id: &str) -> Result<Option<StoryDetail>, StoreError> {
        // One read transaction: every query below sees the same committed state even while
        // a writer commits batches.
        let _snapshot = self.snapshot()?;
        let Some((id, title, title_article_id)) = self.resolve_story(id)? else {
            return Ok(None);
        };
        let sql = format!(
            "SELECT e.story_id, e.id, e.title, {ARTICLE_SUMMARY_COLUMNS}
             FROM events e JOIN event_articles ea ON ea.event_id = e.id JOIN articles a ON a.id = ea.article_id
             WHERE e.story_id = ?1"
        );
        let members = self.members(&sql, [&id])?;
        let refs: Vec<&Member> = members.iter().collect();
        let near_duplicates = self.story_duplicates(&id)?;
        let passages = self.story_passages(&id)?;
        let duplicate_of = earlier_duplicates(&refs, &near_duplicates);
        let events: Vec<EventDetail> = group_events(&refs)
            .into_iter()
            .map(|(eid, etitle, arts)| {
                let (first, last) = span(&arts);
                let outlets = outlet_ids(&arts);
                let articles = arts
                    .into_iter()
                    .map(|a| ArticleSummary {
                        duplicate_of: duplicate_of.get(a.id.as_str()).cloned(),
                        ..a.clone()
                    })
                    .collect();
                EventDetail {
                    id: eid,
                    title: etitle,
                    first_published: first,
                    last_published: last,
                    outlets,
                    articles,
                }
            })
            .collect();
        let arts = distinct_articles(&refs);
        let (first, last) = span(&arts);
        Ok(Some(StoryDetail {
            id,
            title,
            title_article_id,
            outlets: outlet_refs(&arts),
            first_published: first,
            last_published: last,
            article_count: arts.len(),
            events,
            near_duplicates,
            passages,
        }))
    }

    fn story_duplicates(&self, story: &str) -> Result<Vec<NearDuplicate>> {
        let err = || self.sql_err(format!("reading duplicates of story {story}"));
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT d.article_a, d.article_b, d.kind, d.similarity FROM near_duplicates d
                 WHERE d.article_a IN (SELECT ea.article_id FROM events e JOIN event_articles ea ON ea.event_id = e.id WHERE e.story_id = ?1)
                   AND d.article_b IN (SELECT ea.article_id FROM events e JOIN event_articles ea ON ea.event_id = e.id WHERE e.story_id = ?1)
                 ORDER BY d.article_a, d.article_b",
            )
            .map_err(err())?;
        let rows: Vec<(String, String, String, f64)> = stmt
            .query_map([story], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .and_then(|rows| rows.collect())
            .map_err(err())?;
        rows.into_iter()
            .map(|(a, b, kind, similarity)| {
                let kind = DuplicateKind::parse(&kind)
                    .ok_or_else(|| self.invalid_data(format!("duplicate link {a} ~ {b}"), &kind))?;
                Ok(NearDuplicate {
                    article_a: a,
                    article_b: b,
                    kind,
                    similarity,
                })
            })
            .collect()
    }

    fn story_passages(&self, story: &str) -> Result<Vec<PassageReuse>> {
        let err = || self.sql_err(format!("reading passage reuse of story {story}"));
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT article_a, block_a, start_a, end_a, article_b, block_b, start_b, end_b, chars, similarity
                 FROM passage_reuse
                 WHERE article_a IN (SELECT ea.article_id FROM events e JOIN event_articles ea ON ea.event_id = e.id WHERE e.story_id = ?1)
                   AND article_b IN (SELECT ea.article_id FROM events e JOIN event_articles ea ON ea.event_id = e.id WHERE e.story_id = ?1)
                 ORDER BY article_a, block_a, start_a, article_b, block_b, start_b",
            )
            .map_err(err())?;
        stmt.query_map([story], |r| {
            Ok(PassageReuse {
                article_a: r.get(0)?,
                block_a: r.get(1)?,
                start_a: r.get(2)?,
                end_a: r.get(3)?,
                article_b: r.get(4)?,
                block_b: r.get(5)?,
                start_b: r.get(6)?,
                end_b: r.get(7)?,
                chars: r.get(8)?,
                similarity: r.get(9)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(err())
    }

    /// The full articles of a story (current revisions), oldest first. Empty for an
    /// unknown story.
    pub fn articles_of_story(&self, id: &str) -> Result<Vec<Article>, StoreError> {
        // One read transaction: every query below sees the same committed state even while
        // a writer commits batches.
        let _snapshot = self.snapshot()?;
        let Some((id, _, _)) = self.resolve_story(id)? else {
            return Ok(Vec::new());
        };
        let err = || self.sql_err(format!("reading the articles of story {id}"));
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT a.id, r.json FROM articles a
                 JOIN article_revisions r ON r.article_id = a.id AND r.revision = a.revision
                 WHERE a.id IN (SELECT ea.article_id FROM events e JOIN event_articles ea ON ea.event_id = e.id
                                WHERE e.story_id = ?1)
                 ORDER BY a.published_utc IS NULL, a.published_utc, a.id",
            )
            .map_err(err())?;
        let rows: Vec<(String, String)> = stmt
            .query_map([&id], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect())
            .map_err(err())?;
        rows.into_iter()
            .map(|(aid, json)| self.decode_article(&aid, &json))
            .collect()
    }

    /// Story id → event id → member article ids (sorted): the whole clustering as a plain
    /// value, to compare two stores (a rerun after a crash against a clean run, a second
    /// digest against the first).
    pub fn cluster_membership(&self) -> Result<ClusterMembership, StoreError> {
        let _snapshot = self.snapshot()?;
        let err = || self.sql_err("reading event membership");
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT e.story_id, e.id, ea.article_id FROM events e
                 JOIN event_articles ea ON ea.event_id = e.id ORDER BY 1, 2, 3",
            )
            .map_err(err())?;
        let rows: Vec<(String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(|rows| rows.collect())
            .map_err(err())?;
        let mut out = ClusterMembership::new();
        for (story, event, article) in rows {
            out.entry(story)
                .or_default()
                .entry(event)
                .or_default()
                .push(article);
        }
        Ok(out)
    }

    /// Articles (current revisions) that belong to no event yet, oldest first: what the
    /// clusterer still has to place. After a crash between storing articles and clustering
    /// them, the next run finds them here and completes the work.
    pub fn unclustered_articles(&self) -> Result<Vec<Article>, StoreError> {
        self.current_articles(true)
    }

    /// Every article (current revisions), oldest first: what a clusterer rebuilt from
    /// scratch places.
    pub fn all_articles(&self) -> Result<Vec<Article>, StoreError> {
        self.current_articles(false)
    }

    fn current_articles(&self, unclustered_only: bool) -> Result<Vec<Article>, StoreError> {
        let _snapshot = self.snapshot()?;
        let err = || self.sql_err("reading articles");
        let filter = if unclustered_only {
            "WHERE NOT EXISTS (SELECT 1 FROM event_articles ea WHERE ea.article_id = a.id)"
        } else {
            ""
        };
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT a.id, r.json FROM articles a
                 JOIN article_revisions r ON r.article_id = a.id AND r.revision = a.revision
                 {filter}
                 ORDER BY a.published_utc IS NULL, a.published_utc, a.id"
            ))
            .map_err(err())?;
        let rows: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect())
            .map_err(err())?;
        rows.into_iter()
            .map(|(aid, json)| self.decode_article(&aid, &json))
            .collect()
    }

    fn decode_article(&self, id: &str, json: &str) -> Result<Article> {
        serde_json::from_str(json).map_err(|e| self.invalid_data(format!("article {id}"), e))
    }

    /// An article's current revision with its bookkeeping; `None` if unknown.
    pub fn article(&self, id: &str) -> Result<Option<StoredArticle>, StoreError> {
        // One read transaction: every query below sees the same committed state even while
        // a writer commits batches.
        let _snapshot = self.snapshot()?;
        let err = || self.sql_err(format!("reading article {id}"));
        let row: Option<(String, i64, String, String)> = self
            .conn
            .prepare_cached(
                "SELECT r.json, a.revision, a.first_seen, a.updated_at FROM articles a
                 JOIN article_revisions r ON r.article_id = a.id AND r.revision = a.revision WHERE a.id = ?1",
            )
            .and_then(|mut s| s.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).optional())
            .map_err(err())?;
        let Some((json, revision, first_seen, updated_at)) = row else {
            return Ok(None);
        };
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT d.location FROM document_articles da JOIN documents d ON d.id = da.document_id
                 WHERE da.article_id = ?1 ORDER BY d.location",
            )
            .map_err(err())?;
        let documents = stmt
            .query_map([id], |r| r.get(0))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<String>>>())
            .map_err(err())?;
        Ok(Some(StoredArticle {
            article: self.decode_article(id, &json)?,
            revision: u32::try_from(revision).unwrap_or(0),
            first_seen,
            updated_at,
            documents,
        }))
    }

    /// The events (and their stories) an article belongs to.
    pub fn memberships(&self, article_id: &str) -> Result<Vec<Membership>, StoreError> {
        let err = || self.sql_err(format!("reading the events of article {article_id}"));
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT e.id, e.story_id FROM event_articles ea JOIN events e ON e.id = ea.event_id
                 WHERE ea.article_id = ?1 ORDER BY e.story_id, e.id",
            )
            .map_err(err())?;
        stmt.query_map([article_id], |r| {
            Ok(Membership {
                event_id: r.get(0)?,
                story_id: r.get(1)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(err())
    }

    /// Every recorded revision of an article, oldest first.
    pub fn article_revisions(&self, id: &str) -> Result<Vec<ArticleRevision>, StoreError> {
        let err = || self.sql_err(format!("reading revisions of article {id}"));
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT revision, content_hash, document, run_id, recorded_at, json FROM article_revisions
                 WHERE article_id = ?1 ORDER BY revision",
            )
            .map_err(err())?;
        type Raw = (i64, Vec<u8>, Option<String>, Option<i64>, String, String);
        let rows: Vec<Raw> = stmt
            .query_map([id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .and_then(|rows| rows.collect())
            .map_err(err())?;
        rows.into_iter()
            .map(|(revision, hash, document, run, recorded_at, json)| {
                Ok(ArticleRevision {
                    revision: u32::try_from(revision).unwrap_or(0),
                    content_hash: ContentHash::from_slice(&hash)
                        .map(|h| h.to_hex())
                        .unwrap_or_default(),
                    document,
                    run_id: run.map(RunId),
                    recorded_at,
                    article: self.decode_article(id, &json)?,
                })
            })
            .collect()
    }

    /// The stored fingerprint of an article, if any.
    pub fn fingerprint(&self, article_id: &str) -> Result<Option<FingerprintRecord>, StoreError> {
        let row: Option<(String, String, String, Vec<u8>)> = self
            .conn
            .prepare_cached(
                "SELECT scheme, matching_title, matching_text, minhash FROM fingerprints WHERE article_id = ?1",
            )
            .and_then(|mut s| s.query_row([article_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).optional())
            .map_err(self.sql_err(format!("reading the fingerprint of {article_id}")))?;
        Ok(row.map(
            |(scheme, matching_title, matching_text, blob)| FingerprintRecord {
                article_id: article_id.to_string(),
                scheme,
                matching_title,
                matching_text,
                minhash: blob
                    .chunks_exact(8)
                    .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
                    .collect(),
            },
        ))
    }

    /// Every entity with its surface forms, their mention counts and a few example articles.
    pub fn alias_groups(&self) -> Result<Vec<AliasGroup>, StoreError> {
        let err = || self.sql_err("reading alias groups");
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT e.id, e.kind, e.name, x.alias,
                    (SELECT coalesce(sum(count), 0) FROM article_mentions m WHERE m.entity_id = e.id AND m.alias = x.alias),
                    (SELECT count(*) FROM article_mentions m WHERE m.entity_id = e.id AND m.alias = x.alias),
                    (SELECT group_concat(article_id, ' ') FROM (SELECT article_id FROM article_mentions m
                        WHERE m.entity_id = e.id AND m.alias = x.alias ORDER BY article_id LIMIT 3))
                 FROM entities e JOIN (SELECT entity_id, alias FROM entity_aliases
                                       UNION SELECT entity_id, alias FROM article_mentions) x ON x.entity_id = e.id
                 ORDER BY e.id, x.alias",
            )
            .map_err(err())?;
        type Raw = (String, String, String, String, i64, i64, Option<String>);
        let rows: Vec<Raw> = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .and_then(|rows| rows.collect())
            .map_err(err())?;
        let mut groups: Vec<AliasGroup> = Vec::new();
        for (id, kind, name, alias, count, articles, examples) in rows {
            let stat = AliasStat {
                alias,
                count: u64::try_from(count).unwrap_or(0),
                articles: u64::try_from(articles).unwrap_or(0),
                examples: examples
                    .map(|s| s.split(' ').map(str::to_string).collect())
                    .unwrap_or_default(),
            };
            match groups.last_mut() {
                Some(g) if g.id == id => g.aliases.push(stat),
                _ => groups.push(AliasGroup {
                    id,
                    kind,
                    name,
                    aliases: vec![stat],
                }),
            }
        }
        Ok(groups)
    }

    /// A named state blob saved with [`crate::Batch::blobs`], if any.
    pub fn load_blob(&self, key: &str) -> Result<Option<ClusterState>, StoreError> {
        write::load_blob(&self.conn, &self.path, key)
    }

    /// The clusterer state saved last, if any.
    pub fn load_cluster_state(&self) -> Result<Option<ClusterState>, StoreError> {
        write::load_state(&self.conn, &self.path)
    }

    /// Format and version of the clusterer state saved last, without reading the state.
    pub fn cluster_state_version(&self) -> Result<Option<(String, u32)>, StoreError> {
        write::blob_version(&self.conn, &self.path, write::CLUSTER_STATE_KEY)
    }

    /// Row counts of the main tables.
    pub fn counts(&self) -> Result<StoreCounts, StoreError> {
        // One read transaction: every query below sees the same committed state even while
        // a writer commits batches.
        let _snapshot = self.snapshot()?;
        let count = |sql: &str| -> Result<u64> {
            self.conn
                .query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|n| u64::try_from(n).unwrap_or(0))
                .map_err(|e| StoreError::sqlite(&self.path, "counting rows", e))
        };
        Ok(StoreCounts {
            sources: count("SELECT count(*) FROM sources")?,
            documents: count("SELECT count(*) FROM documents")?,
            documents_parsed: count("SELECT count(*) FROM documents WHERE outcome = 'parsed'")?,
            documents_skipped: count("SELECT count(*) FROM documents WHERE outcome = 'skipped'")?,
            documents_failed: count("SELECT count(*) FROM documents WHERE outcome = 'failed'")?,
            articles: count("SELECT count(*) FROM articles")?,
            article_revisions: count("SELECT count(*) FROM article_revisions")?,
            fingerprints: count("SELECT count(*) FROM fingerprints")?,
            entities: count("SELECT count(*) FROM entities")?,
            mentions: count("SELECT count(*) FROM article_mentions")?,
            near_duplicates: count("SELECT count(*) FROM near_duplicates")?,
            passages: count("SELECT count(*) FROM passage_reuse")?,
            events: count("SELECT count(*) FROM events")?,
            stories: count("SELECT count(*) FROM stories")?,
            runs: count("SELECT count(*) FROM runs")?,
        })
    }

    /// The most recent runs, newest first.
    pub fn runs(&self, limit: usize) -> Result<Vec<RunRecord>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let ids: Vec<i64> = self
            .conn
            .prepare_cached("SELECT id FROM runs ORDER BY id DESC LIMIT ?1")
            .and_then(|mut s| {
                s.query_map([limit], |r| r.get(0))
                    .and_then(|rows| rows.collect())
            })
            .map_err(self.sql_err("listing runs"))?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(self.run_record(RunId(id))?);
        }
        Ok(out)
    }

    /// One run of the history.
    pub fn run_record(&self, id: RunId) -> Result<Option<RunRecord>, StoreError> {
        type Raw = (
            String,
            Option<String>,
            String,
            i64,
            String,
            [i64; 8],
            Option<String>,
        );
        let row: Option<Raw> = self
            .conn
            .prepare_cached(
                "SELECT started_at, finished_at, status, pid, command, read, skipped, failed, parsed, unchanged,
                        batches, new_articles, revised_articles, message FROM runs WHERE id = ?1",
            )
            .and_then(|mut s| {
                s.query_row([id.0], |r| {
                    let mut n = [0i64; 8];
                    for (i, slot) in n.iter_mut().enumerate() {
                        *slot = r.get(5 + i)?;
                    }
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, n, r.get(13)?))
                })
                .optional()
            })
            .map_err(self.sql_err(format!("reading run {}", id.0)))?;
        let Some((started_at, finished_at, status, pid, command, n, message)) = row else {
            return Ok(None);
        };
        let u = |v: i64| u64::try_from(v).unwrap_or(0);
        let status = RunStatus::parse(&status)
            .ok_or_else(|| self.invalid_data(format!("status of run {}", id.0), &status))?;
        Ok(Some(RunRecord {
            id,
            started_at,
            finished_at,
            status,
            pid: u32::try_from(pid).unwrap_or(0),
            command,
            counts: RunCounts {
                read: u(n[0]),
                skipped: u(n[1]),
                failed: u(n[2]),
                parsed: u(n[3]),
                unchanged: u(n[4]),
            },
            batches: u(n[5]),
            new_articles: u(n[6]),
            revised_articles: u(n[7]),
            message,
        }))
    }
}

struct RawSummary {
    id: String,
    outlet_id: String,
    outlet: String,
    title: String,
    url: Option<String>,
    published: Option<String>,
    script: String,
    language: String,
    revision: i64,
    published_utc: Option<i64>,
}

fn raw_summary(r: &Row<'_>, at: usize) -> rusqlite::Result<RawSummary> {
    Ok(RawSummary {
        id: r.get(at)?,
        outlet_id: r.get(at + 1)?,
        outlet: r.get(at + 2)?,
        title: r.get(at + 3)?,
        url: r.get(at + 4)?,
        published: r.get(at + 5)?,
        script: r.get(at + 6)?,
        language: r.get(at + 7)?,
        revision: r.get(at + 8)?,
        published_utc: r.get(at + 9)?,
    })
}

/// Sort key: publication time (undated last), then id, so output is stable.
type TimeKey = (bool, i64, String);

/// An event's id, title and articles.
type EventGroup = (String, String, Vec<ArticleSummary>);

fn chrono_key(utc: Option<i64>, id: &str) -> TimeKey {
    (utc.is_none(), utc.unwrap_or(0), id.to_string())
}

/// Groups members by event; events and their articles oldest first.
fn group_events(members: &[&Member]) -> Vec<EventGroup> {
    let mut events: BTreeMap<&str, (&str, Vec<&Member>)> = BTreeMap::new();
    for m in members {
        events
            .entry(&m.event_id)
            .or_insert_with(|| (&m.event_title, Vec::new()))
            .1
            .push(m);
    }
    let mut out: Vec<(TimeKey, EventGroup)> = events
        .into_iter()
        .map(|(id, (title, mut ms))| {
            ms.sort_by_key(|m| chrono_key(m.published_utc, &m.article.id));
            let first = ms.first().map_or((true, 0, String::new()), |m| {
                chrono_key(m.published_utc, id)
            });
            let arts = ms.into_iter().map(|m| m.article.clone()).collect();
            (first, (id.to_string(), title.to_string(), arts))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.into_iter().map(|(_, group)| group).collect()
}

/// The story's articles without repeats (an article may sit in two events), oldest first.
fn distinct_articles(members: &[&Member]) -> Vec<ArticleSummary> {
    let mut seen: BTreeMap<(bool, i64, String), ArticleSummary> = BTreeMap::new();
    for m in members {
        seen.entry(chrono_key(m.published_utc, &m.article.id))
            .or_insert_with(|| m.article.clone());
    }
    seen.into_values().collect()
}

/// First and last publication time of articles sorted oldest first.
fn span(arts: &[ArticleSummary]) -> (Option<DateTime<FixedOffset>>, Option<DateTime<FixedOffset>>) {
    let dated: Vec<DateTime<FixedOffset>> = arts.iter().filter_map(|a| a.published).collect();
    (dated.iter().min().copied(), dated.iter().max().copied())
}

/// Outlet ids in order of first coverage.
fn outlet_ids(arts: &[ArticleSummary]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in arts {
        if !out.contains(&a.outlet_id) {
            out.push(a.outlet_id.clone());
        }
    }
    out
}

/// Outlets with their article counts, in order of first coverage.
fn outlet_refs(arts: &[ArticleSummary]) -> Vec<OutletRef> {
    let mut out: Vec<OutletRef> = Vec::new();
    for a in arts {
        match out.iter_mut().find(|o| o.id == a.outlet_id) {
            Some(o) => o.articles += 1,
            None => out.push(OutletRef {
                id: a.outlet_id.clone(),
                name: a.outlet.clone(),
                articles: 1,
            }),
        }
    }
    out
}

/// For each later article of a duplicate pair, the earlier one it duplicates.
fn earlier_duplicates(members: &[&Member], dups: &[NearDuplicate]) -> HashMap<String, String> {
    let key: HashMap<&str, (bool, i64, String)> = members
        .iter()
        .map(|m| {
            (
                m.article.id.as_str(),
                chrono_key(m.published_utc, &m.article.id),
            )
        })
        .collect();
    let mut out: HashMap<String, String> = HashMap::new();
    for d in dups {
        let (Some(ka), Some(kb)) = (key.get(d.article_a.as_str()), key.get(d.article_b.as_str()))
        else {
            continue;
        };
        let (earlier, later) = if ka <= kb {
            (&d.article_a, &d.article_b)
        } else {
            (&d.article_b, &d.article_a)
        };
        let better = match out.get(later) {
            Some(existing) => key
                .get(existing.as_str())
                .is_some_and(|k| key.get(earlier.as_str()).is_some_and(|e| e < k)),
            None => true,
        };
        if better {
            out.insert(later.clone(), earlier.clone());
        }
    }
    out
}
