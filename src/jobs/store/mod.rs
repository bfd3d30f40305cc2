//! The Job history beside the workspace: a SQLite database, `<stem>.jobs.db`. The list columns
//! are columns; the full record (bodies and all) is one compressed blob read only when a Job is
//! opened. Any number of processes write at once (WAL, a busy timeout, one transaction a Job).

mod error;
mod import;
mod query;
mod row;
mod schema;

pub use error::{StoreError, StoreErrorKind};
pub use import::ImportReport;
pub use query::{
    HistorySize, JobQuery, JobSummary, LastFailure, PayloadStats, PruneReport, RECENT_RUNS,
    status_from_label,
};

use super::record::{Job, JobId};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// How much history is kept: the newest `max_jobs` Jobs and at most `max_bytes` stored, whichever
/// is smaller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobLimits {
    pub max_jobs: usize,
    pub max_bytes: u64,
    /// Request and response bodies are cut to this many bytes when written (the response cap).
    pub max_body_bytes: usize,
}

/// The default retention: 10,000 Jobs, 512 MiB.
pub const DEFAULT_MAX_JOBS: usize = 10_000;
pub const DEFAULT_MAX_BYTES: u64 = 512 * 1024 * 1024;
/// Bodies are kept up to the response cap of a run (`flow::RunnerConfig::body_cap`), so a Job
/// shows all that was read.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;

impl Default for JobLimits {
    fn default() -> Self {
        JobLimits {
            max_jobs: DEFAULT_MAX_JOBS,
            max_bytes: DEFAULT_MAX_BYTES,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

impl JobLimits {
    /// The retention the workspace's `settings` ask for, defaults elsewhere.
    pub fn from_settings(settings: &crate::workspace::Settings) -> JobLimits {
        let defaults = JobLimits::default();
        JobLimits {
            max_jobs: settings.keep_jobs.map_or(defaults.max_jobs, |n| n.get()),
            max_bytes: settings
                .keep_mib
                .map_or(defaults.max_bytes, |n| n.get().saturating_mul(1024 * 1024)),
            ..defaults
        }
    }
}

/// What looking a Job up by id or id prefix found.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Found(Box<Job>),
    NotFound,
    /// More than one Job matches the prefix: their ids, newest first.
    Ambiguous(Vec<JobId>),
}

type FailureHook = Box<dyn Fn(&str) + Send + Sync>;

/// The Job history of one workspace. Records are expected to be redacted already; the store adds
/// nothing but what it is given. Safe to share between threads, and between processes.
pub struct JobStore {
    path: PathBuf,
    limits: Mutex<JobLimits>,
    /// Opened on first use and kept; dropped after an error so the next use opens afresh.
    conn: Mutex<Option<Connection>>,
    /// What importing an old `.jobs.jsonl` found, until someone reports it.
    import: Mutex<Option<ImportReport>>,
    /// Set after a write failed, cleared by the next success: the hook hears once per streak.
    failing: AtomicBool,
    on_failure: Mutex<Option<FailureHook>>,
}

impl std::fmt::Debug for JobStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobStore")
            .field("path", &self.path)
            .field("limits", &self.limits())
            .finish_non_exhaustive()
    }
}

impl JobStore {
    /// The history of the workspace at `workspace_path`: `<dir>/<file stem>.jobs.db`, default limits.
    pub fn beside(workspace_path: impl AsRef<Path>) -> JobStore {
        // Beside the real file, so every symlink to one workspace shares one history.
        let workspace = crate::workspace::save::real_path(workspace_path.as_ref());
        JobStore::open(jobs_path_for(&workspace), JobLimits::default())
    }

    /// The history database at `path`; it is created (mode 0600) on first use. An old
    /// `<stem>.jsonl` beside a `<stem>.db` path is imported then.
    pub fn open(path: impl Into<PathBuf>, limits: JobLimits) -> JobStore {
        JobStore {
            path: path.into(),
            limits: Mutex::new(limits),
            conn: Mutex::new(None),
            import: Mutex::new(None),
            failing: AtomicBool::new(false),
            on_failure: Mutex::new(None),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn limits(&self) -> JobLimits {
        *self.limits.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Changes the retention (the workspace's `settings` say how much to keep).
    pub fn set_limits(&self, limits: JobLimits) {
        *self.limits.lock().unwrap_or_else(|e| e.into_inner()) = limits;
    }

    /// Called with the reason the first time a Job cannot be recorded (and again only after a
    /// write has worked in between), so a person hears of it once, not once per Job.
    pub fn on_failure(&self, hook: impl Fn(&str) + Send + Sync + 'static) {
        *self.on_failure.lock().unwrap_or_else(|e| e.into_inner()) = Some(Box::new(hook));
    }

    /// What importing an old history file found, once (None after the first call, or when
    /// nothing was imported).
    pub fn take_import_report(&self) -> Option<ImportReport> {
        self.import.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// Records `job` (its bodies cut to the limit) in one transaction. Recording the same id again
    /// replaces the earlier record. Then trims the history to the retention, if it can do so
    /// without waiting on another writer.
    pub fn record(&self, job: &Job) -> Result<(), StoreError> {
        let result = self.with_conn(|conn, path| {
            let limits = self.limits();
            let job = cut_bodies(job, limits.max_body_bytes);
            row::write(conn, &job).map_err(|e| StoreError::sql(path, e))?;
            // Trimming is housekeeping: a busy database leaves it to the next write.
            if let Err(e) = query::enforce(conn, limits, true) {
                tracing::debug!(error = %e, "left trimming the Jobs history for later");
            }
            Ok(())
        });
        match &result {
            Ok(()) => self.failing.store(false, Ordering::Relaxed),
            Err(e) => {
                if !self.failing.swap(true, Ordering::Relaxed)
                    && let Some(hook) = &*self.on_failure.lock().unwrap_or_else(|e| e.into_inner())
                {
                    hook(&format!(
                        "Job {} could not be recorded ({e}); {}",
                        job.id,
                        e.advice()
                    ));
                }
            }
        }
        result
    }

    /// Records many Jobs in one transaction (bodies cut, then the history trimmed): for building
    /// a history quickly, as the benchmarks do. A run records its Job with `record`.
    pub fn record_batch(&self, jobs: &[Job]) -> Result<(), StoreError> {
        self.with_conn(|conn, path| {
            let limits = self.limits();
            let sql = |e| StoreError::sql(path, e);
            let tx = rusqlite::Transaction::new_unchecked(
                conn,
                rusqlite::TransactionBehavior::Immediate,
            )
            .map_err(sql)?;
            for job in jobs {
                row::write_in(&tx, &cut_bodies(job, limits.max_body_bytes)).map_err(sql)?;
            }
            tx.commit().map_err(sql)?;
            query::enforce(conn, limits, false).map_err(sql)?;
            Ok(())
        })
    }

    /// The newest `limit` Jobs, newest first, as list rows (no bodies, no timeline).
    pub fn list(&self, limit: usize) -> Result<Vec<Job>, StoreError> {
        let query = JobQuery {
            limit: Some(limit),
            ..JobQuery::default()
        };
        Ok(self
            .summaries(&query)?
            .into_iter()
            .map(JobSummary::into_job)
            .collect())
    }

    /// The rows `query` selects, newest first.
    pub fn summaries(&self, query: &JobQuery) -> Result<Vec<JobSummary>, StoreError> {
        let mut rows = Vec::new();
        self.each(query, |row| {
            rows.push(row);
            true
        })?;
        Ok(rows)
    }

    /// Hands each row `query` selects to `visit`, newest first, one at a time (so a listing of
    /// any length holds one row in memory); `visit` returns false to stop.
    pub fn each(
        &self,
        query: &JobQuery,
        visit: impl FnMut(JobSummary) -> bool,
    ) -> Result<(), StoreError> {
        self.with_reader(|conn, path| {
            query::each(conn, query, visit).map_err(|e| StoreError::sql(path, e))
        })
        .map(|_| ())
    }

    /// The Job with this id, or with this unique id prefix, in full.
    pub fn get(&self, id: &str) -> Result<Option<Job>, StoreError> {
        Ok(match self.find(id)? {
            Lookup::Found(job) => Some(*job),
            Lookup::NotFound | Lookup::Ambiguous(_) => None,
        })
    }

    /// Looks a Job up by its id, a unique prefix of it, or a unique part of it (the suffix after
    /// the time is the part people copy).
    pub fn find(&self, id: &str) -> Result<Lookup, StoreError> {
        let id = id.trim();
        if id.is_empty() {
            return Ok(Lookup::NotFound);
        }
        self.with_reader(|conn, path| row::find(conn, id).map_err(|e| StoreError::sql(path, e)))
            .map(|found| found.unwrap_or(Lookup::NotFound))
    }

    /// Runs, success rate and durations per Payload over the Jobs `query` selects (its limit
    /// ignored).
    pub fn stats(&self, query: &JobQuery) -> Result<Vec<PayloadStats>, StoreError> {
        self.with_reader(|conn, path| {
            query::stats(conn, query).map_err(|e| StoreError::sql(path, e))
        })
        .map(Option::unwrap_or_default)
    }

    /// How many Jobs are kept and how many bytes they take.
    pub fn size(&self) -> Result<HistorySize, StoreError> {
        self.with_reader(|conn, path| query::size(conn).map_err(|e| StoreError::sql(path, e)))
            .map(Option::unwrap_or_default)
    }

    /// Deletes all but the newest `keep` Jobs and those created before `before`, in small
    /// transactions so runs writing meanwhile wait for a moment at most; then trims to the
    /// retention and hands freed pages back to the file system.
    pub fn prune(
        &self,
        keep: Option<usize>,
        before: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<PruneReport, StoreError> {
        let limits = self.limits();
        self.with_conn(|conn, path| {
            query::prune(conn, keep, before, limits).map_err(|e| StoreError::sql(path, e))
        })
    }

    /// Opens the database now (creating or migrating it, importing an old history): the error a
    /// write would meet, without writing.
    pub fn check(&self) -> Result<(), StoreError> {
        self.with_conn(|_, _| Ok(()))
    }

    /// Moves a damaged database (and its WAL and shared-memory files) aside, never deleting it,
    /// so the next use starts a new history. Returns where it went.
    pub fn move_aside(&self) -> Result<PathBuf, StoreError> {
        *self.conn.lock().unwrap_or_else(|e| e.into_inner()) = None;
        let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
        let aside = PathBuf::from(format!("{}.damaged-{stamp}", self.path.display()));
        std::fs::rename(&self.path, &aside).map_err(|e| StoreError::io(&self.path, e))?;
        for suffix in ["-wal", "-shm"] {
            let from = PathBuf::from(format!("{}{suffix}", self.path.display()));
            let to = PathBuf::from(format!("{}{suffix}", aside.display()));
            if from.exists()
                && let Err(e) = std::fs::rename(&from, &to)
            {
                tracing::warn!(error = %e, "could not move {} aside", from.display());
            }
        }
        Ok(aside)
    }

    /// Runs `work` on the open connection, opening it first (and importing an old history).
    fn with_conn<T>(
        &self,
        work: impl FnOnce(&Connection, &Path) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut slot = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_none() {
            let conn = schema::open(&self.path)?;
            if let Some(report) = import::import_beside(&conn, &self.path, self.limits())? {
                *self.import.lock().unwrap_or_else(|e| e.into_inner()) = Some(report);
            }
            *slot = Some(conn);
        }
        let Some(conn) = slot.as_ref() else {
            unreachable!("opened just above")
        };
        let result = work(conn, &self.path);
        if result.is_err() {
            // A connection that met an error may be unusable (a file moved aside, a lock lost):
            // the next use opens afresh.
            *slot = None;
        }
        result
    }

    /// Like `with_conn`, but a missing database is an empty history (None), not a new file;
    /// an old history beside it is imported first, as any use would.
    fn with_reader<T>(
        &self,
        work: impl FnOnce(&Connection, &Path) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        if !self.path.exists() && !import::legacy_path(&self.path).exists() {
            return Ok(None);
        }
        self.with_conn(work).map(Some)
    }
}

/// `<dir>/<file stem>.jobs.db` for the workspace at `workspace_path`.
pub fn jobs_path_for(workspace_path: &Path) -> PathBuf {
    let stem = workspace_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "workspace".to_string());
    let dir = workspace_path.parent().unwrap_or(Path::new(""));
    dir.join(format!("{stem}.jobs.db"))
}

/// The Job with its bodies cut to `max` bytes each.
fn cut_bodies(job: &Job, max: usize) -> Job {
    let mut job = job.clone();
    if let Some(request) = &mut job.request
        && let Some(body) = &mut request.body
    {
        let full = body.len();
        if cut(body, max) {
            body.push_str(&format!("\n… [body cut: first {max} of {full} bytes kept]"));
        }
    }
    if let Some(response) = &mut job.response {
        let full = response.body.len() as u64;
        if cut(&mut response.body, max) {
            response.truncated = true;
            response.body_bytes = response.body_bytes.max(full);
        }
    }
    job
}

/// Cuts `text` to at most `max` bytes on a char boundary; true when it was cut.
fn cut(text: &mut String, max: usize) -> bool {
    if text.len() <= max {
        return false;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_jobs_database_sits_beside_the_workspace() {
        assert_eq!(
            jobs_path_for(Path::new("/srv/x/workspace.ron")),
            PathBuf::from("/srv/x/workspace.jobs.db")
        );
        assert_eq!(
            jobs_path_for(Path::new("team.ron")),
            PathBuf::from("team.jobs.db")
        );
    }

    #[test]
    fn cutting_respects_char_boundaries() {
        let mut text = "aé€".to_string();
        assert!(cut(&mut text, 4));
        assert_eq!(text, "aé");
        let mut short = "abc".to_string();
        assert!(!cut(&mut short, 3));
    }
}
