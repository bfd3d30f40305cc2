//! The refresh-then-call flow (docs/ARCHITECTURE.md, "Data flow") over real HTTP on loopback
//! (wiremock).

use crate::common;

use chrono::{Duration as ChronoDuration, Utc};
use common::*;
use payloads::flow::{Clock, RunEventKind};
use payloads::jobs::{JobStatus, Trigger};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn token_ok(server: &MockServer, expect: u64) {
    token_endpoint()
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains(format!("refresh_token={OLD_REFRESH}")))
        .and(body_string_contains(format!(
            "client_secret={CLIENT_SECRET}"
        )))
        .answers(NEW_ACCESS, NEW_REFRESH, 1800)
        .expect(expect)
        .mount(server)
        .await;
}

async fn contacts_with(server: &MockServer, token: &str, expect: u64) {
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(header("authorization", format!("Bearer {token}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([{"id": "c1"}])))
        .expect(expect)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_blank_token_is_refreshed_saved_then_used() {
    let server = MockServer::start().await;
    token_ok(&server, 1).await;
    contacts_with(&server, NEW_ACCESS, 1).await;
    let h = Harness::new(&oauth_workspace(&server.uri(), "", None));

    let job = h.run("list-contacts").await;

    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    assert_eq!(job.response.as_ref().unwrap().status, 200);
    let saved = h.saved_token();
    assert_eq!(saved.access_token, NEW_ACCESS);
    assert_eq!(
        saved.refresh_token, NEW_REFRESH,
        "the rotated refresh token is in the file"
    );
    assert_eq!(saved.access_token_duration_minutes, 30);
    let obtained = saved.obtained_at.expect("obtained_at is set");
    assert!((Utc::now() - obtained).num_seconds().abs() < 60);

    // Both runs are Jobs, linked to each other.
    let refresh_id = job
        .linked_job
        .clone()
        .expect("the business Job links its refresh");
    let refresh = h.job(&refresh_id);
    assert_eq!(refresh.status, JobStatus::Succeeded);
    assert_eq!(refresh.payload, "oauth-token");
    assert_eq!(refresh.linked_job.as_deref(), Some(job.id.as_str()));
    assert_eq!(refresh.trigger, Trigger::RefreshFor(job.id.clone()));
    assert_eq!(h.job(&job.id).status, JobStatus::Succeeded);
    assert!(refresh.targets.iter().all(|t| t.error.is_none()));
}

#[tokio::test]
async fn a_valid_token_is_used_without_a_refresh() {
    let server = MockServer::start().await;
    token_ok(&server, 0).await;
    contacts_with(&server, OLD_ACCESS, 1).await;
    let h = Harness::new(&oauth_workspace(
        &server.uri(),
        OLD_ACCESS,
        Some(Utc::now()),
    ));

    let job = h.run("list-contacts").await;

    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    assert_eq!(job.linked_job, None);
    assert_eq!(h.saved_token().access_token, OLD_ACCESS);
}

#[tokio::test]
async fn a_token_expired_by_time_is_refreshed() {
    let server = MockServer::start().await;
    token_ok(&server, 1).await;
    contacts_with(&server, NEW_ACCESS, 1).await;
    let two_hours_ago = Utc::now() - ChronoDuration::hours(2);
    let h = Harness::new(&oauth_workspace(
        &server.uri(),
        OLD_ACCESS,
        Some(two_hours_ago),
    ));

    let job = h.run("list-contacts").await;

    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    assert_eq!(h.saved_token().access_token, NEW_ACCESS);
    assert_eq!(h.saved_token().refresh_token, NEW_REFRESH);
}

#[tokio::test]
async fn a_token_within_the_safety_margin_is_refreshed_by_the_clock() {
    let server = MockServer::start().await;
    token_ok(&server, 1).await;
    contacts_with(&server, NEW_ACCESS, 1).await;
    let obtained = Utc::now();
    // 59 min 40 s later the 60-minute token is within the 30 s margin.
    let clock = Clock::fixed(obtained + ChronoDuration::seconds(59 * 60 + 40));
    let h = Harness::with_clock(
        &oauth_workspace(&server.uri(), OLD_ACCESS, Some(obtained)),
        clock,
    );

    let job = h.run("list-contacts").await;

    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    assert_eq!(h.saved_token().access_token, NEW_ACCESS);
}

#[tokio::test]
async fn the_credential_is_saved_before_the_business_request_is_sent() {
    let server = MockServer::start().await;
    token_ok(&server, 1).await;
    let h = Harness::new(&oauth_workspace(&server.uri(), "", None));
    let file = h.path.clone();
    // The API answers 200 only when the new refresh token is already in the file.
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .respond_with(move |_: &wiremock::Request| {
            let text = std::fs::read_to_string(&file).unwrap();
            if text.contains(NEW_REFRESH) && text.contains(NEW_ACCESS) {
                ResponseTemplate::new(200).set_body_string("[]")
            } else {
                ResponseTemplate::new(500).set_body_string("not saved yet")
            }
        })
        .expect(1)
        .mount(&server)
        .await;

    let job = h.run("list-contacts").await;

    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
}

#[tokio::test]
async fn a_401_refreshes_once_and_retries_once() {
    let server = MockServer::start().await;
    token_ok(&server, 1).await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(header("authorization", format!("Bearer {OLD_ACCESS}")))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("www-authenticate", "Bearer error=\"invalid_token\""),
        )
        .expect(1)
        .mount(&server)
        .await;
    contacts_with(&server, NEW_ACCESS, 1).await;
    let h = Harness::new(&oauth_workspace(
        &server.uri(),
        OLD_ACCESS,
        Some(Utc::now()),
    ));

    let job = h.run("list-contacts").await;

    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    assert_eq!(h.saved_token().access_token, NEW_ACCESS);
    assert!(job.linked_job.is_some());
}

#[tokio::test]
async fn a_second_401_fails_clearly_without_looping() {
    let server = MockServer::start().await;
    token_ok(&server, 1).await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_token", "error_description": "token unknown"
        })))
        .expect(2)
        .mount(&server)
        .await;
    let h = Harness::new(&oauth_workspace(
        &server.uri(),
        OLD_ACCESS,
        Some(Utc::now()),
    ));

    let job = h.run("list-contacts").await;

    assert_eq!(job.status, JobStatus::Failed);
    let error = job.error.unwrap();
    assert!(error.contains("401 Unauthorized"), "{error}");
    assert!(error.contains("invalid_token: token unknown"), "{error}");
    assert!(error.contains("freshly refreshed"), "{error}");
    server.verify().await;
}

#[tokio::test]
async fn a_401_after_an_expiry_refresh_does_not_refresh_again() {
    let server = MockServer::start().await;
    token_ok(&server, 1).await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let h = Harness::new(&oauth_workspace(&server.uri(), "", None));

    let job = h.run("list-contacts").await;

    assert_eq!(job.status, JobStatus::Failed);
    assert!(job.error.unwrap().contains("401"));
}

#[tokio::test]
async fn fifty_concurrent_runs_share_one_token_request() {
    let server = MockServer::start().await;
    token_endpoint()
        .responds(
            ResponseTemplate::new(200)
                .set_body_json(token_json(NEW_ACCESS, NEW_REFRESH, 3600))
                .set_delay(std::time::Duration::from_millis(200)),
        )
        .expect(1)
        .mount(&server)
        .await;
    contacts_with(&server, NEW_ACCESS, 50).await;
    let expired = Utc::now() - ChronoDuration::hours(3);
    let h = Harness::new(&oauth_workspace(&server.uri(), OLD_ACCESS, Some(expired)));

    let (tx, _rx) = events_channel();
    let handles: Vec<_> = (0..50)
        .map(|_| h.runner.start(request("list-contacts", &[]), tx.clone()))
        .collect();
    for handle in handles {
        let job = tokio::time::timeout(std::time::Duration::from_secs(30), handle.done)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    }
    server.verify().await;
    assert_eq!(h.saved_token().refresh_token, NEW_REFRESH);
}

#[tokio::test]
async fn cancelling_a_running_job_stops_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .respond_with(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(60)))
        .mount(&server)
        .await;
    let h = Harness::new(&oauth_workspace(
        &server.uri(),
        OLD_ACCESS,
        Some(Utc::now()),
    ));
    let (tx, mut rx) = events_channel();

    let handle = h.runner.start(request("list-contacts", &[]), tx);
    let job_id = handle.job_id.clone();
    wait_for(&mut rx, |e| {
        e.kind == RunEventKind::RequestSent && e.job_id == job_id
    })
    .await;
    handle.cancel.cancel();
    let job = tokio::time::timeout(std::time::Duration::from_secs(5), handle.done)
        .await
        .expect("a cancelled Job ends at once")
        .unwrap();

    assert_eq!(job.status, JobStatus::Cancelled);
    let events = wait_for(&mut rx, is_finished_of(&job_id)).await;
    assert_eq!(events.last().unwrap().job.status, JobStatus::Cancelled);
    assert_eq!(h.job(&job_id).status, JobStatus::Cancelled);
    // Nothing more is sent after the cancel: the one request, at most.
    assert!(server.received_requests().await.unwrap().len() <= 1);
}

#[tokio::test]
async fn events_stream_every_step_in_order() {
    let server = MockServer::start().await;
    token_ok(&server, 1).await;
    contacts_with(&server, NEW_ACCESS, 1).await;
    let h = Harness::new(&oauth_workspace(&server.uri(), "", None));
    let (tx, mut rx) = events_channel();

    let handle = h.runner.start(request("list-contacts", &[]), tx);
    let id = handle.job_id.clone();
    let events = wait_for(&mut rx, is_finished_of(&id)).await;

    let business: Vec<&RunEventKind> = events
        .iter()
        .filter(|e| e.job_id == id)
        .map(|e| &e.kind)
        .collect();
    assert_eq!(business[0], &RunEventKind::JobCreated);
    assert_eq!(events[0].job.status, JobStatus::Queued);
    let refresh_job = match business[1] {
        RunEventKind::RefreshStarted { refresh_job } => refresh_job.clone(),
        other => panic!("expected RefreshStarted, got {other:?}"),
    };
    assert_eq!(
        business[2],
        &RunEventKind::RefreshFinished {
            refresh_job: refresh_job.clone(),
            ok: true
        }
    );
    assert_eq!(
        &business[3..],
        &[
            &RunEventKind::RequestSent,
            &RunEventKind::ResponseReceived { status: 200 },
            &RunEventKind::Finished
        ]
    );
    let refresh: Vec<&RunEventKind> = events
        .iter()
        .filter(|e| e.job_id == refresh_job)
        .map(|e| &e.kind)
        .collect();
    assert_eq!(
        refresh,
        vec![
            &RunEventKind::JobCreated,
            &RunEventKind::RequestSent,
            &RunEventKind::ResponseReceived { status: 200 },
            &RunEventKind::TargetsApplied,
            &RunEventKind::WorkspaceSaved,
            &RunEventKind::Finished,
        ]
    );
    // The workspace was saved before the business request went out.
    let saved_at = events
        .iter()
        .position(|e| e.kind == RunEventKind::WorkspaceSaved)
        .unwrap();
    let sent_at = events
        .iter()
        .position(|e| e.kind == RunEventKind::RequestSent && e.job_id == id)
        .unwrap();
    assert!(saved_at < sent_at);
    // Every snapshot is redacted.
    for e in &events {
        let text = serde_json::to_string(&*e.job).unwrap();
        for secret in [CLIENT_SECRET, OLD_REFRESH, NEW_ACCESS, NEW_REFRESH] {
            assert!(!text.contains(secret), "{secret} in {:?} event", e.kind);
        }
    }
    let finished = handle.done.await.unwrap();
    assert!(finished.duration_ms.is_some());
    assert!(finished.callout_ms.is_some());
    assert!(finished.started_at.is_some() && finished.finished_at.is_some());
}

#[tokio::test]
async fn a_manual_refresh_writes_new_tokens() {
    let server = MockServer::start().await;
    token_ok(&server, 1).await;
    let h = Harness::new(&oauth_workspace(
        &server.uri(),
        OLD_ACCESS,
        Some(Utc::now()),
    ));
    let (tx, _rx) = events_channel();

    let handle = h.runner.start_refresh("oauth", Trigger::ManualRefresh, tx);
    let job = handle.done.await.unwrap();

    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    assert_eq!(job.payload, "oauth-token");
    assert_eq!(job.trigger, Trigger::ManualRefresh);
    assert_eq!(h.saved_token().access_token, NEW_ACCESS);
    assert_eq!(h.saved_token().refresh_token, NEW_REFRESH);
}

#[tokio::test]
async fn cancelling_during_a_refresh_keeps_the_new_tokens_and_sends_nothing_more() {
    let server = MockServer::start().await;
    token_endpoint()
        .responds(
            ResponseTemplate::new(200)
                .set_body_json(token_json(NEW_ACCESS, NEW_REFRESH, 3600))
                .set_delay(std::time::Duration::from_millis(500)),
        )
        .expect(1)
        .mount(&server)
        .await;
    contacts_with(&server, NEW_ACCESS, 0).await;
    let h = Harness::new(&oauth_workspace(&server.uri(), "", None));
    let (tx, mut rx) = events_channel();

    let first = h.runner.start(request("list-contacts", &[]), tx.clone());
    let first_id = first.job_id.clone();
    wait_for(&mut rx, |e| {
        e.job_id == first_id && matches!(e.kind, RunEventKind::RefreshStarted { .. })
    })
    .await;
    // A second run queues behind the refresh; cancelling it does not wait for the refresh.
    let second = h.runner.start(request("list-contacts", &[]), tx);
    second.cancel.cancel();
    first.cancel.cancel();
    let second = tokio::time::timeout(std::time::Duration::from_secs(5), second.done)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second.status, JobStatus::Cancelled);
    let first = tokio::time::timeout(std::time::Duration::from_secs(10), first.done)
        .await
        .unwrap()
        .unwrap();

    assert_eq!(first.status, JobStatus::Cancelled);
    assert!(
        first.request.is_none(),
        "the business request was never sent"
    );
    // The token request had gone out: its rotated refresh token is saved, not lost.
    assert_eq!(h.saved_token().refresh_token, NEW_REFRESH);
    server.verify().await;
}
