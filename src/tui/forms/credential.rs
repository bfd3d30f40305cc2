//! The Credential form: one field set per Credential type (shown as the type is chosen), and the
//! Edit it makes, creating the Token Payload of a new Bearer Token Credential.

use super::choices::{Choice, CredentialType};
use super::{Field, FieldKey as K, Form, FormPurpose, validate};
use crate::oauth::grant::Grant;
use crate::tui::edits::{self, Edit, KeptTokenFields};
use crate::workspace::fields::CredentialFields;
use crate::workspace::{
    ApiKey, BasicAuth, BearerToken, CertificateAuth, Credential, CredentialAuth, CredentialId,
    CustomAuth, PayloadId, PayloadKind, Placement, Workspace,
};

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
        .hint("lowercase letters, digits, - and _; blank: made from the name");
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
    form.drop_id_when_editing();
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
                .hint("the Credential Payload that requests new tokens"),
                Field::choose(K::Grant, "Tokens by", Grant::RefreshToken)
                    .hint(
                        "how tokens are obtained: device code and browser log in with L; ←/→ to choose",
                    )
                    .shown_when_value(K::TokenPayload, &[NEW_TOKEN_PAYLOAD]),
            ]
        }
        CredentialType::Basic => {
            let (user, password) = match auth {
                CredentialAuth::Basic(b) => (b.username.clone(), b.password.clone()),
                _ => Default::default(),
            };
            vec![
                table_field::<BasicAuth>(K::Username, "username", &user),
                table_field::<BasicAuth>(K::Password, "password", &password),
            ]
        }
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
    let mut new_login = None;
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
                let grant = form
                    .choice::<Grant>(K::Grant)
                    .unwrap_or(Grant::RefreshToken);
                let mut shaped = BearerToken::empty(chosen.as_str());
                grant.shape(&mut shaped, &mut payload, "");
                new_login = shaped.login;
                token_payload = Some(payload);
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
                // The grant chosen for a new Token Payload brings its login; otherwise an edit
                // keeps what the file says (the form has no login fields).
                login: new_login.or_else(|| before.as_ref().and_then(|b| b.login.clone())),
            })
        }
        CredentialType::Basic => CredentialAuth::Basic(BasicAuth {
            username: form.value(K::Username),
            password: form.value(K::Password),
        }),
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
