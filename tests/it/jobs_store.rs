//! The Job history file: round trip, upsert, bounds, body cuts, crash safety and concurrent writers.

use crate::jobs_support;

use jobs_support::{base_time, job};
use payloads::jobs::{JobLimits, JobStatus, JobStore, Lookup, new_job_id};
use std::collections::HashSet;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

fn lines_of(path: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_job_round_trips_through_the_file_beside_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::beside(dir.path().join("workspace.ron"));
    assert_eq!(store.path(), dir.path().join("workspace.jobs.jsonl"));
    assert!(store.list(10).unwrap().is_empty(), "no file yet: no Jobs");

    let original = job("20261128-133745-00000a", 0);
    store.record(&original).unwrap();

    assert_eq!(store.get(&original.id).unwrap(), Some(original.clone()));
    assert_eq!(store.list(10).unwrap(), vec![original.clone()]);
    // A second store (another process) reads the same.
    let other = JobStore::beside(dir.path().join("workspace.ron"));
    assert_eq!(other.get(&original.id).unwrap(), Some(original));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(store.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the Jobs file is private");
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
    finished.error = Some("token refresh failed: invalid_grant".into());
    store.record(&finished).unwrap();

    let jobs = store.list(10).unwrap();
    assert_eq!(jobs.len(), 2);
    assert_eq!(jobs[0].id, "20261128-133746-bbbb02", "newest first");
    assert_eq!(jobs[1], finished, "the last record of an id wins");

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
}

#[test]
fn the_history_keeps_the_newest_thousand_and_compacts_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::beside(dir.path().join("workspace.ron"));
    assert_eq!(store.limits(), JobLimits::default());
    let mut ids = Vec::new();
    for n in 0..1200 {
        let id = format!("job-{n:05}");
        store.record(&job(&id, n * 1000)).unwrap();
        ids.push(id);
    }
    let listed = store.list(usize::MAX).unwrap();
    assert_eq!(listed.len(), 1000);
    assert_eq!(listed[0].id, "job-01199");
    assert_eq!(listed[999].id, "job-00200");
    assert_eq!(store.list(5).unwrap().len(), 5);

    let lines = lines_of(store.path()).len();
    assert!(lines < 1200, "the file was compacted ({lines} lines)");
    assert!(
        lines <= 1100,
        "the file stays near the limit ({lines} lines)"
    );
    assert!(
        !dir.path().read_dir().unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("tmp")),
        "no temporary file is left behind"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(store.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "compaction keeps the file private");
    }
}

#[test]
fn bodies_are_cut_at_64_kib_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::beside(dir.path().join("workspace.ron"));
    let mut big = job("20261128-133745-b16b16", 0);
    let body = "é".repeat(50 * 1024); // 100 KiB, two bytes a char
    big.response.as_mut().unwrap().body = body.clone();
    big.response.as_mut().unwrap().body_bytes = body.len() as u64;
    big.request.as_mut().unwrap().body = Some("x".repeat(70_000));
    store.record(&big).unwrap();

    let stored = store.get(&big.id).unwrap().unwrap();
    let response = stored.response.unwrap();
    assert_eq!(response.body.len(), 64 * 1024);
    assert!(response.truncated);
    assert_eq!(response.body_bytes, 100 * 1024);
    let request_body = stored.request.unwrap().body.unwrap();
    assert!(request_body.starts_with(&"x".repeat(64 * 1024)));
    assert!(
        request_body.ends_with("[body cut: first 65536 of 70000 bytes kept]"),
        "{}",
        &request_body[64 * 1024..]
    );
    assert!(std::fs::metadata(store.path()).unwrap().len() < 140 * 1024);
}

#[test]
fn a_line_cut_short_by_a_crash_loses_only_that_job() {
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::beside(dir.path().join("workspace.ron"));
    for n in 0..3 {
        store.record(&job(&format!("job-{n}"), n)).unwrap();
    }
    // A crash half-way through writing the fourth record.
    let whole = serde_json::to_string(&job("job-3", 3)).unwrap();
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(store.path())
        .unwrap();
    file.write_all(&whole.as_bytes()[..whole.len() / 2])
        .unwrap();
    drop(file);

    let after_crash = JobStore::beside(dir.path().join("workspace.ron"));
    let ids: Vec<String> = after_crash
        .list(10)
        .unwrap()
        .into_iter()
        .map(|j| j.id.into_string())
        .collect();
    assert_eq!(ids, ["job-2", "job-1", "job-0"]);

    // The next record is not glued onto the broken line.
    after_crash.record(&job("job-4", 4)).unwrap();
    let ids: Vec<String> = after_crash
        .list(10)
        .unwrap()
        .into_iter()
        .map(|j| j.id.into_string())
        .collect();
    assert_eq!(ids, ["job-4", "job-2", "job-1", "job-0"]);
}

#[test]
fn two_processes_appending_at_once_never_interleave_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.jobs.jsonl");
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
                    // Big enough that a torn write would show.
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
        expected.extend(thread.join().unwrap());
    }
    let lines = lines_of(&path);
    assert_eq!(lines.len(), 400);
    for line in &lines {
        serde_json::from_str::<payloads::jobs::Job>(line).expect("every line is one whole Job");
    }
    let listed: HashSet<payloads::jobs::JobId> = stores[1]
        .list(1000)
        .unwrap()
        .into_iter()
        .map(|j| j.id)
        .collect();
    assert_eq!(listed, expected);
}

#[test]
fn concurrent_writers_and_compactions_keep_exactly_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.jobs.jsonl");
    let limits = JobLimits {
        max_jobs: 50,
        max_body_bytes: 1024,
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
                let mut made = Vec::new();
                for _ in 0..100 {
                    let at = clock.fetch_add(1, Ordering::SeqCst);
                    let j = job(&format!("job-{at:05}"), at);
                    store.record(&j).unwrap();
                    made.push(at);
                }
                made
            }));
        }
    }
    let mut all: Vec<i64> = Vec::new();
    for thread in threads {
        all.extend(thread.join().unwrap());
    }
    all.sort_unstable_by(|a, b| b.cmp(a));
    let newest: Vec<String> = all[..50].iter().map(|at| format!("job-{at:05}")).collect();
    let listed: Vec<String> = stores[0]
        .list(usize::MAX)
        .unwrap()
        .into_iter()
        .map(|j| j.id.into_string())
        .collect();
    assert_eq!(listed, newest, "no append was lost to a compaction");
    let lines = lines_of(&path);
    assert!(lines.len() <= 60, "compacted: {} lines", lines.len());
    for line in &lines {
        serde_json::from_str::<payloads::jobs::Job>(line).expect("every line is one whole Job");
    }
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
            .join("workspace.jobs.jsonl")
    );
}
