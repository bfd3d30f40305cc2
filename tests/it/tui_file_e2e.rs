//! The real binary in tmux with the workspace file as a second interface: `E` hands the terminal
//! to `$EDITOR` (a script standing in for vi) and takes it back; the edit is loaded, a broken one
//! offers to reopen the editor at the error; quitting while a Job runs asks and records it
//! cancelled; signals end the program with 128 + their number. Needs tmux.

use crate::tui_support;

use payloads::jobs::{JobStatus, JobStore};
use payloads::workspace::DEMO_WORKSPACE;
use std::path::Path;
use std::time::Duration;
use tui_support::tmux::{Tmux, demo_with_a_slow_payload, free_port};

// Generous: a loaded CI machine is slow, and every wait ends as soon as the screen is ready.
const LIMIT: Duration = Duration::from_secs(45);

/// A stand-in for vi: records its arguments, then does what this call (by count) is for.
const FAKE_VI: &str = r#"#!/bin/sh
here=$(dirname "$0")
echo "$*" >> "$here/argv.log"
calls=$(wc -l < "$here/argv.log")
file="$2"
case "$calls" in
  1) # Interactive, like a real editor: what the user types must reach it, not the TUI.
     printf 'fake-vi: type a line: '
     read answer
     echo "$answer" > "$here/typed.txt"
     sed -i 's/"List contacts"/"List every contact"/' "$file" ;;
  2) # Saves a broken file the way vim does with backupcopy=no: a new file renamed over it.
     sed 's/endpoint: "\/api\/ping"/endpont: "\/api\/ping"/' "$file" > "$file.new"
     mv "$file.new" "$file" ;;
  3) sed -i 's/endpont:/endpoint:/' "$file" ;;
esac
"#;

fn write_fake_vi(dir: &Path) -> std::path::PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let vi = bin.join("vi");
    std::fs::write(&vi, FAKE_VI).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&vi, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    vi
}

fn argv(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("bin/argv.log"))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

fn tui_command(dir: &Path, env: &str) -> String {
    format!(
        "{env} PAYLOADS_LOG_DIR={} {} --workspace workspace.ron; echo \"EXITED:$?\"",
        dir.join("logs").display(),
        env!("CARGO_BIN_EXE_payloads"),
    )
}

#[test]
fn e_hands_the_terminal_to_the_editor_and_loads_or_offers_to_fix_what_it_saved() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("workspace.ron");
    std::fs::write(&workspace, DEMO_WORKSPACE).unwrap();
    let vi = write_fake_vi(dir.path());
    let tmux = Tmux::start(dir.path(), 100, 30);
    tmux.send(&[
        &tui_command(dir.path(), &format!("EDITOR={}", vi.display())),
        "Enter",
    ]);
    tmux.wait_for("the TUI", LIMIT, |s| s.contains("Integrations (1)"));

    // Payloads pane, list-contacts (after the token request), E.
    tmux.send(&["BTab", "BTab", "j", "E"]);
    tmux.wait_for("the editor", LIMIT, |s| s.contains("fake-vi: type a line:"));
    let record_line = payloads::editor::record_line(DEMO_WORKSPACE, "list-contacts").unwrap();
    assert_eq!(
        argv(dir.path()),
        [format!("+{record_line} workspace.ron")],
        "opened at the line of the selected record"
    );
    // Keys typed now are the editor's: the TUI does not read them.
    tmux.send(&["-l", "jjq typed into the editor"]);
    tmux.send(&["Enter"]);
    let screen = tmux.wait_for("the edit loaded", LIMIT, |s| {
        s.contains("List every contact")
    });
    assert!(screen.contains("loaded your edits"), "{screen}");
    assert!(
        !screen.contains("fake-vi"),
        "the TUI redrew the whole screen:\n{screen}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("bin/typed.txt")).unwrap(),
        "jjq typed into the editor\n"
    );

    // The editor saves a broken file: the errors show, and reopening is offered.
    tmux.send(&["E"]);
    let screen = tmux.wait_for("the offer to reopen", LIMIT, |s| {
        s.contains("The file has errors") && s.contains("reopen the editor")
    });
    assert!(screen.contains("does not load: read-only"), "{screen}");
    assert!(screen.contains("endpont"), "{screen}");
    let broken = std::fs::read_to_string(&workspace).unwrap();
    let error_line = broken.lines().position(|l| l.contains("endpont:")).unwrap() + 1;

    // Enter reopens it at the error; the fix loads and the banner goes.
    tmux.send(&["Enter"]);
    // (The file watcher may see the fix before the check after the editor does: either loads it.)
    let screen = tmux.wait_for("the fix loaded", LIMIT, |s| {
        argv(dir.path()).len() == 3
            && s.contains("Integrations (1)")
            && !s.contains("does not load")
            && !s.contains("The file has errors")
    });
    assert_eq!(
        argv(dir.path())[2],
        format!("+{error_line} workspace.ron"),
        "reopened at the first error"
    );
    assert!(screen.contains("List every contact"), "{screen}");

    tmux.send(&["q"]);
    tmux.wait_for("the shell", LIMIT, |s| s.contains("EXITED:0"));
}

#[test]
fn quitting_while_a_job_runs_asks_then_records_it_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let workspace = demo_with_a_slow_payload(port);
    let path = dir.path().join("workspace.ron");
    std::fs::write(&path, workspace).unwrap();
    let tmux = Tmux::start(dir.path(), 100, 30);
    let command = format!(
        "PAYLOADS_LOG_DIR={} {} demo --port {port} --workspace workspace.ron; echo \"EXITED:$?\"",
        dir.path().join("logs").display(),
        env!("CARGO_BIN_EXE_payloads"),
    );
    tmux.send(&[&command, "Enter"]);
    tmux.wait_for("the TUI", LIMIT, |s| s.contains("Integrations (1)"));
    tmux.send(&["BTab", "BTab", "G", "r"]);
    tmux.wait_for("the slow Job running", LIMIT, |s| {
        s.lines()
            .any(|l| l.contains("slow") && l.contains("running"))
    });

    tmux.send(&["q"]);
    tmux.wait_for("the question", LIMIT, |s| {
        s.contains("1 Job is running: quit and cancel it?")
    });
    tmux.send(&["y"]);
    tmux.wait_for("the shell", LIMIT, |s| s.contains("EXITED:0"));
    let jobs = JobStore::beside(&path).list(10).unwrap();
    let slow = jobs.iter().find(|j| j.payload == "slow").expect("recorded");
    assert_eq!(slow.status, JobStatus::Cancelled, "{slow:?}");
}

/// Starts the TUI through `sh -c 'echo $$ > pid; exec …'` so the test knows its pid.
fn signal_exits_with(signal: &str, code: u8) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("workspace.ron"), DEMO_WORKSPACE).unwrap();
    let tmux = Tmux::start(dir.path(), 100, 30);
    let command = format!(
        "sh -c 'echo $$ > pid; PAYLOADS_LOG_DIR=logs exec {} --workspace workspace.ron'; echo \"EXITED:$?\"",
        env!("CARGO_BIN_EXE_payloads"),
    );
    tmux.send(&[&command, "Enter"]);
    tmux.wait_for("the TUI", LIMIT, |s| s.contains("Integrations (1)"));
    let pid = std::fs::read_to_string(dir.path().join("pid")).unwrap();
    let killed = std::process::Command::new("kill")
        .args([format!("-{signal}"), pid.trim().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let screen = tmux.wait_for("the shell", LIMIT, |s| {
        s.lines().any(|l| l.starts_with("EXITED:"))
    });
    assert!(
        screen.lines().any(|l| l == format!("EXITED:{code}")),
        "SIG{signal} exits {code}:\n{screen}"
    );
    assert!(!screen.contains("Integrations ("), "restored:\n{screen}");
}

#[test]
fn sigterm_exits_143_and_sighup_129() {
    signal_exits_with("TERM", 143);
    signal_exits_with("HUP", 129);
}
