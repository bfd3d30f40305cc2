//! `payloads export curl PAYLOAD`: the Payload as a curl command, as it would be sent now
//! (templates rendered, the Credential applied, a token that needs it refreshed first). Secrets
//! are written as shell variable references, named in a comment above the command, unless
//! `--reveal` inlines them. The command itself is rendered by `flow::curl`, which the TUI's copy
//! keys share.

use super::Context;
use super::output;
use super::run;
use crate::flow::request;
use crate::jobs::{JobStatus, Trigger};
use crate::workspace::{CredentialAuth, PayloadKind};
use std::process::ExitCode;

pub fn export(ctx: &Context, payload_id: &str, raw_inputs: &[String], reveal: bool) -> ExitCode {
    let workspace = ctx.workspace.path.as_path();
    let given = match super::inputs::resolve(raw_inputs, &mut std::io::stdin().lock()) {
        Ok(inputs) => inputs,
        Err(e) => return run::usage_error(e),
    };
    let (store, snapshot) = match run::open(workspace) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let Some(payload) = snapshot.payload(payload_id).cloned() else {
        return run::usage_error(format_args!(
            "no Payload {payload_id:?} in {}; `payloads check` lists the workspace, <TAB> completes ids",
            workspace.display()
        ));
    };
    let inputs = match request::resolve_inputs(&payload, &given) {
        Ok(inputs) => inputs,
        Err(e) => return run::usage_error(e),
    };
    let runtime = match run::runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    // A Bearer token that a run would refresh first is refreshed first here too.
    let outcome = runtime.block_on(async {
        let runner = run::new_runner(store, workspace);
        let needs = payload.kind != PayloadKind::Credential
            && payload
                .credential
                .as_deref()
                .and_then(|id| snapshot.credential(id))
                .is_some_and(|c| match &c.auth {
                    CredentialAuth::BearerToken(b) => {
                        b.needs_refresh(chrono::Utc::now(), runner.config().margin())
                    }
                    _ => false,
                });
        if let (true, Some(id)) = (needs, payload.credential.as_deref()) {
            let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
            let handle = runner.start_refresh(id, Trigger::ManualRefresh, tx);
            let paint = (!ctx.quiet()).then(|| ctx.color.for_stderr());
            let job = run::follow(handle, rx, paint).await?;
            if job.status != JobStatus::Succeeded {
                output::error(format_args!(
                    "the token of Credential {id} needed a refresh, which {}; \
                     `payloads jobs show {}` says why",
                    job.status.label(),
                    job.id
                ));
                return Err(ExitCode::from(1));
            }
        }
        Ok((runner.store().snapshot(), runner.config().default_timeout))
    });
    let (ws, default_timeout) = match outcome {
        Ok(done) => done,
        Err(code) => return code,
    };
    match crate::flow::curl::payload_command(&ws, &payload, &inputs, default_timeout, reveal) {
        Ok(command) => {
            let _ = output::stdout(command.as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => run::usage_error(e),
    }
}
