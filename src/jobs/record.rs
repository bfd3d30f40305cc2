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
