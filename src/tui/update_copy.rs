//! The copy keys: `y` in a Job's detail (the response body) and on a Payload (as curl), `Y` in a
//! Job's detail (a menu: body, request as curl, URL, one response value, the access token after
//! a yes). Each ends as an `Action::Copy` the event loop writes between frames, and a status line
//! saying what went and how many bytes.

use super::app::{App, Overlay, Pane, Screen};
use super::copy::{self, Clip, ClipKind};
use super::keys::Command;
use super::message::Action;
use crate::jobs::{Job, JobId};
use crate::workspace::{CredentialAuth, Payload};

/// A row of the `Y` menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyChoice {
    Body,
    RequestCurl,
    Url,
    /// An extracted response value, by name.
    Value(String),
    /// The access token of the Job's Bearer Token Credential (asks first).
    AccessToken,
}

impl CopyChoice {
    pub fn label(&self) -> String {
        match self {
            CopyChoice::Body => "the response body".into(),
            CopyChoice::RequestCurl => "the request as curl".into(),
            CopyChoice::Url => "the URL".into(),
            CopyChoice::Value(name) => format!("the response value {name}"),
            CopyChoice::AccessToken => "the access token (a secret: asks first)".into(),
        }
    }
}

/// The open `Y` menu: its rows and the one under the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyMenu {
    pub job_id: JobId,
    pub choices: Vec<CopyChoice>,
    pub selected: usize,
}

impl App {
    /// What the `Y` menu offers for `job`: only what the Job has.
    pub fn copy_choices(&self, job: &Job) -> Vec<CopyChoice> {
        let mut choices = Vec::new();
        if job.response.as_ref().is_some_and(|r| !r.body.is_empty()) {
            choices.push(CopyChoice::Body);
        }
        if self.workspace.payload(&job.payload).is_some() {
            choices.push(CopyChoice::RequestCurl);
        }
        if job.request.is_some() {
            choices.push(CopyChoice::Url);
        }
        choices.extend(
            job.extracted
                .iter()
                .map(|(name, _)| CopyChoice::Value(name.clone())),
        );
        if self.job_access_token(job).is_some() {
            choices.push(CopyChoice::AccessToken);
        }
        choices
    }

    /// The Job of the Job detail on screen, once its full record is read.
    fn detail_job(&mut self) -> Option<Job> {
        let Screen::JobDetail { job_id, .. } = &self.screen else {
            return None;
        };
        let id = job_id.clone();
        if self.job_is_partial(&id) {
            self.note = Some("the Job is still being read: copy again in a moment".into());
            return None;
        }
        if self.job(&id).is_none() {
            self.note = Some(format!("Job {id} is no longer kept"));
        }
        self.job(&id).cloned()
    }

    /// `y` on a screen: the response body in a Job's detail, a Payload as curl elsewhere.
    pub(super) fn copy_key(&mut self) -> Vec<Action> {
        if let Screen::JobDetail { .. } = self.screen {
            let Some(job) = self.detail_job() else {
                return vec![];
            };
            return match self.job_clip(&job, &CopyChoice::Body) {
                Ok(clip) => self.copy(clip),
                Err(why) => self.refuse(why),
            };
        }
        if self.focus != Pane::Payloads {
            self.note = Some("y copies a Payload as curl (Payloads pane) or a Job's body".into());
            return vec![];
        }
        let Some(payload) = self.selected_payload().cloned() else {
            return self.refuse("no Payload selected".into());
        };
        match self.payload_curl(&payload, None) {
            Ok(text) => self.copy(Clip::new(ClipKind::PayloadCurl, text).named(&*payload.id)),
            Err(why) => self.refuse(why),
        }
    }

    /// `Y` in a Job's detail: the menu of what can be copied.
    pub(super) fn open_copy_menu(&mut self) {
        let Some(job) = self.detail_job() else {
            return;
        };
        let job_id = job.id.clone();
        let choices = self.copy_choices(&job);
        if choices.is_empty() {
            self.note = Some("nothing in this Job to copy yet".into());
            return;
        }
        self.overlays.push(Overlay::CopyMenu(CopyMenu {
            job_id,
            choices,
            selected: 0,
        }));
    }

    /// A key in the `Y` menu.
    pub(super) fn on_copy_menu_key(
        &mut self,
        mut menu: CopyMenu,
        command: Option<Command>,
    ) -> Vec<Action> {
        use super::scroll::Scroll;
        match command {
            Some(Command::Scroll(Scroll::Down)) => {
                menu.selected = (menu.selected + 1).min(menu.choices.len().saturating_sub(1));
            }
            Some(Command::Scroll(Scroll::Up)) => menu.selected = menu.selected.saturating_sub(1),
            Some(Command::Confirm) => {
                let Some(choice) = menu.choices.get(menu.selected).cloned() else {
                    return vec![];
                };
                let Some(job) = self.job(&menu.job_id).cloned() else {
                    return self.refuse(format!("Job {} is no longer kept", menu.job_id));
                };
                if choice == CopyChoice::AccessToken {
                    // A secret leaves only on a second, explicit yes.
                    self.overlays
                        .push(Overlay::ConfirmCopySecret { job_id: job.id });
                    return vec![];
                }
                return match self.job_clip(&job, &choice) {
                    Ok(clip) => self.copy(clip),
                    Err(why) => self.refuse(why),
                };
            }
            Some(Command::Dismiss) => return vec![],
            _ => {}
        }
        self.overlays.push(Overlay::CopyMenu(menu));
        vec![]
    }

    /// A key on "copy the access token?".
    pub(super) fn on_confirm_copy_secret(
        &mut self,
        job_id: JobId,
        command: Option<Command>,
    ) -> Vec<Action> {
        match command {
            Some(Command::Confirm) => {
                let token = self.job(&job_id).and_then(|j| self.job_access_token(j));
                match token {
                    Some((credential, token)) => {
                        self.copy(Clip::new(ClipKind::AccessToken, token).named(credential))
                    }
                    None => self.refuse("the Credential has no access token now".into()),
                }
            }
            Some(Command::Dismiss) => {
                self.note = Some("the access token was not copied".into());
                vec![]
            }
            _ => {
                self.overlays.push(Overlay::ConfirmCopySecret { job_id });
                vec![]
            }
        }
    }

    /// The text a menu row copies from `job`, or why it cannot.
    fn job_clip(&self, job: &Job, choice: &CopyChoice) -> Result<Clip, String> {
        match choice {
            CopyChoice::Body => {
                let Some(response) = job.response.as_ref().filter(|r| !r.body.is_empty()) else {
                    return Err("this Job has no response body".into());
                };
                if response.truncated {
                    return Err(format!(
                        "only the first {} of the body's {} bytes were kept: \
                         not copied, as a cut body would mislead",
                        copy::grouped(response.body.len()),
                        copy::grouped(response.body_bytes as usize)
                    ));
                }
                Ok(Clip::new(ClipKind::ResponseBody, response.body.clone()))
            }
            CopyChoice::RequestCurl => {
                let Some(payload) = self.workspace.payload(&job.payload) else {
                    return Err(format!(
                        "the Payload {} is no longer in the file",
                        job.payload
                    ));
                };
                let text = self.payload_curl(payload, Some(&job.inputs))?;
                Ok(Clip::new(ClipKind::RequestCurl, text).named(job.payload.to_string()))
            }
            CopyChoice::Url => match &job.request {
                Some(request) => Ok(Clip::new(ClipKind::Url, request.url.clone())),
                None => Err("this Job sent no request".into()),
            },
            CopyChoice::Value(name) => job
                .extracted
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, value)| Clip::new(ClipKind::ResponseValue, value.clone()).named(name))
                .ok_or_else(|| format!("this Job has no value {name}")),
            CopyChoice::AccessToken => Err("the access token asks first".into()),
        }
    }

    /// The Credential a Job used: a refresh Job names it; a business call's Job is read through
    /// its Payload's Credential.
    pub fn job_credential<'a>(&'a self, job: &'a Job) -> Option<&'a str> {
        match job.credential.as_deref() {
            Some(id) => Some(id),
            None => self.workspace.payload(&job.payload)?.credential.as_deref(),
        }
    }

    /// The access token of the Job's Credential as the file holds it now (`{{env.NAME}}`
    /// resolved), when it is a Bearer Token Credential with one.
    fn job_access_token(&self, job: &Job) -> Option<(String, String)> {
        let id = self.job_credential(job)?;
        let credential = self.workspace.credential(id)?;
        let CredentialAuth::BearerToken(_) = &credential.auth else {
            return None;
        };
        let resolved = crate::template::resolve_credential(credential).ok()?;
        match resolved.auth {
            CredentialAuth::BearerToken(b) if !b.access_token.is_empty() => {
                Some((id.to_string(), b.access_token))
            }
            _ => None,
        }
    }

    /// `payload` as curl, with `inputs` (a Job's), else those of its latest run, else defaults.
    fn payload_curl(
        &self,
        payload: &Payload,
        inputs: Option<&[(String, String)]>,
    ) -> Result<String, String> {
        let latest = || {
            self.jobs
                .iter()
                .find(|j| j.payload == payload.id && !j.inputs.is_empty())
                .map(|j| j.inputs.as_slice())
        };
        let given: Vec<(String, String)> = inputs
            .or_else(latest)
            .unwrap_or_default()
            .iter()
            .filter(|(name, _)| payload.inputs.iter().any(|i| &i.name == name))
            .cloned()
            .collect();
        if let Some(missing) = payload
            .inputs
            .iter()
            .find(|i| i.default.is_none() && !given.iter().any(|(n, _)| *n == i.name))
        {
            return Err(format!(
                "{} needs the input {} (no default, no earlier run to take it from): \
                 r runs it, then y copies it with those inputs",
                payload.id, missing.name
            ));
        }
        let inputs = crate::flow::request::resolve_inputs(payload, &given)?;
        crate::flow::curl::payload_command(
            &self.workspace,
            payload,
            &inputs,
            crate::flow::RunnerConfig::default().default_timeout,
            false,
        )
    }

    fn refuse(&mut self, why: String) -> Vec<Action> {
        self.note = Some(format!("not copied: {why}"));
        vec![]
    }

    /// Encodes `clip` for the terminal and says what happened on the status line.
    fn copy(&mut self, clip: Clip) -> Vec<Action> {
        let sequence = copy::osc52(&clip.text);
        self.note = Some(copy::status(&clip, &sequence));
        sequence.map(Action::Copy).into_iter().collect()
    }
}
