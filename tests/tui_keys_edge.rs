//! Keyboard edge cases: Esc never throws typed input away without asking, pasted text lands in
//! the field it was pasted into, and an empty workspace leads to its first Integration.

mod tui_support;

use crossterm::event::KeyCode;
use payloads::tui::forms::{DISCARD_QUESTION, Form};
use payloads::tui::{App, Overlay};
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
        form(&app).value("name"),
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
