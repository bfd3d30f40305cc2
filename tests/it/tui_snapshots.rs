//! What the user sees, at 80x24 and 120x40: each pane focused, a form, help, Jobs running and
//! finished, the Job detail, an error and "terminal too small". Fixed clock and ids.

use crate::tui_support;

use crossterm::event::KeyCode;
use payloads::tui::{App, BrokenFile, FileCheck, Message, Overlay};
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
        workspace: workspace().into(),
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

#[test]
fn help_scrolls_to_its_last_key_at_80x24() {
    let mut app = with_jobs();
    press(
        &mut app,
        &[key(KeyCode::Char('?')), key(KeyCode::Char('G'))],
    );
    let screen = render(&app, 80, 24);
    // The last binding of the last section is on screen once scrolled to the end.
    let last = payloads::tui::keys::last_help_row();
    let (key_text, what) = (last.shown, last.help);
    assert!(
        screen.contains(key_text) && screen.contains(what),
        "{screen}"
    );
    insta::assert_snapshot!("help_scrolled_to_end_80x24", screen);
}

fn broken_file() -> BrokenFile {
    BrokenFile {
        errors: vec![
            "workspace.ron:14:7: unknown field `nmae` in a Payload; did you mean `name`?".into(),
            "workspace.ron:31:18: credential \"sandbox-oauht\" does not exist; did you mean `sandbox-oauth`?".into(),
        ],
        first_line: Some(14),
    }
}

#[test]
fn broken_file_banner() {
    let mut app = with_jobs();
    app.update(Message::FileChecked {
        outcome: FileCheck::Broken(broken_file()),
        after_editor: false,
    });
    both_sizes("broken_file_banner", &app);
}

#[test]
fn offer_to_reopen_the_editor() {
    let mut app = with_jobs();
    app.update(Message::FileChecked {
        outcome: FileCheck::Broken(broken_file()),
        after_editor: true,
    });
    both_sizes("offer_reopen_editor", &app);
}

#[test]
fn quit_confirmation() {
    let mut app = with_jobs();
    press(&mut app, &[key(KeyCode::Char('q'))]);
    insta::assert_snapshot!("quit_confirmation_80x24", render(&app, 80, 24));
}

/// Wide (CJK, emoji) and combining characters: names are cut by columns, so the type, status
/// and elapsed columns stay lined up and long values wrap under their own column.
#[test]
fn wide_characters() {
    let mut app = with_jobs();
    let ws = std::sync::Arc::make_mut(&mut app.workspace);
    ws.integrations[0].name = "日本語の統合テスト 🚀🚀 e\u{301}e\u{301} with a long name".into();
    ws.credentials[0].name = "認証 🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑".into();
    ws.payloads[1].name = "連絡先一覧を取得する 📇📇📇📇📇📇".into();
    for job in &mut app.jobs {
        job.payload = format!("取得-{}", job.payload).into();
    }
    both_sizes("wide_characters", &app);
}

#[test]
fn a_long_error_is_cut_to_fit_and_keeps_its_dismiss_line() {
    let mut app = with_jobs();
    let long: Vec<String> = (1..=40).map(|n| format!("reason line {n}")).collect();
    app.update(Message::Saved {
        result: Err(long.join("\n")),
        workspace: workspace().into(),
    });
    let screen = render(&app, 80, 24);
    assert!(screen.contains("reason line 1 "), "{screen}");
    assert!(!screen.contains("reason line 40"), "{screen}");
    assert!(
        screen.contains("… (cut to fit: the Job holds the whole message)"),
        "{screen}"
    );
    assert!(
        screen.contains("Enter / Esc / Space / q dismiss"),
        "{screen}"
    );
}
