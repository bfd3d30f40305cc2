//! Plain terminals (TERM=dumb, vt100, linux, a locale that is not UTF-8, PAYLOADS_ASCII=1): every
//! screen drawn at 80x24 in ASCII only, borders and symbols included.

use crate::tui_support;

use crossterm::event::KeyCode;
use payloads::tui::{App, Message};
use tui_support::*;

fn ascii_app() -> App {
    let mut app = app();
    let mut jobs = finished_pair();
    jobs.insert(0, running_job());
    app.jobs = jobs;
    app.ascii = true;
    app
}

fn ascii_snapshot(name: &str, app: &App) {
    let screen = render(app, 80, 24);
    // The rendered strings quote each row: only the rows' own text must be ASCII.
    assert!(screen.is_ascii(), "{screen}");
    insta::assert_snapshot!(format!("{name}_ascii_80x24"), screen);
}

#[test]
fn the_main_screen_in_ascii() {
    let mut app = ascii_app();
    press(&mut app, &[key(KeyCode::BackTab)]);
    ascii_snapshot("jobs_focused", &app);
}

#[test]
fn a_job_detail_in_ascii() {
    let mut app = ascii_app();
    press(
        &mut app,
        &[
            key(KeyCode::BackTab),
            key(KeyCode::Char('j')),
            key(KeyCode::Enter),
        ],
    );
    ascii_snapshot("job_detail", &app);
}

#[test]
fn a_form_with_a_secret_in_ascii() {
    let mut app = ascii_app();
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('e'))]);
    ascii_snapshot("edit_form_credential", &app);
}

#[test]
fn the_help_and_an_error_in_ascii() {
    let mut app = ascii_app();
    press(&mut app, &[key(KeyCode::Char('?'))]);
    ascii_snapshot("help", &app);
    let mut app = ascii_app();
    app.update(Message::ActionFailed(
        "Could not start the run: “quotes” and 日本".into(),
    ));
    ascii_snapshot("error_popup", &app);
}
