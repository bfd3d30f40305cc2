//! The JSONPath query line of a Job's detail (`J`): matches as typed, an invalid path said
//! inline, and Enter + a name adding the path as a response value of the Payload, saved into the
//! commented demo file without losing a comment.

use crate::tui_support::*;
use crossterm::event::KeyCode;
use payloads::tui::{Action, App, Message, Overlay};
use payloads::workspace::{ValueSource, WorkspaceStore};

/// The business Job of `finished_pair` open in the Job detail of an App over `workspace`.
fn job_detail(workspace: payloads::workspace::Workspace) -> App {
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
