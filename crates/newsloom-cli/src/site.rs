//! `newsloom site` (static site from a store) and `newsloom export` (JSON Lines / markdown).

use std::path::PathBuf;
use std::process::ExitCode;

use crate::digest::open_existing;
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use newsloom_site::{ExportFormat, SiteOptions};
use newsloom_store::Store;
use newsloom_text::{AliasTable, TextLayer};

#[derive(Args)]
pub struct SiteArgs {
    /// The store to read (made by `newsloom digest`).
    #[arg(long, default_value = "newsloom.db")]
    pub db: PathBuf,
    /// Output folder (created; files of the same names are replaced).
    #[arg(short, long, default_value = "site")]
    pub out: PathBuf,
    /// Site title.
    #[arg(long, default_value = "newsloom")]
    pub title: String,
    /// Absolute URL the site is served from, for absolute links in the Atom feeds (pages
    /// always link relatively).
    #[arg(long)]
    pub base_url: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Jsonl,
    Markdown,
}

#[derive(Args)]
pub struct ExportArgs {
    /// The store to read (made by `newsloom digest`).
    #[arg(long, default_value = "newsloom.db")]
    pub db: PathBuf,
    #[arg(long, value_enum)]
    pub format: Format,
    /// Output folder; for jsonl also a single `FILE.jsonl` (lines tagged `"type"`).
    #[arg(short, long)]
    pub out: PathBuf,
}

/// The text layer digest matched with: curated aliases plus the name variants mined into the
/// store, so the view aligns statements with the same matching forms.
pub(crate) fn layer_of(store: &Store) -> Result<TextLayer> {
    let mined = newsloom_digest::load_mined(store)
        .with_context(|| format!("reading mined aliases from {}", store.path().display()))?;
    Ok(TextLayer::new(AliasTable::curated().with_mined(mined)))
}

pub fn run_site(args: SiteArgs, quiet: bool) -> Result<ExitCode> {
    let store = open_existing(&args.db)?;
    let layer = layer_of(&store)?;
    let options = SiteOptions {
        title: args.title,
        base_url: args.base_url,
    };
    let report = newsloom_site::build_site(&store, &layer, &args.out, &options)
        .with_context(|| format!("building the site in {}", args.out.display()))?;
    if !quiet {
        eprintln!(
            "wrote {} stories, {} articles, {} feeds: {} files, {:.1} MB in {:.1} s → {}",
            report.stories,
            report.articles,
            report.feeds,
            report.files,
            report.bytes as f64 / 1e6,
            report.seconds,
            args.out.join("index.html").display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_export(args: ExportArgs, quiet: bool) -> Result<ExitCode> {
    let store = open_existing(&args.db)?;
    let layer = layer_of(&store)?;
    let format = match args.format {
        Format::Jsonl => ExportFormat::Jsonl,
        Format::Markdown => ExportFormat::Markdown,
    };
    let report = newsloom_site::export(&store, &layer, format, &args.out)
        .with_context(|| format!("exporting to {}", args.out.display()))?;
    if !quiet {
        eprintln!(
            "exported {} stories and {} articles: {} files, {:.1} MB → {}",
            report.stories,
            report.articles,
            report.files,
            report.bytes as f64 / 1e6,
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
