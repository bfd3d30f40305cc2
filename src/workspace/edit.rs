//! Changes the TUI makes to a workspace as one step each: creating a Bearer Token Credential with
//! its Token Payload, unique ids, what refers to a record, removing and duplicating records.

use super::model::*;
use super::validate::{is_valid_id, to_id};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("no integration \"{0}\"")]
    NoIntegration(IntegrationId),
    #[error("no credential \"{0}\"")]
    NoCredential(CredentialId),
    #[error("no payload \"{0}\"")]
    NoPayload(PayloadId),
    #[error("no variable \"{0}\"")]
    NoVariable(String),
    #[error("\"{0}\" is not a valid id: use lowercase letters, digits, `-` and `_`")]
    InvalidId(String),
    #[error("the id \"{0}\" is already used")]
    IdTaken(String),
    #[error(
        "payload \"{payload}\" is the token payload of credential \"{credential}\"; remove the credential instead"
    )]
    TokenPayloadInUse {
        payload: PayloadId,
        credential: CredentialId,
    },
}

impl Workspace {
    /// Whether any Integration, Credential or Payload has this id.
    pub fn id_in_use(&self, id: &str) -> bool {
        self.integration(id).is_some()
            || self.credential(id).is_some()
            || self.payload(id).is_some()
    }

    /// A valid id made from `base` (a name or an id) that no record uses yet: `base`, `base-2`, …
    pub fn unique_id(&self, base: &str) -> String {
        let base = match to_id(base) {
            id if id.is_empty() => "new".to_string(),
            id => id,
        };
        if !self.id_in_use(&base) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|id| !self.id_in_use(id))
            .expect("some suffix is free")
    }

    fn check_new_id(&self, id: &str) -> Result<(), EditError> {
        if !is_valid_id(id) {
            return Err(EditError::InvalidId(id.to_string()));
        }
        if self.id_in_use(id) {
            return Err(EditError::IdTaken(id.to_string()));
        }
        Ok(())
    }

    /// Creates a Bearer Token Credential and its Credential Payload `<id>-token` (a standard
    /// OAuth 2 refresh request with its response values and Data Targets), linked both ways.
    /// Returns the Credential's id and the Payload's id.
    pub fn add_bearer_credential(
        &mut self,
        integration_id: &str,
        id: &str,
        name: &str,
    ) -> Result<(String, String), EditError> {
        if self.integration(integration_id).is_none() {
            return Err(EditError::NoIntegration(integration_id.into()));
        }
        self.check_new_id(id)?;
        let payload_id = self.unique_id(&format!("{id}-token"));
        let credential = Credential {
            id: id.into(),
            name: name.to_string(),
            integration: integration_id.into(),
            description: String::new(),
            auth: CredentialAuth::BearerToken(BearerToken::empty(payload_id.as_str())),
        };
        self.payloads.push(token_payload(&payload_id, &credential));
        self.credentials.push(credential);
        Ok((id.to_string(), payload_id))
    }

    /// Human descriptions of every record that refers to the record with this id, for a delete
    /// confirmation, each naming the record by its name with its id after it:
    /// `Credential Sandbox OAuth (sandbox-oauth) belongs to it`, `Payload Get (get) uses it`, …
    pub fn referrers(&self, id: &str) -> Vec<String> {
        let mut out = Vec::new();
        if self.integration(id).is_some() {
            for c in self.credentials.iter().filter(|c| c.integration == id) {
                out.push(format!(
                    "Credential {} belongs to it",
                    named(&c.name, &c.id)
                ));
            }
            for p in self.payloads.iter().filter(|p| p.integration == id) {
                out.push(format!("Payload {} belongs to it", named(&p.name, &p.id)));
            }
        }
        if let Some(credential) = self.credential(id) {
            let token_payload = match &credential.auth {
                CredentialAuth::BearerToken(b) => Some(b.token_payload.as_str()),
                _ => None,
            };
            for p in self
                .payloads
                .iter()
                .filter(|p| p.credential.as_deref() == Some(id))
            {
                let who = named(&p.name, &p.id);
                if Some(p.id.as_str()) == token_payload {
                    out.push(format!("Payload {who} is its token request"));
                } else {
                    out.push(format!("Payload {who} uses it"));
                }
            }
        }
        if self.payload(id).is_some() {
            for c in &self.credentials {
                if let CredentialAuth::BearerToken(b) = &c.auth
                    && b.token_payload == id
                {
                    out.push(format!(
                        "Credential {} uses it as its token payload",
                        named(&c.name, &c.id)
                    ));
                }
            }
        }
        out
    }

    /// What reads and writes the Variable `name`, in words, for a delete confirmation.
    pub fn variable_referrers(&self, name: &str) -> Vec<String> {
        let used = self.variable_use(name);
        let mut out = Vec::new();
        for i in &used.read_by_integrations {
            out.push(format!("Integration {} reads it", named(&i.name, &i.id)));
        }
        for p in &used.read_by_payloads {
            out.push(format!("Payload {} reads it", named(&p.name, &p.id)));
        }
        for (p, value) in &used.written_by {
            out.push(format!(
                "Payload {} writes it (value {value})",
                named(&p.name, &p.id)
            ));
        }
        out
    }

    /// Removes the Variable `name`. Templates that read it stay as they are: the caller checks
    /// the workspace still validates (a Data Target may still write it).
    pub fn remove_variable(&mut self, name: &str) -> Result<(), EditError> {
        if self.variable(name).is_none() {
            return Err(EditError::NoVariable(name.to_string()));
        }
        self.variables.retain(|v| v.name != name);
        Ok(())
    }

    /// Removes an Integration with its Credentials and Payloads; returns what was removed.
    pub fn remove_integration(&mut self, id: &str) -> Result<Vec<String>, EditError> {
        if self.integration(id).is_none() {
            return Err(EditError::NoIntegration(id.into()));
        }
        let mut removed = vec![format!("integration \"{id}\"")];
        removed.extend(
            self.credentials
                .iter()
                .filter(|c| c.integration == id)
                .map(|c| format!("credential \"{}\"", c.id)),
        );
        removed.extend(
            self.payloads
                .iter()
                .filter(|p| p.integration == id)
                .map(|p| format!("payload \"{}\"", p.id)),
        );
        self.integrations.retain(|i| i.id != id);
        self.credentials.retain(|c| c.integration != id);
        self.payloads.retain(|p| p.integration != id);
        Ok(removed)
    }

    /// Removes a Credential; a Bearer Token's token payload goes with it, and Payloads that used it
    /// are left without a Credential. Returns what was removed or changed.
    pub fn remove_credential(&mut self, id: &str) -> Result<Vec<String>, EditError> {
        let credential = self
            .credential(id)
            .ok_or_else(|| EditError::NoCredential(id.into()))?;
        let token_payload = match &credential.auth {
            CredentialAuth::BearerToken(b) => Some(b.token_payload.clone()),
            _ => None,
        };
        let mut changes = vec![format!("credential \"{id}\"")];
        if let Some(tp) = &token_payload
            && self
                .payload(tp)
                .is_some_and(|p| p.credential.as_deref() == Some(id))
        {
            changes.push(format!("payload \"{tp}\" (its token request)"));
            self.payloads.retain(|p| &p.id != tp);
        }
        for payload in &mut self.payloads {
            if payload.credential.as_deref() == Some(id) {
                payload.credential = None;
                // Data Targets into the removed Credential have nowhere to write.
                payload
                    .targets
                    .retain(|t| !matches!(t.target, Target::Credential(_)));
                changes.push(format!("payload \"{}\" now has no credential", payload.id));
            }
        }
        self.credentials.retain(|c| c.id != id);
        Ok(changes)
    }

    /// Removes a Payload. A Bearer Token's token payload is removed with its Credential instead.
    pub fn remove_payload(&mut self, id: &str) -> Result<(), EditError> {
        if self.payload(id).is_none() {
            return Err(EditError::NoPayload(id.into()));
        }
        for c in &self.credentials {
            if let CredentialAuth::BearerToken(b) = &c.auth
                && b.token_payload == id
            {
                return Err(EditError::TokenPayloadInUse {
                    payload: id.into(),
                    credential: c.id.clone(),
                });
            }
        }
        self.payloads.retain(|p| p.id != id);
        Ok(())
    }

    /// Copies a Payload right after the original, as `<id>-copy` named "<name> (copy)"; returns the
    /// new id.
    pub fn duplicate_payload(&mut self, id: &str) -> Result<String, EditError> {
        let index = self
            .payloads
            .iter()
            .position(|p| p.id == id)
            .ok_or_else(|| EditError::NoPayload(id.into()))?;
        let mut copy = self.payloads[index].clone();
        copy.id = self.unique_id(&format!("{id}-copy")).into();
        copy.name = format!("{} (copy)", copy.name);
        let new_id = copy.id.to_string();
        self.payloads.insert(index + 1, copy);
        Ok(new_id)
    }
}

/// A record as titles and dialogs name it: its name, with its id as secondary text
/// (`Sandbox API (sandbox)`); the id alone when the name is blank or the same.
pub fn named(name: &str, id: &str) -> String {
    if name.trim().is_empty() || name == id {
        id.to_string()
    } else {
        format!("{name} ({id})")
    }
}

impl BearerToken {
    /// A Bearer Token with no client and no tokens yet, whose tokens `token_payload` requests.
    /// With [`token_payload`], the one way a Bearer Token Credential is made (the TUI's form,
    /// [`Workspace::add_bearer_credential`], the tests).
    pub fn empty(token_payload: impl Into<PayloadId>) -> BearerToken {
        BearerToken {
            client_id: String::new(),
            client_secret: String::new(),
            access_token: String::new(),
            refresh_token: String::new(),
            access_token_duration_minutes: default_token_minutes(),
            obtained_at: None,
            expires_at: None,
            token_payload: token_payload.into(),
            login: None,
            fallback_to_client_credentials: false,
        }
    }
}

/// The Credential Payload `id` of a new Bearer Token `credential`: a standard OAuth 2 refresh
/// request, linked to the Credential.
pub fn token_payload(id: &str, credential: &Credential) -> Payload {
    let credential_name = &credential.name;
    let integration = credential.integration.as_str();
    let credential = credential.id.as_str();
    let field = |name: &str, value: &str| KeyValue::new(name, value);
    let json = |name: &str| ResponseValue {
        name: name.to_string(),
        source: ValueSource::JsonPath(format!("$.{name}")),
    };
    let write = |value: &str, field: CredentialField| DataTarget {
        value: value.to_string(),
        target: Target::Credential(field),
    };
    Payload {
        id: id.into(),
        name: format!("{credential_name} token request"),
        integration: integration.into(),
        kind: PayloadKind::Credential,
        description: String::new(),
        method: Method::POST,
        endpoint: "/oauth/token".to_string(),
        credential: Some(credential.into()),
        client_auth: ClientAuth::InBody,
        headers: Vec::new(),
        parameters: Vec::new(),
        body: Body::Form(vec![
            field("grant_type", "refresh_token"),
            field("refresh_token", "{{credential.refresh_token}}"),
            field("client_id", "{{credential.client_id}}"),
            field("client_secret", "{{credential.client_secret}}"),
        ]),
        response: vec![
            json("access_token"),
            json("refresh_token"),
            json("expires_in"),
        ],
        targets: vec![
            write("access_token", CredentialField::AccessToken),
            write("refresh_token", CredentialField::RefreshToken),
            write("expires_in", CredentialField::ExpiresIn),
        ],
        inputs: Vec::new(),
        timeout_secs: None,
    }
}
