//! Keys for the windows over the screen (help, error, delete confirmation, Token Payload offer,
//! forms), and what a submitted form commits.

use super::app::{App, Overlay, Pane};
use super::edits::{Edit, RecordKind};
use super::forms::{self, Form, FormOutcome, FormPurpose};
use super::keys::Command;
use super::message::Action;
use crossterm::event::KeyEvent;

impl App {
    /// A key on the window on top: `command` is what the keymap bound it to there.
    pub(super) fn on_overlay_key(
        &mut self,
        command: Option<Command>,
        key: KeyEvent,
    ) -> Vec<Action> {
        let Some(overlay) = self.overlays.pop() else {
            return vec![];
        };
        match (overlay, command) {
            (Overlay::Form(form), command) => return self.on_form_key(form, command, key),
            (Overlay::CopyMenu(menu), command) => return self.on_copy_menu_key(menu, command),
            (Overlay::Query(line), command) => return self.on_query_key(line, command, key),
            (Overlay::Transfer(prompt), command) => {
                return self.on_transfer_key(prompt, command, key);
            }
            (Overlay::ConfirmCopySecret { job_id }, command) => {
                return self.on_confirm_copy_secret(job_id, command);
            }
            (Overlay::Help { mut scroll }, Some(Command::Scroll(step))) => {
                scroll.scroll(step);
                self.overlays.push(Overlay::Help { scroll });
            }
            (Overlay::OfferReopenEditor { .. }, Some(Command::Confirm)) => {
                return self.open_editor();
            }
            (Overlay::OfferReopenEditor { .. }, Some(Command::Dismiss)) => {
                self.note = Some(format!(
                    "kept the last good state: {} is read-only until fixed",
                    self.workspace_label
                ));
            }
            (Overlay::ConfirmQuit { .. }, Some(Command::Confirm)) => {
                self.quit = true;
                return vec![Action::CancelAll, Action::Quit];
            }
            (Overlay::ConfirmQuit { .. }, Some(Command::Dismiss)) => {
                self.note = Some("not quitting: the Jobs go on".into());
            }
            (Overlay::Login { job_id, .. }, Some(Command::CancelJob)) => {
                self.note = Some(format!("cancelling the login (job {job_id})"));
                return vec![Action::Cancel(job_id)];
            }
            (Overlay::Login { job_id, .. }, Some(Command::Dismiss)) => {
                self.note = Some(format!(
                    "the login goes on in the Jobs pane (job {job_id}); x there cancels it"
                ));
            }
            (Overlay::ConfirmDelete { kind, id, .. }, Some(Command::Confirm)) => {
                return self.delete(kind, id);
            }
            (Overlay::OfferTokenPayload { payload_id }, Some(Command::Confirm)) => {
                if let Some(p) = self.workspace.payload(&payload_id) {
                    let form = forms::payload::edit_form(&self.workspace, p);
                    self.focus = Pane::Payloads;
                    self.select(Pane::Payloads, payload_id);
                    self.open_form(form);
                }
            }
            (
                Overlay::Help { .. }
                | Overlay::Error(_)
                | Overlay::ConfirmDelete { .. }
                | Overlay::OfferTokenPayload { .. },
                Some(Command::Dismiss),
            ) => {}
            // Any other key leaves the window as it is.
            (overlay, _) => self.overlays.push(overlay),
        }
        vec![]
    }

    fn on_form_key(
        &mut self,
        mut form: Box<Form>,
        command: Option<Command>,
        key: KeyEvent,
    ) -> Vec<Action> {
        match command {
            Some(Command::FollowLink) => return self.follow_from_form(form),
            Some(Command::Discover) => return self.discover(form),
            _ => {}
        }
        let was_on_curl = form.focused().key == forms::FieldKey::Curl;
        match form.handle(command, key) {
            FormOutcome::Continue => {
                // Leaving a pasted curl command reads it into the form.
                if was_on_curl && form.focused().key != forms::FieldKey::Curl {
                    forms::payload::read_curl(&mut form, &self.workspace);
                }
                self.overlays.push(Overlay::Form(form))
            }
            FormOutcome::Cancel => self.note = Some("cancelled: nothing changed".into()),
            FormOutcome::Submit => return self.submit_form(form),
        }
        vec![]
    }

    fn delete(&mut self, kind: RecordKind, id: String) -> Vec<Action> {
        if kind == RecordKind::Variable {
            return self.delete_variable(id);
        }
        let pane = self.focus;
        let at = self.visible_ids(pane).iter().position(|i| *i == id);
        let named = super::edits::named_record(&self.workspace, kind, &id);
        match self.commit(Edit::Delete {
            kind,
            id: id.clone(),
        }) {
            Ok(actions) => {
                // The row that took its place is selected (the one above, at the end).
                let ids = self.visible_ids(pane);
                if let (Some(at), Some(last)) = (at, ids.len().checked_sub(1)) {
                    self.select(pane, ids[at.min(last)].clone());
                }
                self.note = Some(format!("deleted {} {named}", kind.label()));
                actions
            }
            Err(e) => {
                self.overlays.push(Overlay::Error(e));
                vec![]
            }
        }
    }

    /// Deletes a Variable; the one that took its place in the Variables view is selected.
    fn delete_variable(&mut self, name: String) -> Vec<Action> {
        let at = self.workspace.variables.iter().position(|v| v.name == name);
        match self.commit(Edit::Delete {
            kind: RecordKind::Variable,
            id: name.clone(),
        }) {
            Ok(actions) => {
                let vars = &self.workspace.variables;
                if let (Some(at), Some(last)) = (at, vars.len().checked_sub(1)) {
                    self.variable_selected = Some(vars[at.min(last)].name.clone());
                }
                self.note = Some(format!("deleted Variable {name}"));
                actions
            }
            Err(e) => {
                self.overlays.push(Overlay::Error(e));
                vec![]
            }
        }
    }

    fn submit_form(&mut self, mut form: Box<Form>) -> Vec<Action> {
        if let FormPurpose::RunInputs { .. } = form.purpose {
            return match forms::run_inputs::submit(&mut form) {
                Some(request) => self.start_run(request),
                None => {
                    self.overlays.push(Overlay::Form(form));
                    vec![]
                }
            };
        }
        let edit = match &form.purpose {
            FormPurpose::Integration { .. } => {
                forms::integration::submit(&mut form, &self.workspace)
            }
            FormPurpose::Credential { .. } => forms::credential::submit(&mut form, &self.workspace),
            FormPurpose::Payload { .. } => forms::payload::submit(&mut form, &self.workspace),
            FormPurpose::Variable { .. } => forms::variable::submit(&mut form, &self.workspace),
            FormPurpose::RunInputs { .. } => None,
        };
        let Some(edit) = edit else {
            self.overlays.push(Overlay::Form(form));
            return vec![];
        };
        // Only a Token Payload the save creates is offered for editing (the Credential form
        // may also change the one it has).
        let new_token_payload = matches!(&edit, Edit::Credential { token_payload: Some(p), .. }
            if self.workspace.payload(&p.id).is_none());
        match self.commit(edit.clone()) {
            Ok(actions) => {
                self.after_commit(&edit, new_token_payload);
                actions
            }
            Err(e) => {
                form.error = Some(e);
                self.overlays.push(Overlay::Form(form));
                vec![]
            }
        }
    }

    /// Selects what was just saved, and offers a new Token Payload for editing.
    fn after_commit(&mut self, edit: &Edit, new_token_payload: bool) {
        match edit {
            Edit::Integration { integration, .. } => {
                self.focus = Pane::Integrations;
                self.select(Pane::Integrations, integration.id.clone());
            }
            Edit::Credential {
                credential,
                token_payload,
                ..
            } => {
                self.select(Pane::Integrations, credential.integration.clone());
                self.focus = Pane::Credentials;
                self.select(Pane::Credentials, credential.id.clone());
                if let Some(p) = token_payload.as_ref().filter(|_| new_token_payload) {
                    self.overlays.push(Overlay::OfferTokenPayload {
                        payload_id: p.id.to_string(),
                    });
                }
            }
            Edit::Payload { payload, .. } | Edit::PayloadWithCredential { payload, .. } => {
                self.select(Pane::Integrations, payload.integration.clone());
                self.focus = Pane::Payloads;
                self.select(Pane::Payloads, payload.id.clone());
            }
            Edit::Variable { variable, .. } => {
                self.screen = super::app::Screen::Variables;
                self.select_variable(variable.name.clone());
            }
            Edit::Delete { .. } => {}
        }
    }
}
