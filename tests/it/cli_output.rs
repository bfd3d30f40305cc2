//! `-q`, `-v`, `--color`, `refresh --json`, the workspace found from a nested directory, usage
//! errors as `payloads:` lines and a closed stdout: the real binary against wiremock.

use crate::common::*;
use payloads::jobs::{Job, JobStatus, Trigger};
use payloads::workspace::Workspace;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BODY: &str = r#"[{"id":"c1","name":"Ada"}]"#;

async fn oauth_server() -> MockServer {
    let server = MockServer::start().await;
    token_endpoint()
        .answers(NEW_ACCESS, NEW_REFRESH, 3600)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(header("authorization", format!("Bearer {NEW_ACCESS}")))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-served-by", "mock")
                .set_body_string(BODY),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/broken"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .mount(&server)
        .await;
    server
}

fn workspace(base_url: &str) -> Workspace {
    let mut ws = oauth_workspace(base_url, "", None);
    ws.payloads.push(callout(
        "broken",
        payloads::workspace::Method::GET,
        "/broken",
        None,
    ));
    ws
}

/// Runs the binary in `cwd` (no --workspace unless in `args`), off the async runtime.
async fn run_in(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    crate::common::bin::payloads(cwd)
        .args(args)
        .envs(env)
        .output_async()
        .await
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_no_secret(out: &Output) {
    for secret in [CLIENT_SECRET, OLD_REFRESH, NEW_ACCESS, NEW_REFRESH] {
        assert!(!text(&out.stdout).contains(secret), "{secret} on stdout");
        assert!(!text(&out.stderr).contains(secret), "{secret} on stderr");
    }
}

fn setup(server: &MockServer) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_workspace(&dir.path().join("workspace.ron"), &workspace(&server.uri()));
    dir
}

#[tokio::test]
async fn quiet_prints_only_the_body_or_one_line() {
    let server = oauth_server().await;
    let dir = setup(&server);
    let out = run_in(dir.path(), &["-q", "run", "list-contacts"], &[]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), format!("{BODY}\n"));
    assert_eq!(text(&out.stderr), "");

    let out = run_in(dir.path(), &["run", "--quiet", "broken"], &[]).await;
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "", "a failed run prints no body with -q");
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("payloads: broken failed"), "{stderr}");
    assert!(stderr.contains("payloads jobs show "), "{stderr}");

    // -q and -v together are a usage error.
    let out = run_in(dir.path(), &["-q", "-v", "check"], &[]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr)
            .starts_with("payloads: the argument '--quiet' cannot be used with '--verbose'")
    );
}

#[tokio::test]
async fn verbose_shows_the_file_the_timeline_and_redacted_headers() {
    let server = oauth_server().await;
    let dir = setup(&server);
    let out = run_in(dir.path(), &["run", "list-contacts", "-v"], &[]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), format!("{BODY}\n"));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("payloads: workspace workspace.ron (found in the current directory)\n"),
        "{stderr}"
    );
    // The token request, then the call, each with its timeline and headers.
    let token_at = stderr.find("> POST ").expect("the token request");
    let call_at = stderr
        .find(&format!("> GET {}/contacts", server.uri()))
        .expect("the call");
    assert!(token_at < call_at, "{stderr}");
    assert!(
        stderr.contains("> Authorization: Bearer •••redacted•••"),
        "{stderr}"
    );
    assert!(stderr.contains("< 200 OK"), "{stderr}");
    assert!(stderr.contains("< x-served-by: mock"), "{stderr}");
    assert!(stderr.contains("* Job "), "{stderr}");
    assert_no_secret(&out);
}

#[tokio::test]
async fn colour_follows_the_flag_and_no_color() {
    let server = oauth_server().await;
    let dir = setup(&server);
    let out = run_in(
        dir.path(),
        &["--color", "always", "run", "list-contacts"],
        &[],
    )
    .await;
    assert_eq!(out.status.code(), Some(0));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("\x1b[32msucceeded\x1b[0m in "),
        "{stderr:?}"
    );
    assert_eq!(
        text(&out.stdout),
        format!("{BODY}\n"),
        "the body is never coloured"
    );

    let out = run_in(dir.path(), &["--color", "always", "jobs"], &[]).await;
    let table = text(&out.stdout);
    assert!(table.contains("\x1b[32msucceeded\x1b[0m"), "{table:?}");

    // auto: not a terminal, so no colour; NO_COLOR and never: none either.
    for (args, env) in [
        (&["run", "list-contacts"][..], &[][..]),
        (&["--color", "never", "run", "list-contacts"], &[]),
        (&["run", "list-contacts"], &[("NO_COLOR", "1")]),
    ] {
        let out = run_in(dir.path(), args, env).await;
        assert!(!text(&out.stderr).contains('\x1b'), "{args:?} {env:?}");
    }
    let out = run_in(dir.path(), &["jobs", "--color=never"], &[]).await;
    assert!(!text(&out.stdout).contains('\x1b'));
}

#[tokio::test]
async fn refresh_json_prints_the_finished_refresh_job() {
    let server = oauth_server().await;
    let dir = setup(&server);
    let out = run_in(dir.path(), &["refresh", "oauth", "--json"], &[]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let job: Job = serde_json::from_slice(&out.stdout).expect("a Job as JSON");
    assert_eq!(job.status, JobStatus::Succeeded);
    assert_eq!(job.trigger, Trigger::ManualRefresh);
    assert_eq!(job.payload, "oauth-token");
    assert_eq!(job.response.as_ref().unwrap().status, 200);
    assert_no_secret(&out);
    let saved = bearer(&read_workspace(&dir.path().join("workspace.ron")), "oauth");
    assert_eq!(saved.access_token, NEW_ACCESS);

    // -q: nothing at all on success.
    let out = run_in(dir.path(), &["refresh", "oauth", "-q"], &[]).await;
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out:?}");
}

#[tokio::test]
async fn the_workspace_is_found_from_a_nested_directory() {
    let server = oauth_server().await;
    let dir = setup(&server);
    let nested = dir.path().join("src").join("deep");
    std::fs::create_dir_all(&nested).unwrap();
    let out = run_in(&nested, &["-v", "run", "list-contacts"], &[]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), format!("{BODY}\n"));
    let found = dir.path().join("workspace.ron");
    assert!(
        text(&out.stderr).starts_with(&format!(
            "payloads: workspace {} (found in a parent of the current directory)\n",
            found.display()
        )),
        "{}",
        text(&out.stderr)
    );
    // The Jobs are beside the file found, and `jobs` from there lists them.
    let out = run_in(&nested, &["jobs", "--json"], &[]).await;
    assert_eq!(text(&out.stdout).lines().count(), 2, "refresh and call");

    // A repository root in between stops the search: the default ./workspace.ron is missing.
    std::fs::create_dir(dir.path().join("src").join(".git")).unwrap();
    let out = run_in(&nested, &["check"], &[]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("payloads: workspace.ron: no such workspace file"),
        "{}",
        text(&out.stderr)
    );
    // PAYLOADS_WORKSPACE still wins over the search.
    let out = run_in(
        &nested,
        &["check"],
        &[("PAYLOADS_WORKSPACE", found.to_str().unwrap())],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn usage_errors_are_payloads_lines_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["--nope"][..], &["run"], &["jobs", "--limit", "x"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_payloads"))
            .args(args)
            .current_dir(dir.path())
            .env("PAYLOADS_LOG_DIR", dir.path().join("logs"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(stderr.starts_with("payloads: "), "{args:?}: {stderr}");
        assert!(stderr.contains("--help"), "says what to do next: {stderr}");
    }
}

/// A reader that goes away (`payloads man | head -1`) ends the command quietly.
#[test]
fn a_closed_stdout_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_payloads"))
        .arg("man")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stderr), "");
}
