//! The log file: `payloads.log` under the user's state directory, never the terminal (the TUI
//! owns it), level from `PAYLOADS_LOG`. Callers log no secrets; the file is created mode 0600.

use std::path::PathBuf;
use tracing_subscriber::EnvFilter;

/// The log file's name inside [`log_dir`].
pub const LOG_FILE: &str = "payloads.log";

/// `$PAYLOADS_LOG_DIR`, else `$XDG_STATE_HOME/payloads`, else `~/.local/state/payloads`.
pub fn log_dir() -> Option<PathBuf> {
    let non_empty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = non_empty("PAYLOADS_LOG_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(state) = non_empty("XDG_STATE_HOME") {
        return Some(PathBuf::from(state).join("payloads"));
    }
    non_empty("HOME").map(|home| PathBuf::from(home).join(".local/state/payloads"))
}

/// Starts logging to [`log_dir`]/[`LOG_FILE`] at the level of `PAYLOADS_LOG` (default `info`, any
/// `tracing` filter such as `payloads=debug` works). Keep the guard alive until exit: dropping it
/// flushes the log. When the directory cannot be made or a logger is already set, there is no
/// logging and no error: logging must never stop the program.
pub fn init(app: &str) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = log_dir()?;
    create_private_dir(&dir).ok()?;
    let path = dir.join(LOG_FILE);
    let file = open_private_append(&path).ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = EnvFilter::try_from_env("PAYLOADS_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
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
