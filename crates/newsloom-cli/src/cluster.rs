//! `newsloom cluster`: articles → near-duplicates, passage reuse, events and stories (JSON).

use crate::ingest::{open_output, read_articles};
use crate::report;
use crate::text::alias_table;
use anyhow::{Context, Result};
use clap::Args;
use newsloom_cluster::{Config, cluster_articles};
use newsloom_text::TextLayer;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ClusterArgs {
    /// Article files or folders (any supported format, or `newsloom ingest` JSON Lines).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Where to write `{"events": [...], "stories": [...], "duplicates": [...], "passages": [...]}`;
    /// absent or `-` for standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Mined aliases to use besides the curated table.
    #[arg(long)]
    pub mined: Option<PathBuf>,
    /// Worker threads for reading and text analysis (default: one per core); clustering
    /// itself runs in publication order on one thread.
    #[arg(short, long, default_value_t = 0)]
    pub jobs: usize,
}

pub fn run_cluster(args: ClusterArgs, quiet: bool) -> Result<ExitCode> {
    let layer = TextLayer::new(alias_table(args.mined.as_deref())?);
    let (articles, summary) = read_articles(&args.paths, args.jobs, quiet)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs)
        .build()
        .context("starting worker threads")?;
    let clusters = pool.install(|| cluster_articles(&layer, &articles, &Config::default()));
    let mut out = open_output(args.output.as_ref())?;
    serde_json::to_writer_pretty(&mut out, &clusters).context("writing clusters")?;
    writeln!(out).context("writing clusters")?;
    out.flush().context("writing clusters")?;
    report::print_summary(&summary, quiet);
    if !quiet {
        eprintln!(
            "{} articles → {} events, {} stories, {} duplicates, {} reused passages",
            articles.len(),
            clusters.events.len(),
            clusters.stories.len(),
            clusters.duplicates.len(),
            clusters.passages.len()
        );
    }
    Ok(report::exit_code(&summary))
}
