//! `payloads sandbox` as a user runs it: serves until SIGTERM, and a taken port exits 2 clearly.

use crate::common::bin;
use payloads::sandbox::{self, SandboxConfig};
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

const BOUND: Duration = Duration::from_secs(20);

#[tokio::test]
async fn a_taken_port_exits_2_with_a_clear_message() {
    let running = sandbox::start(SandboxConfig {
        port: 0,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let port = running.addr.port().to_string();
    let dir = tempfile::tempdir().unwrap();
    let output = bin::payloads(dir.path())
        .args(&["sandbox", "--port", &port])
        .output_async()
        .await;
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("already in use"), "{stderr}");
    assert!(
        stderr.contains(&running.addr.port().to_string()),
        "{stderr}"
    );
    running.shutdown().await;
}

#[cfg(unix)]
#[tokio::test]
async fn it_serves_until_sigterm_and_announces_its_address() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = bin::payloads(dir.path())
        .args(&["sandbox", "--port", "0", "--token-ttl", "60"])
        .command()
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (lines_tx, lines_rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let announced = lines_rx
        .recv_timeout(BOUND)
        .expect("the sandbox announces itself");
    assert!(announced.contains("client_id demo-client"), "{announced}");
    let base_url = announced
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .expect("a URL in the announcement")
        .to_owned();

    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(BOUND)
        .build()
        .unwrap();
    let response = client
        .post(format!("{base_url}/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "demo-client"),
            ("client_secret", "demo-secret"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["expires_in"], 60);
    let access_token = body["access_token"].as_str().unwrap().to_owned();

    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success(), "{status:?}");
    // The reader thread ends at EOF, which disconnects the channel.
    let mut rest = Vec::new();
    while let Ok(line) = lines_rx.recv_timeout(BOUND) {
        rest.push(line);
    }
    assert!(
        rest.iter().any(|line| line.contains("stopping")),
        "{rest:?}"
    );
    assert!(
        rest.iter().all(|line| !line.contains(&access_token)),
        "{rest:?}"
    );
}
