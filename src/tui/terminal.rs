//! Taking the terminal over and giving it back: raw mode and the alternate screen on start,
//! restored on quit, on SIGTERM/SIGHUP/SIGINT (via the loop's shutdown future), on drop and on
//! panic (the hook restores first, then prints the panic).

use ratatui::DefaultTerminal;
use std::io;

/// Restores the terminal when dropped, whatever path leaves the TUI.
pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    /// Raw mode, alternate screen, and a panic hook that restores before printing.
    pub fn take_over() -> io::Result<TerminalGuard> {
        let terminal = ratatui::try_init()?;
        Ok(TerminalGuard { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// Resolves when the process is asked to stop: SIGTERM, SIGHUP (a dropped SSH session) or SIGINT.
pub async fn stop_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut hup), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
        signal(SignalKind::interrupt()),
    ) else {
        // Without signal handlers, only the keys stop the TUI.
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = hup.recv() => {}
        _ = int.recv() => {}
    }
}

/// `NO_COLOR` set to anything non-empty turns colour off (https://no-color.org).
pub fn colour_wanted() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
