//! `POST /oauth/token`: the OAuth 2 token endpoint (RFC 6749), with the `client_credentials`,
//! `refresh_token`, `authorization_code` (PKCE) and device code grants, client authentication in
//! the body or a Basic header (public clients, by `client_id` alone, for the two interactive
//! grants), and rotation. Answers JSON, or a form-encoded body to
//! `Accept: application/x-www-form-urlencoded`.

use super::SandboxState;
use super::token::{self, DEMO_REFRESH_TOKEN, TokenError, TokenKind};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

/// The grant type of RFC 8628 §3.4.
pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// An RFC 6749 §5.2 error answer.
pub(super) struct OAuthError {
    status: StatusCode,
    code: &'static str,
    description: String,
    /// RFC 6749 §5.2: a 401 to a client that tried HTTP Basic must carry a Basic challenge.
    basic_challenge: bool,
}

impl OAuthError {
    pub(super) fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }
    pub(super) fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_grant", description)
    }
    /// The device grant's answers while it is not (or no longer) approved (RFC 8628 §3.5).
    pub(super) fn device(code: &'static str, description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, description)
    }
    fn invalid_client(description: impl Into<String>, basic_challenge: bool) -> Self {
        OAuthError {
            basic_challenge,
            ..Self::new(StatusCode::UNAUTHORIZED, "invalid_client", description)
        }
    }
    fn new(status: StatusCode, code: &'static str, description: impl Into<String>) -> Self {
        OAuthError {
            status,
            code,
            description: description.into(),
            basic_challenge: false,
        }
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = json!({ "error": self.code, "error_description": self.description });
        let mut response = (self.status, no_store_headers(), Json(body)).into_response();
        if self.basic_challenge {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"payloads-sandbox\""),
            );
        }
        response
    }
}

fn no_store_headers() -> [(header::HeaderName, HeaderValue); 2] {
    [
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (header::PRAGMA, HeaderValue::from_static("no-cache")),
    ]
}

pub(super) async fn token(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match issue_tokens(&state, &headers, &body) {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

fn issue_tokens(
    state: &SandboxState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, OAuthError> {
    let params = parse_form(headers, body)?;
    // The refresh token this answer spends, for the rotation log line below.
    let mut redeemed = None;
    let grant_type = non_empty(&params, "grant_type").ok_or_else(|| {
        OAuthError::invalid_request(format!("grant_type is missing: use {SUPPORTED_GRANTS}"))
    })?;
    match grant_type {
        "client_credentials" => authenticate_client(state, headers, &params)?,
        "refresh_token" => {
            authenticate_client(state, headers, &params)?;
            redeem_refresh_token(state, &params)?;
            redeemed = params
                .get("refresh_token")
                .map(|t| crate::jobs::token_fingerprint(t));
        }
        DEVICE_CODE_GRANT => {
            authenticate_public_or_confidential(state, headers, &params)?;
            super::device::redeem(state, &params)?
        }
        "authorization_code" => {
            authenticate_public_or_confidential(state, headers, &params)?;
            super::authorize::redeem(state, &params)?
        }
        other => {
            let shown: String = other.chars().take(60).collect();
            return Err(OAuthError::new(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                format!("grant_type {shown:?} is not supported: use {SUPPORTED_GRANTS}"),
            ));
        }
    }
    let now = SystemTime::now();
    let ttl = state.config.token_ttl;
    // RFC 6749 says a client_credentials answer SHOULD NOT carry a refresh token; the sandbox
    // sends one anyway so that the refresh_token grant can be tried right after.
    let access_token = token::issue_access_token(now + ttl);
    let refresh_token = token::issue_refresh_token(now + token::REFRESH_TOKEN_TTL);
    if let Some(redeemed) = redeemed {
        // Every rotation, by fingerprints (never the tokens): bench/sigkill-refresh.sh reads these
        // to tell a token the client never received from one it received and lost.
        tracing::info!(
            redeemed = %redeemed,
            issued = %crate::jobs::token_fingerprint(&refresh_token),
            "sandbox rotated a refresh token"
        );
    }
    if wants_form_answer(headers) {
        // Some providers (GitHub, for one) answer form-encoded: lets response models that read
        // form keys be tried against the sandbox.
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("access_token", &access_token)
            .append_pair("token_type", "Bearer")
            .append_pair("expires_in", &ttl.as_secs().to_string())
            .append_pair("refresh_token", &refresh_token)
            .finish();
        let content_type = (
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        return Ok((StatusCode::OK, no_store_headers(), [content_type], body).into_response());
    }
    let body = json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": ttl.as_secs(),
        "refresh_token": refresh_token,
    });
    Ok((StatusCode::OK, no_store_headers(), Json(body)).into_response())
}

const SUPPORTED_GRANTS: &str = "client_credentials, refresh_token, authorization_code or urn:ietf:params:oauth:grant-type:device_code";

/// True when the client asks for a form-encoded answer and does not also accept JSON.
fn wants_form_answer(headers: &HeaderMap) -> bool {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    accept.contains("application/x-www-form-urlencoded") && !accept.contains("json")
}

/// Accepts the refresh token once: on success it is remembered as used, so a replay is refused.
fn redeem_refresh_token(
    state: &SandboxState,
    params: &HashMap<String, String>,
) -> Result<(), OAuthError> {
    let presented = non_empty(params, "refresh_token").ok_or_else(|| {
        OAuthError::invalid_request("refresh_token is missing for grant_type refresh_token")
    })?;
    if presented == DEMO_REFRESH_TOKEN {
        return Ok(());
    }
    let verified = token::verify(presented, TokenKind::Refresh).map_err(|e| match e {
        TokenError::WrongKind(_) => {
            OAuthError::invalid_grant("that is an access token, not a refresh token")
        }
        TokenError::Unknown => {
            OAuthError::invalid_grant("the refresh token is not one this sandbox issued")
        }
    })?;
    if verified.is_expired(SystemTime::now()) {
        return Err(OAuthError::invalid_grant("the refresh token has expired"));
    }
    if !state.mark_refresh_token_used(&verified) {
        return Err(OAuthError::invalid_grant(
            "the refresh token was already used: refresh tokens rotate, use the newest one",
        ));
    }
    Ok(())
}

pub(super) fn parse_form(
    headers: &HeaderMap,
    body: &[u8],
) -> Result<HashMap<String, String>, OAuthError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let is_form = content_type.split(';').next().is_some_and(|t| {
        t.trim()
            .eq_ignore_ascii_case("application/x-www-form-urlencoded")
    });
    if !is_form {
        return Err(OAuthError::invalid_request(
            "the token request body must be application/x-www-form-urlencoded",
        ));
    }
    let mut params = HashMap::new();
    for (name, value) in form_urlencoded::parse(body) {
        // RFC 6749 §3.2: request parameters must not be included more than once.
        if params
            .insert(name.to_string(), value.into_owned())
            .is_some()
        {
            return Err(OAuthError::invalid_request(format!(
                "parameter {name} is repeated"
            )));
        }
    }
    Ok(params)
}

pub(super) fn non_empty<'a>(params: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

/// RFC 6749 §2.3.1: either an HTTP Basic header (whose user and password are form-url-encoded) or
/// `client_id` + `client_secret` in the body, never both.
fn authenticate_client(
    state: &SandboxState,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
) -> Result<(), OAuthError> {
    let (id, secret, via_basic) = match headers.get(header::AUTHORIZATION) {
        Some(value) => {
            let (id, secret) = decode_basic(value)?;
            if params.contains_key("client_secret") {
                return Err(OAuthError::invalid_request(
                    "the client authenticated twice: use either the Basic header or client_secret in the body",
                ));
            }
            if params
                .get("client_id")
                .is_some_and(|body_id| *body_id != id)
            {
                return Err(OAuthError::invalid_client(
                    "client_id in the body differs from the one in the Basic header",
                    true,
                ));
            }
            (id, secret, true)
        }
        None => match (non_empty(params, "client_id"), params.get("client_secret")) {
            (Some(id), Some(secret)) => (id.to_owned(), secret.clone(), false),
            _ => {
                return Err(OAuthError::invalid_client(
                    "client authentication is missing: send client_id and client_secret in the body or an HTTP Basic header",
                    false,
                ));
            }
        },
    };
    let config = &state.config;
    let id_ok = token::constant_time_eq(id.as_bytes(), config.client_id.as_bytes());
    let secret_ok = token::constant_time_eq(secret.as_bytes(), config.client_secret.as_bytes());
    if id_ok && secret_ok {
        Ok(())
    } else {
        Err(OAuthError::invalid_client(
            "client authentication failed: unknown client_id or wrong client_secret",
            via_basic,
        ))
    }
}

/// The interactive grants also serve public clients (RFC 8628 §3.1, RFC 8252 §8.4): a bare
/// `client_id` in the body is enough; a client that does send a secret or Basic header is checked.
pub(super) fn authenticate_public_or_confidential(
    state: &SandboxState,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
) -> Result<(), OAuthError> {
    if headers.contains_key(header::AUTHORIZATION) || params.contains_key("client_secret") {
        return authenticate_client(state, headers, params);
    }
    match non_empty(params, "client_id") {
        Some(id) if token::constant_time_eq(id.as_bytes(), state.config.client_id.as_bytes()) => {
            Ok(())
        }
        Some(_) => Err(OAuthError::invalid_client("unknown client_id", false)),
        None => Err(OAuthError::invalid_client(
            "client_id is missing: send it in the body",
            false,
        )),
    }
}

fn decode_basic(value: &HeaderValue) -> Result<(String, String), OAuthError> {
    let malformed = |why: &str| {
        OAuthError::invalid_client(
            format!("the Authorization header is malformed: {why}"),
            true,
        )
    };
    let value = value.to_str().map_err(|_| malformed("not text"))?;
    let (scheme, encoded) = value.trim().split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(malformed(
            "the token endpoint takes HTTP Basic client authentication",
        ));
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| malformed("not base64"))?;
    let decoded = String::from_utf8(decoded).map_err(|_| malformed("not UTF-8"))?;
    let (user, password) = decoded
        .split_once(':')
        .ok_or_else(|| malformed("no ':' between client id and secret"))?;
    Ok((form_decode(user), form_decode(password)))
}

/// Undoes `application/x-www-form-urlencoded` encoding of one value (`+` is a space).
fn form_decode(value: &str) -> String {
    let spaced = value.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_form_decoded() {
        let user = "my%3Aclient%40x";
        let password = "s%2Fe%3Dc+ret";
        let header = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        let value = HeaderValue::from_str(&format!("Basic {header}")).unwrap();
        let (id, secret) = decode_basic(&value).ok().unwrap();
        assert_eq!(id, "my:client@x");
        assert_eq!(secret, "s/e=c ret");
    }

    #[test]
    fn other_schemes_are_refused() {
        let value = HeaderValue::from_static("Bearer abc");
        assert!(decode_basic(&value).is_err());
    }
}
