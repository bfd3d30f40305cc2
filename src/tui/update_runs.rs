//! The runs the TUI starts and follows: `r`, `R`, `L` and `x` on the selection turned into
//! Actions (refused while the file is read-only when they would write to it), and the run events
//! coming back folded into the Jobs list, the note and the error popup.

use super::app::{App, Overlay, Pane, Screen};
use super::forms;
use super::message::Action;
use crate::flow::{RunEvent, RunEventKind, RunRequest};
use crate::jobs::{JobStatus, Trigger};
use crate::workspace::{CredentialAuth, PayloadKind};

impl App {
    pub(super) fn on_run_event(&mut self, event: RunEvent) {
        // The event is usually the Job's only holder by now: it moves in without a copy.
        let job = std::sync::Arc::unwrap_or_clone(event.job);
        self.on_live_job(&job);
        let user_started = matches!(
            job.trigger,
            Trigger::Tui | Trigger::ManualRefresh | Trigger::Login
        );
        let at = match self.jobs.iter().position(|j| j.id == job.id) {
            Some(at) => {
                self.jobs[at] = job;
                at
            }
            None => {
                if self.select_next_job && user_started {
                    self.select_next_job = false;
                    self.note_follows = Some(job.id.clone());
                    self.select(Pane::Jobs, job.id.to_string());
                }
                self.jobs.insert(0, job);
                0
            }
        };
        let job = &self.jobs[at];
        if event.kind == RunEventKind::Finished && self.note_follows.as_deref() == Some(&job.id) {
            self.note_follows = None;
            self.note = Some(match job.status {
                JobStatus::Failed => format!(
                    "{} failed: {}",
                    job.payload,
                    job.error.as_deref().unwrap_or("no reason given")
                ),
                // A success that found nothing for some expected values says so, the names
                // early: at 80 columns the note has about 30.
                JobStatus::Succeeded if !job.missing_names().is_empty() => format!(
                    "{}: not found: {}",
                    job.payload,
                    job.missing_names().join(", ")
                ),
                status => format!("{} {}", job.payload, status.label()),
            });
        }
        if event.kind == RunEventKind::Finished && user_started && job.status == JobStatus::Failed {
            let reason = job.error.as_deref().unwrap_or("no reason given");
            self.overlays.push(Overlay::Error(format!(
                "{} failed: {reason}\n\nEnter on the Job in the Jobs pane shows the whole run.",
                job.payload
            )));
        }
    }

    pub(super) fn run_selection(&mut self) -> Vec<Action> {
        match self.focus {
            Pane::Payloads => {
                let Some(payload) = self.selected_payload().cloned() else {
                    self.note = Some("no Payload selected".into());
                    return vec![];
                };
                self.run_payload(&payload.id, None)
            }
            Pane::Jobs => {
                let Some(job) = self.selected_job().cloned() else {
                    return vec![];
                };
                if matches!(
                    job.trigger,
                    Trigger::RefreshFor(_) | Trigger::ManualRefresh | Trigger::Login
                ) && let Some(credential) = self
                    .workspace
                    .payload(&job.payload)
                    .and_then(|p| p.credential.clone())
                {
                    return self.refresh(&credential);
                }
                self.run_payload(&job.payload, Some(&job.inputs))
            }
            _ => {
                self.note = Some("r runs the selected Payload: Tab to Payloads".into());
                vec![]
            }
        }
    }

    pub(super) fn run_payload(
        &mut self,
        payload_id: &str,
        previous: Option<&[(String, String)]>,
    ) -> Vec<Action> {
        let Some(payload) = self.workspace.payload(payload_id).cloned() else {
            self.note = Some(format!("the Payload {payload_id} no longer exists"));
            return vec![];
        };
        if payload.kind == PayloadKind::Credential
            && let Some(credential) = payload.credential.clone()
        {
            return self.refresh(&credential);
        }
        if self.run_writes(&payload)
            && self.refuse_if_read_only(&format!(
                "run {}, which may write a token or Data Targets to the file",
                payload.id
            ))
        {
            return vec![];
        }
        if payload.inputs.is_empty() {
            return self.start_run(RunRequest {
                payload_id: payload.id.clone(),
                inputs: vec![],
                trigger: Trigger::Tui,
            });
        }
        let mut form = forms::run_inputs::form(&payload);
        if let Some(previous) = previous {
            for field in &mut form.fields {
                if let Some((_, v)) = previous.iter().find(|(k, _)| *k == field.label) {
                    *field = forms::Field::line(forms::FieldKey::Input, &field.label, v)
                        .hint(&field.hint);
                }
            }
            // The replaced fields lost the cursor: give it back to the first.
            form.focus_field(0);
        }
        self.open_form(form);
        vec![]
    }

    pub(super) fn start_run(&mut self, request: RunRequest) -> Vec<Action> {
        self.select_next_job = true;
        self.note = Some(format!("running {}", request.payload_id));
        vec![Action::Run(request)]
    }

    pub(super) fn refresh(&mut self, credential_id: &str) -> Vec<Action> {
        match self.workspace.credential(credential_id).map(|c| &c.auth) {
            Some(CredentialAuth::BearerToken(_)) => {
                if self.refuse_if_read_only(&format!(
                    "refresh {credential_id}: its new tokens are saved to the file"
                )) {
                    return vec![];
                }
                self.select_next_job = true;
                self.note = Some(format!("refreshing {credential_id}"));
                vec![Action::Refresh(credential_id.to_string())]
            }
            Some(_) => {
                self.note = Some(format!(
                    "{credential_id} is not a Bearer Token Credential: nothing to refresh"
                ));
                vec![]
            }
            None => {
                self.note = Some(format!("no Credential {credential_id}"));
                vec![]
            }
        }
    }

    pub(super) fn refresh_selection(&mut self) -> Vec<Action> {
        let credential = match self.focus {
            Pane::Credentials => self.selected_id(Pane::Credentials),
            Pane::Payloads => self
                .selected_payload()
                .and_then(|p| p.credential.as_deref().map(str::to_string)),
            _ => None,
        };
        match credential {
            Some(id) => self.refresh(&id),
            None => {
                self.note =
                    Some("R refreshes the selected Credential (or the selected Payload's)".into());
                vec![]
            }
        }
    }

    /// `L`: a login for the selected Credential (or the selected Payload's), when it has one.
    pub(super) fn login_selection(&mut self) -> Vec<Action> {
        let credential = match self.focus {
            Pane::Credentials => self.selected_id(Pane::Credentials),
            Pane::Payloads => self
                .selected_payload()
                .and_then(|p| p.credential.as_deref().map(str::to_string)),
            _ => None,
        };
        let Some(id) = credential else {
            self.note =
                Some("L logs in for the selected Credential (or the selected Payload's)".into());
            return vec![];
        };
        match self.workspace.credential(&id).map(|c| &c.auth) {
            Some(CredentialAuth::BearerToken(b)) if b.login.is_some() => {
                if self.refuse_if_read_only(&format!(
                    "log in for {id}: its tokens are saved to the file"
                )) {
                    return vec![];
                }
                self.select_next_job = true;
                self.note = Some(format!("logging in for {id}"));
                vec![Action::Login(id.to_string())]
            }
            Some(CredentialAuth::BearerToken(_)) => {
                self.note = Some(format!(
                    "{id} has no login (a device code or browser login): see docs/workspace-format.md"
                ));
                vec![]
            }
            Some(_) => {
                self.note = Some(format!("{id} is not a Bearer Token Credential: no login"));
                vec![]
            }
            None => {
                self.note = Some(format!("no Credential {id}"));
                vec![]
            }
        }
    }

    pub(super) fn cancel_selection(&mut self) -> Vec<Action> {
        let job = match (&self.screen, self.focus) {
            (Screen::JobDetail { job_id, .. }, _) => self.job(job_id),
            (_, Pane::Jobs) => self.selected_job(),
            _ => {
                self.note = Some("x cancels the selected running Job: Tab to Jobs".into());
                return vec![];
            }
        };
        match job {
            Some(job) if !job.status.is_finished() => {
                // A refresh is cancelled through the run it was started for.
                let id = match &job.trigger {
                    Trigger::RefreshFor(parent) => parent.clone(),
                    _ => job.id.clone(),
                };
                self.note = Some(format!("cancelling {id}"));
                self.note_follows = Some(id.clone());
                vec![Action::Cancel(id)]
            }
            Some(job) => {
                self.note = Some(format!("that Job already {}", job.status.label()));
                vec![]
            }
            None => vec![],
        }
    }
}
