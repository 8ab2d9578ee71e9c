//! Sources → documents → articles.
//!
//! [`ingest`] walks the given files and folders, reads every document in the format it comes
//! in (see [`readers`]), and hands back clean [`Article`]s in a stable order, with a
//! [`Summary`] of what was read, skipped and failed, and why. Bad input never stops a run:
//! each unreadable file or record becomes a [`Failure`] naming it and the reason.

pub mod draft;
pub mod readers;

use newsloom_model::Article;
use rayon::prelude::*;
use readers::{Outcome, ReadError, read_document};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use readers::read_document as read_bytes;

/// Version of how documents are read into articles: every reader, and the HTML extraction
/// behind them. Every change that reads some document differently (a boilerplate pattern, a
/// credit line, a date rule) bumps it, so that a store whose documents another release read
/// reads them again (`newsloom digest` checks it) instead of keeping the old articles because
/// the files did not change. `tests/reading_version.rs` pins the reading of a sample of the
/// corpora to it.
pub const READING_VERSION: u32 = 4;

/// File name endings newsloom reads when walking a folder. Named files are read whatever
/// their name (the format is detected from the content).
const DOCUMENT_EXTENSIONS: [&str; 14] = [
    "md", "markdown", "txt", "html", "htm", "shtml", "xml", "rss", "atom", "json", "jsonl",
    "ndjson", "gz", "feed",
];

/// One file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    pub size: u64,
}

/// A file or record that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub path: String,
    pub reason: String,
}

/// Counts of one run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Documents read successfully (one or more articles, or a deliberate skip).
    pub documents: usize,
    pub articles: usize,
    pub bytes: u64,
    /// Documents skipped on purpose, by reason (`list page`, `not a document (.css)`).
    pub skipped: BTreeMap<String, usize>,
    pub failed: Vec<Failure>,
}

impl Summary {
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }

    /// Failures counted by reason, for the closing report.
    pub fn failures_by_reason(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for f in &self.failed {
            *counts.entry(f.reason.clone()).or_insert(0) += 1;
        }
        counts
    }

    /// Counts a document of `size` bytes whose articles (`articles` of them) were already
    /// taken out of `outcome` and handed on.
    pub fn absorb(&mut self, size: u64, articles: usize, outcome: Outcome) {
        self.bytes += size;
        // A document that gave nothing but errors failed as a whole; it is not counted read.
        if articles > 0 || outcome.skipped.is_some() || outcome.errors.is_empty() {
            self.documents += 1;
        }
        self.articles += articles;
        if let Some(reason) = outcome.skipped {
            *self.skipped.entry(reason).or_insert(0) += 1;
        }
        for (path, error) in outcome.errors {
            self.failed.push(Failure {
                path,
                reason: error.to_string(),
            });
        }
    }
}

/// Walks `paths` (files and folders, recursively, following links but not loops) and lists
/// the documents to read in a stable order. Folders contribute only files with document
/// endings; other files are counted as skipped, unreadable entries as failures.
pub fn collect_inputs(paths: &[PathBuf], summary: &mut Summary) -> Vec<Input> {
    let mut inputs = Vec::new();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                summary.failed.push(Failure {
                    path: root.display().to_string(),
                    reason: io_reason(&e),
                });
                continue;
            }
        };
        if meta.is_file() {
            inputs.push(Input {
                path: root.clone(),
                size: meta.len(),
            });
            continue;
        }
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name();
        for entry in walker
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()))
        {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    if has_document_extension(e.path()) {
                        let size = e.metadata().map(|m| m.len()).unwrap_or(0);
                        inputs.push(Input {
                            path: e.into_path(),
                            size,
                        });
                    } else {
                        let ext = e
                            .path()
                            .extension()
                            .map(|x| x.to_string_lossy().to_lowercase())
                            .unwrap_or_default();
                        let reason = if ext.is_empty() {
                            "not a document".to_string()
                        } else {
                            format!("not a document (.{ext})")
                        };
                        *summary.skipped.entry(reason).or_insert(0) += 1;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    let path = e
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|| root.display().to_string());
                    let reason = if e.loop_ancestor().is_some() {
                        "symbolic link loop".to_string()
                    } else {
                        e.io_error().map(io_reason).unwrap_or_else(|| e.to_string())
                    };
                    summary.failed.push(Failure { path, reason });
                }
            }
        }
    }
    inputs
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

fn has_document_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        DOCUMENT_EXTENSIONS
            .iter()
            .any(|d| e.eq_ignore_ascii_case(d))
    })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Reads one file from disk.
pub fn read_file(path: &Path) -> Outcome {
    let name = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => read_document(&bytes, &name),
        Err(e) => {
            let error = ReadError::Invalid(io_reason(&e));
            Outcome {
                errors: vec![(name, error)],
                ..Outcome::default()
            }
        }
    }
}

/// Options of an ingest run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
}

/// How many documents are read in parallel before their articles are handed on, in order.
/// Small enough to bound memory, large enough to keep every worker busy.
const CHUNK: usize = 64;

/// Reads every input and hands each article to `sink` in input order. `progress` is called
/// with the bytes of each document read.
///
/// Reading runs on a pool of `options.jobs` threads, one chunk ahead of the caller: while the
/// caller's thread consumes (serializes, stores) the articles of one chunk, the pool reads the
/// next, so the sink is never the bottleneck of the parallel part.
pub fn ingest(
    inputs: &[Input],
    options: &Options,
    summary: &mut Summary,
    progress: &(dyn Fn(u64) + Sync),
    sink: &mut dyn FnMut(Article),
) -> Result<(), rayon::ThreadPoolBuildError> {
    ingest_with(inputs, options, summary, progress, &|a| a, sink)
}

/// Like [`ingest`], but each article first goes through `prepare` on the worker threads (for
/// example serialization to JSON), so that work scales with `--jobs` too.
pub fn ingest_with<T: Send>(
    inputs: &[Input],
    options: &Options,
    summary: &mut Summary,
    progress: &(dyn Fn(u64) + Sync),
    prepare: &(dyn Fn(Article) -> T + Sync),
    sink: &mut dyn FnMut(T),
) -> Result<(), rayon::ThreadPoolBuildError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build()?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(Vec<T>, Outcome)>>(1);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            for chunk in inputs.chunks(CHUNK) {
                let outcomes = pool.install(|| {
                    chunk
                        .par_iter()
                        .map(|input| {
                            let mut outcome = read_file(&input.path);
                            let prepared = std::mem::take(&mut outcome.articles)
                                .into_iter()
                                .map(prepare)
                                .collect();
                            progress(input.size);
                            (prepared, outcome)
                        })
                        .collect()
                });
                if tx.send(outcomes).is_err() {
                    return;
                }
            }
        });
        for (chunk, outcomes) in inputs.chunks(CHUNK).zip(rx) {
            for (input, (prepared, outcome)) in chunk.iter().zip(outcomes) {
                let count = prepared.len();
                prepared.into_iter().for_each(&mut *sink);
                summary.absorb(input.size, count, outcome);
            }
        }
    });
    Ok(())
}
