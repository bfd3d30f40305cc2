//! `payloads jobs` and `payloads jobs show ID`: the Job history beside the workspace.

use std::path::Path;
use std::process::ExitCode;

pub fn list(_workspace: &Path, _limit: usize, _json: bool) -> ExitCode {
    eprintln!("payloads: `list` is not built yet");
    ExitCode::from(super::EXIT_USAGE)
}

pub fn show(_workspace: &Path, _id: &str, _json: bool) -> ExitCode {
    eprintln!("payloads: `show` is not built yet");
    ExitCode::from(super::EXIT_USAGE)
}
