//! The forms a secret takes on the wire (form- and percent-encoded, JSON-escaped) and the
//! values behind `{{env.NAME}}` fields.

use crate::template::Env;
use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, utf8_percent_encode};

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
pub(super) fn form(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The forms a secret takes on the wire: as-is, form-encoded, percent-encoded (query, path
/// segment, everything), JSON-escaped (plain, with `\/`, and ASCII-only `\uXXXX`).
pub(crate) fn encodings(secret: &str) -> Vec<String> {
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

/// The names inside `{{env.NAME}}` placeholders of `text`, read leniently (a text whose
/// template does not parse still names its variables here, so their values are still redacted).
pub(super) fn env_names(text: &str) -> Vec<&str> {
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
pub(super) fn resolve_env(text: &str, env: Env) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            break;
        };
        let inner = after[..close].trim();
        out.push_str(&rest[..open]);
        match inner.strip_prefix("env.").and_then(|name| env(name.trim())) {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[open..open + 2 + close + 2]),
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

/// A secret field's values worth redacting: as written (unless it is a reference, which names a
/// variable and is no secret: messages quote it), each environment variable it names, and the
/// field with those variables filled in.
pub(super) fn with_env(field: &str, env: Env) -> Vec<String> {
    let mut values = Vec::new();
    if env_names(field).is_empty() {
        values.push(field.to_string());
    }
    for name in env_names(field) {
        if let Some(value) = env(name) {
            values.push(value);
        }
    }
    let resolved = resolve_env(field, env);
    if resolved != field {
        values.push(resolved);
    }
    values
}
