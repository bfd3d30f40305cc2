//! The workspace's model types: the whole vocabulary of the product (Integrations, Credentials,
//! Payloads, Variables, as docs/workspace-format.md describes them), as it is written in the RON
//! file. Knows nothing of HTTP, terminals or disks.

pub use super::ids::{CredentialId, IntegrationId, PayloadId};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Everything the user describes, in file order. Records are keyed by their stable `id`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workspace {
    #[serde(default)]
    pub integrations: Vec<Integration>,
    #[serde(default)]
    pub credentials: Vec<Credential>,
    #[serde(default)]
    pub payloads: Vec<Payload>,
    // Skipped when empty so a hand-written file without Variables keeps that shape on save.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<Variable>,
    /// How the program behaves, beyond the records; skipped when all defaults.
    #[serde(default, skip_serializing_if = "Settings::is_default")]
    pub settings: Settings,
}

/// Workspace-wide settings. Every field is optional; a missing one takes its default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// How many Jobs the history keeps, newest first (default 10,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_jobs: Option<std::num::NonZeroUsize>,
    /// The most disk the history may take, in MiB (default 512); the oldest Jobs go first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_mib: Option<std::num::NonZeroU64>,
}

impl Settings {
    pub fn is_default(&self) -> bool {
        *self == Settings::default()
    }
}

/// One external system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Integration {
    pub id: IntegrationId,
    pub name: String,
    pub base_url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Default timeout for this Integration's Payloads, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_secs: Option<u64>,
    /// Extra headers sent with every request of this Integration.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<KeyValue>,
    #[serde(default, skip_serializing_if = "TlsOptions::is_default")]
    pub tls: TlsOptions,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsOptions {
    /// Turns certificate verification off. Never the default; for test servers only.
    #[serde(default)]
    pub accept_invalid_certs: bool,
    /// An extra CA certificate (PEM path) to trust.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_cert: Option<String>,
}

impl TlsOptions {
    pub fn is_default(&self) -> bool {
        *self == TlsOptions::default()
    }
}

/// A named value: a header, a query parameter or a form field. Values may hold templates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyValue {
    pub name: String,
    pub value: String,
}

impl KeyValue {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        KeyValue {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// How requests of the Payloads that use it are authenticated. Belongs to one Integration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    pub id: CredentialId,
    pub name: String,
    pub integration: IntegrationId,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub auth: CredentialAuth,
}

/// The Credential's type and the fields of that type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CredentialAuth {
    BearerToken(BearerToken),
    Basic(BasicAuth),
    ApiKey(ApiKey),
    Custom(CustomAuth),
    Certificate(CertificateAuth),
}

impl CredentialAuth {
    /// The user-facing name of the type.
    pub fn type_name(&self) -> &'static str {
        match self {
            CredentialAuth::BearerToken(_) => "Bearer Token",
            CredentialAuth::Basic(_) => "Basic",
            CredentialAuth::ApiKey(_) => "API Key",
            CredentialAuth::Custom(_) => "Custom",
            CredentialAuth::Certificate(_) => "Certificate",
        }
    }

    /// The type in a few letters, for narrow places (the Credentials pane).
    pub fn short_name(&self) -> &'static str {
        match self {
            CredentialAuth::BearerToken(_) => "Bearer",
            CredentialAuth::Basic(_) => "Basic",
            CredentialAuth::ApiKey(_) => "API key",
            CredentialAuth::Custom(_) => "Custom",
            CredentialAuth::Certificate(_) => "Cert",
        }
    }
}

/// Token state of an OAuth-style Credential, refreshed through its Token Payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BearerToken {
    #[serde(default)]
    pub client_id: String,
    #[serde(default)]
    pub client_secret: String,
    #[serde(default)]
    pub access_token: String,
    #[serde(default)]
    pub refresh_token: String,
    /// Access Token Duration in Minutes.
    #[serde(default = "default_token_minutes")]
    pub access_token_duration_minutes: u32,
    /// When the current access token was obtained; expiry = this + duration, unless the
    /// server said otherwise (`expires_at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub obtained_at: Option<DateTime<Utc>>,
    /// When the current access token expires, to the second, as the token endpoint's
    /// `expires_in` said; written with the token, cleared when a token without one arrives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    /// Id of the Credential-kind Payload that requests new tokens.
    pub token_payload: PayloadId,
    /// How `payloads login` gets the first tokens interactively; none when they are pasted in or
    /// the Token Payload needs no earlier token (client credentials).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login: Option<Login>,
    /// When the token endpoint refuses the refresh token (`invalid_grant`), ask once with the
    /// client credentials grant instead. Off unless chosen: not every client may use that grant,
    /// and its tokens may carry other rights than the user's.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fallback_to_client_credentials: bool,
}

/// An interactive way to get a Bearer Token Credential's first tokens. The code it ends with is
/// exchanged at the Token Payload's endpoint and the answer is read by its response model and
/// Data Targets, like a refresh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Login {
    /// RFC 8628: a user code entered (or a QR code scanned) on another device; made for SSH.
    DeviceCode(LoginEndpoint),
    /// RFC 6749 §4.1 with PKCE (RFC 7636, S256): a browser on this machine, redirected back to a
    /// listener on 127.0.0.1.
    AuthorizationCode(LoginEndpoint),
}

impl Login {
    pub fn endpoint(&self) -> &LoginEndpoint {
        match self {
            Login::DeviceCode(e) | Login::AuthorizationCode(e) => e,
        }
    }
}

/// Where a [`Login`] starts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginEndpoint {
    /// The device authorization or authorization endpoint: relative to the Integration's base URL,
    /// or absolute. Blank: read from the `issuer`'s discovery metadata.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub endpoint: String,
    /// The scopes asked for, space-separated; blank asks for none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scope: String,
    /// An issuer URL whose RFC 8414 / OpenID discovery metadata names the endpoints.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub issuer: String,
}

pub fn default_token_minutes() -> u32 {
    60
}

impl BearerToken {
    /// When the access token expires: the server's `expires_at` when it gave one, else the time
    /// it was obtained plus the Access Token Duration; `None` when neither is known.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.expires_at.or_else(|| {
            self.obtained_at
                .map(|at| at + Duration::minutes(i64::from(self.access_token_duration_minutes)))
        })
    }

    /// A refresh is needed when the token is blank, or `now` is within the refresh margin of
    /// the expiry. The margin is 10% of the token's lifetime, at most `max_margin` (30 s by
    /// default): a 60 s token is renewed in its last 6 s, a 2 s token in its last 0.2 s.
    pub fn needs_refresh(&self, now: DateTime<Utc>, max_margin: Duration) -> bool {
        if self.access_token.trim().is_empty() {
            return true;
        }
        match self.expires_at() {
            Some(expiry) => now + self.refresh_margin(max_margin) >= expiry,
            // A token entered by hand with no time it was obtained is trusted until a 401 says otherwise.
            None => false,
        }
    }

    /// 10% of the token's lifetime (from `obtained_at` to its expiry), at most `max_margin`;
    /// `max_margin` when the lifetime is not known.
    pub fn refresh_margin(&self, max_margin: Duration) -> Duration {
        match (self.obtained_at, self.expires_at()) {
            (Some(from), Some(to)) if to > from => ((to - from) / 10).min(max_margin),
            _ => max_margin,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasicAuth {
    pub username: String,
    #[serde(default)]
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiKey {
    #[serde(default = "default_api_key_header")]
    pub header: String,
    pub value: String,
}

pub fn default_api_key_header() -> String {
    "x-api-key".to_string()
}

/// A header or a query parameter, sent as-is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomAuth {
    pub placement: Placement,
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Placement {
    Header,
    Query,
}

/// A client certificate and key (PEM paths) for mutual TLS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateAuth {
    pub cert_path: String,
    pub key_path: String,
}

/// One request and what to do with its response. Belongs to one Integration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payload {
    pub id: PayloadId,
    pub name: String,
    pub integration: IntegrationId,
    pub kind: PayloadKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub method: Method,
    /// Relative to the Integration's base URL, or absolute.
    pub endpoint: String,
    /// For Callout and Webhook: the Credential that authenticates the request. For a Credential
    /// Payload: the Bearer Token Credential whose tokens it requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<CredentialId>,
    /// Credential Payloads only: where the client id and secret go.
    #[serde(default, skip_serializing_if = "ClientAuth::is_default")]
    pub client_auth: ClientAuth,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<KeyValue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<KeyValue>,
    #[serde(default, skip_serializing_if = "Body::is_none")]
    pub body: Body,
    /// The response model: named values read from the response.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub response: Vec<ResponseValue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<DataTarget>,
    /// Dynamic inputs, asked for at run time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<DynamicInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_secs: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PayloadKind {
    /// Request, response model, Data Targets.
    Callout,
    /// Fire and forget: success is the response status alone.
    Webhook,
    /// The token request of one Bearer Token Credential.
    Credential,
}

impl PayloadKind {
    pub const ALL: [PayloadKind; 3] = [
        PayloadKind::Callout,
        PayloadKind::Webhook,
        PayloadKind::Credential,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Method {
    GET,
    POST,
    PUT,
    PATCH,
    DELETE,
    HEAD,
    OPTIONS,
}

impl Method {
    pub const ALL: [Method; 7] = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::HEAD,
        Method::OPTIONS,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::GET => "GET",
            Method::POST => "POST",
            Method::PUT => "PUT",
            Method::PATCH => "PATCH",
            Method::DELETE => "DELETE",
            Method::HEAD => "HEAD",
            Method::OPTIONS => "OPTIONS",
        }
    }
}

/// How a token request authenticates the client (RFC 6749 §2.3.1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClientAuth {
    /// `client_id` and `client_secret` are form fields of the body (as the body says).
    #[default]
    InBody,
    /// `Authorization: Basic` with the form-encoded client id and secret.
    BasicHeader,
}

impl ClientAuth {
    pub fn is_default(&self) -> bool {
        *self == ClientAuth::InBody
    }
}

/// A request body. Template placeholders inside are escaped for where they land.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub enum Body {
    #[default]
    None,
    /// JSON text; placeholders inside JSON strings are JSON-escaped.
    Json(String),
    /// `application/x-www-form-urlencoded` fields.
    Form(Vec<KeyValue>),
    /// Raw text (XML, plain text …) with its content type.
    Raw { content_type: String, text: String },
}

impl Body {
    pub fn is_none(&self) -> bool {
        matches!(self, Body::None)
    }
}

/// A named value read from a response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseValue {
    pub name: String,
    pub source: ValueSource,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ValueSource {
    /// RFC 9535 JSONPath into a JSON body, e.g. `$.access_token`.
    JsonPath(String),
    /// A key of a form-encoded body.
    FormKey(String),
    /// A response header, by name.
    Header(String),
}

/// Writes one response value somewhere.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataTarget {
    /// The name of a value of the response model.
    pub value: String,
    pub target: Target,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// A field of the Payload's Credential (for a Credential Payload, the Credential it refreshes).
    Credential(CredentialField),
    /// A workspace Variable, by name; created when missing.
    Variable(String),
}

/// The Credential fields a Data Target may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CredentialField {
    AccessToken,
    RefreshToken,
    /// Seconds until expiry (`expires_in`): sets Access Token Duration in Minutes.
    ExpiresIn,
}

/// A named value asked for at run time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DynamicInput {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// A named value read by templates as `{{var.NAME}}` and written by Data Targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    pub name: String,
    pub value: String,
    /// A secret Variable is masked and redacted like a token.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub secret: bool,
}

impl Workspace {
    pub fn integration(&self, id: &str) -> Option<&Integration> {
        self.integrations.iter().find(|i| i.id == id)
    }
    pub fn credential(&self, id: &str) -> Option<&Credential> {
        self.credentials.iter().find(|c| c.id == id)
    }
    pub fn credential_mut(&mut self, id: &str) -> Option<&mut Credential> {
        self.credentials.iter_mut().find(|c| c.id == id)
    }
    pub fn payload(&self, id: &str) -> Option<&Payload> {
        self.payloads.iter().find(|p| p.id == id)
    }
    pub fn payload_mut(&mut self, id: &str) -> Option<&mut Payload> {
        self.payloads.iter_mut().find(|p| p.id == id)
    }
    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.name == name)
    }
}
