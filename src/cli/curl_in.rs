//! `payloads import curl [COMMAND | -] --integration ID [--id ID]`: a curl command becomes a
//! Payload of the Integration, saved through the workspace store (the file's comments stay).
//! A `-u` user or an `Authorization` header becomes a Credential (an existing one reused when
//! it matches), never a value in the Payload.

use super::{Context, output, run};
use crate::interchange::curl_parse;
use crate::interchange::curl_plan::plan;
use std::io::Read;
use std::process::ExitCode;

/// The most of a curl command read from stdin.
const MAX_COMMAND_BYTES: u64 = 1024 * 1024;

pub fn import(
    ctx: &Context,
    command: Option<&str>,
    integration: &str,
    id: Option<&str>,
) -> ExitCode {
    let text = match command {
        Some(text) if text != "-" => text.to_string(),
        _ => {
            let mut bytes = Vec::new();
            if let Err(e) = std::io::stdin()
                .lock()
                .take(MAX_COMMAND_BYTES + 1)
                .read_to_end(&mut bytes)
            {
                return run::usage_error(format_args!(
                    "cannot read the curl command from stdin: {e}"
                ));
            }
            if bytes.len() as u64 > MAX_COMMAND_BYTES {
                return run::usage_error(
                    "the curl command on stdin is over 1 MiB; is it the right input?",
                );
            }
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    let request = match curl_parse::parse(&text) {
        Ok(request) => request,
        Err(e) => {
            return run::usage_error(format_args!(
                "{e}; give one curl command, quoted, or - to read it from stdin"
            ));
        }
    };
    let (store, snapshot) = match run::open(&ctx.workspace.path) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    if snapshot.integration(integration).is_none() {
        let known: Vec<&str> = snapshot
            .integrations
            .iter()
            .map(|i| i.id.as_str())
            .collect();
        return run::usage_error(format_args!(
            "no Integration {integration:?} in {}; known Integrations: {}",
            ctx.workspace.path.display(),
            if known.is_empty() {
                "(none)".to_string()
            } else {
                known.join(", ")
            }
        ));
    }
    if let Some(id) = id
        && snapshot.payload(id).is_some()
    {
        return run::usage_error(format_args!(
            "a Payload {id:?} already exists; choose another id with --id"
        ));
    }
    let plan = match plan(&request, &snapshot, integration, id) {
        Ok(plan) => plan,
        Err(e) => return run::usage_error(e),
    };
    for warning in &request.warnings {
        output::note(format_args!("warning: {warning}"));
    }
    let saved = store.update(|ws| {
        if let Some(credential) = &plan.new_credential {
            ws.credentials.push(credential.clone());
        }
        ws.payloads.push(plan.payload.clone());
    });
    if let Err(e) = saved {
        return run::usage_error(format_args!("the Payload was not added: {e}"));
    }
    for note in plan.credential_note.iter().chain(&plan.notes) {
        output::note(note);
    }
    if !ctx.quiet() {
        output::note(format_args!(
            "added Payload {} ({} {}) to {}; run it with `payloads run {}`",
            plan.payload.id,
            plan.payload.method.as_str(),
            plan.payload.endpoint,
            ctx.workspace.path.display(),
            plan.payload.id
        ));
    }
    let _ = output::stdout(format!("{}\n", plan.payload.id).as_bytes());
    ExitCode::SUCCESS
}
