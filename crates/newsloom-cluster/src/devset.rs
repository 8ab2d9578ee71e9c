//! Development-set helpers: the labels file and the agora-pen-2411 page listing.
//!
//! The pages themselves are read by the callers through the real ingest pipeline
//! (`newsloom_ingest::read_file`, a dev-dependency), so the clusterer is scored on exactly the
//! text `newsloom digest` feeds it: clean bodies, without the related-headline lists and
//! credit lines a plain tag strip leaves in (they linked unrelated stories).

use std::path::{Path, PathBuf};

/// Why a development file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DevError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {reason}")]
    Format { path: PathBuf, reason: String },
}

/// One labelled article of the development set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Page path relative to the corpus root.
    pub path: String,
    pub event: String,
    pub story: String,
    pub title: String,
}

/// Reads a labels TSV (`path`, `event`, `story`, `title`; `#` lines are comments).
pub fn read_labels(path: &Path) -> Result<Vec<Label>, DevError> {
    let text = std::fs::read_to_string(path).map_err(|source| DevError::Io {
        path: path.into(),
        source,
    })?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [p, e, s, rest @ ..] = cols.as_slice() else {
            return Err(DevError::Format {
                path: path.into(),
                reason: format!("line {}: expected 4 tab-separated columns", n + 1),
            });
        };
        out.push(Label {
            path: p.to_string(),
            event: e.to_string(),
            story: s.to_string(),
            title: rest.join("\t"),
        });
    }
    Ok(out)
}

/// All article pages of the corpus under `root` for the given days (`"2024/11/20"`),
/// relative to `root`, sorted.
pub fn agora_pages(root: &Path, days: &[&str]) -> Result<Vec<String>, DevError> {
    let mut out = Vec::new();
    let outlets = std::fs::read_dir(root).map_err(|source| DevError::Io {
        path: root.into(),
        source,
    })?;
    for outlet in outlets.flatten() {
        let name = outlet.file_name().to_string_lossy().to_string();
        for day in days {
            let dir = outlet.path().join(day);
            let Ok(files) = std::fs::read_dir(&dir) else {
                continue;
            };
            for f in files.flatten() {
                let fname = f.file_name().to_string_lossy().to_string();
                if fname.ends_with(".html") {
                    out.push(format!("{name}/{day}/{fname}"));
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Every day directory `YYYY/MM/DD` present under any outlet of the corpus.
pub fn agora_days(root: &Path) -> Result<Vec<String>, DevError> {
    let mut days = std::collections::BTreeSet::new();
    let outlets = std::fs::read_dir(root).map_err(|source| DevError::Io {
        path: root.into(),
        source,
    })?;
    for outlet in outlets.flatten() {
        for y in std::fs::read_dir(outlet.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            for m in std::fs::read_dir(y.path()).into_iter().flatten().flatten() {
                for d in std::fs::read_dir(m.path()).into_iter().flatten().flatten() {
                    let parts = [y.file_name(), m.file_name(), d.file_name()]
                        .map(|s| s.to_string_lossy().to_string());
                    if parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
                        && d.path().is_dir()
                    {
                        days.insert(parts.join("/"));
                    }
                }
            }
        }
    }
    Ok(days.into_iter().collect())
}
