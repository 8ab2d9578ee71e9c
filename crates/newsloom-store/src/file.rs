//! Checks on the database file made before SQLite touches it, and the writer lock.
//!
//! SQLite itself would open many broken files "successfully" and fail later, or write to a
//! file we should refuse (a read-only file when running as root). These checks read the
//! file and its metadata only, so a refused file is left byte-for-byte as it was.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::error::{Result, StoreError};

const MAGIC: &[u8; 16] = b"SQLite format 3\0";

fn corrupt(path: &Path, reason: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Sanity-checks the 100-byte SQLite header and the file size.
///
/// An empty file is accepted (SQLite treats it as a new database).
pub(crate) fn check_header(path: &Path) -> Result<()> {
    let meta =
        std::fs::metadata(path).map_err(|e| StoreError::io(path, "reading file metadata", e))?;
    if !meta.is_file() {
        return Err(corrupt(path, "not a regular file"));
    }
    let len = meta.len();
    if len == 0 {
        return Ok(());
    }
    let mut header = [0u8; 100];
    let mut f = File::open(path)
        .map_err(|e| StoreError::io(path, "opening the database to check it", e))?;
    if len < header.len() as u64 {
        return Err(corrupt(
            path,
            format!("file is {len} bytes, shorter than an SQLite header (truncated?)"),
        ));
    }
    f.read_exact(&mut header)
        .map_err(|e| StoreError::io(path, "reading the database header", e))?;
    if &header[..16] != MAGIC {
        return Err(corrupt(path, "not an SQLite database (bad file header)"));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536u64,
        n if n >= 512 && n.is_power_of_two() => u64::from(n),
        n => {
            return Err(corrupt(
                path,
                format!("invalid page size {n} in the header"),
            ));
        }
    };
    if len % page_size != 0 {
        return Err(corrupt(
            path,
            format!("file size {len} is not a multiple of the page size {page_size} (truncated?)"),
        ));
    }
    // The in-header page count is valid when the change counter matches version-valid-for.
    // A non-empty WAL may legitimately be ahead of the main file (a checkpoint interrupted
    // by a crash); SQLite recovers that, so only judge the size when there is no WAL.
    let be32 =
        |i: usize| u32::from_be_bytes([header[i], header[i + 1], header[i + 2], header[i + 3]]);
    let pages = u64::from(be32(28));
    let counter_valid = be32(24) == be32(92);
    let pending_journal = wal_has_content(path);
    // The schema version (user_version, offset 60): refuse a newer file before even
    // creating the lock file beside it. With a pending WAL the header may be stale; the
    // version is checked again through SQLite after opening.
    let version = be32(60);
    if !pending_journal && version > crate::SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            path: path.to_path_buf(),
            found: version,
            supported: crate::SCHEMA_VERSION,
        });
    }
    if pages > 0 && counter_valid && !pending_journal && len < pages * page_size {
        return Err(corrupt(
            path,
            format!(
                "truncated: the header says {} bytes, the file has {len}",
                pages * page_size
            ),
        ));
    }
    Ok(())
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

pub(crate) fn wal_path(path: &Path) -> PathBuf {
    sibling(path, "-wal")
}

/// Whether a WAL or a rollback journal beside the file holds pages SQLite will apply on
/// open (then the main file alone may legitimately look short).
fn wal_has_content(path: &Path) -> bool {
    [wal_path(path), sibling(path, "-journal")]
        .iter()
        .any(|p| std::fs::metadata(p).is_ok_and(|m| m.len() > 0))
}

/// The folder holding the database (for the journal files and the lock).
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Refuses files and folders that are not writable. Mode bits are honoured even for root,
/// who could otherwise write to a file the user marked read-only (0444).
pub(crate) fn check_writable(path: &Path) -> Result<()> {
    let read_only = |reason: String| StoreError::ReadOnly {
        path: path.to_path_buf(),
        reason,
    };
    if let Ok(meta) = std::fs::metadata(path)
        && (meta.permissions().mode() & 0o222 == 0 || !access_writable(path))
    {
        return Err(read_only("the file is read-only".into()));
    }
    let dir = parent_dir(path);
    let meta = std::fs::metadata(&dir)
        .map_err(|e| StoreError::io(path, format!("reading folder {}", dir.display()), e))?;
    if meta.permissions().mode() & 0o222 == 0 || !access_writable(&dir) {
        return Err(read_only(format!(
            "its folder {} is read-only (SQLite keeps its journal and a lock file beside the database)",
            dir.display()
        )));
    }
    Ok(())
}

fn access_writable(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `c` is a valid NUL-terminated string that outlives the call.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
}

/// The lock file beside the database: `newsloom.db` → `newsloom.db.lock`.
pub fn lock_path(path: &Path) -> PathBuf {
    sibling(path, ".lock")
}

/// The exclusive writer lock: an advisory `flock` on `<db>.lock`, held as long as the
/// `Store` lives and released by the kernel when the process dies (even by SIGKILL), so
/// a crashed run never leaves a stale lock. The file holds the holder's pid for messages.
#[derive(Debug)]
pub(crate) struct WriterLock {
    _file: File,
}

impl WriterLock {
    pub(crate) fn acquire(db: &Path) -> Result<Self> {
        let lock = lock_path(db);
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock)
            .map_err(|e| StoreError::io(db, format!("opening lock file {}", lock.display()), e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut text = String::new();
                let pid = file
                    .read_to_string(&mut text)
                    .ok()
                    .and_then(|_| text.trim().parse().ok());
                return Err(StoreError::Busy {
                    path: db.to_path_buf(),
                    pid,
                });
            }
            Err(TryLockError::Error(e)) => {
                return Err(StoreError::io(db, format!("locking {}", lock.display()), e));
            }
        }
        let write_pid = |file: &mut File| -> std::io::Result<()> {
            file.set_len(0)?;
            file.seek(SeekFrom::Start(0))?;
            writeln!(file, "{}", std::process::id())?;
            file.flush()
        };
        write_pid(&mut file)
            .map_err(|e| StoreError::io(db, format!("writing lock file {}", lock.display()), e))?;
        Ok(WriterLock { _file: file })
    }
}
