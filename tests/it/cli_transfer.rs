//! `payloads export integration` and `payloads import FILE`: the shipped Integration exported and
//! imported into a file made by `payloads init` checks with the same counts and holds no secret
//! unless --with-secrets; conflicts are refused with the list, or renamed with references
//! rewritten.

use std::path::Path;
use std::process::Output;

const SHIPPED: &str = include_str!("../../workspace.ron");

fn payloads(dir: &Path, args: &[&str]) -> Output {
    crate::common::bin::payloads(dir).args(args).output()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `shipped.ron` (the shipped workspace) and its Integration exported to `doc.ron`.
fn exported(dir: &Path, extra: &[&str]) -> Output {
    std::fs::write(dir.join("shipped.ron"), SHIPPED).unwrap();
    let mut args = vec![
        "--workspace",
        "shipped.ron",
        "export",
        "integration",
        "sandbox",
    ];
    args.extend_from_slice(extra);
    let out = payloads(dir, &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    std::fs::write(dir.join("doc.ron"), &out.stdout).unwrap();
    out
}

#[test]
fn exported_into_an_init_file_checks_with_the_same_counts_and_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let out = exported(dir.path(), &[]);
    let doc = text(&out.stdout);
    for secret in ["demo-secret", "demo-api-key"] {
        assert!(!doc.contains(secret), "{secret} exported:\n{doc}");
    }
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("SANDBOX_OAUTH_CLIENT_SECRET (client_secret of Credential sandbox-oauth)")
            && stderr.contains("SANDBOX_API_KEY_VALUE (value of Credential sandbox-api-key)"),
        "{stderr}"
    );
    assert!(
        doc.contains("client_secret: \"{{env.SANDBOX_OAUTH_CLIENT_SECRET}}\""),
        "{doc}"
    );

    assert_eq!(payloads(dir.path(), &["init"]).status.code(), Some(0));
    let init_text = std::fs::read_to_string(dir.path().join("workspace.ron")).unwrap();
    let out = payloads(dir.path(), &["import", "doc.ron"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let shipped_check = payloads(dir.path(), &["--workspace", "shipped.ron", "check"]);
    let imported_check = payloads(dir.path(), &["check"]);
    assert_eq!(
        imported_check.status.code(),
        Some(0),
        "{}",
        text(&imported_check.stderr)
    );
    assert_eq!(text(&imported_check.stdout), text(&shipped_check.stdout));
    // The init file's comments stay.
    let saved = std::fs::read_to_string(dir.path().join("workspace.ron")).unwrap();
    for comment in init_text
        .lines()
        .filter(|l| l.trim_start().starts_with("//"))
    {
        assert!(saved.contains(comment), "lost {comment:?}");
    }
    assert!(!saved.contains("demo-secret"));

    // --with-secrets keeps them.
    let dir = tempfile::tempdir().unwrap();
    let out = exported(dir.path(), &["--with-secrets"]);
    assert!(text(&out.stdout).contains("demo-secret"));
    assert!(!text(&out.stdout).contains("{{env."));
}

#[test]
fn conflicts_are_refused_with_the_list_or_renamed_with_references_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    exported(dir.path(), &[]);
    std::fs::write(dir.path().join("workspace.ron"), SHIPPED).unwrap();

    let out = payloads(dir.path(), &["import", "doc.ron"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("payloads: doc.ron would reuse ids already in workspace.ron: integration sandbox, credential sandbox-oauth"),
        "{stderr}"
    );
    assert!(stderr.contains("payload list-contacts") && stderr.contains("--rename-conflicts"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("workspace.ron")).unwrap(),
        SHIPPED,
        "a refused import writes nothing"
    );

    // A Variable of the same name with another value is a conflict too.
    let doc = std::fs::read_to_string(dir.path().join("doc.ron")).unwrap();
    let changed = doc.replacen("value: \"1\"", "value: \"99\"", 1);
    assert_ne!(doc, changed, "the document carries last_contact_id:\n{doc}");
    std::fs::write(dir.path().join("doc.ron"), changed).unwrap();

    let out = payloads(dir.path(), &["import", "doc.ron", "--rename-conflicts"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("renamed integration sandbox to sandbox-2"),
        "{stderr}"
    );
    assert!(
        stderr.contains("renamed variable last_contact_id to last_contact_id-2"),
        "{stderr}"
    );
    let check = payloads(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    let ws = payloads::workspace::load(&dir.path().join("workspace.ron")).unwrap();
    let copy = ws.payload("list-contacts-2").expect("renamed payload");
    assert_eq!(copy.integration.as_str(), "sandbox-2");
    assert_eq!(copy.credential.as_deref(), Some("sandbox-oauth-2"));
    let token = ws.credential("sandbox-oauth-2").unwrap();
    match &token.auth {
        payloads::workspace::CredentialAuth::BearerToken(b) => {
            assert_eq!(b.token_payload.as_str(), "sandbox-oauth-token-2")
        }
        other => panic!("{other:?}"),
    }
    let get = ws.payload("get-contact-2").unwrap();
    assert!(
        get.endpoint.contains("{{var.last_contact_id-2}}"),
        "{}",
        get.endpoint
    );
    // The original records are untouched.
    assert_eq!(
        ws.payload("list-contacts").unwrap().integration.as_str(),
        "sandbox"
    );
}
