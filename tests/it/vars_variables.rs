//! The Variables view (`v`): the list with values and who reads and writes each, the forms to add
//! and edit, the delete dialog naming the readers, and the saves landing in the file with its
//! comments kept.

use crate::tui_support::*;
use crossterm::event::KeyCode;
use payloads::tui::edits::{Edit, RecordKind};
use payloads::tui::event_loop::Executor;
use payloads::tui::runtime::LiveExecutor;
use payloads::tui::{Action, App, Message, Overlay, Screen};
use payloads::workspace::{DEMO_WORKSPACE, Target, Variable, WorkspaceStore};
use std::sync::Arc;
use tokio::sync::mpsc::unbounded_channel;

/// The test workspace with two Variables: one read by a Payload and written by another, one
/// secret and unused.
fn with_variables() -> App {
    let mut app = app();
    let ws = std::sync::Arc::make_mut(&mut app.workspace);
    ws.variables = vec![
        Variable {
            name: "contact_id".into(),
            value: "42".into(),
            secret: false,
        },
        Variable {
            name: "api_pin".into(),
            value: "s3cr3t-pin-value".into(),
            secret: true,
        },
    ];
    let get = ws
        .payloads
        .iter_mut()
        .find(|p| p.id == "get-contact")
        .unwrap();
    get.endpoint = "/api/contacts/{{var.contact_id}}".into();
    get.inputs.clear();
    app
}

#[test]
fn v_opens_the_variables_with_who_reads_and_writes_each() {
    let mut app = with_variables();
    press(&mut app, &[key(KeyCode::Char('v'))]);
    assert_eq!(app.screen, Screen::Variables);
    let screen = render(&app, 80, 24);
    insta::assert_snapshot!("variables_view_80x24", screen);
    assert!(
        screen.contains("Payload Get contact (get-contact)"),
        "{screen}"
    );
    assert!(
        screen.contains("Payload List contacts (list-contacts)"),
        "{screen}"
    );
    assert!(
        !screen.contains("s3cr3t"),
        "a secret value is masked: {screen}"
    );

    press(&mut app, &[key(KeyCode::Char('j'))]);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Variable api_pin"), "{screen}");
    assert!(screen.contains("no template reads it"), "{screen}");
    assert!(!screen.contains("s3cr3t"), "{screen}");

    press(&mut app, &[key(KeyCode::Esc)]);
    assert_eq!(app.screen, Screen::Main, "Esc goes back");
}

#[test]
fn an_empty_list_says_how_to_make_one() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Char('v'))]);
    insta::assert_snapshot!("variables_empty_80x24", render(&app, 80, 24));
}

#[test]
fn adding_a_variable_from_keys() {
    let mut app = with_variables();
    press(
        &mut app,
        &[key(KeyCode::Char('v')), key(KeyCode::Char('n'))],
    );
    let Some(Overlay::Form(form)) = app.top_overlay() else {
        panic!("n opens the form");
    };
    assert_eq!(form.title, "New Variable");
    insta::assert_snapshot!("variables_new_form_80x24", render(&app, 80, 24));

    type_text(&mut app, "bad name");
    press(&mut app, &[key(KeyCode::Tab)]);
    let Some(Overlay::Form(form)) = app.top_overlay() else {
        panic!("the form stays");
    };
    assert!(
        form.fields[0]
            .error
            .as_deref()
            .unwrap_or("")
            .contains("letters, digits"),
        "{:?}",
        form.fields[0].error
    );
    press(&mut app, &[key(KeyCode::BackTab), ctrl('u')]);
    type_text(&mut app, "contact_id");
    press(&mut app, &[key(KeyCode::Tab)]);
    type_text(&mut app, "7");
    assert!(
        press(&mut app, &[ctrl('s')]).is_empty(),
        "a taken name is refused"
    );
    let Some(Overlay::Form(form)) = app.top_overlay() else {
        panic!("the form stays");
    };
    assert_eq!(
        form.fields[0].error.as_deref(),
        Some("a Variable contact_id already exists")
    );

    // The refusal put the cursor on the name.
    press(&mut app, &[ctrl('u')]);
    type_text(&mut app, "region");
    let actions = press(&mut app, &[ctrl('s')]);
    assert_eq!(
        actions,
        [Action::Save(Edit::Variable {
            original: None,
            variable: Variable {
                name: "region".into(),
                value: "7".into(),
                secret: false
            }
        })]
    );
    assert!(app.overlays.is_empty());
    assert_eq!(app.selected_variable().unwrap().name, "region");
    assert_eq!(app.workspace.variables.len(), 3);
}

#[test]
fn editing_a_secret_opens_masked() {
    let mut app = with_variables();
    press(
        &mut app,
        &[key(KeyCode::Char('v')), key(KeyCode::Char('j'))],
    );
    press(&mut app, &[key(KeyCode::Enter)]);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Edit Variable api_pin"), "{screen}");
    assert!(
        !screen.contains("s3cr3t"),
        "the secret opens masked: {screen}"
    );
    // Value: replace it; Secret: no.
    press(&mut app, &[key(KeyCode::Tab), ctrl('u')]);
    type_text(&mut app, "1234");
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Right)]);
    let actions = press(&mut app, &[ctrl('s')]);
    assert_eq!(
        actions,
        [Action::Save(Edit::Variable {
            original: Some("api_pin".into()),
            variable: Variable {
                name: "api_pin".into(),
                value: "1234".into(),
                secret: false
            }
        })]
    );
}

#[test]
fn deleting_names_the_readers_and_writers_first() {
    let mut app = with_variables();
    press(
        &mut app,
        &[key(KeyCode::Char('v')), key(KeyCode::Char('d'))],
    );
    let Some(Overlay::ConfirmDelete {
        kind,
        id,
        referrers,
    }) = app.top_overlay()
    else {
        panic!("d asks first: {:?}", app.top_overlay());
    };
    assert_eq!((*kind, id.as_str()), (RecordKind::Variable, "contact_id"));
    assert_eq!(
        referrers,
        &[
            "Payload Get contact (get-contact) reads it",
            "Payload List contacts (list-contacts) writes it (value first)",
        ]
    );
    insta::assert_snapshot!("variables_delete_80x24", render(&app, 80, 24));
    assert!(press(&mut app, &[key(KeyCode::Char('n'))]).is_empty());
    assert!(app.workspace.variable("contact_id").is_some(), "n keeps it");

    let actions = press(
        &mut app,
        &[key(KeyCode::Char('d')), key(KeyCode::Char('y'))],
    );
    assert_eq!(
        actions,
        [Action::Save(Edit::Delete {
            kind: RecordKind::Variable,
            id: "contact_id".into()
        })]
    );
    assert!(app.workspace.variable("contact_id").is_none());
    assert_eq!(app.selected_variable().unwrap().name, "api_pin");
}

#[test]
fn a_variable_only_templates_read_is_not_deleted() {
    let mut app = with_variables();
    // Nothing writes contact_id any more: deleting it would leave get-contact reading nothing.
    for p in &mut std::sync::Arc::make_mut(&mut app.workspace).payloads {
        p.targets
            .retain(|t| !matches!(t.target, Target::Variable(_)));
    }
    press(
        &mut app,
        &[key(KeyCode::Char('v')), key(KeyCode::Char('d'))],
    );
    let Some(Overlay::Error(reason)) = app.top_overlay() else {
        panic!("refused at once: {:?}", app.top_overlay());
    };
    assert!(
        reason.contains("The Variable contact_id is kept"),
        "{reason}"
    );
    assert!(
        reason.contains("Payload Get contact (get-contact) reads it"),
        "{reason}"
    );
    assert!(app.workspace.variable("contact_id").is_some());
}

/// Feeds `message` to the app and every Action it asks for to the executor.
fn feed<E: Executor>(app: &mut App, executor: &mut E, message: Message) {
    for action in app.update(message) {
        executor.execute(action);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saves_land_in_the_file_with_its_comments() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.ron");
    std::fs::write(&path, DEMO_WORKSPACE).unwrap();
    let store = Arc::new(WorkspaceStore::open(&path).unwrap());
    let jobs = Arc::new(payloads::jobs::JobStore::beside(&path));
    let runner = payloads::flow::Runner::new(store.clone(), jobs, Default::default());
    let (messages, mut receiver) = unbounded_channel();
    let mut executor = LiveExecutor::new(store.clone(), runner, messages);
    let mut app = App::new(store.snapshot(), "workspace.ron", vec![], now());

    let keys = |text: &str| {
        text.chars()
            .map(|c| key(KeyCode::Char(c)))
            .collect::<Vec<_>>()
    };
    let mut script = vec![key(KeyCode::Char('v')), key(KeyCode::Char('n'))];
    script.extend(keys("region"));
    script.push(key(KeyCode::Tab));
    script.extend(keys("eu-west"));
    script.push(ctrl('s'));
    // Then edit the shipped one's value.
    script.extend([
        key(KeyCode::Char('g')),
        key(KeyCode::Char('e')),
        key(KeyCode::Tab),
    ]);
    script.push(ctrl('u'));
    script.extend(keys("99"));
    script.push(ctrl('s'));
    for message in script {
        feed(&mut app, &mut executor, message);
    }
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.pending_saves > 0 {
        let message = tokio::time::timeout_at(deadline, receiver.recv())
            .await
            .expect("the saves are answered within 10 s")
            .expect("the executor keeps the channel open");
        feed(&mut app, &mut executor, message);
    }
    assert!(app.overlays.is_empty(), "{:?}", app.overlays);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains(
            "// Variables are read by templates as {{var.NAME}} and written by Data Targets."
        ),
        "the comment stays:\n{text}"
    );
    assert!(
        text.contains(r#"(name: "last_contact_id", value: "99")"#),
        "{text}"
    );
    assert!(
        text.contains(r#"(name: "region", value: "eu-west")"#),
        "{text}"
    );
    let reloaded = payloads::workspace::load(&path).unwrap();
    assert_eq!(reloaded.variables, app.workspace.variables);
    // Only the Variables changed: the rest of the file is byte for byte the shipped one.
    let changed: Vec<_> = DEMO_WORKSPACE
        .lines()
        .filter(|l| !text.lines().any(|t| t == *l))
        .collect();
    assert_eq!(
        changed,
        [r#"        (name: "last_contact_id", value: "1"),"#]
    );
}
