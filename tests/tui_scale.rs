//! A big history and a big workspace stay quick: the Jobs pane and the lists are linear in what
//! they show, so holding j, PgDn, G and typing a filter never stall.

mod tui_support;

use crossterm::event::KeyCode;
use payloads::jobs::{JobStatus, Trigger};
use payloads::tui::{App, Message, Pane};
use payloads::workspace::Payload;
use std::time::Instant;
use tui_support::*;

/// 1,000 Jobs: 500 business runs, each with the refresh Job that ran for it.
fn big_app() -> App {
    let mut ws = workspace();
    let template = ws.payloads[1].clone();
    for n in 0..200 {
        ws.payloads.push(Payload {
            id: format!("bulk-{n:03}"),
            name: format!("Bulk payload {n:03}"),
            ..template.clone()
        });
    }
    let mut jobs = Vec::new();
    for n in 0..500 {
        let business = format!("job-{n:04}-b");
        let mut refresh = job(
            &format!("job-{n:04}-r"),
            "sandbox-oauth-token",
            JobStatus::Succeeded,
            Trigger::RefreshFor(business.clone()),
        );
        refresh.linked_job = Some(business.clone());
        jobs.push(refresh);
        jobs.push(job(
            &business,
            "list-contacts",
            JobStatus::Succeeded,
            Trigger::Tui,
        ));
    }
    jobs.reverse();
    let mut app = App::new(ws, "workspace.ron", jobs, now());
    app.colour = false;
    app
}

/// Runs `f` and says how long it took: a regression to quadratic (or worse) work per frame takes
/// minutes here, while the linear code takes about a second in a debug build.
fn timed(label: &str, f: impl FnOnce()) -> std::time::Duration {
    let start = Instant::now();
    f();
    let took = start.elapsed();
    eprintln!("{label}: {:.1} ms", took.as_secs_f64() * 1000.0);
    took
}

const GENEROUS: std::time::Duration = std::time::Duration::from_secs(20);

#[test]
fn a_thousand_jobs_list_each_refresh_under_its_run() {
    let app = big_app();
    let rows = app.job_rows();
    assert_eq!(rows.len(), 1000);
    for pair in rows.chunks(2) {
        assert!(!pair[0].nested && pair[1].nested);
        assert_eq!(pair[1].job.id, pair[0].job.id.replace("-b", "-r"));
    }
    assert_eq!(rows[0].job.id, "job-0499-b");
}

#[test]
fn holding_keys_over_a_thousand_jobs_and_two_hundred_payloads_stays_quick() {
    let mut app = big_app();
    app.update(Message::Resize {
        width: 80,
        height: 24,
    });
    let total = timed("first frame", || {
        render(&app, 80, 24);
    }) + timed("jobs: 200 x (j + frame), PgDn, G", || {
        press(&mut app, &[key(KeyCode::BackTab)]);
        for _ in 0..200 {
            app.update(key(KeyCode::Char('j')));
            render(&app, 80, 24);
        }
        for code in [KeyCode::PageDown, KeyCode::Char('G')] {
            app.update(key(code));
            render(&app, 80, 24);
        }
    }) + timed("payloads: 200 x (j + frame), filter", || {
        press(&mut app, &[key(KeyCode::BackTab)]);
        for _ in 0..200 {
            app.update(key(KeyCode::Char('j')));
            render(&app, 80, 24);
        }
        press(&mut app, &[key(KeyCode::Char('/'))]);
        for c in "bulk-19".chars() {
            app.update(key(KeyCode::Char(c)));
            render(&app, 80, 24);
        }
    });
    assert_eq!(app.selected_id(Pane::Jobs).as_deref(), Some("job-0000-r"));
    assert_eq!(app.visible_payloads().len(), 10);
    assert!(total < GENEROUS, "took {total:?}");
}
