//! The one Message enum (everything that can happen to the UI) and the one Action enum
//! (everything the UI asks the event loop to do off the UI thread).

use super::edits::Edit;
use crate::flow::{RunEvent, RunRequest};
use crate::jobs::JobId;
use crate::workspace::Workspace;
use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

#[derive(Debug, Clone)]
pub enum Message {
    Key(KeyEvent),
    Resize {
        width: u16,
        height: u16,
    },
    /// The clock moved on: spinners turn and elapsed times grow.
    Tick(DateTime<Utc>),
    /// The runner reported a step of a Job.
    Run(Box<RunEvent>),
    /// A committed edit was saved (or refused); `workspace` is the store's copy afterwards.
    Saved {
        result: Result<(), String>,
        workspace: Workspace,
    },
    /// The store's copy changed for another reason (a Credential written back by a run).
    Reloaded(Workspace),
    /// An action could not be carried out, e.g. a run could not start.
    ActionFailed(String),
}

// Actions are few (one per key press at most) and short-lived.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Save(Edit),
    Run(RunRequest),
    /// Refresh this Bearer Token Credential now.
    Refresh(String),
    Cancel(JobId),
    Quit,
}
