//! Helpers shared by the sandbox test files: start a sandbox on any port, get and use tokens.

use base64::Engine;
use payloads::sandbox::{self, SandboxConfig, SandboxHandle};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

pub const BOUND: Duration = Duration::from_secs(10);

pub fn any_port() -> SandboxConfig {
    SandboxConfig {
        port: 0,
        ..SandboxConfig::default()
    }
}

/// A sandbox on `port`, for a test that restarts it there: take the port from
/// `common::ports`, never from a sandbox started on [`any_port`].
pub fn on_port(port: u16) -> SandboxConfig {
    SandboxConfig {
        port,
        ..SandboxConfig::default()
    }
}

/// Starts a sandbox again on the `port` of one just shut down.
///
/// Its listener is closed, but the port stays taken while a process spawned by another test in
/// this binary holds a copy of the socket, from fork until exec closes it: a moment, and no event
/// announces its end. So a port still in use is tried again at a short interval, up to [`BOUND`].
pub async fn restart_on(port: u16) -> SandboxHandle {
    let deadline = tokio::time::Instant::now() + BOUND;
    loop {
        match sandbox::start(on_port(port)).await {
            Ok(sandbox) => return sandbox,
            Err(e)
                if e.kind() == std::io::ErrorKind::AddrInUse
                    && tokio::time::Instant::now() < deadline =>
            {
                tokio::time::sleep(Duration::from_millis(5)).await; // ok: bounded poll interval
            }
            Err(e) => panic!("the sandbox restarts on port {port}: {e}"),
        }
    }
}

pub async fn start(config: SandboxConfig) -> SandboxHandle {
    sandbox::start(config).await.expect("sandbox starts")
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(BOUND)
        .build()
        .unwrap()
}

pub fn basic(id: &str, secret: &str) -> String {
    let encode = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let pair = format!("{}:{}", encode(id), encode(secret));
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

pub async fn token_request(sbx: &SandboxHandle, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let response = client()
        .post(format!("{}/oauth/token", sbx.base_url()))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

/// client_credentials with the demo client in the body: (access token, refresh token).
pub async fn tokens(sbx: &SandboxHandle) -> (String, String) {
    let (status, body) = token_request(
        sbx,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "demo-client"),
            ("client_secret", "demo-secret"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (
        body["access_token"].as_str().unwrap().to_owned(),
        body["refresh_token"].as_str().unwrap().to_owned(),
    )
}

pub async fn refresh(sbx: &SandboxHandle, refresh_token: &str) -> (StatusCode, Value) {
    token_request(
        sbx,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", "demo-client"),
            ("client_secret", "demo-secret"),
        ],
    )
    .await
}

pub async fn get_with_bearer(
    sbx: &SandboxHandle,
    path: &str,
    token: Option<&str>,
) -> reqwest::Response {
    let mut request = client().get(format!("{}{path}", sbx.base_url()));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

/// Asserts an RFC 6750 invalid_token answer and returns its error_description.
pub async fn assert_invalid_token(response: reqwest::Response) -> String {
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let challenge = response.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        challenge.starts_with("Bearer error=\"invalid_token\", error_description=\""),
        "{challenge}"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_token");
    body["error_description"].as_str().unwrap().to_owned()
}
