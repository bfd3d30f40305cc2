//! What the runner reports while it works: one event per step, streamed to the TUI and the CLI.

use crate::jobs::{Job, JobId};
use chrono::{DateTime, Utc};

/// One step of a run. `job` is the Job as it stands after this step (already redacted), so a
/// consumer can replace its copy by id and never reconstruct state.
#[derive(Debug, Clone)]
pub struct RunEvent {
    pub at: DateTime<Utc>,
    pub job_id: JobId,
    pub kind: RunEventKind,
    pub job: Job,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RunEventKind {
    JobCreated,
    RefreshStarted {
        refresh_job: JobId,
    },
    RefreshFinished {
        refresh_job: JobId,
        ok: bool,
    },
    RequestSent,
    ResponseReceived {
        status: u16,
    },
    TargetsApplied,
    /// The workspace file was saved (a Credential or Variable was written back).
    WorkspaceSaved,
    /// The workspace was loaded again from the file, which another process had changed (before a
    /// token refresh): a view of the workspace should be read again.
    WorkspaceReloaded,
    Finished,
}

/// An owned snapshot of what to run: the runner reads the workspace itself when it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRequest {
    pub payload_id: crate::workspace::PayloadId,
    /// Dynamic input values given by the user (missing ones fall back to their defaults).
    pub inputs: Vec<(String, String)>,
    pub trigger: crate::jobs::Trigger,
}
