//! The Job history database: round trip, upsert, lookups, retention, body cuts, concurrent
//! writers, the symlinked workspace.

use crate::jobs_support;

use jobs_support::{base_time, job};
use payloads::jobs::{Job, JobLimits, JobStatus, JobStore, Lookup, new_job_id};
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// What a listing holds of a Job: its list columns, no bodies, headers or timeline.
pub fn as_row(job: &Job) -> Job {
    let mut row = job.clone();
    row.inputs.clear();
    row.request = None;
    if let Some(response) = &mut row.response {
        response.headers.clear();
        response.body.clear();
        response.body_bytes = 0;
        response.truncated = false;
    }
    row.extracted.clear();
    row.targets.clear();
    row.steps.clear();
    row
}

fn ids(jobs: &[Job]) -> Vec<String> {
    jobs.iter().map(|j| j.id.to_string()).collect()
}

#[test]
fn a_job_round_trips_through_the_database_beside_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::beside(dir.path().join("workspace.ron"));
    assert_eq!(store.path(), dir.path().join("workspace.jobs.db"));
    assert!(store.list(10).unwrap().is_empty(), "no file yet: no Jobs");
    assert!(!store.path().exists(), "reading does not create the file");

    let original = job("20261128-133745-00000a", 0);
    store.record(&original).unwrap();

    assert_eq!(store.get(&original.id).unwrap(), Some(original.clone()));
    assert_eq!(store.list(10).unwrap(), vec![as_row(&original)]);
    // A second store (another process) reads the same.
    let other = JobStore::beside(dir.path().join("workspace.ron"));
    assert_eq!(other.get(&original.id).unwrap(), Some(original));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for suffix in ["", "-wal"] {
            let path = format!("{}{suffix}", store.path().display());
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{path} is private");
        }
    }
}

#[test]
fn recording_an_id_again_replaces_it_and_lookups_take_prefixes() {
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::beside(dir.path().join("ws.ron"));
    let mut running = job("20261128-133745-aaaa01", 0);
    running.status = JobStatus::Running;
    store.record(&running).unwrap();
    store.record(&job("20261128-133746-bbbb02", 1000)).unwrap();
    let mut finished = running.clone();
    finished.status = JobStatus::Failed;
    finished.error = Some("token refresh failed: invalid_grant\nsecond line".into());
    store.record(&finished).unwrap();

    let jobs = store.list(10).unwrap();
    assert_eq!(jobs.len(), 2);
    assert_eq!(jobs[0].id, "20261128-133746-bbbb02", "newest first");
    assert_eq!(jobs[1].status, JobStatus::Failed, "the last record wins");
    assert_eq!(
        jobs[1].error.as_deref(),
        Some("token refresh failed: invalid_grant"),
        "the list column holds the error's first line"
    );
    assert_eq!(store.size().unwrap().jobs, 2);

    assert_eq!(
        store.get("20261128-133745").unwrap(),
        Some(finished.clone())
    );
    assert_eq!(
        store.get("aaaa01").unwrap(),
        Some(finished),
        "a unique part of the id"
    );
    assert_eq!(
        store.find("20261128-13374").unwrap(),
        Lookup::Ambiguous(vec![
            "20261128-133746-bbbb02".into(),
            "20261128-133745-aaaa01".into()
        ])
    );
    assert_eq!(store.find("nope").unwrap(), Lookup::NotFound);
    assert_eq!(store.get("").unwrap(), None);
    // Text that means something to SQL is just text.
    assert_eq!(store.find("%").unwrap(), Lookup::NotFound);
    assert_eq!(store.find("' OR 1=1 --").unwrap(), Lookup::NotFound);
}

#[test]
fn the_history_keeps_the_newest_jobs_by_count_and_by_size() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        JobStore::beside(dir.path().join("workspace.ron")).limits(),
        JobLimits {
            max_jobs: 10_000,
            max_bytes: 512 * 1024 * 1024,
            max_body_bytes: 1024 * 1024,
        }
    );
    let store = JobStore::open(
        dir.path().join("counted.jobs.db"),
        JobLimits {
            max_jobs: 50,
            ..JobLimits::default()
        },
    );
    for n in 0..120 {
        store
            .record(&job(&format!("job-{n:05}"), n * 1000))
            .unwrap();
    }
    let listed = store.list(usize::MAX).unwrap();
    assert_eq!(listed.len(), 50);
    assert_eq!(listed[0].id, "job-00119");
    assert_eq!(listed[49].id, "job-00070");
    assert_eq!(store.size().unwrap().jobs, 50);

    // A byte budget of about ten incompressible bodies keeps about ten Jobs.
    let store = JobStore::open(
        dir.path().join("sized.jobs.db"),
        JobLimits {
            max_bytes: 10 * 20_000,
            ..JobLimits::default()
        },
    );
    for n in 0..40 {
        let mut j = job(&format!("big-{n:05}"), n * 1000);
        j.response.as_mut().unwrap().body = noise(n as u64, 20_000);
        store.record(&j).unwrap();
    }
    let size = store.size().unwrap();
    assert!(size.bytes <= 10 * 20_000, "{size:?}");
    assert!((8..=12).contains(&size.jobs), "{size:?}");
    let listed = store.list(usize::MAX).unwrap();
    assert_eq!(listed[0].id, "big-00039", "the newest stay");
}

/// Text that does not compress: a body's stored size is its length.
fn noise(seed: u64, len: usize) -> String {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(b'!' + (x % 90) as u8)
        })
        .collect()
}

#[test]
fn bodies_are_kept_up_to_the_response_cap_and_stored_compressed() {
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::beside(dir.path().join("workspace.ron"));
    let mut big = job("20261128-133745-b16b16", 0);
    let body = "é".repeat(750 * 1024); // 1.5 MiB, two bytes a char
    big.response.as_mut().unwrap().body = body.clone();
    big.response.as_mut().unwrap().body_bytes = body.len() as u64;
    big.request.as_mut().unwrap().body = Some("x".repeat(1024 * 1024 + 10));
    store.record(&big).unwrap();

    let stored = store.get(&big.id).unwrap().unwrap();
    let response = stored.response.unwrap();
    assert_eq!(response.body.len(), 1024 * 1024);
    assert!(response.truncated);
    assert_eq!(response.body_bytes, body.len() as u64);
    let request_body = stored.request.unwrap().body.unwrap();
    assert!(request_body.starts_with(&"x".repeat(1024 * 1024)));
    assert!(
        request_body.ends_with("[body cut: first 1048576 of 1048586 bytes kept]"),
        "{}",
        &request_body[1024 * 1024..]
    );
    let on_disk: u64 = ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", store.path().display())).ok())
        .map(|m| m.len())
        .sum();
    assert!(on_disk < 512 * 1024, "2 MiB of bodies took {on_disk} bytes");
}

#[test]
fn many_writers_in_two_stores_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.jobs.db");
    let stores = [
        Arc::new(JobStore::open(&path, JobLimits::default())),
        Arc::new(JobStore::open(&path, JobLimits::default())),
    ];
    let mut threads = Vec::new();
    for (s, store) in stores.iter().enumerate() {
        for t in 0..4 {
            let store = Arc::clone(store);
            threads.push(std::thread::spawn(move || {
                let mut ids = Vec::new();
                for n in 0..50 {
                    let mut j = job(&new_job_id(base_time()), 0);
                    j.response.as_mut().unwrap().body = format!("{s}-{t}-{n}-").repeat(500);
                    store.record(&j).unwrap();
                    ids.push(j.id);
                }
                ids
            }));
        }
    }
    let mut expected = HashSet::new();
    for thread in threads {
        expected.extend(thread.join().unwrap().into_iter().map(|id| id.to_string()));
    }
    let listed: HashSet<String> = ids(&stores[1].list(1000).unwrap()).into_iter().collect();
    assert_eq!(listed.len(), 400);
    assert_eq!(listed, expected);
}

#[test]
fn concurrent_writers_and_trimming_keep_exactly_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.jobs.db");
    let limits = JobLimits {
        max_jobs: 50,
        ..JobLimits::default()
    };
    let stores = [
        Arc::new(JobStore::open(&path, limits)),
        Arc::new(JobStore::open(&path, limits)),
    ];
    let clock = Arc::new(AtomicI64::new(0));
    let mut threads = Vec::new();
    for store in &stores {
        for _ in 0..3 {
            let store = Arc::clone(store);
            let clock = Arc::clone(&clock);
            threads.push(std::thread::spawn(move || {
                for _ in 0..100 {
                    let at = clock.fetch_add(1, Ordering::SeqCst);
                    store.record(&job(&format!("job-{at:05}"), at)).unwrap();
                }
            }));
        }
    }
    for thread in threads {
        thread.join().unwrap();
    }
    // Trimming skips a write that finds another writer busy; the next write catches up.
    stores[0].record(&job("job-99999", 99_999)).unwrap();
    let listed = ids(&stores[0].list(usize::MAX).unwrap());
    assert_eq!(listed.len(), 50, "{listed:?}");
    assert_eq!(listed[0], "job-99999");
    let mut newest: Vec<String> = (551..600).rev().map(|at| format!("job-{at:05}")).collect();
    newest.insert(0, "job-99999".into());
    assert_eq!(listed, newest);
}

#[test]
fn a_workspace_reached_through_a_symlink_shares_the_real_files_history() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    std::fs::create_dir(&real).unwrap();
    std::fs::write(real.join("workspace.ron"), "()").unwrap();
    let link = dir.path().join("linked.ron");
    std::os::unix::fs::symlink(real.join("workspace.ron"), &link).unwrap();
    let through_link = payloads::jobs::JobStore::beside(&link);
    let direct = payloads::jobs::JobStore::beside(real.join("workspace.ron"));
    assert_eq!(through_link.path(), direct.path());
    assert_eq!(
        direct.path(),
        std::fs::canonicalize(&real)
            .unwrap()
            .join("workspace.jobs.db")
    );
}

/// A succeeded Job that did not find some expected values keeps saying so in a list read back
/// from the database (the Jobs pane's `!`), also in a history written before that column.
#[test]
fn missing_values_survive_the_list_and_an_older_database_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::beside(dir.path().join("workspace.ron"));
    let with_missing = |id: &str, offset_ms: i64| {
        let mut j = job(id, offset_ms);
        let response = j.response.as_mut().expect("the fixture Job has a response");
        response.missing_values = vec![("contact_id".into(), "$.contacts[0].id".into())];
        j
    };
    let first = with_missing("20261128-133745-m00001", 0);
    store.record(&first).unwrap();
    let listed = store.list(10).unwrap();
    assert_eq!(
        listed[0].response.as_ref().unwrap().missing_values,
        first.response.as_ref().unwrap().missing_values
    );

    // The history as the previous schema wrote it: no column, version 1.
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    conn.execute_batch("ALTER TABLE jobs DROP COLUMN missing; PRAGMA user_version = 1;")
        .unwrap();
    drop(conn);
    let store = JobStore::beside(dir.path().join("workspace.ron"));
    let listed = store.list(10).unwrap();
    assert_eq!(
        ids(&listed),
        vec![first.id.to_string()],
        "the old row is kept"
    );
    assert!(
        listed[0]
            .response
            .as_ref()
            .unwrap()
            .missing_values
            .is_empty()
    );
    let second = with_missing("20261128-133746-m00002", 1000);
    store.record(&second).unwrap();
    let listed = store.list(10).unwrap();
    let row = listed.iter().find(|j| j.id == second.id).unwrap();
    assert_eq!(row.response.as_ref().unwrap().missing_values.len(), 1);
}
