//! `payloads jobs` and `payloads jobs show`, run as the real binary on a history written here.

use crate::common;
use crate::jobs_support;

use base64::Engine as _;
use jobs_support::job;
use payloads::jobs::{Job, JobStatus, JobStore, Redactor, Trigger};
use payloads::workspace::model::{ApiKey, BasicAuth, CredentialAuth, Variable, Workspace};
use std::path::{Path, PathBuf};
use std::process::Output;

const CLIENT_SECRET: &str = "cs-VERY/secret=1";
const ACCESS_TOKEN: &str = "at-old-0123456789";
const REFRESH_TOKEN: &str = "rt-old-9876543210";
const NEW_ACCESS_TOKEN: &str = "at-new-aaaabbbbcccc";
const NEW_REFRESH_TOKEN: &str = "rt-new-ddddeeeeffff";
const PASSWORD: &str = "hunter2:pass word";
const API_KEY: &str = "key-5555666677778888";
const SECRET_VAR: &str = "session-ABCDEF123";

/// Every secret in any form a leak could take.
fn secret_forms() -> Vec<String> {
    let mut forms = Vec::new();
    for secret in [
        CLIENT_SECRET,
        ACCESS_TOKEN,
        REFRESH_TOKEN,
        NEW_ACCESS_TOKEN,
        NEW_REFRESH_TOKEN,
        PASSWORD,
        API_KEY,
        SECRET_VAR,
    ] {
        forms.push(secret.to_string());
        forms.push(form_urlencoded::byte_serialize(secret.as_bytes()).collect());
    }
    forms.push(base64::engine::general_purpose::STANDARD.encode(format!("alice:{PASSWORD}")));
    forms
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in secret_forms() {
        assert!(
            !text.contains(&secret),
            "{what} shows the secret {secret}:\n{text}"
        );
    }
}

fn workspace() -> Workspace {
    let credential = |id: &str, auth| common::credential(id, auth).integration("sandbox").build();
    Workspace {
        credentials: vec![
            credential(
                "oauth",
                common::bearer_token("refresh-token")
                    .client("demo-client", CLIENT_SECRET)
                    .tokens(ACCESS_TOKEN, REFRESH_TOKEN)
                    .duration_minutes(5)
                    .auth(),
            ),
            credential(
                "basic",
                CredentialAuth::Basic(BasicAuth {
                    username: "alice".into(),
                    password: PASSWORD.into(),
                }),
            ),
            credential(
                "key",
                CredentialAuth::ApiKey(ApiKey {
                    header: "x-api-key".into(),
                    value: API_KEY.into(),
                }),
            ),
        ],
        variables: vec![Variable {
            name: "session".into(),
            value: SECRET_VAR.into(),
            secret: true,
        }],
        ..Workspace::default()
    }
}

/// A token refresh Job as the runner sees it before redaction: secrets everywhere.
fn raw_refresh_job() -> Job {
    let mut refresh = job("20261128-133744-000001", -1000);
    refresh.payload = "refresh-token".into();
    refresh.trigger = Trigger::RefreshFor("20261128-133745-00beef".into());
    refresh.linked_job = Some("20261128-133745-00beef".into());
    let request = refresh.request.as_mut().unwrap();
    request.method = "POST".into();
    request.url = "http://127.0.0.1:8787/oauth/token".into();
    request.headers = vec![
        (
            "content-type".into(),
            "application/x-www-form-urlencoded".into(),
        ),
        ("x-api-key".into(), API_KEY.into()),
    ];
    request.body = Some(format!(
        "grant_type=refresh_token&refresh_token={REFRESH_TOKEN}&client_id=demo-client&client_secret={}",
        form_urlencoded::byte_serialize(CLIENT_SECRET.as_bytes()).collect::<String>()
    ));
    let response = refresh.response.as_mut().unwrap();
    response.body = format!(
        r#"{{"access_token":"{NEW_ACCESS_TOKEN}","token_type":"Bearer","refresh_token":"{NEW_REFRESH_TOKEN}","expires_in":300}}"#
    );
    refresh.extracted = vec![
        ("access_token".into(), NEW_ACCESS_TOKEN.into()),
        ("refresh_token".into(), NEW_REFRESH_TOKEN.into()),
    ];
    refresh.targets = vec![];
    refresh.steps[1].text = format!("sent refresh_token {REFRESH_TOKEN}");
    refresh
}

fn raw_business_job() -> Job {
    let mut business = job("20261128-133745-00beef", 0);
    business.request.as_mut().unwrap().headers = vec![
        ("accept".into(), "application/json".into()),
        ("authorization".into(), format!("Bearer {NEW_ACCESS_TOKEN}")),
        ("x-session".into(), SECRET_VAR.into()),
    ];
    business.inputs.push(("password".into(), PASSWORD.into()));
    business
}

struct Fixture {
    _dir: tempfile::TempDir,
    workspace: PathBuf,
    store: JobStore,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let workspace_path = dir.path().join("workspace.ron");
    let text = payloads::workspace::save::to_text(&workspace());
    std::fs::write(&workspace_path, text).unwrap();
    let store = JobStore::beside(&workspace_path);
    Fixture {
        workspace: workspace_path,
        store,
        _dir: dir,
    }
}

fn payloads(workspace: &Path, args: &[&str]) -> Output {
    crate::common::bin::payloads_on(workspace)
        .args(args)
        .output()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Records the two Jobs redacted as the runner does, and checks the file holds no secret.
fn record_redacted(fixture: &Fixture) {
    let mut redactor = Redactor::from_workspace(&workspace());
    redactor.add(NEW_ACCESS_TOKEN);
    for mut job in [raw_refresh_job(), raw_business_job()] {
        redactor.redact_job(&mut job);
        fixture.store.record(&job).unwrap();
        // The record as stored (it is compressed on disk, so read it back to look).
        let stored = fixture.store.get(&job.id).unwrap().unwrap();
        assert_no_secret("a stored Job", &serde_json::to_string(&stored).unwrap());
    }
    // The list columns are stored plain.
    for suffix in ["", "-wal"] {
        let path = format!("{}{suffix}", fixture.store.path().display());
        if let Ok(bytes) = std::fs::read(&path) {
            assert_no_secret("the Jobs database", &String::from_utf8_lossy(&bytes));
        }
    }
}

#[test]
fn jobs_lists_a_table_newest_first_without_secrets() {
    let fixture = fixture();
    record_redacted(&fixture);
    let output = payloads(&fixture.workspace, &["jobs"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert_no_secret("payloads jobs", &out);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    for column in [
        "ID",
        "TIME",
        "PAYLOAD",
        "STATUS",
        "HTTP",
        "DURATION",
        "LINKED JOB",
    ] {
        assert!(lines[0].contains(column), "{column} missing: {}", lines[0]);
    }
    assert!(lines[1].starts_with("20261128-133745-00beef  2026-11-28 13:37:45Z  list-contacts"));
    assert!(lines[1].contains("succeeded"));
    assert!(lines[1].contains("200"));
    assert!(lines[1].contains("120 ms"));
    assert!(lines[2].starts_with("20261128-133744-000001"));
    assert!(lines[2].contains("refresh-token"));
    assert!(
        lines[2].ends_with("20261128-133745-00beef"),
        "linked job shown"
    );

    let limited = payloads(&fixture.workspace, &["jobs", "--limit", "1", "--json"]);
    assert!(limited.status.success());
    let out = stdout(&limited);
    assert_no_secret("payloads jobs --json", &out);
    let jobs: Vec<Job> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].id, "20261128-133745-00beef");
}

#[test]
fn jobs_show_prints_everything_readable_and_no_secret() {
    let fixture = fixture();
    record_redacted(&fixture);

    let output = payloads(&fixture.workspace, &["jobs", "show", "20261128-133744"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert_no_secret("payloads jobs show", &out);
    for expected in [
        "Job 20261128-133744-000001",
        "Payload      refresh-token (integration sandbox)",
        "Status       succeeded",
        "Trigger      token refresh for Job 20261128-133745-00beef",
        "Linked job   20261128-133745-00beef",
        "Duration     120 ms in all, 80 ms on the wire",
        "Timeline\n  13:37:44.000  job created\n",
        "  POST http://127.0.0.1:8787/oauth/token\n",
        "grant_type=refresh_token&refresh_token=•••redacted•••&client_id=demo-client&client_secret=•••redacted•••",
        "  200 OK  (37 bytes)",
        "  content-type: application/json",
        "      \"token_type\": \"Bearer\",",
        "Extracted values\n  access_token = •••redacted•••",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }

    let business = payloads(&fixture.workspace, &["jobs", "show", "00beef"]);
    assert!(business.status.success(), "{}", stderr(&business));
    let out = stdout(&business);
    assert_no_secret("payloads jobs show", &out);
    for expected in [
        "  authorization: Bearer •••redacted•••",
        "  GET http://127.0.0.1:8787/api/contacts?page=1",
        "Inputs\n  contact_id = 42\n  password = •••redacted•••",
        "Data Targets\n  first_name → var first_name: Ada",
        "          \"name\": \"Ada\"",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }

    let json = payloads(&fixture.workspace, &["jobs", "show", "00beef", "--json"]);
    assert!(json.status.success());
    let shown: Job = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(shown.id, "20261128-133745-00beef");
    assert_no_secret("payloads jobs show --json", &stdout(&json));
}

#[test]
fn jobs_show_redacts_even_a_record_written_unredacted() {
    let fixture = fixture();
    let mut careless = raw_refresh_job();
    careless.status = JobStatus::Failed;
    careless.error = Some(format!(
        "server rejected {REFRESH_TOKEN} and {CLIENT_SECRET}"
    ));
    fixture.store.record(&careless).unwrap();

    for args in [
        &["jobs", "show", "000001"][..],
        &["jobs", "show", "000001", "--json"][..],
        &["jobs", "--json"][..],
        &["jobs"][..],
    ] {
        let output = payloads(&fixture.workspace, args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        assert_no_secret(&format!("{args:?}"), &stdout(&output));
        assert_no_secret(&format!("{args:?} stderr"), &stderr(&output));
    }
}

#[test]
fn unknown_and_ambiguous_ids_exit_2_and_an_empty_history_is_fine() {
    let fixture = fixture();
    let empty = payloads(&fixture.workspace, &["jobs"]);
    assert!(empty.status.success());
    assert_eq!(stdout(&empty), "");
    assert!(stderr(&empty).contains("no Jobs yet"), "{}", stderr(&empty));

    record_redacted(&fixture);
    let unknown = payloads(&fixture.workspace, &["jobs", "show", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("no Job with id \"nope\""),
        "{}",
        stderr(&unknown)
    );
    assert_eq!(stdout(&unknown), "");

    let ambiguous = payloads(&fixture.workspace, &["jobs", "show", "20261128"]);
    assert_eq!(ambiguous.status.code(), Some(2));
    let err = stderr(&ambiguous);
    assert!(err.contains("matches 2 Jobs"), "{err}");
    assert!(err.contains("20261128-133745-00beef") && err.contains("20261128-133744-000001"));
}
