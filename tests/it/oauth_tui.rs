//! The TUI's login: `L` on a Credential with a login starts it, its prompt shows the code, the
//! address and a QR code drawn with half blocks, `x` cancels it, and it closes when the Job ends.

use crate::tui_support::{key, now, press, render};

use crossterm::event::KeyCode;
use payloads::flow::{LoginPrompt, RunEvent, RunEventKind};
use payloads::jobs::{JobStatus, Trigger};
use payloads::tui::{Action, App, Message, Overlay};
use std::time::Duration;

fn shipped_app() -> App {
    let ws = payloads::workspace::load::ron_options()
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
        job,
    })));
    assert!(app.top_overlay().is_none());
}
