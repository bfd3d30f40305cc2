//! The sandbox's OAuth 2 token endpoint over real HTTP: client authentication, grants, rotation.

use crate::sandbox_support;

use base64::Engine;
use payloads::sandbox::{self, SandboxConfig};
use reqwest::StatusCode;
use sandbox_support::*;
use serde_json::Value;
use std::time::{Duration, SystemTime};

#[tokio::test]
async fn client_credentials_in_the_body_issue_bearer_tokens() {
    let sbx = start(any_port()).await;
    let response = client()
        .post(format!("{}/oauth/token", sbx.base_url()))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "demo-client"),
            ("client_secret", "demo-secret"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 300);
    let access = body["access_token"].as_str().unwrap();
    let refresh = body["refresh_token"].as_str().unwrap();
    assert!(access.starts_with("sbx_at."), "{access}");
    assert!(refresh.starts_with("sbx_rt."), "{refresh}");
    assert_eq!(sbx.token_requests(), 1);
    assert_eq!(sbx.api_requests(), 0);
    sbx.shutdown().await;
}

#[tokio::test]
async fn basic_client_authentication_decodes_special_characters() {
    let id = "my:client@example.com/app=1 x";
    let secret = "p@ss:w/rd= with spaces+plus%";
    let sbx = start(SandboxConfig {
        client_id: id.into(),
        client_secret: secret.into(),
        ..any_port()
    })
    .await;
    let response = client()
        .post(format!("{}/oauth/token", sbx.base_url()))
        .header("authorization", basic(id, secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["access_token"]
            .as_str()
            .unwrap()
            .starts_with("sbx_at.")
    );

    // The same client in the body (form-encoded by reqwest) works too.
    let (status, body) = token_request(
        &sbx,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The undecoded form of the same values is a different client.
    let raw = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    );
    let response = client()
        .post(format!("{}/oauth/token", sbx.base_url()))
        .header("authorization", raw)
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    sbx.shutdown().await;
}

#[tokio::test]
async fn a_wrong_secret_is_invalid_client() {
    let sbx = start(any_port()).await;
    let (status, body) = token_request(
        &sbx,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "demo-client"),
            ("client_secret", "wrong"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "invalid_client");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("client")
    );

    let response = client()
        .post(format!("{}/oauth/token", sbx.base_url()))
        .header("authorization", basic("demo-client", "wrong"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        response.headers()["www-authenticate"],
        "Basic realm=\"payloads-sandbox\""
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_client");

    let (status, body) = token_request(&sbx, &[("grant_type", "client_credentials")]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "invalid_client");
    sbx.shutdown().await;
}

#[tokio::test]
async fn malformed_token_requests_get_rfc_6749_errors() {
    let sbx = start(any_port()).await;
    let client_fields = [
        ("client_id", "demo-client"),
        ("client_secret", "demo-secret"),
    ];

    let (status, body) = token_request(&sbx, &client_fields).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_request");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("grant_type")
    );

    let mut form = client_fields.to_vec();
    form.push(("grant_type", "password"));
    let (status, body) = token_request(&sbx, &form).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "unsupported_grant_type");

    let mut form = client_fields.to_vec();
    form.push(("grant_type", "refresh_token"));
    let (status, body) = token_request(&sbx, &form).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_request");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("refresh_token")
    );

    let response = client()
        .post(format!("{}/oauth/token", sbx.base_url()))
        .json(&serde_json::json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
    assert_eq!(sbx.token_requests(), 4);
    sbx.shutdown().await;
}

#[tokio::test]
async fn refresh_rotates_and_a_used_refresh_token_is_invalid_grant() {
    let sbx = start(any_port()).await;
    let (_, first_refresh) = tokens(&sbx).await;

    let (status, body) = refresh(&sbx, &first_refresh).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let second_refresh = body["refresh_token"].as_str().unwrap().to_owned();
    let access = body["access_token"].as_str().unwrap().to_owned();
    assert_ne!(second_refresh, first_refresh);
    assert_eq!(
        get_with_bearer(&sbx, "/api/contacts", Some(&access))
            .await
            .status(),
        StatusCode::OK
    );

    let (status, body) = refresh(&sbx, &first_refresh).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("already used"),
        "{body}"
    );

    let (status, _) = refresh(&sbx, &second_refresh).await;
    assert_eq!(status, StatusCode::OK);
    sbx.shutdown().await;
}

#[tokio::test]
async fn unknown_expired_and_wrong_kind_refresh_tokens_are_invalid_grant() {
    let sbx = start(any_port()).await;
    let (access, _) = tokens(&sbx).await;
    let expired = sandbox::issue_refresh_token(SystemTime::now() - Duration::from_secs(1));
    for (presented, says) in [
        ("sbx_rt.123.abc.def", "not one this sandbox issued"),
        (access.as_str(), "access token"),
        (expired.as_str(), "expired"),
    ] {
        let (status, body) = refresh(&sbx, presented).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{presented}");
        assert_eq!(body["error"], "invalid_grant");
        assert!(
            body["error_description"].as_str().unwrap().contains(says),
            "{body}"
        );
    }
    sbx.shutdown().await;
}

#[tokio::test]
async fn concurrent_refreshes_with_one_token_succeed_exactly_once() {
    let sbx = start(any_port()).await;
    let (_, refresh_token) = tokens(&sbx).await;
    let attempts = futures::future::join_all((0..12).map(|_| refresh(&sbx, &refresh_token))).await;
    let succeeded = attempts
        .iter()
        .filter(|(s, _)| *s == StatusCode::OK)
        .count();
    let refused = attempts
        .iter()
        .filter(|(s, b)| *s == StatusCode::BAD_REQUEST && b["error"] == "invalid_grant")
        .count();
    assert_eq!((succeeded, refused), (1, 11));
    sbx.shutdown().await;
}

#[tokio::test]
async fn the_demo_refresh_token_is_always_accepted_and_its_successors_rotate() {
    let sbx = start(any_port()).await;
    for _ in 0..2 {
        let (status, body) = refresh(&sbx, sandbox::DEMO_REFRESH_TOKEN).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let next = body["refresh_token"].as_str().unwrap().to_owned();
        assert_eq!(refresh(&sbx, &next).await.0, StatusCode::OK);
        assert_eq!(refresh(&sbx, &next).await.0, StatusCode::BAD_REQUEST);
    }
    sbx.shutdown().await;
}

#[tokio::test]
async fn a_client_accepting_only_form_encoding_gets_a_form_encoded_answer() {
    let sbx = start(any_port()).await;
    let response = client()
        .post(format!("{}/oauth/token", sbx.base_url()))
        .header("accept", "application/x-www-form-urlencoded")
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "demo-client"),
            ("client_secret", "demo-secret"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "application/x-www-form-urlencoded"
    );
    let body = response.bytes().await.unwrap();
    let fields: std::collections::HashMap<String, String> =
        form_urlencoded::parse(&body).into_owned().collect();
    assert_eq!(fields["token_type"], "Bearer");
    assert_eq!(fields["expires_in"], "300");
    assert!(fields["refresh_token"].starts_with("sbx_rt."));
    let access = &fields["access_token"];
    let listed = get_with_bearer(&sbx, "/api/contacts", Some(access)).await;
    assert_eq!(listed.status(), StatusCode::OK);
    sbx.shutdown().await;
}
