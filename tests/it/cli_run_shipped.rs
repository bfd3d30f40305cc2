//! The shipped `workspace.ron` works against the built-in sandbox as a new user runs it:
//! `payloads run list-contacts` on a fresh copy refreshes, saves the tokens into the file, calls.

use crate::common;

use common::{bearer, read_workspace};

#[tokio::test]
async fn the_shipped_workspace_runs_list_contacts_against_the_sandbox() {
    let sandbox = payloads::sandbox::start(payloads::sandbox::SandboxConfig {
        port: 0,
        ..Default::default()
    })
    .await
    .unwrap();
    let shipped = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/workspace.ron"))
        .expect("the shipped workspace.ron");
    assert!(shipped.contains("http://127.0.0.1:8787"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.ron");
    std::fs::write(
        &path,
        shipped.replace("http://127.0.0.1:8787", &sandbox.base_url()),
    )
    .unwrap();
    assert!(
        bearer(&read_workspace(&path), "sandbox-oauth")
            .access_token
            .is_empty()
    );

    let out = crate::common::bin::payloads_on(&path)
        .args(&["run", "list-contacts"])
        .output_async()
        .await;

    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("refresh started"), "{stderr}");
    let body: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON body");
    assert!(body["contacts"].is_array(), "{body}");
    let saved = bearer(&read_workspace(&path), "sandbox-oauth");
    assert!(
        !saved.access_token.is_empty(),
        "the new access token is in the file"
    );
    assert!(saved.obtained_at.is_some());
    assert_eq!(sandbox.token_requests(), 1);
    assert_eq!(sandbox.api_requests(), 1);
    assert!(!stderr.contains(&saved.access_token));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&saved.access_token));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn refresh_on_the_shipped_workspace_says_when_the_token_expires_in_plain_words() {
    let sandbox = payloads::sandbox::start(payloads::sandbox::SandboxConfig {
        port: 0,
        token_ttl: std::time::Duration::from_secs(300),
        ..Default::default()
    })
    .await
    .unwrap();
    let shipped = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/workspace.ron"))
        .expect("the shipped workspace.ron");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.ron");
    std::fs::write(
        &path,
        shipped.replace("http://127.0.0.1:8787", &sandbox.base_url()),
    )
    .unwrap();
    let run = |args: &'static [&'static str]| {
        crate::common::bin::payloads_on(&path)
            .args(args)
            .output_async()
    };

    let out = run(&["refresh", "sandbox-oauth"]).await;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout.starts_with("Credential sandbox-oauth refreshed; the new access token expires at ")
    );
    assert!(stdout.ends_with("(in 5 min)\n"), "{stdout}");

    let out = run(&["refresh", "sandbox-api-key"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "payloads: Credential \"sandbox-api-key\" is an API Key Credential, which has no tokens \
         to refresh; Bearer Token Credentials: sandbox-oauth, sandbox-device\n"
    );
    sandbox.shutdown().await;
}
