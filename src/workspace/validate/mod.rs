//! Rules a parsed workspace must keep: ids, references between records, Data Targets and
//! template placeholders. Reports every problem, each naming its record and pointing at it.

use super::diagnostics::{Diagnostic, Diagnostics, closest};
use super::locate::Locator;
use super::model::*;
use crate::template::{self, Placeholder, TemplateError};
use std::path::Path;

mod payloads;
mod requests;
mod targets;

/// Where in a record a problem is, so that it can be found in the source.
#[derive(Debug, Clone)]
enum Anchor {
    Record,
    Field(&'static str),
    FieldValue(&'static str, String),
    Text(String),
    /// A piece (`snippet`) of a string value (`Text`): a placeholder inside a body, say.
    Within(String, String),
}

#[derive(Debug, Clone)]
struct Issue {
    section: &'static str,
    index: usize,
    anchor: Anchor,
    message: String,
    /// Another record of the same section the message mentions as `{related}`.
    related: Option<usize>,
}

/// Checks `workspace` (parsed from `text`), pointing every problem at its place in `text`.
pub fn validate(path: &Path, text: &str, workspace: &Workspace) -> Result<(), Diagnostics> {
    let issues = issues(workspace);
    if issues.is_empty() {
        return Ok(());
    }
    let locator = Locator::new(text);
    let mut diagnostics: Vec<Diagnostic> = issues
        .into_iter()
        .map(|issue| {
            let record = locator.record_pos(issue.section, issue.index);
            let pos = match &issue.anchor {
                Anchor::Record => None,
                Anchor::Field(field) => locator.field(issue.section, issue.index, field),
                Anchor::FieldValue(field, value) => {
                    locator.field_with_value(issue.section, issue.index, field, value)
                }
                Anchor::Text(needle) => {
                    locator.string_containing(issue.section, issue.index, needle)
                }
                Anchor::Within(needle, snippet) => {
                    locator.within_string(issue.section, issue.index, needle, snippet)
                }
            }
            .or(record);
            let (line, col) = pos.map_or((1, 1), |p| (p.line, p.col));
            let mut message = issue.message;
            if let Some(related) = issue.related {
                let place = match locator.record_pos(issue.section, related) {
                    Some(p) => format!("line {}", p.line),
                    None => format!("record #{}", related + 1),
                };
                message = message.replace("{related}", &place);
            }
            Diagnostic::at(path, line, col, message)
        })
        .collect();
    diagnostics.sort_by_key(|d| (d.line, d.col));
    Err(Diagnostics(diagnostics))
}

/// Every problem in `workspace`, as messages naming their record, in no particular order.
pub fn problems(workspace: &Workspace) -> Vec<String> {
    issues(workspace)
        .into_iter()
        .map(|i| match i.related {
            Some(r) => i.message.replace("{related}", &format!("#{}", r + 1)),
            None => i.message,
        })
        .collect()
}

/// Whether `id` is a valid record id: lowercase letters, digits, `-` and `_`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// `text` made into a valid id: "My API" → "my-api".
pub fn to_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_matches('-').to_string()
}

/// Whether `name` is a valid Variable or input name: letters, digits, `-` and `_`.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The fields of a Credential of this type that `{{credential.FIELD}}` may read.
/// (Read from the field table in `workspace::fields`.)
pub fn credential_fields(auth: &CredentialAuth) -> Vec<&'static str> {
    auth.field_specs().iter().map(|f| f.name).collect()
}

/// The text fields of a Credential, by name, as written in the file.
pub fn credential_text_fields(auth: &CredentialAuth) -> Vec<(&'static str, &str)> {
    auth.fields()
        .into_iter()
        .map(|(spec, value)| (spec.name, value))
        .collect()
}

/// "a Bearer Token", "an API Key".
fn a_type(auth: &CredentialAuth) -> String {
    let name = auth.type_name();
    let article = if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

/// The longest timeout a Payload may set: a day. Beyond it a deadline could overflow the clock.
pub const MAX_TIMEOUT_SECS: u64 = 86_400;

/// The longest Access Token Duration believed: ten years, in minutes.
pub const MAX_TOKEN_MINUTES: u32 = 10 * 366 * 24 * 60;

/// Nesting of brackets and parentheses a JSONPath may have: deeper ones are refused before they
/// are parsed (the parser recurses, and a 2,000-deep filter overflows the stack).
pub const MAX_JSONPATH_DEPTH: usize = 32;

/// Why a `timeout_secs` is out of range, if it is.
pub(crate) fn timeout_problem(timeout: Option<u64>) -> Option<String> {
    match timeout {
        Some(t) if !(1..=MAX_TIMEOUT_SECS).contains(&t) => Some(format!(
            "timeout_secs must be from 1 to {MAX_TIMEOUT_SECS} (a day); it is {t}"
        )),
        _ => None,
    }
}

/// Why a JSONPath cannot be used, checked before parsing it: too long or nested too deep.
pub fn jsonpath_problem(path: &str) -> Option<String> {
    let mut depth: usize = 0;
    let mut deepest = 0;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in path.chars() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '[' | '(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ']' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    (deepest > MAX_JSONPATH_DEPTH).then(|| {
        format!(
            "it is nested {deepest} deep; at most {MAX_JSONPATH_DEPTH} levels of brackets are read"
        )
    })
}

/// Why a stored time cannot be right: before 1970 or after 9999 (arithmetic on it could
/// overflow).
fn time_problem(at: Option<chrono::DateTime<chrono::Utc>>) -> Option<String> {
    use chrono::Datelike;
    let at = at?;
    (!(1970..=9999).contains(&at.year()))
        .then(|| format!("the year {} is not believable (1970 to 9999)", at.year()))
}

/// How messages name a record: `payload "list-contacts"`, or `payload #3` when it has no id.
/// Worded only when a message is, and most records have none.
#[derive(Clone, Copy)]
struct Label<'a> {
    kind: &'static str,
    id: &'a str,
    index: usize,
}

impl std::fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.id.is_empty() {
            write!(f, "{} #{}", self.kind, self.index + 1)
        } else {
            write!(f, "{} \"{}\"", self.kind, self.id)
        }
    }
}

fn label<'a>(kind: &'static str, id: &'a str, index: usize) -> Label<'a> {
    Label { kind, id, index }
}

fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates)
        .map(|s| format!(" (did you mean \"{s}\"?)"))
        .unwrap_or_default()
}

/// A Payload's Credential as far as templates are concerned.
#[derive(Clone, Copy)]
enum CredentialRef<'c> {
    None,
    /// Missing or dangling, and reported as such already.
    Reported,
    Found(&'c Credential),
}

struct Checker<'w> {
    ws: &'w Workspace,
    issues: Vec<Issue>,
}

impl<'w> Checker<'w> {
    fn push(&mut self, section: &'static str, index: usize, anchor: Anchor, message: String) {
        self.issues.push(Issue {
            section,
            index,
            anchor,
            message,
            related: None,
        });
    }

    fn ids(&mut self, section: &'static str, kind: &'static str, ids: Vec<&str>) {
        // Who holds each id first, by a stable sort (equal ids stay in file order) rather than a
        // hash map: 1,000 ids sort in a third of the time they hash.
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by_key(|&index| ids[index]);
        let mut earlier: Vec<Option<usize>> = vec![None; ids.len()];
        for same in order.chunk_by(|&a, &b| ids[a] == ids[b]) {
            for &later in &same[1..] {
                earlier[later] = Some(same[0]);
            }
        }
        for (index, id) in ids.into_iter().enumerate() {
            // Worded only for a record with a problem: most have none.
            let who = label(kind, id, index);
            if id.is_empty() {
                self.push(
                    section,
                    index,
                    Anchor::Record,
                    format!("{}: id is empty", who),
                );
            } else if !is_valid_id(id) {
                let fixed = to_id(id);
                let hint = if fixed.is_empty() {
                    String::new()
                } else {
                    format!(" (try \"{fixed}\")")
                };
                self.push(
                    section,
                    index,
                    Anchor::Record,
                    format!(
                        "{}: invalid id; ids are lowercase letters, digits, `-` and `_`{hint}",
                        who
                    ),
                );
            }
            if let Some(earlier) = earlier[index] {
                self.issues.push(Issue {
                    section,
                    index,
                    anchor: Anchor::Record,
                    message: format!(
                        "{}: duplicate id; the {kind} at {{related}} already uses it",
                        who
                    ),
                    related: Some(earlier),
                });
            }
        }
    }

    fn integration_ref(&mut self, section: &'static str, index: usize, who: Label<'_>, id: &str) {
        if self.ws.integration(id).is_none() {
            let hint = suggest(id, self.ws.integrations.iter().map(|i| i.id.as_str()));
            self.push(
                section,
                index,
                Anchor::Field("integration"),
                format!("{who}: integration \"{id}\" does not exist{hint}"),
            );
        }
    }

    fn integrations(&mut self) {
        let ws = self.ws;
        for (index, integration) in ws.integrations.iter().enumerate() {
            let who = label("integration", &integration.id, index);
            let url = &integration.base_url;
            let templated = url.contains("{{");
            if !(templated || url.starts_with("http://") || url.starts_with("https://")) {
                self.push(
                    "integrations",
                    index,
                    Anchor::Field("base_url"),
                    format!("{who}: base_url \"{url}\" must start with http:// or https://"),
                );
            }
            self.header_names("integrations", index, who, &integration.headers);
            let mut texts = vec![("base_url", url.as_str())];
            texts.extend(
                integration
                    .headers
                    .iter()
                    .map(|h| ("headers", h.value.as_str())),
            );
            for (field, text) in texts {
                self.templates(
                    "integrations",
                    index,
                    who,
                    field,
                    text,
                    CredentialRef::None,
                    &[],
                );
            }
            if let Some(ca) = &integration.tls.ca_cert
                && let Some(problem) = crate::flow::tls::file_problem(ca)
            {
                self.push(
                    "integrations",
                    index,
                    Anchor::Field("ca_cert"),
                    format!("{who}: tls.ca_cert {ca:?}: {problem}"),
                );
            }
            if let Some(message) = timeout_problem(integration.timeout_secs) {
                self.push(
                    "integrations",
                    index,
                    Anchor::Field("timeout_secs"),
                    format!("{who}: {message}"),
                );
            }
        }
    }

    fn credentials(&mut self) {
        let ws = self.ws;
        for (index, credential) in ws.credentials.iter().enumerate() {
            let who = label("credential", &credential.id, index);
            self.integration_ref("credentials", index, who, &credential.integration);
            self.credential_header(index, who, &credential.auth);
            for (field, text) in credential_text_fields(&credential.auth) {
                let message = match template::check(text) {
                    Err(e) => Some((template_error(&e), template_anchor(text, &e))),
                    Ok(found) => found
                        .into_iter()
                        .find(|p| !matches!(p, Placeholder::Env(_)))
                        .map(|p| (format!("only {{{{env.NAME}}}} may be used in a credential field, found `{p}`"), placeholder_anchor(text, &p.to_string()))),
                };
                if let Some((message, anchor)) = message {
                    self.push(
                        "credentials",
                        index,
                        anchor,
                        format!("{who}: {field}: {message}"),
                    );
                }
            }
            if let CredentialAuth::Certificate(c) = &credential.auth {
                for (field, path) in [("cert_path", &c.cert_path), ("key_path", &c.key_path)] {
                    if let Some(problem) = crate::flow::tls::file_problem(path) {
                        self.push(
                            "credentials",
                            index,
                            Anchor::Field(field),
                            format!("{who}: {field} {path:?}: {problem}"),
                        );
                    }
                }
            }
            let CredentialAuth::BearerToken(bearer) = &credential.auth else {
                continue;
            };
            if !(1..=MAX_TOKEN_MINUTES).contains(&bearer.access_token_duration_minutes) {
                self.push(
                    "credentials",
                    index,
                    Anchor::Field("access_token_duration_minutes"),
                    format!(
                        "{who}: access_token_duration_minutes must be from 1 to {MAX_TOKEN_MINUTES} (ten years); it is {}",
                        bearer.access_token_duration_minutes
                    ),
                );
            }
            for (field, at) in [
                ("obtained_at", bearer.obtained_at),
                ("expires_at", bearer.expires_at),
            ] {
                if let Some(problem) = time_problem(at) {
                    self.push(
                        "credentials",
                        index,
                        Anchor::Field(field),
                        format!("{who}: {field}: {problem}"),
                    );
                }
            }
            let token_payload = &bearer.token_payload;
            let anchor = Anchor::Field("token_payload");
            match ws.payload(token_payload) {
                None => {
                    let hint = suggest(
                        token_payload,
                        ws.payloads
                            .iter()
                            .filter(|p| p.kind == PayloadKind::Credential)
                            .map(|p| p.id.as_str()),
                    );
                    self.push(
                        "credentials",
                        index,
                        anchor,
                        format!("{who}: token_payload \"{token_payload}\" does not exist{hint}"),
                    );
                }
                Some(p) if p.kind != PayloadKind::Credential => self.push(
                    "credentials",
                    index,
                    anchor,
                    format!(
                        "{who}: token_payload \"{token_payload}\" is a {:?} payload; it must be of kind Credential",
                        p.kind
                    ),
                ),
                Some(p) if p.credential.as_deref() != Some(credential.id.as_str()) => {
                    let points = match &p.credential {
                        Some(other) => format!("the payload's credential is \"{other}\""),
                        None => "the payload names no credential".to_string(),
                    };
                    self.push(
                        "credentials",
                        index,
                        anchor,
                        format!(
                            "{who}: token_payload \"{token_payload}\" does not point back at it ({points})"
                        ),
                    );
                }
                Some(_) => {}
            }
        }
    }

    fn variable_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.ws.variables.iter().map(|v| v.name.clone()).collect();
        for payload in &self.ws.payloads {
            for target in &payload.targets {
                if let Target::Variable(name) = &target.target {
                    names.push(name.clone());
                }
            }
        }
        names
    }

    fn variable_known(&self, name: &str) -> bool {
        self.variable_names().iter().any(|n| n == name)
    }

    fn variables(&mut self) {
        let ws = self.ws;
        let mut seen: Vec<&str> = Vec::new();
        for (index, variable) in ws.variables.iter().enumerate() {
            let name = variable.name.as_str();
            let who = label("variable", name, index);
            if !is_valid_name(name) {
                self.push(
                    "variables",
                    index,
                    Anchor::Record,
                    format!("{who}: invalid name; use letters, digits, `-` and `_`"),
                );
            }
            if seen.contains(&name) {
                self.push(
                    "variables",
                    index,
                    Anchor::Record,
                    format!("{who}: defined twice"),
                );
            }
            seen.push(name);
        }
    }
}

/// Where in `text` a template problem is: the placeholder, or the `{{` left open.
fn template_anchor(text: &str, error: &TemplateError) -> Anchor {
    let snippet = match error {
        TemplateError::Unclosed { column } => text
            .chars()
            .skip(column.saturating_sub(1))
            .take_while(|c| !matches!(c, '"' | '\\' | '\n'))
            .take(16)
            .collect(),
        TemplateError::UnknownForm(inner) => inner.clone(),
        _ => String::new(),
    };
    Anchor::Within(text.to_string(), snippet)
}

/// Where a placeholder (`{{input.name}}`) is written inside `text`.
fn placeholder_anchor(text: &str, placeholder: &str) -> Anchor {
    let inner = placeholder
        .trim_start_matches("{{")
        .trim_end_matches("}}")
        .trim();
    Anchor::Within(text.to_string(), inner.to_string())
}

/// The template module's message, with a suggestion when a placeholder's scope is misspelt.
fn template_error(error: &TemplateError) -> String {
    if let TemplateError::Unclosed { .. } = error {
        // The diagnostic points at it; a column inside the string would only confuse.
        return "this `{{` is never closed with `}}`".to_string();
    }
    let mut message = error.to_string();
    if let TemplateError::UnknownForm(inner) = error {
        let (scope, name) = inner.split_once('.').unwrap_or((inner.as_str(), ""));
        let scopes = ["credential", "input", "var", "env", "now"];
        if let Some(s) = closest(scope, scopes).filter(|s| *s != scope) {
            let fixed = if name.is_empty() {
                s.to_string()
            } else {
                format!("{s}.{name}")
            };
            message.push_str(&format!(" (did you mean `{{{{{fixed}}}}}`?)"));
        }
    }
    message
}

fn issues(workspace: &Workspace) -> Vec<Issue> {
    let mut checker = Checker {
        ws: workspace,
        issues: Vec::new(),
    };
    checker.ids(
        "integrations",
        "integration",
        workspace
            .integrations
            .iter()
            .map(|i| i.id.as_str())
            .collect(),
    );
    checker.ids(
        "credentials",
        "credential",
        workspace
            .credentials
            .iter()
            .map(|c| c.id.as_str())
            .collect(),
    );
    checker.ids(
        "payloads",
        "payload",
        workspace.payloads.iter().map(|p| p.id.as_str()).collect(),
    );
    checker.integrations();
    checker.credentials();
    checker.payloads();
    checker.variables();
    checker.issues
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_duplicate_id_names_the_first_record_that_holds_it_in_file_order() {
        let mut workspace = Workspace::default();
        let integration = |id: &str| Integration {
            id: id.into(),
            name: id.to_string(),
            base_url: "http://h".to_string(),
            description: String::new(),
            timeout_secs: None,
            headers: Vec::new(),
            tls: TlsOptions::default(),
        };
        for id in ["b", "a", "b", "c", "a", "b"] {
            workspace.integrations.push(integration(id));
        }
        let duplicates: Vec<(usize, Option<usize>)> = issues(&workspace)
            .into_iter()
            .filter(|i| i.message.contains("duplicate id"))
            .map(|i| (i.index, i.related))
            .collect();
        assert_eq!(
            duplicates,
            [(2, Some(0)), (4, Some(1)), (5, Some(0))],
            "later holders, each naming the first"
        );
    }
}
