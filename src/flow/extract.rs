//! The response model: named values read from a response by JSONPath, form key or header, and the
//! server's own `error` / `error_description` when a request is refused.

use super::http::HttpResponse;
use crate::workspace::{ResponseValue, ValueSource};
use serde_json::Value;
use serde_json_path::JsonPath;

/// What the response model read: values found, and a reason for each that was not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    pub values: Vec<(String, String)>,
    pub missing: Vec<(String, String)>,
    /// Values read by JSONPath that were not JSON strings, with their JSON type ("number"…):
    /// their text is kept in `values`, but a token must be a string.
    pub not_strings: Vec<(String, &'static str)>,
}

impl Extracted {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    /// The JSON type of a value that was read from a non-string JSON value.
    pub fn json_type(&self, name: &str) -> Option<&'static str> {
        self.not_strings
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, kind)| *kind)
    }
    pub fn why_missing(&self, name: &str) -> Option<&str> {
        self.missing
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The body parsed once, lazily, as whichever form the model asks for.
struct Body<'a> {
    raw: &'a [u8],
    json: Option<Result<Value, String>>,
}

impl<'a> Body<'a> {
    fn json(&mut self) -> Result<&Value, String> {
        let raw = self.raw;
        self.json
            .get_or_insert_with(|| {
                serde_json::from_slice::<Value>(raw)
                    .map_err(|e| format!("the body is not JSON ({e})"))
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

/// Reads every value of the model from the response.
pub fn extract(model: &[ResponseValue], response: &HttpResponse) -> Extracted {
    let mut body = Body {
        raw: &response.body,
        json: None,
    };
    let mut out = Extracted::default();
    // Encodings reqwest decodes (gzip, deflate, br, zstd) are gone from the headers by now; one
    // still named is one nobody decoded, and the body cannot be read.
    // A body whose decoding failed (a corrupt gzip) cannot be read either.
    let unreadable = response.undecodable.clone().or_else(|| {
        response
            .header("content-encoding")
            .map(|e| e.trim().to_ascii_lowercase())
            .filter(|e| !e.is_empty() && e != "identity")
            .map(|encoding| format!("the body is {encoding}-encoded, which Payloads cannot decode"))
    });
    if let Some(why) = unreadable {
        for value in model {
            if !matches!(value.source, ValueSource::Header(_)) {
                out.missing.push((value.name.clone(), why.clone()));
                continue;
            }
            if let ValueSource::Header(name) = &value.source {
                match response.header(name) {
                    Some(v) => out.values.push((value.name.clone(), v.to_string())),
                    None => out.missing.push((
                        value.name.clone(),
                        format!("no {name} header in the response"),
                    )),
                }
            }
        }
        return out;
    }
    for value in model {
        let found = match &value.source {
            ValueSource::JsonPath(path) => json_path_value(&mut body, path).map(|(text, kind)| {
                if let Some(kind) = kind {
                    out.not_strings.push((value.name.clone(), kind));
                }
                text
            }),
            ValueSource::FormKey(key) => form_value(response.body.as_slice(), key),
            ValueSource::Header(name) => response
                .header(name)
                .map(str::to_string)
                .ok_or_else(|| format!("no {name} header in the response")),
        };
        match found {
            Ok(v) => out.values.push((value.name.clone(), v)),
            Err(why) => out.missing.push((value.name.clone(), why)),
        }
    }
    out
}

/// The value's text, and its JSON type when it is not a string.
fn json_path_value(body: &mut Body, path: &str) -> Result<(String, Option<&'static str>), String> {
    if let Some(problem) = crate::workspace::validate::jsonpath_problem(path) {
        return Err(format!("JSONPath cannot be used: {problem}"));
    }
    let parsed = JsonPath::parse(path).map_err(|e| format!("JSONPath {path} is not valid: {e}"))?;
    let json = body.json()?;
    let nodes = parsed.query(json).all();
    match nodes.first() {
        None => Err(format!("nothing at {path} in the body{}", keys_there(json))),
        Some(Value::Null) => Err(format!("{path} is null in the body")),
        Some(v) => Ok((json_text(v), json_type(v))),
    }
}

fn json_type(v: &Value) -> Option<&'static str> {
    match v {
        Value::String(_) => None,
        Value::Null => Some("null"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(_) => Some("number"),
        Value::Array(_) => Some("array"),
        Value::Object(_) => Some("object"),
    }
}

/// What the body holds instead, so a JSONPath that found nothing can be corrected: its top-level
/// keys (at most 12, each shown only if it is plain text).
fn keys_there(json: &Value) -> String {
    let Value::Object(map) = json else {
        return String::new();
    };
    if map.is_empty() {
        return "; the body is an empty object".to_string();
    }
    let keys: Vec<&str> = map
        .keys()
        .take(12)
        .map(|k| {
            if k.chars().all(|c| c.is_ascii_graphic()) && k.len() <= 60 {
                k.as_str()
            } else {
                "(unprintable key)"
            }
        })
        .collect();
    let more = if map.len() > keys.len() { ", …" } else { "" };
    format!("; its keys are: {}{more}", keys.join(", "))
}

/// Strings as they are, everything else as compact JSON text.
pub fn json_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn form_value(raw: &[u8], key: &str) -> Result<String, String> {
    form_urlencoded::parse(raw)
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .ok_or_else(|| format!("no {key} key in the form body"))
}

/// The server's explanation of a refusal: OAuth 2 `error` and `error_description` (JSON or form
/// body), or a JSON `message`, or the start of a short text body.
pub fn server_reason(response: &HttpResponse) -> Option<String> {
    let body = &response.body;
    let mut error = None;
    let mut description = None;
    if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) {
        error = map.get("error").map(json_text);
        description = map
            .get("error_description")
            .or_else(|| map.get("message"))
            .map(json_text);
    } else if is_form(response) {
        for (k, v) in form_urlencoded::parse(body) {
            match k.as_ref() {
                "error" => error = Some(v.into_owned()),
                "error_description" => description = Some(v.into_owned()),
                _ => {}
            }
        }
    }
    match (error, description) {
        (Some(e), Some(d)) => Some(format!("{e}: {d}")),
        (Some(e), None) => Some(e),
        (None, Some(d)) => Some(d),
        (None, None) => {
            let text = String::from_utf8_lossy(body);
            let text = match html_text(&text) {
                Some(plain) => plain,
                None => text.split_whitespace().collect::<Vec<_>>().join(" "),
            };
            if text.is_empty() {
                None
            } else {
                let mut short: String = text.chars().take(200).collect();
                if short.len() < text.len() {
                    short.push('…');
                }
                Some(short)
            }
        }
    }
}

/// The gist of an HTML error page (a proxy's 502, say): its `<title>`, else its text without
/// tags. `None` when the body is not HTML.
fn html_text(body: &str) -> Option<String> {
    let trimmed = body.trim_start();
    let lower = trimmed.to_ascii_lowercase();
    if !(lower.starts_with("<!doctype html") || lower.starts_with("<html")) {
        return None;
    }
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(start) = lower.find("<title>") {
        let from = start + "<title>".len();
        if let Some(len) = lower[from..].find("</title>") {
            let title = words(&trimmed[from..from + len]);
            if !title.is_empty() {
                return Some(title);
            }
        }
    }
    let mut plain = String::new();
    let mut in_tag = false;
    for c in trimmed.chars() {
        match c {
            '<' => {
                in_tag = true;
                plain.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => plain.push(c),
            _ => {}
        }
    }
    Some(words(&plain))
}

/// The OAuth 2 `error` code of a refusal, if the body names one.
pub fn oauth_error_code(response: &HttpResponse) -> Option<String> {
    if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&response.body) {
        return map.get("error").map(json_text);
    }
    form_urlencoded::parse(&response.body)
        .find(|(k, _)| k == "error")
        .map(|(_, v)| v.into_owned())
}

fn is_form(response: &HttpResponse) -> bool {
    response
        .header("content-type")
        .is_some_and(|c| c.contains("application/x-www-form-urlencoded"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;
    use std::time::Duration;

    fn response(content_type: &str, body: &str) -> HttpResponse {
        HttpResponse {
            status: StatusCode::OK,
            version: reqwest::Version::HTTP_11,
            headers: vec![
                ("content-type".into(), content_type.into()),
                ("X-Request-Id".into(), "abc-123".into()),
            ],
            body: body.as_bytes().to_vec(),
            body_bytes: body.len() as u64,
            truncated: false,
            redirects: vec![],
            elapsed: Duration::ZERO,
            undecodable: None,
        }
    }

    fn value(name: &str, source: ValueSource) -> ResponseValue {
        ResponseValue {
            name: name.into(),
            source,
        }
    }

    #[test]
    fn json_values_keep_strings_and_render_the_rest_as_json() {
        let r = response(
            "application/json",
            r#"{"token":"t1","n":3600,"ok":true,"obj":{"a":[1,2]},"items":[{"id":"x"}],"nil":null}"#,
        );
        let model = vec![
            value("token", ValueSource::JsonPath("$.token".into())),
            value("n", ValueSource::JsonPath("$.n".into())),
            value("ok", ValueSource::JsonPath("$.ok".into())),
            value("obj", ValueSource::JsonPath("$.obj".into())),
            value("first", ValueSource::JsonPath("$.items[0].id".into())),
            value("nil", ValueSource::JsonPath("$.nil".into())),
            value("absent", ValueSource::JsonPath("$.nope".into())),
            value("req", ValueSource::Header("x-request-id".into())),
        ];
        let e = extract(&model, &r);
        assert_eq!(e.get("token"), Some("t1"));
        assert_eq!(e.get("n"), Some("3600"));
        assert_eq!(e.get("ok"), Some("true"));
        assert_eq!(e.get("obj"), Some(r#"{"a":[1,2]}"#));
        assert_eq!(e.get("first"), Some("x"));
        assert_eq!(e.get("req"), Some("abc-123"));
        assert!(e.why_missing("nil").unwrap().contains("null"));
        assert!(
            e.why_missing("absent")
                .unwrap()
                .contains("nothing at $.nope")
        );
    }

    #[test]
    fn form_bodies_are_read_by_key() {
        let r = response(
            "application/x-www-form-urlencoded",
            "access_token=a%2Bb&expires_in=60",
        );
        let e = extract(
            &[value("t", ValueSource::FormKey("access_token".into()))],
            &r,
        );
        assert_eq!(e.get("t"), Some("a+b"));
    }

    #[test]
    fn a_non_json_body_is_named_as_such() {
        let r = response("text/html", "<html>oops</html>");
        let e = extract(&[value("t", ValueSource::JsonPath("$.t".into()))], &r);
        assert!(e.why_missing("t").unwrap().contains("not JSON"));
    }

    #[test]
    fn server_reasons_quote_error_and_description() {
        let r = response(
            "application/json",
            r#"{"error":"invalid_grant","error_description":"Token expired"}"#,
        );
        assert_eq!(
            server_reason(&r).as_deref(),
            Some("invalid_grant: Token expired")
        );
        assert_eq!(oauth_error_code(&r).as_deref(), Some("invalid_grant"));
        let r = response("text/plain", "Internal error\nmore");
        assert_eq!(server_reason(&r).as_deref(), Some("Internal error more"));
    }

    #[test]
    fn an_html_error_page_is_quoted_by_its_title_or_its_text() {
        let nginx = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
                     <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n\
                     </body>\r\n</html>\r\n";
        let r = response("text/html", nginx);
        assert_eq!(server_reason(&r).as_deref(), Some("502 Bad Gateway"));
        let r = response(
            "text/html",
            "<!DOCTYPE html><html><body><h1>Service</h1><p>down for maintenance</p></body></html>",
        );
        assert_eq!(
            server_reason(&r).as_deref(),
            Some("Service down for maintenance")
        );
        let long = "x".repeat(300);
        let r = response("text/plain", &long);
        assert_eq!(server_reason(&r).unwrap().chars().count(), 201);
    }
}
