//! Secrets by reference: Credential fields written `{{env.NAME}}` take their value from the
//! environment of the `payloads` process, an unset one stops the run before anything is sent, a
//! Data Target never writes over a reference, and a refresh never bakes the value into the file.

use payloads::sandbox::{SandboxConfig, SandboxHandle};
use std::path::{Path, PathBuf};
use std::process::Output;

const CLIENT_SECRET: &str = "env-only-client-secret-Qx7Lm2Rv";
const API_KEY: &str = "env-only-api-key-Hn4Kp9Ws";
const SECRET_VAR: &str = "PAYLOADS_TEST_SBX_CLIENT_SECRET";
const CLIENT_ID_VAR: &str = "PAYLOADS_TEST_SBX_CLIENT_ID";
const API_KEY_VAR: &str = "PAYLOADS_TEST_SBX_API_KEY";

/// A sandbox whose client secret and API key exist only in this test's environment variables.
async fn sandbox() -> SandboxHandle {
    payloads::sandbox::start(SandboxConfig {
        port: 0,
        client_secret: CLIENT_SECRET.into(),
        api_key: API_KEY.into(),
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

/// The shipped workspace pointing at `sandbox`, its Credentials' secrets replaced by references.
fn workspace_with_references(dir: &Path, sandbox: &SandboxHandle) -> PathBuf {
    let text = payloads::workspace::DEMO_WORKSPACE
        .replace("http://127.0.0.1:8787", &sandbox.base_url())
        .replacen(
            r#"client_id: "demo-client","#,
            &format!(r#"client_id: "{{{{env.{CLIENT_ID_VAR}}}}}","#),
            1,
        )
        .replacen(
            r#"client_secret: "demo-secret","#,
            &format!(r#"client_secret: "{{{{env.{SECRET_VAR}}}}}","#),
            1,
        )
        .replacen(
            r#"value: "demo-api-key","#,
            &format!(r#"value: "{{{{env.{API_KEY_VAR}}}}}","#),
            1,
        );
    assert_eq!(text.matches("{{env.PAYLOADS_TEST_").count(), 3);
    let path = dir.join("workspace.ron");
    std::fs::write(&path, text).unwrap();
    path
}

/// `payloads --workspace PATH ARGS…` with exactly the given test variables set (the others
/// removed, whatever the test runner's environment holds).
async fn payloads(workspace: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    crate::common::bin::payloads_on(workspace)
        .args(args)
        .envs(vars)
        .output_async()
        .await
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir` (workspace, Jobs, logs, lock files) with `needle` in it.
fn files_containing(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_containing(&path, needle));
        } else if String::from_utf8_lossy(&std::fs::read(&path).unwrap()).contains(needle) {
            found.push(path);
        }
    }
    found
}

/// The file's lines other than the Bearer token state a refresh writes.
fn without_token_state(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|line| {
            let line = line.trim_start();
            ![
                "access_token:",
                "refresh_token:",
                "obtained_at:",
                "expires_at:",
            ]
            .iter()
            .any(|field| line.starts_with(field))
        })
        .collect()
}

#[tokio::test]
async fn references_are_resolved_from_the_environment_and_never_written_back() {
    let sandbox = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let path = workspace_with_references(dir.path(), &sandbox);
    let before = std::fs::read_to_string(&path).unwrap();
    let vars = [
        (CLIENT_ID_VAR, "demo-client"),
        (SECRET_VAR, CLIENT_SECRET),
        (API_KEY_VAR, API_KEY),
    ];

    // The token request sends the client secret from the environment; then the business call.
    let out = payloads(&path, &["run", "list-contacts"], &vars).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("refresh started"));
    assert_eq!(sandbox.token_requests(), 1);
    assert_eq!(sandbox.api_requests(), 1);
    // An API Key header value from the environment.
    let out = payloads(&path, &["run", "ping"], &vars).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(sandbox.api_requests(), 2);
    // A refresh asked for by hand.
    let out = payloads(&path, &["refresh", "sandbox-oauth"], &vars).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(sandbox.token_requests(), 2);

    let after = std::fs::read_to_string(&path).unwrap();
    assert_ne!(after, before, "the new tokens were saved");
    assert_eq!(
        without_token_state(&after),
        without_token_state(&before),
        "apart from the token state, the file is byte for byte what it was: the references stay"
    );
    for (name, _) in &vars {
        assert!(after.contains(&format!("\"{{{{env.{name}}}}}\"")), "{name}");
    }
    for secret in [CLIENT_SECRET, API_KEY] {
        assert_eq!(
            files_containing(dir.path(), secret),
            Vec::<PathBuf>::new(),
            "no file (workspace, Jobs, logs) holds the value from the environment"
        );
        assert!(!text(&out.stdout).contains(secret) && !text(&out.stderr).contains(secret));
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_unset_variable_stops_the_run_before_anything_is_sent_naming_it() {
    let sandbox = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let path = workspace_with_references(dir.path(), &sandbox);
    let before = std::fs::read(&path).unwrap();
    // The client id is there; the secret, needed by the token request, is not.
    let vars = [(CLIENT_ID_VAR, "demo-client"), (API_KEY_VAR, API_KEY)];

    for args in [&["run", "list-contacts"][..], &["refresh", "sandbox-oauth"]] {
        let out = payloads(&path, args, &vars).await;
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "Credential sandbox-oauth: environment variable {SECRET_VAR} is not set (needed by {{{{env.{SECRET_VAR}}}}})"
            )),
            "{args:?}: the message names the variable: {stderr}"
        );
        assert!(!stderr.contains("sent"), "{args:?}: {stderr}");
    }
    let out = payloads(&path, &["run", "ping"], &[]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(&format!("environment variable {API_KEY_VAR} is not set")),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(sandbox.token_requests(), 0, "no token request went out");
    assert_eq!(sandbox.api_requests(), 0, "no business request went out");
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing was saved");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_data_target_into_a_referenced_field_is_refused_naming_the_field() {
    let sandbox = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.ron");
    // The access token comes from the environment, yet the Token Payload still writes it back.
    let text_in = payloads::workspace::DEMO_WORKSPACE
        .replace("http://127.0.0.1:8787", &sandbox.base_url())
        .replacen(
            r#"access_token: "","#,
            r#"access_token: "{{env.PAYLOADS_TEST_TOKEN}}","#,
            1,
        );
    std::fs::write(&path, &text_in).unwrap();
    let vars = [("PAYLOADS_TEST_TOKEN", "token-from-the-env")];

    let check = payloads(&path, &["check"], &vars).await;
    let stderr = text(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "{stderr}");
    let p = path.display();
    assert!(
        stderr.contains(&format!("{p}:")),
        "the error is at path:line:col: {stderr}"
    );
    assert!(
        stderr.contains(
            "data target \"access_token\" writes access_token of credential \"sandbox-oauth\", whose value is `{{env.PAYLOADS_TEST_TOKEN}}`"
        ),
        "the message names the field and its reference: {stderr}"
    );

    // A run on it refuses at load, before anything is sent.
    let out = payloads(&path, &["run", "list-contacts"], &vars).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("writes access_token of credential \"sandbox-oauth\""));
    assert_eq!(sandbox.token_requests() + sandbox.api_requests(), 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text_in);
    sandbox.shutdown().await;
}
