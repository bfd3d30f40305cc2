//! The executor of the real program: saves through the workspace store on a blocking thread,
//! starts runs and refreshes on the runner, cancels them, forwards the runner's events, watches
//! the workspace file for outside edits and builds the editor command for `E`.

use super::event_loop::Executor;
use super::file_watch;
use super::message::{Action, EditorTarget, Message};
use crate::flow::{LoginPrompt, RunEvent, RunEventKind, RunRequest};
use crate::jobs::{JobId, JobStore};
use crate::workspace::WorkspaceStore;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::sync::watch;
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
    /// Starts a login; its prompt goes to `prompts`.
    fn start_login(
        &self,
        credential_id: &str,
        prompts: UnboundedSender<LoginPrompt>,
        events: UnboundedSender<RunEvent>,
    ) -> Result<(JobId, CancellationToken), String> {
        let _ = (credential_id, prompts, events);
        Err("logins cannot be started here".into())
    }
    /// The Jobs history the runs are recorded in, which answers the Jobs pane's reads.
    fn history(&self) -> Option<Arc<JobStore>> {
        None
    }
    /// Reads an issuer's discovery metadata on a task of its own; the answer goes to `reply`.
    fn discover(&self, integration: String, issuer: String, reply: UnboundedSender<Message>) {
        let _ = integration;
        let _ = reply.send(Message::Discovered {
            issuer,
            result: Err("discovery cannot be done here".into()),
        });
    }
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

    fn start_login(
        &self,
        credential_id: &str,
        prompts: UnboundedSender<LoginPrompt>,
        events: UnboundedSender<RunEvent>,
    ) -> Result<(JobId, CancellationToken), String> {
        // The TUI never starts the desktop's browser: it shows the URL (the terminal may be
        // an SSH session).
        let options = crate::flow::LoginOptions::default();
        let handle =
            crate::flow::Runner::start_login(self, credential_id, options, prompts, events);
        Ok((handle.job_id, handle.cancel))
    }

    fn history(&self) -> Option<Arc<JobStore>> {
        Some(self.jobs().clone())
    }

    fn discover(&self, integration: String, issuer: String, reply: UnboundedSender<Message>) {
        let runner = self.clone();
        tokio::spawn(async move {
            let result = runner.discover(&integration, &issuer).await;
            let _ = reply.send(Message::Discovered { issuer, result });
        });
    }
}

pub struct LiveExecutor<R> {
    store: Arc<WorkspaceStore>,
    runner: R,
    messages: UnboundedSender<Message>,
    events: UnboundedSender<RunEvent>,
    cancels: HashMap<JobId, CancellationToken>,
    /// Jobs the runner has reported and not yet finished (and so not yet recorded).
    unfinished: watch::Receiver<HashSet<JobId>>,
    last_check: file_watch::LastCheck,
    /// Set once a read of the Jobs history has failed and been reported: a damaged history is
    /// said once, not on every key that asks for rows.
    history_failed: Arc<std::sync::atomic::AtomicBool>,
}

impl<R: StartRuns> LiveExecutor<R> {
    /// Must be called inside a tokio runtime: it spawns the task forwarding run events.
    pub fn new(store: Arc<WorkspaceStore>, runner: R, messages: UnboundedSender<Message>) -> Self {
        let (events, mut receiver) = unbounded_channel::<RunEvent>();
        let (track, unfinished) = watch::channel(HashSet::new());
        let forward = messages.clone();
        let reload_from = store.clone();
        tokio::spawn(async move {
            // Keeps draining after the UI has gone, so `settle` still sees Jobs end.
            while let Some(event) = receiver.recv().await {
                track.send_modify(|ids| {
                    if event.job.status.is_finished() {
                        ids.remove(&event.job.id);
                    } else {
                        ids.insert(event.job.id.clone());
                    }
                });
                let saved = matches!(
                    event.kind,
                    RunEventKind::WorkspaceSaved | RunEventKind::WorkspaceReloaded
                );
                let _ = forward.send(Message::Run(Box::new(event)));
                if saved {
                    // A run wrote a Credential or Variable back: show the store's copy.
                    let _ = forward.send(Message::Reloaded(reload_from.snapshot()));
                }
            }
        });
        let last_check = file_watch::LastCheck::default();
        file_watch::spawn_watcher(store.clone(), last_check.clone(), messages.clone());
        LiveExecutor {
            store,
            runner,
            messages,
            events,
            cancels: HashMap::new(),
            unfinished,
            last_check,
            history_failed: Arc::default(),
        }
    }

    /// Waits, at most `limit`, until every Job the runner reported has finished (and so has been
    /// recorded in the Jobs file). True when they all did.
    pub async fn settle(&self, limit: Duration) -> bool {
        let mut unfinished = self.unfinished.clone();
        tokio::time::timeout(limit, unfinished.wait_for(|ids| ids.is_empty()))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// Reads the history on a blocking thread and sends the answer as a Message: the UI thread
    /// never waits on the database.
    fn read_history(&self, read: impl FnOnce(&JobStore) -> Message + Send + 'static) {
        let Some(history) = self.runner.history() else {
            return;
        };
        let messages = self.messages.clone();
        let failed = self.history_failed.clone();
        tokio::task::spawn_blocking(move || {
            let message = read(&history);
            if let Message::HistoryFailed(reason) = message {
                if !failed.swap(true, std::sync::atomic::Ordering::Relaxed) {
                    let _ = messages.send(Message::ActionFailed(reason));
                }
                return;
            }
            failed.store(false, std::sync::atomic::Ordering::Relaxed);
            let _ = messages.send(message);
        });
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
                        Ok(applied) => applied.map_err(|e| e.to_string()),
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
            Action::Login(credential) => {
                let (prompts, mut prompt_rx) = unbounded_channel();
                let result = self
                    .runner
                    .start_login(&credential, prompts, self.events.clone());
                if let Ok((job_id, _)) = &result {
                    let job_id = job_id.clone();
                    let messages = self.messages.clone();
                    tokio::spawn(async move {
                        while let Some(prompt) = prompt_rx.recv().await {
                            let job_id = job_id.clone();
                            let _ = messages.send(Message::LoginPrompt { job_id, prompt });
                        }
                    });
                }
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
            Action::CancelAll => {
                for token in self.cancels.values() {
                    token.cancel();
                }
            }
            Action::Export {
                integration,
                path,
                with_secrets,
                overwrite,
            } => {
                let store = self.store.clone();
                let messages = self.messages.clone();
                tokio::task::spawn_blocking(move || {
                    let message =
                        super::transfer::export(&store, integration, path, with_secrets, overwrite);
                    let _ = messages.send(message);
                });
            }
            Action::Import { path, rename } => {
                let store = self.store.clone();
                let messages = self.messages.clone();
                tokio::task::spawn_blocking(move || {
                    let _ = messages.send(super::transfer::import(&store, path, rename));
                });
            }
            Action::CheckFile { after_editor } => {
                let store = self.store.clone();
                let messages = self.messages.clone();
                let last = self.last_check.clone();
                tokio::task::spawn_blocking(move || {
                    let outcome = file_watch::check(&store, &last);
                    last.resume();
                    let _ = messages.send(Message::FileChecked {
                        outcome,
                        after_editor,
                    });
                });
            }
            Action::QueryJobs(query) => {
                self.read_history(move |history| {
                    let rows = history.summaries(&query).map(|rows| {
                        rows.into_iter()
                            .map(crate::jobs::JobSummary::into_job)
                            .collect()
                    });
                    match rows {
                        Ok(rows) => Message::JobsQueried {
                            query,
                            rows,
                            size: history.size().ok(),
                        },
                        Err(e) => Message::HistoryFailed(format!(
                            "Could not read the Jobs history: {e}\n\n{}",
                            e.advice()
                        )),
                    }
                });
            }
            Action::LoadJob(id) => {
                self.read_history(move |history| {
                    let job = history
                        .get(&id)
                        .map(|j| j.map(Box::new))
                        .map_err(|e| e.to_string());
                    Message::JobLoaded { id, job }
                });
            }
            Action::LoadPayloadStats(payload) => {
                self.read_history(move |history| {
                    let query = crate::jobs::JobQuery {
                        payload: Some(payload.as_str().into()),
                        ..crate::jobs::JobQuery::default()
                    };
                    let stats = history
                        .stats(&query)
                        .ok()
                        .and_then(|s| s.into_iter().next())
                        .map(Box::new);
                    Message::PayloadStats { payload, stats }
                });
            }
            Action::Discover {
                integration,
                issuer,
            } => self
                .runner
                .discover(integration, issuer, self.messages.clone()),
            // The event loop hands the terminal over and writes to it itself; quitting is the
            // loop's too.
            Action::OpenEditor(_) | Action::Quit | Action::Interrupt | Action::Copy(_) => {}
        }
    }

    fn editor_command(&mut self, target: &EditorTarget) -> Result<std::process::Command, String> {
        let path = self.store.path();
        let line = match target {
            EditorTarget::Line(line) => Some(*line),
            // The file as it is on disk now (it may differ from the last good copy).
            EditorTarget::Record(id) => std::fs::read_to_string(path)
                .ok()
                .and_then(|text| crate::editor::record_line(&text, id)),
            EditorTarget::File => None,
        };
        self.last_check.pause();
        Ok(crate::editor::command_at_line(
            &crate::editor::editor_from_env(),
            path,
            line,
        ))
    }
}
