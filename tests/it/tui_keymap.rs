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

fn focused_value(app: &payloads::tui::App) -> String {
    match app.top_overlay() {
        Some(Overlay::Form(form)) => form.focused().value(),
        other => panic!("expected a form, got {other:?}"),
    }
}

fn alt(c: char) -> Message {
    Message::Key(crossterm::event::KeyEvent::new(
        KeyCode::Char(c),
        crossterm::event::KeyModifiers::ALT,
    ))
}

#[test]
fn text_fields_take_the_shell_editing_keys() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Char('n')), key(KeyCode::Tab)]);
    type_text(&mut app, "one two three");
    // Alt-b twice: before "two"; Ctrl-K cuts the rest.
    press(&mut app, &[alt('b'), alt('b'), ctrl('k')]);
    assert_eq!(focused_value(&app), "one");
    type_text(&mut app, "2 3");
    // Ctrl-W deletes the word before the cursor; Ctrl-A, Alt-f, Ctrl-U delete to the start.
    press(&mut app, &[ctrl('w')]);
    assert_eq!(focused_value(&app), "one 2");
    press(&mut app, &[ctrl('a'), alt('f'), ctrl('u')]);
    assert_eq!(focused_value(&app), "2");
    press(&mut app, &[ctrl('e')]);
    type_text(&mut app, "!");
    // The space Ctrl-W left after "2" is still there.
    assert_eq!(focused_value(&app), "2 !");
    assert!(
        matches!(app.top_overlay(), Some(Overlay::Form(_))),
        "still in the form"
    );

    // The help lists them.
    let help: String = payloads::tui::keys::help_sections()
        .iter()
        .flat_map(|(_, rows)| rows.iter().map(|b| format!("{} {}\n", b.shown, b.help)))
        .collect();
    for keys in [
        "Ctrl-A Ctrl-E",
        "Alt-b / Alt-f",
        "Ctrl-U / Ctrl-K",
        "Ctrl-W",
    ] {
        assert!(help.contains(keys), "{keys} in {help}");
    }
}

#[test]
fn ctrl_c_in_a_changed_form_asks_first() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Char('n')), key(KeyCode::Tab)]);
    // Nothing typed yet would be lost: but typing makes it ask.
    type_text(&mut app, "Typed");
    let actions = press(&mut app, &[ctrl('c')]);
    assert!(actions.is_empty(), "{actions:?}");
    assert!(!app.quit);
    assert!(render(&app, 80, 24).contains("Ctrl-C again quits"));
    // Another key goes on editing; the question is asked again next time.
    type_text(&mut app, "!");
    assert_eq!(focused_value(&app), "Typed!");
    assert!(press(&mut app, &[ctrl('c')]).is_empty());
    let actions = press(&mut app, &[ctrl('c')]);
    assert!(app.quit);
    assert!(
        actions.contains(&payloads::tui::Action::Interrupt),
        "{actions:?}"
    );

    // An unchanged form quits at once.
    let mut app = tui_support::app();
    press(&mut app, &[key(KeyCode::Char('n'))]);
    press(&mut app, &[ctrl('c')]);
    assert!(app.quit);
}
