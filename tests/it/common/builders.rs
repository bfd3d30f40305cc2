//! Builders for the workspace model types the tests make: each starts from defaults a test would
//! otherwise spell out, so a new model field is added here once instead of in every struct
//! literal across the test modules.

use chrono::{DateTime, Utc};
use payloads::workspace::{
    BearerToken, Body, ClientAuth, Credential, CredentialAuth, DataTarget, DynamicInput,
    Integration, KeyValue, Method, Payload, PayloadKind, ResponseValue, Target, TlsOptions,
    ValueSource,
};

/// An Integration `id` at `base_url`, named after its id, with no headers, timeout or TLS options.
pub fn integration(id: &str, base_url: &str) -> IntegrationBuilder {
    IntegrationBuilder(Integration {
        id: id.into(),
        name: id.into(),
        base_url: base_url.into(),
        description: String::new(),
        timeout_secs: None,
        headers: vec![],
        tls: TlsOptions::default(),
    })
}

pub struct IntegrationBuilder(Integration);

impl IntegrationBuilder {
    pub fn name(mut self, name: &str) -> Self {
        self.0.name = name.into();
        self
    }

    pub fn description(mut self, description: &str) -> Self {
        self.0.description = description.into();
        self
    }

    pub fn timeout_secs(mut self, secs: u64) -> Self {
        self.0.timeout_secs = Some(secs);
        self
    }

    pub fn header(mut self, key: &str, value: &str) -> Self {
        self.0.headers.push(KeyValue::new(key, value));
        self
    }

    pub fn build(self) -> Integration {
        self.0
    }
}

/// A Credential `id` of Integration `api` (the one `oauth_workspace` makes), named after its id.
pub fn credential(id: &str, auth: CredentialAuth) -> CredentialBuilder {
    CredentialBuilder(Credential {
        id: id.into(),
        name: id.into(),
        integration: "api".into(),
        description: String::new(),
        auth,
    })
}

pub struct CredentialBuilder(Credential);

impl CredentialBuilder {
    pub fn name(mut self, name: &str) -> Self {
        self.0.name = name.into();
        self
    }

    pub fn integration(mut self, integration: &str) -> Self {
        self.0.integration = integration.into();
        self
    }

    pub fn build(self) -> Credential {
        self.0
    }
}

/// Bearer Token state refreshed by Payload `token_payload`: no client, no tokens, the default
/// token duration.
pub fn bearer_token(token_payload: &str) -> BearerTokenBuilder {
    BearerTokenBuilder(BearerToken::empty(token_payload))
}

pub struct BearerTokenBuilder(BearerToken);

impl BearerTokenBuilder {
    pub fn client(mut self, id: &str, secret: &str) -> Self {
        self.0.client_id = id.into();
        self.0.client_secret = secret.into();
        self
    }

    pub fn tokens(mut self, access: &str, refresh: &str) -> Self {
        self.0.access_token = access.into();
        self.0.refresh_token = refresh.into();
        self
    }

    pub fn duration_minutes(mut self, minutes: u32) -> Self {
        self.0.access_token_duration_minutes = minutes;
        self
    }

    pub fn obtained_at(mut self, at: Option<DateTime<Utc>>) -> Self {
        self.0.obtained_at = at;
        self
    }

    pub fn build(self) -> BearerToken {
        self.0
    }

    /// The state as a Credential's auth, which is where tests put it.
    pub fn auth(self) -> CredentialAuth {
        CredentialAuth::BearerToken(self.0)
    }
}

/// A Callout `id` of Integration `api`: `method endpoint`, named after its id, no Credential,
/// no body, headers, parameters, response values, targets or inputs.
pub fn payload(id: &str, method: Method, endpoint: &str) -> PayloadBuilder {
    PayloadBuilder(Payload {
        id: id.into(),
        name: id.into(),
        integration: "api".into(),
        kind: PayloadKind::Callout,
        description: String::new(),
        method,
        endpoint: endpoint.into(),
        credential: None,
        client_auth: ClientAuth::InBody,
        headers: vec![],
        parameters: vec![],
        body: Body::None,
        response: vec![],
        targets: vec![],
        inputs: vec![],
        timeout_secs: None,
    })
}

pub struct PayloadBuilder(Payload);

impl PayloadBuilder {
    pub fn name(mut self, name: &str) -> Self {
        self.0.name = name.into();
        self
    }

    pub fn integration(mut self, integration: &str) -> Self {
        self.0.integration = integration.into();
        self
    }

    pub fn kind(mut self, kind: PayloadKind) -> Self {
        self.0.kind = kind;
        self
    }

    pub fn credential(mut self, credential: Option<&str>) -> Self {
        self.0.credential = credential.map(Into::into);
        self
    }

    pub fn header(mut self, key: &str, value: &str) -> Self {
        self.0.headers.push(KeyValue::new(key, value));
        self
    }

    pub fn parameter(mut self, key: &str, value: &str) -> Self {
        self.0.parameters.push(KeyValue::new(key, value));
        self
    }

    pub fn body(mut self, body: Body) -> Self {
        self.0.body = body;
        self
    }

    /// A response value `name` read by JSONPath `path`.
    pub fn json_value(mut self, name: &str, path: &str) -> Self {
        self.0.response.push(ResponseValue {
            name: name.into(),
            source: ValueSource::JsonPath(path.into()),
        });
        self
    }

    /// Writes response value `value` to `target`.
    pub fn target(mut self, value: &str, target: Target) -> Self {
        self.0.targets.push(DataTarget {
            value: value.into(),
            target,
        });
        self
    }

    pub fn input(mut self, name: &str, default: Option<&str>, description: &str) -> Self {
        self.0.inputs.push(DynamicInput {
            name: name.into(),
            default: default.map(str::to_string),
            description: description.into(),
        });
        self
    }

    pub fn build(self) -> Payload {
        self.0
    }
}
