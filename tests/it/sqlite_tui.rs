//! The TUI reads the Jobs history lazily, through the real executor and database: the Jobs pane
//! asks for its rows (narrowed to the selected Integration, filtered by `/`), a Job in full when
//! opened, and the selected Payload's runs for its sparkline.

use crate::jobs_support::job;
use crate::tui_support::{key, render};
use chrono::{Duration, Utc};
use crossterm::event::KeyCode;
use payloads::jobs::{Job, JobStatus, JobStore};
use payloads::tui::event_loop::Executor;
use payloads::tui::runtime::LiveExecutor;
use payloads::tui::{Action, App, Message, Pane, Screen};
use payloads::workspace::{DEMO_WORKSPACE, WorkspaceStore};
use std::sync::Arc;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

/// Feeds `message` to the app and every Action it asks for to the executor.
fn feed<E: Executor>(app: &mut App, executor: &mut E, message: Message) {
    for action in app.update(message) {
        executor.execute(action);
    }
}

/// Answers the app's reads until `done`, for ten seconds at most.
async fn pump_until<E: Executor>(
    app: &mut App,
    executor: &mut E,
    receiver: &mut UnboundedReceiver<Message>,
    what: &str,
    done: impl Fn(&App) -> bool,
) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !done(app) {
        let message = tokio::time::timeout_at(deadline, receiver.recv())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
            .expect("the executor keeps the channel open");
        feed(app, executor, message);
    }
}

fn recorded(n: usize, integration: &str, payload: &str, failed: bool) -> Job {
    let mut j = job(
        &format!("20261128-1{n:05}-{n:06x}"),
        n as i64 * 1000 - 400_000_000,
    );
    j.created_at = Utc::now() - Duration::minutes(1000 - n as i64);
    j.integration = integration.into();
    j.payload = payload.into();
    j.duration_ms = Some(100 + (n as u64 % 10) * 100);
    j.response.as_mut().unwrap().body = format!("{{\"body of\":{n}}}");
    if failed {
        j.status = JobStatus::Failed;
        j.error = Some(format!("boom number {n}"));
    }
    j
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_jobs_pane_and_payload_detail_are_answered_by_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.ron");
    std::fs::write(&path, DEMO_WORKSPACE).unwrap();
    let history = JobStore::beside(&path);
    let mut jobs = Vec::new();
    for n in 0..600 {
        let (integration, payload) = if n % 4 == 0 {
            ("elsewhere", "other-call")
        } else {
            ("sandbox", "list-contacts")
        };
        jobs.push(recorded(n, integration, payload, n % 50 == 7));
    }
    history.record_batch(&jobs).unwrap();

    let store = Arc::new(WorkspaceStore::open(&path).unwrap());
    let jobs = Arc::new(JobStore::beside(&path));
    let first_rows = jobs.list(50).unwrap();
    assert!(
        first_rows.iter().all(|j| j.steps.is_empty()),
        "rows are list columns"
    );
    let runner = payloads::flow::Runner::new(store.clone(), jobs, Default::default());
    let (messages, mut receiver) = unbounded_channel();
    let mut executor = LiveExecutor::new(store.clone(), runner, messages);
    let mut app = App::new(store.snapshot(), "workspace.ron", first_rows, Utc::now());
    app.colour = false;
    app.use_job_history(history.limits());

    // The first message asks the database for the rows of the selected Integration.
    let asked = app.update(Message::Resize {
        width: 120,
        height: 40,
    });
    let Some(Action::QueryJobs(query)) = asked.first() else {
        panic!("{asked:?}")
    };
    assert_eq!(query.integration.as_deref(), Some("sandbox"));
    assert_eq!(query.limit, Some(140), "the rows shown plus a margin");
    for action in asked {
        executor.execute(action);
    }
    pump_until(&mut app, &mut executor, &mut receiver, "the rows", |app| {
        app.jobs.len() == 140
    })
    .await;
    assert!(app.jobs.iter().all(|j| j.integration == "sandbox"));
    assert_eq!(app.jobs[0].id, "20261128-100599-000257", "newest first");
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("Jobs of Sandbox API (140) · 600/10000"),
        "{screen}"
    );

    // `/` narrows by error text, answered by the database (the failures are older than the
    // rows held).
    app.focus = Pane::Jobs;
    feed(&mut app, &mut executor, key(KeyCode::Char('/')));
    for c in "boom".chars() {
        feed(&mut app, &mut executor, key(KeyCode::Char(c)));
    }
    pump_until(
        &mut app,
        &mut executor,
        &mut receiver,
        "the filtered rows",
        |app| app.job_rows().len() == 12,
    )
    .await;
    assert!(
        app.jobs
            .iter()
            .all(|j| j.error.as_deref().unwrap_or("").starts_with("boom"))
    );
    feed(&mut app, &mut executor, key(KeyCode::Enter));

    // The selected Job is read in full for the detail beside the list, and kept when opened;
    // the one read before goes back to a list row.
    let id = app.selected_id(Pane::Jobs).unwrap();
    pump_until(
        &mut app,
        &mut executor,
        &mut receiver,
        "the full Job",
        |app| !app.job_is_partial(&id),
    )
    .await;
    feed(&mut app, &mut executor, key(KeyCode::Down));
    let next = app.selected_id(Pane::Jobs).unwrap();
    assert_ne!(next, id);
    pump_until(
        &mut app,
        &mut executor,
        &mut receiver,
        "the next Job",
        |app| !app.job_is_partial(&next),
    )
    .await;
    assert!(app.job_is_partial(&id), "one full record held at a time");
    feed(&mut app, &mut executor, key(KeyCode::Up));
    feed(&mut app, &mut executor, key(KeyCode::Enter));
    assert!(matches!(app.screen, Screen::JobDetail { .. }));
    pump_until(
        &mut app,
        &mut executor,
        &mut receiver,
        "the opened Job",
        |app| !app.job_is_partial(&id),
    )
    .await;
    let full = app.job(&id).unwrap();
    assert!(full.response.as_ref().unwrap().body.contains("body of"));
    assert!(!full.steps.is_empty());

    // A Payload's detail shows its latest runs as a sparkline, failures marked, and its rate.
    feed(&mut app, &mut executor, key(KeyCode::Esc));
    app.focus = Pane::Payloads;
    app.select(Pane::Payloads, "list-contacts");
    feed(&mut app, &mut executor, Message::Tick(Utc::now()));
    pump_until(
        &mut app,
        &mut executor,
        &mut receiver,
        "the Payload's runs",
        |app| app.jobs_data.stats.is_some(),
    )
    .await;
    let stats = app.jobs_data.stats.clone().unwrap();
    assert_eq!(stats.runs, 450);
    assert_eq!(stats.failed, 12);
    let screen = render(&app, 120, 40);
    let line = screen
        .lines()
        .find(|l| l.contains("Last runs"))
        .unwrap_or_else(|| panic!("no Last runs line:\n{screen}"));
    assert!(line.contains("97% ok of 450"), "{line}");
    let bars: std::collections::HashSet<char> =
        line.chars().filter(|c| ('▁'..='█').contains(c)).collect();
    assert!(
        bars.len() >= 4,
        "durations drawn as bars of several heights: {line}"
    );
}
