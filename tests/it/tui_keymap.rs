//! The keymap is the one source of keys: keys that work are in the help and the footer, and the
//! help lists every key the dispatch knows.

use crate::tui_support;

use crossterm::event::KeyCode;
use payloads::tui::{Message, Overlay};
use tui_support::*;

#[test]
fn keys_that_work_are_in_the_help_and_the_footer() {
    let mut app = app();
    // h / l pick a choice in forms, Space pages a detail screen: both listed in the help.
    let help: String = payloads::tui::keys::help_sections()
        .iter()
        .flat_map(|(_, rows)| rows.iter().map(|b| format!("{} {}\n", b.shown, b.help)))
        .collect();
    assert!(help.contains("← → / h l / Space pick a choice"), "{help}");
    assert!(help.contains("Space: a page down"), "{help}");

    // h and l do what the help says in a choice field.
    press(&mut app, &[key(KeyCode::Char('n'))]);
    for _ in 0..10 {
        if let Some(Overlay::Form(form)) = app.top_overlay()
            && form.field_context() == payloads::tui::keys::FieldContext::Choice
        {
            break;
        }
        press(&mut app, &[key(KeyCode::Tab)]);
    }
    let value = |app: &payloads::tui::App| match app.top_overlay() {
        Some(Overlay::Form(form)) => form.focused().value(),
        _ => panic!("the form closed"),
    };
    let before = value(&app);
    press(&mut app, &[key(KeyCode::Char('l'))]);
    assert_ne!(value(&app), before, "l picks the next choice");
    press(&mut app, &[key(KeyCode::Char('h'))]);
    assert_eq!(value(&app), before, "h picks the previous one");

    // The error popup says q and Space dismiss it, and they do.
    let mut app = tui_support::app();
    for dismiss in [KeyCode::Char('q'), KeyCode::Char(' ')] {
        app.update(Message::ActionFailed("it broke".into()));
        let screen = render(&app, 80, 24);
        assert!(
            screen.contains("Enter / Esc / Space / q dismiss"),
            "{screen}"
        );
        assert!(screen.contains("Enter/Esc/Space/q dismiss"), "{screen}");
        press(&mut app, &[key(dismiss)]);
        assert!(app.overlays.is_empty(), "{dismiss:?} dismisses");
    }
}
