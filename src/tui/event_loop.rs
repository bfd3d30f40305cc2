//! The event loop: draws, then waits for the next key, tick, run event or finished save, feeds it
//! to `App::update` and hands the resulting Actions to the executor. Generic over the terminal
//! backend and the console (input stream, hand-over to an editor) so tests drive it with a
//! `TestBackend` and scripted input.

use super::app::App;
use super::message::{Action, EditorTarget, Message};
use super::view::view;
use chrono::Utc;
use crossterm::event::Event;
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::collections::VecDeque;
use std::future::Future;
use std::io;
use std::process::Command;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

/// How often spinners turn and elapsed times are redrawn while a Job runs.
pub const TICK: Duration = Duration::from_millis(250);

/// How often a token's expiry ("expires in 45s") is redrawn while it is on screen.
pub const CLOCK_TICK: Duration = Duration::from_secs(1);

/// How often the screen must be redrawn for the time alone: while a Job runs (spinner, elapsed
/// time) or a Bearer token's expiry is shown, else never, so an idle TUI does no work at all.
pub fn tick_every(app: &App) -> Option<Duration> {
    if app.running_jobs() > 0 {
        return Some(TICK);
    }
    let expiry_shown = app.focus == super::app::Pane::Credentials
        && app.selected_credential().is_some_and(|c| match &c.auth {
            crate::workspace::CredentialAuth::BearerToken(t) => {
                !t.access_token.is_empty() && t.expires_at().is_some()
            }
            _ => false,
        });
    expiry_shown.then_some(CLOCK_TICK)
}

/// Carries out Actions off the UI thread; results come back as Messages on the loop's channel.
pub trait Executor {
    fn execute(&mut self, action: Action);

    /// The command that opens the workspace file in the user's editor at `target`.
    fn editor_command(&mut self, target: &EditorTarget) -> Result<Command, String> {
        let _ = target;
        Err("there is no workspace file to open here".into())
    }
}

/// Where keys come from, and the terminal's modes around handing it to another program.
pub trait Console {
    type Input: Stream<Item = io::Result<Event>> + Unpin;
    /// A new input stream. The loop drops the old one before a hand-over, so nothing reads the
    /// keys meant for the editor, and asks for a new one after.
    fn input(&mut self) -> Self::Input;
    /// Gives the terminal up: cooked mode, main screen, cursor shown.
    fn release(&mut self) -> io::Result<()>;
    /// Takes it back: raw mode, alternate screen.
    fn reclaim(&mut self) -> io::Result<()>;
    /// Writes an OSC 52 clipboard sequence to the terminal, between two frames.
    fn copy(&mut self, sequence: &[u8]) -> io::Result<()>;
}

/// A console over one input stream with nothing to hand over (tests; the stream never restarts:
/// after a hand-over the input is empty).
pub struct StreamConsole<S> {
    stream: Option<S>,
    /// The clipboard sequences written, in order.
    pub copied: Vec<Vec<u8>>,
}

impl<S> StreamConsole<S> {
    pub fn new(stream: S) -> StreamConsole<S> {
        StreamConsole {
            stream: Some(stream),
            copied: Vec::new(),
        }
    }
}

impl<S: Stream<Item = io::Result<Event>> + Unpin> Console for StreamConsole<S> {
    type Input = futures::future::Either<S, futures::stream::Pending<io::Result<Event>>>;
    fn input(&mut self) -> Self::Input {
        match self.stream.take() {
            Some(stream) => futures::future::Either::Left(stream),
            None => futures::future::Either::Right(futures::stream::pending()),
        }
    }
    fn release(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn reclaim(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn copy(&mut self, sequence: &[u8]) -> io::Result<()> {
        self.copied.push(sequence.to_vec());
        Ok(())
    }
}

/// What asked the program to stop, and the exit status that says so (128 + signal number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Terminate,
    HangUp,
    Interrupt,
}

impl Stop {
    pub fn exit_code(self) -> u8 {
        match self {
            Stop::HangUp => 129,
            Stop::Interrupt => 130,
            Stop::Terminate => 143,
        }
    }
}

/// Why the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The user quit (q).
    Quit,
    /// The input stream ended (the terminal went away).
    InputClosed,
    /// A signal (SIGTERM, SIGHUP, SIGINT) or Ctrl-C asked us to stop.
    Stopped(Stop),
}

pub async fn run<B, C, E>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    console: &mut C,
    executor: &mut E,
    mut messages: UnboundedReceiver<Message>,
    shutdown: impl Future<Output = Stop>,
) -> io::Result<Exit>
where
    B: Backend,
    C: Console,
    E: Executor,
{
    let draw_error = |e: B::Error| io::Error::other(e.to_string());
    let size = terminal.size().map_err(draw_error)?;
    app.update(Message::Resize {
        width: size.width,
        height: size.height,
    });
    let mut input = console.input();
    // The tick runs only while something on screen changes with time (see `tick_every`).
    let mut ticking: Option<(Duration, tokio::time::Interval)> = None;
    // Drawn after each Message, not after input the loop ignores (mouse moves, focus changes).
    let mut dirty = true;
    tokio::pin!(shutdown);
    loop {
        if dirty {
            terminal
                .draw(|frame| {
                    view(app, frame);
                    // Whatever a view drew from the workspace or a server, no bidi override
                    // reaches the terminal (ratatui already drops control characters).
                    super::terminal::neutralise_bidi(frame.buffer_mut());
                })
                .map_err(draw_error)?;
            dirty = false;
        }
        let every = tick_every(app);
        if ticking.as_ref().map(|(period, _)| *period) != every {
            ticking = every.map(|period| {
                let start = tokio::time::Instant::now() + period;
                let mut interval = tokio::time::interval_at(start, period);
                interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
                (period, interval)
            });
        }
        let tick = async {
            match &mut ticking {
                Some((_, interval)) => {
                    interval.tick().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        let message = tokio::select! {
            event = input.next() => match event {
                Some(Ok(Event::Key(key))) => Message::Key(key),
                Some(Ok(Event::Paste(text))) => Message::Paste(text),
                Some(Ok(Event::Resize(width, height))) => {
                    terminal.autoresize().map_err(draw_error)?;
                    Message::Resize { width, height }
                }
                // Input the loop ignores (mouse moves, focus changes) changes nothing on screen.
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e),
                None => return Ok(Exit::InputClosed),
            },
            Some(message) = messages.recv() => message,
            _ = tick => Message::Tick(Utc::now()),
            stop = &mut shutdown => return Ok(Exit::Stopped(stop)),
        };
        dirty = true;
        let mut actions: VecDeque<Action> = app.update(message).into();
        while let Some(action) = actions.pop_front() {
            match action {
                Action::Quit => return Ok(Exit::Quit),
                Action::Interrupt => return Ok(Exit::Stopped(Stop::Interrupt)),
                Action::OpenEditor(target) => {
                    let closed = match executor.editor_command(&target) {
                        Ok(command) => {
                            // Nothing may read the terminal while the editor has it.
                            drop(input);
                            let closed = hand_over(terminal, console, command).await;
                            input = console.input();
                            closed?
                        }
                        Err(reason) => Err(reason),
                    };
                    actions.extend(app.update(Message::EditorClosed(closed)));
                }
                // On this thread, after the last frame was flushed and before the next begins.
                Action::Copy(sequence) => console.copy(sequence.as_bytes())?,
                action => executor.execute(action),
            }
        }
    }
}

/// Runs `command` in the foreground with the terminal in its normal modes, waits for it, then
/// takes the terminal back and has the next draw repaint everything. The outer error is the
/// terminal failing; the inner one, the editor.
async fn hand_over<B: Backend, C: Console>(
    terminal: &mut Terminal<B>,
    console: &mut C,
    mut command: Command,
) -> io::Result<Result<(), String>> {
    let program = command.get_program().to_string_lossy().into_owned();
    console.release()?;
    let status = tokio::task::spawn_blocking(move || command.status()).await;
    console.reclaim()?;
    // The screen is blank now but ratatui remembers the last frame, so the next draw would only
    // send what changed. A blank frame in between makes it send everything. (`Terminal::clear`
    // would do the same but asks the terminal where its cursor is, racing the new input stream.)
    terminal
        .draw(|_| {})
        .map_err(|e| io::Error::other(e.to_string()))?;
    Ok(match status {
        Ok(Ok(status)) if status.success() => Ok(()),
        Ok(Ok(status)) => Err(format!(
            "The editor `{program}` exited with {status}; the file is read again anyway."
        )),
        Ok(Err(e)) => Err(format!(
            "Could not start the editor `{program}`: {e}.\n\nSet $VISUAL or $EDITOR to the editor you use."
        )),
        Err(e) => Err(format!(
            "The editor `{program}` could not be waited for: {e}"
        )),
    })
}
