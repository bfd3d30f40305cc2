//! A parsed curl command turned into the records to add to a workspace: a Payload of an
//! Integration (its URL made relative to the base URL when under it) and, for a `-u` user or an
//! `Authorization` header, a Credential (an existing one reused when it matches) so the secret
//! never sits in the Payload. `payloads import curl` and the TUI's "from a curl command" share it.

use super::curl_parse::CurlRequest;
use crate::workspace::{
    ApiKey, BasicAuth, Body, ClientAuth, Credential, CredentialAuth, KeyValue, Method, Payload,
    PayloadKind, Workspace,
};

/// What an import adds: the Payload, maybe a Credential, and what to tell the user.
#[derive(Debug, Clone)]
pub struct Plan {
    pub payload: Payload,
    pub new_credential: Option<Credential>,
    /// What became of the command's credentials: the Credential reused, or the one made.
    pub credential_note: Option<String>,
    pub notes: Vec<String>,
}

/// Turns a parsed curl command into the records to add to `ws`.
pub fn plan(
    req: &CurlRequest,
    ws: &Workspace,
    integration_id: &str,
    id: Option<&str>,
) -> Result<Plan, String> {
    let integration = ws
        .integration(integration_id)
        .ok_or_else(|| format!("no Integration {integration_id:?}"))?;
    let url = reqwest::Url::parse(&req.url)
        .map_err(|e| format!("the URL {:?} is not valid: {e}", req.url))?;
    let mut notes = Vec::new();

    let has_data = !req.data.is_empty() || !req.urlencoded.is_empty() || !req.form.is_empty();
    let method_text = match (&req.method, req.head) {
        (Some(m), _) => m.clone(),
        (None, true) => "HEAD".to_string(),
        (None, false) if has_data && !req.get => "POST".to_string(),
        _ => "GET".to_string(),
    };
    let method = Method::ALL
        .into_iter()
        .find(|m| m.as_str() == method_text)
        .ok_or_else(|| {
            format!(
                "method {method_text} is not one a Payload can use ({})",
                Method::ALL.map(|m| m.as_str()).join(", ")
            )
        })?;

    // The URL relative to the Integration's base URL when it is under it.
    let base = integration.base_url.trim().trim_end_matches('/');
    let mut without_query = url.clone();
    without_query.set_query(None);
    without_query.set_fragment(None);
    let full = without_query.as_str().trim_end_matches('/').to_string();
    let endpoint = match full.strip_prefix(base) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
            if rest.is_empty() {
                "/".to_string()
            } else {
                rest.to_string()
            }
        }
        _ => {
            notes.push(format!(
                "the URL is not under the Integration's base URL {base}, so the Payload keeps it whole"
            ));
            without_query.to_string()
        }
    };
    let mut parameters: Vec<KeyValue> = url
        .query_pairs()
        .map(|(n, v)| KeyValue::new(n.into_owned(), v.into_owned()))
        .collect();

    // Authentication becomes a Credential; the rest of the headers stay on the Payload.
    let mut headers = Vec::new();
    let mut content_type = None;
    let mut credential_ref = None;
    let mut new_credential = None;
    let mut credential_note: Option<String> = None;
    let mut user = req.user.clone();
    let mut bearer = None;
    for (name, value) in &req.headers {
        if name.eq_ignore_ascii_case("content-type") {
            content_type = Some(value.clone());
        } else if name.eq_ignore_ascii_case("authorization") {
            match value.split_once(' ') {
                Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => {
                    bearer = Some(token.trim().to_string())
                }
                Some((scheme, encoded)) if scheme.eq_ignore_ascii_case("basic") => {
                    use base64::Engine;
                    let decoded = base64::engine::general_purpose::STANDARD
                        .decode(encoded.trim())
                        .ok()
                        .and_then(|b| String::from_utf8(b).ok());
                    match decoded.as_deref().and_then(|d| d.split_once(':')) {
                        Some((u, p)) => user = Some((u.to_string(), p.to_string())),
                        None => {
                            return Err(
                                "the Authorization: Basic header is not base64 of user:password"
                                    .into(),
                            );
                        }
                    }
                }
                // Another scheme: an API Key Credential sends the header as is.
                _ => {
                    let (cred, note) = api_key_credential(ws, integration_id, name, value);
                    credential_ref = Some(cred.id.clone());
                    credential_note = Some(note);
                    if ws.credential(&cred.id).is_none() {
                        new_credential = Some(cred);
                    }
                }
            }
        } else {
            headers.push(KeyValue::new(name.clone(), value.clone()));
        }
    }
    if let Some((username, password)) = &user {
        let existing = ws.credentials.iter().find(|c| {
            c.integration == integration_id
                && matches!(&c.auth, CredentialAuth::Basic(b) if &b.username == username && &b.password == password)
        });
        match existing {
            Some(c) => {
                credential_note = Some(format!(
                    "uses the Basic Credential {} (same user and password)",
                    c.id
                ));
                credential_ref = Some(c.id.clone());
            }
            None => {
                let id = unique(&format!("{integration_id}-basic"), |id| {
                    ws.credential(id).is_some()
                });
                credential_note = Some(format!(
                    "created the Basic Credential {id} for user {username}; the password is kept there, not in the Payload"
                ));
                credential_ref = Some(id.clone().into());
                new_credential = Some(Credential {
                    id: id.clone().into(),
                    name: format!("Basic {username}"),
                    integration: integration_id.into(),
                    description: "Imported from a curl command.".to_string(),
                    auth: CredentialAuth::Basic(BasicAuth {
                        username: username.clone(),
                        password: password.clone(),
                    }),
                });
            }
        }
    } else if let Some(token) = bearer {
        let bearer_credential = ws.credentials.iter().find(|c| {
            c.integration == integration_id && matches!(c.auth, CredentialAuth::BearerToken(_))
        });
        match bearer_credential {
            Some(c) => {
                credential_note = Some(format!(
                    "uses the Bearer Token Credential {}: its token request keeps the token fresh; \
                     the pasted token is not stored",
                    c.id
                ));
                credential_ref = Some(c.id.clone());
            }
            None => {
                let (cred, note) = api_key_credential(
                    ws,
                    integration_id,
                    "Authorization",
                    &format!("Bearer {token}"),
                );
                credential_ref = Some(cred.id.clone());
                credential_note = Some(note);
                if ws.credential(&cred.id).is_none() {
                    new_credential = Some(cred);
                }
            }
        }
    }

    // The body: JSON, a form, or raw text with its content type.
    let mut joined = req.data.join("&");
    let body = if req.get {
        // -G: the data goes into the query.
        for (n, v) in form_urlencoded::parse(joined.as_bytes()) {
            parameters.push(KeyValue::new(n.into_owned(), v.into_owned()));
        }
        for (n, v) in &req.urlencoded {
            parameters.push(KeyValue::new(n.clone(), v.clone()));
        }
        joined.clear();
        Body::None
    } else if !req.form.is_empty() {
        notes.push(
            "the -F fields are sent as a URL-encoded form (a Payload has no multipart body)"
                .to_string(),
        );
        Body::Form(
            req.form
                .iter()
                .map(|(n, v)| KeyValue::new(n.clone(), v.clone()))
                .collect(),
        )
    } else if req.json
        || content_type
            .as_deref()
            .is_some_and(|t| t.to_ascii_lowercase().contains("json"))
    {
        if req.json {
            headers.retain(|h| {
                !h.name.eq_ignore_ascii_case("accept") || h.value != "application/json"
            });
        }
        Body::Json(joined.clone())
    } else if !joined.is_empty() || !req.urlencoded.is_empty() {
        match content_type.as_deref() {
            None | Some("application/x-www-form-urlencoded") => {
                let mut fields: Vec<KeyValue> = form_urlencoded::parse(joined.as_bytes())
                    .map(|(n, v)| KeyValue::new(n.into_owned(), v.into_owned()))
                    .collect();
                fields.extend(
                    req.urlencoded
                        .iter()
                        .map(|(n, v)| KeyValue::new(n.clone(), v.clone())),
                );
                Body::Form(fields)
            }
            Some(other) => Body::Raw {
                content_type: other.to_string(),
                text: joined.clone(),
            },
        }
    } else {
        Body::None
    };
    if let (Body::None, Some(ct)) = (&body, &content_type) {
        headers.push(KeyValue::new("Content-Type", ct.clone()));
    }

    let payload_id = match id {
        Some(id) => id.to_string(),
        None => unique(&slug(method.as_str(), &endpoint), |id| {
            ws.payload(id).is_some()
        }),
    };
    let payload = Payload {
        id: payload_id.clone().into(),
        name: format!("{} {}", method.as_str(), endpoint),
        integration: integration_id.into(),
        kind: PayloadKind::Callout,
        description: "Imported from a curl command.".to_string(),
        method,
        endpoint,
        credential: credential_ref,
        client_auth: ClientAuth::default(),
        headers,
        parameters,
        body,
        response: vec![],
        targets: vec![],
        inputs: vec![],
        timeout_secs: req.max_time,
    };
    Ok(Plan {
        payload,
        new_credential,
        credential_note,
        notes,
    })
}

/// An API Key Credential sending `name: value`: an existing one with the same header and value,
/// or a new one.
fn api_key_credential(
    ws: &Workspace,
    integration_id: &str,
    name: &str,
    value: &str,
) -> (Credential, String) {
    if let Some(c) = ws.credentials.iter().find(|c| {
        c.integration == integration_id
            && matches!(&c.auth, CredentialAuth::ApiKey(k) if k.header.eq_ignore_ascii_case(name) && k.value == value)
    }) {
        return (c.clone(), format!("uses the API Key Credential {} (same header and value)", c.id));
    }
    let id = unique(&format!("{integration_id}-token"), |id| {
        ws.credential(id).is_some()
    });
    let note = format!(
        "created the API Key Credential {id} sending the {name} header; the value is kept there, \
         not in the Payload (make it a Bearer Token Credential to have it refreshed)"
    );
    (
        Credential {
            id: id.into(),
            name: format!("{name} header"),
            integration: integration_id.into(),
            description: "Imported from a curl command.".to_string(),
            auth: CredentialAuth::ApiKey(ApiKey {
                header: name.to_string(),
                value: value.to_string(),
            }),
        },
        note,
    )
}

/// `get-api-contacts`: an id from the method and the endpoint's path.
fn slug(method: &str, endpoint: &str) -> String {
    let path = endpoint
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split_once('/').map(|(_, p)| p))
        .unwrap_or(endpoint);
    let mut slug = String::new();
    for c in format!("{method} {path}").chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    let slug: String = slug.chars().take(48).collect();
    slug.trim_end_matches('-').to_string()
}

/// `base`, or `base-2`, `base-3` … the first that is not taken.
fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or_else(|| base.to_string())
}
