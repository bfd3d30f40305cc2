//! `payloads run` and `payloads refresh`: the flow headless, events on stderr, body on stdout.

use std::path::Path;
use std::process::ExitCode;

pub fn run(_workspace: &Path, _payload: &str, _inputs: &[String], _json: bool) -> ExitCode {
    eprintln!("payloads: `run` is not built yet");
    ExitCode::from(super::EXIT_USAGE)
}

pub fn refresh(_workspace: &Path, _credential: &str) -> ExitCode {
    eprintln!("payloads: `refresh` is not built yet");
    ExitCode::from(super::EXIT_USAGE)
}
