//! Hostile database files: corrupt, truncated, foreign, read-only, too new, full disk.
//! Each must give a clear error naming the file and the reason, and leave the file
//! byte-for-byte as it was.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::*;
use newsloom_store::*;

fn populated(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("newsloom.db");
    let mut store = Store::open(&path).unwrap();
    let idx: Vec<usize> = (0..n).collect();
    store.put_batch(&batch(&idx, |_| 0, &id_of)).unwrap();
    drop(store);
    assert!(
        !path.with_file_name("newsloom.db-wal").exists(),
        "closing checkpoints the WAL away"
    );
    path
}

/// Opens for writing right after this test closed its own writer. Other tests of this
/// binary run `mount` in parallel, and a child forked while the lock file was open shares
/// its `flock` until it execs; so a lock held by this very process is waited out briefly.
fn reopen_for_writing(path: &Path) -> Store {
    for _ in 0..100 {
        match Store::open(path) {
            Err(StoreError::Busy { pid, .. }) if pid == Some(std::process::id()) => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other.unwrap(),
        }
    }
    Store::open(path).unwrap()
}

fn assert_mentions(err: &StoreError, path: &Path, words: &[&str]) {
    let msg = err.to_string();
    eprintln!("error shown: {msg}");
    assert!(
        msg.contains(&path.display().to_string()),
        "error does not name the file: {msg}"
    );
    for w in words {
        assert!(msg.contains(w), "error lacks {w:?}: {msg}");
    }
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn random_bytes_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newsloom.db");
    let mut rng = Rng(42);
    let bytes: Vec<u8> = (0..16_384).map(|_| rng.next() as u8).collect();
    std::fs::write(&path, &bytes).unwrap();
    let before = file_hash(&path);
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert_mentions(&err, &path, &["not an SQLite database"]);
    let err = Store::open_read_only(&path).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert_eq!(file_hash(&path), before);
    // A short file of text (someone's notes saved as .db) too.
    std::fs::write(&path, b"hello").unwrap();
    let err = Store::open(&path).unwrap_err();
    assert_mentions(&err, &path, &["shorter than an SQLite header"]);
    assert_eq!(std::fs::read(&path).unwrap(), b"hello");
}

#[test]
fn a_sqlite_header_over_garbage_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = populated(dir.path(), 50);
    // Keep the header, scramble everything after page 1.
    let mut bytes = std::fs::read(&path).unwrap();
    let mut rng = Rng(7);
    for b in bytes.iter_mut().skip(4096) {
        *b = rng.next() as u8;
    }
    std::fs::write(&path, &bytes).unwrap();
    let before = file_hash(&path);
    // Opening may succeed (page 1 is intact) or fail; either way the damage must be
    // reported, never silently written over.
    match Store::open(&path) {
        Err(err) => {
            assert_mentions(&err, &path, &[]);
            assert_eq!(file_hash(&path), before);
        }
        Ok(store) => {
            eprintln!(
                "opened; integrity_check: {:?}",
                store.integrity_check().map(|p| p.len())
            );
            let problems = store.integrity_check();
            assert!(
                problems.is_err() || problems.is_ok_and(|p| !p.is_empty()),
                "integrity_check must see the damage"
            );
        }
    }
}

#[test]
fn a_truncated_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = populated(dir.path(), 200);
    let full = std::fs::read(&path).unwrap();
    assert!(
        full.len() > 8 * 16_384,
        "need a multi-page database, got {} bytes",
        full.len()
    );
    let page = usize::from(u16::from_be_bytes([full[16], full[17]]));
    // A cut at a page boundary (caught by the page count in the header), one inside a
    // page, and one leaving only the first page.
    for cut in [full.len() / 2 / page * page, full.len() / 2 + 123, page] {
        std::fs::write(&path, &full[..cut]).unwrap();
        let before = file_hash(&path);
        let err = Store::open(&path).unwrap_err();
        assert!(
            matches!(err, StoreError::Corrupt { .. }),
            "cut at {cut}: {err}"
        );
        assert_mentions(&err, &path, &["truncated"]);
        let err = Store::open_read_only(&path).unwrap_err();
        assert!(
            matches!(err, StoreError::Corrupt { .. }),
            "cut at {cut}: {err}"
        );
        assert_eq!(file_hash(&path), before, "cut at {cut}");
    }
}

#[test]
fn another_programs_sqlite_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('mine');")
        .unwrap();
    drop(conn);
    let before = file_hash(&path);
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert_mentions(&err, &path, &["another program"]);
    assert_eq!(file_hash(&path), before);
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = populated(dir.path(), 10);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    conn.pragma_update(None, "journal_mode", "delete").unwrap();
    drop(conn);
    let before = file_hash(&path);
    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::SchemaTooNew { found, supported, .. } if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION),
        "{err}"
    );
    assert_mentions(
        &err,
        &path,
        &["newer than this newsloom supports", "upgrade newsloom"],
    );
    let err = Store::open_read_only(&path).unwrap_err();
    assert!(matches!(err, StoreError::SchemaTooNew { .. }), "{err}");
    assert_eq!(file_hash(&path), before);
    // Not even the journal mode was switched back to WAL.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
}

#[test]
fn a_newer_schema_in_wal_mode_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = populated(dir.path(), 10);
    // populated() opened the store, so its lock file exists; remove it to see whether
    // the refusal creates one.
    std::fs::remove_file(lock_path(&path)).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 7)
        .unwrap();
    drop(conn);
    let before = file_hash(&path);
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::SchemaTooNew { .. }), "{err}");
    assert_eq!(file_hash(&path), before);
    assert!(
        !path.with_file_name("newsloom.db-wal").exists(),
        "no WAL left behind"
    );
    assert!(
        !lock_path(&path).exists(),
        "no lock file created for a refused file"
    );
}

#[test]
fn a_read_only_file_is_refused_for_writing_but_readable() {
    let dir = tempfile::tempdir().unwrap();
    let path = populated(dir.path(), 10);
    set_mode(&path, 0o444);
    let before = file_hash(&path);
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    assert_mentions(&err, &path, &["read-only"]);
    let reader = Store::open_read_only(&path).unwrap();
    assert_eq!(reader.counts().unwrap().articles, 10);
    assert_eq!(reader.stories(&StoryFilter::default()).unwrap().len(), 1);
    drop(reader);
    assert_eq!(file_hash(&path), before);
    set_mode(&path, 0o644);
}

#[test]
fn a_read_only_folder_is_refused_for_writing_but_readable() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("ro");
    std::fs::create_dir(&sub).unwrap();
    let path = populated(&sub, 10);
    // The file itself stays writable: the folder is what SQLite cannot write to.
    set_mode(&sub, 0o555);
    let before = file_hash(&path);
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    assert_mentions(&err, &path, &["folder", "read-only"]);
    // A new database in a read-only folder is refused before anything is created.
    let fresh = sub.join("new.db");
    let err = Store::open(&fresh).unwrap_err();
    assert_mentions(&err, &fresh, &["folder", "read-only"]);
    assert!(!fresh.exists());
    let reader = Store::open_read_only(&path).unwrap();
    assert_eq!(reader.story("s0").unwrap().unwrap().article_count, 10);
    drop(reader);
    assert_eq!(file_hash(&path), before);
    set_mode(&sub, 0o755);
}

#[test]
fn a_full_disk_rolls_back_the_batch_and_leaves_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = populated(dir.path(), 20);
    let before = file_hash(&path);
    let size = std::fs::metadata(&path).unwrap().len();
    let counts_before = Store::open_read_only(&path).unwrap().counts().unwrap();
    {
        let mut store = Store::open_with(
            &path,
            &OpenOptions {
                max_size_bytes: Some(size),
            },
        )
        .unwrap();
        let idx: Vec<usize> = (20..400).collect();
        let err = store.put_batch(&batch(&idx, |_| 0, &id_of)).unwrap_err();
        assert!(matches!(err, StoreError::DiskFull { .. }), "{err}");
        assert_mentions(
            &err,
            &path,
            &["disk full", "nothing of this step was written"],
        );
        // The store stays usable: reads see the old content.
        assert_eq!(store.counts().unwrap(), counts_before);
    }
    assert_eq!(
        file_hash(&path),
        before,
        "a failed batch must not change the file"
    );
    // With room again, the same batch goes through.
    let mut store = reopen_for_writing(&path);
    let idx: Vec<usize> = (20..400).collect();
    store.put_batch(&batch(&idx, |_| 0, &id_of)).unwrap();
    assert_eq!(store.counts().unwrap().articles, 400);
    assert!(store.integrity_check().unwrap().is_empty());
}

#[test]
fn a_folder_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    std::fs::create_dir(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert_mentions(&err, &path, &["not a regular file"]);
}

/// A tiny tmpfs mounted for one test, unmounted on drop (even when the test panics).
struct TinyFs {
    dir: tempfile::TempDir,
}

impl TinyFs {
    /// Mounts a tmpfs of `kib` KiB, or `None` where mounting is not allowed (not root, no
    /// CAP_SYS_ADMIN in a container).
    fn mount(kib: u32) -> Option<TinyFs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(TinyFs { dir })
    }
}

impl Drop for TinyFs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.dir.path())
            .status();
    }
}

#[test]
fn a_really_full_disk_rolls_back_the_batch_and_keeps_the_data() {
    let Some(fs) = TinyFs::mount(1024) else {
        eprintln!("skipped: cannot mount a tmpfs here (the size-limit test covers SQLITE_FULL)");
        return;
    };
    let path = fs.dir.path().join("newsloom.db");
    let mut store = Store::open(&path).unwrap();
    let mut next = 0;
    let mut content = dump(&path);
    // Fill the disk batch by batch. Without checkpoints the batches go to the WAL and the
    // database file stays as it was, so the failing batch must leave it byte-for-byte.
    let err = loop {
        assert!(next < 10_000, "a 1 MiB disk never filled up");
        let before = file_hash(&path);
        let idx: Vec<usize> = (next..next + 20).collect();
        match store.put_batch(&batch(&idx, |_| 0, &id_of)) {
            Ok(_) => next += 20,
            Err(err) => {
                assert_eq!(
                    file_hash(&path),
                    before,
                    "the failed batch changed the database file"
                );
                break err;
            }
        }
        content = dump(&path);
    };
    eprintln!("disk full after {next} articles");
    assert!(matches!(err, StoreError::DiskFull { .. }), "{err}");
    assert_mentions(&err, &path, &["disk full"]);
    assert_eq!(
        store.counts().unwrap().articles,
        next as u64,
        "whole batches only"
    );
    drop(store);
    // Everything committed is still there and consistent, on the full disk.
    let reader = Store::open_read_only(&path).unwrap();
    assert_eq!(reader.counts().unwrap().articles, next as u64);
    assert!(reader.integrity_check().unwrap().is_empty());
    drop(reader);
    assert_eq!(dump(&path), content);
    // With room again, writing resumes.
    let grown = std::process::Command::new("mount")
        .args(["-o", "remount,size=8m"])
        .arg(fs.dir.path())
        .status()
        .is_ok_and(|s| s.success());
    if grown {
        let mut store = reopen_for_writing(&path);
        let idx: Vec<usize> = (next..next + 20).collect();
        store.put_batch(&batch(&idx, |_| 0, &id_of)).unwrap();
        assert_eq!(store.counts().unwrap().articles, next as u64 + 20);
    }
}
