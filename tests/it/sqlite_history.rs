//! The Jobs history database beyond round trips: the one-time import of an old `.jobs.jsonl`,
//! damaged files, filtered queries, statistics and pruning, through the store and the CLI.

use crate::jobs_support::{base_time, job};
use chrono::Duration;
use payloads::jobs::{
    Job, JobLimits, JobQuery, JobStatus, JobStore, StoreErrorKind, Trigger, status_from_label,
};
use proptest::prelude::*;
use std::path::Path;
use std::process::Output;
use std::sync::{Arc, Mutex};

fn payloads(workspace: &Path, args: &[&str]) -> Output {
    crate::common::bin::payloads_on(workspace)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A workspace file that loads (the CLI reads its secrets and settings).
fn workspace_in(dir: &Path, settings: &str) -> std::path::PathBuf {
    let path = dir.join("workspace.ron");
    std::fs::write(&path, format!("({settings})")).unwrap();
    path
}

fn a_job(id: &str, payload: &str, status: JobStatus, offset_ms: i64, duration: u64) -> Job {
    let mut j = job(id, offset_ms);
    j.payload = payload.into();
    j.status = status;
    j.duration_ms = Some(duration);
    if status == JobStatus::Failed {
        j.error = Some(format!("{payload} answered 500 Internal Server Error"));
        j.response.as_mut().unwrap().status = 500;
    }
    j
}

#[test]
fn an_old_jsonl_history_is_imported_once_counting_what_it_could_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = workspace_in(dir.path(), "");
    let old = dir.path().join("workspace.jobs.jsonl");
    let first = job("20261128-133745-000001", 0);
    let mut replaced = job("20261128-133746-000002", 1000);
    let mut lines = vec![
        serde_json::to_string(&first).unwrap(),
        serde_json::to_string(&replaced).unwrap(),
        "this is not json".to_string(),
    ];
    replaced.status = JobStatus::Failed;
    lines.push(serde_json::to_string(&replaced).unwrap());
    // A line torn by a crash: the last, without its end.
    let torn = serde_json::to_string(&job("20261128-133747-000003", 2000)).unwrap();
    lines.push(torn[..torn.len() / 2].to_string());
    std::fs::write(&old, lines.join("\n")).unwrap();

    let out = payloads(&workspace, &["jobs", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("imported 3 Jobs from")
            && stderr.contains("2 unreadable lines (cut short or not a Job) skipped")
            && stderr.contains("workspace.jobs.jsonl.imported"),
        "{stderr}"
    );
    let listed: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["id"], "20261128-133746-000002");
    assert_eq!(listed[0]["status"], "Failed", "the last line of an id wins");
    assert!(!old.exists(), "the old file is renamed");
    assert!(dir.path().join("workspace.jobs.jsonl.imported").exists());

    // Once: the next command finds nothing to import and says nothing of it.
    let again = payloads(&workspace, &["jobs"]);
    assert!(
        !text(&again.stderr).contains("imported"),
        "{}",
        text(&again.stderr)
    );
    let store = JobStore::beside(&workspace);
    assert_eq!(store.get(&first.id).unwrap(), Some(first));
}

#[test]
fn a_damaged_database_is_reported_once_then_moved_aside_never_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = workspace_in(dir.path(), "");
    let db = dir.path().join("workspace.jobs.db");
    let garbage = b"this was never a database, but someone's notes. ".repeat(200);
    std::fs::write(&db, &garbage).unwrap();

    let store = JobStore::beside(&workspace);
    let heard = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&heard);
    store.on_failure(move |m| sink.lock().unwrap().push(m.to_string()));
    for n in 0..3 {
        let e = store.record(&job(&format!("job-{n}"), n)).unwrap_err();
        assert_eq!(e.kind(), StoreErrorKind::Damaged, "{e}");
    }
    let heard = heard.lock().unwrap().clone();
    assert_eq!(heard.len(), 1, "said once: {heard:?}");
    assert!(heard[0].contains("payloads jobs recover"), "{heard:?}");

    let listing = payloads(&workspace, &["jobs"]);
    assert_eq!(listing.status.code(), Some(2));
    let stderr = text(&listing.stderr);
    assert!(
        stderr.contains(&db.display().to_string()) && stderr.contains("payloads jobs recover"),
        "names the file and the way out: {stderr}"
    );

    let recovered = payloads(&workspace, &["jobs", "recover"]);
    assert_eq!(
        recovered.status.code(),
        Some(0),
        "{}",
        text(&recovered.stderr)
    );
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.display().to_string().contains(".jobs.db.damaged-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(std::fs::read(&aside[0]).unwrap(), garbage, "kept as it was");

    // A new history starts.
    store.record(&job("job-after", 10)).unwrap();
    assert_eq!(store.list(10).unwrap().len(), 1);
}

#[test]
fn a_read_only_database_is_reported_not_fatal() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let workspace = workspace_in(dir.path(), "");
    let store = JobStore::beside(&workspace);
    store.record(&job("job-0", 0)).unwrap();
    drop(store);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o500)).unwrap();
    std::fs::set_permissions(
        dir.path().join("workspace.jobs.db"),
        std::fs::Permissions::from_mode(0o400),
    )
    .unwrap();
    let writable = std::fs::OpenOptions::new()
        .write(true)
        .open(dir.path().join("workspace.jobs.db"))
        .is_ok();
    let store = JobStore::beside(&workspace);
    let result = store.record(&job("job-1", 1));
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    if writable {
        // Running as root: permissions do not stop writes, so there is nothing to see.
        return;
    }
    let e = result.unwrap_err();
    assert!(
        matches!(e.kind(), StoreErrorKind::ReadOnly | StoreErrorKind::Other),
        "{e:?}"
    );
    assert!(e.advice().contains("workspace.jobs.db"), "{}", e.advice());
}

/// Eight Jobs over two Payloads and two Integrations, a minute apart, oldest first.
fn history(dir: &Path) -> (std::path::PathBuf, JobStore) {
    let workspace = workspace_in(dir, "");
    let store = JobStore::beside(&workspace);
    let runs = [
        ("list-contacts", JobStatus::Succeeded, 100),
        ("list-contacts", JobStatus::Succeeded, 300),
        ("create-contact", JobStatus::Failed, 50),
        ("list-contacts", JobStatus::Failed, 900),
        ("list-contacts", JobStatus::Succeeded, 200),
        ("create-contact", JobStatus::Succeeded, 80),
        ("list-contacts", JobStatus::Succeeded, 400),
        ("create-contact", JobStatus::Succeeded, 70),
    ];
    for (n, (payload, status, ms)) in runs.into_iter().enumerate() {
        let mut j = a_job(
            &format!("20261128-13{n:02}00-00000{n}"),
            payload,
            status,
            n as i64 * 60_000,
            ms,
        );
        if payload == "create-contact" {
            j.integration = "crm".into();
        }
        store.record(&j).unwrap();
    }
    (workspace, store)
}

fn ids(store: &JobStore, query: JobQuery) -> Vec<String> {
    store
        .summaries(&query)
        .unwrap()
        .into_iter()
        .map(|s| s.id.into_string())
        .collect()
}

#[test]
fn queries_filter_by_payload_integration_status_time_and_text_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let (_, store) = history(dir.path());
    let all = ids(&store, JobQuery::default());
    assert_eq!(all.len(), 8);
    assert!(all.windows(2).all(|w| w[0] > w[1]), "newest first: {all:?}");
    let q = |f: fn(&mut JobQuery)| {
        let mut query = JobQuery::default();
        f(&mut query);
        ids(&store, query)
    };
    assert_eq!(q(|q| q.payload = Some("create-contact".into())).len(), 3);
    assert_eq!(q(|q| q.integration = Some("crm".into())).len(), 3);
    assert_eq!(
        q(|q| q.status = Some(JobStatus::Failed)),
        ["20261128-130300-000003", "20261128-130200-000002"]
    );
    assert_eq!(
        q(|q| q.since = Some(base_time() + Duration::minutes(6))),
        ["20261128-130700-000007", "20261128-130600-000006"]
    );
    // The `/` filter: part of an error, any case.
    assert_eq!(q(|q| q.text = Some("INTERNAL server".into())).len(), 2);
    assert_eq!(q(|q| q.text = Some("fail".into())).len(), 2, "a status");
    assert_eq!(q(|q| q.text = Some("%".into())).len(), 0, "no wildcards");
    assert_eq!(
        q(|q| {
            q.limit = Some(2);
            q.offset = 1;
        }),
        all[1..3]
    );
    // Streamed: stopping early reads no further.
    let mut seen = 0;
    store
        .each(&JobQuery::default(), |_| {
            seen += 1;
            seen < 3
        })
        .unwrap();
    assert_eq!(seen, 3);
}

#[test]
fn statistics_per_payload_count_rates_percentiles_and_the_last_failure() {
    let dir = tempfile::tempdir().unwrap();
    let (_, store) = history(dir.path());
    let stats = store.stats(&JobQuery::default()).unwrap();
    assert_eq!(stats.len(), 2);
    let list = stats.iter().find(|s| s.payload == "list-contacts").unwrap();
    assert_eq!((list.runs, list.succeeded, list.failed), (5, 4, 1));
    assert_eq!(list.success_rate, Some(0.8));
    // Durations 100, 200, 300, 400, 900: nearest rank.
    assert_eq!(list.p50_ms, Some(300));
    assert_eq!(list.p95_ms, Some(900));
    assert_eq!(list.max_ms, Some(900));
    let failure = list.last_failure.as_ref().unwrap();
    assert_eq!(failure.id, "20261128-130300-000003");
    assert_eq!(
        failure.reason,
        "list-contacts answered 500 Internal Server Error"
    );
    assert_eq!(
        list.recent,
        [
            (100, false),
            (300, false),
            (900, true),
            (200, false),
            (400, false)
        ],
        "oldest first, failures marked"
    );
    let since = store
        .stats(&JobQuery {
            payload: Some("create-contact".into()),
            since: Some(base_time() + Duration::minutes(5)),
            ..JobQuery::default()
        })
        .unwrap();
    assert_eq!(since.len(), 1);
    assert_eq!((since[0].runs, since[0].success_rate), (2, Some(1.0)));
    assert_eq!(since[0].last_failure, None);
}

#[test]
fn the_cli_lists_filters_counts_and_prunes() {
    let dir = tempfile::tempdir().unwrap();
    let (workspace, store) = history(dir.path());

    let table = payloads(
        &workspace,
        &["jobs", "--payload", "list-contacts", "--status", "failed"],
    );
    assert_eq!(table.status.code(), Some(0), "{}", text(&table.stderr));
    let out = text(&table.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("STATUS"),
        "{out}"
    );
    assert!(
        lines[1].starts_with("20261128-130300-000003")
            && lines[1].contains(" failed ")
            && lines[1].contains(" 500 "),
        "{out}"
    );

    let json = payloads(&workspace, &["jobs", "--integration", "crm", "--json"]);
    let rows: Vec<serde_json::Value> = text(&json.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r["integration"] == "crm"));
    assert!(rows[0].get("response").is_none(), "list columns only");

    let none = payloads(&workspace, &["jobs", "--since", "2099-01-01"]);
    assert_eq!(none.status.code(), Some(0));
    assert!(
        text(&none.stderr).contains("no Jobs match"),
        "{}",
        text(&none.stderr)
    );

    let bad = payloads(&workspace, &["jobs", "--status", "exploded"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("not a status"),
        "{}",
        text(&bad.stderr)
    );
    let bad = payloads(&workspace, &["jobs", "--since", "last tuesday"]);
    assert_eq!(bad.status.code(), Some(2));

    let stats = payloads(&workspace, &["jobs", "stats"]);
    let out = text(&stats.stdout);
    assert!(out.starts_with("PAYLOAD"), "{out}");
    let row = out
        .lines()
        .find(|l| l.starts_with("list-contacts"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        row.contains(" 5 ") && row.contains("80%") && row.contains("×"),
        "{row}"
    );
    let stats = payloads(
        &workspace,
        &["jobs", "stats", "--payload", "create-contact", "--json"],
    );
    let value: serde_json::Value = serde_json::from_str(text(&stats.stdout).trim()).unwrap();
    assert_eq!(value["runs"], 3);
    assert_eq!(value["p50_ms"], 70);

    let pruned = payloads(&workspace, &["jobs", "prune", "--keep", "5"]);
    assert_eq!(pruned.status.code(), Some(0), "{}", text(&pruned.stderr));
    assert!(
        text(&pruned.stdout).starts_with("removed 3 Jobs; 5 kept"),
        "{}",
        text(&pruned.stdout)
    );
    assert_eq!(store.size().unwrap().jobs, 5);
    // Cut at 5 min 30 s after the first Job: the three left from before then go.
    let old = (chrono::Utc::now() - base_time()).num_seconds() - 330;
    let pruned = payloads(
        &workspace,
        &["jobs", "prune", "--older-than", &format!("{old}s")],
    );
    assert!(
        text(&pruned.stdout).starts_with("removed 3 Jobs; 2 kept"),
        "{}",
        text(&pruned.stdout)
    );
}

#[test]
fn the_workspace_settings_set_the_retention() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = workspace_in(dir.path(), "settings: (keep_jobs: 3, keep_mib: 1)");
    let store = JobStore::beside(&workspace);
    for n in 0..6 {
        store.record(&job(&format!("job-{n}"), n)).unwrap();
    }
    // The store alone keeps the defaults; the CLI reads the settings and trims to them.
    assert_eq!(store.size().unwrap().jobs, 6);
    let pruned = payloads(&workspace, &["jobs", "prune"]);
    assert!(
        text(&pruned.stdout).starts_with("removed 3 Jobs; 3 kept"),
        "{}",
        text(&pruned.stdout)
    );
    let loaded = payloads::workspace::load(&workspace).unwrap();
    assert_eq!(
        JobLimits::from_settings(&loaded.settings),
        JobLimits {
            max_jobs: 3,
            max_bytes: 1024 * 1024,
            ..JobLimits::default()
        }
    );
    let zero = workspace_in(dir.path(), "settings: (keep_jobs: 0)");
    let check = payloads(&zero, &["check"]);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stdout));
}

#[test]
fn a_refresh_job_lists_as_one_with_its_trigger() {
    let dir = tempfile::tempdir().unwrap();
    let store = JobStore::beside(dir.path().join("workspace.ron"));
    let mut refresh = job("20261128-133744-000001", 0);
    refresh.trigger = Trigger::RefreshFor("20261128-133745-000002".into());
    store.record(&refresh).unwrap();
    let rows = store.summaries(&JobQuery::default()).unwrap();
    assert_eq!(rows[0].kind, "refresh");
    assert_eq!(rows[0].trigger, refresh.trigger);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever a person types into `/`, `--payload` or a status, the query answers (no SQL
    /// error, no panic), and a text filter only ever narrows.
    #[test]
    fn any_filter_text_is_answered(text in "\\PC{0,12}", payload in "\\PC{0,8}") {
        let dir = tempfile::tempdir().unwrap();
        let store = JobStore::beside(dir.path().join("workspace.ron"));
        store.record(&job("20261128-133745-000001", 0)).unwrap();
        let filtered = store.summaries(&JobQuery { text: Some(text.clone()), ..JobQuery::default() }).unwrap();
        prop_assert!(filtered.len() <= 1);
        let by_payload = store.summaries(&JobQuery { payload: Some(payload.into()), ..JobQuery::default() }).unwrap();
        prop_assert!(by_payload.len() <= 1);
        let _ = status_from_label(&text);
    }
}

#[test]
fn a_settings_record_survives_saves_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"(
    integrations: [
        (id: "crm", name: "CRM", base_url: "http://127.0.0.1:9"),
    ],
    // Keep a month of runs at most.
    settings: (
        keep_jobs:  5000,   // about a month
        keep_mib:   64,
    ),
)
"#;
    let path = dir.path().join("workspace.ron");
    std::fs::write(&path, text).unwrap();
    let store = payloads::workspace::WorkspaceStore::open(&path).unwrap();
    assert_eq!(
        store.snapshot().settings.keep_jobs,
        std::num::NonZeroUsize::new(5000)
    );
    store
        .update(|ws| ws.integrations[0].name = "Customer CRM".into())
        .unwrap();
    let after = std::fs::read_to_string(&path).unwrap();
    let (removed, added) = payloads::ronpatch::changed_lines(text, &after);
    assert_eq!(removed.len(), 1, "{after}");
    assert_eq!(added.len(), 1, "{after}");
    assert!(
        after.contains("        keep_jobs:  5000,   // about a month\n"),
        "{after}"
    );
}
