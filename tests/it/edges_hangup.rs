//! Issue 9, item 12: a terminal that goes away (the SSH client killed: the pty's master closed,
//! so the TUI gets SIGHUP and EIO) ends on the same path as `q`: the running Job is cancelled and
//! recorded, the workspace file is left untouched, and the process exits. Needs tmux.

use crate::tui_support::tmux::{Tmux, demo_with_a_slow_payload, free_port};
use payloads::jobs::{JobStatus, JobStore};
use std::io::Read;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(45);

#[test]
fn a_closed_terminal_records_the_running_job_cancelled_and_leaves_the_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let workspace = demo_with_a_slow_payload(port);
    let path = dir.path().join("workspace.ron");
    std::fs::write(&path, &workspace).unwrap();
    // The TUI's exit is an event: it holds the write end of a FIFO (fd 9, inherited through
    // `exec`), and a reader gets end-of-file once every writer is gone, zombie or not.
    let fifo = dir.path().join("exited");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo");
    let (exited, exit) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // Opening blocks until the shell opens the write end; reading ends when the TUI exits.
        let mut rest = Vec::new();
        let read = std::fs::File::open(&fifo).and_then(|mut f| f.read_to_end(&mut rest));
        let _ = exited.send(read.map(|_| ()));
    });
    let tmux = Tmux::start(dir.path(), 100, 30);
    let command = format!(
        "sh -c 'exec 9>exited; PAYLOADS_LOG_DIR=logs exec {} demo --port {port} --workspace workspace.ron'",
        env!("CARGO_BIN_EXE_payloads"),
    );
    tmux.send(&[&command, "Enter"]);
    tmux.wait_for("the TUI", LIMIT, |s| s.contains("Integrations (1)"));
    tmux.send(&["BTab", "BTab", "G", "r"]);
    tmux.wait_for("the slow Job running", LIMIT, |s| {
        s.lines()
            .any(|l| l.contains("slow") && l.contains("running"))
    });

    // The SSH client dies: tmux closes the pty's master side.
    drop(tmux);

    exit.recv_timeout(LIMIT)
        .expect("the TUI did not exit")
        .expect("the exit FIFO was read");
    let jobs = JobStore::beside(&path).list(10).unwrap();
    let slow = jobs.iter().find(|j| j.payload == "slow").expect("recorded");
    assert_eq!(slow.status, JobStatus::Cancelled, "{slow:?}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), workspace);
}
