//! Opening the history database: the file created private, WAL and a busy timeout so any number
//! of processes write at once, and the schema created or migrated by `PRAGMA user_version`.

use super::StoreError;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::Path;
use std::time::Duration;

/// The schema this program writes. A file with a higher version was written by a newer program
/// and is left alone rather than migrated backwards.
pub(crate) const SCHEMA_VERSION: i64 = 2;

/// How long a writer waits for another process's transaction before giving up. Job writes are
/// single short transactions, so waiting this long means something is badly stuck.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Each migration takes the schema from its index to index + 1, inside one transaction.
const MIGRATIONS: &[&str] = &[
    // 0 -> 1: the list columns, and the full record (bodies and all) compressed in its own table
    // so listing never reads it.
    "CREATE TABLE jobs (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        created_ms INTEGER NOT NULL,
        started_ms INTEGER,
        finished_ms INTEGER,
        payload TEXT NOT NULL,
        integration TEXT NOT NULL,
        kind TEXT NOT NULL,
        trigger TEXT NOT NULL,
        status TEXT NOT NULL,
        http_status INTEGER,
        duration_ms INTEGER,
        callout_ms INTEGER,
        linked_job TEXT,
        error TEXT,
        stored_bytes INTEGER NOT NULL
    );
    CREATE INDEX jobs_newest ON jobs (created_ms DESC, id DESC);
    CREATE INDEX jobs_payload ON jobs (payload, created_ms DESC);
    CREATE INDEX jobs_integration ON jobs (integration, created_ms DESC);
    CREATE TABLE job_records (
        seq INTEGER PRIMARY KEY REFERENCES jobs (seq) ON DELETE CASCADE,
        record BLOB NOT NULL
    );
    -- Kept by triggers so retention checks cost one row, not a scan, on every write.
    CREATE TABLE totals (
        one INTEGER PRIMARY KEY CHECK (one = 1),
        jobs INTEGER NOT NULL,
        bytes INTEGER NOT NULL
    );
    INSERT INTO totals VALUES (1, 0, 0);
    CREATE TRIGGER jobs_added AFTER INSERT ON jobs BEGIN
        UPDATE totals SET jobs = jobs + 1, bytes = bytes + NEW.stored_bytes;
    END;
    CREATE TRIGGER jobs_removed AFTER DELETE ON jobs BEGIN
        UPDATE totals SET jobs = jobs - 1, bytes = bytes - OLD.stored_bytes;
    END;
    CREATE TRIGGER jobs_changed AFTER UPDATE OF stored_bytes ON jobs BEGIN
        UPDATE totals SET bytes = bytes - OLD.stored_bytes + NEW.stored_bytes;
    END;",
    // 1 -> 2: the response values a succeeded Job expected and did not find, so a list row
    // read back from the history still says so (JSON pairs of name and where it was looked for).
    "ALTER TABLE jobs ADD COLUMN missing TEXT;",
];

/// Opens (creating when missing) the database at `path`, ready for use.
pub(crate) fn open(path: &Path) -> Result<Connection, StoreError> {
    create_private(path).map_err(|e| StoreError::io(path, e))?;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::sql(path, e))?;
    prepare(&conn).map_err(|e| StoreError::sql(path, e))?;
    migrate(&conn, path)?;
    Ok(conn)
}

fn prepare(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Reading the mode back also checks the file really is a database.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(mode, "the Jobs database could not switch to WAL mode");
    }
    // NORMAL, the setting WAL is made for: a commit is a write to the WAL, which is fsynced when
    // it is copied into the database (a checkpoint), not on every commit. A recorded Job
    // survives the process being killed at any point after its commit (the write is in the
    // kernel's cache); a power cut may roll back the last Jobs but never damages the file. The
    // tokens, which must survive a power cut, have their own fsynced journal (workspace::journal).
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
    // The last connection to close would copy the WAL into the database, fsync both and delete
    // the WAL, and the next process would create it again (and fsync its folder): four fsyncs
    // per headless run for nothing. The WAL stays instead (readers read it; it is copied back
    // when it reaches SQLite's automatic checkpoint size, 1,000 pages).
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    Ok(())
}

fn migrate(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let sql = |e| StoreError::sql(path, e);
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql)?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::Newer {
            path: path.to_path_buf(),
            version,
        });
    }
    // Several processes may open a new file at once: the first to take the write lock migrates,
    // the others find the work done when they get it.
    if version == 0 {
        // Deleted pages are handed back to the file system a little at a time after pruning, so
        // the file shrinks without a VACUUM that would hold the write lock for long. Only takes
        // effect on a file without tables; a no-op when another process made them first.
        conn.execute_batch("PRAGMA auto_vacuum = INCREMENTAL;")
            .map_err(sql)?;
    }
    let tx =
        rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate).map_err(sql)?;
    let mut version: i64 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql)?;
    while version < SCHEMA_VERSION {
        let Some(step) = MIGRATIONS.get(version as usize) else {
            break;
        };
        tx.execute_batch(step).map_err(sql)?;
        version += 1;
    }
    tx.pragma_update(None, "user_version", version)
        .map_err(sql)?;
    tx.commit().map_err(sql)?;
    Ok(())
}

/// Creates the file empty with mode 0600 before SQLite opens it (SQLite would use 0644); its WAL
/// and shared-memory files take the database file's mode.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop)
}
