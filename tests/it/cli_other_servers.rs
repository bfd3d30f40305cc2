//! `payloads run` against OAuth 2 servers that answer the way real ones do rather than the way
//! the sandbox does: GitHub-style refusals in a 200, no rotated refresh token, `expires_in` as a
//! string, a proxy's HTML error page.

use crate::common;

use common::*;
use std::process::Output;
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Runs the real binary on `workspace` (off the async runtime, which keeps serving the mock).
async fn run(dir: &tempfile::TempDir, args: &[&str]) -> Output {
    crate::common::bin::payloads_on(&dir.path().join("workspace.ron"))
        .args(args)
        .output_async()
        .await
}

async fn setup(token_answer: ResponseTemplate) -> (MockServer, tempfile::TempDir) {
    let server = MockServer::start().await;
    token_endpoint().responds(token_answer).mount(&server).await;
    let dir = tempfile::tempdir().unwrap();
    write_workspace(
        &dir.path().join("workspace.ron"),
        &oauth_workspace(&server.uri(), "", None),
    );
    (server, dir)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test]
async fn a_refusal_in_a_200_form_answer_is_quoted() {
    let (server, dir) = setup(ResponseTemplate::new(200).set_body_raw(
        "error=bad_verification_code&error_description=The+code+passed+is+incorrect+or+expired.",
        "application/x-www-form-urlencoded",
    ))
    .await;
    Mock::given(path("/contacts"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let before = std::fs::read(dir.path().join("workspace.ron")).unwrap();

    let out = run(&dir, &["run", "list-contacts"]).await;

    assert_eq!(out.status.code(), Some(1));
    let stderr = stderr(&out);
    assert!(
        stderr.contains(
            "token refresh failed: the token endpoint answered 200 OK \
             (bad_verification_code: The code passed is incorrect or expired.)"
        ),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("workspace.ron")).unwrap(),
        before
    );
    server.verify().await;
}

#[tokio::test]
async fn an_answer_without_a_refresh_token_keeps_the_old_one() {
    let (server, dir) = setup(ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": NEW_ACCESS, "token_type": "bearer", "expires_in": "1800"
    })))
    .await;
    Mock::given(path("/contacts"))
        .and(header("authorization", format!("Bearer {NEW_ACCESS}")))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .expect(1)
        .mount(&server)
        .await;

    let out = run(&dir, &["run", "list-contacts"]).await;

    let stderr = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(
            "credential oauth refresh_token (not written: nothing at $.refresh_token in the body; its keys are: "
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("not written: not written"), "{stderr}");
    let saved = bearer(&read_workspace(&dir.path().join("workspace.ron")), "oauth");
    assert_eq!(saved.access_token, NEW_ACCESS);
    assert_eq!(saved.refresh_token, OLD_REFRESH);
    assert_eq!(saved.access_token_duration_minutes, 30);
    server.verify().await;
}

#[tokio::test]
async fn a_proxy_html_error_page_is_quoted_by_its_title() {
    let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
                <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n\
                </body>\r\n</html>\r\n";
    let (_server, dir) = setup(ResponseTemplate::new(502).set_body_raw(page, "text/html")).await;

    let out = run(&dir, &["run", "list-contacts"]).await;

    assert_eq!(out.status.code(), Some(1));
    let stderr = stderr(&out);
    assert!(
        stderr.contains(
            "token refresh failed: the token endpoint answered 502 Bad Gateway (502 Bad Gateway)"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("<html>"), "{stderr}");
}

#[tokio::test]
async fn a_body_not_shown_as_sent_says_so_on_stderr() {
    let (server, dir) =
        setup(ResponseTemplate::new(200).set_body_json(token_json(NEW_ACCESS, NEW_REFRESH, 3600)))
            .await;
    // A server that compresses unasked, and one that answers in Latin-1.
    Mock::given(path("/contacts"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", "gzip")
                .set_body_raw(vec![0x1f, 0x8b, 0x08, 0x00], "application/json"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/contacts"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(b"caf\xe9".to_vec(), "text/plain; charset=iso-8859-1"),
        )
        .mount(&server)
        .await;

    // Compressed bodies are decoded now (issue 9): a truncated gzip body is an answer whose body
    // could not be decoded, and stderr says so (values read from it fail by name).
    let gzipped = run(&dir, &["run", "list-contacts"]).await;
    assert_eq!(gzipped.status.code(), Some(0), "{}", stderr(&gzipped));
    assert!(
        stderr(&gzipped).contains("the body could not be decoded (")
            && stderr(&gzipped).contains("unexpected end of file"),
        "{}",
        stderr(&gzipped)
    );

    let latin1 = run(&dir, &["run", "list-contacts"]).await;
    assert_eq!(latin1.status.code(), Some(0));
    assert_eq!(latin1.stdout, "caf\u{FFFD}\n".as_bytes());
    assert!(
        stderr(&latin1).contains(
            "payloads: the body (text/plain; charset=iso-8859-1) is not UTF-8 text; bytes that \
             are not UTF-8 are shown as \u{FFFD}"
        ),
        "{}",
        stderr(&latin1)
    );
    assert!(!stderr(&latin1).contains("compressed"));
}

#[tokio::test]
async fn a_job_that_cannot_be_recorded_is_reported_on_stderr() {
    let (server, dir) =
        setup(ResponseTemplate::new(200).set_body_json(token_json(NEW_ACCESS, NEW_REFRESH, 3600)))
            .await;
    Mock::given(path("/contacts"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    // Something in the way of the Jobs database (as a read-only folder would be).
    std::fs::create_dir(dir.path().join("workspace.jobs.db")).unwrap();

    let out = run(&dir, &["run", "list-contacts"]).await;

    assert_eq!(out.status.code(), Some(0), "the run itself worked");
    let stderr = stderr(&out);
    let unrecorded: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("payloads: Job ") && l.contains("could not be recorded"))
        .collect();
    // Said once, though neither the refresh nor the run could be recorded.
    assert_eq!(unrecorded.len(), 1, "{stderr}");
    assert!(unrecorded[0].contains("workspace.jobs.db"), "{stderr}");
    assert!(unrecorded[0].ends_with("the run goes on"), "{stderr}");
}
