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

/// A 64-bit FNV-1a digest of everything fed to it: what the pinning tests compare (the
/// matching forms, the analyses, the articles read from the corpora), enough to notice any
/// changed byte with no dependency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digest(pub u64);

impl Default for Digest {
    fn default() -> Self {
        Digest(0xcbf2_9ce4_8422_2325)
    }
}

impl Digest {
    /// Feeds `bytes` into the digest.
    pub fn add(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}
