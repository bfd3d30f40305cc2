//! Templates: `{{credential.*}}`, `{{input.*}}`, `{{var.*}}`, `{{env.*}}` and `{{now}}` in
//! endpoints, headers, parameters and bodies, each value escaped for where it lands.

use crate::workspace::{Credential, CredentialAuth, Variable};
use chrono::{DateTime, SecondsFormat, Utc};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Where a rendered value lands, which decides how it is escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    /// As-is: form fields and query parameters (their encoder escapes later) and raw bodies.
    None,
    /// Inside a JSON string literal: quotes, backslashes and control characters escaped.
    JsonString,
    /// A URL path segment: everything but unreserved characters percent-encoded.
    PathSegment,
    /// A header value: as-is, but a line break is refused (header injection).
    Header,
}

/// One `{{…}}` placeholder, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placeholder {
    Credential(String),
    Input(String),
    Var(String),
    Env(String),
    Now,
}

impl std::fmt::Display for Placeholder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Placeholder::Credential(n) => write!(f, "{{{{credential.{n}}}}}"),
            Placeholder::Input(n) => write!(f, "{{{{input.{n}}}}}"),
            Placeholder::Var(n) => write!(f, "{{{{var.{n}}}}}"),
            Placeholder::Env(n) => write!(f, "{{{{env.{n}}}}}"),
            Placeholder::Now => f.write_str("{{now}}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("`{{{{` at column {column} is never closed with `}}}}`")]
    Unclosed { column: usize },
    #[error(
        "unknown placeholder {{{{{0}}}}}: use credential.FIELD, input.NAME, var.NAME, env.NAME or now"
    )]
    UnknownForm(String),
    #[error("{{{{credential.{field}}}}} is not a Credential field; known fields: {known}")]
    UnknownCredentialField { field: String, known: String },
    #[error("no value for {0}")]
    Missing(String),
    #[error("environment variable {0} is not set (needed by {{{{env.{0}}}}})")]
    EnvNotSet(String),
    #[error("{0} holds a line break, which a header value cannot carry")]
    LineBreak(String),
}

/// The Credential fields a template may read.
pub const CREDENTIAL_FIELDS: &[&str] = &[
    "client_id",
    "client_secret",
    "access_token",
    "refresh_token",
    "username",
    "password",
    "header",
    "name",
    "value",
    "cert_path",
    "key_path",
];

/// What placeholders are filled from.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub credential: Option<&'a Credential>,
    pub inputs: &'a [(String, String)],
    pub variables: &'a [Variable],
    pub now: DateTime<Utc>,
}

/// A piece of a template: literal text or a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment<'t> {
    Text(&'t str),
    Placeholder(Placeholder),
}

fn parse(text: &str) -> Result<Vec<Segment<'_>>, TemplateError> {
    let mut segments = Vec::new();
    let mut rest = text;
    let mut consumed = 0;
    while let Some(open) = rest.find("{{") {
        if open > 0 {
            segments.push(Segment::Text(&rest[..open]));
        }
        let after = &rest[open + 2..];
        let unclosed = || TemplateError::Unclosed {
            column: text[..consumed + open].chars().count() + 1,
        };
        let close = after.find("}}").ok_or_else(unclosed)?;
        // `{{input.a} … {{input.b}}`: the first one is the unclosed one, not a strange name.
        if after[..close].contains("{{") {
            return Err(unclosed());
        }
        segments.push(Segment::Placeholder(parse_placeholder(
            after[..close].trim(),
        )?));
        let used = open + 2 + close + 2;
        consumed += used;
        rest = &rest[used..];
    }
    if !rest.is_empty() {
        segments.push(Segment::Text(rest));
    }
    Ok(segments)
}

fn parse_placeholder(inner: &str) -> Result<Placeholder, TemplateError> {
    if inner == "now" {
        return Ok(Placeholder::Now);
    }
    let unknown = || TemplateError::UnknownForm(inner.to_string());
    let (scope, name) = inner.split_once('.').ok_or_else(unknown)?;
    let valid_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !valid_name {
        return Err(unknown());
    }
    let name = name.to_string();
    match scope {
        "credential" => {
            if CREDENTIAL_FIELDS.contains(&name.as_str()) {
                Ok(Placeholder::Credential(name))
            } else {
                Err(TemplateError::UnknownCredentialField {
                    field: name,
                    known: CREDENTIAL_FIELDS.join(", "),
                })
            }
        }
        "input" => Ok(Placeholder::Input(name)),
        "var" => Ok(Placeholder::Var(name)),
        "env" => Ok(Placeholder::Env(name)),
        _ => Err(unknown()),
    }
}

/// Checks the syntax and the form of every placeholder in `text`, without needing values.
pub fn check(text: &str) -> Result<Vec<Placeholder>, TemplateError> {
    Ok(parse(text)?
        .into_iter()
        .filter_map(|segment| match segment {
            Segment::Placeholder(p) => Some(p),
            Segment::Text(_) => None,
        })
        .collect())
}

/// Renders `text`, escaping every value for where it lands. A placeholder with no value is an
/// error naming it, so nothing half-filled is ever sent.
pub fn render(text: &str, ctx: &Context, escape: Escape) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(text.len());
    for segment in parse(text)? {
        match segment {
            Segment::Text(t) => out.push_str(t),
            Segment::Placeholder(p) => {
                let value = lookup(&p, ctx)?;
                out.push_str(&escape_value(&p, &value, escape)?);
            }
        }
    }
    Ok(out)
}

fn lookup(placeholder: &Placeholder, ctx: &Context) -> Result<String, TemplateError> {
    let missing = || TemplateError::Missing(placeholder.to_string());
    match placeholder {
        Placeholder::Now => Ok(ctx.now.to_rfc3339_opts(SecondsFormat::Secs, true)),
        Placeholder::Env(name) => env_value(name),
        Placeholder::Input(name) => ctx
            .inputs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .ok_or_else(missing),
        Placeholder::Var(name) => ctx
            .variables
            .iter()
            .find(|v| &v.name == name)
            .map(|v| v.value.clone())
            .ok_or_else(missing),
        Placeholder::Credential(field) => {
            let credential = ctx.credential.ok_or_else(missing)?;
            let raw = credential_field(credential, field).ok_or_else(missing)?;
            resolve_env_references(raw)
        }
    }
}

fn env_value(name: &str) -> Result<String, TemplateError> {
    std::env::var(name).map_err(|_| TemplateError::EnvNotSet(name.to_string()))
}

/// The raw (unrendered) value of a Credential field by its template name, if the type has it.
pub fn credential_field<'c>(credential: &'c Credential, field: &str) -> Option<&'c str> {
    let value = match (&credential.auth, field) {
        (CredentialAuth::BearerToken(b), "client_id") => &b.client_id,
        (CredentialAuth::BearerToken(b), "client_secret") => &b.client_secret,
        (CredentialAuth::BearerToken(b), "access_token") => &b.access_token,
        (CredentialAuth::BearerToken(b), "refresh_token") => &b.refresh_token,
        (CredentialAuth::Basic(b), "username") => &b.username,
        (CredentialAuth::Basic(b), "password") => &b.password,
        (CredentialAuth::ApiKey(k), "header") => &k.header,
        (CredentialAuth::ApiKey(k), "value") => &k.value,
        (CredentialAuth::Custom(c), "name") => &c.name,
        (CredentialAuth::Custom(c), "value") => &c.value,
        (CredentialAuth::Certificate(c), "cert_path") => &c.cert_path,
        (CredentialAuth::Certificate(c), "key_path") => &c.key_path,
        _ => return None,
    };
    Some(value.as_str())
}

/// A Credential field may be `{{env.NAME}}` (or contain such references) so that secrets stay out
/// of the file; only env references are allowed there.
fn resolve_env_references(raw: &str) -> Result<String, TemplateError> {
    if !raw.contains("{{") {
        return Ok(raw.to_string());
    }
    let mut out = String::new();
    for segment in parse(raw)? {
        match segment {
            Segment::Text(t) => out.push_str(t),
            Segment::Placeholder(Placeholder::Env(name)) => out.push_str(&env_value(&name)?),
            Segment::Placeholder(other) => {
                return Err(TemplateError::UnknownForm(format!(
                    "{} (a Credential field may only refer to env.NAME)",
                    other
                        .to_string()
                        .trim_start_matches("{{")
                        .trim_end_matches("}}")
                )));
            }
        }
    }
    Ok(out)
}

/// True when a Credential field's value is (or contains) an `{{env.NAME}}` reference.
pub fn is_reference(value: &str) -> bool {
    value.contains("{{")
}

/// A copy of `credential` with every `{{env.NAME}}` reference replaced by its value.
pub fn resolve_credential(credential: &Credential) -> Result<Credential, TemplateError> {
    let mut resolved = credential.clone();
    let fields: Vec<&mut String> = match &mut resolved.auth {
        CredentialAuth::BearerToken(b) => vec![
            &mut b.client_id,
            &mut b.client_secret,
            &mut b.access_token,
            &mut b.refresh_token,
        ],
        CredentialAuth::Basic(b) => vec![&mut b.username, &mut b.password],
        CredentialAuth::ApiKey(k) => vec![&mut k.header, &mut k.value],
        CredentialAuth::Custom(c) => vec![&mut c.name, &mut c.value],
        CredentialAuth::Certificate(c) => vec![&mut c.cert_path, &mut c.key_path],
    };
    for field in fields {
        *field = resolve_env_references(field)?;
    }
    Ok(resolved)
}

/// RFC 3986 unreserved characters stay; everything else in a path segment is encoded.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn escape_value(
    placeholder: &Placeholder,
    value: &str,
    escape: Escape,
) -> Result<String, TemplateError> {
    Ok(match escape {
        Escape::None => value.to_string(),
        Escape::JsonString => {
            let quoted = serde_json::to_string(value).expect("a string always serialises");
            quoted[1..quoted.len() - 1].to_string()
        }
        Escape::PathSegment => utf8_percent_encode(value, PATH_SEGMENT).to_string(),
        Escape::Header => {
            if value.contains(['\r', '\n']) {
                return Err(TemplateError::LineBreak(placeholder.to_string()));
            }
            value.to_string()
        }
    })
}

#[cfg(test)]
mod tests;
