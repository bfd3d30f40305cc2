//! Test helpers for the flow: a standard OAuth workspace written to a temporary file, a Runner on
//! it, and ways to read back what was saved; `bin` runs the binary in a clean environment.
#![expect(
    dead_code,
    reason = "a shared harness: not every helper is used by every test"
)]

pub mod bin;
pub mod builders;
pub mod ports;
pub mod token_mock;

pub use builders::{bearer_token, credential, integration, payload};
pub use token_mock::token_endpoint;

use chrono::{DateTime, Utc};
use payloads::flow::{Clock, RunEvent, RunEventKind, RunRequest, Runner, RunnerConfig};
use payloads::jobs::{Job, JobStore, Trigger};
use payloads::workspace::{
    BearerToken, Body, CredentialAuth, CredentialField, DynamicInput, KeyValue, Method, Payload,
    PayloadKind, Target, Workspace, WorkspaceStore,
};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

pub const CLIENT_ID: &str = "demo-client";
pub const CLIENT_SECRET: &str = "client-secret-S3cr3t-value";
pub const OLD_ACCESS: &str = "old-access-token-AAAA1111";
pub const OLD_REFRESH: &str = "old-refresh-token-RRRR1111";
pub const NEW_ACCESS: &str = "new-access-token-BBBB2222";
pub const NEW_REFRESH: &str = "new-refresh-token-SSSS2222";

/// The standard token request: a refresh_token grant in a form body, tokens read back by JSONPath
/// and written onto the Credential.
pub fn token_payload(endpoint: &str) -> Payload {
    payload("oauth-token", Method::POST, endpoint)
        .name("Token")
        .kind(PayloadKind::Credential)
        .credential(Some("oauth"))
        .body(Body::Form(vec![
            KeyValue::new("grant_type", "refresh_token"),
            KeyValue::new("refresh_token", "{{credential.refresh_token}}"),
            KeyValue::new("client_id", "{{credential.client_id}}"),
            KeyValue::new("client_secret", "{{credential.client_secret}}"),
        ]))
        .json_value("access_token", "$.access_token")
        .json_value("refresh_token", "$.refresh_token")
        .json_value("expires_in", "$.expires_in")
        .target(
            "access_token",
            Target::Credential(CredentialField::AccessToken),
        )
        .target(
            "refresh_token",
            Target::Credential(CredentialField::RefreshToken),
        )
        .target("expires_in", Target::Credential(CredentialField::ExpiresIn))
        .build()
}

pub fn callout(id: &str, method: Method, endpoint: &str, credential: Option<&str>) -> Payload {
    payload(id, method, endpoint).credential(credential).build()
}

pub fn input(name: &str, default: Option<&str>) -> DynamicInput {
    DynamicInput {
        name: name.into(),
        default: default.map(str::to_string),
        description: String::new(),
    }
}

/// An Integration at `base_url` with a Bearer Token Credential `oauth` (token state as given),
/// its Token Payload `oauth-token` at `/oauth/token`, and `list-contacts` (GET /contacts).
pub fn oauth_workspace(
    base_url: &str,
    access_token: &str,
    obtained_at: Option<DateTime<Utc>>,
) -> Workspace {
    Workspace {
        integrations: vec![integration("api", base_url).name("Test API").build()],
        credentials: vec![
            credential(
                "oauth",
                bearer_token("oauth-token")
                    .client(CLIENT_ID, CLIENT_SECRET)
                    .tokens(access_token, OLD_REFRESH)
                    .duration_minutes(60)
                    .obtained_at(obtained_at)
                    .auth(),
            )
            .name("OAuth")
            .build(),
        ],
        payloads: vec![
            token_payload("/oauth/token"),
            callout("list-contacts", Method::GET, "/contacts", Some("oauth")),
        ],
        variables: vec![],
        settings: Default::default(),
    }
}

/// A workspace in a temporary directory and a Runner on it.
pub struct Harness {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    pub runner: Runner,
}

impl Harness {
    pub fn new(workspace: &Workspace) -> Harness {
        Harness::with_config(workspace, RunnerConfig::default())
    }

    pub fn with_config(workspace: &Workspace, config: RunnerConfig) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("workspace.ron");
        write_workspace(&path, workspace);
        let store = Arc::new(WorkspaceStore::open(&path).unwrap());
        let jobs = Arc::new(JobStore::beside(&path));
        let runner = Runner::new(store, jobs, config);
        Harness { dir, path, runner }
    }

    pub fn with_clock(workspace: &Workspace, clock: Clock) -> Harness {
        Harness::with_config(
            workspace,
            RunnerConfig {
                clock,
                ..RunnerConfig::default()
            },
        )
    }

    pub async fn run(&self, payload: &str) -> Job {
        self.run_with(payload, &[]).await
    }

    pub async fn run_with(&self, payload: &str, inputs: &[(&str, &str)]) -> Job {
        let req = request(payload, inputs);
        tokio::time::timeout(Duration::from_secs(30), self.runner.run_to_end(req))
            .await
            .expect("the run finishes")
    }

    /// The Bearer Token state of Credential `oauth` as saved in the file.
    pub fn saved_token(&self) -> BearerToken {
        bearer(&read_workspace(&self.path), "oauth")
    }

    pub fn file_bytes(&self) -> Vec<u8> {
        std::fs::read(&self.path).unwrap()
    }

    pub fn jobs(&self) -> Vec<Job> {
        self.runner.jobs().list(10_000).unwrap()
    }

    pub fn job(&self, id: &str) -> Job {
        self.runner
            .jobs()
            .get(id)
            .unwrap()
            .unwrap_or_else(|| panic!("job {id} recorded"))
    }
}

pub fn request(payload: &str, inputs: &[(&str, &str)]) -> RunRequest {
    RunRequest {
        payload_id: payload.into(),
        inputs: inputs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        trigger: Trigger::Cli,
    }
}

pub fn write_workspace(path: &std::path::Path, workspace: &Workspace) {
    // In the workspace dialect, announced by an `#![enable(...)]` line so any RON reader agrees.
    let extensions = ron::extensions::Extensions::IMPLICIT_SOME
        | ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES;
    let config = ron::ser::PrettyConfig::default().extensions(extensions);
    let text = ron::ser::to_string_pretty(workspace, config).unwrap();
    std::fs::write(path, text).unwrap();
}

pub fn read_workspace(path: &std::path::Path) -> Workspace {
    let text = std::fs::read_to_string(path).unwrap();
    // The workspace dialect may write optional fields and Credential types plainly; the test
    // files written above are plain RON. Either must read.
    let extensions = ron::extensions::Extensions::IMPLICIT_SOME
        | ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES;
    ron::Options::default()
        .with_default_extension(extensions)
        .from_str(&text)
        .or_else(|_| ron::from_str(&text))
        .unwrap_or_else(|e| panic!("{} parses: {e}\n{text}", path.display()))
}

pub fn bearer(workspace: &Workspace, id: &str) -> BearerToken {
    match &workspace.credential(id).expect("credential").auth {
        CredentialAuth::BearerToken(b) => b.clone(),
        other => panic!("not a bearer credential: {other:?}"),
    }
}

pub fn token_json(access: &str, refresh: &str, expires_in: u64) -> serde_json::Value {
    serde_json::json!({
        "access_token": access,
        "token_type": "Bearer",
        "refresh_token": refresh,
        "expires_in": expires_in,
    })
}

/// Collects events until the predicate matches one (bounded wait), returning all seen so far.
pub async fn wait_for(
    rx: &mut UnboundedReceiver<RunEvent>,
    mut pred: impl FnMut(&RunEvent) -> bool,
) -> Vec<RunEvent> {
    let mut seen = Vec::new();
    loop {
        let event = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .expect("the event arrives in time")
            .expect("the channel stays open");
        let hit = pred(&event);
        seen.push(event);
        if hit {
            return seen;
        }
    }
}

pub fn events_channel() -> (
    tokio::sync::mpsc::UnboundedSender<RunEvent>,
    UnboundedReceiver<RunEvent>,
) {
    unbounded_channel()
}

pub fn is_finished_of(id: &str) -> impl FnMut(&RunEvent) -> bool + '_ {
    move |e| e.kind == RunEventKind::Finished && e.job_id == id
}
