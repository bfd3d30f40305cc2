//! Secret redaction: every secret value of a workspace, and every form it takes on the wire, is
//! replaced by a fixed marker before a Job is shown, printed, logged or written.

use super::record::Job;
use crate::workspace::model::{CredentialAuth, Workspace};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, utf8_percent_encode};

/// What every secret is replaced by.
pub const REDACTED: &str = "•••redacted•••";

/// Secrets shorter than this are not redacted: replacing every `ab` in a text shreds it and hides
/// nothing worth hiding.
pub const MIN_SECRET_CHARS: usize = 4;

/// Headers whose whole value (after the scheme) is a credential.
const AUTH_HEADERS: [&str; 2] = ["authorization", "proxy-authorization"];

/// Keys that hold a secret wherever they appear: in a JSON body, a form body or a query string.
/// Their values are redacted even when the runner never told the Redactor about them.
const SECRET_KEYS: [&str; 11] = [
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "password",
    "secret",
    "api_key",
    "apikey",
    "token",
    "assertion",
    "client_assertion",
];

/// The characters `url` percent-encodes in a path segment.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%');

/// The characters `url` percent-encodes in a query string.
const QUERY: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'\'');

/// Knows every secret value and replaces each occurrence, longest first, with [`REDACTED`].
#[derive(Clone, Default)]
pub struct Redactor {
    /// Secrets and their encoded forms, longest first, no duplicates.
    needles: Vec<String>,
    /// `first_bytes[b]` is true when some needle starts with byte `b`: a cheap pre-filter.
    first_bytes: Vec<bool>,
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

    /// Collects every secret of the workspace: client secrets, access and refresh tokens,
    /// passwords, API key and Custom values, secret Variables, and for a field written as
    /// `{{env.NAME}}` the environment variable's value as well.
    pub fn from_workspace(workspace: &Workspace) -> Redactor {
        let mut redactor = Redactor::new();
        let mut secrets: Vec<String> = Vec::new();
        for credential in &workspace.credentials {
            match &credential.auth {
                CredentialAuth::BearerToken(bearer) => {
                    secrets.extend(with_env(&bearer.client_secret));
                    secrets.extend(with_env(&bearer.access_token));
                    secrets.extend(with_env(&bearer.refresh_token));
                    // The client id is not secret, but id:secret in a Basic header is.
                    let id = resolve_env(&bearer.client_id);
                    let secret = resolve_env(&bearer.client_secret);
                    if secret.chars().count() >= MIN_SECRET_CHARS {
                        secrets.push(BASE64.encode(format!("{id}:{secret}")));
                        secrets.push(BASE64.encode(format!("{}:{}", form(&id), form(&secret))));
                    }
                }
                CredentialAuth::Basic(basic) => {
                    secrets.extend(with_env(&basic.password));
                    let user = resolve_env(&basic.username);
                    let password = resolve_env(&basic.password);
                    if password.chars().count() >= MIN_SECRET_CHARS {
                        secrets.push(BASE64.encode(format!("{user}:{password}")));
                    }
                }
                CredentialAuth::ApiKey(key) => secrets.extend(with_env(&key.value)),
                CredentialAuth::Custom(custom) => secrets.extend(with_env(&custom.value)),
                CredentialAuth::Certificate(_) => {}
            }
        }
        for variable in workspace.variables.iter().filter(|v| v.secret) {
            secrets.extend(with_env(&variable.value));
        }
        for secret in &secrets {
            redactor.insert(secret);
        }
        redactor.rebuild();
        redactor
    }

    /// Adds a secret (and its encoded forms). Empty and very short strings are ignored.
    pub fn add(&mut self, secret: &str) {
        if self.insert(secret) {
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
            if self.first_bytes[usize::from(bytes[at])]
                && let Some(needle) = self
                    .needles
                    .iter()
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
            found |= redactor.insert(&secret);
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

    /// Records a secret and its wire forms; true when something new was added. Call `rebuild`
    /// before redacting.
    fn insert(&mut self, secret: &str) -> bool {
        if secret.chars().count() < MIN_SECRET_CHARS {
            return false;
        }
        let mut added = false;
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
        let mut first_bytes = vec![false; 256];
        for needle in &self.needles {
            first_bytes[usize::from(needle.as_bytes()[0])] = true;
        }
        self.first_bytes = first_bytes;
    }
}

fn is_auth_header(name: &str) -> bool {
    AUTH_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h))
}

fn is_secret_key(key: &str) -> bool {
    SECRET_KEYS.iter().any(|k| key.eq_ignore_ascii_case(k))
}

fn form(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The forms a secret takes on the wire: as-is, form-encoded, percent-encoded (query, path
/// segment, everything), JSON-escaped (plain, with `\/`, and ASCII-only `\uXXXX`).
fn encodings(secret: &str) -> Vec<String> {
    let every = utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string();
    let mut forms = vec![
        secret.to_string(),
        form(secret),
        // Some clients write percent escapes in lower case.
        lower_hex_escapes(&every),
        every,
        utf8_percent_encode(secret, PATH_SEGMENT).to_string(),
        utf8_percent_encode(secret, QUERY).to_string(),
    ];
    let json = serde_json::to_string(secret).unwrap_or_default();
    let json = json
        .strip_prefix('"')
        .and_then(|j| j.strip_suffix('"'))
        .unwrap_or(&json)
        .to_string();
    forms.push(json.replace('/', "\\/"));
    if !json.is_ascii() {
        let mut ascii = String::new();
        for c in json.chars() {
            if c.is_ascii() {
                ascii.push(c);
            } else {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    ascii.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
        forms.push(ascii);
    }
    forms.push(json);
    forms.retain(|f| !f.is_empty());
    forms.sort();
    forms.dedup();
    forms
}

/// `%2F` → `%2f`, the rest untouched.
fn lower_hex_escapes(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut chars = encoded.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '%' {
            out.extend(chars.by_ref().take(2).map(|h| h.to_ascii_lowercase()));
        }
    }
    out
}

/// The names inside `{{env.NAME}}` placeholders of `text`.
fn env_names(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            break;
        };
        if let Some(name) = after[..close].trim().strip_prefix("env.") {
            names.push(name.trim());
        }
        rest = &after[close + 2..];
    }
    names
}

/// `text` with each `{{env.NAME}}` replaced by the variable's value (unset ones left as written).
fn resolve_env(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            break;
        };
        let inner = after[..close].trim();
        out.push_str(&rest[..open]);
        match inner
            .strip_prefix("env.")
            .and_then(|name| std::env::var(name.trim()).ok())
        {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[open..open + 2 + close + 2]),
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

/// A secret field's values worth redacting: as written, each environment variable it names,
/// and the field with those variables filled in.
fn with_env(field: &str) -> Vec<String> {
    let mut values = vec![field.to_string()];
    for name in env_names(field) {
        if let Ok(value) = std::env::var(name) {
            values.push(value);
        }
    }
    let resolved = resolve_env(field);
    if resolved != field {
        values.push(resolved);
    }
    values
}

/// Secrets visible in the Job itself: credentials in `Authorization` headers, values of
/// well-known secret keys in bodies and query strings, extracted values with such names, and
/// what Data Targets wrote into a Credential's tokens.
fn harvest(job: &Job) -> Vec<String> {
    let mut found = Vec::new();
    for (name, value) in &job.extracted {
        if is_secret_key(name) {
            found.push(value.clone());
        }
    }
    for target in &job.targets {
        if target.target.contains("access_token") || target.target.contains("refresh_token") {
            found.push(target.written.clone());
        }
    }
    let mut bodies: Vec<&str> = Vec::new();
    if let Some(request) = &job.request {
        harvest_headers(&request.headers, &mut found);
        if let Some((_, query)) = request.url.split_once('?') {
            let query = query.split('#').next().unwrap_or_default();
            harvest_form(query, &mut found);
        }
        if let Some(body) = &request.body {
            bodies.push(body);
        }
    }
    if let Some(response) = &job.response {
        harvest_headers(&response.headers, &mut found);
        bodies.push(&response.body);
    }
    for body in bodies {
        match serde_json::from_str::<serde_json::Value>(body) {
            Ok(value) => harvest_json(&value, &mut found),
            Err(_) => harvest_form(body.trim(), &mut found),
        }
    }
    found
}

fn harvest_headers(headers: &[(String, String)], found: &mut Vec<String>) {
    for (_, value) in headers.iter().filter(|(name, _)| is_auth_header(name)) {
        let Some((scheme, credentials)) = value.trim().split_once(char::is_whitespace) else {
            found.push(value.trim().to_string());
            continue;
        };
        let credentials = credentials.trim();
        found.push(credentials.to_string());
        if scheme.eq_ignore_ascii_case("basic")
            && let Ok(decoded) = BASE64.decode(credentials)
            && let Ok(decoded) = String::from_utf8(decoded)
            && let Some((_, password)) = decoded.split_once(':')
        {
            found.push(password.to_string());
            // Client credentials in a Basic header are form-encoded first (RFC 6749 §2.3.1).
            let plain: String = form_urlencoded::parse(format!("p={password}").as_bytes())
                .map(|(_, v)| v.into_owned())
                .next()
                .unwrap_or_default();
            found.push(plain);
        }
    }
}

fn harvest_form(text: &str, found: &mut Vec<String>) {
    if text.contains(char::is_whitespace) {
        return;
    }
    for (key, value) in form_urlencoded::parse(text.as_bytes()) {
        if is_secret_key(&key) {
            found.push(value.into_owned());
        }
    }
}

fn harvest_json(value: &serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match value {
                    serde_json::Value::String(text) if is_secret_key(key) => {
                        found.push(text.clone());
                    }
                    _ => harvest_json(value, found),
                }
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                harvest_json(item, found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::record::{
        JobStatus, RequestRecord, ResponseRecord, Step, TargetResult, Trigger,
    };
    use crate::workspace::model::{
        ApiKey, BasicAuth, BearerToken, Credential, CustomAuth, Placement, Variable,
    };

    fn credential(id: &str, auth: CredentialAuth) -> Credential {
        Credential {
            id: id.into(),
            name: id.into(),
            integration: "api".into(),
            description: String::new(),
            auth,
        }
    }

    fn bearer(secret: &str, access: &str, refresh: &str) -> CredentialAuth {
        CredentialAuth::BearerToken(BearerToken {
            client_id: "client-one".into(),
            client_secret: secret.into(),
            access_token: access.into(),
            refresh_token: refresh.into(),
            access_token_duration_minutes: 60,
            obtained_at: None,
            token_payload: "token".into(),
        })
    }

    fn workspace() -> Workspace {
        Workspace {
            credentials: vec![
                credential("oauth", bearer("cl!ent/secret=1", "AT-123456", "RT-abcdef")),
                credential(
                    "basic",
                    CredentialAuth::Basic(BasicAuth {
                        username: "alice".into(),
                        password: "pa ss:word@1".into(),
                    }),
                ),
                credential(
                    "key",
                    CredentialAuth::ApiKey(ApiKey {
                        header: "x-api-key".into(),
                        value: "KEY-998877".into(),
                    }),
                ),
                credential(
                    "custom",
                    CredentialAuth::Custom(CustomAuth {
                        placement: Placement::Query,
                        name: "sig".into(),
                        value: "CUSTOM\"quote\\".into(),
                    }),
                ),
            ],
            variables: vec![
                Variable {
                    name: "session".into(),
                    value: "SESSION-777".into(),
                    secret: true,
                },
                Variable {
                    name: "region".into(),
                    value: "eu-west".into(),
                    secret: false,
                },
            ],
            ..Workspace::default()
        }
    }

    #[test]
    fn every_credential_kind_and_secret_variable_is_redacted() {
        let redactor = Redactor::from_workspace(&workspace());
        for secret in [
            "cl!ent/secret=1",
            "AT-123456",
            "RT-abcdef",
            "pa ss:word@1",
            "KEY-998877",
            "CUSTOM\"quote\\",
            "SESSION-777",
        ] {
            let out = redactor.redact(&format!("before {secret} after"));
            assert_eq!(out, format!("before {REDACTED} after"), "secret {secret}");
        }
        // Not secret: left alone.
        assert_eq!(
            redactor.redact("eu-west alice client-one"),
            "eu-west alice client-one"
        );
    }

    #[test]
    fn encoded_forms_are_redacted() {
        let redactor = Redactor::from_workspace(&workspace());
        let cases = [
            // form-encoded
            "client_secret=cl%21ent%2Fsecret%3D1&grant_type=x".to_string(),
            "password=pa+ss%3Aword%401".to_string(),
            // percent-encoded (query / path)
            "https://h/x?p=pa%20ss:word@1".to_string(),
            "/users/pa%20ss:word@1/x".to_string(),
            "p=pa%20ss%3aword%401".to_string(),
            // JSON-escaped
            r#"{"sig":"CUSTOM\"quote\\"}"#.to_string(),
            r#"{"s":"cl!ent\/secret=1"}"#.to_string(),
        ];
        for text in cases {
            let out = redactor.redact(&text);
            for leak in ["cl!ent", "cl%21ent", "pa ss", "pa+ss", "pa%20ss", "CUSTOM"] {
                assert!(!out.contains(leak), "{leak} leaked in {out} (from {text})");
            }
            assert!(out.contains(REDACTED), "nothing redacted in {text}");
        }
        // base64 of user:password, and of client id:secret plain and form-encoded (Basic headers)
        for plain in [
            "alice:pa ss:word@1",
            "client-one:cl!ent/secret=1",
            "client-one:cl%21ent%2Fsecret%3D1",
        ] {
            assert_eq!(redactor.redact(&BASE64.encode(plain)), REDACTED, "{plain}");
        }
    }

    #[test]
    fn short_and_empty_secrets_are_ignored_and_longest_wins() {
        let mut redactor = Redactor::new();
        redactor.add("");
        redactor.add("abc");
        assert!(redactor.is_empty());
        assert_eq!(redactor.redact("abc abcabc"), "abc abcabc");
        redactor.add("tok1");
        redactor.add("tok1-longer");
        assert_eq!(
            redactor.redact("x tok1-longer y tok1 z"),
            format!("x {REDACTED} y {REDACTED} z")
        );
        // The marker itself is not shredded by a later, overlapping secret.
        redactor.add("acted");
        assert_eq!(redactor.redact("tok1"), REDACTED);
    }

    #[test]
    fn env_fields_redact_the_environment_value() {
        let name = "PAYLOADS_REDACT_TEST_SECRET_7731";
        // SAFETY: the name is unique to this test; no other code reads or writes it.
        unsafe { std::env::set_var(name, "from-the-env-42") };
        let ws = Workspace {
            credentials: vec![credential(
                "oauth",
                bearer(&format!("{{{{ env.{name} }}}}"), "", ""),
            )],
            ..Workspace::default()
        };
        let redactor = Redactor::from_workspace(&ws);
        assert_eq!(
            redactor.redact("s=from-the-env-42"),
            format!("s={REDACTED}")
        );
        assert_eq!(
            redactor.redact(&BASE64.encode("client-one:from-the-env-42")),
            REDACTED
        );
    }

    #[test]
    fn added_tokens_are_redacted_and_authorization_keeps_its_scheme() {
        let mut redactor = Redactor::from_workspace(&workspace());
        redactor.add("new-access-token-1");
        assert_eq!(redactor.redact("new-access-token-1"), REDACTED);
        assert_eq!(
            redactor.redact_header("Authorization", "Bearer whatever-it-is"),
            format!("Bearer {REDACTED}")
        );
        assert_eq!(
            redactor.redact_header("proxy-authorization", "opaque"),
            REDACTED
        );
        assert_eq!(
            redactor.redact_header("x-api-key", "KEY-998877"),
            REDACTED.to_string()
        );
        assert_eq!(
            redactor.redact_header("content-type", "application/json"),
            "application/json"
        );
    }

    fn job_with(request_body: &str, response_body: &str) -> Job {
        let now = chrono::Utc::now();
        Job {
            id: "j".into(),
            payload: "p".into(),
            integration: "i".into(),
            linked_job: None,
            trigger: Trigger::Cli,
            status: JobStatus::Failed,
            created_at: now,
            started_at: None,
            finished_at: None,
            duration_ms: None,
            callout_ms: None,
            inputs: vec![("who".into(), "SESSION-777".into())],
            request: Some(RequestRecord {
                method: "POST".into(),
                url: "https://h/token?access_token=query-token-55&x=1".into(),
                headers: vec![
                    (
                        "Authorization".into(),
                        format!("Basic {}", BASE64.encode("id:hdr%2Fsecret")),
                    ),
                    ("x-api-key".into(), "KEY-998877".into()),
                ],
                body: Some(request_body.into()),
            }),
            response: Some(ResponseRecord {
                status: 200,
                headers: vec![("x-echo".into(), "AT-123456".into())],
                body: response_body.into(),
                body_bytes: response_body.len() as u64,
                truncated: false,
            }),
            extracted: vec![("access_token".into(), "fresh-access-99".into())],
            targets: vec![TargetResult {
                value: "refresh_token".into(),
                target: "credential oauth refresh_token".into(),
                written: "fresh-refresh-88".into(),
                error: Some("could not write fresh-refresh-88".into()),
            }],
            error: Some("server said RT-abcdef is bad".into()),
            steps: vec![Step {
                at: now,
                text: "got fresh-access-99 and hdr/secret".into(),
            }],
        }
    }

    #[test]
    fn token_values_named_by_the_response_model_or_targets_are_redacted() {
        let redactor = Redactor::new();
        let mut job = job_with("", "not json at all");
        job.extracted = vec![("refresh_token".into(), "extracted-rt-1".into())];
        job.targets[0].written = "written-at-2".into();
        job.targets[0].target = "credential oauth access_token".into();
        job.steps[0].text = "saved extracted-rt-1 and written-at-2".into();
        redactor.redact_job(&mut job);
        let text = serde_json::to_string(&job).unwrap();
        assert!(!text.contains("extracted-rt-1"), "{text}");
        assert!(!text.contains("written-at-2"), "{text}");
    }

    #[test]
    fn redact_job_covers_every_field_and_harvests_new_tokens() {
        let redactor = Redactor::from_workspace(&workspace());
        let mut job = job_with(
            "grant_type=refresh_token&refresh_token=RT-abcdef&client_secret=cl%21ent%2Fsecret%3D1",
            r#"{"access_token":"fresh-access-99","token_type":"Bearer","refresh_token":"fresh-refresh-88","expires_in":300}"#,
        );
        redactor.redact_job(&mut job);
        let text = serde_json::to_string(&job).unwrap();
        for leak in [
            "SESSION-777",
            "query-token-55",
            "hdr%2Fsecret",
            "hdr/secret",
            "KEY-998877",
            "AT-123456",
            "RT-abcdef",
            "cl%21ent",
            "fresh-access-99",
            "fresh-refresh-88",
        ] {
            assert!(!text.contains(leak), "{leak} leaked: {text}");
        }
        // What is not secret stays readable.
        assert!(text.contains("grant_type=refresh_token"));
        assert!(text.contains(r#"\"token_type\":\"Bearer\""#));
        assert!(text.contains("\"expires_in\\\":300"));
        assert!(text.contains("Basic •••redacted•••"));
    }
}
