//! The real binary in a real terminal, for end-to-end tests: a tmux server of our own (its own
//! socket) to type into and read the screen of.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A tmux server of our own (its own socket), killed when the test ends however it ends.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn start(dir: &Path, width: u16, height: u16) -> Tmux {
        let tmux = Tmux {
            socket: format!(
                "payloads-e2e-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            ),
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

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux is installed")
    }

    pub fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success());
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "e2e"]).stdout).into_owned()
    }

    /// Polls the screen until `ready` holds, for at most `limit`.
    pub fn wait_for(&self, what: &str, limit: Duration, ready: impl Fn(&str) -> bool) -> String {
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
            // A tmux pane raises no event when its text changes: this is the interval of a poll
            // bounded by `deadline` above, not a wait for something to happen.
            std::thread::sleep(Duration::from_millis(100)); // ok: bounded poll interval
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// A port for the sandbox a child process starts; see `common::ports` for why not `bind(0)`.
pub fn free_port() -> u16 {
    crate::common::ports::port_outside_the_ephemeral_range()
}

/// The demo workspace on the sandbox at `port`, plus a Payload `slow` whose answer takes 30 s:
/// a Job that is still running when a test quits, hangs up or signals the TUI.
pub fn demo_with_a_slow_payload(port: u16) -> String {
    let slow = r#"        (
            id: "slow",
            name: "Slow answer",
            integration: "sandbox",
            kind: Webhook,
            method: GET,
            endpoint: "/api/slow?ms=30000",
        ),
    ],
    // Variables"#;
    let workspace = payloads::workspace::DEMO_WORKSPACE
        .replace("127.0.0.1:8787", &format!("127.0.0.1:{port}"))
        .replacen("    ],\n    // Variables", slow, 1);
    assert!(
        workspace.contains("\"slow\""),
        "the demo's Payloads list moved"
    );
    workspace
}
