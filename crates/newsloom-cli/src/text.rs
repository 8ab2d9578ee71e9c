//! `newsloom analyze` and `newsloom aliases`: the Chinese text layer from the command line.

use crate::ingest::read_articles;
use crate::report;
use anyhow::{Context, Result};
use clap::Args;
use newsloom_text::{AliasMiner, AliasTable, MinedAliases, TextLayer};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct AnalyzeArgs {
    /// Article files or folders (any supported format, or `newsloom ingest` JSON Lines).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Mined aliases to use besides the curated table (as written by `newsloom aliases --mined`).
    #[arg(long)]
    pub mined: Option<PathBuf>,
    /// Where to write one JSON object per article; absent or `-` for standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(short, long, default_value_t = 0)]
    pub jobs: usize,
}

#[derive(Args)]
pub struct AliasesArgs {
    /// Articles to mine for `中文名（Latin Name）` variants (optional: without them, only list).
    pub paths: Vec<PathBuf>,
    /// The mined-alias file: read if it exists, updated with what `PATHS` add.
    #[arg(long, default_value = "aliases.json")]
    pub mined: PathBuf,
    /// List the variants `newsloom digest` mined into this database instead (no mining).
    #[arg(long, conflicts_with = "paths")]
    pub db: Option<PathBuf>,
    /// Print the alias groups as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Only groups with at least this many variants (curated groups with one name are noise here).
    #[arg(long, default_value_t = 2)]
    pub min_variants: usize,
    /// Worker threads for reading (default: one per core).
    #[arg(short, long, default_value_t = 0)]
    pub jobs: usize,
}

/// Curated aliases plus the mined file, when there is one.
pub fn alias_table(mined: Option<&Path>) -> Result<AliasTable> {
    match mined {
        Some(path) => AliasTable::curated_with_mined_file(path).map_err(anyhow::Error::from),
        None => Ok(AliasTable::curated()),
    }
}

pub fn run_analyze(args: AnalyzeArgs, quiet: bool) -> Result<ExitCode> {
    let layer = TextLayer::new(alias_table(args.mined.as_deref())?);
    let (articles, summary) = read_articles(&args.paths, args.jobs, quiet)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs)
        .build()?;
    let lines: Vec<String> = pool.install(|| {
        articles
            .par_iter()
            .map(|a| serde_json::to_string(&layer.analyze(a)))
            .collect::<Result<_, _>>()
    })?;
    let mut out = crate::ingest::open_output(args.output.as_ref())?;
    for line in lines {
        writeln!(out, "{line}").context("writing analyses")?;
    }
    out.flush().context("writing analyses")?;
    report::print_summary(&summary, quiet);
    Ok(report::exit_code(&summary))
}

pub fn run_aliases(args: AliasesArgs, quiet: bool) -> Result<ExitCode> {
    let previous = if let Some(db) = &args.db {
        let store = newsloom_store::Store::open_read_only(db)?;
        newsloom_digest::load_mined(&store)?
    } else if args.mined.exists() {
        MinedAliases::load(&args.mined)?
    } else {
        MinedAliases::default()
    };
    let mut exit = ExitCode::SUCCESS;
    let mined = if args.paths.is_empty() {
        previous
    } else {
        let (articles, summary) = read_articles(&args.paths, args.jobs, quiet)?;
        let mut miner = AliasMiner::resume(previous);
        let links: usize = articles.iter().map(|a| miner.observe(a)).sum();
        let mined = miner.finish();
        mined.save(&args.mined)?;
        if !quiet {
            eprintln!(
                "mined {links} name links from {} articles → {}",
                articles.len(),
                args.mined.display()
            );
        }
        report::print_summary(&summary, quiet);
        exit = report::exit_code(&summary);
        mined
    };
    let mut groups: Vec<_> = AliasTable::curated()
        .with_mined(mined)
        .groups()
        .into_iter()
        .filter(|g| g.variants.len() >= args.min_variants)
        .collect();
    // Most-seen first: what the corpus actually uses matters more than the curated list.
    let seen = |g: &newsloom_text::AliasGroup| g.variants.iter().map(|v| v.count).sum::<u64>();
    groups.sort_by(|a, b| seen(b).cmp(&seen(a)).then_with(|| a.id.cmp(&b.id)));
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &groups)?;
        writeln!(out)?;
        return Ok(exit);
    }
    for g in &groups {
        // Ambiguous spellings (shared by several names) are listed but not used for matching.
        let variants: Vec<String> = g
            .variants
            .iter()
            .map(|v| {
                let note = if v.ambiguous {
                    " [ambiguous: not matched]"
                } else {
                    ""
                };
                format!("{} ({}){note}", v.form, v.count)
            })
            .collect();
        writeln!(
            out,
            "{:<24} {:<7} {}  [{}]",
            g.id,
            g.kind.as_str(),
            variants.join(" · "),
            g.latin.join(", ")
        )?;
        if let Some(example) = g.variants.iter().find_map(|v| v.examples.first()) {
            writeln!(out, "{:<24} e.g. {example}", "")?;
        }
    }
    Ok(exit)
}
