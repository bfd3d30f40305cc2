//! The sandbox's business endpoints: Bearer-protected contacts, an API-key ping, a webhook, the
//! index, and slow / large answers for exercising timeouts, cancellation and body caps.

use super::SandboxState;
use super::token::{self, TokenError, TokenKind};
use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Longest wait `GET /api/slow` agrees to.
pub const SLOW_MAX: Duration = Duration::from_secs(30);
/// Largest body `GET /api/large` agrees to stream.
pub const LARGE_MAX_BYTES: u64 = 100 * 1024 * 1024;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Contact {
    pub id: String,
    pub name: String,
    pub email: String,
}

pub(super) fn seed_contacts() -> Vec<Contact> {
    [
        ("1", "Ada Lovelace", "ada@example.com"),
        ("2", "Grace Hopper", "grace@example.com"),
        ("3", "Alan Turing", "alan@example.com"),
    ]
    .into_iter()
    .map(|(id, name, email)| Contact {
        id: id.into(),
        name: name.into(),
        email: email.into(),
    })
    .collect()
}

pub(super) fn json_error(
    status: StatusCode,
    code: &str,
    description: impl Into<String>,
) -> Response {
    let body = json!({ "error": code, "error_description": description.into() });
    (status, Json(body)).into_response()
}

/// RFC 6750 §3: a 401 with a `WWW-Authenticate: Bearer error="invalid_token"` challenge.
fn invalid_token(description: &str) -> Response {
    let mut response = json_error(StatusCode::UNAUTHORIZED, "invalid_token", description);
    let challenge = format!("Bearer error=\"invalid_token\", error_description=\"{description}\"");
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

/// The 401 to answer when the request lacks a valid, unexpired access token.
fn bearer_denial(headers: &HeaderMap) -> Option<Response> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Some(invalid_token(
            "no access token: send Authorization: Bearer <access token>",
        ));
    };
    let value = value.to_str().unwrap_or("");
    let (scheme, presented) = value.trim().split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") || presented.trim().is_empty() {
        return Some(invalid_token(
            "the Authorization header is not a Bearer token",
        ));
    }
    let problem = match token::verify(presented.trim(), TokenKind::Access) {
        Ok(verified) if verified.is_expired(SystemTime::now()) => "the access token has expired",
        Ok(_) => return None,
        Err(TokenError::WrongKind(_)) => "that is a refresh token, not an access token",
        Err(TokenError::Unknown) => "the access token is not one this sandbox issued",
    };
    Some(invalid_token(problem))
}

pub(super) async fn list_contacts(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
) -> Response {
    if let Some(denied) = bearer_denial(&headers) {
        return denied;
    }
    let contacts = state.contacts().clone();
    Json(json!({ "contacts": contacts })).into_response()
}

pub(super) async fn get_contact(
    State(state): State<Arc<SandboxState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(denied) = bearer_denial(&headers) {
        return denied;
    }
    let found = state.contacts().iter().find(|c| c.id == id).cloned();
    match found {
        Some(contact) => Json(contact).into_response(),
        None => json_error(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no contact with id {id:?}"),
        ),
    }
}

#[derive(Deserialize)]
struct NewContact {
    name: Option<String>,
    #[serde(default)]
    email: Option<String>,
}

pub(super) async fn create_contact(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(denied) = bearer_denial(&headers) {
        return denied;
    }
    let new: NewContact = match serde_json::from_slice(&body) {
        Ok(new) => new,
        Err(e) => {
            return json_error(
                StatusCode::BAD_REQUEST,
                "invalid_body",
                format!("the body must be a JSON object with name and email: {e}"),
            );
        }
    };
    let Some(name) = new.name.filter(|n| !n.trim().is_empty()) else {
        return json_error(
            StatusCode::BAD_REQUEST,
            "invalid_body",
            "name is missing or empty",
        );
    };
    let mut contacts = state.contacts();
    let next_id = contacts
        .iter()
        .filter_map(|c| c.id.parse::<u64>().ok())
        .max()
        .unwrap_or(0)
        + 1;
    let contact = Contact {
        id: next_id.to_string(),
        name,
        email: new.email.unwrap_or_default(),
    };
    contacts.push(contact.clone());
    (StatusCode::CREATED, Json(contact)).into_response()
}

pub(super) async fn ping(State(state): State<Arc<SandboxState>>, headers: HeaderMap) -> Response {
    let presented = headers
        .get("x-api-key")
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if token::constant_time_eq(presented, state.config.api_key.as_bytes()) {
        Json(json!({ "pong": true })).into_response()
    } else if presented.is_empty() {
        json_error(
            StatusCode::UNAUTHORIZED,
            "invalid_api_key",
            "no API key: send it in the x-api-key header",
        )
    } else {
        json_error(
            StatusCode::UNAUTHORIZED,
            "invalid_api_key",
            "the x-api-key header does not hold the sandbox API key",
        )
    }
}

pub(super) async fn notify() -> Response {
    (StatusCode::ACCEPTED, Json(json!({ "accepted": true }))).into_response()
}

#[derive(Deserialize)]
pub(super) struct SlowQuery {
    ms: Option<u64>,
}

/// Answers after `ms` milliseconds (default 1000, at most [`SLOW_MAX`]); a shutdown cuts it short.
pub(super) async fn slow(
    State(state): State<Arc<SandboxState>>,
    Query(query): Query<SlowQuery>,
) -> Response {
    let wait = Duration::from_millis(query.ms.unwrap_or(1000)).min(SLOW_MAX);
    tokio::select! {
        () = tokio::time::sleep(wait) => {
            Json(json!({ "waited_ms": wait.as_millis() as u64 })).into_response()
        }
        () = state.shutdown.cancelled() => json_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting_down",
            "the sandbox is shutting down",
        ),
    }
}

#[derive(Deserialize)]
pub(super) struct LargeQuery {
    bytes: Option<u64>,
}

/// Streams exactly `bytes` bytes (default 1 MiB, at most [`LARGE_MAX_BYTES`]) of
/// `{"filler":"xxx…"}` from one static chunk, so the sandbox's memory does not grow with the size.
pub(super) async fn large(
    State(state): State<Arc<SandboxState>>,
    Query(query): Query<LargeQuery>,
) -> Response {
    const CHUNK: usize = 64 * 1024;
    static FILLER: [u8; CHUNK] = [b'x'; CHUNK];
    const HEAD: &[u8] = b"{\"filler\":\"";
    const TAIL: &[u8] = b"\"}";

    let total = query.bytes.unwrap_or(1024 * 1024).min(LARGE_MAX_BYTES);
    let framed = total >= (HEAD.len() + TAIL.len()) as u64;
    let filler_len = if framed {
        total - (HEAD.len() + TAIL.len()) as u64
    } else {
        total
    };
    let mut pieces: Vec<Bytes> = Vec::new();
    if framed {
        pieces.push(Bytes::from_static(HEAD));
    }
    let head = futures::stream::iter(pieces.into_iter().map(Ok::<_, std::io::Error>));
    let shutdown = state.shutdown.clone();
    let filler = futures::stream::unfold(filler_len, move |left| {
        let shutdown = shutdown.clone();
        async move {
            if left == 0 || shutdown.is_cancelled() {
                return None;
            }
            let n = left.min(CHUNK as u64) as usize;
            Some((Ok(Bytes::from_static(&FILLER[..n])), left - n as u64))
        }
    });
    let tail = futures::stream::iter(framed.then(|| Ok(Bytes::from_static(TAIL))));
    use futures::StreamExt;
    let body = Body::from_stream(head.chain(filler).chain(tail));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CONTENT_LENGTH, HeaderValue::from(total)),
        ],
        body,
    )
        .into_response()
}

pub(super) async fn index(State(state): State<Arc<SandboxState>>) -> Response {
    Json(json!({
        "name": "payloads sandbox",
        "client_id": state.config.client_id,
        "endpoints": [
            "POST /oauth/token  (form body; grant_type client_credentials or refresh_token; client in the body or HTTP Basic; answers JSON, or form-encoded to Accept: application/x-www-form-urlencoded)",
            "GET  /api/contacts  (Authorization: Bearer <access token>)",
            "POST /api/contacts  (Bearer; JSON {\"name\", \"email\"})",
            "GET  /api/contacts/{id}  (Bearer)",
            "GET  /api/ping  (x-api-key header)",
            "POST /hooks/notify  (no authentication)",
            "GET  /api/slow?ms=N  (answers after N ms, at most 30000)",
            "GET  /api/large?bytes=N  (streams N bytes of JSON, at most 100 MiB)",
        ],
    }))
    .into_response()
}

pub(super) async fn not_found(method: axum::http::Method, uri: axum::http::Uri) -> Response {
    json_error(
        StatusCode::NOT_FOUND,
        "not_found",
        format!(
            "no such endpoint: {method} {}; GET / lists them",
            uri.path()
        ),
    )
}
