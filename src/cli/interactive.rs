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
    // A missing file is offered to be created (asked before the terminal is taken over).
    if !workspace.exists() && !super::init::offer_to_create(workspace) {
        return ExitCode::from(super::EXIT_USAGE);
    }
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
                    super::output::error(format_args!(
                        "port {port} on 127.0.0.1 is taken, so the demo sandbox cannot start.\n\
                         Is another `payloads demo` or `payloads sandbox` running? Stop it, or pick another port\n\
                         with --port (the workspace's base URLs must then use that port)."
                    ));
                    return ExitCode::from(super::EXIT_USAGE);
                }
                Err(e) => {
                    super::output::error(format_args!("cannot start the demo sandbox on port {port}: {e}"));
                    return ExitCode::from(super::EXIT_USAGE);
                }
            };
            tracing::info!(addr = %sandbox.addr, "demo sandbox listening");
            if !workspace.exists() {
                if let Err(e) = super::init::create(
                    workspace,
                    &super::init::DEMO.replace("http://127.0.0.1:8787", &format!("http://127.0.0.1:{port}")),
                ) {
                    super::output::error(format_args!(
                        "cannot write the demo workspace to {}: {e}",
                        workspace.display()
                    ));
                    return ExitCode::from(super::EXIT_USAGE);
                }
                tracing::info!(path = %workspace.display(), "demo workspace written");
            }
            let code = open_tui(workspace, color).await;
            sandbox.shutdown().await;
            code
        })
    })
}

/// The event loop runs on this thread (`block_on`); Jobs, saves and the file watch run on one
/// worker, so an fsync in a Job never holds up a key. One worker is enough for requests that
/// mostly wait on the network, and each extra worker costs a thread, its stack and its malloc
/// arena for as long as the TUI is open.
fn with_runtime(body: impl FnOnce(&tokio::runtime::Runtime) -> ExitCode) -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(runtime) => body(&runtime),
        Err(e) => {
            super::output::error(format_args!("cannot start the async runtime: {e}"));
            ExitCode::from(super::EXIT_USAGE)
        }
    }
}

async fn open_tui(path: &Path, color: ColorChoice) -> ExitCode {
    // The terminal's frame buffers are made on the runtime's worker (idle this early) while
    // this thread reads and checks the workspace: both are needed before the first frame, and
    // on two cores they overlap.
    let preparing = tokio::spawn(async { TerminalGuard::prepare() });
    let store = WorkspaceStore::open(path);
    // A panic there (none is known) only means making it again here.
    let terminal = preparing.await.unwrap_or_else(|_| TerminalGuard::prepare());
    let store = match store {
        Ok(store) => Arc::new(store),
        Err(e) => {
            super::output::error(format_args!("{e}"));
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
    app.ascii = crate::tui::ascii::wanted();
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
    let runner = Runner::new(store.clone(), jobs, RunnerConfig::default());
    // Tokens an interrupted refresh left in its journal are applied before anything runs.
    let recovered = runner.recover_tokens().await;
    for note in &recovered {
        tracing::warn!("{note}");
    }
    if !recovered.is_empty() {
        app.workspace = store.snapshot();
        app.note = Some(recovered.join("; "));
    }
    let mut executor = LiveExecutor::new(store, runner, messages);
    // Installed before the terminal is taken over (see `stop_signal`).
    let stop = stop_signal();
    let exit = async {
        let mut guard = TerminalGuard::take_over(terminal)?;
        event_loop::run(
            &mut *guard.terminal,
            &mut app,
            &mut CrosstermConsole,
            &mut executor,
            receiver,
            stop,
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
            super::output::error(format_args!("the terminal failed: {e}"));
            ExitCode::FAILURE
        }
    }
}
