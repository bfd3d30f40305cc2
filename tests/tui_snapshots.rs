//! What the user sees, at 80x24 and 120x40: each pane focused, a form, help, Jobs running and
//! finished, the Job detail, an error and "terminal too small". Fixed clock and ids.

mod tui_support;

use crossterm::event::KeyCode;
use payloads::tui::{App, Message, Overlay};
use tui_support::*;

fn both_sizes(name: &str, app: &App) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(app, 80, 24));
    insta::assert_snapshot!(format!("{name}_120x40"), render(app, 120, 40));
}

fn with_jobs() -> App {
    let mut app = app();
    let mut jobs = finished_pair();
    jobs.insert(0, running_job());
    app.jobs = jobs;
    app
}

#[test]
fn integrations_focused() {
    both_sizes("integrations_focused", &with_jobs());
}

#[test]
fn credentials_focused() {
    let mut app = with_jobs();
    press(&mut app, &[key(KeyCode::Tab)]);
    both_sizes("credentials_focused", &app);
}

#[test]
fn payloads_focused() {
    let mut app = with_jobs();
    press(
        &mut app,
        &[
            key(KeyCode::Tab),
            key(KeyCode::Tab),
            key(KeyCode::Char('j')),
        ],
    );
    both_sizes("payloads_focused", &app);
}

#[test]
fn jobs_focused_running_and_finished() {
    let mut app = with_jobs();
    press(&mut app, &[key(KeyCode::BackTab)]);
    both_sizes("jobs_focused_running", &app);
    press(&mut app, &[key(KeyCode::Char('j'))]);
    both_sizes("jobs_focused_finished", &app);
}

#[test]
fn job_detail() {
    let mut app = with_jobs();
    press(
        &mut app,
        &[
            key(KeyCode::BackTab),
            key(KeyCode::Char('j')),
            key(KeyCode::Enter),
        ],
    );
    both_sizes("job_detail", &app);
}

#[test]
fn edit_form() {
    let mut app = with_jobs();
    press(
        &mut app,
        &[
            key(KeyCode::Tab),
            key(KeyCode::Tab),
            key(KeyCode::Char('j')),
            key(KeyCode::Char('e')),
        ],
    );
    both_sizes("edit_form_payload", &app);
    let mut app = with_jobs();
    press(
        &mut app,
        &[
            key(KeyCode::Tab),
            key(KeyCode::Char('e')),
            key(KeyCode::Tab),
            key(KeyCode::Tab),
        ],
    );
    both_sizes("edit_form_credential", &app);
}

#[test]
fn help_overlay() {
    let mut app = with_jobs();
    press(&mut app, &[key(KeyCode::Char('?'))]);
    both_sizes("help", &app);
}

#[test]
fn error_popup() {
    let mut app = with_jobs();
    app.update(Message::Saved {
        result: Err("could not save workspace.ron: No space left on device (os error 28)".into()),
        workspace: workspace(),
    });
    assert!(matches!(app.top_overlay(), Some(Overlay::Error(_))));
    both_sizes("error_popup", &app);
}

#[test]
fn delete_confirmation() {
    let mut app = with_jobs();
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('d'))]);
    insta::assert_snapshot!("delete_confirmation_80x24", render(&app, 80, 24));
}

#[test]
fn terminal_too_small() {
    insta::assert_snapshot!("too_small_79x24", render(&with_jobs(), 79, 24));
    insta::assert_snapshot!("too_small_100x20", render(&with_jobs(), 100, 20));
}
