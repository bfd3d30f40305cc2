//! `payloads login CREDENTIAL`: a Bearer Token Credential's first tokens by its login (device
//! code or browser with PKCE); the prompt and events on stderr, saved like a refresh.

use super::output;
use super::run::{event_line, exit_for, new_runner, open, runtime, usage_error};
use crate::flow::{LoginOptions, LoginPrompt};
use crate::jobs::Job;
use crate::workspace::CredentialAuth;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

pub fn login(
    workspace: &Path,
    credential: &str,
    issuer: Option<String>,
    no_browser: bool,
) -> ExitCode {
    let (store, snapshot) = match open(workspace) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let with_login: Vec<&str> = snapshot
        .credentials
        .iter()
        .filter(|c| matches!(&c.auth, CredentialAuth::BearerToken(b) if b.login.is_some()))
        .map(|c| c.id.as_str())
        .collect();
    let known = match snapshot.credential(credential) {
        Some(c) => match &c.auth {
            CredentialAuth::BearerToken(b) if b.login.is_some() => None,
            CredentialAuth::BearerToken(_) => Some(format!(
                "Credential {credential:?} has no login (add `login: DeviceCode(…)` or \
                 `login: AuthorizationCode(…)` to it, docs/workspace-format.md)"
            )),
            other => Some(format!(
                "Credential {credential:?} is a {} Credential, which does not log in",
                other.type_name()
            )),
        },
        None => Some(format!(
            "no Credential {credential:?} in {}",
            workspace.display()
        )),
    };
    if let Some(what) = known {
        return usage_error(format_args!(
            "{what}; Credentials with a login: {}",
            if with_login.is_empty() {
                "(none)".to_string()
            } else {
                with_login.join(", ")
            }
        ));
    }
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let job = runtime.block_on(async {
        let runner = new_runner(store, workspace);
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let (prompt_tx, mut prompt_rx) = tokio::sync::mpsc::unbounded_channel();
        let options = LoginOptions {
            issuer,
            open_browser: !no_browser,
        };
        let handle = runner.start_login(credential, options, prompt_tx, tx);
        let cancel = handle.cancel.clone();
        let ctrl_c = tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                cancel.cancel();
            }
        });
        let mut prompts_open = true;
        loop {
            tokio::select! {
                event = rx.recv() => match event {
                    Some(event) => output::stderr_line(&event_line(&event)),
                    None => break,
                },
                prompt = prompt_rx.recv(), if prompts_open => match prompt {
                    Some(prompt) => show(&prompt),
                    None => prompts_open = false,
                },
            }
        }
        ctrl_c.abort();
        let job: Job = match handle.done.await {
            Ok(job) => job,
            Err(e) => return Err(usage_error(format_args!("the login task failed: {e}"))),
        };
        Ok::<Job, ExitCode>(job)
    });
    let job = match job {
        Ok(job) => job,
        Err(code) => return code,
    };
    if job.status == crate::jobs::JobStatus::Succeeded {
        output::stdout_line(&format!(
            "Credential {credential} logged in; its tokens are saved in {}",
            workspace.display()
        ));
    }
    exit_for(&job)
}

/// The prompt, on stderr: where to go and what to enter (a QR code too when stderr is a
/// terminal). Its text was checked when it was read: plain user code, http(s) URLs.
fn show(prompt: &LoginPrompt) {
    match prompt {
        LoginPrompt::Device {
            verification_uri,
            verification_uri_complete,
            user_code,
            expires_in,
        } => {
            output::stderr_line("");
            output::stderr_line(&format!("  To log in, open  {verification_uri}"));
            output::stderr_line(&format!("  and enter the code  {user_code}"));
            if let Some(complete) = verification_uri_complete {
                output::stderr_line(&format!("  (or open {complete}, which carries the code)"));
                if std::io::stderr().is_terminal()
                    && let Some(lines) = crate::oauth::qr::half_block_lines(complete)
                {
                    // Light modules on a dark ground, whatever the terminal's colours.
                    for line in lines {
                        output::stderr_line(&format!("  \x1b[97;40m{line}\x1b[0m"));
                    }
                }
            }
            output::stderr_line(&format!(
                "  The code expires in {} min. Waiting for approval (Ctrl-C cancels)…",
                expires_in.as_secs().div_ceil(60)
            ));
            output::stderr_line("");
        }
        LoginPrompt::Browser { url, opened } => {
            output::stderr_line("");
            if *opened {
                output::stderr_line("  Your browser was opened at:");
            } else {
                output::stderr_line("  Open this in a browser on this machine:");
            }
            output::stderr_line(&format!("  {url}"));
            output::stderr_line("  Waiting for it to come back (Ctrl-C cancels)…");
            output::stderr_line("");
        }
    }
}
