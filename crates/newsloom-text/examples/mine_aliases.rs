//! Mines `中文名（Latin Name）` aliases from the agora-pen-2411 corpus and the seeds, saves them
//! as JSON, prints the resulting multi-spelling groups, and writes a deterministic sample of
//! mined links for hand judging.
//!
//! cargo run --release -p newsloom-text --example mine_aliases -- [OUT.json] [SAMPLE.tsv]

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use newsloom_text::{AliasMiner, AliasTable};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = PathBuf::from(
        args.first()
            .cloned()
            .unwrap_or_else(|| "target/mined-aliases.json".into()),
    );
    let sample_out = args.get(1).map(PathBuf::from);
    let shared = common::shared_dir()
        .ok_or_else(|| anyhow::anyhow!("../shared not found beside the repo"))?;
    let root = shared.join("corpora/agora-pen-2411");
    let mut miner = AliasMiner::new();
    let pages = common::agora_pages(&root);
    let mut links = 0;
    for p in &pages {
        if let Some(page) = common::read_agora_page(p, &root) {
            links += miner.observe_text(&page.text());
        }
    }
    let seeds_dir = shared.join("seeds");
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(&seeds_dir)?
        .flatten()
        .map(|e| e.path())
        .collect();
    seeds.sort();
    for s in &seeds {
        if let Some(page) = common::read_seed(s) {
            links += miner.observe_text(&page.text());
        }
    }
    let mined = miner.finish();
    mined.save(&out)?;
    eprintln!(
        "observed {} texts ({} pages, {} seeds), {} link occurrences, {} Latin names, {} distinct links → {}",
        mined.observed,
        pages.len(),
        seeds.len(),
        links,
        mined.names.len(),
        mined.link_count(),
        out.display()
    );

    let table = AliasTable::curated().with_mined(mined.clone());
    let groups = table.groups();
    let multi: Vec<_> = groups
        .iter()
        .filter(|g| g.variants.iter().filter(|v| v.count > 0).count() >= 2)
        .collect();
    eprintln!(
        "{} groups, {} with two or more mined spellings",
        groups.len(),
        multi.len()
    );
    for g in multi.iter().take(400) {
        let vs: Vec<String> = g
            .variants
            .iter()
            .filter(|v| v.count > 0)
            .map(|v| format!("{}×{}", v.form, v.count))
            .collect();
        println!("{}\t{}\t{}", g.id, vs.join(" "), g.latin.join(" | "));
    }

    if let Some(sample_out) = sample_out {
        // Every mined spelling the resolved groups use (count > 0, not ambiguous), sampled by a
        // stable hash so reruns pick the same links. A link claims: this spelling names the
        // group's entity (its Latin names).
        let mut all: BTreeMap<u64, String> = BTreeMap::new();
        for g in &groups {
            for v in g.variants.iter().filter(|v| v.count > 0 && !v.ambiguous) {
                let h = fnv(&format!("{}\t{}", v.form, g.id));
                let example = v
                    .examples
                    .first()
                    .cloned()
                    .unwrap_or_default()
                    .replace('\t', " ");
                let latin = g.latin.join(" | ");
                all.insert(
                    h,
                    format!(
                        "{}\t{}\t{}\t{}\t{}\t",
                        v.form, g.id, latin, v.count, example
                    ),
                );
            }
        }
        let mut tsv = String::from("form\tgroup\tlatin\tcount\texample\tverdict\n");
        for line in all.values().take(100) {
            tsv.push_str(line);
            tsv.push('\n');
        }
        std::fs::write(&sample_out, tsv)?;
        eprintln!(
            "sample of {} of {} used mined links → {}",
            all.len().min(100),
            all.len(),
            sample_out.display()
        );
    }
    Ok(())
}

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}
