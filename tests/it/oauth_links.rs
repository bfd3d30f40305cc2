//! Following references in the TUI (a record's links selected with j / k and opened with Enter,
//! Esc back along the way; Enter on a form's Token Payload), forms that put the Name first and
//! make the id from it, the Credential form's OAuth fields, and its Ctrl-O discovery against the
//! sandbox and wiremock.

use crate::tui_support::{app, ctrl, key, now, press, render, type_text};
use crossterm::event::KeyCode;
use payloads::flow::{Runner, RunnerConfig};
use payloads::jobs::JobStore;
use payloads::oauth::grant::grant_type_of;
use payloads::tui::edits::Edit;
use payloads::tui::forms::FieldKey;
use payloads::tui::{Action, App, Message, Overlay, Pane, Screen};
use payloads::workspace::{Body, ClientAuth, CredentialAuth, Login, WorkspaceStore};
use std::sync::Arc;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn form(app: &App) -> &payloads::tui::forms::Form {
    match app.top_overlay() {
        Some(Overlay::Form(form)) => form,
        other => panic!("expected a form, got {other:?}"),
    }
}

fn tab_to(app: &mut App, field: FieldKey) {
    for _ in 0..40 {
        if form(app).focused().key == field {
            return;
        }
        press(app, &[key(KeyCode::Tab)]);
    }
    panic!("no field {field:?}");
}

/// The record the full-screen detail shows: its pane and id.
fn showing(app: &App) -> (Pane, String) {
    assert!(
        matches!(app.screen, Screen::RecordDetail { .. }),
        "{:?}",
        app.screen
    );
    (app.focus, app.selected_id(app.focus).unwrap())
}

#[test]
fn a_new_record_takes_its_id_from_its_name_until_an_id_is_typed() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('n'))]);
    assert_eq!(form(&app).focused().key, FieldKey::Name, "Name comes first");
    assert_eq!(form(&app).fields[1].key, FieldKey::Id, "then the Id");
    type_text(&mut app, "Sandbox  OAuth!");
    // sandbox-oauth is taken: the first free suffix.
    assert_eq!(form(&app).value(FieldKey::Id), "sandbox-oauth-2");
    press(&mut app, &[key(KeyCode::Backspace)]);
    assert_eq!(form(&app).value(FieldKey::Id), "sandbox-oauth-2");
    // Moving the cursor in the id changes nothing; typing there makes the id the user's.
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Left)]);
    press(&mut app, &[key(KeyCode::BackTab)]);
    type_text(&mut app, " two");
    assert_eq!(form(&app).value(FieldKey::Id), "sandbox-oauth-two");
    press(&mut app, &[key(KeyCode::Tab), ctrl('u')]);
    type_text(&mut app, "mine");
    press(&mut app, &[key(KeyCode::BackTab)]);
    type_text(&mut app, " again");
    assert_eq!(form(&app).value(FieldKey::Id), "mine");
    let actions = press(&mut app, &[ctrl('s')]);
    let [Action::Save(Edit::Credential { credential, .. })] = actions.as_slice() else {
        panic!("{actions:?}");
    };
    assert_eq!(credential.id, "mine");
    assert_eq!(credential.name, "Sandbox  OAuth two again");

    // An existing record keeps its id: its form has none, and starts at the Name. (Esc first:
    // the offer to open the new Token Payload.)
    press(&mut app, &[key(KeyCode::Esc), key(KeyCode::Char('e'))]);
    assert!(!form(&app).has_field(FieldKey::Id));
    assert_eq!(form(&app).focused().key, FieldKey::Name);
}

#[test]
fn a_credential_detail_selects_its_token_payload_and_users_and_esc_comes_back() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Enter)]);
    assert_eq!(
        showing(&app),
        (Pane::Credentials, "sandbox-oauth".to_string())
    );
    let links: Vec<String> = payloads::tui::view::record_detail::links(&app)
        .into_iter()
        .map(|l| l.id)
        .collect();
    // Its Token Payload, then what uses it (the token request reads it too).
    assert_eq!(
        links,
        [
            "sandbox-oauth-token",
            "sandbox-oauth-token",
            "list-contacts",
            "get-contact"
        ]
    );
    press(
        &mut app,
        &[key(KeyCode::Char('j')), key(KeyCode::Char('j'))],
    );
    insta::assert_snapshot!("credential_detail_links_80x24", render(&app, 80, 24));

    // The third link: list-contacts, a Payload; its Credential links back.
    press(&mut app, &[key(KeyCode::Enter)]);
    assert_eq!(showing(&app), (Pane::Payloads, "list-contacts".to_string()));
    press(&mut app, &[key(KeyCode::Enter)]);
    assert_eq!(
        showing(&app),
        (Pane::Credentials, "sandbox-oauth".to_string())
    );
    // Esc goes back one place at a time, the link selected as it was left.
    press(&mut app, &[key(KeyCode::Esc)]);
    assert_eq!(showing(&app), (Pane::Payloads, "list-contacts".to_string()));
    press(&mut app, &[key(KeyCode::Esc)]);
    assert_eq!(
        showing(&app),
        (Pane::Credentials, "sandbox-oauth".to_string())
    );
    assert!(matches!(app.screen, Screen::RecordDetail { link: 2, .. }));
    // k k up to the Token Payload, Enter opens it.
    press(
        &mut app,
        &[
            key(KeyCode::Char('k')),
            key(KeyCode::Up),
            key(KeyCode::Char('k')),
            key(KeyCode::Enter),
        ],
    );
    assert_eq!(
        showing(&app),
        (Pane::Payloads, "sandbox-oauth-token".to_string())
    );
    press(&mut app, &[key(KeyCode::Esc), key(KeyCode::Esc)]);
    assert_eq!(app.screen, Screen::Main);
    assert_eq!(app.focus, Pane::Credentials);
}

#[test]
fn an_integration_lists_its_credentials_and_payloads_to_open() {
    let mut app = app();
    // A filter on Payloads that hides the one opened: following shows it anyway, and Esc
    // brings the filter back.
    app.filters[Pane::Payloads.index()] = "invoice".into();
    press(&mut app, &[key(KeyCode::Enter)]);
    insta::assert_snapshot!("integration_detail_links_80x24", render(&app, 80, 24));
    press(
        &mut app,
        &[
            key(KeyCode::Char('j')),
            key(KeyCode::Down),
            key(KeyCode::Enter),
        ],
    );
    assert_eq!(showing(&app), (Pane::Payloads, "list-contacts".to_string()));
    press(&mut app, &[key(KeyCode::Esc)]);
    assert_eq!(app.filters[Pane::Payloads.index()], "invoice");
    assert_eq!(showing(&app), (Pane::Integrations, "sandbox".to_string()));
}

#[test]
fn enter_on_the_token_payload_field_opens_it_over_the_form_and_esc_brings_the_form_back() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('e'))]);
    type_text(&mut app, " v2");
    tab_to(&mut app, FieldKey::TokenPayload);
    let footer = render(&app, 80, 24);
    assert!(footer.contains("Enter open it"), "{footer}");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert!(app.overlays.is_empty(), "the form waits on the trail");
    assert_eq!(
        showing(&app),
        (Pane::Payloads, "sandbox-oauth-token".to_string())
    );
    press(&mut app, &[key(KeyCode::Esc)]);
    assert_eq!(form(&app).value(FieldKey::Name), "Sandbox OAuth v2");
    assert_eq!(form(&app).focused().key, FieldKey::TokenPayload);
    assert_eq!(app.screen, Screen::Main);

    // A new Credential's Token Payload does not exist yet: Enter says so and stays.
    press(&mut app, &[key(KeyCode::Esc), key(KeyCode::Esc)]);
    press(&mut app, &[key(KeyCode::Char('n'))]);
    tab_to(&mut app, FieldKey::TokenPayload);
    press(&mut app, &[key(KeyCode::Enter)]);
    assert_eq!(form(&app).focused().key, FieldKey::TokenPayload);
    assert!(
        app.note
            .as_deref()
            .unwrap()
            .contains("made when the Credential is saved")
    );
}

#[test]
fn enter_on_a_payloads_credential_opens_it_and_esc_brings_the_form_back() {
    let mut app = app();
    // Payloads pane, list-contacts (second row after the token request), its form.
    press(
        &mut app,
        &[
            key(KeyCode::BackTab),
            key(KeyCode::BackTab),
            key(KeyCode::Char('j')),
            key(KeyCode::Char('e')),
        ],
    );
    assert_eq!(form(&app).value(FieldKey::Name), "List contacts");
    tab_to(&mut app, FieldKey::Credential);
    press(&mut app, &[key(KeyCode::Enter)]);
    assert_eq!(
        showing(&app),
        (Pane::Credentials, "sandbox-oauth".to_string())
    );
    press(&mut app, &[key(KeyCode::Esc)]);
    assert_eq!(form(&app).focused().key, FieldKey::Credential);
    assert_eq!(app.focus, Pane::Payloads);
    // No Credential chosen: nothing to open, the form stays.
    press(&mut app, &[key(KeyCode::Left)]);
    assert_eq!(form(&app).value(FieldKey::Credential), "(none)");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert_eq!(form(&app).focused().key, FieldKey::Credential);
    assert_eq!(
        app.note.as_deref(),
        Some("no Credential chosen here to open")
    );
}

#[test]
fn the_credential_form_edits_the_login_and_the_token_request() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('e'))]);
    tab_to(&mut app, FieldKey::Grant);
    // refresh token (pasted) → device code: the login's fields appear.
    assert!(!form(&app).is_visible_key(FieldKey::Scope));
    press(&mut app, &[key(KeyCode::Right)]);
    assert!(form(&app).is_visible_key(FieldKey::Scope));
    tab_to(&mut app, FieldKey::TokenEndpoint);
    press(&mut app, &[ctrl('u')]);
    type_text(&mut app, "https://id.example.com/token");
    tab_to(&mut app, FieldKey::ClientAuth);
    press(&mut app, &[key(KeyCode::Right)]);
    tab_to(&mut app, FieldKey::Issuer);
    type_text(&mut app, "ftp://nope");
    tab_to(&mut app, FieldKey::Scope);
    type_text(&mut app, "contacts:read offline");
    insta::assert_snapshot!("credential_form_oauth_fields_80x24", render(&app, 80, 24));
    let actions = press(&mut app, &[ctrl('s')]);
    assert!(actions.is_empty(), "the issuer is refused: {actions:?}");
    assert_eq!(form(&app).focused().key, FieldKey::Issuer);
    assert!(
        form(&app)
            .focused()
            .error
            .as_deref()
            .unwrap()
            .contains("not an http(s) URL"),
        "{:?}",
        form(&app).focused().error
    );
    press(&mut app, &[ctrl('u')]);
    type_text(&mut app, "https://id.example.com");
    let actions = press(&mut app, &[ctrl('s')]);
    let [
        Action::Save(Edit::Credential {
            credential,
            token_payload: Some(request),
            ..
        }),
    ] = actions.as_slice()
    else {
        panic!("{actions:?}");
    };
    let CredentialAuth::BearerToken(bearer) = &credential.auth else {
        panic!()
    };
    let Some(Login::DeviceCode(login)) = &bearer.login else {
        panic!("{:?}", bearer.login)
    };
    assert_eq!(login.issuer, "https://id.example.com");
    assert_eq!(login.scope, "contacts:read offline");
    assert_eq!(login.endpoint, "", "blank: read from the issuer");
    assert_eq!(request.endpoint, "https://id.example.com/token");
    assert_eq!(request.client_auth, ClientAuth::BasicHeader);
    assert_eq!(grant_type_of(request), Some("refresh_token"));
    let Body::Form(fields) = &request.body else {
        panic!()
    };
    assert!(
        fields.iter().all(|f| f.name != "client_secret"),
        "Basic: the secret is not also in the body: {fields:?}"
    );
    // Applied, the Token Payload (only) changes those parts.
    let saved = app.workspace.payload("sandbox-oauth-token").unwrap();
    assert_eq!(saved.endpoint, "https://id.example.com/token");
    assert_eq!(saved.client_auth, ClientAuth::BasicHeader);
    assert_eq!(saved.response.len(), request.response.len());
    let CredentialAuth::BearerToken(kept) =
        &app.workspace.credential("sandbox-oauth").unwrap().auth
    else {
        panic!()
    };
    assert_eq!(kept.refresh_token, "rt-987654321", "tokens untouched");

    // The detail shows the login from its field table.
    press(&mut app, &[key(KeyCode::Enter)]);
    let screen = render(&app, 80, 40);
    assert!(screen.contains("Tokens by     device code"), "{screen}");
    assert!(
        screen.contains("Issuer        https://id.example.com"),
        "{screen}"
    );
    assert!(
        screen.contains("Login endpoint(from the issuer)"),
        "{screen}"
    );
}

/// A Runner over an empty workspace: discovery needs nothing from it but TLS defaults.
fn runner(dir: &tempfile::TempDir) -> Runner {
    let path = dir.path().join("workspace.ron");
    std::fs::write(&path, "").unwrap();
    let store = Arc::new(WorkspaceStore::open(&path).unwrap());
    let jobs = Arc::new(JobStore::beside(&path));
    Runner::new(store, jobs, RunnerConfig::default())
}

/// A new device-code Credential's form with `issuer` typed, and Ctrl-O pressed: the action.
fn ask_discovery(app: &mut App, issuer: &str) -> Action {
    press(app, &[key(KeyCode::Tab), key(KeyCode::Char('n'))]);
    type_text(app, "Found");
    tab_to(app, FieldKey::Grant);
    press(app, &[key(KeyCode::Right)]);
    tab_to(app, FieldKey::Issuer);
    type_text(app, issuer);
    let mut actions = press(app, &[ctrl('o')]);
    assert_eq!(actions.len(), 1, "{actions:?}");
    actions.remove(0)
}

#[tokio::test]
async fn ctrl_o_fills_the_endpoints_from_the_sandbox_metadata_without_blocking() {
    let sbx = crate::sandbox_support::start(crate::sandbox_support::any_port()).await;
    let dir = tempfile::tempdir().unwrap();
    let runner = runner(&dir);
    let mut app = app();
    let base = sbx.base_url();
    let action = ask_discovery(&mut app, &base);
    assert_eq!(
        action,
        Action::Discover {
            integration: "sandbox".into(),
            issuer: base.clone()
        }
    );
    // The form stays open and usable while the answer is on its way.
    assert!(
        app.note
            .as_deref()
            .unwrap()
            .contains("reading the discovery")
    );
    type_text(&mut app, "");
    let found = runner.discover("sandbox", &base).await;
    app.update(Message::Discovered {
        issuer: base.clone(),
        result: found,
    });
    assert_eq!(
        form(&app).value(FieldKey::TokenEndpoint),
        format!("{base}/oauth/token")
    );
    assert_eq!(
        form(&app).value(FieldKey::LoginEndpoint),
        format!("{base}/oauth/device_authorization")
    );
    assert!(app.note.as_deref().unwrap().starts_with("discovered:"));
    assert_eq!(form(&app).error, None);

    // Blank issuer: said at the field, nothing asked.
    let mut blank = crate::tui_support::app();
    press(&mut blank, &[key(KeyCode::Tab), key(KeyCode::Char('n'))]);
    tab_to(&mut blank, FieldKey::Issuer);
    assert!(press(&mut blank, &[ctrl('o')]).is_empty());
    assert!(
        form(&blank)
            .focused()
            .error
            .as_deref()
            .unwrap()
            .contains("type the issuer")
    );
    drop(sbx);
}

#[tokio::test]
async fn missing_or_wrong_metadata_is_said_on_the_form() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let runner = runner(&dir);
    // Missing: both well-known documents answer 404.
    let issuer = server.uri();
    let missing = runner.discover("sandbox", &issuer).await.unwrap_err();
    assert!(missing.contains("no discovery metadata"), "{missing}");
    assert!(
        missing.contains("/.well-known/oauth-authorization-server answered 404")
            && missing.contains("/.well-known/openid-configuration answered 404"),
        "{missing}"
    );
    let mut app = app();
    ask_discovery(&mut app, &issuer);
    app.update(Message::Discovered {
        issuer: issuer.clone(),
        result: Err(missing.clone()),
    });
    assert_eq!(form(&app).error.as_deref(), Some(missing.as_str()));
    assert_eq!(form(&app).value(FieldKey::TokenEndpoint), "/oauth/token");
    let screen = render(&app, 80, 24);
    assert!(screen.contains("no discovery metadata"), "{screen}");

    // Wrong: not JSON, then another issuer's document.
    Mock::given(method("GET"))
        .and(path("/.well-known/oauth-authorization-server"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>sign in</html>"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/.well-known/openid-configuration"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "issuer": "https://elsewhere.example",
            "token_endpoint": "https://elsewhere.example/token",
        })))
        .mount(&server)
        .await;
    let wrong = runner.discover("sandbox", &issuer).await.unwrap_err();
    assert!(wrong.contains("is not a JSON metadata document"), "{wrong}");
    assert!(
        wrong.contains("describes issuer \"https://elsewhere.example\""),
        "{wrong}"
    );

    // A late answer for another issuer fills nothing.
    app.update(Message::Discovered {
        issuer: "https://other.example".into(),
        result: Err("x".into()),
    });
    assert!(
        app.note
            .as_deref()
            .unwrap()
            .contains("after its form closed")
    );
    let _ = now();
}
