//! Single flight for token refreshes: one lock per Credential, held in this process and, through
//! an advisory lock file beside the workspace, across every Payloads process on that workspace, so
//! runs that need a refresh of the same Credential at the same time make one token request.

use crate::workspace::{Credential, CredentialAuth};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::OwnedMutexGuard;
use tokio_util::sync::CancellationToken;

/// How often a run waiting for another process's refresh tries the lock file again.
const LOCK_POLL: Duration = Duration::from_millis(10);

/// How long a run waits for another process's refresh. A token request has its own timeout, so
/// a lock held longer than this belongs to a process that is stuck.
pub const LOCK_WAIT: Duration = Duration::from_secs(120);

/// Per-Credential locks, made on first use and kept for the Runner's life (a workspace has few
/// Credentials).
#[derive(Debug)]
pub struct RefreshGate {
    workspace: PathBuf,
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// The right to refresh one Credential, in this process and in every other one; let go on drop.
#[derive(Debug)]
pub struct RefreshGuard {
    // The file lock is released first: another process may go on while this one tidies up.
    _file: Option<File>,
    _in_process: OwnedMutexGuard<()>,
}

#[derive(Debug, PartialEq)]
pub enum GateError {
    Cancelled,
    Failed(String),
}

impl RefreshGate {
    /// A gate whose lock files live beside the workspace file at `workspace`.
    pub fn beside(workspace: &Path) -> RefreshGate {
        RefreshGate {
            workspace: workspace.to_path_buf(),
            locks: Mutex::default(),
        }
    }

    /// `.<workspace file name>.refresh-<credential id>.lock`, beside the workspace.
    pub fn lock_path(&self, credential_id: &str) -> PathBuf {
        // Beside the file a symlink points at, so runs reaching it through different links share it.
        let workspace = crate::workspace::save::real_path(&self.workspace);
        let name = workspace
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "workspace".to_string());
        let id: String = credential_id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        workspace.with_file_name(format!(".{name}.refresh-{id}.lock"))
    }

    /// Waits for the right to refresh `credential_id`: first among this process's runs, then among
    /// processes. `on_wait` is called once if another process holds it. Whoever holds it must
    /// re-read the Credential from the file before refreshing: the previous holder may have
    /// refreshed it already.
    pub async fn acquire(
        &self,
        credential_id: &str,
        cancel: &CancellationToken,
        on_wait: impl FnOnce(),
    ) -> Result<RefreshGuard, GateError> {
        let lock = {
            let mut locks = self.locks.lock().unwrap_or_else(|e| e.into_inner());
            locks.entry(credential_id.to_string()).or_default().clone()
        };
        let in_process = tokio::select! {
            _ = cancel.cancelled() => return Err(GateError::Cancelled),
            guard = lock.lock_owned() => guard,
        };
        let file = self.lock_file(credential_id, cancel, on_wait).await?;
        Ok(RefreshGuard {
            _file: file,
            _in_process: in_process,
        })
    }

    /// Takes the advisory lock on the Credential's lock file, polling so that no runtime thread
    /// blocks and a cancel is seen at once. `None` where the file system has no locks.
    async fn lock_file(
        &self,
        credential_id: &str,
        cancel: &CancellationToken,
        on_wait: impl FnOnce(),
    ) -> Result<Option<File>, GateError> {
        let path = self.lock_path(credential_id);
        let failed = |e: &dyn std::fmt::Display| {
            GateError::Failed(format!(
                "could not lock {} to refresh Credential {credential_id}: {e}",
                path.display()
            ))
        };
        let mut options = OpenOptions::new();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path).map_err(|e| failed(&e))?;
        let deadline = Instant::now() + LOCK_WAIT;
        let mut on_wait = Some(on_wait);
        let mut poll = tokio::time::interval(LOCK_POLL);
        poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Some(file)),
                Err(TryLockError::WouldBlock) => {}
                // Some file systems have no locks; the in-process lock still orders our own runs.
                Err(TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
                    return Ok(None);
                }
                Err(TryLockError::Error(e)) => return Err(failed(&e)),
            }
            if let Some(on_wait) = on_wait.take() {
                on_wait();
            }
            if Instant::now() >= deadline {
                return Err(failed(&format_args!(
                    "another Payloads process has held it for {} s; is one stuck?",
                    LOCK_WAIT.as_secs()
                )));
            }
            tokio::select! {
                _ = cancel.cancelled() => return Err(GateError::Cancelled),
                _ = poll.tick() => {}
            }
        }
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
                expires_at: None,
                token_payload: "p".into(),
                login: None,
                fallback_to_client_credentials: false,
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

    fn gate() -> (tempfile::TempDir, Arc<RefreshGate>) {
        let dir = tempfile::tempdir().unwrap();
        let gate = RefreshGate::beside(&dir.path().join("workspace.ron"));
        (dir, Arc::new(gate))
    }

    #[tokio::test]
    async fn one_holder_at_a_time_per_credential() {
        let (_dir, gate) = gate();
        let never = CancellationToken::new();
        let held = gate.acquire("a", &never, || {}).await.unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let meta = std::fs::metadata(gate.lock_path("a")).unwrap();
            assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        }
        // Another Credential is not blocked.
        let _other = gate.acquire("b", &never, || {}).await.unwrap();
        let waiting = {
            let gate = gate.clone();
            tokio::spawn(async move {
                gate.acquire("a", &CancellationToken::new(), || {})
                    .await
                    .map(|_| ())
            })
        };
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        drop(held);
        tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("the second holder gets the lock once the first lets go")
            .unwrap()
            .unwrap();
    }

    #[tokio::test]
    async fn a_lock_file_held_elsewhere_is_waited_for_and_cancel_stops_the_wait() {
        let (dir, gate) = gate();
        let path = gate.lock_path("sandbox-oauth");
        assert_eq!(
            path,
            dir.path().join(".workspace.ron.refresh-sandbox-oauth.lock")
        );
        // Another open file description stands for another process: flock locks conflict.
        let other_process = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .unwrap();
        other_process.lock().unwrap();

        let cancel = CancellationToken::new();
        let (told_tx, told_rx) = tokio::sync::oneshot::channel();
        let waiting = {
            let (gate, cancel) = (gate.clone(), cancel.clone());
            tokio::spawn(async move {
                gate.acquire("sandbox-oauth", &cancel, move || {
                    let _ = told_tx.send(());
                })
                .await
                .map(|_| ())
            })
        };
        tokio::time::timeout(Duration::from_secs(5), told_rx)
            .await
            .expect("the waiter says it waits")
            .unwrap();
        assert!(!waiting.is_finished());
        cancel.cancel();
        let outcome = tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("a cancel ends the wait")
            .unwrap();
        assert_eq!(outcome, Err(GateError::Cancelled));

        // Once the other process lets go, the lock is ours.
        let waiting = {
            let gate = gate.clone();
            tokio::spawn(async move {
                gate.acquire("sandbox-oauth", &CancellationToken::new(), || {})
                    .await
                    .map(|_| ())
            })
        };
        tokio::task::yield_now().await;
        other_process.unlock().unwrap();
        tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("the lock is taken once free")
            .unwrap()
            .unwrap();
    }
}
