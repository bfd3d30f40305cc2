//! How a Bearer Token Credential's tokens are obtained, chosen when it is created: the typed
//! [`Grant`], what it makes of the Token Payload and the Credential's login, the check that stops
//! a refresh grant with no refresh token before it is sent, and the hints that turn a token
//! endpoint's refusal into what to do.

use crate::workspace::{BearerToken, Body, ClientAuth, KeyValue, Login, LoginEndpoint, Payload};

/// The ways to get tokens, in the user's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// The client's own id and secret buy each token; no refresh token is expected.
    ClientCredentials,
    /// First tokens pasted in, then the refresh grant.
    RefreshToken,
    /// First tokens by a code entered on another device (RFC 8628), then the refresh grant.
    DeviceCode,
    /// First tokens from a browser on this machine (PKCE), then the refresh grant.
    AuthorizationCode,
}

impl Grant {
    pub const ALL: [Grant; 4] = [
        Grant::ClientCredentials,
        Grant::RefreshToken,
        Grant::DeviceCode,
        Grant::AuthorizationCode,
    ];

    /// What the choice is called where the user makes it.
    pub fn label(self) -> &'static str {
        match self {
            Grant::ClientCredentials => "client credentials (the app's own id and secret)",
            Grant::RefreshToken => "refresh token (paste the first tokens)",
            Grant::DeviceCode => "device code (log in on another device, good over SSH)",
            Grant::AuthorizationCode => "authorization code with PKCE (log in with a browser here)",
        }
    }

    /// The choice's name in a form, short enough for one line.
    pub fn short_label(self) -> &'static str {
        match self {
            Grant::ClientCredentials => "client credentials",
            Grant::RefreshToken => "refresh token (pasted)",
            Grant::DeviceCode => "device code",
            Grant::AuthorizationCode => "browser login (PKCE)",
        }
    }

    pub fn from_short_label(label: &str) -> Option<Grant> {
        Grant::ALL.into_iter().find(|g| g.short_label() == label)
    }

    /// The `grant_type` the Token Payload sends.
    pub fn token_grant_type(self) -> &'static str {
        match self {
            Grant::ClientCredentials => "client_credentials",
            _ => "refresh_token",
        }
    }

    /// The Credential's login for this grant, at the endpoint paths the sandbox uses (the form
    /// or discovery puts the real ones in).
    pub fn login(self, scope: &str) -> Option<Login> {
        let at = |endpoint: &str| LoginEndpoint {
            endpoint: endpoint.to_string(),
            scope: scope.to_string(),
            issuer: String::new(),
        };
        match self {
            Grant::DeviceCode => Some(Login::DeviceCode(at("/oauth/device_authorization"))),
            Grant::AuthorizationCode => Some(Login::AuthorizationCode(at("/oauth/authorize"))),
            Grant::ClientCredentials | Grant::RefreshToken => None,
        }
    }

    /// Shapes a freshly made Credential and its Token Payload for this grant: the body's grant,
    /// and the login that brings the first tokens.
    pub fn shape(self, bearer: &mut BearerToken, token_payload: &mut Payload, scope: &str) {
        let field = |name: &str, value: &str| KeyValue::new(name, value);
        let mut fields = vec![field("grant_type", self.token_grant_type())];
        if self != Grant::ClientCredentials {
            fields.push(field("refresh_token", "{{credential.refresh_token}}"));
        }
        if token_payload.client_auth == ClientAuth::InBody {
            fields.push(field("client_id", "{{credential.client_id}}"));
            fields.push(field("client_secret", "{{credential.client_secret}}"));
        }
        token_payload.body = Body::Form(fields);
        bearer.login = self.login(scope);
    }
}

impl Grant {
    /// The grant an existing Credential uses: its login's, else what its Token Payload's body
    /// asks for (a `client_credentials` grant_type), else the refresh token pasted in.
    pub fn of(bearer: &BearerToken, token_payload: Option<&Payload>) -> Grant {
        match &bearer.login {
            Some(Login::DeviceCode(_)) => Grant::DeviceCode,
            Some(Login::AuthorizationCode(_)) => Grant::AuthorizationCode,
            None if token_payload.and_then(grant_type_of) == Some("client_credentials") => {
                Grant::ClientCredentials
            }
            None => Grant::RefreshToken,
        }
    }
}

/// Switches how a Token Payload authenticates the client: `client_id` / `client_secret` fields
/// of its form body that read the Credential go when it is a Basic header (RFC 6749 §2.3: one
/// way, never both) and come back when it is the body.
pub fn set_client_auth(payload: &mut Payload, auth: ClientAuth) {
    if payload.client_auth == auth {
        return;
    }
    payload.client_auth = auth;
    let Body::Form(fields) = &mut payload.body else {
        return;
    };
    fields.retain(|f| {
        !matches!(f.name.as_str(), "client_id" | "client_secret")
            || !f.value.contains("credential.client_")
    });
    if auth == ClientAuth::InBody {
        fields.push(KeyValue::new("client_id", "{{credential.client_id}}"));
        fields.push(KeyValue::new(
            "client_secret",
            "{{credential.client_secret}}",
        ));
    }
}

/// The `grant_type` field of a Token Payload's form body, if it has one.
pub fn grant_type_of(payload: &Payload) -> Option<&str> {
    match &payload.body {
        Body::Form(fields) => fields
            .iter()
            .find(|f| f.name == "grant_type")
            .map(|f| f.value.trim()),
        _ => None,
    }
}

/// The ways out when a Credential has no usable refresh token.
fn ways_out(credential_id: &str, bearer: &BearerToken) -> String {
    let login = match &bearer.login {
        Some(_) => format!("log in with `payloads login {credential_id}` (L in the TUI)"),
        None => {
            "give the Credential a login (device code or authorization code) and log in".to_string()
        }
    };
    format!(
        "{login}; or paste a refresh token into the Credential's Refresh Token field; or switch \
         the Token Payload to a grant that needs none (grant_type client_credentials)"
    )
}

/// Why a refresh grant must not be sent: its refresh token (from the resolved Credential) is
/// blank, so the server could only refuse it. `None` when the request may go.
pub fn blank_refresh_token(
    credential_id: &str,
    payload: &Payload,
    resolved: &BearerToken,
) -> Option<String> {
    if grant_type_of(payload) != Some("refresh_token") {
        return None;
    }
    let Body::Form(fields) = &payload.body else {
        return None;
    };
    let field = fields.iter().find(|f| f.name == "refresh_token");
    let blank = match field {
        None => true,
        Some(f) if f.value.trim().is_empty() => true,
        Some(f) => {
            f.value.contains("credential.refresh_token") && resolved.refresh_token.trim().is_empty()
        }
    };
    blank.then(|| {
        format!(
            "Credential {credential_id} has no refresh token yet and its Token Payload {} asks for \
             the refresh_token grant: nothing was sent. To get tokens, {}",
            payload.id,
            ways_out(credential_id, resolved)
        )
    })
}

/// What to do about a token endpoint's refusal, given its OAuth `error` code: appended to the
/// refusal itself.
pub fn refusal_hint(
    credential_id: &str,
    payload: &Payload,
    bearer: &BearerToken,
    error: Option<&str>,
) -> Option<String> {
    let grant = grant_type_of(payload).unwrap_or("(no grant_type)");
    match error? {
        "invalid_grant" if grant == "refresh_token" => Some(format!(
            "the refresh token is no longer accepted; the Credential needs new tokens (the \
             refresh_token grant was refused). To get them, {}",
            ways_out(credential_id, bearer)
        )),
        "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" => Some(format!(
            "the {grant} grant was refused; check that this client may use it"
        )),
        "invalid_client" => Some(match payload.client_auth {
            ClientAuth::BasicHeader => format!(
                "the client id and secret went in an HTTP Basic header; if they are right, the \
                 server may want them in the body: set client_auth: InBody on Payload {} (with \
                 client_id and client_secret fields in its form body)",
                payload.id
            ),
            ClientAuth::InBody => format!(
                "the client id and secret went in the body; if they are right, the server may \
                 want an HTTP Basic header: set client_auth: BasicHeader on Payload {}",
                payload.id
            ),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner() -> crate::workspace::Credential {
        crate::workspace::Credential {
            id: "c".into(),
            name: "C".into(),
            integration: "i".into(),
            description: String::new(),
            auth: crate::workspace::CredentialAuth::BearerToken(
                crate::workspace::BearerToken::empty("t"),
            ),
        }
    }
    use crate::workspace::edit::token_payload;

    fn bearer(refresh: &str) -> BearerToken {
        let mut b = crate::workspace::BearerToken::empty("t");
        b.refresh_token = refresh.into();
        b
    }

    #[test]
    fn each_grant_shapes_the_token_request() {
        for grant in Grant::ALL {
            let mut b = bearer("");
            let mut p = token_payload("t", &owner());
            grant.shape(&mut b, &mut p, "read");
            assert_eq!(grant_type_of(&p), Some(grant.token_grant_type()));
            assert_eq!(
                b.login.is_some(),
                matches!(grant, Grant::DeviceCode | Grant::AuthorizationCode)
            );
            // Only the refresh grant can be stopped for a blank refresh token.
            assert_eq!(
                blank_refresh_token("c", &p, &b).is_some(),
                grant != Grant::ClientCredentials,
                "{grant:?}"
            );
            assert!(blank_refresh_token("c", &p, &bearer("r")).is_none());
        }
    }

    #[test]
    fn the_grant_of_a_credential_is_read_back_and_client_auth_moves_the_fields() {
        let mut p = token_payload("t", &owner());
        for grant in Grant::ALL {
            let mut b = bearer("");
            grant.shape(&mut b, &mut p, "");
            assert_eq!(Grant::of(&b, Some(&p)), grant);
        }
        let names = |p: &Payload| match &p.body {
            Body::Form(f) => f.iter().map(|f| f.name.clone()).collect::<Vec<_>>(),
            _ => vec![],
        };
        set_client_auth(&mut p, ClientAuth::BasicHeader);
        assert_eq!(names(&p), ["grant_type", "refresh_token"]);
        set_client_auth(&mut p, ClientAuth::InBody);
        assert_eq!(
            names(&p),
            ["grant_type", "refresh_token", "client_id", "client_secret"]
        );
    }

    #[test]
    fn a_blank_refresh_token_says_what_to_do() {
        let p = token_payload("t", &owner());
        let why = blank_refresh_token("c", &p, &bearer("  ")).unwrap();
        assert!(why.contains("nothing was sent"), "{why}");
        assert!(why.contains("paste a refresh token"), "{why}");
        assert!(why.contains("client_credentials"), "{why}");
        let mut with_login = bearer("");
        with_login.login = Grant::DeviceCode.login("");
        let why = blank_refresh_token("c", &p, &with_login).unwrap();
        assert!(why.contains("payloads login c"), "{why}");
    }

    #[test]
    fn refusals_name_the_grant_and_the_client_auth_to_try() {
        let mut p = token_payload("t", &owner());
        let b = bearer("r");
        let hint = refusal_hint("c", &p, &b, Some("invalid_grant")).unwrap();
        assert!(hint.contains("refresh_token grant was refused"), "{hint}");
        let hint = refusal_hint("c", &p, &b, Some("invalid_client")).unwrap();
        assert!(hint.contains("client_auth: BasicHeader"), "{hint}");
        p.client_auth = ClientAuth::BasicHeader;
        let hint = refusal_hint("c", &p, &b, Some("invalid_client")).unwrap();
        assert!(hint.contains("client_auth: InBody"), "{hint}");
        Grant::ClientCredentials.shape(&mut bearer(""), &mut p, "");
        let hint = refusal_hint("c", &p, &b, Some("unauthorized_client")).unwrap();
        assert!(
            hint.contains("client_credentials grant was refused"),
            "{hint}"
        );
        assert_eq!(refusal_hint("c", &p, &b, Some("server_error")), None);
    }
}
