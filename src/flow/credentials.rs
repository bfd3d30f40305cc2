//! Credentials applied to a request: the headers, query parameters or client certificate that
//! authenticate it, and the secrets they carry (for redaction, which encodes each itself).

use crate::workspace::{CertificateAuth, ClientAuth, Credential, CredentialAuth, Placement};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// How one request is authenticated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AppliedAuth {
    pub headers: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    pub certificate: Option<CertificateAuth>,
    /// Every secret value the request carries, raw (a Basic header's base64 included): the
    /// redactor adds the encoded forms each takes on the wire, once.
    pub secrets: Vec<String>,
}

/// `Authorization: Basic` for an HTTP user and password, as RFC 7617 sends it.
pub fn basic_header(user: &str, password: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{password}")))
}

/// The client of a token request in an HTTP Basic header (RFC 6749 §2.3.1): id and secret are
/// form-encoded first, so `:` `@` `/` `=` and spaces survive.
pub fn client_basic_header(client_id: &str, client_secret: &str) -> String {
    basic_header(&form_encode(client_id), &form_encode(client_secret))
}

/// `application/x-www-form-urlencoded` encoding of one value.
pub fn form_encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The authentication a business request (Callout or Webhook) carries with `credential`, whose
/// `{{env.*}}` fields are already resolved.
pub fn for_business(credential: &Credential) -> AppliedAuth {
    let mut auth = AppliedAuth::default();
    match &credential.auth {
        CredentialAuth::BearerToken(b) => {
            auth.headers
                .push(("Authorization".into(), format!("Bearer {}", b.access_token)));
            auth.secrets.push(b.access_token.clone());
        }
        CredentialAuth::Basic(b) => {
            let header = basic_header(&b.username, &b.password);
            auth.secrets.push(b.password.clone());
            auth.secrets
                .push(header.trim_start_matches("Basic ").to_string());
            auth.headers.push(("Authorization".into(), header));
        }
        CredentialAuth::ApiKey(k) => {
            auth.headers.push((k.header.clone(), k.value.clone()));
            auth.secrets.push(k.value.clone());
        }
        CredentialAuth::Custom(c) => {
            auth.secrets.push(c.value.clone());
            match c.placement {
                Placement::Header => auth.headers.push((c.name.clone(), c.value.clone())),
                Placement::Query => auth.query.push((c.name.clone(), c.value.clone())),
            }
        }
        CredentialAuth::Certificate(c) => auth.certificate = Some(c.clone()),
    }
    auth
}

/// The authentication of a token request for a Bearer Token `credential` (already resolved).
pub fn for_token_request(credential: &Credential, client_auth: ClientAuth) -> AppliedAuth {
    let mut auth = AppliedAuth::default();
    if let CredentialAuth::BearerToken(b) = &credential.auth
        && client_auth == ClientAuth::BasicHeader
    {
        let header = client_basic_header(&b.client_id, &b.client_secret);
        auth.secrets
            .push(header.trim_start_matches("Basic ").to_string());
        auth.headers.push(("Authorization".into(), header));
    }
    auth
}

/// Every secret field of a resolved Credential (as the field table marks them), raw: the
/// redactor encodes each for the wire itself.
pub fn credential_secrets(credential: &Credential) -> Vec<String> {
    credential
        .auth
        .secret_values()
        .into_iter()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_credentials_are_form_encoded_before_base64() {
        let header = client_basic_header("id:with@/=", "se cret:=");
        let encoded = header.strip_prefix("Basic ").unwrap();
        let decoded = String::from_utf8(STANDARD.decode(encoded).unwrap()).unwrap();
        assert_eq!(decoded, "id%3Awith%40%2F%3D:se+cret%3A%3D");
    }
}
