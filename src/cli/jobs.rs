//! `payloads jobs` (a filtered listing, streamed), `jobs show ID`, `jobs stats`, `jobs prune` and
//! `jobs recover`: the Job history beside the workspace.

use super::output::Paint;
use crate::jobs::pictures::{format_bytes, sparkline};
use crate::jobs::render::{format_duration, format_time, job_detail, printable};
use crate::jobs::{
    Job, JobQuery, JobStore, JobSummary, Lookup, PayloadStats, Redactor, StoreError, StoreErrorKind,
};
use chrono::{DateTime, Utc};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Lists the Jobs `query` selects, newest first: a table, or one JSON object per line. Rows are
/// printed as they are read, so a listing of any length holds one row at a time.
pub fn list(workspace: &Path, query: &JobQuery, json: bool, paint: Paint) -> ExitCode {
    let store = open_store(workspace);
    let redactor = redactor_for(workspace);
    let mut stdout = std::io::stdout().lock();
    let mut widths: Option<Widths> = None;
    let mut printed = 0usize;
    let mut gone = false;
    let result = store.each(query, |mut row| {
        row.error = row.error.as_deref().map(|e| redactor.redact(e));
        let text = if json {
            let mut line = serde_json::to_string(&row).unwrap_or_default();
            line.push('\n');
            line
        } else {
            // The first row fixes the widths: ids, times and statuses are all one width, so only
            // a longer Payload id pushes its row's later columns right.
            let widths = widths.get_or_insert_with(|| Widths::from_first(&row));
            let mut text = String::new();
            if printed == 0 {
                text.push_str(&widths.header());
            }
            text.push_str(&widths.row(&row, paint));
            text
        };
        printed += 1;
        // A reader that has gone (`payloads jobs | head`) ends the listing quietly.
        gone = stdout.write_all(text.as_bytes()).is_err();
        !gone
    });
    let _ = stdout.flush();
    report_import(&store);
    if let Err(e) = result {
        return read_failed(&e);
    }
    if printed == 0 && !json && query.limit != Some(0) {
        super::output::error(format_args!(
            "no Jobs{} (they are kept in {})",
            if *query == JobQuery::default() || only_limit(query) {
                " yet"
            } else {
                " match"
            },
            store.path().display()
        ));
    }
    ExitCode::SUCCESS
}

fn only_limit(query: &JobQuery) -> bool {
    *query
        == JobQuery {
            limit: query.limit,
            ..JobQuery::default()
        }
}

/// Column widths for the streamed table.
struct Widths {
    id: usize,
    payload: usize,
}

const TIME_WIDTH: usize = "2026-11-28 13:37:45Z".len();
const STATUS_WIDTH: usize = "succeeded".len();
const HTTP_WIDTH: usize = 4;
const DURATION_WIDTH: usize = "3 min 4 s".len();

impl Widths {
    fn from_first(row: &JobSummary) -> Widths {
        Widths {
            id: row.id.chars().count().max(2),
            payload: printable(&row.payload).chars().count().max(24),
        }
    }

    fn header(&self) -> String {
        self.line(&[
            "ID",
            "TIME",
            "PAYLOAD",
            "STATUS",
            "HTTP",
            "DURATION",
            "LINKED JOB",
        ])
    }

    fn row(&self, row: &JobSummary, paint: Paint) -> String {
        let http = row
            .http_status
            .map_or_else(|| "-".to_string(), |s| s.to_string());
        let duration = row
            .duration_ms
            .map_or_else(|| "-".to_string(), format_duration);
        let line = self.line(&[
            &printable(&row.id),
            &format_time(row.created_at),
            &printable(&row.payload),
            row.status.label(),
            &http,
            &duration,
            row.linked_job.as_deref().map_or("-", |l| l),
        ]);
        // The STATUS cell coloured after padding, so escape codes do not count as width.
        let label = row.status.label();
        let at = line
            .char_indices()
            .nth(self.id + 2 + TIME_WIDTH + 2 + self.payload.max(cols(&row.payload)) + 2)
            .map(|(i, _)| i);
        match at {
            Some(at) if paint.0 && line[at..].starts_with(label) => format!(
                "{}{}{}",
                &line[..at],
                paint.status(row.status, label),
                &line[at + label.len()..]
            ),
            _ => line,
        }
    }

    fn line(&self, cells: &[&str; 7]) -> String {
        let widths = [
            self.id,
            TIME_WIDTH,
            self.payload,
            STATUS_WIDTH,
            HTTP_WIDTH,
            DURATION_WIDTH,
            0,
        ];
        let mut line = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == cells.len() {
                line.push_str(&printable(cell));
            } else {
                line.push_str(&format!("{cell:<width$}  "));
            }
        }
        let mut line = line.trim_end().to_string();
        line.push('\n');
        line
    }
}

fn cols(text: &str) -> usize {
    printable(text).chars().count()
}

/// Shows one Job in full, by id or unique id prefix.
pub fn show(workspace: &Path, id: &str, json: bool) -> ExitCode {
    let store = open_store(workspace);
    let found = store.find(id);
    report_import(&store);
    let mut job: Job = match found {
        Ok(Lookup::Found(job)) => *job,
        Ok(Lookup::NotFound) => {
            super::output::error(format_args!(
                "no Job with id {id:?} in {} (`payloads jobs` lists them)",
                store.path().display()
            ));
            return ExitCode::from(super::EXIT_USAGE);
        }
        Ok(Lookup::Ambiguous(ids)) => {
            super::output::error(format_args!(
                "{id:?} matches {} Jobs; give more of the id:",
                ids.len()
            ));
            for id in ids.iter().take(20) {
                super::output::stderr_line(&format!("  {id}"));
            }
            return ExitCode::from(super::EXIT_USAGE);
        }
        Err(e) => return read_failed(&e),
    };
    redactor_for(workspace).redact_job(&mut job);
    let text = if json {
        let mut text = serde_json::to_string_pretty(&job).unwrap_or_default();
        text.push('\n');
        text
    } else {
        job_detail(&job)
    };
    print(&text);
    ExitCode::SUCCESS
}

/// Runs, success rate, p50/p95/max duration and the last failure, per Payload.
pub fn stats(workspace: &Path, query: &JobQuery, json: bool) -> ExitCode {
    let store = open_store(workspace);
    let result = store.stats(query);
    report_import(&store);
    let mut stats = match result {
        Ok(stats) => stats,
        Err(e) => return read_failed(&e),
    };
    let redactor = redactor_for(workspace);
    for s in &mut stats {
        if let Some(failure) = &mut s.last_failure {
            failure.reason = redactor.redact(&failure.reason);
        }
    }
    if json {
        let mut text = String::new();
        for s in &stats {
            text.push_str(&serde_json::to_string(s).unwrap_or_default());
            text.push('\n');
        }
        print(&text);
    } else if stats.is_empty() {
        super::output::error(format_args!(
            "no Jobs to count (they are kept in {})",
            store.path().display()
        ));
    } else {
        print(&stats_table(&stats));
    }
    ExitCode::SUCCESS
}

/// The statistics as a table, a sparkline of the latest runs beside each Payload.
pub fn stats_table(stats: &[PayloadStats]) -> String {
    let header = [
        "PAYLOAD",
        "RUNS",
        "OK",
        "P50",
        "P95",
        "MAX",
        "LATEST",
        "LAST FAILURE",
    ];
    let ms = |v: Option<u64>| v.map_or_else(|| "-".to_string(), format_duration);
    let rows: Vec<[String; 8]> = stats
        .iter()
        .map(|s| {
            [
                printable(&s.payload),
                s.runs.to_string(),
                s.success_rate
                    .map_or_else(|| "-".to_string(), |r| format!("{:.0}%", r * 100.0)),
                ms(s.p50_ms),
                ms(s.p95_ms),
                ms(s.max_ms),
                sparkline(&s.recent, 20),
                s.last_failure.as_ref().map_or_else(
                    || "-".to_string(),
                    |f| format!("{} {}", format_time(f.at), printable(&f.reason)),
                ),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut push = |cells: [&str; 8]| {
        let mut line = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == cells.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}  "));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    };
    push(header);
    for row in &rows {
        push(row.each_ref().map(String::as_str));
    }
    out
}

/// Deletes old Jobs: all but the newest `keep`, and those older than `older_than`.
pub fn prune(
    workspace: &Path,
    keep: Option<usize>,
    older_than: Option<chrono::Duration>,
) -> ExitCode {
    let store = open_store(workspace);
    let before = older_than.map(|d| Utc::now() - d);
    let result = store.prune(keep, before);
    report_import(&store);
    match result {
        Ok(report) => {
            super::output::stdout_line(&format!(
                "removed {} Jobs; {} kept ({}) in {}",
                report.removed,
                report.kept.jobs,
                format_bytes(report.kept.bytes),
                store.path().display()
            ));
            ExitCode::SUCCESS
        }
        Err(e) => read_failed(&e),
    }
}

/// Moves a damaged history aside (never deleting it) so a new one starts.
pub fn recover(workspace: &Path) -> ExitCode {
    let store = JobStore::beside(workspace);
    if !store.path().exists() {
        super::output::stdout_line(&format!(
            "There is no Jobs history at {}.",
            store.path().display()
        ));
        return ExitCode::SUCCESS;
    }
    match store.check() {
        Ok(()) => {
            super::output::stdout_line(&format!(
                "The Jobs history {} opens fine; nothing to recover.",
                store.path().display()
            ));
            ExitCode::SUCCESS
        }
        Err(e) if matches!(e.kind(), StoreErrorKind::Damaged | StoreErrorKind::Newer) => {
            match store.move_aside() {
                Ok(aside) => {
                    super::output::stdout_line(&format!(
                        "Moved the damaged Jobs history to {} (kept, not deleted); the next run starts a new one at {}.",
                        aside.display(),
                        store.path().display()
                    ));
                    ExitCode::SUCCESS
                }
                Err(e) => read_failed(&e),
            }
        }
        Err(e) => read_failed(&e),
    }
}

/// The history beside the workspace, with the workspace's retention.
fn open_store(workspace: &Path) -> JobStore {
    let store = JobStore::beside(workspace);
    if let Ok(loaded) = crate::workspace::load_unvalidated(workspace) {
        store.set_limits(crate::jobs::JobLimits::from_settings(&loaded.settings));
    }
    store
}

/// Says what importing an old history found, once.
pub fn report_import(store: &JobStore) {
    if let Some(report) = store.take_import_report() {
        super::output::error(format_args!("{report}"));
    }
}

/// Jobs are redacted when written; redacting again with today's workspace secrets costs little
/// and covers a record written by an older or careless writer. An unreadable workspace still
/// lets the history be read.
fn redactor_for(workspace: &Path) -> Redactor {
    // An invalid workspace (dangling references) still knows its secrets.
    match crate::workspace::load_unvalidated(workspace) {
        Ok(loaded) => Redactor::from_workspace(&loaded),
        Err(_) => Redactor::new(),
    }
}

fn read_failed(error: &StoreError) -> ExitCode {
    super::output::error(format_args!("could not read the Jobs history: {error}"));
    super::output::error(format_args!("{}", error.advice()));
    ExitCode::from(super::EXIT_USAGE)
}

/// Writes to stdout, quietly stopping when the reader has gone (`payloads jobs | head`).
fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// `--since`: a duration back from now (`90s`, `15m`, `2h`, `7d`, `2w`, `1h30m`) or a date
/// (`2026-11-28`, midnight UTC) or time (`2026-11-28T13:00:00Z`).
pub fn parse_since(text: &str) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(duration) = parse_duration(text) {
        return Ok(Utc::now() - duration);
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        && let Some(midnight) = day.and_hms_opt(0, 0, 0)
    {
        return Ok(midnight.and_utc());
    }
    Err(format!(
        "{text:?} is neither a duration (90s, 15m, 2h, 7d, 2w, 1h30m) nor a date (2026-11-28, 2026-11-28T13:00:00Z)"
    ))
}

/// `90s`, `15m`, `2h`, `7d`, `2w`, and sums like `1h30m`.
pub fn parse_duration(text: &str) -> Result<chrono::Duration, String> {
    let bad = || format!("{text:?} is not a duration (90s, 15m, 2h, 7d, 2w, 1h30m)");
    let text = text.trim();
    if text.is_empty() {
        return Err(bad());
    }
    let mut total = chrono::Duration::zero();
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().map_err(|_| bad())?;
        number.clear();
        let seconds = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return Err(bad()),
        };
        let part = n
            .checked_mul(seconds)
            .and_then(chrono::Duration::try_seconds)
            .ok_or_else(bad)?;
        total = total.checked_add(&part).ok_or_else(bad)?;
    }
    if !number.is_empty() {
        return Err(bad());
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_nonsense_is_refused() {
        assert_eq!(parse_duration("90s"), Ok(chrono::Duration::seconds(90)));
        assert_eq!(parse_duration("1h30m"), Ok(chrono::Duration::minutes(90)));
        assert_eq!(parse_duration("2w"), Ok(chrono::Duration::days(14)));
        for bad in ["", "5", "h", "3x", "99999999999999999999d", "1.5h"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn since_takes_dates_and_times() {
        assert_eq!(
            parse_since("2026-11-28").unwrap().to_rfc3339(),
            "2026-11-28T00:00:00+00:00"
        );
        assert_eq!(
            parse_since("2026-11-28T13:00:00Z").unwrap().to_rfc3339(),
            "2026-11-28T13:00:00+00:00"
        );
        assert!(parse_since("yesterday").is_err());
    }
}
