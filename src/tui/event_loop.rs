//! The event loop: draws, then waits for the next key, tick, run event or finished save, feeds it
//! to `App::update` and hands the resulting Actions to the executor. Generic over the terminal
//! backend and the input stream so tests drive it with a `TestBackend` and a scripted stream.

use super::app::App;
use super::message::{Action, Message};
use super::view::view;
use chrono::Utc;
use crossterm::event::Event;
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::future::Future;
use std::io;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

/// How often spinners turn and elapsed times are redrawn.
pub const TICK: Duration = Duration::from_millis(250);

/// Carries out Actions off the UI thread; results come back as Messages on the loop's channel.
pub trait Executor {
    fn execute(&mut self, action: Action);
}

/// Why the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The user quit (q, Ctrl-C).
    Quit,
    /// The input stream ended (the terminal went away).
    InputClosed,
    /// A signal (SIGTERM, SIGHUP, SIGINT) asked us to stop.
    Signal,
}

pub async fn run<B, S, E>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    mut input: S,
    executor: &mut E,
    mut messages: UnboundedReceiver<Message>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<Exit>
where
    B: Backend,
    S: Stream<Item = io::Result<Event>> + Unpin,
    E: Executor,
{
    let draw_error = |e: B::Error| io::Error::other(e.to_string());
    let size = terminal.size().map_err(draw_error)?;
    app.update(Message::Resize {
        width: size.width,
        height: size.height,
    });
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    tokio::pin!(shutdown);
    loop {
        terminal
            .draw(|frame| view(app, frame))
            .map_err(draw_error)?;
        let message = tokio::select! {
            event = input.next() => match event {
                Some(Ok(Event::Key(key))) => Message::Key(key),
                Some(Ok(Event::Resize(width, height))) => {
                    terminal.autoresize().map_err(draw_error)?;
                    Message::Resize { width, height }
                }
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e),
                None => return Ok(Exit::InputClosed),
            },
            Some(message) = messages.recv() => message,
            _ = tick.tick() => Message::Tick(Utc::now()),
            _ = &mut shutdown => return Ok(Exit::Signal),
        };
        for action in app.update(message) {
            if action == Action::Quit {
                return Ok(Exit::Quit);
            }
            executor.execute(action);
        }
    }
}
