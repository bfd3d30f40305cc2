//! `payloads run` and `payloads refresh`: the flow headless, events on stderr, body on stdout.

use crate::flow::{RunEvent, RunEventKind, RunHandle, RunRequest, Runner, RunnerConfig};
use crate::jobs::{Job, JobStatus, JobStore, Redactor, ResponseRecord, Trigger};
use crate::workspace::{CredentialAuth, Workspace, WorkspaceStore};
use chrono::Local;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

const EXIT_FAILED: u8 = 1;

fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("payloads: {message}");
    ExitCode::from(super::EXIT_USAGE)
}

/// `NAME=VALUE` pairs; the value may itself hold `=`.
pub fn parse_inputs(raw: &[String]) -> Result<Vec<(String, String)>, String> {
    raw.iter()
        .map(|item| match item.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                Ok((name.trim().to_string(), value.to_string()))
            }
            _ => Err(format!(
                "--input {item:?} is not NAME=VALUE (for example --input contact_id=42)"
            )),
        })
        .collect()
}

fn open(workspace: &Path) -> Result<(WorkspaceStore, Workspace), ExitCode> {
    // Load errors already read `path:line:col: what is wrong`.
    let store = WorkspaceStore::open(workspace).map_err(usage_error)?;
    let snapshot = store.snapshot();
    crate::logging::add_secrets(&Redactor::from_workspace(&snapshot));
    Ok((store, snapshot))
}

fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| usage_error(format_args!("cannot start the async runtime: {e}")))
}

pub fn run(workspace: &Path, payload: &str, inputs: &[String], json: bool) -> ExitCode {
    let inputs = match parse_inputs(inputs) {
        Ok(inputs) => inputs,
        Err(e) => return usage_error(e),
    };
    let (store, snapshot) = match open(workspace) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    if snapshot.payload(payload).is_none() {
        let known: Vec<&str> = snapshot.payloads.iter().map(|p| p.id.as_str()).collect();
        return usage_error(format_args!(
            "no Payload {payload:?} in {}; known Payloads: {}",
            workspace.display(),
            if known.is_empty() {
                "(none)".to_string()
            } else {
                known.join(", ")
            }
        ));
    }
    if let Err(message) = check_inputs(&snapshot, payload, &inputs) {
        return usage_error(message);
    }
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let job = runtime.block_on(async {
        let runner = new_runner(store, workspace)?;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let handle = runner.start(
            RunRequest {
                payload_id: payload.to_string(),
                inputs,
                trigger: Trigger::Cli,
            },
            tx,
        );
        let job = follow(handle, rx).await;
        super::jobs::report_import(runner.jobs());
        Ok::<Job, ExitCode>(job)
    });
    let job = match job {
        Ok(job) => job,
        Err(code) => return code,
    };
    let mut stdout = std::io::stdout().lock();
    if json {
        let text = serde_json::to_string_pretty(&job).unwrap_or_default();
        let _ = writeln!(stdout, "{text}");
    } else if let Some(response) = &job.response {
        let _ = stdout.write_all(response.body.as_bytes());
        if !response.body.is_empty() && !response.body.ends_with('\n') {
            let _ = stdout.write_all(b"\n");
        }
        if response.truncated {
            eprintln!(
                "payloads: the body was {} bytes; only the first {} are kept and shown",
                response.body_bytes,
                response.body.len()
            );
        }
        if let Some(note) = body_note(response) {
            eprintln!("payloads: {note}");
        }
    }
    let _ = stdout.flush();
    exit_for(&job)
}

/// The `--input`s must match the Payload's dynamic inputs: a misspelt name or a required input
/// left out is a usage error, found before anything runs.
fn check_inputs(
    workspace: &Workspace,
    payload_id: &str,
    given: &[(String, String)],
) -> Result<(), String> {
    let Some(payload) = workspace.payload(payload_id) else {
        return Ok(());
    };
    let declared: Vec<&str> = payload.inputs.iter().map(|i| i.name.as_str()).collect();
    if let Some((name, _)) = given
        .iter()
        .find(|(name, _)| !declared.contains(&name.as_str()))
    {
        return Err(format!(
            "Payload {payload_id} has no input {name:?}; its inputs: {}",
            if declared.is_empty() {
                "(none)".to_string()
            } else {
                declared.join(", ")
            }
        ));
    }
    let missing: Vec<&str> = payload
        .inputs
        .iter()
        .filter(|i| i.default.is_none() && !given.iter().any(|(name, _)| *name == i.name))
        .map(|i| i.name.as_str())
        .collect();
    match missing.as_slice() {
        [] => Ok(()),
        names => Err(format!(
            "missing input {}: give it with {}",
            names.join(", "),
            names
                .iter()
                .map(|n| format!("--input {n}=VALUE"))
                .collect::<Vec<_>>()
                .join(" ")
        )),
    }
}

pub fn refresh(workspace: &Path, credential: &str) -> ExitCode {
    let (store, snapshot) = match open(workspace) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let bearer_ids: Vec<&str> = snapshot
        .credentials
        .iter()
        .filter(|c| matches!(c.auth, CredentialAuth::BearerToken(_)))
        .map(|c| c.id.as_str())
        .collect();
    match snapshot.credential(credential) {
        Some(c) if matches!(c.auth, CredentialAuth::BearerToken(_)) => {}
        found => {
            let what = match found {
                Some(c) => {
                    let kind = c.auth.type_name();
                    let article = if kind.starts_with(['A', 'E', 'I', 'O', 'U']) {
                        "an"
                    } else {
                        "a"
                    };
                    format!(
                        "Credential {credential:?} is {article} {kind} Credential, which has no tokens to refresh"
                    )
                }
                None => format!("no Credential {credential:?} in {}", workspace.display()),
            };
            return usage_error(format_args!(
                "{what}; Bearer Token Credentials: {}",
                if bearer_ids.is_empty() {
                    "(none)".to_string()
                } else {
                    bearer_ids.join(", ")
                }
            ));
        }
    }
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let outcome = runtime.block_on(async {
        let runner = new_runner(store, workspace)?;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let handle = runner.start_refresh(credential, Trigger::ManualRefresh, tx);
        let job = follow(handle, rx).await;
        super::jobs::report_import(runner.jobs());
        Ok::<(Job, Workspace), ExitCode>((job, runner.store().snapshot()))
    });
    let (job, after) = match outcome {
        Ok(done) => done,
        Err(code) => return code,
    };
    if job.status == JobStatus::Succeeded {
        let expiry = after.credential(credential).and_then(|c| match &c.auth {
            CredentialAuth::BearerToken(b) => b.expires_at(),
            _ => None,
        });
        match expiry {
            Some(at) => println!(
                "Credential {credential} refreshed; the new access token expires at {} (in {} min)",
                at.with_timezone(&Local).format("%Y-%m-%d %H:%M:%S %Z"),
                // Rounded: a 300 s token just obtained is "in 5 min", not "in 4 min".
                ((at - chrono::Utc::now()).num_seconds().max(0) + 30) / 60
            ),
            None => println!("Credential {credential} refreshed"),
        }
    }
    exit_for(&job)
}

/// What the user should know about a body that is not shown as the server sent it: one that
/// is compressed (the server compressed it unasked) or not UTF-8 text (its bytes are kept as text,
/// so those that are not UTF-8 are shown as U+FFFD).
fn body_note(response: &ResponseRecord) -> Option<String> {
    let header = |name: &str| {
        response
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_ascii_lowercase())
    };
    if let Some(encoding) = header("content-encoding").filter(|e| !e.is_empty() && e != "identity")
    {
        return Some(format!(
            "the body is {encoding}-compressed and is shown as received, not decompressed"
        ));
    }
    response.body.contains('\u{FFFD}').then(|| {
        let kind = header("content-type").unwrap_or_else(|| "no content type".to_string());
        format!(
            "the body ({kind}) is not UTF-8 text; bytes that are not UTF-8 are shown as \u{FFFD}"
        )
    })
}

fn new_runner(store: WorkspaceStore, workspace: &Path) -> Result<Runner, ExitCode> {
    let jobs = JobStore::beside(workspace);
    jobs.set_limits(crate::jobs::JobLimits::from_settings(
        &store.snapshot().settings,
    ));
    // A history that cannot be written never stops a run: it is said once, with what to do.
    jobs.on_failure(|message| eprintln!("payloads: {message}; the run goes on"));
    let runner = Runner::new(Arc::new(store), Arc::new(jobs), RunnerConfig::default())
        .map_err(usage_error)?;
    Ok(runner)
}

/// Prints every event as it happens until the run ends; Ctrl-C cancels the run.
async fn follow(
    handle: RunHandle,
    mut events: tokio::sync::mpsc::UnboundedReceiver<RunEvent>,
) -> Job {
    let cancel = handle.cancel.clone();
    let ctrl_c = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            cancel.cancel();
        }
    });
    // The channel closes when the run and any refresh it made have dropped their senders.
    while let Some(event) = events.recv().await {
        eprintln!("{}", event_line(&event));
    }
    ctrl_c.abort();
    match handle.done.await {
        Ok(job) => job,
        Err(e) => panic!("the run task failed: {e}"),
    }
}

fn exit_for(job: &Job) -> ExitCode {
    if job.status == JobStatus::Succeeded {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILED)
    }
}

/// `13:45:02.123 list-contacts  refresh started (job …)`: one line per event, already redacted.
pub fn event_line(event: &RunEvent) -> String {
    let job = &event.job;
    let text = match &event.kind {
        RunEventKind::JobCreated => match &job.trigger {
            Trigger::RefreshFor(_) => format!("token request queued (job {})", job.id),
            _ => format!("queued (job {})", job.id),
        },
        RunEventKind::RefreshStarted { refresh_job } => {
            format!("refresh started (job {refresh_job})")
        }
        RunEventKind::RefreshFinished { refresh_job, ok } => format!(
            "refresh {} (job {refresh_job})",
            if *ok { "succeeded" } else { "failed" }
        ),
        RunEventKind::RequestSent => match &job.request {
            Some(r) => format!("sending {} {}", r.method, r.url),
            None => "sending the request".to_string(),
        },
        RunEventKind::ResponseReceived { status } => {
            let reason = reqwest::StatusCode::from_u16(*status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("");
            let size = job
                .response
                .as_ref()
                .map(|r| {
                    format!(
                        " ({} bytes{})",
                        r.body_bytes,
                        if r.truncated { ", cut" } else { "" }
                    )
                })
                .unwrap_or_default();
            format!("answered {status} {reason}{size}")
        }
        RunEventKind::TargetsApplied => {
            let written: Vec<String> = job
                .targets
                .iter()
                .map(|t| match &t.error {
                    Some(e) => format!("{} (not written: {e})", t.target),
                    None => t.target.clone(),
                })
                .collect();
            format!("data targets applied: {}", written.join(", "))
        }
        RunEventKind::WorkspaceSaved => "workspace saved".to_string(),
        RunEventKind::WorkspaceReloaded => {
            "workspace reloaded (another process had changed it)".to_string()
        }
        RunEventKind::Finished => {
            let took = job
                .duration_ms
                .map(|ms| format!(" in {ms} ms"))
                .unwrap_or_default();
            match (&job.status, &job.error) {
                (JobStatus::Succeeded, _) => format!("succeeded{took}"),
                (status, Some(error)) => format!("{}{took}: {error}", status.label()),
                (status, None) => format!("{}{took}", status.label()),
            }
        }
    };
    format!(
        "{} {:<16} {text}",
        event.at.with_timezone(&Local).format("%H:%M:%S%.3f"),
        job.payload
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_name_equals_value() {
        assert_eq!(
            parse_inputs(&["a=1".into(), "b=x=y".into(), "c=".into()]).unwrap(),
            vec![
                ("a".to_string(), "1".to_string()),
                ("b".to_string(), "x=y".to_string()),
                ("c".to_string(), String::new())
            ]
        );
        assert!(parse_inputs(&["novalue".into()]).is_err());
        assert!(parse_inputs(&["=v".into()]).is_err());
    }
}
