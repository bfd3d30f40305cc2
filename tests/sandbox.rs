//! The sandbox over real HTTP on loopback: token endpoint, rotation, protected endpoints, restarts.

use base64::Engine;
use payloads::sandbox::{self, SandboxConfig, SandboxHandle};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::{Duration, SystemTime};

const BOUND: Duration = Duration::from_secs(10);

fn any_port() -> SandboxConfig {
    SandboxConfig {
        port: 0,
        ..SandboxConfig::default()
    }
}

async fn start(config: SandboxConfig) -> SandboxHandle {
    sandbox::start(config).await.expect("sandbox starts")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(BOUND)
        .build()
        .unwrap()
}

fn basic(id: &str, secret: &str) -> String {
    let encode = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let pair = format!("{}:{}", encode(id), encode(secret));
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

async fn token_request(sbx: &SandboxHandle, form: &[(&str, &str)]) -> (StatusCode, Value) {
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
async fn tokens(sbx: &SandboxHandle) -> (String, String) {
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

async fn refresh(sbx: &SandboxHandle, refresh_token: &str) -> (StatusCode, Value) {
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

async fn get_with_bearer(
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
async fn assert_invalid_token(response: reqwest::Response) -> String {
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

#[tokio::test]
async fn client_credentials_in_the_body_issue_bearer_tokens() {
    let sbx = start(any_port()).await;
    let response = client()
        .post(format!("{}/oauth/token", sbx.base_url()))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "demo-client"),
            ("client_secret", "demo-secret"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 300);
    let access = body["access_token"].as_str().unwrap();
    let refresh = body["refresh_token"].as_str().unwrap();
    assert!(access.starts_with("sbx_at."), "{access}");
    assert!(refresh.starts_with("sbx_rt."), "{refresh}");
    assert_eq!(sbx.token_requests(), 1);
    assert_eq!(sbx.api_requests(), 0);
    sbx.shutdown().await;
}

#[tokio::test]
async fn basic_client_authentication_decodes_special_characters() {
    let id = "my:client@example.com/app=1 x";
    let secret = "p@ss:w/rd= with spaces+plus%";
    let sbx = start(SandboxConfig {
        client_id: id.into(),
        client_secret: secret.into(),
        ..any_port()
    })
    .await;
    let response = client()
        .post(format!("{}/oauth/token", sbx.base_url()))
        .header("authorization", basic(id, secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["access_token"]
            .as_str()
            .unwrap()
            .starts_with("sbx_at.")
    );

    // The same client in the body (form-encoded by reqwest) works too.
    let (status, body) = token_request(
        &sbx,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The undecoded form of the same values is a different client.
    let raw = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    );
    let response = client()
        .post(format!("{}/oauth/token", sbx.base_url()))
        .header("authorization", raw)
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    sbx.shutdown().await;
}

#[tokio::test]
async fn a_wrong_secret_is_invalid_client() {
    let sbx = start(any_port()).await;
    let (status, body) = token_request(
        &sbx,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "demo-client"),
            ("client_secret", "wrong"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "invalid_client");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("client")
    );

    let response = client()
        .post(format!("{}/oauth/token", sbx.base_url()))
        .header("authorization", basic("demo-client", "wrong"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        response.headers()["www-authenticate"],
        "Basic realm=\"payloads-sandbox\""
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");

    let (status, body) = token_request(&sbx, &[("grant_type", "client_credentials")]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "invalid_client");
    sbx.shutdown().await;
}

#[tokio::test]
async fn malformed_token_requests_get_rfc_6749_errors() {
    let sbx = start(any_port()).await;
    let client_fields = [
        ("client_id", "demo-client"),
        ("client_secret", "demo-secret"),
    ];

    let (status, body) = token_request(&sbx, &client_fields).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_request");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("grant_type")
    );

    let mut form = client_fields.to_vec();
    form.push(("grant_type", "password"));
    let (status, body) = token_request(&sbx, &form).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "unsupported_grant_type");

    let mut form = client_fields.to_vec();
    form.push(("grant_type", "refresh_token"));
    let (status, body) = token_request(&sbx, &form).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_request");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("refresh_token")
    );

    let response = client()
        .post(format!("{}/oauth/token", sbx.base_url()))
        .json(&serde_json::json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
    assert_eq!(sbx.token_requests(), 4);
    sbx.shutdown().await;
}

#[tokio::test]
async fn refresh_rotates_and_a_used_refresh_token_is_invalid_grant() {
    let sbx = start(any_port()).await;
    let (_, first_refresh) = tokens(&sbx).await;

    let (status, body) = refresh(&sbx, &first_refresh).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let second_refresh = body["refresh_token"].as_str().unwrap().to_owned();
    let access = body["access_token"].as_str().unwrap().to_owned();
    assert_ne!(second_refresh, first_refresh);
    assert_eq!(
        get_with_bearer(&sbx, "/api/contacts", Some(&access))
            .await
            .status(),
        StatusCode::OK
    );

    let (status, body) = refresh(&sbx, &first_refresh).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("already used"),
        "{body}"
    );

    let (status, _) = refresh(&sbx, &second_refresh).await;
    assert_eq!(status, StatusCode::OK);
    sbx.shutdown().await;
}

#[tokio::test]
async fn unknown_expired_and_wrong_kind_refresh_tokens_are_invalid_grant() {
    let sbx = start(any_port()).await;
    let (access, _) = tokens(&sbx).await;
    let expired = sandbox::issue_refresh_token(SystemTime::now() - Duration::from_secs(1));
    for (presented, says) in [
        ("sbx_rt.123.abc.def", "not one this sandbox issued"),
        (access.as_str(), "access token"),
        (expired.as_str(), "expired"),
    ] {
        let (status, body) = refresh(&sbx, presented).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{presented}");
        assert_eq!(body["error"], "invalid_grant");
        assert!(
            body["error_description"].as_str().unwrap().contains(says),
            "{body}"
        );
    }
    sbx.shutdown().await;
}

#[tokio::test]
async fn concurrent_refreshes_with_one_token_succeed_exactly_once() {
    let sbx = start(any_port()).await;
    let (_, refresh_token) = tokens(&sbx).await;
    let attempts = futures::future::join_all((0..12).map(|_| refresh(&sbx, &refresh_token))).await;
    let succeeded = attempts
        .iter()
        .filter(|(s, _)| *s == StatusCode::OK)
        .count();
    let refused = attempts
        .iter()
        .filter(|(s, b)| *s == StatusCode::BAD_REQUEST && b["error"] == "invalid_grant")
        .count();
    assert_eq!((succeeded, refused), (1, 11));
    sbx.shutdown().await;
}

#[tokio::test]
async fn the_demo_refresh_token_is_always_accepted_and_its_successors_rotate() {
    let sbx = start(any_port()).await;
    for _ in 0..2 {
        let (status, body) = refresh(&sbx, sandbox::DEMO_REFRESH_TOKEN).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let next = body["refresh_token"].as_str().unwrap().to_owned();
        assert_eq!(refresh(&sbx, &next).await.0, StatusCode::OK);
        assert_eq!(refresh(&sbx, &next).await.0, StatusCode::BAD_REQUEST);
    }
    sbx.shutdown().await;
}

#[tokio::test]
async fn protected_endpoints_refuse_missing_bad_and_expired_tokens() {
    let sbx = start(any_port()).await;
    let (_, refresh_token) = tokens(&sbx).await;

    let said = assert_invalid_token(get_with_bearer(&sbx, "/api/contacts", None).await).await;
    assert!(said.contains("no access token"), "{said}");

    let said =
        assert_invalid_token(get_with_bearer(&sbx, "/api/contacts", Some("nonsense")).await).await;
    assert!(said.contains("not one this sandbox issued"), "{said}");

    let expired = sandbox::issue_access_token(SystemTime::now() - Duration::from_secs(1));
    let said =
        assert_invalid_token(get_with_bearer(&sbx, "/api/contacts/1", Some(&expired)).await).await;
    assert!(said.contains("expired"), "{said}");

    let said =
        assert_invalid_token(get_with_bearer(&sbx, "/api/contacts", Some(&refresh_token)).await)
            .await;
    assert!(said.contains("refresh token"), "{said}");

    let response = client()
        .get(format!("{}/api/contacts", sbx.base_url()))
        .basic_auth("demo-client", Some("demo-secret"))
        .send()
        .await
        .unwrap();
    assert_invalid_token(response).await;
    assert_eq!(sbx.api_requests(), 5);
    sbx.shutdown().await;
}

#[tokio::test]
async fn a_zero_ttl_sandbox_issues_tokens_that_are_already_expired() {
    let sbx = start(SandboxConfig {
        token_ttl: Duration::ZERO,
        ..any_port()
    })
    .await;
    let (access, _) = tokens(&sbx).await;
    let said =
        assert_invalid_token(get_with_bearer(&sbx, "/api/contacts", Some(&access)).await).await;
    assert!(said.contains("expired"), "{said}");
    sbx.shutdown().await;
}

#[tokio::test]
async fn a_valid_token_lists_creates_and_reads_contacts() {
    let sbx = start(any_port()).await;
    let (access, _) = tokens(&sbx).await;

    let response = get_with_bearer(&sbx, "/api/contacts", Some(&access)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    let contacts = body["contacts"].as_array().unwrap();
    assert_eq!(contacts.len(), 3);
    assert_eq!(
        contacts[0],
        serde_json::json!({"id": "1", "name": "Ada Lovelace", "email": "ada@example.com"})
    );

    let response = client()
        .post(format!("{}/api/contacts", sbx.base_url()))
        .bearer_auth(&access)
        .json(&serde_json::json!({"name": "Katherine Johnson", "email": "kj@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    assert_eq!(
        created,
        serde_json::json!({"id": "4", "name": "Katherine Johnson", "email": "kj@example.com"})
    );

    let response = get_with_bearer(&sbx, "/api/contacts/4", Some(&access)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap(), created);

    let response = get_with_bearer(&sbx, "/api/contacts/99", Some(&access)).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"],
        "not_found"
    );
    sbx.shutdown().await;
}

#[tokio::test]
async fn creating_a_contact_without_a_name_or_json_is_a_400() {
    let sbx = start(any_port()).await;
    let (access, _) = tokens(&sbx).await;
    let url = format!("{}/api/contacts", sbx.base_url());
    for body in [r#"{"email":"x@example.com"}"#, "name=x", r#"{"name":"  "}"#] {
        let response = client()
            .post(&url)
            .bearer_auth(&access)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"], "invalid_body");
    }
    let response = get_with_bearer(&sbx, "/api/contacts", Some(&access)).await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["contacts"].as_array().unwrap().len(), 3);
    sbx.shutdown().await;
}

#[tokio::test]
async fn ping_requires_the_api_key() {
    let sbx = start(SandboxConfig {
        api_key: "k-123".into(),
        ..any_port()
    })
    .await;
    let url = format!("{}/api/ping", sbx.base_url());
    let response = client().get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"],
        "invalid_api_key"
    );
    let response = client()
        .get(&url)
        .header("x-api-key", "k-12")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = client()
        .get(&url)
        .header("x-api-key", "k-123")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        serde_json::json!({"pong": true})
    );
    assert_eq!(sbx.api_requests(), 3);
    sbx.shutdown().await;
}

#[tokio::test]
async fn the_webhook_accepts_anything_without_authentication() {
    let sbx = start(any_port()).await;
    let response = client()
        .post(format!("{}/hooks/notify", sbx.base_url()))
        .json(&serde_json::json!({"event": "contact.created", "id": "4"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        serde_json::json!({"accepted": true})
    );
    assert_eq!(sbx.webhook_requests(), 1);
    assert_eq!(sbx.api_requests(), 0);
    sbx.shutdown().await;
}

#[tokio::test]
async fn the_index_lists_endpoints_and_unknown_paths_are_json_404s() {
    let sbx = start(any_port()).await;
    let response = client().get(sbx.base_url()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let index: Value = response.json().await.unwrap();
    let endpoints = index["endpoints"].to_string();
    for path in [
        "/oauth/token",
        "/api/contacts",
        "/api/ping",
        "/hooks/notify",
    ] {
        assert!(endpoints.contains(path), "{path} missing from {endpoints}");
    }
    let response = client()
        .get(format!("{}/nowhere", sbx.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("GET /nowhere")
    );
    sbx.shutdown().await;
}

#[tokio::test]
async fn a_taken_port_is_an_error_that_says_so() {
    let sbx = start(any_port()).await;
    let taken = sandbox::start(SandboxConfig {
        port: sbx.addr.port(),
        ..SandboxConfig::default()
    })
    .await;
    let error = taken.err().expect("second bind fails");
    assert_eq!(error.kind(), std::io::ErrorKind::AddrInUse);
    assert!(error.to_string().contains("already in use"), "{error}");
    assert!(
        error.to_string().contains(&sbx.addr.port().to_string()),
        "{error}"
    );
    sbx.shutdown().await;
}

#[tokio::test]
async fn tokens_survive_a_restart_on_the_same_port() {
    let first = start(any_port()).await;
    let port = first.addr.port();
    assert_eq!(first.base_url(), format!("http://127.0.0.1:{port}"));
    let (access, refresh_token) = tokens(&first).await;
    assert_eq!(
        get_with_bearer(&first, "/api/contacts", Some(&access))
            .await
            .status(),
        StatusCode::OK
    );
    first.shutdown().await;

    let second = start(SandboxConfig {
        port,
        ..SandboxConfig::default()
    })
    .await;
    let response = get_with_bearer(&second, "/api/contacts", Some(&access)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let (status, body) = refresh(&second, &refresh_token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(second.api_requests(), 1);
    assert_eq!(second.token_requests(), 1);
    second.shutdown().await;
}

#[tokio::test]
async fn slow_answers_after_the_wait_and_shutdown_cuts_it_short() {
    let sbx = start(any_port()).await;
    let response = client()
        .get(format!("{}/api/slow?ms=20", sbx.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap()["waited_ms"], 20);

    let pending = tokio::spawn(
        client()
            .get(format!("{}/api/slow?ms=30000", sbx.base_url()))
            .send(),
    );
    // Wait until the slow request has reached the sandbox before shutting it down.
    tokio::time::timeout(BOUND, async {
        while sbx.api_requests() < 2 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the slow request arrives");
    let started = std::time::Instant::now();
    sbx.shutdown().await;
    let response = pending.await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn large_streams_exactly_the_bytes_asked_for() {
    let sbx = start(any_port()).await;
    let size = 3 * 1024 * 1024 + 7;
    let response = client()
        .get(format!("{}/api/large?bytes={size}", sbx.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.content_length(), Some(size));
    let body = response.bytes().await.unwrap();
    assert_eq!(body.len() as u64, size);
    let parsed: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(parsed["filler"].as_str().unwrap().len() as u64, size - 13);

    let response = client()
        .get(format!("{}/api/large?bytes=5", sbx.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"xxxxx");
    sbx.shutdown().await;
}

#[tokio::test]
async fn shutdown_does_not_wait_for_idle_keep_alive_connections() {
    let sbx = start(any_port()).await;
    let port = sbx.addr.port();
    let shared = client();
    let response = shared.get(sbx.base_url()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.bytes().await.unwrap();
    // `shared` keeps its connection open and idle in its pool.
    tokio::time::timeout(Duration::from_secs(3), sbx.shutdown())
        .await
        .expect("shutdown finishes while a client holds an idle connection");

    let again = start(SandboxConfig {
        port,
        ..SandboxConfig::default()
    })
    .await;
    let response = shared.get(again.base_url()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    again.shutdown().await;
}

/// Collects formatted log lines in memory.
#[derive(Clone, Default)]
struct LogBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// The current-thread test runtime runs the sandbox's tasks on this thread, under this subscriber.
#[tokio::test(flavor = "current_thread")]
async fn requests_are_logged_without_secrets_or_tokens() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sbx = start(any_port()).await;
    let (access, refresh_token) = tokens(&sbx).await;
    let (status, body) = refresh(&sbx, &refresh_token).await;
    assert_eq!(status, StatusCode::OK);
    let rotated = body["refresh_token"].as_str().unwrap().to_owned();
    let response = get_with_bearer(&sbx, "/api/contacts", Some(&access)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = get_with_bearer(&sbx, "/api/contacts", Some("sbx_at.1.2.3")).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    sbx.shutdown().await;

    let logged = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("method=POST path=/oauth/token status=200"),
        "{logged}"
    );
    assert!(
        logged.contains("method=GET path=/api/contacts status=401"),
        "{logged}"
    );
    for secret in [
        "demo-secret",
        &access,
        &refresh_token,
        &rotated,
        "sbx_at.1.2.3",
    ] {
        assert!(!logged.contains(secret), "{secret} in the log:\n{logged}");
    }
}
