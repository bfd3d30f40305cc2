//! `payloads export integration ID` and `payloads import FILE`: an Integration with its
//! Credentials, Payloads and the Variables they use as one self-contained RON document, and that
//! document merged into a workspace (id conflicts refused, or renamed with every reference
//! rewritten), saved through the store so the target file's comments stay.
//! The records, conflicts and renames are built in `crate::interchange::transfer` (shared with
//! the TUI); this module opens the workspace and prints.

use super::{Context, output, run};
use crate::interchange::transfer::{
    conflicts, extract, merge_into, read_document, rename_conflicts,
};
use std::process::ExitCode;

pub fn export(ctx: &Context, integration: &str, with_secrets: bool) -> ExitCode {
    let (_store, ws) = match run::open(&ctx.workspace.path) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    if ws.integration(integration).is_none() {
        let known: Vec<&str> = ws.integrations.iter().map(|i| i.id.as_str()).collect();
        return run::usage_error(format_args!(
            "no Integration {integration:?} in {}; known Integrations: {}",
            ctx.workspace.path.display(),
            known.join(", ")
        ));
    }
    let (document, notes) = extract(&ws, integration, with_secrets);
    for note in notes {
        if !ctx.quiet() {
            output::note(note);
        }
    }
    let text = crate::workspace::save::to_text(&document);
    let _ = output::stdout(text.as_bytes());
    ExitCode::SUCCESS
}

pub fn import(ctx: &Context, file: &std::path::Path, rename: bool) -> ExitCode {
    let document = match read_document(file) {
        Ok(doc) => doc,
        Err(e) => return run::usage_error(e),
    };
    let (store, ws) = match run::open(&ctx.workspace.path) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let conflicts = conflicts(&ws, &document);
    if !conflicts.is_empty() && !rename {
        return run::usage_error(format_args!(
            "{} would reuse ids already in {}: {}; nothing was imported (add --rename-conflicts to \
             import them under new ids)",
            file.display(),
            ctx.workspace.path.display(),
            conflicts.join(", ")
        ));
    }
    let (document, renames) = if rename {
        rename_conflicts(&ws, document)
    } else {
        (document, Vec::new())
    };
    let counts = (
        document.integrations.len(),
        document.credentials.len(),
        document.payloads.len(),
        document.variables.len(),
    );
    let saved = store.update(|ws| merge_into(ws, &document));
    if let Err(e) = saved {
        return run::usage_error(format_args!("nothing was imported: {e}"));
    }
    for (kind, from, to) in &renames {
        output::note(format_args!("renamed {kind} {from} to {to}"));
    }
    if !ctx.quiet() {
        output::note(format_args!(
            "imported {} integration(s), {} credential(s), {} payload(s), {} variable(s) into {}",
            counts.0,
            counts.1,
            counts.2,
            counts.3,
            ctx.workspace.path.display()
        ));
    }
    ExitCode::SUCCESS
}
