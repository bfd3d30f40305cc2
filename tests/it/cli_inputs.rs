//! `--input NAME=@path` and `--input NAME=@-`: values read from a file and from stdin arrive at a
//! loopback server byte for byte; too big, two stdins, a missing file are usage errors that send
//! nothing.

use crate::common::*;
use payloads::workspace::{Body, KeyValue, Method, Workspace};
use std::process::Output;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `echo`: POST /echo?q={{input.q}} with the raw body `{{input.body}}`.
fn workspace(base_url: &str) -> Workspace {
    let mut ws = oauth_workspace(base_url, "", None);
    let mut echo = callout("echo", Method::POST, "/echo", None);
    echo.inputs = vec![input("body", None), input("q", Some(""))];
    echo.parameters = vec![KeyValue::new("q", "{{input.q}}")];
    echo.body = Body::Raw {
        content_type: "text/plain; charset=utf-8".into(),
        text: "{{input.body}}".into(),
    };
    ws.payloads.push(echo);
    ws
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/echo"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(&server)
        .await;
    server
}

/// Runs `payloads run echo ARGS` in `dir` with `stdin` fed to it (off the async runtime).
async fn run(dir: &std::path::Path, args: &[&str], stdin: &[u8]) -> Output {
    crate::common::bin::payloads(dir)
        .args(&["--workspace", "workspace.ron", "run", "echo"])
        .args(args)
        .stdin(stdin)
        .output_async()
        .await
}

fn setup(server: &MockServer) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_workspace(&dir.path().join("workspace.ron"), &workspace(&server.uri()));
    dir
}

#[tokio::test]
async fn file_and_stdin_values_arrive_byte_exact() {
    let server = server().await;
    let dir = setup(&server);
    // CR LF, a tab, a NUL-free control byte, quotes, non-ASCII, no final newline / two of them.
    let body = "line 1\r\n\t\"quoted\" \u{7} é ✓ {{not a placeholder}}\n\n";
    let query = "a&b=c d/é\n";
    std::fs::write(dir.path().join("q.txt"), query).unwrap();
    let out = run(
        dir.path(),
        &["--input", "body=@-", "--input", "q=@q.txt"],
        body.as_bytes(),
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].body, body.as_bytes());
    let q: Vec<(String, String)> = received[0].url.query_pairs().into_owned().collect();
    assert_eq!(q, [("q".to_string(), query.to_string())]);
}

#[tokio::test]
async fn a_literal_at_sign_is_written_twice() {
    let server = server().await;
    let dir = setup(&server);
    let out = run(dir.path(), &["--input", "body=@@team"], b"").await;
    assert_eq!(out.status.code(), Some(0));
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].body, b"@team");
}

#[tokio::test]
async fn bad_file_inputs_are_usage_errors_that_send_nothing() {
    let server = server().await;
    let dir = setup(&server);
    let cap = payloads::cli::MAX_INPUT_BYTES as usize;
    std::fs::write(dir.path().join("big"), vec![b'x'; cap + 1]).unwrap();
    let cases: [(&[&str], &[u8], &str); 4] = [
        (
            &["--input", "body=@big"],
            b"",
            "payloads: --input body: big holds more than 1024 KiB, the most an input may hold",
        ),
        (
            &["--input", "body=@-", "--input", "q=@-"],
            b"x",
            "payloads: only one --input can read stdin (@-), but body, q do",
        ),
        (
            &["--input", "body=@missing.txt"],
            b"",
            "payloads: --input body=@missing.txt: cannot read missing.txt:",
        ),
        (
            &["--input", "body=@-"],
            &[0x61, 0xff],
            "payloads: --input body: stdin is not UTF-8 text (invalid byte at offset 1)",
        ),
    ];
    for (args, stdin, expected) in cases {
        let out = run(dir.path(), args, stdin).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with(expected), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    // Exactly the cap is accepted.
    std::fs::write(dir.path().join("max"), vec![b'y'; cap]).unwrap();
    let out = run(dir.path(), &["--input", "body=@max"], b"").await;
    assert_eq!(out.status.code(), Some(0));
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "only the run within the cap was sent");
    assert_eq!(received[0].body.len(), cap);
}
