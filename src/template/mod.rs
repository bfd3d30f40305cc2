//! Templates: `{{credential.*}}`, `{{input.*}}`, `{{var.*}}`, `{{env.*}}` and `{{now}}` in
//! endpoints, headers, parameters and bodies, each value escaped for where it lands.

use crate::workspace::fields::{all_field_names, is_credential_field};
use crate::workspace::{Credential, Variable};
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

/// Where `{{env.NAME}}` values come from: [`process_env`] in the program; tests pass their own,
/// so none has to change the process environment.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment, as `{{env.NAME}}` reads it.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// What placeholders are filled from.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub credential: Option<&'a Credential>,
    pub inputs: &'a [(String, String)],
    pub variables: &'a [Variable],
    pub now: DateTime<Utc>,
    pub env: Env<'a>,
}

impl std::fmt::Debug for Context<'_> {
    // Values only: a Credential's secrets never reach a debug print.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("credential", &self.credential.map(|c| c.id.as_str()))
            .field("inputs", &self.inputs.len())
            .field("variables", &self.variables.len())
            .field("now", &self.now)
            .finish()
    }
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
            if is_credential_field(&name) {
                Ok(Placeholder::Credential(name))
            } else {
                Err(TemplateError::UnknownCredentialField {
                    field: name,
                    known: all_field_names().join(", "),
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
        Placeholder::Env(name) => env_value(ctx.env, name),
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
            resolve_env_references(raw, ctx.env)
        }
    }
}

fn env_value(env: Env, name: &str) -> Result<String, TemplateError> {
    env(name).ok_or_else(|| TemplateError::EnvNotSet(name.to_string()))
}

/// The raw (unrendered) value of a Credential field by its template name, if the type has it.
pub fn credential_field<'c>(credential: &'c Credential, field: &str) -> Option<&'c str> {
    credential.auth.field(field)
}

/// A Credential field may be `{{env.NAME}}` (or contain such references) so that secrets stay out
/// of the file; only env references are allowed there.
fn resolve_env_references(raw: &str, env: Env) -> Result<String, TemplateError> {
    if !raw.contains("{{") {
        return Ok(raw.to_string());
    }
    let mut out = String::new();
    for segment in parse(raw)? {
        match segment {
            Segment::Text(t) => out.push_str(t),
            Segment::Placeholder(Placeholder::Env(name)) => out.push_str(&env_value(env, &name)?),
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

/// A copy of `credential` with every `{{env.NAME}}` reference replaced by its value from the
/// process environment.
pub fn resolve_credential(credential: &Credential) -> Result<Credential, TemplateError> {
    resolve_credential_in(credential, &process_env)
}

/// A copy of `credential` with every `{{env.NAME}}` reference replaced by its value in `env`.
pub fn resolve_credential_in(
    credential: &Credential,
    env: Env,
) -> Result<Credential, TemplateError> {
    let mut resolved = credential.clone();
    for (_, field) in resolved.auth.fields_mut() {
        *field = resolve_env_references(field, env)?;
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
