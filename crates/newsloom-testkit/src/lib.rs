//! Test support shared by newsloom's crates.
//!
//! The corpora live in `../shared` beside the repository and are never committed. Tests that
//! need them call [`shared_dir`]: on a user's fresh clone without it they are skipped with a
//! message; under CI (`CI=true`) its absence is a failure.

use std::path::{Path, PathBuf};

/// The repository root (this crate sits at `crates/newsloom-testkit`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared` beside the repository, or `None` (with a skip message) when it is absent.
///
/// # Panics
/// When it is absent and `CI=true`: CI must run the corpus tests.
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    let dir = repo_root().join("../shared");
    if dir.join("corpora").is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{test}: ../shared is missing, and CI=true requires it");
    }
    eprintln!("skipping {test}: ../shared (the corpora) is not beside the repository");
    None
}

/// A corpus folder under `../shared/corpora`, with the same skip rule.
pub fn corpus(test: &str, name: &str) -> Option<PathBuf> {
    shared_dir(test).map(|d| d.join("corpora").join(name))
}
