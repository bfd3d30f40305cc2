//! "From curl" in the TUI's new Payload form: a pasted curl command (with `\` line ends) fills
//! the form the way `payloads import curl` reads it, flags not understood are listed, and a
//! credential in the command is offered as a Credential, never kept in the Payload.

use crate::tui_support::*;
use crossterm::event::KeyCode;
use payloads::tui::edits::Edit;
use payloads::tui::forms::{FieldKey, Form};
use payloads::tui::{Action, App, Message, Overlay};
use payloads::workspace::{Body, CredentialAuth, Method};

fn new_payload_form() -> App {
    let mut app = app();
    press(
        &mut app,
        &[
            key(KeyCode::BackTab),
            key(KeyCode::BackTab),
            key(KeyCode::Char('n')),
        ],
    );
    app
}

fn form(app: &App) -> &Form {
    match app.top_overlay() {
        Some(Overlay::Form(form)) => form,
        other => panic!("no form: {other:?}"),
    }
}

const BEARER_COMMAND: &str = "curl -X POST 'http://127.0.0.1:8787/api/contacts?limit=5' \\\n  \
    -H 'Content-Type: application/json' \\\n  \
    -H 'Authorization: Bearer tok-SECRET-123' \\\n  \
    --proxy http://127.0.0.1:9 \\\n  \
    -d '{\"name\": \"Ada\"}'";

#[test]
fn a_pasted_command_fills_the_form_and_names_what_it_left_out() {
    let mut app = new_payload_form();
    assert_eq!(
        form(&app).focused().key,
        FieldKey::Curl,
        "From curl comes first"
    );
    app.update(Message::Paste(BEARER_COMMAND.into()));
    let f = form(&app);
    assert_eq!(f.value(FieldKey::Method), "POST");
    assert_eq!(f.value(FieldKey::Endpoint), "/api/contacts");
    assert_eq!(f.value(FieldKey::Parameters), "limit: 5");
    assert_eq!(f.value(FieldKey::BodyKind), "JSON");
    assert_eq!(f.value(FieldKey::Credential), "sandbox-oauth");
    assert_eq!(
        f.focused().key,
        FieldKey::Name,
        "the cursor goes to the name"
    );
    let notes = f.notes.join("\n");
    assert!(
        notes.contains("--proxy"),
        "the flag left out is named: {notes}"
    );
    assert!(notes.contains("sandbox-oauth"), "{notes}");
    insta::assert_snapshot!("curl_filled_form_80x24", render(&app, 80, 24));

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
    assert_eq!(payload.method, Method::POST);
    assert_eq!(payload.body, Body::Json("{\"name\": \"Ada\"}".into()));
    assert_eq!(payload.credential.as_deref(), Some("sandbox-oauth"));
    let saved = format!("{payload:?}");
    assert!(
        !saved.contains("tok-SECRET"),
        "the token is not kept: {saved}"
    );
    assert!(
        payload
            .headers
            .iter()
            .all(|h| !h.name.eq_ignore_ascii_case("authorization")),
        "{:?}",
        payload.headers
    );
}

#[test]
fn a_basic_user_is_offered_as_a_new_credential_created_on_save() {
    let mut app = new_payload_form();
    type_text(
        &mut app,
        "curl -u ada:pw-SECRET http://127.0.0.1:8787/api/ping",
    );
    // Leaving the field reads it.
    press(&mut app, &[key(KeyCode::Tab)]);
    let f = form(&app);
    assert_eq!(f.value(FieldKey::Endpoint), "/api/ping");
    let offered = f.value(FieldKey::Credential);
    assert!(
        f.notes
            .join("\n")
            .contains("offered: a new Basic Credential"),
        "{:?}",
        f.notes
    );
    let screen = render(&app, 80, 24);
    assert!(screen.contains("new: Basic ada"), "{screen}");
    assert!(!screen.contains("pw-SECRET\""), "{screen}");

    let actions = press(&mut app, &[ctrl('s')]);
    let [
        Action::Save(Edit::PayloadWithCredential {
            payload,
            credential,
        }),
    ] = actions.as_slice()
    else {
        panic!("{actions:?}");
    };
    assert_eq!(credential.id, offered.as_str());
    assert_eq!(payload.credential.as_ref(), Some(&credential.id));
    let CredentialAuth::Basic(basic) = &credential.auth else {
        panic!("{credential:?}");
    };
    assert_eq!(
        (basic.username.as_str(), basic.password.as_str()),
        ("ada", "pw-SECRET")
    );
    assert!(!format!("{payload:?}").contains("pw-SECRET"));
    assert!(
        app.workspace.credential(&offered).is_some(),
        "created with it"
    );
    assert!(app.workspace.payload(&payload.id).is_some());
}

#[test]
fn choosing_no_credential_creates_none() {
    let mut app = new_payload_form();
    app.update(Message::Paste(
        "curl -u ada:pw http://127.0.0.1:8787/api/ping".into(),
    ));
    // Down the form to Credential, and back to (none).
    for _ in 0..20 {
        if form(&app).focused().key == FieldKey::Credential {
            break;
        }
        press(&mut app, &[key(KeyCode::Tab)]);
    }
    assert_eq!(form(&app).focused().key, FieldKey::Credential);
    while form(&app).value(FieldKey::Credential) != "(none)" {
        press(&mut app, &[key(KeyCode::Left)]);
    }
    let credentials = app.workspace.credentials.len();
    let actions = press(&mut app, &[ctrl('s')]);
    assert!(
        matches!(actions.as_slice(), [Action::Save(Edit::Payload { .. })]),
        "{actions:?}"
    );
    assert_eq!(app.workspace.credentials.len(), credentials);
}

#[test]
fn a_command_that_does_not_parse_is_refused_at_the_field() {
    let mut app = new_payload_form();
    app.update(Message::Paste(
        "curl 'http://127.0.0.1:8787/unclosed".into(),
    ));
    let f = form(&app);
    assert_eq!(f.focused().key, FieldKey::Curl);
    assert!(f.focused().error.is_some(), "{:?}", f.focused());
    assert!(press(&mut app, &[ctrl('s')]).is_empty(), "nothing is saved");
    assert!(
        form(&app).value(FieldKey::Curl).contains("unclosed"),
        "the text stays to fix"
    );
}
