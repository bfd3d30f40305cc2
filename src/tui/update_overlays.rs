//! Keys for the windows over the screen (help, error, delete confirmation, Token Payload offer,
//! forms), and what a submitted form commits.

use super::app::{App, Overlay, Pane};
use super::edits::Edit;
use super::forms::{self, Form, FormOutcome, FormPurpose};
use super::message::Action;
use super::view::overlays::help_max_scroll;
use crossterm::event::{KeyCode, KeyEvent};

const HELP_PAGE: isize = 8;

impl App {
    pub(super) fn on_overlay_key(&mut self, key: KeyEvent) -> Vec<Action> {
        let Some(overlay) = self.overlays.pop() else {
            return vec![];
        };
        match overlay {
            Overlay::Help { scroll } => {
                let max = help_max_scroll(self.size.1) as isize;
                let at = scroll as isize;
                let next = match key.code {
                    KeyCode::Char('j') | KeyCode::Down => at + 1,
                    KeyCode::Char('k') | KeyCode::Up => at - 1,
                    KeyCode::PageDown | KeyCode::Char(' ') => at + HELP_PAGE,
                    KeyCode::PageUp => at - HELP_PAGE,
                    KeyCode::Char('g') | KeyCode::Home => 0,
                    KeyCode::Char('G') | KeyCode::End => max,
                    KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::Enter => {
                        return vec![];
                    }
                    _ => at,
                };
                self.overlays.push(Overlay::Help {
                    scroll: next.clamp(0, max) as u16,
                });
            }
            Overlay::OfferReopenEditor { line } => match key.code {
                KeyCode::Enter | KeyCode::Char('e') | KeyCode::Char('E') | KeyCode::Char('y') => {
                    return self.open_editor();
                }
                KeyCode::Esc | KeyCode::Char('n') | KeyCode::Char('q') => {
                    self.note = Some(format!(
                        "kept the last good state: {} is read-only until fixed",
                        self.workspace_label
                    ));
                }
                _ => self.overlays.push(Overlay::OfferReopenEditor { line }),
            },
            Overlay::ConfirmQuit { running } => match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => {
                    self.quit = true;
                    return vec![Action::CancelAll, Action::Quit];
                }
                KeyCode::Char('n') | KeyCode::Esc | KeyCode::Char('q') => {
                    self.note = Some("not quitting: the Jobs go on".into());
                }
                _ => self.overlays.push(Overlay::ConfirmQuit { running }),
            },
            Overlay::Login { job_id, prompt } => match key.code {
                KeyCode::Char('x') => {
                    self.note = Some(format!("cancelling the login (job {job_id})"));
                    return vec![Action::Cancel(job_id)];
                }
                KeyCode::Esc | KeyCode::Char('q') => {
                    self.note = Some(format!(
                        "the login goes on in the Jobs pane (job {job_id}); x there cancels it"
                    ));
                }
                _ => self.overlays.push(Overlay::Login { job_id, prompt }),
            },
            Overlay::Error(text) => {
                if !matches!(
                    key.code,
                    KeyCode::Esc | KeyCode::Enter | KeyCode::Char(' ') | KeyCode::Char('q')
                ) {
                    self.overlays.push(Overlay::Error(text));
                }
            }
            Overlay::ConfirmDelete {
                kind,
                id,
                referrers,
            } => match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => {
                    let pane = self.focus;
                    let at = self.visible_ids(pane).iter().position(|i| *i == id);
                    return match self.commit(Edit::Delete {
                        kind,
                        id: id.clone(),
                    }) {
                        Ok(actions) => {
                            // The row that took its place is selected (the one above, at the end).
                            let ids = self.visible_ids(pane);
                            if let (Some(at), Some(last)) = (at, ids.len().checked_sub(1)) {
                                self.select(pane, ids[at.min(last)].clone());
                            }
                            self.note = Some(format!("deleted {} {id}", kind.label()));
                            actions
                        }
                        Err(e) => {
                            self.overlays.push(Overlay::Error(e));
                            vec![]
                        }
                    };
                }
                KeyCode::Char('n') | KeyCode::Esc | KeyCode::Char('q') => {}
                _ => self.overlays.push(Overlay::ConfirmDelete {
                    kind,
                    id,
                    referrers,
                }),
            },
            Overlay::OfferTokenPayload { payload_id } => match key.code {
                KeyCode::Enter | KeyCode::Char('y') => {
                    if let Some(p) = self.workspace.payload(&payload_id) {
                        let form = forms::payload::edit_form(&self.workspace, p);
                        self.focus = Pane::Payloads;
                        self.select(Pane::Payloads, payload_id);
                        self.open_form(form);
                    }
                }
                KeyCode::Esc | KeyCode::Char('n') => {}
                _ => self
                    .overlays
                    .push(Overlay::OfferTokenPayload { payload_id }),
            },
            Overlay::Form(mut form) => match form.handle_key(key) {
                FormOutcome::Continue => self.overlays.push(Overlay::Form(form)),
                FormOutcome::Cancel => self.note = Some("cancelled: nothing changed".into()),
                FormOutcome::Submit => return self.submit_form(form),
            },
        }
        vec![]
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
            FormPurpose::RunInputs { .. } => None,
        };
        let Some(edit) = edit else {
            self.overlays.push(Overlay::Form(form));
            return vec![];
        };
        match self.commit(edit.clone()) {
            Ok(actions) => {
                self.after_commit(&edit);
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
    fn after_commit(&mut self, edit: &Edit) {
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
                if let Some(p) = token_payload {
                    self.overlays.push(Overlay::OfferTokenPayload {
                        payload_id: p.id.to_string(),
                    });
                }
            }
            Edit::Payload { payload, .. } => {
                self.select(Pane::Integrations, payload.integration.clone());
                self.focus = Pane::Payloads;
                self.select(Pane::Payloads, payload.id.clone());
            }
            Edit::Delete { .. } => {}
        }
    }
}
