//! Scores many clusterer configurations on the development set without recomputing
//! features (development aid for tuning `Config`).
//!
//! `cargo run --release -p newsloom-cluster --example tune < configs.jsonl`
//!
//! Each stdin line is a JSON `Config` override (`{}` = defaults). For each, prints one JSON
//! line: B-cubed F1 of events and stories on the labelled days clustered alone (`cold`) and
//! inside the whole month's stream (`stream`), and whether the seeds form the expected one
//! story of three events.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::PathBuf;

use newsloom_cluster::{ArticleFeatures, Clusterer, Config, devset, eval::bcubed};
use rayon::prelude::*;

mod common;

fn main() -> anyhow::Result<()> {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = repo.join("../shared/corpora/agora-pen-2411");
    let labels = devset::read_labels(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/agora-2024-11-20-21.labels.tsv"),
    )?;
    let text = newsloom_text::TextLayer::default();
    let features =
        |a: &newsloom_model::Article| ArticleFeatures::from_analysis(&text, a, &text.analyze(a));
    let labelled: Vec<ArticleFeatures> = labels
        .par_iter()
        .map(|l| common::read_page(&root, &l.path).map(|a| features(&a)))
        .collect::<Result<_, _>>()?;
    let paths: std::collections::HashSet<&str> = labels.iter().map(|l| l.path.as_str()).collect();
    let days = devset::agora_days(&root)?;
    let days: Vec<&str> = days.iter().map(String::as_str).collect();
    let context: Vec<ArticleFeatures> = devset::agora_pages(&root, &days)?
        .par_iter()
        .filter(|p| !paths.contains(p.as_str()))
        .filter_map(|p| common::read_page(&root, p).ok())
        .map(|a| features(&a))
        .collect();
    let mut seeds: Vec<ArticleFeatures> = std::fs::read_dir(repo.join("examples/seeds"))?
        .flatten()
        .flat_map(|e| newsloom_ingest::read_file(&e.path()).articles)
        .map(|a| features(&a))
        .collect();
    seeds.sort_by_key(|f| (f.published, f.id.clone()));
    if let Ok(path) = std::env::var("NEWSLOOM_TUNE_DUMP") {
        // Features of every article as JSON lines, with gold labels where labelled, for
        // analysis outside Rust.
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        for (i, f) in labelled.iter().chain(&context).enumerate() {
            let label = labels.get(i).filter(|_| i < labelled.len());
            let row = serde_json::json!({"f": f, "event": label.map(|l| &l.event),
                "story": label.map(|l| &l.story)});
            writeln!(out, "{row}")?;
        }
        for f in &seeds {
            writeln!(out, "{}", serde_json::json!({"f": f, "seed": true}))?;
        }
        return Ok(());
    }
    let ge: Vec<&str> = labels.iter().map(|l| l.event.as_str()).collect();
    let gs: Vec<&str> = labels.iter().map(|l| l.story.as_str()).collect();
    let mut stream: Vec<&ArticleFeatures> = labelled.iter().chain(&context).collect();
    stream.sort_by_key(|f| (f.published, f.id.clone()));
    let mut cold: Vec<&ArticleFeatures> = labelled.iter().collect();
    cold.sort_by_key(|f| (f.published, f.id.clone()));
    eprintln!(
        "ready: {} labelled, {} context",
        labelled.len(),
        context.len()
    );

    for line in std::io::stdin().lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let config: Config = serde_json::from_str(&line)?;
        let score = |order: &[&ArticleFeatures]| {
            let mut c = Clusterer::new(config.clone());
            for f in order {
                c.add(f);
            }
            let snap = c.snapshot();
            let mut ev = HashMap::new();
            let mut st = HashMap::new();
            for e in &snap.events {
                for a in &e.articles {
                    ev.insert(a.clone(), e.id.clone());
                    st.insert(a.clone(), e.story.clone());
                }
            }
            let pe: Vec<&str> = labelled
                .iter()
                .map(|f| ev.get(&f.id).map_or("?", |s| s.as_str()))
                .collect();
            let ps: Vec<&str> = labelled
                .iter()
                .map(|f| st.get(&f.id).map_or("?", |s| s.as_str()))
                .collect();
            (bcubed(&pe, &ge).f1, bcubed(&ps, &gs).f1)
        };
        let ((ce, cs), (se, ss)) = rayon::join(|| score(&cold), || score(&stream));
        // Clustering cost alone (features precomputed), single thread, best of 3.
        let cluster_secs = (0..3)
            .map(|_| {
                let start = std::time::Instant::now();
                let mut c = Clusterer::new(config.clone());
                for f in &stream {
                    c.add(f);
                }
                start.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min);
        let mut c = Clusterer::new(config.clone());
        for f in &seeds {
            c.add(f);
        }
        let snap = c.snapshot();
        let seed_events = snap.events.len();
        let seed_stories = snap.stories.len();
        println!(
            "{}",
            serde_json::json!({"config": serde_json::from_str::<serde_json::Value>(&line)?,
                "cold_event": ce, "cold_story": cs, "stream_event": se, "stream_story": ss,
                "mean": (ce + cs + se + ss) / 4.0,
                "stream_articles_per_s": stream.len() as f64 / cluster_secs,
                "seed_events": seed_events, "seed_stories": seed_stories})
        );
    }
    Ok(())
}
