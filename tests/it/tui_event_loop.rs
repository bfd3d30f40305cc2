//! The real event loop on a `TestBackend` with scripted input: keys in, Actions out to an
//! executor, run events and saves back in, the screen drawn from it all.

use crate::tui_support;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use futures::StreamExt;
use payloads::flow::{RunEvent, RunEventKind, RunRequest};
use payloads::jobs::{JobId, JobStatus, Trigger};
use payloads::tui::event_loop::{self, Executor, Exit, Stop, StreamConsole};
use payloads::tui::runtime::{LiveExecutor, StartRuns};
use payloads::tui::{Action, Message};
use payloads::workspace::WorkspaceStore;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio_util::sync::CancellationToken;
use tui_support::*;

fn key_event(c: char) -> std::io::Result<Event> {
    Ok(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )))
}

/// Answers a Run with the events a runner would send, then presses q.
struct ScriptedRunner {
    messages: UnboundedSender<Message>,
    seen: Vec<Action>,
}

impl Executor for ScriptedRunner {
    fn execute(&mut self, action: Action) {
        if let Action::Run(request) = &action {
            let mut j = job("J-1", &request.payload_id, JobStatus::Running, Trigger::Tui);
            let send = |kind, job: &payloads::jobs::Job| {
                self.messages
                    .send(Message::Run(Box::new(RunEvent {
                        at: now(),
                        job_id: job.id.clone(),
                        kind,
                        job: std::sync::Arc::new(job.clone()),
                    })))
                    .unwrap();
            };
            send(RunEventKind::JobCreated, &j);
            j.status = JobStatus::Succeeded;
            send(RunEventKind::Finished, &j);
            self.messages
                .send(Message::Key(KeyEvent::new(
                    KeyCode::Char('q'),
                    KeyModifiers::NONE,
                )))
                .unwrap();
        }
        self.seen.push(action);
    }
}

#[tokio::test]
async fn keys_run_a_payload_and_the_jobs_pane_shows_it_finish() {
    let mut app = app();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let (messages, receiver) = unbounded_channel();
    let mut executor = ScriptedRunner {
        messages,
        seen: vec![],
    };
    // Payloads pane (Shift-Tab twice from Integrations), down to list-contacts, run.
    let back_tab = || {
        Ok(Event::Key(KeyEvent::new(
            KeyCode::BackTab,
            KeyModifiers::SHIFT,
        )))
    };
    let keys = vec![back_tab(), back_tab(), key_event('j'), key_event('r')];
    // After the scripted keys the input stays open, as a terminal's does.
    let input = futures::stream::iter(keys).chain(futures::stream::pending());
    let exit = tokio::time::timeout(
        Duration::from_secs(10),
        event_loop::run(
            &mut terminal,
            &mut app,
            &mut StreamConsole::new(Box::pin(input)),
            &mut executor,
            receiver,
            std::future::pending(),
        ),
    )
    .await
    .expect("the loop ends on q")
    .unwrap();

    assert_eq!(exit, Exit::Quit);
    assert_eq!(
        executor.seen,
        [Action::Run(RunRequest {
            payload_id: "list-contacts".into(),
            inputs: vec![],
            trigger: Trigger::Tui
        })]
    );
    assert_eq!(app.jobs[0].status, JobStatus::Succeeded);
    terminal.draw(|f| payloads::tui::view(&app, f)).unwrap();
    let screen = terminal.backend().to_string();
    assert!(screen.contains("✓ list-contacts"), "{screen}");
    assert!(screen.contains("succeeded"), "{screen}");
}

#[tokio::test]
async fn a_signal_ends_the_loop() {
    let mut app = app();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let (_messages, receiver) = unbounded_channel();
    let mut executor = ScriptedRunner {
        messages: _messages.clone(),
        seen: vec![],
    };
    let exit = event_loop::run(
        &mut terminal,
        &mut app,
        &mut StreamConsole::new(Box::pin(futures::stream::pending())),
        &mut executor,
        receiver,
        async { Stop::HangUp },
    )
    .await
    .unwrap();
    assert_eq!(exit, Exit::Stopped(Stop::HangUp));
    assert_eq!(Stop::HangUp.exit_code(), 129);
    assert_eq!(Stop::Terminate.exit_code(), 143);
    assert_eq!(Stop::Interrupt.exit_code(), 130);
}

struct RecordingRunner {
    started: Arc<Mutex<Vec<RunRequest>>>,
}

impl StartRuns for RecordingRunner {
    fn start(
        &self,
        request: RunRequest,
        _: UnboundedSender<RunEvent>,
    ) -> Result<(JobId, CancellationToken), String> {
        self.started.lock().unwrap().push(request);
        Ok(("J-7".into(), CancellationToken::new()))
    }
    fn start_refresh(
        &self,
        _: &str,
        _: UnboundedSender<RunEvent>,
    ) -> Result<(JobId, CancellationToken), String> {
        Err("no token endpoint in this test".into())
    }
}

#[tokio::test]
async fn the_live_executor_saves_through_the_store_and_reports_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.ron");
    payloads::workspace::save::save(&path, &workspace()).unwrap();
    let store = Arc::new(WorkspaceStore::open(&path).unwrap());
    let (messages, mut receiver) = unbounded_channel();
    let started = Arc::new(Mutex::new(vec![]));
    let mut executor = LiveExecutor::new(
        store.clone(),
        RecordingRunner {
            started: started.clone(),
        },
        messages,
    );

    // Delete a Payload from keys, and hand the Action to the executor.
    let mut app = app();
    let actions = press(
        &mut app,
        &[
            key(KeyCode::BackTab),
            key(KeyCode::BackTab),
            key(KeyCode::Char('G')),
            key(KeyCode::Char('d')),
            key(KeyCode::Char('y')),
        ],
    );
    assert_eq!(actions.len(), 1);
    for action in actions {
        executor.execute(action);
    }
    let saved = next_message(&mut receiver).await;
    let Message::Saved {
        result: Ok(()),
        workspace,
    } = saved
    else {
        panic!("{saved:?}")
    };
    assert!(workspace.payload("get-contact").is_none());
    let on_disk = std::fs::read_to_string(&path).unwrap();
    assert!(!on_disk.contains("get-contact"), "the file was saved");
    assert!(on_disk.contains("list-contacts"));

    // A cancel reaches the token of the run it names; a refresh that cannot start says why.
    executor.execute(Action::Run(RunRequest {
        payload_id: "list-contacts".into(),
        inputs: vec![],
        trigger: Trigger::Tui,
    }));
    assert_eq!(started.lock().unwrap().len(), 1);
    executor.execute(Action::Refresh("sandbox-oauth".into()));
    let failed = next_message(&mut receiver).await;
    let Message::ActionFailed(reason) = failed else {
        panic!("{failed:?}")
    };
    assert!(reason.contains("no token endpoint in this test"));
}

/// The executor's next message, past any report of the file watcher (not what these tests are
/// about: a save racing the watcher's look at the file can make it check the file once).
async fn next_message(receiver: &mut tokio::sync::mpsc::UnboundedReceiver<Message>) -> Message {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), receiver.recv())
            .await
            .expect("a message in time")
            .expect("the channel stays open");
        if !matches!(message, Message::FileChecked { .. }) {
            return message;
        }
    }
}
