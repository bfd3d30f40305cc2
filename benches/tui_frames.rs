//! How long the TUI takes to draw and to answer keys over 1,000 Jobs and 206 Payloads at 80x24.
//! Run with `cargo bench --bench tui_frames`; prints milliseconds per step.
#![expect(clippy::print_stdout, reason = "a benchmark prints its figures")]

#[path = "../tests/it/tui_support/mod.rs"]
mod tui_support;

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
}
