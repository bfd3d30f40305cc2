//! One Job as rows: its list columns in `jobs`, its full record compressed in `job_records`;
//! writing one in a transaction and reading one back in full.

use super::Lookup;
use crate::jobs::record::{Job, JobId, Trigger};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

/// zstd level 3: the library's default, fast enough that a 1 MiB body costs a few milliseconds.
const ZSTD_LEVEL: i32 = 3;

/// Rough bytes a row and its index entries take beyond the record blob, for the size budget.
const ROW_OVERHEAD: usize = 256;

/// Business Jobs call a Payload; refresh Jobs fetch a token for one.
pub(crate) fn kind_of(trigger: &Trigger) -> &'static str {
    match trigger {
        // A login fetches first tokens, as a refresh fetches new ones.
        Trigger::RefreshFor(_) | Trigger::ManualRefresh | Trigger::Login => "refresh",
        Trigger::Tui | Trigger::Cli => "business",
    }
}

/// Writes `job` (inserting, or replacing the row with its id) in one transaction.
pub(crate) fn write(conn: &Connection, job: &Job) -> rusqlite::Result<()> {
    // IMMEDIATE takes the write lock up front, so a busy database waits in the busy handler
    // rather than failing half-way through.
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    write_in(&tx, job)?;
    tx.commit()
}

/// Writes `job`'s rows inside the caller's transaction.
pub(crate) fn write_in(tx: &Connection, job: &Job) -> rusqlite::Result<()> {
    let json = serde_json::to_vec(job)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let record = zstd::bulk::compress(&json, ZSTD_LEVEL)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let trigger = serde_json::to_string(&job.trigger)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let error = job.error.as_deref().map(one_line);
    let missing = match job.response.as_ref().map(|r| &r.missing_values) {
        Some(missing) if !missing.is_empty() => Some(
            serde_json::to_string(missing)
                .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?,
        ),
        _ => None,
    };
    let seq: i64 = tx.query_row(
        "INSERT INTO jobs (id, created_ms, started_ms, finished_ms, payload, integration, kind,
             trigger, status, http_status, duration_ms, callout_ms, linked_job, error, stored_bytes,
             missing)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
         ON CONFLICT (id) DO UPDATE SET
             created_ms = excluded.created_ms, started_ms = excluded.started_ms,
             finished_ms = excluded.finished_ms, payload = excluded.payload,
             integration = excluded.integration, kind = excluded.kind, trigger = excluded.trigger,
             status = excluded.status, http_status = excluded.http_status,
             duration_ms = excluded.duration_ms, callout_ms = excluded.callout_ms,
             linked_job = excluded.linked_job, error = excluded.error,
             stored_bytes = excluded.stored_bytes, missing = excluded.missing
         RETURNING seq",
        params![
            job.id.as_str(),
            job.created_at.timestamp_millis(),
            job.started_at.map(|t| t.timestamp_millis()),
            job.finished_at.map(|t| t.timestamp_millis()),
            job.payload.as_str(),
            job.integration.as_str(),
            kind_of(&job.trigger),
            trigger,
            job.status.label(),
            job.response.as_ref().map(|r| r.status),
            job.duration_ms.map(clamp_i64),
            job.callout_ms.map(clamp_i64),
            job.linked_job.as_deref(),
            error,
            (record.len() + ROW_OVERHEAD) as i64,
            missing,
        ],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT OR REPLACE INTO job_records (seq, record) VALUES (?1, ?2)",
        params![seq, record],
    )?;
    Ok(())
}

/// Finds a Job by id, unique prefix, or unique part, and reads it in full.
pub(crate) fn find(conn: &Connection, id: &str) -> rusqlite::Result<Lookup> {
    let exact: Option<i64> = conn
        .query_row("SELECT seq FROM jobs WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    if let Some(seq) = exact {
        return read(conn, seq);
    }
    let mut matches = matching(
        conn,
        "SELECT seq, id FROM jobs WHERE substr(id, 1, length(?1)) = ?1
         ORDER BY created_ms DESC, id DESC LIMIT 51",
        id,
    )?;
    if matches.is_empty() {
        matches = matching(
            conn,
            "SELECT seq, id FROM jobs WHERE instr(id, ?1) > 0
             ORDER BY created_ms DESC, id DESC LIMIT 51",
            id,
        )?;
    }
    match matches.as_slice() {
        [] => Ok(Lookup::NotFound),
        [(seq, _)] => read(conn, *seq),
        many => Ok(Lookup::Ambiguous(
            many.iter()
                .map(|(_, id)| JobId::from(id.as_str()))
                .collect(),
        )),
    }
}

fn matching(conn: &Connection, sql: &str, id: &str) -> rusqlite::Result<Vec<(i64, String)>> {
    let mut statement = conn.prepare(sql)?;
    let rows = statement.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

fn read(conn: &Connection, seq: i64) -> rusqlite::Result<Lookup> {
    let blob: Option<Vec<u8>> = conn
        .query_row(
            "SELECT record FROM job_records WHERE seq = ?1",
            [seq],
            |r| r.get(0),
        )
        .optional()?;
    let Some(blob) = blob else {
        return Ok(Lookup::NotFound);
    };
    decode(&blob).map(|job| Lookup::Found(Box::new(job)))
}

/// The stored record back as a Job; a record that does not decode is reported, not a panic.
fn decode(blob: &[u8]) -> rusqlite::Result<Job> {
    let bad = |e: Box<dyn std::error::Error + Send + Sync>| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, e)
    };
    let json = zstd::stream::decode_all(blob).map_err(|e| bad(Box::new(e)))?;
    serde_json::from_slice(&json).map_err(|e| bad(Box::new(e)))
}

/// The first line of an error, for the list column (the full text stays in the record).
fn one_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().trim().to_string()
}

fn clamp_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}
