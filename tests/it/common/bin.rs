//! The one way the tests run the `payloads` binary: in a clean environment (no `PAYLOADS_*`,
//! `NO_COLOR`, `EDITOR` or anything else from the shell running the tests, unless a test gives
//! it), with HOME, the XDG directories and the log directory inside the test's own directory, so
//! no test reads or writes the user's files and no two tests share one.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A run of the binary being set up: `payloads(dir).workspace(&path).args(&[..]).output()`.
pub struct Bin {
    command: Command,
    stdin: Option<Vec<u8>>,
}

/// The binary with `dir` as its working directory and the home of everything it writes
/// (`dir/home`, `dir/logs`).
pub fn payloads(dir: &Path) -> Bin {
    let mut command = Command::new(env!("CARGO_BIN_EXE_payloads"));
    let home = dir.join("home");
    command
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("PAYLOADS_LOG_DIR", dir.join("logs"))
        .stdin(Stdio::null());
    Bin {
        command,
        stdin: None,
    }
}

/// The binary run on the workspace file `workspace` (`--workspace`), from its directory.
pub fn payloads_on(workspace: &Path) -> Bin {
    let dir = workspace
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    payloads(&dir).workspace(workspace)
}

impl Bin {
    pub fn workspace(mut self, path: &Path) -> Bin {
        self.command.arg("--workspace").arg(path);
        self
    }

    pub fn args<S: AsRef<std::ffi::OsStr>>(mut self, args: &[S]) -> Bin {
        self.command.args(args);
        self
    }

    /// One more variable in the clean environment.
    pub fn env(mut self, name: &str, value: impl AsRef<std::ffi::OsStr>) -> Bin {
        self.command.env(name, value);
        self
    }

    pub fn envs(mut self, vars: &[(&str, &str)]) -> Bin {
        for (name, value) in vars {
            self.command.env(name, value);
        }
        self
    }

    /// What the binary reads on stdin (otherwise nothing: stdin is closed).
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Bin {
        self.stdin = Some(bytes.into());
        self
    }

    /// The command itself, for a test that needs more (a pipe, a child to signal).
    pub fn command(self) -> Command {
        self.command
    }

    /// Runs it to its end: exit status, stdout, stderr.
    pub fn output(mut self) -> Output {
        let Some(input) = self.stdin.take() else {
            return self.command.output().expect("the binary starts");
        };
        self.command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.command.spawn().expect("the binary starts");
        let mut pipe = child.stdin.take().expect("stdin is piped");
        // Written on a thread: a child that fills its stdout before reading all of stdin would
        // otherwise wait on us while we wait on it.
        let writer = std::thread::spawn(move || {
            use std::io::Write;
            let _ = pipe.write_all(&input);
        });
        let output = child.wait_with_output().expect("the binary runs");
        writer.join().expect("the stdin writer does not panic");
        output
    }

    /// `output` off the async runtime, which keeps serving the test's mock servers meanwhile.
    pub async fn output_async(self) -> Output {
        tokio::task::spawn_blocking(move || self.output())
            .await
            .expect("the run does not panic")
    }
}

/// Bytes of stdout or stderr as text (invalid UTF-8 replaced, so a test can still print it).
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
