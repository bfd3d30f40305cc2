//! Copy over OSC 52 in a real terminal: the release path of `y` — the real binary in tmux with
//! `set-clipboard on`, a Job's detail open, `y`, and tmux's paste buffer holds the body the
//! history recorded. tmux reads the sequence itself (no passthrough wrapping needed).

use crate::tui_support;

use std::process::Command;
use std::time::Duration;
use tui_support::tmux::{Tmux, free_port};

#[test]
fn y_in_a_job_detail_puts_the_body_in_tmux_paste_buffer() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let workspace =
        payloads::workspace::DEMO_WORKSPACE.replace("127.0.0.1:8787", &format!("127.0.0.1:{port}"));
    std::fs::write(dir.path().join("workspace.ron"), workspace).unwrap();
    let tmux = Tmux::start(dir.path(), 100, 30);
    assert!(
        tmux.run(&["set", "-g", "set-clipboard", "on"])
            .status
            .success()
    );
    let command = format!(
        "PAYLOADS_LOG_DIR={} {} demo --port {port} --workspace workspace.ron; echo \"EXITED:$?\"",
        dir.path().join("logs").display(),
        env!("CARGO_BIN_EXE_payloads"),
    );
    tmux.send(&[&command, "Enter"]);
    tmux.wait_for("the TUI", Duration::from_secs(45), |s| {
        s.contains("Integrations (1)")
    });
    tmux.send(&["BTab", "BTab", "/"]);
    tmux.send(&["-l", "list-contacts"]);
    tmux.send(&["Enter", "r"]);
    tmux.wait_for("list-contacts to succeed", Duration::from_secs(45), |s| {
        s.lines()
            .any(|l| l.contains("✓") && l.contains("list-contacts") && l.contains("succeeded"))
    });
    tmux.wait_for("no Job running", Duration::from_secs(45), |s| {
        !s.lines().next().unwrap_or_default().contains(" running")
    });

    // The Jobs pane, its first row (the business Job), its detail, then y.
    tmux.send(&["Tab", "g", "Enter"]);
    tmux.wait_for("the Job detail", Duration::from_secs(20), |s| {
        s.contains("Response  200")
    });
    tmux.send(&["y"]);
    let screen = tmux.wait_for("the copy's status line", Duration::from_secs(20), |s| {
        s.contains("copied the response body (")
    });
    let buffer = tmux.run(&["show-buffer"]);
    assert!(buffer.status.success(), "no tmux buffer:\n{screen}");
    let copied = String::from_utf8(buffer.stdout).unwrap();

    tmux.send(&["q", "q"]);
    tmux.wait_for("the shell", Duration::from_secs(45), |s| {
        s.contains("EXITED:0")
    });

    // The history's record of the same Job: its body, byte for byte.
    let jobs = Command::new(env!("CARGO_BIN_EXE_payloads"))
        .current_dir(dir.path())
        .env("PAYLOADS_LOG_DIR", dir.path().join("logs"))
        .args([
            "--workspace",
            "workspace.ron",
            "jobs",
            "--payload",
            "list-contacts",
            "--json",
        ])
        .output()
        .unwrap();
    let line = String::from_utf8(jobs.stdout).unwrap();
    let id = serde_json::from_str::<serde_json::Value>(line.lines().next().unwrap()).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let shown = Command::new(env!("CARGO_BIN_EXE_payloads"))
        .current_dir(dir.path())
        .env("PAYLOADS_LOG_DIR", dir.path().join("logs"))
        .args([
            "--workspace",
            "workspace.ron",
            "jobs",
            "show",
            &id,
            "--json",
        ])
        .output()
        .unwrap();
    let job: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    let body = job["response"]["body"].as_str().unwrap();
    assert!(body.contains("\"contacts\""), "{body}");
    assert_eq!(copied, body, "tmux's buffer holds the body");
    assert!(
        screen.contains(&format!(
            "copied the response body ({} bytes)",
            payloads::tui::copy::grouped(body.len())
        )),
        "{screen}"
    );
}
