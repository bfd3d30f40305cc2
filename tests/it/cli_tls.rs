//! `payloads run` on a machine without CA certificates (a bare container): plain HTTP and an
//! Integration's own CA still work, and an untrusted server says what the machine lacks.

use crate::common;
use crate::tls_support;

use common::*;
use payloads::workspace::{Method, Workspace};
use std::process::Output;
use tls_support::{Pki, ServerOptions, TlsServer};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Runs the binary on `workspace` with the system's CA certificates pointed at an empty bundle.
async fn run_without_system_roots(workspace: &Workspace, payload: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let ws_path = dir.path().join("workspace.ron");
    write_workspace(&ws_path, workspace);
    let empty_bundle = dir.path().join("empty-bundle.pem");
    std::fs::write(&empty_bundle, "").unwrap();
    let empty_dir = dir.path().join("empty-certs");
    std::fs::create_dir(&empty_dir).unwrap();
    let output = crate::common::bin::payloads_on(&ws_path)
        .args(&["run", payload])
        .env("SSL_CERT_FILE", &empty_bundle)
        .env("SSL_CERT_DIR", &empty_dir)
        .output_async()
        .await;
    drop(dir);
    output
}

fn workspace_at(base_url: &str) -> Workspace {
    let mut ws = oauth_workspace(base_url, "", None);
    ws.payloads
        .push(callout("secure", Method::GET, "/secure", None));
    ws
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn plain_http_runs_on_a_machine_without_ca_certificates() {
    let server = MockServer::start().await;
    Mock::given(path("/secure"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"plain":true}"#))
        .expect(1)
        .mount(&server)
        .await;

    let output = run_without_system_roots(&workspace_at(&server.uri()), "secure").await;

    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(text(&output.stdout).contains(r#"{"plain":true}"#));
    server.verify().await;
}

#[tokio::test]
async fn an_integrations_own_ca_works_on_a_machine_without_ca_certificates() {
    let pki = Pki::new();
    let server = TlsServer::start(&pki, ServerOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let files = pki.write(dir.path());
    let mut ws = workspace_at(&server.base_url());
    ws.integrations[0].tls.ca_cert = Some(files.ca.to_str().unwrap().into());

    let output = run_without_system_roots(&ws, "secure").await;

    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(text(&output.stdout).contains(r#""ok":true"#));
}

#[tokio::test]
async fn an_untrusted_server_says_the_machine_has_no_ca_certificates() {
    let pki = Pki::new();
    let server = TlsServer::start(&pki, ServerOptions::default()).await;

    let output = run_without_system_roots(&workspace_at(&server.base_url()), "secure").await;

    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("UnknownIssuer"), "{stderr}");
    assert!(
        stderr.contains("no CA certificates were found on this machine")
            && stderr.contains("SSL_CERT_FILE"),
        "{stderr}"
    );
}
