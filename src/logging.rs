//! The log file: `payloads.log` under the user's state directory, never the terminal (the TUI
//! owns it), level from `PAYLOADS_LOG`. Callers log no secrets, and as a second line of defence
//! every line passes through the secrets registered with [`add_secrets`]; the file is mode 0600.

use crate::jobs::Redactor;
use std::io::Write;
use std::path::PathBuf;
use std::sync::RwLock;
use tracing_appender::non_blocking::NonBlocking;
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

/// Writes each formatted event (the fmt layer writes one event per `write` call) redacted.
struct RedactingWriter(NonBlocking);

impl Write for RedactingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let line = redact_for_log(&String::from_utf8_lossy(buf));
        self.0.write_all(line.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// The log file's name inside [`log_dir`].
pub const LOG_FILE: &str = "payloads.log";

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
/// `tracing` filter such as `payloads=debug` works). Keep the guard alive until exit: dropping it
/// flushes the log. When the directory cannot be made or a logger is already set, there is no
/// logging and no error: logging must never stop the program.
pub fn init(app: &str) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    init_in(app, &crate::template::process_env)
}

/// [`init`] with `PAYLOADS_LOG_DIR`, `PAYLOADS_LOG` and the rest read from `env`, so a test never
/// has to change the process environment.
pub fn init_in(
    app: &str,
    env: crate::template::Env,
) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = log_dir_in(env)?;
    create_private_dir(&dir).ok()?;
    let path = dir.join(LOG_FILE);
    let file = open_private_append(&path).ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = env("PAYLOADS_LOG")
        .and_then(|level| EnvFilter::try_new(level).ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(move || RedactingWriter(writer.clone()))
        .with_ansi(false)
        .try_init()
        .ok()?;
    tracing::info!(
        app,
        version = env!("CARGO_PKG_VERSION"),
        pid = std::process::id(),
        "started"
    );
    Some(guard)
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
