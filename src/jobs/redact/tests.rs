//! Tests of the Redactor: every secret kind, every wire form, every field of a Job.

use super::*;
use crate::jobs::record::{JobStatus, RequestRecord, ResponseRecord, Step, TargetResult, Trigger};
use crate::workspace::model::{
    ApiKey, BasicAuth, BearerToken, Credential, CustomAuth, Placement, Variable,
};

fn credential(id: &str, auth: CredentialAuth) -> Credential {
    Credential {
        id: id.into(),
        name: id.into(),
        integration: "api".into(),
        description: String::new(),
        auth,
    }
}

fn bearer(secret: &str, access: &str, refresh: &str) -> CredentialAuth {
    CredentialAuth::BearerToken(BearerToken {
        client_id: "client-one".into(),
        client_secret: secret.into(),
        access_token: access.into(),
        refresh_token: refresh.into(),
        access_token_duration_minutes: 60,
        obtained_at: None,
        expires_at: None,
        token_payload: "token".into(),
        login: None,
        fallback_to_client_credentials: false,
    })
}

fn workspace() -> Workspace {
    Workspace {
        credentials: vec![
            credential("oauth", bearer("cl!ent/secret=1", "AT-123456", "RT-abcdef")),
            credential(
                "basic",
                CredentialAuth::Basic(BasicAuth {
                    username: "alice".into(),
                    password: "pa ss:word@1".into(),
                }),
            ),
            credential(
                "key",
                CredentialAuth::ApiKey(ApiKey {
                    header: "x-api-key".into(),
                    value: "KEY-998877".into(),
                }),
            ),
            credential(
                "custom",
                CredentialAuth::Custom(CustomAuth {
                    placement: Placement::Query,
                    name: "sig".into(),
                    value: "CUSTOM\"quote\\".into(),
                }),
            ),
        ],
        variables: vec![
            Variable {
                name: "session".into(),
                value: "SESSION-777".into(),
                secret: true,
            },
            Variable {
                name: "region".into(),
                value: "eu-west".into(),
                secret: false,
            },
        ],
        ..Workspace::default()
    }
}

#[test]
fn every_credential_kind_and_secret_variable_is_redacted() {
    let redactor = Redactor::from_workspace(&workspace());
    for secret in [
        "cl!ent/secret=1",
        "AT-123456",
        "RT-abcdef",
        "pa ss:word@1",
        "KEY-998877",
        "CUSTOM\"quote\\",
        "SESSION-777",
    ] {
        let out = redactor.redact(&format!("before {secret} after"));
        assert_eq!(out, format!("before {REDACTED} after"), "secret {secret}");
    }
    // Not secret: left alone.
    assert_eq!(
        redactor.redact("eu-west alice client-one"),
        "eu-west alice client-one"
    );
}

#[test]
fn encoded_forms_are_redacted() {
    let redactor = Redactor::from_workspace(&workspace());
    let cases = [
        // form-encoded
        "client_secret=cl%21ent%2Fsecret%3D1&grant_type=x".to_string(),
        "password=pa+ss%3Aword%401".to_string(),
        // percent-encoded (query / path)
        "https://h/x?p=pa%20ss:word@1".to_string(),
        "/users/pa%20ss:word@1/x".to_string(),
        "p=pa%20ss%3aword%401".to_string(),
        // JSON-escaped
        r#"{"sig":"CUSTOM\"quote\\"}"#.to_string(),
        r#"{"s":"cl!ent\/secret=1"}"#.to_string(),
    ];
    for text in cases {
        let out = redactor.redact(&text);
        for leak in ["cl!ent", "cl%21ent", "pa ss", "pa+ss", "pa%20ss", "CUSTOM"] {
            assert!(!out.contains(leak), "{leak} leaked in {out} (from {text})");
        }
        assert!(out.contains(REDACTED), "nothing redacted in {text}");
    }
    // base64 of user:password, and of client id:secret plain and form-encoded (Basic headers)
    for plain in [
        "alice:pa ss:word@1",
        "client-one:cl!ent/secret=1",
        "client-one:cl%21ent%2Fsecret%3D1",
    ] {
        assert_eq!(redactor.redact(&BASE64.encode(plain)), REDACTED, "{plain}");
    }
}

#[test]
fn empty_secrets_are_ignored_short_ones_redacted_and_longest_wins() {
    let mut redactor = Redactor::new();
    redactor.add("");
    assert!(redactor.is_empty());
    // A secret the Redactor is told about is redacted however short.
    redactor.add("ab");
    assert_eq!(redactor.redact("x=ab;"), format!("x={REDACTED};"));
    let mut redactor = Redactor::new();
    redactor.add("tok1");
    redactor.add("tok1-longer");
    assert_eq!(
        redactor.redact("x tok1-longer y tok1 z"),
        format!("x {REDACTED} y {REDACTED} z")
    );
    // A value pasted with stray spaces is caught as sent, trimmed.
    redactor.add("  padded-secret\n");
    assert_eq!(
        redactor.redact("k=padded-secret;"),
        format!("k={REDACTED};")
    );
    // The marker itself is not shredded by a later, overlapping secret.
    redactor.add("acted");
    assert_eq!(redactor.redact("tok1"), REDACTED);
}

#[test]
fn short_credential_secrets_are_redacted_but_short_harvested_values_are_not() {
    let ws = Workspace {
        credentials: vec![credential("oauth", bearer("s3", "A1", "Q"))],
        ..Workspace::default()
    };
    let redactor = Redactor::from_workspace_in(&ws, &|_| None);
    assert_eq!(
        redactor.redact("secret=s3 token=A1 refresh=Q"),
        format!("secret={REDACTED} token={REDACTED} refresh={REDACTED}")
    );
    // A value found only by looking (a JSON `token` key) must be long enough to be worth it.
    let mut job = job_with("", r#"{"token": "xy"}"#);
    Redactor::new().redact_job(&mut job);
    assert_eq!(job.response.unwrap().body, r#"{"token": "xy"}"#);
}

#[test]
fn env_values_anywhere_in_the_workspace_are_secrets() {
    let owner = credential("oauth", bearer("", "", ""));
    let mut payload = crate::workspace::edit::token_payload("p", &owner);
    payload.headers = vec![KeyValue::new("x-trace", "{{env.TRACE}}")];
    payload.parameters = vec![KeyValue::new("sig", "a{{ env.SIG }}")];
    payload.body = Body::Json(r#"{"n": "{{env.BODY}}"}"#.into());
    let ws = Workspace {
        payloads: vec![payload],
        ..Workspace::default()
    };
    let env = |name: &str| match name {
        "TRACE" => Some("trace-value".to_string()),
        "SIG" => Some("sig/value".to_string()),
        "BODY" => Some("b\"q".to_string()),
        _ => None,
    };
    let redactor = Redactor::from_workspace_in(&ws, &env);
    assert_eq!(redactor.redact("trace-value"), REDACTED);
    assert_eq!(
        redactor.redact("?sig=asig%2Fvalue"),
        format!("?sig=a{REDACTED}")
    );
    assert_eq!(
        redactor.redact(r#"{"n": "b\"q"}"#),
        format!(r#"{{"n": "{REDACTED}"}}"#)
    );
}

#[test]
fn env_fields_redact_the_environment_value() {
    let name = "PAYLOADS_REDACT_TEST_SECRET_7731";
    let env = |n: &str| (n == name).then(|| "from-the-env-42".to_string());
    let ws = Workspace {
        credentials: vec![credential(
            "oauth",
            bearer(&format!("{{{{ env.{name} }}}}"), "", ""),
        )],
        ..Workspace::default()
    };
    let redactor = Redactor::from_workspace_in(&ws, &env);
    assert_eq!(
        redactor.redact("s=from-the-env-42"),
        format!("s={REDACTED}")
    );
    assert_eq!(
        redactor.redact(&BASE64.encode("client-one:from-the-env-42")),
        REDACTED
    );
    // The reference names a variable and is no secret: error messages quote it.
    let quoted = format!("needed by {{{{ env.{name} }}}}");
    assert_eq!(redactor.redact(&quoted), quoted);
}

#[test]
fn added_tokens_are_redacted_and_authorization_keeps_its_scheme() {
    let mut redactor = Redactor::from_workspace(&workspace());
    redactor.add("new-access-token-1");
    assert_eq!(redactor.redact("new-access-token-1"), REDACTED);
    assert_eq!(
        redactor.redact_header("Authorization", "Bearer whatever-it-is"),
        format!("Bearer {REDACTED}")
    );
    assert_eq!(
        redactor.redact_header("proxy-authorization", "opaque"),
        REDACTED
    );
    assert_eq!(
        redactor.redact_header("x-api-key", "KEY-998877"),
        REDACTED.to_string()
    );
    assert_eq!(
        redactor.redact_header("content-type", "application/json"),
        "application/json"
    );
}

fn job_with(request_body: &str, response_body: &str) -> Job {
    let now = chrono::Utc::now();
    Job {
        id: "j".into(),
        payload: "p".into(),
        integration: "i".into(),
        credential: None,
        linked_job: None,
        token_fingerprint: None,
        trigger: Trigger::Cli,
        status: JobStatus::Failed,
        created_at: now,
        started_at: None,
        finished_at: None,
        duration_ms: None,
        callout_ms: None,
        inputs: vec![("who".into(), "SESSION-777".into())],
        request: Some(RequestRecord {
            method: "POST".into(),
            url: "https://h/token?access_token=query-token-55&x=1".into(),
            headers: vec![
                (
                    "Authorization".into(),
                    format!("Basic {}", BASE64.encode("id:hdr%2Fsecret")),
                ),
                ("x-api-key".into(), "KEY-998877".into()),
            ],
            body: Some(request_body.into()),
        }),
        response: Some(ResponseRecord {
            status: 200,
            headers: vec![("x-echo".into(), "AT-123456".into())],
            body: response_body.into(),
            body_bytes: response_body.len() as u64,
            truncated: false,
            not_utf8: false,
            missing_values: Vec::new(),
            undecodable: None,
        }),
        extracted: vec![("access_token".into(), "fresh-access-99".into())],
        targets: vec![TargetResult {
            value: "refresh_token".into(),
            target: "credential oauth refresh_token".into(),
            written: "fresh-refresh-88".into(),
            error: Some("could not write fresh-refresh-88".into()),
        }],
        error: Some("server said RT-abcdef is bad".into()),
        steps: vec![Step {
            at: now,
            text: "got fresh-access-99 and hdr/secret".into(),
        }],
    }
}

#[test]
fn token_values_named_by_the_response_model_or_targets_are_redacted() {
    let redactor = Redactor::new();
    let mut job = job_with("", "not json at all");
    job.extracted = vec![("refresh_token".into(), "extracted-rt-1".into())];
    job.targets[0].written = "written-at-2".into();
    job.targets[0].target = "credential oauth access_token".into();
    job.steps[0].text = "saved extracted-rt-1 and written-at-2".into();
    redactor.redact_job(&mut job);
    let text = serde_json::to_string(&job).unwrap();
    assert!(!text.contains("extracted-rt-1"), "{text}");
    assert!(!text.contains("written-at-2"), "{text}");
}

#[test]
fn redact_job_covers_every_field_and_harvests_new_tokens() {
    let redactor = Redactor::from_workspace(&workspace());
    let mut job = job_with(
        "grant_type=refresh_token&refresh_token=RT-abcdef&client_secret=cl%21ent%2Fsecret%3D1",
        r#"{"access_token":"fresh-access-99","token_type":"Bearer","refresh_token":"fresh-refresh-88","expires_in":300}"#,
    );
    redactor.redact_job(&mut job);
    let text = serde_json::to_string(&job).unwrap();
    for leak in [
        "SESSION-777",
        "query-token-55",
        "hdr%2Fsecret",
        "hdr/secret",
        "KEY-998877",
        "AT-123456",
        "RT-abcdef",
        "cl%21ent",
        "fresh-access-99",
        "fresh-refresh-88",
    ] {
        assert!(!text.contains(leak), "{leak} leaked: {text}");
    }
    // What is not secret stays readable.
    assert!(text.contains("grant_type=refresh_token"));
    assert!(text.contains(r#"\"token_type\":\"Bearer\""#));
    assert!(text.contains("\"expires_in\\\":300"));
    assert!(text.contains("Basic •••redacted•••"));
}
