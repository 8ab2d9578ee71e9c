//! The newsloom store: an embedded SQLite database (bundled, WAL mode) holding sources,
//! documents, articles with their revision history, matching forms and fingerprints,
//! entities and aliases, near-duplicate links, passage reuse, events, stories, the
//! clusterer's state and the run history.
//!
//! # Guarantees
//! - **One writer.** [`Store::open`] takes an exclusive lock (`<db>.lock`) for the life of
//!   the handle; a second writer gets [`StoreError::Busy`] ("another newsloom digest is
//!   running on X (pid N)"). Readers ([`Store::open_read_only`]) take no lock and see the
//!   last committed state while a run goes on.
//! - **Atomic batches.** [`Store::put_batch`] writes documents, articles, derived data and
//!   (optionally) cluster changes plus the clusterer state in one transaction. A document
//!   row exists only together with its articles, so after a crash (even SIGKILL) the next
//!   run sees exactly what was done and redoes the rest.
//! - **Versioned schema.** Migrations under `migrations/` are applied on open, each in one
//!   transaction. A file from a newer newsloom, a corrupt or foreign file, a read-only
//!   file or folder are refused with a clear error before anything is written.
//!
//! # Typical run (what `newsloom digest` does)
//! ```no_run
//! # fn main() -> Result<(), newsloom_store::StoreError> {
//! use newsloom_store::{Batch, ContentHash, DocumentStatus, RunCounts, RunInfo, Store, StoryFilter};
//! let mut store = Store::open("newsloom.db")?;
//! store.begin_run(&RunInfo { command: "newsloom digest corpus/".into(), roots: vec!["corpus/".into()] })?;
//! let bytes = b"...";
//! match store.document_status("corpus/a.html", &ContentHash::of(bytes))? {
//!     DocumentStatus::Unchanged { .. } => { /* skip parsing */ }
//!     DocumentStatus::New | DocumentStatus::Changed { .. } => { /* parse, then put_batch */ }
//! }
//! store.put_batch(&Batch::default())?;
//! store.finish_run(&RunCounts::default())?;
//! for story in store.stories(&StoryFilter::default())? {
//!     println!("{} ({} articles)", story.title, story.article_count);
//! }
//! # Ok(()) }
//! ```

mod error;
mod file;
mod migrate;
mod read;
mod types;
mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use error::StoreError;
pub use file::lock_path;
pub use migrate::SCHEMA_VERSION;
pub use read::ClusterMembership;
pub use types::*;

use error::Result;
use file::WriterLock;

/// Prepared statements kept per connection (rusqlite's default of 16 is fewer than a batch uses).
const STATEMENT_CACHE: usize = 128;

/// Options for [`Store::open_with`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenOptions {
    /// Refuse to grow the database file beyond about this many bytes: writes that would
    /// exceed it fail with [`StoreError::DiskFull`] and are rolled back, exactly as on a
    /// full disk.
    pub max_size_bytes: Option<u64>,
}

/// A handle on a newsloom database: the writer (from [`Store::open`]) or a reader (from
/// [`Store::open_read_only`]). Read methods work on both.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Held by writers only; dropping the store releases it.
    _lock: Option<WriterLock>,
    /// The run begun with [`Store::begin_run`] and not yet finished.
    run: Option<RunId>,
}

impl Store {
    /// Opens the database at `path` for writing, creating it if missing and migrating it
    /// to [`SCHEMA_VERSION`]; takes the exclusive writer lock for the life of the handle.
    ///
    /// Refuses, leaving the file as it was: a file that is not an SQLite database or is
    /// truncated ([`StoreError::Corrupt`]), another program's SQLite database
    /// ([`StoreError::Corrupt`]), a read-only file or folder ([`StoreError::ReadOnly`]), a
    /// schema newer than this build ([`StoreError::SchemaTooNew`]), a store another
    /// process has open for writing ([`StoreError::Busy`]).
    ///
    /// Runs left `running` by a process that died are marked `interrupted`.
    pub fn open(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        Store::open_with(path, &OpenOptions::default())
    }

    /// [`Store::open`] with options.
    pub fn open_with(path: impl AsRef<Path>, options: &OpenOptions) -> Result<Store, StoreError> {
        let path = path.as_ref().to_path_buf();
        file::check_writable(&path)?;
        let exists = path.exists();
        if exists {
            file::check_header(&path)?;
        }
        let lock = WriterLock::acquire(&path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(&path, flags)
            .map_err(|e| StoreError::sqlite(&path, "opening the database", e))?;
        // Judge the file before the first write (journal mode, migrations).
        check_identity(&conn, &path)?;
        configure_writer(&conn, &path, options)?;
        migrate::migrate(&mut conn, &path, migrate::MIGRATIONS)?;
        let mut store = Store {
            conn,
            path,
            _lock: Some(lock),
            run: None,
        };
        store.mark_interrupted_runs()?;
        Ok(store)
    }

    /// Opens an existing database for reading only: no lock, no writes, no migration.
    /// Works while a writer runs (WAL) and on read-only files and folders.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        let path = path.as_ref().to_path_buf();
        if !path.exists() {
            return Err(StoreError::NotFound { path });
        }
        file::check_header(&path)?;
        let conn = match open_reader(&path, false) {
            Ok(conn) => conn,
            // A WAL database in a folder we cannot write to, with no -wal/-shm beside it:
            // nothing uncommitted can exist, so read the file as immutable.
            Err(_) if !file::wal_path(&path).exists() => open_reader(&path, true)?,
            Err(e) => return Err(e),
        };
        let found = migrate::user_version(&conn, &path)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew {
                path,
                found,
                supported: SCHEMA_VERSION,
            });
        }
        check_identity(&conn, &path)?;
        if found < SCHEMA_VERSION {
            return Err(StoreError::SchemaTooOld {
                path,
                found,
                supported: SCHEMA_VERSION,
            });
        }
        Ok(Store {
            conn,
            path,
            _lock: None,
            run: None,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether this handle may write.
    pub fn is_writer(&self) -> bool {
        self._lock.is_some()
    }

    /// Runs SQLite's full `PRAGMA integrity_check` and the foreign-key check; returns the
    /// problems found (empty when the database is healthy).
    pub fn integrity_check(&self) -> Result<Vec<String>, StoreError> {
        let mut problems = Vec::new();
        let ctx = |e| StoreError::sqlite(&self.path, "checking integrity", e);
        let mut stmt = self.conn.prepare("PRAGMA integrity_check").map_err(ctx)?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(ctx)?;
        for row in rows {
            let line = row.map_err(ctx)?;
            if line != "ok" {
                problems.push(line);
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check").map_err(ctx)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(format!(
                    "foreign key violation in {} row {:?} -> {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, String>(2)?
                ))
            })
            .map_err(ctx)?;
        for row in rows {
            problems.push(row.map_err(ctx)?);
        }
        Ok(problems)
    }

    /// Copies committed WAL content into the database file and truncates the WAL (e.g. at
    /// the end of a digest, so the `.db` file alone is complete). Skipped pages of readers
    /// still running are left for a later checkpoint; that is not an error.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.require_writer("checkpoint")?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(|e| {
                StoreError::sqlite(
                    &self.path,
                    "checkpointing the WAL (committed data stays in the WAL)",
                    e,
                )
            })
    }

    fn require_writer(&self, what: &'static str) -> Result<()> {
        if self.is_writer() {
            Ok(())
        } else {
            Err(StoreError::ReadOnlyHandle {
                path: self.path.clone(),
                what,
            })
        }
    }
}

/// Refuses files that are valid SQLite but not (or not yet) ours, or too new. Reads only.
fn check_identity(conn: &Connection, path: &Path) -> Result<()> {
    let found = migrate::user_version(conn, path)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    let app = migrate::application_id(conn, path)?;
    if app != migrate::APPLICATION_ID
        && (app != 0 || found > 0 || migrate::object_count(conn, path)? > 0)
    {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            reason: format!(
                "an SQLite database of another program (application id {app:#x}, schema version {found})"
            ),
        });
    }
    Ok(())
}

fn configure_writer(conn: &Connection, path: &Path, options: &OpenOptions) -> Result<()> {
    let ctx = |what: &'static str| move |e| StoreError::sqlite(path, what, e);
    conn.busy_timeout(Duration::from_secs(10))
        .map_err(ctx("setting the busy timeout"))?;
    // A batch uses a few dozen distinct statements; keep them all prepared.
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    // Only takes effect on a new, empty file (before WAL mode is set): articles are a few
    // KB of JSON each, and 16 KB pages keep most in one page instead of overflow chains.
    conn.pragma_update(None, "page_size", 16_384)
        .map_err(ctx("setting the page size"))?;
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))
        .map_err(ctx("switching to WAL journal mode"))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
            reason: format!("SQLite could not use WAL mode here (journal mode stays {mode})"),
        });
    }
    // NORMAL in WAL mode: a process crash loses nothing committed; a power cut may lose
    // the last commits but never leaves the database inconsistent.
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(ctx("setting synchronous mode"))?;
    // Checkpoint every ~32 MB of WAL instead of 4 MB: an ingest batch of a few hundred
    // articles is several MB, and checkpointing after every batch doubles the writes.
    conn.pragma_update(None, "wal_autocheckpoint", 8192)
        .map_err(ctx("setting the checkpoint interval"))?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(ctx("enabling foreign keys"))?;
    conn.pragma_update(None, "cache_size", -32_000)
        .map_err(ctx("setting the cache size"))?;
    if let Some(bytes) = options.max_size_bytes {
        let page: i64 = conn
            .pragma_query_value(None, "page_size", |r| r.get(0))
            .map_err(ctx("reading the page size"))?;
        let pages = i64::try_from(bytes).unwrap_or(i64::MAX) / page.max(512);
        conn.pragma_update(None, "max_page_count", pages.max(1))
            .map_err(ctx("setting the size limit"))?;
    }
    Ok(())
}

fn open_reader(path: &Path, immutable: bool) -> Result<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = if immutable {
        flags |= OpenFlags::SQLITE_OPEN_URI;
        Connection::open_with_flags(format!("file:{}?immutable=1", uri_escape(path)), flags)
    } else {
        Connection::open_with_flags(path, flags)
    }
    .map_err(|e| StoreError::sqlite(path, "opening the database for reading", e))?;
    conn.busy_timeout(Duration::from_secs(10))
        .map_err(|e| StoreError::sqlite(path, "setting the busy timeout", e))?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    // Touch the schema now so an unreadable file fails here, not in the first query.
    migrate::object_count(&conn, path)?;
    Ok(conn)
}

fn uri_escape(path: &Path) -> String {
    let mut out = String::new();
    for b in path.as_os_str().as_encoded_bytes() {
        match b {
            b'?' | b'#' | b'%' => out.push_str(&format!("%{b:02X}")),
            _ if b.is_ascii() => out.push(char::from(*b)),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Now, RFC 3339 UTC, for the times the store records itself.
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
