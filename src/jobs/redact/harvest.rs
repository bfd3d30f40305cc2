//! Secrets a Job shows by itself: credentials in `Authorization` headers and values under
//! well-known secret keys, found even when nobody told the Redactor about them.

use super::super::record::Job;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

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

pub(super) fn is_auth_header(name: &str) -> bool {
    AUTH_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h))
}

fn is_secret_key(key: &str) -> bool {
    SECRET_KEYS.iter().any(|k| key.eq_ignore_ascii_case(k))
}

/// Secrets visible in the Job itself: credentials in `Authorization` headers, values of
/// well-known secret keys in bodies and query strings, extracted values with such names, and
/// what Data Targets wrote into a Credential's tokens.
pub(super) fn harvest(job: &Job) -> Vec<String> {
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
