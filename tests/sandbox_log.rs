//! The sandbox's request log: method, path and status, never a secret or a token.
//! A file of its own: tracing's per-callsite caching makes a thread-local subscriber unreliable
//! while other tests in the same binary run on other threads.

#[path = "it/sandbox_support/mod.rs"]
mod sandbox_support;

use reqwest::StatusCode;
use sandbox_support::*;

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
