//! `newsloom`: Chinese news from many outlets → clean articles → deduplicated stories.

mod cluster;
mod digest;
mod ingest;
mod report;
mod site;
mod text;

use clap::{Parser, Subcommand};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

/// Exit codes: 0 all read, 1 some inputs failed (the rest was processed), 2 usage or fatal error.
pub const EXIT_PARTIAL: u8 = 1;
pub const EXIT_FATAL: u8 = 2;

#[derive(Parser)]
#[command(
    name = "newsloom",
    version,
    about = "Turns Chinese-language news from many outlets into clean, deduplicated, cross-source stories."
)]
struct Cli {
    /// More log output (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// Only errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The main job: read news into the store, skip what is unchanged, place new articles into
    /// events and stories, and show the newest stories.
    Digest(digest::DigestArgs),
    /// List the stories in the store, newest first.
    Stories(digest::StoriesArgs),
    /// Show one story: its events, articles and outlets.
    Story(digest::StoryArgs),
    /// Read files and folders of news in any supported format and write clean articles as JSON Lines.
    Ingest(ingest::IngestArgs),
    /// Read one file and print its article as pretty JSON.
    Extract(ingest::ExtractArgs),
    /// Print the text layer's reading of each article: matching forms, sentences, entities, quotes, dates.
    Analyze(text::AnalyzeArgs),
    /// Mine regional name variants (`中文名（Latin Name）`) from articles and list the alias groups.
    Aliases(text::AliasesArgs),
    /// Find near-duplicates, reused passages, events and stories among articles; write them as JSON.
    Cluster(cluster::ClusterArgs),
    /// Write a static site of the stored stories: index, story pages with the cross-source view, article pages, Atom feeds.
    Site(site::SiteArgs),
    /// Export the stored articles and stories as JSON Lines or markdown.
    Export(site::ExportArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose, cli.quiet);
    let result = match cli.command {
        Command::Digest(args) => digest::run_digest(args, cli.quiet),
        Command::Stories(args) => digest::run_stories(args),
        Command::Story(args) => digest::run_story(args),
        Command::Ingest(args) => ingest::run_ingest(args, cli.quiet),
        Command::Extract(args) => ingest::run_extract(args),
        Command::Analyze(args) => text::run_analyze(args, cli.quiet),
        Command::Aliases(args) => text::run_aliases(args, cli.quiet),
        Command::Cluster(args) => cluster::run_cluster(args, cli.quiet),
        Command::Site(args) => site::run_site(args, cli.quiet),
        Command::Export(args) => site::run_export(args, cli.quiet),
    };
    match result {
        Ok(code) => code,
        // A closed pipe (`newsloom … | head`) is the reader saying "enough", not an error.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("newsloom: error: {e:#}");
            ExitCode::from(EXIT_FATAL)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn init_logging(verbose: u8, quiet: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        _ => "debug",
    };
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("{default},html5ever=error,selectors=error")));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
