//! Prints the analysis JSON (one line per file) of raw seed files or agora pages (dev reader).
//!
//! cargo run --release -p newsloom-text --example analyze -- FILE... [--mined mined.json]

mod common;

use std::path::{Path, PathBuf};

use newsloom_text::{AliasTable, TextLayer};

fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut table = AliasTable::curated();
    if let Some(i) = args.iter().position(|a| a == "--mined") {
        let path = args
            .get(i + 1)
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("--mined needs a path"))?;
        table = AliasTable::curated_with_mined_file(Path::new(&path))?;
        args.drain(i..=i + 1);
    }
    let layer = TextLayer::new(table);
    for a in &args {
        let path = PathBuf::from(a);
        let page = if a.ends_with(".html") {
            let root = path
                .ancestors()
                .nth(5)
                .map(Path::to_path_buf)
                .unwrap_or_default();
            common::read_agora_page(&path, &root)
        } else {
            common::read_seed(&path)
        };
        let Some(page) = page else {
            eprintln!("{a}: unreadable");
            continue;
        };
        println!(
            "{}",
            serde_json::to_string(&layer.analyze(&page.article()))?
        );
    }
    Ok(())
}
