//! A token request that fails leaves the Credential exactly as it was (byte for byte in the file),
//! fails its refresh Job with the reason, and the business request is never sent.

use crate::common;

use common::*;
use payloads::jobs::{Job, JobStatus};
use std::time::Duration;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

struct Outcome {
    business: Job,
    refresh: Job,
}

/// Runs `list-contacts` on a blank token against a token endpoint answering `token_answer`,
/// checks the invariants every failed refresh keeps, and returns both Jobs.
async fn failed_refresh(
    token_answer: Option<ResponseTemplate>,
    tweak: impl FnOnce(&mut payloads::workspace::Workspace, &str),
) -> Outcome {
    let server = MockServer::start().await;
    if let Some(answer) = token_answer {
        token_endpoint()
            .responds(answer)
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(path("/contacts"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .named("the business request")
        .mount(&server)
        .await;
    let mut ws = oauth_workspace(&server.uri(), "", None);
    tweak(&mut ws, &server.uri());
    let h = Harness::new(&ws);
    let before = h.file_bytes();

    let business = h.run("list-contacts").await;

    assert_eq!(business.status, JobStatus::Failed);
    let error = business.error.clone().unwrap();
    assert!(error.starts_with("token refresh failed: "), "{error}");
    assert_eq!(h.file_bytes(), before, "the workspace file is unchanged");
    assert!(
        business.request.is_none(),
        "nothing was sent for the business Job"
    );
    let refresh = h.job(business.linked_job.as_deref().expect("linked refresh Job"));
    assert_eq!(refresh.status, JobStatus::Failed);
    assert!(refresh.targets.is_empty(), "no Data Target was applied");
    assert!(
        error.ends_with(refresh.error.as_deref().unwrap()),
        "the business Job quotes the refresh Job's reason: {error}"
    );
    server.verify().await;
    Outcome { business, refresh }
}

fn no_tweak(_: &mut payloads::workspace::Workspace, _: &str) {}

#[tokio::test]
async fn a_server_error_fails_the_refresh() {
    let o = failed_refresh(
        Some(ResponseTemplate::new(500).set_body_string("database unavailable")),
        no_tweak,
    )
    .await;
    let reason = o.refresh.error.unwrap();
    assert!(reason.contains("500 Internal Server Error"), "{reason}");
    assert!(reason.contains("database unavailable"), "{reason}");
    assert_eq!(o.refresh.response.unwrap().status, 500);
}

#[tokio::test]
async fn invalid_grant_says_the_credential_needs_new_tokens() {
    let o = failed_refresh(
        Some(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "error": "invalid_grant",
            "error_description": "The refresh token has already been used"
        }))),
        no_tweak,
    )
    .await;
    let reason = o.refresh.error.unwrap();
    assert!(reason.contains("400 Bad Request"), "{reason}");
    assert!(
        reason.contains("invalid_grant: The refresh token has already been used"),
        "{reason}"
    );
    assert!(
        reason.contains("the refresh token is no longer accepted; the Credential needs new tokens"),
        "{reason}"
    );
    assert!(o.business.error.unwrap().contains("needs new tokens"));
}

#[tokio::test]
async fn a_body_that_is_not_json_fails_the_refresh() {
    let o = failed_refresh(
        Some(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/html")
                .set_body_string("<html>login page</html>"),
        ),
        no_tweak,
    )
    .await;
    let reason = o.refresh.error.unwrap();
    assert!(reason.contains("no access token"), "{reason}");
    assert!(reason.contains("not JSON"), "{reason}");
}

#[tokio::test]
async fn json_without_an_access_token_fails_the_refresh() {
    let o = failed_refresh(
        Some(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "token_type": "Bearer", "refresh_token": NEW_REFRESH, "expires_in": 3600
        }))),
        no_tweak,
    )
    .await;
    let reason = o.refresh.error.unwrap();
    assert!(reason.contains("no access token"), "{reason}");
    assert!(reason.contains("$.access_token"), "{reason}");
}

#[tokio::test]
async fn a_token_endpoint_that_times_out_fails_the_refresh() {
    let o = failed_refresh(
        Some(
            ResponseTemplate::new(200)
                .set_body_json(token_json(NEW_ACCESS, NEW_REFRESH, 3600))
                .set_delay(Duration::from_secs(10)),
        ),
        |ws, _| ws.payload_mut("oauth-token").unwrap().timeout_secs = Some(1),
    )
    .await;
    let reason = o.refresh.error.unwrap();
    assert!(reason.contains("timed out"), "{reason}");
    assert!(reason.contains("within 1 s"), "{reason}");
}

#[tokio::test]
async fn a_refused_connection_fails_the_refresh() {
    // A port nothing listens on, and that no outgoing connection is handed meanwhile.
    let port = common::ports::port_outside_the_ephemeral_range();
    let o = failed_refresh(None, |ws, _| {
        ws.payload_mut("oauth-token").unwrap().endpoint =
            format!("http://127.0.0.1:{port}/oauth/token");
    })
    .await;
    let reason = o.refresh.error.unwrap();
    assert!(reason.contains("could not connect"), "{reason}");
    assert!(reason.contains(&format!("127.0.0.1:{port}")), "{reason}");
}
