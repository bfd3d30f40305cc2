//! The Runner: starts Jobs on tokio tasks and walks the refresh-then-call flow (see "Data flow"
//! in docs/ARCHITECTURE.md): refresh when needed (single flight), save, call, one refresh and
//! one retry on a 401.

use super::config::RunnerConfig;
use super::credentials::{self, AppliedAuth};
use super::events::{RunEvent, RunEventKind, RunRequest};
use super::extract::{self, Extracted};
use super::failure::{Failure, Missing, Refusal};
use super::http::{self, HttpClients, HttpError, HttpResponse};
use super::refresh::{RefreshGate, RefreshReason};
use super::request::{self, RequestParts};
use super::targets;
use super::tracker::{JobTracker, Sink, add_secrets};
use crate::jobs::{Job, JobId, JobStatus, JobStore, Redactor, Trigger, new_job_id};
use crate::template;
use crate::workspace::{
    CredentialAuth, CredentialField, IntegrationId, Payload, PayloadId, PayloadKind, Target,
    Workspace, WorkspaceStore,
};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// A started Job: its id at once, a way to cancel it, and the finished Job (redacted) at the end.
#[derive(Debug)]
pub struct RunHandle {
    pub job_id: JobId,
    pub cancel: CancellationToken,
    pub done: JoinHandle<Job>,
}

#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    #[error("could not set up the HTTP client: {0}")]
    Http(#[from] HttpError),
}

/// A business request ready to go: the resolved Credential, what it applies, the request.
pub(super) struct Prepared {
    credential: Option<crate::workspace::Credential>,
    auth: AppliedAuth,
    request: http::PreparedRequest,
}

/// Runs Payloads against a shared workspace. Cheap to clone; clones share clients and locks.
#[derive(Clone)]
pub struct Runner {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) store: Arc<WorkspaceStore>,
    pub(super) jobs: Arc<JobStore>,
    pub(super) config: RunnerConfig,
    pub(super) http: HttpClients,
    pub(super) gate: RefreshGate,
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("workspace", &self.inner.store.path())
            .finish()
    }
}

impl Runner {
    pub fn new(store: Arc<WorkspaceStore>, jobs: Arc<JobStore>, config: RunnerConfig) -> Runner {
        let http = HttpClients::new(config.connect_timeout);
        let gate = RefreshGate::beside(store.path());
        Runner {
            inner: Arc::new(Inner {
                store,
                jobs,
                config,
                http,
                gate,
            }),
        }
    }

    pub fn store(&self) -> &Arc<WorkspaceStore> {
        &self.inner.store
    }

    pub fn jobs(&self) -> &Arc<JobStore> {
        &self.inner.jobs
    }

    pub fn config(&self) -> &RunnerConfig {
        &self.inner.config
    }

    pub(super) fn sink(&self, workspace: &Workspace, events: UnboundedSender<RunEvent>) -> Sink {
        Sink {
            events,
            clock: self.inner.config.clock.clone(),
            redactor: Arc::new(Mutex::new(Redactor::from_workspace(workspace))),
        }
    }

    pub(super) fn new_job_id(&self) -> JobId {
        new_job_id(self.inner.config.clock.now())
    }

    /// Starts a run of a Payload. Returns at once; the Job is `Queued`, then `Running` on its task.
    pub fn start(&self, req: RunRequest, events: UnboundedSender<RunEvent>) -> RunHandle {
        let workspace = self.inner.store.snapshot();
        let sink = self.sink(&workspace, events);
        let integration = workspace
            .payload(&req.payload_id)
            .map(|p| p.integration.clone())
            .unwrap_or_default();
        let mut tracker = JobTracker::create(
            self.new_job_id(),
            req.payload_id.clone(),
            integration,
            req.trigger.clone(),
            req.inputs.clone(),
            &sink,
        );
        let job_id = tracker.id();
        let cancel = CancellationToken::new();
        let runner = self.clone();
        let token = cancel.clone();
        let done = tokio::spawn(async move {
            tracker.start();
            let outcome = runner.run_payload(&mut tracker, &req, &token, &sink).await;
            runner.finish(tracker, outcome)
        });
        RunHandle {
            job_id,
            cancel,
            done,
        }
    }

    /// Requests new tokens for a Bearer Token Credential now, whatever its expiry says.
    pub fn start_refresh(
        &self,
        credential_id: &str,
        trigger: Trigger,
        events: UnboundedSender<RunEvent>,
    ) -> RunHandle {
        let workspace = self.inner.store.snapshot();
        let sink = self.sink(&workspace, events);
        let (payload, integration) = refresh_job_target(&workspace, credential_id);
        let mut tracker = JobTracker::create(
            self.new_job_id(),
            payload,
            integration,
            trigger,
            Vec::new(),
            &sink,
        );
        tracker.job.credential = Some(credential_id.into());
        let job_id = tracker.id();
        let cancel = CancellationToken::new();
        let runner = self.clone();
        let token = cancel.clone();
        let credential_id = credential_id.to_string();
        let done = tokio::spawn(async move {
            tracker.start();
            let outcome = runner
                .manual_refresh(&mut tracker, &credential_id, &token)
                .await;
            runner.finish(tracker, outcome)
        });
        RunHandle {
            job_id,
            cancel,
            done,
        }
    }

    /// Runs a Payload to its end, without events: for the CLI and tests.
    pub async fn run_to_end(&self, req: RunRequest) -> Job {
        let (events, _) = tokio::sync::mpsc::unbounded_channel();
        let handle = self.start(req, events);
        handle.done.await.expect("the run task does not panic")
    }

    pub(super) fn finish(&self, tracker: JobTracker, outcome: Result<(), Failure>) -> Job {
        let jobs = &self.inner.jobs;
        match outcome {
            Ok(()) => tracker.finish(JobStatus::Succeeded, None, jobs),
            Err(failure @ Failure::Cancelled) => {
                tracker.finish(JobStatus::Cancelled, Some(failure.to_string()), jobs)
            }
            Err(failure) => tracker.finish(JobStatus::Failed, Some(failure.to_string()), jobs),
        }
    }

    async fn manual_refresh(
        &self,
        t: &mut JobTracker,
        credential_id: &str,
        cancel: &CancellationToken,
    ) -> Result<(), Failure> {
        let _guard = self.hold_refresh_lock(t, credential_id, cancel).await?;
        self.token_request(t, credential_id).await?;
        Ok(())
    }

    async fn run_payload(
        &self,
        t: &mut JobTracker,
        req: &RunRequest,
        cancel: &CancellationToken,
        sink: &Sink,
    ) -> Result<(), Failure> {
        let ws = self.inner.store.snapshot();
        let payload = ws
            .payload(&req.payload_id)
            .cloned()
            .ok_or_else(|| Missing::Payload {
                id: req.payload_id.clone(),
                known: ws.payloads.iter().map(|p| p.id.clone()).collect(),
            })?;
        if payload.kind == PayloadKind::Credential {
            // Running a Credential Payload by hand is a refresh of its Credential.
            let credential_id = payload
                .credential
                .clone()
                .ok_or(Missing::CredentialToRefresh)?;
            t.step(format!(
                "requesting new tokens for Credential {credential_id}"
            ));
            return self.manual_refresh(t, &credential_id, cancel).await;
        }
        let integration = ws
            .integration(&payload.integration)
            .cloned()
            .ok_or_else(|| Missing::Integration(payload.integration.clone()))?;
        let inputs = request::resolve_inputs(&payload, &req.inputs).map_err(Failure::Request)?;
        t.job.inputs = inputs.clone();

        let credential_id = payload.credential.clone();
        // Prepared before anything goes out (a token request included): a placeholder with no
        // value stops the run here, naming it. Prepared again only after a refresh changed the
        // Credential.
        let mut prepared = Some(self.prepare(t, &payload, &integration, &inputs, &ws)?);
        let mut refreshed = false;
        if let Some(id) = &credential_id {
            let credential = ws
                .credential(id)
                .ok_or_else(|| Missing::PayloadCredential(id.clone()))?;
            if let CredentialAuth::BearerToken(bearer) = &credential.auth {
                let now = self.inner.config.clock.now();
                if bearer.needs_refresh(now, self.inner.config.margin()) {
                    t.step(match bearer.expires_at() {
                        _ if bearer.access_token.trim().is_empty() => {
                            "the access token is blank: refreshing first".to_string()
                        }
                        Some(at) => format!(
                            "the access token expires at {}: refreshing first",
                            at.format("%Y-%m-%d %H:%M:%S UTC")
                        ),
                        None => "the access token needs a refresh".to_string(),
                    });
                    // Whoever refreshed (this run or another), the Credential may have changed.
                    prepared = None;
                    refreshed = self
                        .refresh_for(t, id, RefreshReason::Expiring, cancel, sink)
                        .await?;
                }
            }
        }

        let mut attempt = 0;
        loop {
            attempt += 1;
            if cancel.is_cancelled() {
                return Err(Failure::Cancelled);
            }
            let ready = match prepared.take() {
                Some(ready) => ready,
                // Read again: a refresh (ours or another run's) may have written the Credential.
                None => {
                    let ws = self.inner.store.snapshot();
                    self.prepare(t, &payload, &integration, &inputs, &ws)?
                }
            };
            if let Some(CredentialAuth::BearerToken(b)) = ready.credential.as_ref().map(|c| &c.auth)
            {
                t.job.token_fingerprint = Some(crate::jobs::token_fingerprint(&b.access_token));
            }
            let response = self.send_prepared(t, &integration, &ready, cancel).await?;
            let bearer_token = ready.credential.as_ref().and_then(|c| match &c.auth {
                CredentialAuth::BearerToken(b) => Some(b.access_token.clone()),
                _ => None,
            });
            if response.status.as_u16() == 401
                && let (Some(id), Some(token)) = (&credential_id, bearer_token)
            {
                if attempt == 1 && !refreshed {
                    t.step("401 Unauthorized: refreshing the token once, then retrying once");
                    self.refresh_for(t, id, RefreshReason::Rejected(token), cancel, sink)
                        .await?;
                    refreshed = true;
                    continue;
                }
                return Err(Failure::RefusedAfterRefresh(Refusal::of(
                    "the server",
                    &response,
                )));
            }
            if !response.status.is_success() {
                return Err(Failure::Refused(Refusal::of("the server", &response)));
            }
            if payload.kind == PayloadKind::Callout {
                self.apply_response(t, &payload, &response, credential_id.as_deref())?;
            }
            return Ok(());
        }
    }

    /// The Payload's Credential resolved (its `{{env.NAME}}` fields filled in), the
    /// authentication it applies, and the request rendered from `ws`; the Credential's secrets
    /// are told to the Job's redactor.
    fn prepare(
        &self,
        t: &mut JobTracker,
        payload: &Payload,
        integration: &crate::workspace::Integration,
        inputs: &[(String, String)],
        ws: &Workspace,
    ) -> Result<Prepared, Failure> {
        let credential = match &payload.credential {
            Some(id) => {
                let c = ws
                    .credential(id)
                    .ok_or_else(|| Missing::PayloadCredential(id.clone()))?;
                let resolved =
                    template::resolve_credential(c).map_err(|error| Failure::Template {
                        credential: id.clone(),
                        error,
                    })?;
                add_secrets(&t.redactor, &credentials::credential_secrets(&resolved));
                Some(resolved)
            }
            None => None,
        };
        let auth = credential
            .as_ref()
            .map(credentials::for_business)
            .unwrap_or_default();
        add_secrets(&t.redactor, &auth.secrets);
        let request = request::build(&RequestParts {
            payload,
            integration,
            credential: credential.as_ref(),
            auth: &auth,
            inputs,
            variables: &ws.variables,
            now: self.inner.config.clock.now(),
            default_timeout: self.inner.config.default_timeout,
        })
        .map_err(Failure::Request)?;
        Ok(Prepared {
            credential,
            auth,
            request,
        })
    }

    /// Builds, records and sends one request; its response is recorded in the Job.
    #[expect(
        clippy::too_many_arguments,
        reason = "the parts of one request, each borrowed"
    )]
    pub(super) async fn send(
        &self,
        t: &mut JobTracker,
        payload: &Payload,
        integration: &crate::workspace::Integration,
        credential: Option<&crate::workspace::Credential>,
        auth: &AppliedAuth,
        inputs: &[(String, String)],
        ws: &Workspace,
        cancel: &CancellationToken,
        journal_for: Option<&str>,
    ) -> Result<HttpResponse, Failure> {
        let request = request::build(&RequestParts {
            payload,
            integration,
            credential,
            auth,
            inputs,
            variables: &ws.variables,
            now: self.inner.config.clock.now(),
            default_timeout: self.inner.config.default_timeout,
        })
        .map_err(Failure::Request)?;
        self.send_request(t, integration, auth, &request, cancel, journal_for)
            .await
    }

    /// Records and sends a prepared request; its response is recorded in the Job.
    async fn send_prepared(
        &self,
        t: &mut JobTracker,
        integration: &crate::workspace::Integration,
        ready: &Prepared,
        cancel: &CancellationToken,
    ) -> Result<HttpResponse, Failure> {
        self.send_request(t, integration, &ready.auth, &ready.request, cancel, None)
            .await
    }

    async fn send_request(
        &self,
        t: &mut JobTracker,
        integration: &crate::workspace::Integration,
        auth: &AppliedAuth,
        prepared: &http::PreparedRequest,
        cancel: &CancellationToken,
        journal_for: Option<&str>,
    ) -> Result<HttpResponse, Failure> {
        let client = self
            .inner
            .http
            .client_for(&integration.tls, auth.certificate.as_ref())?;
        for note in super::tls::notes(&integration.tls, auth.certificate.as_ref()) {
            t.step(note);
        }
        t.job.request = Some(request::record(prepared));
        t.step(format!("sending {} {}", prepared.method, prepared.url));
        t.emit(RunEventKind::RequestSent);
        let result = http::send(&client, prepared, self.inner.config.body_cap, cancel).await;
        let response = result.map_err(|e| self.inner.http.explain(e))?;
        // A token answer goes to the journal before anything else is done with it (even
        // recording it): the server may have rotated the refresh token it spent.
        if let Some(credential_id) = journal_for {
            self.journal_answer(t, credential_id, &response);
        }
        self.record_response(t, &response);
        t.emit(RunEventKind::ResponseReceived {
            status: response.status.as_u16(),
        });
        Ok(response)
    }

    fn record_response(&self, t: &mut JobTracker, response: &HttpResponse) {
        t.add_callout_ms(response.elapsed.as_millis() as u64);
        for redirect in &response.redirects {
            t.step(format!("redirected: {redirect}"));
        }
        t.set_response(response);
        let mut line = format!(
            "answered {} ({}, {} bytes",
            super::failure::status_text(response.status),
            http::version_text(response.version),
            response.body_bytes
        );
        if response.truncated {
            line.push_str(&format!(", first {} kept", response.body.len()));
        }
        line.push(')');
        t.step(line);
        if let Some(why) = &response.undecodable {
            t.step(why.clone());
        }
    }

    /// Reads the response model and writes the Data Targets of a Callout, saving the workspace.
    fn apply_response(
        &self,
        t: &mut JobTracker,
        payload: &Payload,
        response: &HttpResponse,
        credential_id: Option<&str>,
    ) -> Result<(), Failure> {
        let extracted = extract::extract(&payload.response, response);
        t.job.extracted = extracted.values.clone();
        t.note_missing(&extracted.missing);
        for (name, why) in &extracted.missing {
            t.step(format!("response value {name} not read: {why}"));
        }
        if payload.targets.is_empty() {
            return Ok(());
        }
        let secret_values = credential_target_values(payload, &extracted);
        add_secrets(&t.redactor, &secret_values);
        let now = self.inner.config.clock.now();
        let applied = self
            .inner
            .store
            .update(|ws| targets::apply(ws, &payload.targets, &extracted, credential_id, now))
            .map_err(Failure::TargetsNotSaved)?;
        add_secrets(&t.redactor, &applied.secrets);
        t.job.targets = applied.results.clone();
        t.emit(RunEventKind::TargetsApplied);
        t.step(format!("saved {}", self.inner.store.path().display()));
        t.emit(RunEventKind::WorkspaceSaved);
        match applied.first_error() {
            Some(e) => Err(Failure::Target(e)),
            None => Ok(()),
        }
    }
}

/// The Token Payload and Integration a refresh Job of `credential_id` runs: the Credential's
/// Token Payload, or none (an empty id) when the Credential is missing or has no tokens, in which
/// case the Job fails before sending anything. The Credential itself is recorded in its own field.
pub(super) fn refresh_job_target(
    workspace: &Workspace,
    credential_id: &str,
) -> (PayloadId, IntegrationId) {
    match workspace.credential(credential_id) {
        Some(c) => match &c.auth {
            CredentialAuth::BearerToken(b) => (
                b.token_payload.clone(),
                workspace
                    .payload(&b.token_payload)
                    .map(|p| p.integration.clone())
                    .unwrap_or_else(|| c.integration.clone()),
            ),
            _ => (PayloadId::default(), c.integration.clone()),
        },
        None => (PayloadId::default(), IntegrationId::default()),
    }
}

/// Values of the response headed for Credential fields: secrets from the moment they are read.
pub(super) fn credential_target_values(payload: &Payload, extracted: &Extracted) -> Vec<String> {
    payload
        .targets
        .iter()
        .filter(|d| {
            matches!(
                d.target,
                Target::Credential(CredentialField::AccessToken | CredentialField::RefreshToken)
            )
        })
        .filter_map(|d| extracted.get(&d.value).map(str::to_string))
        .collect()
}
