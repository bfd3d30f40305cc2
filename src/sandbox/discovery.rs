//! Authorization server metadata (RFC 8414), served at both well-known addresses clients look
//! at: `/.well-known/oauth-authorization-server` and OpenID's `/.well-known/openid-configuration`.

use super::SandboxState;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use std::sync::Arc;

pub(super) async fn metadata(State(state): State<Arc<SandboxState>>) -> Json<Value> {
    let base = state.base_url();
    Json(json!({
        "issuer": base,
        "token_endpoint": format!("{base}/oauth/token"),
        "device_authorization_endpoint": format!("{base}/oauth/device_authorization"),
        "authorization_endpoint": format!("{base}/oauth/authorize"),
        "grant_types_supported": [
            "client_credentials",
            "refresh_token",
            "authorization_code",
            "urn:ietf:params:oauth:grant-type:device_code",
        ],
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic", "none"],
    }))
}
