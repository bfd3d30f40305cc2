//! The fast reader's one promise, checked: whatever it accepts, `ron` accepts with the same
//! value; and it accepts the files the program ships and writes, so the speed is not lost
//! silently.

use super::{Declined, from_str};
use crate::workspace::DEMO_WORKSPACE;
use crate::workspace::load::ron_options;
use crate::workspace::model::Workspace;
use proptest::prelude::*;

/// Every part of the model, in the forms the fast reader takes: all Credential types, logins,
/// bodies, value sources, targets, inputs, settings, timestamps, comments of both kinds (nested
/// too), trailing commas, escapes, raw strings and a string over two lines.
const EVERY_FEATURE: &str = r####"// A workspace with one of everything.
(
    settings: (keep_jobs: 5000, keep_mib: 256),
    integrations: [
        (id: "crm", name: "CRM \"live\"", base_url: "https://crm.example.com",
         description: "Tabs\tand\nlines and a \\ and \' and \0 end",
         timeout_secs: 30,
         headers: [(name: "accept", value: "application/json")],
         tls: (accept_invalid_certs: true, ca_cert: "/etc/ca.pem")),
        (id: "b", name: "Bare", base_url: "http://127.0.0.1:1", tls: (ca_cert: None),
         timeout_secs: None,),
    ],
    credentials: [
        (id: "oauth", name: "OAuth", integration: "crm", /* inline /* nested */ comment */
         auth: BearerToken(client_id: "id", client_secret: "{{env.SECRET}}",
             access_token: "abc", refresh_token: "def", access_token_duration_minutes: 0,
             obtained_at: "2026-11-30T08:00:00Z", expires_at: "2026-11-30T09:00:00+01:00",
             token_payload: "token", login: DeviceCode(endpoint: "/device", scope: "read write"),
             fallback_to_client_credentials: true)),
        (id: "pkce", name: "PKCE", integration: "crm",
         auth: BearerToken(token_payload: "token", login: AuthorizationCode(issuer: "https://id.example.com"),)),
        (id: "none-login", name: "No login", integration: "crm",
         auth: BearerToken(token_payload: "token", login: None, obtained_at: None)),
        (id: "empty-login", name: "Empty login", integration: "crm",
         auth: BearerToken(token_payload: "token", login: DeviceCode())),
        (id: "basic", name: "Basic", integration: "crm", description: "",
         auth: Basic(username: "u", password: "p")),
        (id: "key", name: "Key", integration: "crm", auth: ApiKey(value: "k")),
        (id: "key2", name: "Key 2", integration: "crm", auth: ApiKey(header: "x-key", value: "k",)),
        (id: "custom", name: "Custom", integration: "crm",
         auth: Custom(placement: Query, name: "api_key", value: "v")),
        (id: "cert", name: "Cert", integration: "crm",
         auth: Certificate(cert_path: "c.pem", key_path: "k.pem")),
    ],
    payloads: [
        (id: "token", name: "Token", integration: "crm", kind: Credential, method: POST,
         endpoint: "/oauth/token", credential: "oauth", client_auth: BasicHeader,
         body: Form([(name: "grant_type", value: "client_credentials"),]),
         response: [(name: "access_token", source: JsonPath("$.access_token")),
                    (name: "expires_in", source: FormKey("expires_in")),
                    (name: "refresh_token", source: Header("x-refresh"))],
         targets: [(value: "access_token", target: Credential(AccessToken)),
                   (value: "refresh_token", target: Credential(RefreshToken)),
                   (value: "expires_in", target: Credential(ExpiresIn)),
                   (value: "expires_in", target: Variable("last_expiry"))]),
        (id: "json", name: "JSON", integration: "crm", kind: Callout, method: PATCH,
         endpoint: "/contacts/{{input.id}}", credential: None, client_auth: InBody,
         headers: [(name: "x-a", value: "1"), (name: "x-b", value: "2"),],
         parameters: [(name: "q", value: "{{var.query}}")],
         body: Json(r#"{"name": "{{input.name}}", "tags": ["a", "b"]}"#),
         inputs: [(name: "id"), (name: "name", default: "Ada", description: "who"),
                  (name: "n", default: None)],
         timeout_secs: 5),
        (id: "raw", name: "Raw", integration: "crm", kind: Webhook, method: PUT,
         endpoint: "/hook", body: Raw(content_type: "text/plain", text: "two
lines"), description: r"C:\path"),
        (id: "none", name: "None body", integration: "b", kind: Callout, method: DELETE,
         endpoint: "/x", body: None),
        (id: "head", name: "Head", integration: "b", kind: Callout, method: HEAD, endpoint: "/h"),
        (id: "get", name: "Get", integration: "b", kind: Callout, method: GET, endpoint: "/g"),
        (id: "options", name: "Options", integration: "b", kind: Callout, method: OPTIONS,
         endpoint: "/o"), // a comment after the last record
    ],
    variables: [
        (name: "query", value: "x y"),
        (name: "secret", value: "s", secret: true),
        (name: "plain", value: "p", secret: false),
        (name: "last_expiry", value: ""),
    ],
)
// The end, with no line end after it"####;

/// The workspace `bench/startup.sh` measures: one Token Payload and `n` Callouts.
fn bench_workspace(n: usize) -> String {
    let mut text = String::from(
        "(\n    integrations: [(id: \"sbx\", name: \"Sandbox\", base_url: \"http://127.0.0.1:9\")],\n    credentials: [\n        (id: \"oauth\", name: \"Sandbox OAuth\", integration: \"sbx\",\n         auth: BearerToken(client_id: \"demo-client\", client_secret: \"demo-secret\",\n             access_token: \"\", refresh_token: \"\", access_token_duration_minutes: 5,\n             token_payload: \"token\")),\n    ],\n    payloads: [\n",
    );
    for i in 1..=n {
        text.push_str(&format!(
            "        (id: \"p{i:04}\", name: \"List contacts {i:04}\", integration: \"sbx\", kind: Callout,\n         method: GET, endpoint: \"/api/contacts\", credential: \"oauth\"),\n"
        ));
    }
    text.push_str("    ],\n)\n");
    text
}

fn with_ron(text: &str) -> Result<Workspace, ron::error::SpannedError> {
    ron_options().from_str::<Workspace>(text)
}

/// The texts the fast reader must take: what ships, what the tests load, what the bench reads,
/// and what a save writes.
fn corpus() -> &'static [String] {
    static CORPUS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    CORPUS.get_or_init(|| {
        let saved = crate::workspace::save::to_text(
            &with_ron(EVERY_FEATURE).expect("the feature text is valid RON"),
        );
        vec![
            DEMO_WORKSPACE.to_string(),
            include_str!("../../../tests/fixtures/valid.ron").to_string(),
            EVERY_FEATURE.to_string(),
            bench_workspace(3),
            saved,
        ]
    })
}

#[test]
fn reads_every_shipped_and_saved_form_as_ron_does() {
    for text in corpus() {
        let expected = with_ron(text).expect("ron reads the corpus");
        let fast = from_str::<Workspace>(text)
            .unwrap_or_else(|Declined| panic!("the fast reader declined:\n{text}"));
        assert_eq!(fast, expected);
    }
    let big = bench_workspace(1000);
    assert_eq!(from_str::<Workspace>(&big).ok(), with_ron(&big).ok());
}

#[test]
fn leaves_what_it_does_not_know_to_ron() {
    let base =
        "(integrations: [(id: \"a\", name: \"A\", base_url: \"http://h\", timeout_secs: X)])";
    for (what, value) in [
        ("explicit Some", "Some(30)"),
        ("a hexadecimal number", "0x1e"),
        ("an underscore in a number", "3_0"),
        ("a typed number", "30u64"),
        ("a sign", "+30"),
        ("a leading zero", "030"),
    ] {
        let text = base.replace('X', value);
        assert!(from_str::<Workspace>(&text).is_err(), "{what}: {text}");
        assert!(with_ron(&text).is_ok(), "ron reads {what}: {text}");
    }
    for (what, text) in [
        (
            "an enable line",
            "#![enable(implicit_some)]\n(integrations: [])".to_string(),
        ),
        ("a struct name", "Workspace(integrations: [])".to_string()),
        (
            "a Unicode escape",
            "(variables: [(name: \"a\", value: \"\\u{e9}\")])".to_string(),
        ),
        (
            "a byte escape",
            "(variables: [(name: \"a\", value: \"\\x41\")])".to_string(),
        ),
        (
            "a line continuation",
            "(variables: [(name: \"a\", value: \"a\\\n   b\")])".to_string(),
        ),
        (
            "a form feed between tokens",
            "(variables: [\u{c}(name: \"a\", value: \"b\")])".to_string(),
        ),
    ] {
        assert!(from_str::<Workspace>(&text).is_err(), "{what}: {text}");
        assert!(with_ron(&text).is_ok(), "ron reads {what}: {text}");
    }
}

#[test]
fn declines_every_error_so_ron_can_word_it() {
    for text in [
        "(",
        "(integrations: [)",
        "(integrations: [], integrations: [])",
        "(payloads: [(id: \"a\")])",
        "(nope: [])",
        "(variables: [(name: \"a\", value: \"b\" secret: true)])",
        "(settings: (keep_jobs: 0))",
        "(settings: (keep_jobs: 99999999999999999999999))",
        "(variables: [(name: \"a\", value: \"unclosed)])",
        "(variables: []) /* unclosed",
        "(variables: []) )",
    ] {
        assert!(from_str::<Workspace>(text).is_err(), "{text}");
        assert!(with_ron(text).is_err(), "{text}");
    }
}

/// Pieces that matter to a RON reader, for the edits below.
const PIECES: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "/",
    "*",
    "//",
    "/*",
    "*/",
    "#",
    "r#\"",
    "\"#",
    "r\"",
    "b\"",
    "None",
    "Some(",
    "true",
    "false",
    "0",
    "00",
    "7",
    "1_0",
    "-1",
    "0x1",
    "4294967296",
    "18446744073709551616",
    "é",
    "\u{85}",
    "\u{b}",
    "\t",
    "\n",
    "\r\n",
    " ",
    "GET",
    "BearerToken(",
    "Json(",
    "_",
    ".",
    "+",
    "\\u{41}",
    "\\x41",
    "\\n",
    "\\\"",
    "r",
    "x: 1,",
    "keep_jobs: 3",
    "secret: true",
    "timeout_secs: 9,",
    "/* c */",
    "// c\n",
];

#[derive(Debug, Clone)]
enum Edit {
    Insert { at: usize, piece: usize },
    Delete { at: usize, len: usize },
    Duplicate { at: usize, len: usize, to: usize },
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        4 => (any::<usize>(), 0..PIECES.len()).prop_map(|(at, piece)| Edit::Insert { at, piece }),
        2 => (any::<usize>(), 1usize..12).prop_map(|(at, len)| Edit::Delete { at, len }),
        1 => (any::<usize>(), 1usize..80, any::<usize>())
            .prop_map(|(at, len, to)| Edit::Duplicate { at, len, to }),
    ];
    prop::collection::vec(edit, 1..4)
}

/// The char boundary at or before `at % (len + 1)`.
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut text = text.to_string();
    for edit in edits {
        match *edit {
            Edit::Insert { at, piece } => {
                let at = boundary(&text, at);
                text.insert_str(at, PIECES[piece]);
            }
            Edit::Delete { at, len } => {
                let start = boundary(&text, at);
                let end = boundary(&text, start + len.min(text.len() - start));
                text.replace_range(start..end.max(start), "");
            }
            Edit::Duplicate { at, len, to } => {
                let start = boundary(&text, at);
                let end = boundary(&text, start + len.min(text.len() - start)).max(start);
                let copy = text[start..end].to_string();
                let to = boundary(&text, to);
                text.insert_str(to, &copy);
            }
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// The promise itself, on edits of every corpus text: where the fast reader accepts, `ron`
    /// accepts the same text with the same value.
    #[test]
    fn whatever_it_accepts_ron_reads_the_same(which in 0usize..5, edits in edits()) {
        let corpus = corpus();
        let text = apply(&corpus[which % corpus.len()], &edits);
        if let Ok(fast) = from_str::<Workspace>(&text) {
            match with_ron(&text) {
                Ok(expected) => prop_assert_eq!(fast, expected, "text:\n{}", text),
                Err(e) => prop_assert!(false, "ron refused what the fast reader took ({}):\n{}", e, text),
            }
        }
    }
}

/// A workspace with `value` written into each number slot in turn: `u32`, `u64`, `NonZeroUsize`
/// and `NonZeroU64`.
fn with_number(value: &str) -> [String; 4] {
    let credential = |minutes: &str| {
        format!(
            "(credentials: [(id: \"c\", name: \"C\", integration: \"i\", auth: \
             BearerToken(token_payload: \"t\", access_token_duration_minutes: {minutes}))])"
        )
    };
    [
        credential(value),
        format!(
            "(integrations: [(id: \"i\", name: \"I\", base_url: \"u\", timeout_secs: {value})])"
        ),
        format!("(settings: (keep_jobs: {value}))"),
        format!("(settings: (keep_mib: {value}))"),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// Numbers of any size and spelling, in every number slot of the model.
    #[test]
    fn numbers_read_as_ron_reads_them(
        value in prop_oneof![
            any::<u128>().prop_map(|n| n.to_string()),
            any::<u64>().prop_map(|n| n.to_string()),
            any::<u32>().prop_map(|n| (u64::from(n) + 1).to_string()),
            "[0-9_+\\-xobeEiu.]{0,24}",
        ]
    ) {
        for text in with_number(&value) {
            if let Ok(fast) = from_str::<Workspace>(&text) {
                prop_assert_eq!(Ok(fast), with_ron(&text).map_err(|e| e.to_string()), "{}", text);
            }
        }
    }

    /// String contents of any kind, escaped or raw, in a string slot.
    #[test]
    fn strings_read_as_ron_reads_them(
        content in r##"(\\\\|\\"|\\[nrt0'xu{}]|["#\r\n a-z0-9{}é\x{85}\x1b]){0,16}"##,
        hashes in 0usize..3,
        raw in any::<bool>(),
    ) {
        let literal = if raw {
            let fence = "#".repeat(hashes);
            format!("r{fence}\"{content}\"{fence}")
        } else {
            format!("\"{content}\"")
        };
        let text = format!("(variables: [(name: \"v\", value: {literal})])");
        if let Ok(fast) = from_str::<Workspace>(&text) {
            prop_assert_eq!(Ok(fast), with_ron(&text).map_err(|e| e.to_string()), "{}", text);
        }
    }
}

#[test]
fn counts_the_elements_of_the_workspace_lists() {
    use super::count::count_elements;
    for text in corpus() {
        let workspace = with_ron(text).expect("ron reads the corpus");
        for (section, len) in [
            ("integrations", workspace.integrations.len()),
            ("credentials", workspace.credentials.len()),
            ("payloads", workspace.payloads.len()),
            ("variables", workspace.variables.len()),
        ] {
            let Some(at) = text.find(&format!("{section}: [")) else {
                continue;
            };
            let list = &text.as_bytes()[at + section.len() + 3..];
            assert_eq!(count_elements(list), Some(len), "{section} in:\n{text}");
        }
    }
    assert_eq!(count_elements(b"]"), Some(0));
    assert_eq!(count_elements(b" // ]\n ]"), Some(0));
    assert_eq!(
        count_elements(br##"(a: "],)\""), (b: r#""], )"#), /* ], ( */ ]"##),
        Some(2)
    );
    assert_eq!(count_elements(b"1, 2,"), None);
}

/// A file cut anywhere (a save interrupted, an editor's half-typed record) is counted or
/// declined, never a panic: each of the workspace's lists in the corpus cut at each of its first
/// 4,096 bytes, escapes and raw strings included. A text ending at a string's `\` once indexed
/// past the end.
#[test]
fn counting_a_list_cut_at_any_byte_ends_in_a_count_or_none() {
    use super::count::count_elements;
    assert_eq!(count_elements(br#"(a: "x\"#), None);
    assert_eq!(count_elements(br##"(a: r#"x""##), None);
    assert_eq!(count_elements(b"(a: /* x"), None);
    for text in corpus() {
        for section in ["integrations", "credentials", "payloads", "variables"] {
            let Some(at) = text.find(&format!("{section}: [")) else {
                continue;
            };
            let list = &text.as_bytes()[at + section.len() + 3..];
            // The first records of each list hold every kind of string and comment; cutting a
            // 1,000-record list at each of its bytes would add nothing but time.
            for end in 0..=list.len().min(4096) {
                let _ = count_elements(&list[..end]);
            }
        }
    }
}

/// The whole reader on a file cut short (a save interrupted, a copy half made): it declines or,
/// where the cut still leaves a whole workspace, reads what `ron` reads; never a panic.
#[test]
fn reading_a_file_cut_short_declines_or_agrees_with_ron() {
    // The text with every part of the model, as written and as saved; the rest of the corpus
    // repeats their forms and would add only time.
    for text in [EVERY_FEATURE, corpus().last().expect("the saved text")] {
        // Cut just after each byte the reader acts on, and at every 16th byte in between.
        let acted_on = |end: usize| {
            end.is_multiple_of(16) || br##"\"#/*()[],:"##.contains(&text.as_bytes()[end - 1])
        };
        for end in (1..=text.len()).filter(|&end| text.is_char_boundary(end) && acted_on(end)) {
            let cut = &text[..end];
            if let Ok(fast) = from_str::<Workspace>(cut) {
                assert_eq!(Ok(fast), with_ron(cut).map_err(|e| e.to_string()), "{cut}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Any bytes at all, weighted to the ones the counter acts on, are counted or declined.
    #[test]
    fn counting_any_bytes_ends_in_a_count_or_none(
        bytes in proptest::collection::vec(
            prop_oneof![
                4 => proptest::sample::select(b"()[]\"\\/*#r, \n".to_vec()),
                1 => any::<u8>(),
            ],
            0..64,
        )
    ) {
        let _ = super::count::count_elements(&bytes);
    }
}
