//! Insert benchmark: an agora-sized set (7,188) of synthetic articles with documents,
//! fingerprints, mentions, duplicate links, passages and cluster updates.
//!
//! `cargo run --release -p newsloom-store --example insert_bench [-- ARTICLES [BATCH]]`
//!
//! Prints articles/s for one big batch and for batches of BATCH (default 500), the warm
//! check (document_status of every document, as a re-run does), and the database size.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use common::*;
use newsloom_store::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(7188);
    let batch_size: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(500);
    let dir = tempfile::tempdir()?;
    let ids: Vec<String> = (0..n).map(id_of).collect();
    let id = |i: usize| ids[i].clone();
    let all: Vec<usize> = (0..n).collect();

    let t = Instant::now();
    let one = batch(&all, |_| 0, &id);
    let build = t.elapsed();
    let path = dir.path().join("one.db");
    let mut store = Store::open(&path)?;
    let t = Instant::now();
    let out = store.put_batch(&one)?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "one batch: {} articles in {:.3} s = {:.0} articles/s (building the batch took {:.3} s)",
        out.new_articles,
        secs,
        n as f64 / secs,
        build.as_secs_f64()
    );

    let t = Instant::now();
    let mut unchanged = 0;
    for i in 0..n {
        let hash = ContentHash::of(&document_bytes(i, 0));
        if matches!(
            store.document_status(&location(i), &hash)?,
            DocumentStatus::Unchanged { .. }
        ) {
            unchanged += 1;
        }
    }
    println!(
        "warm check: document_status of {n} documents (hashing included) in {:.3} s, {unchanged} unchanged",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let stories = store.stories(&StoryFilter::default())?;
    println!(
        "stories(): {} stories listed in {:.3} s",
        stories.len(),
        t.elapsed().as_secs_f64()
    );
    drop(store);
    let t = Instant::now();
    let reopened = Store::open(&path)?;
    println!(
        "reopen (checks, lock, schema version) in {:.3} s",
        t.elapsed().as_secs_f64()
    );
    drop(reopened);
    println!(
        "database size: {:.1} MB",
        std::fs::metadata(&path)?.len() as f64 / 1e6
    );

    let path = dir.path().join("batches.db");
    let mut store = Store::open(&path)?;
    let batches: Vec<Batch> = all
        .chunks(batch_size)
        .map(|c| batch(c, |_| 0, &id))
        .collect();
    let t = Instant::now();
    for b in &batches {
        store.put_batch(b)?;
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "batches of {batch_size}: {n} articles in {} transactions in {:.3} s = {:.0} articles/s",
        batches.len(),
        secs,
        n as f64 / secs
    );
    Ok(())
}
