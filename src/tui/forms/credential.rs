//! The Credential form: one field set per Credential type (shown as the type is chosen), and the
//! Edit it makes, creating the Token Payload of a new Bearer Token Credential.

use super::{Field, Form, FormPurpose, validate};
use crate::oauth::grant::Grant;
use crate::tui::edits::{self, Edit, KeptTokenFields};
use crate::workspace::{
    ApiKey, BasicAuth, BearerToken, CertificateAuth, Credential, CredentialAuth, CredentialId,
    CustomAuth, PayloadId, PayloadKind, Placement, Workspace,
};

const BEARER: &[&str] = &["Bearer Token"];
const BASIC: &[&str] = &["Basic"];
const API_KEY: &[&str] = &["API Key"];
const CUSTOM: &[&str] = &["Custom"];
const CERTIFICATE: &[&str] = &["Certificate"];
const TYPES: [&str; 5] = ["Bearer Token", "Basic", "API Key", "Custom", "Certificate"];
/// The Token Payload choice of a Bearer Token Credential that has none yet.
pub const NEW_TOKEN_PAYLOAD: &str = "(create a standard one)";
const NEW_TOKEN: &[&str] = &[NEW_TOKEN_PAYLOAD];

pub fn new_form(ws: &Workspace, integration: &str) -> Form {
    let blank = Credential {
        id: CredentialId::default(),
        name: String::new(),
        integration: integration.into(),
        description: String::new(),
        auth: CredentialAuth::BearerToken(edits::empty_bearer("")),
    };
    build(ws, "New Credential", None, &blank)
}

pub fn edit_form(ws: &Workspace, c: &Credential) -> Form {
    build(
        ws,
        format!("Edit Credential {}", c.id),
        Some(c.id.to_string()),
        c,
    )
}

pub fn duplicate_form(ws: &Workspace, c: &Credential) -> Form {
    let mut copy = c.clone();
    copy.id = edits::unique_id(ws, &format!("{}-copy", c.id)).into();
    copy.name = format!("{} (copy)", c.name);
    if let CredentialAuth::BearerToken(b) = &mut copy.auth {
        // A copy gets a Token Payload of its own: two Credentials never share one.
        b.token_payload = PayloadId::default();
        b.access_token.clear();
        b.refresh_token.clear();
        b.obtained_at = None;
        b.expires_at = None;
    }
    build(ws, format!("Duplicate Credential {}", c.id), None, &copy)
}

fn build(
    ws: &Workspace,
    title: impl Into<String>,
    original: Option<String>,
    c: &Credential,
) -> Form {
    let integrations: Vec<String> = ws.integrations.iter().map(|i| i.id.to_string()).collect();
    let id_field = Field::line("id", "Id", &c.id)
        .validated(validate::id)
        .hint("lowercase letters, digits, - and _; blank: made from the name");
    let bearer = match &c.auth {
        CredentialAuth::BearerToken(b) => b.clone(),
        _ => edits::empty_bearer(""),
    };
    let token_requests = ws
        .payloads
        .iter()
        .filter(|p| p.kind == PayloadKind::Credential);
    let mut token_payloads = vec![NEW_TOKEN_PAYLOAD.to_string()];
    token_payloads.extend(token_requests.clone().map(|p| p.id.to_string()));
    let mut token_payload_owners = vec![String::new()];
    token_payload_owners.extend(token_requests.map(|p| p.integration.to_string()));
    let (basic_user, basic_password) = match &c.auth {
        CredentialAuth::Basic(b) => (b.username.clone(), b.password.clone()),
        _ => Default::default(),
    };
    let (key_header, key_value) = match &c.auth {
        CredentialAuth::ApiKey(k) => (k.header.clone(), k.value.clone()),
        _ => (crate::workspace::default_api_key_header(), String::new()),
    };
    let (placement, custom_name, custom_value) = match &c.auth {
        CredentialAuth::Custom(k) => (k.placement, k.name.clone(), k.value.clone()),
        _ => (Placement::Header, String::new(), String::new()),
    };
    let (cert, key) = match &c.auth {
        CredentialAuth::Certificate(k) => (k.cert_path.clone(), k.key_path.clone()),
        _ => Default::default(),
    };
    let fields = vec![
        id_field,
        Field::line("name", "Name", &c.name).validated(validate::required),
        Field::choice("integration", "Integration", integrations, &c.integration)
            .validated(validate::required)
            .hint("the Integration it belongs to; ←/→ to choose"),
        Field::choice(
            "type",
            "Type",
            TYPES.iter().map(|t| t.to_string()).collect(),
            c.auth.type_name(),
        )
        .hint("how requests are authenticated; ←/→ to choose"),
        Field::line("description", "Description", &c.description),
        Field::line("client_id", "Client Id", &bearer.client_id).shown_when("type", BEARER),
        Field::secret("client_secret", "Client Secret", &bearer.client_secret)
            .shown_when("type", BEARER),
        Field::secret("access_token", "Access Token", &bearer.access_token)
            .shown_when("type", BEARER),
        Field::secret("refresh_token", "Refresh Token", &bearer.refresh_token)
            .shown_when("type", BEARER),
        Field::line(
            "duration",
            "Token minutes",
            &bearer.access_token_duration_minutes.to_string(),
        )
        .validated(validate::number)
        .hint("Access Token Duration in Minutes; an expires_in Data Target updates it")
        .shown_when("type", BEARER),
        Field::choice(
            "token_payload",
            "Token Payload",
            token_payloads,
            &bearer.token_payload,
        )
        .narrowed_by("integration", token_payload_owners)
        .hint("the Credential Payload that requests new tokens")
        .shown_when("type", BEARER),
        Field::choice(
            "grant",
            "Tokens by",
            Grant::ALL
                .iter()
                .map(|g| g.short_label().to_string())
                .collect(),
            Grant::RefreshToken.short_label(),
        )
        .hint("how tokens are obtained: device code and browser log in with L; ←/→ to choose")
        .shown_when("token_payload", NEW_TOKEN),
        Field::line("username", "Username", &basic_user).shown_when("type", BASIC),
        Field::secret("password", "Password", &basic_password).shown_when("type", BASIC),
        Field::line("key_header", "Header", &key_header)
            .validated(validate::header_name)
            .shown_when("type", API_KEY),
        Field::secret("key_value", "Value", &key_value).shown_when("type", API_KEY),
        Field::choice(
            "placement",
            "Placement",
            vec!["Header".into(), "Query".into()],
            if placement == Placement::Header {
                "Header"
            } else {
                "Query"
            },
        )
        .hint("a header, or a query parameter")
        .shown_when("type", CUSTOM),
        Field::line("custom_name", "Header/param", &custom_name)
            .validated(validate::required)
            .hint("the header name, or the query parameter name")
            .shown_when("type", CUSTOM),
        Field::secret("custom_value", "Value", &custom_value).shown_when("type", CUSTOM),
        Field::line("cert_path", "Certificate", &cert)
            .validated(validate::required)
            .hint("path of the client certificate (PEM)")
            .shown_when("type", CERTIFICATE),
        Field::line("key_path", "Key", &key)
            .validated(validate::required)
            .hint("path of the private key (PEM)")
            .shown_when("type", CERTIFICATE),
    ];
    let mut form = Form::new(title, FormPurpose::Credential { original }, fields);
    form.drop_id_when_editing();
    form
}

pub fn submit(form: &mut Form, ws: &Workspace) -> Option<Edit> {
    if !form.check_all() {
        return None;
    }
    let FormPurpose::Credential { original } = form.purpose.clone() else {
        return None;
    };
    let name = form.value("name");
    let id = super::record_id(form, original.as_deref(), &name, ws)?;
    let previous = original.as_deref().and_then(|o| ws.credential(o));
    let mut token_payload = None;
    let mut kept = KeptTokenFields::default();
    let auth = match form.value("type").as_str() {
        "Bearer Token" => {
            let before = previous.and_then(|c| match &c.auth {
                CredentialAuth::BearerToken(b) => Some(b.clone()),
                _ => None,
            });
            // A refresh (here, or in another process) may have written new tokens while the form
            // was open: a token field the user left alone keeps the newest value, so saving the
            // form never puts back a refresh token the server has already rotated away.
            let newest = |key: &str, current: Option<&str>| match current {
                Some(current) if !form.field(key).changed() => current.to_string(),
                _ => form.value(key),
            };
            let access_token = newest(
                "access_token",
                before.as_ref().map(|b| b.access_token.as_str()),
            );
            let refresh_token = newest(
                "refresh_token",
                before.as_ref().map(|b| b.refresh_token.as_str()),
            );
            let duration = newest(
                "duration",
                before
                    .as_ref()
                    .map(|b| b.access_token_duration_minutes.to_string())
                    .as_deref(),
            );
            kept = KeptTokenFields {
                access_token: !form.field("access_token").changed(),
                refresh_token: !form.field("refresh_token").changed(),
                duration: !form.field("duration").changed(),
            };
            // The time a token was obtained only stays true for the same token.
            let same_token = before.as_ref().filter(|b| b.access_token == access_token);
            let obtained_at = same_token.and_then(|b| b.obtained_at);
            let expires_at = same_token.and_then(|b| b.expires_at);
            let mut chosen = form.value("token_payload");
            let mut new_login = None;
            if chosen == NEW_TOKEN_PAYLOAD {
                chosen = edits::unique_id(ws, &format!("{id}-token"));
                let owner = Credential {
                    id: id.as_str().into(),
                    name: name.clone(),
                    integration: form.value("integration").into(),
                    description: String::new(),
                    auth: CredentialAuth::BearerToken(edits::empty_bearer(&chosen)),
                };
                let mut payload = edits::standard_token_payload(&chosen, &owner);
                let grant =
                    Grant::from_short_label(&form.value("grant")).unwrap_or(Grant::RefreshToken);
                let mut shaped = edits::empty_bearer(&chosen);
                grant.shape(&mut shaped, &mut payload, "");
                new_login = shaped.login;
                token_payload = Some(payload);
            }
            CredentialAuth::BearerToken(BearerToken {
                client_id: form.value("client_id"),
                client_secret: form.value("client_secret"),
                access_token,
                refresh_token,
                access_token_duration_minutes: duration.parse().unwrap_or(60),
                obtained_at,
                expires_at,
                token_payload: chosen.into(),
                // The grant chosen for a new Token Payload brings its login; otherwise an edit
                // keeps what the file says (the form has no login fields).
                login: new_login.or_else(|| before.as_ref().and_then(|b| b.login.clone())),
            })
        }
        "Basic" => CredentialAuth::Basic(BasicAuth {
            username: form.value("username"),
            password: form.value("password"),
        }),
        "API Key" => CredentialAuth::ApiKey(ApiKey {
            header: form.value("key_header"),
            value: form.value("key_value"),
        }),
        "Custom" => CredentialAuth::Custom(CustomAuth {
            placement: if form.value("placement") == "Query" {
                Placement::Query
            } else {
                if let Err(reason) = validate::header_name(&form.value("custom_name")) {
                    form.refuse("custom_name", reason);
                    return None;
                }
                Placement::Header
            },
            name: form.value("custom_name"),
            value: form.value("custom_value"),
        }),
        _ => CredentialAuth::Certificate(CertificateAuth {
            cert_path: form.value("cert_path"),
            key_path: form.value("key_path"),
        }),
    };
    let credential = Credential {
        id: id.into(),
        name,
        integration: form.value("integration").into(),
        description: form.value("description"),
        auth,
    };
    Some(Edit::Credential {
        original,
        credential,
        token_payload,
        kept,
    })
}
