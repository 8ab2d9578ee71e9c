//! Versioned schema migrations.
//!
//! The schema version is SQLite's `PRAGMA user_version`; `schema_migrations` keeps the
//! history. Each migration is one SQL file under `migrations/`, applied in its own
//! `BEGIN IMMEDIATE` transaction together with the version bump, so a crash or an error
//! leaves the schema at the previous version, never half-migrated.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior, params};

use crate::error::{Result, StoreError};

/// One schema step.
pub(crate) struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// All migrations, in order; versions are 1, 2, 3, … without gaps.
pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "initial",
    sql: include_str!("../migrations/0001_initial.sql"),
}];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = latest(MIGRATIONS);

const fn latest(migrations: &[Migration]) -> u32 {
    match migrations.last() {
        Some(m) => m.version,
        None => 0,
    }
}

/// `PRAGMA application_id` of newsloom stores ("NLOM"): tells our files from other SQLite files.
pub(crate) const APPLICATION_ID: i32 = 0x4E4C_4F4D;

pub(crate) fn user_version(conn: &Connection, path: &Path) -> Result<u32> {
    let v: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| StoreError::sqlite(path, "reading the schema version", e))?;
    Ok(u32::try_from(v).unwrap_or(u32::MAX))
}

pub(crate) fn application_id(conn: &Connection, path: &Path) -> Result<i32> {
    conn.pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| StoreError::sqlite(path, "reading the application id", e))
}

/// Number of schema objects (tables, indexes, views) in the file.
pub(crate) fn object_count(conn: &Connection, path: &Path) -> Result<i64> {
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(|e| StoreError::sqlite(path, "reading the schema", e))
}

/// Applies every migration newer than the file's version.
pub(crate) fn migrate(conn: &mut Connection, path: &Path, migrations: &[Migration]) -> Result<()> {
    let current = user_version(conn, path)?;
    for m in migrations.iter().filter(|m| m.version > current) {
        apply(conn, path, m)?;
    }
    Ok(())
}

fn apply(conn: &mut Connection, path: &Path, m: &Migration) -> Result<()> {
    let fail = |source| StoreError::Migration {
        path: path.to_path_buf(),
        version: m.version,
        name: m.name,
        source,
    };
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(fail)?;
    tx.execute_batch(m.sql).map_err(fail)?;
    if m.version == 1 {
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(fail)?;
    }
    tx.execute(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
        params![m.version, m.name, crate::now()],
    )
    .map_err(fail)?;
    tx.pragma_update(None, "user_version", m.version)
        .map_err(fail)?;
    tx.commit().map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull {
            path: path.to_path_buf(),
            context: format!("applying migration {} ({})", m.version, m.name),
        },
        _ => fail(e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_contiguous_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(
                m.version as usize,
                i + 1,
                "migration {} out of order",
                m.name
            );
        }
        assert_eq!(SCHEMA_VERSION as usize, MIGRATIONS.len());
    }

    #[test]
    fn a_failing_migration_rolls_back_and_keeps_the_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        let path = Path::new(":memory:");
        let steps = [
            Migration {
                version: 1,
                name: "one",
                sql: "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT); CREATE TABLE t (a INTEGER);",
            },
            Migration {
                version: 2,
                name: "two",
                sql: "CREATE TABLE u (b INTEGER); INSERT INTO nope VALUES (1);",
            },
        ];
        let err = migrate(&mut conn, path, &steps).unwrap_err();
        assert!(
            matches!(err, StoreError::Migration { version: 2, .. }),
            "{err}"
        );
        assert_eq!(user_version(&conn, path).unwrap(), 1);
        // Table u from the failed step must not exist: the step was one transaction.
        let u: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = 'u'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(u, 0);
        // Fixing the step and migrating again resumes from version 1.
        let fixed = [
            Migration {
                version: 1,
                name: "one",
                sql: "SELECT 1",
            },
            Migration {
                version: 2,
                name: "two",
                sql: "CREATE TABLE u (b INTEGER);",
            },
        ];
        migrate(&mut conn, path, &fixed).unwrap();
        assert_eq!(user_version(&conn, path).unwrap(), 2);
    }
}
