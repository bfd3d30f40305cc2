//! Stateless signed sandbox tokens: `sbx_at.<expiry>.<nonce>.<mac>` (access) and `sbx_rt.…`
//! (refresh), so a token from an earlier sandbox run keeps working until it expires.
//!
//! The "MAC" is a keyed FNV-1a hash under a fixed key built into the binary. That is NOT
//! cryptography: anyone with this source can forge a token. It is a sandbox for trying the product
//! offline; it only needs tokens that survive a restart and that typos or stale values fail.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The fixed sandbox signing key (public on purpose: see the module comment).
const SANDBOX_KEY: &[u8] = b"payloads-sandbox-key-v1: not a secret, not cryptography";

/// How long an issued refresh token stays usable (until it is used once).
pub const REFRESH_TOKEN_TTL: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// A well-known refresh token that every sandbox accepts for the demo client and never marks as
/// used, so a shipped demo workspace can start with the `refresh_token` grant on a fresh machine.
/// The tokens it is exchanged for rotate as usual.
pub const DEMO_REFRESH_TOKEN: &str = "sbx_rt.demo-seed";

/// Which of the two token kinds a string is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Access,
    Refresh,
}

impl TokenKind {
    fn prefix(self) -> &'static str {
        match self {
            TokenKind::Access => "sbx_at",
            TokenKind::Refresh => "sbx_rt",
        }
    }
}

/// A token whose signature checked out; it may still be expired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    pub kind: TokenKind,
    /// Unix seconds; the token is valid while now is before this.
    pub expires_at: u64,
    pub nonce: String,
}

impl VerifiedToken {
    pub fn is_expired(&self, now: SystemTime) -> bool {
        unix_seconds(now) >= self.expires_at
    }
}

/// Why a string is not a token this sandbox issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not of the `sbx_xx.<expiry>.<nonce>.<mac>` shape, or the signature does not match.
    Unknown,
    /// A valid token of the other kind (a refresh token sent as an access token, or back).
    WrongKind(TokenKind),
}

/// Mints an access token that expires at `expires_at` (tests use a past instant for an expired one).
pub fn issue_access_token(expires_at: SystemTime) -> String {
    issue(TokenKind::Access, unix_seconds(expires_at))
}

/// Mints a refresh token that expires at `expires_at`.
pub fn issue_refresh_token(expires_at: SystemTime) -> String {
    issue(TokenKind::Refresh, unix_seconds(expires_at))
}

fn issue(kind: TokenKind, expires_at: u64) -> String {
    let nonce = fresh_nonce();
    let body = format!("{}.{expires_at}.{nonce}", kind.prefix());
    let mac = mac(&body);
    format!("{body}.{mac}")
}

/// Checks shape and signature; expiry is the caller's decision.
pub fn verify(token: &str, expected: TokenKind) -> Result<VerifiedToken, TokenError> {
    let (body, mac_hex) = token.rsplit_once('.').ok_or(TokenError::Unknown)?;
    if !constant_time_eq(mac(body).as_bytes(), mac_hex.as_bytes()) {
        return Err(TokenError::Unknown);
    }
    let mut parts = body.splitn(3, '.');
    let (Some(prefix), Some(expiry), Some(nonce)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Unknown);
    };
    let kind = [TokenKind::Access, TokenKind::Refresh]
        .into_iter()
        .find(|k| k.prefix() == prefix)
        .ok_or(TokenError::Unknown)?;
    let expires_at = expiry.parse().map_err(|_| TokenError::Unknown)?;
    if kind != expected {
        return Err(TokenError::WrongKind(kind));
    }
    Ok(VerifiedToken {
        kind,
        expires_at,
        nonce: nonce.to_owned(),
    })
}

pub fn unix_seconds(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Compares without an early exit, so response timing does not leak how much of a secret matched.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// 128 unpredictable-enough bits: std's per-process random hasher keys over a counter.
pub(super) fn fresh_nonce() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let state = RandomState::new();
    let mut words = [0u64; 2];
    for (i, word) in words.iter_mut().enumerate() {
        let mut hasher = state.build_hasher();
        hasher.write_u64(count);
        hasher.write_usize(i);
        *word = hasher.finish();
    }
    format!("{:016x}{:016x}", words[0], words[1])
}

/// Keyed FNV-1a, twice with different keys, for 128 bits of "signature" (see the module comment).
fn mac(body: &str) -> String {
    let first = fnv1a(&[SANDBOX_KEY, b"|1|", body.as_bytes()]);
    let second = fnv1a(&[SANDBOX_KEY, b"|2|", body.as_bytes(), SANDBOX_KEY]);
    format!("{first:016x}{second:016x}")
}

fn fnv1a(chunks: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in chunks.iter().flat_map(|c| c.iter()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_an_hour() -> SystemTime {
        SystemTime::now() + Duration::from_secs(3600)
    }

    #[test]
    fn issued_tokens_verify_with_their_kind_and_expiry() {
        let at = issue_access_token(in_an_hour());
        let verified = verify(&at, TokenKind::Access).unwrap();
        assert_eq!(verified.kind, TokenKind::Access);
        assert_eq!(verified.expires_at, unix_seconds(in_an_hour()));
        assert!(!verified.is_expired(SystemTime::now()));
        assert!(at.starts_with("sbx_at."));
    }

    #[test]
    fn tampered_or_foreign_tokens_are_unknown() {
        let at = issue_access_token(in_an_hour());
        let later = unix_seconds(in_an_hour()) + 100;
        let mut parts: Vec<&str> = at.split('.').collect();
        let later = later.to_string();
        parts[1] = &later;
        assert_eq!(
            verify(&parts.join("."), TokenKind::Access),
            Err(TokenError::Unknown)
        );
        assert_eq!(
            verify("not-a-token", TokenKind::Access),
            Err(TokenError::Unknown)
        );
        assert_eq!(verify("", TokenKind::Access), Err(TokenError::Unknown));
    }

    #[test]
    fn the_other_kind_is_named() {
        let rt = issue_refresh_token(in_an_hour());
        assert_eq!(
            verify(&rt, TokenKind::Access),
            Err(TokenError::WrongKind(TokenKind::Refresh))
        );
    }

    #[test]
    fn each_token_is_distinct_and_expiry_is_checked() {
        let past = SystemTime::now() - Duration::from_secs(1);
        let a = issue_refresh_token(past);
        let b = issue_refresh_token(past);
        assert_ne!(a, b);
        assert!(
            verify(&a, TokenKind::Refresh)
                .unwrap()
                .is_expired(SystemTime::now())
        );
    }
}
