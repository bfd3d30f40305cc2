//! The sandbox as an authorization server over real HTTP: device authorization and its
//! `/device` page with every RFC 8628 answer, the PKCE authorization endpoint and code exchange,
//! and discovery metadata.

use crate::sandbox_support::*;

use payloads::sandbox::{DEVICE_CODE_GRANT, SandboxConfig, SandboxHandle, s256_challenge};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(BOUND)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn device_code(sbx: &SandboxHandle) -> Value {
    let response = client()
        .post(format!("{}/oauth/device_authorization", sbx.base_url()))
        .form(&[("client_id", "demo-client"), ("scope", "contacts")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn poll(sbx: &SandboxHandle, device_code: &str) -> (StatusCode, Value) {
    token_request(
        sbx,
        &[
            ("grant_type", DEVICE_CODE_GRANT),
            ("device_code", device_code),
            ("client_id", "demo-client"),
        ],
    )
    .await
}

async fn decide(sbx: &SandboxHandle, user_code: &str, approve: &str) -> StatusCode {
    client()
        .post(format!("{}/device", sbx.base_url()))
        .form(&[("user_code", user_code), ("approve", approve)])
        .send()
        .await
        .unwrap()
        .status()
}

fn fast_device() -> SandboxConfig {
    SandboxConfig {
        device_interval: Duration::ZERO,
        ..any_port()
    }
}

#[tokio::test]
async fn a_device_code_is_pending_until_approved_then_redeemed_once() {
    let sbx = start(fast_device()).await;
    let answer = device_code(&sbx).await;
    let user_code = answer["user_code"].as_str().unwrap();
    let device = answer["device_code"].as_str().unwrap();
    assert_eq!(
        answer["verification_uri"],
        format!("{}/device", sbx.base_url())
    );
    assert_eq!(
        answer["verification_uri_complete"],
        format!("{}/device?user_code={user_code}", sbx.base_url())
    );
    assert_eq!(answer["expires_in"], 600);

    let (status, body) = poll(&sbx, device).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "authorization_pending");

    // The page is there for a person; the test approves the way its form posts.
    let page = client()
        .get(answer["verification_uri_complete"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(user_code), "{page}");
    assert_eq!(
        decide(&sbx, &user_code.to_lowercase(), "yes").await,
        StatusCode::OK
    );

    let (status, body) = poll(&sbx, device).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["access_token"]
            .as_str()
            .unwrap()
            .starts_with("sbx_at.")
    );
    assert!(
        body["refresh_token"]
            .as_str()
            .unwrap()
            .starts_with("sbx_rt.")
    );
    let (status, body) = poll(&sbx, device).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["error"], "invalid_grant",
        "a device code is redeemed once"
    );
    sbx.shutdown().await;
}

#[tokio::test]
async fn polling_faster_than_the_interval_is_told_to_slow_down_by_five_seconds() {
    let sbx = start(SandboxConfig {
        device_interval: Duration::from_secs(30),
        ..any_port()
    })
    .await;
    let answer = device_code(&sbx).await;
    assert_eq!(answer["interval"], 30);
    let device = answer["device_code"].as_str().unwrap();
    let (_, first) = poll(&sbx, device).await;
    assert_eq!(first["error"], "authorization_pending");
    let (status, second) = poll(&sbx, device).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(second["error"], "slow_down");
    assert!(
        second["error_description"]
            .as_str()
            .unwrap()
            .contains("wait 35 s"),
        "{second}"
    );
    sbx.shutdown().await;
}

#[tokio::test]
async fn a_denied_code_is_access_denied_and_an_old_one_expired_token() {
    let sbx = start(fast_device()).await;
    let answer = device_code(&sbx).await;
    let device = answer["device_code"].as_str().unwrap();
    assert_eq!(
        decide(&sbx, answer["user_code"].as_str().unwrap(), "no").await,
        StatusCode::OK
    );
    let (_, body) = poll(&sbx, device).await;
    assert_eq!(body["error"], "access_denied");
    assert_eq!(
        decide(&sbx, "BCDF-GHJK", "yes").await,
        StatusCode::BAD_REQUEST,
        "an unknown code is refused"
    );
    sbx.shutdown().await;

    let sbx = start(SandboxConfig {
        device_code_ttl: Duration::ZERO,
        ..fast_device()
    })
    .await;
    let answer = device_code(&sbx).await;
    let (_, body) = poll(&sbx, answer["device_code"].as_str().unwrap()).await;
    assert_eq!(body["error"], "expired_token");
    sbx.shutdown().await;
}

fn authorize_url(sbx: &SandboxHandle, redirect: &str, challenge: &str, extra: &str) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", "demo-client")
        .append_pair("redirect_uri", redirect)
        .append_pair("state", "st-1")
        .append_pair("code_challenge", challenge)
        .append_pair("code_challenge_method", "S256")
        .finish();
    format!("{}/oauth/authorize?{query}{extra}", sbx.base_url())
}

fn location_query(response: &reqwest::Response) -> std::collections::HashMap<String, String> {
    let location = response.headers()["location"].to_str().unwrap();
    let url = reqwest::Url::parse(location).unwrap();
    url.query_pairs().into_owned().collect()
}

#[tokio::test]
async fn the_authorization_code_is_exchanged_once_for_its_verifier() {
    let sbx = start(any_port()).await;
    let verifier = "a-verifier-of-at-least-forty-three-characters-long-0123";
    let redirect = "http://127.0.0.1:9/callback";
    let response = no_redirects()
        .get(authorize_url(&sbx, redirect, &s256_challenge(verifier), ""))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    let query = location_query(&response);
    assert_eq!(query["state"], "st-1");
    let code = query["code"].clone();

    let exchange = |verifier: &'static str, code: String| {
        let sbx = &sbx;
        async move {
            token_request(
                sbx,
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", redirect),
                    ("code_verifier", verifier),
                    ("client_id", "demo-client"),
                ],
            )
            .await
        }
    };
    let (status, body) = exchange(
        "the-wrong-verifier-0123456789-0123456789-0123",
        code.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    // A code is good for one try: the right verifier after a wrong one is refused too.
    let (_, body) = exchange(verifier, code).await;
    assert_eq!(body["error"], "invalid_grant");

    let response = no_redirects()
        .get(authorize_url(&sbx, redirect, &s256_challenge(verifier), ""))
        .send()
        .await
        .unwrap();
    let code = location_query(&response)["code"].clone();
    let (status, body) = exchange(verifier, code).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["access_token"]
            .as_str()
            .unwrap()
            .starts_with("sbx_at.")
    );
    sbx.shutdown().await;
}

#[tokio::test]
async fn the_authorization_endpoint_denies_on_request_and_wants_s256() {
    let sbx = start(any_port()).await;
    let redirect = "http://127.0.0.1:9/callback";
    let challenge = s256_challenge("v".repeat(43).as_str());
    let denied = no_redirects()
        .get(authorize_url(&sbx, redirect, &challenge, "&deny=1"))
        .send()
        .await
        .unwrap();
    let query = location_query(&denied);
    assert_eq!(query["error"], "access_denied");
    assert_eq!(query["state"], "st-1");
    assert!(!query.contains_key("code"));

    let plain = authorize_url(&sbx, redirect, &challenge, "").replace("S256", "plain");
    let response = no_redirects().get(plain).send().await.unwrap();
    assert_eq!(location_query(&response)["error"], "invalid_request");

    let elsewhere = no_redirects()
        .get(authorize_url(
            &sbx,
            "https://evil.example/cb",
            &challenge,
            "",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        elsewhere.status(),
        StatusCode::BAD_REQUEST,
        "never redirected off loopback"
    );
    sbx.shutdown().await;
}

#[tokio::test]
async fn discovery_metadata_is_served_at_both_well_known_addresses() {
    let sbx = start(any_port()).await;
    for path in [
        "/.well-known/oauth-authorization-server",
        "/.well-known/openid-configuration",
    ] {
        let body: Value = client()
            .get(format!("{}{path}", sbx.base_url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(body["issuer"], sbx.base_url());
        assert_eq!(
            body["token_endpoint"],
            format!("{}/oauth/token", sbx.base_url())
        );
        assert_eq!(
            body["device_authorization_endpoint"],
            format!("{}/oauth/device_authorization", sbx.base_url())
        );
        assert_eq!(
            body["authorization_endpoint"],
            format!("{}/oauth/authorize", sbx.base_url())
        );
        assert_eq!(body["code_challenge_methods_supported"][0], "S256");
    }
    sbx.shutdown().await;
}
