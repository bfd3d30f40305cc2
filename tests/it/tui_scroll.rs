//! Scrolling measured by the last draw: a Job detail scrolls to its real end however long its
//! lines wrap, and a list keeps its window when the selection moves back up.

use crate::tui_support;

use crossterm::event::KeyCode;
use payloads::jobs::{JobStatus, Trigger};
use payloads::tui::{App, Message};
use tui_support::*;

fn sized(mut app: App) -> App {
    app.update(Message::Resize {
        width: 80,
        height: 24,
    });
    app
}

#[test]
fn g_on_a_job_with_a_20_kb_one_line_body_reaches_its_data_targets_at_80x24() {
    let mut jobs = finished_pair();
    let body = format!("{{\"blob\":\"{}\"}}", "x".repeat(20 * 1024));
    // One line as received: not JSON-pretty-printable into short lines (a string value).
    let response = jobs[1].response.as_mut().unwrap();
    response.body = body.clone();
    response.body_bytes = body.len() as u64;
    let mut app = sized(app());
    app.jobs = jobs;
    press(
        &mut app,
        &[
            key(KeyCode::BackTab),
            key(KeyCode::Enter), // the Jobs pane: the business Job is first
        ],
    );
    let top = render(&app, 80, 24);
    assert!(top.contains("Job 20260115T095930Z-0002"), "{top}");
    assert!(!top.contains("Data Targets"), "{top}");

    press(&mut app, &[key(KeyCode::Char('G'))]);
    let end = render(&app, 80, 24);
    assert!(end.contains("Data Targets"), "{end}");
    assert!(end.contains("first → var contact_id: 1"), "{end}");

    // The end is the end: j does not scroll past it, k moves back one row.
    press(&mut app, &[key(KeyCode::Char('j'))]);
    assert_eq!(render(&app, 80, 24), end);
    press(&mut app, &[key(KeyCode::Char('k'))]);
    assert_ne!(render(&app, 80, 24), end);
    // g is back at the top.
    press(&mut app, &[key(KeyCode::Char('g'))]);
    assert_eq!(render(&app, 80, 24), top);
}

#[test]
fn g_before_any_draw_still_lands_on_the_last_page() {
    let mut app = sized(app());
    let mut jobs = finished_pair();
    jobs[1].response.as_mut().unwrap().body = "y".repeat(20 * 1024);
    app.jobs = jobs;
    press(
        &mut app,
        &[
            key(KeyCode::BackTab),
            key(KeyCode::Enter),
            key(KeyCode::Char('G')),
        ],
    );
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Data Targets"), "{screen}");
    // A full last page: the row above the targets is on screen too.
    assert!(screen.contains("Extracted values"), "{screen}");
}

fn many_jobs(count: usize) -> App {
    let mut app = sized(app());
    app.jobs = (0..count)
        .map(|n| {
            job(
                &format!("20260115T0959{n:02}Z-{n:04}"),
                &format!("payload-{n:02}"),
                JobStatus::Succeeded,
                Trigger::Tui,
            )
        })
        .collect();
    press(&mut app, &[key(KeyCode::BackTab)]);
    app
}

/// The Jobs pane's rows as drawn, top to bottom.
fn job_rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter_map(|l| l.find("payload-").map(|at| l[at..at + 10].to_string()))
        .collect()
}

#[test]
fn a_list_keeps_its_window_when_the_selection_moves_back_up() {
    let mut app = many_jobs(40);
    render(&app, 80, 24);
    press(&mut app, &[key(KeyCode::Char('G'))]);
    let at_end = job_rows(&render(&app, 80, 24));
    assert_eq!(at_end.last().map(String::as_str), Some("payload-39"));
    press(
        &mut app,
        &[key(KeyCode::Char('k')), key(KeyCode::Char('k'))],
    );
    let after = job_rows(&render(&app, 80, 24));
    assert_eq!(
        after, at_end,
        "the window stays put while the selection is in it"
    );
}

#[test]
fn a_page_in_a_list_is_the_rows_it_shows() {
    let mut app = many_jobs(40);
    let rows = job_rows(&render(&app, 80, 24)).len();
    assert!(rows > 3, "{rows}");
    press(&mut app, &[key(KeyCode::PageDown)]);
    assert_eq!(
        app.selected_index(payloads::tui::Pane::Jobs),
        Some(rows),
        "PgDn moves one page of {rows} rows"
    );
}

#[test]
fn slash_finds_a_text_in_the_job_and_n_moves_between_its_rows() {
    let mut jobs = finished_pair();
    let items: Vec<String> = (0..60)
        .map(|n| {
            let name = if n == 45 { "needle" } else { "hay" };
            format!("{{\"n\":{n},\"name\":\"{name}\"}}")
        })
        .collect();
    jobs[1].response.as_mut().unwrap().body = format!("[{}]", items.join(","));
    let mut app = sized(app());
    app.jobs = jobs;
    press(&mut app, &[key(KeyCode::BackTab), key(KeyCode::Enter)]);
    let top = render(&app, 80, 24);
    assert!(!top.contains("needle"), "{top}");
    assert!(top.contains("/ find"), "the footer offers it: {top}");

    press(&mut app, &[key(KeyCode::Char('/'))]);
    type_text(&mut app, "NEEDLE");
    let found = render(&app, 80, 24);
    assert!(found.contains("\"name\": \"needle\""), "{found}");
    assert!(
        found.contains("/NEEDLE"),
        "the query shows in the title: {found}"
    );
    press(&mut app, &[key(KeyCode::Enter)]);
    assert!(!app.find.editing);
    assert!(render(&app, 80, 24).contains("n/N next/prev"));

    // "name" is on many rows: n moves down, N back up, and the text stays on screen.
    press(
        &mut app,
        &[key(KeyCode::Char('g')), key(KeyCode::Char('/'))],
    );
    type_text(&mut app, "\"name\"");
    press(&mut app, &[key(KeyCode::Enter)]);
    let first = render(&app, 80, 24);
    press(&mut app, &[key(KeyCode::Char('n'))]);
    let second = render(&app, 80, 24);
    assert_ne!(first, second);
    assert!(second.contains("\"name\""), "{second}");
    press(&mut app, &[key(KeyCode::Char('N'))]);
    // The same rows (the title bar's note says which match this is).
    let body = |screen: &str| screen.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&render(&app, 80, 24)), body(&first));

    // Esc while typing clears the find; Esc after leaves the Job.
    press(&mut app, &[key(KeyCode::Char('/')), key(KeyCode::Esc)]);
    assert!(app.find.active().is_none());
    press(&mut app, &[key(KeyCode::Esc)]);
    assert_eq!(app.screen, payloads::tui::Screen::Main);
}
