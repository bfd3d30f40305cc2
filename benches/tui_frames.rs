//! How long the TUI takes to draw and to answer keys over 1,000 Jobs and 206 Payloads at 80x24,
//! and with a Job whose body is 1 MiB on one line open in the Job detail (scrolling, copying it,
//! querying it with JSONPath).
//! Run with `cargo bench --bench tui_frames`; prints milliseconds per step.
#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

#[path = "../tests/it/tui_support/mod.rs"]
#[expect(dead_code, reason = "the benchmark uses a few of the shared helpers")]
mod tui_support;

#[path = "../tests/it/common/builders.rs"]
#[expect(dead_code, reason = "the fixtures use only some of the builders")]
mod builders;

#[path = "../tests/it/common/ports.rs"]
mod ports;

/// The fixtures build their model values with the test builders, and the tmux helpers take their
/// ports, from the test crate's `common`.
mod common {
    pub(crate) use super::{builders, ports};
}

use crossterm::event::KeyCode;
use payloads::tui::Message;
use std::time::Instant;
use tui_support::scale::big_app;
use tui_support::*;

fn timed(label: &str, rounds: u32, mut f: impl FnMut()) {
    let start = Instant::now();
    for _ in 0..rounds {
        f();
    }
    let each = start.elapsed().as_secs_f64() * 1000.0 / f64::from(rounds);
    println!("{label:<40} {each:>8.2} ms");
}

fn main() {
    let mut app = big_app();
    app.update(Message::Resize {
        width: 80,
        height: 24,
    });
    timed("first frame", 20, || {
        render(&app, 80, 24);
    });
    press(&mut app, &[key(KeyCode::BackTab)]);
    timed("Jobs pane: j + frame", 200, || {
        app.update(key(KeyCode::Char('j')));
        render(&app, 80, 24);
    });
    press(&mut app, &[key(KeyCode::BackTab)]);
    timed("Payloads pane: j + frame", 200, || {
        app.update(key(KeyCode::Char('j')));
        render(&app, 80, 24);
    });

    one_mib_body();
}

/// A key and a frame with a 1 MiB one-line body open: the detail is cut into rows once, then
/// each key costs the rows on screen.
fn one_mib_body() {
    let mut jobs = finished_pair();
    let body = format!("{{\"blob\":\"{}\"}}", "x".repeat(1024 * 1024));
    let response = jobs[1].response.as_mut().unwrap();
    response.body_bytes = body.len() as u64;
    response.body = body;
    let mut app = app();
    app.jobs = jobs;
    app.update(Message::Resize {
        width: 80,
        height: 24,
    });
    press(&mut app, &[key(KeyCode::BackTab), key(KeyCode::Enter)]);
    timed("1 MiB body: first frame (cuts the rows)", 3, || {
        app.detail_rows_forget();
        render(&app, 80, 24);
    });
    render(&app, 80, 24);
    timed("1 MiB body: j + frame", 200, || {
        app.update(key(KeyCode::Char('j')));
        render(&app, 80, 24);
    });
    timed("1 MiB body: G + frame", 50, || {
        app.update(key(KeyCode::Char('G')));
        render(&app, 80, 24);
        app.update(key(KeyCode::Char('g')));
    });
    timed("1 MiB body: Esc + frame", 50, || {
        app.update(key(KeyCode::Esc));
        render(&app, 80, 24);
        app.update(key(KeyCode::Enter));
    });
    // `y`: past the OSC 52 cap, so this is the refusal (the body is never cut to fit).
    timed("1 MiB body: y + frame", 50, || {
        app.update(key(KeyCode::Char('y')));
        render(&app, 80, 24);
    });
    timed("1 MiB body: J (parse the body) + frame", 5, || {
        app.update(key(KeyCode::Char('J')));
        render(&app, 80, 24);
        app.update(key(KeyCode::Esc));
    });
    app.update(key(KeyCode::Char('J')));
    timed("1 MiB body: a key on the JSONPath line + frame", 50, || {
        app.update(key(KeyCode::Char('x')));
        render(&app, 80, 24);
        app.update(key(KeyCode::Backspace));
    });
}
