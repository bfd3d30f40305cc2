//! Every key the TUI knows, in one place: the help overlay lists these tables and the footer picks
//! the ones that work where the cursor is.

use super::app::{App, Overlay, Pane, Screen};
use super::forms::FieldInput;
use crate::workspace::{CredentialAuth, PayloadKind};

/// A key (or keys) and what it does.
pub type Binding = (&'static str, &'static str);

pub const NAVIGATION: &[Binding] = &[
    ("Tab / Shift-Tab", "next / previous pane"),
    ("j k / ↓ ↑", "move the selection"),
    ("g / G", "first / last"),
    ("PgUp / PgDn", "a page up / down"),
    ("Enter", "open the selection (Job detail, record detail)"),
    ("Esc", "back; clears the filter"),
    ("/", "filter the pane (Enter keeps, Esc clears)"),
    ("?", "this help"),
    (
        "q / Ctrl-C",
        "quit (q closes a detail screen or popup first)",
    ),
];

pub const RECORDS: &[Binding] = &[
    ("n", "new Integration / Credential / Payload"),
    ("e", "edit the selection"),
    ("D", "duplicate the selection"),
    ("d", "delete the selection (asks first)"),
    ("E", "open the file in $EDITOR at the selection"),
];

pub const RUNS: &[Binding] = &[
    ("r", "run the selected Payload (on a Job: run again)"),
    ("R", "refresh the selected Credential's token now"),
    ("L", "log in for the selected Credential's tokens"),
    ("x", "cancel the selected running Job"),
];

pub const FORMS: &[Binding] = &[
    ("Tab / Shift-Tab", "next / previous field"),
    ("Enter / ↓ ↑", "next / previous field (one-line fields)"),
    ("← → / Space", "pick a choice"),
    ("Ctrl-R", "reveal / hide a secret"),
    ("Ctrl-S", "save"),
    ("Esc", "cancel (asks first when something was changed)"),
];

pub const DETAIL: &[Binding] = &[
    ("j k / PgUp PgDn / g G", "scroll"),
    ("l", "jump to the linked Job (Job detail)"),
    ("Esc", "back"),
];

pub fn help_sections() -> [(&'static str, &'static [Binding]); 5] {
    [
        ("Moving around", NAVIGATION),
        ("Records", RECORDS),
        ("Runs", RUNS),
        ("In a form", FORMS),
        ("Detail screens", DETAIL),
    ]
}

/// The keys that work right now, most useful first; the footer shows as many as fit.
pub fn footer(app: &App) -> Vec<Binding> {
    if let Some(overlay) = app.top_overlay() {
        return match overlay {
            Overlay::Help { .. } => vec![("Esc", "close"), ("j/k PgUp/PgDn", "scroll")],
            Overlay::OfferReopenEditor { .. } => {
                vec![("Enter/e", "reopen the editor"), ("Esc", "keep last good")]
            }
            Overlay::ConfirmQuit { .. } => vec![("y", "quit, cancel Jobs"), ("n/Esc", "stay")],
            Overlay::Error(_) => vec![("Enter/Esc", "dismiss")],
            Overlay::Login { .. } => vec![("x", "cancel the login"), ("Esc", "hide, keep waiting")],
            Overlay::ConfirmDelete { .. } => vec![("y", "delete"), ("n/Esc", "keep it")],
            Overlay::OfferTokenPayload { .. } => vec![("Enter", "open it"), ("Esc", "later")],
            Overlay::Form(form) => {
                let mut keys = vec![];
                if form.enter_submits {
                    keys.push(("Enter", "run"));
                } else {
                    keys.push(("Ctrl-S", "save"));
                }
                keys.push(("Esc", "cancel"));
                keys.push(("Tab", "next field"));
                match &form.focused().input {
                    FieldInput::Choice { .. } => keys.push(("←/→", "choose")),
                    FieldInput::Text(t) if t.is_secret() => keys.push(("Ctrl-R", "reveal")),
                    FieldInput::Text(t) if t.is_multiline() => keys.push(("Enter", "new line")),
                    FieldInput::Text(_) => {}
                }
                keys
            }
        };
    }
    if app.filter_editing {
        return vec![("type", "filter"), ("Enter", "keep"), ("Esc", "clear")];
    }
    match &app.screen {
        Screen::JobDetail { job_id, .. } => {
            let mut keys = vec![("Esc", "back"), ("j/k PgUp/PgDn", "scroll")];
            if let Some(job) = app.job(job_id) {
                if job.linked_job.is_some() {
                    keys.push(("l", "linked Job"));
                }
                if !job.status.is_finished() {
                    keys.push(("x", "cancel"));
                }
            }
            keys
        }
        Screen::RecordDetail { .. } => {
            let mut keys = fix_file_key(app);
            keys.extend([("Esc", "back"), ("j/k", "scroll"), ("e", "edit")]);
            keys.extend(run_keys(app));
            if app.broken.is_none() {
                keys.push(("E", "$EDITOR"));
            }
            keys
        }
        Screen::Main => {
            let mut keys = fix_file_key(app);
            keys.extend([("Tab", "pane"), ("j/k", "move")]);
            keys.extend(run_keys(app));
            match app.focus {
                Pane::Jobs => {
                    keys.push(("Enter", "open"));
                }
                _ => keys.extend([
                    ("Enter", "open"),
                    ("n", "new"),
                    ("e", "edit"),
                    ("d", "delete"),
                    ("D", "duplicate"),
                ]),
            }
            keys.push(("/", "filter"));
            keys.push(("q", "quit"));
            if app.broken.is_none() {
                keys.push(("E", "$EDITOR"));
            }
            keys
        }
    }
}

/// While the file is broken, the way to fix it comes first.
fn fix_file_key(app: &App) -> Vec<Binding> {
    if app.broken.is_some() {
        vec![("E", "fix the file")]
    } else {
        vec![]
    }
}

/// `r`, `R`, `x` where they apply to the selection.
fn run_keys(app: &App) -> Vec<Binding> {
    let mut keys = vec![];
    match app.focus {
        Pane::Payloads => {
            if let Some(p) = app.selected_payload() {
                // While the file is broken, runs that would write to it are refused.
                if app.broken.is_some() && app.run_writes(p) {
                    return keys;
                }
                keys.push(("r", "run"));
                let bearer = p
                    .credential
                    .as_deref()
                    .and_then(|c| app.workspace.credential(c))
                    .is_some_and(|c| matches!(c.auth, CredentialAuth::BearerToken(_)));
                if bearer || p.kind == PayloadKind::Credential {
                    keys.push(("R", "refresh token"));
                }
            }
        }
        Pane::Credentials => {
            if app.broken.is_none()
                && app
                    .selected_credential()
                    .is_some_and(|c| matches!(c.auth, CredentialAuth::BearerToken(_)))
            {
                keys.push(("R", "refresh now"));
            }
        }
        Pane::Jobs => {
            if let Some(job) = app.selected_job() {
                if !job.status.is_finished() {
                    keys.push(("x", "cancel"));
                }
                keys.push(("r", "run again"));
            }
        }
        Pane::Integrations => {}
    }
    keys
}
