//! Issue 9, items 9 and 10: every file read is bounded (a FIFO, a device or a directory where a
//! PEM file or the workspace should be is an error at `check` time, never a hang or a 14 GB
//! read), and `check` refuses the values that would make a run panic: out-of-range numbers and
//! times, JSONPaths nested deep enough to overflow the stack; messages quote at most 80
//! characters of an identifier.

use crate::common::*;
use crate::edges_output::Dir;
use payloads::workspace::{CertificateAuth, CredentialAuth, ValueSource, Workspace};
use std::process::Output;
use std::time::Duration;

/// `payloads check`, which must end within 20 s whatever the files are.
fn check(dir: &Dir) -> Output {
    let child = dir
        .command(&["check"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    // The exit is the event: a thread waits on it and hands the output over.
    let (done, exited) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(child.wait_with_output());
    });
    match exited.recv_timeout(Duration::from_secs(20)) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
            panic!("`payloads check` hung");
        }
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn mkfifo(path: &std::path::Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn pem_paths_that_are_not_regular_files_fail_check_with_their_position() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("ca.pem");
    mkfifo(&fifo);
    let mut ws = oauth_workspace("https://127.0.0.1:1", "", None);
    ws.integrations[0].tls.ca_cert = Some(fifo.display().to_string());
    let auth = CredentialAuth::Certificate(CertificateAuth {
        cert_path: "/dev/zero".into(),
        key_path: dir.path().display().to_string(),
    });
    ws.credentials
        .push(credential("mtls", auth).name("mTLS").build());
    let d = Dir::new(&ws);

    let out = check(&d);

    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let ws_path = d.workspace().display().to_string();
    for (field, why) in [
        ("tls.ca_cert", "not a regular file"),
        ("cert_path", "not a regular file"),
        ("key_path", "directory"),
    ] {
        let line = text
            .lines()
            .find(|l| l.contains(field))
            .unwrap_or_else(|| panic!("{field} not named: {text}"));
        assert!(line.starts_with(&format!("{ws_path}:")), "{line}");
        assert!(line.contains(why), "{line}");
    }
}

#[test]
fn a_workspace_that_is_a_fifo_or_a_device_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("workspace.ron");
    mkfifo(&fifo);
    for path in [fifo.as_path(), std::path::Path::new("/dev/zero")] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_payloads"))
            .arg("--workspace")
            .arg(path)
            .arg("check")
            .env("PAYLOADS_LOG_DIR", dir.path().join("logs"))
            .output()
            .unwrap();
        let text = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(text.contains("not a regular file"), "{text}");
    }
}

fn check_errors(ws: &Workspace) -> String {
    let d = Dir::new(ws);
    let out = check(&d);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    stderr(&out)
}

#[test]
fn numbers_and_times_out_of_range_are_load_errors() {
    for timeout in [0, 86_401, u64::MAX] {
        let mut ws = oauth_workspace("http://127.0.0.1:1", "", None);
        ws.payloads[1].timeout_secs = Some(timeout);
        ws.integrations[0].timeout_secs = Some(timeout);
        let text = check_errors(&ws);
        assert_eq!(
            text.matches("timeout_secs must be from 1 to 86400").count(),
            2,
            "{text}"
        );
    }
    for minutes in [0, u32::MAX] {
        let mut ws = oauth_workspace("http://127.0.0.1:1", "", None);
        if let CredentialAuth::BearerToken(b) = &mut ws.credentials[0].auth {
            b.access_token_duration_minutes = minutes;
        }
        let text = check_errors(&ws);
        assert!(
            text.contains("access_token_duration_minutes must be from 1"),
            "{text}"
        );
    }
    let long_ago = "1492-10-12T00:00:00Z".parse().unwrap();
    let ws = oauth_workspace("http://127.0.0.1:1", "t", Some(long_ago));
    let text = check_errors(&ws);
    assert!(
        text.contains("obtained_at: the year 1492 is not believable"),
        "{text}"
    );
}

#[test]
fn a_deeply_nested_jsonpath_is_a_load_error_not_a_stack_overflow() {
    let mut ws = oauth_workspace("http://127.0.0.1:1", "", None);
    let deep = format!("$[?{}@.a{}]", "(".repeat(2000), ")".repeat(2000));
    ws.payloads[0].response[0].source = ValueSource::JsonPath(deep);
    let text = check_errors(&ws);
    assert!(text.contains("at most 32 levels"), "{text}");
    // The message quotes the start of the path, not all 4,000 brackets of it.
    assert!(text.lines().all(|l| l.chars().count() < 600), "{text}");
}

#[test]
fn a_one_megabyte_identifier_is_quoted_by_its_first_80_characters() {
    let mut ws = oauth_workspace("http://127.0.0.1:1", "", None);
    let huge = "x".repeat(1024 * 1024);
    ws.payloads[1].credential = Some(huge.as_str().into());
    let text = check_errors(&ws);
    assert!(text.len() < 4096, "{} bytes of errors", text.len());
    // 80 characters of the word: its opening quote and 79 of the x's.
    assert!(text.contains(&format!("\"{}…", "x".repeat(79))), "{text}");
}
