//! Token refreshes inside a run: the single-flight refresh of a business Job (a linked refresh Job
//! of its own, shared with other runs and other processes) and the token request itself, which
//! writes the Credential only when it succeeds.

use super::credentials;
use super::events::RunEventKind;
use super::extract;
use super::failure::{BearerOnly, Failure, Missing, Refusal, status_text};
use super::http::HttpResponse;
use super::refresh::{GateError, RefreshGuard, RefreshReason, still_needed};
use super::request;
use super::runner::{Runner, credential_target_values, refresh_job_target};
use super::targets;
use super::tracker::{JobTracker, Sink, add_secrets};
use crate::jobs::{JobStatus, Trigger};
use crate::template;
use crate::workspace::journal::{self, JournalEntry, JournaledAnswer};
use crate::workspace::{CredentialAuth, CredentialField, Payload, Target};
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
                GateError::Failed(reason) => Failure::RefreshLock(reason),
            })?;
        let store = &self.inner.store;
        if store.path().exists() {
            let changed = store.reload().map_err(|d| Failure::FileDoesNotLoad {
                path: store.path().to_path_buf(),
                detail: d.to_string(),
            })?;
            if changed {
                t.emit(RunEventKind::WorkspaceReloaded);
            }
        }
        // A refresh that died before its save left its tokens in the journal: they are newer
        // than the file's (the refresh token in the file may already be spent), so they go first.
        match self.apply_journal(credential_id) {
            Ok(Some(note)) => t.step(note),
            Ok(None) => {}
            Err(e) => return Err(Failure::RefreshLock(e)),
        }
        Ok(guard)
    }

    /// Applies the journal an unfinished refresh of `credential_id` left, then clears it.
    /// `Ok(Some(note))` says what was applied. Called with the Credential's refresh lock held, so
    /// no other refresh of it is between its answer and its save.
    pub(super) fn apply_journal(&self, credential_id: &str) -> Result<Option<String>, String> {
        let store = &self.inner.store;
        let path = journal::path_for(store.path(), credential_id);
        let entry = match journal::read(store.path(), credential_id) {
            Ok(entry) => entry,
            // A journal torn by a kill while it was being written holds no whole answer: set it
            // aside (for a person to look at) rather than block every refresh after it.
            Err(e) => {
                let aside = path.with_extension("journal-unreadable");
                return match std::fs::rename(&path, &aside) {
                    Ok(()) => Ok(Some(format!(
                        "the token journal of Credential {credential_id} could not be read ({e}); moved it to {}",
                        aside.display()
                    ))),
                    Err(_) => Err(format!(
                        "could not read the token journal of Credential {credential_id}: {e}"
                    )),
                };
            }
        };
        let Some(entry) = entry else {
            // A reservation left by a refresh killed before its answer: nothing to apply.
            journal::clear(store.path(), credential_id).map_err(|e| {
                format!(
                    "could not remove the empty token journal {}: {e}",
                    path.display()
                )
            })?;
            return Ok(None);
        };
        let ws = store.snapshot();
        let bearer = ws.credential(credential_id).and_then(|c| match &c.auth {
            CredentialAuth::BearerToken(b) => Some(b.clone()),
            _ => None,
        });
        let Some(bearer) = bearer.filter(|_| entry.credential == credential_id) else {
            return Ok(None);
        };
        // Tokens obtained after the journal's are already in the file: the journal is spent.
        if bearer.obtained_at.is_some_and(|at| at > entry.obtained_at) {
            journal::clear(store.path(), credential_id).map_err(|e| {
                format!(
                    "could not remove the spent token journal {}: {e}",
                    path.display()
                )
            })?;
            return Ok(None);
        }
        let Some(payload) = ws.payload(&bearer.token_payload) else {
            return Err(format!(
                "the token journal {} names Token Payload {:?}, which is not in the workspace; it is kept",
                path.display(),
                bearer.token_payload
            ));
        };
        let targets = payload.targets.clone();
        let values = match (&entry.answer, entry.values.is_empty()) {
            // Killed between the answer and its checks: read and check it now.
            (Some(answer), true) => match tokens_from_answer(payload, answer) {
                Ok(extracted) => extracted.values,
                Err(why) => {
                    journal::clear(store.path(), credential_id).map_err(|e| {
                        format!("could not remove the token journal {}: {e}", path.display())
                    })?;
                    return Ok(Some(format!(
                        "the token journal of Credential {credential_id} held an answer without usable tokens ({why}); removed it"
                    )));
                }
            },
            _ => entry.values.clone(),
        };
        let extracted = extract::Extracted {
            values,
            ..Default::default()
        };
        let applied = store
            .update(|ws| targets::apply(ws, &targets, &extracted, Some(credential_id), entry.obtained_at))
            .map_err(|e| {
                format!(
                    "the tokens of an unfinished refresh of Credential {credential_id} are in {} but could not be saved: {e}",
                    path.display()
                )
            })?;
        if let Some(e) = applied.first_error() {
            return Err(format!(
                "the token journal {} could not be applied ({e}); it is kept",
                path.display()
            ));
        }
        journal::clear(store.path(), credential_id).map_err(|e| {
            format!(
                "could not remove the applied token journal {}: {e}",
                path.display()
            )
        })?;
        Ok(Some(format!(
            "applied the tokens of an unfinished refresh of Credential {credential_id} (obtained {}), kept in {}",
            entry.obtained_at.format("%Y-%m-%d %H:%M:%S UTC"),
            path.display()
        )))
    }

    /// Applies every token journal beside the workspace, each under its Credential's refresh
    /// lock: what the next command (or the TUI at start) does first. One line per journal found.
    pub async fn recover_tokens(&self) -> Vec<String> {
        let path = self.inner.store.path().to_path_buf();
        let mut notes = Vec::new();
        for file_id in journal::pending(&path) {
            let ws = self.inner.store.snapshot();
            let Some(credential) = ws
                .credentials
                .iter()
                .find(|c| journal::same_file(&c.id, &file_id))
            else {
                notes.push(format!(
                    "a token journal for a Credential not in the workspace is left in {}",
                    path.with_file_name(format!("…tokens-{file_id}.journal"))
                        .display()
                ));
                continue;
            };
            let id = credential.id.clone();
            let never = CancellationToken::new();
            let outcome = match self.inner.gate.acquire(&id, &never, || {}).await {
                Ok(_guard) => match self.inner.store.reload() {
                    Ok(_) => self.apply_journal(&id),
                    Err(d) => Err(format!(
                        "{} does not load, so the tokens in the journal of Credential {id} cannot be saved yet:\n{d}",
                        path.display()
                    )),
                },
                Err(GateError::Cancelled) => continue,
                Err(GateError::Failed(e)) => Err(e),
            };
            match outcome {
                Ok(Some(note)) => notes.push(note),
                Ok(None) => {}
                Err(e) => notes.push(e),
            }
        }
        notes
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
            .ok_or_else(|| Missing::Credential(credential_id.into()))?;
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
            Err(e) => rt.finish(JobStatus::Failed, Some(e.to_string()), &self.inner.jobs),
        };
        let ok = finished.status == JobStatus::Succeeded;
        t.step(format!(
            "refresh {} (job {refresh_job})",
            if ok { "succeeded" } else { "failed" }
        ));
        t.emit(RunEventKind::RefreshFinished { refresh_job, ok });
        match result {
            Ok(()) => Ok(true),
            Err(e) => Err(Failure::Refresh(Box::new(e))),
        }
    }

    /// Runs the Credential's Token Payload in Job `t` and, when it yields an access token, writes
    /// the Data Targets and saves the workspace. On any failure the Credential is left untouched.
    /// Called with the Credential's refresh lock held.
    pub(super) async fn token_request(
        &self,
        t: &mut JobTracker,
        credential_id: &str,
    ) -> Result<(), Failure> {
        let ws = self.inner.store.snapshot();
        let credential = ws
            .credential(credential_id)
            .ok_or_else(|| Missing::Credential(credential_id.into()))?;
        let CredentialAuth::BearerToken(bearer) = &credential.auth else {
            return Err(Failure::NotBearer {
                credential: credential.id.clone(),
                type_name: credential.auth.type_name(),
                purpose: BearerOnly::Refresh,
            });
        };
        let payload = ws
            .payload(&bearer.token_payload)
            .ok_or_else(|| Missing::TokenPayload {
                credential: credential.id.clone(),
                payload: bearer.token_payload.clone(),
            })?;
        let integration = ws
            .integration(&payload.integration)
            .ok_or_else(|| Missing::Integration(payload.integration.clone()))?;
        let resolved =
            template::resolve_credential(credential).map_err(|error| Failure::Template {
                credential: credential.id.clone(),
                error,
            })?;
        add_secrets(&t.redactor, &credentials::credential_secrets(&resolved));
        if let CredentialAuth::BearerToken(resolved_bearer) = &resolved.auth
            && let Some(why) =
                crate::oauth::grant::blank_refresh_token(credential_id, payload, resolved_bearer)
        {
            return Err(Failure::Request(why));
        }
        let inputs = request::resolve_inputs(payload, &[]).map_err(Failure::Request)?;
        let auth = credentials::for_token_request(&resolved, payload.client_auth);
        add_secrets(&t.redactor, &auth.secrets);
        // Journal space first: on a full disk nothing is sent, so the refresh token stays
        // unspent, rather than rotated by the server and then lost for want of a byte.
        let workspace = self.inner.store.path();
        let reserved = if debug_hook_fail_reserve() {
            Err(std::io::Error::other(
                "No space left on device (os error 28) [PAYLOADS_DEBUG_FAIL_RESERVE]",
            ))
        } else {
            journal::reserve(workspace, credential_id)
        };
        reserved.map_err(|e| {
            Failure::RefreshLock(format!(
                "could not write the token journal {} ({e}), so the new tokens could not be kept safe; nothing was sent and the refresh token is unspent",
                journal::path_for(workspace, credential_id).display()
            ))
        })?;
        // Once the token request is out, it runs to its end even if the run is cancelled: the
        // server may already have rotated the refresh token, and the new one must be saved.
        let not_cancellable = CancellationToken::new();
        let outcome = async {
            let response = self
                .send(
                    t,
                    payload,
                    integration,
                    Some(&resolved),
                    &auth,
                    &inputs,
                    &ws,
                    &not_cancellable,
                    Some(credential_id),
                )
                .await?;
            let Some(fallback) = client_credentials_fallback(bearer, payload, &response) else {
                return self
                    .save_token_answer(t, credential_id, payload, &response)
                    .await
                    .map_err(Failure::TokenAnswer);
            };
            t.step(format!(
                "the refresh token was refused (invalid_grant); Credential {credential_id} \
                 allows one try with the client credentials grant: falling back"
            ));
            let auth = credentials::for_token_request(&resolved, fallback.client_auth);
            add_secrets(&t.redactor, &auth.secrets);
            let response = self
                .send(
                    t,
                    &fallback,
                    integration,
                    Some(&resolved),
                    &auth,
                    &inputs,
                    &ws,
                    &not_cancellable,
                    Some(credential_id),
                )
                .await?;
            self.save_token_answer(t, credential_id, &fallback, &response)
                .await
                .map_err(|e| {
                    Failure::TokenAnswer(format!("the client credentials fallback failed too: {e}"))
                })
        }
        .await;
        // A journal that holds tokens stays for the next holder of the lock; an empty
        // reservation goes with the failure that left it empty.
        if outcome.is_err() {
            self.drop_reservation(t, credential_id);
        }
        outcome
    }

    /// Writes a token answer to the journal reserved for it, before anything else is done with
    /// it: the raw answer, read and checked like a live one by whoever applies it. Only answers
    /// that may hold tokens (a 2xx) are kept; a failure is a step, and the save goes on.
    pub(super) fn journal_answer(
        &self,
        t: &mut JobTracker,
        credential_id: &str,
        response: &HttpResponse,
    ) {
        if !response.status.is_success() {
            return;
        }
        let entry = JournalEntry {
            credential: credential_id.to_string(),
            obtained_at: chrono::SubsecRound::trunc_subsecs(self.inner.config.clock.now(), 0),
            values: Vec::new(),
            answer: Some(JournaledAnswer {
                status: response.status.as_u16(),
                headers: response.headers.clone(),
                body: String::from_utf8_lossy(&response.body).into_owned(),
            }),
        };
        if let Err(e) = journal::write(self.inner.store.path(), &entry) {
            t.step(format!("could not write the token journal ({e})"));
        }
        debug_hook_after_answer();
    }

    /// Removes the journal of a token request that brought no tokens to keep: a reservation, or
    /// an answer refused by the checks. A journal holding checked tokens (a save failed after
    /// them) stays: the next holder of the lock applies it.
    fn drop_reservation(&self, t: &mut JobTracker, credential_id: &str) {
        if let Err(e) = journal::clear_reservation(self.inner.store.path(), credential_id) {
            t.step(format!("could not remove the empty token journal: {e}"));
        }
    }

    /// Reads a token endpoint's answer with the Token Payload's response model and, when it holds
    /// an access token, writes its Data Targets and saves the workspace: the one way new tokens
    /// reach the file, for a refresh and for `payloads login` alike. Called with the Credential's
    /// refresh lock held; on any failure the Credential is left untouched.
    pub(super) async fn save_token_answer(
        &self,
        t: &mut JobTracker,
        credential_id: &str,
        payload: &Payload,
        response: &HttpResponse,
    ) -> Result<(), String> {
        // The moment the answer is ours: bench/sigkill-refresh.sh tells a kill before this line
        // (the answer never reached us) from one after it (a window in our own code).
        tracing::info!(
            pid = std::process::id(),
            credential = credential_id,
            status = response.status.as_u16(),
            "token answer read"
        );
        if !response.status.is_success() {
            return Err(self.token_refusal(credential_id, payload, response));
        }
        let extracted = extract::extract(&payload.response, response);
        let secret_values = credential_target_values(payload, &extracted);
        add_secrets(&t.redactor, &secret_values);
        t.job.extracted = extracted.values.clone();
        t.note_missing(&extracted.missing);
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
        if !has_access && extract::oauth_error_code(response).is_some() {
            return Err(self.token_refusal(credential_id, payload, response));
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
        check_tokens(payload, &extracted)?;
        // Whole seconds keep the file readable; rounding down only makes the expiry earlier.
        let now = chrono::SubsecRound::trunc_subsecs(self.inner.config.clock.now(), 0);
        // Journal the checked tokens (over the raw answer): from here on a kill or a failed save
        // cannot lose them.
        let journaled = journal::write(
            self.inner.store.path(),
            &JournalEntry {
                credential: credential_id.to_string(),
                obtained_at: now,
                values: extracted.values.clone(),
                answer: None,
            },
        );
        if let Err(e) = &journaled {
            t.step(format!(
                "could not write the token journal ({e}); saving the tokens straight to the file"
            ));
        }
        debug_hook_after_journal();
        let saved = if debug_hook_fail_save() {
            Err("No space left on device (os error 28) [PAYLOADS_DEBUG_FAIL_SAVE]".to_string())
        } else {
            self.inner
                .store
                .update(|ws| {
                    targets::apply(ws, &payload.targets, &extracted, Some(credential_id), now)
                })
                .map_err(|e| e.to_string())
        };
        let applied = match (saved, &journaled) {
            (Ok(applied), _) => applied,
            (Err(e), Ok(path)) => {
                return Err(format!(
                    "the new tokens could not be saved: {e}; they are kept in {} and the next `payloads` command applies them",
                    path.display()
                ));
            }
            (Err(e), Err(_)) => return Err(format!("the new tokens could not be saved: {e}")),
        };
        if journaled.is_ok()
            && let Err(e) = journal::clear(self.inner.store.path(), credential_id)
        {
            t.step(format!("could not remove the token journal: {e}"));
        }
        add_secrets(&t.redactor, &applied.secrets);
        t.job.token_fingerprint = extracted
            .get(&access.value)
            .map(crate::jobs::token_fingerprint);
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

    /// The token endpoint's refusal, with what to do about it (the grant it refused, another
    /// client authentication to try, the ways to new tokens).
    fn token_refusal(
        &self,
        credential_id: &str,
        payload: &Payload,
        response: &HttpResponse,
    ) -> String {
        let ws = self.inner.store.snapshot();
        let hint = ws.credential(credential_id).and_then(|c| match &c.auth {
            CredentialAuth::BearerToken(b) => crate::oauth::grant::refusal_hint(
                credential_id,
                payload,
                b,
                extract::oauth_error_code(response).as_deref(),
            ),
            _ => None,
        });
        let Some(hint) = hint else {
            return Refusal::of("the token endpoint", response).to_string();
        };
        let mut text = format!(
            "the token endpoint answered {}",
            status_text(response.status)
        );
        if let Some(reason) = extract::server_reason(response) {
            text.push_str(&format!(" ({reason})"));
        }
        text.push_str(": ");
        text.push_str(&hint);
        text
    }
}

/// The Token Payload as a client credentials request, when the Credential opted in and the
/// token endpoint just refused its refresh grant with `invalid_grant`: asked once, read by the
/// same response model and Data Targets.
fn client_credentials_fallback(
    bearer: &crate::workspace::BearerToken,
    payload: &Payload,
    response: &HttpResponse,
) -> Option<Payload> {
    let refused = !response.status.is_success()
        && extract::oauth_error_code(response).as_deref() == Some("invalid_grant");
    let refresh = crate::oauth::grant::grant_type_of(payload) == Some("refresh_token");
    if !(bearer.fallback_to_client_credentials && refused && refresh) {
        return None;
    }
    let mut fallback = payload.clone();
    crate::oauth::grant::Grant::ClientCredentials.shape(
        &mut crate::workspace::BearerToken::empty(""),
        &mut fallback,
        "",
    );
    Some(fallback)
}

/// Debug builds only: `PAYLOADS_DEBUG_ABORT_AFTER_JOURNAL=1` kills the process right after the
/// token journal is written, as a SIGKILL between the answer and the save would.
fn debug_hook_after_journal() {
    #[cfg(debug_assertions)]
    if std::env::var_os("PAYLOADS_DEBUG_ABORT_AFTER_JOURNAL").is_some() {
        std::process::abort();
    }
}

/// Debug builds only: `PAYLOADS_DEBUG_ABORT_AFTER_ANSWER=1` kills the process right after the raw
/// token answer is journaled, before it is read or checked.
fn debug_hook_after_answer() {
    #[cfg(debug_assertions)]
    if std::env::var_os("PAYLOADS_DEBUG_ABORT_AFTER_ANSWER").is_some() {
        std::process::abort();
    }
}

/// Debug builds only: `PAYLOADS_DEBUG_FAIL_SAVE=1` makes the save of new tokens fail, as a full
/// disk would.
fn debug_hook_fail_save() -> bool {
    cfg!(debug_assertions) && std::env::var_os("PAYLOADS_DEBUG_FAIL_SAVE").is_some()
}

/// Debug builds only: `PAYLOADS_DEBUG_FAIL_RESERVE=1` makes the journal's reservation before a
/// token request fail, as a full disk would.
fn debug_hook_fail_reserve() -> bool {
    cfg!(debug_assertions) && std::env::var_os("PAYLOADS_DEBUG_FAIL_RESERVE").is_some()
}

/// Nothing is written unless every token the answer brings is one a header can carry and its
/// `expires_in` is a sane number of seconds.
fn check_tokens(payload: &Payload, extracted: &extract::Extracted) -> Result<(), String> {
    for target in &payload.targets {
        if let Target::Credential(
            field @ (CredentialField::AccessToken | CredentialField::RefreshToken),
        ) = target.target
            && let Some(value) = extracted.get(&target.value)
        {
            let name = targets::field_name(field);
            if let Some(kind) = extracted.json_type(&target.value) {
                return Err(format!(
                    "the {name} in the token response is a JSON {kind}, not a string; nothing was saved"
                ));
            }
            if let Err(why) = targets::check_token(value) {
                return Err(format!(
                    "the {name} in the token response {why}; nothing was saved"
                ));
            }
        }
        if target.target == Target::Credential(CredentialField::ExpiresIn)
            && let Some(value) = extracted.get(&target.value)
        {
            targets::seconds_from_expires_in(value)
                .map_err(|e| format!("Data Target expires_in: {e}; nothing was saved"))?;
        }
    }
    Ok(())
}

/// The values of a token answer kept raw in the journal, read and checked as a live answer is
/// (the answer of a refresh killed before it could check them).
fn tokens_from_answer(
    payload: &Payload,
    answer: &JournaledAnswer,
) -> Result<extract::Extracted, String> {
    let response = HttpResponse {
        status: reqwest::StatusCode::from_u16(answer.status)
            .map_err(|_| format!("status {} is not an HTTP status", answer.status))?,
        version: reqwest::Version::HTTP_11,
        headers: answer.headers.clone(),
        body: answer.body.clone().into_bytes(),
        body_bytes: answer.body.len() as u64,
        truncated: false,
        redirects: Vec::new(),
        elapsed: std::time::Duration::ZERO,
        undecodable: None,
    };
    if !response.status.is_success() {
        return Err(format!("the token endpoint answered {}", answer.status));
    }
    let extracted = extract::extract(&payload.response, &response);
    let access = payload
        .targets
        .iter()
        .find(|d| d.target == Target::Credential(CredentialField::AccessToken))
        .ok_or("the Token Payload has no Data Target writing the access token")?;
    if extracted
        .get(&access.value)
        .is_none_or(|v| v.trim().is_empty())
    {
        return Err("no access token in the answer".into());
    }
    check_tokens(payload, &extracted)?;
    Ok(extracted)
}
