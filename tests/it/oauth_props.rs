//! What an authorization server sends a login is open-ended: whatever the bytes of a device
//! authorization answer, a discovery document or a redirect's query, reading them never panics,
//! and what may reach the terminal (a user code, a URL) is plain text or refused.

use payloads::oauth::device::DeviceAuthorization;
use payloads::oauth::{discovery, pkce};
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("PAYLOADS_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

/// JSON objects with the device answer's fields holding any value.
fn device_answer() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        any::<String>().prop_map(serde_json::Value::String),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        Just(serde_json::Value::Null),
        "(http|https|ftp|javascript)://[a-z.:0-9]{0,12}/[ -~]{0,20}"
            .prop_map(serde_json::Value::String),
    ];
    let fields = [
        "device_code",
        "user_code",
        "verification_uri",
        "verification_uri_complete",
        "expires_in",
        "interval",
    ];
    proptest::collection::vec(proptest::option::of(value), 6).prop_map(move |values| {
        let mut map = serde_json::Map::new();
        for (name, value) in fields.iter().zip(values) {
            if let Some(v) = value {
                map.insert(name.to_string(), v);
            }
        }
        serde_json::Value::Object(map).to_string()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn any_bytes_as_a_device_answer_are_read_or_refused_without_a_panic(body in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = DeviceAuthorization::parse(&body);
    }

    #[test]
    fn a_device_answer_that_is_read_shows_only_plain_text(body in device_answer()) {
        if let Ok(a) = DeviceAuthorization::parse(body.as_bytes()) {
            prop_assert!(a.user_code.bytes().all(|b| b.is_ascii_graphic() || b == b' '));
            for url in std::iter::once(&a.verification_uri).chain(a.verification_uri_complete.as_ref()) {
                prop_assert!(url.starts_with("http://") || url.starts_with("https://"));
                prop_assert!(url.bytes().all(|b| b.is_ascii_graphic()), "{}", url);
            }
            prop_assert!(a.interval <= std::time::Duration::from_secs(60));
        }
    }

    #[test]
    fn any_discovery_document_is_read_or_refused_without_a_panic(body in proptest::collection::vec(any::<u8>(), 0..200), issuer in "[ -~]{0,30}") {
        let url = reqwest::Url::parse("https://example.com/.well-known/oauth-authorization-server").unwrap();
        let _ = discovery::parse(&issuer, &url, &body);
        let _ = discovery::metadata_urls(&issuer);
    }

    #[test]
    fn a_redirect_yields_its_code_only_with_the_state_sent(
        pairs in proptest::collection::vec(("(code|state|error|error_description|x)", any::<String>()), 0..6),
        sent in "[A-Za-z0-9_-]{43}",
    ) {
        let query: std::collections::HashMap<String, String> = pairs.into_iter().collect();
        match pkce::judge(&query, &sent) {
            Ok(code) => {
                prop_assert_eq!(query.get("state"), Some(&sent));
                prop_assert!(!query.contains_key("error"));
                prop_assert_eq!(Some(&code), query.get("code"));
            }
            Err(why) => prop_assert!(!why.chars().any(|c| c.is_control()), "{}", why),
        }
    }
}
