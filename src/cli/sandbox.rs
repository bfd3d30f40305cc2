//! `payloads sandbox`: serve the built-in sandbox API until interrupted.

use std::process::ExitCode;

pub fn serve(_port: u16, _token_ttl: u64) -> ExitCode {
    eprintln!("payloads: `serve` is not built yet");
    ExitCode::from(super::EXIT_USAGE)
}
