//! Progress bars and the closing summary every long command prints.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use newsloom_ingest::Summary;
use std::io::IsTerminal;
use std::process::ExitCode;

/// A byte-based progress bar on standard error, hidden when it is not a terminal.
pub fn progress_bar(total_bytes: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(total_bytes);
    let style = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// How many failures are listed one by one before the rest are only counted.
const LISTED_FAILURES: usize = 20;

/// Prints read/skipped/failed counts with reasons to standard error.
pub fn print_summary(summary: &Summary, quiet: bool) {
    if !summary.failed.is_empty() {
        for f in summary.failed.iter().take(LISTED_FAILURES) {
            eprintln!("newsloom: failed: {}: {}", f.path, f.reason);
        }
        if summary.failed.len() > LISTED_FAILURES {
            eprintln!(
                "newsloom: … and {} more failures",
                summary.failed.len() - LISTED_FAILURES
            );
        }
    }
    if quiet && summary.failed.is_empty() {
        return;
    }
    eprintln!(
        "read {} documents ({:.1} MB) → {} articles; skipped {}; failed {}",
        summary.documents,
        summary.bytes as f64 / 1e6,
        summary.articles,
        summary.skipped_total(),
        summary.failed.len()
    );
    for (reason, n) in &summary.skipped {
        eprintln!("  skipped {n:>6}  {reason}");
    }
    for (reason, n) in summary.failures_by_reason() {
        eprintln!("  failed  {n:>6}  {reason}");
    }
}

/// 0 when everything was read, 1 when anything failed.
pub fn exit_code(summary: &Summary) -> ExitCode {
    if summary.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(crate::EXIT_PARTIAL)
    }
}
