//! Issue 9, item 12: a terminal that goes away (the SSH client killed: the pty's master closed,
//! so the TUI gets SIGHUP and EIO) ends on the same path as `q`: the running Job is cancelled and
//! recorded, the workspace file is left untouched, and the process exits. Needs tmux.

use crate::tui_support::tmux::{Tmux, demo_with_a_slow_payload, free_port};
use payloads::jobs::{JobStatus, JobStore};
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(45);

#[test]
fn a_closed_terminal_records_the_running_job_cancelled_and_leaves_the_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let workspace = demo_with_a_slow_payload(port);
    let path = dir.path().join("workspace.ron");
    std::fs::write(&path, &workspace).unwrap();
    let tmux = Tmux::start(dir.path(), 100, 30);
    let command = format!(
        "sh -c 'echo $$ > pid; PAYLOADS_LOG_DIR=logs exec {} demo --port {port} --workspace workspace.ron'",
        env!("CARGO_BIN_EXE_payloads"),
    );
    tmux.send(&[&command, "Enter"]);
    tmux.wait_for("the TUI", LIMIT, |s| s.contains("Integrations (1)"));
    tmux.send(&["BTab", "BTab", "G", "r"]);
    tmux.wait_for("the slow Job running", LIMIT, |s| {
        s.lines()
            .any(|l| l.contains("slow") && l.contains("running"))
    });
    let pid = std::fs::read_to_string(dir.path().join("pid")).unwrap();
    let proc_dir = std::path::PathBuf::from(format!("/proc/{}", pid.trim()));

    // The SSH client dies: tmux closes the pty's master side.
    drop(tmux);

    let deadline = Instant::now() + LIMIT;
    // A process's exit has no event a test can wait on: poll /proc, bounded by the deadline.
    // A zombie (exited, not yet reaped by whoever inherited it) has exited too.
    let running = || {
        std::fs::read_to_string(proc_dir.join("stat")).is_ok_and(|stat| {
            !stat
                .rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'))
        })
    };
    while running() {
        assert!(Instant::now() < deadline, "the TUI did not exit");
        std::thread::sleep(Duration::from_millis(50));
    }
    let jobs = JobStore::beside(&path).list(10).unwrap();
    let slow = jobs.iter().find(|j| j.payload == "slow").expect("recorded");
    assert_eq!(slow.status, JobStatus::Cancelled, "{slow:?}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), workspace);
}
