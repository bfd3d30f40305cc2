//! The sandbox's endpoints over real HTTP: protected contacts, ping, webhook, slow/large, restarts.

use crate::common::ports::port_outside_the_ephemeral_range;
use crate::sandbox_support;

use payloads::sandbox::{self, SandboxConfig};
use reqwest::StatusCode;
use sandbox_support::*;
use serde_json::Value;
use std::time::{Duration, SystemTime};

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
    let port = port_outside_the_ephemeral_range();
    let first = start(on_port(port)).await;
    assert_eq!(first.base_url(), format!("http://127.0.0.1:{port}"));
    let (access, refresh_token) = tokens(&first).await;
    assert_eq!(
        get_with_bearer(&first, "/api/contacts", Some(&access))
            .await
            .status(),
        StatusCode::OK
    );
    first.shutdown().await;

    let second = restart_on(port).await;
    let response = get_with_bearer(&second, "/api/contacts", Some(&access)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let (status, body) = refresh(&second, &refresh_token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(second.api_requests(), 1);
    assert_eq!(second.token_requests(), 1);
    second.shutdown().await;
}

/// The race `restart_on` waits out, made to last: a child process holds a copy of a closed
/// listener, as a child spawned by another test does from fork to exec, until it is let go.
#[tokio::test]
async fn a_restart_waits_while_a_child_process_holds_the_port() {
    let port = port_outside_the_ephemeral_range();
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    // `head` waits for one byte of its stdin; its stdout is the listener.
    let mut holder = std::process::Command::new("head")
        .args(["-c", "1"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::os::fd::OwnedFd::from(listener))
        .spawn()
        .expect("head runs");
    let error = sandbox::start(on_port(port)).await.err();
    assert_eq!(
        error.map(|e| e.kind()),
        Some(std::io::ErrorKind::AddrInUse),
        "the child holds the port"
    );

    let let_go = holder.stdin.take().expect("piped");
    let (restarted, ()) = tokio::join!(restart_on(port), async move {
        // Once `restart_on` has been refused once and waits, the child is let go.
        tokio::task::yield_now().await;
        drop(let_go);
    });
    assert_eq!(restarted.addr.port(), port);
    holder.wait().expect("head ends");
    restarted.shutdown().await;
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
    let port = port_outside_the_ephemeral_range();
    let sbx = start(on_port(port)).await;
    let shared = client();
    let response = shared.get(sbx.base_url()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.bytes().await.unwrap();
    // `shared` keeps its connection open and idle in its pool.
    tokio::time::timeout(Duration::from_secs(3), sbx.shutdown())
        .await
        .expect("shutdown finishes while a client holds an idle connection");

    let again = restart_on(port).await;
    let response = shared.get(again.base_url()).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    again.shutdown().await;
}
