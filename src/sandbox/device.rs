//! The device authorization grant (RFC 8628): `POST /oauth/device_authorization` hands out a
//! device code and a user code, the verification page `/device` approves or denies a user code
//! (a form POST of `user_code` and `approve=yes|no`), and the token endpoint redeems the device
//! code once approved, answering `authorization_pending`, `slow_down`, `access_denied` or
//! `expired_token` until then.

use super::SandboxState;
use super::oauth::{OAuthError, authenticate_public_or_confidential, non_empty, parse_form};
use super::token;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// RFC 8628 §3.5: each `slow_down` adds 5 seconds to the interval the client must keep.
pub const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);

/// Letters a user types without confusing them: no vowels (no words), no 0/O or 1/I look-alikes.
const USER_CODE_ALPHABET: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Decision {
    Pending,
    Approved,
    Denied,
}

/// One device code handed out and not yet redeemed.
#[derive(Debug, Clone)]
pub(super) struct DeviceGrant {
    user_code: String,
    expires: Instant,
    decision: Decision,
    /// The interval this client must keep between polls (grows with each `slow_down`).
    interval: Duration,
    last_poll: Option<Instant>,
}

/// `POST /oauth/device_authorization` (RFC 8628 §3.1–3.2).
pub(super) async fn authorize(
    State(state): State<Arc<SandboxState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match start(&state, &headers, &body) {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

fn start(state: &SandboxState, headers: &HeaderMap, body: &[u8]) -> Result<Response, OAuthError> {
    let params = parse_form(headers, body)?;
    authenticate_public_or_confidential(state, headers, &params)?;
    let device_code = format!("sbx_dc.{}", token::fresh_nonce());
    let user_code = user_code();
    let config = &state.config;
    let grant = DeviceGrant {
        user_code: user_code.clone(),
        expires: Instant::now() + config.device_code_ttl,
        decision: Decision::Pending,
        interval: config.device_interval,
        last_poll: None,
    };
    {
        let mut devices = state.devices();
        let now = Instant::now();
        devices.retain(|_, g| g.expires > now);
        devices.insert(device_code.clone(), grant);
    }
    let base = state.base_url();
    let body = json!({
        "device_code": device_code,
        "user_code": user_code,
        "verification_uri": format!("{base}/device"),
        "verification_uri_complete": format!("{base}/device?user_code={user_code}"),
        "expires_in": config.device_code_ttl.as_secs(),
        "interval": config.device_interval.as_secs(),
    });
    Ok((
        StatusCode::OK,
        [(header::CACHE_CONTROL, "no-store")],
        Json(body),
    )
        .into_response())
}

/// `XXXX-XXXX` from [`USER_CODE_ALPHABET`].
fn user_code() -> String {
    let nonce = token::fresh_nonce();
    let letters: Vec<char> = nonce
        .as_bytes()
        .chunks(2)
        .take(8)
        .map(|pair| {
            let value = u8::from_str_radix(std::str::from_utf8(pair).unwrap_or("0"), 16)
                .unwrap_or(0) as usize;
            USER_CODE_ALPHABET[value % USER_CODE_ALPHABET.len()] as char
        })
        .collect();
    let (first, second) = letters.split_at(4);
    format!(
        "{}-{}",
        first.iter().collect::<String>(),
        second.iter().collect::<String>()
    )
}

/// What the user typed, compared without case, spaces or dashes (RFC 8628 §6.1).
fn normalise(user_code: &str) -> String {
    user_code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// `GET /device`: the verification page, a form that approves or denies a user code.
pub(super) async fn page(Query(query): Query<HashMap<String, String>>) -> Html<String> {
    let code: String = query
        .get("user_code")
        .map(|c| {
            c.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .take(16)
                .collect()
        })
        .unwrap_or_default();
    Html(format!(
        "<!doctype html><title>Payloads sandbox: device login</title>\
         <h1>Connect a device</h1>\
         <form method=\"post\" action=\"/device\">\
         <label>Code <input name=\"user_code\" value=\"{code}\"></label>\
         <button name=\"approve\" value=\"yes\">Approve</button>\
         <button name=\"approve\" value=\"no\">Deny</button></form>"
    ))
}

/// `POST /device` with `user_code` and `approve=yes|no`.
pub(super) async fn decide(
    State(state): State<Arc<SandboxState>>,
    body: Bytes,
) -> (StatusCode, Html<String>) {
    let params: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let decision = match params.get("approve").map(String::as_str) {
        Some("yes") => Decision::Approved,
        Some("no") => Decision::Denied,
        _ => {
            return (
                StatusCode::BAD_REQUEST,
                Html("approve must be yes or no".into()),
            );
        }
    };
    let wanted = normalise(params.get("user_code").map(String::as_str).unwrap_or(""));
    let now = Instant::now();
    let mut devices = state.devices();
    let found = devices
        .values_mut()
        .find(|g| g.expires > now && normalise(&g.user_code) == wanted);
    match found {
        Some(grant) if grant.decision == Decision::Pending => {
            grant.decision = decision;
            let said = if decision == Decision::Approved {
                "approved: the device may now finish signing in"
            } else {
                "denied: the device will be told so"
            };
            (StatusCode::OK, Html(format!("Code {said}.")))
        }
        Some(_) => (
            StatusCode::CONFLICT,
            Html("That code was already decided.".into()),
        ),
        None => (
            StatusCode::BAD_REQUEST,
            Html("Unknown or expired code: check it and try again.".into()),
        ),
    }
}

/// The token endpoint's `urn:ietf:params:oauth:grant-type:device_code` grant (RFC 8628 §3.4–3.5).
/// Ok when the code was approved; the device code is then gone (redeemed once).
pub(super) fn redeem(
    state: &SandboxState,
    params: &HashMap<String, String>,
) -> Result<(), OAuthError> {
    let code = non_empty(params, "device_code").ok_or_else(|| {
        OAuthError::invalid_request("device_code is missing for the device_code grant")
    })?;
    let now = Instant::now();
    let mut devices = state.devices();
    let Some(grant) = devices.get_mut(code) else {
        return Err(OAuthError::invalid_grant(
            "the device code is not one this sandbox issued, or it was already redeemed",
        ));
    };
    if grant.expires <= now {
        devices.remove(code);
        return Err(OAuthError::device(
            "expired_token",
            "the device code expired",
        ));
    }
    let too_soon = grant
        .last_poll
        .is_some_and(|last| now.duration_since(last) < grant.interval);
    grant.last_poll = Some(now);
    if too_soon {
        grant.interval += SLOW_DOWN_STEP;
        return Err(OAuthError::device(
            "slow_down",
            format!(
                "polled faster than the interval: wait {} s between polls",
                grant.interval.as_secs()
            ),
        ));
    }
    match grant.decision {
        Decision::Pending => Err(OAuthError::device(
            "authorization_pending",
            "the user has not approved the code yet",
        )),
        Decision::Denied => {
            devices.remove(code);
            Err(OAuthError::device(
                "access_denied",
                "the user denied the request",
            ))
        }
        Decision::Approved => {
            devices.remove(code);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_codes_are_two_groups_of_four_plain_letters() {
        for _ in 0..50 {
            let code = user_code();
            assert_eq!(code.len(), 9, "{code}");
            assert_eq!(&code[4..5], "-");
            assert!(
                code.bytes()
                    .filter(|b| *b != b'-')
                    .all(|b| USER_CODE_ALPHABET.contains(&b)),
                "{code}"
            );
        }
    }

    #[test]
    fn typed_codes_match_whatever_their_case_and_dashes() {
        assert_eq!(normalise("bcdf-ghjk"), normalise("BCDFGHJK"));
        assert_eq!(normalise(" bc df ghjk "), "BCDFGHJK");
    }
}
