//! `X` / `I` in the TUI: the selected Integration exported to a file (no secret unless chosen,
//! an existing file replaced only on a yes, 0600 with secrets) and an export imported (the id
//! conflicts listed, renamed on a yes, the file reloading and validating afterwards), through
//! the same executor functions the program runs.

use crate::tui_support::*;
use crossterm::event::KeyCode;
use payloads::tui::transfer::{self, Step, TransferKind, TransferPrompt};
use payloads::tui::{Action, App, Message, Overlay, Pane};
use payloads::workspace::WorkspaceStore;
use std::path::{Path, PathBuf};

const SHIPPED: &str = include_str!("../../workspace.ron");

fn prompt(app: &App) -> &TransferPrompt {
    match app.top_overlay() {
        Some(Overlay::Transfer(p)) => p,
        other => panic!("no transfer prompt: {other:?}"),
    }
}

/// The shipped workspace in `dir`, its store, and an App on it with the Integrations focused.
fn shipped(dir: &Path) -> (PathBuf, WorkspaceStore, App) {
    let path = dir.join("ws.ron");
    std::fs::write(&path, SHIPPED).unwrap();
    let store = WorkspaceStore::open(&path).unwrap();
    let mut app = App::new(
        store.snapshot(),
        path.display().to_string(),
        Vec::new(),
        now(),
    );
    app.focus = Pane::Integrations;
    (path, store, app)
}

/// Carries out the one transfer Action as the executor does and hands the answer to the App.
fn execute(app: &mut App, store: &WorkspaceStore, actions: Vec<Action>) {
    let [action] = actions.try_into().expect("one action");
    let message: Message = match action {
        Action::Export {
            integration,
            path,
            with_secrets,
            overwrite,
        } => transfer::export(store, integration, path, with_secrets, overwrite),
        Action::Import { path, rename } => transfer::import(store, path, rename),
        other => panic!("not a transfer: {other:?}"),
    };
    app.update(message);
}

#[test]
fn export_writes_the_file_with_env_references_and_overwrites_only_on_a_yes() {
    let dir = tempfile::tempdir().unwrap();
    let (_ws, store, mut app) = shipped(dir.path());
    press(&mut app, &[key(KeyCode::Char('X'))]);
    let file = dir.path().join("sandbox.integration.ron");
    assert_eq!(
        prompt(&app).path,
        file.display().to_string(),
        "beside the workspace"
    );
    assert_eq!(
        prompt(&app).kind,
        TransferKind::Export {
            integration: "sandbox".into()
        }
    );
    assert!(press(&mut app, &[key(KeyCode::Enter)]).is_empty());
    assert_eq!(prompt(&app).step, Step::Secrets);
    let actions = press(&mut app, &[key(KeyCode::Enter)]);
    assert!(
        matches!(
            &actions[..],
            [Action::Export {
                with_secrets: false,
                overwrite: false,
                ..
            }]
        ),
        "{actions:?}"
    );
    execute(&mut app, &store, actions);
    let written = std::fs::read_to_string(&file).unwrap();
    for secret in ["demo-secret", "demo-api-key"] {
        assert!(!written.contains(secret), "{secret} exported:\n{written}");
    }
    assert!(
        written.contains("{{env.SANDBOX_OAUTH_CLIENT_SECRET}}"),
        "{written}"
    );
    let note = app.note.clone().unwrap_or_default();
    assert!(
        note.contains("SANDBOX_OAUTH_CLIENT_SECRET") && note.contains("SANDBOX_API_KEY_VALUE"),
        "the status line names the env variables: {note}"
    );

    // Again, with the secrets: the file exists, so it asks; `n` keeps the old one.
    press(&mut app, &[key(KeyCode::Char('X')), key(KeyCode::Enter)]);
    let actions = press(&mut app, &[key(KeyCode::Char('y'))]);
    execute(&mut app, &store, actions);
    assert_eq!(prompt(&app).step, Step::Overwrite { with_secrets: true });
    assert!(press(&mut app, &[key(KeyCode::Char('n'))]).is_empty());
    assert!(app.top_overlay().is_none());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), written, "kept");

    press(&mut app, &[key(KeyCode::Char('X')), key(KeyCode::Enter)]);
    let actions = press(&mut app, &[key(KeyCode::Char('y'))]);
    execute(&mut app, &store, actions);
    let actions = press(&mut app, &[key(KeyCode::Char('y'))]);
    assert!(
        matches!(
            &actions[..],
            [Action::Export {
                with_secrets: true,
                overwrite: true,
                ..
            }]
        ),
        "{actions:?}"
    );
    execute(&mut app, &store, actions);
    let with = std::fs::read_to_string(&file).unwrap();
    assert!(with.contains("demo-secret"), "{with}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "a replaced file is narrowed too: {mode:o}"
        );
        let fresh = dir.path().join("fresh.ron");
        press(&mut app, &[key(KeyCode::Char('X')), ctrl('u')]);
        assert_eq!(prompt(&app).path, "", "Ctrl-U clears the default");
        app.update(Message::Paste(format!("{}\n", fresh.display())));
        press(&mut app, &[key(KeyCode::Enter)]);
        let actions = press(&mut app, &[key(KeyCode::Char('y'))]);
        execute(&mut app, &store, actions);
        let mode = std::fs::metadata(&fresh).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
}

#[test]
fn import_lists_the_conflicts_and_renames_them_on_a_yes() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, store, mut app) = shipped(dir.path());
    let doc = dir.path().join("doc.ron");
    let (document, _) =
        payloads::interchange::transfer::extract(&store.snapshot(), "sandbox", false);
    std::fs::write(&doc, payloads::workspace::save::to_text(&document)).unwrap();
    let before = store.snapshot();

    press(&mut app, &[key(KeyCode::Char('I'))]);
    type_text(&mut app, &doc.display().to_string());
    let actions = press(&mut app, &[key(KeyCode::Enter)]);
    execute(&mut app, &store, actions);
    let Step::Conflicts(conflicts) = &prompt(&app).step else {
        panic!("{:?}", prompt(&app));
    };
    assert!(
        conflicts.contains(&"integration sandbox".to_string()),
        "{conflicts:?}"
    );
    assert!(
        conflicts.contains(&"credential sandbox-oauth".to_string()),
        "{conflicts:?}"
    );
    let screen = render(&app, 80, 24);
    assert!(screen.contains("integration sandbox"), "{screen}");

    let actions = press(&mut app, &[key(KeyCode::Char('y'))]);
    execute(&mut app, &store, actions);
    assert!(app.top_overlay().is_none(), "{:?}", app.top_overlay());
    let note = app.note.clone().unwrap_or_default();
    assert!(
        note.contains("renamed integration sandbox to sandbox-2"),
        "{note}"
    );
    assert!(app.workspace.integration("sandbox-2").is_some());

    // The file reloads and validates, with every record doubled and references rewritten.
    let reloaded = payloads::workspace::load(&ws).expect("the imported file validates");
    assert_eq!(reloaded.integrations.len(), before.integrations.len() + 1);
    assert_eq!(
        reloaded.payloads.len(),
        before.payloads.len() + document.payloads.len()
    );
    for p in reloaded
        .payloads
        .iter()
        .filter(|p| p.integration.as_str() == "sandbox-2")
    {
        assert!(p.id.as_str().ends_with("-2"), "{}", p.id);
        if let Some(c) = &p.credential {
            assert!(c.as_str().ends_with("-2"), "{} uses {c}", p.id);
        }
    }
}

#[test]
fn the_export_prompt_at_80x24() {
    let mut app = app();
    app.focus = Pane::Integrations;
    press(&mut app, &[key(KeyCode::Char('X')), key(KeyCode::Enter)]);
    insta::assert_snapshot!("transfer_export_prompt_80x24", render(&app, 80, 24));
}
