//! Job ids: `20261128-133745-a1b2c3`, sortable by creation time and unique across processes.

use super::record::JobId;
use chrono::{DateTime, Utc};
use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// How many hex digits follow the time.
const SUFFIX_DIGITS: usize = 6;

/// A new Job id: the UTC time to the second, then a suffix that counts up within this process
/// from a random start, so ids never repeat within a process and very rarely across processes.
pub fn new_job_id(now: DateTime<Utc>) -> JobId {
    static START: OnceLock<u64> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let start = *START.get_or_init(|| {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u32(std::process::id());
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        hasher.write_u128(nanos);
        hasher.finish()
    });
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let suffix = start.wrapping_add(count) & ((1 << (4 * SUFFIX_DIGITS)) - 1);
    JobId::new(format!(
        "{}-{suffix:0width$x}",
        now.format("%Y%m%d-%H%M%S"),
        width = SUFFIX_DIGITS
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::collections::HashSet;

    #[test]
    fn ids_carry_the_time_and_never_repeat() {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 13, 37, 45).unwrap();
        let ids: Vec<JobId> = (0..10_000).map(|_| new_job_id(now)).collect();
        assert!(ids[0].starts_with("20261128-133745-"), "{}", ids[0]);
        assert_eq!(ids[0].len(), "20261128-133745-".len() + SUFFIX_DIGITS);
        let unique: HashSet<&JobId> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
        let later = new_job_id(now + chrono::Duration::seconds(1));
        assert!(later > ids[0]);
    }
}
