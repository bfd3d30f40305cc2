//! The authorization code grant with PKCE (RFC 6749 §4.1, RFC 7636, S256 only): `GET
//! /oauth/authorize` approves at once and redirects to the client's loopback `redirect_uri` with
//! a code (or with `error=access_denied` when the request carries `deny=1`), and the token
//! endpoint redeems the code once, for the matching `code_verifier` and `redirect_uri`.

use super::SandboxState;
use super::oauth::{OAuthError, non_empty};
use super::token;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long an authorization code may wait to be exchanged (RFC 6749 §4.1.2: short).
const CODE_TTL: Duration = Duration::from_secs(60);

/// A code handed out and not yet exchanged.
#[derive(Debug, Clone)]
pub(super) struct IssuedCode {
    challenge: String,
    redirect_uri: String,
    client_id: String,
    expires: Instant,
}

/// `BASE64URL(SHA256(verifier))` without padding (RFC 7636 §4.2).
pub fn s256_challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Only loopback redirects: the sandbox serves native apps on this machine (RFC 8252 §7.3).
fn loopback_redirect(uri: &str) -> bool {
    let Some(rest) = uri.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

fn plain_error(text: String) -> Response {
    (StatusCode::BAD_REQUEST, text).into_response()
}

fn redirect(to: String) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, to)]).into_response()
}

/// `GET /oauth/authorize`.
pub(super) async fn authorize(
    State(state): State<Arc<SandboxState>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let get = |name: &str| query.get(name).map(String::as_str).unwrap_or("");
    // RFC 6749 §4.1.2.1: a bad client or redirect URI is told to the user, never redirected to.
    let redirect_uri = get("redirect_uri");
    if !loopback_redirect(redirect_uri) {
        return plain_error(
            "redirect_uri must be a loopback http URL (http://127.0.0.1:PORT/…)".into(),
        );
    }
    if !token::constant_time_eq(
        get("client_id").as_bytes(),
        state.config.client_id.as_bytes(),
    ) {
        return plain_error("unknown client_id".into());
    }
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    let back = |pairs: &[(&str, &str)]| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in pairs {
            query.append_pair(name, value);
        }
        if !get("state").is_empty() {
            query.append_pair("state", get("state"));
        }
        redirect(format!("{redirect_uri}{separator}{}", query.finish()))
    };
    if get("response_type") != "code" {
        return back(&[
            ("error", "unsupported_response_type"),
            ("error_description", "response_type must be code"),
        ]);
    }
    if get("code_challenge_method") != "S256" || get("code_challenge").len() < 43 {
        return back(&[
            ("error", "invalid_request"),
            (
                "error_description",
                "PKCE is required: code_challenge with code_challenge_method=S256",
            ),
        ]);
    }
    if matches!(get("deny"), "1" | "yes" | "true") {
        return back(&[
            ("error", "access_denied"),
            ("error_description", "the user denied the request"),
        ]);
    }
    let code = format!("sbx_ac.{}", token::fresh_nonce());
    {
        let mut codes = state.codes();
        let now = Instant::now();
        codes.retain(|_, c| c.expires > now);
        codes.insert(
            code.clone(),
            IssuedCode {
                challenge: get("code_challenge").to_string(),
                redirect_uri: redirect_uri.to_string(),
                client_id: get("client_id").to_string(),
                expires: now + CODE_TTL,
            },
        );
    }
    back(&[("code", &code)])
}

/// The token endpoint's `authorization_code` grant: the code once, for its verifier and redirect.
pub(super) fn redeem(
    state: &SandboxState,
    params: &HashMap<String, String>,
) -> Result<(), OAuthError> {
    let code = non_empty(params, "code")
        .ok_or_else(|| OAuthError::invalid_request("code is missing for authorization_code"))?;
    let verifier = non_empty(params, "code_verifier").ok_or_else(|| {
        OAuthError::invalid_request("code_verifier is missing: this server requires PKCE")
    })?;
    // Taken out at once: a code is good for one try, right or wrong (RFC 6749 §4.1.2).
    let issued = state
        .codes()
        .remove(code)
        .filter(|c| c.expires > Instant::now())
        .ok_or_else(|| {
            OAuthError::invalid_grant("the authorization code is unknown, expired or already used")
        })?;
    if params.get("redirect_uri").map(String::as_str) != Some(issued.redirect_uri.as_str()) {
        return Err(OAuthError::invalid_grant(
            "redirect_uri differs from the one of the authorization request",
        ));
    }
    if params
        .get("client_id")
        .is_some_and(|id| *id != issued.client_id)
    {
        return Err(OAuthError::invalid_grant(
            "the code was issued to another client",
        ));
    }
    if !token::constant_time_eq(
        s256_challenge(verifier).as_bytes(),
        issued.challenge.as_bytes(),
    ) {
        return Err(OAuthError::invalid_grant(
            "code_verifier does not match the code_challenge",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_7636_example_challenge() {
        assert_eq!(
            s256_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn only_loopback_redirects() {
        assert!(loopback_redirect("http://127.0.0.1:5555/callback"));
        assert!(loopback_redirect("http://localhost:1/"));
        assert!(!loopback_redirect("https://127.0.0.1/"));
        assert!(!loopback_redirect("http://127.0.0.1.evil.example/"));
        assert!(!loopback_redirect("http://evil.example/?127.0.0.1"));
    }
}
