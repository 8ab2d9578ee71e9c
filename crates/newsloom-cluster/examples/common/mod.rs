//! Shared by the examples and the dev-set test: reading agora-pen-2411 pages and corpora
//! the way `newsloom digest` does. Each example and test uses only some of these helpers.
#![allow(dead_code)]

use std::path::Path;

use anyhow::Context;
use newsloom_model::Article;

/// Reads the page `rel` (relative to the corpus root `root`) through the ingest pipeline and
/// returns its article; an error names the page and why it gave none.
pub fn read_page(root: &Path, rel: &str) -> anyhow::Result<Article> {
    let path = root.join(rel);
    let outcome = newsloom_ingest::read_file(&path);
    let reasons: Vec<String> = outcome.errors.iter().map(|(_, e)| e.to_string()).collect();
    outcome.articles.into_iter().next().with_context(|| {
        let skipped = outcome.skipped.as_deref().unwrap_or_default();
        format!(
            "{}: no article ({skipped}{})",
            path.display(),
            reasons.join("; ")
        )
    })
}

/// Reads every document under `roots` whose path contains none of `exclude`, in parallel,
/// and maps each article's features (matching forms, entities) through `per_article`.
/// Returns the number of inputs and the results.
pub fn map_corpus<T: Send>(
    roots: &[std::path::PathBuf],
    exclude: &[String],
    per_article: impl Fn(&newsloom_cluster::ArticleFeatures) -> T + Sync,
) -> (usize, Vec<T>) {
    use rayon::prelude::*;
    let mut summary = newsloom_ingest::Summary::default();
    let inputs: Vec<_> = newsloom_ingest::collect_inputs(roots, &mut summary)
        .into_iter()
        .filter(|i| {
            let p = i.path.to_string_lossy();
            !exclude.iter().any(|x| p.contains(x.as_str()))
        })
        .collect();
    let text = newsloom_text::TextLayer::default();
    let out = inputs
        .par_iter()
        .flat_map_iter(|input| newsloom_ingest::read_file(&input.path).articles)
        .map(|a| {
            per_article(&newsloom_cluster::ArticleFeatures::from_analysis(
                &text,
                &a,
                &text.analyze(&a),
            ))
        })
        .collect();
    (inputs.len(), out)
}
