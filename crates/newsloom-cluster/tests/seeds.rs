//! The five seed articles (examples/seeds): one story, three events, four outlets, and the
//! two paragraphs seeds 000 and 001 share.

use std::path::PathBuf;

use newsloom_cluster::{ArticleFeatures, Clusterer, Clusters, Config, cluster_articles};
use newsloom_model::Article;
use newsloom_text::TextLayer;

fn seeds() -> Vec<Article> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/seeds");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    assert_eq!(
        files.len(),
        5,
        "expected five seed files in {}",
        dir.display()
    );
    files
        .iter()
        .map(|p| {
            let mut out = newsloom_ingest::read_file(p);
            assert!(out.errors.is_empty(), "{}: {:?}", p.display(), out.errors);
            assert_eq!(out.articles.len(), 1, "{}", p.display());
            out.articles.remove(0)
        })
        .collect()
}

/// Seed number (the file name prefix) of an article.
fn seed_no(a: &Article) -> String {
    let name = a.source.path.rsplit('/').next().unwrap_or_default();
    name.get(..3).unwrap_or_default().to_string()
}

/// Seed number of the article with id `id` (empty when it is not a seed).
fn seed_no_of(articles: &[Article], id: &str) -> String {
    articles
        .iter()
        .find(|a| a.id == id)
        .map(seed_no)
        .unwrap_or_default()
}

/// Event numbers of each event, as sorted lists of seed numbers.
fn seed_events(articles: &[Article], clusters: &newsloom_cluster::Clusters) -> Vec<Vec<String>> {
    let no = |id: &str| seed_no_of(articles, id);
    let mut events: Vec<Vec<String>> = clusters
        .events
        .iter()
        .map(|e| {
            let mut v: Vec<String> = e.articles.iter().map(|a| no(a)).collect();
            v.sort();
            v
        })
        .collect();
    events.sort();
    events
}

/// The seeds and how the default clusterer groups them.
fn clustered_seeds() -> (Vec<Article>, Clusters) {
    let articles = seeds();
    let clusters = cluster_articles(&TextLayer::default(), &articles, &Config::default());
    (articles, clusters)
}

/// The three happenings of the seeds: Ma Zhaoxu in Moscow (003), Wang Yi's arrival (001)
/// and the meetings with Lavrov and Putin on 22 February, told by three outlets in two
/// scripts (000, 002, 004). With five articles only, rarity comes from the shipped
/// document-frequency prior.
#[test]
fn seeds_form_three_events() {
    let (articles, clusters) = clustered_seeds();
    assert_eq!(
        seed_events(&articles, &clusters),
        vec![
            vec!["000".to_string(), "002".into(), "004".into()],
            vec!["001".into()],
            vec!["003".into()]
        ],
        "events: {:#?}",
        clusters.events
    );
}

/// Must-hold of issue 5: the three events make one story. 003 (Ma Zhaoxu in Moscow after
/// Russia announced Xi's visit, 5 February) precedes the rest by 15 days and shares few
/// terms with them; the topic channel (`newsloom_cluster::topics`) places it next to
/// Putin confirming the visit, and the lexical background floor holds.
#[test]
fn seeds_form_one_story_with_three_events() {
    let (articles, clusters) = clustered_seeds();
    assert_eq!(
        clusters.stories.len(),
        1,
        "stories: {:#?}",
        clusters.stories
    );
    let story = &clusters.stories[0];
    assert_eq!(story.articles.len(), 5);
    assert_eq!(story.outlets.len(), 4, "outlets: {:?}", story.outlets);
    assert_eq!(seed_events(&articles, &clusters).len(), 3);
    // Every event belongs to the one story.
    assert!(clusters.events.iter().all(|e| e.story == story.id));
}

#[test]
fn seeds_000_and_001_share_two_paragraphs() {
    let articles = seeds();
    let text = TextLayer::default();
    let mut ordered = articles.clone();
    ordered.sort_by_key(|a| a.published);
    let mut clusterer = Clusterer::new(Config::default());
    for a in &ordered {
        clusterer.add(&ArticleFeatures::from_article(&text, a));
    }
    let snap = clusterer.snapshot();
    let no = |id: &str| seed_no_of(&articles, id);
    let shared: Vec<_> = snap
        .passages
        .iter()
        .filter(|p| {
            let mut pair = [no(&p.earlier.article), no(&p.later.article)];
            pair.sort();
            pair == ["000".to_string(), "001".to_string()]
        })
        .collect();
    // Both locations are recorded, and the two shared paragraphs are distinct blocks.
    let mut blocks: Vec<usize> = shared.iter().map(|p| p.later.block).collect();
    blocks.sort();
    blocks.dedup();
    assert!(
        blocks.len() >= 2,
        "shared passages between 000 and 001: {shared:#?}"
    );
    for p in &shared {
        assert!(p.chars >= 24 && p.earlier.end > p.earlier.start && p.later.end > p.later.start);
    }
}

#[test]
fn ids_are_stable_across_runs_and_input_order() {
    let articles = seeds();
    let text = TextLayer::default();
    let a = cluster_articles(&text, &articles, &Config::default());
    let mut reversed = articles.clone();
    reversed.reverse();
    let b = cluster_articles(&text, &reversed, &Config::default());
    assert_eq!(a, b);
    // Ids come from founding article ids.
    for e in &a.events {
        assert!(
            e.articles.iter().any(|id| e.id == format!("ev-{id}")),
            "{e:?}"
        );
    }
}
