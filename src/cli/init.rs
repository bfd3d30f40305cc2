//! `payloads init`: a short commented starter workspace (mode 0600) that `payloads check`
//! accepts, never over an existing file; the same file the TUI offers to create when its
//! workspace is missing. And the demo workspace `payloads demo` writes where there is none.

use super::output;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// The starter workspace: empty lists, with one commented example of each record to copy.
pub const STARTER: &str = r#"// A Payloads workspace: the APIs you call (Integrations), how you sign in to them
// (Credentials) and the requests you run (Payloads). `payloads check` validates it;
// docs/workspace-format.md describes every field. In the TUI (`payloads`), `n` adds a record
// to the selected pane: an Integration first, then a Credential, then a Payload.
(
    // (id: "my-api", name: "My API", base_url: "https://api.example.com"),
    integrations: [],
    // A Bearer Token Credential asks how its tokens are obtained (client credentials, a pasted
    // refresh token, a device code or a browser login) and makes its token request for you.
    credentials: [],
    // (id: "list-things", name: "List things", integration: "my-api", kind: Callout,
    //  method: GET, endpoint: "/things", credential: "my-api-oauth"),
    payloads: [],
)
"#;

/// The shipped demo workspace, for `payloads demo` on a missing file.
pub const DEMO: &str = crate::workspace::DEMO_WORKSPACE;

/// Creates `path` with `text`, mode 0600 (it will hold secrets), failing if it exists.
pub fn create(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// What to tell the user after a new workspace was written.
pub fn next_steps(path: &Path) -> String {
    let shown = path.display();
    format!(
        "created {shown} (mode 0600: it will hold secrets). Next:\n  \
         payloads --workspace {shown}      open it in the TUI and add an Integration (n), a Credential, a Payload\n  \
         payloads check --workspace {shown}  validate it after editing it by hand\n\
         To try everything offline first: payloads demo --workspace demo.ron"
    )
}

pub fn init(path: &Path) -> ExitCode {
    match create(path, STARTER) {
        Ok(()) => {
            output::stdout_line(&next_steps(path));
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            output::error(format_args!(
                "{} already exists; init never writes over a file. Open it with \
                 `payloads --workspace {}`, or choose another path with --workspace",
                path.display(),
                path.display()
            ));
            ExitCode::from(super::EXIT_USAGE)
        }
        Err(e) => {
            output::error(format_args!("cannot create {}: {e}", path.display()));
            ExitCode::from(super::EXIT_USAGE)
        }
    }
}

/// Asks on the terminal whether to create the missing workspace at `path`; true once it exists.
/// Without a terminal to ask on, says how to create it and returns false.
pub fn offer_to_create(path: &Path) -> bool {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        output::error(format_args!(
            "{}: no such file. Create a starter workspace with `payloads init --workspace {}`",
            path.display(),
            path.display()
        ));
        return false;
    }
    output::stderr_text(&format!(
        "payloads: {} does not exist. Create it with a starter workspace? [y/N] ",
        path.display()
    ));
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    if std::io::stdin().read_line(&mut answer).is_err() {
        return false;
    }
    if !matches!(answer.trim(), "y" | "Y" | "yes" | "Yes") {
        output::error(format_args!("nothing created"));
        return false;
    }
    match create(path, STARTER) {
        Ok(()) => true,
        Err(e) => {
            output::error(format_args!("cannot create {}: {e}", path.display()));
            false
        }
    }
}
