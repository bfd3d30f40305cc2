//! Two kinds of Payloads processes on one workspace file at once, as a user has them: a TUI
//! session (an in-process store and Runner, editing records) and headless `payloads run`s in other
//! shells. Nobody loses anybody's writes, the file always loads, and one refresh serves everyone.
#![expect(
    clippy::print_stderr,
    reason = "the figures of a concurrency run are worth seeing with --nocapture"
)]

use crate::common;

use common::{bearer, request};
use payloads::flow::{Runner, RunnerConfig};
use payloads::jobs::{JobStatus, JobStore};
use payloads::sandbox::{DEMO_REFRESH_TOKEN, SandboxConfig, SandboxHandle};
use payloads::workspace::{DataTarget, Target, Variable, Workspace, WorkspaceStore};
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

/// Generous: the whole round trip of several processes on a busy two-core machine.
const ROUND_LIMIT: Duration = Duration::from_secs(120);

async fn sandbox() -> SandboxHandle {
    payloads::sandbox::start(SandboxConfig {
        port: 0,
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

/// A copy of the shipped `workspace.ron` pointing at `sandbox`, changed by `edit`.
fn shipped_copy(
    dir: &Path,
    sandbox: &SandboxHandle,
    edit: impl FnOnce(String) -> String,
) -> PathBuf {
    let shipped = payloads::workspace::DEMO_WORKSPACE;
    assert!(shipped.contains("http://127.0.0.1:8787"));
    let path = dir.join("workspace.ron");
    std::fs::write(
        &path,
        edit(shipped.replace("http://127.0.0.1:8787", &sandbox.base_url())),
    )
    .unwrap();
    path
}

/// Starts `payloads --workspace PATH run ARGS…` in the background.
fn start_run(workspace: &Path, args: &[&str]) -> Child {
    crate::common::bin::payloads_on(workspace)
        .args(&["run"])
        .args(args)
        .command()
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("payloads starts")
}

fn wait_for_output(child: Child) -> JoinHandle<Output> {
    tokio::task::spawn_blocking(move || child.wait_with_output().expect("payloads runs"))
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The file as any reader sees it: it must load and validate.
fn load_checked(path: &Path, when: &str) -> Workspace {
    match WorkspaceStore::open(path) {
        Ok(store) => payloads::workspace::Workspace::clone(&store.snapshot()),
        Err(e) => panic!(
            "{when}: the workspace no longer loads: {e}\n{}",
            std::fs::read_to_string(path).unwrap_or_default()
        ),
    }
}

fn variable<'a>(ws: &'a Workspace, name: &str) -> Option<&'a str> {
    ws.variables
        .iter()
        .find(|v| v.name == name)
        .map(|v| v.value.as_str())
}

/// The id of the contact a `create-contact` response body created.
fn created_id(body: &str) -> String {
    let json: serde_json::Value =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("a JSON body ({e}): {body}"));
    json["id"]
        .as_str()
        .unwrap_or_else(|| panic!("an id in {body}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_and_headless_runs_keep_every_write_and_share_one_refresh() {
    const PROCESSES: usize = 8;
    const ROUNDS: usize = 20;
    const MIN_EDITS_PER_ROUND: usize = 5;

    let sandbox = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let path = shipped_copy(dir.path(), &sandbox, |text| text);

    // The TUI-equivalent session: one store and one Runner for the life of the test.
    let store = Arc::new(WorkspaceStore::open(&path).unwrap());
    // Each headless process gets its own copy of `create-contact`, whose Data Target writes a
    // Variable of its own, so each process's write can be checked after every round.
    store
        .update(|ws| {
            let template = ws.payload("create-contact").unwrap().clone();
            for i in 0..PROCESSES {
                let mut payload = template.clone();
                payload.id = format!("create-contact-p{i}").into();
                payload.name = format!("Create a contact (process {i})");
                payload.targets = vec![DataTarget {
                    value: "contact_id".into(),
                    target: Target::Variable(format!("contact_p{i}")),
                }];
                ws.payloads.push(payload);
            }
        })
        .unwrap();
    let runner = Runner::new(
        store.clone(),
        Arc::new(JobStore::beside(&path)),
        RunnerConfig::default(),
    );
    assert!(
        bearer(&store.snapshot(), "sandbox-oauth")
            .access_token
            .is_empty(),
        "every party starts with a blank token and so wants a refresh"
    );

    let started = Instant::now();
    let mut session_edits: Vec<(String, String)> = Vec::new();
    let mut process_writes = 0;
    for round in 0..ROUNDS {
        let children: Vec<JoinHandle<Output>> = (0..PROCESSES)
            .map(|i| {
                let payload = format!("create-contact-p{i}");
                let name = format!("name=p{i} r{round}");
                wait_for_output(start_run(&path, &[&payload, "--input", &name]))
            })
            .collect();
        let session_run = runner.start(
            request("create-contact", &[("name", &format!("session r{round}"))]),
            tokio::sync::mpsc::unbounded_channel().0,
        );

        // The session edits while the processes run: a new Variable and an Integration field
        // each time.
        let edits = async {
            let mut pace = tokio::time::interval(Duration::from_millis(3));
            let mut made = 0;
            while made < MIN_EDITS_PER_ROUND || !children.iter().all(|c| c.is_finished()) {
                pace.tick().await;
                let name = format!("session_r{round}_e{made}");
                let value = format!("edit {made} of round {round}");
                store
                    .update(|ws| {
                        ws.variables.push(Variable {
                            name: name.clone(),
                            value: value.clone(),
                            secret: false,
                        });
                        ws.integrations[0].description = value.clone();
                    })
                    .unwrap_or_else(|e| panic!("round {round}: the session's edit {made}: {e}"));
                session_edits.push((name, value));
                made += 1;
            }
        };
        tokio::time::timeout(ROUND_LIMIT, edits)
            .await
            .expect("the processes finish");
        let mut outputs = Vec::new();
        for child in children {
            outputs.push(child.await.unwrap());
        }
        let session_job = tokio::time::timeout(ROUND_LIMIT, session_run.done)
            .await
            .expect("the session's run finishes")
            .unwrap();

        let ws = load_checked(&path, &format!("after round {round}"));
        for (i, out) in outputs.iter().enumerate() {
            assert_eq!(
                out.status.code(),
                Some(0),
                "round {round}, process {i}: {}",
                stderr_of(out)
            );
            let id = created_id(&String::from_utf8_lossy(&out.stdout));
            assert_eq!(
                variable(&ws, &format!("contact_p{i}")),
                Some(id.as_str()),
                "round {round}: process {i}'s Data Target write survived"
            );
            process_writes += 1;
        }
        assert_eq!(
            session_job.status,
            JobStatus::Succeeded,
            "round {round}: the session's run: {:?}",
            session_job.error
        );
        let session_id = created_id(&session_job.response.as_ref().unwrap().body);
        assert_eq!(
            variable(&ws, "last_contact_id"),
            Some(session_id.as_str()),
            "round {round}: the session's Data Target write survived"
        );
        for (name, value) in &session_edits {
            assert_eq!(
                variable(&ws, name),
                Some(value.as_str()),
                "round {round}: the session's edit {name} survived"
            );
        }
        assert_eq!(
            ws.integrations[0].description,
            session_edits.last().unwrap().1,
            "round {round}: the session's last Integration edit is the one in the file"
        );
    }

    let token = bearer(&load_checked(&path, "at the end"), "sandbox-oauth");
    assert!(!token.access_token.is_empty());
    assert_eq!(
        sandbox.token_requests(),
        1,
        "one refresh served the session and all {PROCESSES} processes of every round"
    );
    assert_eq!(sandbox.api_requests(), ROUNDS * (PROCESSES + 1));
    eprintln!(
        "{PROCESSES} processes x {ROUNDS} rounds: {process_writes} process writes and {} session edits survived, {} session runs, {} token request(s), in {:?}",
        session_edits.len(),
        ROUNDS,
        sandbox.token_requests(),
        started.elapsed()
    );
    sandbox.shutdown().await;
}

/// Redeems the sandbox's seed refresh token once, for a refresh token that rotates: presenting it
/// twice is `invalid_grant`.
async fn rotating_refresh_token(sandbox: &SandboxHandle) -> String {
    let response = reqwest::Client::new()
        .post(format!("{}/oauth/token", sandbox.base_url()))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", DEMO_REFRESH_TOKEN),
            ("client_id", "demo-client"),
            ("client_secret", "demo-secret"),
        ])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let json: serde_json::Value = response.json().await.unwrap();
    json["refresh_token"].as_str().unwrap().to_string()
}

/// The shipped workspace with its token request switched to the standard `refresh_token` grant
/// and the Credential holding `refresh_token` and no access token.
fn with_refresh_grant(text: String, refresh_token: &str) -> String {
    let grant = r#"(name: "grant_type", value: "client_credentials"),"#;
    assert!(text.contains(grant));
    let blank = r#"refresh_token: "","#;
    // sandbox-oauth's, then sandbox-device's: only the first is this Credential's.
    assert_eq!(text.matches(blank).count(), 2);
    text.replace(
        grant,
        r#"(name: "grant_type", value: "refresh_token"),
                (name: "refresh_token", value: "{{credential.refresh_token}}"),"#,
    )
    .replacen(blank, &format!(r#"refresh_token: "{refresh_token}","#), 1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_started_at_once_on_a_blank_token_make_one_token_request() {
    const PROCESSES: usize = 10;

    let sandbox = sandbox().await;
    let seed = rotating_refresh_token(&sandbox).await;
    let before = sandbox.token_requests();
    let dir = tempfile::tempdir().unwrap();
    let path = shipped_copy(dir.path(), &sandbox, |text| with_refresh_grant(text, &seed));
    let session = Runner::new(
        Arc::new(WorkspaceStore::open(&path).unwrap()),
        Arc::new(JobStore::beside(&path)),
        RunnerConfig::default(),
    );

    let started = Instant::now();
    let children: Vec<Child> = (0..PROCESSES)
        .map(|_| start_run(&path, &["list-contacts"]))
        .collect();
    let session_run = session.start(
        request("list-contacts", &[]),
        tokio::sync::mpsc::unbounded_channel().0,
    );
    let mut outputs = Vec::new();
    for child in children {
        let out = tokio::time::timeout(ROUND_LIMIT, wait_for_output(child))
            .await
            .expect("the process finishes")
            .unwrap();
        outputs.push(out);
    }
    let session_job = tokio::time::timeout(ROUND_LIMIT, session_run.done)
        .await
        .expect("the session's run finishes")
        .unwrap();

    for (i, out) in outputs.iter().enumerate() {
        assert_eq!(
            out.status.code(),
            Some(0),
            "process {i}: {}",
            stderr_of(out)
        );
    }
    assert_eq!(
        session_job.status,
        JobStatus::Succeeded,
        "{:?}",
        session_job.error
    );
    assert_eq!(
        sandbox.token_requests() - before,
        1,
        "{PROCESSES} processes and a session on one blank token: one token request"
    );
    let refreshers = outputs
        .iter()
        .filter(|out| stderr_of(out).contains("refresh started"))
        .count()
        + usize::from(session_job.linked_job.is_some());
    assert_eq!(refreshers, 1, "exactly one party ran the token request");
    assert_eq!(sandbox.api_requests(), PROCESSES + 1);

    // The rotated refresh token in the file is the newest one: it is accepted once more.
    let saved = bearer(&load_checked(&path, "after the runs"), "sandbox-oauth");
    assert_ne!(saved.refresh_token, seed);
    assert!(!saved.access_token.is_empty());
    let out = crate::common::bin::payloads_on(&path)
        .args(&["refresh", "sandbox-oauth"])
        .output_async()
        .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    eprintln!(
        "{PROCESSES} processes + 1 session at once: {} token request(s), in {:?}",
        sandbox.token_requests() - before - 1,
        started.elapsed()
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_waiting_for_another_process_refresh_can_be_cancelled() {
    let sandbox = sandbox().await;
    let dir = tempfile::tempdir().unwrap();
    let path = shipped_copy(dir.path(), &sandbox, |text| text);
    // Another process is in the middle of refreshing the Credential: it holds the lock file.
    let other_process = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.path().join(".workspace.ron.refresh-sandbox-oauth.lock"))
        .unwrap();
    other_process.lock().unwrap();
    let session = Runner::new(
        Arc::new(WorkspaceStore::open(&path).unwrap()),
        Arc::new(JobStore::beside(&path)),
        RunnerConfig::default(),
    );

    let run = session.start(
        request("list-contacts", &[]),
        tokio::sync::mpsc::unbounded_channel().0,
    );
    run.cancel.cancel();
    let job = tokio::time::timeout(Duration::from_secs(10), run.done)
        .await
        .expect("a cancel ends the wait for the lock at once")
        .unwrap();
    assert_eq!(job.status, JobStatus::Cancelled, "{:?}", job.error);
    assert_eq!(sandbox.token_requests() + sandbox.api_requests(), 0);

    // Once the other process lets go, a run takes the lock and refreshes.
    other_process.unlock().unwrap();
    let job = tokio::time::timeout(
        ROUND_LIMIT,
        session.run_to_end(request("list-contacts", &[])),
    )
    .await
    .expect("the run finishes");
    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    assert_eq!(sandbox.token_requests(), 1);
    sandbox.shutdown().await;
}
