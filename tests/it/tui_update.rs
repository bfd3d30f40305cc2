//! The main journeys of the TUI driven from key presses alone through `App::update`: no terminal,
//! no disk, no network. What a journey should produce is the Actions and the App's state.

use crate::tui_support;

use crossterm::event::KeyCode;
use payloads::flow::{RunEvent, RunEventKind, RunRequest};
use payloads::jobs::{JobStatus, Trigger};
use payloads::tui::edits::{Edit, RecordKind};
use payloads::tui::forms::FieldKey;
use payloads::tui::scroll::ScrollState;
use payloads::tui::{Action, Message, Overlay, Pane, Screen};
use payloads::workspace::{CredentialAuth, PayloadKind};
use tui_support::*;

fn form_title(app: &payloads::tui::App) -> Option<String> {
    match app.top_overlay() {
        Some(Overlay::Form(form)) => Some(form.title.clone()),
        _ => None,
    }
}

fn event(kind: RunEventKind, job: payloads::jobs::Job) -> Message {
    Message::Run(Box::new(RunEvent {
        at: now(),
        job_id: job.id.clone(),
        kind,
        job: std::sync::Arc::new(job),
    }))
}

#[test]
fn creating_an_integration_from_keys_saves_it_at_once() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Char('n'))]);
    assert_eq!(form_title(&app).as_deref(), Some("New Integration"));
    // Name first; the id (next) is made from it.
    type_text(&mut app, "Contacts API");
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Tab)]);
    type_text(&mut app, "https://api.example.com");
    let actions = press(&mut app, &[ctrl('s')]);

    let [
        Action::Save(Edit::Integration {
            original: None,
            integration,
        }),
    ] = actions.as_slice()
    else {
        panic!("expected one Save, got {actions:?}");
    };
    assert_eq!(
        integration.id, "contacts-api",
        "a blank id is made from the name"
    );
    assert_eq!(integration.base_url, "https://api.example.com");
    assert!(app.overlays.is_empty(), "the form closes on save");
    assert_eq!(
        app.workspace.integration("contacts-api").unwrap().name,
        "Contacts API"
    );
    assert_eq!(
        app.selected_id(Pane::Integrations).as_deref(),
        Some("contacts-api")
    );
    assert_eq!(app.pending_saves, 1);
}

#[test]
fn an_invalid_value_is_refused_at_the_field_with_the_reason() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Char('n'))]);
    type_text(&mut app, "Broken");
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Tab)]);
    type_text(&mut app, "ftp://files");
    let actions = press(&mut app, &[ctrl('s')]);
    assert!(actions.is_empty(), "nothing is saved: {actions:?}");
    let Some(Overlay::Form(form)) = app.top_overlay() else {
        panic!("the form stays open");
    };
    assert_eq!(
        form.focused().key,
        FieldKey::BaseUrl,
        "the cursor is put on the refused field"
    );
    assert!(
        form.focused()
            .error
            .as_deref()
            .unwrap()
            .contains("http:// or https://")
    );

    // A taken id is refused too. (The form holds typed text: the first Esc asks.)
    press(
        &mut app,
        &[
            key(KeyCode::Esc),
            key(KeyCode::Esc),
            key(KeyCode::Char('n')),
        ],
    );
    type_text(&mut app, "Again");
    press(&mut app, &[key(KeyCode::Tab), ctrl('u')]);
    type_text(&mut app, "sandbox");
    press(&mut app, &[key(KeyCode::Tab)]);
    type_text(&mut app, "https://again.example.com");
    let actions = press(&mut app, &[ctrl('s')]);
    assert!(actions.is_empty());
    let Some(Overlay::Form(form)) = app.top_overlay() else {
        panic!("the form stays open");
    };
    assert_eq!(
        form.focused().error.as_deref(),
        Some("the id sandbox is taken")
    );
}

#[test]
fn creating_a_bearer_credential_creates_its_token_payload_and_offers_it() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('n'))]);
    assert_eq!(form_title(&app).as_deref(), Some("New Credential"));
    type_text(&mut app, "Partner OAuth");
    let actions = press(&mut app, &[ctrl('s')]);

    let [
        Action::Save(Edit::Credential {
            credential,
            token_payload: Some(token),
            ..
        }),
    ] = actions.as_slice()
    else {
        panic!("expected a Credential save with its Token Payload, got {actions:?}");
    };
    assert_eq!(credential.id, "partner-oauth");
    assert_eq!(credential.integration, "sandbox");
    let CredentialAuth::BearerToken(bearer) = &credential.auth else {
        panic!("Bearer Token is the default type");
    };
    assert_eq!(bearer.token_payload, "partner-oauth-token");
    assert_eq!(token.kind, PayloadKind::Credential);
    assert_eq!(token.credential.as_deref(), Some("partner-oauth"));
    assert!(
        app.visible_payloads()
            .iter()
            .any(|p| p.id == "partner-oauth-token"),
        "it appears in Payloads"
    );

    assert!(matches!(
        app.top_overlay(),
        Some(Overlay::OfferTokenPayload { .. })
    ));
    press(&mut app, &[key(KeyCode::Enter)]);
    assert_eq!(
        form_title(&app).as_deref(),
        Some("Edit Payload Partner OAuth token request (partner-oauth-token)")
    );
    assert_eq!(app.focus, Pane::Payloads);
}

#[test]
fn choosing_another_credential_type_changes_the_fields() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('n'))]);
    type_text(&mut app, "Key");
    // name → id → integration → type; → picks Basic, then API Key.
    press(
        &mut app,
        &[
            key(KeyCode::Tab),
            key(KeyCode::Tab),
            key(KeyCode::Tab),
            key(KeyCode::Right),
            key(KeyCode::Right),
        ],
    );
    let Some(Overlay::Form(form)) = app.top_overlay() else {
        panic!()
    };
    let shown: Vec<FieldKey> = form
        .visible_indices()
        .iter()
        .map(|&i| form.fields[i].key)
        .collect();
    assert!(
        shown.contains(&FieldKey::KeyValue) && !shown.contains(&FieldKey::ClientSecret),
        "{shown:?}"
    );
    // Down to the key value, which is a secret: masked until Ctrl-R.
    press(
        &mut app,
        &[key(KeyCode::Tab), key(KeyCode::Tab), key(KeyCode::Tab)],
    );
    type_text(&mut app, "k-123");
    let actions = press(&mut app, &[ctrl('s')]);
    let [
        Action::Save(Edit::Credential {
            credential,
            token_payload: None,
            ..
        }),
    ] = actions.as_slice()
    else {
        panic!("{actions:?}");
    };
    let CredentialAuth::ApiKey(key) = &credential.auth else {
        panic!("{credential:?}")
    };
    assert_eq!(
        (key.header.as_str(), key.value.as_str()),
        ("x-api-key", "k-123")
    );
}

#[test]
fn creating_a_payload_and_editing_a_field() {
    let mut app = app();
    press(
        &mut app,
        &[
            key(KeyCode::BackTab),
            key(KeyCode::BackTab),
            key(KeyCode::Char('n')),
        ],
    );
    assert_eq!(app.focus, Pane::Payloads);
    // Past "From curl".
    press(&mut app, &[key(KeyCode::Tab)]);
    type_text(&mut app, "Ping");
    let actions = press(&mut app, &[ctrl('s')]);
    assert!(actions.is_empty(), "an endpoint is required");
    type_text(&mut app, "/ping");
    let actions = press(&mut app, &[ctrl('s')]);
    let [
        Action::Save(Edit::Payload {
            original: None,
            payload,
        }),
    ] = actions.as_slice()
    else {
        panic!("{actions:?}");
    };
    assert_eq!(
        (payload.id.as_str(), payload.endpoint.as_str()),
        ("ping", "/ping")
    );
    assert_eq!(app.selected_id(Pane::Payloads).as_deref(), Some("ping"));

    // Edit: rename the Integration.
    press(
        &mut app,
        &[
            key(KeyCode::Tab),
            key(KeyCode::Tab),
            key(KeyCode::Char('e')),
        ],
    );
    assert_eq!(app.focus, Pane::Integrations);
    assert_eq!(
        form_title(&app).as_deref(),
        Some("Edit Integration Sandbox API (sandbox)")
    );
    // An edited record keeps its id: the form starts at the name.
    for _ in 0..3 {
        press(&mut app, &[key(KeyCode::Backspace)]);
    }
    type_text(&mut app, "Service");
    let actions = press(&mut app, &[ctrl('s')]);
    let [
        Action::Save(Edit::Integration {
            original: Some(original),
            integration,
        }),
    ] = actions.as_slice()
    else {
        panic!("{actions:?}");
    };
    assert_eq!(original, "sandbox");
    assert_eq!(integration.name, "Sandbox Service");
    assert_eq!(
        app.workspace.integration("sandbox").unwrap().name,
        "Sandbox Service"
    );
}

#[test]
fn deleting_asks_first_and_names_what_refers_to_it() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('d'))]);
    let Some(Overlay::ConfirmDelete {
        kind,
        id,
        referrers,
    }) = app.top_overlay()
    else {
        panic!("d asks first");
    };
    assert_eq!(
        (*kind, id.as_str()),
        (RecordKind::Credential, "sandbox-oauth")
    );
    assert_eq!(
        referrers,
        &[
            "Payload Sandbox OAuth token request (sandbox-oauth-token) is its token request",
            "Payload List contacts (list-contacts) uses it",
            "Payload Get contact (get-contact) uses it",
        ]
    );
    assert!(
        press(&mut app, &[key(KeyCode::Char('n'))]).is_empty(),
        "n keeps it"
    );
    assert!(app.workspace.credential("sandbox-oauth").is_some());

    let actions = press(
        &mut app,
        &[key(KeyCode::Char('d')), key(KeyCode::Char('y'))],
    );
    assert_eq!(
        actions,
        [Action::Save(Edit::Delete {
            kind: RecordKind::Credential,
            id: "sandbox-oauth".into()
        })]
    );
    assert!(app.workspace.credential("sandbox-oauth").is_none());
    assert!(app.workspace.payload("sandbox-oauth-token").is_none());
    assert_eq!(
        app.workspace.payload("list-contacts").unwrap().credential,
        None
    );
}

#[test]
fn running_streams_the_job_into_the_jobs_pane() {
    let mut app = app();
    press(
        &mut app,
        &[
            key(KeyCode::BackTab),
            key(KeyCode::BackTab),
            key(KeyCode::Char('j')),
        ],
    );
    assert_eq!(
        app.selected_id(Pane::Payloads).as_deref(),
        Some("list-contacts")
    );
    let actions = press(&mut app, &[key(KeyCode::Char('r'))]);
    assert_eq!(
        actions,
        [Action::Run(RunRequest {
            payload_id: "list-contacts".into(),
            inputs: vec![],
            trigger: Trigger::Tui
        })]
    );

    let mut running = job("J-1", "list-contacts", JobStatus::Running, Trigger::Tui);
    app.update(event(RunEventKind::JobCreated, running.clone()));
    assert_eq!(app.job_rows().len(), 1);
    assert_eq!(
        app.selected_id(Pane::Jobs).as_deref(),
        Some("J-1"),
        "the new Job is selected"
    );

    let mut refresh = job(
        "J-2",
        "sandbox-oauth-token",
        JobStatus::Running,
        Trigger::RefreshFor("J-1".into()),
    );
    refresh.linked_job = Some("J-1".into());
    app.update(event(RunEventKind::JobCreated, refresh.clone()));
    let rows: Vec<(String, bool)> = app
        .job_rows()
        .iter()
        .map(|r| (r.job.id.to_string(), r.nested))
        .collect();
    assert_eq!(
        rows,
        [("J-1".into(), false), ("J-2".into(), true)],
        "the refresh sits under its Job"
    );

    refresh.status = JobStatus::Succeeded;
    app.update(event(RunEventKind::Finished, refresh));
    running.status = JobStatus::Succeeded;
    running.linked_job = Some("J-2".into());
    app.update(event(RunEventKind::Finished, running));
    assert!(app.jobs.iter().all(|j| j.status == JobStatus::Succeeded));
    assert!(app.overlays.is_empty(), "a success needs no popup");

    // Navigation goes on while Jobs run: open the Job and jump to its refresh.
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Enter)]);
    assert_eq!(
        app.screen,
        Screen::JobDetail {
            job_id: "J-1".into(),
            scroll: ScrollState::default()
        }
    );
    press(&mut app, &[key(KeyCode::Char('l'))]);
    assert_eq!(
        app.screen,
        Screen::JobDetail {
            job_id: "J-2".into(),
            scroll: ScrollState::default()
        }
    );
}

#[test]
fn dynamic_inputs_are_asked_for_with_defaults_filled() {
    let mut app = app();
    press(
        &mut app,
        &[
            key(KeyCode::BackTab),
            key(KeyCode::BackTab),
            key(KeyCode::Char('G')),
        ],
    );
    assert_eq!(
        app.selected_id(Pane::Payloads).as_deref(),
        Some("get-contact")
    );
    assert!(press(&mut app, &[key(KeyCode::Char('r'))]).is_empty());
    assert_eq!(
        form_title(&app).as_deref(),
        Some("Run Get contact (get-contact)")
    );
    type_text(&mut app, "2");
    let actions = press(&mut app, &[key(KeyCode::Enter)]);
    assert_eq!(
        actions,
        [Action::Run(RunRequest {
            payload_id: "get-contact".into(),
            inputs: vec![("contact_id".into(), "12".into())],
            trigger: Trigger::Tui
        })]
    );
}

#[test]
fn cancelling_the_selected_running_job() {
    let mut app = app();
    app.jobs = vec![running_job()];
    press(&mut app, &[key(KeyCode::BackTab)]);
    assert_eq!(app.focus, Pane::Jobs);
    let actions = press(&mut app, &[key(KeyCode::Char('x'))]);
    assert_eq!(actions, [Action::Cancel(running_job().id)]);

    app.jobs = finished_pair();
    assert!(
        press(&mut app, &[key(KeyCode::Char('x'))]).is_empty(),
        "a finished Job is not cancelled"
    );
    assert!(app.note.as_deref().unwrap().contains("already succeeded"));
}

#[test]
fn refresh_now_on_a_bearer_credential() {
    let mut app = app();
    let actions = press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('R'))]);
    assert_eq!(actions, [Action::Refresh("sandbox-oauth".into())]);
}

#[test]
fn failures_show_an_error_the_user_dismisses() {
    let mut app = app();
    app.update(Message::Saved {
        result: Err("could not save workspace.ron: disk full".into()),
        workspace: workspace().into(),
    });
    let Some(Overlay::Error(text)) = app.top_overlay() else {
        panic!("a failed save shows an error")
    };
    assert!(text.contains("disk full"));
    press(&mut app, &[key(KeyCode::Char('j'))]);
    assert!(app.top_overlay().is_some(), "other keys leave it up");
    press(&mut app, &[key(KeyCode::Esc)]);
    assert!(app.overlays.is_empty());

    let mut failed = job("J-9", "list-contacts", JobStatus::Failed, Trigger::Tui);
    failed.error = Some("token refresh failed: invalid_grant".into());
    app.update(event(RunEventKind::Finished, failed));
    let Some(Overlay::Error(text)) = app.top_overlay() else {
        panic!("a failed run shows an error")
    };
    assert!(text.contains("invalid_grant"));
}

#[test]
fn filter_narrows_the_focused_pane() {
    let mut app = app();
    press(
        &mut app,
        &[
            key(KeyCode::BackTab),
            key(KeyCode::BackTab),
            key(KeyCode::Char('/')),
        ],
    );
    type_text(&mut app, "contact");
    press(&mut app, &[key(KeyCode::Enter)]);
    let ids: Vec<String> = app
        .visible_payloads()
        .iter()
        .map(|p| p.id.to_string())
        .collect();
    assert_eq!(ids, ["list-contacts", "get-contact"]);
    press(&mut app, &[key(KeyCode::Esc)]);
    assert_eq!(app.visible_payloads().len(), 3);
}

#[test]
fn quitting() {
    let mut app = app();
    assert_eq!(press(&mut app, &[key(KeyCode::Char('q'))]), [Action::Quit]);
    let mut app = tui_support::app();
    press(&mut app, &[key(KeyCode::Char('n'))]);
    assert_eq!(
        press(&mut app, &[ctrl('c')]),
        [Action::CancelAll, Action::Interrupt],
        "Ctrl-C quits even from a form, cancelling what runs"
    );
}

#[test]
fn quitting_while_jobs_run_asks_first_and_cancels_them() {
    let mut app = app();
    app.jobs = vec![
        running_job(),
        job("J-2", "list-contacts", JobStatus::Running, Trigger::Tui),
    ];
    assert_eq!(press(&mut app, &[key(KeyCode::Char('q'))]), []);
    assert!(matches!(
        app.top_overlay(),
        Some(Overlay::ConfirmQuit { running: 2 })
    ));
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("2 Jobs are running: quit and cancel them?"),
        "{screen}"
    );
    // n stays, and the Jobs go on.
    assert_eq!(press(&mut app, &[key(KeyCode::Char('n'))]), []);
    assert!(app.overlays.is_empty() && !app.quit);
    // y cancels them, then quits.
    let actions = press(
        &mut app,
        &[key(KeyCode::Char('q')), key(KeyCode::Char('y'))],
    );
    assert_eq!(actions, [Action::CancelAll, Action::Quit]);
    assert!(app.quit);
}

#[test]
fn esc_then_a_key_in_quick_succession_is_both_keys() {
    let mut app = app();
    app.update(Message::ActionFailed("boom".into()));
    // Terminals report a quick Esc, q as Alt+q.
    let alt_q = Message::Key(crossterm::event::KeyEvent::new(
        KeyCode::Char('q'),
        crossterm::event::KeyModifiers::ALT,
    ));
    assert_eq!(app.update(alt_q), [Action::Quit]);
}
