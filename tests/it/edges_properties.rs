//! Issue 9, item 10: property tests over the loader, the templates, JSONPath extraction and the
//! lossless saver: whatever the input, no panic, and what is saved reads back as what was meant.
//! The loader's errors point at `path:line:col`; random edits saved into the commented demo file
//! keep every comment and reload as the workspace that was meant.
//! CI runs a small fixed number of cases; `PAYLOADS_PROPTEST_CASES=100000` (or its alias
//! `PAYLOADS_SOAK_CASES`) runs a long soak.

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

/// The number of cases: `PAYLOADS_PROPTEST_CASES` (or `PAYLOADS_SOAK_CASES`), else 64 (CI
/// stays quick).
fn config() -> ProptestConfig {
    let cases = ["PAYLOADS_PROPTEST_CASES", "PAYLOADS_SOAK_CASES"]
        .iter()
        .find_map(|name| std::env::var(name).ok()?.parse().ok())
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

/// One change a user or a run makes to the workspace.
#[derive(Debug, Clone)]
enum Edit {
    /// Sets (or adds) Variable `v<n>`.
    SetVariable(u8, String),
    /// Removes Variable `v<n>` if an edit added it.
    RemoveVariable(u8),
    Timeout(u64),
    Endpoint(usize, String),
    AddHeader(usize, String, String),
    Description(usize, String),
    AccessToken(String),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0u8..4, nasty_text()).prop_map(|(n, v)| Edit::SetVariable(n, v)),
        (0u8..4).prop_map(Edit::RemoveVariable),
        (0u64..100_000).prop_map(Edit::Timeout),
        (0usize..8, nasty_text()).prop_map(|(i, e)| Edit::Endpoint(i, e)),
        (0usize..8, "[A-Za-z-]{1,12}", nasty_text()).prop_map(|(i, n, v)| Edit::AddHeader(i, n, v)),
        (0usize..8, nasty_text()).prop_map(|(i, d)| Edit::Description(i, d)),
        "[!-~]{0,40}".prop_map(Edit::AccessToken),
    ]
}

fn apply(ws: &mut Workspace, edit: &Edit) {
    let payloads = ws.payloads.len().max(1);
    match edit {
        Edit::SetVariable(n, value) => {
            let name = format!("v{n}");
            match ws.variables.iter_mut().find(|v| v.name == name) {
                Some(v) => v.value = value.clone(),
                None => ws.variables.push(Variable {
                    name,
                    value: value.clone(),
                    secret: false,
                }),
            }
        }
        Edit::RemoveVariable(n) => ws.variables.retain(|v| v.name != format!("v{n}")),
        Edit::Timeout(secs) => ws.integrations[0].timeout_secs = Some(*secs),
        Edit::Endpoint(i, e) => {
            if let Some(p) = ws.payloads.get_mut(i % payloads) {
                p.endpoint = format!("/api/{e}");
            }
        }
        Edit::AddHeader(i, name, value) => {
            if let Some(p) = ws.payloads.get_mut(i % payloads) {
                p.headers.push(payloads::workspace::KeyValue::new(
                    name.clone(),
                    value.clone(),
                ));
            }
        }
        Edit::Description(i, d) => {
            if let Some(p) = ws.payloads.get_mut(i % payloads) {
                p.description = d.clone();
            }
        }
        Edit::AccessToken(token) => {
            if let CredentialAuth::BearerToken(b) = &mut ws.credentials[0].auth {
                b.access_token = token.clone();
            }
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// The lossless saver: random edits saved one by one into the commented demo file keep every
    /// comment line, leave the file alone when refused (an invalid result), and the file reloads
    /// as exactly the workspace in memory.
    #[test]
    fn random_edits_save_losslessly_and_reload_equal(edits in prop::collection::vec(edit(), 1..8)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("workspace.ron");
        std::fs::write(&path, DEMO_WORKSPACE).unwrap();
        let store = payloads::workspace::WorkspaceStore::open(&path).unwrap();
        for edit in &edits {
            let before = std::fs::read(&path).unwrap();
            if store.update(|ws| apply(ws, edit)).is_err() {
                prop_assert_eq!(&std::fs::read(&path).unwrap(), &before, "a refused edit changed the file: {:?}", edit);
            }
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for comment in DEMO_WORKSPACE.lines().filter(|l| l.trim_start().starts_with("//")) {
            prop_assert!(text.lines().any(|l| l == comment), "lost the comment {:?}:\n{}", comment, text);
        }
        prop_assert!(!text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
        let reloaded = payloads::workspace::WorkspaceStore::open(&path).unwrap();
        prop_assert_eq!(reloaded.snapshot(), store.snapshot());
    }

    /// Random bytes are read as a workspace or refused with diagnostics, never a panic.
    #[test]
    fn the_loader_never_panics_on_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.ron");
        std::fs::write(&path, &bytes).unwrap();
        if let Err(e) = payloads::workspace::WorkspaceStore::open(&path) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    /// Whatever a mutation breaks, each error points into the text: `w.ron:line:col`, with a
    /// line and column that exist.
    #[test]
    fn loader_errors_carry_path_line_and_column(
        at in 0usize..DEMO_WORKSPACE.len(),
        cut in 0usize..64,
        insert in nasty_text(),
    ) {
        let mut text = DEMO_WORKSPACE.to_string();
        let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        let end = (at..=(at + cut).min(text.len())).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(at);
        text.replace_range(at..end, &insert);
        if let Err(diagnostics) = payloads::workspace::parse(Path::new("w.ron"), &text) {
            prop_assert!(!diagnostics.0.is_empty());
            let lines = text.split('\n').count();
            for d in &diagnostics.0 {
                prop_assert!(d.line >= 1 && d.line <= lines + 1 && d.col >= 1, "{} in:\n{}", d, text);
                let location = format!("w.ron:{}:{}: ", d.line, d.col);
                prop_assert!(d.to_string().starts_with(&location), "{}", d);
            }
        }
    }
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
