//! An idle TUI does no work: the real event loop on a backend that counts frames, on tokio's
//! paused clock (time moves only when every task waits), so ten idle seconds take no real time.

use crate::tui_support;

use payloads::tui::event_loop::{self, CLOCK_TICK, Executor, Exit, Stop, StreamConsole, TICK};
use payloads::tui::{Action, Message, Pane};
use payloads::workspace::CredentialAuth;
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::mpsc::unbounded_channel;
use tui_support::*;

/// A `TestBackend` that counts the frames drawn (the terminal flushes once per frame).
struct Counting(TestBackend, Arc<AtomicUsize>);

impl Backend for Counting {
    type Error = <TestBackend as Backend>::Error;
    fn draw<'a, I: Iterator<Item = (u16, u16, &'a Cell)>>(
        &mut self,
        c: I,
    ) -> Result<(), Self::Error> {
        self.0.draw(c)
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.0.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.0.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, p: P) -> Result<(), Self::Error> {
        self.0.set_cursor_position(p)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.0.clear()
    }
    fn clear_region(&mut self, t: ClearType) -> Result<(), Self::Error> {
        self.0.clear_region(t)
    }
    fn size(&self) -> Result<Size, Self::Error> {
        self.0.size()
    }
    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.0.window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.1.fetch_add(1, Ordering::SeqCst);
        self.0.flush()
    }
}

struct Nothing;

impl Executor for Nothing {
    fn execute(&mut self, _action: Action) {}
}

/// How many frames the loop draws for `app` over `idle` of (paused) time with no input at all.
async fn frames_while_idle(mut app: payloads::tui::App, idle: Duration) -> usize {
    let frames = Arc::new(AtomicUsize::new(0));
    let backend = Counting(TestBackend::new(100, 30), frames.clone());
    let mut terminal = Terminal::new(backend).unwrap();
    // Kept open, as the runtime keeps it: a closed channel is not what an idle TUI sees.
    let (_messages, receiver) = unbounded_channel::<Message>();
    let exit = event_loop::run(
        &mut terminal,
        &mut app,
        &mut StreamConsole::new(Box::pin(futures::stream::pending())),
        &mut Nothing,
        receiver,
        async move {
            // The clock is paused: this advances simulated time, nothing waits in real time.
            tokio::time::sleep(idle).await;
            Stop::Terminate
        },
    )
    .await
    .unwrap();
    assert_eq!(exit, Exit::Stopped(Stop::Terminate));
    frames.load(Ordering::SeqCst)
}

#[tokio::test(start_paused = true)]
async fn an_idle_screen_is_drawn_once_and_never_again() {
    let app = app();
    assert_eq!(event_loop::tick_every(&app), None);
    assert_eq!(frames_while_idle(app, Duration::from_secs(10)).await, 1);
}

#[tokio::test(start_paused = true)]
async fn a_running_job_turns_the_spinner_every_tick() {
    let mut app = app();
    app.jobs.push(running_job());
    assert_eq!(event_loop::tick_every(&app), Some(TICK));
    let frames = frames_while_idle(app, Duration::from_secs(10)).await;
    // 40 ticks in 10 s, give or take the edges.
    assert!((39..=42).contains(&frames), "{frames} frames");
}

#[tokio::test(start_paused = true)]
async fn a_token_expiry_on_screen_is_redrawn_every_second() {
    let mut app = app();
    // The Credentials pane shows the selected Bearer Token's "expires in ..." in its detail.
    app.focus = Pane::Credentials;
    assert_eq!(event_loop::tick_every(&app), Some(CLOCK_TICK));
    let frames = frames_while_idle(app, Duration::from_secs(10)).await;
    assert!((10..=12).contains(&frames), "{frames} frames");

    // Before the first token there is no expiry to count down: nothing to redraw.
    let mut app = self::app();
    app.focus = Pane::Credentials;
    for c in &mut std::sync::Arc::make_mut(&mut app.workspace).credentials {
        if let CredentialAuth::BearerToken(t) = &mut c.auth {
            t.access_token.clear();
        }
    }
    assert_eq!(event_loop::tick_every(&app), None);
}
