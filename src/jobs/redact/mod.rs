//! Secret redaction: every secret value of a workspace, and every form it takes on the wire, is
//! replaced by a fixed marker before a Job is shown, printed, logged or written.

mod harvest;
#[cfg(test)]
mod tests;
mod wire;

/// Every form a secret takes on the wire: one list, shared by redaction and `export curl`.
pub(crate) use wire::encodings as wire_forms;

use super::record::Job;
use crate::template::{Env, process_env};
use crate::workspace::model::{Body, CredentialAuth, KeyValue, Workspace};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use harvest::{harvest, is_auth_header};
use wire::{encodings, form, resolve_env, with_env};

/// The values of the environment variables `text` names as `{{env.NAME}}` (unset ones skipped:
/// the run stops on them before anything is sent).
fn env_values(text: &str, env: Env) -> Vec<String> {
    wire::env_names(text).into_iter().filter_map(env).collect()
}

/// The names and values of key-value pairs (a header's name can hold a template too).
fn key_value_texts(pairs: &[KeyValue]) -> impl Iterator<Item = &str> {
    pairs
        .iter()
        .flat_map(|kv| [kv.name.as_str(), kv.value.as_str()])
}

/// What every secret is replaced by.
pub const REDACTED: &str = "•••redacted•••";

/// Values found by looking (under a well-known secret key, in an `Authorization` header) shorter
/// than this are not redacted: replacing every `ab` in a text shreds it and hides nothing worth
/// hiding. A secret the Redactor is told about (a Credential's secret field, an `{{env.NAME}}`
/// value, a secret Variable) is redacted whatever its length.
pub const MIN_SECRET_CHARS: usize = 4;

/// Knows every secret value and replaces each occurrence, longest first, with [`REDACTED`].
#[derive(Clone, Default)]
pub struct Redactor {
    /// Secrets and their encoded forms, longest first, no duplicates.
    needles: Vec<String>,
    /// `by_first_byte[b]`: indexes into `needles` of those starting with byte `b`, longest first.
    by_first_byte: Vec<Vec<usize>>,
}

impl std::fmt::Debug for Redactor {
    // Never print the secrets themselves.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("needles", &self.needles.len())
            .finish()
    }
}

impl Redactor {
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Collects every secret of the workspace, reading `{{env.NAME}}` from the process
    /// environment: see [`Redactor::from_workspace_in`].
    pub fn from_workspace(workspace: &Workspace) -> Redactor {
        Redactor::from_workspace_in(workspace, &process_env)
    }

    /// Collects every secret of the workspace: each Credential's secret fields (as the field
    /// table marks them), secret Variables, and the value of every environment variable named by
    /// an `{{env.NAME}}` anywhere (Credential fields, Integration headers, Payload endpoints,
    /// headers, parameters and bodies, Variables), taken from `env`.
    pub fn from_workspace_in(workspace: &Workspace, env: Env) -> Redactor {
        let mut redactor = Redactor::new();
        let mut secrets: Vec<String> = Vec::new();
        for credential in &workspace.credentials {
            for value in credential.auth.secret_values() {
                secrets.extend(with_env(value, env));
            }
            // The user name and client id are not secret, but `user:password` in a Basic
            // header is.
            match &credential.auth {
                CredentialAuth::BearerToken(bearer) => {
                    let id = resolve_env(&bearer.client_id, env);
                    let secret = resolve_env(&bearer.client_secret, env);
                    if !secret.is_empty() {
                        secrets.push(BASE64.encode(format!("{id}:{secret}")));
                        secrets.push(BASE64.encode(format!("{}:{}", form(&id), form(&secret))));
                    }
                }
                CredentialAuth::Basic(basic) => {
                    let user = resolve_env(&basic.username, env);
                    let password = resolve_env(&basic.password, env);
                    if !password.is_empty() {
                        secrets.push(BASE64.encode(format!("{user}:{password}")));
                    }
                }
                _ => {}
            }
            for (_, value) in credential.auth.fields() {
                secrets.extend(env_values(value, env));
            }
        }
        for variable in &workspace.variables {
            if variable.secret {
                secrets.extend(with_env(&variable.value, env));
            } else {
                secrets.extend(env_values(&variable.value, env));
            }
        }
        for integration in &workspace.integrations {
            for text in key_value_texts(&integration.headers) {
                secrets.extend(env_values(text, env));
            }
        }
        for payload in &workspace.payloads {
            let mut texts = vec![payload.endpoint.as_str()];
            texts.extend(key_value_texts(&payload.headers));
            texts.extend(key_value_texts(&payload.parameters));
            match &payload.body {
                Body::None => {}
                Body::Json(text) => texts.push(text),
                Body::Form(fields) => texts.extend(key_value_texts(fields)),
                Body::Raw { content_type, text } => texts.extend([content_type.as_str(), text]),
            }
            for input in &payload.inputs {
                texts.extend(input.default.as_deref());
            }
            for text in texts {
                secrets.extend(env_values(text, env));
            }
        }
        for secret in &secrets {
            redactor.insert(secret, 1);
        }
        redactor.rebuild();
        redactor
    }

    /// Adds a secret (and its encoded forms), whatever its length; an empty one is ignored.
    pub fn add(&mut self, secret: &str) {
        if self.insert(secret, 1) {
            self.rebuild();
        }
    }

    /// Adds every secret `other` knows.
    pub fn extend(&mut self, other: &Redactor) {
        let before = self.needles.len();
        for needle in &other.needles {
            if !self.needles.contains(needle) {
                self.needles.push(needle.clone());
            }
        }
        if self.needles.len() != before {
            self.rebuild();
        }
    }

    /// True when nothing would ever be redacted.
    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// `text` with every known secret, in every known encoding, replaced by [`REDACTED`].
    pub fn redact(&self, text: &str) -> String {
        if self.needles.is_empty() {
            return text.to_string();
        }
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut at = 0;
        while at < bytes.len() {
            if let Some(needle) = self.by_first_byte[usize::from(bytes[at])]
                .iter()
                .map(|&i| &self.needles[i])
                .find(|n| bytes[at..].starts_with(n.as_bytes()))
            {
                // A needle is valid UTF-8 and starts with a non-continuation byte, so `at` and
                // `at + len` are both char boundaries.
                out.push_str(&text[copied..at]);
                out.push_str(REDACTED);
                at += needle.len();
                copied = at;
                continue;
            }
            at += 1;
        }
        out.push_str(&text[copied..]);
        out
    }

    /// A header value as it may be shown: an `Authorization` value keeps only its scheme
    /// (`Bearer •••redacted•••`), any other value has its secrets redacted.
    pub fn redact_header(&self, name: &str, value: &str) -> String {
        if is_auth_header(name) {
            match value.trim().split_once(char::is_whitespace) {
                Some((scheme, _)) => format!("{scheme} {REDACTED}"),
                None => REDACTED.to_string(),
            }
        } else {
            self.redact(value)
        }
    }

    /// Redacts every text of the Job: request URL, headers and body; response headers and body;
    /// inputs, extracted values, Data Target results, error and timeline steps. Values found under
    /// well-known secret keys (`access_token`, `client_secret`, `password`…) in bodies and query
    /// strings, and credentials in `Authorization` headers, are treated as secrets too, so a new
    /// token is redacted even where the runner did not add it.
    pub fn redact_job(&self, job: &mut Job) {
        let mut redactor = self.clone();
        let mut found = false;
        for secret in harvest(job) {
            found |= redactor.insert(&secret, MIN_SECRET_CHARS);
        }
        if found {
            redactor.rebuild();
        }
        redactor.apply(job);
    }

    fn apply(&self, job: &mut Job) {
        if let Some(request) = &mut job.request {
            request.url = self.redact(&request.url);
            for (name, value) in &mut request.headers {
                *value = self.redact_header(name, value);
            }
            if let Some(body) = &mut request.body {
                *body = self.redact(body);
            }
        }
        if let Some(response) = &mut job.response {
            for (name, value) in &mut response.headers {
                *value = self.redact_header(name, value);
            }
            response.body = self.redact(&response.body);
        }
        for (_, value) in job.inputs.iter_mut().chain(job.extracted.iter_mut()) {
            *value = self.redact(value);
        }
        for target in &mut job.targets {
            target.value = self.redact(&target.value);
            target.written = self.redact(&target.written);
            if let Some(error) = &mut target.error {
                *error = self.redact(error);
            }
        }
        if let Some(error) = &mut job.error {
            *error = self.redact(error);
        }
        for step in &mut job.steps {
            step.text = self.redact(&step.text);
        }
    }

    /// Records a secret of at least `min_chars` characters and its wire forms; true when
    /// something new was added. Call `rebuild` before redacting.
    fn insert(&mut self, secret: &str, min_chars: usize) -> bool {
        let trimmed = secret.trim();
        let mut added = false;
        if trimmed != secret {
            // A value pasted with stray spaces is usually sent trimmed.
            added |= self.insert(trimmed, min_chars);
        }
        if secret.is_empty() || secret.chars().count() < min_chars {
            return added;
        }
        for form in encodings(secret) {
            if !self.needles.contains(&form) {
                self.needles.push(form);
                added = true;
            }
        }
        added
    }

    fn rebuild(&mut self) {
        self.needles
            .sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        self.needles.dedup();
        let mut by_first_byte = vec![Vec::new(); 256];
        for (i, needle) in self.needles.iter().enumerate() {
            by_first_byte[usize::from(needle.as_bytes()[0])].push(i);
        }
        self.by_first_byte = by_first_byte;
    }
}
