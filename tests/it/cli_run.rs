//! `payloads run` and `payloads refresh` as a user runs them: the real binary against wiremock and
//! the built-in sandbox, checking exit codes, stdout, stderr, and that no secret leaks anywhere.

use crate::common;

use common::*;
use payloads::jobs::{Job, JobStatus};
use payloads::workspace::{Body, KeyValue, Workspace};
use std::path::Path;
use std::process::Output;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

struct Cli {
    dir: tempfile::TempDir,
}

impl Cli {
    fn new(workspace: &Workspace) -> Cli {
        let dir = tempfile::tempdir().unwrap();
        write_workspace(&dir.path().join("workspace.ron"), workspace);
        Cli { dir }
    }

    fn workspace(&self) -> std::path::PathBuf {
        self.dir.path().join("workspace.ron")
    }

    /// Runs the binary (off the async runtime, which keeps serving the mock server).
    async fn run(&self, args: &[&str]) -> Output {
        common::bin::payloads_on(&self.workspace())
            .args(args)
            .output_async()
            .await
    }

    /// Every file the program wrote beside the workspace (Jobs, log), as text.
    fn written_files(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        collect(self.dir.path(), &self.workspace(), &mut out);
        out
    }
}

fn collect(dir: &Path, skip: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, skip, out);
        } else if path != skip {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            out.push((path.display().to_string(), text));
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn oauth_server() -> MockServer {
    let server = MockServer::start().await;
    token_endpoint()
        .answers(NEW_ACCESS, NEW_REFRESH, 3600)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(header("authorization", format!("Bearer {NEW_ACCESS}")))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"[{"id":"c1","name":"Ada"}]"#))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn run_refreshes_prints_the_body_and_leaks_no_secret() {
    let server = oauth_server().await;
    let cli = Cli::new(&oauth_workspace(
        &server.uri(),
        OLD_ACCESS,
        Some(chrono::Utc::now() - chrono::Duration::hours(2)),
    ));

    let out = cli.run(&["run", "list-contacts"]).await;

    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    assert_eq!(stdout, "[{\"id\":\"c1\",\"name\":\"Ada\"}]\n");
    assert!(stderr.contains("list-contacts"), "{stderr}");
    assert!(stderr.contains("refresh started (job "), "{stderr}");
    assert!(stderr.contains("refresh succeeded"), "{stderr}");
    assert!(stderr.contains("workspace saved"), "{stderr}");
    assert!(stderr.contains("answered 200 OK"), "{stderr}");
    assert!(stderr.contains("succeeded in "), "{stderr}");
    // Lines start with a time of day.
    let first = stderr.lines().next().unwrap();
    assert!(
        first.as_bytes()[2] == b':' && first.as_bytes()[8] == b'.',
        "{first}"
    );

    let saved = bearer(&read_workspace(&cli.workspace()), "oauth");
    assert_eq!(saved.access_token, NEW_ACCESS);
    assert_eq!(saved.refresh_token, NEW_REFRESH);

    let mut files = cli.written_files();
    assert!(
        files.iter().any(|(p, _)| p.ends_with(".jobs.db")),
        "{files:?}"
    );
    // The records are compressed on disk: read them back whole to look for secrets too.
    let history = payloads::jobs::JobStore::beside(cli.workspace());
    let recorded = history.list(10).unwrap();
    assert_eq!(recorded.len(), 2, "the run and its refresh");
    for row in recorded {
        let job = history.get(&row.id).unwrap().unwrap();
        let text = serde_json::to_string(&job).unwrap();
        files.push((format!("Job {}", job.id), text));
    }
    for secret in [
        CLIENT_SECRET,
        OLD_ACCESS,
        OLD_REFRESH,
        NEW_ACCESS,
        NEW_REFRESH,
    ] {
        assert!(!stdout.contains(secret), "{secret} on stdout");
        assert!(!stderr.contains(secret), "{secret} on stderr");
        for (file, content) in &files {
            assert!(!content.contains(secret), "{secret} in {file}");
        }
    }
}

#[tokio::test]
async fn run_json_prints_the_redacted_job() {
    let server = oauth_server().await;
    let cli = Cli::new(&oauth_workspace(&server.uri(), "", None));

    let out = cli.run(&["run", "list-contacts", "--json"]).await;

    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let job: Job = serde_json::from_str(&stdout).unwrap();
    assert_eq!(job.status, JobStatus::Succeeded);
    assert_eq!(job.payload, "list-contacts");
    assert!(job.linked_job.is_some());
    for secret in [CLIENT_SECRET, OLD_REFRESH, NEW_ACCESS, NEW_REFRESH] {
        assert!(!stdout.contains(secret), "{secret} on stdout");
    }
}

#[tokio::test]
async fn a_failed_refresh_exits_1_and_names_the_reason() {
    let server = MockServer::start().await;
    token_endpoint()
        .responds(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "error": "invalid_grant", "error_description": "refresh token revoked"
        })))
        .mount(&server)
        .await;
    Mock::given(path("/contacts"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let cli = Cli::new(&oauth_workspace(&server.uri(), "", None));
    let before = std::fs::read(cli.workspace()).unwrap();

    let out = cli.run(&["run", "list-contacts"]).await;

    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("token refresh failed"), "{stderr}");
    assert!(stderr.contains("refresh token revoked"), "{stderr}");
    assert!(stderr.contains("needs new tokens"), "{stderr}");
    assert_eq!(std::fs::read(cli.workspace()).unwrap(), before);
    assert!(!stderr.contains(OLD_REFRESH) && !stderr.contains(CLIENT_SECRET));
    server.verify().await;
}

#[tokio::test]
async fn usage_errors_exit_2() {
    let server = oauth_server().await;
    let mut ws = oauth_workspace(&server.uri(), "", None);
    ws.payloads.push({
        let mut p = callout(
            "needs-id",
            payloads::workspace::Method::GET,
            "/c/{{input.id}}",
            None,
        );
        p.inputs = vec![input("id", None)];
        p
    });
    let cli = Cli::new(&ws);

    let unknown = cli.run(&["run", "list-contact"]).await;
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = text(&unknown.stderr);
    assert!(stderr.contains("no Payload \"list-contact\""), "{stderr}");
    assert!(
        stderr.contains("list-contacts"),
        "the known Payloads are listed: {stderr}"
    );

    let bad_input = cli.run(&["run", "needs-id", "--input", "id"]).await;
    assert_eq!(bad_input.status.code(), Some(2));
    assert!(text(&bad_input.stderr).contains("NAME=VALUE"));

    // A missing input is a usage error that names it, found before anything runs.
    let missing = cli.run(&["run", "needs-id"]).await;
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("missing input id: give it with --input id=VALUE"));

    // So is a misspelt one.
    let misspelt = cli.run(&["run", "needs-id", "--input", "ip=1"]).await;
    assert_eq!(misspelt.status.code(), Some(2));
    assert!(
        text(&misspelt.stderr).contains("Payload needs-id has no input \"ip\"; its inputs: id"),
        "{}",
        text(&misspelt.stderr)
    );

    let no_credential = cli.run(&["refresh", "nope"]).await;
    assert_eq!(no_credential.status.code(), Some(2));
    assert!(text(&no_credential.stderr).contains("Bearer Token Credentials: oauth"));

    std::fs::write(cli.workspace(), "(integrations: [ oops").unwrap();
    let broken = cli.run(&["run", "list-contacts"]).await;
    assert_eq!(broken.status.code(), Some(2));
    assert!(text(&broken.stderr).contains("workspace"));
}

#[tokio::test]
async fn refresh_prints_the_new_expiry_and_never_the_token() {
    let server = oauth_server().await;
    let cli = Cli::new(&oauth_workspace(
        &server.uri(),
        OLD_ACCESS,
        Some(chrono::Utc::now()),
    ));

    let out = cli.run(&["refresh", "oauth"]).await;

    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("Credential oauth refreshed"), "{stdout}");
    assert!(stdout.contains("expires at"), "{stdout}");
    assert!(
        stdout.contains("(in 59 min)") || stdout.contains("(in 60 min)"),
        "{stdout}"
    );
    for secret in [
        CLIENT_SECRET,
        OLD_ACCESS,
        OLD_REFRESH,
        NEW_ACCESS,
        NEW_REFRESH,
    ] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "{secret} printed"
        );
    }
    assert_eq!(
        bearer(&read_workspace(&cli.workspace()), "oauth").access_token,
        NEW_ACCESS
    );
}

/// The flow end to end against the built-in sandbox: client_credentials first, then the saved
/// token is reused by the next run.
#[tokio::test]
async fn run_against_the_sandbox_refreshes_saves_then_calls() {
    let sandbox = payloads::sandbox::start(payloads::sandbox::SandboxConfig {
        port: 0,
        ..Default::default()
    })
    .await
    .unwrap();
    let mut ws = oauth_workspace(&sandbox.base_url(), "", None);
    if let payloads::workspace::CredentialAuth::BearerToken(b) =
        &mut ws.credential_mut("oauth").unwrap().auth
    {
        b.client_id = "demo-client".into();
        b.client_secret = "demo-secret".into();
        b.refresh_token = String::new();
    }
    let token = ws.payload_mut("oauth-token").unwrap();
    token.body = Body::Form(vec![
        KeyValue::new("grant_type", "client_credentials"),
        KeyValue::new("client_id", "{{credential.client_id}}"),
        KeyValue::new("client_secret", "{{credential.client_secret}}"),
    ]);
    ws.payload_mut("list-contacts").unwrap().endpoint = "/api/contacts".into();
    let cli = Cli::new(&ws);

    let first = cli.run(&["run", "list-contacts"]).await;
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert!(serde_json::from_slice::<serde_json::Value>(&first.stdout).is_ok());
    let saved = bearer(&read_workspace(&cli.workspace()), "oauth");
    assert!(!saved.access_token.is_empty());
    assert_eq!(sandbox.token_requests(), 1);

    let second = cli.run(&["run", "list-contacts"]).await;
    assert_eq!(second.status.code(), Some(0), "{}", text(&second.stderr));
    assert_eq!(sandbox.token_requests(), 1, "the saved token is reused");
    assert_eq!(sandbox.api_requests(), 2);
    let all = format!("{}{}", text(&first.stderr), text(&second.stderr));
    assert!(!all.contains(&saved.access_token));
    for (file, content) in cli.written_files() {
        assert!(!content.contains(&saved.access_token), "token in {file}");
        assert!(!content.contains("demo-secret"), "client secret in {file}");
    }
    sandbox.shutdown().await;
}
