//! `payloads` (the TUI) and `payloads demo` (the sandbox in-process plus the TUI).

use std::path::Path;
use std::process::ExitCode;

pub fn tui(_workspace: &Path) -> ExitCode {
    eprintln!("payloads: `tui` is not built yet");
    ExitCode::from(super::EXIT_USAGE)
}

pub fn demo(_workspace: &Path) -> ExitCode {
    eprintln!("payloads: `demo` is not built yet");
    ExitCode::from(super::EXIT_USAGE)
}
