//! Single flight for token refreshes: one lock per Credential, so runs that need a refresh of the
//! same Credential at the same time make one token request and share its result.

use crate::workspace::{Credential, CredentialAuth};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::OwnedMutexGuard;

/// Per-Credential locks, made on first use and kept for the Runner's life (a workspace has few
/// Credentials).
#[derive(Debug, Default)]
pub struct RefreshGate {
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl RefreshGate {
    /// Waits for the right to refresh `credential_id`. Whoever holds it must re-read the
    /// Credential before refreshing: the previous holder may have refreshed it already.
    pub async fn acquire(&self, credential_id: &str) -> OwnedMutexGuard<()> {
        let lock = {
            let mut locks = self.locks.lock().expect("refresh gate lock");
            locks.entry(credential_id.to_string()).or_default().clone()
        };
        lock.lock_owned().await
    }
}

/// Why a run wants a refresh, which decides whether a refresh made meanwhile by another run is
/// good enough.
#[derive(Debug, Clone, PartialEq)]
pub enum RefreshReason {
    /// The token was blank or about to expire when the run looked.
    Expiring,
    /// The server refused this access token with a 401.
    Rejected(String),
    /// Asked for by the user: always refresh.
    Manual,
}

/// True when `credential` (re-read after the gate was acquired) still needs a refresh for `reason`.
pub fn still_needed(
    credential: &Credential,
    reason: &RefreshReason,
    now: DateTime<Utc>,
    margin: chrono::Duration,
) -> bool {
    let CredentialAuth::BearerToken(bearer) = &credential.auth else {
        return false;
    };
    match reason {
        RefreshReason::Manual => true,
        RefreshReason::Expiring => bearer.needs_refresh(now, margin),
        RefreshReason::Rejected(token) => {
            bearer.access_token == *token || bearer.needs_refresh(now, margin)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::BearerToken;

    fn bearer(token: &str, obtained: Option<DateTime<Utc>>) -> Credential {
        Credential {
            id: "c".into(),
            name: "c".into(),
            integration: "i".into(),
            description: String::new(),
            auth: CredentialAuth::BearerToken(BearerToken {
                client_id: "id".into(),
                client_secret: "s".into(),
                access_token: token.into(),
                refresh_token: "r".into(),
                access_token_duration_minutes: 60,
                obtained_at: obtained,
                token_payload: "p".into(),
            }),
        }
    }

    #[test]
    fn a_refresh_made_meanwhile_is_reused() {
        let now = Utc::now();
        let margin = chrono::Duration::seconds(30);
        let fresh = bearer("new", Some(now));
        assert!(!still_needed(&fresh, &RefreshReason::Expiring, now, margin));
        assert!(!still_needed(
            &fresh,
            &RefreshReason::Rejected("old".into()),
            now,
            margin
        ));
        assert!(still_needed(
            &fresh,
            &RefreshReason::Rejected("new".into()),
            now,
            margin
        ));
        assert!(still_needed(&fresh, &RefreshReason::Manual, now, margin));
        let stale = bearer("t", Some(now - chrono::Duration::seconds(59 * 60 + 45)));
        assert!(still_needed(&stale, &RefreshReason::Expiring, now, margin));
        assert!(still_needed(
            &bearer("", None),
            &RefreshReason::Expiring,
            now,
            margin
        ));
    }

    #[tokio::test]
    async fn one_holder_at_a_time_per_credential() {
        let gate = RefreshGate::default();
        let held = gate.acquire("a").await;
        // Another Credential is not blocked.
        let _other = gate.acquire("b").await;
        let gate = Arc::new(gate);
        let waiting = {
            let gate = gate.clone();
            tokio::spawn(async move { gate.acquire("a").await })
        };
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        drop(held);
        tokio::time::timeout(std::time::Duration::from_secs(5), waiting)
            .await
            .expect("the second holder gets the lock once the first lets go")
            .unwrap();
    }
}
