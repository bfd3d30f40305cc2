//! `payloads check`: validate a workspace file and summarise it.

use std::path::Path;
use std::process::ExitCode;

pub fn check(_workspace: &Path) -> ExitCode {
    eprintln!("payloads: `check` is not built yet");
    ExitCode::from(super::EXIT_USAGE)
}
