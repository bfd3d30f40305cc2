//! The real binary in a real terminal: `payloads demo` in tmux against its in-process sandbox.
//! Run `list-contacts` from the keyboard, see it succeed in the Jobs pane, quit, and find the
//! shell again. Needs tmux (`.ci/run` installs it).

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A tmux server of our own (its own socket), killed when the test ends however it ends.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(dir: &Path, width: u16, height: u16) -> Tmux {
        let tmux = Tmux {
            socket: format!("payloads-e2e-{}", std::process::id()),
        };
        let out = tmux.run(&[
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            "-c",
            dir.to_str().unwrap(),
            "env -i PATH=/usr/bin:/bin TERM=xterm-256color HOME=/tmp bash --norc --noprofile",
        ]);
        assert!(
            out.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        tmux
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux is installed")
    }

    fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success());
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "e2e"]).stdout).into_owned()
    }

    /// Polls the screen until `ready` holds, for at most `limit`.
    fn wait_for(&self, what: &str, limit: Duration, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

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
    tmux.wait_for("the TUI", Duration::from_secs(20), |s| {
        s.contains("Integrations (1)")
    });

    // To Payloads, filter down to list-contacts, run it.
    tmux.send(&["BTab", "BTab", "/"]);
    tmux.send(&["-l", "list-contacts"]);
    tmux.send(&["Enter", "r"]);
    let screen = tmux.wait_for("list-contacts to succeed", Duration::from_secs(20), |s| {
        s.lines()
            .any(|l| l.contains("✓") && l.contains("list-contacts") && l.contains("succeeded"))
    });
    assert!(
        screen.lines().any(|l| l.contains("└")
            && l.contains("sandbox-oauth-token")
            && l.contains("succeeded")),
        "the token refresh ran first, shown under its Job:\n{screen}"
    );

    tmux.send(&["q"]);
    let screen = tmux.wait_for("the shell", Duration::from_secs(20), |s| {
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
