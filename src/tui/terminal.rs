//! Taking the terminal over and giving it back: raw mode and the alternate screen on start,
//! restored on quit, on SIGTERM/SIGHUP/SIGINT (via the loop's shutdown future), on drop and on
//! panic (the hook restores first, then prints the panic); and lent to an editor in between.

use super::event_loop::{Console, Stop};
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, EventStream};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{self, BufWriter, Stdout};

/// The TUI's terminal. Frames go through a buffer big enough for a whole 120x40 frame with its
/// colours, so one draw is one `write` (ratatui flushes after each): the standard output's own
/// buffer holds 1 KiB, which cut a first frame into twenty writes, each a wake-up of the
/// terminal (and a packet over SSH).
pub type TuiTerminal = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// Room for a full frame: 120x40 cells with colour changes take about 20 KB.
const FRAME_BUFFER: usize = 64 * 1024;

/// Restores the terminal when dropped, whatever path leaves the TUI.
pub struct TerminalGuard {
    /// Never dropped: ratatui's `Terminal` prints to stderr from its `Drop` when it cannot show
    /// the cursor, and with the terminal gone that print panics. The guard shows the cursor
    /// itself (quietly); the Terminal's buffers are freed when the process ends.
    pub terminal: std::mem::ManuallyDrop<TuiTerminal>,
}

impl TerminalGuard {
    /// The terminal object before the terminal is touched: only its size is asked, nothing is
    /// written, so it can be made while the workspace is read, and dropped unused. Its two
    /// screens of cells (230 KB each at 120x40) cost a quarter of the TUI's start-up page
    /// faults, about half a millisecond on a virtual machine.
    pub fn prepare() -> io::Result<TuiTerminal> {
        Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(
            FRAME_BUFFER,
            io::stdout(),
        )))
    }

    /// Raw mode, alternate screen, and a panic hook that restores before printing.
    pub fn take_over(prepared: io::Result<TuiTerminal>) -> io::Result<TerminalGuard> {
        // Not `ratatui::try_init`: its panic hook and `ratatui::restore` print to stderr when the
        // terminal is gone (a dropped SSH session), and that print panics inside the panic hook,
        // which aborts the process before the running Jobs are recorded. Restoring here never
        // prints.
        let restore_first = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_quietly();
            restore_first(info);
        }));
        crossterm::terminal::enable_raw_mode()?;
        crossterm::execute!(io::stdout(), EnterAlternateScreen)?;
        // Made beforehand when it could be; made now otherwise, failing as it always did.
        let terminal = match prepared {
            Ok(terminal) => terminal,
            Err(_) => Self::prepare()?,
        };
        // Pasted text then arrives as one piece, so its newlines are not taken for Enter.
        crossterm::execute!(io::stdout(), EnableBracketedPaste)?;
        Ok(TerminalGuard {
            terminal: std::mem::ManuallyDrop::new(terminal),
        })
    }
}

/// Gives the terminal back; a terminal that is gone (EIO) is no error worth a word.
fn restore_quietly() {
    let _ = crossterm::execute!(io::stdout(), DisableBracketedPaste, crossterm::cursor::Show);
    let _ = ratatui::try_restore();
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_quietly();
    }
}

/// The real terminal: crossterm's key stream, and its modes switched around a hand-over.
pub struct CrosstermConsole;

impl Console for CrosstermConsole {
    type Input = EventStream;

    fn input(&mut self) -> EventStream {
        EventStream::new()
    }

    fn release(&mut self) -> io::Result<()> {
        crossterm::terminal::disable_raw_mode()?;
        crossterm::execute!(
            io::stdout(),
            DisableBracketedPaste,
            LeaveAlternateScreen,
            crossterm::cursor::Show
        )
    }

    fn reclaim(&mut self) -> io::Result<()> {
        crossterm::terminal::enable_raw_mode()?;
        crossterm::execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableBracketedPaste,
            crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
        )
    }

    /// The same stdout ratatui's backend writes to, from the loop's thread between frames, so
    /// the sequence never lands inside a frame's bytes.
    fn copy(&mut self, sequence: &[u8]) -> io::Result<()> {
        use std::io::Write;
        let mut out = io::stdout().lock();
        out.write_all(sequence)?;
        out.flush()
    }
}

/// Resolves when the process is asked to stop: SIGTERM, SIGHUP (a dropped SSH session) or SIGINT.
/// The handlers are installed by this call, not when the future is first polled: called before
/// the terminal is taken over, a signal that comes right after the first frame still ends in the
/// loop's restore instead of the default action (which would leave the terminal raw).
pub fn stop_signal() -> impl std::future::Future<Output = Stop> {
    use tokio::signal::unix::{SignalKind, signal};
    let handlers = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
        signal(SignalKind::interrupt()),
    );
    async move {
        let (Ok(mut term), Ok(mut hup), Ok(mut int)) = handlers else {
            // Without signal handlers, only the keys stop the TUI.
            return std::future::pending().await;
        };
        tokio::select! {
            _ = term.recv() => Stop::Terminate,
            _ = hup.recv() => Stop::HangUp,
            _ = int.recv() => Stop::Interrupt,
        }
    }
}

/// Drops the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) from every
/// cell of a drawn frame: invisible, they would reorder what the terminal shows around them.
pub fn neutralise_bidi(buffer: &mut ratatui::buffer::Buffer) {
    use crate::jobs::render::is_bidi_control;
    for cell in buffer.content.iter_mut() {
        if cell.symbol().chars().any(is_bidi_control) {
            let kept: String = cell
                .symbol()
                .chars()
                .filter(|c| !is_bidi_control(*c))
                .collect();
            cell.set_symbol(if kept.is_empty() { " " } else { &kept });
        }
    }
}

/// `NO_COLOR` set to anything non-empty turns colour off (https://no-color.org).
pub fn colour_wanted() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;

    #[test]
    fn bidi_overrides_never_reach_the_terminal() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 20, 1));
        buffer.set_string(
            0,
            0,
            "abc\u{202e}fdp.exe\u{2066}x",
            ratatui::style::Style::default(),
        );
        neutralise_bidi(&mut buffer);
        let shown: String = buffer.content.iter().map(|c| c.symbol()).collect();
        assert!(
            !shown.chars().any(crate::jobs::render::is_bidi_control),
            "{shown:?}"
        );
        assert!(shown.starts_with("abcfdp.exex"), "{shown:?}");
    }
}
