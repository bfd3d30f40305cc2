//! The log file: `payloads.log` under the user's state directory, never the terminal (the TUI
//! owns it), level from `PAYLOADS_LOG`. Callers log no secrets, and as a second line of defence
//! every line passes through the secrets registered with [`add_secrets`]; the file is mode 0600.
//!
//! Lines are written straight to the file, one `write` per event on an `O_APPEND` descriptor (so
//! lines from several processes never interleave): the program logs a few lines per Job, which
//! costs less than a writer thread and the 128,000-slot channel `tracing_appender::non_blocking`
//! allocates and touches up front (megabytes of an idle TUI's memory).

use crate::jobs::Redactor;
use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use tracing_subscriber::EnvFilter;

/// Secrets redacted from every log line.
static SECRETS: RwLock<Option<Redactor>> = RwLock::new(None);

/// Registers secrets to be redacted from every later log line (the workspace's at start, new
/// tokens as the runner sees them). Cheap to call again: secrets accumulate.
pub fn add_secrets(redactor: &Redactor) {
    let mut secrets = SECRETS.write().unwrap_or_else(|e| e.into_inner());
    secrets.get_or_insert_with(Redactor::new).extend(redactor);
}

/// `text` as it would be written to the log.
pub fn redact_for_log(text: &str) -> String {
    match &*SECRETS.read().unwrap_or_else(|e| e.into_inner()) {
        Some(redactor) => redactor.redact(text),
        None => text.to_string(),
    }
}

/// Writes each formatted event (the fmt layer writes one event per `write` call) redacted, in one
/// `write` to the log file.
struct RedactingWriter(Arc<File>);

impl Write for RedactingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let line = redact_for_log(&String::from_utf8_lossy(buf));
        (&*self.0).write_all(line.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        (&*self.0).flush()
    }
}

/// The log file's name inside [`log_dir`].
pub const LOG_FILE: &str = "payloads.log";

/// Kept alive until exit, as the logging's end. Lines are written as they happen, so there is
/// nothing left to flush when it drops; it stays so that callers need not change when that does.
#[derive(Debug)]
#[must_use = "logging is meant to last until exit"]
pub struct LogGuard(());

/// `$PAYLOADS_LOG_DIR`, else `$XDG_STATE_HOME/payloads`, else `~/.local/state/payloads`.
pub fn log_dir() -> Option<PathBuf> {
    log_dir_in(&crate::template::process_env)
}

/// [`log_dir`] with the variables read from `env` (tests pass their own).
pub fn log_dir_in(env: crate::template::Env) -> Option<PathBuf> {
    let non_empty = |name: &str| env(name).filter(|v| !v.is_empty());
    if let Some(dir) = non_empty("PAYLOADS_LOG_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(state) = non_empty("XDG_STATE_HOME") {
        return Some(PathBuf::from(state).join("payloads"));
    }
    non_empty("HOME").map(|home| PathBuf::from(home).join(".local/state/payloads"))
}

/// The log file, when there is a state directory to hold it.
pub fn log_file() -> Option<PathBuf> {
    log_dir().map(|dir| dir.join(LOG_FILE))
}

/// [`log_file`] with the variables read from `env`.
pub fn log_file_in(env: crate::template::Env) -> Option<PathBuf> {
    log_dir_in(env).map(|dir| dir.join(LOG_FILE))
}

/// Starts logging to [`log_dir`]/[`LOG_FILE`] at the level of `PAYLOADS_LOG` (default `info`, any
/// `tracing` filter such as `payloads=debug` works). Keep the guard alive until exit. When the directory cannot be made or a logger is already set, there is no
/// logging and no error: logging must never stop the program.
pub fn init(app: &str) -> Option<LogGuard> {
    init_in(app, &crate::template::process_env)
}

/// [`init`] with `PAYLOADS_LOG_DIR`, `PAYLOADS_LOG` and the rest read from `env`, so a test never
/// has to change the process environment.
pub fn init_in(app: &str, env: crate::template::Env) -> Option<LogGuard> {
    let dir = log_dir_in(env)?;
    create_private_dir(&dir).ok()?;
    let path = dir.join(LOG_FILE);
    let file = Arc::new(open_private_append(&path).ok()?);
    let filter = env("PAYLOADS_LOG")
        .and_then(|level| EnvFilter::try_new(level).ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(move || RedactingWriter(file.clone()))
        .with_ansi(false)
        .try_init()
        .ok()?;
    tracing::info!(
        app,
        version = env!("CARGO_PKG_VERSION"),
        pid = std::process::id(),
        "started"
    );
    Some(LogGuard(()))
}

fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

fn open_private_append(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}
