//! `payloads run` and `payloads refresh`: the flow headless, events on stderr, body on stdout.

use super::Context;
use super::output::{self, Hue, Paint};
use crate::flow::{RunEvent, RunEventKind, RunHandle, RunRequest, Runner, RunnerConfig};
use crate::jobs::render::{format_http_status, printable};
use crate::jobs::{Job, JobStatus, JobStore, Redactor, ResponseRecord, Trigger};
use crate::workspace::{CredentialAuth, Workspace, WorkspaceStore};
use chrono::Local;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

const EXIT_FAILED: u8 = 1;

pub(super) fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    output::error(message);
    ExitCode::from(super::EXIT_USAGE)
}

pub(super) fn open(workspace: &Path) -> Result<(WorkspaceStore, Arc<Workspace>), ExitCode> {
    // Load errors already read `path:line:col: what is wrong`.
    let store = WorkspaceStore::open(workspace).map_err(usage_error)?;
    let snapshot = store.snapshot();
    crate::logging::add_secrets(&Redactor::from_workspace(&snapshot));
    Ok((store, snapshot))
}

/// One thread: a headless run is a token request and a call in sequence, so a worker pool would
/// only add threads to start, stacks to touch and futexes to wake.
pub(super) fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| usage_error(format_args!("cannot start the async runtime: {e}")))
}

pub fn run(ctx: &Context, payload: &str, inputs: &[String], json: bool) -> ExitCode {
    let workspace = ctx.workspace.path.as_path();
    // Only an `@-` input reads stdin.
    let inputs = match super::inputs::resolve(inputs, &mut std::io::stdin().lock()) {
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
        let runner = new_runner(store, workspace);
        recover_tokens(&runner).await;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let handle = runner.start(
            RunRequest {
                payload_id: payload.into(),
                inputs,
                trigger: Trigger::Cli,
            },
            tx,
        );
        let job = follow(handle, rx, events_paint(ctx)).await?;
        super::jobs::report_import(runner.jobs());
        Ok::<Job, ExitCode>(job)
    });
    let job = match job {
        Ok(job) => job,
        Err(code) => return code,
    };
    if ctx.verbose() {
        print_exchanges(workspace, &job);
    }
    // The run is saved and recorded by now: a reader that went away (`| head -1`) only means
    // the rest of the output is dropped, and the exit code is still the run's.
    if json {
        let text = serde_json::to_string_pretty(&job).unwrap_or_default();
        let _ = output::stdout_text(&format!("{text}\n"));
    } else if let Some(response) = job
        .response
        .as_ref()
        // `-q` prints a body only when the run succeeded; its one line on stderr says the rest.
        .filter(|_| !ctx.quiet() || job.status == JobStatus::Succeeded)
    {
        let mut body = response.body.clone();
        if !body.is_empty() && !body.ends_with('\n') {
            body.push('\n');
        }
        let _ = output::stdout_text(&body);
        if response.truncated && !ctx.quiet() {
            output::error(format_args!(
                "the body was {} bytes; only the first {} are kept and shown",
                response.body_bytes,
                response.body.len()
            ));
        }
        if let Some(note) = body_note(response).filter(|_| !ctx.quiet()) {
            output::error(note);
        }
    }
    if ctx.quiet() {
        quiet_failure_line(&job);
    }
    exit_for(&job)
}

/// The colours of the event lines on stderr, or `None` when `-q` silences them.
fn events_paint(ctx: &Context) -> Option<Paint> {
    (!ctx.quiet()).then(|| ctx.color.for_stderr())
}

/// With `-q`, a failed run's only word: one line on stderr.
fn quiet_failure_line(job: &Job) {
    if job.status == JobStatus::Succeeded {
        return;
    }
    let why = job
        .error
        .as_deref()
        .map(|e| format!(": {}", printable(e)))
        .unwrap_or_default();
    output::error(format_args!(
        "{} {}{why} (`payloads jobs show {}` has the details)",
        printable(&job.payload),
        job.status.label(),
        job.id
    ));
}

/// `-v`: each Job of the run (the token request first, when there was one) with its timeline
/// and the request and response headers, as recorded (so redacted), on stderr.
fn print_exchanges(workspace: &Path, job: &Job) {
    let refresh = job
        .linked_job
        .as_ref()
        .and_then(|id| JobStore::beside(workspace).get(id).ok().flatten());
    for job in refresh.iter().chain(std::iter::once(job)) {
        output::stderr_line(&exchange_text(job));
    }
}

/// A Job's timeline, then `> ` request and `< ` response lines, as curl -v writes them.
pub fn exchange_text(job: &Job) -> String {
    use std::fmt::Write as _;
    let mut out = format!("* Job {} ({})\n", job.id, printable(&job.payload));
    for step in &job.steps {
        let _ = writeln!(
            out,
            "* {} {}",
            step.at.with_timezone(&Local).format("%H:%M:%S%.3f"),
            printable(&step.text)
        );
    }
    if let Some(request) = &job.request {
        let _ = writeln!(
            out,
            "> {} {}",
            printable(&request.method),
            printable(&request.url)
        );
        for (name, value) in &request.headers {
            let _ = writeln!(out, "> {}: {}", printable(name), printable(value));
        }
        if let Some(body) = &request.body {
            let _ = writeln!(out, "> ({} bytes of body)", body.len());
        }
    }
    if let Some(response) = &job.response {
        let _ = writeln!(out, "< {}", format_http_status(response.status));
        for (name, value) in &response.headers {
            let _ = writeln!(out, "< {}: {}", printable(name), printable(value));
        }
        let _ = writeln!(out, "< ({} bytes of body)", response.body_bytes);
    }
    out.trim_end().to_string()
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

pub fn refresh(ctx: &Context, credential: &str, json: bool) -> ExitCode {
    let workspace = ctx.workspace.path.as_path();
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
        let runner = new_runner(store, workspace);
        recover_tokens(&runner).await;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let handle = runner.start_refresh(credential, Trigger::ManualRefresh, tx);
        let job = follow(handle, rx, events_paint(ctx)).await?;
        super::jobs::report_import(runner.jobs());
        Ok::<(Job, Arc<Workspace>), ExitCode>((job, runner.store().snapshot()))
    });
    let (job, after) = match outcome {
        Ok(done) => done,
        Err(code) => return code,
    };
    if ctx.verbose() {
        output::stderr_line(&exchange_text(&job));
    }
    if json {
        let text = serde_json::to_string_pretty(&job).unwrap_or_default();
        let _ = output::stdout(format!("{text}\n").as_bytes());
    } else if job.status == JobStatus::Succeeded && !ctx.quiet() {
        let expiry = after.credential(credential).and_then(|c| match &c.auth {
            CredentialAuth::BearerToken(b) => b.expires_at(),
            _ => None,
        });
        let line = match expiry {
            Some(at) => format!(
                "Credential {credential} refreshed; the new access token expires at {} (in {} min)\n",
                at.with_timezone(&Local).format("%Y-%m-%d %H:%M:%S %Z"),
                // Rounded: a 300 s token just obtained is "in 5 min", not "in 4 min".
                ((at - chrono::Utc::now()).num_seconds().max(0) + 30) / 60
            ),
            None => format!("Credential {credential} refreshed\n"),
        };
        let _ = output::stdout(printable(&line).as_bytes());
    }
    if ctx.quiet() {
        quiet_failure_line(&job);
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
    if let Some(why) = &response.undecodable {
        return Some(format!("the {why}; it is shown as far as it was decoded"));
    }
    if let Some(encoding) = header("content-encoding").filter(|e| !e.is_empty() && e != "identity")
    {
        return Some(format!(
            "the body is {encoding}-compressed and is shown as received, not decompressed"
        ));
    }
    response.not_utf8.then(|| {
        let kind = header("content-type").unwrap_or_else(|| "no content type".to_string());
        format!(
            "the body ({kind}) is not UTF-8 text; bytes that are not UTF-8 are shown as \u{FFFD}"
        )
    })
}

pub(super) fn new_runner(store: WorkspaceStore, workspace: &Path) -> Runner {
    let jobs = JobStore::beside(workspace);
    jobs.set_limits(crate::jobs::JobLimits::from_settings(
        &store.snapshot().settings,
    ));
    // A history that cannot be written never stops a run: it is said once, with what to do.
    jobs.on_failure(|message| output::error(format_args!("{message}; the run goes on")));
    Runner::new(Arc::new(store), Arc::new(jobs), RunnerConfig::default())
}

/// Prints every event as it happens until the run ends; Ctrl-C cancels the run.
pub(super) async fn follow(
    handle: RunHandle,
    mut events: tokio::sync::mpsc::UnboundedReceiver<RunEvent>,
    paint: Option<Paint>,
) -> Result<Job, ExitCode> {
    let cancel = handle.cancel.clone();
    let ctrl_c = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            cancel.cancel();
        }
    });
    // The channel closes when the run and any refresh it made have dropped their senders.
    while let Some(event) = events.recv().await {
        if let Some(paint) = paint {
            output::stderr_line(&painted(paint, &event));
        }
    }
    ctrl_c.abort();
    handle.done.await.map_err(|e| {
        usage_error(format_args!(
            "the run stopped unexpectedly ({e}); `payloads jobs` shows what was recorded"
        ))
    })
}

/// Applies the token journals an interrupted refresh left (saying so) before anything runs.
async fn recover_tokens(runner: &Runner) {
    for note in runner.recover_tokens().await {
        output::error(note);
    }
}

pub(super) fn exit_for(job: &Job) -> ExitCode {
    if job.status == JobStatus::Succeeded {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILED)
    }
}

/// An event line with its outcome coloured: the status word of a finished Job or refresh.
fn painted(paint: Paint, event: &RunEvent) -> String {
    let line = event_line(event);
    if !paint.0 {
        return line;
    }
    let (word, status) = match &event.kind {
        RunEventKind::Finished => (event.job.status.label(), event.job.status),
        RunEventKind::RefreshFinished { ok: true, .. } => ("succeeded", JobStatus::Succeeded),
        RunEventKind::RefreshFinished { ok: false, .. } => ("failed", JobStatus::Failed),
        _ => return paint.paint(Hue::Dim, &line),
    };
    // The time (`13:45:02.123 `) and the Payload column come first; the status word follows.
    let from = (13 + event.job.payload.len()).min(line.len());
    let found = line
        .get(from..)
        .and_then(|rest| rest.find(&format!(" {word}")))
        .map(|at| from + at);
    match found {
        Some(at) => format!(
            "{}{}{}",
            &line[..=at],
            paint.status(status, word),
            &line[at + 1 + word.len()..]
        ),
        None => line,
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
            // Values the response model expected and did not find are said, not hidden.
            let missing = job
                .missing_note()
                .map(|note| format!("; {note}"))
                .unwrap_or_default();
            match (&job.status, &job.error) {
                (JobStatus::Succeeded, _) => format!("succeeded{took}{missing}"),
                (status, Some(error)) => format!("{}{took}: {error}", status.label()),
                (status, None) => format!("{}{took}", status.label()),
            }
        }
    };
    // Server text (reasons, error descriptions) and workspace names are shown, never obeyed.
    printable(&format!(
        "{} {:<16} {text}",
        event.at.with_timezone(&Local).format("%H:%M:%S%.3f"),
        job.payload
    ))
}
