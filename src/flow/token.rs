//! Token refreshes inside a run: the single-flight refresh of a business Job (a linked refresh Job
//! of its own, shared with other runs and other processes) and the token request itself, which
//! writes the Credential only when it succeeds.

use super::credentials;
use super::events::RunEventKind;
use super::extract;
use super::refresh::{GateError, RefreshGuard, RefreshReason, still_needed};
use super::request;
use super::runner::{Failure, Runner, credential_target_values, refresh_job_target, refusal};
use super::targets;
use super::tracker::{JobTracker, Sink, add_secrets};
use crate::jobs::{JobStatus, Trigger};
use crate::template;
use crate::workspace::{CredentialAuth, CredentialField, Target};
use tokio_util::sync::CancellationToken;

impl Runner {
    /// Takes the Credential's refresh lock (among this process's runs, then among processes) and
    /// loads what other processes saved meanwhile, so the holder decides on the file's tokens and
    /// a refresh token is never redeemed twice. Refused, before anything is sent, when the file
    /// does not load: the new tokens could not be saved, and a rotated refresh token would be lost.
    pub(super) async fn hold_refresh_lock(
        &self,
        t: &mut JobTracker,
        credential_id: &str,
        cancel: &CancellationToken,
    ) -> Result<RefreshGuard, Failure> {
        let guard = self
            .inner
            .gate
            .acquire(credential_id, cancel, || {
                t.step(format!(
                    "another Payloads process is refreshing Credential {credential_id}: waiting for it"
                ))
            })
            .await
            .map_err(|e| match e {
                GateError::Cancelled => Failure::Cancelled,
                GateError::Failed(reason) => Failure::Failed(reason),
            })?;
        let store = &self.inner.store;
        if store.path().exists() {
            let changed = store.reload().map_err(|d| {
                format!(
                    "{} does not load, so new tokens could not be saved; nothing was sent. Fix it first:\n{d}",
                    store.path().display()
                )
            })?;
            if changed {
                t.emit(RunEventKind::WorkspaceReloaded);
            }
        }
        Ok(guard)
    }

    /// Makes sure the Credential has a usable token, refreshing it under its single-flight lock
    /// unless another run has just done so. Returns whether this run made a token request.
    pub(super) async fn refresh_for(
        &self,
        t: &mut JobTracker,
        credential_id: &str,
        reason: RefreshReason,
        cancel: &CancellationToken,
        sink: &Sink,
    ) -> Result<bool, Failure> {
        let _guard = self.hold_refresh_lock(t, credential_id, cancel).await?;
        let ws = self.inner.store.snapshot();
        let credential = ws
            .credential(credential_id)
            .ok_or_else(|| format!("Credential {credential_id:?} is not in the workspace"))?;
        let now = self.inner.config.clock.now();
        if !still_needed(credential, &reason, now, self.inner.config.margin()) {
            t.step("another run (in this or another Payloads process) has just refreshed the token: using it");
            return Ok(false);
        }
        let (payload_id, integration) = refresh_job_target(&ws, credential_id);
        let mut rt = JobTracker::create(
            self.new_job_id(),
            payload_id,
            integration,
            Trigger::RefreshFor(t.id()),
            Vec::new(),
            sink,
        );
        rt.job.credential = Some(credential.id.clone());
        let refresh_job = rt.id();
        rt.job.linked_job = Some(t.id());
        t.job.linked_job = Some(refresh_job.clone());
        t.step(format!("refresh started (job {refresh_job})"));
        t.emit(RunEventKind::RefreshStarted {
            refresh_job: refresh_job.clone(),
        });
        rt.start();
        let result = self.token_request(&mut rt, credential_id).await;
        let finished = match &result {
            Ok(()) => rt.finish(JobStatus::Succeeded, None, &self.inner.jobs),
            Err(e) => rt.finish(JobStatus::Failed, Some(e.clone()), &self.inner.jobs),
        };
        let ok = finished.status == JobStatus::Succeeded;
        t.step(format!(
            "refresh {} (job {refresh_job})",
            if ok { "succeeded" } else { "failed" }
        ));
        t.emit(RunEventKind::RefreshFinished { refresh_job, ok });
        match result {
            Ok(()) => Ok(true),
            Err(e) => Err(Failure::Failed(format!("token refresh failed: {e}"))),
        }
    }

    /// Runs the Credential's Token Payload in Job `t` and, when it yields an access token, writes
    /// the Data Targets and saves the workspace. On any failure the Credential is left untouched.
    /// Called with the Credential's refresh lock held.
    pub(super) async fn token_request(
        &self,
        t: &mut JobTracker,
        credential_id: &str,
    ) -> Result<(), String> {
        let ws = self.inner.store.snapshot();
        let credential = ws
            .credential(credential_id)
            .ok_or_else(|| format!("Credential {credential_id:?} is not in the workspace"))?;
        let CredentialAuth::BearerToken(bearer) = &credential.auth else {
            return Err(format!(
                "Credential {credential_id} is a {} Credential; only Bearer Token Credentials have tokens to refresh",
                credential.auth.type_name()
            ));
        };
        let payload = ws.payload(&bearer.token_payload).ok_or_else(|| {
            format!(
                "Credential {credential_id}'s Token Payload {:?} is not in the workspace",
                bearer.token_payload
            )
        })?;
        let integration = ws
            .integration(&payload.integration)
            .ok_or_else(|| format!("no Integration {:?} in the workspace", payload.integration))?;
        let resolved = template::resolve_credential(credential)
            .map_err(|e| format!("Credential {credential_id}: {e}"))?;
        add_secrets(&t.redactor, &credentials::credential_secrets(&resolved));
        let inputs = request::resolve_inputs(payload, &[])?;
        let auth = credentials::for_token_request(&resolved, payload.client_auth);
        add_secrets(&t.redactor, &auth.secrets);
        // Once the token request is out, it runs to its end even if the run is cancelled: the
        // server may already have rotated the refresh token, and the new one must be saved.
        let not_cancellable = CancellationToken::new();
        let response = match self
            .send(
                t,
                payload,
                integration,
                Some(&resolved),
                &auth,
                &inputs,
                &ws,
                &not_cancellable,
            )
            .await
        {
            Ok(r) => r,
            Err(Failure::Failed(e)) => return Err(e),
            Err(Failure::Cancelled) => return Err("cancelled".into()),
        };
        if !response.status.is_success() {
            return Err(refusal("the token endpoint", &response));
        }
        let extracted = extract::extract(&payload.response, &response);
        let secret_values = credential_target_values(payload, &extracted);
        add_secrets(&t.redactor, &secret_values);
        t.job.extracted = extracted.values.clone();
        let access = payload
            .targets
            .iter()
            .find(|d| d.target == Target::Credential(CredentialField::AccessToken))
            .ok_or("the Token Payload has no Data Target writing the access token")?;
        // Some servers (GitHub's among them) refuse with a 200 and an OAuth 2 `error` in the
        // body: quote it rather than report a missing token.
        let has_access = extracted
            .get(&access.value)
            .is_some_and(|v| !v.trim().is_empty());
        if !has_access && extract::oauth_error_code(&response).is_some() {
            return Err(refusal("the token endpoint", &response));
        }
        match extracted.get(&access.value) {
            Some(v) if !v.trim().is_empty() => {}
            Some(_) => return Err("the access token in the token response is empty".into()),
            None => {
                let why = extracted
                    .why_missing(&access.value)
                    .unwrap_or("the response model does not read it");
                return Err(format!("no access token in the token response: {why}"));
            }
        }
        let now = self.inner.config.clock.now();
        let applied = self
            .inner
            .store
            .update(|ws| targets::apply(ws, &payload.targets, &extracted, Some(credential_id), now))
            .map_err(|e| format!("the new tokens could not be saved: {e}"))?;
        add_secrets(&t.redactor, &applied.secrets);
        t.job.targets = applied.results;
        t.emit(RunEventKind::TargetsApplied);
        let expiry = self
            .inner
            .store
            .snapshot()
            .credential(credential_id)
            .and_then(|c| match &c.auth {
                CredentialAuth::BearerToken(b) => b.expires_at(),
                _ => None,
            });
        t.step(format!(
            "new tokens saved to {}{}",
            self.inner.store.path().display(),
            expiry
                .map(|at| format!(
                    "; the access token expires at {}",
                    at.format("%Y-%m-%d %H:%M:%S UTC")
                ))
                .unwrap_or_default()
        ));
        t.emit(RunEventKind::WorkspaceSaved);
        Ok(())
    }
}
