//! `payloads` (the TUI) and `payloads demo` (the sandbox in-process plus the TUI).

use crate::flow::{RunEvent, RunRequest};
use crate::jobs::JobId;
use crate::tui::App;
use crate::tui::event_loop::{self, Exit};
use crate::tui::runtime::{LiveExecutor, StartRuns};
use crate::tui::terminal::{TerminalGuard, colour_wanted, stop_signal};
use crate::workspace::WorkspaceStore;
use chrono::Utc;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio_util::sync::CancellationToken;

pub fn tui(workspace: &Path) -> ExitCode {
    let store = match WorkspaceStore::open(workspace) {
        Ok(store) => Arc::new(store),
        Err(e) => {
            eprintln!("payloads: {e}");
            return ExitCode::from(super::EXIT_USAGE);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("payloads: could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(open(store, workspace)) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("payloads: {e}");
            ExitCode::FAILURE
        }
    }
}

pub fn demo(workspace: &Path) -> ExitCode {
    tui(workspace)
}

/// Runs are not wired in yet on this branch.
struct NoRunner;

impl StartRuns for NoRunner {
    fn start(
        &self,
        _: RunRequest,
        _: UnboundedSender<RunEvent>,
    ) -> Result<(JobId, CancellationToken), String> {
        Err("the runner is not part of this build".into())
    }
    fn start_refresh(
        &self,
        _: &str,
        _: UnboundedSender<RunEvent>,
    ) -> Result<(JobId, CancellationToken), String> {
        Err("the runner is not part of this build".into())
    }
}

async fn open(store: Arc<WorkspaceStore>, path: &Path) -> std::io::Result<Exit> {
    let mut app = App::new(
        store.snapshot(),
        path.display().to_string(),
        Vec::new(),
        Utc::now(),
    );
    app.colour = colour_wanted();
    let (messages, receiver) = unbounded_channel();
    let mut executor = LiveExecutor::new(store, NoRunner, messages);
    let mut guard = TerminalGuard::take_over()?;
    let input = crossterm::event::EventStream::new();
    event_loop::run(
        &mut guard.terminal,
        &mut app,
        input,
        &mut executor,
        receiver,
        stop_signal(),
    )
    .await
}
