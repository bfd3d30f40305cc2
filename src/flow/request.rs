//! The request a Payload describes, built from the workspace: inputs resolved, templates rendered
//! and escaped for where each value lands, the Credential's authentication applied.

use super::credentials::AppliedAuth;
use super::http::PreparedRequest;
use crate::jobs::RequestRecord;
use crate::template::{self, Context, Escape};
use crate::workspace::{Body, Credential, Integration, Payload, Variable};
use chrono::{DateTime, Utc};
use reqwest::{Method, Url};
use std::time::Duration;

/// The inputs a run uses: the ones given, then the defaults of those not given. A declared input
/// with neither, or a given one the Payload does not declare, is an error naming it.
pub fn resolve_inputs(
    payload: &Payload,
    given: &[(String, String)],
) -> Result<Vec<(String, String)>, String> {
    for (name, _) in given {
        if !payload.inputs.iter().any(|i| &i.name == name) {
            let known: Vec<&str> = payload.inputs.iter().map(|i| i.name.as_str()).collect();
            return Err(if known.is_empty() {
                format!("Payload {} takes no input {name:?}", payload.id)
            } else {
                format!(
                    "Payload {} has no input {name:?}; its inputs: {}",
                    payload.id,
                    known.join(", ")
                )
            });
        }
    }
    let mut resolved = Vec::new();
    for input in &payload.inputs {
        let value = given
            .iter()
            .rev()
            .find(|(n, _)| n == &input.name)
            .map(|(_, v)| v.clone())
            .or_else(|| input.default.clone());
        match value {
            Some(v) => resolved.push((input.name.clone(), v)),
            None => {
                return Err(format!(
                    "missing input {name}: give it with --input {name}=VALUE",
                    name = input.name
                ));
            }
        }
    }
    Ok(resolved)
}

/// Everything a request is built from. `credential` has its `{{env.*}}` fields resolved.
pub struct RequestParts<'a> {
    pub payload: &'a Payload,
    pub integration: &'a Integration,
    pub credential: Option<&'a Credential>,
    pub auth: &'a AppliedAuth,
    pub inputs: &'a [(String, String)],
    pub variables: &'a [Variable],
    pub now: DateTime<Utc>,
    pub default_timeout: Duration,
}

/// Renders the Payload into a request. Fails, naming the placeholder, before anything is sent.
pub fn build(parts: &RequestParts) -> Result<PreparedRequest, String> {
    let payload = parts.payload;
    let ctx = Context {
        credential: parts.credential,
        inputs: parts.inputs,
        variables: parts.variables,
        now: parts.now,
        env: &template::process_env,
    };
    let render = |text: &str, escape: Escape, place: &str| {
        template::render(text, &ctx, escape).map_err(|e| format!("{place}: {e}"))
    };

    let endpoint = render(&payload.endpoint, Escape::PathSegment, "endpoint")?;
    let mut url = join_url(&parts.integration.base_url, &endpoint)?;
    let mut query = Vec::new();
    for p in &payload.parameters {
        query.push((
            p.name.clone(),
            render(&p.value, Escape::None, &format!("parameter {}", p.name))?,
        ));
    }
    query.extend(parts.auth.query.iter().cloned());
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in &query {
            pairs.append_pair(name, value);
        }
    }

    let mut headers: Vec<(String, String)> = Vec::new();
    let mut set_header = |name: &str, value: String| {
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        headers.push((name.to_string(), value));
    };
    for h in parts.integration.headers.iter().chain(&payload.headers) {
        set_header(
            &h.name,
            render(&h.value, Escape::Header, &format!("header {}", h.name))?,
        );
    }

    let (body, content_type) = match &payload.body {
        Body::None => (None, None),
        Body::Json(text) => (
            Some(render(text, Escape::JsonString, "JSON body")?.into_bytes()),
            Some("application/json"),
        ),
        Body::Form(fields) => {
            let mut form = form_urlencoded::Serializer::new(String::new());
            for f in fields {
                form.append_pair(
                    &f.name,
                    &render(&f.value, Escape::None, &format!("form field {}", f.name))?,
                );
            }
            (
                Some(form.finish().into_bytes()),
                Some("application/x-www-form-urlencoded"),
            )
        }
        Body::Raw { content_type, text } => (
            Some(render(text, Escape::None, "body")?.into_bytes()),
            Some(content_type.as_str()),
        ),
    };
    if let Some(ct) = content_type
        && !headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        && !ct.is_empty()
    {
        headers.push(("Content-Type".to_string(), ct.to_string()));
    }
    // The Credential decides authentication: it replaces a same-named header set by hand.
    let mut credential_headers = Vec::new();
    for (name, value) in &parts.auth.headers {
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        headers.push((name.clone(), value.clone()));
        credential_headers.push(name.to_ascii_lowercase());
    }

    let method = Method::from_bytes(payload.method.as_str().as_bytes())
        .map_err(|e| format!("method: {e}"))?;
    let timeout = payload
        .timeout_secs
        .or(parts.integration.timeout_secs)
        .map(Duration::from_secs)
        .unwrap_or(parts.default_timeout);
    Ok(PreparedRequest {
        method,
        url,
        headers,
        body,
        credential_headers,
        timeout,
    })
}

/// The endpoint joined to the base URL, unless it is absolute itself.
pub fn join_url(base_url: &str, endpoint: &str) -> Result<Url, String> {
    let endpoint = endpoint.trim();
    let text = if endpoint.starts_with("http://") || endpoint.starts_with("https://") {
        endpoint.to_string()
    } else if endpoint.is_empty() {
        base_url.trim().to_string()
    } else {
        format!(
            "{}/{}",
            base_url.trim().trim_end_matches('/'),
            endpoint.trim_start_matches('/')
        )
    };
    let url = Url::parse(&text).map_err(|e| format!("the URL {text} is not valid: {e}"))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(format!("the URL {text} is not http or https"));
    }
    Ok(url)
}

/// The request as it will be recorded in the Job (before redaction).
pub fn record(request: &PreparedRequest) -> RequestRecord {
    RequestRecord {
        method: request.method.to_string(),
        url: request.url.to_string(),
        headers: request.headers.clone(),
        body: request
            .body
            .as_ref()
            .map(|b| String::from_utf8_lossy(b).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_join_the_base_url_or_stand_alone() {
        let u = join_url("http://h:1/api/", "/contacts").unwrap();
        assert_eq!(u.as_str(), "http://h:1/api/contacts");
        let u = join_url("http://h:1/api", "contacts?x=1").unwrap();
        assert_eq!(u.as_str(), "http://h:1/api/contacts?x=1");
        let u = join_url("http://h:1/api", "https://other/x").unwrap();
        assert_eq!(u.as_str(), "https://other/x");
        assert!(join_url("ftp://h", "x").is_err());
        assert!(join_url("not a url", "x").is_err());
    }
}
