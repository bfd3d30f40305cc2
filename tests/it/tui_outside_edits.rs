//! The workspace file edited outside the TUI while it runs: a valid edit is loaded and the screen
//! follows (selection kept); a broken one is shown with its `path:line:col` errors while the last
//! good state stays on view, read-only, and nothing is written over it; fixed, it loads again.

use crate::tui_support;

use crossterm::event::KeyCode;
use payloads::flow::{RunEvent, RunRequest};
use payloads::jobs::{JobId, Trigger};
use payloads::tui::event_loop::Executor;
use payloads::tui::runtime::{LiveExecutor, StartRuns};
use payloads::tui::{Action, App, BrokenFile, FileCheck, Message, Overlay, Pane};
use payloads::workspace::{DEMO_WORKSPACE, WorkspaceStore};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio_util::sync::CancellationToken;
use tui_support::*;

fn broken() -> BrokenFile {
    BrokenFile {
        errors: vec!["workspace.ron:12:7: unknown field `nmae`; did you mean `name`?".into()],
        first_line: Some(12),
    }
}

fn check(app: &mut App, outcome: FileCheck) {
    app.update(Message::FileChecked {
        outcome,
        after_editor: false,
    });
}

fn refused(app: &mut App, keys: &[payloads::tui::Message]) -> String {
    let actions = press(app, keys);
    assert_eq!(
        actions,
        [],
        "nothing is saved or run while the file is broken"
    );
    let Some(Overlay::Error(text)) = app.overlays.pop() else {
        panic!("a refusal says why: {:?}", app.overlays)
    };
    text
}

#[test]
fn a_valid_outside_edit_is_shown_with_the_selection_kept() {
    let mut app = app();
    press(
        &mut app,
        &[
            key(KeyCode::Tab),
            key(KeyCode::Tab),
            key(KeyCode::Char('G')),
        ],
    );
    assert_eq!(
        app.selected_id(Pane::Payloads).as_deref(),
        Some("get-contact")
    );
    let mut edited = workspace();
    // Another editor renamed the Payload and added one before it.
    edited.payloads[2].name = "Fetch one contact".into();
    let mut extra = edited.payloads[1].clone();
    extra.id = "list-more".into();
    edited.payloads.insert(1, extra);
    check(&mut app, FileCheck::Loaded(edited.into()));

    assert_eq!(
        app.selected_id(Pane::Payloads).as_deref(),
        Some("get-contact")
    );
    let screen = render(&app, 80, 24);
    assert!(screen.contains("▶ GET  Fetch one contact"), "{screen}");
    assert!(screen.contains("reloaded: changed on disk"), "{screen}");
}

#[test]
fn a_broken_file_is_read_only_until_it_loads_again() {
    let mut app = app();
    check(&mut app, FileCheck::Broken(broken()));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("does not load: read-only"), "{screen}");
    assert!(
        screen.contains("workspace.ron:12:7: unknown field"),
        "{screen}"
    );
    assert!(screen.contains("E fix the file"), "{screen}");

    // Edits, duplicates, deletes and new records are refused at the key, saying why.
    let why = refused(&mut app, &[key(KeyCode::Char('e'))]);
    assert!(why.contains("has errors, so it is read-only"), "{why}");
    assert!(why.contains("press E to open it at line 12"), "{why}");
    refused(&mut app, &[key(KeyCode::Char('n'))]);
    refused(&mut app, &[key(KeyCode::Char('D'))]);
    refused(&mut app, &[key(KeyCode::Char('d'))]);
    // Runs that would write (a token refresh, Data Targets) too; R as well.
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Tab)]);
    let why = refused(
        &mut app,
        &[key(KeyCode::Char('j')), key(KeyCode::Char('r'))],
    );
    assert!(why.contains("may write a token or Data Targets"), "{why}");
    let why = refused(&mut app, &[key(KeyCode::Char('R'))]);
    assert!(
        why.contains("its new tokens are saved to the file"),
        "{why}"
    );
    // E opens the editor at the first error.
    assert_eq!(
        press(&mut app, &[key(KeyCode::Char('E'))]),
        [Action::OpenEditor(payloads::tui::EditorTarget::Line(12))]
    );

    // Back to good: the banner goes and edits work again.
    check(&mut app, FileCheck::Unchanged);
    assert!(app.broken.is_none());
    assert!(app.note.as_deref().unwrap().contains("loads again"));
    press(&mut app, &[key(KeyCode::Char('e'))]);
    assert!(matches!(app.top_overlay(), Some(Overlay::Form(_))));
}

#[test]
fn a_form_open_when_the_file_breaks_is_not_saved() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Char('e'))]);
    check(&mut app, FileCheck::Broken(broken()));
    let actions = press(&mut app, &[ctrl('s')]);
    assert_eq!(actions, []);
    let Some(Overlay::Form(form)) = app.top_overlay() else {
        panic!("the form stays open with the reason")
    };
    let error = form.error.clone().unwrap();
    assert!(error.contains("not saved"), "{error}");
    assert!(error.contains("read-only until it is fixed"), "{error}");
}

#[test]
fn a_run_that_writes_nothing_still_runs_while_the_file_is_broken() {
    let mut app = app();
    check(&mut app, FileCheck::Broken(broken()));
    // Billing's create-invoice: an API key, no Data Targets.
    let actions = press(
        &mut app,
        &[
            key(KeyCode::Char('j')),
            key(KeyCode::Tab),
            key(KeyCode::Tab),
            key(KeyCode::Char('r')),
        ],
    );
    assert_eq!(
        actions,
        [Action::Run(RunRequest {
            payload_id: "create-invoice".into(),
            inputs: vec![],
            trigger: Trigger::Tui,
        })]
    );
}

/// Starts nothing: these tests are about the file.
struct NoRuns;

impl StartRuns for NoRuns {
    fn start(
        &self,
        _: RunRequest,
        _: UnboundedSender<RunEvent>,
    ) -> Result<(JobId, CancellationToken), String> {
        Err("no runs here".into())
    }
    fn start_refresh(
        &self,
        _: &str,
        _: UnboundedSender<RunEvent>,
    ) -> Result<(JobId, CancellationToken), String> {
        Err("no runs here".into())
    }
}

/// The event loop's work without a terminal: messages into the App, its Actions to the executor,
/// until `done` holds (bounded).
async fn pump_until<R: StartRuns>(
    app: &mut App,
    executor: &mut LiveExecutor<R>,
    receiver: &mut UnboundedReceiver<Message>,
    what: &str,
    done: impl Fn(&App) -> bool,
) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !done(app) {
        let message = tokio::time::timeout_at(deadline, receiver.recv())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
            .expect("the executor keeps the channel open");
        for action in app.update(message) {
            executor.execute(action);
        }
    }
}

/// Saves the way many editors do: a new file renamed over the old one.
fn save_by_rename(path: &Path, text: &str) {
    let temp = path.with_extension("ron.swp");
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, path).unwrap();
}

#[tokio::test]
async fn edits_on_disk_reach_the_screen_and_a_broken_file_is_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.ron");
    std::fs::write(&path, DEMO_WORKSPACE).unwrap();
    let store = Arc::new(WorkspaceStore::open(&path).unwrap());
    let (messages, mut receiver) = unbounded_channel();
    let mut executor = LiveExecutor::new(store.clone(), NoRuns, messages);
    let mut app = App::new(store.snapshot(), "workspace.ron", vec![], now());
    app.colour = false;
    app.focus = Pane::Payloads;
    app.select(Pane::Payloads, "get-contact");

    // 1. Another editor renames a Payload (write-new-and-rename): the screen follows.
    let renamed = DEMO_WORKSPACE.replace(
        "\"Get the last created contact\"",
        "\"Fetch the newest contact\"",
    );
    save_by_rename(&path, &renamed);
    pump_until(
        &mut app,
        &mut executor,
        &mut receiver,
        "the rename",
        |app| app.selected_payload().unwrap().name == "Fetch the newest contact",
    )
    .await;
    assert_eq!(
        app.selected_id(Pane::Payloads).as_deref(),
        Some("get-contact")
    );

    // 2. sed -i style, in place: a misspelt field. The errors show, the last good state stays.
    let broken = renamed.replace(
        "            endpoint: \"/api/ping\",",
        "            endpont: \"/api/ping\",",
    );
    std::fs::write(&path, &broken).unwrap();
    pump_until(
        &mut app,
        &mut executor,
        &mut receiver,
        "the banner",
        |app| app.broken.is_some(),
    )
    .await;
    let screen = render(&app, 120, 40);
    let shown = path.display().to_string();
    assert!(
        screen.contains(&format!("{shown}:")) && screen.contains("endpont"),
        "the banner gives path:line:col and the problem:\n{screen}"
    );
    assert!(screen.contains("Fetch the newest contact"), "{screen}");
    let line = app.broken.as_ref().unwrap().first_line.unwrap();
    assert_eq!(
        broken.lines().nth(line - 1).unwrap().trim(),
        "endpont: \"/api/ping\","
    );

    // Edits are refused in the App; one already on its way to the store is refused there.
    press(&mut app, &[key(KeyCode::Char('d'))]);
    assert!(matches!(app.top_overlay(), Some(Overlay::Error(_))));
    press(&mut app, &[key(KeyCode::Esc)]);
    executor.execute(Action::Save(payloads::tui::edits::Edit::Delete {
        kind: payloads::tui::edits::RecordKind::Payload,
        id: "get-contact".into(),
    }));
    let saved = loop {
        let message = tokio::time::timeout(Duration::from_secs(10), receiver.recv())
            .await
            .unwrap()
            .unwrap();
        if let Message::Saved { result, .. } = message {
            break result;
        }
    };
    let reason = saved.unwrap_err();
    assert!(reason.contains("no longer loads"), "{reason}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        broken,
        "the broken file is left byte for byte"
    );

    // 3. Fixed: it loads, the banner goes, and the fix is on screen.
    let fixed = renamed.replace("\"Ping with an API key\"", "\"Ping (fixed)\"");
    std::fs::write(&path, &fixed).unwrap();
    pump_until(&mut app, &mut executor, &mut receiver, "the fix", |app| {
        app.broken.is_none()
    })
    .await;
    assert!(app.workspace.payload("ping").unwrap().name == "Ping (fixed)");
    let screen = render(&app, 80, 24);
    assert!(!screen.contains("does not load"), "{screen}");
    assert!(screen.contains("loads again"), "{screen}");

    // 4. Broken again, then put back exactly as it was (an undo): that loads too.
    std::fs::write(&path, fixed.replace("kind: Webhook,", "kind: Webhok,")).unwrap();
    pump_until(
        &mut app,
        &mut executor,
        &mut receiver,
        "broken again",
        |app| app.broken.is_some(),
    )
    .await;
    save_by_rename(&path, &fixed);
    pump_until(&mut app, &mut executor, &mut receiver, "the undo", |app| {
        app.broken.is_none()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_whose_token_write_back_meets_a_broken_file_fails_and_says_so() {
    let sandbox = payloads::sandbox::start(payloads::sandbox::SandboxConfig {
        port: 0,
        ..Default::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.ron");
    let text = DEMO_WORKSPACE.replace("http://127.0.0.1:8787", &sandbox.base_url());
    std::fs::write(&path, &text).unwrap();
    let store = Arc::new(WorkspaceStore::open(&path).unwrap());
    let jobs = Arc::new(payloads::jobs::JobStore::beside(&path));
    let runner = payloads::flow::Runner::new(store.clone(), jobs, Default::default());
    let (messages, mut receiver) = unbounded_channel();
    let mut executor = LiveExecutor::new(store.clone(), runner, messages);
    let mut app = App::new(store.snapshot(), "workspace.ron", vec![], now());

    // The file breaks while a run is on its way (the run started before the TUI heard of it).
    let broken = text.replace("kind: Webhook,", "kind: Webhok,");
    std::fs::write(&path, &broken).unwrap();
    executor.execute(Action::Run(RunRequest {
        payload_id: "list-contacts".into(),
        inputs: vec![],
        trigger: Trigger::Tui,
    }));
    pump_until(
        &mut app,
        &mut executor,
        &mut receiver,
        "the failure",
        |app| app.overlays.iter().any(|o| matches!(o, Overlay::Error(_))),
    )
    .await;
    let Some(Overlay::Error(text)) = app.overlays.last() else {
        unreachable!()
    };
    assert!(text.contains("list-contacts failed"), "{text}");
    assert!(text.contains("could not be saved"), "{text}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
    sandbox.shutdown().await;
}
