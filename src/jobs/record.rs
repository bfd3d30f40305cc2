//! The Job record: one run of one Payload, with everything needed to understand what happened.
//! Every value in a Job that is shown, printed or written has had its secrets redacted.

use crate::workspace::{CredentialId, IntegrationId, PayloadId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::workspace::ids::string_id!(
    /// Job ids sort by creation time: `20261128-133745-a1b2c3` style strings, made by
    /// `jobs::new_job_id`.
    JobId
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: JobId,
    /// The Payload run; for a refresh Job, the Credential's Token Payload (empty when the
    /// Credential has none: the Job then failed before sending anything).
    pub payload: PayloadId,
    pub integration: IntegrationId,
    /// The Credential a refresh Job requested tokens for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<CredentialId>,
    /// The refresh Job of a business Job, or the business Job a refresh ran for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linked_job: Option<JobId>,
    /// Which access token the Job used (a business call) or obtained (a refresh or login), as a
    /// fingerprint that cannot be turned back into it: see [`token_fingerprint`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_fingerprint: Option<String>,
    pub trigger: Trigger,
    pub status: JobStatus,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    /// Whole run, refresh included, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// The HTTP exchange alone, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callout_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<RequestRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseRecord>,
    /// Values read by the response model, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extracted: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<TargetResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The timeline: every step as it happened.
    #[serde(default)]
    pub steps: Vec<Step>,
}

impl Job {
    /// The response values the model expected and the response did not hold.
    pub fn missing_names(&self) -> Vec<&str> {
        self.response
            .iter()
            .flat_map(|r| &r.missing_values)
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// `response value not found: a, b` when the response lacked values its model expected: a
    /// Job may succeed so, but the CLI's last line and the TUI's status line both say it.
    pub fn missing_note(&self) -> Option<String> {
        let names = self.missing_names();
        if names.is_empty() {
            return None;
        }
        Some(format!(
            "response value{} not found: {}",
            if names.len() == 1 { "" } else { "s" },
            names.join(", ")
        ))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobStatus {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

impl JobStatus {
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            JobStatus::Succeeded | JobStatus::Failed | JobStatus::Cancelled
        )
    }
    pub fn label(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Succeeded => "succeeded",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trigger {
    /// Started from the TUI.
    Tui,
    /// Started by `payloads run` / `payloads refresh`.
    Cli,
    /// A token refresh run for the business Job named.
    RefreshFor(JobId),
    /// A refresh asked for directly (`R` in the TUI, `payloads refresh`).
    ManualRefresh,
    /// A login for a Credential's first tokens (`payloads login`, `L` in the TUI).
    Login,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestRecord {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseRecord {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body as kept (up to the cap), lossily decoded as UTF-8.
    pub body: String,
    /// The full size of the body in bytes, kept part or not.
    pub body_bytes: u64,
    /// True when only the first part of the body was kept.
    #[serde(default)]
    pub truncated: bool,
    /// True when the body's bytes were not UTF-8 (so `body` shows U+FFFD for them); a body
    /// that is valid UTF-8 holding U+FFFD itself is not this.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_utf8: bool,
    /// Response values the Payload expects that this response did not hold, with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_values: Vec<(String, String)>,
    /// Why the body could not be decoded (`body could not be decoded (gzip): …`): the answer
    /// arrived, but `body` holds only what was decoded before the failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undecodable: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetResult {
    /// The response value written.
    pub value: String,
    /// Where it went: `credential sandbox-oauth access_token`, `var session_id`.
    pub target: String,
    /// What was written, redacted when secret.
    pub written: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub at: DateTime<Utc>,
    pub text: String,
}

/// A short fingerprint of an access token, so a refresh's new token and the token a business call
/// sent can be compared at a glance: `…WXYZ sha256:1a2b3c4d` (its last 4 characters and the start
/// of its SHA-256). A token shorter than 16 characters shows the hash part only, since 4 of its
/// characters would be too much of it.
pub fn token_fingerprint(token: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(token.as_bytes());
    let hash: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    let chars: Vec<char> = token.chars().collect();
    if chars.len() < 16 {
        return format!("sha256:{hash}");
    }
    let tail: String = chars[chars.len() - 4..]
        .iter()
        .map(|c| if c.is_ascii_graphic() { *c } else { '?' })
        .collect();
    format!("…{tail} sha256:{hash}")
}

#[cfg(test)]
mod fingerprint_tests {
    use super::token_fingerprint;

    #[test]
    fn a_fingerprint_shows_the_end_and_a_hash_never_the_token() {
        let token = "sbx_at.1764460800.0123456789abcdef.feedface";
        let print = token_fingerprint(token);
        assert!(print.starts_with("…face sha256:"), "{print}");
        assert_eq!(print.chars().count(), "…face sha256:".chars().count() + 8);
        assert!(!print.contains(token));
        assert_ne!(
            print,
            token_fingerprint("sbx_at.1764460800.0123456789abcdef.feedfacf")
        );
        assert_eq!(print, token_fingerprint(token));
        assert!(token_fingerprint("short").starts_with("sha256:"));
    }
}
