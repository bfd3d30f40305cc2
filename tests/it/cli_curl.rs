//! `payloads export curl`: the command printed runs in bash against the built-in sandbox and gets
//! the same answer a run would; secrets stay shell variables unless --reveal.

use crate::common::bin::{self, text};
use crate::sandbox_support::{any_port, start};
use std::path::Path;
use std::process::{Command, Output};

/// The shipped workspace, pointed at a sandbox on `base_url`, in a temporary directory.
fn shipped_at(base_url: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = include_str!("../../workspace.ron").replace("http://127.0.0.1:8787", base_url);
    std::fs::write(dir.path().join("workspace.ron"), text).unwrap();
    dir
}

async fn payloads(dir: &Path, args: &[&str]) -> Output {
    bin::payloads(dir).args(args).output_async().await
}

async fn bash(script: &str, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new("bash");
    // The printed command, run as is; curl told to be quiet and to fail on an HTTP error.
    command.arg("-c").arg(format!(
        "set -e\ncurl() {{ command curl --silent --show-error --fail \"$@\"; }}\n{script}"
    ));
    for (k, v) in env {
        command.env(k, v);
    }
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

fn saved_access_token(dir: &Path) -> String {
    let ws = payloads::workspace::load(&dir.join("workspace.ron")).unwrap();
    match &ws.credential("sandbox-oauth").unwrap().auth {
        payloads::workspace::CredentialAuth::BearerToken(b) => b.access_token.clone(),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_revealed_command_returns_the_contacts() {
    let sandbox = start(any_port()).await;
    let dir = shipped_at(&sandbox.base_url());
    // The access token is blank: it is refreshed first, as a run would, and saved.
    let out = payloads(dir.path(), &["export", "curl", "list-contacts", "--reveal"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("sandbox-oauth-token"),
        "the refresh is shown"
    );
    let token = saved_access_token(dir.path());
    assert!(!token.is_empty());
    let script = text(&out.stdout);
    assert!(script.contains(&token), "{script}");
    assert!(!script.contains("${"), "{script}");

    let ran = bash(&script, &[]).await;
    assert_eq!(ran.status.code(), Some(0), "{}", text(&ran.stderr));
    let body: serde_json::Value = serde_json::from_slice(&ran.stdout).unwrap();
    assert_eq!(body["contacts"][0]["name"], "Ada Lovelace", "{body}");
}

#[tokio::test]
async fn secrets_are_variables_named_in_a_comment() {
    let sandbox = start(any_port()).await;
    let dir = shipped_at(&sandbox.base_url());
    let out = payloads(dir.path(), &["-q", "export", "curl", "list-contacts"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "", "-q keeps the refresh quiet");
    let token = saved_access_token(dir.path());
    let script = text(&out.stdout);
    assert!(!script.contains(&token), "{script}");
    assert!(
        script.starts_with(
            "# Secrets are shell variables; set them first (or export with --reveal):\n\
             #   SANDBOX_OAUTH_ACCESS_TOKEN  access_token of Credential sandbox-oauth\n\
             curl "
        ),
        "{script}"
    );
    let ran = bash(
        &script.to_string(),
        &[("SANDBOX_OAUTH_ACCESS_TOKEN", &token)],
    )
    .await;
    assert_eq!(ran.status.code(), Some(0), "{}", text(&ran.stderr));
    assert!(text(&ran.stdout).contains("Grace Hopper"));

    // The API key, and the client secret of the token request, are variables too.
    let out = payloads(dir.path(), &["export", "curl", "ping"]).await;
    let script = text(&out.stdout);
    assert!(
        script.contains("-H 'x-api-key: '\"${SANDBOX_API_KEY_VALUE}\""),
        "{script}"
    );
    assert!(!script.contains("demo-api-key"), "{script}");
    let out = payloads(dir.path(), &["export", "curl", "sandbox-oauth-token"]).await;
    let script = text(&out.stdout);
    assert!(
        script.contains("--data-urlencode 'client_secret='\"${SANDBOX_OAUTH_CLIENT_SECRET}\""),
        "{script}"
    );
    assert!(!script.contains("demo-secret"), "{script}");
}

#[tokio::test]
async fn inputs_with_quotes_survive_the_shell() {
    let sandbox = start(any_port()).await;
    let dir = shipped_at(&sandbox.base_url());
    let name = "Miles O'Brien $HOME `x` \"q\"";
    let out = payloads(
        dir.path(),
        &[
            "export",
            "curl",
            "create-contact",
            "--reveal",
            "--input",
            &format!("name={name}"),
            "--input",
            "email=miles@example.com",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let script = text(&out.stdout);
    let ran = bash(&script, &[]).await;
    assert_eq!(ran.status.code(), Some(0), "{}", text(&ran.stderr));
    let body: serde_json::Value = serde_json::from_slice(&ran.stdout).unwrap();
    assert_eq!(body["name"], name, "{body}");

    // Usage errors exit 2 with a payloads: line.
    let out = payloads(dir.path(), &["export", "curl", "create-contact"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("payloads: missing input name"),
        "{}",
        text(&out.stderr)
    );
    let out = payloads(dir.path(), &["export", "curl", "nope"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("payloads: no Payload \"nope\""));
}
