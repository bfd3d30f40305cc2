//! The one-time import of an old history, `<stem>.jobs.jsonl` (one JSON Job a line, the last line
//! for an id winning), into the database; the old file is then renamed `.jobs.jsonl.imported`.

use super::{StoreError, row};
use crate::jobs::record::Job;
use rusqlite::{Connection, TransactionBehavior};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// What an import found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub from: PathBuf,
    /// Where the old file went.
    pub renamed_to: PathBuf,
    pub imported: usize,
    /// Lines that were not a Job: torn by a crash, or garbage. Counted, never silently dropped.
    pub unreadable: usize,
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "imported {} Jobs from {}",
            self.imported,
            self.from.display()
        )?;
        if self.unreadable > 0 {
            write!(
                f,
                "; {} unreadable line{} (cut short or not a Job) skipped",
                self.unreadable,
                if self.unreadable == 1 { "" } else { "s" }
            )?;
        }
        write!(f, "; the old file is now {}", self.renamed_to.display())
    }
}

/// `<stem>.jobs.jsonl` for the database `<stem>.jobs.db`.
pub(crate) fn legacy_path(db: &Path) -> PathBuf {
    db.with_extension("jsonl")
}

/// Imports the old history beside `db`, if there is one.
pub(crate) fn import_beside(
    conn: &Connection,
    db: &Path,
    limits: super::JobLimits,
) -> Result<Option<ImportReport>, StoreError> {
    let from = legacy_path(db);
    if !from.is_file() {
        return Ok(None);
    }
    let file = match std::fs::File::open(&from) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io(&from, e)),
    };
    let sql = |e| StoreError::sql(db, e);
    // One transaction for the lot: another process opening meanwhile waits, then finds the
    // file renamed (or imports it again, harmlessly: a Job's id replaces its row).
    let tx =
        rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate).map_err(sql)?;
    let mut imported = 0;
    let mut unreadable = 0;
    let mut reader = std::io::BufReader::new(file);
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => return Err(StoreError::io(&from, e)),
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        match serde_json::from_str::<Job>(text) {
            Ok(job) => {
                let job = super::cut_bodies(&job, limits.max_body_bytes);
                row::write_in(&tx, &job).map_err(sql)?;
                imported += 1;
            }
            Err(e) => {
                tracing::warn!("skipping an unreadable line of {}: {e}", from.display());
                unreadable += 1;
            }
        }
    }
    tx.commit().map_err(sql)?;
    let renamed_to = PathBuf::from(format!("{}.imported", from.display()));
    match std::fs::rename(&from, &renamed_to) {
        Ok(()) => {}
        // Another process imported it at the same time and renamed it first.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io(&from, e)),
    }
    if let Err(e) = super::query::enforce(conn, limits, false) {
        tracing::warn!(error = %e, "could not trim the imported history");
    }
    tracing::info!(imported, unreadable, from = %from.display(), "imported the old Jobs history");
    Ok(Some(ImportReport {
        from,
        renamed_to,
        imported,
        unreadable,
    }))
}
