//! The store's error type: every variant names the database file and the reason.

use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

/// Everything that can go wrong opening, reading or writing a store.
///
/// The `Display` form is meant for the terminal as is: it starts with the database path.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file exists but is not a (healthy) newsloom database: random bytes, a truncated
    /// file, another program's SQLite database. The file was not modified.
    #[error("{}: not a usable newsloom database: {reason}; the file was left as it was", path.display())]
    Corrupt { path: PathBuf, reason: String },

    /// The file (or its folder) cannot be written. The file was not modified.
    #[error("{}: cannot write the database: {reason}", path.display())]
    ReadOnly { path: PathBuf, reason: String },

    /// The database was written by a newer newsloom. The file was not modified.
    #[error(
        "{}: database schema version {found} is newer than this newsloom supports ({supported}); upgrade newsloom to use it (the file was left as it was)",
        path.display()
    )]
    SchemaTooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    /// A read-only open found a database that still needs migrating (or an empty one).
    #[error(
        "{}: database schema version {found} is older than this newsloom's ({supported}); run `newsloom digest` on it once to upgrade",
        path.display()
    )]
    SchemaTooOld {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    /// Another process holds the writer lock.
    #[error("another newsloom digest is running on {} (pid {})", path.display(), pid.map_or_else(|| "unknown".to_string(), |p| p.to_string()))]
    Busy { path: PathBuf, pid: Option<u32> },

    /// The disk (or the configured size limit) is full; the transaction was rolled back.
    #[error("{}: disk full while {context}; nothing of this step was written", path.display())]
    DiskFull { path: PathBuf, context: String },

    /// `open_read_only` on a path that does not exist.
    #[error("{}: no such database", path.display())]
    NotFound { path: PathBuf },

    /// A write method was called on a handle opened with [`crate::Store::open_read_only`].
    #[error("{}: opened read-only; cannot {what}", path.display())]
    ReadOnlyHandle { path: PathBuf, what: &'static str },

    /// A batch that contradicts itself or the store (a document naming an article that is
    /// neither in the batch nor stored, a membership naming an unknown article, …).
    /// Nothing of the batch was written.
    #[error("{}: batch rejected, nothing written: {reason}", path.display())]
    InvalidBatch { path: PathBuf, reason: String },

    /// A migration failed; it was rolled back and the schema stays at the previous version.
    #[error("{}: migration {version} ({name}) failed and was rolled back: {source}", path.display())]
    Migration {
        path: PathBuf,
        version: u32,
        name: &'static str,
        #[source]
        source: rusqlite::Error,
    },

    /// A stored value does not decode (e.g. an article JSON written by a broken build).
    #[error("{}: stored {what} is invalid: {reason}", path.display())]
    InvalidData {
        path: PathBuf,
        what: String,
        reason: String,
    },

    /// Any other SQLite error, with what the store was doing.
    #[error("{}: {context}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        context: String,
        #[source]
        source: rusqlite::Error,
    },

    /// A file-system error around the database (lock file, metadata).
    #[error("{}: {context}: {source}", path.display())]
    Io {
        path: PathBuf,
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl StoreError {
    /// Classifies an SQLite error raised while `context` on the database at `path`.
    pub(crate) fn sqlite(path: &Path, context: impl Into<String>, err: rusqlite::Error) -> Self {
        let path = path.to_path_buf();
        let context = context.into();
        match err.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull { path, context },
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly {
                path,
                reason: format!("{context}: {err}"),
            },
            Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => {
                StoreError::Corrupt {
                    path,
                    reason: format!("{context}: {err}"),
                }
            }
            Some(ErrorCode::ConstraintViolation) => StoreError::InvalidBatch {
                path,
                reason: format!("{context}: {err}"),
            },
            _ => StoreError::Sqlite {
                path,
                context,
                source: err,
            },
        }
    }

    pub(crate) fn io(path: &Path, context: impl Into<String>, err: std::io::Error) -> Self {
        StoreError::Io {
            path: path.to_path_buf(),
            context: context.into(),
            source: err,
        }
    }
}

/// Shorthand used throughout the crate.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
