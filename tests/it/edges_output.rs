//! Issue 9, items 1 and 7: the real binary writing into a closed pipe (`payloads run x 2>&1 |
//! head -1`) never panics and still saves its tokens and records its Jobs; text from outside is
//! never sent raw to a terminal, while piped stdout stays byte-exact.

use crate::common::*;
use payloads::jobs::JobStore;
use payloads::workspace::Workspace;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub(crate) struct Dir {
    pub dir: tempfile::TempDir,
}

impl Dir {
    pub fn new(workspace: &Workspace) -> Dir {
        let dir = tempfile::tempdir().unwrap();
        write_workspace(&dir.path().join("workspace.ron"), workspace);
        Dir { dir }
    }

    pub fn workspace(&self) -> PathBuf {
        self.dir.path().join("workspace.ron")
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_payloads"));
        command
            .arg("--workspace")
            .arg(self.workspace())
            .args(args)
            .env("PAYLOADS_LOG_DIR", self.dir.path().join("logs"))
            .env_remove("PAYLOADS_WORKSPACE");
        command
    }

    /// Runs with stdout and stderr both on one pipe whose reading end is already closed: every
    /// write fails with EPIPE, as after `2>&1 | head -1` has read its line.
    pub async fn run_into_closed_pipe(&self, args: &[&str]) -> std::process::ExitStatus {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut command = self.command(args);
        command
            .stdin(Stdio::null())
            .stdout(writer.try_clone().unwrap())
            .stderr(writer);
        tokio::task::spawn_blocking(move || command.status().unwrap())
            .await
            .unwrap()
    }

    pub async fn output(&self, args: &[&str]) -> Output {
        let mut command = self.command(args);
        tokio::task::spawn_blocking(move || command.output().unwrap())
            .await
            .unwrap()
    }
}

async fn rotating_server(contacts_body: &str) -> MockServer {
    let server = MockServer::start().await;
    token_endpoint()
        .answers(NEW_ACCESS, NEW_REFRESH, 3600)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(header("authorization", format!("Bearer {NEW_ACCESS}")))
        .respond_with(ResponseTemplate::new(200).set_body_string(contacts_body))
        .mount(&server)
        .await;
    server
}

/// Item 1: today this exits 101 ("failed printing to stderr") and may lose the rotated token.
#[tokio::test]
async fn a_closed_pipe_does_not_panic_and_the_rotated_token_is_saved() {
    let server = rotating_server(r#"[{"id":"c1"}]"#).await;
    let dir = Dir::new(&oauth_workspace(&server.uri(), "", None));

    let status = dir.run_into_closed_pipe(&["run", "list-contacts"]).await;

    assert_eq!(status.code(), Some(0), "{status:?}");
    let saved = bearer(&read_workspace(&dir.workspace()), "oauth");
    assert_eq!(saved.access_token, NEW_ACCESS);
    assert_eq!(saved.refresh_token, NEW_REFRESH);
    let jobs = JobStore::beside(dir.workspace()).list(10).unwrap();
    assert_eq!(jobs.len(), 2, "the run and its refresh are recorded");
}

/// Item 1, the other commands: `refresh`, `check`, `jobs` and a usage error into a closed pipe.
#[tokio::test]
async fn every_command_survives_a_closed_pipe() {
    let server = rotating_server("[]").await;
    let dir = Dir::new(&oauth_workspace(&server.uri(), "", None));

    let status = dir.run_into_closed_pipe(&["refresh", "oauth"]).await;
    assert_eq!(status.code(), Some(0), "refresh: {status:?}");
    assert_eq!(
        bearer(&read_workspace(&dir.workspace()), "oauth").refresh_token,
        NEW_REFRESH
    );
    for (args, code) in [
        (&["check"][..], 0),
        (&["jobs"][..], 0),
        (&["jobs", "--json"][..], 0),
        (&["run", "no-such-payload"][..], 2),
    ] {
        let status = dir.run_into_closed_pipe(args).await;
        assert_eq!(status.code(), Some(code), "{args:?}: {status:?}");
    }
}

/// Item 7: server text in messages is shown with its control characters and bidi overrides
/// made visible; a body piped to another program is passed on byte for byte.
#[tokio::test]
async fn server_text_in_messages_is_defused_and_piped_bodies_stay_exact() {
    let hostile = "ok\u{1b}]0;owned\u{7}\u{1b}[2J\u{202e}txt.exe";
    let server = MockServer::start().await;
    token_endpoint()
        .responds(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "error": "invalid_grant", "error_description": hostile
        })))
        .mount(&server)
        .await;
    let dir = Dir::new(&oauth_workspace(&server.uri(), "", None));
    let out = dir.output(&["run", "list-contacts"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("ok\\u{1b}]0;owned"), "{stderr}");
    assert!(stderr.contains("\\u{202e}txt.exe"), "{stderr}");
    assert!(!stderr.contains('\u{1b}') && !stderr.contains('\u{202e}'));

    let body = "{\"a\":\"\u{1b}[31mred\u{202e}\"}";
    let server = rotating_server(body).await;
    let dir = Dir::new(&oauth_workspace(&server.uri(), "", None));
    let out = dir.output(&["run", "list-contacts"]).await;
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, format!("{body}\n").into_bytes());
}
