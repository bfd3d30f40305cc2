//! The TUI's login: `L` on a Credential with a login starts it, its prompt shows the code, the
//! address and a QR code drawn with half blocks, `x` cancels it, and it closes when the Job ends.

use crate::tui_support::{key, now, press, render};

use crossterm::event::KeyCode;
use payloads::flow::{LoginPrompt, RunEvent, RunEventKind};
use payloads::jobs::{JobStatus, Trigger};
use payloads::tui::forms::FieldKey;
use payloads::tui::{Action, App, Message, Overlay};
use std::time::Duration;

fn shipped_app() -> App {
    let ws: payloads::workspace::Workspace = payloads::workspace::load::ron_options()
        .from_str(payloads::workspace::DEMO_WORKSPACE)
        .unwrap();
    let mut app = App::new(ws, "workspace.ron", Vec::new(), now());
    app.colour = false;
    app
}

fn prompt() -> LoginPrompt {
    LoginPrompt::Device {
        verification_uri: "http://127.0.0.1:8787/device".into(),
        verification_uri_complete: Some("http://127.0.0.1:8787/device?user_code=BCDF-GHJK".into()),
        user_code: "BCDF-GHJK".into(),
        expires_in: Duration::from_secs(600),
    }
}

#[test]
fn l_logs_in_for_a_credential_with_a_login_and_explains_otherwise() {
    let mut app = shipped_app();
    // Credentials pane: sandbox-oauth, sandbox-api-key, sandbox-device.
    let actions = press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('L'))]);
    assert!(actions.is_empty());
    assert!(
        app.note.as_deref().unwrap().contains("has no login"),
        "{:?}",
        app.note
    );
    let actions = press(
        &mut app,
        &[
            key(KeyCode::Char('j')),
            key(KeyCode::Char('j')),
            key(KeyCode::Char('L')),
        ],
    );
    assert_eq!(actions, [Action::Login("sandbox-device".into())]);
}

#[test]
fn the_prompt_shows_code_address_and_a_qr_code_until_the_login_ends() {
    let mut app = shipped_app();
    let job_id = "20261130-010000-000001".to_string();
    app.update(Message::LoginPrompt {
        job_id: job_id.clone().into(),
        prompt: prompt(),
    });
    assert!(matches!(app.top_overlay(), Some(Overlay::Login { .. })));
    let screen = render(&app, 100, 50);
    assert!(screen.contains("BCDF-GHJK"), "{screen}");
    assert!(screen.contains("http://127.0.0.1:8787/device"), "{screen}");
    assert!(
        screen.contains("▀") && screen.contains("▄"),
        "a QR code:\n{screen}"
    );
    // On a small terminal the code and address still show; the QR code says it needs room.
    let small = render(&app, 80, 24);
    assert!(small.contains("BCDF-GHJK"), "{small}");
    assert!(small.contains("taller terminal"), "{small}");

    let actions = press(&mut app, &[key(KeyCode::Char('x'))]);
    assert_eq!(actions, [Action::Cancel(job_id.clone().into())]);
    assert!(app.top_overlay().is_none());

    // Shown again, then the login's Job ends: the prompt closes by itself.
    app.update(Message::LoginPrompt {
        job_id: job_id.clone().into(),
        prompt: prompt(),
    });
    let mut job = crate::tui_support::job(
        &job_id,
        "sandbox-device-token",
        JobStatus::Succeeded,
        Trigger::Login,
    );
    job.id = job_id.clone().into();
    app.update(Message::Run(Box::new(RunEvent {
        at: now(),
        job_id: job.id.clone(),
        kind: RunEventKind::Finished,
        job: std::sync::Arc::new(job),
    })));
    assert!(app.top_overlay().is_none());
}

fn form_value(app: &App, key: FieldKey) -> String {
    match app.top_overlay() {
        Some(Overlay::Form(form)) => form.value(key),
        other => panic!("expected a form, got {other:?}"),
    }
}

fn tab_to(app: &mut App, field: FieldKey) {
    for _ in 0..40 {
        if let Some(Overlay::Form(form)) = app.top_overlay()
            && form.focused().key == field
        {
            return;
        }
        press(app, &[key(KeyCode::Tab)]);
    }
    panic!("no field {field:?}");
}

#[test]
fn a_new_bearer_credential_asks_how_tokens_are_obtained_and_shapes_its_token_request() {
    let mut app = crate::tui_support::app();
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('n'))]);
    assert_eq!(form_value(&app, FieldKey::Grant), "refresh token (pasted)");
    tab_to(&mut app, FieldKey::Name);
    crate::tui_support::type_text(&mut app, "Phone login");
    tab_to(&mut app, FieldKey::Grant);
    // refresh token (pasted) → device code.
    press(&mut app, &[key(KeyCode::Right)]);
    assert_eq!(form_value(&app, FieldKey::Grant), "device code");
    let actions = press(&mut app, &[crate::tui_support::ctrl('s')]);
    let [
        Action::Save(payloads::tui::edits::Edit::Credential {
            credential,
            token_payload: Some(token_payload),
            ..
        }),
    ] = actions.as_slice()
    else {
        panic!("one Save of a new Credential, got {actions:?}");
    };
    let payloads::workspace::CredentialAuth::BearerToken(bearer) = &credential.auth else {
        panic!("a Bearer Token Credential");
    };
    assert!(matches!(
        bearer.login,
        Some(payloads::workspace::Login::DeviceCode(_))
    ));
    assert_eq!(
        payloads::oauth::grant::grant_type_of(token_payload),
        Some("refresh_token")
    );

    // Another type hides the choice, whatever the Token Payload field still holds.
    let mut app = crate::tui_support::app();
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('n'))]);
    tab_to(&mut app, FieldKey::Type);
    press(&mut app, &[key(KeyCode::Right)]);
    let Some(Overlay::Form(form)) = app.top_overlay() else {
        panic!("a form");
    };
    let grant = form
        .fields
        .iter()
        .position(|f| f.key == FieldKey::Grant)
        .unwrap();
    assert!(!form.is_visible(grant));
}
