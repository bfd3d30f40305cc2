//! Typed workspace edits the TUI commits: each is applied to the App's copy at once and to the
//! store off the UI thread, so both sides apply exactly the same change.

use crate::workspace::{Credential, CredentialAuth, EditError, Payload, Variable, Workspace};

/// Which record a key press is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Integration,
    Credential,
    Payload,
    /// A workspace Variable, keyed by its name.
    Variable,
}

impl RecordKind {
    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Integration => "Integration",
            RecordKind::Credential => "Credential",
            RecordKind::Payload => "Payload",
            RecordKind::Variable => "Variable",
        }
    }

    /// The indefinite article before [`RecordKind::label`].
    pub fn article(self) -> &'static str {
        match self {
            RecordKind::Integration => "an",
            RecordKind::Credential | RecordKind::Payload | RecordKind::Variable => "a",
        }
    }
}

/// Why an edit no longer fits the workspace it is applied to (another program or an earlier
/// edit changed it meanwhile); the workspace is left as it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditRefused {
    #[error("{} {} with id {id} already exists", kind.article(), kind.label())]
    IdTaken { kind: RecordKind, id: String },
    #[error("the {} {id} no longer exists", kind.label())]
    Gone { kind: RecordKind, id: String },
    #[error(transparent)]
    Workspace(#[from] EditError),
}

/// One committed change to the workspace.
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
        /// A new Token Payload to add, or the Credential's own one as its form changed it.
        token_payload: Option<Payload>,
        /// Bearer token fields the user left alone in the form.
        kept: KeptTokenFields,
    },
    Payload {
        original: Option<String>,
        payload: Payload,
    },
    /// Creates a Payload with the Credential it uses (from a pasted curl command).
    PayloadWithCredential {
        payload: Payload,
        credential: Credential,
    },
    /// Creates or replaces (by its name before the edit) a workspace Variable.
    Variable {
        original: Option<String>,
        variable: Variable,
    },
    Delete {
        kind: RecordKind,
        id: String,
    },
}

/// Which token fields of a Bearer Token Credential the user left alone while editing it.
///
/// A refresh (in this process or another) may write new tokens while the form is open. The edit
/// is applied inside the store's locked update, after it has caught up with the file, so the
/// fields named here take the newest saved values there: a save never puts back a refresh token
/// the server has already rotated away.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeptTokenFields {
    pub access_token: bool,
    pub refresh_token: bool,
    pub duration: bool,
}

impl KeptTokenFields {
    fn take_newest(&self, saved: &CredentialAuth, edited: &mut CredentialAuth) {
        let (CredentialAuth::BearerToken(saved), CredentialAuth::BearerToken(edited)) =
            (saved, edited)
        else {
            return;
        };
        if self.access_token {
            edited.access_token = saved.access_token.clone();
            // The time a token was obtained belongs to that token.
            edited.obtained_at = saved.obtained_at;
            edited.expires_at = saved.expires_at;
        }
        if self.refresh_token {
            edited.refresh_token = saved.refresh_token.clone();
        }
        if self.duration {
            edited.access_token_duration_minutes = saved.access_token_duration_minutes;
        }
    }
}

impl Edit {
    /// Applies the edit; refuses (leaving `ws` as it was) when it no longer fits, e.g. the id was
    /// taken in the meantime.
    pub fn apply(&self, ws: &mut Workspace) -> Result<(), EditRefused> {
        let mut next = ws.clone();
        self.apply_in_place(&mut next)?;
        *ws = next;
        Ok(())
    }

    fn apply_in_place(&self, ws: &mut Workspace) -> Result<(), EditRefused> {
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
                    RecordKind::Integration,
                )
            }
            Edit::Credential {
                original,
                credential,
                token_payload,
                kept,
            } => {
                if let Some(payload) = token_payload {
                    match ws.payloads.iter_mut().find(|p| p.id == payload.id) {
                        None => ws.payloads.push(payload.clone()),
                        // The Credential form changed its token request: the endpoint, the
                        // client authentication and the grant's body, nothing else of it.
                        Some(saved) => {
                            saved.endpoint = payload.endpoint.clone();
                            saved.client_auth = payload.client_auth;
                            saved.body = payload.body.clone();
                        }
                    }
                }
                let mut credential = credential.clone();
                let saved = original.as_deref().and_then(|id| ws.credential(id));
                if let Some(saved) = saved {
                    kept.take_newest(&saved.auth, &mut credential.auth);
                }
                upsert(
                    &mut ws.credentials,
                    original.as_deref(),
                    credential,
                    |c| &c.id,
                    RecordKind::Credential,
                )
            }
            Edit::Payload { original, payload } => upsert(
                &mut ws.payloads,
                original.as_deref(),
                payload.clone(),
                |p| &p.id,
                RecordKind::Payload,
            ),
            Edit::PayloadWithCredential {
                payload,
                credential,
            } => {
                upsert(
                    &mut ws.credentials,
                    None,
                    credential.clone(),
                    |c| &c.id,
                    RecordKind::Credential,
                )?;
                upsert(
                    &mut ws.payloads,
                    None,
                    payload.clone(),
                    |p| &p.id,
                    RecordKind::Payload,
                )
            }
            Edit::Variable { original, variable } => upsert(
                &mut ws.variables,
                original.as_deref(),
                variable.clone(),
                |v| &v.name,
                RecordKind::Variable,
            ),
            Edit::Delete { kind, id } => remove(ws, *kind, id),
        }
    }
}

fn upsert<T>(
    list: &mut Vec<T>,
    original: Option<&str>,
    record: T,
    id_of: impl Fn(&T) -> &str,
    kind: RecordKind,
) -> Result<(), EditRefused> {
    let new_id = id_of(&record).to_string();
    match original {
        None => {
            if list.iter().any(|r| id_of(r) == new_id) {
                return Err(EditRefused::IdTaken { kind, id: new_id });
            }
            list.push(record);
        }
        Some(original) => {
            let Some(slot) = list.iter_mut().find(|r| id_of(r) == original) else {
                return Err(EditRefused::Gone {
                    kind,
                    id: original.to_string(),
                });
            };
            *slot = record;
        }
    }
    Ok(())
}

pub use crate::workspace::edit::named;

/// A record of the workspace named for a dialog (`named`), or its id when it is gone.
pub fn named_record(ws: &Workspace, kind: RecordKind, id: &str) -> String {
    let name = match kind {
        RecordKind::Integration => ws.integration(id).map(|r| r.name.as_str()),
        RecordKind::Credential => ws.credential(id).map(|r| r.name.as_str()),
        RecordKind::Payload => ws.payload(id).map(|r| r.name.as_str()),
        // A Variable's name is its key.
        RecordKind::Variable => None,
    };
    named(name.unwrap_or(""), id)
}

/// What else in the workspace points at a record, in words, for the delete confirmation.
pub fn referrers(ws: &Workspace, kind: RecordKind, id: &str) -> Vec<String> {
    match kind {
        RecordKind::Variable => ws.variable_referrers(id),
        _ => ws.referrers(id),
    }
}

/// Deletes a record the way the workspace layer does: owned records go with it, references to it
/// are cleared, and a Token Payload is refused (it goes with its Credential).
fn remove(ws: &mut Workspace, kind: RecordKind, id: &str) -> Result<(), EditRefused> {
    match kind {
        RecordKind::Integration => ws.remove_integration(id).map(|_| ()),
        RecordKind::Credential => ws.remove_credential(id).map(|_| ()),
        RecordKind::Payload => ws.remove_payload(id),
        RecordKind::Variable => ws.remove_variable(id),
    }
    .map_err(EditRefused::from)
}

/// `base` made into an id no record uses yet: `base`, `base-2`, …
pub fn unique_id(ws: &Workspace, base: &str) -> String {
    ws.unique_id(base)
}

/// A valid id made from a display name: `Sandbox OAuth` → `sandbox-oauth`, `A - B` → `a-b`
/// (one `-` for each run of other characters, dashes included).
pub fn slug(name: &str) -> String {
    let id = crate::workspace::validate::to_id(name);
    let mut slug = String::with_capacity(id.len());
    for c in id.chars() {
        if !(c == '-' && slug.ends_with('-')) {
            slug.push(c);
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::edit::token_payload;
    use crate::workspace::{BearerToken, CredentialAuth, Integration, PayloadKind};

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
            auth: CredentialAuth::BearerToken(BearerToken::empty("oauth-token")),
        };
        ws.payloads.push(token_payload("oauth-token", &credential));
        ws.credentials.push(credential);
        let mut call = token_payload("call", &ws.credentials[0]);
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
                "Payload OAuth token request (oauth-token) is its token request",
                "Payload OAuth token request (call) uses it"
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
        assert_eq!(
            err,
            EditRefused::IdTaken {
                kind: RecordKind::Integration,
                id: "api".into()
            }
        );
        assert_eq!(err.to_string(), "an Integration with id api already exists");
        assert_eq!(ws, before);
    }

    #[test]
    fn unique_ids_and_slugs() {
        let ws = workspace_with_bearer();
        assert_eq!(unique_id(&ws, "api"), "api-2");
        assert_eq!(unique_id(&ws, "fresh"), "fresh");
        assert_eq!(slug("  Sandbox OAuth (v2) "), "sandbox-oauth-v2");
    }

    #[test]
    fn a_token_payload_goes_only_with_its_credential() {
        let mut ws = workspace_with_bearer();
        let err = Edit::Delete {
            kind: RecordKind::Payload,
            id: "oauth-token".into(),
        }
        .apply(&mut ws)
        .unwrap_err();
        assert!(
            matches!(
                err,
                EditRefused::Workspace(EditError::TokenPayloadInUse { .. })
            ),
            "{err}"
        );
    }
}
