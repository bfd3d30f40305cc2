//! Typed workspace edits the TUI commits: each is applied to the App's copy at once and to the
//! store off the UI thread, so both sides apply exactly the same change.

use crate::workspace::{
    BearerToken, Body, Credential, CredentialAuth, CredentialField, DataTarget, KeyValue, Method,
    Payload, PayloadKind, ResponseValue, Target, ValueSource, Workspace,
};

/// Which record a key press is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Integration,
    Credential,
    Payload,
}

impl RecordKind {
    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Integration => "Integration",
            RecordKind::Credential => "Credential",
            RecordKind::Payload => "Payload",
        }
    }
}

/// One committed change to the workspace.
// One per committed form: their size does not matter, and unboxed they read better in tests.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Creates (`original` None) or replaces the Integration with id `original`.
    Integration {
        original: Option<String>,
        integration: crate::workspace::Integration,
    },
    /// Creates or replaces a Credential. A Bearer Token Credential that has no Token Payload yet
    /// gets `token_payload` created with it.
    Credential {
        original: Option<String>,
        credential: Credential,
        token_payload: Option<Payload>,
    },
    Payload {
        original: Option<String>,
        payload: Payload,
    },
    Delete {
        kind: RecordKind,
        id: String,
    },
}

impl Edit {
    /// Applies the edit; refuses (leaving `ws` as it was) when it no longer fits, e.g. the id was
    /// taken in the meantime.
    pub fn apply(&self, ws: &mut Workspace) -> Result<(), String> {
        let mut next = ws.clone();
        self.apply_in_place(&mut next)?;
        *ws = next;
        Ok(())
    }

    fn apply_in_place(&self, ws: &mut Workspace) -> Result<(), String> {
        match self {
            Edit::Integration {
                original,
                integration,
            } => {
                let list = &mut ws.integrations;
                upsert(
                    list,
                    original.as_deref(),
                    integration.clone(),
                    |i| &i.id,
                    "Integration",
                )
            }
            Edit::Credential {
                original,
                credential,
                token_payload,
            } => {
                if let Some(payload) = token_payload
                    && ws.payload(&payload.id).is_none()
                {
                    ws.payloads.push(payload.clone());
                }
                upsert(
                    &mut ws.credentials,
                    original.as_deref(),
                    credential.clone(),
                    |c| &c.id,
                    "Credential",
                )
            }
            Edit::Payload { original, payload } => upsert(
                &mut ws.payloads,
                original.as_deref(),
                payload.clone(),
                |p| &p.id,
                "Payload",
            ),
            Edit::Delete { kind, id } => {
                remove(ws, *kind, id);
                Ok(())
            }
        }
    }
}

fn upsert<T>(
    list: &mut Vec<T>,
    original: Option<&str>,
    record: T,
    id_of: impl Fn(&T) -> &String,
    label: &str,
) -> Result<(), String> {
    let new_id = id_of(&record).clone();
    match original {
        None => {
            if list.iter().any(|r| *id_of(r) == new_id) {
                let article = if label.starts_with('I') { "an" } else { "a" };
                return Err(format!("{article} {label} with id {new_id} already exists"));
            }
            list.push(record);
        }
        Some(original) => {
            let Some(slot) = list.iter_mut().find(|r| id_of(r) == original) else {
                return Err(format!("the {label} {original} no longer exists"));
            };
            *slot = record;
        }
    }
    Ok(())
}

/// What else in the workspace points at a record, and what deleting it does to each, in words.
pub fn referrers(ws: &Workspace, kind: RecordKind, id: &str) -> Vec<String> {
    let mut out = Vec::new();
    match kind {
        RecordKind::Integration => {
            for c in ws.credentials.iter().filter(|c| c.integration == id) {
                out.push(format!("Credential {} (deleted with it)", c.id));
            }
            for p in ws.payloads.iter().filter(|p| p.integration == id) {
                out.push(format!("Payload {} (deleted with it)", p.id));
            }
        }
        RecordKind::Credential => {
            let token_payload = token_payload_of(ws, id);
            for p in ws
                .payloads
                .iter()
                .filter(|p| p.credential.as_deref() == Some(id))
            {
                if Some(p.id.as_str()) == token_payload {
                    out.push(format!("Token Payload {} (deleted with it)", p.id));
                } else {
                    out.push(format!("Payload {} (its Credential is cleared)", p.id));
                }
            }
        }
        RecordKind::Payload => {
            for c in &ws.credentials {
                if let CredentialAuth::BearerToken(b) = &c.auth
                    && b.token_payload == id
                {
                    out.push(format!(
                        "Credential {} (left without a Token Payload)",
                        c.id
                    ));
                }
            }
        }
    }
    out
}

fn token_payload_of<'w>(ws: &'w Workspace, credential_id: &str) -> Option<&'w str> {
    match &ws.credential(credential_id)?.auth {
        CredentialAuth::BearerToken(b) => Some(b.token_payload.as_str()),
        _ => None,
    }
}

/// Deletes a record and keeps the workspace consistent: owned records go with it, references to
/// it are cleared.
fn remove(ws: &mut Workspace, kind: RecordKind, id: &str) {
    match kind {
        RecordKind::Integration => {
            let credentials: Vec<String> = ws
                .credentials
                .iter()
                .filter(|c| c.integration == id)
                .map(|c| c.id.clone())
                .collect();
            for c in credentials {
                remove(ws, RecordKind::Credential, &c);
            }
            ws.payloads.retain(|p| p.integration != id);
            ws.integrations.retain(|i| i.id != id);
        }
        RecordKind::Credential => {
            let token_payload = token_payload_of(ws, id).map(str::to_string);
            ws.payloads
                .retain(|p| Some(p.id.as_str()) != token_payload.as_deref());
            for p in &mut ws.payloads {
                if p.credential.as_deref() == Some(id) {
                    p.credential = None;
                }
            }
            ws.credentials.retain(|c| c.id != id);
        }
        RecordKind::Payload => {
            ws.payloads.retain(|p| p.id != id);
            for c in &mut ws.credentials {
                if let CredentialAuth::BearerToken(b) = &mut c.auth
                    && b.token_payload == id
                {
                    b.token_payload.clear();
                }
            }
        }
    }
}

/// `base`, or `base-2`, `base-3` … whichever no record of any kind uses yet.
pub fn unique_id(ws: &Workspace, base: &str) -> String {
    let taken = |id: &str| {
        ws.integrations.iter().any(|i| i.id == id)
            || ws.credentials.iter().any(|c| c.id == id)
            || ws.payloads.iter().any(|p| p.id == id)
    };
    if !base.is_empty() && !taken(base) {
        return base.to_string();
    }
    let base = if base.is_empty() { "record" } else { base };
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .expect("some suffix is free")
}

/// A lowercase id made from a display name: `Sandbox OAuth` → `sandbox-oauth`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The Token Payload created with a Bearer Token Credential: a standard OAuth 2 refresh request.
pub fn standard_token_payload(id: &str, credential: &Credential) -> Payload {
    let form = |name: &str, value: &str| KeyValue::new(name, value);
    let json = |name: &str| ResponseValue {
        name: name.to_string(),
        source: ValueSource::JsonPath(format!("$.{name}")),
    };
    let target = |name: &str, field| DataTarget {
        value: name.to_string(),
        target: Target::Credential(field),
    };
    Payload {
        id: id.to_string(),
        name: format!("{} token", credential.name),
        integration: credential.integration.clone(),
        kind: PayloadKind::Credential,
        description: String::new(),
        method: Method::POST,
        endpoint: "/oauth/token".to_string(),
        credential: Some(credential.id.clone()),
        client_auth: Default::default(),
        headers: Vec::new(),
        parameters: Vec::new(),
        body: Body::Form(vec![
            form("grant_type", "refresh_token"),
            form("refresh_token", "{{credential.refresh_token}}"),
            form("client_id", "{{credential.client_id}}"),
            form("client_secret", "{{credential.client_secret}}"),
        ]),
        response: vec![
            json("access_token"),
            json("refresh_token"),
            json("expires_in"),
        ],
        targets: vec![
            target("access_token", CredentialField::AccessToken),
            target("refresh_token", CredentialField::RefreshToken),
            target("expires_in", CredentialField::ExpiresIn),
        ],
        inputs: Vec::new(),
        timeout_secs: None,
    }
}

/// A Bearer Token Credential with no tokens yet, pointing at `token_payload`.
pub fn empty_bearer(token_payload: &str) -> BearerToken {
    BearerToken {
        client_id: String::new(),
        client_secret: String::new(),
        access_token: String::new(),
        refresh_token: String::new(),
        access_token_duration_minutes: crate::workspace::default_token_minutes(),
        obtained_at: None,
        token_payload: token_payload.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Integration;

    fn integration(id: &str) -> Integration {
        Integration {
            id: id.into(),
            name: id.into(),
            base_url: "http://127.0.0.1:1".into(),
            description: String::new(),
            timeout_secs: None,
            headers: vec![],
            tls: Default::default(),
        }
    }

    fn workspace_with_bearer() -> Workspace {
        let mut ws = Workspace::default();
        ws.integrations.push(integration("api"));
        let credential = Credential {
            id: "oauth".into(),
            name: "OAuth".into(),
            integration: "api".into(),
            description: String::new(),
            auth: CredentialAuth::BearerToken(empty_bearer("oauth-token")),
        };
        ws.payloads
            .push(standard_token_payload("oauth-token", &credential));
        ws.credentials.push(credential);
        let mut call = standard_token_payload("call", &ws.credentials[0]);
        call.kind = PayloadKind::Callout;
        ws.payloads.push(call);
        ws
    }

    #[test]
    fn deleting_a_credential_takes_its_token_payload_and_clears_references() {
        let mut ws = workspace_with_bearer();
        let said = referrers(&ws, RecordKind::Credential, "oauth");
        assert_eq!(
            said,
            [
                "Token Payload oauth-token (deleted with it)",
                "Payload call (its Credential is cleared)"
            ]
        );
        Edit::Delete {
            kind: RecordKind::Credential,
            id: "oauth".into(),
        }
        .apply(&mut ws)
        .unwrap();
        assert!(ws.credentials.is_empty());
        assert_eq!(ws.payloads.len(), 1);
        assert_eq!(ws.payloads[0].credential, None);
    }

    #[test]
    fn deleting_an_integration_takes_everything_of_it() {
        let mut ws = workspace_with_bearer();
        Edit::Delete {
            kind: RecordKind::Integration,
            id: "api".into(),
        }
        .apply(&mut ws)
        .unwrap();
        assert_eq!(ws, Workspace::default());
    }

    #[test]
    fn creating_a_taken_id_is_refused_and_changes_nothing() {
        let mut ws = workspace_with_bearer();
        let before = ws.clone();
        let err = Edit::Integration {
            original: None,
            integration: integration("api"),
        }
        .apply(&mut ws)
        .unwrap_err();
        assert_eq!(err, "an Integration with id api already exists");
        assert_eq!(ws, before);
    }

    #[test]
    fn unique_ids_and_slugs() {
        let ws = workspace_with_bearer();
        assert_eq!(unique_id(&ws, "api"), "api-2");
        assert_eq!(unique_id(&ws, "fresh"), "fresh");
        assert_eq!(slug("  Sandbox OAuth (v2) "), "sandbox-oauth-v2");
    }
}
