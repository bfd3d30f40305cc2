//! `payloads jobs` and `payloads jobs show ID`: the Job history beside the workspace.

use super::output::Paint;
use crate::jobs::render::{job_detail, job_table};
use crate::jobs::{Job, JobStore, Lookup, Redactor};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Lists the newest `limit` Jobs: a table, or one JSON object per line.
pub fn list(workspace: &Path, limit: usize, json: bool, paint: Paint) -> ExitCode {
    let store = JobStore::beside(workspace);
    let mut jobs = match store.list(limit) {
        Ok(jobs) => jobs,
        Err(e) => return read_failed(&store, &e),
    };
    let redactor = redactor_for(workspace);
    for job in &mut jobs {
        redactor.redact_job(job);
    }
    let mut text = String::new();
    if json {
        for job in &jobs {
            text.push_str(&serde_json::to_string(job).unwrap_or_default());
            text.push('\n');
        }
    } else if jobs.is_empty() && limit > 0 {
        super::output::error(format_args!(
            "no Jobs yet (they are kept in {})",
            store.path().display()
        ));
    } else {
        text = colour_statuses(&job_table(&jobs), &jobs, paint);
    }
    print(&text);
    ExitCode::SUCCESS
}

/// Shows one Job in full, by id or unique id prefix.
pub fn show(workspace: &Path, id: &str, json: bool) -> ExitCode {
    let store = JobStore::beside(workspace);
    let mut job: Job = match store.find(id) {
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
        Err(e) => return read_failed(&store, &e),
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

/// The table with each row's STATUS cell coloured (rows follow `jobs`, after the header line).
fn colour_statuses(table: &str, jobs: &[Job], paint: Paint) -> String {
    if !paint.0 {
        return table.to_string();
    }
    let mut out = String::with_capacity(table.len() + jobs.len() * 9);
    let mut lines = table.lines();
    let Some(header) = lines.next() else {
        return table.to_string();
    };
    // Cells are padded by characters, so the column starts at the same character in every row.
    let column = header.find("STATUS").map(|at| header[..at].chars().count());
    out.push_str(header);
    out.push('\n');
    for (line, job) in lines.zip(jobs) {
        let label = job.status.label();
        let split = column.and_then(|col| line.char_indices().nth(col).map(|(i, _)| i));
        match split {
            Some(at) if line[at..].starts_with(label) => {
                out.push_str(&line[..at]);
                out.push_str(&paint.status(job.status, label));
                out.push_str(&line[at + label.len()..]);
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
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

fn read_failed(store: &JobStore, error: &std::io::Error) -> ExitCode {
    super::output::error(format_args!(
        "could not read the Jobs file {}: {error}",
        store.path().display()
    ));
    ExitCode::from(super::EXIT_USAGE)
}

/// Writes to stdout, quietly stopping when the reader has gone (`payloads jobs | head`).
fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}
