//! The copy keys at the update level: what `y` and the `Y` menu put in the OSC 52 sequence, the
//! status line after, the yes asked before a token leaves, and the menu as drawn.

use crate::tui_support::*;
use base64::Engine as _;
use crossterm::event::KeyCode;
use payloads::tui::event_loop::{self, Executor, Stop, StreamConsole};
use payloads::tui::{Action, App, Message};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The text inside the one OSC 52 sequence among `actions`.
fn copied(actions: &[Action]) -> String {
    let sequences: Vec<&[u8]> = actions
        .iter()
        .filter_map(|a| match a {
            Action::Copy(seq) => Some(seq.as_bytes()),
            _ => None,
        })
        .collect();
    assert_eq!(sequences.len(), 1, "one copy: {actions:?}");
    decode(sequences[0])
}

fn decode(sequence: &[u8]) -> String {
    let inner = sequence
        .strip_prefix(b"\x1b]52;c;")
        .and_then(|s| s.strip_suffix(b"\x07"))
        .expect("ESC ] 52 ; c ; … BEL");
    String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(inner)
            .unwrap(),
    )
    .unwrap()
}

fn no_copy(actions: &[Action]) {
    assert!(
        !actions.iter().any(|a| matches!(a, Action::Copy(_))),
        "{actions:?}"
    );
}

/// The business Job of `finished_pair` open in the Job detail; it ran with `sandbox-oauth`.
fn job_detail() -> App {
    let mut app = app();
    // A business call's Job as the runner records it: no Credential of its own, so the
    // menu's access token is read through the Payload's Credential.
    app.jobs = finished_pair();
    app.update(Message::Resize {
        width: 80,
        height: 24,
    });
    press(&mut app, &[key(KeyCode::BackTab), key(KeyCode::Enter)]);
    render(&app, 80, 24);
    app
}

const BODY: &str = r#"{"contacts":[{"id":1,"name":"Ada Lovelace"},{"id":2,"name":"Alan Turing"}]}"#;

#[test]
fn y_in_a_job_detail_copies_the_response_body_and_says_how_many_bytes() {
    let mut app = job_detail();
    let actions = press(&mut app, &[key(KeyCode::Char('y'))]);
    assert_eq!(copied(&actions), BODY);
    assert_eq!(
        app.note.as_deref(),
        Some("copied the response body (75 bytes)")
    );
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("copied the response body (75 bytes)"),
        "{screen}"
    );
}

#[test]
fn a_body_past_the_cap_or_cut_by_the_history_is_not_copied_and_the_note_says_why() {
    let mut app = job_detail();
    let big = "x".repeat(payloads::tui::copy::MAX_COPY_BYTES + 1);
    let response = app.jobs[1].response.as_mut().unwrap();
    response.body = big.clone();
    response.body_bytes = big.len() as u64;
    no_copy(&press(&mut app, &[key(KeyCode::Char('y'))]));
    assert_eq!(
        app.note.as_deref(),
        Some(
            "not copied: the response body is 786,001 bytes, over the 786,000 a terminal takes in one copy"
        )
    );

    let response = app.jobs[1].response.as_mut().unwrap();
    response.body = "x".repeat(100);
    response.body_bytes = 5000;
    response.truncated = true;
    no_copy(&press(&mut app, &[key(KeyCode::Char('y'))]));
    let note = app.note.clone().unwrap();
    assert!(
        note.contains("only the first 100 of the body's 5,000 bytes"),
        "{note}"
    );
}

#[test]
fn the_copy_menu_lists_what_the_job_has_and_copies_the_picked_row() {
    let mut app = job_detail();
    press(&mut app, &[key(KeyCode::Char('Y'))]);
    insta::assert_snapshot!("copy_menu_80x24", render(&app, 80, 24));

    // The URL: two rows down.
    let actions = press(
        &mut app,
        &[
            key(KeyCode::Char('j')),
            key(KeyCode::Down),
            key(KeyCode::Enter),
        ],
    );
    assert_eq!(
        copied(&actions),
        "http://127.0.0.1:8787/api/contacts?limit=10"
    );
    assert_eq!(app.note.as_deref(), Some("copied the URL (43 bytes)"));
    assert!(app.overlays.is_empty(), "the menu closed");

    // The response value `first`.
    press(&mut app, &[key(KeyCode::Char('Y'))]);
    let actions = press(
        &mut app,
        &[
            key(KeyCode::Char('j')),
            key(KeyCode::Char('j')),
            key(KeyCode::Char('j')),
            key(KeyCode::Enter),
        ],
    );
    assert_eq!(copied(&actions), "1");
    assert_eq!(
        app.note.as_deref(),
        Some("copied the response value first (1 bytes)")
    );

    // Esc closes it, copying nothing.
    press(&mut app, &[key(KeyCode::Char('Y'))]);
    no_copy(&press(&mut app, &[key(KeyCode::Esc)]));
    assert!(app.overlays.is_empty());
}

#[test]
fn the_request_as_curl_holds_the_token_as_a_shell_variable_never_the_value() {
    let mut app = job_detail();
    press(&mut app, &[key(KeyCode::Char('Y'))]);
    let actions = press(&mut app, &[key(KeyCode::Char('j')), key(KeyCode::Enter)]);
    let curl = copied(&actions);
    assert!(
        curl.contains("curl 'http://127.0.0.1:8787/api/contacts?limit=10'"),
        "{curl}"
    );
    assert!(
        curl.contains(r#"'Authorization: Bearer '"${SANDBOX_OAUTH_ACCESS_TOKEN}""#),
        "{curl}"
    );
    assert!(!curl.contains("at-123456789"), "{curl}");
    assert!(
        app.note
            .as_deref()
            .unwrap()
            .starts_with("copied the request as curl (list-contacts) ("),
        "{:?}",
        app.note
    );
}

#[test]
fn the_access_token_leaves_only_after_a_yes() {
    let mut app = job_detail();
    press(
        &mut app,
        &[key(KeyCode::Char('Y')), key(KeyCode::Char('G'))],
    );
    // G is no key of the menu; the token is its last row.
    let to_last = vec![key(KeyCode::Char('j')); 6];
    press(&mut app, &to_last);
    no_copy(&press(&mut app, &[key(KeyCode::Enter)]));
    insta::assert_snapshot!("copy_secret_confirm_80x24", render(&app, 80, 24));
    // n: not copied, and the note says so.
    no_copy(&press(&mut app, &[key(KeyCode::Char('n'))]));
    assert_eq!(app.note.as_deref(), Some("the access token was not copied"));
    assert!(app.overlays.is_empty());

    press(&mut app, &[key(KeyCode::Char('Y'))]);
    press(&mut app, &to_last);
    press(&mut app, &[key(KeyCode::Enter)]);
    let actions = press(&mut app, &[key(KeyCode::Char('y'))]);
    assert_eq!(copied(&actions), "at-123456789");
    let note = app.note.clone().unwrap();
    assert_eq!(note, "copied the access token (sandbox-oauth) (12 bytes)");
    assert!(!note.contains("at-123"));
}

#[test]
fn y_on_a_payload_copies_it_as_curl_with_secrets_as_variables() {
    let mut app = app();
    // Payloads: the second pane back from Integrations.
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Tab)]);
    app.select(payloads::tui::Pane::Payloads, "list-contacts");
    let actions = press(&mut app, &[key(KeyCode::Char('y'))]);
    let curl = copied(&actions);
    assert!(
        curl.starts_with(
            "# Secrets are shell variables; set them first (or export with --reveal):\n"
        ),
        "{curl}"
    );
    assert!(curl.contains("SANDBOX_OAUTH_ACCESS_TOKEN"), "{curl}");
    assert!(!curl.contains("at-123456789"), "{curl}");
    assert!(curl.contains("-H 'Accept: application/json'"), "{curl}");
    assert_eq!(
        app.note.as_deref(),
        Some(
            format!(
                "copied the Payload as curl (list-contacts) ({} bytes)",
                curl.len()
            )
            .as_str()
        )
    );
    // The same from the record detail.
    press(&mut app, &[key(KeyCode::Enter)]);
    assert_eq!(copied(&press(&mut app, &[key(KeyCode::Char('y'))])), curl);

    // A Payload whose input has no default and no earlier run says what it needs.
    let mut app = self::app();
    std::sync::Arc::make_mut(&mut app.workspace).payloads[2].inputs[0].default = None;
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Tab)]);
    app.select(payloads::tui::Pane::Payloads, "get-contact");
    no_copy(&press(&mut app, &[key(KeyCode::Char('y'))]));
    let note = app.note.clone().unwrap();
    assert!(
        note.starts_with("not copied: get-contact needs the input contact_id"),
        "{note}"
    );
}

struct Nothing;

impl Executor for Nothing {
    fn execute(&mut self, _action: Action) {}
}

/// The event loop writes the sequence through the console (between frames), never the executor.
#[tokio::test]
async fn the_event_loop_writes_the_sequence_to_the_terminal() {
    let mut app = job_detail();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let (_messages, receiver) = tokio::sync::mpsc::unbounded_channel::<Message>();
    let keys = [KeyCode::Char('y'), KeyCode::Char('q'), KeyCode::Char('q')].map(|code| {
        Ok(crossterm::event::Event::Key(
            crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE),
        ))
    });
    let mut console = StreamConsole::new(futures::stream::iter(keys));
    let exit = event_loop::run(
        &mut terminal,
        &mut app,
        &mut console,
        &mut Nothing,
        receiver,
        std::future::pending::<Stop>(),
    )
    .await
    .unwrap();
    assert_eq!(exit, event_loop::Exit::Quit);
    assert_eq!(console.copied.len(), 1);
    assert_eq!(decode(&console.copied[0]), BODY);
}
