//! `payloads` (the TUI) and `payloads demo` (the sandbox in-process plus the TUI).

use super::ColorChoice;
use crate::flow::{Runner, RunnerConfig};
use crate::jobs::JobStore;
use crate::sandbox::{self, SandboxConfig};
use crate::tui::App;
use crate::tui::event_loop::{self, Executor, Exit};
use crate::tui::runtime::LiveExecutor;
use crate::tui::terminal::{CrosstermConsole, TerminalGuard, colour_wanted, stop_signal};
use crate::workspace::WorkspaceStore;
use chrono::Utc;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use tokio::sync::mpsc::unbounded_channel;

/// How many past Jobs the Jobs pane starts with.
const HISTORY: usize = 200;

/// How long quitting waits for cancelled Jobs to be recorded as cancelled.
const SETTLE: std::time::Duration = std::time::Duration::from_secs(2);

pub fn tui(workspace: &Path, color: ColorChoice) -> ExitCode {
    with_runtime(|runtime| runtime.block_on(open_tui(workspace, color)))
}

/// The sandbox first (so a taken port is reported before the terminal is touched), then the TUI.
pub fn demo(workspace: &Path, port: u16, color: ColorChoice) -> ExitCode {
    with_runtime(|runtime| {
        runtime.block_on(async {
            let config = SandboxConfig {
                port,
                ..SandboxConfig::default()
            };
            let sandbox = match sandbox::start(config).await {
                Ok(handle) => handle,
                Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                    eprintln!(
                        "payloads: port {port} on 127.0.0.1 is taken, so the demo sandbox cannot start.\n\
                         Is another `payloads demo` or `payloads sandbox` running? Stop it, or pick another port\n\
                         with --port (the workspace's base URLs must then use that port)."
                    );
                    return ExitCode::from(super::EXIT_USAGE);
                }
                Err(e) => {
                    eprintln!("payloads: cannot start the demo sandbox on port {port}: {e}");
                    return ExitCode::from(super::EXIT_USAGE);
                }
            };
            tracing::info!(addr = %sandbox.addr, "demo sandbox listening");
            let code = open_tui(workspace, color).await;
            sandbox.shutdown().await;
            code
        })
    })
}

fn with_runtime(body: impl FnOnce(&tokio::runtime::Runtime) -> ExitCode) -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => body(&runtime),
        Err(e) => {
            eprintln!("payloads: cannot start the async runtime: {e}");
            ExitCode::from(super::EXIT_USAGE)
        }
    }
}

async fn open_tui(path: &Path, color: ColorChoice) -> ExitCode {
    let store = match WorkspaceStore::open(path) {
        Ok(store) => Arc::new(store),
        Err(e) => {
            eprintln!("payloads: {e}");
            return ExitCode::from(super::EXIT_USAGE);
        }
    };
    let jobs = Arc::new(JobStore::beside(path));
    jobs.set_limits(crate::jobs::JobLimits::from_settings(
        &store.snapshot().settings,
    ));
    // The list columns of the newest Jobs only: a Job's bodies are read when it is opened.
    let mut history_note = None;
    let history = jobs.list(HISTORY).unwrap_or_else(|e| {
        tracing::warn!("could not read the Jobs history: {e}");
        history_note = Some(e.advice());
        Vec::new()
    });
    let mut app = App::new(
        store.snapshot(),
        path.display().to_string(),
        history,
        Utc::now(),
    );
    app.colour = match color {
        ColorChoice::Auto => colour_wanted(),
        ColorChoice::Always => true,
        ColorChoice::Never => false,
    };
    app.use_job_history(jobs.limits());
    app.note = history_note.or_else(|| jobs.take_import_report().map(|r| r.to_string()));
    let (messages, receiver) = unbounded_channel();
    let failures = messages.clone();
    // A history that cannot be written never stops a run: the TUI says so once.
    jobs.on_failure(move |message| {
        let _ = failures.send(crate::tui::Message::ActionFailed(format!(
            "{message}. The run went on."
        )));
    });
    let runner = match Runner::new(store.clone(), jobs, RunnerConfig::default()) {
        Ok(runner) => runner,
        Err(e) => {
            eprintln!("payloads: cannot start the runner: {e}");
            return ExitCode::from(super::EXIT_USAGE);
        }
    };
    let mut executor = LiveExecutor::new(store, runner, messages);
    let exit = async {
        let mut guard = TerminalGuard::take_over()?;
        event_loop::run(
            &mut guard.terminal,
            &mut app,
            &mut CrosstermConsole,
            &mut executor,
            receiver,
            stop_signal(),
        )
        .await
    }
    .await;
    // However the TUI ended, Jobs still running are cancelled and given a moment to be recorded
    // as such (the terminal is already restored, so this wait shows nothing half-drawn).
    executor.execute(crate::tui::Action::CancelAll);
    if !executor.settle(SETTLE).await {
        tracing::warn!("some Jobs had not recorded their end when the TUI quit");
    }
    match exit {
        Ok(Exit::Quit | Exit::InputClosed) => ExitCode::SUCCESS,
        Ok(Exit::Stopped(stop)) => ExitCode::from(stop.exit_code()),
        Err(e) => {
            eprintln!("payloads: the terminal failed: {e}");
            ExitCode::FAILURE
        }
    }
}
