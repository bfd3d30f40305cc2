//! Errors that say how to fix them, and which token was used: a refused client names the other
//! client authentication to try, a refused grant is named, a 200 without the token names the
//! JSONPath and the keys that were there, and both linked Jobs carry the token's fingerprint.

use crate::common::*;

use payloads::jobs::{JobStatus, token_fingerprint};
use payloads::workspace::ClientAuth;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn refresh_error(
    answer: ResponseTemplate,
    tweak: impl FnOnce(&mut payloads::workspace::Workspace),
) -> String {
    let server = MockServer::start().await;
    token_endpoint().responds(answer).mount(&server).await;
    let mut ws = oauth_workspace(&server.uri(), "", None);
    tweak(&mut ws);
    let h = Harness::new(&ws);
    let job = h.run("list-contacts").await;
    assert_eq!(job.status, JobStatus::Failed);
    h.job(job.linked_job.as_deref().unwrap()).error.unwrap()
}

fn invalid_client() -> ResponseTemplate {
    ResponseTemplate::new(401).set_body_json(serde_json::json!({
        "error": "invalid_client", "error_description": "client authentication failed"
    }))
}

#[tokio::test]
async fn invalid_client_with_basic_auth_suggests_the_body_and_back() {
    let error = refresh_error(invalid_client(), |ws| {
        ws.payload_mut("oauth-token").unwrap().client_auth = ClientAuth::BasicHeader;
    })
    .await;
    assert!(error.contains("client_auth: InBody"), "{error}");
    let error = refresh_error(invalid_client(), |_| {}).await;
    assert!(error.contains("client_auth: BasicHeader"), "{error}");
}

#[tokio::test]
async fn a_refused_grant_is_named() {
    let error = refresh_error(
        ResponseTemplate::new(400)
            .set_body_json(serde_json::json!({"error": "unauthorized_client"})),
        |_| {},
    )
    .await;
    assert!(
        error.contains("the refresh_token grant was refused"),
        "{error}"
    );
}

#[tokio::test]
async fn a_200_without_the_token_names_the_path_and_the_keys_there() {
    let error = refresh_error(
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({"token": "abc", "expires": 60})),
        |_| {},
    )
    .await;
    assert!(error.contains("nothing at $.access_token"), "{error}");
    assert!(error.contains("its keys are:"), "{error}");
    assert!(
        error.contains("token") && error.contains("expires"),
        "{error}"
    );
    assert!(!error.contains("abc"), "values are not shown: {error}");
}

#[tokio::test]
async fn both_linked_jobs_show_the_fingerprint_of_the_token_the_call_used() {
    let server = MockServer::start().await;
    token_endpoint()
        .answers(NEW_ACCESS, NEW_REFRESH, 1800)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    let h = Harness::new(&oauth_workspace(&server.uri(), "", None));
    let business = h.run("list-contacts").await;
    assert_eq!(
        business.status,
        JobStatus::Succeeded,
        "{:?}",
        business.error
    );
    let refresh = h.job(business.linked_job.as_deref().unwrap());
    let expected = token_fingerprint(NEW_ACCESS);
    assert_eq!(
        business.token_fingerprint.as_deref(),
        Some(expected.as_str())
    );
    assert_eq!(
        refresh.token_fingerprint.as_deref(),
        Some(expected.as_str())
    );
    // In `jobs show` and its --json too, never the token itself.
    let stored = h.job(&business.id);
    assert_eq!(stored.token_fingerprint, business.token_fingerprint);
    let shown = payloads::jobs::render::job_detail(&stored);
    assert!(shown.contains(&expected), "{shown}");
    assert!(!shown.contains(NEW_ACCESS));
}
