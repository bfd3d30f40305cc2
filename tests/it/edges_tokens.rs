//! Issue 9, items 4, 5 and 8: what a token endpoint answers is checked before it is written —
//! garbage tokens are refused with a named reason and nothing is saved; `expires_in` gives a
//! real expiry in seconds; no raw control byte reaches the workspace file.

use crate::common::*;
use payloads::jobs::{JobStatus, Trigger};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn token_server(answer: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    token_endpoint()
        .responds(ResponseTemplate::new(200).set_body_json(answer))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    server
}

/// Item 4: each of these was saved, and the refresh exited 0, before.
#[tokio::test]
async fn garbage_tokens_fail_the_refresh_by_name_and_nothing_is_written() {
    let cases: Vec<(serde_json::Value, serde_json::Value, &str)> = vec![
        (
            json!(12345),
            json!(NEW_REFRESH),
            "access_token in the token response is a JSON number",
        ),
        (json!(true), json!(NEW_REFRESH), "is a JSON boolean"),
        (json!(["a"]), json!(NEW_REFRESH), "is a JSON array"),
        (json!({"x": "y"}), json!(NEW_REFRESH), "is a JSON object"),
        (json!(""), json!(NEW_REFRESH), "empty"),
        (
            json!("abc\r\nX-Evil: 1"),
            json!(NEW_REFRESH),
            "carriage return (CR)",
        ),
        (json!("abc\ndef"), json!(NEW_REFRESH), "line feed (LF)"),
        (json!("abc\u{0}def"), json!(NEW_REFRESH), "NUL"),
        (
            json!("abc\u{1b}[2J"),
            json!(NEW_REFRESH),
            "escape character (ESC)",
        ),
        (json!("tökén"), json!(NEW_REFRESH), "U+00F6"),
        (
            json!(NEW_ACCESS),
            json!(7),
            "refresh_token in the token response is a JSON number",
        ),
        (
            json!(NEW_ACCESS),
            json!("r\u{1b}]0;x\u{7}"),
            "refresh_token in the token response holds an escape",
        ),
        (
            json!(NEW_ACCESS),
            json!(""),
            "refresh_token in the token response is empty",
        ),
    ];
    for (access, refresh, reason) in cases {
        let server = token_server(json!({
            "access_token": access, "refresh_token": refresh, "expires_in": 3600
        }))
        .await;
        let h = Harness::new(&oauth_workspace(&server.uri(), "", None));
        let before = h.file_bytes();

        let job = h.run("list-contacts").await;

        assert_eq!(job.status, JobStatus::Failed, "{access} {refresh}");
        let refresh_job = h.job(job.linked_job.as_ref().unwrap());
        assert_eq!(refresh_job.trigger, Trigger::RefreshFor(job.id.clone()));
        assert_eq!(refresh_job.status, JobStatus::Failed);
        let error = refresh_job.error.unwrap_or_default();
        assert!(error.contains(reason), "{access} {refresh}: {error}");
        assert_eq!(
            h.file_bytes(),
            before,
            "nothing written for {access} {refresh}"
        );
    }
}

/// Item 8: a Data Target writing a value with control characters into a Variable saves it
/// escaped, so `cat` of the file replays nothing; it reads back as the same value.
#[tokio::test]
async fn control_characters_reach_the_file_escaped() {
    use payloads::workspace::{DataTarget, ResponseValue, Target, ValueSource};
    let hostile = "name\u{1b}]0;pwned\u{7}\u{1b}[2J\rover\u{202e}";
    let server = MockServer::start().await;
    Mock::given(path("/contacts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "name": hostile })))
        .mount(&server)
        .await;
    let mut ws = oauth_workspace(&server.uri(), OLD_ACCESS, None);
    let list = ws
        .payloads
        .iter_mut()
        .find(|p| p.id == "list-contacts")
        .unwrap();
    list.response = vec![ResponseValue {
        name: "name".into(),
        source: ValueSource::JsonPath("$.name".into()),
    }];
    list.targets = vec![DataTarget {
        value: "name".into(),
        target: Target::Variable("last_name".into()),
    }];
    let h = Harness::new(&ws);

    let job = h.run("list-contacts").await;

    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    let bytes = h.file_bytes();
    for raw in [0x1b_u8, 0x07, b'\r'] {
        assert!(!bytes.contains(&raw), "raw byte {raw:#x} in the file");
    }
    let text = String::from_utf8(bytes).unwrap();
    assert!(!text.contains('\u{202e}'), "{text}");
    let saved = read_workspace(&h.path);
    let var = saved
        .variables
        .iter()
        .find(|v| v.name == "last_name")
        .unwrap();
    assert_eq!(var.value, hostile);
}

/// Item 5: an absurd `expires_in` fails the token target by name, fails the refresh Job, and
/// nothing is written.
#[tokio::test]
async fn an_absurd_expires_in_fails_the_refresh_by_name() {
    for expires_in in [json!(-5), json!("soon"), json!(1e12), json!([1])] {
        let server = token_server(json!({
            "access_token": NEW_ACCESS, "refresh_token": NEW_REFRESH, "expires_in": expires_in
        }))
        .await;
        let h = Harness::new(&oauth_workspace(&server.uri(), "", None));
        let before = h.file_bytes();

        let job = h.run("list-contacts").await;

        assert_eq!(job.status, JobStatus::Failed, "{expires_in}");
        let refresh_job = h.job(job.linked_job.as_ref().unwrap());
        assert_eq!(refresh_job.status, JobStatus::Failed);
        let error = refresh_job.error.unwrap_or_default();
        assert!(error.contains("expires_in"), "{expires_in}: {error}");
        assert_eq!(h.file_bytes(), before);
    }
}

/// Item 5: against a server issuing 2-second tokens, a run 3 s after the last refreshes first
/// and sends exactly one business request (today the token is kept for a whole minute, so the
/// run sends the expired token, gets a 401, refreshes and sends again). The clock is injected.
#[tokio::test]
async fn two_second_tokens_are_renewed_before_the_call() {
    use payloads::flow::Clock;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicI64, Ordering};
    let server = MockServer::start().await;
    token_endpoint()
        .answers(NEW_ACCESS, NEW_REFRESH, 2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .expect(2)
        .mount(&server)
        .await;
    let shift = Arc::new(AtomicI64::new(0));
    let clock = {
        let shift = shift.clone();
        Clock::from_fn(move || {
            chrono::Utc::now() + chrono::Duration::milliseconds(shift.load(Ordering::SeqCst))
        })
    };
    let h = Harness::with_clock(&oauth_workspace(&server.uri(), "", None), clock);

    let first = h.run("list-contacts").await;
    assert_eq!(first.status, JobStatus::Succeeded, "{:?}", first.error);
    let saved = h.saved_token();
    let (obtained, expires) = (saved.obtained_at.unwrap(), saved.expires_at.unwrap());
    assert_eq!((expires - obtained).num_seconds(), 2);

    shift.store(3_000, Ordering::SeqCst);
    let second = h.run("list-contacts").await;

    assert_eq!(second.status, JobStatus::Succeeded, "{:?}", second.error);
    assert!(
        second.linked_job.is_some(),
        "the second run refreshed first"
    );
    server.verify().await;
}

/// Item 5: the refresh margin is 10% of the token's lifetime, at most 30 s.
#[test]
fn the_refresh_margin_is_a_tenth_of_the_lifetime_at_most_30_s() {
    let now = chrono::Utc::now();
    let secs = chrono::Duration::seconds;
    let mut token = bearer(
        &oauth_workspace("http://127.0.0.1:1", "t", Some(now)),
        "oauth",
    );
    token.expires_at = Some(now + secs(60));
    assert_eq!(token.refresh_margin(secs(30)), secs(6));
    assert!(!token.needs_refresh(now + secs(53), secs(30)));
    assert!(token.needs_refresh(now + secs(54), secs(30)));
    token.expires_at = Some(now + secs(3600));
    assert_eq!(token.refresh_margin(secs(30)), secs(30));
    token.expires_at = None;
    token.access_token_duration_minutes = 1;
    assert_eq!(token.refresh_margin(secs(30)), secs(6));
}
