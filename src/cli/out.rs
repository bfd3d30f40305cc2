//! Output of the headless commands that can never abort a run: every write to stdout or stderr
//! goes through here. A closed stdout (`payloads run x | head -1`) is noted and later writes are
//! skipped, so the run still saves its tokens and records its Jobs and then ends quietly; a
//! closed stderr is ignored. Text bound for a terminal has its control characters made visible.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once a write to stdout failed (the reader went away): nothing more is sent there.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Whether stdout has gone away during this process.
pub(crate) fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

/// Writes `bytes` to stdout as they are and flushes; on any error (EPIPE above all) stdout is
/// marked closed and the bytes dropped. Returns whether they were written.
pub(crate) fn stdout_bytes(bytes: &[u8]) -> bool {
    if stdout_closed() {
        return false;
    }
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_all(bytes).and_then(|()| stdout.flush());
    if written.is_err() {
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
    }
    written.is_ok()
}

/// Text from outside (a server, the workspace) for stdout: byte-exact when stdout is a pipe or
/// a file (`payloads run x | jq`), control characters made visible when it is a terminal.
pub(crate) fn stdout_text(text: &str) -> bool {
    if std::io::stdout().is_terminal() {
        stdout_bytes(terminal_safe(text).as_bytes())
    } else {
        stdout_bytes(text.as_bytes())
    }
}

/// One line of stdout; text from outside is made terminal-safe whatever stdout is (it is a
/// message, not data).
pub(crate) fn stdout_line(text: impl std::fmt::Display) -> bool {
    let mut line = terminal_safe(&text.to_string());
    line.push('\n');
    stdout_bytes(line.as_bytes())
}

/// One line of stderr with control characters made visible; a failed write is ignored (a run
/// must not stop because nobody reads its progress).
pub(crate) fn stderr_line(text: impl std::fmt::Display) {
    let mut line = terminal_safe(&text.to_string());
    line.push('\n');
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(line.as_bytes());
    let _ = stderr.flush();
}

/// `text` safe for a terminal: control characters and bidi overrides shown escaped (the Jobs
/// renderer's rule), newlines and tabs kept.
pub(crate) fn terminal_safe(text: &str) -> String {
    crate::jobs::render::printable(text)
}

/// `eprintln!` that cannot panic: see [`stderr_line`].
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::out::stderr_line(format_args!($($arg)*))
    };
}
pub(crate) use say;
