//! The one Message enum (everything that can happen to the UI) and the one Action enum
//! (everything the UI asks the event loop to do off the UI thread).

use super::app::BrokenFile;
use super::edits::Edit;
use crate::flow::{LoginPrompt, RunEvent, RunRequest};
use crate::jobs::JobId;
use crate::workspace::Workspace;
use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub enum Message {
    Key(KeyEvent),
    /// Text the terminal pasted (bracketed paste): one piece, newlines and all.
    Paste(String),
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
        workspace: Arc<Workspace>,
    },
    /// The store's copy changed for another reason (a Credential written back by a run).
    Reloaded(Arc<Workspace>),
    /// An action could not be carried out, e.g. a run could not start.
    ActionFailed(String),
    /// A login (Job `job_id`) needs the user: where to go and what code to enter.
    LoginPrompt {
        job_id: JobId,
        prompt: LoginPrompt,
    },
    /// The workspace file was checked after it changed on disk (or after the editor closed).
    FileChecked {
        outcome: FileCheck,
        after_editor: bool,
    },
    /// The editor the user opened with `E` exited (or could not start: the reason).
    EditorClosed(Result<(), String>),
    /// The Jobs history answered a query of the Jobs pane.
    JobsQueried {
        query: crate::jobs::JobQuery,
        rows: Vec<crate::jobs::Job>,
        size: Option<crate::jobs::HistorySize>,
    },
    /// Reading the Jobs history failed: why, and what to do (shown once by the executor).
    HistoryFailed(String),
    /// A Job read in full from the history (None: no longer kept; Err: why it could not be read).
    JobLoaded {
        id: JobId,
        job: Result<Option<Box<crate::jobs::Job>>, String>,
    },
    /// An issuer's discovery metadata was read for the Credential form (or could not be: why).
    Discovered {
        issuer: String,
        result: Result<crate::oauth::discovery::Endpoints, String>,
    },
    /// An export or import finished (or needs an answer: overwrite? rename?).
    Transferred(Box<super::transfer::TransferOutcome>),
    /// The runs of a Payload, counted by the history.
    PayloadStats {
        payload: String,
        stats: Option<Box<crate::jobs::PayloadStats>>,
    },
}

/// What reading the workspace file again found.
#[derive(Debug, Clone)]
pub enum FileCheck {
    /// It loads, and holds what we already show.
    Unchanged,
    /// It loads, with changes: the store's new copy.
    Loaded(Arc<Workspace>),
    /// It does not load; the store keeps the last good copy.
    Broken(BrokenFile),
}

/// Where `E` opens the editor: the line of a record, or a line (the first error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorTarget {
    Record(String),
    Line(usize),
    File,
}

// Actions are few (one per key press at most) and short-lived.
#[expect(
    clippy::large_enum_variant,
    reason = "one per kind, short-lived; unboxed they read better"
)]
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Save(Edit),
    Run(RunRequest),
    /// Refresh this Bearer Token Credential now.
    Refresh(String),
    /// Log in for this Bearer Token Credential's first tokens (its device code or browser login).
    Login(String),
    Cancel(JobId),
    /// Cancel every Job this program started that is still running (before quitting).
    CancelAll,
    /// Hand the terminal to `$VISUAL` / `$EDITOR` on the workspace file, then take it back.
    OpenEditor(EditorTarget),
    /// Read the workspace file again and report what it holds.
    CheckFile {
        after_editor: bool,
    },
    Quit,
    /// Ctrl-C: quit at once (exit status 130).
    Interrupt,
    /// Read the Jobs pane's rows from the history.
    QueryJobs(crate::jobs::JobQuery),
    /// Read one Job in full from the history.
    LoadJob(JobId),
    /// Count a Payload's runs in the history.
    LoadPayloadStats(String),
    /// Read `issuer`'s discovery metadata, with Integration `integration`'s TLS settings.
    Discover {
        integration: String,
        issuer: String,
    },
    /// Put text on the terminal's clipboard: the event loop writes the OSC 52 sequence between
    /// frames, on the terminal ratatui draws on.
    Copy(super::copy::Osc52),
    /// Write Integration `integration`'s export document to `path`.
    Export {
        integration: String,
        path: std::path::PathBuf,
        with_secrets: bool,
        overwrite: bool,
    },
    /// Merge the export document at `path` into the workspace.
    Import {
        path: std::path::PathBuf,
        rename: bool,
    },
}
