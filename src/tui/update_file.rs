//! The workspace file as a second interface: outside edits loaded (or shown as errors, read-only),
//! `E` handing the file to the user's editor, and quitting while Jobs still run.

use super::app::{App, Overlay, Pane, Screen};
use super::message::{Action, EditorTarget, FileCheck};
use crate::workspace::{CredentialAuth, Payload, PayloadKind};

/// Short enough for the title bar at 80 columns.
const LOADS_AGAIN: &str = "the file loads again: editable";

impl App {
    pub(super) fn on_file_checked(&mut self, outcome: FileCheck, after_editor: bool) {
        match outcome {
            FileCheck::Unchanged => {
                let was_broken = self.broken.take().is_some();
                self.drop_reopen_offer();
                if was_broken {
                    self.note = Some(LOADS_AGAIN.into());
                } else if after_editor {
                    self.note = Some("the file loads: nothing new in it".into());
                }
            }
            FileCheck::Loaded(workspace) => {
                let was_broken = self.broken.take().is_some();
                self.workspace = workspace;
                self.drop_reopen_offer();
                self.note = Some(if after_editor {
                    "loaded your edits".into()
                } else if was_broken {
                    LOADS_AGAIN.into()
                } else {
                    "reloaded: changed on disk".into()
                });
            }
            FileCheck::Broken(broken) => {
                let line = broken.first_line;
                self.broken = Some(broken);
                self.note = Some("the file has errors: read-only".to_string());
                if after_editor {
                    self.drop_reopen_offer();
                    self.overlays.push(Overlay::OfferReopenEditor { line });
                }
            }
        }
    }

    fn drop_reopen_offer(&mut self) {
        self.overlays
            .retain(|o| !matches!(o, Overlay::OfferReopenEditor { .. }));
    }

    pub(super) fn on_editor_closed(&mut self, result: Result<(), String>) -> Vec<Action> {
        if let Err(reason) = result {
            self.overlays.push(Overlay::Error(reason));
        }
        // Whatever the editor did (or even if it never started), the file is read again.
        vec![Action::CheckFile { after_editor: true }]
    }

    /// `E`: the editor at the first error while the file is broken, else at the selected record.
    pub(super) fn open_editor(&mut self) -> Vec<Action> {
        if let Some(broken) = &self.broken {
            let target = broken
                .first_line
                .map_or(EditorTarget::File, EditorTarget::Line);
            return vec![Action::OpenEditor(target)];
        }
        let record = match (&self.screen, self.focus) {
            (Screen::JobDetail { job_id, .. }, _) => {
                self.job(job_id).map(|j| j.payload.to_string())
            }
            (_, Pane::Jobs) => self.selected_job().map(|j| j.payload.to_string()),
            (_, pane) => self.selected_id(pane),
        };
        vec![Action::OpenEditor(
            record.map_or(EditorTarget::File, EditorTarget::Record),
        )]
    }

    /// While the file is broken nothing may write to it; says why and returns true.
    pub(super) fn refuse_if_read_only(&mut self, what: &str) -> bool {
        let Some(broken) = &self.broken else {
            return false;
        };
        let at = broken
            .first_line
            .map(|l| format!(" at line {l}"))
            .unwrap_or_default();
        self.overlays.push(Overlay::Error(format!(
            "Cannot {what}: {} has errors, so it is read-only here.\n\n\
             Payloads never saves over a file that does not load (it may be mid-edit in another \
             editor). Fix the file, or press E to open it{at}; it loads again as soon as it is \
             valid.",
            self.workspace_label
        )));
        true
    }

    /// Whether running this Payload may write to the workspace: a token refresh or Data Targets.
    pub(super) fn run_writes(&self, payload: &Payload) -> bool {
        let bearer = payload
            .credential
            .as_deref()
            .and_then(|c| self.workspace.credential(c))
            .is_some_and(|c| matches!(c.auth, CredentialAuth::BearerToken(_)));
        bearer || !payload.targets.is_empty() || payload.kind == PayloadKind::Credential
    }

    /// `q`: quits at once, or asks first when Jobs are still running.
    pub(super) fn ask_quit(&mut self) -> Vec<Action> {
        let running = self.running_jobs();
        if running == 0 {
            self.quit = true;
            return vec![Action::Quit];
        }
        self.overlays.push(Overlay::ConfirmQuit { running });
        vec![]
    }
}

/// "1 Job is running: quit and cancel it?" / "2 Jobs are running: quit and cancel them?".
pub fn quit_question(running: usize) -> String {
    if running == 1 {
        "1 Job is running: quit and cancel it?".to_string()
    } else {
        format!("{running} Jobs are running: quit and cancel them?")
    }
}
