//! The opt-in fallback of a refused refresh token: with `fallback_to_client_credentials`, an
//! `invalid_grant` answer to the refresh grant is followed by one client credentials request,
//! whose tokens are saved and used, and the refresh Job says it fell back; without it, nothing
//! else is asked.

use crate::common::*;
use payloads::jobs::JobStatus;
use payloads::workspace::CredentialAuth;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server(client_credentials_calls: u64) -> MockServer {
    let server = MockServer::start().await;
    token_endpoint()
        .and(body_string_contains("grant_type=refresh_token"))
        .responds(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "error": "invalid_grant", "error_description": "refresh token revoked"
        })))
        .expect(1)
        .named("the refresh grant")
        .mount(&server)
        .await;
    token_endpoint()
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains("client_secret="))
        .answers(NEW_ACCESS, NEW_REFRESH, 3600)
        .expect(client_credentials_calls)
        .named("the client credentials grant")
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(header(
            "authorization",
            format!("Bearer {NEW_ACCESS}").as_str(),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .expect(client_credentials_calls)
        .named("the business call with the new token")
        .mount(&server)
        .await;
    server
}

fn opt_in(ws: &mut payloads::workspace::Workspace, on: bool) {
    let CredentialAuth::BearerToken(b) = &mut ws.credentials[0].auth else {
        panic!()
    };
    b.fallback_to_client_credentials = on;
}

#[tokio::test]
async fn a_refused_refresh_token_falls_back_to_client_credentials_once_when_chosen() {
    let server = server(1).await;
    let mut ws = oauth_workspace(&server.uri(), "", None);
    opt_in(&mut ws, true);
    let h = Harness::new(&ws);
    let business = h.run("list-contacts").await;
    assert_eq!(
        business.status,
        JobStatus::Succeeded,
        "{:?}",
        business.error
    );
    let refresh = h.job(business.linked_job.as_deref().unwrap());
    assert_eq!(refresh.status, JobStatus::Succeeded);
    let said = refresh
        .steps
        .iter()
        .any(|step| step.text.contains("falling back") && step.text.contains("invalid_grant"));
    assert!(
        said,
        "the refresh Job says it fell back: {:?}",
        refresh.steps
    );
    assert_eq!(h.saved_token().access_token, NEW_ACCESS);
    server.verify().await;
}

#[tokio::test]
async fn without_the_choice_a_refused_refresh_token_asks_nothing_else() {
    let server = server(0).await;
    let ws = oauth_workspace(&server.uri(), "", None);
    let h = Harness::new(&ws);
    let business = h.run("list-contacts").await;
    assert_eq!(business.status, JobStatus::Failed);
    assert!(business.error.unwrap().contains("needs new tokens"));
    server.verify().await;
}
