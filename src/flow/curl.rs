//! A Payload as a curl command, as it would be sent with the workspace as it is: templates
//! rendered, the Credential applied. Secrets are shell variable references named in a comment
//! above the command, unless revealed. Shared by `payloads export curl` (which refreshes a token
//! that needs it first) and the TUI's copy keys (which copy what the file holds now).

use super::credentials::{self, AppliedAuth};
use super::http::PreparedRequest;
use super::request::{self, RequestParts};
use crate::jobs::redact::wire_forms;
use crate::workspace::{
    Body, ClientAuth, Credential, CredentialAuth, Payload, PayloadKind, Workspace,
};
use std::fmt::Write as _;
use std::time::Duration;

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

/// `payload` with `inputs` (already resolved) as a curl command; `Err` says what stops it, in
/// the words `payloads export curl` prints.
pub(crate) fn payload_command(
    ws: &Workspace,
    payload: &Payload,
    inputs: &[(String, String)],
    default_timeout: Duration,
    reveal: bool,
) -> Result<String, String> {
    let Some(integration) = ws.integration(&payload.integration) else {
        return Err(format!(
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
        Some(Err(e)) => return Err(format!("{e}; run `payloads check`")),
    };
    let auth = match (&credential, payload.kind) {
        (Some(c), PayloadKind::Credential) => {
            credentials::for_token_request(c, payload.client_auth)
        }
        (Some(c), _) => credentials::for_business(c),
        (None, _) => AppliedAuth::default(),
    };
    let prepared = request::build(&RequestParts {
        payload,
        integration,
        credential: credential.as_ref(),
        auth: &auth,
        inputs,
        variables: &ws.variables,
        now: chrono::Utc::now(),
        default_timeout,
    })
    .map_err(|e| format!("Payload {}: {e}", payload.id))?;
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
    Ok(curl_command(
        &prepared,
        &payload.body,
        &secrets,
        basic_user.as_ref().map(|(u, f)| (u.as_str(), *f)),
        &integration.tls,
        credential.as_ref(),
    ))
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
