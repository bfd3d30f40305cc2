//! Values that come from the environment through `{{env.NAME}}` anywhere in a workspace (an
//! Integration header, a Payload's query parameter, its body), and Credential secrets however
//! short, never reach the Jobs history, `jobs show`, `--json` output or stderr.

use std::path::{Path, PathBuf};
use std::process::Output;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TRACE_VAR: &str = "PAYLOADS_TEST_REDACT_TRACE";
const SIG_VAR: &str = "PAYLOADS_TEST_REDACT_SIG";
const BODY_VAR: &str = "PAYLOADS_TEST_REDACT_BODY";
const TRACE: &str = "trace-from-env-Vb81";
const SIG: &str = "sig-from-env-Pw27";
const BODY: &str = "body-from-env-Lk64";
/// An API key of three characters: short, and a secret all the same.
const SHORT_KEY: &str = "Zq~";

fn workspace(dir: &Path, base_url: &str) -> PathBuf {
    let text = format!(
        r#"(
    integrations: [
        (
            id: "api",
            name: "API",
            base_url: "{base_url}",
            headers: [(name: "x-trace", value: "{{{{env.{TRACE_VAR}}}}}")],
        ),
    ],
    credentials: [
        (
            id: "key",
            name: "Key",
            integration: "api",
            auth: ApiKey(header: "x-api-key", value: "{SHORT_KEY}"),
        ),
    ],
    payloads: [
        (
            id: "echo",
            name: "Echo",
            integration: "api",
            kind: Callout,
            method: POST,
            endpoint: "/echo",
            credential: "key",
            parameters: [(name: "sig", value: "{{{{env.{SIG_VAR}}}}}")],
            body: Json("{{\"note\": \"{{{{env.{BODY_VAR}}}}}\"}}"),
        ),
    ],
)
"#
    );
    let path = dir.join("workspace.ron");
    std::fs::write(&path, text).unwrap();
    path
}

fn payloads(workspace: &Path, args: &[&str]) -> Output {
    crate::common::bin::payloads_on(workspace)
        .args(args)
        .envs(&[(TRACE_VAR, TRACE), (SIG_VAR, SIG), (BODY_VAR, BODY)])
        .output()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn env_values_and_short_secrets_are_redacted_everywhere_a_job_is_shown() {
    let server = MockServer::start().await;
    // The server echoes every secret back, as a debugging endpoint would.
    Mock::given(method("POST"))
        .and(path("/echo"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(
            r#"{{"trace": "{TRACE}", "sig": "{SIG}", "body": "{BODY}", "key": "{SHORT_KEY}"}}"#
        )))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(dir.path(), &server.uri());

    let run = tokio::task::spawn_blocking({
        let ws = ws.clone();
        move || payloads(&ws, &["run", "echo", "--json"])
    })
    .await
    .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    // The values did go out: the server saw them.
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    let sent = &received[0];
    assert_eq!(sent.headers.get("x-trace").unwrap(), TRACE);
    assert_eq!(sent.headers.get("x-api-key").unwrap(), SHORT_KEY);
    assert!(sent.url.query().unwrap().contains(SIG));
    assert!(text(&sent.body).contains(BODY));

    let job: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let id = job["id"].as_str().unwrap().to_string();
    let show = payloads(&ws, &["jobs", "show", &id]);
    let show_json = payloads(&ws, &["jobs", "show", &id, "--json"]);
    let list = payloads(&ws, &["jobs", "--json"]);
    for out in [&show, &show_json, &list] {
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    // The database's list columns are plain text; the full records are compressed, and are
    // checked above through `jobs show --json`. The newest rows may still be in the WAL (it is
    // not copied into the database when a process ends), so both files are read.
    let history: String = ["workspace.jobs.db", "workspace.jobs.db-wal"]
        .iter()
        .filter_map(|name| std::fs::read(dir.path().join(name)).ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .collect();
    assert!(
        history.contains(&id),
        "the Job's row is in the history files"
    );
    let outputs = [
        ("run --json stdout", text(&run.stdout)),
        ("run stderr", text(&run.stderr)),
        ("jobs show", text(&show.stdout)),
        ("jobs show --json", text(&show_json.stdout)),
        ("jobs --json", text(&list.stdout)),
        ("the Jobs history", history),
    ];
    for (what, output) in &outputs {
        for secret in [TRACE, SIG, BODY, SHORT_KEY] {
            assert!(!output.contains(secret), "{what} shows {secret}:\n{output}");
        }
    }
    // Redacted, not dropped: the Job still shows where each value was.
    assert!(text(&show.stdout).contains("x-trace: •••redacted•••"));
}
