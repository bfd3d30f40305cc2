//! Integrations out and in, shared by `payloads export integration` / `payloads import` and the
//! TUI: the self-contained export document built from a Workspace (secrets as `{{env.NAME}}`
//! unless asked), reading such a document (bounded), and merging one into a workspace with id
//! conflicts listed or renamed and every reference rewritten.

use crate::template::{self, Placeholder};
use crate::workspace::{CredentialAuth, Target, Workspace};
use std::collections::BTreeMap;
use std::path::Path;

/// The largest document an import reads.
pub const MAX_DOCUMENT_BYTES: u64 = 16 * 1024 * 1024;

/// One renamed record of an import: its kind (`payload`), old id and new id.
pub type Rename = (&'static str, String, String);

/// Reads and parses an export document, at most [`MAX_DOCUMENT_BYTES`]; the error is a sentence
/// naming the file.
pub fn read_document(file: &Path) -> Result<Workspace, String> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(file)
        .and_then(|f| {
            f.take(MAX_DOCUMENT_BYTES)
                .read_to_string(&mut text)
                .map(|_| ())
        })
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    crate::workspace::load::parse_syntax(file, &text)
        .map_err(|d| format!("{} is not a workspace document:\n{d}", file.display()))
}

/// Adds the (already conflict-free) document's records to `ws`; a Variable already there under
/// the same name is shared.
pub fn merge_into(ws: &mut Workspace, document: &Workspace) {
    ws.integrations
        .extend(document.integrations.iter().cloned());
    ws.credentials.extend(document.credentials.iter().cloned());
    ws.payloads.extend(document.payloads.iter().cloned());
    for v in &document.variables {
        if !ws.variables.iter().any(|w| w.name == v.name) {
            ws.variables.push(v.clone());
        }
    }
}

/// The Integration's records, secrets replaced by `{{env.NAME}}` (tokens left blank: they are
/// state a refresh writes, and a Data Target may not write into an env-backed field) unless
/// `with_secrets`; and what the user must know (the variables to set).
pub fn extract(ws: &Workspace, integration: &str, with_secrets: bool) -> (Workspace, Vec<String>) {
    let mut doc = Workspace {
        integrations: ws
            .integrations
            .iter()
            .filter(|i| i.id.as_str() == integration)
            .cloned()
            .collect(),
        credentials: ws
            .credentials
            .iter()
            .filter(|c| c.integration.as_str() == integration)
            .cloned()
            .collect(),
        payloads: ws
            .payloads
            .iter()
            .filter(|p| p.integration.as_str() == integration)
            .cloned()
            .collect(),
        ..Workspace::default()
    };
    // The Variables its Payloads read or write.
    let mut used = Vec::new();
    for payload in &doc.payloads {
        let texts = payload_texts(payload);
        for text in texts {
            if let Ok(found) = template::check(&text) {
                for placeholder in found {
                    if let Placeholder::Var(name) = placeholder {
                        used.push(name);
                    }
                }
            }
        }
        for target in &payload.targets {
            if let Target::Variable(name) = &target.target {
                used.push(name.clone());
            }
        }
    }
    doc.variables = ws
        .variables
        .iter()
        .filter(|v| used.contains(&v.name))
        .cloned()
        .collect();
    let mut notes = Vec::new();
    if with_secrets {
        return (doc, notes);
    }
    let mut env_names = Vec::new();
    for credential in &mut doc.credentials {
        let prefix = env_prefix(credential.id.as_str());
        let id = credential.id.to_string();
        let mut secret = |field: &str, value: &mut String| {
            if value.is_empty() || template::is_reference(value) {
                return;
            }
            let name = format!("{prefix}_{}", field.to_ascii_uppercase());
            *value = format!("{{{{env.{name}}}}}");
            env_names.push(format!("{name} ({field} of Credential {id})"));
        };
        match &mut credential.auth {
            CredentialAuth::BearerToken(b) => {
                secret("client_secret", &mut b.client_secret);
                b.access_token.clear();
                b.refresh_token.clear();
                b.obtained_at = None;
                b.expires_at = None;
            }
            // Every other type: its secret fields, as its field table says.
            other => {
                for (spec, value) in other.fields_mut() {
                    if spec.secret {
                        secret(spec.name, value);
                    }
                }
            }
        }
    }
    for variable in &mut doc.variables {
        if variable.secret && !variable.value.is_empty() {
            variable.value.clear();
            notes.push(format!(
                "the secret Variable {} is exported empty",
                variable.name
            ));
        }
    }
    if !env_names.is_empty() {
        notes.insert(
            0,
            format!(
                "secrets are {{{{env.NAME}}}} references; set these before running: {}",
                env_names.join(", ")
            ),
        );
    }
    if doc
        .credentials
        .iter()
        .any(|c| matches!(c.auth, CredentialAuth::BearerToken(_)))
    {
        notes.push("Bearer tokens are exported blank: the first run refreshes them".to_string());
    }
    (doc, notes)
}

/// `SANDBOX_OAUTH`: an environment variable prefix from a Credential id.
fn env_prefix(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// Every template text of a Payload (endpoint, headers, parameters, body).
fn payload_texts(payload: &crate::workspace::Payload) -> Vec<String> {
    let mut texts = vec![payload.endpoint.clone()];
    texts.extend(payload.headers.iter().map(|h| h.value.clone()));
    texts.extend(payload.parameters.iter().map(|p| p.value.clone()));
    match &payload.body {
        crate::workspace::Body::None => {}
        crate::workspace::Body::Json(t) => texts.push(t.clone()),
        crate::workspace::Body::Raw { text, .. } => texts.push(text.clone()),
        crate::workspace::Body::Form(fields) => {
            texts.extend(fields.iter().map(|f| f.value.clone()))
        }
    }
    texts
}

/// The ids of `doc` already used in `ws`, as `payload ping`. A Variable with the same name and
/// value is shared, not a conflict.
pub fn conflicts(ws: &Workspace, doc: &Workspace) -> Vec<String> {
    let mut out = Vec::new();
    for i in &doc.integrations {
        if ws.integration(&i.id).is_some() {
            out.push(format!("integration {}", i.id));
        }
    }
    for c in &doc.credentials {
        if ws.credential(&c.id).is_some() {
            out.push(format!("credential {}", c.id));
        }
    }
    for p in &doc.payloads {
        if ws.payload(&p.id).is_some() {
            out.push(format!("payload {}", p.id));
        }
    }
    for v in &doc.variables {
        if ws
            .variables
            .iter()
            .any(|w| w.name == v.name && w.value != v.value)
        {
            out.push(format!("variable {}", v.name));
        }
    }
    out
}

/// `id-2`, `id-3` … the first free in both the workspace and the document.
fn fresh(base: &str, taken: impl Fn(&str) -> bool) -> String {
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or_else(|| base.to_string())
}

/// Renames every conflicting id and rewrites the references to it.
pub fn rename_conflicts(ws: &Workspace, mut doc: Workspace) -> (Workspace, Vec<Rename>) {
    let mut renames = Vec::new();
    let mut integrations = BTreeMap::new();
    for i in &mut doc.integrations {
        if ws.integration(&i.id).is_some() {
            let new = fresh(i.id.as_str(), |id| ws.integration(id).is_some());
            renames.push(("integration", i.id.to_string(), new.clone()));
            integrations.insert(i.id.to_string(), new.clone());
            i.id = new.into();
        }
    }
    let doc_credentials: Vec<String> = doc.credentials.iter().map(|c| c.id.to_string()).collect();
    let mut credentials = BTreeMap::new();
    for c in &mut doc.credentials {
        if ws.credential(&c.id).is_some() {
            let new = fresh(c.id.as_str(), |id| {
                ws.credential(id).is_some() || doc_credentials.iter().any(|d| d == id)
            });
            renames.push(("credential", c.id.to_string(), new.clone()));
            credentials.insert(c.id.to_string(), new.clone());
            c.id = new.into();
        }
    }
    let doc_payloads: Vec<String> = doc.payloads.iter().map(|p| p.id.to_string()).collect();
    let mut payloads = BTreeMap::new();
    for p in &mut doc.payloads {
        if ws.payload(&p.id).is_some() {
            let new = fresh(p.id.as_str(), |id| {
                ws.payload(id).is_some() || doc_payloads.iter().any(|d| d == id)
            });
            renames.push(("payload", p.id.to_string(), new.clone()));
            payloads.insert(p.id.to_string(), new.clone());
            p.id = new.into();
        }
    }
    let mut variables = BTreeMap::new();
    for v in &mut doc.variables {
        if ws
            .variables
            .iter()
            .any(|w| w.name == v.name && w.value != v.value)
        {
            let new = fresh(&v.name, |n| ws.variables.iter().any(|w| w.name == n));
            renames.push(("variable", v.name.clone(), new.clone()));
            variables.insert(v.name.clone(), new.clone());
            v.name = new;
        }
    }
    // References: to Integrations, Credentials, token Payloads, and Variables in templates.
    for c in &mut doc.credentials {
        if let Some(new) = integrations.get(c.integration.as_str()) {
            c.integration = new.clone().into();
        }
        if let CredentialAuth::BearerToken(b) = &mut c.auth
            && let Some(new) = payloads.get(b.token_payload.as_str())
        {
            b.token_payload = new.clone().into();
        }
    }
    for p in &mut doc.payloads {
        if let Some(new) = integrations.get(p.integration.as_str()) {
            p.integration = new.clone().into();
        }
        if let Some(new) = p
            .credential
            .as_ref()
            .and_then(|c| credentials.get(c.as_str()))
        {
            p.credential = Some(new.clone().into());
        }
        for (old, new) in &variables {
            let from = format!("{{{{var.{old}}}}}");
            let to = format!("{{{{var.{new}}}}}");
            p.endpoint = p.endpoint.replace(&from, &to);
            for kv in p.headers.iter_mut().chain(p.parameters.iter_mut()) {
                kv.value = kv.value.replace(&from, &to);
            }
            match &mut p.body {
                crate::workspace::Body::Json(t) => *t = t.replace(&from, &to),
                crate::workspace::Body::Raw { text, .. } => *text = text.replace(&from, &to),
                crate::workspace::Body::Form(fields) => {
                    for f in fields {
                        f.value = f.value.replace(&from, &to);
                    }
                }
                crate::workspace::Body::None => {}
            }
            for t in &mut p.targets {
                if let Target::Variable(name) = &mut t.target
                    && name == old
                {
                    *name = new.clone();
                }
            }
        }
    }
    (doc, renames)
}
