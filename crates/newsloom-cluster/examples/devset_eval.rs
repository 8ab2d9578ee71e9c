//! Scores the clusterer on the labelled development set and prints B-cubed P/R/F1.
//!
//! `cargo run --release -p newsloom-cluster --example devset_eval [-- CORPUS_ROOT [LABELS]]`
//! Config overrides: env `NEWSLOOM_CLUSTER_CONFIG` as JSON (e.g. `{"event_threshold":0.3}`).
//! `--errors` prints the merged/split gold clusters to read; `--dump` prints each labelled
//! article's predicted event and story (`PRED<TAB>path<TAB>event<TAB>story<TAB>article id`).

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::Context;
use newsloom_cluster::{ArticleFeatures, Clusterer, Config, devset, eval::bcubed};
use rayon::prelude::*;

mod common;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show_errors = args.iter().any(|a| a == "--errors");
    let pos: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = pos
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("../shared/corpora/agora-pen-2411"));
    let labels_path = pos.get(1).map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/agora-2024-11-20-21.labels.tsv")
    });
    let config: Config = match std::env::var("NEWSLOOM_CLUSTER_CONFIG") {
        Ok(json) => serde_json::from_str(&json).context("NEWSLOOM_CLUSTER_CONFIG")?,
        Err(_) => Config::default(),
    };
    let labels = devset::read_labels(&labels_path)?;
    let mut articles = Vec::new();
    for l in &labels {
        articles.push(common::read_page(&root, &l.path)?);
    }
    // `--stream`: cluster the whole corpus month in time order (as `newsloom digest` does)
    // and score the labelled articles only; unlabelled ones are context.
    let stream = args.iter().any(|a| a == "--stream");
    let mut context = Vec::new();
    if stream {
        let labelled: std::collections::HashSet<&str> =
            labels.iter().map(|l| l.path.as_str()).collect();
        let days = devset::agora_days(&root)?;
        let days: Vec<&str> = days.iter().map(String::as_str).collect();
        for path in devset::agora_pages(&root, &days)? {
            if !labelled.contains(path.as_str())
                && let Ok(a) = common::read_page(&root, &path)
            {
                context.push(a);
            }
        }
        eprintln!("stream context: {} unlabelled articles", context.len());
    }
    let text = newsloom_text::TextLayer::default();
    let use_analysis = std::env::var("NEWSLOOM_CLUSTER_ANALYSIS").is_ok_and(|v| v == "1");
    let n_labelled = articles.len();
    articles.extend(context);
    let mut order: Vec<usize> = (0..articles.len()).collect();
    order.sort_by_key(|&i| {
        (
            articles[i].published.map(|p| p.timestamp()),
            articles[i].id.clone(),
        )
    });
    let feats: Vec<ArticleFeatures> = articles
        .par_iter()
        .map(|a| {
            if use_analysis {
                ArticleFeatures::from_analysis(&text, a, &text.analyze(a))
            } else {
                ArticleFeatures::from_article(&text, a)
            }
        })
        .collect();
    let n_ent: usize = feats.iter().map(|f| f.entities.len()).sum();
    let n_quotes: usize = feats.iter().map(|f| f.quotes.len()).sum();
    eprintln!("analysis {use_analysis} entities {n_ent} quote clauses {n_quotes}");
    let mut clusterer = Clusterer::new(config);
    if std::env::var("NEWSLOOM_PRIME_BATCH").is_ok() {
        for f in &feats {
            clusterer.prime_df(f);
        }
    }
    for &i in &order {
        clusterer.add(&feats[i]);
    }
    if args.iter().any(|a| a == "--pairs") {
        // Similarity histograms of same-event, same-story and unrelated pairs.
        let mut hist = [[0usize; 20]; 3];
        for i in 0..n_labelled {
            for j in i + 1..n_labelled {
                let c = clusterer.pair_cosine(&feats[i], &feats[j]);
                let kind = if labels[i].event == labels[j].event {
                    0
                } else if labels[i].story == labels[j].story {
                    1
                } else {
                    2
                };
                hist[kind][((c * 20.0) as usize).min(19)] += 1;
                if kind == 0 && c < 0.2 && args.iter().any(|a| a == "--low") {
                    println!("{c:.3} {} | {}", labels[i].title, labels[j].title);
                }
            }
        }
        for (name, h) in ["same event", "same story", "unrelated"].iter().zip(hist) {
            println!("{name:>10}: {h:?}");
        }
    }
    articles.truncate(n_labelled);
    let snap = clusterer.snapshot();
    let mut ev: HashMap<&str, &str> = HashMap::new();
    let mut st: HashMap<&str, &str> = HashMap::new();
    for e in &snap.events {
        for a in &e.articles {
            ev.insert(a, &e.id);
            st.insert(a, &e.story);
        }
    }
    let pe: Vec<&str> = articles
        .iter()
        .map(|a| ev.get(a.id.as_str()).copied().unwrap_or("?"))
        .collect();
    let ps: Vec<&str> = articles
        .iter()
        .map(|a| st.get(a.id.as_str()).copied().unwrap_or("?"))
        .collect();
    let ge: Vec<&str> = labels.iter().map(|l| l.event.as_str()).collect();
    let gs: Vec<&str> = labels.iter().map(|l| l.story.as_str()).collect();
    let e = bcubed(&pe, &ge);
    let s = bcubed(&ps, &gs);
    println!(
        "articles {} events {} stories {} duplicates {} passages {}",
        articles.len(),
        snap.events.len(),
        snap.stories.len(),
        snap.duplicates.len(),
        snap.passages.len()
    );
    println!(
        "event  P {:.4} R {:.4} F1 {:.4}",
        e.precision, e.recall, e.f1
    );
    println!(
        "story  P {:.4} R {:.4} F1 {:.4}",
        s.precision, s.recall, s.f1
    );
    if args.iter().any(|a| a == "--dump") {
        // One line per labelled article: path, predicted event, predicted story.
        for (i, l) in labels.iter().enumerate() {
            let id = articles.get(i).map_or("", |a| a.id.as_str());
            println!("PRED\t{}\t{}\t{}\t{id}", l.path, pe[i], ps[i]);
        }
    }
    if show_errors {
        print_errors("EVENT", &labels, &pe, &ge);
        print_errors("STORY", &labels, &ps, &gs);
    }
    Ok(())
}

fn print_errors(what: &str, labels: &[devset::Label], pred: &[&str], gold: &[&str]) {
    let mut by_pred: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_gold: HashMap<&str, Vec<usize>> = HashMap::new();
    for i in 0..pred.len() {
        by_pred.entry(pred[i]).or_default().push(i);
        by_gold.entry(gold[i]).or_default().push(i);
    }
    println!("== {what}: predicted clusters mixing gold labels");
    let mut keys: Vec<_> = by_pred.keys().copied().collect();
    keys.sort();
    for k in keys {
        let m = &by_pred[k];
        let mut g: Vec<&str> = m.iter().map(|&i| gold[i]).collect();
        g.sort();
        g.dedup();
        if g.len() > 1 {
            println!("-- {k}");
            for &i in m {
                println!("   [{}] {}", gold[i], labels[i].title);
            }
        }
    }
    println!("== {what}: gold clusters split");
    let mut keys: Vec<_> = by_gold.keys().copied().collect();
    keys.sort();
    for k in keys {
        let m = &by_gold[k];
        let mut p: Vec<&str> = m.iter().map(|&i| pred[i]).collect();
        p.sort();
        p.dedup();
        if p.len() > 1 {
            println!("-- {k}");
            for &i in m {
                println!(
                    "   ({}) {}",
                    &pred[i][..pred[i].len().min(12)],
                    labels[i].title
                );
            }
        }
    }
}
