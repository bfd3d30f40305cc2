//! `payloads export curl PAYLOAD`: the Payload as a curl command, as it would be sent now
//! (templates rendered, the Credential applied, a token that needs it refreshed first). Secrets
//! are written as shell variable references, named in a comment above the command, unless
//! `--reveal` inlines them.

use super::Context;
use super::output;
use super::run;
use crate::flow::credentials::{self, AppliedAuth};
use crate::flow::http::PreparedRequest;
use crate::flow::request::{self, RequestParts};
use crate::jobs::redact::wire_forms;
use crate::jobs::{JobStatus, Trigger};
use crate::workspace::{Body, ClientAuth, Credential, CredentialAuth, PayloadKind};
use std::fmt::Write as _;
use std::process::ExitCode;

/// One piece of a shell word: literal text, or a variable's value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Lit(String),
    Var(String),
}

/// A secret of the Credential: the variable that stands for it, what it is, its value.
#[derive(Debug, Clone)]
struct Secret {
    var: String,
    what: String,
    value: String,
}

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
        let runner = run::new_runner(store, workspace)?;
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
    let Some(integration) = ws.integration(&payload.integration).cloned() else {
        return run::usage_error(format_args!(
            "the Payload's Integration {:?} is not in the workspace; run `payloads check`",
            payload.integration
        ));
    };
    let credential = match payload.credential.as_deref().map(|id| {
        ws.credential(id)
            .ok_or_else(|| format!("the Payload's Credential {id:?} is not in the workspace"))
            .and_then(|c| {
                crate::template::resolve_credential(c).map_err(|e| format!("Credential {id}: {e}"))
            })
    }) {
        None => None,
        Some(Ok(c)) => Some(c),
        Some(Err(e)) => return run::usage_error(format_args!("{e}; run `payloads check`")),
    };
    let auth = match (&credential, payload.kind) {
        (Some(c), PayloadKind::Credential) => {
            credentials::for_token_request(c, payload.client_auth)
        }
        (Some(c), _) => credentials::for_business(c),
        (None, _) => AppliedAuth::default(),
    };
    let prepared = match request::build(&RequestParts {
        payload: &payload,
        integration: &integration,
        credential: credential.as_ref(),
        auth: &auth,
        inputs: &inputs,
        variables: &ws.variables,
        now: chrono::Utc::now(),
        default_timeout,
    }) {
        Ok(prepared) => prepared,
        Err(e) => return run::usage_error(format_args!("Payload {payload_id}: {e}")),
    };
    let secrets = if reveal {
        Vec::new()
    } else {
        credential.as_ref().map(secrets_of).unwrap_or_default()
    };
    let basic_user = match (&credential, payload.kind) {
        (Some(c), PayloadKind::Credential) => match &c.auth {
            CredentialAuth::BearerToken(b) if payload.client_auth == ClientAuth::BasicHeader => {
                Some((credentials::form_encode(&b.client_id), "client_secret"))
            }
            _ => None,
        },
        (Some(c), _) => match &c.auth {
            CredentialAuth::Basic(b) => Some((b.username.clone(), "password")),
            _ => None,
        },
        _ => None,
    };
    let command = curl_command(
        &prepared,
        &payload.body,
        &secrets,
        basic_user.as_ref().map(|(u, f)| (u.as_str(), *f)),
        &integration.tls,
        credential.as_ref(),
    );
    let _ = output::stdout(command.as_bytes());
    ExitCode::SUCCESS
}

/// The secret fields of a resolved Credential, each with its variable name.
fn secrets_of(credential: &Credential) -> Vec<Secret> {
    // The type's field table says which fields are secrets, as it does for redaction.
    let mut secrets: Vec<Secret> = credential
        .auth
        .fields()
        .into_iter()
        .filter(|(spec, value)| spec.secret && !value.is_empty())
        .map(|(spec, value)| (spec.name, value))
        .map(|(field, value)| Secret {
            var: var_name(&credential.id, field),
            what: format!("{field} of Credential {}", credential.id),
            value: value.to_string(),
        })
        .collect();
    // Longest first, so a secret that contains another is replaced whole.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.value.len()));
    secrets
}

/// `SANDBOX_OAUTH_ACCESS_TOKEN`: a shell variable name from a Credential id and a field.
fn var_name(credential: &str, field: &str) -> String {
    format!("{credential}_{field}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// `text` split where a secret is written (in any of its wire forms) into variable references.
fn split_secrets(text: &str, secrets: &[Secret]) -> Vec<Part> {
    let mut parts = vec![Part::Lit(text.to_string())];
    for secret in secrets {
        let mut forms = wire_forms(&secret.value);
        forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
        for form in forms.iter().filter(|f| !f.is_empty()) {
            parts = parts
                .into_iter()
                .flat_map(|part| match part {
                    Part::Lit(lit) if lit.contains(form.as_str()) => {
                        let mut out = Vec::new();
                        for (i, piece) in lit.split(form.as_str()).enumerate() {
                            if i > 0 {
                                out.push(Part::Var(secret.var.clone()));
                            }
                            if !piece.is_empty() {
                                out.push(Part::Lit(piece.to_string()));
                            }
                        }
                        out
                    }
                    other => vec![other],
                })
                .collect();
        }
    }
    parts
}

/// A shell word: literal parts single-quoted, variables double-quoted (`'a: '"${X}"`).
fn shell_word(parts: &[Part]) -> String {
    if let [Part::Lit(text)] = parts
        && !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,%+".contains(c))
    {
        return text.clone();
    }
    if parts.is_empty() {
        return "''".to_string();
    }
    parts
        .iter()
        .map(|part| match part {
            Part::Lit(text) => format!("'{}'", text.replace('\'', r"'\''")),
            Part::Var(var) => format!("\"${{{var}}}\""),
        })
        .collect()
}

fn curl_command(
    request: &PreparedRequest,
    body: &Body,
    secrets: &[Secret],
    basic_user: Option<(&str, &str)>,
    tls: &crate::workspace::TlsOptions,
    credential: Option<&Credential>,
) -> String {
    let mut words: Vec<Vec<Part>> = vec![vec![Part::Lit("curl".into())]];
    let lit = |s: &str| vec![Part::Lit(s.to_string())];
    words.push(split_secrets(request.url.as_str(), secrets));
    match request.method.as_str() {
        "GET" => {}
        "HEAD" => words.push(lit("--head")),
        method => {
            words.push(lit("-X"));
            words.push(lit(method));
        }
    }
    for (name, value) in &request.headers {
        if basic_user.is_some() && name.eq_ignore_ascii_case("authorization") {
            continue;
        }
        words.push(lit("-H"));
        words.push(split_secrets(&format!("{name}: {value}"), secrets));
    }
    if let Some((user, field)) = basic_user {
        words.push(lit("-u"));
        let mut parts = vec![Part::Lit(format!("{user}:"))];
        match secrets.iter().find(|s| s.what.starts_with(field)) {
            Some(secret) => parts.push(Part::Var(secret.var.clone())),
            None => {
                // Revealed: the header holds the value; decode it back for -u.
                if let Some(password) = basic_password(request) {
                    parts = vec![Part::Lit(password)];
                }
            }
        }
        words.push(parts);
    }
    match (body, &request.body) {
        (Body::Form(_), Some(bytes)) => {
            for (name, value) in form_urlencoded::parse(bytes) {
                words.push(lit("--data-urlencode"));
                words.push(split_secrets(&format!("{name}={value}"), secrets));
            }
        }
        (_, Some(bytes)) => {
            // --data-raw, not --data-binary: a body starting with `@` is not a file name.
            words.push(lit("--data-raw"));
            words.push(split_secrets(&String::from_utf8_lossy(bytes), secrets));
        }
        (_, None) => {}
    }
    if let Some(CredentialAuth::Certificate(c)) = credential.map(|c| &c.auth) {
        words.extend([
            lit("--cert"),
            lit(&c.cert_path),
            lit("--key"),
            lit(&c.key_path),
        ]);
    }
    if let Some(ca) = &tls.ca_cert {
        words.extend([lit("--cacert"), lit(ca)]);
    }
    if tls.accept_invalid_certs {
        words.push(lit("--insecure"));
    }

    let mut used: Vec<&Secret> = secrets
        .iter()
        .filter(|s| {
            words
                .iter()
                .flatten()
                .any(|p| *p == Part::Var(s.var.clone()))
        })
        .collect();
    used.sort_by(|a, b| a.var.cmp(&b.var));
    let mut out = String::new();
    if !used.is_empty() {
        out.push_str("# Secrets are shell variables; set them first (or export with --reveal):\n");
        for secret in used {
            let _ = writeln!(out, "#   {}  {}", secret.var, secret.what);
        }
    }
    let rendered: Vec<String> = words.iter().map(|w| shell_word(w)).collect();
    // Options with their values on one line each.
    // `curl URL` on the first line.
    let mut line = format!("{} {}", rendered[0], rendered[1]);
    let mut i = 2;
    while i < rendered.len() {
        let flag = &rendered[i];
        let takes_value = flag.starts_with('-') && flag != "--head" && flag != "--insecure";
        if takes_value && i + 1 < rendered.len() {
            let _ = write!(line, " \\\n  {flag} {}", rendered[i + 1]);
            i += 2;
        } else {
            let _ = write!(line, " {flag}");
            i += 1;
        }
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// The password of a `Basic` header the request carries, decoded (for `-u` with --reveal).
fn basic_password(request: &PreparedRequest) -> Option<String> {
    use base64::Engine;
    let value = request
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))?
        .1
        .strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(value)
        .ok()?;
    String::from_utf8(decoded).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_become_variables_in_single_quoted_words() {
        let secrets = [Secret {
            var: "API_VALUE".into(),
            what: "value of Credential api".into(),
            value: "s3cr'et".into(),
        }];
        let parts = split_secrets("Authorization: Bearer s3cr'et!", &secrets);
        assert_eq!(
            shell_word(&parts),
            r#"'Authorization: Bearer '"${API_VALUE}"'!'"#
        );
        assert_eq!(shell_word(&split_secrets("a'b", &[])), r"'a'\''b'");
        assert_eq!(
            shell_word(&split_secrets("http://h/x?a=1&b", &[])),
            "'http://h/x?a=1&b'"
        );
        assert_eq!(
            var_name("sandbox-oauth", "access_token"),
            "SANDBOX_OAUTH_ACCESS_TOKEN"
        );
    }
}
