//! Form details a user meets while filling records in from the keyboard: choices that only offer
//! what the workspace would accept, refusals at the field, labels that stay apart from values.

use crate::tui_support;

use crossterm::event::KeyCode;
use payloads::tui::edits::Edit;
use payloads::tui::forms::{FieldKey, Form};
use payloads::tui::{Action, App, Overlay};
use tui_support::*;

fn form(app: &App) -> &Form {
    match app.top_overlay() {
        Some(Overlay::Form(form)) => form,
        other => panic!("expected a form, got {other:?}"),
    }
}

fn offered(app: &App, key: FieldKey) -> Vec<String> {
    let form = form(app);
    let index = form.fields.iter().position(|f| f.key == key).unwrap();
    let payloads::tui::forms::FieldInput::Choice { options, .. } = &form.fields[index].input else {
        panic!("{key:?} is not a choice");
    };
    form.offered(index)
        .into_iter()
        .map(|i| options[i].clone())
        .collect()
}

fn tab_to(app: &mut App, key: FieldKey) {
    for _ in 0..form(app).fields.len() {
        if form(app).focused().key == key {
            return;
        }
        press(app, &[tui_support::key(KeyCode::Tab)]);
    }
    panic!("no field {key:?}");
}

#[test]
fn a_new_payload_offers_only_the_credentials_of_its_integration() {
    let mut app = app();
    // Integrations → Credentials → Payloads, with the sandbox Integration selected.
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Tab)]);
    press(&mut app, &[key(KeyCode::Char('n'))]);
    assert_eq!(form(&app).value(FieldKey::Integration), "sandbox");
    assert_eq!(
        offered(&app, FieldKey::Credential),
        ["(none)", "sandbox-oauth"]
    );

    tab_to(&mut app, FieldKey::Credential);
    press(&mut app, &[key(KeyCode::Right)]);
    assert_eq!(form(&app).value(FieldKey::Credential), "sandbox-oauth");
    press(&mut app, &[key(KeyCode::Right)]);
    assert_eq!(
        form(&app).value(FieldKey::Credential),
        "(none)",
        "Right wraps round the offered options, never onto billing-key"
    );

    // Choosing the other Integration offers its Credentials, and drops one it would refuse.
    press(&mut app, &[key(KeyCode::Right)]);
    tab_to(&mut app, FieldKey::Integration);
    press(&mut app, &[key(KeyCode::Right)]);
    assert_eq!(form(&app).value(FieldKey::Integration), "billing");
    assert_eq!(
        offered(&app, FieldKey::Credential),
        ["(none)", "billing-key"]
    );
    assert_eq!(form(&app).value(FieldKey::Credential), "(none)");

    press(&mut app, &[key(KeyCode::Tab)]);
    type_text(&mut app, "Refund");
    tab_to(&mut app, FieldKey::Endpoint);
    type_text(&mut app, "/refunds");
    tab_to(&mut app, FieldKey::Credential);
    press(&mut app, &[key(KeyCode::Right)]);
    tab_to(&mut app, FieldKey::Name);
    type_text(&mut app, "Refund");
    let actions = press(&mut app, &[ctrl('s')]);
    let [Action::Save(Edit::Payload { payload, .. })] = actions.as_slice() else {
        panic!(
            "expected one Save, got {actions:?}; form error {:?}",
            app.top_overlay()
        );
    };
    assert_eq!(payload.integration, "billing");
    assert_eq!(payload.credential.as_deref(), Some("billing-key"));
}

#[test]
fn a_bearer_token_credential_offers_only_token_payloads_of_its_integration() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('n'))]);
    assert_eq!(
        offered(&app, FieldKey::TokenPayload),
        ["(create a standard one)", "sandbox-oauth-token"]
    );
    tab_to(&mut app, FieldKey::Integration);
    press(&mut app, &[key(KeyCode::Right)]);
    assert_eq!(form(&app).value(FieldKey::Integration), "billing");
    assert_eq!(
        offered(&app, FieldKey::TokenPayload),
        ["(create a standard one)"]
    );
}

#[test]
fn the_longest_label_stays_apart_from_its_value() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Char('n'))]);
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("Accept bad certs [no]"),
        "label and value run together:\n{screen}"
    );
}

#[test]
fn a_header_name_with_a_space_or_colon_is_refused_at_the_field() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('n'))]);
    tab_to(&mut app, FieldKey::Name);
    type_text(&mut app, "Key");
    tab_to(&mut app, FieldKey::Type);
    press(&mut app, &[key(KeyCode::Right), key(KeyCode::Right)]);
    assert_eq!(form(&app).value(FieldKey::Type), "API Key");
    tab_to(&mut app, FieldKey::KeyHeader);
    for _ in 0.."x-api-key".len() {
        press(&mut app, &[key(KeyCode::Backspace)]);
    }
    type_text(&mut app, "bad header:");
    tab_to(&mut app, FieldKey::KeyValue);
    type_text(&mut app, "k-123456");
    let actions = press(&mut app, &[ctrl('s')]);
    assert!(actions.is_empty(), "nothing is saved: {actions:?}");
    assert_eq!(form(&app).focused().key, FieldKey::KeyHeader);
    assert_eq!(
        form(&app).focused().error.as_deref(),
        Some("a header name has no spaces")
    );

    // A Custom header is checked the same way; a query parameter name is not a header.
    tab_to(&mut app, FieldKey::Type);
    press(&mut app, &[key(KeyCode::Right)]);
    tab_to(&mut app, FieldKey::CustomName);
    type_text(&mut app, "x y");
    let actions = press(&mut app, &[ctrl('s')]);
    assert!(actions.is_empty(), "nothing is saved: {actions:?}");
    assert_eq!(form(&app).focused().key, FieldKey::CustomName);
    tab_to(&mut app, FieldKey::Placement);
    press(&mut app, &[key(KeyCode::Right)]);
    assert_eq!(form(&app).value(FieldKey::Placement), "Query");
    let actions = press(&mut app, &[ctrl('s')]);
    assert!(
        matches!(actions.as_slice(), [Action::Save(Edit::Credential { .. })]),
        "{actions:?}"
    );
}

#[test]
fn a_header_list_line_with_a_bad_name_is_refused_naming_the_line() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Char('n'))]);
    tab_to(&mut app, FieldKey::Name);
    type_text(&mut app, "CRM");
    tab_to(&mut app, FieldKey::BaseUrl);
    type_text(&mut app, "https://crm.example.com");
    tab_to(&mut app, FieldKey::Headers);
    type_text(&mut app, "Accept: application/json");
    press(&mut app, &[key(KeyCode::Enter)]);
    type_text(&mut app, "x team: blue");
    let actions = press(&mut app, &[ctrl('s')]);
    assert!(actions.is_empty(), "nothing is saved: {actions:?}");
    assert_eq!(form(&app).focused().key, FieldKey::Headers);
    assert_eq!(
        form(&app).focused().error.as_deref(),
        Some("line 2: a header name has no spaces")
    );
}

#[test]
fn a_long_body_out_of_focus_shows_its_first_lines_and_how_many_more() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Tab)]);
    press(&mut app, &[key(KeyCode::Char('n'))]);
    tab_to(&mut app, FieldKey::BodyKind);
    press(&mut app, &[key(KeyCode::Right)]);
    tab_to(&mut app, FieldKey::Body);
    for (n, line) in ["{", "  \"a\": 1,", "  \"b\": 2,", "  \"c\": 3", "}"]
        .iter()
        .enumerate()
    {
        if n > 0 {
            press(&mut app, &[key(KeyCode::Enter)]);
        }
        type_text(&mut app, line);
    }
    press(&mut app, &[key(KeyCode::Tab)]);
    let screen = render(&app, 80, 24);
    let body: Vec<&str> = screen
        .lines()
        .skip_while(|l| !l.contains("Body text"))
        .take(3)
        .collect();
    assert!(body[0].contains("│ {"), "{screen}");
    assert!(body[1].contains("\"a\": 1,"), "{screen}");
    assert!(body[2].contains("… 3 more lines"), "{screen}");
}

fn bearer(ws: &payloads::workspace::Workspace, id: &str) -> payloads::workspace::BearerToken {
    match &ws.credential(id).unwrap().auth {
        payloads::workspace::CredentialAuth::BearerToken(b) => b.clone(),
        other => panic!("not a Bearer Token: {other:?}"),
    }
}

#[test]
fn saving_an_edit_form_keeps_tokens_refreshed_while_it_was_open() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('e'))]);
    assert_eq!(
        form(&app).title,
        "Edit Credential Sandbox OAuth (sandbox-oauth)"
    );

    // A refresh (a run here, or another process) writes rotated tokens while the form is open.
    let mut refreshed = payloads::workspace::Workspace::clone(&app.workspace);
    let obtained = now();
    for c in &mut refreshed.credentials {
        if let payloads::workspace::CredentialAuth::BearerToken(b) = &mut c.auth
            && c.id == "sandbox-oauth"
        {
            b.access_token = "at-new-000000".into();
            b.refresh_token = "rt-new-000000".into();
            b.access_token_duration_minutes = 30;
            b.obtained_at = Some(obtained);
        }
    }
    app.update(payloads::tui::Message::Reloaded(refreshed.into()));

    tab_to(&mut app, FieldKey::Description);
    type_text(&mut app, "edited");
    let actions = press(&mut app, &[ctrl('s')]);
    let [Action::Save(edit)] = actions.as_slice() else {
        panic!("expected one Save, got {actions:?}");
    };
    let mut saved = payloads::workspace::Workspace::clone(&app.workspace);
    edit.apply(&mut saved).unwrap();
    let b = bearer(&saved, "sandbox-oauth");
    assert_eq!(
        saved.credential("sandbox-oauth").unwrap().description,
        "edited"
    );
    assert_eq!(b.access_token, "at-new-000000");
    assert_eq!(
        b.refresh_token, "rt-new-000000",
        "the rotated refresh token survives"
    );
    assert_eq!(b.access_token_duration_minutes, 30);
    assert_eq!(b.obtained_at, Some(obtained));
}

#[test]
fn a_refresh_landing_between_save_and_write_is_kept_too() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('e'))]);
    tab_to(&mut app, FieldKey::Description);
    type_text(&mut app, "edited");
    let actions = press(&mut app, &[ctrl('s')]);
    let [Action::Save(edit)] = actions.as_slice() else {
        panic!("expected one Save, got {actions:?}");
    };
    // The edit is applied inside the store's locked update, after it caught up with the file:
    // by then another process may have rotated the tokens, which the TUI has not seen yet.
    let mut on_disk = payloads::workspace::Workspace::clone(&app.workspace);
    let obtained = now();
    for c in &mut on_disk.credentials {
        if let payloads::workspace::CredentialAuth::BearerToken(b) = &mut c.auth
            && c.id == "sandbox-oauth"
        {
            b.access_token = "at-late-111111".into();
            b.refresh_token = "rt-late-111111".into();
            b.obtained_at = Some(obtained);
        }
    }
    edit.apply(&mut on_disk).unwrap();
    let b = bearer(&on_disk, "sandbox-oauth");
    assert_eq!(
        on_disk.credential("sandbox-oauth").unwrap().description,
        "edited"
    );
    assert_eq!(b.access_token, "at-late-111111");
    assert_eq!(b.refresh_token, "rt-late-111111");
    assert_eq!(b.obtained_at, Some(obtained));
}

#[test]
fn a_token_typed_into_the_edit_form_wins() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('e'))]);
    tab_to(&mut app, FieldKey::RefreshToken);
    for _ in 0.."rt-987654321".len() {
        press(&mut app, &[key(KeyCode::Backspace)]);
    }
    type_text(&mut app, "rt-typed-by-hand");
    let actions = press(&mut app, &[ctrl('s')]);
    let [Action::Save(edit)] = actions.as_slice() else {
        panic!("expected one Save, got {actions:?}");
    };
    let mut saved = payloads::workspace::Workspace::clone(&app.workspace);
    edit.apply(&mut saved).unwrap();
    assert_eq!(
        bearer(&saved, "sandbox-oauth").refresh_token,
        "rt-typed-by-hand"
    );
    assert_eq!(bearer(&saved, "sandbox-oauth").access_token, "at-123456789");
}

#[test]
fn a_run_input_without_a_default_is_asked_for_not_sent_blank() {
    let mut ws = workspace();
    for p in &mut ws.payloads {
        if p.id == "get-contact" {
            p.inputs[0].default = None;
        }
    }
    let mut app = App::new(ws, "workspace.ron", Vec::new(), now());
    app.colour = false;
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Tab)]);
    press(
        &mut app,
        &[key(KeyCode::Char('j')), key(KeyCode::Char('j'))],
    );
    assert_eq!(
        app.selected_id(payloads::tui::Pane::Payloads).as_deref(),
        Some("get-contact")
    );
    press(&mut app, &[key(KeyCode::Char('r'))]);
    assert_eq!(form(&app).title, "Run Get contact (get-contact)");

    let actions = press(&mut app, &[key(KeyCode::Enter)]);
    assert!(actions.is_empty(), "nothing runs: {actions:?}");
    assert_eq!(form(&app).focused().error.as_deref(), Some("required"));

    type_text(&mut app, "42");
    let actions = press(&mut app, &[key(KeyCode::Enter)]);
    let [Action::Run(request)] = actions.as_slice() else {
        panic!("expected one Run, got {actions:?}");
    };
    assert_eq!(
        request.inputs,
        [("contact_id".to_string(), "42".to_string())]
    );
}
