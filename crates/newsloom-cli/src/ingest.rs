//! `newsloom ingest` and `newsloom extract`.

use crate::report;
use anyhow::{Context, Result, bail};
use clap::Args;
use newsloom_ingest::{Options, Summary, collect_inputs, ingest, ingest_with, read_file};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct IngestArgs {
    /// Files and folders to read (folders recursively).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Where to write the articles as JSON Lines; `-` or absent for standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(short, long, default_value_t = 0)]
    pub jobs: usize,
}

#[derive(Args)]
pub struct ExtractArgs {
    /// The file to read.
    pub file: PathBuf,
}

pub fn run_ingest(args: IngestArgs, quiet: bool) -> Result<ExitCode> {
    let mut summary = Summary::default();
    let inputs = collect_inputs(&args.paths, &mut summary);
    let total: u64 = inputs.iter().map(|i| i.size).sum();
    let bar = report::progress_bar(total, quiet);
    let mut out = open_output(args.output.as_ref())?;
    let mut write_error = None;
    // Serialization runs on the workers; this thread only writes lines, in input order.
    let mut sink = |line: serde_json::Result<String>| {
        if write_error.is_some() {
            return;
        }
        let written = line
            .map_err(anyhow::Error::from)
            .and_then(|l| writeln!(out, "{l}").map_err(anyhow::Error::from));
        if let Err(e) = written {
            write_error = Some(e);
        }
    };
    let progress = |bytes: u64| bar.inc(bytes);
    let prepare = |article: newsloom_model::Article| serde_json::to_string(&article);
    ingest_with(
        &inputs,
        &Options { jobs: args.jobs },
        &mut summary,
        &progress,
        &prepare,
        &mut sink,
    )?;
    bar.finish_and_clear();
    if let Some(e) = write_error {
        return Err(e.context("writing articles"));
    }
    out.flush().context("writing articles")?;
    report::print_summary(&summary, quiet);
    Ok(report::exit_code(&summary))
}

pub fn open_output(path: Option<&PathBuf>) -> Result<Box<dyn Write>> {
    Ok(match path {
        Some(p) if p.as_os_str() != "-" => {
            let file = std::fs::File::create(p)
                .with_context(|| format!("cannot create {}", p.display()))?;
            Box::new(BufWriter::new(file))
        }
        _ => Box::new(BufWriter::new(std::io::stdout().lock())),
    })
}

/// Reads every article under `paths` (any supported format, JSON Lines included), with a
/// progress bar; for the commands that work on articles (analyze, aliases, cluster, digest).
pub fn read_articles(
    paths: &[PathBuf],
    jobs: usize,
    quiet: bool,
) -> Result<(Vec<newsloom_model::Article>, Summary)> {
    let mut summary = Summary::default();
    let inputs = collect_inputs(paths, &mut summary);
    let bar = report::progress_bar(inputs.iter().map(|i| i.size).sum(), quiet);
    let mut articles = Vec::new();
    ingest(
        &inputs,
        &Options { jobs },
        &mut summary,
        &|bytes| bar.inc(bytes),
        &mut |a| articles.push(a),
    )?;
    bar.finish_and_clear();
    Ok((articles, summary))
}

pub fn run_extract(args: ExtractArgs) -> Result<ExitCode> {
    let outcome = read_file(&args.file);
    for (path, error) in &outcome.errors {
        eprintln!("newsloom: {path}: {error}");
    }
    if let Some(reason) = &outcome.skipped {
        bail!("{}: skipped: {reason}", args.file.display());
    }
    let Some(article) = outcome.articles.first() else {
        return Ok(ExitCode::from(crate::EXIT_PARTIAL));
    };
    if outcome.articles.len() > 1 {
        eprintln!(
            "newsloom: {} holds {} articles; showing the first",
            args.file.display(),
            outcome.articles.len()
        );
    }
    println!("{}", serde_json::to_string_pretty(article)?);
    Ok(if outcome.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(crate::EXIT_PARTIAL)
    })
}
