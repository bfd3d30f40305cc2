//! The executor of the real program: saves through the workspace store on a blocking thread,
//! starts runs and refreshes on the runner, cancels them, and forwards the runner's events.

use super::event_loop::Executor;
use super::message::{Action, Message};
use crate::flow::{RunEvent, RunEventKind, RunRequest};
use crate::jobs::JobId;
use crate::workspace::WorkspaceStore;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio_util::sync::CancellationToken;

/// Starts runs: the flow's Runner in the program, a fake in tests.
pub trait StartRuns {
    /// Starts a run; returns the new Job's id and what cancels it.
    fn start(
        &self,
        request: RunRequest,
        events: UnboundedSender<RunEvent>,
    ) -> Result<(JobId, CancellationToken), String>;
    fn start_refresh(
        &self,
        credential_id: &str,
        events: UnboundedSender<RunEvent>,
    ) -> Result<(JobId, CancellationToken), String>;
}

impl StartRuns for crate::flow::Runner {
    fn start(
        &self,
        request: RunRequest,
        events: UnboundedSender<RunEvent>,
    ) -> Result<(JobId, CancellationToken), String> {
        // The run goes on on its own task; its end arrives as events.
        let handle = crate::flow::Runner::start(self, request, events);
        Ok((handle.job_id, handle.cancel))
    }

    fn start_refresh(
        &self,
        credential_id: &str,
        events: UnboundedSender<RunEvent>,
    ) -> Result<(JobId, CancellationToken), String> {
        let handle = crate::flow::Runner::start_refresh(
            self,
            credential_id,
            crate::jobs::Trigger::ManualRefresh,
            events,
        );
        Ok((handle.job_id, handle.cancel))
    }
}

pub struct LiveExecutor<R> {
    store: Arc<WorkspaceStore>,
    runner: R,
    messages: UnboundedSender<Message>,
    events: UnboundedSender<RunEvent>,
    cancels: HashMap<JobId, CancellationToken>,
}

impl<R: StartRuns> LiveExecutor<R> {
    /// Must be called inside a tokio runtime: it spawns the task forwarding run events.
    pub fn new(store: Arc<WorkspaceStore>, runner: R, messages: UnboundedSender<Message>) -> Self {
        let (events, mut receiver) = unbounded_channel::<RunEvent>();
        let forward = messages.clone();
        let reload_from = store.clone();
        tokio::spawn(async move {
            while let Some(event) = receiver.recv().await {
                let saved = matches!(
                    event.kind,
                    RunEventKind::WorkspaceSaved | RunEventKind::WorkspaceReloaded
                );
                if forward.send(Message::Run(Box::new(event))).is_err() {
                    break;
                }
                if saved {
                    // A run wrote a Credential or Variable back: show the store's copy.
                    let _ = forward.send(Message::Reloaded(reload_from.snapshot()));
                }
            }
        });
        LiveExecutor {
            store,
            runner,
            messages,
            events,
            cancels: HashMap::new(),
        }
    }

    fn started(&mut self, result: Result<(JobId, CancellationToken), String>) {
        match result {
            Ok((job_id, cancel)) => {
                self.cancels.retain(|_, token| !token.is_cancelled());
                self.cancels.insert(job_id, cancel);
            }
            Err(reason) => {
                let _ = self.messages.send(Message::ActionFailed(format!(
                    "Could not start the run: {reason}"
                )));
            }
        }
    }
}

impl<R: StartRuns> Executor for LiveExecutor<R> {
    fn execute(&mut self, action: Action) {
        match action {
            Action::Save(edit) => {
                let store = self.store.clone();
                let messages = self.messages.clone();
                tokio::task::spawn_blocking(move || {
                    // A refused edit is discarded: nothing is written.
                    let result = match store.try_update(|ws| edit.apply(ws)) {
                        Ok(applied) => applied,
                        Err(e) => Err(e.to_string()),
                    };
                    let _ = messages.send(Message::Saved {
                        result,
                        workspace: store.snapshot(),
                    });
                });
            }
            Action::Run(request) => {
                let result = self.runner.start(request, self.events.clone());
                self.started(result);
            }
            Action::Refresh(credential) => {
                let result = self.runner.start_refresh(&credential, self.events.clone());
                self.started(result);
            }
            Action::Cancel(job_id) => match self.cancels.get(&job_id) {
                Some(token) => token.cancel(),
                None => {
                    let _ = self.messages.send(Message::ActionFailed(format!(
                        "Job {job_id} was not started here, so it cannot be cancelled from here."
                    )));
                }
            },
            Action::Quit => {}
        }
    }
}
