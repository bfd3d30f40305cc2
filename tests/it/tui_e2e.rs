//! The real binary in a real terminal: `payloads demo` in tmux against its in-process sandbox.
//! Run `list-contacts` from the keyboard, see it succeed in the Jobs pane, quit, and find the
//! shell again. Needs tmux (`.ci/run` installs it).

use crate::tui_support;

use std::time::Duration;
use tui_support::tmux::{Tmux, free_port};

#[test]
fn demo_runs_list_contacts_and_gives_the_terminal_back() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let workspace =
        payloads::workspace::DEMO_WORKSPACE.replace("127.0.0.1:8787", &format!("127.0.0.1:{port}"));
    std::fs::write(dir.path().join("workspace.ron"), workspace).unwrap();
    let tmux = Tmux::start(dir.path(), 100, 30);
    let command = format!(
        "PAYLOADS_LOG_DIR={} {} demo --port {port} --workspace workspace.ron; echo \"EXITED:$?\"",
        dir.path().join("logs").display(),
        env!("CARGO_BIN_EXE_payloads"),
    );
    tmux.send(&[&command, "Enter"]);
    tmux.wait_for("the TUI", Duration::from_secs(45), |s| {
        s.contains("Integrations (1)")
    });

    // To Payloads, filter down to list-contacts, run it.
    tmux.send(&["BTab", "BTab", "/"]);
    tmux.send(&["-l", "list-contacts"]);
    tmux.send(&["Enter", "r"]);
    let screen = tmux.wait_for("list-contacts to succeed", Duration::from_secs(45), |s| {
        s.lines()
            .any(|l| l.contains("✓") && l.contains("list-contacts") && l.contains("succeeded"))
    });
    assert!(
        screen.lines().any(|l| l.contains("└")
            && l.contains("sandbox-oauth-token")
            && l.contains("succeeded")),
        "the token refresh ran first, shown under its Job:\n{screen}"
    );

    // A Job's row can read "succeeded" a moment before its run has recorded it and let go; on a
    // loaded machine `q` would then (rightly) ask first. Quit once the title counts none running.
    tmux.wait_for("no Job running", Duration::from_secs(45), |s| {
        !s.lines().next().unwrap_or_default().contains(" running")
    });
    tmux.send(&["q"]);
    let screen = tmux.wait_for("the shell", Duration::from_secs(45), |s| {
        s.contains("EXITED:0")
    });
    assert!(
        !screen.contains("Integrations ("),
        "the alternate screen is gone:\n{screen}"
    );
    // The shell echoes what it is sent again: raw mode is off.
    tmux.send(&["-l", "echo back-to-$((40+2))"]);
    tmux.send(&["Enter"]);
    tmux.wait_for("a working shell", Duration::from_secs(10), |s| {
        s.contains("back-to-42")
    });
}
