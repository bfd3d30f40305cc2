use super::*;
use crate::workspace::{ApiKey, BearerToken, CredentialAuth};
use chrono::TimeZone;

/// The environment the tests see: one variable set, whatever the process has.
fn test_env(name: &str) -> Option<String> {
    (name == "PAYLOADS_TEMPLATE_TEST_SECRET").then(|| "from-env".to_string())
}

fn bearer(secret: &str) -> Credential {
    Credential {
        id: "oauth".into(),
        name: "OAuth".into(),
        integration: "sandbox".into(),
        description: String::new(),
        auth: CredentialAuth::BearerToken(BearerToken {
            client_id: "client one".into(),
            client_secret: secret.into(),
            access_token: String::new(),
            refresh_token: "r1".into(),
            access_token_duration_minutes: 5,
            obtained_at: None,
            expires_at: None,
            token_payload: "oauth-token".into(),
            login: None,
            fallback_to_client_credentials: false,
        }),
    }
}

fn with_ctx<R>(credential: Option<&Credential>, f: impl FnOnce(&Context) -> R) -> R {
    let inputs = vec![("name".to_string(), "Ada \"the\" Countess/1".to_string())];
    let variables = vec![Variable {
        name: "session".into(),
        value: "s 1".into(),
        secret: false,
    }];
    let ctx = Context {
        credential,
        inputs: &inputs,
        variables: &variables,
        now: Utc.with_ymd_and_hms(2026, 11, 28, 13, 0, 0).unwrap(),
        env: &test_env,
    };
    f(&ctx)
}

#[test]
fn renders_each_scope_and_escapes_for_json() {
    let cred = bearer("s3cret");
    let out = with_ctx(Some(&cred), |ctx| {
        render(
            r#"{"n":"{{input.name}}","c":"{{ credential.client_id }}","v":"{{var.session}}","t":"{{now}}"}"#,
            ctx,
            Escape::JsonString,
        )
    })
    .unwrap();
    assert_eq!(
        out,
        r#"{"n":"Ada \"the\" Countess/1","c":"client one","v":"s 1","t":"2026-11-28T13:00:00Z"}"#
    );
    let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(parsed["n"], "Ada \"the\" Countess/1");
}

#[test]
fn path_segments_are_percent_encoded() {
    let out = with_ctx(None, |ctx| {
        render("/contacts/{{input.name}}", ctx, Escape::PathSegment)
    })
    .unwrap();
    assert_eq!(out, "/contacts/Ada%20%22the%22%20Countess%2F1");
}

#[test]
fn header_values_refuse_line_breaks() {
    let inputs = vec![("x".to_string(), "a\r\nInjected: yes".to_string())];
    let ctx = Context {
        credential: None,
        inputs: &inputs,
        variables: &[],
        now: Utc::now(),
        env: &test_env,
    };
    assert_eq!(
        render("v={{input.x}}", &ctx, Escape::Header).unwrap_err(),
        TemplateError::LineBreak("{{input.x}}".into())
    );
    assert_eq!(
        render("v={{input.x}}", &ctx, Escape::None).unwrap(),
        "v=a\r\nInjected: yes"
    );
}

#[test]
fn a_missing_value_names_the_placeholder() {
    let err = with_ctx(None, |ctx| {
        render("{{input.contact_id}}", ctx, Escape::None)
    })
    .unwrap_err();
    assert_eq!(err.to_string(), "no value for {{input.contact_id}}");
    let err = with_ctx(None, |ctx| render("{{var.nope}}", ctx, Escape::None)).unwrap_err();
    assert_eq!(err.to_string(), "no value for {{var.nope}}");
    let err = with_ctx(None, |ctx| {
        render("{{credential.client_id}}", ctx, Escape::None)
    })
    .unwrap_err();
    assert_eq!(err.to_string(), "no value for {{credential.client_id}}");
}

#[test]
fn a_field_the_credential_type_lacks_is_missing() {
    let key = Credential {
        auth: CredentialAuth::ApiKey(ApiKey {
            header: "x-api-key".into(),
            value: "k".into(),
        }),
        ..bearer("x")
    };
    let err = with_ctx(Some(&key), |ctx| {
        render("{{credential.client_id}}", ctx, Escape::None)
    })
    .unwrap_err();
    assert_eq!(
        err,
        TemplateError::Missing("{{credential.client_id}}".into())
    );
}

#[test]
fn syntax_and_form_errors() {
    assert_eq!(
        check("abc {{input.x").unwrap_err(),
        TemplateError::Unclosed { column: 5 }
    );
    // One brace short, with a later placeholder: the short one is named, not a strange form.
    assert_eq!(
        check(r#"{"name": "{{input.name}", "email": "{{input.email}}"}"#).unwrap_err(),
        TemplateError::Unclosed { column: 11 }
    );
    assert_eq!(
        check("{{secret.x}}").unwrap_err().to_string(),
        "unknown placeholder {{secret.x}}: use credential.FIELD, input.NAME, var.NAME, env.NAME or now"
    );
    assert!(matches!(
        check("{{credential.acces_token}}").unwrap_err(),
        TemplateError::UnknownCredentialField { .. }
    ));
    assert!(check("{{input.}}").is_err());
    assert!(check("{{input.a b}}").is_err());
    assert_eq!(
        check("{{input.a}}/{{var.b}}/{{env.C}}/{{now}}").unwrap(),
        vec![
            Placeholder::Input("a".into()),
            Placeholder::Var("b".into()),
            Placeholder::Env("C".into()),
            Placeholder::Now
        ]
    );
    assert_eq!(check("no placeholders }} here").unwrap(), vec![]);
}

#[test]
fn credential_fields_resolve_env_references() {
    let cred = bearer("{{env.PAYLOADS_TEMPLATE_TEST_SECRET}}");
    let resolved = resolve_credential_in(&cred, &test_env).unwrap();
    assert_eq!(
        credential_field(&resolved, "client_secret"),
        Some("from-env")
    );
    let out = with_ctx(Some(&cred), |ctx| {
        render("{{credential.client_secret}}", ctx, Escape::None)
    })
    .unwrap();
    assert_eq!(out, "from-env");

    let unset = bearer("{{env.PAYLOADS_TEMPLATE_TEST_UNSET}}");
    let err = resolve_credential_in(&unset, &test_env).unwrap_err();
    assert_eq!(
        err.to_string(),
        "environment variable PAYLOADS_TEMPLATE_TEST_UNSET is not set (needed by {{env.PAYLOADS_TEMPLATE_TEST_UNSET}})"
    );
    let err = with_ctx(None, |ctx| {
        render("{{env.PAYLOADS_TEMPLATE_TEST_UNSET}}", ctx, Escape::None)
    })
    .unwrap_err();
    assert_eq!(
        err,
        TemplateError::EnvNotSet("PAYLOADS_TEMPLATE_TEST_UNSET".into())
    );
}

#[test]
fn a_credential_field_may_only_refer_to_env() {
    let cred = bearer("{{input.x}}");
    assert!(matches!(
        resolve_credential(&cred).unwrap_err(),
        TemplateError::UnknownForm(_)
    ));
}
