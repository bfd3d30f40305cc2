//! Saving and loading: `load(save(w)) == w` for every record type and field, byte-stable output,
//! atomic saves, file modes.

use chrono::{TimeZone, Utc};
use payloads::workspace::save::{save, to_text, write_atomic_with};
use payloads::workspace::*;
use std::path::Path;

fn kv(name: &str, value: &str) -> KeyValue {
    KeyValue::new(name, value)
}

/// A workspace that uses every record type, every Credential type, every body, source and target.
fn everything() -> Workspace {
    let integration = |id: &str| Integration {
        id: id.into(),
        name: format!("{id} API"),
        base_url: "https://api.example.com/v1".into(),
        description: "Line one\nline \"two\" with a \\ backslash and # hash".into(),
        timeout_secs: Some(45),
        headers: vec![
            kv("x-tenant", "{{env.TENANT}}"),
            kv("user-agent", "payloads"),
        ],
        tls: TlsOptions {
            accept_invalid_certs: true,
            ca_cert: Some("/etc/ssl/extra.pem".into()),
        },
    };
    let credential = |id: &str, auth: CredentialAuth| Credential {
        id: id.into(),
        name: format!("{id} name"),
        integration: "main".into(),
        description: String::new(),
        auth,
    };
    let mut token = payloads::workspace::edit::token_payload(
        "oauth-token",
        &Credential {
            name: "OAuth".into(),
            ..credential("oauth", CredentialAuth::BearerToken(BearerToken::empty("")))
        },
    );
    token.client_auth = ClientAuth::BasicHeader;
    token.timeout_secs = Some(10);
    Workspace {
        integrations: vec![
            integration("main"),
            Integration {
                id: "plain".into(),
                name: "Plain".into(),
                base_url: "http://localhost:1".into(),
                description: String::new(),
                timeout_secs: None,
                headers: vec![],
                tls: TlsOptions::default(),
            },
        ],
        credentials: vec![
            Credential {
                description: "with every field".into(),
                ..credential(
                    "oauth",
                    CredentialAuth::BearerToken(BearerToken {
                        client_id: "client".into(),
                        client_secret: "{{env.CLIENT_SECRET}}".into(),
                        access_token: "at-123".into(),
                        refresh_token: "rt-456".into(),
                        access_token_duration_minutes: 15,
                        obtained_at: Some(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()),
                        expires_at: None,
                        token_payload: "oauth-token".into(),
                        login: None,
                        fallback_to_client_credentials: false,
                    }),
                )
            },
            credential(
                "basic",
                CredentialAuth::Basic(BasicAuth {
                    username: "user".into(),
                    password: "pa\"ss".into(),
                }),
            ),
            credential(
                "key",
                CredentialAuth::ApiKey(ApiKey {
                    header: "x-api-key".into(),
                    value: "k".into(),
                }),
            ),
            credential(
                "custom-header",
                CredentialAuth::Custom(CustomAuth {
                    placement: Placement::Header,
                    name: "x-token".into(),
                    value: "t".into(),
                }),
            ),
            credential(
                "custom-query",
                CredentialAuth::Custom(CustomAuth {
                    placement: Placement::Query,
                    name: "api_key".into(),
                    value: "q".into(),
                }),
            ),
            credential(
                "cert",
                CredentialAuth::Certificate(CertificateAuth {
                    cert_path: "/certs/client.pem".into(),
                    key_path: "/certs/client.key".into(),
                }),
            ),
        ],
        payloads: vec![
            token,
            Payload {
                id: "everything".into(),
                name: "Every field".into(),
                integration: "main".into(),
                kind: PayloadKind::Callout,
                description: "Uses it all".into(),
                method: Method::PATCH,
                endpoint: "/items/{{input.item}}?at={{now}}".into(),
                credential: Some("oauth".into()),
                client_auth: ClientAuth::InBody,
                headers: vec![kv("x-session", "{{var.session}}")],
                parameters: vec![kv("client", "{{credential.client_id}}")],
                body: Body::Json(
                    "{\n  \"item\": \"{{input.item}}\",\n  \"raw\": \"a\\\"b\"\n}".into(),
                ),
                response: vec![
                    ResponseValue {
                        name: "id".into(),
                        source: ValueSource::JsonPath("$.items[0].id".into()),
                    },
                    ResponseValue {
                        name: "form".into(),
                        source: ValueSource::FormKey("state".into()),
                    },
                    ResponseValue {
                        name: "etag".into(),
                        source: ValueSource::Header("etag".into()),
                    },
                ],
                targets: vec![
                    DataTarget {
                        value: "id".into(),
                        target: Target::Variable("session".into()),
                    },
                    DataTarget {
                        value: "etag".into(),
                        target: Target::Credential(CredentialField::AccessToken),
                    },
                ],
                inputs: vec![
                    DynamicInput {
                        name: "item".into(),
                        default: Some("42".into()),
                        description: "Which item".into(),
                    },
                    DynamicInput {
                        name: "plain".into(),
                        default: None,
                        description: String::new(),
                    },
                ],
                timeout_secs: Some(5),
            },
            Payload {
                id: "form-post".into(),
                name: "Form".into(),
                integration: "main".into(),
                kind: PayloadKind::Webhook,
                description: String::new(),
                method: Method::POST,
                endpoint: "https://hooks.example.com/in".into(),
                credential: Some("basic".into()),
                client_auth: ClientAuth::InBody,
                headers: vec![],
                parameters: vec![],
                body: Body::Form(vec![kv("a", "1"), kv("b", "two words")]),
                response: vec![],
                targets: vec![],
                inputs: vec![],
                timeout_secs: None,
            },
            Payload {
                id: "xml".into(),
                name: "Raw XML".into(),
                integration: "plain".into(),
                kind: PayloadKind::Callout,
                description: String::new(),
                method: Method::PUT,
                endpoint: "/xml".into(),
                credential: None,
                client_auth: ClientAuth::InBody,
                headers: vec![],
                parameters: vec![],
                body: Body::Raw {
                    content_type: "application/xml".into(),
                    text: "<a>\"#quoted\"#</a>\n<b/>".into(),
                },
                response: vec![],
                targets: vec![],
                inputs: vec![],
                timeout_secs: None,
            },
        ]
        .into_iter()
        .chain(
            [Method::GET, Method::DELETE, Method::HEAD, Method::OPTIONS]
                .into_iter()
                .enumerate()
                .map(|(i, method)| Payload {
                    id: format!("method-{i}").into(),
                    name: method.as_str().into(),
                    integration: "plain".into(),
                    kind: PayloadKind::Callout,
                    description: String::new(),
                    method,
                    endpoint: "/".into(),
                    credential: None,
                    client_auth: ClientAuth::InBody,
                    headers: vec![],
                    parameters: vec![],
                    body: Body::None,
                    response: vec![],
                    targets: vec![],
                    inputs: vec![],
                    timeout_secs: None,
                }),
        )
        .collect(),
        variables: vec![
            Variable {
                name: "session".into(),
                value: "s-1".into(),
                secret: true,
            },
            Variable {
                name: "plain".into(),
                value: String::new(),
                secret: false,
            },
        ],
        settings: payloads::workspace::Settings {
            keep_jobs: std::num::NonZeroUsize::new(5000),
            keep_mib: std::num::NonZeroU64::new(64),
        },
    }
}

#[test]
fn every_record_and_field_round_trips_byte_stably() {
    let original = everything();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.ron");
    save(&path, &original).unwrap();
    let first = std::fs::read(&path).unwrap();
    let loaded = load(&path).unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&first)));
    assert_eq!(loaded, original);
    save(&path, &loaded).unwrap();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        first,
        "saving twice gives the same bytes"
    );
    // The custom credentials would fail validation only if the file lost something.
    assert!(validate::problems(&loaded).is_empty());
}

#[test]
fn the_shipped_workspace_round_trips() {
    let shipped =
        parse(Path::new("workspace.ron"), DEMO_WORKSPACE).unwrap_or_else(|e| panic!("{e}"));
    let text = to_text(&shipped);
    assert_eq!(parse(Path::new("w.ron"), &text).unwrap(), shipped);
    assert_eq!(to_text(&parse(Path::new("w.ron"), &text).unwrap()), text);
    // Short records stay on one line; JSON bodies stay readable raw strings.
    assert!(
        text.contains("(name: \"grant_type\", value: \"client_credentials\"),"),
        "{text}"
    );
    assert!(
        text.contains(r##"body: Json(r#"{"name": "{{input.name}}""##),
        "{text}"
    );
}

#[test]
fn optional_fields_are_written_plainly() {
    let text = to_text(&everything());
    assert!(text.contains("timeout_secs: 45,"), "{text}");
    assert!(text.contains("auth: BearerToken("), "{text}");
    assert!(!text.contains("Some("), "{text}");
    assert!(!text.contains("#![enable"), "{text}");
}

#[cfg(unix)]
#[test]
fn new_files_are_private_and_existing_files_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.ron");
    save(&path, &everything()).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    save(&path, &Workspace::default()).unwrap();
    assert_eq!(mode(&path), 0o640);
}

#[test]
fn a_save_interrupted_before_the_rename_leaves_the_old_file_and_no_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workspace.ron");
    std::fs::write(&path, DEMO_WORKSPACE).unwrap();
    let mut saw_temp = None;
    let result = write_atomic_with(&path, b"the new text", |temp| {
        // The new text is complete and durable beside the old file when the crash comes.
        assert_eq!(std::fs::read(temp).unwrap(), b"the new text");
        assert_eq!(temp.parent(), path.parent());
        saw_temp = Some(temp.to_path_buf());
        Err(std::io::Error::other("simulated crash before rename"))
    });
    assert_eq!(
        result.unwrap_err().to_string(),
        "simulated crash before rename"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), DEMO_WORKSPACE);
    assert!(!saw_temp.unwrap().exists());
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("workspace.ron")]);
}

#[cfg(unix)]
#[test]
fn saving_through_a_symlink_writes_the_file_it_points_at() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.ron");
    let link = dir.path().join("link.ron");
    std::fs::write(&real, "old").unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    save(&link, &Workspace::default()).unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(load(&real).unwrap(), Workspace::default());
}

/// The complete example in docs/workspace-format.md is a valid workspace.
#[test]
fn the_documented_example_loads() {
    let doc = include_str!("../../docs/workspace-format.md");
    let start = doc.find("## A complete small example").unwrap();
    let example = &doc[start..];
    let body = &example[example.find("```ron\n").unwrap() + 7..];
    let body = &body[..body.find("```").unwrap()];
    let ws = parse(Path::new("example.ron"), body).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ws.payloads.len(), 3);
}
