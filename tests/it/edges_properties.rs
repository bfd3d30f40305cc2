//! Issue 9, item 10: property tests over the loader, the templates, JSONPath extraction and the
//! lossless saver: whatever the input, no panic, and what is saved reads back as what was meant.
//! CI runs a small fixed number of cases; `PAYLOADS_PROPTEST_CASES=100000` runs a long soak.

use payloads::flow::extract;
use payloads::flow::http::HttpResponse;
use payloads::template::{self, Context, Escape};
use payloads::workspace::load::parse_syntax;
use payloads::workspace::save::to_text;
use payloads::workspace::{
    CredentialAuth, DEMO_WORKSPACE, ResponseValue, ValueSource, Variable, Workspace,
};
use proptest::prelude::*;
use std::path::Path;

/// The number of cases: `PAYLOADS_PROPTEST_CASES`, else 64 (CI stays quick).
fn config() -> ProptestConfig {
    let cases = std::env::var("PAYLOADS_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn demo() -> Workspace {
    payloads::workspace::load::ron_options()
        .from_str(DEMO_WORKSPACE)
        .unwrap()
}

/// Text that looks like what the loader, templates and paths meet: printable runs, RON and
/// template punctuation, control characters and bidi overrides, non-ASCII.
fn nasty_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[a-z0-9_ .-]{0,8}",
            Just("{{".to_string()),
            Just("}}".to_string()),
            Just("\"".to_string()),
            Just("r#\"".to_string()),
            Just("\\".to_string()),
            Just("$..[?(@.a".to_string()),
            Just("((((((((".to_string()),
            Just("]".to_string()),
            Just("\u{1b}[2J".to_string()),
            Just("\r\n\0".to_string()),
            Just("\u{202e}".to_string()),
            Just("é☃".to_string()),
            any::<char>().prop_map(String::from),
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(config())]

    /// The loader (syntax and validation) answers every text with a workspace or diagnostics.
    #[test]
    fn the_loader_never_panics_on_a_mutated_workspace(
        at in 0usize..DEMO_WORKSPACE.len(),
        cut in 0usize..64,
        insert in nasty_text(),
    ) {
        let mut text = DEMO_WORKSPACE.to_string();
        let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        let end = (at..=(at + cut).min(text.len())).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(at);
        text.replace_range(at..end, &insert);
        let _ = payloads::workspace::parse(Path::new("w.ron"), &text);
    }

    /// Templates are checked and rendered, in every escaping, without a panic.
    #[test]
    fn templates_never_panic(text in nasty_text(), value in nasty_text()) {
        let _ = template::check(&text);
        let variables = vec![Variable { name: "v".into(), value: value.clone(), secret: false }];
        let inputs = vec![("id".to_string(), value)];
        let ctx = Context {
            credential: None,
            inputs: &inputs,
            variables: &variables,
            now: chrono::Utc::now(),
            env: &|_| None,
        };
        for escape in [Escape::None, Escape::JsonString, Escape::PathSegment] {
            let _ = template::render(&text, &ctx, escape);
        }
    }

    /// JSONPath extraction over any path and body ends in a value or a reason.
    #[test]
    fn extraction_never_panics(path in nasty_text(), body in nasty_text(), depth in 0usize..3000) {
        let deep = format!("$[?{}@.a{}]", "(".repeat(depth), ")".repeat(depth));
        let model = vec![
            ResponseValue { name: "a".into(), source: ValueSource::JsonPath(path.clone()) },
            ResponseValue { name: "b".into(), source: ValueSource::JsonPath(format!("$.{path}")) },
            ResponseValue { name: "c".into(), source: ValueSource::JsonPath(deep) },
            ResponseValue { name: "d".into(), source: ValueSource::FormKey(path) },
        ];
        let response = HttpResponse {
            status: reqwest::StatusCode::OK,
            version: reqwest::Version::HTTP_11,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.clone().into_bytes(),
            body_bytes: body.len() as u64,
            truncated: false,
            redirects: vec![],
            elapsed: std::time::Duration::ZERO,
            undecodable: None,
        };
        let extracted = extract::extract(&model, &response);
        prop_assert_eq!(extracted.values.len() + extracted.missing.len(), 4);
    }

    /// A value the flow writes (a token, a Variable from a server) is saved so that it reads
    /// back exactly, both canonically and through the lossless patch of the commented file,
    /// and the file never holds a raw control character.
    #[test]
    fn saved_values_read_back_and_hold_no_control_bytes(token in "[!-~]{1,40}", value in nasty_text()) {
        let mut ws = demo();
        if let CredentialAuth::BearerToken(b) = &mut ws.credentials[0].auth {
            b.access_token = token;
        }
        ws.variables.push(Variable { name: "from_server".into(), value, secret: false });
        let canonical = to_text(&ws);
        prop_assert!(!canonical.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
        prop_assert_eq!(&parse_syntax(Path::new("w.ron"), &canonical).unwrap(), &ws);
        let reads_back = |t: &str| parse_syntax(Path::new("w.ron"), t).is_ok_and(|back| back == ws);
        if let Some(patched) = payloads::ronpatch::patch_verified(DEMO_WORKSPACE, &canonical, reads_back) {
            prop_assert_eq!(&parse_syntax(Path::new("w.ron"), &patched).unwrap(), &ws);
            prop_assert!(!patched.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
        }
    }
}
