//! From nothing to the first call with the real binary: `payloads init`, the TUI and `demo` on a
//! missing file, `payloads login` approved at the sandbox's `/device` page, then `payloads run`.

use crate::tui_support::tmux::{Tmux, free_port};

use crate::common::bin;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The common runner's command, for the tests here that spawn and read the child as it runs.
fn payloads(dir: &std::path::Path) -> Command {
    bin::payloads(dir).command()
}

#[test]
fn init_writes_a_0600_starter_that_check_accepts_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let out = payloads(dir.path())
        .args(["init", "--workspace", "new.ron"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(stdout.contains("created new.ron"), "{stdout}");
    assert!(
        stdout.contains("payloads --workspace new.ron"),
        "says what next: {stdout}"
    );
    let path = dir.path().join("new.ron");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let check = payloads(dir.path())
        .args(["check", "--workspace", "new.ron"])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{check:?}");
    assert_eq!(
        String::from_utf8_lossy(&check.stdout),
        "ok: 0 integrations, 0 credentials, 0 payloads\n"
    );

    std::fs::write(&path, "(integrations: [])").unwrap();
    let again = payloads(dir.path())
        .args(["init", "--workspace", "new.ron"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "(integrations: [])"
    );
}

#[test]
fn an_empty_file_is_an_empty_workspace() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.ron"), "\n").unwrap();
    let check = payloads(dir.path())
        .args(["check", "--workspace", "empty.ron"])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(0), "{check:?}");
}

#[test]
fn the_tui_without_a_terminal_on_a_missing_file_says_how_to_create_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = payloads(dir.path())
        .args(["--workspace", "missing.ron"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("payloads init --workspace missing.ron"),
        "{stderr}"
    );
    assert!(!dir.path().join("missing.ron").exists());
}

#[test]
fn the_tui_on_a_missing_file_offers_to_create_it() {
    let dir = tempfile::tempdir().unwrap();
    let tmux = Tmux::start(dir.path(), 100, 30);
    let command = format!(
        "PAYLOADS_LOG_DIR={} {} --workspace fresh.ron; echo \"EXITED:$?\"",
        dir.path().join("logs").display(),
        env!("CARGO_BIN_EXE_payloads"),
    );
    tmux.send(&[&command, "Enter"]);
    tmux.wait_for("the offer", Duration::from_secs(45), |s| {
        s.contains("Create it with a starter workspace? [y/N]")
    });
    tmux.send(&["y", "Enter"]);
    tmux.wait_for("the TUI on the new file", Duration::from_secs(45), |s| {
        s.contains("Integrations (0)")
    });
    tmux.send(&["q"]);
    tmux.wait_for("the shell", Duration::from_secs(45), |s| {
        s.contains("EXITED:0")
    });
    let text = std::fs::read_to_string(dir.path().join("fresh.ron")).unwrap();
    assert!(text.contains("integrations: []"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("fresh.ron"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn demo_on_a_missing_file_writes_the_demo_workspace_for_its_port() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let tmux = Tmux::start(dir.path(), 100, 30);
    let command = format!(
        "PAYLOADS_LOG_DIR={} {} demo --port {port} --workspace demo.ron; echo \"EXITED:$?\"",
        dir.path().join("logs").display(),
        env!("CARGO_BIN_EXE_payloads"),
    );
    tmux.send(&[&command, "Enter"]);
    tmux.wait_for("the TUI", Duration::from_secs(45), |s| {
        s.contains("Integrations (1)")
    });
    tmux.send(&["q"]);
    tmux.wait_for("the shell", Duration::from_secs(45), |s| {
        s.contains("EXITED:0")
    });
    let text = std::fs::read_to_string(dir.path().join("demo.ron")).unwrap();
    assert!(text.contains(&format!("http://127.0.0.1:{port}")), "{text}");
    assert!(text.contains("sandbox-device"));
}

// Multi-threaded: the sandbox answers while the test waits on the binary.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_approved_at_the_device_page_then_run_succeeds() {
    let sbx = payloads::sandbox::start(payloads::sandbox::SandboxConfig {
        port: 0,
        device_interval: Duration::from_secs(1),
        ..Default::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.ron");
    std::fs::write(
        &path,
        payloads::workspace::DEMO_WORKSPACE.replace("http://127.0.0.1:8787", &sbx.base_url()),
    )
    .unwrap();

    // Before the login: the refresh grant has no refresh token, so nothing is sent.
    let before = payloads(dir.path())
        .args(["run", "list-contacts-device"])
        .output()
        .unwrap();
    assert_eq!(before.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&before.stderr);
    assert!(stderr.contains("payloads login sandbox-device"), "{stderr}");
    assert_eq!(sbx.token_requests(), 0);

    let mut login = payloads(dir.path())
        .args(["login", "sandbox-device"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = login.stderr.take().unwrap();
    // Read stderr on a thread until the code shows; the rest is kept for the assertions.
    let (code_tx, code_rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut seen = String::new();
        let mut sent = false;
        for line in BufReader::new(stderr).lines() {
            let line = line.unwrap();
            if !sent && let Some(code) = line.trim().strip_prefix("and enter the code") {
                code_tx.send(code.trim().to_string()).unwrap();
                sent = true;
            }
            seen.push_str(&line);
            seen.push('\n');
        }
        seen
    });
    let user_code =
        tokio::task::spawn_blocking(move || code_rx.recv_timeout(Duration::from_secs(30)))
            .await
            .unwrap()
            .expect("login shows a user code");
    let approved = reqwest::Client::new()
        .post(format!("{}/device", sbx.base_url()))
        .form(&[("user_code", user_code.as_str()), ("approve", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(approved.status(), 200);
    let (status, stdout) = tokio::task::spawn_blocking(move || {
        let out = login.wait_with_output().unwrap();
        (out.status, out.stdout)
    })
    .await
    .unwrap();
    let seen = reader.join().unwrap();
    assert_eq!(status.code(), Some(0), "{seen}");
    assert!(String::from_utf8_lossy(&stdout).contains("Credential sandbox-device logged in"));
    assert!(
        seen.contains(&format!("{}/device", sbx.base_url())),
        "{seen}"
    );
    let saved = crate::common::bearer(&crate::common::read_workspace(&path), "sandbox-device");
    assert!(!saved.access_token.is_empty());
    assert!(!seen.contains(&saved.access_token));
    assert!(!seen.contains(&saved.refresh_token));

    let run = payloads(dir.path())
        .args(["run", "list-contacts-device"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    let body: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(body["contacts"].is_array(), "{body}");
    sbx.shutdown().await;
}
