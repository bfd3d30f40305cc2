//! Requests as sent: templates and inputs, Credentials applied, redirects, body caps, Data Targets
//! into Variables.

use crate::common;

use chrono::Utc;
use common::*;
use payloads::jobs::JobStatus;
use payloads::workspace::{
    ApiKey, BasicAuth, Body, ClientAuth, CredentialAuth, CustomAuth, DataTarget, KeyValue, Method,
    Placement, ResponseValue, Target, ValueSource, Workspace,
};
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn with_credential(ws: &mut Workspace, id: &str, auth: CredentialAuth) {
    ws.credentials.push(credential(id, auth).build());
}

#[tokio::test]
async fn a_placeholder_with_no_value_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    // The token is blank, yet not even the token request goes out.
    let mut ws = oauth_workspace(&server.uri(), "", None);
    let p = ws.payload_mut("list-contacts").unwrap();
    // Only the environment can leave a placeholder empty: the workspace check catches the rest.
    p.headers.push(KeyValue::new(
        "X-Session",
        "{{env.PAYLOADS_TEST_SURELY_UNSET_42}}",
    ));

    let h = Harness::new(&ws);
    let job = h.run("list-contacts").await;

    assert_eq!(job.status, JobStatus::Failed);
    let error = job.error.unwrap();
    assert!(error.contains("PAYLOADS_TEST_SURELY_UNSET_42"), "{error}");
    assert!(error.contains("header X-Session"), "{error}");
    assert!(job.request.is_none());
    assert!(job.linked_job.is_none(), "no refresh was started");
    server.verify().await;
}

#[tokio::test]
async fn a_missing_input_fails_naming_it_and_defaults_fill_in() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts/c%207"))
        .and(query_param("limit", "10"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .expect(1)
        .mount(&server)
        .await;
    let mut ws = oauth_workspace(&server.uri(), OLD_ACCESS, Some(Utc::now()));
    ws.payloads.push({
        let mut p = callout(
            "get-contact",
            Method::GET,
            "/contacts/{{input.id}}",
            Some("oauth"),
        );
        p.inputs = vec![input("id", None), input("limit", Some("10"))];
        p.parameters = vec![KeyValue::new("limit", "{{input.limit}}")];
        p
    });
    let h = Harness::new(&ws);

    let missing = h.run("get-contact").await;
    assert_eq!(missing.status, JobStatus::Failed);
    assert!(
        missing
            .error
            .as_deref()
            .unwrap()
            .contains("missing input id")
    );
    assert!(missing.request.is_none());

    let unknown = h.run_with("get-contact", &[("idd", "x")]).await;
    assert_eq!(unknown.status, JobStatus::Failed);
    assert!(unknown.error.as_deref().unwrap().contains("\"idd\""));

    let ok = h.run_with("get-contact", &[("id", "c 7")]).await;
    assert_eq!(ok.status, JobStatus::Succeeded, "{:?}", ok.error);
    assert!(
        ok.request
            .unwrap()
            .url
            .ends_with("/contacts/c%207?limit=10")
    );
    server.verify().await;
}

#[tokio::test]
async fn basic_client_authentication_form_encodes_special_characters() {
    let server = MockServer::start().await;
    let client_id = "my:id@host/x=y z";
    let client_secret = "se:cr@t/=+ value";
    // RFC 6749 §2.3.1: form-encode each, then base64("id:secret").
    use base64::Engine;
    let expected = base64::engine::general_purpose::STANDARD
        .encode("my%3Aid%40host%2Fx%3Dy+z:se%3Acr%40t%2F%3D%2B+value");
    token_endpoint()
        .and(header("authorization", format!("Basic {expected}")))
        .and(body_string("grant_type=client_credentials"))
        .answers(NEW_ACCESS, NEW_REFRESH, 600)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/contacts"))
        .and(header("authorization", format!("Bearer {NEW_ACCESS}")))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let mut ws = oauth_workspace(&server.uri(), "", None);
    if let CredentialAuth::BearerToken(b) = &mut ws.credential_mut("oauth").unwrap().auth {
        b.client_id = client_id.into();
        b.client_secret = client_secret.into();
    }
    let token = ws.payload_mut("oauth-token").unwrap();
    token.client_auth = ClientAuth::BasicHeader;
    token.body = Body::Form(vec![KeyValue::new("grant_type", "client_credentials")]);
    let h = Harness::new(&ws);

    let job = h.run("list-contacts").await;

    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    let refresh = h.job(job.linked_job.as_deref().unwrap());
    let sent = refresh.request.unwrap();
    let auth = sent
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        .unwrap();
    assert!(
        !auth.1.contains(&expected),
        "the Basic header is redacted in the Job"
    );
    server.verify().await;
}

#[tokio::test]
async fn basic_api_key_and_custom_credentials_are_applied() {
    let server = MockServer::start().await;
    use base64::Engine;
    let basic = base64::engine::general_purpose::STANDARD.encode("alice:pa:ss word");
    Mock::given(path("/basic"))
        .and(header("authorization", format!("Basic {basic}")))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/key"))
        .and(header("x-api-key", "key-123456789"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/custom"))
        .and(query_param("api_token", "custom-secret-987"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/none"))
        .respond_with(|r: &Request| {
            if r.headers.contains_key("authorization") {
                ResponseTemplate::new(400)
            } else {
                ResponseTemplate::new(204)
            }
        })
        .expect(1)
        .mount(&server)
        .await;
    let mut ws = oauth_workspace(&server.uri(), OLD_ACCESS, Some(Utc::now()));
    with_credential(
        &mut ws,
        "basic",
        CredentialAuth::Basic(BasicAuth {
            username: "alice".into(),
            password: "pa:ss word".into(),
        }),
    );
    with_credential(
        &mut ws,
        "key",
        CredentialAuth::ApiKey(ApiKey {
            header: "x-api-key".into(),
            value: "key-123456789".into(),
        }),
    );
    with_credential(
        &mut ws,
        "custom",
        CredentialAuth::Custom(CustomAuth {
            placement: Placement::Query,
            name: "api_token".into(),
            value: "custom-secret-987".into(),
        }),
    );
    ws.payloads
        .push(callout("p-basic", Method::GET, "/basic", Some("basic")));
    ws.payloads
        .push(callout("p-key", Method::GET, "/key", Some("key")));
    ws.payloads
        .push(callout("p-custom", Method::GET, "/custom", Some("custom")));
    ws.payloads
        .push(callout("p-none", Method::GET, "/none", None));
    let h = Harness::new(&ws);

    for id in ["p-basic", "p-key", "p-custom", "p-none"] {
        let job = h.run(id).await;
        assert_eq!(job.status, JobStatus::Succeeded, "{id}: {:?}", job.error);
        let text = serde_json::to_string(&job).unwrap();
        for secret in ["pa:ss word", &basic, "key-123456789", "custom-secret-987"] {
            assert!(!text.contains(secret), "{secret} leaked in {id}: {text}");
        }
    }
    server.verify().await;
}

#[tokio::test]
async fn credential_headers_never_follow_a_redirect_to_another_host() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(path("/landing"))
        .respond_with(|r: &Request| {
            let leaked =
                r.headers.contains_key("authorization") || r.headers.contains_key("x-api-key");
            ResponseTemplate::new(if leaked { 418 } else { 200 }).set_body_string("landed")
        })
        .expect(2)
        .mount(&elsewhere)
        .await;
    Mock::given(path("/moved"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/landing", elsewhere.uri()).as_str()),
        )
        .expect(2)
        .mount(&api)
        .await;
    // Same origin: the header follows.
    Mock::given(path("/here"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", "/there"))
        .mount(&api)
        .await;
    Mock::given(path("/there"))
        .and(header("authorization", format!("Bearer {OLD_ACCESS}")))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&api)
        .await;
    let mut ws = oauth_workspace(&api.uri(), OLD_ACCESS, Some(Utc::now()));
    with_credential(
        &mut ws,
        "key",
        CredentialAuth::ApiKey(ApiKey {
            header: "x-api-key".into(),
            value: "key-123456789".into(),
        }),
    );
    ws.payloads.push(callout(
        "bearer-moved",
        Method::GET,
        "/moved",
        Some("oauth"),
    ));
    ws.payloads
        .push(callout("key-moved", Method::GET, "/moved", Some("key")));
    ws.payloads
        .push(callout("here", Method::GET, "/here", Some("oauth")));
    let h = Harness::new(&ws);

    for id in ["bearer-moved", "key-moved", "here"] {
        let job = h.run(id).await;
        assert_eq!(job.status, JobStatus::Succeeded, "{id}: {:?}", job.error);
        assert!(job.steps.iter().any(|s| s.text.starts_with("redirected")));
    }
    api.verify().await;
    elsewhere.verify().await;
}

#[tokio::test]
async fn a_huge_response_keeps_only_the_cap() {
    const FIFTY_MIB: usize = 50 * 1024 * 1024;
    let server = MockServer::start().await;
    Mock::given(path("/huge"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'x'; FIFTY_MIB]))
        .mount(&server)
        .await;
    let mut ws = oauth_workspace(&server.uri(), OLD_ACCESS, Some(Utc::now()));
    ws.payloads
        .push(callout("huge", Method::GET, "/huge", None));
    let h = Harness::new(&ws);

    let job = h.run("huge").await;

    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    let response = job.response.unwrap();
    assert_eq!(
        response.body.len(),
        1024 * 1024,
        "the Job keeps the 1 MiB cap"
    );
    assert_eq!(
        response.body_bytes, FIFTY_MIB as u64,
        "the rest was drained and counted"
    );
    assert!(response.truncated);
    let recorded = h.job(&job.id).response.unwrap();
    assert!(recorded.body.len() <= 1024 * 1024);
    assert_eq!(recorded.body_bytes, FIFTY_MIB as u64);
}

#[tokio::test]
async fn response_values_chain_into_variables_and_json_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/sessions"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("x-request-id", "req-42")
                .set_body_json(serde_json::json!({"session": {"id": "s \"1\""}, "count": 3})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/notes"))
        .and(body_string(r#"{"session":"s \"1\"","req":"req-42"}"#))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let mut ws = oauth_workspace(&server.uri(), OLD_ACCESS, Some(Utc::now()));
    ws.payloads.push({
        let mut p = callout("open-session", Method::POST, "/sessions", None);
        p.response = vec![
            ResponseValue {
                name: "sid".into(),
                source: ValueSource::JsonPath("$.session.id".into()),
            },
            ResponseValue {
                name: "rid".into(),
                source: ValueSource::Header("X-Request-Id".into()),
            },
        ];
        p.targets = vec![
            DataTarget {
                value: "sid".into(),
                target: Target::Variable("session_id".into()),
            },
            DataTarget {
                value: "rid".into(),
                target: Target::Variable("request_id".into()),
            },
        ];
        p
    });
    ws.payloads.push({
        let mut p = callout("add-note", Method::POST, "/notes", None);
        p.body =
            Body::Json(r#"{"session":"{{var.session_id}}","req":"{{var.request_id}}"}"#.into());
        p
    });
    let h = Harness::new(&ws);

    let first = h.run("open-session").await;
    assert_eq!(first.status, JobStatus::Succeeded, "{:?}", first.error);
    assert_eq!(first.targets.len(), 2);
    let saved = read_workspace(&h.path);
    assert_eq!(saved.variable("session_id").unwrap().value, "s \"1\"");
    assert_eq!(saved.variable("request_id").unwrap().value, "req-42");

    let second = h.run("add-note").await;
    assert_eq!(second.status, JobStatus::Succeeded, "{:?}", second.error);
    server.verify().await;
}

#[tokio::test]
async fn a_non_2xx_business_answer_fails_the_job_with_the_reason() {
    let server = MockServer::start().await;
    Mock::given(path("/contacts"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(serde_json::json!({"message": "no such contact"})),
        )
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
    assert!(error.contains("404 Not Found"), "{error}");
    assert!(error.contains("no such contact"), "{error}");
}

#[tokio::test]
async fn an_unreadable_client_certificate_fails_before_sending() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let mut ws = oauth_workspace(&server.uri(), OLD_ACCESS, Some(Utc::now()));
    with_credential(
        &mut ws,
        "mtls",
        CredentialAuth::Certificate(payloads::workspace::CertificateAuth {
            cert_path: "/nonexistent/client.pem".into(),
            key_path: "/nonexistent/client.key".into(),
        }),
    );
    ws.payloads
        .push(callout("secure", Method::GET, "/secure", Some("mtls")));
    let h = Harness::new(&ws);

    let job = h.run("secure").await;

    assert_eq!(job.status, JobStatus::Failed);
    let error = job.error.unwrap();
    assert!(
        error.contains("cannot read client certificate /nonexistent/client.pem"),
        "{error}"
    );
    server.verify().await;
}

#[tokio::test]
async fn a_webhook_succeeds_or_fails_on_its_status_alone() {
    let server = MockServer::start().await;
    Mock::given(path("/hooks/ok"))
        .respond_with(ResponseTemplate::new(202).set_body_string("not json"))
        .mount(&server)
        .await;
    Mock::given(path("/hooks/down"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let mut ws = oauth_workspace(&server.uri(), OLD_ACCESS, Some(Utc::now()));
    for (id, endpoint) in [("hook-ok", "/hooks/ok"), ("hook-down", "/hooks/down")] {
        let mut p = callout(id, Method::POST, endpoint, None);
        p.kind = payloads::workspace::PayloadKind::Webhook;
        p.body = Body::Json(r#"{"event":"demo"}"#.into());
        ws.payloads.push(p);
    }
    let h = Harness::new(&ws);

    assert_eq!(h.run("hook-ok").await.status, JobStatus::Succeeded);
    let down = h.run("hook-down").await;
    assert_eq!(down.status, JobStatus::Failed);
    assert!(down.error.unwrap().contains("503 Service Unavailable"));
}

#[tokio::test]
async fn running_a_credential_payload_refreshes_its_credential() {
    let server = MockServer::start().await;
    token_endpoint()
        .answers(NEW_ACCESS, NEW_REFRESH, 120)
        .expect(1)
        .mount(&server)
        .await;
    let h = Harness::new(&oauth_workspace(
        &server.uri(),
        OLD_ACCESS,
        Some(Utc::now()),
    ));

    let job = h.run("oauth-token").await;

    assert_eq!(job.status, JobStatus::Succeeded, "{:?}", job.error);
    let saved = h.saved_token();
    assert_eq!(saved.access_token, NEW_ACCESS);
    assert_eq!(saved.access_token_duration_minutes, 2);
    server.verify().await;
}
