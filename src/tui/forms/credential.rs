//! The Credential form: one field set per Credential type (shown as the type is chosen), and the
//! Edit it makes, creating the Token Payload of a new Bearer Token Credential.

use super::choices::{Choice, CredentialType};
use super::{Field, FieldKey as K, Form, FormPurpose, validate};
use crate::oauth::grant::{self, Grant};
use crate::tui::edits::{self, Edit, KeptTokenFields};
use crate::workspace::fields::CredentialFields;
use crate::workspace::{
    ApiKey, BearerToken, CertificateAuth, ClientAuth, Credential, CredentialAuth, CredentialId,
    CustomAuth, Login, LoginEndpoint, Payload, PayloadId, PayloadKind, Placement, Workspace,
};

/// The grants that log in for the first tokens, whose login fields the form shows.
const LOGIN_GRANTS: &[Grant] = &[Grant::DeviceCode, Grant::AuthorizationCode];

/// The Token Payload choice of a Bearer Token Credential that has none yet.
pub const NEW_TOKEN_PAYLOAD: &str = "(create a standard one)";

/// The form field `key` for the text field `name` of Credential type `T`: its label and whether
/// it is masked come from the type's field table (`workspace::fields`), the same table redaction
/// reads. A name the table lacks is masked: failing safe.
fn table_field<T: CredentialFields>(key: K, name: &str, value: &str) -> Field {
    match T::FIELDS.iter().find(|f| f.name == name) {
        Some(spec) if !spec.secret => Field::line(key, spec.label, value),
        Some(spec) => Field::secret(key, spec.label, value),
        None => Field::secret(key, name, value),
    }
}

pub fn new_form(ws: &Workspace, integration: &str) -> Form {
    let blank = Credential {
        id: CredentialId::default(),
        name: String::new(),
        integration: integration.into(),
        description: String::new(),
        auth: CredentialAuth::BearerToken(BearerToken::empty("")),
    };
    build(ws, "New Credential", None, &blank)
}

pub fn edit_form(ws: &Workspace, c: &Credential) -> Form {
    build(
        ws,
        format!("Edit Credential {}", edits::named(&c.name, &c.id)),
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
    build(
        ws,
        format!("Duplicate Credential {}", edits::named(&c.name, &c.id)),
        None,
        &copy,
    )
}

fn build(
    ws: &Workspace,
    title: impl Into<String>,
    original: Option<String>,
    c: &Credential,
) -> Form {
    let integrations: Vec<(String, String)> = ws
        .integrations
        .iter()
        .map(|i| (i.id.to_string(), i.name.clone()))
        .collect();
    let id_field = Field::line(K::Id, "Id", &c.id)
        .validated(validate::id)
        .hint("made from the name until you type one: lowercase letters, digits, - and _");
    let mut fields = vec![
        id_field,
        Field::line(K::Name, "Name", &c.name).validated(validate::required),
        Field::choice_of_records(K::Integration, "Integration", integrations, &c.integration)
            .validated(validate::required)
            .hint("the Integration it belongs to; ←/→ to choose"),
        Field::choose(K::Type, "Type", CredentialType::of(&c.auth))
            .hint("how requests are authenticated; ←/→ to choose"),
        Field::line(K::Description, "Description", &c.description),
    ];
    // Every type's fields, each shown while its type is chosen: switching types keeps what was
    // typed for the others.
    for &ty in CredentialType::all() {
        fields.extend(
            type_fields(ws, ty, &c.auth)
                .into_iter()
                // A field shown under another of its type's fields is hidden with it.
                .map(|f| match f.shown_when {
                    Some(_) => f,
                    None => f.shown_when(K::Type, &[ty]),
                }),
        );
    }
    let mut form = Form::new(title, FormPurpose::Credential { original }, fields);
    form.arrange_id(ws);
    form
}

/// The fields of one Credential type, filled from `auth` when it is of that type.
fn type_fields(ws: &Workspace, ty: CredentialType, auth: &CredentialAuth) -> Vec<Field> {
    match ty {
        CredentialType::BearerToken => {
            let bearer = match auth {
                CredentialAuth::BearerToken(b) => b.clone(),
                _ => BearerToken::empty(""),
            };
            let token_requests = ws
                .payloads
                .iter()
                .filter(|p| p.kind == PayloadKind::Credential);
            let mut token_payloads = vec![(NEW_TOKEN_PAYLOAD.to_string(), String::new())];
            token_payloads.extend(
                token_requests
                    .clone()
                    .map(|p| (p.id.to_string(), p.name.clone())),
            );
            let mut token_payload_owners = vec![String::new()];
            token_payload_owners.extend(token_requests.map(|p| p.integration.to_string()));
            let request = ws
                .payload(&bearer.token_payload)
                .filter(|p| p.kind == PayloadKind::Credential);
            let (token_endpoint, client_auth) = match request {
                Some(p) => (p.endpoint.clone(), p.client_auth),
                None => ("/oauth/token".to_string(), ClientAuth::InBody),
            };
            let login = bearer
                .login
                .clone()
                .unwrap_or(Login::DeviceCode(LoginEndpoint::default()));
            let login_field = |key: K, name: &str, value: &str| {
                table_field::<LoginEndpoint>(key, name, value).shown_when(K::Grant, LOGIN_GRANTS)
            };
            let endpoint = login.endpoint();
            vec![
                table_field::<BearerToken>(K::ClientId, "client_id", &bearer.client_id),
                table_field::<BearerToken>(K::ClientSecret, "client_secret", &bearer.client_secret),
                table_field::<BearerToken>(K::AccessToken, "access_token", &bearer.access_token),
                table_field::<BearerToken>(K::RefreshToken, "refresh_token", &bearer.refresh_token),
                Field::line(
                    K::Duration,
                    "Token minutes",
                    &bearer.access_token_duration_minutes.to_string(),
                )
                .validated(validate::number)
                .hint("Access Token Duration in Minutes; an expires_in Data Target updates it"),
                Field::choice_of_records(
                    K::TokenPayload,
                    "Token Payload",
                    token_payloads,
                    &bearer.token_payload,
                )
                .narrowed_by(K::Integration, token_payload_owners)
                .hint("the Credential Payload that requests new tokens; Enter on it opens it"),
                Field::choose(K::Grant, "Tokens by", Grant::of(&bearer, request)).hint(
                    "how tokens are obtained: device code and browser log in with L; ←/→ to choose",
                ),
                Field::line(K::TokenEndpoint, "Token endpoint", &token_endpoint)
                    .validated(validate::endpoint)
                    .hint("where the Token Payload asks for tokens: a path, or a full URL"),
                Field::choose(K::ClientAuth, "Client auth", client_auth).hint(
                    "how the client id and secret go to the token endpoint: in the body, or Basic",
                ),
                table_field::<LoginEndpoint>(K::Issuer, "issuer", &endpoint.issuer)
                    .validated(issuer)
                    .placeholder("https://login.example.com")
                    .hint(
                        "the authorization server; Ctrl-O discovers its endpoints (RFC 8414 / OpenID)",
                    ),
                login_field(K::LoginEndpoint, "endpoint", &endpoint.endpoint)
                    .validated(login_endpoint)
                    .hint(
                        "device authorization (device code) or authorization (browser) endpoint; \
                         blank: from the issuer",
                    ),
                login_field(K::Scope, "scope", &endpoint.scope)
                    .hint("the scopes asked for, space-separated; blank asks for none"),
                Field::choose(
                    K::Fallback,
                    "Fallback once",
                    bearer.fallback_to_client_credentials,
                )
                .shown_when(
                    K::Grant,
                    &[
                        Grant::RefreshToken,
                        Grant::DeviceCode,
                        Grant::AuthorizationCode,
                    ],
                )
                .hint(
                    "yes: when the refresh token is refused (invalid_grant), ask once with the \
                     client credentials grant instead",
                ),
            ]
        }
        CredentialType::Basic => table_fields(ty, auth),
        CredentialType::ApiKey => {
            let (header, value) = match auth {
                CredentialAuth::ApiKey(k) => (k.header.clone(), k.value.clone()),
                _ => (crate::workspace::default_api_key_header(), String::new()),
            };
            vec![
                table_field::<ApiKey>(K::KeyHeader, "header", &header)
                    .validated(validate::header_name),
                table_field::<ApiKey>(K::KeyValue, "value", &value),
            ]
        }
        CredentialType::Custom => {
            let (placement, name, value) = match auth {
                CredentialAuth::Custom(k) => (k.placement, k.name.clone(), k.value.clone()),
                _ => (Placement::Header, String::new(), String::new()),
            };
            vec![
                Field::choose(K::Placement, "Placement", placement)
                    .hint("a header, or a query parameter"),
                table_field::<CustomAuth>(K::CustomName, "name", &name)
                    .validated(validate::required)
                    .hint("the header name, or the query parameter name"),
                table_field::<CustomAuth>(K::CustomValue, "value", &value),
            ]
        }
        CredentialType::Certificate => {
            let (cert, key) = match auth {
                CredentialAuth::Certificate(k) => (k.cert_path.clone(), k.key_path.clone()),
                _ => Default::default(),
            };
            vec![
                table_field::<CertificateAuth>(K::CertPath, "cert_path", &cert)
                    .validated(validate::required)
                    .hint("path of the client certificate (PEM)"),
                table_field::<CertificateAuth>(K::KeyPath, "key_path", &key)
                    .validated(validate::required)
                    .hint("path of the private key (PEM)"),
            ]
        }
    }
}

/// The fields of a type that needs no more than its field table (names, labels, secrecy), filled
/// from `auth` when it is of that type: a type added with only a table is in the form at once.
fn table_fields(ty: CredentialType, auth: &CredentialAuth) -> Vec<Field> {
    let blank = ty.blank();
    let auth = if CredentialType::of(auth) == ty {
        auth
    } else {
        &blank
    };
    (0u8..)
        .zip(auth.fields())
        .map(|(i, (spec, value))| {
            let key = K::Auth(ty, i);
            if spec.secret {
                Field::secret(key, spec.label, value)
            } else {
                Field::line(key, spec.label, value)
            }
        })
        .collect()
}

/// A Credential of a type `table_fields` shows, read back from the form.
fn auth_from_table(form: &Form, ty: CredentialType) -> CredentialAuth {
    let mut auth = ty.blank();
    for (i, (_, value)) in (0u8..).zip(auth.fields_mut()) {
        *value = form.value(K::Auth(ty, i));
    }
    auth
}

/// An issuer: blank, or an http(s) URL with no query or fragment (RFC 8414 §2).
fn issuer(value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        return Ok(());
    }
    crate::oauth::discovery::metadata_urls(value).map(|_| ())
}

/// A login endpoint: blank (from the issuer), a path on the Integration, or an http(s) URL.
fn login_endpoint(value: &str) -> Result<(), String> {
    let value = value.trim();
    if value.is_empty() || value.starts_with('/') || value.contains("{{") {
        return Ok(());
    }
    crate::oauth::server_url("the endpoint", value)
        .map(|_| ())
        .map_err(|e| format!("{e}: a path such as /oauth/device_authorization, or a full URL"))
}

/// The login the grant chosen brings, at the endpoint, issuer and scope typed. With neither an
/// endpoint nor an issuer, the conventional path on the Integration (the sandbox's).
fn login_of(form: &Form, grant: Grant) -> Option<Login> {
    let scope = form.value(K::Scope).trim().to_string();
    let mut login = grant.login(&scope)?;
    let typed = LoginEndpoint {
        endpoint: form.value(K::LoginEndpoint).trim().to_string(),
        scope,
        issuer: form.value(K::Issuer).trim().to_string(),
    };
    let at = match &mut login {
        Login::DeviceCode(e) | Login::AuthorizationCode(e) => e,
    };
    if !typed.endpoint.is_empty() || !typed.issuer.is_empty() {
        *at = typed;
    }
    Some(login)
}

/// Token Payload `p` with what the form changed of it: its endpoint, its client
/// authentication, and the body of the grant chosen.
fn changed_token_request(form: &Form, p: &Payload, grant: Grant, auth: ClientAuth) -> Payload {
    let mut p = p.clone();
    if form.changed(K::TokenEndpoint) {
        p.endpoint = form.value(K::TokenEndpoint).trim().to_string();
    }
    if form.changed(K::ClientAuth) {
        grant::set_client_auth(&mut p, auth);
    }
    if form.changed(K::Grant) {
        grant.shape(&mut BearerToken::empty(""), &mut p, "");
    }
    p
}

pub fn submit(form: &mut Form, ws: &Workspace) -> Option<Edit> {
    if !form.check_all() {
        return None;
    }
    let FormPurpose::Credential { original } = form.purpose.clone() else {
        return None;
    };
    let name = form.value(K::Name);
    let id = super::record_id(form, original.as_deref(), &name, ws)?;
    let previous = original.as_deref().and_then(|o| ws.credential(o));
    let mut token_payload = None;
    let mut kept = KeptTokenFields::default();
    let Some(ty) = form.choice::<CredentialType>(K::Type) else {
        form.refuse(K::Type, "choose the type of Credential");
        return None;
    };
    let auth = match ty {
        CredentialType::BearerToken => {
            let before = previous.and_then(|c| match &c.auth {
                CredentialAuth::BearerToken(b) => Some(b.clone()),
                _ => None,
            });
            // A refresh (here, or in another process) may have written new tokens while the form
            // was open: a token field the user left alone keeps the newest value, so saving the
            // form never puts back a refresh token the server has already rotated away.
            let newest = |key: K, current: Option<&str>| match current {
                Some(current) if !form.changed(key) => current.to_string(),
                _ => form.value(key),
            };
            let access_token = newest(
                K::AccessToken,
                before.as_ref().map(|b| b.access_token.as_str()),
            );
            let refresh_token = newest(
                K::RefreshToken,
                before.as_ref().map(|b| b.refresh_token.as_str()),
            );
            let duration = newest(
                K::Duration,
                before
                    .as_ref()
                    .map(|b| b.access_token_duration_minutes.to_string())
                    .as_deref(),
            );
            kept = KeptTokenFields {
                access_token: !form.changed(K::AccessToken),
                refresh_token: !form.changed(K::RefreshToken),
                duration: !form.changed(K::Duration),
            };
            // The time a token was obtained only stays true for the same token.
            let same_token = before.as_ref().filter(|b| b.access_token == access_token);
            let obtained_at = same_token.and_then(|b| b.obtained_at);
            let expires_at = same_token.and_then(|b| b.expires_at);
            let grant = form
                .choice::<Grant>(K::Grant)
                .unwrap_or(Grant::RefreshToken);
            let client_auth = form.choice::<ClientAuth>(K::ClientAuth).unwrap_or_default();
            let mut chosen = form.value(K::TokenPayload);
            if chosen == NEW_TOKEN_PAYLOAD {
                chosen = edits::unique_id(ws, &format!("{id}-token"));
                let owner = Credential {
                    id: id.as_str().into(),
                    name: name.clone(),
                    integration: form.value(K::Integration).into(),
                    description: String::new(),
                    auth: CredentialAuth::BearerToken(BearerToken::empty(chosen.as_str())),
                };
                let mut payload = crate::workspace::edit::token_payload(&chosen, &owner);
                payload.endpoint = form.value(K::TokenEndpoint).trim().to_string();
                payload.client_auth = client_auth;
                grant.shape(&mut BearerToken::empty(""), &mut payload, "");
                token_payload = Some(payload);
            } else if form.changed(K::Grant)
                || form.changed(K::TokenEndpoint)
                || form.changed(K::ClientAuth)
            {
                // The token request chosen, as the form changed it: only what was changed here,
                // so choosing another Token Payload does not give it this one's endpoint.
                token_payload = ws
                    .payload(&chosen)
                    .filter(|p| p.kind == PayloadKind::Credential)
                    .map(|p| changed_token_request(form, p, grant, client_auth));
            }
            CredentialAuth::BearerToken(BearerToken {
                client_id: form.value(K::ClientId),
                client_secret: form.value(K::ClientSecret),
                access_token,
                refresh_token,
                access_token_duration_minutes: duration.parse().unwrap_or(60),
                obtained_at,
                expires_at,
                token_payload: chosen.into(),
                login: login_of(form, grant),
                fallback_to_client_credentials: grant != Grant::ClientCredentials
                    && form.choice::<bool>(K::Fallback) == Some(true),
            })
        }
        CredentialType::Basic => auth_from_table(form, ty),
        CredentialType::ApiKey => CredentialAuth::ApiKey(ApiKey {
            header: form.value(K::KeyHeader),
            value: form.value(K::KeyValue),
        }),
        CredentialType::Custom => {
            let Some(placement) = form.choice::<Placement>(K::Placement) else {
                form.refuse(K::Placement, "choose where the value goes");
                return None;
            };
            if placement == Placement::Header
                && let Err(reason) = validate::header_name(&form.value(K::CustomName))
            {
                form.refuse(K::CustomName, reason);
                return None;
            }
            CredentialAuth::Custom(CustomAuth {
                placement,
                name: form.value(K::CustomName),
                value: form.value(K::CustomValue),
            })
        }
        CredentialType::Certificate => CredentialAuth::Certificate(CertificateAuth {
            cert_path: form.value(K::CertPath),
            key_path: form.value(K::KeyPath),
        }),
    };
    let credential = Credential {
        id: id.into(),
        name,
        integration: form.value(K::Integration).into(),
        description: form.value(K::Description),
        auth,
    };
    Some(Edit::Credential {
        original,
        credential,
        token_payload,
        kept,
    })
}
