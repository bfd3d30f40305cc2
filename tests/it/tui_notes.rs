//! Small promises of the TUI: the title-bar note follows the Job it announced to its end, secrets
//! are masked with a fixed length (never their own), and the help scrolls to every key at 80x24.

use crate::tui_support;

use crossterm::event::KeyCode;
use payloads::flow::{RunEvent, RunEventKind};
use payloads::jobs::{Job, JobStatus, Trigger};
use payloads::tui::{App, Message, Overlay};
use tui_support::*;

fn event(kind: RunEventKind, job: Job) -> Message {
    Message::Run(Box::new(RunEvent {
        at: now(),
        job_id: job.id.clone(),
        kind,
        job: std::sync::Arc::new(job),
    }))
}

fn run_list_contacts(app: &mut App) -> Job {
    press(
        app,
        &[
            key(KeyCode::BackTab),
            key(KeyCode::BackTab),
            key(KeyCode::Char('j')),
            key(KeyCode::Char('r')),
        ],
    );
    assert_eq!(app.note.as_deref(), Some("running list-contacts"));
    let running = job("J-1", "list-contacts", JobStatus::Running, Trigger::Tui);
    app.update(event(RunEventKind::JobCreated, running.clone()));
    running
}

#[test]
fn the_note_says_how_the_run_ended() {
    let mut app = app();
    let mut running = run_list_contacts(&mut app);
    running.status = JobStatus::Succeeded;
    app.update(event(RunEventKind::Finished, running));
    assert_eq!(app.note.as_deref(), Some("list-contacts succeeded"));

    let mut app = tui_support::app();
    let mut running = run_list_contacts(&mut app);
    // Keys pressed meanwhile clear the note; the end is news all the same.
    press(&mut app, &[key(KeyCode::Char('k'))]);
    running.status = JobStatus::Failed;
    running.error = Some("401 Unauthorized".into());
    app.update(event(RunEventKind::Finished, running));
    assert_eq!(
        app.note.as_deref(),
        Some("list-contacts failed: 401 Unauthorized")
    );
}

#[test]
fn cancelling_clears_when_the_job_is_cancelled() {
    let mut app = app();
    let mut running = run_list_contacts(&mut app);
    // Over to the Jobs pane, cancel the selected (new) Job.
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('x'))]);
    assert_eq!(app.note.as_deref(), Some("cancelling J-1"));
    running.status = JobStatus::Cancelled;
    app.update(event(RunEventKind::Finished, running));
    assert_eq!(app.note.as_deref(), Some("list-contacts cancelled"));
    let screen = render(&app, 80, 24);
    assert!(!screen.contains("cancelling"), "{screen}");
}

#[test]
fn secrets_are_masked_with_a_fixed_length() {
    // The fixture's secrets are 17, 12 and 12 characters long; each shows as the same 8 dots.
    let mut app = app();
    press(
        &mut app,
        &[
            key(KeyCode::Tab),
            key(KeyCode::Char('e')),
            key(KeyCode::Tab),
            key(KeyCode::Tab),
        ],
    );
    assert!(matches!(app.top_overlay(), Some(Overlay::Form(_))));
    let screen = render(&app, 80, 24);
    for label in ["Client Secret", "Access Token", "Refresh Token"] {
        let line = screen.lines().find(|l| l.contains(label)).unwrap();
        let dots = line.chars().filter(|&c| c == '•').count();
        assert_eq!(dots, 8, "{label}: {line}");
    }
    assert!(!screen.contains("demo-secret-value"), "{screen}");
    // Typing into a hidden secret does not grow the mask either.
    for _ in 0..3 {
        press(&mut app, &[key(KeyCode::Tab)]);
    }
    type_text(&mut app, "more");
    let screen = render(&app, 80, 24);
    let line = screen
        .lines()
        .find(|l| l.contains("Client Secret"))
        .unwrap();
    assert_eq!(line.chars().filter(|&c| c == '•').count(), 8, "{line}");
    // Revealed with Ctrl-R, it reads as typed.
    press(&mut app, &[ctrl('r')]);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("demo-secret-valuemore"), "{screen}");
}

#[test]
fn the_help_pages_down_to_its_last_key_at_80x24() {
    let mut app = app();
    app.update(Message::Resize {
        width: 80,
        height: 24,
    });
    press(&mut app, &[key(KeyCode::Char('?'))]);
    let last = payloads::tui::keys::last_help_row().help;
    let first = payloads::tui::keys::help_sections()[0].1[0].help;
    assert!(!render(&app, 80, 24).contains("jump to the linked Job"));
    // Enough pages for the whole help (it grows with the keymap); scrolling stops at the end.
    for _ in 0..8 {
        press(&mut app, &[key(KeyCode::PageDown)]);
    }
    let screen = render(&app, 80, 24);
    assert!(screen.contains(last), "{screen}");
    assert!(screen.contains("jump to the linked Job"), "{screen}");
    // Scrolling stops at the end, and PgUp / g go back to the top.
    let Some(Overlay::Help { scroll }) = app.top_overlay().cloned() else {
        panic!()
    };
    press(&mut app, &[key(KeyCode::Char('j'))]);
    assert!(matches!(app.top_overlay(), Some(Overlay::Help { scroll: s }) if *s == scroll));
    press(&mut app, &[key(KeyCode::Char('g'))]);
    assert!(render(&app, 80, 24).contains(first));
}
