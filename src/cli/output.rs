//! How the headless commands talk to the terminal: the `-q`/`-v` level, the `--color` choice,
//! and writes that never abort a command (a closed stdout ends the output quietly, a closed
//! stderr is ignored), so `payloads … | head -1` never panics.

use crate::jobs::JobStatus;
use std::io::{IsTerminal, Write};

/// `-q`, nothing, or `-v`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verbosity {
    /// Only the result on stdout; on failure one line on stderr.
    Quiet,
    #[default]
    Normal,
    /// Also which workspace file, the whole timeline and the request and response headers.
    Verbose,
}

/// `--color`: `auto` colours a stream only when it is a terminal and `NO_COLOR` is unset (or
/// empty) and `TERM` is not `dumb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether output to a stream (a terminal or not) gets colour.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
            }
        }
    }

    pub fn for_stderr(self) -> Paint {
        Paint(self.enabled(std::io::stderr().is_terminal()))
    }

    pub fn for_stdout(self) -> Paint {
        Paint(self.enabled(std::io::stdout().is_terminal()))
    }
}

/// Colours text with ANSI SGR codes when enabled, leaves it alone when not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paint(pub bool);

/// The colours used: few, and the same meaning everywhere (the TUI's theme uses the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hue {
    Green,
    Red,
    Yellow,
    Cyan,
    Dim,
}

impl Paint {
    pub fn paint(self, hue: Hue, text: &str) -> String {
        if !self.0 || text.is_empty() {
            return text.to_string();
        }
        let code = match hue {
            Hue::Green => "32",
            Hue::Red => "31",
            Hue::Yellow => "33",
            Hue::Cyan => "36",
            Hue::Dim => "2",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    pub fn status(self, status: JobStatus, text: &str) -> String {
        self.paint(status_hue(status), text)
    }
}

pub fn status_hue(status: JobStatus) -> Hue {
    match status {
        JobStatus::Succeeded => Hue::Green,
        JobStatus::Failed => Hue::Red,
        JobStatus::Cancelled => Hue::Yellow,
        JobStatus::Queued | JobStatus::Running => Hue::Cyan,
    }
}

/// Writes to stdout. `Err` means the reader has gone: the caller stops writing and ends quietly.
pub fn stdout(bytes: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}

/// One line to stdout, for messages of ours; a closed stdout is ignored (nothing is lost: the
/// work it reports is done and saved).
pub fn stdout_line(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(line.as_bytes());
    let _ = out.write_all(b"\n");
    let _ = out.flush();
}

/// Text to stderr without a newline (a prompt); a closed stderr is ignored.
pub fn stderr_text(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// One line to stderr; a closed stderr is not a reason to stop.
pub fn stderr_line(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(line.as_bytes());
    let _ = err.write_all(b"\n");
}

/// Text from outside (a server, the workspace) for stdout: byte-exact when stdout is a pipe or
/// a file (`payloads run x | jq`), control characters and bidi overrides made visible when it
/// is a terminal. `Err` as for [`stdout`].
pub fn stdout_text(text: &str) -> std::io::Result<()> {
    if std::io::stdout().is_terminal() {
        stdout(crate::jobs::render::printable(text).as_bytes())
    } else {
        stdout(text.as_bytes())
    }
}

/// One error line: `payloads: …` (the message should say what to do next). Messages quote
/// servers and the workspace, so control characters and bidi overrides are made visible.
pub fn error(message: impl std::fmt::Display) {
    stderr_line(&crate::jobs::render::printable(&format!(
        "payloads: {message}"
    )));
}

/// One line of information on stderr, marked as ours like an error line.
pub fn note(message: impl std::fmt::Display) {
    error(message);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paint_only_when_enabled() {
        assert_eq!(Paint(false).paint(Hue::Red, "failed"), "failed");
        assert_eq!(
            Paint(true).paint(Hue::Red, "failed"),
            "\x1b[31mfailed\x1b[0m"
        );
        assert!(ColorChoice::Always.enabled(false));
        assert!(!ColorChoice::Never.enabled(true));
        assert!(!ColorChoice::Auto.enabled(false));
    }
}
