//! Builds the background document-frequency prior shipped as `data/df_prior.tsv.gz`.
//!
//! `cargo run --release -p newsloom-cluster --example build_df_prior -- OUT PATH...`
//!
//! Reads every document under the paths (any format newsloom ingests), takes each article's
//! clustering terms (title, lead and entity ids in matching form, exactly as the clusterer
//! does) and counts in how many articles each term occurs. The shipped prior is built from
//! `../shared/corpora/mh-news` and `../shared/corpora/nodebe4-oped2`: general Chinese news of
//! many years and outlets, and not the agora stream the development set is cut from.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use newsloom_cluster::{Clusterer, Config, prior::DfPrior};
use rustc_hash::FxHashMap;

mod common;

/// Terms seen in fewer articles are left out: they are as rare as unseen ones.
const MIN_DF: u32 = 3;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().context("usage: build_df_prior OUT PATH...")?);
    let roots: Vec<PathBuf> = args.map(PathBuf::from).collect();
    let clusterer = Clusterer::new(Config::default());
    let (inputs, per_article) = common::map_corpus(&roots, &[], |f| clusterer.prior_terms(f));
    let mut counts: FxHashMap<String, u32> = FxHashMap::default();
    for terms in &per_article {
        for t in terms {
            *counts.entry(t.clone()).or_insert(0) += 1;
        }
    }
    let docs = u32::try_from(per_article.len()).context("too many articles")?;
    let file = std::fs::File::create(&out).with_context(|| format!("{}", out.display()))?;
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::best());
    DfPrior::write(&counts, docs, MIN_DF, &mut gz)?;
    gz.finish()?.flush()?;
    let kept = counts.values().filter(|&&n| n >= MIN_DF).count();
    eprintln!(
        "{} inputs, {docs} articles, {} terms, {kept} kept (df >= {MIN_DF}) -> {}",
        inputs,
        counts.len(),
        out.display()
    );
    Ok(())
}
