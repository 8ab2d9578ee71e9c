//! Coverage over the real corpora in ../shared (skipped on a fresh clone, required in CI).
//! The rates are measured and pinned: a change that loses titles, URLs, dates or bodies fails.

use newsloom_ingest::{Options, Summary, collect_inputs, ingest};
use newsloom_model::Article;

struct Coverage {
    documents: usize,
    articles: Vec<Article>,
    summary: Summary,
}

fn ingest_corpus(name: &str) -> Option<Coverage> {
    let dir = newsloom_testkit::corpus(name, name)?;
    let mut summary = Summary::default();
    let inputs = collect_inputs(&[dir], &mut summary);
    let mut articles = Vec::new();
    ingest(
        &inputs,
        &Options::default(),
        &mut summary,
        &|_| {},
        &mut |a| articles.push(a),
    )
    .expect("thread pool");
    Some(Coverage {
        documents: inputs.len(),
        articles,
        summary,
    })
}

fn missing<'a>(
    articles: &'a [Article],
    field: &str,
    has: impl Fn(&Article) -> bool,
) -> Vec<&'a str> {
    let miss: Vec<&str> = articles
        .iter()
        .filter(|a| !has(a))
        .map(|a| a.source.path.as_str())
        .collect();
    if !miss.is_empty() {
        eprintln!("{} articles without {field}:", miss.len());
        for p in miss.iter().take(20) {
            eprintln!("  {p}");
        }
    }
    miss
}

#[test]
fn mh_news_mirror_pages_all_extract() {
    let Some(c) = ingest_corpus("mh-news") else {
        return;
    };
    assert_eq!(c.documents, 2934);
    assert!(
        c.summary.failed.is_empty(),
        "{:?}",
        &c.summary.failed[..c.summary.failed.len().min(10)]
    );
    assert_eq!(c.articles.len(), 2934);
    assert!(missing(&c.articles, "title", |a| !a.title.is_empty()).is_empty());
    assert!(missing(&c.articles, "url", |a| a.url.is_some()).is_empty());
    assert!(missing(&c.articles, "published", |a| a.published.is_some()).is_empty());
    assert!(missing(&c.articles, "body", |a| a.body_chars() > 0).is_empty());
    // The mirror carries two outlets (明慧网 and 大纪元), known from the original URLs.
    let minghui = c
        .articles
        .iter()
        .filter(|a| a.outlet_id == "minghui")
        .count();
    let epoch = c
        .articles
        .iter()
        .filter(|a| a.outlet_id == "epochtimes")
        .count();
    assert_eq!((minghui, epoch), (2615, 319));
    // No mirror chrome survives.
    for a in &c.articles {
        for b in &a.body {
            for w in ["手机上长按", "原文地址", "💌", "翻墙必看"] {
                assert!(!b.text.contains(w), "{}: {w} in body", a.source.path);
            }
        }
    }
}

#[test]
fn nodebe4_jekyll_posts_extract() {
    let Some(c) = ingest_corpus("nodebe4-oped2") else {
        return;
    };
    assert_eq!(c.documents, 1014);
    // Two posts are feed teasers with no text at all ("Continue reading on …"): reported, named.
    let failed: Vec<&str> = c.summary.failed.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(failed.len(), 2, "{failed:?}");
    assert!(
        c.summary
            .failed
            .iter()
            .all(|f| f.reason == "no article text found")
    );
    assert!(failed.iter().any(|p| p.contains("年度精選文章")));
    assert_eq!(c.articles.len(), 1012);
    assert!(missing(&c.articles, "title", |a| !a.title.is_empty()).is_empty());
    // Every post names where it came from: the outlet's URL, or (for aggregators that file
    // republished articles under the outlet, like nei.st/medium/caixin/…) the mirror URL.
    assert!(
        missing(&c.articles, "url", |a| a.url.is_some()
            || a.mirror_url.is_some())
        .is_empty()
    );
    let republished = c.articles.iter().filter(|a| a.url.is_none()).count();
    assert!(
        republished < 100,
        "{republished} posts without an outlet URL"
    );
    assert!(missing(&c.articles, "published", |a| a.published.is_some()).is_empty());
    assert!(missing(&c.articles, "body", |a| a.body_chars() > 0).is_empty());
    let latin = c.articles.iter().filter(|a| a.language == "en").count();
    assert!((100..=250).contains(&latin), "English posts: {latin}");
}
