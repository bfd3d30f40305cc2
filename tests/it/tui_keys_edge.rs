//! Keyboard edge cases: Esc never throws typed input away without asking, pasted text lands in
//! the field it was pasted into, and an empty workspace leads to its first Integration.

use crate::tui_support;

use crossterm::event::KeyCode;
use payloads::tui::forms::{DISCARD_QUESTION, FieldKey, Form};
use payloads::tui::{App, Message, Overlay, Pane};
use payloads::workspace::Workspace;
use tui_support::*;

fn form(app: &App) -> &Form {
    match app.top_overlay() {
        Some(Overlay::Form(form)) => form,
        other => panic!("expected a form, got {other:?}"),
    }
}

#[test]
fn esc_on_a_changed_form_asks_before_discarding() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Char('e'))]);
    type_text(&mut app, " v2");
    press(&mut app, &[key(KeyCode::Esc)]);
    assert_eq!(
        form(&app).value(FieldKey::Name),
        "Sandbox API v2",
        "one Esc keeps the form"
    );
    assert_eq!(form(&app).error.as_deref(), Some(DISCARD_QUESTION));
    assert!(render(&app, 80, 24).contains("Esc again discards"));

    // Typing on takes the question back: the next Esc asks again.
    type_text(&mut app, "!");
    assert_eq!(form(&app).error, None);
    press(&mut app, &[key(KeyCode::Esc)]);
    assert!(matches!(app.top_overlay(), Some(Overlay::Form(_))));

    let actions = press(&mut app, &[key(KeyCode::Esc)]);
    assert!(app.overlays.is_empty(), "the second Esc discards");
    assert!(actions.is_empty());
    assert_eq!(app.workspace.integrations[0].name, "Sandbox API");
}

#[test]
fn esc_on_an_untouched_form_closes_it_at_once() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Char('e')), key(KeyCode::Tab)]);
    press(&mut app, &[key(KeyCode::Esc)]);
    assert!(app.overlays.is_empty());
    // A value typed and rubbed out again is no change either.
    press(&mut app, &[key(KeyCode::Char('n'))]);
    type_text(&mut app, "x");
    press(&mut app, &[key(KeyCode::Backspace), key(KeyCode::Esc)]);
    assert!(app.overlays.is_empty());
}

#[test]
fn a_multi_line_paste_into_a_single_line_field_stays_in_that_field() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Char('n'))]);
    assert_eq!(form(&app).focused().key, FieldKey::Name);
    press(&mut app, &[Message::Paste("Two\nlines\r\n".into())]);
    assert_eq!(
        form(&app).focused().key,
        FieldKey::Name,
        "the newline did not move on"
    );
    assert_eq!(form(&app).value(FieldKey::Name), "Two lines");
    assert_eq!(form(&app).value(FieldKey::Id), "two-lines");
    press(&mut app, &[key(KeyCode::Tab), ctrl('u')]);
    press(&mut app, &[Message::Paste("new-api\r\n".into())]);
    assert_eq!(form(&app).focused().key, FieldKey::Id);
    assert_eq!(form(&app).value(FieldKey::Id), "new-api");
}

#[test]
fn a_paste_into_a_text_area_keeps_its_lines() {
    let mut app = app();
    // Payloads, the create-invoice Payload's form, on to its body.
    press(&mut app, &[key(KeyCode::Char('j')), key(KeyCode::Tab)]);
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('e'))]);
    for _ in 0..form(&app).fields.len() {
        if form(&app).focused().key == FieldKey::Body {
            break;
        }
        press(&mut app, &[key(KeyCode::Tab)]);
    }
    assert_eq!(form(&app).focused().key, FieldKey::Body);
    press(&mut app, &[ctrl('a')]);
    let body = "{\n  \"amount\": 12,\n  \"note\": \"pasted\"\n}";
    press(&mut app, &[Message::Paste(body.replace('\n', "\r\n"))]);
    assert!(
        form(&app).value(FieldKey::Body).contains(body),
        "{:?}",
        form(&app).value(FieldKey::Body)
    );
}

#[test]
fn a_paste_in_the_filter_filters_and_elsewhere_does_nothing() {
    let mut app = app();
    press(&mut app, &[Message::Paste("q".into())]);
    assert!(!app.quit, "pasted text is not taken for keys");
    press(&mut app, &[key(KeyCode::Char('/'))]);
    press(&mut app, &[Message::Paste("bill\n".into())]);
    assert!(app.filter_editing, "the newline did not end the filter");
    assert_eq!(app.visible_integrations().len(), 1);
}

#[test]
fn deleting_the_last_row_selects_the_one_above_and_an_empty_pane_says_so() {
    let mut app = app();
    // Payloads of the sandbox Integration: the Token Payload, list-contacts, get-contact.
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Tab)]);
    press(&mut app, &[key(KeyCode::Char('G'))]);
    assert_eq!(
        app.selected_id(Pane::Payloads).as_deref(),
        Some("get-contact")
    );
    press(
        &mut app,
        &[key(KeyCode::Char('d')), key(KeyCode::Char('y'))],
    );
    assert_eq!(
        app.selected_id(Pane::Payloads).as_deref(),
        Some("list-contacts"),
        "not back at the top of the list"
    );

    // The other Integration: delete its only Payload.
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Tab)]);
    press(
        &mut app,
        &[
            key(KeyCode::Char('j')),
            key(KeyCode::Tab),
            key(KeyCode::Tab),
        ],
    );
    assert_eq!(
        app.selected_id(Pane::Payloads).as_deref(),
        Some("create-invoice")
    );
    press(
        &mut app,
        &[key(KeyCode::Char('d')), key(KeyCode::Char('y'))],
    );
    assert_eq!(app.selected_id(Pane::Payloads), None);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("none yet: n creates one"), "{screen}");
    assert!(screen.contains("No Payload here: press n"), "{screen}");
}

#[test]
fn a_filter_that_matches_nothing_says_so_instead_of_none_yet() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Char('/'))]);
    type_text(&mut app, "zzz");
    press(&mut app, &[key(KeyCode::Enter)]);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("/zzz: Esc clears it"), "{screen}");
    assert!(screen.contains("Nothing matches /zzz"), "{screen}");
    assert!(!screen.contains("none yet"), "{screen}");
    press(&mut app, &[key(KeyCode::Esc)]);
    assert_eq!(app.visible_integrations().len(), 2);
}

#[test]
fn an_empty_workspace_opens_and_leads_to_the_first_integration() {
    let mut app = App::new(Workspace::default(), "workspace.ron", vec![], now());
    app.colour = false;
    let screen = render(&app, 80, 24);
    assert!(screen.contains("No Integrations yet: press n"), "{screen}");
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('n'))]);
    assert!(app.overlays.is_empty());
    assert_eq!(
        app.note.as_deref(),
        Some("create an Integration first (n in Integrations)")
    );
    press(&mut app, &[key(KeyCode::BackTab), key(KeyCode::Char('n'))]);
    type_text(&mut app, "First API");
    press(&mut app, &[key(KeyCode::Tab), ctrl('u')]);
    type_text(&mut app, "first");
    press(&mut app, &[key(KeyCode::Tab)]);
    type_text(&mut app, "https://first.example.com");
    let actions = press(&mut app, &[ctrl('s')]);
    assert_eq!(actions.len(), 1);
    assert_eq!(app.workspace.integrations[0].id, "first");
}
