//! Reading the list columns: filtered listings newest first, statistics per Payload, the size of
//! the history; and trimming it, by retention or by `payloads jobs prune`.

use super::JobLimits;
use crate::jobs::record::{Job, JobId, JobStatus, ResponseRecord, Trigger};
use crate::workspace::{IntegrationId, PayloadId};
use chrono::{DateTime, TimeZone, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, Row, TransactionBehavior, params_from_iter};

/// Which Jobs to read. Empty fields select everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobQuery {
    pub payload: Option<PayloadId>,
    pub integration: Option<IntegrationId>,
    pub status: Option<JobStatus>,
    /// Jobs created at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Part of the payload id, the status, the error text or the id (the TUI's `/`), any case.
    pub text: Option<String>,
    /// At most this many rows (None: all).
    pub limit: Option<usize>,
    /// Rows skipped first (paging).
    pub offset: usize,
}

/// A Job's list columns: what listings show without reading the record.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct JobSummary {
    pub id: JobId,
    pub created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    pub payload: PayloadId,
    pub integration: IntegrationId,
    /// `business` or `refresh`.
    pub kind: String,
    pub trigger: Trigger,
    pub status: JobStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callout_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linked_job: Option<JobId>,
    /// The first line of the error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Response values a succeeded Job expected and did not find (name, where it looked).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing_values: Vec<(String, String)>,
}

impl JobSummary {
    /// The row as a Job without bodies, headers or timeline: enough for lists and panes.
    pub fn into_job(self) -> Job {
        Job {
            id: self.id,
            payload: self.payload,
            integration: self.integration,
            // Not a list column: the full record has it.
            credential: None,
            linked_job: self.linked_job,
            token_fingerprint: None,
            trigger: self.trigger,
            status: self.status,
            created_at: self.created_at,
            started_at: self.started_at,
            finished_at: self.finished_at,
            duration_ms: self.duration_ms,
            callout_ms: self.callout_ms,
            inputs: Vec::new(),
            request: None,
            response: self.http_status.map(|status| ResponseRecord {
                status,
                headers: Vec::new(),
                body: String::new(),
                body_bytes: 0,
                truncated: false,
                not_utf8: false,
                missing_values: self.missing_values,
                undecodable: None,
            }),
            extracted: Vec::new(),
            targets: Vec::new(),
            error: self.error,
            steps: Vec::new(),
        }
    }
}

/// How much history there is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct HistorySize {
    pub jobs: u64,
    /// The stored records (compressed) and their rows, roughly the file's size.
    pub bytes: u64,
}

/// What a prune removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct PruneReport {
    pub removed: u64,
    pub kept: HistorySize,
}

/// One Payload's record over the Jobs selected.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PayloadStats {
    pub payload: String,
    pub runs: u64,
    pub succeeded: u64,
    pub failed: u64,
    /// Succeeded over finished runs, 0.0 to 1.0 (None before any finished).
    pub success_rate: Option<f64>,
    pub p50_ms: Option<u64>,
    pub p95_ms: Option<u64>,
    pub max_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_failure: Option<LastFailure>,
    /// The newest runs' durations, oldest first, for a sparkline: (ms, failed).
    #[serde(skip)]
    pub recent: Vec<(u64, bool)>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LastFailure {
    pub id: JobId,
    pub at: DateTime<Utc>,
    pub reason: String,
}

/// How many of the newest runs a sparkline shows.
pub const RECENT_RUNS: usize = 40;

const COLUMNS: &str = "id, created_ms, started_ms, finished_ms, payload, integration, kind, \
                       trigger, status, http_status, duration_ms, callout_ms, linked_job, error, \
                       missing";

/// The WHERE clause and its values for `query`.
fn filter(query: &JobQuery) -> (String, Vec<Value>) {
    let mut clauses = Vec::new();
    let mut values = Vec::new();
    if let Some(payload) = &query.payload {
        values.push(Value::Text(payload.to_string()));
        clauses.push(format!("payload = ?{}", values.len()));
    }
    if let Some(integration) = &query.integration {
        values.push(Value::Text(integration.to_string()));
        clauses.push(format!("integration = ?{}", values.len()));
    }
    if let Some(status) = query.status {
        values.push(Value::Text(status.label().to_string()));
        clauses.push(format!("status = ?{}", values.len()));
    }
    if let Some(since) = query.since {
        values.push(Value::Integer(since.timestamp_millis()));
        clauses.push(format!("created_ms >= ?{}", values.len()));
    }
    if let Some(text) = query
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        values.push(Value::Text(text.to_lowercase()));
        let n = values.len();
        clauses.push(format!(
            "(instr(lower(payload), ?{n}) > 0 OR instr(status, ?{n}) > 0 \
             OR instr(lower(coalesce(error, '')), ?{n}) > 0 OR instr(id, ?{n}) > 0)"
        ));
    }
    if clauses.is_empty() {
        (String::new(), values)
    } else {
        (format!("WHERE {}", clauses.join(" AND ")), values)
    }
}

pub(crate) fn each(
    conn: &Connection,
    query: &JobQuery,
    mut visit: impl FnMut(JobSummary) -> bool,
) -> rusqlite::Result<()> {
    let (clause, mut values) = filter(query);
    values.push(Value::Integer(
        query.limit.map_or(-1, |l| i64::try_from(l).unwrap_or(-1)),
    ));
    let limit = values.len();
    values.push(Value::Integer(i64::try_from(query.offset).unwrap_or(0)));
    let offset = values.len();
    let sql = format!(
        "SELECT {COLUMNS} FROM jobs {clause} ORDER BY created_ms DESC, id DESC \
         LIMIT ?{limit} OFFSET ?{offset}"
    );
    let mut statement = conn.prepare(&sql)?;
    let mut rows = statement.query(params_from_iter(values))?;
    while let Some(row) = rows.next()? {
        if !visit(summary(row)?) {
            break;
        }
    }
    Ok(())
}

fn summary(row: &Row<'_>) -> rusqlite::Result<JobSummary> {
    let bad = |i: usize, e: Box<dyn std::error::Error + Send + Sync>| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e)
    };
    let trigger: String = row.get(7)?;
    let status: String = row.get(8)?;
    Ok(JobSummary {
        id: JobId::from(row.get::<_, String>(0)?),
        created_at: time(row.get(1)?),
        started_at: row.get::<_, Option<i64>>(2)?.map(time),
        finished_at: row.get::<_, Option<i64>>(3)?.map(time),
        payload: PayloadId::from(row.get::<_, String>(4)?),
        integration: IntegrationId::from(row.get::<_, String>(5)?),
        kind: row.get(6)?,
        trigger: serde_json::from_str(&trigger).map_err(|e| bad(7, Box::new(e)))?,
        status: status_from_label(&status)
            .ok_or_else(|| bad(8, format!("unknown status {status:?}").into()))?,
        http_status: row.get(9)?,
        duration_ms: row.get::<_, Option<i64>>(10)?.map(unsigned),
        callout_ms: row.get::<_, Option<i64>>(11)?.map(unsigned),
        linked_job: row.get::<_, Option<String>>(12)?.map(JobId::from),
        error: row.get(13)?,
        // A list column only: a value that does not parse (written by hand) shows no note rather
        // than failing the whole list.
        missing_values: row
            .get::<_, Option<String>>(14)?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default(),
    })
}

/// The status named by its label (`succeeded`, `failed`, ...).
pub fn status_from_label(label: &str) -> Option<JobStatus> {
    [
        JobStatus::Queued,
        JobStatus::Running,
        JobStatus::Succeeded,
        JobStatus::Failed,
        JobStatus::Cancelled,
    ]
    .into_iter()
    .find(|s| s.label().eq_ignore_ascii_case(label.trim()))
}

fn time(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn unsigned(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

pub(crate) fn size(conn: &Connection) -> rusqlite::Result<HistorySize> {
    conn.query_row("SELECT jobs, bytes FROM totals", [], |r| {
        Ok(HistorySize {
            jobs: unsigned(r.get(0)?),
            bytes: unsigned(r.get(1)?),
        })
    })
}

pub(crate) fn stats(conn: &Connection, query: &JobQuery) -> rusqlite::Result<Vec<PayloadStats>> {
    let (clause, values) = filter(query);
    // Oldest first within each Payload, so the newest runs end each group.
    let sql = format!(
        "SELECT payload, status, duration_ms, id, created_ms, error FROM jobs {clause} \
         ORDER BY payload, created_ms, id"
    );
    let mut statement = conn.prepare(&sql)?;
    let mut rows = statement.query(params_from_iter(values))?;
    let mut out = Vec::new();
    // One Payload's durations at a time: memory grows with the largest Payload, not the history.
    let mut current: Option<(PayloadStats, Vec<u64>)> = None;
    while let Some(row) = rows.next()? {
        let payload: String = row.get(0)?;
        if current.as_ref().is_none_or(|(s, _)| s.payload != payload) {
            if let Some(done) = current.take() {
                out.push(finish(done));
            }
            current = Some((
                PayloadStats {
                    payload: payload.clone(),
                    runs: 0,
                    succeeded: 0,
                    failed: 0,
                    success_rate: None,
                    p50_ms: None,
                    p95_ms: None,
                    max_ms: None,
                    last_failure: None,
                    recent: Vec::new(),
                },
                Vec::new(),
            ));
        }
        let Some((stats, durations)) = current.as_mut() else {
            continue;
        };
        let status = status_from_label(&row.get::<_, String>(1)?);
        let duration = row.get::<_, Option<i64>>(2)?.map(unsigned);
        stats.runs += 1;
        let failed = matches!(status, Some(JobStatus::Failed | JobStatus::Cancelled));
        match status {
            Some(JobStatus::Succeeded) => stats.succeeded += 1,
            _ if failed => {
                stats.failed += 1;
                stats.last_failure = Some(LastFailure {
                    id: JobId::from(row.get::<_, String>(3)?),
                    at: time(row.get(4)?),
                    reason: row.get::<_, Option<String>>(5)?.unwrap_or_default(),
                });
            }
            _ => {}
        }
        if let Some(ms) = duration.filter(|_| status.is_some_and(JobStatus::is_finished)) {
            durations.push(ms);
            stats.recent.push((ms, failed));
            if stats.recent.len() > RECENT_RUNS {
                stats.recent.remove(0);
            }
        }
    }
    if let Some(done) = current.take() {
        out.push(finish(done));
    }
    Ok(out)
}

fn finish((mut stats, mut durations): (PayloadStats, Vec<u64>)) -> PayloadStats {
    let finished = stats.succeeded + stats.failed;
    if finished > 0 {
        stats.success_rate = Some(stats.succeeded as f64 / finished as f64);
    }
    durations.sort_unstable();
    let at = |q: f64| -> Option<u64> {
        if durations.is_empty() {
            return None;
        }
        // Nearest rank: the smallest value with at least q of the values at or below it.
        let rank = ((q * durations.len() as f64).ceil() as usize).clamp(1, durations.len());
        durations.get(rank - 1).copied()
    };
    stats.p50_ms = at(0.50);
    stats.p95_ms = at(0.95);
    stats.max_ms = durations.last().copied();
    stats
}

/// Rows deleted per transaction when trimming, so a run waiting to write waits for one batch.
const BATCH: i64 = 200;

/// Free pages (4 KiB each) a trimmed file keeps for reuse before it is shrunk.
const FREE_PAGES_KEPT: i64 = 4096;

/// Trims the history to `limits`. With `quick`, gives up at once when another process holds the
/// write lock (a run must not wait on housekeeping); the next write tries again.
pub(crate) fn enforce(conn: &Connection, limits: JobLimits, quick: bool) -> rusqlite::Result<u64> {
    let totals = size(conn)?;
    let max_jobs = limits.max_jobs as u64;
    if totals.jobs <= max_jobs && totals.bytes <= limits.max_bytes {
        return Ok(0);
    }
    if quick {
        conn.busy_timeout(std::time::Duration::ZERO)?;
    }
    let result = (|| {
        let mut removed = 0;
        loop {
            // A batch a transaction, so a run waiting to write waits for one batch at most.
            let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
            let mut batch = 0;
            while batch < BATCH {
                let totals = size(&tx)?;
                let over_count = totals.jobs.saturating_sub(max_jobs);
                // Over the count: that many go at once. Over the byte budget: the oldest go
                // one at a time until the rest fits.
                let n = if over_count > 0 {
                    i64::try_from(over_count)
                        .unwrap_or(BATCH)
                        .min(BATCH - batch)
                } else if totals.bytes > limits.max_bytes && totals.jobs > 0 {
                    1
                } else {
                    break;
                };
                let gone = tx.execute(
                    "DELETE FROM jobs WHERE seq IN
                         (SELECT seq FROM jobs ORDER BY created_ms, id LIMIT ?1)",
                    [n],
                )? as i64;
                if gone == 0 {
                    break;
                }
                batch += gone;
            }
            tx.commit()?;
            removed += batch as u64;
            if batch < BATCH {
                break;
            }
        }
        // Freed pages are reused by the next writes; only a lot of them (a lowered retention, a
        // prune) is handed back to the file system, so steady trimming does not churn the file.
        let free: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
        if free > FREE_PAGES_KEPT {
            conn.execute_batch("PRAGMA incremental_vacuum;")?;
        }
        Ok(removed)
    })();
    if quick {
        conn.busy_timeout(super::schema::BUSY_TIMEOUT)?;
    }
    result
}

pub(crate) fn prune(
    conn: &Connection,
    keep: Option<usize>,
    before: Option<DateTime<Utc>>,
    limits: JobLimits,
) -> rusqlite::Result<PruneReport> {
    let mut removed = 0u64;
    if let Some(before) = before {
        loop {
            let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
            let gone = tx.execute(
                "DELETE FROM jobs WHERE seq IN
                     (SELECT seq FROM jobs WHERE created_ms < ?1 ORDER BY created_ms, id LIMIT ?2)",
                rusqlite::params![before.timestamp_millis(), BATCH],
            )?;
            tx.commit()?;
            removed += gone as u64;
            if gone == 0 {
                break;
            }
        }
    }
    let limits = JobLimits {
        max_jobs: keep.map_or(limits.max_jobs, |k| k.min(limits.max_jobs)),
        ..limits
    };
    removed += enforce(conn, limits, false)?;
    conn.execute_batch("PRAGMA incremental_vacuum;")?;
    Ok(PruneReport {
        removed,
        kept: size(conn)?,
    })
}
