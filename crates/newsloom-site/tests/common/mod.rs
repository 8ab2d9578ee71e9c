//! Test support: stores built with `newsloom digest`'s library, and HTML checks.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use newsloom_store::Store;
use newsloom_text::TextLayer;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Digests `roots` into a new store at `db` (digest builds its own text layer from the
/// curated aliases and those it mines).
pub fn digest_into(db: &Path, roots: &[PathBuf]) {
    let mut store = Store::open(db).unwrap_or_else(|e| panic!("{}: {e}", db.display()));
    let options = newsloom_digest::DigestOptions {
        jobs: 2,
        ..Default::default()
    };
    newsloom_digest::digest(&mut store, roots, &options, &|_| {})
        .unwrap_or_else(|e| panic!("digest: {e}"));
}

/// A store of the five seeds (one story).
pub fn seed_store(dir: &Path) -> PathBuf {
    let db = dir.join("seeds.db");
    digest_into(&db, &[repo_root().join("examples/seeds")]);
    db
}

/// Every file under `dir` with extension `ext`.
pub fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Visible text of an HTML document (text nodes of the body, no attributes).
pub fn visible_text(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let body = scraper::Selector::parse("body").expect("selector");
    doc.select(&body)
        .flat_map(|b| b.text())
        .collect::<Vec<_>>()
        .concat()
}

/// A store holding `articles` as ONE story: events, duplicates and passages from the
/// clusterer, but the story grouping fixed, so tests of made-up articles (hostile markup)
/// get one story page whatever the clusterer makes of them.
pub fn one_story_store(db: &Path, articles: &[newsloom_model::Article], layer: &TextLayer) {
    use newsloom_store::{Batch, ClusterUpdate, EventRecord, StoryRecord};
    let clusters =
        newsloom_cluster::cluster_articles(layer, articles, &newsloom_cluster::Config::default());
    let story = "story-one".to_string();
    let mut batch = Batch {
        articles: articles.to_vec(),
        clusters: Some(ClusterUpdate {
            replace_all: true,
            stories: vec![StoryRecord {
                id: story.clone(),
                title: articles
                    .first()
                    .map(|a| a.title.clone())
                    .unwrap_or_default(),
                title_article_id: None,
            }],
            events: clusters
                .events
                .iter()
                .map(|e| EventRecord {
                    id: e.id.clone(),
                    story_id: story.clone(),
                    title: e.title.clone(),
                    title_article_id: e.articles.first().cloned(),
                    article_ids: e.articles.clone(),
                })
                .collect(),
            ..Default::default()
        }),
        ..Default::default()
    };
    newsloom_digest::add_duplicates(&mut batch, &clusters);
    let mut store = Store::open(db).unwrap_or_else(|e| panic!("{}: {e}", db.display()));
    store
        .put_batch(&batch)
        .unwrap_or_else(|e| panic!("put_batch: {e}"));
}
