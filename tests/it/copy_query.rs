//! The JSONPath query line of a Job's detail (`J`): matches as typed, an invalid path said
//! inline, and Enter + a name (+ an optional Data Target: a Variable, new or not, or for a token
//! request its Credential's tokens) adding the path as a response value of the Payload, saved
//! into the commented demo file without losing a comment.

use crate::tui_support::*;
use crossterm::event::KeyCode;
use payloads::tui::{Action, App, Message, Overlay};
use payloads::workspace::{CredentialField, DataTarget, Target, ValueSource, WorkspaceStore};

/// The business Job of `finished_pair` open in the Job detail of an App over `workspace`.
fn job_detail(workspace: impl Into<std::sync::Arc<payloads::workspace::Workspace>>) -> App {
    let mut app = App::new(workspace, "workspace.ron", finished_pair(), now());
    app.colour = false;
    app.update(Message::Resize {
        width: 80,
        height: 24,
    });
    press(&mut app, &[key(KeyCode::BackTab), key(KeyCode::Enter)]);
    render(&app, 80, 24);
    app
}

fn backspaces(n: usize) -> Vec<Message> {
    vec![key(KeyCode::Backspace); n]
}

#[test]
fn matches_show_as_the_path_is_typed_and_an_invalid_path_is_said_inline() {
    let mut app = job_detail(workspace());
    press(&mut app, &[key(KeyCode::Char('J'))]);
    assert!(matches!(app.top_overlay(), Some(Overlay::Query(_))));
    type_text(&mut app, ".contacts[*].name");
    insta::assert_snapshot!("query_line_80x24", render(&app, 80, 24));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("2 matches"), "{screen}");
    assert!(screen.contains("\"Ada Lovelace\""), "{screen}");

    press(&mut app, &backspaces(4));
    type_text(&mut app, "[?");
    let screen = render(&app, 80, 24);
    assert!(screen.contains("✗"), "an invalid path says why:\n{screen}");
    // Enter on an invalid path keeps the line open and asks to fix it.
    let actions = press(&mut app, &[key(KeyCode::Enter)]);
    assert!(actions.is_empty(), "{actions:?}");
    assert!(render(&app, 80, 24).contains("fix the path first"));
    // Esc closes it.
    press(&mut app, &[key(KeyCode::Esc)]);
    assert!(app.overlays.is_empty());
}

#[test]
fn a_body_that_is_not_json_opens_no_query_line() {
    let mut app = job_detail(workspace());
    app.jobs[1].response.as_mut().unwrap().body = "plain text".into();
    app.detail_rows_forget();
    press(&mut app, &[key(KeyCode::Char('J'))]);
    assert!(app.overlays.is_empty());
    assert_eq!(
        app.note.as_deref(),
        Some("J queries JSON bodies: this body is not JSON")
    );
}

#[test]
fn enter_and_a_name_add_the_query_as_a_response_value_saved_losslessly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.ron");
    std::fs::write(&path, payloads::workspace::DEMO_WORKSPACE).unwrap();
    let store = WorkspaceStore::open(&path).unwrap();
    let mut app = job_detail(store.snapshot());

    press(&mut app, &[key(KeyCode::Char('J'))]);
    type_text(&mut app, ".contacts[1].name");
    press(&mut app, &[key(KeyCode::Enter)]);
    insta::assert_snapshot!("query_line_naming_80x24", render(&app, 80, 24));
    type_text(&mut app, "second_name");
    // Enter asks for a Data Target; Enter again keeps the default, none.
    let actions = press(&mut app, &[key(KeyCode::Enter)]);
    assert!(actions.is_empty(), "{actions:?}");
    assert!(render(&app, 80, 24).contains("▶ nothing (only read it)"));
    let actions = press(&mut app, &[key(KeyCode::Enter)]);
    let [Action::Save(edit)] = actions.as_slice() else {
        panic!("one save: {actions:?}");
    };
    assert!(app.overlays.is_empty(), "the line closed");
    assert_eq!(
        app.note.as_deref(),
        Some("list-contacts reads $.contacts[1].name into the value second_name from its next run")
    );

    // Saved as the Payload form saves: through the store, the file's comments kept.
    store.try_update(|ws| edit.apply(ws)).unwrap().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let before: Vec<&str> = payloads::workspace::DEMO_WORKSPACE
        .lines()
        .filter(|l| l.trim_start().starts_with("//"))
        .collect();
    assert!(!before.is_empty());
    for comment in before {
        assert!(text.contains(comment), "lost {comment:?}");
    }
    assert!(text.contains("second_name"), "{text}");
    let reloaded = WorkspaceStore::open(&path).unwrap().snapshot();
    let payload = reloaded.payload("list-contacts").unwrap();
    let value = payload
        .response
        .iter()
        .find(|v| v.name == "second_name")
        .unwrap();
    assert_eq!(
        value.source,
        ValueSource::JsonPath("$.contacts[1].name".into())
    );
    assert!(
        !payload.targets.iter().any(|t| t.value == "second_name"),
        "no target chosen, none saved: {:?}",
        payload.targets
    );

    // The same name again is refused on the line, nothing saved.
    let mut app = job_detail(reloaded);
    press(&mut app, &[key(KeyCode::Char('J'))]);
    press(&mut app, &[key(KeyCode::Enter)]);
    type_text(&mut app, "second_name");
    let actions = press(&mut app, &[key(KeyCode::Enter)]);
    assert!(actions.is_empty(), "{actions:?}");
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("list-contacts already has a value named"),
        "{screen}"
    );
}

/// The demo file in a temporary directory, its store, and an App on the business Job's detail
/// whose Job is rewritten to be a run of `payload` answering `body`.
fn demo_on(
    text: &str,
    payload: &str,
    body: &str,
) -> (tempfile::TempDir, std::path::PathBuf, WorkspaceStore, App) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.ron");
    std::fs::write(&path, text).unwrap();
    let store = WorkspaceStore::open(&path).unwrap();
    let mut jobs = finished_pair();
    jobs[1].payload = payload.into();
    jobs[1].response.as_mut().unwrap().body = body.into();
    let mut app = App::new(store.snapshot(), "workspace.ron", jobs, now());
    app.colour = false;
    app.update(Message::Resize {
        width: 80,
        height: 24,
    });
    press(&mut app, &[key(KeyCode::BackTab), key(KeyCode::Enter)]);
    (dir, path, store, app)
}

fn apply_all(store: &WorkspaceStore, actions: &[Action]) {
    for action in actions {
        let Action::Save(edit) = action else {
            panic!("only saves: {actions:?}");
        };
        store.try_update(|ws| edit.apply(ws)).unwrap().unwrap();
    }
}

#[test]
fn a_value_saved_with_a_new_variable_as_its_target_reloads_with_both() {
    let (_dir, path, store, mut app) = demo_on(
        payloads::workspace::DEMO_WORKSPACE,
        "list-contacts",
        r#"{"contacts":[{"id":1,"name":"Ada Lovelace"},{"id":2,"name":"Alan Turing"}]}"#,
    );
    press(&mut app, &[key(KeyCode::Char('J'))]);
    type_text(&mut app, ".contacts[1].id");
    press(&mut app, &[key(KeyCode::Enter)]);
    type_text(&mut app, "second_id");
    press(&mut app, &[key(KeyCode::Enter)]);
    insta::assert_snapshot!("query_line_target_80x24", render(&app, 80, 24));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Variable last_contact_id"), "{screen}");
    assert!(
        !screen.contains("access token of"),
        "a Callout offers no Credential field:\n{screen}"
    );
    // Typing names a new Variable and picks it.
    type_text(&mut app, "second_contact");
    assert!(render(&app, 80, 24).contains("▶ new Variable second_contact"));
    let actions = press(&mut app, &[key(KeyCode::Enter)]);
    assert_eq!(
        actions.len(),
        2,
        "the Payload and the new Variable: {actions:?}"
    );
    assert!(app.overlays.is_empty());
    assert_eq!(
        app.note.as_deref(),
        Some(
            "list-contacts reads $.contacts[1].id into the value second_id, written into the \
             Variable second_contact from its next run"
        )
    );
    apply_all(&store, &actions);

    let reloaded = WorkspaceStore::open(&path).unwrap().snapshot();
    let payload = reloaded.payload("list-contacts").unwrap();
    assert!(payload.response.iter().any(|v| v.name == "second_id"));
    assert!(payload.targets.contains(&DataTarget {
        value: "second_id".into(),
        target: Target::Variable("second_contact".into()),
    }));
    let variable = reloaded.variable("second_contact").expect("created");
    assert!(!variable.secret);
    assert!(reloaded.variable("last_contact_id").is_some(), "kept");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("// Data Targets write response values back"),
        "comments kept"
    );
}

#[test]
fn an_existing_variable_is_chosen_without_creating_one() {
    let (_dir, path, store, mut app) = demo_on(
        payloads::workspace::DEMO_WORKSPACE,
        "list-contacts",
        r#"{"contacts":[{"id":7}]}"#,
    );
    press(&mut app, &[key(KeyCode::Char('J'))]);
    type_text(&mut app, ".contacts[0].id");
    press(&mut app, &[key(KeyCode::Enter)]);
    type_text(&mut app, "some_id");
    press(&mut app, &[key(KeyCode::Enter), key(KeyCode::Down)]);
    let actions = press(&mut app, &[key(KeyCode::Enter)]);
    assert_eq!(actions.len(), 1, "{actions:?}");
    apply_all(&store, &actions);
    let reloaded = WorkspaceStore::open(&path).unwrap().snapshot();
    assert!(
        reloaded
            .payload("list-contacts")
            .unwrap()
            .targets
            .contains(&DataTarget {
                value: "some_id".into(),
                target: Target::Variable("last_contact_id".into()),
            })
    );
    assert_eq!(reloaded.variables.len(), 1);
}

#[test]
fn a_value_of_the_token_request_can_write_its_credentials_refresh_token() {
    // The demo's token request without its refresh token target, as a client credentials
    // request first written would be.
    let text = payloads::workspace::DEMO_WORKSPACE.replace(
        "(value: \"refresh_token\", target: Credential(RefreshToken)),",
        "",
    );
    assert_ne!(text, payloads::workspace::DEMO_WORKSPACE);
    let (_dir, path, store, mut app) = demo_on(
        &text,
        "sandbox-oauth-token",
        r#"{"access_token":"a","tokens":{"refresh":"r"},"expires_in":60}"#,
    );
    press(&mut app, &[key(KeyCode::Char('J'))]);
    type_text(&mut app, ".tokens.refresh");
    press(&mut app, &[key(KeyCode::Enter)]);
    type_text(&mut app, "nested_refresh");
    press(&mut app, &[key(KeyCode::Enter)]);
    let screen = render(&app, 80, 24);
    for field in [
        "access token",
        "refresh token",
        "token duration (expires_in)",
    ] {
        assert!(
            screen.contains(&format!("{field} of Sandbox OAuth (sandbox-oauth)")),
            "{field}:\n{screen}"
        );
    }
    // none, last_contact_id, new Variable, access token, refresh token.
    press(&mut app, &vec![key(KeyCode::Down); 4]);
    assert!(render(&app, 80, 24).contains("▶ refresh token of Sandbox OAuth"));
    let actions = press(&mut app, &[key(KeyCode::Enter)]);
    assert_eq!(actions.len(), 1, "{actions:?}");
    apply_all(&store, &actions);
    let reloaded = WorkspaceStore::open(&path).unwrap().snapshot();
    let payload = reloaded.payload("sandbox-oauth-token").unwrap();
    assert!(payload.targets.contains(&DataTarget {
        value: "nested_refresh".into(),
        target: Target::Credential(CredentialField::RefreshToken),
    }));
}

#[test]
fn a_bad_new_variable_name_is_refused_on_the_line_and_esc_goes_back_to_the_name() {
    let (_dir, _path, _store, mut app) = demo_on(
        payloads::workspace::DEMO_WORKSPACE,
        "list-contacts",
        r#"{"contacts":[{"id":7}]}"#,
    );
    press(&mut app, &[key(KeyCode::Char('J'))]);
    type_text(&mut app, ".contacts[0].id");
    press(&mut app, &[key(KeyCode::Enter)]);
    type_text(&mut app, "some_id");
    press(&mut app, &[key(KeyCode::Enter)]);
    // Enter on "new Variable" with no name typed asks for one.
    press(&mut app, &[key(KeyCode::Down), key(KeyCode::Down)]);
    let actions = press(&mut app, &[key(KeyCode::Enter)]);
    assert!(actions.is_empty(), "{actions:?}");
    assert!(render(&app, 80, 24).contains("type the new Variable's name"));
    // A name the file cannot hold is refused by the same validation as the form; nothing saved.
    type_text(&mut app, "two words");
    let actions = press(&mut app, &[key(KeyCode::Enter)]);
    assert!(actions.is_empty(), "{actions:?}");
    let screen = render(&app, 80, 24);
    assert!(screen.contains("\"two words\" is not a valid"), "{screen}");
    assert!(
        app.workspace
            .payload("list-contacts")
            .unwrap()
            .response
            .iter()
            .all(|v| v.name != "some_id")
    );
    assert!(app.workspace.variable("two words").is_none());
    // Esc goes back to the name, as typed.
    press(&mut app, &[key(KeyCode::Esc)]);
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("Add to list-contacts as  some_id▏"),
        "{screen}"
    );
    assert!(!screen.contains("Also write it into"), "{screen}");
}
