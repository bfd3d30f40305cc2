//! TLS is set up on the first `https` request, not at start: a plain-HTTP run never opens the
//! system's CA bundle, and a redirect from `http://` to `https://` still gets a verifying client.

use crate::common;
use crate::tls_support;

use common::*;
use payloads::workspace::{Method, Workspace};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;
use tls_support::{Pki, ServerOptions, TlsServer};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `payloads run payload` on `workspace` with the system's CA store at `ca_file` (and an empty
/// certificate directory); killed, and the test failed, if it has not ended within a minute.
async fn run_with_system_ca(workspace: &Workspace, payload: &str, ca_file: &Path) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let ws_path = dir.path().join("workspace.ron");
    write_workspace(&ws_path, workspace);
    let empty_dir = dir.path().join("empty-certs");
    std::fs::create_dir(&empty_dir).unwrap();
    let child = crate::common::bin::payloads_on(&ws_path)
        .args(&["run", payload])
        .env("SSL_CERT_FILE", ca_file)
        .env("SSL_CERT_DIR", &empty_dir)
        .command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    // Off the async runtime, which keeps serving the test servers.
    let waited = tokio::time::timeout(
        Duration::from_secs(60),
        tokio::task::spawn_blocking(move || child.wait_with_output().unwrap()),
    )
    .await;
    match waited {
        Ok(output) => {
            drop(dir);
            output.unwrap()
        }
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("`payloads run {payload}` did not end within a minute");
        }
    }
}

fn workspace_with(base_url: &str, endpoint: &str) -> Workspace {
    let mut ws = oauth_workspace(base_url, "", None);
    ws.payloads
        .push(callout("plain", Method::GET, endpoint, None));
    ws
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(unix)]
#[tokio::test]
async fn a_plain_http_run_never_opens_the_system_ca_bundle() {
    let server = MockServer::start().await;
    Mock::given(path("/plain"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"plain":true}"#))
        .expect(1)
        .mount(&server)
        .await;
    // A FIFO nobody writes to: opening it to read blocks forever, so a run that set up TLS at
    // start (reading the CA bundle) would never end.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("ca-bundle.pem");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo failed");

    let output = run_with_system_ca(&workspace_with(&server.uri(), "/plain"), "plain", &fifo).await;

    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(text(&output.stdout).contains(r#"{"plain":true}"#));
    server.verify().await;
}

#[tokio::test]
async fn a_redirect_from_http_to_https_is_verified_against_the_system_roots() {
    let pki = Pki::new();
    let tls = TlsServer::start(&pki, ServerOptions::default()).await;
    let server = MockServer::start().await;
    Mock::given(path("/plain"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/secure", tls.base_url())),
        )
        .expect(2)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let files = pki.write(dir.path());

    // The test CA is the system's only one: the https hop succeeds only on a verifying client
    // that trusts the system store (the plain-HTTP client trusts no CA at all).
    let ws = workspace_with(&server.uri(), "/plain");
    let output = run_with_system_ca(&ws, "plain", &files.ca).await;

    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(text(&output.stdout).contains(r#""ok":true"#), "{stderr}");
    assert_eq!(tls.seen().handshake_errors, Vec::<String>::new());

    // And an https server the system does not trust is refused on that same path.
    let other = Pki::new();
    std::fs::create_dir(dir.path().join("other")).unwrap();
    let other_files = other.write(&dir.path().join("other"));
    let output = run_with_system_ca(&ws, "plain", &other_files.ca).await;
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("UnknownIssuer"), "{stderr}");
}
