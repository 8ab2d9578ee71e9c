//! `newsloom`: Chinese news from many outlets → clean articles → deduplicated stories.

mod ingest;
mod report;

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
    /// Read files and folders of news in any supported format and write clean articles as JSON Lines.
    Ingest(ingest::IngestArgs),
    /// Read one file and print its article as pretty JSON.
    Extract(ingest::ExtractArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose, cli.quiet);
    let result = match cli.command {
        Command::Ingest(args) => ingest::run_ingest(args, cli.quiet),
        Command::Extract(args) => ingest::run_extract(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("newsloom: error: {e:#}");
            ExitCode::from(EXIT_FATAL)
        }
    }
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
