//! Why a run (a Payload's, a refresh's, a login's) stopped early: a typed reason per way it can
//! stop, and its words. The words are what the Job's `error` keeps and the user reads, so each
//! reason is turned into text once, here, when the Job finishes; callers match on the reason,
//! never on the text.

use super::extract;
use super::http::{HttpError, HttpResponse};
use crate::template::TemplateError;
use crate::workspace::store::StoreError;
use crate::workspace::{CredentialId, IntegrationId, PayloadId};
use std::fmt;
use std::path::PathBuf;

/// Why a run stopped early.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Failure {
    /// Cancelled by the user (or Ctrl-C) before it finished.
    #[error("cancelled before it finished")]
    Cancelled,
    /// Something the run names is not in the workspace.
    #[error(transparent)]
    Missing(#[from] Missing),
    /// Refreshing or logging in for a Credential that is not a Bearer Token Credential.
    #[error(
        "Credential {credential} is a {type_name} Credential; only Bearer Token Credentials {}",
        match .purpose { BearerOnly::Refresh => "have tokens to refresh", BearerOnly::Login => "log in" }
    )]
    NotBearer {
        credential: CredentialId,
        type_name: &'static str,
        purpose: BearerOnly,
    },
    /// A `{{env.NAME}}` (or other placeholder) of the Credential has no value.
    #[error("Credential {credential}: {error}")]
    Template {
        credential: CredentialId,
        error: TemplateError,
    },
    /// The inputs or the request could not be made (a placeholder without a value, a bad URL).
    #[error("{0}")]
    Request(String),
    /// The request did not get an answer (connection, TLS, timeout, body).
    #[error(transparent)]
    Http(HttpError),
    /// The server answered with an error status.
    #[error("{0}")]
    Refused(Refusal),
    /// A 401 again after the token was refreshed for it.
    #[error("{0}, even with a freshly refreshed token")]
    RefusedAfterRefresh(Refusal),
    /// The refresh this run needed failed (its own Job says more).
    #[error("token refresh failed: {0}")]
    Refresh(Box<Failure>),
    /// The token endpoint's answer could not be saved as new tokens (refused, no access token,
    /// an unwritable file).
    #[error("{0}")]
    TokenAnswer(String),
    /// The workspace file does not load, so new tokens could not be saved.
    #[error(
        "{} does not load, so new tokens could not be saved; nothing was sent. Fix it first:\n{detail}",
        .path.display()
    )]
    FileDoesNotLoad { path: PathBuf, detail: String },
    /// The refresh lock (shared with other processes) or the token journal failed.
    #[error("{0}")]
    RefreshLock(String),
    /// The Data Targets of a Callout could not be saved.
    #[error("the Data Targets could not be saved: {0}")]
    TargetsNotSaved(StoreError),
    /// A Data Target could not be written (the others were).
    #[error("Data Target {0}")]
    Target(String),
    /// A step of a login (device code, browser) failed.
    #[error("{0}")]
    Login(String),
}

/// What a run names that the workspace lacks.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Missing {
    #[error(
        "no Payload {id:?} in the workspace; known: {}",
        .known.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")
    )]
    Payload {
        id: PayloadId,
        known: Vec<PayloadId>,
    },
    #[error("no Integration {0:?} in the workspace")]
    Integration(IntegrationId),
    #[error("the Payload's Credential {0:?} is not in the workspace")]
    PayloadCredential(CredentialId),
    #[error("Credential {0:?} is not in the workspace")]
    Credential(CredentialId),
    #[error("Credential {credential}'s Token Payload {payload:?} is not in the workspace")]
    TokenPayload {
        credential: CredentialId,
        payload: PayloadId,
    },
    #[error("this Credential Payload names no Credential to refresh")]
    CredentialToRefresh,
    #[error(
        "Credential {0} has no login: add `login: DeviceCode(endpoint: \"…\")` or \
         `login: AuthorizationCode(endpoint: \"…\")` to its BearerToken (docs/workspace-format.md)"
    )]
    Login(CredentialId),
}

/// What only a Bearer Token Credential can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BearerOnly {
    Refresh,
    Login,
}

impl From<HttpError> for Failure {
    fn from(e: HttpError) -> Self {
        match e {
            HttpError::Cancelled => Failure::Cancelled,
            other => Failure::Http(other),
        }
    }
}

/// A non-2xx answer: who answered, its status, the server's reason, and plain advice for the
/// OAuth 2 errors a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    who: &'static str,
    status: reqwest::StatusCode,
    reason: Option<String>,
    oauth_error: Option<String>,
}

impl Refusal {
    pub(crate) fn of(who: &'static str, response: &HttpResponse) -> Refusal {
        Refusal {
            who,
            status: response.status,
            reason: extract::server_reason(response),
            oauth_error: extract::oauth_error_code(response),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} answered {}", self.who, status_text(self.status))?;
        if let Some(reason) = &self.reason {
            write!(f, " ({reason})")?;
        }
        match self.oauth_error.as_deref() {
            Some("invalid_grant") => f.write_str(
                ": the refresh token is no longer accepted; the Credential needs new tokens",
            ),
            Some("invalid_client") => {
                f.write_str(": the client id or client secret was not accepted")
            }
            _ => Ok(()),
        }
    }
}

pub(crate) fn status_text(status: reqwest::StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}
