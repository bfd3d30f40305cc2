//! Issue 9, item 6: a Job that succeeds without some of its expected response values says so in
//! the TUI too, not only on the CLI's last line: the status line names the values and the Jobs
//! pane marks the row with `!`.

use crate::tui_support;

use crossterm::event::KeyCode;
use payloads::flow::{RunEvent, RunEventKind};
use payloads::jobs::{Job, JobStatus, ResponseRecord, Trigger};
use payloads::tui::Message;
use tui_support::*;

fn event(kind: RunEventKind, job: Job) -> Message {
    Message::Run(Box::new(RunEvent {
        at: now(),
        job_id: job.id.clone(),
        kind,
        job: std::sync::Arc::new(job),
    }))
}

fn answered(missing: &[&str]) -> ResponseRecord {
    ResponseRecord {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: "{}".into(),
        body_bytes: 2,
        truncated: false,
        not_utf8: false,
        missing_values: missing
            .iter()
            .map(|name| (name.to_string(), format!("$.{name} matched nothing")))
            .collect(),
        undecodable: None,
    }
}

/// Runs list-contacts from the Payloads pane and ends it with `response`.
fn run_to_end(response: ResponseRecord) -> payloads::tui::App {
    let mut app = app();
    press(
        &mut app,
        &[
            key(KeyCode::BackTab),
            key(KeyCode::BackTab),
            key(KeyCode::Char('j')),
            key(KeyCode::Char('r')),
        ],
    );
    let mut job = job("J-1", "list-contacts", JobStatus::Running, Trigger::Tui);
    app.update(event(RunEventKind::JobCreated, job.clone()));
    job.status = JobStatus::Succeeded;
    job.finished_at = Some(now());
    job.duration_ms = Some(420);
    job.response = Some(response);
    app.update(event(RunEventKind::Finished, job));
    app
}

#[test]
fn a_success_without_expected_values_says_so_in_the_status_line_and_the_row() {
    let app = run_to_end(answered(&["contact_id", "name"]));
    assert_eq!(
        app.note.as_deref(),
        Some("list-contacts: not found: contact_id, name")
    );
    let screen = render(&app, 80, 24);
    assert!(screen.contains("! "), "{screen}");
    insta::assert_snapshot!("edges_missing_values_80x24", screen);
}

#[test]
fn a_full_success_keeps_its_tick_and_plain_note() {
    let app = run_to_end(answered(&[]));
    assert_eq!(app.note.as_deref(), Some("list-contacts succeeded"));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("✓ "), "{screen}");
    assert!(!screen.contains("not found"), "{screen}");
}
